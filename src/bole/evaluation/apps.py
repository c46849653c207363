from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Nav, Periodic, Tile


class EvaluationConfig(BoleApp):
    name = "bole.evaluation"
    label = "evaluation"
    verbose_name = _("测评与赛事")

    urls = "bole.evaluation.urls"
    api = "bole.evaluation.api.router"
    policy = "bole.evaluation.permissions.policy"
    tiles = [Tile("bole.evaluation.home.my_events", "mine")]
    figures = [Figures("cadres", "bole.evaluation.selectors.figures")]
    nav = [
        Nav(_("测评与赛事"), "evaluation-list", "cadres", order=20),
        Nav(_("评委打分"), "evaluation-judge-home", "cadres", ability="judge", order=21),
    ]
    demo = "bole.evaluation.demo.seed"
    # The ballot mixer: queued anonymous ballots do not wait for the close once a full batch has come in.
    periodic = [Periodic(name="evaluation.mix", every=60, func="bole.evaluation.jobs.mix_ballots", label=_("匿名选票混合入库"))]
    pickers = ["bole.evaluation.pickers.JUDGE_LOGINS"]
