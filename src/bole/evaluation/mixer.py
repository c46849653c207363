"""The ballot mixer: moves queued anonymous ballots into the ballot table in shuffled batches.

A ballot is queued in the transaction that uses its token (`services.ballot_submit`), so while it waits its
row shares that transaction (on PostgreSQL, its `xmin`). The mixer writes ballots in a transaction of its
own, at least `BOLE_BALLOT_MIX_MIN` at a time, in random order, and deletes the queue rows: a mixed ballot
shares its transaction, its id range and its place in the table with the whole batch, and carries no time.
Closing an evaluation rewrites all its ballots, mixed and queued, as one batch (`ballots_flush`), so after
close no batch boundary is left either. docs/DEVELOPING.md ("Anonymous ballots") says what remains.
"""

from __future__ import annotations

import json
import random
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count

from bole.core.audit import audit_record
from bole.core.choices import AuditAction

from .choices import EvaluationKind, EvaluationStatus
from .models import Ballot, BallotScore, Evaluation, QueuedBallot
from .services import _write_turn

Answers = list[tuple[int, int, float | None]]
_CHUNK = 500  # rows per multi-row INSERT / ids per DELETE


def _min_batch(min_batch: int | None) -> int:
    return max(1, min_batch if min_batch is not None else settings.BOLE_BALLOT_MIX_MIN)


def _write(evaluation_id: int, ballots: list[tuple[int, Answers]], rng: random.Random) -> None:
    """Insert ballots in a random order: their ids, row positions and command order follow the shuffle.

    One INSERT per ballot (each returns its id; a multi-row INSERT's RETURNING order is not guaranteed on
    SQLite), then the scores in chunks, every ballot's answers sorted the same way.
    """
    rng.shuffle(ballots)
    ballot_t, score_t = Ballot._meta.db_table, BallotScore._meta.db_table
    scores: list[tuple[int, int, int, float | None]] = []
    with connection.cursor() as cur:
        # Table names come from the models; every value is a query parameter.
        insert = f"INSERT INTO {ballot_t} (evaluation_id, group_id) VALUES (%s, %s) RETURNING id"  # noqa: S608
        for group_id, answers in ballots:
            cur.execute(insert, [evaluation_id, group_id])
            ballot_id = cur.fetchone()[0]
            scores.extend((ballot_id, s, c, v) for s, c, v in sorted(answers, key=lambda a: (a[0], a[1])))
        for i in range(0, len(scores), _CHUNK):
            chunk = scores[i:i + _CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cur.execute(f"INSERT INTO {score_t} (ballot_id, subject_id, criterion_id, score) VALUES {values}",  # noqa: S608
                        [x for row in chunk for x in row])


def _delete_queued(ids: list[int]) -> None:
    queue_t = QueuedBallot._meta.db_table
    with connection.cursor() as cur:
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            cur.execute(f"DELETE FROM {queue_t} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608


def _scrub_deletes() -> None:
    """SQLite: deleted rows are overwritten with zeros instead of lingering in free pages of the file."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA secure_delete = ON")


def _queued(evaluation_id: int) -> list[tuple[int, int, Answers]]:
    return [(pk, group_id, [tuple(a) for a in json.loads(answers)])
            for pk, group_id, answers in QueuedBallot.objects.filter(evaluation_id=evaluation_id)
            .values_list("id", "group_id", "answers")]


def ballots_mix(*, evaluation: Evaluation, min_batch: int | None = None, actor=None,
                rng: random.Random | None = None) -> int:
    """Move an open evaluation's queued ballots into the ballot table as one shuffled batch, once at least
    `min_batch` (default `BOLE_BALLOT_MIX_MIN`) are waiting; fewer wait for the next run or the close.

    Returns how many ballots were moved. Runs in its own transaction: on PostgreSQL the evaluation row is
    locked FOR NO KEY UPDATE, which keeps two mixers apart without holding up ballots being cast.
    """
    k = _min_batch(min_batch)
    rng = rng or secrets.SystemRandom()
    _scrub_deletes()
    with _write_turn(), transaction.atomic():
        ev = Evaluation.objects.select_for_update(no_key=True).get(pk=evaluation.pk)
        if ev.status != EvaluationStatus.OPEN:
            return 0  # a closed evaluation's queue was flushed by its close
        queued = _queued(ev.pk)
        if len(queued) < k:
            return 0
        _write(ev.pk, [(group_id, answers) for _pk, group_id, answers in queued], rng)
        _delete_queued([pk for pk, _g, _a in queued])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=ev, changes={"ballots_mixed": [None, len(queued)]})
    return len(queued)


def ballots_flush(*, evaluation: Evaluation, actor=None, rng: random.Random | None = None) -> int:
    """At close: every ballot of the evaluation, already mixed or still queued, is rewritten as one shuffled
    batch, so even the last few ballots (fewer than a batch) hide among all the others.

    Called by `services.evaluation_transition` inside the closing transaction, which holds the evaluation
    row FOR UPDATE: ballots being cast finish first, later ones find the evaluation closed. Returns the
    number of ballots the evaluation now has.
    """
    rng = rng or secrets.SystemRandom()
    _scrub_deletes()
    with transaction.atomic():
        ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        ballots: dict[int, tuple[int, Answers]] = {
            pk: (group_id, []) for pk, group_id in Ballot.objects.filter(evaluation=ev).values_list("id", "group_id")
        }
        for ballot_id, s, c, v in BallotScore.objects.filter(ballot__evaluation=ev).values_list(
            "ballot_id", "subject_id", "criterion_id", "score"
        ):
            ballots[ballot_id][1].append((s, c, v))
        queued = _queued(ev.pk)
        everything = list(ballots.values()) + [(group_id, answers) for _pk, group_id, answers in queued]
        ballot_t, score_t = Ballot._meta.db_table, BallotScore._meta.db_table
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {score_t} WHERE ballot_id IN "  # noqa: S608
                        f"(SELECT id FROM {ballot_t} WHERE evaluation_id = %s)", [ev.pk])
            cur.execute(f"DELETE FROM {ballot_t} WHERE evaluation_id = %s", [ev.pk])  # noqa: S608
        _write(ev.pk, everything, rng)
        _delete_queued([pk for pk, _g, _a in queued])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=ev,
                     changes={"ballots_mixed": [None, len(queued)], "ballots_remixed": [None, len(everything)]})
    return len(everything)


def ballots_mix_due(*, min_batch: int | None = None) -> dict[str, int]:
    """The periodic job: one shuffled batch for every open evaluation with at least `min_batch` ballots queued.

    On PostgreSQL, outside a transaction, the queue table is vacuumed afterwards so the deleted rows (which
    carry their tokens' transaction ids) are cleared from its pages' row directory at once rather than when
    autovacuum comes by.
    """
    k = _min_batch(min_batch)
    due = list(
        QueuedBallot.objects.filter(evaluation__status=EvaluationStatus.OPEN, evaluation__kind=EvaluationKind.BALLOT)
        .values("evaluation_id").annotate(n=Count("id")).filter(n__gte=k).values_list("evaluation_id", flat=True)
    )
    mixed = batches = 0
    for ev in Evaluation.objects.filter(pk__in=due).order_by("pk"):
        n = ballots_mix(evaluation=ev, min_batch=k)
        mixed += n
        batches += 1 if n else 0
    if mixed and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cur:
            cur.execute(f"VACUUM {QueuedBallot._meta.db_table}")
    return {"batches": batches, "mixed": mixed, "waiting": QueuedBallot.objects.count()}
