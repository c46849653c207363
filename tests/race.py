"""Run one write many times at once: the test of every one-per-X rule under real concurrency.

Each call runs in its own thread with its own database connection, all released together by a barrier, so on
PostgreSQL they really overlap (on SQLite, with IMMEDIATE transactions, they queue for the write lock).
Tests using it need ``@pytest.mark.django_db(transaction=True)``: the threads see committed rows only.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection

RACERS = 50


def _messages(exc: Exception) -> str:
    return " / ".join(exc.messages)


# PostgreSQL here allows 100 connections for everyone. Connections an earlier race closed may still be ending on
# the server, so a race waits (up to 30 s) until at most this many are open before its threads start.
START_CONNECTIONS = 20


def _wait_for_free_connections() -> None:
    """On PostgreSQL: end the idle connections earlier tests of this database left open (threads that ended without
    closing theirs), then wait for the server to count at most START_CONNECTIONS."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state = 'idle'")
    for _attempt in range(300):
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
            if cur.fetchone()[0] <= START_CONNECTIONS:
                return
        time.sleep(0.1)


def _connect() -> None:
    """Open this thread's connection before the start, so the writes overlap and none fails for a connection slot
    that an ended connection has not yet given back (PostgreSQL frees it a moment after the close). Gives up
    after 10 s and lets the write try (and report) on its own: every thread must reach the start barrier."""
    from django.db import OperationalError

    for _attempt in range(100):
        try:
            connection.ensure_connection()
            return
        except OperationalError:
            time.sleep(0.1)


def race(write: Callable[[int], object], n: int = RACERS, *,
         refusal: type[Exception] = ValidationError, describe: Callable[[Exception], str] = _messages) -> Counter:
    """Call ``write(i)`` for i in 0..n-1 at the same moment; count the outcomes.

    An outcome is "ok", a refusal described for the reader (by default the messages of a ValidationError joined
    by " / "), or "error: ..." for anything else (an IntegrityError, a deadlock), so a test can assert the
    exact mix.
    """
    _wait_for_free_connections()
    start = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            if n <= RACERS:  # a bigger crowd (the training race's 200) cannot all hold a connection at once
                _connect()
            start.wait()
            write(i)
            result = "ok"
        except refusal as exc:
            result = describe(exc)
        except Exception as exc:  # any other failure must show up in the caller's assertion
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(outcomes)
