"""Choices of the evaluation app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationKind(models.TextChoices):
    BALLOT = "ballot", _("民主测评（匿名票）")
    CONTEST = "contest", _("擂台赛（评委打分）")
    PANEL = "panel", _("评审会（评委打分）")
    SIGNOFF = "signoff", _("验收评审（通过/不通过）")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")
    PUBLISHED = "published", _("已公布")


class AggregationRule(models.TextChoices):
    GROUP_MEAN = "group_mean", _("分组加权平均")
    TRIMMED_MEAN = "trimmed_mean", _("去掉最高分和最低分")
    SEVERITY = "severity", _("评委宽严校正")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("人员")
    UNIT = "unit", _("单位")
    TEAM = "team", _("团队")
    ENTRY = "entry", _("参赛项目")


class GroupCode(models.TextChoices):
    LEADER = "leader", _("领导")
    PEER = "peer", _("同事")
    SUBORDINATE = "subordinate", _("下属/服务对象")
    PUBLIC = "public", _("群众")
    JUDGE = "judge", _("评委")


class Verdict(models.TextChoices):
    """A sign-off panel member's verdict on one attempt of a subject."""

    PASS = "pass", _("通过")
    FAIL = "fail", _("不通过")


class SignoffState(models.TextChoices):
    """Where a subject of a sign-off panel stands: nothing to sign, awaiting verdicts, or decided."""

    IDLE = "idle", _("未提请")
    PENDING = "pending", _("待签署")
    CLOSED = "closed", _("已结束")


def rule_plain_name(rule: str, *, trim_k: int = 1, judged: bool = True) -> str:
    """The rule as a contestant would say it — the one place the engine's rule ids become plain Chinese."""
    if rule == AggregationRule.SEVERITY:
        return str(_("按评委宽严程度校正后的平均分"))
    if rule == AggregationRule.TRIMMED_MEAN:
        if trim_k == 1:
            return str(_("去掉一个最高分和一个最低分后的平均分"))
        return str(_("去掉%(n)d个最高分和%(n)d个最低分后的平均分") % {"n": trim_k})
    return str(_("全体评委打分的平均分") if judged else _("各类测评人得分按权重加权的平均分"))
