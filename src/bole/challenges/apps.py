from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, TaskProvider, Tile


class ChallengesConfig(BoleApp):
    name = "bole.challenges"
    label = "challenges"
    verbose_name = _("揭榜挂帅")

    urls = "bole.challenges.urls"
    api = "bole.challenges.api.router"
    policy = "bole.challenges.permissions.policy"
    nav = [Nav(_("揭榜挂帅"), "challenges-board", "cadres", order=30)]
    demo = "bole.challenges.demo.seed"
    task_providers = [TaskProvider("challenges", _("揭榜挂帅节点"), "bole.challenges.selectors.milestone_tasks")]
    tiles = [Tile("bole.challenges.home.my_challenges", "mine"), Tile("bole.challenges.home.waiting", "todo"),
             Tile("bole.challenges.home.alerts", "alerts")]
    figures = [Figures("cadres", "bole.challenges.selectors.figures")]
