"""Reads of the ledger, scoped to the acting user; capped totals per person for the assessment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from bole.engines.scoring import apply_caps

from . import periods
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


def _period_index(codes: np.ndarray) -> np.ndarray:
    """2024Q3 → 20243, 2024 → 20240: sortable integers for the engine's period key."""
    out = np.empty(codes.size, dtype=np.int64)
    for i, code in enumerate(codes.tolist()):
        year, quarter = periods.parse(code)
        out[i] = year * 10 + (quarter or 0)
    return out


def _load(period: str, category_ids: Sequence[int], person_ids: Sequence[int] | None):
    """One aggregate query: positive and negative sums per (person, category, period code)."""
    year = periods.year_of(period)
    codes = [year, *periods.quarters_of(year)]
    # Plain SQL: the grouped rows come back as floats without per-value conversion (millions of entries).
    table = PointEntry._meta.db_table
    cats = [int(c) for c in category_ids]
    if not cats:
        cats = [-1]
    where = [f"category_id IN ({', '.join(['%s'] * len(cats))})", f"period IN ({', '.join(['%s'] * len(codes))})"]
    params: list = [*cats, *codes]
    if person_ids is not None:
        ids = [int(p) for p in person_ids] or [-1]
        where.append(f"person_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    # Fixed table name; every value is bound as a parameter.
    sql = (
        "SELECT person_id, category_id, period, "  # noqa: S608
        "SUM(CASE WHEN points > 0 THEN CAST(points AS DOUBLE PRECISION) ELSE 0 END), "
        "SUM(CASE WHEN points < 0 THEN CAST(points AS DOUBLE PRECISION) ELSE 0 END) "
        f"FROM {table} WHERE status = %s AND person_id IS NOT NULL AND {' AND '.join(where)} "
        "GROUP BY person_id, category_id, period"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [EntryStatus.APPROVED, *params])
        rows = cur.fetchall()
    if not rows:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty.astype(np.int64), empty.astype(np.int64), empty, empty
    person, category, code, pos, neg = zip(*rows, strict=True)
    uniq, inv = np.unique(np.array(code), return_inverse=True)
    return (np.array(person, dtype=np.int64), np.array(category, dtype=np.int64), _period_index(uniq)[inv],
            np.array(pos, dtype=np.float64), np.array(neg, dtype=np.float64))


def _sum_capped(p, c, key, pos, neg, caps, floors, sign: float = 1.0):
    """apply_caps over (person, category, key): per-key (person, category, total, raw, cut) arrays."""
    if p.size == 0:
        return None
    res = apply_caps(np.concatenate([p, p]), np.concatenate([c, c]), np.concatenate([key, key]),
                     np.concatenate([pos, neg]), caps, floors)
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
    p, c, key, pos, neg = _load(period, cat_ids, person_ids)
    caps = {c.pk: float(c.cap) for c in cats if c.cap is not None}
    floors = {c.pk: float(c.floor) for c in cats if c.floor is not None}
    yearly = np.isin(c, [x.pk for x in cats if x.cap_period == CapPeriod.YEAR])
    q = key % 10
    parts = []
    if quarter is None:
        parts.append(_sum_capped(p[~yearly], c[~yearly], key[~yearly], pos[~yearly], neg[~yearly], caps, floors))
        ykey = np.full(int(yearly.sum()), year * 10)
        parts.append(_sum_capped(p[yearly], c[yearly], ykey, pos[yearly], neg[yearly], caps, floors))
    else:
        this = (~yearly) & (q == quarter)
        parts.append(_sum_capped(p[this], c[this], key[this], pos[this], neg[this], caps, floors))
        for mask, sign in (((q >= 1) & (q <= quarter), 1.0), ((q >= 1) & (q < quarter), -1.0)):
            m = yearly & mask
            parts.append(_sum_capped(p[m], c[m], np.full(int(m.sum()), year), pos[m], neg[m], caps, floors, sign))
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
