"""Benchmark of a full assessment recompute: 100,000 cadres, 5,000,000 ledger entries, 1,000,000 rater scores,
7 indicators, on SQLite (a temporary file) and PostgreSQL (a fresh database, dropped afterwards).

The multi-rater indicator is fed from an equivalent 1,000,000-row table of anonymous rater scores
(person, rater group, score) aggregated in SQL and weighted by group in NumPy: the evaluation app's own
tables store ballots per evaluation event and its results per subject, and the assessment reads those
stored results, so the raw ballot aggregation is measured here on a plain score table instead.

The naive baseline computes the same round person by person through the ORM (one query per person and
indicator, one INSERT per result) on a 1,000-cadre subset; its time is scaled linearly to the full size.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from decimal import Decimal

import numpy as np

BENCH_VERSION = "assessment-bench-1.0.0"
PG_URL = os.environ.get("BOLE_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "bole_bench_assessment"
RATER_TABLE = "bench_rater_score"
RATER_WEIGHTS = {0: 0.4, 1: 0.3, 2: 0.2, 3: 0.1}  # leaders, peers, subordinates, public


class PeakRss:
    """Samples the process's resident set size in a thread; `peak_mb` is the highest value seen."""

    def __init__(self, interval: float = 0.01):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()

    @staticmethod
    def rss() -> int:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(self.interval)

    def __enter__(self):
        self.peak = self.rss()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)


# --- switching the default database ---------------------------------------------------------------

def _use_database(config: dict) -> None:
    """Point Django's default connection at another database (the command runs in one process)."""
    from django.db import connections

    connections.close_all()
    base = dict(connections.settings["default"])
    base.update(config)
    connections.settings["default"] = base
    try:
        del connections["default"]
    except AttributeError:  # no connection opened yet in this thread
        pass


def _sqlite_config(path: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3", "NAME": path, "CONN_MAX_AGE": 0,
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144; "
                                    "PRAGMA temp_store=MEMORY;",
                    "transaction_mode": "IMMEDIATE", "timeout": 30},
    }


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _pg_config() -> dict:
    import dj_database_url

    cfg = dj_database_url.parse(f"{PG_URL}/{PG_NAME}", conn_max_age=0)
    cfg["OPTIONS"] = {}
    return cfg


# --- data -----------------------------------------------------------------------------------------

def _copy(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """Bulk load: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    cols = ", ".join(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            raw = connection.connection  # the sqlite3 connection itself: no per-row Django adaptation
            sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['?'] * len(columns))})"  # noqa: S608
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 100_000:
                    raw.executemany(sql, batch)
                    batch = []
            if batch:
                raw.executemany(sql, batch)


def _indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of a table's secondary indexes, to drop before a bulk load."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE %s",
                        [table, "%UNIQUE%"])
        else:
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                        "AND sql IS NOT NULL AND sql NOT LIKE %s", [table, "%UNIQUE%"])
        return list(cur.fetchall())


def _bulk_load(table: str, columns: list[str], chunks: Iterable[Iterable[tuple]]) -> None:
    """Drop secondary indexes, load, rebuild them once (far less random I/O than maintaining them per row)."""
    from django.db import connection

    indexes = _indexes(table)
    with connection.cursor() as cur:
        for name, _sql in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    for rows in chunks:
        _copy(table, columns, rows)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred FK checks would block CREATE INDEX
        for _name, sql in indexes:
            cur.execute(sql)


def _generate(n_people: int, n_entries: int, n_scores: int, log: Callable[[str], None]) -> dict:
    """The county at benchmark size, written straight into the tables (not through per-row services)."""
    from django.db import connection, transaction

    from bole.assessment import services
    from bole.assessment.models import Scheme
    from bole.core.crypto import encrypt
    from bole.ledger.choices import CapPeriod
    from bole.ledger.models import PointCategory
    from bole.org.models import Region, Unit, id_number_digest

    rng = np.random.default_rng(2024)
    t0 = time.perf_counter()
    with transaction.atomic():
        region = Region.objects.create(code="330521", name="德清县", level="county", kind="county")
        n_units = 400
        units = Unit.objects.bulk_create([Unit(name=f"单位{i:03d}", kind="town" if i % 3 else "department",
                                               region=region, path=f"/{i + 1:06d}/") for i in range(n_units)])
        unit_ids = np.array([u.pk for u in units])
        person_unit = unit_ids[rng.integers(0, n_units, n_people)]
        rank = np.where(rng.random(n_people) < 0.4, "section_chief", "section_deputy")
        now = dt.datetime(2024, 12, 31, tzinfo=dt.UTC) if connection.vendor == "postgresql" else "2024-12-31 00:00:00"
        # ID numbers are stored encrypted and found by their digest (bole.core.crypto), as the services store them.
        _copy("org_person", ["name", "gender", "birth_date", "id_number", "id_digest", "id_tail", "phone",
                             "phone_digest", "unit_id", "position",
                             "rank", "political_status", "is_cadre", "is_section_leader", "is_young_cadre",
                             "is_party_member", "is_talent", "is_expert", "name_pinyin", "name_initials", "is_active"],
              ((f"干部{i}", "M", "1980-01-01", encrypt(f"B{i:017d}"), id_number_digest(f"B{i:017d}"),
                f"{i % 10000:04d}", "", "", int(u), "科长", str(r),
                "cpc", True, True, False, True, False, False, "", "", True)
               for i, (u, r) in enumerate(zip(person_unit.tolist(), rank.tolist(), strict=True))))
        with connection.cursor() as cur:
            cur.execute("SELECT MIN(id) FROM org_person")
            first_id = cur.fetchone()[0]
        person_ids = np.arange(first_id, first_id + n_people)
        cats = {
            "award": PointCategory.objects.create(code="award", name="表彰奖励", cap=Decimal(10),
                                                  cap_period=CapPeriod.YEAR),
            "work": PointCategory.objects.create(code="work", name="揭榜挂帅", cap=Decimal(5),
                                                 cap_period=CapPeriod.QUARTER),
            "frontline": PointCategory.objects.create(code="frontline", name="一线考评", cap=Decimal(5),
                                                      cap_period=CapPeriod.QUARTER),
            "penalty": PointCategory.objects.create(code="penalty", name="扣分", floor=Decimal(-10),
                                                    cap_period=CapPeriod.QUARTER),
        }
        cat_ids = np.array([c.pk for c in cats.values()])
        codes = np.array([f"{y}Q{q}" for y in (2023, 2024) for q in range(1, 5)])
        log(f"  registers: {time.perf_counter() - t0:.1f}s")
        chunk = 500_000

        def entry_chunks():
            for start in range(0, n_entries, chunk):
                m = min(chunk, n_entries - start)
                who = rng.integers(0, n_people, m)
                cat = rng.integers(0, cat_ids.size, m)
                pts = np.where(cat == 3, -rng.integers(1, 4, m), rng.integers(1, 4, m))
                per = codes[rng.integers(0, codes.size, m)]
                yield zip(person_ids[who].tolist(), person_unit[who].tolist(), per.tolist(), cat_ids[cat].tolist(),
                          pts.tolist(), ["批量"] * m, [""] * m, ["approved"] * m, [now] * m, [""] * m, strict=True)

        _bulk_load("ledger_pointentry", ["person_id", "unit_id", "period", "category_id", "points", "reason",
                                         "source_id", "status", "created_at", "decision_note"], entry_chunks())
        log(f"  {n_entries:,} ledger entries: {time.perf_counter() - t0:.1f}s")
        with connection.cursor() as cur:
            cur.execute(f"CREATE TABLE {RATER_TABLE} (person_id bigint NOT NULL, rater_group smallint NOT NULL, "
                        "score double precision NOT NULL)")
        who = rng.integers(0, n_people, n_scores)
        _copy(RATER_TABLE, ["person_id", "rater_group", "score"],
              zip(person_ids[who].tolist(), rng.integers(0, 4, n_scores).tolist(),
                  np.round(rng.normal(85, 6, n_scores).clip(0, 100), 1).tolist(), strict=True))
        with connection.cursor() as cur:
            cur.execute(f"CREATE INDEX bench_rater_person ON {RATER_TABLE} (person_id, rater_group, score)")
        log(f"  {n_scores:,} rater scores: {time.perf_counter() - t0:.1f}s")
        _copy("assessment_unitscore", ["key", "unit_id", "period", "score", "note"],
              ((f"2024Q4|{u}", u, "2024Q4", round(float(s), 2), "") for u, s in
               zip(unit_ids.tolist(), rng.normal(88, 4, n_units).clip(0, 100).tolist(), strict=True)))
        assigned = rng.integers(4, 15, n_people)
        done = np.minimum(assigned, rng.binomial(assigned, 0.88))
        _copy("assessment_tasktally", ["key", "person_id", "period", "assigned", "completed", "note"],
              ((f"2024Q4|{p}", p, "2024Q4", a, c, "") for p, a, c in
               zip(person_ids.tolist(), assigned.tolist(), done.tolist(), strict=True)))
        keep = rng.random(n_people) < 0.97  # some values missing: the missing-value rules do work
        _copy("assessment_manualvalue", ["key", "metric", "person_id", "period", "value", "note"],
              ((f"learning|2024Q4|{p}", "learning", p, "2024Q4", round(float(v), 3), "") for p, v in
               zip(person_ids[keep].tolist(), rng.normal(40, 8, int(keep.sum())).clip(0).tolist(), strict=True)))
        scheme = services.scheme_create(
            actor=None, name="基准方案", target="section_leader", period_kind="quarter", grouping="rank_unit_kind",
            basic_threshold=Decimal(60), tie_breakers=["unit", "rating"],
            indicators=[
                {"code": "unit", "name": "单位综合考评", "kind": "unit_score", "weight": 25, "normalisation": "raw"},
                {"code": "task", "name": "个人任务完成率", "kind": "task_rate", "weight": 25, "normalisation": "raw"},
                {"code": "rating", "name": "干部群众多维评议", "kind": "evaluation", "weight": 25,
                 "normalisation": "raw", "missing": "group_mean"},
                {"code": "award", "name": "表彰奖励", "kind": "ledger", "weight": 5, "categories": [cats["award"]]},
                {"code": "work", "name": "实绩加分", "kind": "ledger", "weight": 10, "normalisation": "percentile",
                 "categories": [cats["work"], cats["frontline"]]},
                {"code": "penalty", "name": "扣分", "kind": "ledger", "weight": 5, "normalisation": "zscore",
                 "categories": [cats["penalty"]]},
                {"code": "learning", "name": "学时", "kind": "manual", "weight": 5, "missing": "exclude",
                 "metric": "learning"},
            ],
        )
        rnd = services.round_create(scheme=scheme, period="2024Q4", actor=None)
        services.round_transition(round=rnd, to="collecting", actor=None)
    with connection.cursor() as cur:  # the state autovacuum keeps a live database in: statistics, visibility map
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("ANALYZE")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    log(f"  data ready: {time.perf_counter() - t0:.1f}s")
    assert Scheme.objects.count() == 1
    return {"round": rnd, "person_ids": person_ids}


def _rater_loader(rnd, ind, person, unit, cache):
    """Multi-rater scores from the 1M-row table: mean per (person, group) in SQL, weighted by group here."""
    from django.db import connection

    from bole.core.db import bulk_aggregate

    with bulk_aggregate(), connection.cursor() as cur:
        cur.execute(f"SELECT person_id, rater_group, AVG(score) FROM {RATER_TABLE} "  # noqa: S608
                    "GROUP BY person_id, rater_group")
        rows = np.array(cur.fetchall(), dtype=np.float64)
    out = np.full(person.size, np.nan)
    if rows.size == 0:
        return out, {}
    pid, grp, mean = rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64), rows[:, 2]
    w = np.vectorize(RATER_WEIGHTS.get)(grp).astype(np.float64)
    pos = np.searchsorted(person, pid)
    ok = (pos < person.size) & (person[np.minimum(pos, person.size - 1)] == pid)
    num = np.bincount(pos[ok], weights=(w * mean)[ok], minlength=person.size)
    den = np.bincount(pos[ok], weights=w[ok], minlength=person.size)
    out[den > 0] = num[den > 0] / den[den > 0]  # groups without raters drop out; the others are re-weighted
    return out, {}


LOADERS = {"evaluation": _rater_loader}


def _recompute(rnd) -> tuple[float, float, int]:
    """One timed full recompute (forced: loads, scores and rewrites every result)."""
    from django.db import transaction

    from bole.assessment.models import Result
    from bole.assessment.services import round_compute

    gc.collect()
    with PeakRss() as peak:
        t = time.perf_counter()
        with transaction.atomic():
            round_compute(rnd, actor=None, force=True, loaders=LOADERS)
        elapsed = time.perf_counter() - t
    return elapsed, peak.peak_mb, Result.objects.filter(round=rnd).count()


def _naive(rnd, person_ids: np.ndarray, n_subset: int) -> float:
    """Person by person through the ORM on a subset: queries per person and indicator, one INSERT each."""
    from django.db import connection, transaction
    from django.db.models import Sum

    from bole.assessment.compute import GRADES, load_inputs
    from bole.assessment.models import ManualValue, Result, TaskTally, UnitScore
    from bole.engines import scoring
    from bole.ledger import selectors as ledger_selectors
    from bole.ledger.models import PointEntry
    from bole.org.models import Person

    subset = [int(x) for x in person_ids[:n_subset]]
    inputs = load_inputs(rnd, loaders=LOADERS, person_ids=subset)  # only for the specs and grade scheme
    indicators = inputs.indicators
    t = time.perf_counter()
    raw = np.full((len(subset), len(indicators)), np.nan)
    groups = []
    with transaction.atomic():
        for i, pid in enumerate(subset):
            p = Person.objects.select_related("unit").get(pk=pid)
            groups.append(f"{p.unit.kind}-{p.rank}")
            for j, ind in enumerate(indicators):
                if ind.kind == "unit_score":
                    us = UnitScore.objects.filter(unit_id=p.unit_id, period=rnd.period).first()
                    raw[i, j] = float(us.score) if us else np.nan
                elif ind.kind == "task_rate":
                    tt = TaskTally.objects.filter(person_id=pid, period=rnd.period).first()
                    raw[i, j] = 100.0 * tt.completed / tt.assigned if tt and tt.assigned else np.nan
                elif ind.kind == "manual":
                    mv = ManualValue.objects.filter(person_id=pid, period=rnd.period, metric=ind.metric).first()
                    raw[i, j] = float(mv.value) if mv else np.nan
                elif ind.kind == "evaluation":
                    with connection.cursor() as cur:
                        cur.execute(f"SELECT rater_group, AVG(score) FROM {RATER_TABLE} WHERE person_id = %s "  # noqa: S608
                                    "GROUP BY rater_group", [pid])
                        rows = cur.fetchall()
                    den = sum(RATER_WEIGHTS[g] for g, _m in rows)
                    raw[i, j] = sum(RATER_WEIGHTS[g] * m for g, m in rows) / den if den else np.nan
                else:
                    total = 0.0
                    for cat in ind.categories.all():
                        year = PointEntry.objects.filter(person_id=pid, category=cat, status="approved",
                                                         period__in=["2024Q1", "2024Q2", "2024Q3", "2024Q4"])
                        total += float(year.filter(period=rnd.period).aggregate(s=Sum("points"))["s"] or 0)
                    raw[i, j] = total
        res = scoring.score(raw, np.array(groups), inputs.specs, decimals=2, grade_scheme=inputs.grade_scheme)
        Result.objects.filter(round=rnd, person_id__in=subset).delete()
        for i, pid in enumerate(subset):
            p = Person.objects.get(pk=pid)
            Result.objects.create(round=rnd, person_id=pid, unit_id=p.unit_id, group=groups[i],
                                  total=Decimal(str(res.total_rounded[i])), rank=int(res.rank[i]),
                                  position=int(res.ranking.position[i]), group_size=int(res.group_size[i]),
                                  grade=GRADES[int(res.grade[i])], grade_index=int(res.grade[i]),
                                  breakdown={"units": res.rounded.contribution_units[i].tolist()})
        transaction.set_rollback(True)  # the naive pass must not leave its results behind
    del ledger_selectors
    return time.perf_counter() - t


def _one_backend(name: str, n_people: int, n_entries: int, n_scores: int, n_naive: int, log) -> dict:
    from django.core.management import call_command

    log(f"[{name}] migrating")
    call_command("migrate", verbosity=0)
    data = _generate(n_people, n_entries, n_scores, log)
    rnd = data["round"]
    times = []
    peak = 0.0
    for k in range(2):
        elapsed, peak_mb, count = _recompute(rnd)
        times.append(elapsed)
        peak = max(peak, peak_mb)
        log(f"[{name}] recompute {k + 1}: {elapsed:.2f}s, peak RSS {peak_mb:.0f} MB, {count:,} results")
    naive = _naive(rnd, data["person_ids"], n_naive)
    naive_scaled = naive * n_people / n_naive
    log(f"[{name}] naive ORM on {n_naive:,} cadres: {naive:.2f}s → {naive_scaled:.0f}s scaled to {n_people:,}")
    return {"recompute_s": round(min(times), 2), "peak_mb": peak, "naive_scaled_s": round(naive_scaled, 1),
            "ratio": round(naive_scaled / min(times), 1)}


def run(*, quick: bool = False, rows: int | None = None, log=print) -> dict:
    """Figures for `bole bench assessment`: recompute time on both databases, peak memory, ratio vs naive."""
    from django.db import connections

    n_people = rows or (10_000 if quick else 100_000)
    n_entries, n_scores = 50 * n_people, 10 * n_people
    n_naive = min(1000, n_people)
    original = dict(connections.settings["default"])
    out: dict = {"bench": BENCH_VERSION, "cadres": n_people, "ledger_entries": n_entries, "rater_scores": n_scores,
                 "indicators": 7, "naive_subset": n_naive,
                 "multi_rater_source": f"{n_scores:,}-row rater score table ({RATER_TABLE}), not evaluation ballots"}
    tmp = tempfile.mkdtemp(prefix="bole-bench-assessment-")
    path = os.path.join(tmp, "bench.sqlite3")
    try:
        _use_database(_sqlite_config(path))
        sqlite = _one_backend("sqlite", n_people, n_entries, n_scores, n_naive, log)
    finally:
        _use_database(original)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        os.rmdir(tmp)
    out.update({"recompute_100k_s_sqlite": sqlite["recompute_s"], "naive_scaled_s_sqlite": sqlite["naive_scaled_s"],
                "ratio_vs_naive_sqlite": sqlite["ratio"]})
    peak = sqlite["peak_mb"]
    try:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
        _pg_admin(f"CREATE DATABASE {PG_NAME}")
        try:
            _use_database(_pg_config())
            pg = _one_backend("postgresql", n_people, n_entries, n_scores, n_naive, log)
        finally:
            _use_database(original)
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        out.update({"recompute_100k_s_postgres": pg["recompute_s"], "naive_scaled_s_postgres": pg["naive_scaled_s"],
                    "ratio_vs_naive_postgres": pg["ratio"]})
        peak = max(peak, pg["peak_mb"])
        ratio = min(sqlite["ratio"], pg["ratio"])
    except Exception as exc:  # noqa: BLE001 - report the database we could not reach, keep the SQLite figures
        log(f"[postgresql] skipped: {exc}")
        out["recompute_100k_s_postgres"] = None
        ratio = sqlite["ratio"]
    out["peak_mb"] = peak
    out["ratio_vs_naive"] = ratio
    out["targets"] = {"recompute_s": 10, "peak_mb": 1536}
    return out
