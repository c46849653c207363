from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav


class GrowthConfig(BoleApp):
    name = "bole.growth"
    label = "growth"

    urls = "bole.growth.urls"
    api = "bole.growth.api.router"
    policy = "bole.growth.permissions.policy"
    nav = [Nav(_("选调生成长"), "growth-dashboard", "cadres", order=70)]
    demo = "bole.growth.demo.seed"
    pickers = ["bole.growth.pickers.YOUNG_CADRES"]
    figures = [Figures("cadres", "bole.growth.selectors.figures")]
