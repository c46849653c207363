"""The case timeline: one row per thing that happened to a case, written by every service here."""

from __future__ import annotations

import datetime as dt

from bole.core.audit import actor_label

from .. import calendar as clock
from ..models import Case, Event


def event_add(case: Case, *, actor, kind: str, note: str = "", action: str = "", from_state: str = "",
              to_state: str = "", data: dict | None = None, at: dt.datetime | None = None) -> Event:
    """One row of a case's timeline (what the case page shows), stamped with the actor and the case clock."""
    return Event.objects.create(
        case=case, at=at or clock.now(), actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor), kind=kind, action=action, from_state=from_state, to_state=to_state,
        note=note, data=data or {},
    )
