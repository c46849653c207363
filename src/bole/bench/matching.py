"""Benchmark of the 产学研 matching engine: text affinity, pruned min-cost flow against all pairs, the floor MILP.

Sizes 1000 needs × 2500 experts and 2000 × 5000 (``--quick``: 200 × 500). Texts come from the planted-match
simulation (``engines.matching_sim``), k = 2..4 per need, capacity 1..3 per expert, 1% of pairs in conflict.
For each size: the time of segmentation + TF-IDF/BM25 affinity, the pruned assignment (each need's and each
expert's best 10) and the all-pairs assignment (every pair but the conflicting ones, same solver) in the same run, their
total affinity and filled slots; then the fairness-floor variant (HiGHS MILP) at the size's median affinity of
each need's best expert. Precision at k against the planted truth for the affinity and for the assignment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bole.engines import matching as M
from bole.engines.matching_sim import planted

BENCH_VERSION = "matching-bench-1.0.0"


def _size(n: int, m: int, *, seed: int, all_pairs: bool, log: Callable[[str], None]) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    sim = planted(n, m, seed=seed)
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    corpus = M.build_corpus(sim.need_texts, sim.expert_texts)
    aff, info = M.affinity(corpus)
    out["affinity_s"] = round(time.perf_counter() - t0, 3)
    out["segment_s"] = round(info["segment_s"], 3)
    log(f"{n}x{m} affinity {out['affinity_s']} s")
    k = rng.integers(2, 5, n)
    cap = rng.integers(1, 4, m)
    n_conf = n * m // 100
    conflicts = np.stack([rng.integers(0, n, n_conf), rng.integers(0, m, n_conf)], axis=1)
    out["precision_at_3_affinity"] = round(M.precision_at_k(M.top_k(M._eligible(aff, conflicts), 3), sim.truth, 3), 4)

    pruned = M.assign(aff, k=k, capacity=cap, conflicts=conflicts)
    out["pruned_s"] = round(pruned.solve_s, 3)
    out["pruned_candidates"] = pruned.candidates
    out["pruned_affinity"] = round(pruned.total_affinity, 3)
    out["pruned_filled"] = pruned.filled
    out["demand"] = int(k.sum())
    chosen = M.chosen_by_need(pruned, n)
    hits = sum(len(set(c.tolist()) & t) for c, t in zip(chosen, sim.truth, strict=True))
    out["precision_assignment"] = round(hits / max(pruned.filled, 1), 4)
    log(f"{n}x{m} pruned {out['pruned_s']} s")
    if all_pairs:
        full = M.assign(aff, k=k, capacity=cap, conflicts=conflicts, pruned=False)
        out["all_pairs_s"] = round(full.solve_s, 3)
        out["all_pairs_candidates"] = full.candidates
        out["all_pairs_affinity"] = round(full.total_affinity, 3)
        out["all_pairs_filled"] = full.filled
        out["affinity_ratio"] = round(pruned.total_affinity / full.total_affinity, 6)
        out["speedup"] = round(full.solve_s / pruned.solve_s, 1)
        log(f"{n}x{m} all pairs {out['all_pairs_s']} s")
    best = np.sort(M._eligible(aff, conflicts), axis=1)[:, -1]
    floor = float(np.round(np.median(best) * 0.9, 3))
    t0 = time.perf_counter()
    fl = M.assign_with_floor(aff, k=k, capacity=cap, conflicts=conflicts, min_affinity=floor)
    out["floor_s"] = round(time.perf_counter() - t0, 3)
    out["floor_min_affinity"] = floor
    out["floor_affinity"] = round(fl.total_affinity, 3)
    out["floor_filled"] = fl.filled
    out["floor_candidates"] = fl.candidates
    rep_flow = M.floor_report(aff, pruned, floor, conflicts)
    rep_floor = M.floor_report(aff, fl, floor, conflicts)
    out["floor_needs_with_eligible"] = rep_floor["needs_with_eligible"]
    out["floor_met_by_flow"] = rep_flow["needs_meeting_floor"]
    out["floor_met_by_milp"] = rep_floor["needs_meeting_floor"]
    out["floor_missed"] = len(fl.floor_missed)
    log(f"{n}x{m} floor {out['floor_s']} s")
    return out


def run(quick: bool = False, rows: int | None = None, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Each size's figures, keyed by size."""
    out: dict[str, Any] = {"bench_version": BENCH_VERSION, "engine_version": M.ENGINE_VERSION, "quick": quick}
    sizes = [(200, 500)] if quick else [(1000, 2500), (2000, 5000)]
    if rows:
        sizes = [(rows, int(rows * 2.5))]
    for i, (n, m) in enumerate(sizes):
        out[f"{n}x{m}"] = _size(n, m, seed=i + 1, all_pairs=True, log=log)
    return out
