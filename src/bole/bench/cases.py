"""Benchmark of the case engine on PostgreSQL with 1,000,000 cases.

Targets: staff list/filter pages p95 < 150 ms at 32 concurrent clients against the production server
(`bole serve`, gunicorn), the stats page < 500 ms, the overdue sweep < 10 s.

A fresh database `bole_bench_cases` is created and dropped; registers and desks are built through the
services, the million cases are bulk-generated with COPY (not per-row services), and every figure is
measured against a server subprocess on 127.0.0.1 with bounded request loops.
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np

from . import pg

DB_NAME = "bole_bench_cases"
DB_URL = pg.url(DB_NAME)
PASSWORD = "bench-pass-2024"  # noqa: S105  (a throwaway database)
CLIENTS = 32

_PREPARE = """
import django
django.setup()
from bole.org.demo import seed_registers
from bole.org.services import account_create
from bole.cases.desks import desks_ensure
from bole.org.models import Person, Unit
admin = account_create(username="benchadmin", role="admin", password={pw!r}, actor=None)
seed_registers(scale=1, seed=7, actor=admin)
head = Person.objects.filter(is_section_leader=True).order_by("id").first()
desks_ensure(actor=admin, head=head)
account_create(username="benchtown", role="unit_admin", scope="330521001", password={pw!r}, actor=admin)
from bole.cases.services import unit_head_set
for u in Unit.objects.filter(kind__in=["department", "town"]):
    p = Person.objects.filter(unit=u, is_section_leader=True).first()
    if p:
        unit_head_set(unit=u, person=p, actor=admin)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    return pg.env(DB_NAME)


def _bole(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bole.cli", *args], env=_env(), check=True,  # noqa: S603
                          capture_output=True, text=True, **kw)


def _recreate_db(drop_only: bool = False) -> None:
    pg.recreate(DB_NAME, drop_only=drop_only)


def _generate(n: int, log) -> dict[str, Any]:
    """COPY n cases (plus meetings and declines) with deadlines from the vectorised working calendar."""
    import psycopg

    from bole.engines.workcal import WorkCalendar

    cal = WorkCalendar()
    rng = np.random.default_rng(2024)
    with psycopg.connect(DB_URL) as conn:
        desks = conn.execute("SELECT id, code FROM cases_desk ORDER BY id").fetchall()
        cats = conn.execute("SELECT id, desk_id, deadline_days FROM cases_category ORDER BY id").fetchall()
        units = [r[0] for r in conn.execute("SELECT id FROM org_unit WHERE kind IN ('department','town','village') "
                                            "ORDER BY id")]
        ents = [r[0] for r in conn.execute("SELECT id FROM org_enterprise ORDER BY id LIMIT 1500")]
        owners = dict(conn.execute("SELECT DISTINCT ON (unit_id) unit_id, id FROM org_person ORDER BY unit_id, id")
                      .fetchall())
        today = dt.date.today()
        cat_ids = np.array([c[0] for c in cats])
        cat_desk = np.array([c[1] for c in cats])
        cat_days = np.array([c[2] for c in cats])
        pick = rng.integers(0, len(cats), n)
        category, desk, days = cat_ids[pick], cat_desk[pick], cat_days[pick]
        unit = np.array(units)[rng.integers(0, len(units), n)]
        running = rng.random(n) < 0.05
        start = np.datetime64("2024-01-02")
        span = (np.datetime64(today) - start).astype(int) - 60
        submitted = np.where(running, np.datetime64(today) - rng.integers(1, 60, n),
                             start + rng.integers(0, span, n)).astype("datetime64[D]")
        received = cal.add_workdays_array(submitted, np.zeros(n, dtype=np.int64))
        deadline = cal.add_workdays_array(received, days)
        warn = cal.add_workdays_array(deadline, -np.maximum(1, (0.2 * days).astype(np.int64)))
        took = rng.choice([1, 2, 3, 5, 8, 13, 21, 30], n, p=[.15, .2, .2, .15, .12, .1, .05, .03])
        resolved_on = (submitted + took).astype("datetime64[D]")
        res_wd = cal.workdays_between_arrays(received, resolved_on)
        on_time = resolved_on <= deadline
        state = np.where(running, np.where(rng.random(n) < 0.5, "in_progress", "assigned"),
                         np.where(rng.random(n) < 0.02, "resolved", "closed"))
        rating = np.where(state == "closed", rng.choice(["satisfied", "basic", "unsatisfied"], n,
                                                        p=[.85, .12, .03]), "")
        minutes = rng.integers(0, 600, n)
        log(f"  generating {n:,} cases (COPY)")
        cols = ("desk_id, category_id, title, description, location, submitter_kind, submitter_enterprise_id, "
                "submitter_name, submitter_phone, follow_token, state, lead_unit_id, owner_id, level, reopen_count, "
                "submitted_at, received_on, deadline, warn_on, accepted_at, assigned_at, resolved_at, resolved_on, "
                "resolve_workdays, on_time, closed_at, resolution, reject_reason, rating, rating_comment, rated_at, "
                "escalation_level")
        tok = secrets.token_hex(8)
        with conn.cursor() as cur, cur.copy(f"COPY cases_case ({cols}) FROM STDIN") as copy:
            for i in range(n):
                sub = dt.datetime.combine(submitted[i].item(), dt.time(9, 0)) + dt.timedelta(minutes=int(minutes[i]))
                sub_s = sub.isoformat() + "+08:00"
                done = state[i] in ("closed", "resolved")
                res = (dt.datetime.combine(resolved_on[i].item(), dt.time(16, 0)).isoformat() + "+08:00") if done \
                    else None
                u = int(unit[i])
                copy.write_row((
                    int(desk[i]), int(category[i]), f"问题{i}", "企业反映的问题描述", "德清县", "enterprise",
                    ents[i % len(ents)], "", "", f"{tok}{i:010d}", state[i], u, owners.get(u), 0, 0, sub_s,
                    received[i].item(), deadline[i].item(), warn[i].item(), sub_s, sub_s, res,
                    resolved_on[i].item() if done else None, int(res_wd[i]) if done else None,
                    bool(on_time[i]) if done else None, res if state[i] == "closed" else None,
                    "已办结" if done else "", "", rating[i], "", res if state[i] == "closed" else None, 0))
        conn.execute("SELECT setval(pg_get_serial_sequence('cases_case','id'), (SELECT max(id) FROM cases_case))")
        # Meetings on ~2% of cases, declines on ~0.5%.
        ids = np.array([r[0] for r in conn.execute("SELECT id FROM cases_case WHERE desk_id = %s ORDER BY id",
                                                   (desks[0][0],))])
        sample = rng.choice(ids, min(len(ids), n // 50), replace=False) if len(ids) else []
        with conn.cursor() as cur, cur.copy("COPY cases_meeting (case_id, held_at, place, other_attendees, minutes) "
                                            "FROM STDIN") as copy:
            for cid in sample:
                copy.write_row((int(cid), "2025-03-01T10:00:00+08:00", "会议室", "", "协调会纪要"))
        with conn.cursor() as cur, cur.copy("COPY cases_decline (case_id, unit_id, reason, at) FROM STDIN") as copy:
            for cid in sample[: len(sample) // 4]:
                copy.write_row((int(cid), units[int(cid) % len(units)], "不属于本单位职责",
                                "2025-03-01T10:00:00+08:00"))
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE cases_case")
        conn.execute("ANALYZE")
        first_desk = desks[0][0]
        first_cat = next(c[0] for c in cats if c[1] == first_desk)
    return {"desk": first_desk, "category": first_cat, "unit": units[3], "n": n}


class _Client:
    """One keep-alive HTTP connection with a session cookie."""

    def __init__(self, port: int, cookie: str = ""):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = cookie

    def get(self, path: str) -> tuple[int, bytes, float]:
        t0 = time.perf_counter()
        try:
            self.conn.request("GET", path, headers={"Cookie": self.cookie} if self.cookie else {})
            resp = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed an idle keep-alive connection: reconnect (counted in the latency).
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.conn.host, self.conn.port, timeout=60)
            self.conn.request("GET", path, headers={"Cookie": self.cookie} if self.cookie else {})
            resp = self.conn.getresponse()
        body = resp.read()
        return resp.status, body, (time.perf_counter() - t0) * 1000


def _login(port: int, username: str) -> str:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", "/login/")
    r = c.getresponse()
    body = r.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", r.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    data = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    c.request("POST", "/login/", body=data, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                     "Cookie": f"csrftoken={csrf_cookie}", "Referer":
                                                     f"http://127.0.0.1:{port}/login/"})
    r = c.getresponse()
    r.read()
    session = re.search(r"sessionid=([^;]+)", r.getheader("Set-Cookie") or "")
    if session is None:
        raise RuntimeError(f"login failed for {username}: {r.status}")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie}"


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    """`bole serve` (default workers) on 127.0.0.1:`port`, its log written to a temporary file: a pipe nobody
    reads fills after 64 KB of warnings (every 400 answered logs one) and then stops the workers mid-response."""
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bole.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
    proc.log = log  # type: ignore[attr-defined]
    return proc


def server_log(proc: subprocess.Popen) -> str:
    log = getattr(proc, "log", None)
    if log is not None:
        log.seek(0)
        return log.read()[-3000:]
    return proc.stderr.read() if proc.stderr else ""


def _wait_up(port: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + server_log(proc))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def _load(port: int, cookies: list[str], paths: list[str], per_client: int, log) -> list[float]:
    """CLIENTS threads, each a bounded loop of per_client GETs over the path mix; returns latencies (ms)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS)

    def worker(k: int) -> None:
        client = _Client(port, cookies[k % len(cookies)])
        mine = []
        barrier.wait()
        for j in range(per_client):
            path = paths[(k * 7 + j) % len(paths)]
            status, body, ms = client.get(path)
            if status != 200:
                errors.append(f"{status} {path}")
            mine.append(ms)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return latencies


def run(*, quick: bool = False, rows: int | None = None, log=print) -> dict:
    """Create the database, generate cases, serve, load the list pages, time stats and the sweep."""
    n = rows or (20_000 if quick else 1_000_000)
    figures: dict[str, Any] = {"cases": n, "clients": CLIENTS}
    log(f"database {DB_NAME}: migrate and build registers")
    _recreate_db()
    server = None
    try:
        t0 = time.perf_counter()
        _bole("migrate", "-v0")
        subprocess.run([sys.executable, "-c", _PREPARE.format(pw=PASSWORD)], env=_env(), check=True,  # noqa: S603
                       capture_output=True, text=True)
        figures["setup_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        ctx = _generate(n, log)
        figures["generate_s"] = round(time.perf_counter() - t0, 1)

        port = _free_port()
        log(f"serving on 127.0.0.1:{port} (bole serve with its production defaults)")
        figures["server"] = "bole serve, default workers (synchronous, one request each)"
        server = serve(_env(), port)
        _wait_up(port, server)
        cookies = [_login(port, "benchadmin"), _login(port, "benchtown")]
        d, c, u = ctx["desk"], ctx["category"], ctx["unit"]
        paths = ["/cases/", f"/cases/?desk={d}", "/cases/?state=in_progress", "/cases/?colour=red",
                 f"/cases/?desk={d}&category={c}", f"/cases/?desk={d}&state=closed&page=3", f"/cases/?unit={u}",
                 "/cases/?state=open&colour=yellow", f"/cases/?desk={d}&colour=green", "/cases/?q=12345"]
        warm = _Client(port, cookies[0])
        for p in paths:
            warm.get(p)
        per_client = 10 if quick else 40
        lat = _load(port, cookies, paths, per_client, log)
        lat.sort()
        figures["list_requests"] = len(lat)
        figures["list_p50_ms"] = round(statistics.median(lat), 1)
        figures["list_p95_ms"] = round(lat[int(0.95 * (len(lat) - 1))], 1)
        figures["list_max_ms"] = round(lat[-1], 1)

        stats_times = []
        for _ in range(5):
            status, body, ms = warm.get("/cases/stats/")
            if status != 200:
                raise RuntimeError(f"stats page returned {status}")
            stats_times.append(ms)
        figures["stats_ms"] = round(statistics.median(stats_times), 1)
        figures["stats_by_month_ms"] = round(warm.get("/cases/stats/?by=month")[2], 1)
        figures["stats_all_years_ms"] = round(warm.get("/cases/stats/?year=all")[2], 1)
        server.terminate()
        server.wait(timeout=30)
        server = None

        out = _bole("sweep").stdout
        m = re.search(r"escalated (\d+)\s+\(([\d.]+) s\)", out)
        figures["sweep_1m_s"] = float(m.group(2))
        figures["sweep_escalated"] = int(m.group(1))
        out = _bole("sweep").stdout
        m = re.search(r"escalated (\d+)\s+\(([\d.]+) s\)", out)
        figures["sweep_again_s"] = float(m.group(2))
        figures["sweep_again_escalated"] = int(m.group(1))
        figures["targets_met"] = bool(figures["list_p95_ms"] < 150 and figures["stats_ms"] < 500
                                      and figures["sweep_1m_s"] < 10)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _recreate_db(drop_only=True)
    return figures


__all__ = ["run", "Path"]
