from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Tile


class AwardsConfig(BoleApp):
    name = "bole.awards"
    label = "awards"
    verbose_name = _("担当之星")

    urls = "bole.awards.urls"
    api = "bole.awards.api.router"
    policy = "bole.awards.permissions.policy"
    nav = [Nav(_("担当之星"), "awards-list", "cadres", order=50)]
    demo = "bole.awards.demo.seed"
    person_sections = ["bole.awards.views.honours_section"]
    tiles = [Tile("bole.awards.home.waiting", "todo")]
    figures = [Figures("cadres", "bole.awards.selectors.figures")]
