"""One ballot per token under real concurrency: the database, not the application, decides; and a close that
races with ballots being cast loses none of them."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from bole.evaluation import services
from bole.evaluation.models import Ballot, BallotScore, BallotToken, QueuedBallot

from ..race import race
from .conftest import answers_for


@pytest.mark.django_db(transaction=True)
def test_fifty_threads_one_token_store_one_ballot(ballot_eval, users):
    ev = ballot_eval["ev"]
    token = BallotToken.objects.filter(evaluation=ev).values_list("token", flat=True).first()
    answers = answers_for(ev, 8)
    outcomes = race(lambda _i: services.ballot_submit(token=token, answers=answers),
                    refusal=services.BallotRejected, describe=lambda exc: exc.code)
    assert outcomes == {"ok": 1, "used": 49}, outcomes
    assert QueuedBallot.objects.filter(evaluation=ev).count() == 1
    assert BallotToken.objects.get(token=token).used
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])  # mixes the queue
    assert not QueuedBallot.objects.exists()
    assert Ballot.objects.filter(evaluation=ev).count() == 1
    assert BallotScore.objects.filter(ballot__evaluation=ev).count() == len(answers)


@pytest.mark.django_db(transaction=True)
def test_closing_while_ballots_are_cast_loses_none(ballot_eval, users):
    """Every ballot is either in the queue the close flushes or refused as closed: used tokens = ballots."""
    ev = ballot_eval["ev"]
    services.tokens_issue(evaluation=ev, group=ballot_eval["groups"][1], count=30, actor=users["admin"])
    tokens = list(BallotToken.objects.filter(evaluation=ev).values_list("token", flat=True))
    answers = answers_for(ev, 7)
    start = threading.Barrier(len(tokens) + 1)
    outcomes: list[str] = []
    lock = threading.Lock()
    some_cast = threading.Event()  # the close starts once a few ballots are in, while the rest are in flight

    def submit(token):
        try:
            start.wait()
            services.ballot_submit(token=token, answers=answers)
            result = "ok"
        except services.BallotRejected as exc:
            result = exc.code
        except Exception as exc:  # any other failure must show up in the assertion below
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)
            if outcomes.count("ok") >= 3:
                some_cast.set()

    def close():
        try:
            start.wait()
            some_cast.wait(timeout=60)
            services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
            result = "closed-it"
        except Exception as exc:
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit, args=(t,)) for t in tokens] + [threading.Thread(target=close)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(outcomes) <= {"ok", "closed", "closed-it"}, outcomes
    assert outcomes.count("closed-it") == 1 and outcomes.count("ok") >= 3
    used = BallotToken.objects.filter(evaluation=ev, used=True).count()
    assert used == outcomes.count("ok")
    assert not QueuedBallot.objects.exists()
    assert Ballot.objects.filter(evaluation=ev).count() == used
    assert ev.results.get(is_current=True).summary["n_ballots"] == used
