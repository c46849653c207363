"""The overdue sweep: escalate each late case once per level of its desk's steps (a periodic job)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from bole.core.audit import actor_label
from bole.core.choices import AuditAction
from bole.core.context import current_request_id
from bole.core.db import insert_rows
from bole.core.models import AuditEvent

from .. import calendar as clock
from .. import notify
from ..calendar import work_calendar
from ..choices import RUNNING_STATES, EscalationTarget, EventKind
from ..models import Case, Desk, Escalation, Event, UnitHead, case_number


def _targets(desks: dict[int, Desk], desk_ids: np.ndarray, overdue: np.ndarray, red: np.ndarray) -> np.ndarray:
    """Escalation level each case should have reached under its desk's steps."""
    level = np.zeros(len(desk_ids), dtype=np.int16)
    for desk_id, desk in desks.items():
        mask = (desk_ids == desk_id) & red
        if not mask.any():
            continue
        for i, step in enumerate(desk.escalation_steps, start=1):
            level[mask & (overdue >= int(step["overdue_days"]))] = i
    return level


@transaction.atomic
def case_sweep(*, actor=None, today: dt.date | None = None, chunk: int = 5000) -> dict[str, int]:
    """Periodic job: find overdue cases on the working calendar and escalate each level once (idempotent)."""
    today = today or clock.local_today()
    rows = list(Case.objects.filter(state__in=RUNNING_STATES, deadline__isnull=False)
                .values_list("id", "deadline", "escalation_level", "desk_id", "lead_unit_id", "reopen_count"))
    # "provisional": overdue cases whose count of working days touches a year with no known arrangement.
    result = {"open": len(rows), "overdue": 0, "escalated": 0, "notified": 0, "provisional": 0}
    if not rows:
        return result
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    deadlines = np.array([r[1] for r in rows], dtype="datetime64[D]")
    current = np.fromiter((r[2] for r in rows), dtype=np.int16, count=len(rows))
    desk_ids = np.fromiter((r[3] for r in rows), dtype=np.int64, count=len(rows))
    units = np.fromiter((r[4] or 0 for r in rows), dtype=np.int64, count=len(rows))
    rounds = np.fromiter((r[5] for r in rows), dtype=np.int16, count=len(rows))
    cal = work_calendar()
    today64 = np.datetime64(today, "D")
    red = deadlines < today64
    overdue = cal.workdays_between_arrays(deadlines, np.full(len(rows), today64))
    result["overdue"] = int(red.sum())
    provisional = ~cal.covered_mask(deadlines, np.full(len(rows), today64))
    result["provisional"] = int((red & provisional).sum())
    desks = {d.pk: d for d in Desk.objects.filter(pk__in=np.unique(desk_ids).tolist()).select_related("head")}
    target = _targets(desks, desk_ids, overdue, red)
    todo = np.nonzero(target > current)[0]
    if todo.size == 0:
        return result
    heads = dict(UnitHead.objects.values_list("unit_id", "person_id"))
    now = clock.now()
    label = actor_label(actor)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    target_labels = {k: str(v) for k, v in EscalationTarget.choices}
    note_tpl = _("超期 %(d)d 个工作日，督办至%(t)s")
    rid = current_request_id()
    esc_rows, event_rows, audit_rows, notice_rows = [], [], [], []
    for idx in todo.tolist():
        case_id, desk = int(ids[idx]), desks[int(desk_ids[idx])]
        unit_id = int(units[idx]) or None
        days = int(overdue[idx])
        for level in range(int(current[idx]) + 1, int(target[idx]) + 1):
            step_target = desk.escalation_steps[level - 1]["target"]
            person_id = heads.get(unit_id) if step_target == EscalationTarget.UNIT_HEAD else desk.head_id
            esc_rows.append((case_id, level, int(rounds[idx]), step_target, unit_id, person_id, days, now))
            notice_rows.append((case_id, desk.pk, level, step_target, unit_id, person_id, days, int(rounds[idx])))
            note = note_tpl % {"d": days, "t": target_labels[step_target]}
            if provisional[idx]:
                note += _("（%(note)s）") % {"note": clock.calendar_note(
                    clock.unknown_years(deadlines[idx].item(), today))}
            event_rows.append((case_id, now, actor_id, label, EventKind.ESCALATE, "", "", "", note,
                               f'{{"level": {level}}}'))
            audit_rows.append((now, actor_id, label, AuditAction.UPDATE, "cases.case", str(case_id),
                               case_number(desk_ids[idx], case_id), f'{{"escalation_level": [{level - 1}, {level}]}}',
                               rid))
    by_level: dict[int, list[int]] = {}
    for idx in todo.tolist():
        by_level.setdefault(int(target[idx]), []).append(int(ids[idx]))
    for level, case_ids in by_level.items():
        for start in range(0, len(case_ids), chunk):
            Case.objects.filter(pk__in=case_ids[start: start + chunk]).update(escalation_level=level)
    insert_rows(Escalation, ["case_id", "level", "round", "target", "unit_id", "person_id", "overdue_workdays",
                              "at"], esc_rows)
    insert_rows(Event, ["case_id", "at", "actor_id", "actor_label", "kind", "action", "from_state", "to_state",
                         "note", "data"], event_rows)
    insert_rows(AuditEvent, ["at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr",
                              "changes", "request_id"], audit_rows)
    result["escalated"] = len(esc_rows)
    result["notified"] = notify.after_escalations(notice_rows)
    return result
