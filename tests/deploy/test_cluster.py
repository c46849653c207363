"""A city's deployment in small: two `bole serve` processes and one `bole worker` against one PostgreSQL and one
Redis (docs/DEPLOY.md). A 100,000-person import is submitted through server A's page and its progress watched
through server B; the worker is killed in the middle of writing; nothing is half-written, a new worker takes the job
up again and it completes, every person written once.

Runs where PostgreSQL (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379) answer; skipped elsewhere.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.cluster

ROWS = int(os.environ.get("BOLE_CLUSTER_ROWS", 100_000))
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/7"


def _reachable(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BOLE = [sys.executable, "-c", "from bole.cli import main; main()"]


def _psql(sql: str, db: str = "postgres") -> str:
    import psycopg

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchone()[0] if cur.description else ""


@pytest.fixture
def city(tmp_path):
    if not (_reachable(5432) and _reachable(6379)):
        pytest.skip("PostgreSQL and Redis are needed on 127.0.0.1")
    import redis

    db = f"bole_cluster_{os.getpid()}"
    _psql(f"DROP DATABASE IF EXISTS {db}")
    _psql(f"CREATE DATABASE {db}")
    redis.from_url(REDIS).flushdb()
    env = {**os.environ, "DATABASE_URL": f"{PG}/{db}", "BOLE_REDIS_URL": REDIS, "BOLE_DATA_DIR": str(tmp_path / "data"),
           "BOLE_WORKER_PROCESSES": "1", "BOLE_JOB_STALE_S": "15", "BOLE_TASKS_SYNC": "", "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "bole.settings"}
    env.pop("PYTEST_XDIST_WORKER", None)
    setup = ("import django; django.setup(); from bole.bench.import_ import _setup_db, make_file; _setup_db(); "
             f"from pathlib import Path; make_file(Path({str(tmp_path / 'people.xlsx')!r}), {ROWS})")
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, timeout=600)
    procs: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        log = (tmp_path / f"{args[0]}-{len(procs)}.log").open("w")
        p = subprocess.Popen([*BOLE, *args], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(p)
        return p

    def stop(p: subprocess.Popen, sig=signal.SIGTERM) -> None:
        if p.poll() is None:
            os.killpg(p.pid, sig)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()

    ports = (_free_port(), _free_port())
    for port in ports:
        start("serve", "--port", str(port), "--workers", "1")
    worker = start("worker")
    deadline = time.time() + 120
    while not all(_reachable(p) for p in ports):
        assert time.time() < deadline, "the servers did not start"
        time.sleep(0.5)
    try:
        yield {"db": db, "a": f"http://127.0.0.1:{ports[0]}", "b": f"http://127.0.0.1:{ports[1]}",
               "worker": worker, "start": start, "stop": stop, "file": tmp_path / "people.xlsx", "logs": tmp_path}
    finally:
        for p in procs:
            stop(p)
        _psql(f"DROP DATABASE IF EXISTS {db}")


def _session(base: str):
    import requests

    s = requests.Session()
    s.get(f"{base}/login/", timeout=30)
    r = s.post(f"{base}/login/", data={"username": "admin", "password": "bench-pass-1",
                                       "csrfmiddlewaretoken": s.cookies["csrftoken"]}, timeout=30,
               headers={"Referer": f"{base}/login/"})
    assert r.status_code == 200 and "/login/" not in r.url, r.text[:500]
    return s


def _progress(s, base: str, job: int) -> dict:
    r = s.get(f"{base}/api/v1/jobs/{job}", timeout=30)
    assert r.status_code == 200, r.text[:300]
    return r.json()


def _watch(s, base: str, job: int, *, until=None, timeout: float = 900) -> tuple[dict, list[tuple[str, int]]]:
    """Poll the job through `base` until it ends (or `until(progress)`); the (phase, done) pairs seen."""
    seen: list[tuple[str, int]] = []
    deadline = time.time() + timeout
    while True:
        p = _progress(s, base, job)
        if not seen or seen[-1] != (p["phase"], p["done"]):
            seen.append((p["phase"], p["done"]))
        if p["status"] in ("done", "failed") or (until and until(p)):
            return p, seen
        assert time.time() < deadline, f"job {job} still {p['status']} after {timeout} s: {seen[-5:]}"
        time.sleep(0.2)


def test_two_servers_one_worker_a_killed_worker_and_a_100k_import(city):
    a, b = _session(city["a"]), _session(city["b"])
    # Submitted through A's page: the request returns at once, with the job's page.
    data = city["file"].read_bytes()
    page = a.get(f"{city['a']}/people/import/", timeout=30)
    assert page.status_code == 200
    started = time.perf_counter()
    r = a.post(f"{city['a']}/people/import/", files={"file": ("people.xlsx", data)},
               data={"csrfmiddlewaretoken": a.cookies["csrftoken"]}, headers={"Referer": page.url},
               allow_redirects=False, timeout=60)
    submit_s = time.perf_counter() - started
    assert r.status_code == 302, r.text[:500]
    check = int(re.search(r"/jobs/(\d+)/", r.headers["Location"]).group(1))
    assert submit_s < 1.0, f"the upload's request took {submit_s:.2f} s"
    # Watched through B: the bar moves, and the check ends without error.
    t0 = time.perf_counter()
    end, seen = _watch(b, city["b"], check)
    figures = {"rows": ROWS, "submit_s": round(submit_s, 3), "check_s": round(time.perf_counter() - t0, 1),
               "progress_states_seen": len(seen)}
    assert end["status"] == "done", end
    assert end["result"]["created"] == ROWS and end["error_count"] == 0
    moving = [d for phase, d in seen if phase in ("解析各行", "校验各行") and 0 < d < ROWS]
    assert len(moving) >= 2, f"the bar did not move: {seen}"
    html = b.get(f"{city['b']}/jobs/{check}/", timeout=30).text
    assert "确认导入" in html and f"将新增 {ROWS}" in html

    # Confirmed through B; the worker is killed while it writes.
    r = b.post(f"{city['b']}/jobs/{check}/confirm/", data={"csrfmiddlewaretoken": b.cookies["csrftoken"]},
               headers={"Referer": f"{city['b']}/jobs/{check}/"}, allow_redirects=False, timeout=30)
    assert r.status_code == 302
    write = int(re.search(r"/jobs/(\d+)/", r.headers["Location"]).group(1))
    t0 = time.perf_counter()
    p, _seen = _watch(a, city["a"], write, until=lambda p: p["phase"] == "写入" and p["done"] > 0)
    assert p["status"] == "running", p
    figures["killed_at_written_rows"] = p["done"]
    city["stop"](city["worker"], signal.SIGKILL)
    time.sleep(1)
    assert _psql("SELECT count(*) FROM org_person", city["db"]) == 0, "a killed worker left rows behind"
    assert _progress(a, city["a"], write)["status"] == "running"
    # A new worker (on any machine) takes the job up again once its heartbeat has gone stale.
    city["start"]("worker")
    end, _seen = _watch(a, city["a"], write)
    figures["write_with_retry_s"] = round(time.perf_counter() - t0, 1)
    print("cluster figures:", figures)
    assert end["status"] == "done", end
    assert end["attempts"] == 2 and end["result"]["created"] == ROWS
    assert _psql("SELECT count(*) FROM org_person", city["db"]) == ROWS
    assert _psql("SELECT count(DISTINCT id_digest) FROM org_person", city["db"]) == ROWS
    # The owner was told, once; the outcome file lists every row.
    assert _psql(f"SELECT count(*) FROM core_notification WHERE object_id = '{int(write)}'", city["db"]) == 1  # noqa: S608
    result = b.get(f"{city['b']}/jobs/{write}/result/", timeout=60)
    from io import BytesIO

    from openpyxl import load_workbook

    rows = sum(1 for _r in load_workbook(BytesIO(result.content), read_only=True).worksheets[0].iter_rows())
    assert rows == ROWS + 1


def test_the_deployment_guide_names_what_this_test_runs():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "DEPLOY.md").read_text()
    for needle in ("bole serve", "bole worker", "BOLE_REDIS_URL", "DATABASE_URL", "nginx", "BOLE_PROXY_COUNT"):
        assert needle in guide
