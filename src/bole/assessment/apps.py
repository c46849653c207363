from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, TaskProvider, Tile


class AssessmentConfig(BoleApp):
    name = "bole.assessment"
    label = "assessment"
    verbose_name = _("奔跑赶超考核")

    urls = "bole.assessment.urls"
    api = "bole.assessment.api.router"
    policy = "bole.assessment.permissions.policy"
    tiles = [Tile("bole.assessment.home.my_result", "mine"), Tile("bole.assessment.home.my_tasks", "mine"),
             Tile("bole.assessment.home.waiting", "todo")]
    figures = [Figures("cadres", "bole.assessment.selectors.figures")]
    nav = [Nav(_("奔跑赶超考核"), "assessment-home", "cadres", order=10)]
    # Listed after the mechanism apps in INSTALLED_APPS: its demo rounds read the points they have posted.
    demo = "bole.assessment.demo.seed"
    task_providers = [TaskProvider("manual", _("个人任务台账"), "bole.assessment.providers.manual_tasks")]
    pickers = ["bole.assessment.pickers.SUBJECTS"]
    registers = ["bole.assessment.registers.UNIT_SCORES", "bole.assessment.registers.TASK_TALLIES",
                 "bole.assessment.registers.MANUAL_VALUES"]
