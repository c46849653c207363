from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Tile


class PairingConfig(BoleApp):
    name = "bole.pairing"
    label = "pairing"
    verbose_name = _("产学研")

    urls = "bole.pairing.urls"
    api = "bole.pairing.api.router"
    policy = "bole.pairing.permissions.policy"
    nav = [Nav(_("产学研"), "pairing-home", "talent", order=60)]
    demo = "bole.pairing.demo.seed"
    registers = ["bole.pairing.registers.EXPERTS"]
    tiles = [Tile("bole.pairing.home.mine", "mine"), Tile("bole.pairing.home.waiting", "todo")]
    figures = [Figures("talent", "bole.pairing.selectors.figures")]
