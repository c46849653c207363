"""Tests for the points assessment engine (bole.engines.scoring)."""

from __future__ import annotations

import numpy as np
import pytest

from bole.engines.scoring import (
    ENGINE_VERSION,
    FLAG_ALL_EXCLUDED,
    FLAG_EXCLUDED,
    FLAG_MISSING_IMPUTED,
    FLAG_MISSING_ZERO,
    FLAG_NO_GROUP_DATA,
    FLAG_RAW_CLIPPED,
    FLAG_ZSCORE_CLIPPED,
    GRADE_FLAG_BELOW_MIN_TOTAL,
    GRADE_FLAG_DECISION_OVER_QUOTA,
    GRADE_FLAG_OVERRIDDEN,
    GRADE_FLAG_QUOTA_TIE,
    GRADE_FLAG_THRESHOLD,
    GradeRule,
    GradeScheme,
    IndicatorSpec,
    apply_caps,
    assign_grades,
    flag_names,
    quota_ceiling,
    quota_nominal,
    quota_places,
    rank_within_groups,
    round_contributions,
    score,
)

GRADES = GradeScheme(
    (
        GradeRule.quota("优秀", 0.15),
        GradeRule.rest("称职"),
        GradeRule.below("基本称职", 60.0),
        GradeRule.below("不称职", 40.0),
    )
)
EXCELLENT, COMPETENT, BASIC, INCOMPETENT = range(4)


def one(values: list[float], **spec: object) -> np.ndarray:
    """Normalise a single indicator (weight 100) for one group and return the normalised column."""
    x = np.array(values, dtype=float)[:, None]
    res = score(x, np.zeros(x.shape[0], dtype=int), [IndicatorSpec("x", 100.0, **spec)])  # type: ignore[arg-type]
    return np.asarray(res.normalised[:, 0])


# =========================================================================== normalisation goldens
def test_raw_and_direction() -> None:
    np.testing.assert_allclose(one([10, 20, 30, 40], normalisation="raw"), [10, 20, 30, 40])
    np.testing.assert_allclose(one([10, 20, 30, 40], normalisation="raw", direction=-1), [90, 80, 70, 60])


def test_raw_clips_and_flags() -> None:
    x = np.array([[-5.0], [50.0], [120.0]])
    res = score(x, np.zeros(3, dtype=int), [IndicatorSpec("x", 100.0, normalisation="raw")])
    np.testing.assert_allclose(res.normalised[:, 0], [0, 50, 100])
    assert (res.flags & FLAG_RAW_CLIPPED).astype(bool).tolist() == [True, False, True]
    assert flag_names(int(res.flags[0])) == ["raw_clipped"]


def test_minmax_golden() -> None:
    np.testing.assert_allclose(one([10, 20, 30, 40], normalisation="minmax"), [0, 100 / 3, 200 / 3, 100])
    np.testing.assert_allclose(
        one([10, 20, 30, 40], normalisation="minmax", direction=-1), [100, 200 / 3, 100 / 3, 0]
    )
    # All equal (and a group of one): everybody is at the group best.
    np.testing.assert_allclose(one([7, 7, 7], normalisation="minmax"), [100, 100, 100])
    np.testing.assert_allclose(one([7], normalisation="minmax", direction=-1), [100])


def test_zscore_golden() -> None:
    # mean 25, population sd sqrt(125); T = 50 + 10 z.
    z = np.array([-15, -5, 5, 15]) / np.sqrt(125.0)
    np.testing.assert_allclose(one([10, 20, 30, 40], normalisation="zscore"), 50 + 10 * z)
    np.testing.assert_allclose(one([10, 20, 30, 40], normalisation="zscore", direction=-1), 50 - 10 * z)
    np.testing.assert_allclose(
        one([36.58359214, 45.52786405, 54.47213595, 63.41640786], normalisation="zscore"),
        one([10, 20, 30, 40], normalisation="zscore"),
    )
    # No spread (including float noise around a repeated decimal) → 50.
    np.testing.assert_allclose(one([0.1] * 7, normalisation="zscore"), [50] * 7)


def test_zscore_clipping_flagged() -> None:
    x = np.array([[0.0]] * 99 + [[1.0]])  # outlier at z = sqrt(99) ≈ 9.95
    res = score(x, np.zeros(100, dtype=int), [IndicatorSpec("x", 100.0, normalisation="zscore")])
    assert res.normalised[99, 0] == 100.0
    assert res.flags[99] & FLAG_ZSCORE_CLIPPED
    assert not (res.flags[:99] & FLAG_ZSCORE_CLIPPED).any()


def test_percentile_golden() -> None:
    np.testing.assert_allclose(one([10, 20, 30, 40], normalisation="percentile"), [12.5, 37.5, 62.5, 87.5])
    np.testing.assert_allclose(one([10, 20, 20, 40], normalisation="percentile"), [12.5, 50, 50, 87.5])
    np.testing.assert_allclose(
        one([10, 20, 20, 40], normalisation="percentile", direction=-1), [87.5, 50, 50, 12.5]
    )
    np.testing.assert_allclose(one([3], normalisation="percentile"), [50])


def test_normalisation_is_within_group() -> None:
    x = np.array([[10.0], [20.0], [1000.0], [3000.0], [5000.0]])
    g = np.array([7, 7, 3, 3, 3])
    res = score(x, g, [IndicatorSpec("x", 100.0, normalisation="minmax")])
    np.testing.assert_allclose(res.normalised[:, 0], [0, 100, 0, 50, 100])
    assert res.group_size.tolist() == [2, 2, 3, 3, 3]
    assert res.rank.tolist() == [2, 1, 3, 2, 1]
    res = score(x, g, [IndicatorSpec("x", 100.0, normalisation="percentile")])
    np.testing.assert_allclose(res.normalised[:, 0], [25, 75, 100 / 6, 50, 500 / 6])


def test_weights_and_contributions() -> None:
    x = np.array([[80.0, 10.0], [60.0, 30.0]])
    specs = [IndicatorSpec("a", 70.0, normalisation="raw"), IndicatorSpec("b", 30.0, normalisation="minmax")]
    res = score(x, np.zeros(2, dtype=int), specs)
    np.testing.assert_allclose(res.contributions, [[56.0, 0.0], [42.0, 30.0]])
    np.testing.assert_allclose(res.total, [56.0, 72.0])
    assert res.rank.tolist() == [2, 1]
    assert res.engine_version == ENGINE_VERSION
    assert res.specs == tuple(specs)
    with pytest.raises(ValueError, match="sum to 100"):
        score(x, np.zeros(2, dtype=int), [IndicatorSpec("a", 70.0), IndicatorSpec("b", 20.0)])
    with pytest.raises(ValueError):
        IndicatorSpec("a", 50.0, direction=0)
    with pytest.raises(ValueError):
        IndicatorSpec("a", 50.0, normalisation="rank")  # type: ignore[arg-type]


def test_results_are_read_only() -> None:
    res = score(np.array([[1.0], [2.0]]), np.zeros(2, dtype=int), [IndicatorSpec("x", 100.0)])
    with pytest.raises(ValueError):
        res.total[0] = 5.0
    with pytest.raises(AttributeError):
        res.decimals = 3  # type: ignore[misc]


# =========================================================================== missing rules
def test_missing_zero() -> None:
    np.testing.assert_allclose(one([10, np.nan, 30], normalisation="minmax", missing="zero"), [0, 0, 100])
    x = np.array([[10.0], [np.nan], [30.0]])
    res = score(x, np.zeros(3, dtype=int), [IndicatorSpec("x", 100.0, missing="zero")])
    assert (res.flags & FLAG_MISSING_ZERO).astype(bool).tolist() == [False, True, False]
    assert res.missing[:, 0].tolist() == [False, True, False]


def test_missing_group_mean() -> None:
    np.testing.assert_allclose(
        one([10, np.nan, 30], normalisation="minmax", missing="group_mean"), [0, 50, 100]
    )
    np.testing.assert_allclose(
        one([10, np.nan, 30, 80], normalisation="raw", missing="group_mean"), [10, 40, 30, 80]
    )
    # The imputed value is the mean of the *other members'* normalised values, per group.
    x = np.array([[10.0], [np.nan], [30.0], [np.nan], [np.nan]])
    g = np.array([1, 1, 1, 2, 2])
    res = score(x, g, [IndicatorSpec("x", 100.0, normalisation="percentile", missing="group_mean")])
    np.testing.assert_allclose(res.normalised[:, 0], [25, 50, 75, 0, 0])
    assert (res.flags & FLAG_MISSING_IMPUTED).astype(bool).tolist() == [False, True, False, True, True]
    assert (res.flags & FLAG_NO_GROUP_DATA).astype(bool).tolist() == [False, False, False, True, True]


def test_missing_exclude_renormalises_weights() -> None:
    x = np.array(
        [
            [50.0, 80.0, 20.0],
            [np.nan, 60.0, 40.0],
            [np.nan, np.nan, 90.0],
        ]
    )
    specs = [
        IndicatorSpec("a", 50.0, normalisation="raw", missing="exclude"),
        IndicatorSpec("b", 30.0, normalisation="raw", missing="exclude"),
        IndicatorSpec("c", 20.0, normalisation="raw", missing="zero"),
    ]
    res = score(x, np.zeros(3, dtype=int), specs)
    np.testing.assert_allclose(res.effective_weight, [[50, 30, 20], [0, 60, 40], [0, 0, 100]])
    np.testing.assert_allclose(res.total, [50 * 0.5 + 80 * 0.3 + 20 * 0.2, 60 * 0.6 + 40 * 0.4, 90.0])
    assert (res.flags & FLAG_EXCLUDED).astype(bool).tolist() == [False, True, True]
    np.testing.assert_allclose(res.effective_weight.sum(axis=1), 100.0)


def test_everything_excluded() -> None:
    x = np.array([[np.nan], [50.0]])
    res = score(
        x, np.zeros(2, dtype=int), [IndicatorSpec("a", 100.0, normalisation="raw", missing="exclude")]
    )
    np.testing.assert_allclose(res.total, [0.0, 50.0])
    assert res.flags[0] & FLAG_ALL_EXCLUDED and res.flags[0] & FLAG_EXCLUDED
    assert not res.flags[1]


# =========================================================================== rounding
def test_round_contributions_golden() -> None:
    r = round_contributions(np.array([[33.3333, 33.3333, 33.3334], [1 / 3, 1 / 3, 1 / 3], [0.125, 0.0, 0.0]]))
    np.testing.assert_array_equal(r.contribution_units, [[3333, 3333, 3334], [34, 33, 33], [13, 0, 0]])
    np.testing.assert_array_equal(r.total_units, [10000, 100, 13])
    np.testing.assert_allclose(r.total, [100.0, 1.0, 0.13])
    # Binary noise: 1.005 is stored as 1.00499999…, but a reader expects 四舍五入 to 1.01.
    assert round_contributions(np.array([[1.005]])).total_units[0] == 101
    # Three equal thirds of 10: 3.33+3.33+3.33 = 9.99 ≠ 10.00, so one part is shown as 3.34.
    r = round_contributions(np.full((1, 3), 10 / 3))
    assert r.contribution_units.tolist() == [[334, 333, 333]] and r.total_units[0] == 1000


def test_rounded_contributions_sum_exactly_for_10000_people() -> None:
    rng = np.random.default_rng(42)
    n, k = 10_000, 7
    w = rng.dirichlet(np.ones(k)) * 100
    w[-1] = 100 - w[:-1].sum()
    specs = [
        IndicatorSpec(f"i{j}", float(w[j]), direction=(1 if j % 3 else -1),
                      normalisation=("raw", "minmax", "zscore", "percentile")[j % 4],
                      missing=("zero", "group_mean", "exclude")[j % 3])
        for j in range(k)
    ]  # fmt: skip
    x = rng.uniform(0, 100, (n, k))
    x[rng.random((n, k)) < 0.05] = np.nan
    g = rng.integers(0, 40, n)
    res = score(x, g, specs)
    units = res.rounded.contribution_units
    np.testing.assert_array_equal(units.sum(axis=1), res.rounded.total_units)
    # Displayed floats (formatted to 2 decimals) add up too.
    np.testing.assert_array_equal(np.round(res.contributions_rounded.sum(axis=1), 2), res.total_rounded)
    # Each shown part is within one unit of its exact value; the total within half a unit.
    assert np.abs(res.contributions_rounded - res.contributions).max() < 0.01 + 1e-9
    assert np.abs(res.total_rounded - res.total).max() <= 0.005 + 1e-9
    # Also for arbitrary (including negative) contribution matrices.
    c = rng.normal(0, 20, (10_000, 5))
    r = round_contributions(c, decimals=2)
    np.testing.assert_array_equal(r.contribution_units.sum(axis=1), r.total_units)
    r1 = round_contributions(c, decimals=1)
    np.testing.assert_array_equal(r1.contribution_units.sum(axis=1), r1.total_units)


def test_ranking_uses_rounded_total() -> None:
    # Exact totals 80.004 and 80.001 both display as 80.00, so they tie.
    x = np.array([[80.004], [80.001], [79.0]])
    res = score(x, np.zeros(3, dtype=int), [IndicatorSpec("x", 100.0, normalisation="raw")])
    assert res.total_rounded.tolist() == [80.0, 80.0, 79.0]
    assert res.rank.tolist() == [1, 1, 3]


# =========================================================================== ranking
def test_ranks_ties_and_tie_breakers() -> None:
    total = np.array([100, 90, 90, 80, 90, 70])
    g = np.zeros(6, dtype=int)
    r = rank_within_groups(total, g)
    assert r.rank.tolist() == [1, 2, 2, 5, 2, 6]
    assert sorted(r.position.tolist()) == [1, 2, 3, 4, 5, 6]
    assert r.position.tolist() == [1, 2, 3, 5, 4, 6]  # remaining ties kept in input order

    secondary = np.array([0.0, 5.0, 7.0, 0.0, 5.0, 0.0])
    r = rank_within_groups(total, g, [secondary])
    assert r.rank.tolist() == [1, 3, 2, 5, 3, 6]

    ids = np.array([11, 42, 13, 14, 15, 16])
    r = rank_within_groups(total, g, [secondary, ids], [1, -1])  # smaller id first
    assert r.rank.tolist() == [1, 4, 2, 5, 3, 6]

    # Lower-is-better tie-breaker and NaN (ranked last).
    sec = np.array([0.0, np.nan, 7.0, 0.0, 5.0, 0.0])
    r = rank_within_groups(total, g, [sec], [-1])
    assert r.rank.tolist() == [1, 4, 3, 5, 2, 6]


def test_ranks_per_group_and_string_ids() -> None:
    total = np.array([5, 5, 5, 9, 1])
    g = np.array(["b", "a", "b", "a", "b"])
    r = rank_within_groups(total, g, [np.array(["x", "z", "y", "q", "w"])], [-1])
    assert r.rank.tolist() == [1, 2, 2, 1, 3]
    assert r.group_size.tolist() == [3, 2, 3, 2, 3]
    assert r.groups.tolist() == ["a", "b"]


# =========================================================================== grades
def _grade(totals: list[float] | np.ndarray, scheme: GradeScheme = GRADES, tie=None, override=None):
    t = np.asarray(totals, dtype=float)
    g = np.zeros(t.size, dtype=int)
    units = np.rint(t * 100).astype(np.int64)
    r = rank_within_groups(units, g, [] if tie is None else [tie])
    return assign_grades(t, r.rank, g, scheme, override)


def test_quota_group_of_20_gives_3() -> None:
    res = _grade(np.linspace(99, 70, 20))
    assert res.quota[0, EXCELLENT] == 3
    assert res.grade.tolist()[:4] == [EXCELLENT] * 3 + [COMPETENT]
    assert res.counts[0].tolist() == [3, 17, 0, 0]
    assert res.labels == ("优秀", "称职", "基本称职", "不称职")


def test_quota_group_of_7_gives_1() -> None:
    res = _grade([90, 88, 86, 84, 82, 80, 78])
    assert res.quota[0, EXCELLENT] == 1
    assert res.counts[0, EXCELLENT] == 1 and res.grade[0] == EXCELLENT


def test_quota_rounding_modes() -> None:
    def scheme(mode: str) -> GradeScheme:
        return GradeScheme((GradeRule.quota("优秀", 0.15), GradeRule.rest("称职")), quota_rounding=mode)  # type: ignore[arg-type]

    sizes = np.array([7, 10, 20, 100])
    assert scheme("floor").quota_count(0.15, sizes).tolist() == [1, 1, 3, 15]
    # The rounding rule alone: 1.5 rounds half up, 3.0000000000000004 is 3 ...
    assert scheme("round").quota_nominal(0.15, sizes).tolist() == [1, 2, 3, 15]
    assert scheme("ceil").quota_nominal(0.15, sizes).tolist() == [2, 2, 3, 15]
    # ... but the share is a ceiling: rounding may only go down.
    assert scheme("round").quota_count(0.15, sizes).tolist() == [1, 1, 3, 15]
    assert scheme("ceil").quota_count(0.15, sizes).tolist() == [1, 1, 3, 15]
    assert scheme("floor").quota_count(0.2, np.array([5, 15])).tolist() == [1, 3]


def test_round_half_up_never_exceeds_the_share() -> None:
    # 四舍五入 used to give 1 of 3 (33%), 1 of 4 and 2 of 8 (25%), 3 of 13 (23%) at a 20% share.
    sizes = np.array([3, 4, 8, 13, 10, 5])
    assert quota_nominal(0.2, sizes, "round").tolist() == [1, 1, 2, 3, 2, 1]
    assert quota_places(0.2, sizes, "round").tolist() == [0, 0, 1, 2, 2, 1]
    assert quota_ceiling(0.2, sizes).tolist() == [0, 0, 1, 2, 2, 1]
    scheme = GradeScheme((GradeRule.quota("优秀", 0.2), GradeRule.rest("称职")), quota_rounding="round")
    res = _grade([90, 80, 70], scheme)
    assert res.quota[0, EXCELLENT] == 0 and res.nominal[0, EXCELLENT] == 1
    assert res.counts[0, EXCELLENT] == 0


def test_decisions_beyond_the_quota_are_not_granted() -> None:
    totals = [95, 92, 85, 80, 75, 70, 65, 62, 61, 55]  # group of 10 at 15% → 1 place
    override = np.full(10, -1)
    override[[2, 5, 9]] = EXCELLENT  # three 优秀 decisions
    res = _grade(totals, override=override)
    assert res.counts[0, EXCELLENT] == 1 and res.grade[2] == EXCELLENT
    assert res.flags[2] & GRADE_FLAG_OVERRIDDEN
    assert (res.flags[[5, 9]] & GRADE_FLAG_DECISION_OVER_QUOTA).all()
    assert not (res.flags[[5, 9]] & GRADE_FLAG_OVERRIDDEN).any()
    assert res.grade[5] == COMPETENT and res.grade[9] == BASIC  # as undecided: 55 is below 60
    assert res.grade[0] == COMPETENT  # the place went to the decision
    assert (override[[2, 5, 9]] == EXCELLENT).all()  # the caller's array is left alone


def test_tie_at_quota_boundary_gives_fewer() -> None:
    totals = list(np.linspace(99, 70, 20))
    totals[3] = totals[2]  # 3rd and 4th equal: both straddle the 3-place quota
    res = _grade(totals)
    assert res.counts[0, EXCELLENT] == 2
    assert res.grade.tolist()[:5] == [EXCELLENT, EXCELLENT, COMPETENT, COMPETENT, COMPETENT]
    assert (res.flags[[2, 3]] & GRADE_FLAG_QUOTA_TIE).all()
    assert not (res.flags[[0, 1, 4]] & GRADE_FLAG_QUOTA_TIE).any()
    # A tie-breaker that separates them restores the third place.
    tie = np.zeros(20)
    tie[3] = 1.0
    res = _grade(totals, tie=tie)
    assert res.counts[0, EXCELLENT] == 3
    assert res.grade[3] == EXCELLENT and res.grade[2] == COMPETENT
    # A tie-breaker that is itself tied does not.
    res = _grade(totals, tie=np.ones(20))
    assert res.counts[0, EXCELLENT] == 2
    # A tie entirely inside the quota is fine: 1st and 2nd equal → still 3.
    totals2 = list(np.linspace(99, 70, 20))
    totals2[1] = totals2[0]
    assert _grade(totals2).counts[0, EXCELLENT] == 3
    # A three-way tie at the top of a group of 7 (quota 1) → nobody.
    assert _grade([90, 90, 90, 84, 82, 80, 78]).counts[0, EXCELLENT] == 0


def test_quota_share_maximum_enforced() -> None:
    GradeRule.quota("优秀", 0.20)
    with pytest.raises(ValueError, match="quota share"):
        GradeRule.quota("优秀", 0.21)
    with pytest.raises(ValueError):
        GradeScheme((GradeRule.rest("称职"), GradeRule.quota("优秀", 0.1)))  # wrong order
    with pytest.raises(ValueError, match="decreasing"):  # 不称职 below 60 would swallow 基本称职 below 40
        GradeScheme((GradeRule.rest("称职"), GradeRule.below("基本称职", 40), GradeRule.below("不称职", 60)))


def test_min_total_for_quota() -> None:
    scheme = GradeScheme(
        (
            GradeRule.quota("优秀", 0.2, min_total=90.0),
            GradeRule.rest("称职"),
            GradeRule.below("基本称职", 60),
        )
    )
    res = _grade([95, 89.99, 85, 80, 75, 70, 65, 64, 63, 62], scheme)  # quota 2, only one reaches 90
    assert res.grade.tolist()[:2] == [EXCELLENT, COMPETENT]
    assert res.flags[1] & GRADE_FLAG_BELOW_MIN_TOTAL


def test_thresholds_and_overrides() -> None:
    totals = [95, 92, 85, 80, 75, 70, 65, 59.99, 45, 39.99, 20]
    res = _grade(totals)  # group of 11 → 1 place
    assert res.grade.tolist() == [0, 1, 1, 1, 1, 1, 1, BASIC, BASIC, INCOMPETENT, INCOMPETENT]
    assert (res.flags[7:] & GRADE_FLAG_THRESHOLD).all()

    override = np.full(11, -1)
    override[0] = INCOMPETENT  # decided 不称职 despite the top total
    override[10] = BASIC
    res = _grade(totals, override=override)
    # The overridden person does not take the 优秀 place; it passes to the next eligible person.
    assert res.grade.tolist() == [INCOMPETENT, 0, 1, 1, 1, 1, 1, BASIC, BASIC, INCOMPETENT, BASIC]
    assert res.flags[0] & GRADE_FLAG_OVERRIDDEN and res.flags[10] & GRADE_FLAG_OVERRIDDEN
    assert res.counts[0].tolist() == [1, 5, 3, 2]

    # An explicit 优秀 decision uses up the place.
    override = np.full(11, -1)
    override[4] = EXCELLENT
    res = _grade(totals, override=override)
    assert res.grade.tolist()[:5] == [1, 1, 1, 1, 0]
    assert res.counts[0, EXCELLENT] == 1
    with pytest.raises(ValueError):
        _grade(totals, override=np.full(11, 7))


def test_grades_per_group_through_score() -> None:
    rng = np.random.default_rng(5)
    x = rng.uniform(50, 100, (27, 2))
    g = np.array([0] * 20 + [1] * 7)
    specs = [IndicatorSpec("a", 60.0, normalisation="raw"), IndicatorSpec("b", 40.0, normalisation="raw")]
    res = score(x, g, specs, [np.arange(27)], [-1], grade_scheme=GRADES)
    assert res.grades is not None and res.grade is not None
    assert res.grades.counts[:, EXCELLENT].tolist() == [3, 1]
    assert res.grades.counts.sum(axis=1).tolist() == [20, 7]
    top = res.rank == 1
    assert (res.grade[top] == EXCELLENT).all()


# =========================================================================== caps
def test_apply_caps_golden() -> None:
    person = np.array([1, 1, 1, 1, 2, 2, 2, 2, 2])
    category = np.array([1, 1, 1, 1, 1, 2, 3, 3, 3])
    period = np.array([2024, 2024, 2024, 2025, 2024, 2024, 2024, 2024, 2025])
    points = np.array([6.0, 5.0, -3.0, 4.0, 12.0, 12.0, -4.0, -3.0, 2.0])
    res = apply_caps(person, category, period, points, caps={1: 10.0, 3: 1.0}, floors={3: -5.0})
    keys = list(zip(res.person.tolist(), res.category.tolist(), res.period.tolist(), strict=True))
    assert keys == [(1, 1, 2024), (1, 1, 2025), (2, 1, 2024), (2, 2, 2024), (2, 3, 2024), (2, 3, 2025)]
    np.testing.assert_allclose(res.positive, [11, 4, 12, 12, 0, 2])
    np.testing.assert_allclose(res.negative, [-3, 0, 0, 0, -7, 0])
    np.testing.assert_allclose(res.capped_positive, [10, 4, 10, 12, 0, 1])
    np.testing.assert_allclose(res.floored_negative, [-3, 0, 0, 0, -5, 0])
    np.testing.assert_allclose(res.total, [7, 4, 10, 12, -5, 1])
    np.testing.assert_allclose(res.cut, [1, 0, 2, 0, 0, 1])
    np.testing.assert_allclose(res.waived, [0, 0, 0, 0, 2, 0])
    assert res.row_key.tolist() == [0, 0, 0, 1, 2, 3, 4, 4, 5]
    assert res.caps == {1: 10.0, 3: 1.0} and res.engine_version == ENGINE_VERSION


def test_apply_caps_scalar_cap_and_no_floor() -> None:
    res = apply_caps(
        np.array([3, 3, 3]), np.array([0, 0, 0]), np.array([1, 1, 1]), np.array([4.0, 4.0, -30.0]), 5.0
    )
    np.testing.assert_allclose(res.total, [-25.0])  # deductions are never capped
    np.testing.assert_allclose(res.cut, [3.0])
    assert res.default_cap == 5.0
    with pytest.raises(ValueError):
        apply_caps(np.array([1]), np.array([1]), np.array([1]), np.array([1.0]), {1: -1.0})
    with pytest.raises(ValueError):
        apply_caps(np.array([1]), np.array([1]), np.array([1]), np.array([1.0]), 5.0, floors=3.0)


# =========================================================================== scale
def test_100k_by_7_runs() -> None:
    rng = np.random.default_rng(0)
    n, k = 100_000, 7
    specs = [
        IndicatorSpec("i0", 20.0, normalisation="raw", missing="zero"),
        IndicatorSpec("i1", 15.0, normalisation="minmax", missing="group_mean"),
        IndicatorSpec("i2", 15.0, normalisation="zscore", missing="exclude"),
        IndicatorSpec("i3", 15.0, normalisation="percentile", direction=-1),
        IndicatorSpec("i4", 10.0, normalisation="minmax", direction=-1, missing="exclude"),
        IndicatorSpec("i5", 15.0, normalisation="percentile", missing="group_mean"),
        IndicatorSpec("i6", 10.0, normalisation="zscore"),
    ]
    x = rng.uniform(0, 100, (n, k))
    x[rng.random((n, k)) < 0.02] = np.nan
    g = rng.integers(0, 300, n)
    res = score(x, g, specs, [x[:, 1], np.arange(n)], [1, -1], grade_scheme=GRADES)
    assert res.normalised.shape == (n, k)
    assert np.isfinite(res.total).all() and (res.total <= 100 + 1e-9).all() and (res.total >= 0).all()
    assert res.grades is not None
    assert (res.grades.counts[:, EXCELLENT] <= res.grades.quota[:, EXCELLENT]).all()
    # With a unique id as last tie-breaker, ranks are a permutation within each group.
    assert (res.rank == res.ranking.position).all()
