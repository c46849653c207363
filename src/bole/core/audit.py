"""Writing audit rows: called by services, never by signals (bulk writes and scripts skip signals)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .context import current_client_request_id, current_request_id
from .models import AuditEvent
from .sms import mask_phone


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


@lru_cache(maxsize=1024)
def _mask_of(model: type[models.Model], key: str):
    """How an audit row stores a field: its own mask (encrypted fields), phones masked, digests left out
    (None: as it is; False: not at all)."""
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        field = None
    if field is not None and not getattr(field, "audited", True):
        return False
    mask = getattr(field, "mask", None)
    if mask is None and (key == "phone" or key.endswith("_phone")):
        mask = mask_phone
    return mask


def mask_changes(model: type[models.Model], changes: dict) -> dict:
    """Changes as an audit row may keep them: no full ID number or phone (those only through a logged reveal)."""
    masks = [(k, m) for k in changes if (m := _mask_of(model, k)) is not None]  # cached: imports mask 100k rows
    if not masks:
        return changes
    out = dict(changes)
    for key, mask in masks:
        if mask is False:
            del out[key]
        elif isinstance(value := out[key], list):
            out[key] = [mask(v) if isinstance(v, str) and v else v for v in value]
    return out


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
        changes=mask_changes(type(obj), changes or {}),
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
