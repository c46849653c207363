"""Database session settings for the few statements that aggregate millions of rows."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction

# Enough for a hash aggregate over a county's whole ledger year in memory instead of an external merge sort
# on disk; PostgreSQL's default (4 MB) is sized for many small concurrent queries.
AGGREGATE_WORK_MEM = "256MB"


@contextmanager
def bulk_aggregate():
    """Run the enclosed aggregate queries with room to hash in memory (PostgreSQL; a no-op elsewhere).

    The settings are transaction-local (``SET LOCAL``): they end with the enclosing transaction and never
    leak into other requests sharing a persistent connection. JIT compilation is switched off: for one
    scan-and-group statement its compile time costs more than it saves.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(f"SET LOCAL work_mem = '{AGGREGATE_WORK_MEM}'")
            cur.execute("SET LOCAL jit = off")
        yield
