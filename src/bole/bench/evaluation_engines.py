"""Benchmark of the evaluation engines (ballot aggregation, judge-severity correction).

Targets: aggregate 1,000,000 ballots x 5 criteria in < 5 s and < 1 GB; fit
judge severities on 200,000 scores in < 2 s; be >= 10x faster than raschpy's
many-facet Rasch model on the contest simulation while ranking contestants
no worse than it (Spearman rho gap <= 0.01).

raschpy and pandas are imported lazily, only for the comparison: the engines
themselves depend on NumPy/SciPy alone.
"""

from __future__ import annotations

import json
import resource
import statistics
import time
import tracemalloc
import warnings
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from scipy.stats import spearmanr

from bole.engines.judges import fit_severity
from bole.engines.raters import aggregate_ballots
from bole.engines.simulate import (
    PanelSimulation,
    simulate_large_ballots,
    simulate_large_judging,
    simulate_panel,
)

BENCH_VERSION = "evaluation-engines-bench-1.0.0"


def raschpy_person_measures(
    judge: np.ndarray,
    contestant: np.ndarray,
    criterion: np.ndarray,
    score: np.ndarray,
    max_score: int,
    n_contestants: int,
) -> np.ndarray:
    """Contestant measures (logits) from raschpy's many-facet Rasch model, the reference peer.

    Judges are the facet, criteria the items, and the integer scores 0..max_score
    the rating-scale categories ('global' model: one severity per judge).
    """
    frame = _raschpy_frame(judge, contestant, criterion, score)
    return _raschpy_fit(frame, max_score, n_contestants)


def _raschpy_frame(
    judge: np.ndarray, contestant: np.ndarray, criterion: np.ndarray, score: np.ndarray
) -> Any:
    """(Rater, Person) x item DataFrame, the input format raschpy.MFRM expects."""
    import pandas as pd

    frame = pd.DataFrame(
        {"Rater": judge, "Person": contestant, "item": criterion, "score": score}
    ).pivot_table(index=["Rater", "Person"], columns="item", values="score", aggfunc="mean")
    frame.columns = [f"c{int(c)}" for c in frame.columns]
    return frame


def _raschpy_fit(frame: Any, max_score: int, n_contestants: int) -> np.ndarray:
    """Fit raschpy's MFRM ('global' judge severities) and return person measures by contestant."""
    import raschpy

    with warnings.catch_warnings():
        # raschpy warns about thin raters/unused categories in small panels;
        # those warnings are expected here and say nothing about our engines.
        warnings.simplefilter("ignore")
        model = raschpy.MFRM(frame, max_score=max_score, facet="judge")
        model.calibrate(model="global")
        model.person_estimates(model="global")
    est = model.persons_global
    out = np.full(n_contestants, np.nan)
    out[np.asarray(est.index, dtype=np.int64)] = est.to_numpy(dtype=float)
    return out


def _rho(a: np.ndarray, b: np.ndarray) -> float:
    ok = ~(np.isnan(a) | np.isnan(b))
    return float(spearmanr(a[ok], b[ok])[0])


def _time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of fn over repeats, and its last result."""
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _panel_comparison(seeds: list[int]) -> dict[str, float]:
    """Time and accuracy of our severity fit versus raschpy MFRM on the same contest simulations."""
    ours_t, ref_t, ours_rho, ref_rho = [], [], [], []
    # Warm both code paths so one-off import/JIT-like costs are not billed to
    # the first seed.
    warm: PanelSimulation = simulate_panel(10_000)
    fit_severity(warm.judge, warm.contestant, warm.score, warm.criterion)
    _raschpy_fit(
        _raschpy_frame(warm.judge, warm.contestant, warm.criterion, warm.score),
        warm.max_score,
        warm.n_contestants,
    )
    for seed in seeds:
        sim = simulate_panel(seed)
        t0 = time.perf_counter()
        fit = fit_severity(sim.judge, sim.contestant, sim.score, sim.criterion)
        ours_t.append(time.perf_counter() - t0)
        # The DataFrame reshaping is raschpy's input format, not its fit, so
        # it is excluded from its time.
        frame = _raschpy_frame(sim.judge, sim.contestant, sim.criterion, sim.score)
        t0 = time.perf_counter()
        ref = _raschpy_fit(frame, sim.max_score, sim.n_contestants)
        ref_t.append(time.perf_counter() - t0)
        ours_rho.append(_rho(fit.fair_average, sim.true_ability))
        ref_rho.append(_rho(ref, sim.true_ability))
    return {
        "severity_panel_s_mean": float(np.mean(ours_t)),
        "raschpy_panel_s_mean": float(np.mean(ref_t)),
        "severity_vs_raschpy_speedup": float(np.sum(ref_t) / np.sum(ours_t)),
        "rho_ours_mean": float(np.mean(ours_rho)),
        "rho_raschpy_mean": float(np.mean(ref_rho)),
        "rho_gap_vs_raschpy": float(np.mean(ref_rho) - np.mean(ours_rho)),
        "panel_seeds": len(seeds),
    }


def run(quick: bool = False) -> dict:
    """Measure the engine figures the platform's capacity planning relies on."""
    repeats = 1 if quick else 3
    out: dict[str, Any] = {"bench_version": BENCH_VERSION, "quick": quick}

    # --- ballot aggregation, 1,000,000 ballots x 5 criteria.
    big = simulate_large_ballots(1_000_000, 5, seed=0)
    args = (
        big.ballot,
        big.group,
        big.subject,
        big.criterion,
        big.score,
        big.criterion_weights,
        big.group_weights,
    )
    aggregate_ballots(*args)  # first touch of the pages is not the engine's cost
    out["aggregate_1m_s"], agg = _time(partial(aggregate_ballots, *args), repeats)
    # Peak memory: tracemalloc peak of the aggregation call alone. NumPy
    # reports its buffers to tracemalloc, so this is the engine's own working
    # memory on top of the input arrays (given separately); an RSS delta is
    # too coarse here because freed pages are reused and not returned.
    tracemalloc.start()
    aggregate_ballots(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out["aggregate_peak_mb"] = peak / 1e6
    out["aggregate_input_mb"] = sum(a.nbytes for a in args[:5]) / 1e6
    out["aggregate_rows"] = int(big.ballot.size)
    # Worst case for the engine: rows not grouped by ballot (forces a sort).
    perm = np.random.default_rng(1).permutation(big.ballot.size)
    shuffled = tuple(a[perm] for a in args[:5]) + args[5:]
    del perm
    out["aggregate_1m_shuffled_s"], agg2 = _time(partial(aggregate_ballots, *shuffled), 1)
    out["aggregate_shuffled_same_result"] = bool(np.array_equal(agg.rank, agg2.rank))
    del shuffled, args, big, agg, agg2

    # --- judge severity, 200,000 scores (5,000 judges x 20,000 contestants).
    lj = simulate_large_judging(5000, 20000, 200_000, seed=0)
    fit_severity(lj.judge[:1000], lj.contestant[:1000], lj.score[:1000])
    out["severity_200k_s"], fit = _time(partial(fit_severity, lj.judge, lj.contestant, lj.score), repeats)
    out["severity_200k_iterations"] = fit.iterations
    out["severity_200k_converged"] = bool(fit.converged)
    out["severity_200k_corr_true_severity"] = float(np.corrcoef(fit.judge_severity, lj.judge_shift)[0, 1])
    del lj, fit

    # --- versus raschpy on the contest simulation.
    out.update(_panel_comparison(list(range(3 if quick else 10))))

    # Whole benchmark process (simulated inputs, shuffled copies, every
    # engine run): an upper bound, not the aggregation's own footprint.
    out["bench_process_max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["targets_met"] = {
        "aggregate_1m_s<5": out["aggregate_1m_s"] < 5,
        "aggregate_peak_mb<1000": out["aggregate_peak_mb"] < 1000,
        "severity_200k_s<2": out["severity_200k_s"] < 2,
        "severity_vs_raschpy_speedup>=10": out["severity_vs_raschpy_speedup"] >= 10,
        "rho_gap_vs_raschpy<=0.01": out["rho_gap_vs_raschpy"] <= 0.01,
    }
    return out


if __name__ == "__main__":
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv[1:]), indent=2))
