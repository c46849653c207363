from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Tile


class VillagesConfig(BoleApp):
    name = "bole.villages"
    label = "villages"
    verbose_name = _("强村六式")

    urls = "bole.villages.urls"
    api = "bole.villages.api.router"
    policy = "bole.villages.permissions.policy"
    nav = [Nav(_("强村"), "villages-index", "grassroots", order=60)]
    demo = "bole.villages.demo.seed"
    tiles = [Tile("bole.villages.home.alerts", "alerts")]
    towns = ["bole.villages.home.town_columns"]
    figures = [Figures("grassroots", "bole.villages.selectors.figures")]
