"""Choices of the talent register and its lifecycle."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TalentLevel(models.TextChoices):
    """人才层次: the four administrative levels and the county's own categories."""

    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    OTHER = "other", _("县特色人才")


class Education(models.TextChoices):
    DOCTOR = "doctor", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大专")
    OTHER = "other", _("其他")


class Origin(models.TextChoices):
    """How a talent came: brought in from outside, or grown in the county."""

    INTRODUCED = "introduced", _("引进")
    CULTIVATED = "cultivated", _("培养")


class TalentStatus(models.TextChoices):
    """Whether the talent is on the county's books now."""

    ACTIVE = "active", _("在册")
    LEFT = "left", _("已离开")


class Stage(models.TextChoices):
    """The lifecycle: 引进 → 落户 → 服务 → 评价 → 离开."""

    RECRUIT = "recruit", _("引进")
    SETTLE = "settle", _("落户")
    SERVE = "serve", _("服务")
    EVALUATE = "evaluate", _("评价")
    LEFT = "left", _("离开")


class LeaveReason(models.TextChoices):
    CAREER = "career", _("职业发展")
    FAMILY = "family", _("家庭原因")
    CONTRACT = "contract", _("合同期满")
    HOUSING = "housing", _("住房或生活配套")
    EMPLOYER = "employer", _("用人单位变动")
    OTHER = "other", _("其他")


class ActivityState(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已完成")
    SKIPPED = "skipped", _("不适用")


class SupportKind(models.TextChoices):
    """What the county gave a 红领创客 or a startup project."""

    POLICY = "policy", _("政策")
    SITE = "site", _("场地")
    PUBLICITY = "publicity", _("宣传")
    FUNDING = "funding", _("资金")
    MENTOR = "mentor", _("导师")


class SurveyState(models.TextChoices):
    """One wave of the household income panel."""

    DONE = "done", _("已回访")
    MISSED = "missed", _("未回访")


class ProjectStage(models.TextChoices):
    """硕士以上创业项目: how far a startup has come."""

    INCUBATING = "incubating", _("孵化中")
    SEED = "seed", _("种子期")
    GROWTH = "growth", _("成长期")
    MATURE = "mature", _("规模化")
    CLOSED = "closed", _("已终止")


class ContestStatus(models.TextChoices):
    """人才创新创业大赛: 报名 → 初赛 → 决赛 → 已评奖."""

    REGISTERING = "registering", _("报名")
    PRELIMINARY = "preliminary", _("初赛")
    FINAL = "final", _("决赛")
    AWARDED = "awarded", _("已评奖")
