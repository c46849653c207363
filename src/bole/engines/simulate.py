"""Deterministic simulators for cadre-evaluation data (tests and benchmarks).

Every simulator takes an explicit seed and returns a frozen dataclass of
long-format NumPy arrays plus the ground truth it was generated from, so the
acceptance tests can measure how well each scoring rule recovers the truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ENGINE_VERSION = "simulate-1.1.0"

__all__ = [
    "ENGINE_VERSION",
    "PanelSimulation",
    "Simulation360",
    "LargeBallots",
    "LargeJudging",
    "JudgingDesign",
    "JUDGING_DESIGNS",
    "simulate_panel",
    "simulate_360",
    "simulate_large_ballots",
    "simulate_large_judging",
    "simulate_judging",
]


@dataclass(frozen=True)
class PanelSimulation:
    """A simulated judged contest (雄鹰擂台赛) with known abilities, severities and one biased cell."""

    judge: np.ndarray
    contestant: np.ndarray
    criterion: np.ndarray
    score: np.ndarray
    session: np.ndarray  # session of each contestant, shape (n_contestants,)
    true_ability: np.ndarray  # shape (n_contestants,)
    judge_shift: np.ndarray  # true additive shift (positive = lenient), shape (n_judges,)
    judge_spread: np.ndarray  # true multiplicative use of the scale, shape (n_judges,)
    friend_judge: int
    friend_contestant: int
    friend_bonus: float
    n_judges: int
    n_contestants: int
    n_criteria: int
    max_score: int
    seed: int
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class Simulation360:
    """A simulated 360-degree / 民主测评 ballot set with a colluding bloc and known true scores."""

    ballot: np.ndarray
    group: np.ndarray
    subject: np.ndarray
    criterion: np.ndarray
    score: np.ndarray
    criterion_weights: np.ndarray
    group_weights: np.ndarray
    ballot_group: np.ndarray  # group of each ballot, shape (n_ballots,)
    is_bloc: np.ndarray  # bool per ballot
    true_score: np.ndarray  # criterion-weighted true quality, shape (n_subjects,)
    true_rank: np.ndarray  # competition rank of true_score (1 = best)
    boosted_subject: int
    buried_subjects: np.ndarray
    n_ballots: int
    n_subjects: int
    n_criteria: int
    seed: int
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class LargeBallots:
    """A large anonymous ballot set for throughput benchmarks of the aggregation engine."""

    ballot: np.ndarray
    group: np.ndarray
    subject: np.ndarray
    criterion: np.ndarray
    score: np.ndarray
    criterion_weights: np.ndarray
    group_weights: np.ndarray
    n_ballots: int
    n_subjects: int
    seed: int
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class LargeJudging:
    """A large sparse judge-by-contestant score set for throughput benchmarks of the severity fit."""

    judge: np.ndarray
    contestant: np.ndarray
    criterion: np.ndarray
    score: np.ndarray
    true_ability: np.ndarray
    judge_shift: np.ndarray
    n_judges: int
    n_contestants: int
    seed: int
    engine_version: str = ENGINE_VERSION


def _competition_rank_desc(values: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = largest, ties share the smallest rank) used for ground truth."""
    srt = np.sort(values)
    return (values.size - np.searchsorted(srt, values, side="right") + 1).astype(np.int64)


def simulate_panel(
    seed: int,
    *,
    n_sessions: int = 4,
    contestants_per_session: int = 15,
    n_judges: int = 12,
    judges_per_contestant: int = 3,
    n_criteria: int = 4,
    max_score: int = 9,
    session_step: float = 0.5,
    judge_shift_sd: float = 0.7,
    noise_sd: float = 0.6,
    friend_bonus: float = 4.0,
) -> PanelSimulation:
    """Simulate a multi-session judged contest so severity correction can be tested against truth."""
    rng = np.random.default_rng(seed)
    n_contestants = n_sessions * contestants_per_session
    session = np.repeat(np.arange(n_sessions), contestants_per_session)
    # Later sessions are stronger: a judge who sat only in late sessions would
    # look lenient to a naive comparison of judge means.
    ability = rng.normal(0.0, 1.0, n_contestants) + session_step * session
    judge_shift = rng.normal(0.0, judge_shift_sd, n_judges)
    # Some judges use a narrow part of the 0-9 scale, others a wide part.
    judge_spread = rng.uniform(0.55, 1.45, n_judges)
    criterion_effect = np.linspace(-0.4, 0.4, n_criteria)

    # Each judge sits out one session (a different one per judge, in rotation)
    # and panels are re-drawn every session, so panels mix and the
    # judge-contestant graph stays connected. Sitting out a session matters:
    # a judge absent from the strongest session would look harsh to a naive
    # comparison of judge means.
    sit_out_order = rng.permutation(n_judges)
    sit_out_session = np.arange(n_judges) % n_sessions
    judge_rows = []
    contestant_rows = []
    for s in range(n_sessions):
        present = sit_out_order[sit_out_session != s]
        panels_per_session = present.size // judges_per_contestant
        seated = rng.permutation(present)[: panels_per_session * judges_per_contestant]
        panel_judges = seated.reshape(panels_per_session, judges_per_contestant)
        in_session = rng.permutation(np.flatnonzero(session == s))
        panel_of = np.arange(in_session.size) % panels_per_session
        judge_rows.append(panel_judges[panel_of].ravel())
        contestant_rows.append(np.repeat(in_session, judges_per_contestant))
    pair_judge = np.concatenate(judge_rows)
    pair_contestant = np.concatenate(contestant_rows)

    judge = np.repeat(pair_judge, n_criteria)
    contestant = np.repeat(pair_contestant, n_criteria)
    criterion = np.tile(np.arange(n_criteria), pair_judge.size)

    centre = max_score / 2.0
    ability_centre = session_step * (n_sessions - 1) / 2.0
    latent = 1.1 * (ability[contestant] - ability_centre) + criterion_effect[criterion]
    raw = centre + judge_spread[judge] * latent + judge_shift[judge] + rng.normal(0.0, noise_sd, judge.size)

    # One judge favours one of the contestants they score.
    friend_judge = int(rng.integers(n_judges))
    friend_contestant = int(rng.choice(np.unique(pair_contestant[pair_judge == friend_judge])))
    raw = raw + friend_bonus * ((judge == friend_judge) & (contestant == friend_contestant))
    score = np.clip(np.rint(raw), 0, max_score)

    return PanelSimulation(
        judge=judge.astype(np.int64),
        contestant=contestant.astype(np.int64),
        criterion=criterion.astype(np.int64),
        score=score.astype(np.float64),
        session=session.astype(np.int64),
        true_ability=ability,
        judge_shift=judge_shift,
        judge_spread=judge_spread,
        friend_judge=friend_judge,
        friend_contestant=friend_contestant,
        friend_bonus=float(friend_bonus),
        n_judges=n_judges,
        n_contestants=n_contestants,
        n_criteria=n_criteria,
        max_score=max_score,
        seed=seed,
    )


def simulate_360(
    seed: int,
    *,
    n_subjects: int = 30,
    n_criteria: int = 5,
    group_sizes: tuple[int, ...] = (5, 15, 30, 20),
    group_weights: tuple[float, ...] = (0.4, 0.3, 0.2, 0.1),
    dont_know_rate: tuple[float, ...] = (0.0, 0.1, 0.2, 0.35),
    bloc_size: int = 6,
    bloc_group: int = 1,
    n_buried: int = 3,
    noise_sd: float = 1.0,
    bloc_shift: float | None = None,
) -> Simulation360:
    """Simulate 民主测评 ballots (leaders/peers/subordinates/public) with one colluding peer bloc.

    The bloc gives its favourite the top of the scale and the true top ``n_buried`` the bottom
    (blatant); with ``bloc_shift`` it instead moves its own honest answers up or down by that many
    points (subtle, e.g. 1). ``bloc_size=0`` gives an honest round.
    """
    rng = np.random.default_rng(seed)
    lo, hi = 1.0, 10.0
    n_groups = len(group_sizes)
    ballot_group = np.repeat(np.arange(n_groups), group_sizes)
    n_ballots = ballot_group.size

    criterion_weights = np.array([0.3, 0.25, 0.2, 0.15, 0.1][:n_criteria], dtype=float)
    if criterion_weights.size < n_criteria:
        criterion_weights = np.full(n_criteria, 1.0 / n_criteria)
    criterion_weights = criterion_weights / criterion_weights.sum()

    # True quality per person and per (person, criterion).
    person_level = rng.normal(6.8, 1.0, n_subjects)
    quality = person_level[:, None] + rng.normal(0.0, 0.35, (n_subjects, n_criteria))
    true_score = quality @ criterion_weights
    true_rank = _competition_rank_desc(true_score)

    # Raters differ in leniency and in how much of the scale they use.
    leniency = rng.normal(0.0, 0.6, n_ballots)
    spread = rng.uniform(0.7, 1.3, n_ballots)

    b = np.repeat(np.arange(n_ballots), n_subjects * n_criteria)
    s = np.tile(np.repeat(np.arange(n_subjects), n_criteria), n_ballots)
    c = np.tile(np.arange(n_criteria), n_ballots * n_subjects)
    mid = 6.8
    raw = mid + leniency[b] + spread[b] * (quality[s, c] - mid) + rng.normal(0.0, noise_sd, b.size)
    score = np.clip(np.rint(raw), lo, hi)

    # The bloc: some peers push a mid-table person to the top and bury the
    # true top three.
    peers = np.flatnonzero(ballot_group == bloc_group)
    bloc = rng.choice(peers, size=bloc_size, replace=False)
    is_bloc = np.zeros(n_ballots, dtype=bool)
    is_bloc[bloc] = True
    order = np.argsort(-true_score, kind="stable")
    buried = np.sort(order[:n_buried])
    boosted = int(rng.choice(order[n_subjects // 3 : 2 * n_subjects // 3]))
    in_bloc = is_bloc[b]
    if bloc_shift is None:
        score = np.where(in_bloc & (s == boosted), hi, score)
        score = np.where(in_bloc & np.isin(s, buried), lo, score)
    else:
        score = np.where(in_bloc & (s == boosted), np.minimum(score + bloc_shift, hi), score)
        score = np.where(in_bloc & np.isin(s, buried), np.maximum(score - bloc_shift, lo), score)

    # "不了解": whole-person don't-know depends on how far the rater group is
    # from the person; a few single-criterion gaps on top.
    rate = np.asarray(dont_know_rate, dtype=float)[ballot_group]
    unknown_person = rng.random((n_ballots, n_subjects)) < rate[:, None]
    # Colluders always score their targets.
    unknown_person[bloc[:, None], np.r_[buried, boosted][None, :]] = False
    missing = unknown_person[b, s] | (rng.random(b.size) < 0.02)
    score = np.where(missing, np.nan, score)

    return Simulation360(
        ballot=b.astype(np.int64),
        group=ballot_group[b].astype(np.int64),
        subject=s.astype(np.int64),
        criterion=c.astype(np.int64),
        score=score,
        criterion_weights=criterion_weights,
        group_weights=np.asarray(group_weights, dtype=float),
        ballot_group=ballot_group.astype(np.int64),
        is_bloc=is_bloc,
        true_score=true_score,
        true_rank=true_rank,
        boosted_subject=boosted,
        buried_subjects=buried.astype(np.int64),
        n_ballots=int(n_ballots),
        n_subjects=n_subjects,
        n_criteria=n_criteria,
        seed=seed,
    )


def simulate_large_ballots(
    n_ballots: int = 1_000_000,
    n_criteria: int = 5,
    seed: int = 0,
    *,
    n_subjects: int = 500,
    n_groups: int = 4,
) -> LargeBallots:
    """Simulate a county-wide ballot set (one subject per ballot) for the aggregation benchmark."""
    rng = np.random.default_rng(seed)
    ballot_subject = rng.integers(0, n_subjects, n_ballots).astype(np.int32)
    ballot_group = rng.integers(0, n_groups, n_ballots).astype(np.int8)
    ballot = np.repeat(np.arange(n_ballots, dtype=np.int32), n_criteria)
    criterion = np.tile(np.arange(n_criteria, dtype=np.int8), n_ballots)
    subject = np.repeat(ballot_subject, n_criteria)
    group = np.repeat(ballot_group, n_criteria)
    level = rng.normal(80.0, 6.0, n_subjects).astype(np.float32)
    score = np.clip(
        np.rint(level[subject] + rng.normal(0.0, 8.0, ballot.size).astype(np.float32)), 0, 100
    ).astype(np.float32)
    # ~3% "不了解" answers.
    score[rng.random(ballot.size, dtype=np.float32) < 0.03] = np.nan
    return LargeBallots(
        ballot=ballot,
        group=group,
        subject=subject,
        criterion=criterion,
        score=score,
        criterion_weights=np.full(n_criteria, 1.0 / n_criteria),
        group_weights=np.array([0.4, 0.3, 0.2, 0.1][:n_groups], dtype=float),
        n_ballots=n_ballots,
        n_subjects=n_subjects,
        seed=seed,
    )


def simulate_large_judging(
    n_judges: int = 5000,
    n_subjects: int = 20000,
    n_scores: int = 200000,
    seed: int = 0,
) -> LargeJudging:
    """Simulate a large sparse judging design (one aggregated criterion) for the severity benchmark."""
    rng = np.random.default_rng(seed)
    per_subject = max(1, n_scores // n_subjects)
    contestant = np.repeat(np.arange(n_subjects), per_subject)
    # Random panels: each contestant draws its own judges, which links the
    # whole design with overwhelming probability.
    judge = rng.integers(0, n_judges, contestant.size)
    ability = rng.normal(0.0, 1.0, n_subjects)
    shift = rng.normal(0.0, 0.7, n_judges)
    score = 60.0 + 8.0 * ability[contestant] + 5.0 * shift[judge] + rng.normal(0.0, 4.0, contestant.size)
    return LargeJudging(
        judge=judge.astype(np.int64),
        contestant=contestant.astype(np.int64),
        criterion=np.zeros(contestant.size, dtype=np.int64),
        score=score,
        true_ability=ability,
        judge_shift=5.0 * shift,
        n_judges=n_judges,
        n_contestants=n_subjects,
        seed=seed,
    )


JUDGING_DESIGNS = ("collusion", "none", "disconnected", "extreme", "part_scale")


@dataclass(frozen=True)
class JudgingDesign:
    """A simulated judged contest for one design of the judging study, with the truth it was drawn from."""

    design: str
    judge: np.ndarray
    contestant: np.ndarray
    criterion: np.ndarray
    score: np.ndarray
    true_ability: np.ndarray  # (n_contestants,), in SD units
    panel: np.ndarray  # true panel of each contestant (all 0 unless "disconnected")
    colluders: np.ndarray  # colluding judges (empty unless "collusion")
    favoured: np.ndarray  # contestants the colluders lift
    collusive_cell: np.ndarray  # bool per row: a colluder scoring a favoured contestant
    pushed_cell: np.ndarray  # bool per row: a colluder scoring anyone else (pushed down)
    n_judges: int
    n_contestants: int
    n_criteria: int
    max_score: int
    seed: int
    engine_version: str = ENGINE_VERSION


def simulate_judging(
    seed: int,
    design: str = "collusion",
    *,
    n_contestants: int = 40,
    n_judges: int = 10,
    judges_per_contestant: int = 3,
    n_criteria: int = 4,
    max_score: int = 10,
    ability_points: float = 1.0,
    judge_shift_sd: float = 0.5,
    noise_sd: float = 0.7,
    lift_sd: float = 2.0,
    push_sd: float = 0.5,
    n_favoured: int = 3,
) -> JudgingDesign:
    """Simulate one contest of the judging study.

    Every contestant is scored on ``n_criteria`` criteria (integers 0..max_score) by ``judges_per_contestant``
    judges, each judge scoring about the same number of contestants. Designs:

    - ``none``: honest judges who differ in severity (SD ``judge_shift_sd`` points);
    - ``collusion``: as ``none``, and two judges sit together on ``n_favoured`` contestants (with one honest
      judge each) whom they lift by ``lift_sd`` ability SDs, pushing everyone else they score down by ``push_sd``;
    - ``disconnected``: two panels, each with half the judges and half the contestants, that never meet; the
      second panel's contestants are stronger by 1 SD and its judges harsher by 0.5 points;
    - ``extreme``: as ``none`` with one very harsh and one very lenient judge (-2.5 and +2.5 points);
    - ``part_scale``: as ``none``, but half the judges use only part of the scale (compressing the spread to
      a third and scoring from the upper half).
    """
    if design not in JUDGING_DESIGNS:
        raise ValueError(f"unknown design {design!r}")
    rng = np.random.default_rng([seed, JUDGING_DESIGNS.index(design)])
    ability = rng.normal(0.0, 1.0, n_contestants)
    shift = rng.normal(0.0, judge_shift_sd, n_judges)
    spread = np.ones(n_judges)
    criterion_effect = np.linspace(-0.3, 0.3, n_criteria)
    panel = np.zeros(n_contestants, dtype=np.int64)
    judge_panel = np.zeros(n_judges, dtype=np.int64)
    if design == "disconnected":
        panel[n_contestants // 2 :] = 1
        judge_panel[n_judges // 2 :] = 1
        ability = ability + 1.0 * panel
        shift = shift - 0.5 * judge_panel
    if design == "extreme":
        shift[:2] = (-2.5, 2.5)
    if design == "part_scale":
        half = rng.permutation(n_judges)[: n_judges // 2]
        spread[half] = 1.0 / 3.0
        shift[half] += 2.0

    colluders = np.zeros(0, dtype=np.int64)
    favoured = np.zeros(0, dtype=np.int64)
    if design == "collusion":
        colluders = np.sort(rng.choice(n_judges, 2, replace=False))
        favoured = np.sort(rng.choice(n_contestants, n_favoured, replace=False))

    # Balanced random panels: judges are dealt to contestants from a shuffled deck, so each judge scores
    # about the same number; a contestant never draws the same judge twice.
    panels = np.empty((n_contestants, judges_per_contestant), dtype=np.int64)
    load = np.zeros(n_judges)
    for c in rng.permutation(n_contestants):
        pool = np.flatnonzero(judge_panel == panel[c])
        if favoured.size and c in favoured:
            honest = np.setdiff1d(pool, colluders)
            extra = honest[np.argsort(load[honest] + rng.random(honest.size))][: judges_per_contestant - 2]
            chosen = np.concatenate([colluders, extra])
        else:
            chosen = pool[np.argsort(load[pool] + rng.random(pool.size))][:judges_per_contestant]
        panels[c] = chosen
        load[chosen] += 1
    pair_contestant = np.repeat(np.arange(n_contestants), judges_per_contestant)
    pair_judge = panels.ravel()

    judge = np.repeat(pair_judge, n_criteria)
    contestant = np.repeat(pair_contestant, n_criteria)
    criterion = np.tile(np.arange(n_criteria), pair_judge.size)
    is_colluder = np.isin(judge, colluders)
    collusive = is_colluder & np.isin(contestant, favoured)
    pushed = is_colluder & ~collusive
    centre = max_score / 2.0
    latent = ability[contestant] + (lift_sd * collusive - push_sd * pushed)
    raw = (
        centre
        + spread[judge] * (ability_points * latent + criterion_effect[criterion])
        + shift[judge]
        + rng.normal(0.0, noise_sd, judge.size)
    )
    score = np.clip(np.rint(raw), 0, max_score)
    return JudgingDesign(
        design=design,
        judge=judge.astype(np.int64),
        contestant=contestant.astype(np.int64),
        criterion=criterion.astype(np.int64),
        score=score.astype(np.float64),
        true_ability=ability,
        panel=panel,
        colluders=colluders,
        favoured=favoured,
        collusive_cell=collusive,
        pushed_cell=pushed,
        n_judges=n_judges,
        n_contestants=n_contestants,
        n_criteria=n_criteria,
        max_score=max_score,
        seed=seed,
    )
