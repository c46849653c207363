"""Writes to the points ledger: one posting service for every mechanism, decisions, reversals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.audit import audit_build, audit_bulk, audit_record
from bole.core.choices import AuditAction
from bole.core.records import record_create, record_update

from . import periods
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


def _source_key(source: models.Model | None) -> tuple[ContentType | None, str]:
    if source is None:
        return None, ""
    if source.pk is None:
        raise ValidationError({"source": _("来源记录尚未保存")})
    return ContentType.objects.get_for_model(source), str(source.pk)


def _build(*, person, unit, period, category, points, reason, source, actor, approved) -> PointEntry:
    if person is None and unit is None:
        raise ValidationError({"person": _("积分须记到人员或单位")})
    points = Decimal(str(points))
    if points == 0:
        raise ValidationError({"points": _("分值不能为 0")})
    source_type, source_id = _source_key(source)
    auto = approved or category.auto_approve
    entry = PointEntry(
        person=person, unit=unit if unit is not None else person.unit, period=periods.clean(period),
        category=category, points=points, reason=(reason or "").strip(), source_type=source_type,
        source_id=source_id, status=EntryStatus.APPROVED if auto else EntryStatus.PENDING,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if auto:
        entry.approver = entry.created_by
        entry.decided_at = timezone.now()
    entry.full_clean()
    return entry


def _existing(entry: PointEntry) -> PointEntry | None:
    """A live posting for the same record, person and category (mechanisms may call twice)."""
    if entry.source_type is None:
        return None
    return (
        PointEntry.objects.filter(
            source_type=entry.source_type, source_id=entry.source_id, category=entry.category,
            person=entry.person, unit=entry.unit, reverses__isnull=True,
        )
        .exclude(status=EntryStatus.REJECTED)
        .filter(reversed_by__isnull=True)
        .first()
    )


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
    entry = _build(person=person, unit=unit, period=period, category=category, points=points, reason=reason,
                   source=source, actor=actor, approved=approved)
    found = _existing(entry)
    if found is not None:
        return found
    entry.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=entry, changes={
        "points": [None, str(entry.points)], "category": [None, category.code], "period": [None, entry.period],
        "status": [None, entry.status], "source": [None, f"{entry.source_type_id}:{entry.source_id}"]})
    return entry


@transaction.atomic
def points_post_many(*, rows: Sequence[dict[str, Any]], actor, approved: bool = False) -> int:
    """Post many entries at once (a mechanism closing a quarter, an import): same checks, bulk insert."""
    if not _may(actor, "add"):
        raise PermissionDenied
    entries = [_build(actor=actor, approved=approved, unit=r.get("unit"), source=r.get("source"),
                      person=r.get("person"), period=r["period"], category=r["category"], points=r["points"],
                      reason=r["reason"]) for r in rows]
    created = PointEntry.objects.bulk_create(entries, batch_size=2000)
    audit_bulk([audit_build(actor=actor, action=AuditAction.CREATE, obj=e, changes={
        "points": [None, str(e.points)], "category": [None, e.category.code], "period": [None, e.period],
        "status": [None, e.status]}) for e in created])
    return len(created)


@transaction.atomic
def point_entry_transition(*, entry: PointEntry, to: str, actor, note: str = "") -> PointEntry:
    """Approve or reject a pending entry: the only place an entry's status changes."""
    if actor is not None:
        policy.check(actor, "approve", entry)
    entry = PointEntry.objects.select_for_update().get(pk=entry.pk)
    if to not in TRANSITIONS.get(entry.status, set()):
        raise ValidationError({"status": _("不能从“%(a)s”变为“%(b)s”") % {
            "a": entry.get_status_display(), "b": EntryStatus(to).label if to in EntryStatus.values else to}})
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
        policy.check(actor, "approve", entry)
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


def point_category_update(*, category: PointCategory, actor, **data) -> PointCategory:
    """Change a category's name, cap or floor (applies to every assessment computed afterwards)."""
    if actor is not None and not policy.allows(actor, "manage", PointCategory):
        raise PermissionDenied
    return record_update(obj=category, data=_category_clean(data), actor=actor)[0]
