"""`bole bench judging`: how well each scoring rule recovers true ability on simulated judged contests.

Five designs (``bole.engines.simulate.simulate_judging``), 50 seeds each: two colluding judges of ten,
no collusion, two panels that never meet, very harsh and lenient judges, and judges who use only part of the
scale. For every contest it scores the contestants by the plain mean, the trimmed mean (drop the highest and
lowest), the judges-1.0.0 fair score (``fit_severity`` on every score), the robust fair score
(``robust_fair_scores``: collusive and outlying cells set aside, ranked within each connected panel) and
raschpy's many-facet Rasch model, and reports Spearman's rho with the true ability, the time of each rule, and
how often the flags fall on colluders' lifted cells and on honest judges' cells.

With two panels that never meet, rho is taken within each panel (the mean of the two): the panels' scores
are not comparable, and the robust score ranks within a panel; ``rho_one_list`` gives rho over everyone for the
rules that rank everyone in one list.

Times are per contest, means over seeds; ``calibration_s`` is a fixed pure-Python loop timed in the same run,
so figures from different machines can be compared as ratios.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
from scipy.stats import spearmanr

from bole.bench.evaluation_engines import _raschpy_fit, _raschpy_frame
from bole.engines import judges
from bole.engines.simulate import JUDGING_DESIGNS, simulate_judging

BENCH_VERSION = "judging-bench-1.0.0"
RULES = ("raw_mean", "trimmed_mean", "fair_1_0", "fair_new", "mfrm")
SEEDS = 50


def _calibration_s() -> float:
    """Wall time of a fixed pure-Python loop (2,000,000 iterations): the machine's speed in this run."""
    t0 = time.perf_counter()
    acc = 0
    for i in range(2_000_000):
        acc += i & 7
    return time.perf_counter() - t0


def _rho(a: np.ndarray, b: np.ndarray) -> float:
    ok = ~(np.isnan(a) | np.isnan(b))
    return float(spearmanr(a[ok], b[ok])[0])


def _rank_desc(v: np.ndarray) -> np.ndarray:
    """1 = best; NaN last."""
    v = np.where(np.isnan(v), -np.inf, v)
    return np.argsort(np.argsort(-v, kind="stable"), kind="stable") + 1


def one_contest(seed: int, design: str, *, with_mfrm: bool = True) -> dict[str, Any]:
    """Every rule on one simulated contest: scores, times and flags against the truth."""
    sim = simulate_judging(seed, design)
    args = (sim.judge, sim.contestant, sim.score, sim.criterion)
    scores: dict[str, np.ndarray] = {}
    times: dict[str, float] = {}

    t0 = time.perf_counter()
    scores["raw_mean"] = judges.raw_mean_scores(*args).score
    times["raw_mean"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    scores["trimmed_mean"] = judges.trimmed_mean_judged(*args, k=1).score
    times["trimmed_mean"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    fit = judges.fit_severity(*args, n_contestants=sim.n_contestants)
    old_flags = judges.flag_judge_bias(sim.judge, sim.contestant, fit.residuals, z_threshold=4.0)
    times["fair_1_0"] = time.perf_counter() - t0
    scores["fair_1_0"] = fit.fair_average
    t0 = time.perf_counter()
    rob = judges.robust_fair_scores(*args, n_contestants=sim.n_contestants)
    times["fair_new"] = time.perf_counter() - t0
    scores["fair_new"] = rob.fit.fair_average
    if with_mfrm:
        frame = _raschpy_frame(sim.judge, sim.contestant, sim.criterion, sim.score)
        t0 = time.perf_counter()
        scores["mfrm"] = _raschpy_fit(frame, sim.max_score, sim.n_contestants)
        times["mfrm"] = time.perf_counter() - t0

    truth = sim.true_ability
    rho: dict[str, float] = {}
    rho_one_list: dict[str, float] = {}
    for rule, v in scores.items():
        if design == "disconnected":
            rho[rule] = float(np.mean([_rho(v[sim.panel == p], truth[sim.panel == p]) for p in (0, 1)]))
            rho_one_list[rule] = _rho(v, truth)
        else:
            rho[rule] = _rho(v, truth)

    def cell_mask(flags) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        colluder = np.isin(flags.cell_judge, sim.colluders)
        favoured = np.isin(flags.cell_contestant, sim.favoured)
        return colluder & favoured, colluder & ~favoured, ~colluder, ~colluder & favoured

    new = dict(zip(("collusive", "pushed", "honest", "honest_beside"), cell_mask(rob.flags), strict=True))
    old = dict(zip(("collusive", "pushed", "honest", "honest_beside"), cell_mask(old_flags), strict=True))
    counts = {}
    for name, mask in new.items():
        counts[f"new_{name}"] = (int(rob.flags.flagged[mask].sum()), int(mask.sum()))
    for name, mask in old.items():
        counts[f"old_{name}"] = (int(old_flags.flagged[mask].sum()), int(mask.sum()))
    # Places the favoured contestants stand above their true rank, by rule.
    displacement = {}
    if sim.favoured.size:
        true_rank = _rank_desc(truth)
        for rule, v in scores.items():
            displacement[rule] = float(np.mean(true_rank[sim.favoured] - _rank_desc(v)[sim.favoured]))
    named = set(rob.flags.named_judges.tolist())
    colluders = set(sim.colluders.tolist())
    return {
        "rho": rho,
        "rho_one_list": rho_one_list,
        "times": times,
        "counts": counts,
        "displacement": displacement,
        "pair_named": bool(colluders) and any(set(p.judges) == colluders for p in rob.flags.pairs),
        "honest_named": len(named - colluders),
        "panels_ranked_apart": int(rob.panel.max()) + 1 if rob.panel.size else 0,
        "rounds": rob.rounds,
    }


def study(design: str, seeds: list[int], *, with_mfrm: bool = True) -> dict[str, Any]:
    """Means over seeds of one design's contests."""
    runs = [one_contest(s, design, with_mfrm=with_mfrm) for s in seeds]
    rules = [r for r in RULES if r in runs[0]["rho"]]
    out: dict[str, Any] = {"seeds": len(seeds)}
    for rule in rules:
        out[f"rho_{rule}"] = round(float(np.mean([r["rho"][rule] for r in runs])), 4)
    if runs[0]["rho_one_list"]:
        for rule in rules:
            out[f"rho_one_list_{rule}"] = round(float(np.mean([r["rho_one_list"][rule] for r in runs])), 4)
    for rule in rules:
        out[f"s_{rule}"] = round(float(np.mean([r["times"][rule] for r in runs])), 5)
    if "mfrm" in rules:
        # Same-run ratio, steadier than the seconds on a shared machine.
        out["mfrm_time_over_fair_new"] = round(out["s_mfrm"] / out["s_fair_new"], 1)
    out["fair_new_time_over_fair_1_0"] = round(out["s_fair_new"] / out["s_fair_1_0"], 2)
    for key in runs[0]["counts"]:
        hit = sum(r["counts"][key][0] for r in runs)
        of = sum(r["counts"][key][1] for r in runs)
        if of:
            out[f"flag_{key}"] = f"{hit}/{of}"
            out[f"flag_{key}_rate"] = round(hit / of, 4)
    if runs[0]["displacement"]:
        for rule in rules:
            out[f"favoured_places_up_{rule}"] = round(
                float(np.mean([r["displacement"][rule] for r in runs])), 2
            )
        out["pair_named_seeds"] = sum(r["pair_named"] for r in runs)
    out["seeds_with_honest_judge_named"] = sum(r["honest_named"] > 0 for r in runs)
    out["panels"] = max(r["panels_ranked_apart"] for r in runs)
    out["rounds_max"] = max(r["rounds"] for r in runs)
    return out


def targets(table: dict[str, dict[str, Any]], *, with_mfrm: bool = True) -> dict[str, bool]:
    """The acceptance targets of the robust fair score on the study's table."""
    c, n = table["collusion"], table["none"]
    out = {
        "collusion: rho fair_new >= raw_mean": c["rho_fair_new"] >= c["rho_raw_mean"],
        "collusion: collusive cells flagged >= 70%": c["flag_new_collusive_rate"] >= 0.70,
        "collusion: honest judges' cells flagged <= 5%": c["flag_new_honest_rate"] <= 0.05,
        "none: |rho fair_new - fair_1_0| <= 0.005": abs(n["rho_fair_new"] - n["rho_fair_1_0"]) <= 0.005,
    }
    if with_mfrm:
        out["collusion: rho fair_new >= mfrm"] = c["rho_fair_new"] >= c["rho_mfrm"]
    return out


def run(*, quick: bool = False, rows: int | None = None, log=print) -> dict[str, Any]:
    """The full study: every design, 50 seeds each (5 with --quick; --rows sets the seed count)."""
    n_seeds = rows or (5 if quick else SEEDS)
    seeds = list(range(n_seeds))
    out: dict[str, Any] = {
        "bench_version": BENCH_VERSION,
        "engine_version": judges.ENGINE_VERSION,
        "quick": quick,
    }
    out["calibration_s"] = round(_calibration_s(), 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one_contest(10_000, "none")  # first calls (imports, raschpy's set-up) are not billed to a rule
    table = {}
    for design in JUDGING_DESIGNS:
        t0 = time.perf_counter()
        table[design] = study(design, seeds)
        log(f"{design}: {n_seeds} seeds in {time.perf_counter() - t0:.1f} s")
    out["table"] = table
    out["targets_met"] = targets(table)
    out["all_targets_met"] = all(out["targets_met"].values())
    for design, row in table.items():
        log(
            f"{design:13s} rho raw {row['rho_raw_mean']:.4f} trimmed {row['rho_trimmed_mean']:.4f} "
            f"fair-1.0 {row['rho_fair_1_0']:.4f} new {row['rho_fair_new']:.4f} mfrm {row['rho_mfrm']:.4f}"
        )
    return out


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv[1:]), indent=2, ensure_ascii=False))
