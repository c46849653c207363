"""Writing audit rows: called by services, never by signals (bulk writes and scripts skip signals)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

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


# --- reading the trail (the audit page) ----------------------------------------------------------------------------


def _model_of(object_type: str) -> type[models.Model] | None:
    """The model an audit row's `object_type` ("app_label.model") names, if it still exists."""
    try:
        return django_apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    """An audit row's record type as staff call it (the model's verbose name); the raw key if the model is gone."""
    model = _model_of(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def type_choices() -> list[tuple[str, str]]:
    """Every record type the trail can hold, (key, label), by label: read from the models, not the (big) table."""
    user_model = django_apps.get_model(settings.AUTH_USER_MODEL)
    out = {m._meta.label_lower: str(m._meta.verbose_name) for m in django_apps.get_models()
           if m is user_model or (m.__module__.startswith("bole.") and m is not AuditEvent
                                  and "verbose_name" in m._meta.original_attrs)}  # the records staff name
    return sorted(out.items(), key=lambda kv: (kv[1], kv[0]))


def _local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_filter(qs, *, actor: str = "", actor_id: int | None = None, object_type: str = "", record: str = "",
                 action: str = "", since: dt.date | None = None, until: dt.date | None = None):
    """Narrow audit rows in SQL: who acted (name or login, or one account), the record (type; id or name), the
    action and a date range (local days, both ends included; compared as a range on `at` so its index serves)."""
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if actor := actor.strip():
        qs = qs.filter(Q(actor_label__icontains=actor) | Q(actor__username__icontains=actor))
    if object_type:
        qs = qs.filter(object_type=object_type)
    if record := record.strip():
        qs = qs.filter(Q(object_id=record) | Q(object_repr__icontains=record)) if record.isdigit() else qs.filter(
            object_repr__icontains=record)
    if action:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(at__gte=_local_day_start(since))
    if until:
        qs = qs.filter(at__lt=_local_day_start(until + dt.timedelta(days=1)))
    return qs


def _change_label(model: type[models.Model] | None, key: str) -> str:
    if model is None:
        return key
    try:
        return str(model._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key


def audit_annotate(events: list[AuditEvent]) -> list[AuditEvent]:
    """Give each row of a page its labels: `type_label`, `current` (the record's present name, where it still
    exists and differs from the name at the time) and `change_rows` [(field label, before, after)]. One query per
    record type on the page."""
    ids: dict[str, set[str]] = {}
    for e in events:
        if e.object_id:
            ids.setdefault(e.object_type, set()).add(e.object_id)
    now: dict[tuple[str, str], str] = {}
    for object_type, keys in ids.items():
        model = _model_of(object_type)
        if model is None:
            continue
        pks = []
        for key in keys:
            try:
                pks.append(model._meta.pk.to_python(key))
            except ValidationError:
                continue
        for pk, obj in model._base_manager.in_bulk(pks).items():
            now[(object_type, str(pk))] = str(obj)
    for e in events:
        model = _model_of(e.object_type)
        e.type_label = type_label(e.object_type)
        current = now.get((e.object_type, e.object_id))
        # A present name that only adds to the old one (a case number now followed by its title) is no news.
        e.current = current if current and e.object_repr not in current else ""
        e.gone = bool(e.object_id) and model is not None and (e.object_type, e.object_id) not in now
        rows = []
        for key, value in (e.changes or {}).items() if isinstance(e.changes, dict) else []:
            if isinstance(value, list) and len(value) == 2:
                rows.append((_change_label(model, key), value[0], value[1]))
            else:
                rows.append((_change_label(model, key), None, value))
        e.change_rows = rows
    return events
