from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Periodic, Tile


class VouchersConfig(BoleApp):
    name = "bole.vouchers"
    label = "vouchers"
    verbose_name = _("人才政策与人才券")

    urls = "bole.vouchers.urls"
    api = "bole.vouchers.api.router"
    policy = "bole.vouchers.permissions.policy"
    nav = [Nav(_("政策与人才券"), "vouchers-home", "talent", order=30)]
    demo = "bole.vouchers.demo.seed"
    periodic = [
        Periodic(name="vouchers.settle", every=3600, func="bole.vouchers.jobs.settle_due", label=_("人才券结算")),
        Periodic(name="vouchers.expire", every=3600, func="bole.vouchers.jobs.expire_due", label=_("人才券过期与到期提醒")),
    ]
    tiles = [Tile("bole.vouchers.home.mine", "mine"), Tile("bole.vouchers.home.waiting", "todo"),
             Tile("bole.vouchers.home.alerts", "alerts")]
    figures = [Figures("talent", "bole.vouchers.selectors.figures")]
