"""强村指数 engine: golden values worked by hand, and simulations of what the index claims to recover."""

import numpy as np
import pytest

from bole.engines import index as ix

X = np.array([[1.0], [2.0], [3.0], [4.0], [10.0]])
ONE = [ix.Indicator("a", lo=0, hi=5, target=4)]


def norm(method, x=X, inds=ONE):
    return ix.normalise(x, method, inds)[:, 0]


# ------------------------------------------------------------ normalisation (hand-computed)


def test_minmax_golden():
    # (x - 1) / (10 - 1) * 100
    assert norm("minmax") == pytest.approx([0, 100 / 9, 200 / 9, 300 / 9, 100])


def test_minmax_reversed_direction():
    inds = [ix.Indicator("debt", direction=-1)]
    assert norm("minmax", inds=inds) == pytest.approx([100, 800 / 9, 700 / 9, 600 / 9, 0])


def test_zscore_golden():
    # mean 4, population sd sqrt((9 + 4 + 1 + 0 + 36) / 5) = sqrt(10); T = 50 + 10 z
    assert norm("zscore") == pytest.approx([40.5132, 43.6754, 46.8377, 50.0, 68.9737], abs=1e-4)


def test_rank_golden_with_ties():
    assert norm("rank") == pytest.approx([0, 25, 50, 75, 100])
    tied = np.array([[1.0], [2.0], [2.0], [3.0]])
    # average ranks 1, 2.5, 2.5, 4 -> 100 (r - 1) / 3
    assert norm("rank", tied) == pytest.approx([0, 50, 50, 100])


def test_goalposts_golden_clipped():
    # lo 0, hi 5: 100 x / 5, the 10 clipped to 100
    assert norm("goalposts") == pytest.approx([20, 40, 60, 80, 100])


def test_distance_to_target_golden():
    # target 4, min 1: 100 (x - 1) / 3, clipped at 100
    assert norm("target") == pytest.approx([0, 100 / 3, 200 / 3, 100, 100])


def test_constant_indicator_is_midscale_and_missing_stays_missing():
    x = np.array([[5.0], [5.0], [np.nan]])
    out = ix.normalise(x, "minmax", [ix.Indicator("c")])[:, 0]
    assert out[:2] == pytest.approx([50, 50]) and np.isnan(out[2])


def test_goalposts_need_both_posts():
    with pytest.raises(ValueError):
        ix.normalise(X, "goalposts", [ix.Indicator("a", lo=0)])


# ------------------------------------------------------------ aggregation (hand-computed)

V = np.array([[50.0, 80.0], [10.0, 40.0]])
W = np.array([0.25, 0.75])


def test_arithmetic_golden():
    # 0.25*50 + 0.75*80 = 72.5; 0.25*10 + 0.75*40 = 32.5
    assert ix.aggregate(V, W, "arithmetic") == pytest.approx([72.5, 32.5])


def test_geometric_golden():
    # 50^0.25 * 80^0.75 = exp(0.25*3.912023 + 0.75*4.382027) = exp(4.264526) = 71.1312; 10^0.25 * 40^0.75 = 28.2843
    assert ix.aggregate(V, W, "geometric") == pytest.approx([71.1312, 28.2843], abs=1e-4)


def test_harmonic_golden():
    # 1 / (0.25/50 + 0.75/80) = 1 / 0.014375 = 69.5652; 1 / (0.025 + 0.01875) = 22.8571
    assert ix.aggregate(V, W, "harmonic") == pytest.approx([69.5652, 22.8571], abs=1e-4)


def test_missing_values_renormalise_the_weights():
    v = np.array([[50.0, np.nan], [np.nan, np.nan]])
    out = ix.aggregate(v, W, "arithmetic")
    assert out[0] == pytest.approx(50.0) and np.isnan(out[1])


def test_geometric_floor_keeps_a_zero_from_wiping_out():
    v = np.array([[0.0, 100.0]])
    # max(0, 1) = 1: 1^0.5 * 100^0.5 = 10
    assert ix.aggregate(v, np.array([0.5, 0.5]), "geometric") == pytest.approx([10.0])


def test_aggregate_many_weight_rows_matches_one_by_one():
    rng = np.random.default_rng(3)
    v = rng.random((30, 4)) * 100
    ws = rng.random((7, 4))
    for method in ix.AGGREGATIONS:
        many = ix.aggregate(v, ws, method)
        for k in range(7):
            assert many[k] == pytest.approx(ix.aggregate(v, ws[k] / ws[k].sum(), method))


# ------------------------------------------------------------ weights, imputation, outliers, denominators


def test_entropy_weights_golden():
    x = np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 4.0]])
    # p1 = 1/6, 2/6, 3/6: e1 = 1.011404 / ln 3 = 0.920620; p2 = 1/6, 1/6, 4/6: e2 = 0.789693
    # d = 0.079380, 0.210307 -> w = 0.27399, 0.72601
    assert ix.weights("entropy", x) == pytest.approx([0.27399, 0.72601], abs=1e-4)


def test_critic_weights_golden():
    x = np.array([[1.0, 3.0, 1.0], [2.0, 2.0, 1.0], [3.0, 1.0, 4.0]])
    # sd 1, 1, sqrt(3); r12 = -1, r13 = r23 (±0.866025): C1 = 1*(0 + 2 + 1-0.866025) = 2.133975,
    # C2 = 1*(2 + 0 + 1+0.866025) = 3.866025, C3 = sqrt(3)*((1-0.866025) + (1+0.866025)) = 3.464102
    c = np.array([2.133975, 3.866025, 3.464102])
    assert ix.weights("critic", x) == pytest.approx(c / c.sum(), abs=1e-5)


def test_pca_weights_golden():
    x = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, -1.0], [3.0, 6.0, -1.0], [4.0, 8.0, 1.0]])
    # correlation [[1,1,0],[1,1,0],[0,0,1]]: first component (1,1,0)/sqrt 2, squared loadings 0.5, 0.5, 0
    assert ix.weights("pca", x) == pytest.approx([0.5, 0.5, 0.0], abs=1e-9)


def test_manual_and_equal_weights():
    inds = [ix.Indicator("a", weight=3), ix.Indicator("b", weight=1)]
    assert ix.weights("manual", None, inds) == pytest.approx([0.75, 0.25])
    assert ix.weights("equal", np.zeros((2, 2)), inds) == pytest.approx([0.5, 0.5])


def test_imputation_golden():
    x = np.array([[1.0], [np.nan], [3.0], [8.0], [np.nan]])
    groups = np.array(["t1", "t1", "t1", "t2", "t2"])
    mean, mask = ix.impute(x, "mean")
    assert mean[:, 0] == pytest.approx([1, 4, 3, 8, 4]) and mask[:, 0].tolist() == [0, 1, 0, 0, 1]
    assert ix.impute(x, "median")[0][:, 0] == pytest.approx([1, 3, 3, 8, 3])
    assert ix.impute(x, "group_mean", groups)[0][:, 0] == pytest.approx([1, 2, 3, 8, 8])
    assert np.isnan(ix.impute(x, "none")[0][1, 0])


def test_winsorise_pulls_the_outlier_to_the_next_value():
    col = np.r_[np.arange(1.0, 10.0), 100.0][:, None]
    out, changed = ix.winsorise(col)
    assert out[-1, 0] == 9.0 and changed[:, 0].tolist() == [False] * 9 + [True]
    calm = np.arange(1.0, 11.0)[:, None]
    assert not ix.winsorise(calm)[1].any()


def test_denominator_per_thousand():
    data = np.array([[10.0, 2000.0], [3.0, 0.0]])
    inds = [ix.Indicator("per_k", denominator=1, scale=1000)]
    out = ix.denominate(data, inds)[:, 0]
    assert out[0] == pytest.approx(5.0) and np.isnan(out[1])


def test_competition_ranks():
    assert ix.competition_ranks(np.array([3.0, 5.0, 5.0, 1.0, np.nan])).tolist() == [3, 1, 1, 4, 5]


def test_rank_intervals_match_quantiles():
    rng = np.random.default_rng(0)
    ranks = rng.integers(1, 11, size=(999, 10))
    lo, med, hi = ix.rank_intervals(ranks, 0.9)
    assert lo.tolist() == np.quantile(ranks, 0.05, axis=0, method="inverted_cdf").astype(int).tolist()
    assert hi.tolist() == np.quantile(ranks, 0.95, axis=0, method="inverted_cdf").astype(int).tolist()
    assert med.tolist() == np.quantile(ranks, 0.5, axis=0, method="inverted_cdf").astype(int).tolist()


def test_build_contributions_add_up_and_carry_the_version():
    rng = np.random.default_rng(1)
    data = rng.random((20, 4))
    inds = [ix.Indicator(c, weight=w) for c, w in zip("abcd", (1, 2, 3, 4), strict=True)]
    res = ix.build(data, inds)
    assert res.contributions.sum(axis=1) == pytest.approx(res.scores)
    assert res.engine_version == ix.ENGINE_VERSION


# ------------------------------------------------------------ simulations


def _villages(n=200, m=8, seed=0, noise=0.3):
    rng = np.random.default_rng(seed)
    strength = rng.normal(size=n)
    data = np.exp(strength[:, None] + rng.normal(scale=noise, size=(n, m)))
    return strength, data, [ix.Indicator(f"i{j}", weight=1 + j % 3) for j in range(m)]


def test_index_recovers_a_known_ordering():
    strength, data, inds = _villages()
    for agg in ix.AGGREGATIONS:
        scores = ix.build(data, inds, ix.Choice(aggregation=agg, outlier="none")).scores
        rho = np.corrcoef(np.argsort(np.argsort(scores)), np.argsort(np.argsort(strength)))[0, 1]
        assert rho > 0.95, agg
    res = ix.build(data, inds)
    best, worst = np.argmax(strength), np.argmin(strength)
    assert res.ranks[best] <= 5 and res.ranks[worst] >= 195


def test_rank_intervals_cover_the_truth_at_their_stated_rate():
    """The true construction is one draw of the stated uncertainty; 90 % intervals cover its ranks ~90 % of the time."""
    strength, data, inds = _villages(n=150, noise=0.8)
    kwargs = dict(
        imputations=["mean"],
        outliers=["none", "winsorise"],
        normalisations=["minmax", "zscore", "rank"],
        aggregations=list(ix.AGGREGATIONS),
        weightings=["manual", "equal"],
        noise=0.4,
    )
    space = ix._space(data, inds, None, **kwargs)
    unc = ix.uncertainty(data, inds, samples=4000, seed=5, space=space)
    rng = np.random.default_rng(99)
    truths = rng.random((300, 5 + len(inds)))
    scores = ix.score_samples(ix.draw_samples(truths, space, len(inds)), space)
    true_ranks = ix.rank_rows(scores)
    covered = (true_ranks >= unc.lower) & (true_ranks <= unc.upper)
    assert 0.87 <= covered.mean() <= 0.96
    # and the intervals are informative: the strongest village's interval is near the top
    assert unc.upper[np.argmax(strength)] <= 20


def test_sobol_estimators_on_the_ishigami_function():
    rng = np.random.default_rng(0)
    n = 40000
    u = ix.sobol_design(n, [[0], [1], [2]], 3, rng)
    x = -np.pi + 2 * np.pi * u
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    first, total = ix.sobol_indices(y, n, 3)
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=0.03)
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.03)


def test_sensitivity_finds_the_step_that_matters():
    strength, data, inds = _villages(n=100, noise=1.0)
    sens = ix.sensitivity(
        data,
        inds,
        imputations=["mean", "median"],  # no value is missing: imputation cannot matter
        normalisations=["minmax", "rank"],
        noise=0.3,
        n_base=600,
    )
    f = dict(zip(sens.factors, sens.total, strict=True))
    assert f["imputation"] == pytest.approx(0.0, abs=1e-9)
    assert f["normalisation"] > 0.05 and f["weights"] > 0.05
    assert sens.evaluations == 600 * 8


def test_leave_one_out_of_a_weightless_indicator_changes_nothing():
    _, data, _ = _villages(n=50, m=3)
    inds = [ix.Indicator("a", weight=1), ix.Indicator("b", weight=1), ix.Indicator("c", weight=0)]
    loo = ix.leave_one_out(data, inds)
    assert loo.mean_shift[2] == 0.0 and loo.mean_shift[0] > 0
