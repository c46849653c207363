"""Property: whatever the group, the ties, the missing values, the decisions and the rounding rule, no group gets more
优秀 than its configured share allows, and what the share forbids is flagged for people to decide, never dropped
in silence."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bole.engines.scoring import (
    GRADE_FLAG_BELOW_MIN_TOTAL,
    GRADE_FLAG_DECISION_OVER_QUOTA,
    GRADE_FLAG_OVERRIDDEN,
    GRADE_FLAG_QUOTA_TIE,
    GRADE_FLAG_THRESHOLD,
    GradeRule,
    GradeScheme,
    IndicatorSpec,
    quota_ceiling,
    score,
)

EXCELLENT, COMPETENT, BASIC, FAIL = range(4)
EXAMPLES = 1200  # 8–20 groups each, about 13 on average: over 10,000 groups


@st.composite
def cases(draw):
    """A round's worth of groups; the bulk of each group comes from a seeded generator (fast to draw)."""
    sizes = draw(st.lists(st.one_of(st.integers(1, 12), st.integers(1, 200)), min_size=1, max_size=3))
    return {
        "sizes": sizes,
        "more_groups": draw(st.integers(7, 17)),  # sizes drawn by the seeded generator, 1–200
        "share_bp": draw(st.integers(0, 2000)),  # the share in hundredths of a percent: 0.00%–20.00%
        "rounding": draw(st.sampled_from(["floor", "round", "ceil"])),
        "levels": draw(st.sampled_from([1, 2, 3, 5, 11, 101, 10_001])),  # few levels: many ties
        "missing_rate": draw(st.sampled_from([0.0, 0.1, 0.5, 1.0])),
        "missing": draw(st.sampled_from(["zero", "group_mean", "exclude"])),
        "tie_breaker": draw(st.sampled_from(["none", "coarse", "unique"])),
        "decision_rate": draw(st.sampled_from([0.0, 0.0, 0.05, 0.3, 1.0])),
        "min_total": draw(st.sampled_from([None, None, 50.0])),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }


def _check_round(case: dict, stats: dict) -> None:
    rng = np.random.default_rng(case["seed"])
    sizes = case["sizes"] + rng.integers(1, 201, case["more_groups"]).tolist()
    n = sum(sizes)
    group = np.repeat(np.arange(len(sizes)), sizes)
    levels = case["levels"]
    raw = rng.integers(0, levels, (n, 2)) * (100.0 / max(levels - 1, 1))
    raw[rng.random((n, 2)) < case["missing_rate"]] = np.nan
    specs = [IndicatorSpec("a", 60.0, normalisation="raw", missing=case["missing"]),
             IndicatorSpec("b", 40.0, normalisation="minmax", missing=case["missing"])]
    tie_breakers = {"none": [], "coarse": [rng.integers(0, 2, n).astype(float)],
                    "unique": [rng.permutation(n).astype(float)]}[case["tie_breaker"]]
    share = case["share_bp"] / 10_000
    scheme = GradeScheme((GradeRule.quota("优秀", share, min_total=case["min_total"]), GradeRule.rest("称职"),
                          GradeRule.below("基本称职", 60.0), GradeRule.below("不称职", 40.0)),
                         quota_rounding=case["rounding"])
    override = np.full(n, -1)
    decided = rng.random(n) < case["decision_rate"]
    override[decided] = np.where(rng.random(decided.sum()) < 0.6, EXCELLENT, rng.integers(1, 4, decided.sum()))

    res = score(raw, group, specs, tie_breakers, decimals=2, grade_scheme=scheme, grade_override=override)
    g = res.grades
    assert g is not None
    grade, flags, rank = np.asarray(g.grade), np.asarray(g.flags), np.asarray(res.rank)
    for k, size in enumerate(sizes):
        member = group == k
        places = int(g.quota[k, EXCELLENT])
        excellent = int(g.counts[k, EXCELLENT])
        # The ceiling, in exact integers: 优秀 × 10000 ≤ share in hundredths of a percent × group size.
        assert excellent * 10_000 <= case["share_bp"] * size
        assert excellent <= places == int(quota_ceiling(share, size)) <= int(g.nominal[k, EXCELLENT])
        # Decisions: kept ones fit in the places, the others are flagged and not 优秀.
        kept = member & (override == EXCELLENT) & (flags & GRADE_FLAG_OVERRIDDEN > 0)
        over = member & (flags & GRADE_FLAG_DECISION_OVER_QUOTA > 0)
        assert kept.sum() <= places and (grade[kept] == EXCELLENT).all()
        assert (kept | over)[member & (override == EXCELLENT)].all()
        assert (grade[over] != EXCELLENT).all() and (override[over] == EXCELLENT).all()
        assert over.sum() == max(int((member & (override == EXCELLENT)).sum()) - places, 0)
        # The competition: eligible people in rank order, whole tie blocks only.
        eligible = member & ~(flags & (GRADE_FLAG_OVERRIDDEN | GRADE_FLAG_THRESHOLD | GRADE_FLAG_BELOW_MIN_TOTAL) > 0)
        won = eligible & (grade == EXCELLENT)
        lost = eligible & (grade != EXCELLENT)
        if won.any() and lost.any():
            assert rank[won].max() < rank[lost].min()
        if eligible.any():  # a tie is never split: within each rank, the lowest and highest grade agree
            r, gr = rank[eligible], grade[eligible].astype(np.int64)
            code = np.unique(r, return_inverse=True)[1]
            lo, hi = np.full(code.max() + 1, 99), np.full(code.max() + 1, -1)
            np.minimum.at(lo, code, gr)
            np.maximum.at(hi, code, gr)
            assert (lo == hi).all()
        free = places - int(kept.sum())
        tied = member & (flags & GRADE_FLAG_QUOTA_TIE > 0)
        if tied.any():
            # A boundary tie: its people share a rank, do not fit in what is left, and are named by the flag.
            assert len(np.unique(rank[tied])) == 1 and (grade[tied] != EXCELLENT).all()
            assert won.sum() < free < won.sum() + tied.sum()
            assert (tied == (lost & (rank == rank[tied][0]))).all()
            stats["ties"] += 1
        else:
            assert won.sum() == min(free, int(eligible.sum()))  # no tie: every place the share allows is used
        stats["groups"] += 1
        stats["people"] += size
        stats["over_decisions"] += int(over.sum())
        stats["capped"] += int(g.nominal[k, EXCELLENT] > places)
        stats["max_share"] = max(stats["max_share"], excellent / size)
        if share > 0:
            stats["max_of_share"] = max(stats["max_of_share"], excellent / (share * size))


def test_quota_is_a_hard_ceiling_in_every_generated_group() -> None:
    stats = {"groups": 0, "people": 0, "ties": 0, "over_decisions": 0, "capped": 0, "max_share": 0.0,
             "max_of_share": 0.0}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(cases())
    def check(case: dict) -> None:
        _check_round(case, stats)

    check()
    print(f"quota property: {stats['groups']} groups ({stats['people']} people); "
          f"max 优秀 share {stats['max_share']:.4f}; max 优秀 ÷ configured share {stats['max_of_share']:.4f}; "
          f"rounding capped in {stats['capped']} groups; {stats['ties']} boundary ties flagged; "
          f"{stats['over_decisions']} decisions beyond the quota not granted")
    assert stats["groups"] >= 10_000
    assert stats["max_share"] <= 0.20 and stats["max_of_share"] <= 1.0
    assert stats["capped"] and stats["ties"] and stats["over_decisions"]  # every path was exercised
