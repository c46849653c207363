"""Bulk history: cases and meetings that already happened (demo data, migrations from spreadsheets)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from bole.core.audit import actor_label, audit_build, audit_bulk
from bole.core.choices import AuditAction

from ..calendar import local_date, work_calendar
from ..choices import Action, EventKind, Rating, State
from ..models import Case, Decision, Desk, Event, Meeting


@transaction.atomic
def case_bulk_history(*, desk: Desk, rows: Sequence[dict[str, Any]], actor, batch_size: int = 5000) -> int:
    """Insert cases that already went through their lifecycle (closed/resolved/in progress), with timeline and
    audit rows, using the same deadline rules as the transition service; for imports and the demo county."""
    cal = work_calendar()
    cats = {c.pk: c for c in desk.categories.all()}
    allowed = {State.CLOSED, State.RESOLVED, State.IN_PROGRESS, State.ASSIGNED}
    for r in rows:
        if r["state"] not in allowed:
            raise ValidationError({"state": _("批量导入只支持已交办及之后的状态")})
        if r.get("category") is not None and r["category"].pk not in cats:
            raise ValidationError({"category": _("类别不属于该受理台")})
        if r["submitter_kind"] not in desk.submitter_kinds:
            raise ValidationError({"submitter_kind": _("该受理台不接受此类提交人")})
    if not rows:
        return 0
    submitted = np.array([local_date(r["submitted_at"]) for r in rows], dtype="datetime64[D]")
    days = np.array([(r["category"].deadline_days if r.get("category") else 10) for r in rows], dtype=np.int64)
    received = cal.add_workdays_array(submitted, np.zeros(len(rows), dtype=np.int64))
    deadlines = cal.add_workdays_array(received, days)
    k = np.maximum(1, (0.2 * days).astype(np.int64))
    warns = cal.add_workdays_array(deadlines, -k)
    resolved_days = [local_date(r["resolved_at"]) if r.get("resolved_at") else None for r in rows]
    has_res = np.array([d is not None for d in resolved_days])
    res_arr = np.where(has_res, np.array([d or dt.date(2024, 1, 2) for d in resolved_days], dtype="datetime64[D]"),
                       received)
    res_wd = cal.workdays_between_arrays(received, res_arr)
    written = 0
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    label = actor_label(actor)
    ref_types: dict[type, ContentType] = {}
    for start in range(0, len(rows), batch_size):
        objs = []
        for i in range(start, min(start + batch_size, len(rows))):
            r = rows[i]
            ref = r.get("ref")
            ref_type = None
            if ref is not None:
                ref_type = ref_types.setdefault(type(ref), ContentType.objects.get_for_model(ref))
            res_on = resolved_days[i]
            objs.append(Case(
                desk=desk, category=r.get("category"), title=r["title"], description=r["description"],
                location=r.get("location", ""), submitter_kind=r["submitter_kind"],
                submitter_enterprise=r.get("submitter_enterprise"), submitter_person=r.get("submitter_person"),
                submitter_name=r.get("submitter_name", ""), submitter_phone=r.get("submitter_phone", ""),
                follow_token=secrets.token_urlsafe(24), ref_type=ref_type, ref_id=ref.pk if ref else None,
                state=r["state"], lead_unit=r["lead_unit"], owner=r.get("owner"), submitted_at=r["submitted_at"],
                received_on=received[i].item(), deadline=deadlines[i].item(), warn_on=warns[i].item(),
                accepted_at=r["accepted_at"], assigned_at=r["assigned_at"], resolved_at=r.get("resolved_at"),
                resolved_on=res_on, resolve_workdays=int(res_wd[i]) if has_res[i] else None,
                on_time=(res_on <= deadlines[i].item()) if res_on else None,
                resolution=r.get("resolution", ""), rating=r.get("rating", ""),
                rated_at=r.get("rated_at"), closed_at=r.get("rated_at") if r["state"] == State.CLOSED else None,
            ))
        for o in objs:
            o.full_clean(exclude=["follow_token", "ref_type", "category", "desk", "lead_unit", "owner",
                                  "submitter_enterprise", "submitter_person"], validate_unique=False)
        Case.objects.bulk_create(objs)
        events, audits = [], []
        for o in objs:
            steps = [(o.submitted_at, EventKind.SUBMIT, "", "", State.SUBMITTED, o.title),
                     (o.accepted_at, EventKind.TRANSITION, Action.ACCEPT, State.SUBMITTED, State.ACCEPTED, ""),
                     (o.assigned_at, EventKind.TRANSITION, Action.ASSIGN, State.ACCEPTED, State.ASSIGNED,
                      o.lead_unit.name)]
            if o.state != State.ASSIGNED:
                steps.append((o.assigned_at, EventKind.TRANSITION, Action.START, State.ASSIGNED,
                              State.IN_PROGRESS, ""))
            if o.resolved_at:
                steps.append((o.resolved_at, EventKind.TRANSITION, Action.RESOLVE, State.IN_PROGRESS,
                              State.RESOLVED, o.resolution))
            if o.state == State.CLOSED:
                steps.append((o.rated_at, EventKind.TRANSITION, Action.RATE, State.RESOLVED, State.CLOSED,
                              Rating(o.rating).label))
            for at, kind, action, fs, ts, note in steps:
                events.append((o.pk, at, actor_id, label, str(kind), str(action), str(fs), str(ts), str(note)))
            audits.append(audit_build(actor=actor, action=AuditAction.IMPORT, obj=o,
                                      changes={"desk": [None, desk.pk], "state": [None, o.state]}))
        _insert_events(events)
        audit_bulk(audits)
        written += len(objs)
    return written


def _insert_events(rows: list[tuple]) -> None:
    """Timeline rows in one executemany: the bulk path of history imports (same columns as Event)."""
    ops = connection.ops
    table = connection.ops.quote_name(Event._meta.db_table)
    # Only the model's own table name and a fixed cast are interpolated; every value is a bound parameter.
    cast = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    sql = (f"INSERT INTO {table} (case_id, at, actor_id, actor_label, kind, action, from_state, to_state, "  # noqa: S608
           f"note, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, {cast})")
    params = [(c, ops.adapt_datetimefield_value(at), a, lab, k, act, fs, ts, note, "{}")
              for c, at, a, lab, k, act, fs, ts, note in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 20000):
            cursor.executemany(sql, params[start: start + 20000])


@transaction.atomic
def meeting_bulk_history(*, meetings: Sequence[dict[str, Any]], actor) -> int:
    """Insert past coordination meetings (demo data, imports) with decisions, timeline and audit rows."""
    objs = [Meeting(case=m["case"], held_at=m["held_at"], place=m.get("place", ""), minutes=m["minutes"],
                    other_attendees=m.get("other_attendees", "")) for m in meetings]
    Meeting.objects.bulk_create(objs)
    through_units = Meeting.units.through
    through_people = Meeting.attendees.through
    through_units.objects.bulk_create([through_units(meeting=o, unit=u) for o, m in zip(objs, meetings, strict=True)
                                       for u in dict.fromkeys(m.get("units", []))])
    through_people.objects.bulk_create([through_people(meeting=o, person=p) for o, m in
                                        zip(objs, meetings, strict=True) for p in dict.fromkeys(m.get("attendees", []))])
    Decision.objects.bulk_create([Decision(meeting=o, **d) for o, m in zip(objs, meetings, strict=True)
                                  for d in m.get("decisions", [])])
    Event.objects.bulk_create([Event(case=o.case, at=o.held_at, actor_label=actor_label(actor),
                                     actor=actor if getattr(actor, "pk", None) else None, kind=EventKind.MEETING,
                                     note=o.minutes[:80], data={"meeting": o.pk}) for o in objs])
    audit_bulk([audit_build(actor=actor, action=AuditAction.IMPORT, obj=o, changes={"case": [None, o.case_id]})
                for o in objs])
    return len(objs)
