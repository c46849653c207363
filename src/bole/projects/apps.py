from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, TaskProvider, Tile


class ProjectsConfig(BoleApp):
    name = "bole.projects"
    label = "projects"
    verbose_name = _("重点项目")

    urls = "bole.projects.urls"
    api = "bole.projects.api.router"
    policy = "bole.projects.permissions.policy"
    nav = [
        Nav(_("重点项目"), "projects-list", "cadres", order=40),
        Nav(_("一线考评"), "projects-frontline", "cadres", ability="frontline", order=41),
    ]
    demo = "bole.projects.demo.seed"
    task_providers = [TaskProvider("project_milestones", _("重点项目节点"), "bole.projects.selectors.milestone_tasks")]
    tiles = [Tile("bole.projects.home.my_projects", "mine"), Tile("bole.projects.home.alerts", "alerts")]
    towns = ["bole.projects.home.town_columns"]
    figures = [Figures("cadres", "bole.projects.selectors.figures")]
