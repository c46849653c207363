from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Tile


class LedgerConfig(BoleApp):
    name = "bole.ledger"
    label = "ledger"
    verbose_name = _("积分")

    urls = "bole.ledger.urls"
    api = "bole.ledger.api.router"
    policy = "bole.ledger.permissions.policy"
    tiles = [Tile("bole.ledger.home.my_points", "mine")]
    towns = ["bole.ledger.home.town_columns"]
    figures = [Figures("cadres", "bole.ledger.selectors.figures")]
    nav = [Nav(_("积分"), "ledger-list", "cadres", order=15)]
