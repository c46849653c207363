"""Points assessment engine for 奔跑赶超积分制考核: normalise, weight, round, rank, grade, cap.

Scale.  Every normalisation maps an indicator to a 0–100 "normalised" scale
on which 100 is best, whatever the indicator's direction.  A person's
contribution from indicator j is ``normalised × effective_weight_j / 100``
and the total is the sum of contributions, so with weights summing to 100
the total is at most 100.

Normalisations (statistics are computed within the ranking group, over the
members whose value is present):

* ``"raw"``: the value is already on 0–100.  Values outside are clipped and
  flagged ``FLAG_RAW_CLIPPED``.  Direction −1 maps v to ``100 − v``.
* ``"minmax"``: ``100 × (v − min) / (max − min)`` (direction −1:
  ``100 × (max − v) / (max − min)``).  If every present value in the group is
  equal (including a group of one) everyone is at the group best and gets 100.
* ``"zscore"``: ``z = (v − mean) / sd`` with the population sd (ddof 0);
  normalised ``= clip(50 + 10 × direction × z, 0, 100)`` (a T-score), so
  contributions stay positive and ±5 sd spans the scale.  Clipping is flagged
  ``FLAG_ZSCORE_CLIPPED``.  A group with sd 0 (or one member) gets 50.
* ``"percentile"``: mid-rank percentile ``100 × (below + 0.5 × equal) / m``
  where m is the number of present values, ``below`` the number strictly
  worse and ``equal`` the number tied (including the person).  A group of
  one gets 50; the best of m distinct values gets ``100 × (m − 0.5) / m``.

Missing values (NaN):

* ``"zero"``: normalised 0 (worst), flag ``FLAG_MISSING_ZERO``.
* ``"group_mean"``: the mean *normalised* value of the group members who
  have the value (imputing on the normalised scale keeps the imputed person
  out of everybody else's statistics).  Flag ``FLAG_MISSING_IMPUTED``; if
  nobody in the group has the value, 0 and ``FLAG_NO_GROUP_DATA``.
* ``"exclude"``: the indicator is left out for that person and the remaining
  weights are rescaled to sum to 100 (``effective_weight``).  Flag
  ``FLAG_EXCLUDED``; if nothing is left, total 0 and ``FLAG_ALL_EXCLUDED``.

Display arithmetic.  ``round_contributions`` rounds the total half away from
zero (四舍五入) to ``decimals`` and distributes the integer hundredths over the
contributions by the largest-remainder method, so the shown contributions add
up exactly to the shown total.  Ranking uses that rounded total: what is
shown is what is ranked.

Ranking.  Within each group, by rounded total (higher first) then by each
tie-breaker in order.  Competition ranking ("1224"): people share a rank only
when their rounded totals and all tie-breakers are equal.  ``position`` is a
strict 1..m order that additionally breaks remaining ties by input order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

ENGINE_VERSION = "scoring-1.1.0"

__all__ = [
    "ENGINE_VERSION",
    "MAX_QUOTA_SHARE",
    "FLAG_MISSING_ZERO",
    "FLAG_MISSING_IMPUTED",
    "FLAG_EXCLUDED",
    "FLAG_RAW_CLIPPED",
    "FLAG_ZSCORE_CLIPPED",
    "FLAG_NO_GROUP_DATA",
    "FLAG_ALL_EXCLUDED",
    "GRADE_FLAG_OVERRIDDEN",
    "GRADE_FLAG_THRESHOLD",
    "GRADE_FLAG_QUOTA_TIE",
    "GRADE_FLAG_DECISION_OVER_QUOTA",
    "quota_ceiling",
    "quota_nominal",
    "quota_places",
    "GRADE_FLAG_BELOW_MIN_TOTAL",
    "IndicatorSpec",
    "GradeRule",
    "GradeScheme",
    "RoundedContributions",
    "RankResult",
    "GradeResult",
    "ScoreResult",
    "CapResult",
    "score",
    "round_contributions",
    "rank_within_groups",
    "assign_grades",
    "apply_caps",
    "flag_names",
]

# Regulatory ceiling: 优秀 is "generally within 15%, never above 20%" of those assessed.
MAX_QUOTA_SHARE = 0.20

# Per-person score flags (bitmask, uint16).
FLAG_MISSING_ZERO = 1 << 0
FLAG_MISSING_IMPUTED = 1 << 1
FLAG_EXCLUDED = 1 << 2
FLAG_RAW_CLIPPED = 1 << 3
FLAG_ZSCORE_CLIPPED = 1 << 4
FLAG_NO_GROUP_DATA = 1 << 5
FLAG_ALL_EXCLUDED = 1 << 6

# Per-person grade flags (bitmask, uint8).
GRADE_FLAG_OVERRIDDEN = 1 << 0
GRADE_FLAG_THRESHOLD = 1 << 1
GRADE_FLAG_QUOTA_TIE = 1 << 2
GRADE_FLAG_BELOW_MIN_TOTAL = 1 << 3
# A decision to a quota grade beyond the group's places: not granted (the ceiling holds), to be settled by people.
GRADE_FLAG_DECISION_OVER_QUOTA = 1 << 4

_SCORE_FLAG_NAMES = {
    FLAG_MISSING_ZERO: "missing_zero",
    FLAG_MISSING_IMPUTED: "missing_imputed",
    FLAG_EXCLUDED: "excluded",
    FLAG_RAW_CLIPPED: "raw_clipped",
    FLAG_ZSCORE_CLIPPED: "zscore_clipped",
    FLAG_NO_GROUP_DATA: "no_group_data",
    FLAG_ALL_EXCLUDED: "all_excluded",
}
_GRADE_FLAG_NAMES = {
    GRADE_FLAG_OVERRIDDEN: "overridden",
    GRADE_FLAG_THRESHOLD: "threshold",
    GRADE_FLAG_QUOTA_TIE: "quota_tie",
    GRADE_FLAG_BELOW_MIN_TOTAL: "below_min_total",
    GRADE_FLAG_DECISION_OVER_QUOTA: "decision_over_quota",
}

Normalisation = Literal["raw", "minmax", "zscore", "percentile"]
MissingRule = Literal["zero", "group_mean", "exclude"]
QuotaRounding = Literal["floor", "round", "ceil"]

_NORMALISATIONS = ("raw", "minmax", "zscore", "percentile")
_MISSING_RULES = ("zero", "group_mean", "exclude")
# Float noise tolerance when turning shares and scaled values into whole units.
_EPS = 1e-9


def _frozen(arr: np.ndarray) -> np.ndarray:
    """Make a result array read-only so a frozen result cannot be edited in place either."""
    arr.flags.writeable = False
    return arr


def flag_names(flags: int, *, grade: bool = False) -> list[str]:
    """Turn a flag bitmask into names for an explanation page or an export column."""
    names = _GRADE_FLAG_NAMES if grade else _SCORE_FLAG_NAMES
    return [name for bit, name in names.items() if int(flags) & bit]


# =========================================================================== specs
@dataclass(frozen=True)
class IndicatorSpec:
    """How one indicator enters the total: its weight, direction, normalisation and missing-value rule."""

    name: str
    weight: float
    direction: int = 1
    normalisation: Normalisation = "minmax"
    missing: MissingRule = "zero"

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise ValueError(f"{self.name}: direction must be +1 or -1")
        if self.normalisation not in _NORMALISATIONS:
            raise ValueError(f"{self.name}: normalisation must be one of {_NORMALISATIONS}")
        if self.missing not in _MISSING_RULES:
            raise ValueError(f"{self.name}: missing rule must be one of {_MISSING_RULES}")
        if not np.isfinite(self.weight) or self.weight < 0:
            raise ValueError(f"{self.name}: weight must be a finite non-negative number")


@dataclass(frozen=True)
class GradeRule:
    """One grade label and how people earn it: by quota share, as the default, or by a total threshold."""

    label: str
    kind: Literal["quota", "rest", "threshold"]
    share: float | None = None
    min_total: float | None = None
    threshold: float | None = None

    @classmethod
    def quota(cls, label: str, share: float, *, min_total: float | None = None) -> GradeRule:
        """A top grade limited to a share of the group (e.g. 优秀 ≤ 15%), optionally with a minimum total."""
        return cls(label, "quota", share=share, min_total=min_total)

    @classmethod
    def rest(cls, label: str) -> GradeRule:
        """The grade everyone gets who is not placed by quota, threshold or override (e.g. 称职)."""
        return cls(label, "rest")

    @classmethod
    def below(cls, label: str, threshold: float) -> GradeRule:
        """A lower grade for totals strictly below threshold (e.g. 基本称职 for total < 60)."""
        return cls(label, "threshold", threshold=threshold)

    def __post_init__(self) -> None:
        if self.kind == "quota":
            if self.share is None or not 0.0 <= self.share <= MAX_QUOTA_SHARE + 1e-12:
                raise ValueError(
                    f"{self.label}: quota share must be within [0, {MAX_QUOTA_SHARE}], got {self.share}"
                )
        elif self.kind == "threshold":
            if self.threshold is None or not np.isfinite(self.threshold):
                raise ValueError(f"{self.label}: threshold grade needs a finite threshold")
        elif self.kind != "rest":
            raise ValueError(f"{self.label}: kind must be quota, rest or threshold")


@dataclass(frozen=True)
class GradeScheme:
    """Ordered grades, best first: quota grades, then exactly one rest grade, then threshold grades.

    Precedence for each person: explicit override > threshold (the worst grade whose ``total <
    threshold`` holds) > quota grades in order > rest.

    Quota: the share is a hard ceiling (see ``quota_places``): the number of places is
    ``rounding(share × group_size)`` with ``group_size`` the whole ranked group, but never more than
    ``floor(share × group_size)`` — a rounding that would go up (``round`` half up, ``ceil``) falls back
    to ``floor``.  Places go to eligible people in rank order — eligible means not overridden, not
    placed by a threshold, and total >= ``min_total``.  Ties never push the count over the quota: an
    eligible person gets the grade only if the number of eligible people ranked at or above them
    (ties included) fits in the quota, so people sharing a rank that straddles the boundary all miss
    out (flag ``GRADE_FLAG_QUOTA_TIE``: for people to decide) unless a tie-breaker separated them.
    Overrides *to* a quota grade use up places first; more such overrides than places are never all
    granted: the best ranked keep the grade, the others are flagged ``GRADE_FLAG_DECISION_OVER_QUOTA``
    and graded as if undecided (the competition has no place left for them).  Overridden people never
    take a place in the competition.
    """

    rules: tuple[GradeRule, ...]
    quota_rounding: QuotaRounding = "floor"

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        kinds = [r.kind for r in self.rules]
        if kinds.count("rest") != 1:
            raise ValueError("a grade scheme needs exactly one 'rest' grade")
        rest_at = kinds.index("rest")
        if any(k != "quota" for k in kinds[:rest_at]) or any(k != "threshold" for k in kinds[rest_at + 1 :]):
            raise ValueError("order grades best first: quota grades, the rest grade, then threshold grades")
        thresholds = [r.threshold for r in self.rules[rest_at + 1 :]]
        # A worse grade with a threshold not strictly lower would make the better one unreachable.
        if any(b >= a for a, b in zip(thresholds, thresholds[1:], strict=False)):  # type: ignore[operator]
            raise ValueError("threshold grades must have strictly decreasing thresholds, best first")
        if self.quota_rounding not in ("floor", "round", "ceil"):
            raise ValueError("quota_rounding must be floor, round or ceil")
        if len(self.rules) > 127:
            raise ValueError("too many grades")

    @property
    def labels(self) -> tuple[str, ...]:
        """Grade labels by index, for display."""
        return tuple(r.label for r in self.rules)

    @property
    def rest_index(self) -> int:
        """Index of the default grade."""
        return [r.kind for r in self.rules].index("rest")

    def quota_count(self, share: float, group_size: np.ndarray) -> np.ndarray:
        """Places per group for one quota share: this scheme's rounding, never above the share."""
        return quota_places(share, group_size, self.quota_rounding)

    def quota_nominal(self, share: float, group_size: np.ndarray) -> np.ndarray:
        """What this scheme's rounding alone would give (shown beside the places when it is more)."""
        return quota_nominal(share, group_size, self.quota_rounding)


# A share is taken to a millionth, rounded down, so place counts are exact integer arithmetic.
_SHARE_UNITS = 1_000_000


def _share_units(share: float) -> int:
    if not np.isfinite(share) or share < 0:
        raise ValueError(f"quota share must be a finite non-negative number, got {share}")
    # The tiny allowance keeps 0.15 (149999.99999999997 millionths in binary) at 150000.
    return int(np.floor(share * _SHARE_UNITS + 1e-6))


def quota_ceiling(share: float, group_size: np.ndarray | int) -> np.ndarray:
    """The most places a group may have: ``floor(share × group_size)``, exactly (share to a millionth)."""
    n = np.asarray(group_size, dtype=np.int64)
    return (_share_units(share) * n) // _SHARE_UNITS


def quota_nominal(share: float, group_size: np.ndarray | int, rounding: QuotaRounding = "floor") -> np.ndarray:
    """Places by the rounding rule alone: ``floor``, ``round`` (四舍五入, half up) or ``ceil``."""
    n = np.asarray(group_size, dtype=np.int64)
    units = _share_units(share) * n
    if rounding == "floor":
        return units // _SHARE_UNITS
    if rounding == "round":
        return (2 * units + _SHARE_UNITS) // (2 * _SHARE_UNITS)
    if rounding == "ceil":
        return -((-units) // _SHARE_UNITS)
    raise ValueError("quota_rounding must be floor, round or ceil")


def quota_places(share: float, group_size: np.ndarray | int, rounding: QuotaRounding = "floor") -> np.ndarray:
    """Places per group: the rounding rule's count, but never more than the share allows.

    Rounding may only go down: where ``round`` or ``ceil`` would give more than ``share × group_size``
    the count is ``floor(share × group_size)``.  (So a capped 四舍五入 always equals 向下取整; the
    nominal count is kept for display.)
    """
    return np.minimum(quota_nominal(share, group_size, rounding), quota_ceiling(share, group_size))


# =========================================================================== results
@dataclass(frozen=True, eq=False)
class RoundedContributions:
    """Contributions and totals rounded for display such that the shown parts add up to the shown total."""

    contributions: np.ndarray  # float, = contribution_units / 10**decimals
    total: np.ndarray
    contribution_units: np.ndarray  # int64, exact integer hundredths (for Decimal formatting)
    total_units: np.ndarray
    decimals: int
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True, eq=False)
class RankResult:
    """Competition rank within each group plus a strict display order."""

    rank: np.ndarray  # 1-based competition rank within group
    position: np.ndarray  # 1-based strict order within group (input order breaks remaining ties)
    group_index: np.ndarray  # dense group code per person
    groups: np.ndarray  # group id per code
    group_size: np.ndarray  # per person
    tie_breaker_directions: tuple[int, ...]
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True, eq=False)
class GradeResult:
    """Grade per person, quota places and grade counts per group, with the scheme used."""

    grade: np.ndarray  # int8 index into labels
    labels: tuple[str, ...]
    flags: np.ndarray  # uint8 GRADE_FLAG_* bitmask
    groups: np.ndarray  # group id per row of counts/quota
    counts: np.ndarray  # (n_groups, n_grades)
    quota: np.ndarray  # (n_groups, n_grades) places per quota grade, -1 for non-quota grades
    scheme: GradeScheme
    nominal: np.ndarray | None = None  # (n_groups, n_grades) places by the rounding rule alone, -1 likewise
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """Everything an assessment page needs per person, plus the parameters that produced it."""

    specs: tuple[IndicatorSpec, ...]
    decimals: int
    normalised: np.ndarray  # (n, k) 0–100, 100 best
    effective_weight: np.ndarray  # (n, k) weights after exclusion renormalisation (row sums 100 or 0)
    contributions: np.ndarray  # (n, k) exact
    total: np.ndarray  # exact
    rounded: RoundedContributions
    missing: np.ndarray  # (n, k) bool, raw value was NaN
    flags: np.ndarray  # uint16 FLAG_* bitmask
    ranking: RankResult
    grades: GradeResult | None = None
    engine_version: str = ENGINE_VERSION

    @property
    def total_rounded(self) -> np.ndarray:
        """The rounded total that is displayed and ranked."""
        return self.rounded.total

    @property
    def contributions_rounded(self) -> np.ndarray:
        """Rounded contributions that add up exactly to total_rounded."""
        return self.rounded.contributions

    @property
    def rank(self) -> np.ndarray:
        """Competition rank within group."""
        return self.ranking.rank

    @property
    def group_size(self) -> np.ndarray:
        """Size of each person's ranking group."""
        return self.ranking.group_size

    @property
    def grade(self) -> np.ndarray | None:
        """Grade index per person, if a scheme was given."""
        return None if self.grades is None else self.grades.grade


@dataclass(frozen=True, eq=False)
class CapResult:
    """Ledger points summed per (person, category, period) after caps on awards and floors on deductions."""

    person: np.ndarray
    category: np.ndarray
    period: np.ndarray
    positive: np.ndarray  # uncapped sum of positive points
    negative: np.ndarray  # unfloored sum of negative points (<= 0)
    capped_positive: np.ndarray
    floored_negative: np.ndarray
    total: np.ndarray  # capped_positive + floored_negative
    cut: np.ndarray  # positive points removed by the cap (>= 0)
    waived: np.ndarray  # deduction removed by the floor (>= 0)
    row_key: np.ndarray  # for each input ledger row, the index of its (person, category, period) key
    caps: Mapping[int, float] = field(default_factory=dict)
    floors: Mapping[int, float] = field(default_factory=dict)
    default_cap: float | None = None
    default_floor: float | None = None
    engine_version: str = ENGINE_VERSION


# =========================================================================== grouping helpers
def _dense_groups(group: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense group codes, group ids and per-group sizes, so per-group stats become bincounts."""
    groups, code = np.unique(group, return_inverse=True)
    code = code.reshape(-1)
    sizes = np.bincount(code, minlength=groups.size)
    return groups, code, sizes


def _run_starts(new_run: np.ndarray) -> np.ndarray:
    """For sorted rows with run-start markers, the index of the start of each row's run."""
    idx = np.where(new_run, np.arange(new_run.size), 0)
    return np.maximum.accumulate(idx) if idx.size else idx


def _run_ends(new_run: np.ndarray) -> np.ndarray:
    """For sorted rows with run-start markers, the index of the last row of each row's run."""
    n = new_run.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    is_end = np.append(new_run[1:], True)
    idx = np.where(is_end, np.arange(n), n)
    return np.minimum.accumulate(idx[::-1])[::-1]


# =========================================================================== normalisation
def _normalise_column(
    v: np.ndarray, code: np.ndarray, n_groups: int, spec: IndicatorSpec
) -> tuple[np.ndarray, np.ndarray]:
    """Normalise one indicator within groups over present values; returns (normalised, clipped mask)."""
    n = v.size
    out = np.full(n, np.nan)
    clipped = np.zeros(n, dtype=bool)
    present = ~np.isnan(v)
    if not present.any():
        return out, clipped
    vp = v[present]
    gp = code[present]
    d = spec.direction

    if spec.normalisation == "raw":
        c = np.clip(vp, 0.0, 100.0)
        clipped[present] = c != vp
        out[present] = c if d > 0 else 100.0 - c
        return out, clipped

    if spec.normalisation == "minmax":
        lo = np.full(n_groups, np.inf)
        hi = np.full(n_groups, -np.inf)
        np.minimum.at(lo, gp, vp)
        np.maximum.at(hi, gp, vp)
        span = (hi - lo)[gp]
        flat = span <= 0
        better = (vp - lo[gp]) if d > 0 else (hi[gp] - vp)
        out[present] = np.where(flat, 100.0, 100.0 * better / np.where(flat, 1.0, span))
        return out, clipped

    if spec.normalisation == "zscore":
        cnt = np.bincount(gp, minlength=n_groups)
        mean = np.bincount(gp, weights=vp, minlength=n_groups) / np.maximum(cnt, 1)
        dev = vp - mean[gp]
        # Two-pass variance: stable for large totals where sum-of-squares would cancel.
        sd = np.sqrt(np.bincount(gp, weights=dev * dev, minlength=n_groups) / np.maximum(cnt, 1))
        scale = np.bincount(gp, weights=np.abs(vp), minlength=n_groups) / np.maximum(cnt, 1)
        # An sd that is only rounding noise (equal values whose mean is off by an ulp) means "no spread".
        degenerate = sd <= 1e-12 * np.maximum(scale, 1.0)
        z = np.where(degenerate[gp], 0.0, dev / np.where(degenerate, 1.0, sd)[gp])
        t = 50.0 + 10.0 * d * z
        c = np.clip(t, 0.0, 100.0)
        clipped[present] = c != t
        out[present] = c
        return out, clipped

    # percentile: sort present values by (group, directed value) and use runs of equal values.
    key = vp * d
    order = np.lexsort((key, gp))
    gs, ks = gp[order], key[order]
    new_group = np.ones(gs.size, dtype=bool)
    new_group[1:] = gs[1:] != gs[:-1]
    new_value = new_group.copy()
    new_value[1:] |= ks[1:] != ks[:-1]
    group_start = _run_starts(new_group)
    value_start = _run_starts(new_value)
    value_end = _run_ends(new_value)
    below = value_start - group_start
    equal = value_end - value_start + 1
    m = np.bincount(gp, minlength=n_groups)[gs]
    pct = np.empty(gs.size)
    pct[order] = 100.0 * (below + 0.5 * equal) / m
    out[present] = pct
    return out, clipped


# =========================================================================== rounding
def _snap_units(x: np.ndarray) -> np.ndarray:
    """Snap values within float noise of a whole or half unit onto it (1.005 stored as 1.00499… → 100.5)."""
    half = np.rint(x * 2.0) / 2.0
    return np.where(np.abs(x - half) < _EPS * np.maximum(1.0, np.abs(x)), half, x)


def round_contributions(contrib: np.ndarray, decimals: int = 2) -> RoundedContributions:
    """Round contributions so they add up exactly to the rounded total (largest remainder on integer units).

    The total is the exact row sum rounded half away from zero (四舍五入).  Each contribution is first
    floored to whole units (10**-decimals); the missing units are handed one each to the
    contributions with the largest remainders (ties: the earlier column).  Values within 1e-9 of a
    unit or half unit are snapped first so binary noise does not decide a rounding.
    """
    c = np.asarray(contrib, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError("contrib must be a 2-D array (people × indicators)")
    if not np.isfinite(c).all():
        raise ValueError("contrib must be finite")
    n, k = c.shape
    scale = 10.0**decimals
    units = _snap_units(c * scale)
    total_units_f = _snap_units(c.sum(axis=1) * scale)
    total_units = (np.sign(total_units_f) * np.floor(np.abs(total_units_f) + 0.5)).astype(np.int64)
    floor_units = np.floor(units)
    remainder = units - floor_units
    floor_units = floor_units.astype(np.int64)
    # Bounded by construction (sum of floors <= round(sum) <= sum of floors + k); clip guards against drift.
    deficit = np.clip(total_units - floor_units.sum(axis=1), 0, k)
    if k:
        order = np.argsort(-remainder, axis=1, kind="stable")
        position = np.empty_like(order)
        position[np.arange(n)[:, None], order] = np.arange(k)[None, :]
        units_out = floor_units + (position < deficit[:, None])
    else:
        units_out = floor_units
    return RoundedContributions(
        contributions=_frozen(units_out / scale),
        total=_frozen(total_units / scale),
        contribution_units=_frozen(units_out),
        total_units=_frozen(total_units),
        decimals=decimals,
    )


# =========================================================================== ranking
def _tie_key(values: np.ndarray, direction: int) -> tuple[np.ndarray, np.ndarray]:
    """Turn any sortable tie-breaker into (missing-last flag, dense ascending code where lower ranks first)."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
    else:
        missing = np.zeros(arr.shape, dtype=bool)
    codes = np.zeros(arr.shape, dtype=np.int64)
    if (~missing).any():
        _, inv = np.unique(arr[~missing], return_inverse=True)
        inv = inv.reshape(-1).astype(np.int64)
        codes[~missing] = -inv if direction > 0 else inv
    return missing, codes


def rank_within_groups(
    total_units: np.ndarray,
    group: np.ndarray,
    tie_breakers: Sequence[np.ndarray] = (),
    tie_breaker_directions: Sequence[int] | None = None,
) -> RankResult:
    """Competition-rank people within groups by a total (higher first), then tie-breakers in order.

    ``total_units`` should be the rounded total as integers (e.g. ``RoundedContributions.total_units``)
    so equality is exact.  Each tie-breaker is a 1-D array; direction +1 (default) ranks higher values
    first, −1 lower values first (use −1 for a stable id where the smaller id should come first).
    Missing (NaN) tie-breaker values rank last.
    """
    tot = np.asarray(total_units)
    n = tot.shape[0]
    grp = np.asarray(group).reshape(-1)
    if grp.shape[0] != n:
        raise ValueError("group must have one entry per person")
    tbs = [np.asarray(t).reshape(-1) for t in tie_breakers]
    if any(t.shape[0] != n for t in tbs):
        raise ValueError("each tie-breaker must have one entry per person")
    dirs = tuple(int(x) for x in (tie_breaker_directions or [1] * len(tbs)))
    if len(dirs) != len(tbs) or any(x not in (1, -1) for x in dirs):
        raise ValueError("tie_breaker_directions must give +1 or -1 for each tie-breaker")

    groups, code, sizes = _dense_groups(grp)
    _, tot_code = _tie_key(tot, +1)
    tie_keys = [_tie_key(t, d) for t, d in zip(tbs, dirs, strict=True)]

    # lexsort: last key is primary → group, total, then tie-breakers in order.
    sort_keys: list[np.ndarray] = []
    for missing, codes in reversed(tie_keys):
        sort_keys.extend([codes, missing])
    sort_keys.extend([tot_code, code])
    order = np.lexsort(tuple(sort_keys)) if n else np.zeros(0, dtype=np.int64)

    new_group = np.ones(n, dtype=bool)
    new_group[1:] = code[order][1:] != code[order][:-1]
    new_block = new_group.copy()
    for arr in [tot_code, *(k for pair in tie_keys for k in pair)]:
        s = arr[order]
        new_block[1:] |= s[1:] != s[:-1]
    group_start = _run_starts(new_group)
    block_start = _run_starts(new_block)
    rank = np.empty(n, dtype=np.int64)
    position = np.empty(n, dtype=np.int64)
    rank[order] = block_start - group_start + 1
    position[order] = np.arange(n) - group_start + 1
    return RankResult(
        rank=_frozen(rank),
        position=_frozen(position),
        group_index=_frozen(code.astype(np.int64)),
        groups=_frozen(groups),
        group_size=_frozen(sizes[code].astype(np.int64)),
        tie_breaker_directions=dirs,
    )


# =========================================================================== grading
def assign_grades(
    total: np.ndarray,
    rank: np.ndarray,
    group: np.ndarray,
    scheme: GradeScheme,
    override: np.ndarray | None = None,
) -> GradeResult:
    """Place people into grades with quotas, thresholds and explicit decisions (see GradeScheme).

    ``total`` is the displayed (rounded) total used for thresholds and ``min_total``; ``rank`` the
    competition rank within group; ``override`` a grade index per person or −1 for none.
    """
    tot = np.asarray(total, dtype=np.float64).reshape(-1)
    rk = np.asarray(rank, dtype=np.int64).reshape(-1)
    n = tot.size
    if rk.size != n:
        raise ValueError("rank must have one entry per person")
    groups, code, sizes = _dense_groups(np.asarray(group).reshape(-1))
    if code.size != n:
        raise ValueError("group must have one entry per person")
    rules = scheme.rules
    n_grades = len(rules)
    n_groups = groups.size

    if override is None:
        ov = np.full(n, -1, dtype=np.int64)
    else:
        ov = np.array(override, dtype=np.int64).reshape(-1)  # a copy: over-quota decisions are cleared
        if ov.size != n:
            raise ValueError("override must have one entry per person")
        if ((ov < -1) | (ov >= n_grades)).any():
            raise ValueError(f"override values must be -1 or a grade index below {n_grades}")

    grade = np.full(n, -1, dtype=np.int64)
    flags = np.zeros(n, dtype=np.uint8)
    overridden = ov >= 0
    grade[overridden] = ov[overridden]
    flags[overridden] |= GRADE_FLAG_OVERRIDDEN

    # Thresholds, best grade first, so the worst grade whose condition holds wins.
    for idx, rule in enumerate(rules):
        if rule.kind == "threshold":
            hit = ~overridden & (tot < rule.threshold)
            grade[hit] = idx
            flags[hit] |= GRADE_FLAG_THRESHOLD

    quota = np.full((n_groups, n_grades), -1, dtype=np.int64)
    nominal = np.full((n_groups, n_grades), -1, dtype=np.int64)
    for idx, rule in enumerate(rules):
        if rule.kind != "quota":
            continue
        quota[:, idx] = scheme.quota_count(float(rule.share), sizes)  # type: ignore[arg-type]
        nominal[:, idx] = scheme.quota_nominal(float(rule.share), sizes)  # type: ignore[arg-type]
        decided = np.flatnonzero(ov == idx)
        if decided.size == 0:
            continue
        # More decisions than places: the best ranked keep the grade, the rest are graded as undecided.
        dorder = np.lexsort((decided, rk[decided], code[decided]))
        dg = code[decided[dorder]]
        first = np.ones(dg.size, dtype=bool)
        first[1:] = dg[1:] != dg[:-1]
        nth = np.arange(dg.size) - _run_starts(first)
        over = decided[dorder[nth >= quota[dg, idx]]]
        if over.size == 0:
            continue
        ov[over] = -1
        grade[over] = -1
        overridden[over] = False
        flags[over] = (flags[over] & np.uint8(0xFF ^ GRADE_FLAG_OVERRIDDEN)) | GRADE_FLAG_DECISION_OVER_QUOTA
        for t_idx, t_rule in enumerate(rules):  # the thresholds they meet undecided, worst last
            if t_rule.kind == "threshold":
                hit = over[tot[over] < t_rule.threshold]
                grade[hit] = t_idx
                flags[hit] |= GRADE_FLAG_THRESHOLD

    for idx, rule in enumerate(rules):
        if rule.kind != "quota":
            continue
        places = quota[:, idx]
        used = np.bincount(code[ov == idx], minlength=n_groups)
        free = np.maximum(places - used, 0)
        eligible = grade == -1
        if rule.min_total is not None:
            low = eligible & (tot < rule.min_total)
            flags[low] |= GRADE_FLAG_BELOW_MIN_TOTAL
            eligible &= ~low
        cand = np.flatnonzero(eligible)
        if cand.size == 0:
            continue
        cg, cr = code[cand], rk[cand]
        order = np.lexsort((cr, cg))
        sg, sr = cg[order], cr[order]
        new_group = np.ones(sg.size, dtype=bool)
        new_group[1:] = sg[1:] != sg[:-1]
        new_block = new_group.copy()
        new_block[1:] |= sr[1:] != sr[:-1]
        g_start = _run_starts(new_group)
        # Eligible people ranked at or above me, ties included = end of my tie block within the group.
        at_or_above = _run_ends(new_block) - g_start + 1
        before_me = _run_starts(new_block) - g_start
        fits = at_or_above <= free[sg]
        tie_straddles = ~fits & (before_me < free[sg])
        winners = cand[order[fits]]
        grade[winners] = idx
        flags[cand[order[tie_straddles]]] |= GRADE_FLAG_QUOTA_TIE

    grade[grade == -1] = scheme.rest_index
    counts = np.bincount(code * n_grades + grade, minlength=n_groups * n_grades).reshape(n_groups, n_grades)
    return GradeResult(
        grade=_frozen(grade.astype(np.int8)),
        labels=scheme.labels,
        flags=_frozen(flags),
        groups=_frozen(groups),
        counts=_frozen(counts.astype(np.int64)),
        quota=_frozen(quota),
        scheme=scheme,
        nominal=_frozen(nominal),
    )


# =========================================================================== the scorer
def score(
    raw: np.ndarray,
    group: np.ndarray,
    specs: Sequence[IndicatorSpec],
    tie_breakers: Sequence[np.ndarray] = (),
    tie_breaker_directions: Sequence[int] | None = None,
    *,
    decimals: int = 2,
    grade_scheme: GradeScheme | None = None,
    grade_override: np.ndarray | None = None,
) -> ScoreResult:
    """Score, round, rank and optionally grade everyone in one vectorised pass (see module docstring)."""
    x = np.asarray(raw, dtype=np.float64)
    specs = tuple(specs)
    if x.ndim != 2 or x.shape[1] != len(specs):
        raise ValueError(f"raw must be (n_people, {len(specs)}), got {x.shape}")
    if np.isinf(x).any():
        raise ValueError("raw contains ±inf; use NaN for missing values")
    weights = np.array([s.weight for s in specs], dtype=np.float64)
    if abs(weights.sum() - 100.0) > 1e-6:
        raise ValueError(f"indicator weights must sum to 100, got {weights.sum()}")
    grp = np.asarray(group).reshape(-1)
    n, k = x.shape
    if grp.size != n:
        raise ValueError("group must have one entry per person")

    groups, code, _ = _dense_groups(grp)
    n_groups = groups.size
    missing = np.isnan(x)
    normalised = np.empty((n, k))
    excluded = np.zeros((n, k), dtype=bool)
    flags = np.zeros(n, dtype=np.uint16)

    for j, spec in enumerate(specs):
        col, clipped = _normalise_column(x[:, j], code, n_groups, spec)
        if spec.normalisation == "raw":
            flags[clipped] |= FLAG_RAW_CLIPPED
        elif spec.normalisation == "zscore":
            flags[clipped] |= FLAG_ZSCORE_CLIPPED
        miss = missing[:, j]
        if miss.any():
            if spec.missing == "zero":
                col[miss] = 0.0
                flags[miss] |= FLAG_MISSING_ZERO
            elif spec.missing == "group_mean":
                have = ~miss
                cnt = np.bincount(code[have], minlength=n_groups)
                sums = np.bincount(code[have], weights=col[have], minlength=n_groups)
                mean = np.where(cnt > 0, sums / np.maximum(cnt, 1), 0.0)
                col[miss] = mean[code[miss]]
                flags[miss] |= FLAG_MISSING_IMPUTED
                flags[miss & (cnt[code] == 0)] |= FLAG_NO_GROUP_DATA
            else:
                col[miss] = 0.0
                excluded[:, j] = miss
                flags[miss] |= FLAG_EXCLUDED
        normalised[:, j] = col

    kept = np.where(excluded, 0.0, weights[None, :])
    kept_sum = kept.sum(axis=1)
    all_excluded = kept_sum <= 0
    flags[all_excluded & excluded.any(axis=1)] |= FLAG_ALL_EXCLUDED
    effective = np.where(
        all_excluded[:, None], 0.0, kept * (100.0 / np.where(all_excluded, 1.0, kept_sum))[:, None]
    )
    contributions = normalised * effective / 100.0
    total = contributions.sum(axis=1)
    rounded = round_contributions(contributions, decimals)
    ranking = rank_within_groups(rounded.total_units, grp, tie_breakers, tie_breaker_directions)
    grades = None
    if grade_scheme is not None:
        grades = assign_grades(rounded.total, ranking.rank, grp, grade_scheme, grade_override)
    elif grade_override is not None:
        raise ValueError("grade_override given without a grade_scheme")
    return ScoreResult(
        specs=specs,
        decimals=decimals,
        normalised=_frozen(normalised),
        effective_weight=_frozen(effective),
        contributions=_frozen(contributions),
        total=_frozen(total),
        rounded=rounded,
        missing=_frozen(missing),
        flags=_frozen(flags),
        ranking=ranking,
        grades=grades,
    )


# =========================================================================== ledger caps
def _per_category(
    key_category: np.ndarray, values: Mapping[int, float] | float | None, default: float
) -> tuple[np.ndarray, dict[int, float], float | None]:
    """Expand a scalar or category → limit mapping to one limit per key (loop over a few categories)."""
    out = np.full(key_category.size, default, dtype=np.float64)
    if values is None:
        return out, {}, None
    if isinstance(values, Mapping):
        mapping = {int(c): float(v) for c, v in values.items()}
        for cat, limit in mapping.items():
            out[key_category == cat] = limit
        return out, mapping, None
    out[:] = float(values)
    return out, {}, float(values)


def apply_caps(
    person: np.ndarray,
    category: np.ndarray,
    period: np.ndarray,
    points: np.ndarray,
    caps: Mapping[int, float] | float,
    floors: Mapping[int, float] | float | None = None,
) -> CapResult:
    """Sum ledger points per (person, category, period), capping awards and optionally flooring deductions.

    Positive points in a key are summed and capped at ``caps`` (a single cap, or category → cap;
    categories not listed are uncapped).  Negative points are never capped; if ``floors`` gives a
    (non-positive) floor for the category the summed deduction is limited to it, e.g. floor −20 means
    at most 20 points are deducted.  ``cut`` and ``waived`` report what the limits removed.
    """
    p = np.asarray(person).reshape(-1)
    c = np.asarray(category).reshape(-1)
    t = np.asarray(period).reshape(-1)
    pts = np.asarray(points, dtype=np.float64).reshape(-1)
    if not (p.size == c.size == t.size == pts.size):
        raise ValueError("person, category, period and points must have the same length")
    if not np.isfinite(pts).all():
        raise ValueError("points must be finite")

    order = np.lexsort((t, c, p))
    sp, sc, st = p[order], c[order], t[order]
    new_key = np.ones(pts.size, dtype=bool)
    if pts.size:
        new_key[1:] = (sp[1:] != sp[:-1]) | (sc[1:] != sc[:-1]) | (st[1:] != st[:-1])
    key_sorted = np.cumsum(new_key) - 1
    row_key = np.empty(pts.size, dtype=np.int64)
    row_key[order] = key_sorted
    n_keys = int(new_key.sum())
    first = order[new_key]

    positive = np.bincount(row_key, weights=np.maximum(pts, 0.0), minlength=n_keys)
    negative = np.bincount(row_key, weights=np.minimum(pts, 0.0), minlength=n_keys)
    key_cat = c[first]
    cap_arr, cap_map, cap_default = _per_category(key_cat, caps, np.inf)
    floor_arr, floor_map, floor_default = _per_category(key_cat, floors, -np.inf)
    if (cap_arr < 0).any():
        raise ValueError("caps must be non-negative")
    if (floor_arr > 0).any():
        raise ValueError("floors must be zero or negative")
    capped = np.minimum(positive, cap_arr)
    floored = np.maximum(negative, floor_arr)
    return CapResult(
        person=_frozen(p[first]),
        category=_frozen(key_cat),
        period=_frozen(t[first]),
        positive=_frozen(positive),
        negative=_frozen(negative),
        capped_positive=_frozen(capped),
        floored_negative=_frozen(floored),
        total=_frozen(capped + floored),
        cut=_frozen(positive - capped),
        waived=_frozen(floored - negative),
        row_key=_frozen(row_key),
        caps=cap_map,
        floors=floor_map,
        default_cap=cap_default,
        default_floor=floor_default,
    )
