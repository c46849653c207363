from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Figures, Metric, Nav, Periodic, Tile


class TrainingConfig(BoleApp):
    name = "bole.training"
    label = "training"
    verbose_name = _("干部大讲堂")

    urls = "bole.training.urls"
    api = "bole.training.api.router"
    policy = "bole.training.permissions.policy"
    nav = [Nav(_("干部大讲堂"), "training-plan", "cadres", order=60)]
    demo = "bole.training.demo.seed"
    periodic = [Periodic(name="training.close", every=300, func="bole.training.services.sessions_close"),
                Periodic(name="training.ratings", every=3600, func="bole.training.ratings.ratings_close",
                         label=_("关闭结束满 7 天的课程评价并计算得分"))]
    metrics = [Metric("training_hours", _("学习学时"), "bole.training.selectors.hours_metric",
                      records="bole.training.selectors.hours_records"),
               Metric("training_share", _("学时达标率（%）"), "bole.training.selectors.share_metric",
                      records="bole.training.selectors.hours_records")]
    tiles = [Tile("bole.training.home.my_training", "mine"), Tile("bole.training.home.waiting", "todo")]
    figures = [Figures("cadres", "bole.training.selectors.figures")]
