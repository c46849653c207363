"""Writes to the points ledger: one posting service for every mechanism, decisions, reversals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core import periods
from bole.core.audit import audit_build, audit_bulk, audit_record
from bole.core.choices import AuditAction
from bole.core.records import record_create, record_update
from bole.core.states import check_move
from bole.org.permissions import policy as org_policy

from .choices import EntryStatus
from .models import PointCategory, PointEntry
from .permissions import policy

# Allowed status moves of an entry; approved entries are corrected by reversal, never re-decided.
TRANSITIONS: dict[str, set[str]] = {
    EntryStatus.PENDING: {EntryStatus.APPROVED, EntryStatus.REJECTED},
    EntryStatus.APPROVED: set(),
    EntryStatus.REJECTED: set(),
}


def _may(actor, action: str) -> bool:
    return actor is None or policy.allows(actor, action, PointEntry)


def _check_reach(*, person, unit, actor) -> None:
    """A posting by hand names a person (or unit) the actor may see in the register; a mechanism's posting is
    bound by the rules of the record that earned it."""
    if person is not None and not org_policy.may(actor, "view", person):
        raise ValidationError({"person": _("所选人员不在您的管辖范围内，不能为其登记积分")})
    if person is None and unit is not None and not org_policy.may(actor, "view", unit):
        raise ValidationError({"unit": _("所选单位不在您的管辖范围内，不能为其登记积分")})


def _source_key(source: models.Model | None) -> tuple[ContentType | None, str]:
    if source is None:
        return None, ""
    if source.pk is None:
        raise ValidationError({"source": _("来源记录尚未保存")})
    return ContentType.objects.get_for_model(source), str(source.pk)


_FK_FIELDS = ("person", "unit", "category", "source_type", "created_by", "approver")
RowErrors = list[tuple[int, str, str]]  # (row index, field, message)


def _build(*, person, unit, period, category, points, reason, source, actor, approved) -> PointEntry:
    """One unsaved entry: the posting rules that need no database (references are checked in _prepare)."""
    if person is None and unit is None:
        raise ValidationError({"person": _("积分须记到人员或单位")})
    points = Decimal(str(points))
    if points == 0:
        raise ValidationError({"points": _("分值不能为 0")})
    source_type, source_id = _source_key(source)
    try:
        period = periods.clean(period)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from None
    auto = approved or category.auto_approve
    entry = PointEntry(
        person=person, unit=unit, period=period, category=category, points=points, reason=(reason or "").strip(),
        source_type=source_type, source_id=source_id, status=EntryStatus.APPROVED if auto else EntryStatus.PENDING,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if unit is None:
        entry.unit_id = person.unit_id  # a person's points go to their unit at the time of posting
    if auto:
        entry.approver = entry.created_by
        entry.decided_at = timezone.now()
    # Field rules without a query per row; the nonzero check constraint is the points rule above.
    entry.full_clean(exclude=_FK_FIELDS, validate_unique=False, validate_constraints=False)
    return entry


def _missing_references(entries: list[PointEntry | None]) -> RowErrors:
    """Rows pointing at a person, unit, category or user that does not exist: one query per referenced model."""
    errors: RowErrors = []
    for name in ("person", "unit", "category", "created_by", "approver"):
        field = PointEntry._meta.get_field(name)
        wanted = {getattr(e, field.attname) for e in entries if e is not None} - {None}
        if not wanted:
            continue
        model = field.remote_field.model
        found = set(model._base_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        for i, e in enumerate(entries):
            value = getattr(e, field.attname) if e is not None else None
            if value is not None and value not in found:
                errors.append((i, name, ValidationError(field.error_messages["invalid"], params={
                    "model": model._meta.verbose_name, "pk": value, "field": "id", "value": value}).messages[0]))
    return errors


def _live_key(e: PointEntry) -> tuple:
    return (e.source_type_id, e.source_id, e.category_id, e.person_id, e.unit_id)


def _live_entries(entries: list[PointEntry]) -> dict[tuple, int]:
    """Live postings for the same record, person, unit and category as any of the entries (mechanisms may post
    twice): one query per source type and 1,000 records."""
    by_type: dict[int, set[str]] = {}
    for e in entries:
        if e.source_type_id is not None:
            by_type.setdefault(e.source_type_id, set()).add(e.source_id)
    live: dict[tuple, int] = {}
    for type_id, ids in by_type.items():
        ids_sorted = sorted(ids)
        for start in range(0, len(ids_sorted), 1000):
            qs = (PointEntry.objects.filter(source_type_id=type_id, source_id__in=ids_sorted[start: start + 1000],
                                            reverses__isnull=True, is_reversed=False)
                  .exclude(status=EntryStatus.REJECTED).order_by("-id")
                  .values_list("id", "source_type_id", "source_id", "category_id", "person_id", "unit_id"))
            for pk, *key in qs:
                live.setdefault(tuple(key), pk)
    return live


def _prepare(rows: Sequence[dict[str, Any]], *, actor, approved: bool) -> tuple[list[PointEntry], RowErrors]:
    """Build and check every row with a fixed number of queries; (entries, every problem with its row index)."""
    entries: list[PointEntry | None] = []
    errors: RowErrors = []
    for i, r in enumerate(rows):
        try:
            entries.append(_build(actor=actor, approved=approved, unit=r.get("unit"), source=r.get("source"),
                                  person=r.get("person"), period=r["period"], category=r["category"],
                                  points=r["points"], reason=r["reason"]))
        except ValidationError as exc:
            entries.append(None)
            errors.extend((i, name, m) for name, messages in exc.message_dict.items() for m in messages)
    errors.extend(_missing_references(entries))
    return entries, sorted(errors, key=lambda e: e[0])


def _audit_changes(entry: PointEntry) -> dict:
    return {"points": [None, str(entry.points)], "category": [None, entry.category.code],
            "period": [None, entry.period], "status": [None, entry.status],
            "source": [None, f"{entry.source_type_id}:{entry.source_id}"]}


@transaction.atomic
def points_post(
    *,
    person=None,
    unit=None,
    period: str,
    category: PointCategory,
    points: Decimal | float | int,
    reason: str,
    source: models.Model | None = None,
    actor,
    approved: bool = False,
) -> PointEntry:
    """Post points for a person (or a team/unit), pointing at the record that earned them.

    Idempotent per (source, person/unit, category): posting again for the same record returns the live
    entry instead of counting twice. Entries start pending unless the category auto-approves.
    """
    if not _may(actor, "add"):
        raise PermissionDenied
    (entry,), errors = _prepare([{"person": person, "unit": unit, "period": period, "category": category,
                                  "points": points, "reason": reason, "source": source}], actor=actor, approved=approved)
    if errors:
        raise ValidationError({name: [m for _i, n, m in errors if n == name] for _i, name, _m in errors})
    if source is None and actor is not None:
        _check_reach(person=person, unit=unit, actor=actor)
    found = _live_entries([entry]).get(_live_key(entry))
    if found is not None:
        return PointEntry.objects.get(pk=found)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # A simultaneous posting for the same record committed first (constraint ledger_live_once): return it,
        # as posting again a moment later would.
        found = _live_entries([entry]).get(_live_key(entry))
        if found is None or entry.source_type_id is None:
            raise
        return PointEntry.objects.get(pk=found)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=entry, changes=_audit_changes(entry))
    return entry


# Each retry follows another transaction's commit, so a batch racing a few others gets through.
RACE_RETRIES = 5


def _insert_new(entries: list[PointEntry]) -> list[PointEntry]:
    """Insert the entries whose record has no live posting yet (nor an earlier row of the batch)."""
    live = _live_entries(entries)
    new: list[PointEntry] = []
    for e in entries:
        key = _live_key(e)
        if e.source_type_id is not None and key in live:
            continue
        if e.source_type_id is not None:
            live[key] = 0
        new.append(e)
    return PointEntry.objects.bulk_create(new, batch_size=2000)


@transaction.atomic
def points_post_many(*, rows: Sequence[dict[str, Any]], actor, approved: bool = False) -> int:
    """Post many entries at once (a mechanism closing a quarter, an import): the rules of points_post, checked for
    the whole batch with a few queries; nothing is written if any row fails, and every bad row is named
    (第N行, counting from 1). Rows for a record already posted (or repeated in the batch) are skipped, as
    points_post would return the live entry. Returns the number of entries written."""
    if not _may(actor, "add"):
        raise PermissionDenied
    entries, errors = _prepare(rows, actor=actor, approved=approved)
    if errors:
        grouped: dict[str, list[str]] = {}
        for i, name, message in errors:
            grouped.setdefault(name, []).append(_("第%(r)d行：%(m)s") % {"r": i + 1, "m": message})
        raise ValidationError(grouped)
    for attempt in range(RACE_RETRIES):
        try:
            with transaction.atomic():
                created = _insert_new(entries)
            break
        except IntegrityError:
            # A simultaneous posting for some of the same records committed first (constraint
            # ledger_live_once): its entries are live now and skipped, as a later call would skip them.
            if attempt == RACE_RETRIES - 1:
                raise
            for e in entries:  # ids a rolled-back batch was given
                e.pk, e._state.adding = None, True
    audit_bulk([audit_build(actor=actor, action=AuditAction.CREATE, obj=e, changes=_audit_changes(e))
                for e in created])
    return len(created)


@transaction.atomic
def point_entry_transition(*, entry: PointEntry, to: str, actor, note: str = "") -> PointEntry:
    """Approve or reject a pending entry: the only place an entry's status changes."""
    if actor is not None:
        policy.require(actor, "approve", entry)
    entry = PointEntry.objects.select_for_update().get(pk=entry.pk)
    check_move(TRANSITIONS, EntryStatus, entry.status, to, field="status")
    before = entry.status
    entry.status = to
    entry.approver = actor if getattr(actor, "pk", None) else None
    entry.decided_at = timezone.now()
    entry.decision_note = (note or "").strip()[:300]
    entry.save(update_fields=["status", "approver", "decided_at", "decision_note"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=entry,
                 changes={"status": [before, to], "note": [None, entry.decision_note]})
    return entry


@transaction.atomic
def points_reverse(*, entry: PointEntry, reason: str, actor) -> PointEntry:
    """Correct an approved entry by posting its exact opposite; the original stays as it was."""
    if actor is not None:
        policy.require(actor, "approve", entry)
    entry = PointEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.APPROVED:
        raise ValidationError({"status": _("只有已通过的积分才能冲正；待审核的请直接驳回")})
    if entry.reverses_id is not None:
        raise ValidationError({"reverses": _("冲正记录本身不能再冲正")})
    if PointEntry.objects.filter(reverses=entry).exists():
        raise ValidationError({"reverses": _("该积分已被冲正")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写冲正原因")})
    opposite = PointEntry(
        person=entry.person, unit=entry.unit, period=entry.period, category=entry.category, points=-entry.points,
        reason=reason.strip(), source_type=entry.source_type, source_id=entry.source_id,
        status=EntryStatus.APPROVED, reverses=entry, created_by=actor if getattr(actor, "pk", None) else None,
        approver=actor if getattr(actor, "pk", None) else None, decided_at=timezone.now(),
    )
    opposite.full_clean()
    opposite.save()
    entry.is_reversed = True
    entry.save(update_fields=["is_reversed"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=opposite,
                 changes={"reverses": [None, entry.pk], "points": [None, str(opposite.points)]})
    return opposite


def _category_clean(data: dict[str, Any]) -> dict[str, Any]:
    cap, floor = data.get("cap"), data.get("floor")
    if cap is not None and Decimal(str(cap)) < 0:
        raise ValidationError({"cap": _("加分上限不能为负数")})
    if floor is not None and Decimal(str(floor)) > 0:
        raise ValidationError({"floor": _("扣分下限应为 0 或负数")})
    return data


def point_category_create(*, actor, **data) -> PointCategory:
    """Add a category of points with its cap and floor."""
    if actor is not None and not policy.allows(actor, "manage", PointCategory):
        raise PermissionDenied
    return record_create(model=PointCategory, data=_category_clean(data), actor=actor)


def point_category_ensure(*, code: str, **defaults) -> PointCategory:
    """The category a mechanism posts its points under: found by code, or created with `defaults` on first use
    (by the system, so no login's permission is needed; an administrator may change it afterwards)."""
    found = PointCategory.objects.filter(code=code).first()
    return found if found is not None else point_category_create(actor=None, code=code, **defaults)


def point_category_update(*, category: PointCategory, actor, **data) -> PointCategory:
    """Change a category's name, cap or floor (applies to every assessment computed afterwards)."""
    if actor is not None and not policy.allows(actor, "manage", PointCategory):
        raise PermissionDenied
    return record_update(obj=category, data=_category_clean(data), actor=actor)[0]
