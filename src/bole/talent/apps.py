from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Tile


class TalentConfig(BoleApp):
    name = "bole.talent"
    label = "talent"
    verbose_name = _("人才队伍")

    urls = "bole.talent.urls"
    api = "bole.talent.api.router"
    policy = "bole.talent.permissions.policy"
    nav = [
        Nav(_("人才库"), "talent-list", "talent", order=10),
        Nav(_("人才全生命周期"), "talent-lifecycle", "talent", order=11),
        Nav(_("创业项目"), "talent-projects", "talent", order=40),
        Nav(_("红领创客"), "talent-creators", "talent", order=45),
        Nav(_("人才大赛"), "talent-contests", "talent", order=42),
        Nav(_("我联系的人才"), "talent-liaison-home", "talent", ability="liaise", order=12),
    ]
    demo = "bole.talent.demo.seed"
    registers = ["bole.talent.registers.TALENTS"]
    pickers = ["bole.talent.pickers.TALENTS", "bole.talent.pickers.PROJECTS"]
    tiles = [Tile("bole.talent.home.mine", "mine"), Tile("bole.talent.home.alerts", "alerts")]
    figures = [Figures("talent", "bole.talent.selectors.figures")]
