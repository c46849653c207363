"""Co-unit sub-tasks (协办): created with an assignment or later, worked, declined and reassigned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.scoping import unit_covers
from bole.org.models import Person, Unit

from .. import calendar as clock
from .. import notify
from ..calendar import work_calendar
from ..choices import EventKind, State, TaskState
from ..models import Case, CaseTask, Decline, Desk
from ..permissions import is_desk_staff, may_record_meeting, may_work_task
from .timeline import event_add


def check_unit(desk: Desk, unit: Unit | None, field: str) -> None:
    if unit is None:
        raise ValidationError({field: _("请指定承办单位")})
    if desk.assignable_units.exists() and not desk.assignable_units.filter(pk=unit.pk).exists():
        raise ValidationError({field: _("该单位不在本受理台的可交办范围内")})


def check_owner(unit: Unit, owner: Person | None, *, task: bool = False) -> None:
    """An owner (责任人) is an active person of the handling unit or one of its sub-units."""
    if owner is not None and not (owner.is_active and owner.unit.path.startswith(unit.path)):
        raise ValidationError({"owner": _("协办责任人须是协办单位的在册人员") if task else _("责任人须属于承办单位")})


def make_tasks(case: Case, co_units: Sequence[dict], *, actor) -> list[CaseTask]:
    """Co-unit sub-tasks from specs (unit, description, deadline or deadline_days, optional owner person)."""
    cal = work_calendar()
    today = clock.local_today()
    tasks = []
    for spec in co_units:
        unit = spec["unit"]
        check_unit(case.desk, unit, "co_units")
        if unit.pk == case.lead_unit_id:
            raise ValidationError({"co_units": _("协办单位不能与承办单位相同")})
        deadline = spec.get("deadline") or cal.add_workdays(today, int(spec.get("deadline_days") or 5))
        if case.deadline and deadline > case.deadline:
            raise ValidationError({"co_units": _("协办期限不能晚于办理期限")})
        owner = spec.get("owner")
        check_owner(unit, owner, task=True)
        task = CaseTask(case=case, unit=unit, description=spec.get("description") or _("协助办理"), deadline=deadline,
                        owner=owner)
        task.full_clean()
        task.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=task,
                     changes={"case": [None, case.pk], "unit": [None, unit.pk], "owner": [None, task.owner_id]})
        event_add(case, actor=actor, kind=EventKind.TASK,
                  note=f"{unit.name}：{task.description}" + (f"（{owner.name}）" if owner else ""),
                  data={"task": task.pk, "unit": unit.pk, "owner": task.owner_id, "deadline": deadline.isoformat()})
        notify.after_task(task=task, declined=False, actor=actor)
        tasks.append(task)
    return tasks




@transaction.atomic
def task_add(*, case: Case, unit: Unit, description: str, actor, deadline: dt.date | None = None,
             deadline_days: int | None = None, owner: Person | None = None) -> CaseTask:
    """Add a co-unit sub-task to a case being handled (desk staff or the lead unit), optionally naming its owner."""
    if not may_record_meeting(actor, case):
        raise PermissionDenied
    if case.state not in {State.ASSIGNED, State.IN_PROGRESS}:
        raise ValidationError({"action": _("只能为办理中的诉求添加协办任务")})
    return make_tasks(case, [{"unit": unit, "description": description, "deadline": deadline,
                              "deadline_days": deadline_days, "owner": owner}], actor=actor)[0]


def _open_task(task: CaseTask, actor) -> CaseTask:
    """The task locked for a co-unit's write, after the permission and state checks."""
    task = CaseTask.objects.select_for_update(of=("self",)).select_related("case__desk", "unit").get(pk=task.pk)
    if not may_work_task(actor, task):
        raise PermissionDenied
    if task.state != TaskState.OPEN:
        raise ValidationError({"action": _("该协办任务已结束")})
    return task


@transaction.atomic
def task_owner_set(*, task: CaseTask, owner: Person | None, actor) -> CaseTask:
    """The co-unit (or the desk) names who answers for an open sub-task; it then counts in that person's
    task-completion rate."""
    task = _open_task(task, actor)
    check_owner(task.unit, owner, task=True)
    before = task.owner_id
    if before == getattr(owner, "pk", None):
        return task
    task.owner = owner
    task.save(update_fields=["owner"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=task, changes={"owner": [before, task.owner_id]})
    event_add(task.case, actor=actor, kind=EventKind.TASK, note=_("%(u)s 协办责任人：%(p)s") % {
        "u": task.unit.name, "p": owner.name if owner else "—"}, data={"task": task.pk, "owner": task.owner_id})
    return task


@transaction.atomic
def task_complete(*, task: CaseTask, result: str, actor, owner: Person | None = None) -> CaseTask:
    """A co-unit reports its part done (naming, if not named before, who did it)."""
    task = _open_task(task, actor)
    if not result.strip():
        raise ValidationError({"result": _("请填写协办结果")})
    changes: dict[str, list] = {"state": ["open", "done"]}
    if owner is not None and owner.pk != task.owner_id:
        check_owner(task.unit, owner, task=True)
        changes["owner"] = [task.owner_id, owner.pk]
        task.owner = owner
    task.state, task.result, task.done_at = TaskState.DONE, result.strip(), clock.now()
    task.save()
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=task, changes=changes)
    event_add(task.case, actor=actor, kind=EventKind.TASK, note=_("%(u)s 完成协办：%(r)s") % {
        "u": task.unit.name, "r": task.result}, data={"task": task.pk, "state": "done"})
    return task


@transaction.atomic
def task_decline(*, task: CaseTask, reason: str, actor) -> CaseTask:
    """A co-unit refuses its sub-task with a reason, within the desk's decline window; counted as a decline."""
    task = CaseTask.objects.select_for_update(of=("self",)).select_related("case__desk", "unit").get(pk=task.pk)
    if not unit_covers(actor, task.unit):
        raise PermissionDenied
    if task.state != TaskState.OPEN:
        raise ValidationError({"action": _("该协办任务已结束")})
    if not reason.strip():
        raise ValidationError({"reason": _("退回须说明理由")})
    now = clock.now()
    if now - task.created_at > dt.timedelta(hours=task.case.desk.decline_hours):
        raise ValidationError({"action": _("已超过 %(h)d 小时的退回时限") % {"h": task.case.desk.decline_hours}})
    task.state, task.result, task.done_at = TaskState.DECLINED, reason.strip(), now
    task.save()
    Decline.objects.create(case=task.case, task=task, unit=task.unit, reason=reason.strip(), at=now)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=task, changes={"state": ["open", "declined"]})
    event_add(task.case, actor=actor, kind=EventKind.TASK, note=_("%(u)s 退回协办：%(r)s") % {
        "u": task.unit.name, "r": reason}, data={"task": task.pk, "state": "declined"})
    notify.after_task(task=task, declined=True, actor=actor)
    return task


@transaction.atomic
def task_reassign(*, task: CaseTask, unit: Unit, actor, deadline: dt.date | None = None,
                  owner: Person | None = None) -> CaseTask:
    """The desk arbitrates a declined sub-task by giving it to another (or the same) unit and, if known, owner."""
    task = CaseTask.objects.select_related("case__desk").get(pk=task.pk)
    if not is_desk_staff(actor, task.case.desk):
        raise PermissionDenied
    if task.state != TaskState.DECLINED:
        raise ValidationError({"action": _("只有被退回的协办任务可以改派")})
    Decline.objects.filter(task=task).update(reassigned_to=unit)
    return make_tasks(task.case, [{"unit": unit, "description": task.description,
                                   "deadline": deadline or task.deadline, "owner": owner}], actor=actor)[0]
