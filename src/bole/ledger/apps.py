from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav


class LedgerConfig(BoleApp):
    name = "bole.ledger"
    label = "ledger"

    urls = "bole.ledger.urls"
    api = "bole.ledger.api.router"
    policy = "bole.ledger.permissions.policy"
    figures = [Figures("cadres", "bole.ledger.selectors.figures")]
    nav = [Nav(_("积分"), "ledger-list", "cadres", order=15)]
