"""Coordination meetings (协调会) with their attendees, minutes and decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.org.models import Person, Unit

from ..choices import EventKind, State
from ..models import Case, Decision, Meeting
from ..permissions import may_record_meeting
from .timeline import event_add


@transaction.atomic
def meeting_record(*, case: Case, held_at: dt.datetime, minutes: str, actor, place: str = "",
                   units: Iterable[Unit] = (), attendees: Iterable[Person] = (), other_attendees: str = "",
                   decisions: Sequence[dict] = ()) -> Meeting:
    """Record a 协调会 with its attendees, minutes and decisions (owner, deadline)."""
    if not may_record_meeting(actor, case):
        raise PermissionDenied
    if case.state in {State.REJECTED, State.MERGED, State.CLOSED}:
        raise ValidationError({"case": _("该诉求已结束")})
    if not minutes.strip():
        raise ValidationError({"minutes": _("请填写会议纪要")})
    meeting = Meeting(case=case, held_at=held_at, place=place, minutes=minutes.strip(),
                      other_attendees=other_attendees)
    meeting.full_clean()
    meeting.save()
    meeting.units.set(list(units))
    meeting.attendees.set(list(attendees))
    for spec in decisions:
        d = Decision(meeting=meeting, text=spec["text"], owner_unit=spec.get("owner_unit"),
                     owner_person=spec.get("owner_person"), deadline=spec.get("deadline"))
        d.full_clean()
        d.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=meeting,
                 changes={"case": [None, case.pk], "decisions": [None, len(decisions)]})
    event_add(case, actor=actor, kind=EventKind.MEETING, note=_("召开协调会：%(m)s") % {"m": meeting.minutes[:80]},
              data={"meeting": meeting.pk, "units": [u.pk for u in meeting.units.all()]})
    return meeting
