from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Periodic, TaskProvider, Tile


class CasesConfig(BoleApp):
    name = "bole.cases"
    label = "cases"
    verbose_name = _("诉求办理")

    urls = "bole.cases.urls"
    api = "bole.cases.api.router"
    policy = "bole.cases.permissions.policy"
    nav = [
        Nav(_("诉求办理"), "cases-list", "grassroots", ability="list"),
        Nav(_("诉求统计"), "cases-stats", "grassroots", ability="stats"),
        Nav(_("受理台"), "cases-desks", "grassroots", ability="configure"),
        Nav(_("工作日历"), "cases-calendar", "system", ability="configure", order=30),
        Nav(_("我的诉求"), "cases-portal", "grassroots", ability="portal"),
    ]
    tiles = [Tile("bole.cases.home.my_cases", "mine"), Tile("bole.cases.home.waiting", "todo"),
             Tile("bole.cases.selectors.calendar_tiles", "todo"),
             Tile("bole.cases.home.alerts", "alerts")]
    towns = ["bole.cases.home.town_columns"]
    figures = [Figures("grassroots", "bole.cases.selectors.figures")]
    demo = "bole.cases.demo.seed"
    periodic = [Periodic(name="cases.sweep", every=3600, func="bole.cases.jobs.run_sweep", label=_("诉求超期督办"))]
    task_providers = [TaskProvider("cases", _("诉求与协办任务"), "bole.cases.selectors.case_tasks")]
    pickers = ["bole.cases.pickers.CASE_UNITS", "bole.cases.pickers.MEETING_UNITS",
               "bole.cases.pickers.DESK_HANDLERS", "bole.cases.pickers.DESK_HEADS"]
