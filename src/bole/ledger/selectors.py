"""Reads of the ledger, scoped to the acting user; capped totals per person for the assessment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core import periods
from bole.core.db import bulk_aggregate
from bole.core.figures import FLOW, Figure
from bole.engines.scoring import apply_caps

from .choices import CapPeriod, EntryStatus
from .models import PointCategory, PointEntry
from .permissions import policy


def entry_list(*, user, action: str = "view") -> QuerySet[PointEntry]:
    """Entries the user may see, newest first."""
    qs = PointEntry.objects.select_related("person", "unit", "category", "reverses", "created_by", "approver")
    return policy.restrict(qs, user, action)


def category_list(*, user) -> QuerySet[PointCategory]:
    return policy.restrict(PointCategory.objects.all(), user, "view")


def entries_behind(*, user, person_id: int, period: str, category_ids: Sequence[int]) -> QuerySet[PointEntry]:
    """The entries that make up one person's points for a period: the click-through of an indicator."""
    wanted = set(periods.quarters_of(period)) | {period}
    if periods.parse(period)[1] is not None:
        wanted = {period}
    return entry_list(user=user).filter(person_id=person_id, period__in=wanted, category_id__in=category_ids)


@dataclass(frozen=True)
class CappedPoints:
    """Approved points per person and category for one period, after caps and floors (and what they cut)."""

    person: np.ndarray  # sorted person ids
    category: np.ndarray  # category ids, column order
    total: np.ndarray  # (n_person, n_category) capped and floored
    raw: np.ndarray  # (n_person, n_category) uncapped sum
    cut: np.ndarray  # (n_person, n_category) points removed by caps, minus deductions waived by floors

    def column_sum(self, category_ids: Sequence[int], person_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Totals over some categories for the given persons (NaN where the person has no entries)."""
        cols = [i for i, c in enumerate(self.category.tolist()) if c in set(category_ids)]
        out = np.full(person_ids.size, np.nan)
        cut = np.zeros(person_ids.size)
        if not cols or self.person.size == 0:
            return out, cut
        pos = np.searchsorted(self.person, person_ids)
        pos = np.clip(pos, 0, self.person.size - 1)
        hit = self.person[pos] == person_ids
        out[hit] = self.total[pos[hit]][:, cols].sum(axis=1)
        cut[hit] = self.cut[pos[hit]][:, cols].sum(axis=1)
        return out, cut


def _load(period: str, category_ids: Sequence[int], person_ids: Sequence[int] | None):
    """One aggregate query, one row per (person, category) with positive and negative sums per column.

    The columns are groups of period codes. A quarter has two: the year's earlier quarters and the quarter
    itself (yearly caps are shared by the quarters in order). A year has five: entries dated to the year
    itself and each quarter (quarterly caps apply per quarter). Returns person ids, category ids and two
    (rows, columns) float matrices.
    """
    year, quarter = periods.parse(period)
    if quarter is None:
        columns = [[str(year)], *([f"{year}Q{q}"] for q in range(1, 5))]
    else:
        columns = [[f"{year}Q{q}" for q in range(1, quarter)], [f"{year}Q{quarter}"]]
    codes = [code for column in columns for code in column]
    table = PointEntry._meta.db_table
    # SQLite's planner otherwise walks the (person, period) index to skip the GROUP BY sort and reads every
    # row from the table; the covering aggregate index is several times faster.
    source = f"{table} INDEXED BY ledger_agg" if connection.vendor == "sqlite" else table
    cats = [int(c) for c in category_ids] or [-1]
    where = [f"category_id IN ({', '.join(['%s'] * len(cats))})", f"period IN ({', '.join(['%s'] * len(codes))})"]
    params: list = [*cats, *codes]
    if person_ids is not None:
        ids = [int(p) for p in person_ids] or [-1]
        where.append(f"person_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    value = "CAST(points AS DOUBLE PRECISION)"
    sums, sum_params = [], []
    for column in columns:
        within = f"period IN ({', '.join(['%s'] * len(column))})" if column else "1 = 0"
        sums += [f"SUM(CASE WHEN {within} AND points > 0 THEN {value} ELSE 0 END)",
                 f"SUM(CASE WHEN {within} AND points < 0 THEN {value} ELSE 0 END)"]
        sum_params += [*column, *column]
    # Plain SQL: millions of entries come back as a few hundred thousand rows of floats. Fixed table and
    # index names; every value is bound as a parameter.
    sql = (f"SELECT person_id, category_id, {', '.join(sums)} FROM {source} "  # noqa: S608
           f"WHERE status = %s AND person_id IS NOT NULL AND {' AND '.join(where)} GROUP BY person_id, category_id")
    with bulk_aggregate(), connection.cursor() as cur:
        cur.execute(sql, [*sum_params, EntryStatus.APPROVED, *params])
        rows = cur.fetchall()
    k = len(columns)
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros((0, k)), np.zeros((0, k))
    grid = np.array(rows, dtype=np.float64)
    return grid[:, 0].astype(np.int64), grid[:, 1].astype(np.int64), grid[:, 2::2], grid[:, 3::2]


def _sum_capped(p, c, pos, neg, key, caps, floors, sign: float = 1.0):
    """apply_caps over (person, category) rows that have entries: (person, category, total, raw, cut) arrays."""
    has = (pos != 0) | (neg != 0)
    if not has.any():
        return None
    p, c, pos, neg = p[has], c[has], pos[has], neg[has]
    keys = np.full(2 * p.size, key, dtype=np.int64)
    res = apply_caps(np.concatenate([p, p]), np.concatenate([c, c]), keys, np.concatenate([pos, neg]), caps, floors)
    return (res.person, res.category, sign * res.total, sign * (res.positive + res.negative),
            sign * (res.cut - res.waived))


def capped_points(*, period: str, categories: Sequence[PointCategory],
                  person_ids: Sequence[int] | None = None) -> CappedPoints:
    """Points per person and category for a quarter or a year, with each category's cap and floor applied.

    Quarterly caps apply to each quarter. A yearly cap is shared by the year's quarters in order: a quarter
    counts ``capped(year to date) − capped(year to the previous quarter)``, so the whole year never exceeds
    the cap. Entries dated to the year itself (``2024``) count only in yearly assessments.
    """
    cats = list(categories)
    cat_ids = [c.pk for c in cats]
    year, quarter = periods.parse(period)
    p, c, pos, neg = _load(period, cat_ids, person_ids)
    caps = {c.pk: float(c.cap) for c in cats if c.cap is not None}
    floors = {c.pk: float(c.floor) for c in cats if c.floor is not None}
    yearly = np.isin(c, [x.pk for x in cats if x.cap_period == CapPeriod.YEAR])
    per, yr = ~yearly, yearly
    if quarter is None:  # the year itself and each quarter capped on its own; yearly caps over the whole year
        parts = [_sum_capped(p[per], c[per], pos[per, j], neg[per, j], j, caps, floors) for j in range(pos.shape[1])]
        parts.append(_sum_capped(p[yr], c[yr], pos[yr].sum(axis=1), neg[yr].sum(axis=1), 9, caps, floors))
    else:  # this quarter; a yearly cap counts capped(year to date) − capped(year to the previous quarter)
        parts = [_sum_capped(p[per], c[per], pos[per, 1], neg[per, 1], 0, caps, floors),
                 _sum_capped(p[yr], c[yr], pos[yr].sum(axis=1), neg[yr].sum(axis=1), 1, caps, floors),
                 _sum_capped(p[yr], c[yr], pos[yr, 0], neg[yr, 0], 2, caps, floors, -1.0)]
    parts = [x for x in parts if x is not None]
    n_cat = len(cat_ids)
    if not parts:
        z = np.zeros((0, n_cat))
        return CappedPoints(person=np.zeros(0, dtype=np.int64), category=np.array(cat_ids, dtype=np.int64),
                            total=z, raw=z, cut=z)
    person = np.concatenate([x[0] for x in parts])
    col = np.searchsorted(np.sort(np.array(cat_ids)), np.concatenate([x[1] for x in parts]))
    col = np.argsort(np.array(cat_ids))[col]  # back to the caller's category order
    people, row = np.unique(person, return_inverse=True)
    flat = row * n_cat + col
    size = people.size * n_cat

    def grid(values):
        return np.bincount(flat, weights=values, minlength=size).reshape(people.size, n_cat)

    return CappedPoints(
        person=people.astype(np.int64), category=np.array(cat_ids, dtype=np.int64),
        total=grid(np.concatenate([x[2] for x in parts])), raw=grid(np.concatenate([x[3] for x in parts])),
        cut=grid(np.concatenate([x[4] for x in parts])),
    )


def figures(*, user, period) -> list[Figure]:
    """积分's reported figures in the user's scope (the `figures` hook): approved entries of the chosen period's
    quarters and the people they are for."""
    entries = entry_list(user=user).filter(status=EntryStatus.APPROVED)
    if period.code:
        entries = entries.filter(period__in=periods.quarters_of(period.code) + [periods.year_of(period.code)])
    counts = entries.aggregate(n=Count("id"), people=Count("person_id", distinct=True))
    url = reverse("ledger-list")
    return [
        Figure("point_entries", _("积分记录"), counts["n"], _("条"), FLOW, _("审核通过的加减分记录，按积分周期"), url),
        Figure("people_with_points", _("有积分记录的干部"), counts["people"], _("人"), FLOW, _("这些记录涉及的干部"), url),
    ]
