"""Benchmark of the 强村指数 engine: 1,000 villages × 20 indicators, 10,000 Monte-Carlo samples and Sobol indices.

The baseline is a straightforward pandas implementation of the same computation: for every sample it imputes,
winsorises, normalises, weights, aggregates and ranks the village table again with DataFrame operations, as one
would write it sample by sample. It is given the very same draws (the uniforms of the Monte-Carlo and of the
Saltelli design), so the ranks of both must agree exactly. The baseline is timed on a slice of the samples (all of
them would take minutes) and its time per sample scaled to the whole run; the ranks are compared on that slice.

pandas is imported here only, for the comparison: the engine depends on NumPy alone.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from bole.engines import index as ix

BENCH_VERSION = "index-bench-1.0.0"

CHOICES = {
    "imputations": ["mean", "median", "group_mean"],
    "outliers": ["none", "winsorise"],
    "normalisations": ["minmax", "zscore", "rank", "goalposts", "target"],
    "aggregations": ["arithmetic", "geometric", "harmonic"],
    "weightings": ["manual", "equal", "entropy", "critic", "pca"],
}


def simulate(n: int = 1000, m: int = 20, seed: int = 0):
    """Villages with a latent strength, skewed indicators, 2% missing values, towns of about 25 villages."""
    rng = np.random.default_rng(seed)
    strength = rng.normal(size=n)
    data = np.exp(0.6 * strength[:, None] + rng.normal(scale=0.7, size=(n, m)))
    data[rng.random((n, m)) < 0.02] = np.nan
    groups = rng.integers(0, max(1, n // 25), size=n)
    inds = [ix.Indicator(f"i{j}", weight=1 + j % 3, lo=0.0, hi=6.0, target=3.0) for j in range(m)]
    return strength, data, groups, inds


# ------------------------------------------------------------------ the pandas baseline


def _pd_impute(df, method, groups):
    if method == "mean":
        return df.fillna(df.mean())
    if method == "median":
        return df.fillna(df.median())
    overall = df.mean()
    return df.fillna(df.groupby(groups).transform("mean")).fillna(overall)


def _pd_winsorise(df):
    df = df.copy()
    for col in df.columns:
        s = df[col].copy()
        changed = np.zeros(len(s), dtype=bool)
        for _ in range(5):
            d = s - s.mean()
            m2 = (d**2).mean()
            if m2 == 0:
                break
            skew = (d**3).mean() / m2**1.5
            kurt = (d**4).mean() / m2**2 - 3
            if not (abs(skew) > 2 and kurt > 3.5):
                break
            pool = s[~changed]
            if skew > 0:
                top = pool.max()
                inside = pool[pool < top]
                if inside.empty:
                    break
                hit = (s == top) & ~changed
                s[hit] = inside.max()
            else:
                bottom = pool.min()
                inside = pool[pool > bottom]
                if inside.empty:
                    break
                hit = (s == bottom) & ~changed
                s[hit] = inside.min()
            changed |= hit.to_numpy()
        df[col] = s
    return df


def _pd_normalise(df, method, inds):
    import pandas as pd

    if method == "minmax":
        span = df.max() - df.min()
        out = 100 * (df - df.min()) / span.replace(0, 1)
        out.loc[:, span == 0] = 50.0
        return out
    if method == "zscore":
        sd = df.std(ddof=0)
        out = 50 + 10 * (df - df.mean()) / sd.replace(0, 1)
        out.loc[:, sd == 0] = 50.0
        return out
    if method == "rank":
        return 100 * (df.rank(method="average") - 1) / (df.count() - 1)
    if method == "goalposts":
        lo = pd.Series([i.lo for i in inds], index=df.columns)
        hi = pd.Series([i.hi for i in inds], index=df.columns)
        return (100 * (df - lo) / (hi - lo)).clip(0, 100)
    target = pd.Series([i.target for i in inds], index=df.columns)
    lo = df.min()
    return (100 * (df - lo) / (target - lo)).clip(0, 100)


def _pd_weights(method, norm, inds):
    if method == "manual":
        w = np.array([i.weight for i in inds], dtype=float)
    elif method == "equal":
        w = np.ones(norm.shape[1])
    elif method == "entropy":
        x = norm - norm.min().clip(upper=0)
        p = x / x.sum()
        e = -(p * np.log(p.where(p > 0, 1))).sum() / np.log(len(x))
        w = (1 - e).clip(lower=0).to_numpy()
    elif method == "critic":
        w = (norm.std(ddof=1) * (1 - norm.corr()).sum()).to_numpy()
    else:
        vals, vecs = np.linalg.eigh(norm.corr().to_numpy())
        w = vecs[:, -1] ** 2
    return w / w.sum()


def _pd_aggregate(norm, w, method):
    if method == "arithmetic":
        return (norm * w).sum(axis=1) / w.sum()
    v = norm.clip(lower=1.0)
    if method == "geometric":
        return np.exp((np.log(v) * w).sum(axis=1) / w.sum())
    return w.sum() / (w / v).sum(axis=1)


def pandas_ranks(data, groups, inds, u: np.ndarray, choices: dict, noise: float) -> np.ndarray:
    """Ranks (samples, n) computed sample by sample with pandas, from the same uniforms as the engine."""
    import pandas as pd

    df0 = pd.DataFrame(data, columns=[i.code for i in inds])
    m = len(inds)
    out = np.empty((u.shape[0], len(df0)), dtype=np.int64)
    pick = lambda x, opts: opts[min(int(x * len(opts)), len(opts) - 1)]  # noqa: E731
    for s in range(u.shape[0]):
        row = u[s]
        df = _pd_impute(df0, pick(row[0], choices["imputations"]), groups)
        if pick(row[1], choices["outliers"]) == "winsorise":
            df = _pd_winsorise(df)
        norm = _pd_normalise(df, pick(row[2], choices["normalisations"]), inds)
        agg = pick(row[3], choices["aggregations"])
        w = _pd_weights(pick(row[4], choices["weightings"]), norm, inds)
        w = w * (1 + noise * (2 * row[5 : 5 + m] - 1))
        w = w / w.sum()
        score = _pd_aggregate(norm, w, agg)
        out[s] = score.rank(method="min", ascending=False).to_numpy()
    return out


# ------------------------------------------------------------------ the run


def run(quick: bool = False, rows: int | None = None, log=print) -> dict[str, Any]:
    n = rows or (300 if quick else 1000)
    m = 20
    samples = 2000 if quick else 10_000
    noise = 0.25
    strength, data, groups, inds = simulate(n, m)
    n_base = samples // 8  # 6 factor groups: (2 + 6) × n_base evaluations, as many as the Monte-Carlo

    t0 = time.perf_counter()
    space = ix._space(data, inds, groups, noise=noise, **CHOICES)
    t1 = time.perf_counter()
    unc = ix.uncertainty(data, inds, samples=samples, seed=7, space=space, keep_ranks=True)
    t2 = time.perf_counter()
    sens = ix.sensitivity(data, inds, n_base=n_base, seed=8, space=space)
    t3 = time.perf_counter()
    loo = ix.leave_one_out(data, inds, ix.Choice(imputation="mean"), groups)
    t4 = time.perf_counter()
    log(f"engine {t4 - t0:.2f} s")

    # The same draws for the baseline.
    u_mc = np.random.default_rng(7).random((samples, 5 + m))
    cols = [[0], [1], [2], [3], [4], list(range(5, 5 + m))]
    u_sobol = ix.sobol_design(n_base, cols, 5 + m, np.random.default_rng(8))
    slice_n = 50 if quick else 60
    pick_mc = np.linspace(0, samples - 1, slice_n).astype(int)
    pick_sobol = np.linspace(0, u_sobol.shape[0] - 1, slice_n).astype(int)
    b0 = time.perf_counter()
    pd_mc = pandas_ranks(data, groups, inds, u_mc[pick_mc], CHOICES, noise)
    pd_sobol = pandas_ranks(data, groups, inds, u_sobol[pick_sobol], CHOICES, noise)
    b1 = time.perf_counter()
    log(f"pandas slice {b1 - b0:.2f} s")
    sobol_scores = ix.score_samples(ix.draw_samples(u_sobol[pick_sobol], space, m), space)
    eng_sobol = ix.rank_rows(sobol_scores)
    per_sample = (b1 - b0) / (2 * slice_n)
    evaluations = samples + sens.evaluations
    pandas_s = per_sample * evaluations
    engine_s = t4 - t0
    same_mc = int((pd_mc == unc.ranks[pick_mc]).all(axis=1).sum())
    same_sobol = int((pd_sobol == eng_sobol).all(axis=1).sum())
    width = unc.upper - unc.lower
    rho = float(np.corrcoef(np.argsort(np.argsort(-unc.median)), np.argsort(np.argsort(strength)))[0, 1])
    return {
        "bench_version": BENCH_VERSION,
        "engine_version": ix.ENGINE_VERSION,
        "villages": n,
        "indicators": m,
        "mc_samples": samples,
        "sobol_evaluations": sens.evaluations,
        "choices": {k: len(v) for k, v in CHOICES.items()},
        "engine_prepare_s": round(t1 - t0, 3),
        "engine_mc_s": round(t2 - t1, 3),
        "engine_sobol_s": round(t3 - t2, 3),
        "engine_loo_s": round(t4 - t3, 3),
        "engine_total_s": round(engine_s, 3),
        "pandas_samples_timed": 2 * slice_n,
        "pandas_per_sample_ms": round(1000 * per_sample, 2),
        "pandas_total_s_scaled": round(pandas_s, 1),
        "ratio": round(pandas_s / engine_s, 1),
        "same_ranks_mc": f"{same_mc}/{slice_n}",
        "same_ranks_sobol": f"{same_sobol}/{slice_n}",
        "sobol_first": dict(zip(sens.factors, [round(float(x), 3) for x in sens.first], strict=True)),
        "sobol_total": dict(zip(sens.factors, [round(float(x), 3) for x in sens.total], strict=True)),
        "mean_interval_width": round(float(width.mean()), 1),
        "spearman_median_rank_vs_truth": round(-rho, 3) if rho < 0 else round(rho, 3),
        "loo_max_mean_shift": round(float(loo.mean_shift.max()), 2),
    }
