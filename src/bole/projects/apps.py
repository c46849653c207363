from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, TaskProvider


class ProjectsConfig(BoleApp):
    name = "bole.projects"
    label = "projects"

    urls = "bole.projects.urls"
    api = "bole.projects.api.router"
    policy = "bole.projects.permissions.policy"
    nav = [
        Nav(_("重点项目"), "projects-list", "cadres"),
        Nav(_("一线考评"), "projects-frontline", "cadres", ability="frontline"),
    ]
    demo = "bole.projects.demo.seed"
    task_providers = [TaskProvider("project_milestones", _("重点项目节点"), "bole.projects.selectors.milestone_tasks")]
    figures = [Figures("work", "bole.projects.selectors.work_figures")]
