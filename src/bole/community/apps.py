from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Tile


class CommunityConfig(BoleApp):
    name = "bole.community"
    label = "community"
    verbose_name = _("家园支部")

    urls = "bole.community.urls"
    api = "bole.community.api.router"
    policy = "bole.community.permissions.policy"
    nav = [Nav(_("家园支部"), "community-branches", "grassroots")]
    demo = "bole.community.demo.seed"
    pickers = ["bole.community.pickers.PARTY_MEMBERS"]
    tiles = [Tile("bole.community.home.my_stairwells", "mine")]
    towns = ["bole.community.home.town_columns"]
    figures = [Figures("grassroots", "bole.community.selectors.figures")]
