"""Writing audit rows: called by services, never by signals (bulk writes and scripts skip signals)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from .context import current_client_request_id, current_request_id
from .models import AuditEvent


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value for the before/after snapshot."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Values of the named fields (foreign keys by id) for diffing."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = _plain(getattr(obj, field.attname))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Only the fields that changed, as {field: [before, after]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def actor_label(actor) -> str:
    """How an audit or timeline row names who acted: the full name, else the login; "system" for jobs."""
    if actor is None:
        return "system"
    return getattr(actor, "get_full_name", lambda: "")() or actor.get_username()


def audit_build(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEvent:
    """An unsaved audit row, for bulk writers that insert many at once."""
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:200],
        changes=changes or {},
        request_id=current_request_id(),
        client_request_id=current_client_request_id(),
    )


def audit_record(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEvent:
    """Write one audit row for an action on one record."""
    event = audit_build(actor=actor, action=action, obj=obj, changes=changes)
    event.save()
    return event


def audit_bulk(events: list[AuditEvent]) -> None:
    """Insert many audit rows (imports): same rows as one-by-one, far fewer statements."""
    AuditEvent.objects.bulk_create(events, batch_size=2000)


def history_for(obj: models.Model):
    """Audit rows of one record, newest first (the history tab)."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )
