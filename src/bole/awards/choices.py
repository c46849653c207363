"""Choices of the quarterly 担当之星 / 担当团队 awards."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    NOMINATING = "nominating", _("提名中")
    REVIEWING = "reviewing", _("评审中")
    PUBLICITY = "publicity", _("公示中")
    ANNOUNCED = "announced", _("已公布")
    CANCELLED = "cancelled", _("已取消")


class NominationKind(models.TextChoices):
    STAR = "star", _("担当之星")
    TEAM = "team", _("担当团队")


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提名")
    WITHDRAWN = "withdrawn", _("已撤回")
    PROPOSED = "proposed", _("拟表彰")
    NOT_SELECTED = "not_selected", _("未入选")
    DISQUALIFIED = "disqualified", _("取消表彰")
    AWARDED = "awarded", _("已表彰")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")
