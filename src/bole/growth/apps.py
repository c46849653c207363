from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Tile


class GrowthConfig(BoleApp):
    name = "bole.growth"
    label = "growth"
    verbose_name = _("选调生成长")

    urls = "bole.growth.urls"
    api = "bole.growth.api.router"
    policy = "bole.growth.permissions.policy"
    nav = [Nav(_("选调生成长"), "growth-dashboard", "cadres", order=70)]
    demo = "bole.growth.demo.seed"
    pickers = ["bole.growth.pickers.YOUNG_CADRES"]
    tiles = [Tile("bole.growth.home.my_growth", "mine"), Tile("bole.growth.home.waiting", "todo")]
    figures = [Figures("cadres", "bole.growth.selectors.figures")]
