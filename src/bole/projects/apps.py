from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "bole.projects"
    label = "projects"

    def ready(self):
        from bole.assessment.providers import register_task_provider

        from .selectors import milestone_tasks

        register_task_provider("project_milestones", _("重点项目节点"), milestone_tasks)
