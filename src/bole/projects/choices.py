"""Choices of the key projects and their frontline evaluation (一线考评)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    INDUSTRY = "industry", _("产业项目")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    TECH = "tech", _("科创平台")
    URBAN = "urban", _("城市更新")
    RURAL = "rural", _("农业农村")
    LIVELIHOOD = "livelihood", _("社会民生")


class ProjectStatus(models.TextChoices):
    PLANNING = "planning", _("谋划中")
    SIGNED = "signed", _("已签约")
    BUILDING = "building", _("在建")
    SUSPENDED = "suspended", _("暂缓")
    COMPLETED = "completed", _("已竣工")
    CANCELLED = "cancelled", _("已终止")


# States in which milestones run against the schedule (and the lights are lit).
ACTIVE_STATUSES = [ProjectStatus.SIGNED, ProjectStatus.BUILDING]


class Colour(models.TextChoices):
    """The schedule light of a milestone or a project (a project shows its worst open milestone)."""

    RED = "red", _("红灯（节点超期）")
    YELLOW = "yellow", _("黄灯（节点临期）")
    GREEN = "green", _("绿灯（按计划）")
    DONE = "done", _("按期完成")
    LATE = "late", _("逾期完成")
    NONE = "none", _("未开始")
