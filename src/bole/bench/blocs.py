"""`bole bench blocs`: rater blocs in 民主测评 ballots — who is flagged, and whether the intervals still hold.

Each configuration is simulated with 50 seeds (`simulate_360`: 30 subjects, 5 criteria, 70 ballots in
four rater groups, leniency and use of the scale differing by rater, 不了解 gaps): honest rounds, and a
bloc of 2, 3, 4, 5 or 8 peers that either gives its favourite the top of the scale and the true top three
the bottom (blatant) or moves its honest answers by one point (±1, subtle). For every round the screen
(`flag_ballots`) runs, the flagged bloc ballots are set aside as the published results do
(`bole.evaluation.compute`), and the 90% rank intervals are bootstrapped on what is left (pairwise, as
published; the percentile intervals of earlier versions are measured beside them for the coverage).

Figures: the share of bloc ballots flagged by bloc size and shift, the share of honest ballots flagged as
a bloc and as outliers, rank-interval coverage of the true rank for all subjects and for the bloc's
targets, the detectable shift the screen reports, and times. `calibration_s` is the fixed pure-Python loop
every bench prints (`bole bench`), timed in the same run, so times compare across machines as ratios.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from bole.core.management.commands.bench import calibration_s
from bole.engines.raters import bootstrap_intervals, flag_ballots, published_rows
from bole.engines.simulate import simulate_360

BENCH_VERSION = "blocs-bench-1.0.0"
BLOC_SIZES = (2, 3, 4, 5, 8)
TARGETS = {
    "blatant_flag_rate_min": (">=", 0.90),
    "honest_ballot_flag_rate": ("<=", 1 / 500),
    "honest_outlier_rate": ("<=", 0.02),
    "coverage_all_min": (">=", 0.85),
    "coverage_targets_min": (">=", 0.85),
}


def one_round(seed: int, *, bloc_size: int, shift: float | str | None, n_boot: int = 1000,
              power_trials: int = 40, rank_method: str = "pairwise") -> dict[str, Any]:
    """Simulate one round, screen it, bootstrap the published ballots; the counts the study adds up.

    ``shift="detectable"`` moves the bloc's answers by the shift the screen reports as detectable (four
    subjects) for the honest round of the same seed: the check that the reported figure is honest.
    """
    if shift == "detectable":
        honest = simulate_360(seed, bloc_size=0)
        shift = float(flag_ballots(honest.ballot, honest.subject, honest.criterion, honest.score,
                                   criterion_weights=honest.criterion_weights).detectable.shift_four)
    sim = simulate_360(seed, bloc_size=bloc_size, bloc_shift=shift)
    t0 = time.perf_counter()
    flags = flag_ballots(sim.ballot, sim.subject, sim.criterion, sim.score, criterion_weights=sim.criterion_weights,
                         power_trials=power_trials)
    t_flag = time.perf_counter() - t0
    bloc = sim.is_bloc[flags.ballot_ids]
    keep = published_rows(sim.ballot, flags)
    t0 = time.perf_counter()
    boot = bootstrap_intervals(sim.ballot[keep], sim.group[keep], sim.subject[keep], sim.criterion[keep],
                               sim.score[keep], sim.criterion_weights, sim.group_weights, n_boot=n_boot,
                               level=0.9, seed=seed, n_subjects=sim.n_subjects, rank_method=rank_method)
    t_boot = time.perf_counter() - t0
    covered = (boot.rank_lo <= sim.true_rank) & (sim.true_rank <= boot.rank_hi)
    width = float(np.mean(boot.rank_hi - boot.rank_lo + 1))
    old = bootstrap_intervals(sim.ballot[keep], sim.group[keep], sim.subject[keep], sim.criterion[keep],
                              sim.score[keep], sim.criterion_weights, sim.group_weights, n_boot=n_boot,
                              level=0.9, seed=seed, n_subjects=sim.n_subjects, rank_method="percentile")
    covered_old = (old.rank_lo <= sim.true_rank) & (sim.true_rank <= old.rank_hi)
    targets = np.zeros(sim.n_subjects, dtype=bool)
    if bloc_size:
        targets[np.r_[sim.buried_subjects, sim.boosted_subject]] = True
    return {
        "bloc_flagged": int(flags.collusion[bloc].sum()),
        "bloc_ballots": int(bloc.sum()),
        "bloc_seen": bool(bloc_size and flags.collusion[bloc].any()),
        "honest_flagged": int(flags.collusion[~bloc].sum()),
        "honest_outlier": int(flags.outlier[~bloc].sum()),
        "honest_ballots": int((~bloc).sum()),
        "covered_all": int(covered.sum()),
        "n_subjects": sim.n_subjects,
        "covered_targets": int(covered[targets].sum()),
        "n_targets": int(targets.sum()),
        "covered_others": int(covered[~targets].sum()),
        "covered_all_percentile": int(covered_old.sum()),
        "covered_targets_percentile": int(covered_old[targets].sum()),
        "width": width,
        "width_percentile": float(np.mean(old.rank_hi - old.rank_lo + 1)),
        "n_others": int((~targets).sum()),
        "detectable_pair_one": float(flags.detectable.shift_one),
        "detectable_pair_four": float(flags.detectable.shift_four),
        "shift_used": float(shift) if shift is not None else float("nan"),
        "flag_s": t_flag,
        "boot_s": t_boot,
    }


def study(seeds: range | list[int], *, sizes=BLOC_SIZES, shifts=(None, 1.0), n_boot: int = 1000,
          power_trials: int = 40, at_detectable: bool = True, log=print) -> dict[str, Any]:
    """Every configuration over the given seeds; rates, coverages and times per configuration."""
    configs: list[tuple[str, int, Any]] = [("honest", 0, None)] + [
        (f"{'blatant' if sh is None else f'shift{sh:g}'}_{k}", k, sh) for sh in shifts for k in sizes
    ]
    if at_detectable:
        configs.append(("at_detectable_2", 2, "detectable"))
    table: dict[str, dict[str, Any]] = {}
    for name, k, sh in configs:
        runs = [one_round(seed, bloc_size=k, shift=sh, n_boot=n_boot, power_trials=power_trials) for seed in seeds]
        tot = {key: sum(r[key] for r in runs) for key in runs[0] if key != "shift_used"}
        row = {
            "bloc_size": k,
            "shift": "blatant" if sh is None else sh,
            "shift_used_median": (float(np.median([r["shift_used"] for r in runs]))
                                  if isinstance(sh, (int, float, str)) else None),
            "seeds": len(runs),
            "bloc_flag_rate": tot["bloc_flagged"] / tot["bloc_ballots"] if tot["bloc_ballots"] else None,
            "bloc_flagged": f"{tot['bloc_flagged']}/{tot['bloc_ballots']}",
            "blocs_seen": f"{tot['bloc_seen']}/{len(runs)}" if k else None,
            "honest_flag_rate": tot["honest_flagged"] / tot["honest_ballots"],
            "honest_flagged": f"{tot['honest_flagged']}/{tot['honest_ballots']}",
            "honest_outlier_rate": tot["honest_outlier"] / tot["honest_ballots"],
            "coverage_all": tot["covered_all"] / tot["n_subjects"],
            "coverage_targets": tot["covered_targets"] / tot["n_targets"] if tot["n_targets"] else None,
            "coverage_others": tot["covered_others"] / tot["n_others"],
            "coverage_all_percentile": tot["covered_all_percentile"] / tot["n_subjects"],
            "coverage_targets_percentile": (tot["covered_targets_percentile"] / tot["n_targets"]
                                            if tot["n_targets"] else None),
            "rank_interval_width_mean": tot["width"] / len(runs),
            "rank_interval_width_percentile_mean": tot["width_percentile"] / len(runs),
            "detectable_shift_pair_one_subject": float(np.median([r["detectable_pair_one"] for r in runs])),
            "detectable_shift_pair_four_subjects": float(np.median([r["detectable_pair_four"] for r in runs])),
            "flag_s_mean": tot["flag_s"] / len(runs),
            "bootstrap_s_mean": tot["boot_s"] / len(runs),
        }
        table[name] = row
        log(f"{name:12s} bloc {row['bloc_flagged']:>8s} honest {row['honest_flagged']:>9s} "
            f"outlier {row['honest_outlier_rate']:.4f} cover {row['coverage_all']:.3f}/"
            f"{row['coverage_targets'] if row['coverage_targets'] is not None else float('nan'):.3f}")
    return table


def summarise(table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The target figures over the whole table."""
    blatant = [r["bloc_flag_rate"] for r in table.values() if r["shift"] == "blatant" and r["bloc_size"]]
    honest_flagged = sum(int(r["honest_flagged"].split("/")[0]) for r in table.values())
    honest_total = sum(int(r["honest_flagged"].split("/")[1]) for r in table.values())
    honest_rounds = table["honest"]
    targets = [r["coverage_targets"] for r in table.values() if r["coverage_targets"] is not None]
    return {
        "blatant_flag_rate_min": min(blatant),
        "honest_ballot_flag_rate": honest_flagged / honest_total,
        "honest_ballots_flagged": f"{honest_flagged}/{honest_total}",
        "honest_outlier_rate": honest_rounds["honest_outlier_rate"],
        "coverage_all_min": min(r["coverage_all"] for r in table.values()),
        "coverage_targets_min": min(targets),
        "subtle_shift1_flag_rate_max": max((r["bloc_flag_rate"] for r in table.values() if r["shift"] == 1.0),
                                           default=None),
        "flag_rate_at_reported_detectable_shift": (table["at_detectable_2"]["bloc_flag_rate"]
                                                   if "at_detectable_2" in table else None),
    }


def run(*, quick: bool = False, rows: int | None = None, log=print) -> dict[str, Any]:
    """The full study (50 seeds per configuration; 10 with --quick) and its targets."""
    n_seeds = rows or (10 if quick else 50)
    cal = calibration_s()
    t0 = time.perf_counter()
    table = study(range(n_seeds), log=log)
    total = time.perf_counter() - t0
    out: dict[str, Any] = {"bench_version": BENCH_VERSION, "seeds_per_config": n_seeds, "calibration_s": cal}
    out.update(summarise(table))
    out["targets"] = {
        key: {"target": f"{op} {target:g}", "value": out[key],
              "met": {"<=": out[key] <= target, ">=": out[key] >= target}[op]}
        for key, (op, target) in TARGETS.items()
    }
    out["all_targets_met"] = all(t["met"] for t in out["targets"].values())
    out["table"] = table
    out["study_s"] = total
    out["study_s_per_calibration"] = total / cal
    out["quick"] = quick
    return out
