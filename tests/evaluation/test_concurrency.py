"""One ballot per token under real concurrency: the database, not the application, decides."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from bole.evaluation import services
from bole.evaluation.models import Ballot, BallotScore, BallotToken

from .conftest import answers_for


@pytest.mark.django_db(transaction=True)
def test_fifty_threads_one_token_store_one_ballot(ballot_eval):
    ev = ballot_eval["ev"]
    token = BallotToken.objects.filter(evaluation=ev).values_list("token", flat=True).first()
    answers = answers_for(ev, 8)
    start = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit():
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

    threads = [threading.Thread(target=submit) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(outcomes)) == ["ok", "used"], outcomes
    assert outcomes.count("ok") == 1
    assert Ballot.objects.filter(evaluation=ev).count() == 1
    assert BallotScore.objects.filter(ballot__evaluation=ev).count() == len(answers)
    assert BallotToken.objects.get(token=token).used
