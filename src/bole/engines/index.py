"""强村指数: a composite index of yearly village data, with its uncertainty and sensitivity.

The steps follow the JRC/OECD Handbook on Constructing Composite Indicators (as COINr does them):

1. **Denominators** (``denominate``): an indicator may be divided by another column (per head, per mu) and scaled.
2. **Imputation** (``impute``): ``"none"`` (a missing value stays missing; aggregation then uses the weights of
   the indicators present, renormalised), ``"mean"``, ``"median"`` (of the indicator over all villages) or
   ``"group_mean"`` (over the village's town; a town with no value falls back to the overall mean).
3. **Outliers** (``winsorise``): COINr's rule — while an indicator's absolute skewness exceeds ``skew_max``
   (2.0) *and* its kurtosis exceeds ``kurt_max`` (3.5), the most extreme value on the skewed side is set to the
   next value inside, at most ``max_points`` (5) values per indicator. ``"none"`` leaves values as they are.
4. **Normalisation** (``normalise``), each onto a scale on which higher is better (an indicator of direction
   −1 is negated first, and its goalposts and target with it):

   * ``"minmax"``: ``100 (x − min) / (max − min)``; a constant indicator gives 50.
   * ``"zscore"``: ``50 + 10 (x − mean) / sd`` (population sd; a T-score); a constant indicator gives 50.
   * ``"rank"``: ``100 (r − 1) / (m − 1)`` with r the average rank (1 = lowest) among the m present values;
     one value gives 50.
   * ``"goalposts"``: ``100 (x − lo) / (hi − lo)`` clipped to [0, 100], ``lo``/``hi`` set per indicator.
   * ``"target"`` (distance to target): ``100 (x − min) / (target − min)`` clipped to [0, 100]; reaching the
     target scores 100.

5. **Weights** (``weights``): ``"manual"`` (as given), ``"equal"``, ``"entropy"``, ``"critic"``, ``"pca"``
   (squared loadings of the first principal component of the correlation matrix), always summing to 1.
6. **Aggregation** (``aggregate``) with weights w summing to 1 over the indicators present:
   arithmetic ``Σ w v``; geometric ``Π v^w``; harmonic ``1 / Σ (w / v)``. Geometric and harmonic means use
   ``max(v, floor)`` with ``floor = 1`` on the 0–100 scale (the Handbook's advice to normalise onto [1, 100]
   before a geometric mean), so one zero does not wipe out a village.

Uncertainty (``uncertainty``): each Monte-Carlo sample draws one alternative of every uncertain step (imputation,
outlier treatment, normalisation, aggregation, weight set) uniformly and multiplies each weight by
``U(1 − noise, 1 + noise)``; every village gets its rank in every sample and a rank interval (the 5 % and 95 %
quantiles by default). The normalised matrices of every (imputation, outlier, normalisation) combination are
built once; a sample is then a row of weights, and all the samples of one combination and aggregation are scored
by one matrix product.

Sensitivity (``sensitivity``): first-order and total Sobol indices of the ranks to each uncertain step, with the
weight noise as one group of factors: a Saltelli design (matrices A, B and A_B^i) scored as above, the
first-order index by Saltelli (2010) ``mean(f(B) (f(A_B^i) − f(A))) / V`` and the total by Jansen (1999)
``mean((f(A) − f(A_B^i))²) / 2V``, per village, then summed over villages weighted by each village's rank
variance. The mean absolute shift from the nominal ranking is reported beside.

Leave-one-out (``leave_one_out``): the nominal index without each indicator (the others' weights renormalised)
and the mean absolute rank change it causes.

No Django; arrays in, dataclasses out, with ``ENGINE_VERSION`` and the parameters used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product

import numpy as np
from threadpoolctl import threadpool_limits

ENGINE_VERSION = "index-1.0.0"

NORMALISATIONS = ("minmax", "zscore", "rank", "goalposts", "target")
IMPUTATIONS = ("none", "mean", "median", "group_mean")
OUTLIERS = ("none", "winsorise")
AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
WEIGHTINGS = ("manual", "equal", "entropy", "critic", "pca")
FLOOR = 1.0

__all__ = [
    "ENGINE_VERSION",
    "NORMALISATIONS",
    "IMPUTATIONS",
    "OUTLIERS",
    "AGGREGATIONS",
    "WEIGHTINGS",
    "Indicator",
    "Choice",
    "IndexResult",
    "Uncertainty",
    "Sensitivity",
    "LeaveOneOut",
    "denominate",
    "impute",
    "winsorise",
    "normalise",
    "weights",
    "aggregate",
    "competition_ranks",
    "build",
    "prepare",
    "draw_samples",
    "score_samples",
    "rank_rows",
    "rank_intervals",
    "uncertainty",
    "sobol_design",
    "sobol_indices",
    "sensitivity",
    "leave_one_out",
]


@dataclass(frozen=True)
class Indicator:
    """How one indicator enters the index: direction, optional denominator, goalposts, target, manual weight."""

    code: str
    direction: int = 1
    weight: float = 1.0
    denominator: int | None = None  # column index of the denominator in the data
    scale: float = 1.0  # multiplies value / denominator (per 1,000 people: 1000)
    lo: float | None = None  # goalposts
    hi: float | None = None
    target: float | None = None


@dataclass(frozen=True)
class Choice:
    """One construction of the index: a choice at every step."""

    imputation: str = "mean"
    outlier: str = "winsorise"
    normalisation: str = "minmax"
    weighting: str = "manual"
    aggregation: str = "arithmetic"

    def as_dict(self) -> dict[str, str]:
        return {
            "imputation": self.imputation,
            "outlier": self.outlier,
            "normalisation": self.normalisation,
            "weighting": self.weighting,
            "aggregation": self.aggregation,
        }


@dataclass
class IndexResult:
    """The nominal index: scores, ranks (1 = best, competition), normalised values, weights, contributions."""

    scores: np.ndarray
    ranks: np.ndarray
    normalised: np.ndarray
    weights: np.ndarray
    contributions: np.ndarray  # arithmetic: w v (sums to the score); otherwise w v / Σ w v × score
    winsorised: np.ndarray  # bool (n, m): values changed by the outlier treatment
    imputed: np.ndarray  # bool (n, m)
    choice: Choice
    engine_version: str = ENGINE_VERSION


@dataclass
class Uncertainty:
    """Monte-Carlo ranks: interval per village and the draw that produced them."""

    lower: np.ndarray  # rank at the lower quantile (best end)
    upper: np.ndarray
    median: np.ndarray
    mean_rank: np.ndarray
    samples: int
    level: float
    parameters: dict = field(default_factory=dict)
    ranks: np.ndarray | None = None  # (samples, n) when kept


@dataclass
class Sensitivity:
    """Sobol indices of the ranks to each uncertain factor."""

    factors: list[str]
    first: np.ndarray
    total: np.ndarray
    mean_shift: float  # mean |rank − nominal rank| over the design's A and B rows
    evaluations: int


@dataclass
class LeaveOneOut:
    """Ranks without each indicator, and the mean absolute rank change per indicator removed."""

    ranks: np.ndarray  # (m, n)
    mean_shift: np.ndarray  # (m,)


# ---------------------------------------------------------------- steps


def denominate(data: np.ndarray, indicators: Sequence[Indicator]) -> np.ndarray:
    """Divide each indicator with a denominator by that column (times its scale); a zero denominator gives NaN."""
    data = np.asarray(data, dtype=float)
    out = data[:, : len(indicators)].copy()
    for j, ind in enumerate(indicators):
        if ind.denominator is not None:
            den = data[:, ind.denominator]
            with np.errstate(divide="ignore", invalid="ignore"):
                out[:, j] = np.where(den != 0, data[:, j] / den * ind.scale, np.nan)
    return out


def impute(x: np.ndarray, method: str, groups: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Fill missing values; returns (values, mask of imputed cells)."""
    if method not in IMPUTATIONS:
        raise ValueError(f"unknown imputation {method!r}")
    x = np.asarray(x, dtype=float)
    missing = np.isnan(x)
    if method == "none" or not missing.any():
        return x.copy(), np.zeros_like(missing) if method == "none" else missing
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            overall = np.nanmedian(x, axis=0) if method == "median" else np.nanmean(x, axis=0)
            fill = np.broadcast_to(overall, x.shape).copy()
            if method == "group_mean" and groups is not None:
                groups = np.asarray(groups)
                for g in np.unique(groups):
                    rows = groups == g
                    gm = np.nanmean(x[rows], axis=0)
                    fill[rows] = np.where(np.isnan(gm), overall, gm)
    out = np.where(missing, fill, x)
    return out, missing


def _skew_kurt(x: np.ndarray) -> tuple[float, float]:
    v = x[~np.isnan(x)]
    if v.size < 3:
        return 0.0, 0.0
    d = v - v.mean()
    m2 = (d**2).mean()
    if m2 == 0:
        return 0.0, 0.0
    return float((d**3).mean() / m2**1.5), float((d**4).mean() / m2**2 - 3.0)


def winsorise(
    x: np.ndarray, *, skew_max: float = 2.0, kurt_max: float = 3.5, max_points: int = 5
) -> tuple[np.ndarray, np.ndarray]:
    """COINr's outlier rule, per indicator; returns (values, mask of changed cells)."""
    x = np.asarray(x, dtype=float).copy()
    changed = np.zeros(x.shape, dtype=bool)
    for j in range(x.shape[1]):
        col = x[:, j]
        for _ in range(max_points):
            skew, kurt = _skew_kurt(col)
            if not (abs(skew) > skew_max and kurt > kurt_max):
                break
            present = ~np.isnan(col) & ~changed[:, j]
            if present.sum() < 2:
                break
            vals = col[present]
            if skew > 0:
                top = vals.max()
                inside = vals[vals < top]
                if inside.size == 0:
                    break
                hit = present & (col == top)
                col[hit] = inside.max()
            else:
                bottom = vals.min()
                inside = vals[vals > bottom]
                if inside.size == 0:
                    break
                hit = present & (col == bottom)
                col[hit] = inside.min()
            changed[hit, j] = True
        x[:, j] = col
    return x, changed


def _average_rank(col: np.ndarray) -> np.ndarray:
    """Average ranks (1 = lowest) of the present values; NaN stays NaN."""
    out = np.full(col.shape, np.nan)
    present = ~np.isnan(col)
    v = col[present]
    if v.size == 0:
        return out
    order = np.argsort(v, kind="stable")
    sv = v[order]
    # tie groups: average of positions 1..m
    starts = np.r_[True, sv[1:] != sv[:-1]]
    gid = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    last = np.r_[first[1:], sv.size] - 1
    avg = (first + last) / 2.0 + 1.0
    r = np.empty(v.size)
    r[order] = avg[gid]
    out[present] = r
    return out


def normalise(x: np.ndarray, method: str, indicators: Sequence[Indicator]) -> np.ndarray:
    """Map each indicator onto 0–100, higher is better (see the module's description)."""
    if method not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {method!r}")
    x = np.asarray(x, dtype=float)
    sign = np.array([1.0 if ind.direction >= 0 else -1.0 for ind in indicators])
    x = x * sign
    out = np.empty_like(x)
    import warnings

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        if method == "minmax":
            lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
            span = hi - lo
            out = np.where(span > 0, 100.0 * (x - lo) / np.where(span > 0, span, 1), 50.0)
        elif method == "zscore":
            mu, sd = np.nanmean(x, axis=0), np.nanstd(x, axis=0)
            out = np.where(sd > 0, 50.0 + 10.0 * (x - mu) / np.where(sd > 0, sd, 1), 50.0)
        elif method == "rank":
            for j in range(x.shape[1]):
                r = _average_rank(x[:, j])
                m = np.count_nonzero(~np.isnan(r))
                out[:, j] = 100.0 * (r - 1) / (m - 1) if m > 1 else np.where(np.isnan(r), np.nan, 50.0)
        elif method == "goalposts":
            for j, ind in enumerate(indicators):
                if ind.lo is None or ind.hi is None:
                    raise ValueError(f"indicator {ind.code} needs goalposts lo and hi")
                a, b = sorted((ind.lo * sign[j], ind.hi * sign[j]))
                out[:, j] = np.clip(100.0 * (x[:, j] - a) / (b - a), 0, 100)
        else:  # target
            lo = np.nanmin(x, axis=0)
            for j, ind in enumerate(indicators):
                if ind.target is None:
                    raise ValueError(f"indicator {ind.code} needs a target")
                t = ind.target * sign[j]
                span = t - lo[j]
                out[:, j] = np.clip(100.0 * (x[:, j] - lo[j]) / span, 0, 100) if span > 0 else 100.0
    out = np.where(np.isnan(x), np.nan, out)
    return out


def weights(
    method: str, normalised: np.ndarray | None = None, indicators: Sequence[Indicator] = ()
) -> np.ndarray:
    """Indicator weights summing to 1. Data-driven methods read the normalised matrix (NaN rows dropped)."""
    m = len(indicators) if indicators else normalised.shape[1]
    if method == "manual":
        w = np.array([max(float(ind.weight), 0.0) for ind in indicators])
    elif method == "equal":
        w = np.ones(m)
    elif method in ("entropy", "critic", "pca"):
        x = np.asarray(normalised, dtype=float)
        x = x[~np.isnan(x).any(axis=1)]
        if x.shape[0] < 2:
            w = np.ones(m)
        elif method == "entropy":
            # on the data shifted to be non-negative; a constant column carries no information (weight 0)
            x = x - np.minimum(x.min(axis=0), 0)
            tot = x.sum(axis=0)
            p = np.divide(x, tot, out=np.full_like(x, 1.0 / x.shape[0]), where=tot > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                plogp = np.where(p > 0, p * np.log(p), 0.0)
            e = -plogp.sum(axis=0) / np.log(x.shape[0])
            w = np.clip(1.0 - e, 0, None)
        elif method == "critic":
            sd = x.std(axis=0, ddof=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                r = np.corrcoef(x, rowvar=False)
            r = np.nan_to_num(np.atleast_2d(r), nan=0.0)
            w = sd * (1.0 - r).sum(axis=0)
        else:  # pca
            sd = x.std(axis=0)
            keep = sd > 0
            w = np.zeros(m)
            if keep.sum() == 1:
                w[keep] = 1.0
            elif keep.any():
                r = np.corrcoef(x[:, keep], rowvar=False)
                vals, vecs = np.linalg.eigh(r)
                w[keep] = vecs[:, -1] ** 2
    else:
        raise ValueError(f"unknown weighting {method!r}")
    s = w.sum()
    return w / s if s > 0 else np.full(m, 1.0 / m)


def _terms(v: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray | None]:
    """(m, n) terms the weights multiply (value, log value, 1 / value) and the presence mask (None: all present)."""
    present = ~np.isnan(v)
    if method == "arithmetic":
        term = np.where(present, v, 0.0)
    elif method == "geometric":
        term = np.where(present, np.log(np.maximum(np.where(present, v, 1.0), FLOOR)), 0.0)
    else:
        term = np.where(present, 1.0 / np.maximum(np.where(present, v, 1.0), FLOOR), 0.0)
    mask = None if present.all() else np.ascontiguousarray(present.T, dtype=float)
    return np.ascontiguousarray(term.T), mask


def _combine(W: np.ndarray, terms: tuple[np.ndarray, np.ndarray | None], method: str) -> np.ndarray:
    term, mask = terms
    num = W @ term
    if mask is None:
        den = W.sum(axis=1)[:, None]
        if method == "arithmetic":
            return num / den
        if method == "geometric":
            return np.exp(num / den)
        return den / num
    den = W @ mask
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic":
            out = num / den
        elif method == "geometric":
            out = np.exp(num / den)
        else:
            out = den / num
    return np.where(den > 0, out, np.nan)


def aggregate(v: np.ndarray, w: np.ndarray, method: str) -> np.ndarray:
    """Aggregate normalised values (n, m) with weights (m,) or one weight row per sample (s, m) → (n,) or (s, n).

    Missing values are left out and the weights of those present renormalised.
    """
    if method not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {method!r}")
    w = np.asarray(w, dtype=float)
    out = _combine(np.atleast_2d(w), _terms(np.asarray(v, dtype=float), method), method)
    return out[0] if w.ndim == 1 else out


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks 1 = highest, ties share the best rank ("1224"), NaN last; along the last axis."""
    s = np.asarray(scores, dtype=float)
    single = s.ndim == 1
    s2 = np.atleast_2d(s)
    key = np.where(np.isnan(s2), -np.inf, s2)
    r = rank_rows(key)
    return r[0] if single else r


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = highest) of each row of a (samples, n) score matrix, vectorised.

    One sort per row; ties (equal scores, e.g. villages clipped to the same goalposts) share the best rank and are
    resolved only in the rows that have any."""
    s = np.asarray(scores)
    k, n = s.shape
    order = np.argsort(s, axis=1)[:, ::-1]  # descending; the order within ties does not change their rank
    ss = s[np.arange(k)[:, None], order]  # plain fancy indexing: about 3× faster here than take_along_axis
    start = np.broadcast_to(np.arange(1, n + 1, dtype=np.int32), (k, n))
    tied = ss[:, 1:] == ss[:, :-1]
    rows = np.flatnonzero(tied.any(axis=1))
    if rows.size:
        start = start.copy()
        sub = start[rows]
        sub[:, 1:] = np.where(tied[rows], 0, sub[:, 1:])
        np.maximum.accumulate(sub, axis=1, out=sub)
        start[rows] = sub
    ranks = np.empty(k * n, dtype=np.int32)
    ranks[(order + (np.arange(k, dtype=np.int64) * n)[:, None]).ravel()] = start.ravel()
    return ranks.reshape(k, n)


# ---------------------------------------------------------------- nominal index


def prepare(
    data: np.ndarray,
    indicators: Sequence[Indicator],
    *,
    imputation: str,
    outlier: str,
    normalisation: str,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Denominate, impute, treat outliers, normalise: (normalised, imputed mask, winsorised mask)."""
    x = denominate(data, indicators)
    x, imputed = impute(x, imputation, groups)
    if outlier == "winsorise":
        x, changed = winsorise(x)
    elif outlier == "none":
        changed = np.zeros(x.shape, dtype=bool)
    else:
        raise ValueError(f"unknown outlier treatment {outlier!r}")
    return normalise(x, normalisation, indicators), imputed, changed


def build(
    data: np.ndarray,
    indicators: Sequence[Indicator],
    choice: Choice = Choice(),
    groups: np.ndarray | None = None,
) -> IndexResult:
    """The nominal index under one construction."""
    v, imputed, changed = prepare(
        data,
        indicators,
        imputation=choice.imputation,
        outlier=choice.outlier,
        normalisation=choice.normalisation,
        groups=groups,
    )
    w = weights(choice.weighting, v, indicators)
    scores = aggregate(v, w, choice.aggregation)
    present = ~np.isnan(v)
    wv = np.where(present, v * w, 0.0)
    den = present @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        if choice.aggregation == "arithmetic":
            contrib = wv / den[:, None]
        else:
            tot = wv.sum(axis=1)
            contrib = wv / np.where(tot > 0, tot, 1.0)[:, None] * scores[:, None]
    return IndexResult(
        scores=scores,
        ranks=competition_ranks(scores),
        normalised=v,
        weights=w,
        contributions=contrib,
        winsorised=changed,
        imputed=imputed,
        choice=choice,
    )


# ---------------------------------------------------------------- Monte Carlo


@dataclass
class _Space:
    """The uncertain alternatives and the matrices built once for every (imputation, outlier, normalisation)."""

    imputations: list[str]
    outliers: list[str]
    normalisations: list[str]
    aggregations: list[str]
    weightings: list[str]
    noise: float
    mats: dict  # (i, o, z) -> normalised matrix
    base_weights: dict  # (i, o, z, wt) -> weight vector
    terms: dict = field(default_factory=dict)  # (i, o, z, aggregation) -> _terms, built on first use

    def term(self, key: tuple, aggregation: str):
        k = (*key, aggregation)
        if k not in self.terms:
            self.terms[k] = _terms(self.mats[key], aggregation)
        return self.terms[k]

    def factors(self) -> list[str]:
        return ["imputation", "outlier", "normalisation", "aggregation", "weighting", "weights"]


def _choice_space(data, indicators, groups, nominal, imputations, outliers, normalisations, aggregations,
                  weightings, noise):
    """The space of choices to sample: each step's given alternatives, or the nominal choice alone."""
    return _space(
        data,
        indicators,
        groups,
        imputations=_alternatives(nominal, imputations, "imputation"),
        outliers=_alternatives(nominal, outliers, "outlier"),
        normalisations=_alternatives(nominal, normalisations, "normalisation"),
        aggregations=_alternatives(nominal, aggregations, "aggregation"),
        weightings=_alternatives(nominal, weightings, "weighting"),
        noise=noise,
    )


def _space(data, indicators, groups, *, imputations, outliers, normalisations, aggregations, weightings, noise):
    mats, base = {}, {}
    for a, b, c in product(range(len(imputations)), range(len(outliers)), range(len(normalisations))):
        v, _, _ = prepare(
            data,
            indicators,
            imputation=imputations[a],
            outlier=outliers[b],
            normalisation=normalisations[c],
            groups=groups,
        )
        mats[a, b, c] = v
        for d, wt in enumerate(weightings):
            base[a, b, c, d] = weights(wt, v, indicators)
    return _Space(
        list(imputations), list(outliers), list(normalisations), list(aggregations), list(weightings), noise, mats, base
    )


def draw_samples(u: np.ndarray, space: _Space, m: int) -> dict[str, np.ndarray]:
    """Map uniforms (s, 5 + m) in [0, 1) onto choices (indices) and weight multipliers."""
    s = u.shape[0]
    pick = lambda col, k: np.minimum((u[:, col] * k).astype(np.int64), k - 1)  # noqa: E731
    return {
        "imputation": pick(0, len(space.imputations)),
        "outlier": pick(1, len(space.outliers)),
        "normalisation": pick(2, len(space.normalisations)),
        "aggregation": pick(3, len(space.aggregations)),
        "weighting": pick(4, len(space.weightings)),
        "multiplier": 1.0 + space.noise * (2.0 * u[:, 5 : 5 + m] - 1.0) if m else np.ones((s, 0)),
    }


def score_samples(draw: dict[str, np.ndarray], space: _Space) -> np.ndarray:
    """Scores (samples, n) for every sample, one matrix product per (combination, aggregation).

    The products are small (tens of rows × indicators × villages): BLAS threads only wait on each other there, and
    on a busy machine they cost 3× the time (measured, docs/VILLAGES.md), so BLAS runs on one thread here."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _score_samples(draw, space)


def _score_samples(draw: dict[str, np.ndarray], space: _Space) -> np.ndarray:
    s = draw["imputation"].shape[0]
    n = next(iter(space.mats.values())).shape[0]
    out = np.empty((s, n))
    combo = (
        ((draw["imputation"] * len(space.outliers) + draw["outlier"]) * len(space.normalisations) + draw["normalisation"])
        * len(space.weightings)
        + draw["weighting"]
    ) * len(space.aggregations) + draw["aggregation"]
    order = np.argsort(combo, kind="stable")
    keys, starts = np.unique(combo[order], return_index=True)
    bounds = np.r_[starts, s]
    for k in range(len(keys)):
        rows = order[bounds[k] : bounds[k + 1]]
        first = rows[0]
        a, b, c, d = (
            int(draw["imputation"][first]),
            int(draw["outlier"][first]),
            int(draw["normalisation"][first]),
            int(draw["weighting"][first]),
        )
        agg = space.aggregations[int(draw["aggregation"][first])]
        W = space.base_weights[a, b, c, d][None, :] * draw["multiplier"][rows]
        W = W / W.sum(axis=1, keepdims=True)
        out[rows] = _combine(W, space.term((a, b, c), agg), agg)
    return out


def rank_intervals(ranks: np.ndarray, level: float = 0.9) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lower, median and upper rank quantiles per village from (samples, n) integer ranks, by counting."""
    s, n = ranks.shape
    flat = (np.arange(n, dtype=np.int64)[None, :] * (n + 1) + ranks).ravel()
    counts = np.bincount(flat, minlength=n * (n + 1)).reshape(n, n + 1)
    cdf = np.cumsum(counts, axis=1) / s
    alpha = (1.0 - level) / 2.0
    lo = np.argmax(cdf >= alpha - 1e-12, axis=1)
    med = np.argmax(cdf >= 0.5 - 1e-12, axis=1)
    hi = np.argmax(cdf >= 1.0 - alpha - 1e-12, axis=1)
    return lo, med, hi


def _alternatives(choice: Choice, given: Sequence[str] | None, attr: str) -> list[str]:
    return list(given) if given else [getattr(choice, attr)]


def uncertainty(
    data: np.ndarray,
    indicators: Sequence[Indicator],
    *,
    nominal: Choice = Choice(),
    imputations: Sequence[str] | None = None,
    outliers: Sequence[str] | None = None,
    normalisations: Sequence[str] | None = None,
    aggregations: Sequence[str] | None = None,
    weightings: Sequence[str] | None = None,
    noise: float = 0.25,
    samples: int = 1000,
    level: float = 0.9,
    seed: int = 0,
    groups: np.ndarray | None = None,
    keep_ranks: bool = False,
    space: _Space | None = None,
) -> Uncertainty:
    """Rank intervals over the uncertain choices (each given list; the nominal choice alone when not given)."""
    space = space or _choice_space(data, indicators, groups, nominal, imputations, outliers, normalisations,
                                   aggregations, weightings, noise)
    m = len(indicators)
    rng = np.random.default_rng(seed)
    u = rng.random((samples, 5 + m))
    scores = score_samples(draw_samples(u, space, m), space)
    if np.isnan(scores).any():
        scores = np.where(np.isnan(scores), -np.inf, scores)
    ranks = rank_rows(scores)
    lo, med, hi = rank_intervals(ranks, level)
    return Uncertainty(
        lower=lo,
        upper=hi,
        median=med,
        mean_rank=ranks.mean(axis=0),
        samples=samples,
        level=level,
        parameters=_space_parameters(space, samples=samples, level=level, seed=seed),
        ranks=ranks if keep_ranks else None,
    )


def _space_parameters(space: _Space, **extra) -> dict:
    return {
        "imputations": space.imputations,
        "outliers": space.outliers,
        "normalisations": space.normalisations,
        "aggregations": space.aggregations,
        "weightings": space.weightings,
        "noise": space.noise,
        **extra,
    }


# ---------------------------------------------------------------- Sobol


def sobol_design(n_base: int, groups: Sequence[Sequence[int]], dim: int, rng: np.random.Generator) -> np.ndarray:
    """Saltelli design: rows A (n), B (n), then A_B^g (n each) for every group g of columns; shape ((2+G) n, dim)."""
    a = rng.random((n_base, dim))
    b = rng.random((n_base, dim))
    blocks = [a, b]
    for cols in groups:
        ab = a.copy()
        ab[:, list(cols)] = b[:, list(cols)]
        blocks.append(ab)
    return np.vstack(blocks)


def sobol_indices(y: np.ndarray, n_base: int, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """First-order (Saltelli 2010) and total (Jansen) indices from the design's outputs.

    ``y`` is (rows,) or (rows, k) for k outputs; with several outputs the indices are the outputs' partial
    variances summed over outputs divided by the summed variances (variance-weighted average).
    """
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    ya, yb = y[:n_base], y[n_base : 2 * n_base]
    var = np.var(np.vstack([ya, yb]), axis=0)
    vtot = var.sum()
    first = np.empty(n_groups)
    total = np.empty(n_groups)
    for g in range(n_groups):
        yab = y[(2 + g) * n_base : (3 + g) * n_base]
        first[g] = (yb * (yab - ya)).mean(axis=0).sum() / vtot if vtot > 0 else 0.0
        total[g] = 0.5 * ((ya - yab) ** 2).mean(axis=0).sum() / vtot if vtot > 0 else 0.0
    return first, total


def sensitivity(
    data: np.ndarray,
    indicators: Sequence[Indicator],
    *,
    nominal: Choice = Choice(),
    imputations: Sequence[str] | None = None,
    outliers: Sequence[str] | None = None,
    normalisations: Sequence[str] | None = None,
    aggregations: Sequence[str] | None = None,
    weightings: Sequence[str] | None = None,
    noise: float = 0.25,
    n_base: int = 512,
    seed: int = 1,
    groups: np.ndarray | None = None,
    space: _Space | None = None,
) -> Sensitivity:
    """First-order and total Sobol indices of the village ranks to each uncertain step and to the weights."""
    space = space or _choice_space(data, indicators, groups, nominal, imputations, outliers, normalisations,
                                   aggregations, weightings, noise)
    m = len(indicators)
    factor_cols = [[0], [1], [2], [3], [4], list(range(5, 5 + m))]
    rng = np.random.default_rng(seed)
    u = sobol_design(n_base, factor_cols, 5 + m, rng)
    scores = score_samples(draw_samples(u, space, m), space)
    ranks = rank_rows(np.where(np.isnan(scores), -np.inf, scores)).astype(float)
    first, total = sobol_indices(ranks, n_base, len(factor_cols))
    ix = lambda items, value: items.index(value) if value in items else 0  # noqa: E731
    key = (
        ix(space.imputations, nominal.imputation),
        ix(space.outliers, nominal.outlier),
        ix(space.normalisations, nominal.normalisation),
    )
    wkey = (*key, ix(space.weightings, nominal.weighting))
    nominal_scores = aggregate(
        space.mats[key], space.base_weights[wkey], space.aggregations[ix(space.aggregations, nominal.aggregation)]
    )
    nominal_ranks = competition_ranks(nominal_scores)
    mean_shift = float(np.abs(ranks[: 2 * n_base] - nominal_ranks[None, :]).mean())
    return Sensitivity(space.factors(), first, total, mean_shift, int(u.shape[0]))


# ---------------------------------------------------------------- leave one out


def leave_one_out(
    data: np.ndarray, indicators: Sequence[Indicator], choice: Choice = Choice(), groups: np.ndarray | None = None
) -> LeaveOneOut:
    """Ranks of the nominal index without each indicator in turn."""
    v, _, _ = prepare(
        data,
        indicators,
        imputation=choice.imputation,
        outlier=choice.outlier,
        normalisation=choice.normalisation,
        groups=groups,
    )
    w = weights(choice.weighting, v, indicators)
    base = competition_ranks(aggregate(v, w, choice.aggregation))
    m = len(indicators)
    W = np.tile(w, (m, 1))
    W[np.arange(m), np.arange(m)] = 0.0
    sums = W.sum(axis=1, keepdims=True)
    W = np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)
    scores = aggregate(v, W, choice.aggregation)
    ranks = rank_rows(np.where(np.isnan(scores), -np.inf, scores))
    return LeaveOneOut(ranks=ranks, mean_shift=np.abs(ranks - base[None, :]).mean(axis=1))
