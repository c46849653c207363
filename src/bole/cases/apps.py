from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Nav, Periodic, TaskProvider, Tile


class CasesConfig(BoleApp):
    name = "bole.cases"
    label = "cases"

    urls = "bole.cases.urls"
    api = "bole.cases.api.router"
    policy = "bole.cases.permissions.policy"
    nav = [
        Nav(_("诉求办理"), "cases-list", "grassroots", ability="list"),
        Nav(_("诉求统计"), "cases-stats", "grassroots", ability="stats"),
        Nav(_("受理台"), "cases-desks", "grassroots", ability="configure"),
        Nav(_("我的诉求"), "cases-portal", "grassroots", ability="portal"),
    ]
    demo = "bole.cases.demo.seed"
    periodic = [Periodic(name="cases.sweep", every=3600, func="bole.cases.jobs.run_sweep", label=_("诉求超期督办"))]
    task_providers = [TaskProvider("cases", _("诉求与协办任务"), "bole.cases.selectors.case_tasks")]
    pickers = ["bole.cases.pickers.CASE_UNITS", "bole.cases.pickers.MEETING_UNITS",
               "bole.cases.pickers.DESK_HANDLERS", "bole.cases.pickers.DESK_HEADS"]
    tiles = [Tile("bole.cases.selectors.calendar_tiles")]
