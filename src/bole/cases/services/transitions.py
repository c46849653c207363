"""The one transition service: the table of allowed moves and what each move does to a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.org.models import Person, Unit

from .. import calendar as clock
from .. import notify
from ..calendar import local_date, work_calendar
from ..choices import Action, EventKind, Rating, State, TaskState
from ..models import Case, Category, Decline
from ..permissions import may_act
from .intake import attach
from .tasks import check_owner, check_unit, make_tasks
from .timeline import event_add

# The transition table: (state, action) → next state. RATE with 不满意 (first time) goes back to IN_PROGRESS.
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.SUBMITTED, Action.ACCEPT): State.ACCEPTED,
    (State.SUBMITTED, Action.REJECT): State.REJECTED,
    (State.SUBMITTED, Action.MERGE): State.MERGED,
    (State.ACCEPTED, Action.MERGE): State.MERGED,
    (State.ACCEPTED, Action.ASSIGN): State.ASSIGNED,
    (State.ASSIGNED, Action.START): State.IN_PROGRESS,
    (State.ASSIGNED, Action.DECLINE): State.ARBITRATION,
    (State.ARBITRATION, Action.ARBITRATE): State.ASSIGNED,
    (State.IN_PROGRESS, Action.RESOLVE): State.RESOLVED,
    (State.RESOLVED, Action.RATE): State.CLOSED,
}


def allowed_actions(case: Case) -> list[str]:
    """Actions the transition table allows from the case's state (permission not considered)."""
    return [a for (s, a) in TRANSITIONS if s == case.state]




def _deadline_fields(start_day: dt.date, days: int) -> dict[str, Any]:
    """Receipt day, deadline and the first yellow day for a case started on start_day."""
    cal = work_calendar()
    received = cal.receipt_day(start_day)
    deadline = cal.add_workdays(received, days)
    return {"received_on": received, "deadline": deadline, "warn_on": warn_day(deadline, days)}


def warn_day(deadline: dt.date, allowed: int, *, yellow_days: int = 1, yellow_fraction: float = 0.2) -> dt.date:
    """First date on which status_colour turns yellow (kept on the record so lists can filter by colour)."""
    k = max(yellow_days, int(yellow_fraction * allowed))
    return work_calendar().add_workdays(deadline, -k)


@transaction.atomic
def case_transition(*, case: Case, action: str, actor, token: str | None = None, note: str = "",
                    by_rule: bool = False, **params: Any) -> Case:
    """The only way a case changes state: table check, permission check, effects, timeline row, audit row.

    ``by_rule`` is for routing rules of other services (a stairwell request goes to its adopter), never views.
    """
    case = (Case.objects.select_for_update(of=("self",))
            .select_related("desk", "category", "lead_unit", "review_unit").get(pk=case.pk))
    target = TRANSITIONS.get((case.state, action))
    if target is None:
        raise ValidationError({"action": _("当前状态“%(s)s”不允许“%(a)s”") % {
            "s": State(case.state).label, "a": Action(action).label if action in Action.values else action}})
    if not by_rule and not may_act(actor, case, action, token):
        raise PermissionDenied(_("无权执行此操作"))
    before = {"state": case.state, "lead_unit": case.lead_unit_id, "owner": case.owner_id,
              "deadline": case.deadline.isoformat() if case.deadline else None, "rating": case.rating,
              "level": case.level}
    now = clock.now()
    data: dict[str, Any] = {}
    handler = _EFFECTS[action]
    target = handler(case, now=now, actor=actor, data=data, note=note, **params) or target
    from_state = case.state
    case.state = target
    case.full_clean()
    case.save()
    after = {"state": case.state, "lead_unit": case.lead_unit_id, "owner": case.owner_id,
             "deadline": case.deadline.isoformat() if case.deadline else None, "rating": case.rating,
             "level": case.level}
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=case, changes={**changes, "action": action})
    event = event_add(case, actor=actor, kind=EventKind.TRANSITION, action=action, from_state=from_state,
                      to_state=target, note=note or data.pop("_note", ""), data=data, at=now)
    notify.after_transition(case=case, action=action, event_id=event.pk, actor=actor)
    return case


def _accept(case: Case, *, now, actor, data, note, category: Category | None = None,
            deadline_days: int | None = None, **_rest):
    if category is not None:
        if category.desk_id != case.desk_id:
            raise ValidationError({"category": _("类别不属于该受理台")})
        case.category = category
    days = deadline_days or (case.category.deadline_days if case.category else 10)
    case.__dict__.update(_deadline_fields(local_date(case.submitted_at), int(days)))
    case.accepted_at = now
    data["deadline"] = case.deadline.isoformat()
    data["_note"] = _("办理时限 %(n)s 个工作日，期限 %(d)s") % {"n": days, "d": case.deadline}


def _reject(case: Case, *, now, actor, data, note, reason: str = "", **_rest):
    if not (reason or note).strip():
        raise ValidationError({"reason": _("不予受理须说明理由")})
    case.reject_reason = (reason or note).strip()
    case.closed_at = now
    data["_note"] = case.reject_reason


def _assign(case: Case, *, now, actor, data, note, lead_unit: Unit | None = None, owner: Person | None = None,
            co_units: Sequence[dict] = (), **_rest):
    check_unit(case.desk, lead_unit, "lead_unit")
    check_owner(lead_unit, owner)
    case.lead_unit = lead_unit
    case.owner = owner
    case.assigned_at = now
    make_tasks(case, co_units, actor=actor)
    data.update({"lead_unit": lead_unit.pk, "owner": owner.pk if owner else None})
    data["_note"] = _("交办 %(u)s") % {"u": lead_unit.name} + (f"（{owner.name}）" if owner else "")


def _decline(case: Case, *, now, actor, data, note, reason: str = "", **_rest):
    reason = (reason or note).strip()
    if not reason:
        raise ValidationError({"reason": _("退回须说明理由")})
    if case.assigned_at and now - case.assigned_at > dt.timedelta(hours=case.desk.decline_hours):
        raise ValidationError({"action": _("已超过 %(h)d 小时的退回时限") % {"h": case.desk.decline_hours}})
    Decline.objects.create(case=case, unit=case.lead_unit, reason=reason, at=now)
    data.update({"unit": case.lead_unit_id})
    data["_note"] = _("%(u)s 退回：%(r)s") % {"u": case.lead_unit.name, "r": reason}


def _arbitrate(case: Case, *, now, actor, data, note, lead_unit: Unit | None = None, owner: Person | None = None,
               **_rest):
    check_unit(case.desk, lead_unit, "lead_unit")
    check_owner(lead_unit, owner)
    Decline.objects.filter(case=case, task__isnull=True, reassigned_to__isnull=True).update(reassigned_to=lead_unit)
    case.lead_unit = lead_unit
    case.owner = owner
    case.assigned_at = now
    data.update({"lead_unit": lead_unit.pk, "owner": owner.pk if owner else None})
    data["_note"] = _("协调后交办 %(u)s") % {"u": lead_unit.name}


def _start(case: Case, *, now, actor, data, note, **_rest):
    return None


def _resolve(case: Case, *, now, actor, data, note, resolution: str = "", attachments: Sequence = (), **_rest):
    if case.tasks.filter(state=TaskState.OPEN).exists():
        raise ValidationError({"action": _("尚有协办任务未完成，不能办结")})
    resolution = (resolution or note).strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写办理结果")})
    case.resolution = resolution
    case.resolved_at = now
    case.resolved_on = local_date(now)
    cal = work_calendar()
    case.resolve_workdays = cal.workdays_between(case.received_on or local_date(case.submitted_at), case.resolved_on)
    case.on_time = case.deadline is None or case.resolved_on <= case.deadline
    if attachments:
        attach(case, attachments, stage="resolve", actor=actor)
    data["_note"] = resolution


def _rate(case: Case, *, now, actor, data, note, rating: str = "", comment: str = "", **_rest):
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择满意度")})
    case.rating = rating
    case.rating_comment = (comment or note)[:500]
    case.rated_at = now
    data["rating"] = rating
    data["_note"] = Rating(rating).label + (f"：{case.rating_comment}" if case.rating_comment else "")
    if rating == Rating.UNSATISFIED and case.reopen_count == 0:
        # 不满意 reopens once, one level up: the lead unit's parent reviews, with a fresh deadline.
        case.reopen_count += 1
        case.level += 1
        case.review_unit = case.lead_unit.parent if case.lead_unit and case.lead_unit.parent_id else None
        days = case.category.deadline_days if case.category else 10
        fields = _deadline_fields(local_date(now), days)
        case.deadline, case.warn_on = fields["deadline"], fields["warn_on"]
        case.resolved_at = case.resolved_on = case.on_time = case.resolve_workdays = None
        case.escalation_level = 0
        data["reopened"] = True
        data["_note"] += _("；重新办理，提级复核")
        return State.IN_PROGRESS
    case.closed_at = now
    return State.CLOSED


def _merge(case: Case, *, now, actor, data, note, into: Case | None = None, **_rest):
    if into is None or into.pk == case.pk or into.desk_id != case.desk_id:
        raise ValidationError({"into": _("请选择同一受理台的另一件诉求")})
    if into.state in {State.MERGED, State.REJECTED}:
        raise ValidationError({"into": _("不能合并到已合并或不予受理的诉求")})
    case.merged_into = into
    case.closed_at = now
    data["into"] = into.pk
    data["_note"] = _("合并至 %(n)s") % {"n": into.number}
    event_add(into, actor=actor, kind=EventKind.MERGE, note=_("合并了 %(n)s") % {"n": case.number},
              data={"from": case.pk}, at=now)


_EFFECTS = {
    Action.ACCEPT: _accept, Action.REJECT: _reject, Action.ASSIGN: _assign, Action.DECLINE: _decline,
    Action.ARBITRATE: _arbitrate, Action.START: _start, Action.RESOLVE: _resolve, Action.RATE: _rate,
    Action.MERGE: _merge,
}
