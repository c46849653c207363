"""Anonymous multi-rater ballots (民主测评 / 多维评议): aggregation, trimming, bootstrap, flags.

Input is long format: one row per (ballot, subject, criterion) answer, with the
rater group of the ballot repeated on every row and NaN for "不了解" (don't
know). Everything is vectorised with NumPy / scipy.sparse so that a
county-wide evaluation (a million ballots) aggregates in about a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.stats import norm, rankdata

ENGINE_VERSION = "raters-1.1.0"

__all__ = [
    "ENGINE_VERSION",
    "BallotAggregate",
    "TrimmedMean",
    "BootstrapIntervals",
    "CollusionBloc",
    "DetectableShift",
    "BallotFlags",
    "competition_rank",
    "aggregate_ballots",
    "trimmed_mean_scores",
    "bootstrap_intervals",
    "flag_ballots",
    "published_rows",
]

# A rank of 0 means "not ranked" (the subject received no usable ballot).
UNRANKED = 0
# Bootstrap resamples per random stream (see bootstrap_intervals).
_BOOT_BLOCK = 50
# The bloc screen compares every pair of ballots, this many pair cells at a time.
_PAIR_BLOCK = 2_000_000
# The lowest pair threshold (a floor for rounds too small to calibrate), and how many tested pairs at
# most estimate the round's null.
_CANDIDATE_STAT = 3.0
_NULL_SAMPLE = 1_000_000


# ---------------------------------------------------------------------------
# Result types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotAggregate:
    """Per-subject 民主测评 result: group scores, ballot counts, weighted final score and rank."""

    group_score: np.ndarray  # (n_subjects, n_groups), NaN where the group cast no usable ballot
    group_n_ballots: np.ndarray  # (n_subjects, n_groups)
    n_ballots: np.ndarray  # (n_subjects,) usable ballots over all groups
    final_score: np.ndarray  # (n_subjects,), NaN if no usable ballot
    rank: np.ndarray  # (n_subjects,) competition rank, 1 = best, 0 = not ranked
    criterion_weights: np.ndarray
    group_weights: np.ndarray
    n_subjects: int
    n_rows: int
    n_ballot_subject_pairs: int  # pairs with at least one non-NaN criterion
    rank_decimals: int
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class TrimmedMean:
    """Per-subject mean after dropping the k highest and k lowest scores (去掉最高分和最低分)."""

    trimmed_mean: np.ndarray  # (n_subjects,), NaN when fewer than 2k+1 scores
    n_scores: np.ndarray  # non-NaN scores per subject
    n_used: np.ndarray  # scores left after trimming
    rank: np.ndarray  # competition rank, 0 = not ranked
    k: int
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class BootstrapIntervals:
    """Per-subject percentile bootstrap intervals for the final score and the rank."""

    final_score: np.ndarray  # point estimate on the full data
    rank: np.ndarray  # point rank on the full data
    score_lo: np.ndarray
    score_hi: np.ndarray
    rank_lo: np.ndarray  # best plausible rank (numerically smallest)
    rank_hi: np.ndarray  # worst plausible rank
    n_boot: int
    level: float
    seed: int
    criterion_weights: np.ndarray
    group_weights: np.ndarray
    rank_method: str = "percentile"
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class CollusionBloc:
    """One group of ballots that deviate together, and the subjects they pushed up or down."""

    ballots: np.ndarray  # ballot ids
    pushed_up: np.ndarray  # subject ids
    pushed_down: np.ndarray  # subject ids
    # Bloc mean ballot-subject score minus the other ballots' median, per
    # pushed subject (same order as pushed_up / pushed_down).
    up_shift: np.ndarray
    down_shift: np.ndarray


@dataclass(frozen=True)
class DetectableShift:
    """The smallest coordinated shift the bloc screen finds with 90% probability in this round's design.

    A bloc of two ballots (the hardest case: every larger bloc is found at the same shift or a smaller
    one) moving every criterion of one subject, or of four subjects, by the same amount in the same
    direction. In the units of the scores given to `flag_ballots`; NaN when the round has too few
    ballots or answers to find any bloc.
    """

    shift_one: float
    shift_four: float
    power: float
    bloc_size: int
    n_common: float  # typical number of answers two ballots share
    n_criteria: float  # typical number of criteria answered per subject


@dataclass(frozen=True)
class BallotFlags:
    """Per-ballot quality flags (straight-lining, outlier, collusion bloc) for reviewers."""

    ballot_ids: np.ndarray  # sorted unique ballot ids; every per-ballot array is in this order
    n_items: np.ndarray  # non-NaN answers per ballot
    straight_lined: np.ndarray
    outlier_score: np.ndarray  # mean |calibrated deviation| of the ballot's answers, in deviation_scale units
    outlier_z: np.ndarray
    outlier: np.ndarray
    n_large_deviations: np.ndarray  # answers with |calibrated deviation| >= dev_z (for reviewers)
    n_partners: np.ndarray  # other ballots whose deviations agree with this one's beyond the threshold
    collusion: np.ndarray
    bloc_id: np.ndarray  # index into blocs, -1 if not in a bloc
    blocs: tuple[CollusionBloc, ...]
    deviation_scale: float  # robust SD of calibrated deviations
    pair_threshold: float  # agreement statistic above which two ballots are partners
    null_centre: float  # median agreement statistic over all pairs of ballots (the round's null)
    null_scale: float  # its robust spread (at least 1, the spread of independent ballots)
    n_pairs_tested: int
    detectable: DetectableShift
    straight_min_items: int
    outlier_threshold: float
    dev_z: float
    clip_z: float
    pair_alpha: float
    min_common: int
    min_partners: int
    min_bloc_share: float
    push_z: float
    slope_prior_items: float
    engine_version: str = ENGINE_VERSION


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------


def competition_rank(values: np.ndarray, decimals: int | None = 9) -> np.ndarray:
    """Competition ranks (1 = highest, ties share the best rank, 0 = NaN) as used on 测评 reports."""
    v = np.asarray(values, dtype=np.float64)
    # Rounding first stops float noise (e.g. 85.0 vs 84.99999999999) from
    # splitting scores a person would read as tied.
    if decimals is not None:
        v = np.round(v, decimals)
    ok = ~np.isnan(v)
    srt = np.sort(v[ok])
    rank = np.zeros(v.shape, dtype=np.int64)
    rank[ok] = srt.size - np.searchsorted(srt, v[ok], side="right") + 1
    return rank


def _as_int(a: np.ndarray, name: str) -> np.ndarray:
    arr = np.asarray(a)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be an integer array")
    return arr


def _check_lengths(**arrays: np.ndarray) -> int:
    sizes = {k: np.asarray(v).shape[0] for k, v in arrays.items()}
    if len(set(sizes.values())) != 1:
        raise ValueError(f"long-format arrays differ in length: {sizes}")
    return next(iter(sizes.values()))


def _segment_ids(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense segment id per row and the first row of each segment, for an int64 key."""
    n = key.size
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # Ballots usually arrive ordered by ballot, so a linear scan beats a sort.
    if not np.any(key[1:] < key[:-1]):
        new = np.empty(n, dtype=bool)
        new[0] = True
        np.not_equal(key[1:], key[:-1], out=new[1:])
        seg = np.cumsum(new, dtype=np.int64)
        seg -= 1
        return seg, np.flatnonzero(new)
    order = np.argsort(key, kind="stable")
    ks = key[order]
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(ks[1:], ks[:-1], out=new[1:])
    seg_sorted = np.cumsum(new, dtype=np.int64)
    seg_sorted -= 1
    seg = np.empty(n, dtype=np.int64)
    seg[order] = seg_sorted
    return seg, order[new]


def _segment_median(seg: np.ndarray, values: np.ndarray, n_seg: int) -> np.ndarray:
    """Median of values within each segment (NaN for empty segments), via one lexsort."""
    order = np.lexsort((values, seg))
    counts = np.bincount(seg, minlength=n_seg)
    starts = np.cumsum(counts) - counts
    sv = values[order]
    out = np.full(n_seg, np.nan)
    has = counts > 0
    lo = starts[has] + (counts[has] - 1) // 2
    hi = starts[has] + counts[has] // 2
    out[has] = 0.5 * (sv[lo] + sv[hi])
    return out


def _mad_scale(x: np.ndarray) -> tuple[float, float]:
    """Median and normal-consistent MAD of x."""
    med = float(np.median(x))
    return med, 1.4826 * float(np.median(np.abs(x - med)))


@dataclass(frozen=True)
class _Pairs:
    """Ballot-subject scores (criterion-weighted), only for pairs with at least one answer."""

    ballot: np.ndarray
    group: np.ndarray
    subject: np.ndarray
    score: np.ndarray
    n_pairs_total: int
    row_pair: np.ndarray = field(repr=False)  # pair index of every input row
    pair_valid: np.ndarray = field(repr=False)  # bool over all pairs


def _pair_scores(
    ballot: np.ndarray,
    group: np.ndarray,
    subject: np.ndarray,
    criterion: np.ndarray,
    score: np.ndarray,
    criterion_weights: np.ndarray,
    n_subjects: int,
) -> _Pairs:
    key = ballot.astype(np.int64)
    key *= n_subjects
    key += subject
    seg, first = _segment_ids(key)
    del key
    n_pairs = first.size
    if np.any(group != group[first][seg]):
        raise ValueError("a ballot must belong to a single rater group")

    w = criterion_weights[criterion]
    valid = ~np.isnan(score)
    w = np.where(valid, w, 0.0)
    num = np.bincount(seg, weights=np.where(valid, score, 0.0) * w, minlength=n_pairs)
    den = np.bincount(seg, weights=w, minlength=n_pairs)
    del w
    # Criterion weights are renormalised over the criteria the rater answered;
    # a ballot that answered nothing about a subject contributes nothing.
    pair_valid = den > 0
    pair_score = num[pair_valid] / den[pair_valid]
    fv = first[pair_valid]
    return _Pairs(
        ballot=ballot[fv],
        group=group[fv].astype(np.int64),
        subject=subject[fv].astype(np.int64),
        score=pair_score,
        n_pairs_total=int(n_pairs),
        row_pair=seg,
        pair_valid=pair_valid,
    )


def _final_from_group_means(
    group_sum: np.ndarray, group_n: np.ndarray, group_weights: np.ndarray
) -> np.ndarray:
    """Group weights renormalised over groups that scored the subject (the 民主测评 rule)."""
    present = group_n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, group_sum / np.where(present, group_n, 1), 0.0)
        wsum = (present * group_weights).sum(axis=-1)
        final = (mean * group_weights).sum(axis=-1) / wsum
    return np.where(wsum > 0, final, np.nan)


def _validate_common(
    ballot: np.ndarray,
    group: np.ndarray,
    subject: np.ndarray,
    criterion: np.ndarray,
    score: np.ndarray,
    criterion_weights: np.ndarray,
    group_weights: np.ndarray,
    n_subjects: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Check shapes, dtypes and index ranges once, so the engines can index without guards."""
    n = _check_lengths(ballot=ballot, group=group, subject=subject, criterion=criterion, score=score)
    ballot = _as_int(ballot, "ballot")
    group = _as_int(group, "group")
    subject = _as_int(subject, "subject")
    criterion = _as_int(criterion, "criterion")
    score = np.asarray(score)
    if not np.issubdtype(score.dtype, np.floating):
        score = score.astype(np.float64)
    cw = np.asarray(criterion_weights, dtype=np.float64)
    gw = np.asarray(group_weights, dtype=np.float64)
    if np.any(cw < 0) or np.any(gw < 0):
        raise ValueError("weights must be non-negative")
    if n:
        if criterion.min() < 0 or criterion.max() >= cw.size:
            raise ValueError("criterion index out of range of criterion_weights")
        if group.min() < 0 or group.max() >= gw.size:
            raise ValueError("group index out of range of group_weights")
        if subject.min() < 0:
            raise ValueError("subject indices must be non-negative")
    if n_subjects is None:
        n_subjects = int(subject.max()) + 1 if n else 0
    elif n and subject.max() >= n_subjects:
        raise ValueError("subject index >= n_subjects")
    return ballot, group, subject, criterion, score, cw, gw, int(n_subjects), n


# ---------------------------------------------------------------------------
# Aggregation
# ---------------------------------------------------------------------------


def aggregate_ballots(
    ballot: np.ndarray,
    group: np.ndarray,
    subject: np.ndarray,
    criterion: np.ndarray,
    score: np.ndarray,
    criterion_weights: np.ndarray,
    group_weights: np.ndarray,
    *,
    n_subjects: int | None = None,
    rank_decimals: int = 9,
) -> BallotAggregate:
    """Aggregate anonymous ballots into the official per-group, final and rank figures."""
    ballot, group, subject, criterion, score, cw, gw, n_subjects, n = _validate_common(
        ballot, group, subject, criterion, score, criterion_weights, group_weights, n_subjects
    )
    n_groups = gw.size
    pairs = _pair_scores(ballot, group, subject, criterion, score, cw, n_subjects)
    cell = pairs.subject * n_groups + pairs.group
    size = n_subjects * n_groups
    group_sum = np.bincount(cell, weights=pairs.score, minlength=size).reshape(n_subjects, n_groups)
    group_n = np.bincount(cell, minlength=size).reshape(n_subjects, n_groups)
    final = _final_from_group_means(group_sum, group_n, gw)
    with np.errstate(invalid="ignore", divide="ignore"):
        group_score = np.where(group_n > 0, group_sum / np.maximum(group_n, 1), np.nan)
    return BallotAggregate(
        group_score=group_score,
        group_n_ballots=group_n,
        n_ballots=group_n.sum(axis=1),
        final_score=final,
        rank=competition_rank(final, rank_decimals),
        criterion_weights=cw,
        group_weights=gw,
        n_subjects=n_subjects,
        n_rows=n,
        n_ballot_subject_pairs=int(pairs.score.size),
        rank_decimals=rank_decimals,
    )


def trimmed_mean_scores(
    subject: np.ndarray,
    score: np.ndarray,
    k: int = 1,
    *,
    n_subjects: int | None = None,
    rank_decimals: int = 9,
) -> TrimmedMean:
    """Trimmed mean per subject (drop k highest and k lowest), the traditional 去掉最高最低分 rule."""
    _check_lengths(subject=subject, score=score)
    subject = _as_int(subject, "subject")
    score = np.asarray(score, dtype=np.float64)
    if k < 0:
        raise ValueError("k must be >= 0")
    if n_subjects is None:
        n_subjects = int(subject.max()) + 1 if subject.size else 0
    ok = ~np.isnan(score)
    s, v = subject[ok].astype(np.int64), score[ok]
    order = np.lexsort((v, s))
    s, v = s[order], v[order]
    counts = np.bincount(s, minlength=n_subjects)
    starts = np.cumsum(counts) - counts
    pos = np.arange(s.size) - starts[s]
    keep = (pos >= k) & (pos < counts[s] - k)
    n_used = np.bincount(s[keep], minlength=n_subjects)
    total = np.bincount(s[keep], weights=v[keep], minlength=n_subjects)
    with np.errstate(invalid="ignore", divide="ignore"):
        tm = np.where(n_used > 0, total / np.maximum(n_used, 1), np.nan)
    return TrimmedMean(
        trimmed_mean=tm,
        n_scores=counts,
        n_used=n_used,
        rank=competition_rank(tm, rank_decimals),
        k=int(k),
    )


# ---------------------------------------------------------------------------
# Bootstrap
# ---------------------------------------------------------------------------


def bootstrap_intervals(
    ballot: np.ndarray,
    group: np.ndarray,
    subject: np.ndarray,
    criterion: np.ndarray,
    score: np.ndarray,
    criterion_weights: np.ndarray,
    group_weights: np.ndarray,
    *,
    n_boot: int = 1000,
    level: float = 0.9,
    seed: int = 0,
    n_subjects: int | None = None,
    max_chunk_elements: int = 4_000_000,
    rank_method: str = "percentile",
) -> BootstrapIntervals:
    """Stratified ballot bootstrap of final scores and ranks, so reports can show their uncertainty.

    ``rank_method="percentile"`` takes the quantiles of each subject's rank over the resamples;
    ``"pairwise"`` counts, for each subject, the others that are above it in nearly every resample (the
    best rank) and those above it in more than a few (the worst rank), which also holds when part of
    the ballots lean together in a way no screen can see.
    """
    if rank_method not in ("percentile", "pairwise"):
        raise ValueError("rank_method must be 'percentile' or 'pairwise'")
    if not 0 < level < 1:
        raise ValueError("level must be in (0, 1)")
    ballot, group, subject, criterion, score, cw, gw, n_subjects, _ = _validate_common(
        ballot, group, subject, criterion, score, criterion_weights, group_weights, n_subjects
    )
    n_groups = gw.size
    pairs = _pair_scores(ballot, group, subject, criterion, score, cw, n_subjects)
    # Whole ballots are resampled (within their rater group), not single
    # ballot-subject answers: a lenient rater is lenient for every subject, so
    # keeping a ballot's answers together leaves rank uncertainty honest.
    uballot, pb = np.unique(pairs.ballot, return_inverse=True)
    n_b = uballot.size
    b_group = np.zeros(n_b, dtype=np.int64)
    b_group[pb] = pairs.group
    cell = pairs.subject * n_groups + pairs.group
    size = n_subjects * n_groups
    sums = sp.csr_matrix((pairs.score, (pb, cell)), shape=(n_b, size))
    cnts = sp.csr_matrix((np.ones(pb.size), (pb, cell)), shape=(n_b, size))

    point_sum = np.asarray(sums.sum(axis=0)).reshape(n_subjects, n_groups)
    point_n = np.asarray(cnts.sum(axis=0)).reshape(n_subjects, n_groups)
    point = _final_from_group_means(point_sum, point_n, gw)
    ranked = ~np.isnan(point)

    members = [np.flatnonzero(b_group == g) for g in range(n_groups)]
    # Resamples are drawn in fixed blocks, each from its own stream keyed by
    # (seed, block), so the result does not depend on the memory chunking.
    block = _BOOT_BLOCK
    blocks_per_chunk = max(1, max_chunk_elements // max(n_b * block, 1))
    n_blocks = -(-n_boot // block)
    finals = np.empty((n_boot, n_subjects))
    for first_block in range(0, n_blocks, blocks_per_chunk):
        lo = first_block * block
        hi = min(n_boot, (first_block + blocks_per_chunk) * block)
        wts = np.zeros((hi - lo, n_b))
        for blk in range(first_block, min(n_blocks, first_block + blocks_per_chunk)):
            rng = np.random.default_rng([seed, blk])
            r0, r1 = blk * block - lo, min(n_boot, (blk + 1) * block) - lo
            for idx in members:
                if idx.size:
                    wts[r0:r1, idx] = rng.multinomial(
                        idx.size, np.full(idx.size, 1.0 / idx.size), size=r1 - r0
                    )
        m = hi - lo
        bs = np.asarray((sums.T @ wts.T).T).reshape(m, n_subjects, n_groups)
        bn = np.asarray((cnts.T @ wts.T).T).reshape(m, n_subjects, n_groups)
        finals[lo:hi] = _final_from_group_means(bs, bn, gw)

    alpha = (1.0 - level) / 2.0
    with np.errstate(invalid="ignore"):
        score_lo = np.nanquantile(finals, alpha, axis=0) if n_boot else np.full(n_subjects, np.nan)
        score_hi = np.nanquantile(finals, 1 - alpha, axis=0) if n_boot else np.full(n_subjects, np.nan)
    score_lo[~ranked] = np.nan
    score_hi[~ranked] = np.nan

    rank_lo = np.zeros(n_subjects, dtype=np.int64)
    rank_hi = np.zeros(n_subjects, dtype=np.int64)
    if ranked.any():
        # A subject whose ballots all vanished in one resample sinks to the
        # bottom of that resample rather than being dropped, which errs on
        # the side of a wider interval.
        fr = np.where(np.isnan(finals[:, ranked]), -np.inf, np.round(finals[:, ranked], 9))
        if rank_method == "pairwise":
            rank_lo[ranked], rank_hi[ranked] = _pairwise_rank_bounds(fr, alpha)
        else:
            boot_rank = rankdata(-fr, method="min", axis=1)
            rank_lo[ranked] = np.quantile(boot_rank, alpha, axis=0, method="lower").astype(np.int64)
            rank_hi[ranked] = np.quantile(boot_rank, 1 - alpha, axis=0, method="higher").astype(np.int64)

    return BootstrapIntervals(
        final_score=point,
        rank=competition_rank(point),
        score_lo=score_lo,
        score_hi=score_hi,
        rank_lo=rank_lo,
        rank_hi=rank_hi,
        n_boot=int(n_boot),
        level=float(level),
        seed=int(seed),
        criterion_weights=cw,
        group_weights=gw,
        rank_method=rank_method,
    )


def _pairwise_rank_bounds(fr: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Best and worst plausible rank from pairwise bootstrap comparisons (resamples x subjects)."""
    n_boot, n = fr.shape
    lo = np.ones(n, dtype=np.int64)
    hi = np.ones(n, dtype=np.int64)
    step = max(1, 2_000_000 // max(n_boot * n, 1))
    for i0 in range(0, n, step):
        i1 = min(n, i0 + step)
        mine = fr[:, i0:i1, None]
        above = (fr[:, None, :] > mine).mean(axis=0)  # (subjects i, others j): share of resamples j > i
        lo[i0:i1] += (above >= 1 - alpha).sum(axis=1)
        hi[i0:i1] += (above > alpha).sum(axis=1)
    return lo, hi


# ---------------------------------------------------------------------------
# Ballot flags
# ---------------------------------------------------------------------------


def flag_ballots(
    ballot: np.ndarray,
    subject: np.ndarray,
    criterion: np.ndarray,
    score: np.ndarray,
    *,
    criterion_weights: np.ndarray | None = None,
    straight_min_items: int = 10,
    outlier_threshold: float = 3.5,
    dev_z: float = 3.5,
    clip_z: float = 4.0,
    pair_alpha: float = 0.01,
    min_common: int = 10,
    min_partners: int = 1,
    min_bloc_share: float = 0.5,
    push_z: float = 1.5,
    slope_prior_items: float = 10.0,
    power: float = 0.9,
    power_trials: int = 40,
) -> BallotFlags:
    """Flag straight-lined, outlying and colluding ballots so reviewers can inspect them.

    Collusion is a pair test. Every answer's deviation from the panel, after the ballot's own leniency
    and use of the scale are removed, is clipped at ``clip_z`` robust SDs; two ballots agree when these
    deviations correlate over the answers they share (statistic r·√n, about N(0, 1) for independent
    ballots). The round's own null distribution — the median and robust spread of the statistic over all
    pairs, almost all of them honest — is calibrated, and a pair is a bloc when its statistic exceeds the
    Bonferroni bound for ``pair_alpha`` over every pair tested. A ballot with ``min_partners`` such
    partners is flagged; partners joined by these links form one bloc.

    ``detectable`` says how large a coordinated shift the screen finds with probability ``power`` in this
    round (``power_trials`` injected pairs; 0 skips it).
    """
    n = _check_lengths(ballot=ballot, subject=subject, criterion=criterion, score=score)
    ballot = _as_int(ballot, "ballot")
    subject = _as_int(subject, "subject").astype(np.int64)
    criterion = _as_int(criterion, "criterion").astype(np.int64)
    score = np.asarray(score, dtype=np.float64)
    n_subjects = int(subject.max()) + 1 if n else 0
    n_criteria = int(criterion.max()) + 1 if n else 0
    cw = np.ones(n_criteria) if criterion_weights is None else np.asarray(criterion_weights, dtype=np.float64)

    ballot_ids, binv = np.unique(ballot, return_inverse=True)
    n_b = ballot_ids.size
    ok = ~np.isnan(score)
    b, s, c, v = binv[ok], subject[ok], criterion[ok], score[ok]
    n_items = np.bincount(b, minlength=n_b)

    # --- straight-lining: every answer equal to the ballot's first answer.
    _, first = np.unique(b, return_index=True)
    first_score = np.full(n_b, np.nan)
    first_score[b[first]] = v[first]
    n_diff = np.bincount(b, weights=(v != first_score[b]).astype(np.float64), minlength=n_b)
    straight = (n_diff == 0) & (n_items >= straight_min_items)

    # --- calibrated deviations: each answer against the item's median answer, after the ballot's own
    # leniency and use of the scale are removed.
    n_items_sc = n_subjects * n_criteria
    item = s * n_criteria + c
    item_med = _segment_median(item, v, n_items_sc)
    x = item_med[item]
    e, resid_scale = _calibrated_deviation(b, x, v, n_b, slope_prior_items)
    z = e / resid_scale

    # --- outlier: how far the ballot's answers stray from the panel once leniency and use of the scale
    # are removed (a lenient or wide-ranging rater is not an outlier), robust-z'd across ballots.
    rated = n_items > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        out_score = np.bincount(b, weights=np.minimum(np.abs(z), clip_z), minlength=n_b) / n_items
    if rated.any():
        med, scale = _mad_scale(out_score[rated])
        scale = scale if scale > 0 else max(float(np.std(out_score[rated])), 1e-12)
        out_z = np.where(rated, (out_score - med) / scale, np.nan)
    else:
        out_z = np.full(n_b, np.nan)
    outlier = np.nan_to_num(out_z, nan=-np.inf) > outlier_threshold

    # --- collusion: pairs of ballots whose deviations agree beyond the round's calibrated null.
    large = (np.abs(z) >= dev_z) & ~straight[b]
    n_large = np.bincount(b[large], minlength=n_b)
    # Straight-lined ballots are reported as such; their identical answers would otherwise make every
    # pair of them look coordinated.
    use = ~straight[b]
    psi = np.clip(z, -clip_z, clip_z)
    agree = _pair_agreement(b[use], item[use], psi[use], n_b, n_items_sc, min_common)
    n_tested = agree.n_tested
    if n_tested:
        centre, spread = _mad_scale(agree.null_sample)
    else:
        centre, spread = 0.0, 1.0
    # Independent ballots give a spread of 1; a smaller one is the median's noise, never a licence to
    # flag more.
    spread = max(spread, 1.0)
    z_bound = float(norm.isf(pair_alpha / max(n_tested, 1)))
    threshold = max(centre + spread * z_bound, _CANDIDATE_STAT)
    hit = agree.cand_stat > threshold
    strong = sp.coo_matrix(
        (np.ones(int(hit.sum())), (agree.cand_i[hit], agree.cand_j[hit])), shape=(n_b, n_b)
    ).tocsr()
    strong = strong + strong.T
    n_partners = np.asarray((strong > 0).sum(axis=1)).ravel().astype(np.int64)
    collusion = n_partners >= min_partners

    detectable = _detectable_shift(
        b[use],
        item[use],
        v[use],
        x[use],
        n_b,
        n_criteria,
        threshold=threshold,
        resid_scale=resid_scale,
        clip_z=clip_z,
        min_common=min_common,
        prior_items=slope_prior_items,
        power=power,
        n_trials=power_trials,
        honest=~collusion,
    )

    bloc_id = np.full(n_b, -1, dtype=np.int64)
    blocs: list[CollusionBloc] = []
    if collusion.any():
        ones = np.zeros(n, dtype=np.int64)
        pairs = _pair_scores(binv, ones, subject, criterion, score, cw, n_subjects)
        flagged = np.flatnonzero(collusion)
        sub = strong[flagged][:, flagged]
        n_comp, lab = connected_components(sub, directed=False)
        bloc_id[flagged] = lab
        blocs = _describe_blocs(
            n_comp,
            bloc_id,
            ballot_ids,
            pairs.ballot,
            pairs.subject,
            pairs.score,
            collusion,
            n_subjects,
            b,
            s,
            e,
            resid_scale,
            min_bloc_share,
            push_z,
        )

    return BallotFlags(
        ballot_ids=ballot_ids,
        n_items=n_items,
        straight_lined=straight,
        outlier_score=out_score,
        outlier_z=out_z,
        outlier=outlier,
        n_large_deviations=n_large,
        n_partners=n_partners,
        collusion=collusion,
        bloc_id=bloc_id,
        blocs=tuple(blocs),
        deviation_scale=float(resid_scale),
        pair_threshold=float(threshold),
        null_centre=float(centre),
        null_scale=float(spread),
        n_pairs_tested=n_tested,
        detectable=detectable,
        straight_min_items=int(straight_min_items),
        outlier_threshold=float(outlier_threshold),
        dev_z=float(dev_z),
        clip_z=float(clip_z),
        pair_alpha=float(pair_alpha),
        min_common=int(min_common),
        min_partners=int(min_partners),
        min_bloc_share=float(min_bloc_share),
        push_z=float(push_z),
        slope_prior_items=float(slope_prior_items),
    )


def published_rows(ballot: np.ndarray, flags: BallotFlags) -> np.ndarray:
    """Rows that count in the published score and intervals: every ballot except those flagged as a bloc."""
    return ~np.isin(np.asarray(ballot), flags.ballot_ids[flags.collusion])


@dataclass(frozen=True)
class _Agreement:
    """The pair statistics the screen needs, without holding every pair of a large round in memory."""

    n_tested: int
    null_sample: np.ndarray  # statistics of tested pairs (all of them, or an even sample of a large round)
    common_sample: np.ndarray  # shared answers of the same pairs
    cand_i: np.ndarray  # tested pairs with a statistic above _CANDIDATE_STAT
    cand_j: np.ndarray
    cand_stat: np.ndarray


def _pair_agreement(
    b: np.ndarray, item: np.ndarray, psi: np.ndarray, n_b: int, n_items: int, min_common: int
) -> _Agreement:
    """Agreement statistic r·√n over the n answers two ballots share, for every pair of ballots.

    r is the uncentred correlation of the two ballots' clipped deviations over their shared answers.
    Rows are taken in blocks so memory stays bounded for a county-wide round.
    """
    a = sp.csr_matrix((psi, (b, item)), shape=(n_b, n_items))
    a2 = sp.csr_matrix((psi * psi, (b, item)), shape=(n_b, n_items))
    m = sp.csr_matrix((np.ones(b.size), (b, item)), shape=(n_b, n_items))
    at, a2t, mt = a.T.tocsc(), a2.T.tocsc(), m.T.tocsc()
    total_pairs = n_b * (n_b - 1) // 2
    every = max(1, total_pairs // _NULL_SAMPLE)
    rows_per_block = max(1, _PAIR_BLOCK // max(n_b, 1))
    n_tested = 0
    null_s, common_s, ci, cj, cs = [], [], [], [], []
    for r0 in range(0, n_b, rows_per_block):
        r1 = min(n_b, r0 + rows_per_block)
        num = np.asarray((a[r0:r1] @ at).todense())
        ss_row = np.asarray((a2[r0:r1] @ mt).todense())  # row ballot's squares on answers the column shares
        ss_col = np.asarray((m[r0:r1] @ a2t).todense())  # column ballot's squares on answers the row shares
        common = np.asarray((m[r0:r1] @ mt).todense())
        ii, jj = np.nonzero(np.arange(n_b)[None, :] > np.arange(r0, r1)[:, None])
        num, common = num[ii, jj], common[ii, jj]
        den = np.sqrt(ss_row[ii, jj] * ss_col[ii, jj])
        with np.errstate(invalid="ignore", divide="ignore"):
            stat = np.where(den > 0, num / den * np.sqrt(common), 0.0)
        ok = common >= min_common
        ii, jj, stat, common = ii[ok] + r0, jj[ok], stat[ok], common[ok]
        pos = n_tested + np.arange(stat.size)
        take = pos % every == 0
        null_s.append(stat[take])
        common_s.append(common[take])
        n_tested += stat.size
        hi = stat > _CANDIDATE_STAT
        ci.append(ii[hi])
        cj.append(jj[hi])
        cs.append(stat[hi])

    def cat(parts, dtype):
        return np.concatenate(parts) if parts else np.zeros(0, dtype)

    return _Agreement(
        n_tested,
        cat(null_s, float),
        cat(common_s, float),
        cat(ci, np.int64),
        cat(cj, np.int64),
        cat(cs, float),
    )


def _detectable_shift(
    b: np.ndarray,
    item: np.ndarray,
    v: np.ndarray,
    x: np.ndarray,
    n_b: int,
    n_criteria: int,
    *,
    threshold: float,
    resid_scale: float,
    clip_z: float,
    min_common: int,
    prior_items: float,
    power: float,
    n_trials: int = 40,
    seed: int = 0,
    honest: np.ndarray | None = None,
) -> DetectableShift:
    """Smallest shift a bloc of two needs to be flagged with the given power, found on this round's ballots.

    Pairs of this round's own ballots are drawn at random; on 1 subject both answered (lifted), or on 4
    (one lifted, three of the best-rated quarter pressed down), every criterion is moved by the same
    amount within the scale's range, and the screen's statistic is recomputed for the pair with the round's medians,
    deviation scale and threshold. The shift is the smallest on a grid at which `power` of the pairs pass
    the threshold (interpolated between grid points); NaN when no shift on the grid does.
    """
    nan = float("nan")
    counts = np.bincount(b, minlength=n_b)
    # Pairs are drawn from ballots not already in a bloc: a bloc's own answers are not the noise a new
    # bloc would have to rise above.
    pool = np.flatnonzero((counts >= min_common) & (True if honest is None else honest))
    subj = item // max(n_criteria, 1)
    crit = (
        float(np.median(np.unique(b * (int(subj.max()) + 1) + subj, return_counts=True)[1]))
        if b.size
        else nan
    )
    if pool.size < 2 or n_trials <= 0:
        return DetectableShift(nan, nan, float(power), 2, nan, crit)
    rng = np.random.default_rng(seed)
    n_subj = int(subj.max()) + 1
    subject_level = np.bincount(subj, weights=x, minlength=n_subj) / np.maximum(
        np.bincount(subj, minlength=n_subj), 1
    )
    order = np.argsort(b, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)])
    lo, hi = float(v.min()), float(v.max())
    x_mean, var_x = float(np.mean(x)), float(np.var(x))
    grid = resid_scale * np.arange(0.5, 8.01, 0.5)
    n_g = grid.size
    common_n = []
    out = []
    for n_targets in (1, 4):
        parts_b, parts_x, parts_v = [], [], []
        aligned = []  # per trial: (positions of shared answers in member 1, in member 2) within the block
        pid = 0
        offset = 0
        for _ in range(n_trials):
            i, j = rng.choice(pool, size=2, replace=False)
            ri, rj = order[starts[i] : starts[i + 1]], order[starts[j] : starts[j + 1]]
            shared, pi, pj = np.intersect1d(item[ri], item[rj], return_indices=True)
            subs = np.unique(shared // n_criteria)
            if shared.size < min_common or subs.size < n_targets:
                aligned.append(None)
                continue
            if n_targets == 1:
                targets = rng.choice(subs, size=1)
            else:
                # The usual pattern: lift one person and press down the strongest rivals, which the
                # ballot's own line (leniency, use of the scale) partly absorbs.
                by_level = subs[np.argsort(-subject_level[subs], kind="stable")]
                top = by_level[: max(n_targets - 1, by_level.size // 4)]
                down = rng.choice(top, size=n_targets - 1, replace=False)
                up = rng.choice(np.setdiff1d(subs, down), size=1)
                targets = np.concatenate([up, down])
            sign = np.where(np.arange(targets.size) == 0, 1.0, -1.0)
            step_i = np.zeros(ri.size)
            step_j = np.zeros(rj.size)
            for t, sg in zip(targets, sign, strict=True):
                step_i[item[ri] // n_criteria == t] = sg
                step_j[item[rj] // n_criteria == t] = sg
            vi = np.clip(v[ri][None, :] + grid[:, None] * step_i[None, :], lo, hi)
            vj = np.clip(v[rj][None, :] + grid[:, None] * step_j[None, :], lo, hi)
            block = ri.size + rj.size
            ids = pid + np.concatenate([np.zeros(ri.size, np.int64), np.ones(rj.size, np.int64)])
            parts_b.append((ids[None, :] + 2 * np.arange(n_g)[:, None]).ravel())
            parts_x.append(np.tile(np.concatenate([x[ri], x[rj]]), n_g))
            parts_v.append(np.concatenate([vi, vj], axis=1).ravel())
            aligned.append((offset, block, pi, ri.size + pj))
            common_n.append(shared.size)
            pid += 2 * n_g
            offset += block * n_g
        if pid == 0:
            out.append(nan)
            continue
        pb, px, pv = np.concatenate(parts_b), np.concatenate(parts_x), np.concatenate(parts_v)
        e, _ = _calibrated_deviation(
            pb, px, pv, pid, prior_items, x_mean=x_mean, var_x=var_x, fixed_scale=resid_scale
        )
        psi = np.clip(e / resid_scale, -clip_z, clip_z)
        passed = np.zeros((len(aligned), n_g), dtype=bool)
        for k, al in enumerate(aligned):
            if al is None:
                continue
            off, block, p1, p2 = al
            rows = off + block * np.arange(n_g)[:, None]
            a1, a2 = psi[rows + p1[None, :]], psi[rows + p2[None, :]]
            num = (a1 * a2).sum(axis=1)
            den = np.sqrt((a1 * a1).sum(axis=1) * (a2 * a2).sum(axis=1))
            with np.errstate(invalid="ignore", divide="ignore"):
                stat = np.where(den > 0, num / den * np.sqrt(p1.size), 0.0)
            passed[k] = stat > threshold
        rate = passed.mean(axis=0)
        hit = np.flatnonzero(rate >= power)
        if hit.size == 0:
            out.append(nan)
        elif hit[0] == 0:
            out.append(float(grid[0]))
        else:
            k = int(hit[0])
            x0, x1, y0, y1 = grid[k - 1], grid[k], rate[k - 1], rate[k]
            out.append(float(x0 + (power - y0) / max(y1 - y0, 1e-12) * (x1 - x0)))
    return DetectableShift(
        out[0], out[1], float(power), 2, float(np.median(common_n)) if common_n else nan, crit
    )


def _calibrated_deviation(
    b: np.ndarray,
    x: np.ndarray,
    v: np.ndarray,
    n_b: int,
    prior_items: float,
    n_iter: int = 6,
    *,
    x_mean: float | None = None,
    var_x: float | None = None,
    fixed_scale: float | None = None,
) -> tuple[np.ndarray, float]:
    """Residual of each answer after a robust per-ballot line score ~ a + slope * item median.

    Raters differ in leniency and in how much of the scale they use; without
    removing both, two generous raters (or two wide-range raters) would share
    many same-direction deviations and look like a bloc.
    """
    if x_mean is None:
        x_mean = float(np.mean(x)) if x.size else 0.0
    xc = x - x_mean
    w = np.ones_like(v)
    if var_x is None:
        var_x = float(np.var(xc)) if x.size else 1.0
    ridge = prior_items * max(var_x, 1e-12)
    scale = 1.0
    for _ in range(n_iter):
        sw = np.bincount(b, weights=w, minlength=n_b)
        sx = np.bincount(b, weights=w * xc, minlength=n_b)
        sy = np.bincount(b, weights=w * v, minlength=n_b)
        sxx = np.bincount(b, weights=w * xc * xc, minlength=n_b)
        sxy = np.bincount(b, weights=w * xc * v, minlength=n_b)
        with np.errstate(invalid="ignore", divide="ignore"):
            mx = np.where(sw > 0, sx / sw, 0.0)
            my = np.where(sw > 0, sy / sw, 0.0)
            cxx = sxx - sw * mx * mx
            cxy = sxy - sw * mx * my
            # Ridge towards slope 1 so a ballot with few answers keeps the
            # panel's use of the scale instead of an arbitrary fitted slope.
            slope = (cxy + ridge) / (cxx + ridge)
        icpt = my - slope * mx
        e = v - icpt[b] - slope[b] * xc
        if fixed_scale is None:
            _, scale = _mad_scale(e) if e.size else (0.0, 1.0)
        else:
            scale = fixed_scale
        scale = max(scale, 1e-9)
        r = np.abs(e) / scale
        w = np.minimum(1.0, 1.345 / np.maximum(r, 1e-12))
    return e, scale


def _describe_blocs(
    n_comp: int,
    bloc_id: np.ndarray,
    ballot_ids: np.ndarray,
    pb: np.ndarray,
    ps: np.ndarray,
    pv: np.ndarray,
    collusion: np.ndarray,
    n_subjects: int,
    b: np.ndarray,
    s: np.ndarray,
    e: np.ndarray,
    scale: float,
    min_bloc_share: float,
    push_z: float,
) -> list[CollusionBloc]:
    """Which subjects each bloc pushed up or down, and by how much versus everyone else."""
    bloc_size = np.bincount(bloc_id[collusion], minlength=n_comp)
    # Per (bloc member, subject): mean calibrated deviation over criteria. A
    # push is judged on the subject as a whole, since a bloc inflating a
    # person by a moderate amount on every criterion matters as much as one
    # extreme answer.
    sel = collusion[b]
    key = b[sel] * n_subjects + s[sel]
    ukey, inv = np.unique(key, return_inverse=True)
    mdev = np.bincount(inv, weights=e[sel]) / np.bincount(inv)
    kb, ks = ukey // n_subjects, ukey % n_subjects
    cell = bloc_id[kb] * n_subjects + ks
    size = n_comp * n_subjects
    n_rated = np.bincount(cell, minlength=size).reshape(n_comp, n_subjects)
    dev_sum = np.bincount(cell, weights=mdev, minlength=size).reshape(n_comp, n_subjects)
    n_up = np.bincount(cell, weights=mdev >= scale, minlength=size).reshape(n_comp, n_subjects)
    n_dn = np.bincount(cell, weights=mdev <= -scale, minlength=size).reshape(n_comp, n_subjects)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_dev = dev_sum / n_rated
    need = min_bloc_share * bloc_size[:, None]
    up = (mean_dev >= push_z * scale) & (n_up >= need)
    dn = (mean_dev <= -push_z * scale) & (n_dn >= need)

    # Reported shift: bloc mean ballot-subject score minus the median of
    # ballots outside any bloc, in the units of the ballot.
    honest = ~collusion[pb]
    ref = _segment_median(ps[honest], pv[honest], n_subjects) if honest.any() else np.full(n_subjects, np.nan)
    in_bloc = ~honest
    pc = bloc_id[pb[in_bloc]] * n_subjects + ps[in_bloc]
    bsum = np.bincount(pc, weights=pv[in_bloc], minlength=size).reshape(n_comp, n_subjects)
    bcnt = np.bincount(pc, minlength=size).reshape(n_comp, n_subjects)
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = bsum / bcnt - ref[None, :]

    out = []
    for k in range(n_comp):
        pu = np.flatnonzero(up[k])
        pd_ = np.flatnonzero(dn[k])
        out.append(
            CollusionBloc(
                ballots=ballot_ids[np.flatnonzero(bloc_id == k)],
                pushed_up=pu,
                pushed_down=pd_,
                up_shift=shift[k, pu],
                down_shift=shift[k, pd_],
            )
        )
    return out
