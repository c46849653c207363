"""No query over the stored data links a ballot to its token: not the transaction that wrote it (PostgreSQL
`xmin`), not ids, not the order rows are stored in, and no time is stored with a ballot.

Each token's ballot carries its position in the issue order in two answers, so the test knows the truth and
can count how many ballots a join pairs with the right token. Tokens are used in issue order (the order of
the printed list), so issue order, order of use and, on PostgreSQL, the tokens' `xmin` order coincide.
"""

from __future__ import annotations

import pytest
from django.db import connection

from bole.evaluation import services
from bole.evaluation.mixer import ballots_mix
from bole.evaluation.models import Ballot, BallotScore, BallotToken, QueuedBallot

N_EXTRA = 60
FIRST_BATCH = 30


def _encoded(subjects, criteria, i: int) -> dict:
    answers = {(s.pk, c.pk): 5.0 for s in subjects for c in criteria}
    answers[(subjects[0].pk, criteria[0].pk)] = float(i % 11)
    answers[(subjects[0].pk, criteria[1].pk)] = float(i // 11)
    return answers


def _truth(ev, subjects, criteria) -> dict[int, int]:
    """Ballot id → the issue position of the token it was cast with (decoded from its answers)."""
    digits: dict[int, dict[int, float]] = {}
    for bid, cid, score in BallotScore.objects.filter(ballot__evaluation=ev, subject=subjects[0]).values_list(
        "ballot_id", "criterion_id", "score"
    ):
        digits.setdefault(bid, {})[cid] = score
    return {bid: int(d[criteria[0].pk] + 11 * d[criteria[1].pk]) for bid, d in digits.items()}


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _xmin_links(ev, table: str) -> int:
    """Rows of `table` written in the transaction that last wrote one of the evaluation's tokens."""
    return _rows(f"SELECT count(*) FROM evaluation_ballottoken t JOIN {table} b ON b.xmin = t.xmin "  # noqa: S608
                 f"WHERE t.evaluation_id = %s", [ev.pk])[0][0]


def _order_join(ev, token_order: str, ballot_order: str) -> list[tuple[int, int]]:
    """Pairs (token's issue position, ballot id): the n-th used token in one order with the n-th ballot in another."""
    return _rows(
        f"WITH t AS (SELECT id, row_number() OVER (ORDER BY {token_order}) AS n FROM evaluation_ballottoken "  # noqa: S608
        f"           WHERE evaluation_id = %s AND used), "
        f"     b AS (SELECT id, row_number() OVER (ORDER BY {ballot_order}) AS n FROM evaluation_ballot "
        f"           WHERE evaluation_id = %s) "
        f"SELECT t.n - 1, b.id FROM t JOIN b ON b.n = t.n", [ev.pk, ev.pk])


def _spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(v):
        order = sorted(range(len(v)), key=v.__getitem__)
        r = [0] * len(v)
        for rank, i in enumerate(order):
            r[i] = rank
        return r

    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    return 1 - 6 * sum((a - b) ** 2 for a, b in zip(rx, ry, strict=True)) / (n * (n * n - 1))


@pytest.mark.django_db(transaction=True)
def test_no_link_between_tokens_and_ballots(ballot_eval, users):
    ev = ballot_eval["ev"]
    subjects, criteria = ballot_eval["subjects"], ballot_eval["criteria"]
    services.tokens_issue(evaluation=ev, group=ballot_eval["groups"][1], count=N_EXTRA, actor=users["admin"])
    tokens = list(BallotToken.objects.filter(evaluation=ev).order_by("id").values_list("token", flat=True))
    n = len(tokens)
    postgres = connection.vendor == "postgresql"
    for i, token in enumerate(tokens):
        services.ballot_submit(token=token, answers=_encoded(subjects, criteria, i))
        if i + 1 == FIRST_BATCH:
            assert ballots_mix(evaluation=ev, min_batch=10) == FIRST_BATCH
    if postgres:
        # While it waits, a queued ballot does share its token's transaction: the link the mixer removes.
        # (The join finds it, so it would find it in the ballot table too, as before the queue existed.)
        assert _xmin_links(ev, "evaluation_queuedballot") == n - FIRST_BATCH
        assert _xmin_links(ev, "evaluation_ballot") == 0
        # The batch mixed while open: one transaction for all its ballots, so each hides among FIRST_BATCH.
        sizes = _rows("SELECT count(*) FROM evaluation_ballot WHERE evaluation_id = %s GROUP BY xmin::text", [ev.pk])
        assert sizes == [(FIRST_BATCH,)]

    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    assert not QueuedBallot.objects.exists() and Ballot.objects.filter(evaluation=ev).count() == n
    truth = _truth(ev, subjects, criteria)
    assert sorted(truth.values()) == list(range(n))  # every token's ballot is there, once

    # ids and stored order: pair the n-th token (issue order = order of use) with the n-th ballot.
    joins = {"token id ~ ballot id": _order_join(ev, "id", "id")}
    if postgres:
        joins["token xmin ~ ballot id"] = _order_join(ev, "xmin::text::bigint", "id")
        joins["token id ~ ballot ctid"] = _order_join(ev, "id", "ctid")
        joins["token ctid ~ ballot ctid"] = _order_join(ev, "ctid", "ctid")
    for name, pairs in joins.items():
        assert len(pairs) == n
        hits = sum(1 for position, bid in pairs if truth[bid] == position)
        # A random order pairs about one ballot right by chance (P(≥ 7 of 70) < 1e-4); the order of use
        # would pair all 70.
        assert hits <= 6, (name, hits)
        rho = _spearman([p for p, _b in pairs], [truth[b] for _p, b in pairs])
        assert abs(rho) < 0.5, (name, rho)

    if postgres:
        for table in ("evaluation_ballot", "evaluation_ballotscore"):
            assert _xmin_links(ev, table) == 0, table
        # After close every ballot of the evaluation was written by the one closing transaction.
        assert len(_rows("SELECT DISTINCT xmin::text FROM evaluation_ballot WHERE evaluation_id = %s", [ev.pk])) == 1
        assert len(_rows("SELECT DISTINCT s.xmin::text FROM evaluation_ballotscore s JOIN evaluation_ballot b "
                         "ON b.id = s.ballot_id WHERE b.evaluation_id = %s", [ev.pk])) == 1
