"""The ballot mixer: queued ballots move into the ballot table in shuffled batches of at least k, everything at
close; results read mixed ballots only; the periodic job mixes full batches and leaves smaller queues waiting."""

from __future__ import annotations

import random

import pytest
from django.test import override_settings

from bole.core.tasks import periodic_jobs
from bole.evaluation import selectors, services
from bole.evaluation.compute import results_compute
from bole.evaluation.jobs import mix_ballots
from bole.evaluation.mixer import ballots_flush, ballots_mix
from bole.evaluation.models import Ballot, BallotScore, BallotToken, QueuedBallot

from .conftest import answers_for


def _cast(ev, n: int, base: float = 8) -> None:
    for token in BallotToken.objects.filter(evaluation=ev, used=False).order_by("id").values_list("token", flat=True)[:n]:
        services.ballot_submit(token=token, answers=answers_for(ev, base))


def _stored(ev) -> list[tuple]:
    """The mixed ballots as contents (group and sorted answers), independent of ids."""
    out: dict[int, list] = {}
    for bid, g, s, c, v in BallotScore.objects.filter(ballot__evaluation=ev).values_list(
        "ballot_id", "ballot__group_id", "subject_id", "criterion_id", "score"
    ):
        out.setdefault(bid, [g]).append((s, c, -1.0 if v is None else v))  # -1: 不了解
    return sorted((row[0], tuple(sorted(row[1:]))) for row in out.values())


def test_mixer_waits_for_a_full_batch(ballot_eval):
    ev = ballot_eval["ev"]
    _cast(ev, 3)
    assert ballots_mix(evaluation=ev, min_batch=4) == 0
    assert QueuedBallot.objects.filter(evaluation=ev).count() == 3 and not Ballot.objects.exists()
    _cast(ev, 1, base=5)
    assert ballots_mix(evaluation=ev, min_batch=4) == 4
    assert not QueuedBallot.objects.exists() and Ballot.objects.filter(evaluation=ev).count() == 4
    assert BallotScore.objects.filter(ballot__evaluation=ev).count() == 4 * 6
    # the leader group's tokens were used first (fixture order): four leader ballots, one of them the base-5 one
    assert [g for g, _a in _stored(ev)] == [ballot_eval["groups"][0].pk] * 4
    assert sorted(v for _g, a in _stored(ev) for _s, _c, v in a)[:2] == [3.0, 3.0]


def test_results_read_mixed_ballots_only_and_close_flushes_the_queue(ballot_eval, users):
    ev = ballot_eval["ev"]
    _cast(ev, 3)
    assert results_compute(evaluation=ev, actor=None).summary["n_ballots"] == 0  # all still queued
    ballots_mix(evaluation=ev, min_batch=1)
    assert results_compute(evaluation=ev, actor=None).summary["n_ballots"] == 3
    _cast(ev, 2, base=6)
    assert results_compute(evaluation=ev, actor=None).summary["n_ballots"] == 3  # two waiting, not counted
    assert selectors.ballot_counts(evaluation=ev) == {"received": 5, "mixed": 3, "waiting": 2}
    rates = selectors.response_rates(evaluation=ev)
    assert sum(r["ballots"] for r in rates) == 5 and sum(r["waiting"] for r in rates) == 2
    ids_before = set(Ballot.objects.filter(evaluation=ev).values_list("id", flat=True))
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    assert selectors.ballot_counts(evaluation=ev) == {"received": 5, "mixed": 5, "waiting": 0}
    assert selectors.current_result(evaluation=ev).summary["n_ballots"] == 5
    # the close rewrote every ballot, the three mixed before included, as one new batch
    ids_after = set(Ballot.objects.filter(evaluation=ev).values_list("id", flat=True))
    assert not ids_before & ids_after and min(ids_after) > max(ids_before)
    with pytest.raises(services.BallotRejected) as exc:
        _cast(ev, 1)
    assert exc.value.code == "closed"
    assert ballots_mix(evaluation=ev, min_batch=1) == 0 and not QueuedBallot.objects.exists()


def test_results_do_not_depend_on_the_shuffle(ballot_eval, users):
    ev = ballot_eval["ev"]
    for i, token in enumerate(BallotToken.objects.filter(evaluation=ev).order_by("id").values_list("token", flat=True)):
        services.ballot_submit(token=token, answers=answers_for(ev, 10 - (i * 7) % 5, unknown={i % 3} if i % 4 else set()))
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    contents = _stored(ev)

    def figures():
        result = results_compute(evaluation=ev, actor=None)
        return [(r.subject_id, r.final_score, r.score_lo, r.score_hi, r.rank_lo, r.rank_hi, r.trimmed_mean)
                for r in result.rows.order_by("subject_id")], result.summary

    first = figures()
    for seed in (1, 2):
        ballots_flush(evaluation=ev, rng=random.Random(seed))
        assert _stored(ev) == contents  # the same ballots, under new ids in a new order
        assert figures() == first


@override_settings(BOLE_BALLOT_MIX_MIN=3)
def test_periodic_job_mixes_full_batches_and_leaves_small_queues(ballot_eval):
    job = periodic_jobs()["evaluation.mix"]
    assert job.every == 60 and job.resolve() is mix_ballots
    ev = ballot_eval["ev"]
    _cast(ev, 2)
    assert mix_ballots() == {"batches": 0, "mixed": 0, "waiting": 2}
    _cast(ev, 2)
    assert mix_ballots() == {"batches": 1, "mixed": 4, "waiting": 0}
    assert Ballot.objects.filter(evaluation=ev).count() == 4
    _cast(ev, 1)
    assert mix_ballots() == {"batches": 0, "mixed": 0, "waiting": 1}  # one ballot waits for more, or the close
