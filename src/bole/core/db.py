"""Database session settings for the few statements that aggregate millions of rows."""

from __future__ import annotations

import time
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


def fetch(sql: str, params: list | tuple = (), *, using: str = "default") -> list[tuple]:
    """Rows of one read statement that a busy page runs on every request.

    On PostgreSQL the statement is prepared on the connection the first time and planned once (psycopg keeps
    the prepared statements of a persistent connection; parameters are bound on the server). Planning a
    join costs the database more than running it for one row or one page. Elsewhere it is an ordinary
    cursor. Errors come out as Django's database errors, as from any cursor.
    """
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    import psycopg

    conn.close_if_health_check_failed()  # what Django's own cursors do first: a dropped connection is replaced
    conn.ensure_connection()
    start = time.monotonic()
    with conn.wrap_database_errors, psycopg.Cursor(conn.connection) as cur:
        cur.execute(sql, params, prepare=True)
        rows = cur.fetchall()
    if conn.queries_logged:  # DEBUG, or a test counting queries: logged as Django's own cursors log theirs
        conn.queries_log.append({"sql": f"{sql} -- {list(params)!r}", "time": f"{time.monotonic() - start:.3f}"})
    return rows


def insert_rows(model, columns: list[str], rows: list[tuple], *, batch_size: int = 20_000) -> None:
    """Bulk insert of plain tuples into a model's table: COPY on PostgreSQL, executemany elsewhere.

    For the writes of tens of thousands of rows (escalation sweeps, assessment results), where building a
    model instance per row would cost more than the database's work. Values go in as they are (JSON columns
    as JSON text); on SQLite, date-times are stored the way Django stores them.
    """
    from django.db import connection, models

    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    cols = ", ".join(ops.quote_name(c) for c in columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        fields = {f.column: f for f in model._meta.concrete_fields}
        stamps = [i for i, c in enumerate(columns) if isinstance(fields[c], models.DateTimeField)]
        if stamps:
            rows = [tuple(ops.adapt_datetimefield_value(v) if i in stamps else v for i, v in enumerate(r))
                    for r in rows]
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        for start in range(0, len(rows), batch_size):
            cur.executemany(sql, rows[start: start + batch_size])


class ToOneLoader:
    """One model with a chain of to-one relations, read in one statement and built as model instances.

    What ``select_related`` does, with the statement and the column converters worked out once per process
    instead of on every call. The ORM spends far longer compiling a five-table join than the database spends
    running it; pages that read the same row shape on every request (the session with its user and account)
    use this instead. ``paths`` are ``select_related`` paths of forward foreign keys and one-to-one fields in
    either direction; every join is a LEFT JOIN, and a relation with no row is cached as None, as the ORM does.
    """

    def __init__(self, model, paths: list[str] | tuple[str, ...] = ()):
        self.model = model
        # nodes: (model, parent node index, field or reverse relation, reverse?) — node 0 is `model` itself
        self.nodes: list[tuple] = [(model, None, None, False)]
        index = {"": 0}
        for path in paths:
            prefix = ""
            for name in path.split("__"):
                key = f"{prefix}__{name}" if prefix else name
                if key not in index:
                    parent = index[prefix]
                    f = self.nodes[parent][0]._meta.get_field(name)
                    reverse = f.auto_created and not f.concrete
                    if not (f.one_to_one or (f.many_to_one and not reverse)):
                        raise ValueError(f"{key}: not a to-one relation")
                    index[key] = len(self.nodes)
                    self.nodes.append((f.related_model, parent, f, reverse))
                prefix = key
        self._prepared: dict[str, tuple] = {}

    def _prepare(self, connection) -> tuple:
        if connection.alias in self._prepared:
            return self._prepared[connection.alias]
        q = connection.ops.quote_name
        cols, joins, spans, convert = [], [], [], []
        for i, (model, parent, f, reverse) in enumerate(self.nodes):
            fields = model._meta.concrete_fields
            start = len(cols)
            for fld in fields:
                col = fld.get_col(f"t{i}")
                cols.append(f"t{i}.{q(fld.column)}")
                convs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if convs:
                    convert.append((len(cols) - 1, col, convs))
            pk_at = start + fields.index(model._meta.pk)
            spans.append((start, len(cols), [fld.attname for fld in fields], pk_at))
            if i:
                table = q(model._meta.db_table)
                if reverse:  # the child holds the key: child.fk = parent.target
                    on = f"t{i}.{q(f.field.column)} = t{parent}.{q(f.field.target_field.column)}"
                else:
                    on = f"t{i}.{q(f.target_field.column)} = t{parent}.{q(f.column)}"
                joins.append(f"LEFT JOIN {table} t{i} ON {on}")
        sql = f"SELECT {', '.join(cols)} FROM {q(self.model._meta.db_table)} t0 {' '.join(joins)}"  # noqa: S608
        self._prepared[connection.alias] = (sql, spans, convert)
        return self._prepared[connection.alias]

    def first(self, where: str, params: list | tuple, *, using: str = "default"):
        """The first row matching `where` (SQL over the base table's alias ``t0``), or None."""
        from django.db import connections

        conn = connections[using]
        sql, spans, convert = self._prepare(conn)
        rows = fetch(f"{sql} WHERE {where} LIMIT 1", params, using=using)
        if not rows:
            return None
        row = rows[0]
        if convert:
            row = list(row)
            for at, col, convs in convert:
                for c in convs:
                    row[at] = c(row[at], col, conn)
        built = []
        for (model, parent, f, reverse), (start, end, names, pk_at) in zip(self.nodes, spans, strict=True):
            obj = None if row[pk_at] is None else model.from_db(using, names, row[start:end])
            built.append(obj)
            if parent is None or built[parent] is None:
                continue
            owner = built[parent]
            f.set_cached_value(owner, obj)  # a forward field or a reverse one-to-one: the owner's side
            if obj is not None and (reverse or f.one_to_one):
                (f.field if reverse else f.remote_field).set_cached_value(obj, owner)
        return built[0]
