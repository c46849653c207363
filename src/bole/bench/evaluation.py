"""`bole bench evaluation`: the evaluation engines' figures plus anonymous ballots over HTTP against `bole serve`.

The HTTP part starts the production server (gunicorn) on a fresh SQLite database in a temporary data
directory, bound to 127.0.0.1 on a free port, creates an open evaluation with N one-time tokens, and
submits every token once from 64 concurrent client threads (and a share of them a second time, which
must be refused). Afterwards it mixes the queued ballots into the ballot table (as the periodic mixer or the
close would) and counts the stored ballots: lost = expected − stored, duplicated = extra.
Only loopback traffic; the run is bounded in count and time.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

TARGETS = {
    "aggregate_1m_s": ("<", 5.0),
    "aggregate_peak_mb": ("<", 1000.0),
    "severity_200k_s": ("<", 2.0),
    "severity_vs_raschpy_speedup": (">=", 10.0),
    "rho_gap_vs_raschpy": ("<=", 0.01),
    "ballots_per_s": (">=", 300.0),
    "ballots_lost": ("<=", 0),
    "ballots_duplicated": ("<=", 0),
}
CLIENTS = 64
TIME_LIMIT_S = 180.0
RESUBMIT_SHARE = 0.05

_SETUP = r"""
import json, os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "bole.settings"
django.setup()
from bole.evaluation import services
from bole.evaluation.models import BallotToken
n = int(sys.argv[1])
ev = services.evaluation_create(actor=None, name="bench", kind="ballot")
crit = [services.criterion_add(evaluation=ev, name=c, max_score=10, actor=None) for c in ("德", "能")]
groups = [services.rater_group_add(evaluation=ev, code=c, weight=w, actor=None) for c, w in (("peer", .5), ("public", .5))]
subj = [services.subject_add(evaluation=ev, label=f"对象{i}", actor=None) for i in range(3)]
for i, g in enumerate(groups):
    services.tokens_issue(evaluation=ev, group=g, count=n // 2 + (n % 2 if i == 0 else 0), actor=None)
services.evaluation_transition(evaluation=ev, to="open", actor=None)
tokens = list(BallotToken.objects.filter(evaluation=ev).values_list("token", flat=True))
print(json.dumps({"evaluation": ev.pk, "subjects": [s.pk for s in subj], "criteria": [c.pk for c in crit],
                  "tokens": tokens}))
"""


# Accepted ballots wait in the queue until the mixer moves them (the periodic job or the close): mix them all
# once the clients are done, so the count below is of ballots as results read them.
_MIX = r"""
import json, os, sys, time
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "bole.settings"
django.setup()
from bole.evaluation.mixer import ballots_mix
from bole.evaluation.models import Evaluation, QueuedBallot
ev = Evaluation.objects.get(pk=int(sys.argv[1]))
queued = QueuedBallot.objects.filter(evaluation=ev).count()
t0 = time.perf_counter()
mixed = ballots_mix(evaluation=ev, min_batch=1)
print(json.dumps({"queued": queued, "mixed": mixed, "mix_s": time.perf_counter() - t0}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bole() -> str:
    return str(Path(sys.executable).with_name("bole"))


def _server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server process and its worker processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        proc_pid, ppid = int(stat.parent.name), int(fields[1])
        if proc_pid == pid or ppid == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("bole serve exited before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("bole serve did not become ready")


def http_ballots(*, n: int, log=print) -> dict[str, Any]:
    """Submit n ballots from 64 threads against `bole serve` on a fresh SQLite file; count what was stored."""
    with tempfile.TemporaryDirectory(prefix="bole-bench-eval-") as tmp:
        env = {**os.environ, "BOLE_DATA_DIR": tmp, "LOG_LEVEL": "ERROR"}
        env.pop("DATABASE_URL", None)
        env.pop("DEBUG", None)
        subprocess.run([_bole(), "migrate", "-v0"], env=env, check=True)
        setup = subprocess.run([sys.executable, "-c", _SETUP, str(n)], env=env, check=True, capture_output=True,
                               text=True)
        info = json.loads(setup.stdout.strip().splitlines()[-1])
        tokens: list[str] = info["tokens"]
        answers = [{"subject_id": s, "criterion_id": c, "score": float((s + c) % 11)}
                   for s in info["subjects"] for c in info["criteria"]]
        port = _free_port()
        workers = min(4, (os.cpu_count() or 1) * 2)
        proc = subprocess.Popen([_bole(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers",
                                 str(workers), "--threads", "4"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            _wait_ready(port, proc)
            log(f"bole serve on 127.0.0.1:{port} ({workers} workers × 4 threads); {len(tokens)} tokens, "
                f"{CLIENTS} clients")
            n_resubmit = int(len(tokens) * RESUBMIT_SHARE)
            work = list(tokens) + tokens[:n_resubmit]  # resubmissions come after every first submission
            status: dict[int, int] = {}
            errors: list[str] = []
            lock = threading.Lock()
            next_index = [0]
            deadline = time.monotonic() + TIME_LIMIT_S

            def client() -> None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                local: dict[int, int] = {}
                while time.monotonic() < deadline:
                    with lock:
                        i = next_index[0]
                        next_index[0] += 1
                    if i >= len(work):
                        break
                    body = json.dumps({"token": work[i], "answers": answers})
                    for attempt in range(3):
                        try:
                            conn.request("POST", "/api/v1/ballots", body, {"Content-Type": "application/json"})
                            resp = conn.getresponse()
                            resp.read()
                            local[resp.status] = local.get(resp.status, 0) + 1
                            break
                        except (OSError, http.client.HTTPException) as exc:
                            conn.close()
                            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                            if attempt == 2:
                                with lock:
                                    errors.append(repr(exc))
                conn.close()
                with lock:
                    for k, v in local.items():
                        status[k] = status.get(k, 0) + v

            cpu0 = _server_cpu_s(proc.pid)
            load0 = os.getloadavg()[0]
            t0 = time.perf_counter()
            threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
            server_cpu = _server_cpu_s(proc.pid) - cpu0
            load1 = os.getloadavg()[0]
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        mix = subprocess.run([sys.executable, "-c", _MIX, str(info["evaluation"])], env=env, check=True,
                             capture_output=True, text=True)
        mixing = json.loads(mix.stdout.strip().splitlines()[-1])
        log(f"mixed {mixing['mixed']} queued ballots in {mixing['mix_s']:.2f} s")
        db = sqlite3.connect(Path(tmp) / "bole.sqlite3")
        stored = db.execute("SELECT COUNT(*) FROM evaluation_ballot WHERE evaluation_id = ?",
                            (info["evaluation"],)).fetchone()[0]
        used = db.execute("SELECT COUNT(*) FROM evaluation_ballottoken WHERE evaluation_id = ? AND used",
                          (info["evaluation"],)).fetchone()[0]
        rows = db.execute("SELECT COUNT(*) FROM evaluation_ballotscore").fetchone()[0]
        still_queued = db.execute("SELECT COUNT(*) FROM evaluation_queuedballot").fetchone()[0]
        db.close()
    expected = len(tokens)
    accepted = status.get(201, 0)
    return {
        "ballots_expected": expected,
        "ballots_stored": stored,
        "ballots_accepted_201": accepted,
        "ballots_refused_409": status.get(409, 0),
        "ballots_resubmitted": n_resubmit,
        "ballot_http_other": {str(k): v for k, v in status.items() if k not in (201, 409)},
        "ballot_client_errors": len(errors),
        "ballot_tokens_used": used,
        "ballot_score_rows": rows,
        "ballots_queued_after_run": mixing["queued"],
        "ballots_mixed": mixing["mixed"],
        "ballots_still_queued": still_queued,
        "ballot_mix_s": mixing["mix_s"],
        # accepted ballots per second over the whole run (the refused resubmissions' time included)
        "ballots_per_s": accepted / elapsed if elapsed else 0.0,
        "ballot_requests_per_s": sum(status.values()) / elapsed if elapsed else 0.0,
        "ballots_http_s": elapsed,
        "ballots_lost": max(0, expected - stored),
        "ballots_duplicated": max(0, stored - expected),
        "ballot_clients": CLIENTS,
        # What the server itself spent: comparable across runs even when other work shares the CPUs.
        "ballot_server_cpu_s": server_cpu,
        "ballots_per_server_cpu_s": accepted / server_cpu if server_cpu else None,
        "cpu_count": os.cpu_count(),
        "load_average_before_after": [load0, load1],
    }


def _met(key: str, value: float) -> bool:
    op, target = TARGETS[key]
    return {"<": value < target, "<=": value <= target, ">=": value >= target}[op]


def run(*, quick: bool = False, rows: int | None = None, log=print) -> dict[str, Any]:
    """All evaluation figures in one run, with each figure's ratio to its target."""
    from bole.bench import evaluation_engines

    log("engines: aggregation of 1,000,000 ballots × 5 criteria, severity fit on 200,000 scores, raschpy …")
    t0 = time.perf_counter()
    engines = evaluation_engines.run(quick=quick)
    log(f"engines done in {time.perf_counter() - t0:.1f} s")
    n = rows or (1500 if quick else 6000)
    log(f"HTTP ballots: {n} tokens against bole serve (SQLite) …")
    web = http_ballots(n=n, log=log)
    out: dict[str, Any] = {
        "aggregate_1m_s": engines["aggregate_1m_s"],
        "aggregate_peak_mb": engines["aggregate_peak_mb"],
        "severity_200k_s": engines["severity_200k_s"],
        "severity_vs_raschpy_speedup": engines["severity_vs_raschpy_speedup"],
        "rho_gap_vs_raschpy": engines["rho_gap_vs_raschpy"],
        "ballots_per_s": web["ballots_per_s"],
        "ballots_lost": web["ballots_lost"],
        "ballots_duplicated": web["ballots_duplicated"],
    }
    ratios = {}
    for key, (op, target) in TARGETS.items():
        value = out[key]
        if op == ">=":
            ratio = value / target if target else None
        elif target:
            ratio = target / value if value else None  # > 1 means better than the target
        else:
            ratio = None
        ratios[key] = {"target": f"{op} {target:g}", "ratio_to_target": ratio, "met": _met(key, value)}
        log(f"{key:32s} {value:12.4g}   target {op} {target:g}   {'met' if _met(key, value) else 'NOT met'}")
    out["targets"] = ratios
    out["all_targets_met"] = all(r["met"] for r in ratios.values())
    out["details"] = {"engines": {k: v for k, v in engines.items() if k not in out and k != "targets_met"},
                      "http": {k: v for k, v in web.items() if k not in out}}
    out["quick"] = quick
    return out
