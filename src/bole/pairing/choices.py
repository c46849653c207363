"""Choices of 产学研 pairing: a pairing's states and actions, conflicts, outcomes, runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PairState(models.TextChoices):
    PROPOSED = "proposed", _("已推荐")
    ACCEPTED = "accepted", _("双方已确认")
    MET = "met", _("已首次对接")
    WORKING = "working", _("合作攻关中")
    SOLVED = "solved", _("已解决")
    UNSOLVED = "unsolved", _("未解决")
    DECLINED = "declined", _("已谢绝")
    WITHDRAWN = "withdrawn", _("已撤回")


LIVE_STATES = [PairState.PROPOSED, PairState.ACCEPTED, PairState.MET, PairState.WORKING]
CLOSED_STATES = [PairState.SOLVED, PairState.UNSOLVED]
ENGAGED_STATES = [PairState.ACCEPTED, PairState.MET, PairState.WORKING, PairState.SOLVED, PairState.UNSOLVED]


class PairAction(models.TextChoices):
    ACCEPT_ENTERPRISE = "accept_ent", _("企业确认")
    ACCEPT_EXPERT = "accept_exp", _("专家确认")
    DECLINE = "decline", _("谢绝")
    WITHDRAW = "withdraw", _("撤回推荐")
    MEET = "meet", _("登记首次对接")
    START = "start", _("开始合作攻关")
    SOLVE = "solve", _("标记已解决")
    FAIL = "fail", _("标记未解决")


class ConflictKind(models.TextChoices):
    SHARES = "shares", _("持股")
    FORMER = "former", _("曾任职")
    RELATIVE = "relative", _("亲属任职")
    OTHER = "other", _("其他")


class OutcomeKind(models.TextChoices):
    PATENT = "patent", _("专利")
    PRODUCT = "product", _("新产品")
    PROCESS = "process", _("工艺改进")
    COST = "cost", _("降本增效")
    OTHER = "other", _("其他")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
