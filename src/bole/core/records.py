"""Generic audited writes of register records: create, update, (de)activate, bulk create/update."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction

from .audit import _plain, audit_build, audit_bulk, audit_record, diff, snapshot
from .choices import AuditAction


def editable_fields(model: type[models.Model]) -> list[str]:
    """Concrete, editable, non-pk fields: what a before/after snapshot covers."""
    return [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def _save_validated(obj: models.Model) -> None:
    """Save a record full_clean has passed. A unique value a simultaneous request took in between makes the
    database refuse it; validating again then finds that record and gives full_clean's own message, not a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        obj.full_clean()
        raise


def refuse_nulls(obj: models.Model, names) -> None:
    """A ValidationError for every named field set to None that cannot hold NULL. `full_clean()` skips blank-able
    fields that are empty, so a `null` from an API body would otherwise reach the database."""
    errors = {}
    for name in names:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:  # a service's own keyword, not a field
            continue
        if (
            getattr(field, "concrete", False)
            and not field.null
            and not field.primary_key
            and not getattr(field, "auto_now", False)
            and not getattr(field, "auto_now_add", False)
            and getattr(obj, field.attname, None) is None
        ):
            errors[field.name] = [field.error_messages["null"]]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_create(*, model: type[models.Model], data: dict[str, Any], actor) -> models.Model:
    """Validate and insert one record, writing its audit row."""
    obj = model(**data)
    refuse_nulls(obj, data.keys())
    obj.full_clean()
    _save_validated(obj)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=diff({}, snapshot(obj, data.keys())))
    return obj


@transaction.atomic
def record_update(*, obj: models.Model, data: dict[str, Any], actor) -> tuple[models.Model, dict]:
    """Validate and save changed fields of one record; no audit row when nothing changed."""
    fields = editable_fields(type(obj))
    before = snapshot(obj, fields)
    for key, value in data.items():
        setattr(obj, key, value)
    refuse_nulls(obj, data.keys())
    obj.full_clean()
    changes = diff(before, snapshot(obj, fields))
    if changes:
        _save_validated(obj)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes)
    return obj, changes


@transaction.atomic
def record_set_active(*, obj: models.Model, active: bool, actor) -> models.Model:
    """Deactivate or reactivate: records with history are never deleted."""
    if obj.is_active != active:
        obj.is_active = active
        obj.save(update_fields=["is_active"])
        action = AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE
        audit_record(actor=actor, action=action, obj=obj, changes={"is_active": [not active, active]})
    return obj


def bulk_create_audited(
    *, model: type[models.Model], rows: Sequence[dict[str, Any]], actor, batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert many already-validated records and one audit row each (imports, seeding); `progress(n)` is told
    after each batch."""
    written = 0
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        objs = model.objects.bulk_create([model(**r) for r in chunk])
        if objs and objs[0].pk is None:  # backends that do not return ids
            raise RuntimeError("bulk_create did not return primary keys")
        audit_bulk(
            [
                audit_build(actor=actor, action=AuditAction.CREATE, obj=o, changes=diff({}, r))
                for o, r in zip(objs, (plain_row(r) for r in chunk), strict=True)
            ]
        )
        written += len(objs)
        if progress is not None:
            progress(len(objs))
    return written


def bulk_update_audited(
    *, objs_and_data: Sequence[tuple[models.Model, dict[str, Any]]], actor, batch_size: int = 2000
) -> int:
    """Apply changed fields to many records; only records that really change get written and audited."""
    changed: list[models.Model] = []
    events = []
    fields_touched: set[str] = set()
    for obj, data in objs_and_data:
        before = snapshot(obj, data.keys())
        for key, value in data.items():
            setattr(obj, key, value)
        changes = diff(before, snapshot(obj, data.keys()))
        if changes:
            changed.append(obj)
            fields_touched.update(changes)
            events.append(audit_build(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes))
    if changed:
        model = type(changed[0])
        model.objects.bulk_update(changed, sorted(fields_touched), batch_size=batch_size)
        audit_bulk(events)
    return len(changed)


def plain_row(row: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe values of a row, as an audit snapshot stores them."""
    return {k: _plain(v) for k, v in row.items()}

