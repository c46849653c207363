"""Choices of the challenge board (揭榜挂帅)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeField(models.TextChoices):
    INVESTMENT = "investment", _("项目招引")
    BONDS = "bonds", _("专项债争取")
    LAND = "land", _("全域土地整治")
    OTHER = "other", _("其他攻坚任务")


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("揭榜中")
    AWARDED = "awarded", _("已定榜")
    IN_PROGRESS = "in_progress", _("攻坚中")
    DELIVERED = "delivered", _("待验收")
    ACCEPTED = "accepted", _("验收通过")
    FAILED = "failed", _("未完成")
    WITHDRAWN = "withdrawn", _("已撤榜")


class Closure(models.TextChoices):
    """How a challenge that did not pass ended: 容错 (honest failure) is kept apart from abandonment."""

    TOLERATED = "tolerated", _("容错免责（尽力未成）")
    NOT_MET = "not_met", _("未达验收标准")
    ABANDONED = "abandoned", _("揭榜人放弃")
    CANCELLED = "cancelled", _("发榜单位撤榜")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已揭榜")
    SHORTLISTED = "shortlisted", _("入围")
    CHOSEN = "chosen", _("选定")
    DECLINED = "declined", _("未选中")
    WITHDRAWN = "withdrawn", _("已撤回")


class MilestoneStatus(models.TextChoices):
    OPEN = "open", _("推进中")
    SUBMITTED = "submitted", _("待验收")
    RETURNED = "returned", _("退回整改")
    ACCEPTED = "accepted", _("已验收")
