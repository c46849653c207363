from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "bole.cases"
    label = "cases"

    def ready(self):
        from bole.assessment.providers import register_task_provider

        from .selectors import case_tasks

        register_task_provider("cases", _("诉求与协办任务"), case_tasks)
