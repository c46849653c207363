from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "bole.challenges"
    label = "challenges"

    def ready(self):
        from bole.assessment.providers import register_task_provider

        from .selectors import milestone_tasks

        register_task_provider("challenges", _("揭榜挂帅节点"), milestone_tasks)
