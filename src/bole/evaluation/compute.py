"""Loading scores into arrays, calling the pure engines, storing results with engine, version and parameters."""

from __future__ import annotations

import warnings

import numpy as np
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.engines import judges as judges_engine
from bole.engines import raters as raters_engine

from .choices import AggregationRule, EvaluationKind, EvaluationStatus
from .models import BallotScore, Evaluation, EvaluationResult, JudgeScore, SubjectResult

N_BOOT = 1000
LEVEL = 0.9
# How far from the other judges of the same contestant a judge's score must sit to be set aside from the
# corrected score (in SDs of one judge's score noise): one judge alone, or a pair together on several contestants.
COLLUSION = {"z_threshold": 4.0, "pair_z": 2.5, "pair_min_contestants": 2, "pair_follow_z": 2.0}
Z90 = 1.6448536269514722


def _f(x) -> float | None:
    """A float for storage, None for NaN."""
    x = float(x)
    return None if np.isnan(x) else round(x, 4)


def _rank_changes(a: np.ndarray, b: np.ndarray) -> int:
    """Subjects ranked by both rules whose rank differs (a rule that cannot rank someone is not a change)."""
    both = (a > 0) & (b > 0)
    return int(np.sum(a[both] != b[both]))


def _index(ids: list[int]) -> dict[int, int]:
    return {pk: i for i, pk in enumerate(ids)}


@transaction.atomic
def results_compute(*, evaluation: Evaluation, actor) -> EvaluationResult:
    """Compute and store results of an evaluation (replacing the current ones), with the engine used."""
    ev = evaluation
    subjects = list(ev.subjects.all())
    criteria = list(ev.criteria.all())
    if ev.kind == EvaluationKind.BALLOT:
        result, rows = _ballot_results(ev, subjects, criteria)
    else:
        result, rows = _judged_results(ev, subjects, criteria)
    ev.results.filter(is_current=True).update(is_current=False)
    result.computed_by = actor if getattr(actor, "pk", None) else None
    result.full_clean()
    result.save()
    for r in rows:
        r.result = result
    SubjectResult.objects.bulk_create(rows)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=result,
                 changes={"rule": [None, result.rule], "engine": [None, result.engine],
                          "engine_version": [None, result.engine_version]})
    return result


# --- anonymous ballots ----------------------------------------------------------------------------


def _canonical(data: list[tuple]) -> list[tuple]:
    """Ballot rows renumbered 0…n-1 in an order given by the ballots' contents alone.

    Ballot ids are a random draw of the mixer (and change when an evaluation is closed), so the seeded
    bootstrap resamples ballots in this order instead: the results depend on which ballots were cast, not
    on how they were shuffled.
    """
    by_ballot: dict[int, list] = {}
    for b, g, s, c, v in data:
        by_ballot.setdefault(b, [g]).append((s, c, -1.0 if v is None else float(v)))
    order = sorted(by_ballot, key=lambda b: (by_ballot[b][0], sorted(by_ballot[b][1:])))
    number = {b: i for i, b in enumerate(order)}
    return sorted(((number[b], g, s, c, v) for b, g, s, c, v in data), key=lambda r: (r[0], r[2], r[3]))


def _ballot_results(ev, subjects, criteria):
    groups = list(ev.groups.all())
    s_ix, c_ix, g_ix = _index([s.pk for s in subjects]), _index([c.pk for c in criteria]), _index([g.pk for g in groups])
    data = _canonical(list(
        BallotScore.objects.filter(ballot__evaluation=ev)
        .values_list("ballot_id", "ballot__group_id", "subject_id", "criterion_id", "score")
    ))
    n_s, n_g = len(subjects), len(groups)
    cw = np.array([c.weight for c in criteria], dtype=np.float64)
    gw = np.array([g.weight for g in groups], dtype=np.float64)
    maxes = np.array([c.max_score for c in criteria], dtype=np.float64)
    if data:
        arr = np.array([(b, g_ix[g], s_ix[s], c_ix[c]) for b, g, s, c, _v in data], dtype=np.int64)
        ballot, group, subject, criterion = arr.T.copy()
        raw = np.array([np.nan if v is None else v for *_k, v in data], dtype=np.float64)
        score = 100.0 * raw / maxes[criterion]  # every criterion on 0–100, so weights mean what they say
    else:
        ballot = group = subject = criterion = np.zeros(0, np.int64)
        score = np.zeros(0)
    # The bloc screen runs on every ballot; ballots it flags as a bloc are set aside before the published
    # scores and their intervals are computed (and said so on the results page).
    flags = raters_engine.flag_ballots(ballot, subject, criterion, score, criterion_weights=cw) if data else None
    n_ballots_cast = len({int(b) for b in ballot})
    if flags is not None:
        keep = raters_engine.published_rows(ballot, flags)
        ballot, group, subject, criterion, score = (a[keep] for a in (ballot, group, subject, criterion, score))
    agg = raters_engine.aggregate_ballots(ballot, group, subject, criterion, score, cw, gw, n_subjects=n_s)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # subjects nobody rated have all-NaN resamples
        # Rank intervals from pairwise comparisons: they hold even when a bloc too subtle to flag remains.
        boot = raters_engine.bootstrap_intervals(ballot, group, subject, criterion, score, cw, gw, n_boot=N_BOOT,
                                                 level=LEVEL, seed=ev.pk, n_subjects=n_s, rank_method="pairwise")
    k = ev.trim_k
    # Ballot-subject scores (criterion-weighted, 不了解 skipped), for the trimmed rule within each group.
    pair_sum: dict[tuple[int, int, int], list[float]] = {}
    for b, g, s, c, v in zip(ballot, group, subject, criterion, score, strict=True):
        if not np.isnan(v):
            acc = pair_sum.setdefault((int(b), int(g), int(s)), [0.0, 0.0])
            acc[0] += cw[c] * v
            acc[1] += cw[c]
    keys = [key for key, acc in pair_sum.items() if acc[1] > 0]
    trimmed_final = np.full(n_s, np.nan)
    plain_mean = np.full(n_s, np.nan)
    if keys:
        pg = np.array([key[1] for key in keys], dtype=np.int64)
        ps = np.array([key[2] for key in keys], dtype=np.int64)
        pv = np.array([pair_sum[key][0] / pair_sum[key][1] for key in keys])
        tm = raters_engine.trimmed_mean_scores(ps * n_g + pg, pv, k, n_subjects=n_s * n_g).trimmed_mean
        tm = tm.reshape(n_s, n_g)
        present = ~np.isnan(tm)
        wsum = (present * gw).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            trimmed_final = np.where(wsum > 0, np.nansum(tm * gw, axis=1) / wsum, np.nan)
            plain_mean = np.bincount(ps, weights=pv, minlength=n_s) / np.bincount(ps, minlength=n_s)

    use_trimmed = ev.rule == AggregationRule.TRIMMED_MEAN
    final = trimmed_final if use_trimmed else agg.final_score
    rank = raters_engine.competition_rank(final)
    subject_flags: dict[int, list[str]] = {i: [] for i in range(n_s)}
    blocs = []
    if flags is not None:
        for bloc in flags.blocs:
            for i in bloc.pushed_up:
                subject_flags[int(i)].append(_("疑似集中拉高（%(n)s 张票）") % {"n": bloc.ballots.size})
            for i in bloc.pushed_down:
                subject_flags[int(i)].append(_("疑似集中压低（%(n)s 张票）") % {"n": bloc.ballots.size})
            blocs.append({
                "ballots": int(bloc.ballots.size),
                "pushed_up": [subjects[int(i)].label for i in bloc.pushed_up],
                "pushed_down": [subjects[int(i)].label for i in bloc.pushed_down],
            })
    for i in range(n_s):
        if agg.n_ballots[i] == 0:
            subject_flags[i].append(_("无有效票"))
    rows = []
    for i, subj in enumerate(subjects):
        rows.append(SubjectResult(
            subject=subj,
            n_ratings=int(agg.n_ballots[i]),
            group_scores={g.code: _f(agg.group_score[i, j]) for j, g in enumerate(groups)},
            final_score=_f(final[i]),
            rank=int(rank[i]),
            score_lo=None if use_trimmed else _f(boot.score_lo[i]),
            score_hi=None if use_trimmed else _f(boot.score_hi[i]),
            rank_lo=int(boot.rank_lo[i]),
            rank_hi=int(boot.rank_hi[i]),
            raw_mean=_f(plain_mean[i]),
            trimmed_mean=_f(trimmed_final[i]),
            flags=subject_flags[i],
        ))
    n_ballots = len({int(b) for b in ballot})
    steps = {c.max_score for c in criteria}
    one_point = round(100.0 / steps.pop(), 2) if len(steps) == 1 and flags else None
    screen = {
        "excluded": n_ballots_cast - n_ballots,
        # Smallest coordinated shift (0–100) a bloc of two finds flagged with 90% probability, moving the same
        # 4 subjects, or 1 subject, on every criterion.
        "detectable_four": _f(flags.detectable.shift_four) if flags else None,
        "detectable_one": _f(flags.detectable.shift_one) if flags else None,
        # One point of the ballot's scale on 0–100 (every criterion on the same scale), given as an example
        # of a shift too small to find when it is.
        "one_point": one_point if one_point is not None and flags is not None
        and not flags.detectable.shift_four <= one_point else None,
    }
    summary = {
        "n_ballots": n_ballots,
        "n_ballots_cast": n_ballots_cast,
        "screen": screen,
        "ballots_by_group": {g.code: int(np.unique(ballot[group == j]).size) for j, g in enumerate(groups)},
        "flags": {
            "straight_lined": int(flags.straight_lined.sum()) if flags else 0,
            "outlier": int(flags.outlier.sum()) if flags else 0,
            "collusion": int(flags.collusion.sum()) if flags else 0,
            "blocs": blocs,
        },
        "fairness": {
            "recommended": AggregationRule.GROUP_MEAN,
            "used": ev.rule,
            "rank_changes_trimmed": _rank_changes(raters_engine.competition_rank(trimmed_final),
                                                  raters_engine.competition_rank(agg.final_score)),
        },
        "scale": "0-100",
    }
    result = EvaluationResult(
        evaluation=ev, rule=ev.rule,
        engine="bole.engines.raters.aggregate_ballots" + ("+trimmed_mean_scores" if use_trimmed else ""),
        engine_version=raters_engine.ENGINE_VERSION,
        parameters={
            "criterion_weights": {c.name: c.weight for c in criteria},
            "criterion_max_scores": {c.name: c.max_score for c in criteria},
            "group_weights": {g.code: g.weight for g in groups},
            "trim_k": k, "bootstrap": {"n_boot": N_BOOT, "level": LEVEL, "seed": ev.pk, "rank_method": "pairwise"},
            "flags": {"straight_min_items": flags.straight_min_items, "outlier_threshold": flags.outlier_threshold,
                      "dev_z": flags.dev_z, "clip_z": flags.clip_z, "pair_alpha": flags.pair_alpha,
                      "min_common": flags.min_common, "min_partners": flags.min_partners,
                      "pair_threshold": round(flags.pair_threshold, 3), "blocs_excluded": True}
            if flags else {},
        },
        summary=summary,
    )
    return result, rows


# --- judged contests ------------------------------------------------------------------------------


def _judged_results(ev, subjects, criteria):
    seats = list(ev.judges.all())
    submitted = [j for j in seats if j.submitted_at is not None]
    # Only submitted judges count; drafts of judges who never submitted are not final scores.
    counted = submitted or seats
    j_ix, s_ix, c_ix = _index([j.pk for j in counted]), _index([s.pk for s in subjects]), _index([c.pk for c in criteria])
    data = list(
        JudgeScore.objects.filter(evaluation=ev, judge__in=counted).values_list("judge_id", "subject_id",
                                                                                "criterion_id", "score")
    )
    n_s = len(subjects)
    cw = np.array([c.weight for c in criteria], dtype=np.float64)
    maxes = np.array([c.max_score for c in criteria], dtype=np.float64)
    arr = np.array([(j_ix[j], s_ix[s], c_ix[c]) for j, s, c, _v in data], dtype=np.int64).reshape(-1, 3)
    judge, subject, criterion = arr.T.copy()
    score = np.array([v for *_k, v in data], dtype=np.float64)
    params = {
        "criterion_weights": {c.name: c.weight for c in criteria},
        "criterion_max_scores": {c.name: c.max_score for c in criteria},
        "trim_k": ev.trim_k, "huber_k": 1.345, "interval_level": LEVEL,
        "set_aside": {"z_threshold": COLLUSION["z_threshold"], "pair_z": COLLUSION["pair_z"],
                      "pair_min_contestants": COLLUSION["pair_min_contestants"],
                      "pair_follow_z": COLLUSION["pair_follow_z"]},
        "judges_counted": [j.name for j in counted],
    }
    if not data:
        rows = [SubjectResult(subject=s, flags=[_("无评分")]) for s in subjects]
        result = EvaluationResult(evaluation=ev, rule=ev.rule, engine="bole.engines.judges.compare_rules",
                                  engine_version=judges_engine.ENGINE_VERSION, parameters=params,
                                  summary={"n_scores": 0, "scale": "0-100"})
        return result, rows
    # n_contestants is fixed by padding: a contestant nobody scored stays in the table, unranked.
    cmp = judges_engine.compare_rules(judge, subject, score, criterion, k=ev.trim_k, criterion_weights=cw,
                                      max_scores=maxes, collusion=COLLUSION)
    raw, trimmed, rob = cmp.raw, cmp.trimmed, cmp.robust
    fit, flags = rob.fit, rob.flags

    def pad(a):
        out = np.full(n_s, np.nan)
        out[: a.size] = a
        return out

    raw_s, trim_s, fair_s, se = pad(raw.score), pad(trimmed.score), pad(fit.fair_average), pad(fit.contestant_se)
    n_judges = np.zeros(n_s, dtype=np.int64)
    n_judges[: raw.n_judges.size] = raw.n_judges
    final = {AggregationRule.SEVERITY: fair_s, AggregationRule.TRIMMED_MEAN: trim_s}.get(ev.rule, raw_s)
    # Panels that never share a judge or a contestant cannot be put on one scale: each is ranked on its own.
    conn = judges_engine.check_connectivity(judge, subject, n_judges=len(counted), n_contestants=n_s)
    per_panel = not conn.connected
    panel = conn.contestant_component  # 0 = the largest panel, -1 = nobody scored
    rank = judges_engine.panel_ranks(final, panel) if per_panel else raters_engine.competition_rank(final)

    # Intervals: for the corrected score from its model standard error; for the plain rules by resampling
    # judges (each judge's totals as one "ballot"). Rank intervals are within the subject's panel.
    rank_lo = np.zeros(n_s, dtype=int)
    rank_hi = np.zeros(n_s, dtype=int)
    a = (1 - LEVEL) / 2
    if ev.rule == AggregationRule.SEVERITY:
        lo, hi = fair_s - Z90 * se, fair_s + Z90 * se
        draws = np.random.default_rng(ev.pk).normal(fair_s, np.nan_to_num(se), size=(N_BOOT, n_s))
        draws = np.where(np.isnan(draws), -np.inf, draws)
        for members in _panels(panel, per_panel, n_s):
            ranks = np.argsort(np.argsort(-draws[:, members], axis=1), axis=1) + 1
            rank_lo[members] = np.quantile(ranks, a, axis=0, method="lower").astype(int)
            rank_hi[members] = np.quantile(ranks, 1 - a, axis=0, method="higher").astype(int)
    else:
        lo, hi = np.full(n_s, np.nan), np.full(n_s, np.nan)
        pct = 100.0 * score / maxes[criterion]
        for members in _panels(panel, per_panel, n_s):
            local = np.full(n_s, -1, dtype=np.int64)
            local[members] = np.arange(members.size)
            rows_in = local[subject] >= 0
            zeros = np.zeros(int(rows_in.sum()), dtype=np.int64)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                boot = raters_engine.bootstrap_intervals(judge[rows_in], zeros, local[subject[rows_in]],
                                                         criterion[rows_in], pct[rows_in], cw, np.ones(1),
                                                         n_boot=N_BOOT, level=LEVEL, seed=ev.pk,
                                                         n_subjects=members.size)
            lo[members], hi[members] = boot.score_lo, boot.score_hi
            rank_lo[members], rank_hi[members] = boot.rank_lo, boot.rank_hi
        if ev.rule == AggregationRule.TRIMMED_MEAN:
            lo = hi = np.full(n_s, np.nan)

    subject_flags: dict[int, list[str]] = {i: [] for i in range(n_s)}
    set_aside = []
    pair_of = {}
    for pair in flags.pairs:
        a_j, b_j = pair.judges
        names = [counted[a_j].name, counted[b_j].name]
        entry = {"judges": names, "subjects": [subjects[int(c)].label for c in pair.contestants],
                 "direction": "up" if pair.direction > 0 else "down", "min_z": round(pair.min_z, 2)}
        for c in pair.contestants:
            pair_of[int(c)] = entry
    pairs = list({id(e): e for e in pair_of.values()}.values())
    for cell in np.flatnonzero(flags.flagged):
        j, s = int(flags.cell_judge[cell]), int(flags.cell_contestant[cell])
        z = float(flags.cell_z[cell])
        up = float(flags.cell_mean_residual[cell]) > 0
        word = _("偏高") if up else _("偏低")
        if flags.reason[cell] == 2:
            other = counted[int(flags.partner[cell])].name
            kind = "pair"
            if j < int(flags.partner[cell]):  # one line per pair and contestant
                subject_flags[s].append(
                    _("评委%(a)s、%(b)s同时打分明显%(w)s，疑似串通，这两项评分未计入校正分")
                    % {"a": counted[j].name, "b": other, "w": word})
        else:
            other, kind = None, "single"
            subject_flags[s].append(_("评委%(j)s打分明显%(w)s，该项评分未计入校正分") % {"j": counted[j].name, "w": word})
        set_aside.append({"judge": counted[j].name, "subject": subjects[s].label, "reason": kind,
                          "partner": other, "direction": "up" if up else "down",
                          "z": None if np.isnan(z) else round(z, 2)})
    for i in range(n_s):
        if n_judges[i] == 0:
            subject_flags[i].append(_("无评分"))
    components = []
    if per_panel:
        for n, comp in enumerate(conn.components, start=1):
            components.append({
                "panel": n,
                "judges": [counted[int(j)].name for j in comp.judges],
                "subjects": [subjects[int(s)].label for s in comp.contestants],
            })
    scored_cells = {(int(j), int(s)) for j, s in zip(judge, subject, strict=True)}
    complete = len(scored_cells) == len(counted) * n_s

    def ranked(v):
        return judges_engine.panel_ranks(v, panel) if per_panel else raters_engine.competition_rank(v)

    ranks = {r: ranked(v) for r, v in (("raw", raw_s), ("trimmed", trim_s), ("fair", fair_s))}
    sev = {counted[j].name: _f(fit.judge_severity[j]) for j in range(fit.judge_severity.size)}
    rows = []
    for i, subj in enumerate(subjects):
        rows.append(SubjectResult(
            subject=subj, n_ratings=int(n_judges[i]), group_scores={},
            final_score=_f(final[i]), rank=int(rank[i]), score_lo=_f(lo[i]), score_hi=_f(hi[i]),
            rank_lo=int(rank_lo[i]) if not np.isnan(final[i]) else 0,
            rank_hi=int(rank_hi[i]) if not np.isnan(final[i]) else 0,
            raw_mean=_f(raw_s[i]), trimmed_mean=_f(trim_s[i]), fair_average=_f(fair_s[i]), flags=subject_flags[i],
            panel=int(panel[i]) + 1 if per_panel and panel[i] >= 0 else 0,
        ))
    summary = {
        "n_scores": int(score.size),
        "judges_submitted": len(submitted),
        "judges_total": len(seats),
        "complete_design": complete,
        "connected": bool(conn.connected),
        "ranking": "per_panel" if per_panel else "one_list",
        "components": components,
        "judge_severity": sev,
        "sigma": _f(fit.sigma),
        "converged": bool(fit.converged),
        "set_aside": set_aside,
        "collusion_pairs": pairs,
        "named_judges": [counted[int(j)].name for j in flags.named_judges],
        "cell_sigma": _f(flags.sigma),
        "fairness": {
            "recommended": AggregationRule.SEVERITY,
            "used": ev.rule,
            "rank_changes_raw": _rank_changes(ranks["raw"], ranks["fair"]),
            "rank_changes_trimmed": _rank_changes(ranks["trimmed"], ranks["fair"]),
        },
        "scale": "0-100",
    }
    result = EvaluationResult(evaluation=ev, rule=ev.rule, engine="bole.engines.judges.compare_rules",
                              engine_version=judges_engine.ENGINE_VERSION, parameters=params, summary=summary)
    return result, rows


def _panels(panel: np.ndarray, per_panel: bool, n_s: int) -> list[np.ndarray]:
    """Subject indices ranked together: every subject in one list, or each connected panel on its own."""
    if not per_panel:
        return [np.arange(n_s)]
    return [np.flatnonzero(panel == p) for p in range(int(panel.max()) + 1)]


# --- the big screen -------------------------------------------------------------------------------

_LIVE: dict[tuple, dict[int, float | None]] = {}


def published_scores(*, evaluation: Evaluation) -> tuple[dict[int, float | None], bool]:
    """Subject id → the score that is (or will be) published, and whether it is still provisional.

    Once an evaluation is closed its stored result is read. While a contest is open the same
    `_judged_results` that closing will run is run on the scores so far, unsaved: the big screen never has a
    rule of its own. Kept per process against the scores' fingerprint, as the screen polls every few seconds.
    """
    ev = evaluation
    if not ev.is_judged:
        return {}, True
    if ev.status in (EvaluationStatus.CLOSED, EvaluationStatus.PUBLISHED):
        result = ev.results.filter(is_current=True).first()
        if result is not None:
            return dict(result.rows.values_list("subject_id", "final_score")), False
    scores = JudgeScore.objects.filter(evaluation=ev)
    seen = scores.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    submitted = tuple(ev.judges.exclude(submitted_at=None).values_list("id", flat=True))
    key = (ev.pk, ev.rule, ev.trim_k, seen["n"], seen["top"], seen["last"], submitted)
    if key not in _LIVE:
        subjects = list(ev.subjects.all())
        _result, rows = _judged_results(ev, subjects, list(ev.criteria.all()))
        if len(_LIVE) > 64:
            _LIVE.clear()
        _LIVE[key] = {r.subject.pk: r.final_score for r in rows}
    return _LIVE[key], True
