"""Choices of the case engine: states, actions, submitter kinds, ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    ASSIGNED = "assigned", _("已交办")
    ARBITRATION = "arbitration", _("待协调指派")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结待评价")
    CLOSED = "closed", _("已关闭")
    MERGED = "merged", _("已合并")


OPEN_STATES = [State.SUBMITTED, State.ACCEPTED, State.ASSIGNED, State.ARBITRATION, State.IN_PROGRESS]
# States where a deadline runs against the handling unit (overdue and escalation apply).
RUNNING_STATES = [State.ACCEPTED, State.ASSIGNED, State.ARBITRATION, State.IN_PROGRESS]
DONE_STATES = [State.RESOLVED, State.CLOSED]


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    ASSIGN = "assign", _("交办")
    DECLINE = "decline", _("退回（申请改派）")
    ARBITRATE = "arbitrate", _("协调指派")
    START = "start", _("开始办理")
    RESOLVE = "resolve", _("办结")
    RATE = "rate", _("评价")
    MERGE = "merge", _("合并")


class SubmitterKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    RESIDENT = "resident", _("居民")
    CADRE = "cadre", _("干部")
    TALENT = "talent", _("人才")
    LINK = "link", _("凭链接的任何人")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class TaskState(models.TextChoices):
    OPEN = "open", _("办理中")
    DONE = "done", _("已完成")
    DECLINED = "declined", _("已退回")


class EventKind(models.TextChoices):
    SUBMIT = "submit", _("提交")
    TRANSITION = "transition", _("状态变更")
    TASK = "task", _("协办任务")
    MEETING = "meeting", _("协调会")
    ESCALATE = "escalate", _("超期督办")
    ATTACH = "attach", _("上传附件")
    MERGE = "merge", _("合并")
    COMMENT = "comment", _("备注")


class EscalationTarget(models.TextChoices):
    UNIT_HEAD = "unit_head", _("承办单位负责人")
    DESK_HEAD = "desk_head", _("受理台负责人")


class CalendarEntryKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class Colour(models.TextChoices):
    RED = "red", _("红灯（超期）")
    YELLOW = "yellow", _("黄灯（临期）")
    GREEN = "green", _("绿灯（正常）")
