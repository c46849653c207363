"""Reads of the growth records, scoped to the acting user; the per-cohort dashboard and figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.figures import FLOW, STOCK, Figure
from bole.core.scoping import own_person_id
from bole.org.selectors import person_list

from .choices import EntryStatus
from .models import ChecklistItem, GrowthEntry, GrowthRecord
from .permissions import policy


def record_list(*, user, action: str = "view") -> QuerySet[GrowthRecord]:
    """Records in scope; a cadre also sees the records of the young cadres they mentor."""
    qs = GrowthRecord.objects.select_related("person", "person__unit", "mentor")
    scoped = policy.restrict(qs, user, action)
    person_id = own_person_id(user)
    if person_id is not None and action in {"view", "sign"}:
        return qs.filter(Q(pk__in=scoped.values("pk")) | Q(mentor_id=person_id))
    return scoped


def record_get(*, user, pk) -> GrowthRecord:
    try:
        return record_list(user=user).get(pk=pk)
    except (GrowthRecord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def my_record(*, user) -> GrowthRecord | None:
    person_id = own_person_id(user)
    if person_id is None:
        return None
    return record_list(user=user).filter(person_id=person_id).first()


def to_sign(*, user) -> QuerySet[GrowthEntry]:
    """Entries waiting for this mentor's sign-off."""
    person_id = own_person_id(user)
    if person_id is None:
        return GrowthEntry.objects.none()
    return (GrowthEntry.objects.filter(record__mentor_id=person_id, status=EntryStatus.SUBMITTED)
            .select_related("record__person", "item"))


def checklist(*, user) -> QuerySet[ChecklistItem]:
    return policy.restrict(ChecklistItem.objects.all(), user, "view")


def young_cadres_without_record(*, user):
    """Young cadres in the user's scope who have no record yet (for opening one)."""
    return person_list(user=user, action="change").filter(is_young_cadre=True, is_active=True,
                                                          growth_record__isnull=True)


def cohort_dashboard(*, user, today: dt.date | None = None) -> list[dict]:
    """Per cohort: records, entries signed / submitted / overdue, completion rate, and per item signed counts."""
    today = today or timezone.localdate()
    records = record_list(user=user).filter(is_active=True)
    entries = GrowthEntry.objects.filter(record__in=records.values("pk"))
    per_cohort = {
        row["record__cohort"]: row
        for row in entries.values("record__cohort").order_by().annotate(
            total=Count("id"), signed=Count("id", filter=Q(status=EntryStatus.SIGNED)),
            submitted=Count("id", filter=Q(status=EntryStatus.SUBMITTED)),
            overdue=Count("id", filter=Q(due_date__lt=today) & ~Q(status=EntryStatus.SIGNED)))
    }
    people = dict(records.values_list("cohort").order_by().annotate(n=Count("id")).values_list("cohort", "n"))
    per_item: dict[int, dict[int, int]] = {}
    for cohort, item_id, n in (entries.filter(status=EntryStatus.SIGNED)
                               .values_list("record__cohort", "item_id").order_by().annotate(n=Count("id"))):
        per_item.setdefault(cohort, {})[item_id] = n
    items = list(ChecklistItem.objects.filter(is_active=True))
    out = []
    for cohort in sorted(per_cohort, reverse=True):
        row = per_cohort[cohort]
        n = people.get(cohort, 0)
        out.append({
            "cohort": cohort, "records": n, "total": row["total"], "signed": row["signed"],
            "submitted": row["submitted"], "overdue": row["overdue"],
            "rate": 100.0 * row["signed"] / row["total"] if row["total"] else 0.0,
            "items": [{"item": it, "signed": per_item.get(cohort, {}).get(it.pk, 0),
                       "rate": 100.0 * per_item.get(cohort, {}).get(it.pk, 0) / n if n else 0.0} for it in items],
        })
    return out


def record_progress(*, record_ids: Iterable[int], today: dt.date | None = None) -> dict[int, dict]:
    """Signed and overdue counts per record (one query) for the records a list page shows."""
    today = today or timezone.localdate()
    rows = (GrowthEntry.objects.filter(record_id__in=list(record_ids)).values("record_id").order_by()
            .annotate(total=Count("id"), signed=Count("id", filter=Q(status=EntryStatus.SIGNED)),
                      overdue=Count("id", filter=Q(due_date__lt=today) & ~Q(status=EntryStatus.SIGNED))))
    return {r["record_id"]: r for r in rows}


def figures(*, user, period) -> list[Figure]:
    """选调生成长's reported figures in the user's scope (the `figures` hook)."""
    records = record_list(user=user).filter(is_active=True)
    entries = GrowthEntry.objects.filter(record__in=records.values("pk"), done_on__isnull=False,
                                         **period.contains("done_on", datetime_field=False))
    url = reverse("growth-dashboard")
    return [
        Figure("growth_records", _("在培选调生"), records.count(), _("人"), STOCK, _("在培的选调生成长档案"), url),
        Figure("growth_entries", _("完成的成长事项"), entries.count(), _("项"), FLOW,
               _("选调生成长清单中完成的事项，按完成日期"), url),
    ]
