"""Benchmark of voucher redemption under concurrency: 64 clients redeeming against one fund over HTTP, against
`bole serve` on PostgreSQL.

Each client is a merchant's till paired with a holder's phone: it asks for an amount (`POST
/api/v1/vouchers/redemptions/`, the merchant's token) and confirms it (`POST …/{id}/confirm/`, the holder's token).
Two clients share each voucher and together try to spend more than it holds, and every fifth confirmation is sent
twice, so the money rule is pressed from both sides: overspend (a voucher or the fund paying out more than it
holds) and double redemption (one request counted twice). After the load, the books are read back from the
database: the fund reconciled to the fen, each voucher's spend against its value, each transaction's REDEEM
entries.

Baseline in the same run: the same clients reading one fund (`GET /api/v1/vouchers/funds/{id}/`, an authenticated
read of one row) — the server's ceiling for a request that takes no lock and writes nothing.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from typing import Any

from . import pg
from .cases import _free_port, _wait_up, serve, server_log

DB_NAME = "bole_bench_vouchers"
CLIENTS = 64
VOUCHER_FEN = 100_000  # 1,000 元 each; two clients share a voucher
AMOUNTS = (4_700, 6_300, 8_100, 9_900)  # two clients together try more than their voucher holds

_PREPARE = """
import datetime as dt, json, django
django.setup()
from bole.core.api import token_issue
from bole.org import services as org
from bole.org.choices import RegionKind, UnitKind
from bole.org.demo import make_credit_code, make_id_number
from bole.vouchers import services as v
import random
rng = random.Random(7)
admin = org.account_create(username="benchadmin", role="admin", password="bench-pass-2024", actor=None)
county = org.region_create(actor=None, code="330502", name="吴兴区", kind=RegionKind.DISTRICT)
unit = org.unit_create(actor=None, name="区委人才办", kind=UnitKind.DEPARTMENT, region=county)
today = dt.date.today()
pol = v.support_policy_create(actor=admin, data={"region": county, "name": "人才消费券", "kind": "consumption",
    "holder_kind": "person", "needs_application": False, "formula": {"kind": "fixed", "amount": %(value)d},
    "categories": ["dining"], "valid_from": today - dt.timedelta(days=1), "valid_until": today + dt.timedelta(days=365)})
n_vouchers = %(clients)d // 2
fund = v.fund_create(policy_obj=pol, year=today.year, budget_fen=%(value)d * n_vouchers, actor=admin)
ent = org.enterprise_create(actor=None, name="吴兴湖畔餐饮有限公司", industry="H", region=county,
                            credit_code=make_credit_code(rng, "330502"))
shop = org.account_create(username="benchshop", role="enterprise", scope=ent.credit_code, password="bench-pass-2024",
                          actor=None)
v.enrolment_decide(enrolment=v.merchant_enrol(fund=fund, categories=["dining"], actor=shop), to="approved", actor=admin)
holders = []
for i in range(n_vouchers):
    idn = make_id_number(rng, "330502", dt.date(1995, 1 + i %% 12, 1 + i %% 28), i %% 2 == 0)
    p = org.person_create(actor=None, name=f"青年人才{i}", id_number=idn, unit=unit, is_talent=True)
    u = org.account_create(username=f"talent{i}", role="resident", scope=idn, password="bench-pass-2024", actor=None)
    vo = v.voucher_issue(fund=fund, person=p, value_fen=%(value)d, valid_from=today,
                         valid_until=today + dt.timedelta(days=30), actor=admin)
    holders.append({"code": vo.code, "token": token_issue(user=u)})
print(json.dumps({"fund": fund.pk, "shop": token_issue(user=shop), "admin": token_issue(user=admin),
                  "holders": holders}))
"""

_CHECK = """
import json, django
django.setup()
from django.db.models import Count, F, Sum
from bole.vouchers.models import Fund, FundEntry, Redemption, Voucher
from bole.vouchers.services import reconcile
fund = Fund.objects.get(pk=%(fund)d)
[rec] = reconcile([fund])
over_vouchers = Voucher.objects.filter(fund=fund, spent_fen__gt=F("value_fen")).count()
live = Redemption.objects.filter(fund=fund, status="pending")
per_voucher = live.values("voucher_id").annotate(s=Sum("amount_fen")).values_list("voucher_id", "s")
values = dict(Voucher.objects.filter(fund=fund).values_list("pk", "value_fen"))
over_fen = sum(max(0, s - values[vid]) for vid, s in per_voucher)
doubled = FundEntry.objects.filter(fund=fund, kind="redeem").values("redemption_id").annotate(n=Count("pk")).filter(n__gt=1).count()
print(json.dumps({"balanced": rec["balanced"], "checks": rec["checks"], "issued": fund.issued_fen,
                  "redeemed": fund.redeemed_fen, "budget": fund.budget_fen, "over_vouchers": over_vouchers,
                  "over_fen": over_fen, "double_entries": doubled, "pending": live.count(),
                  "requests": Redemption.objects.filter(fund=fund).count()}))
"""


class _Api:
    """One keep-alive HTTP connection speaking JSON with a bearer token."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        data = json.dumps(body) if body is not None else None
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise
        try:
            return resp.status, json.loads(raw)
        except ValueError:
            return resp.status, raw


def _baseline(port: int, fund: int, token: str, per_client: int) -> float:
    barrier = threading.Barrier(CLIENTS + 1)
    done = []

    def worker():
        api = _Api(port)
        barrier.wait()
        for _ in range(per_client):
            status, _b = api.call("GET", f"/api/v1/vouchers/funds/{fund}/", token)
            if status != 200:
                raise RuntimeError(f"baseline GET {status}")
        done.append(1)

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return CLIENTS * per_client / (time.perf_counter() - t0)


def _load(port: int, ctx: dict, per_client: int) -> dict[str, Any]:
    """CLIENTS threads; client k uses voucher k // 2 and tries per_client redemptions of AMOUNTS."""
    barrier = threading.Barrier(CLIENTS + 1)
    lock = threading.Lock()
    tally = {"asked": 0, "ask_refused": 0, "confirmed": 0, "confirm_refused": 0, "repeat_confirm_accepted": 0,
             "accepted_fen": 0, "errors": [], "requests": 0}
    accepted_by_voucher: dict[str, int] = {}

    def worker(k: int) -> None:
        api = _Api(port)
        holder = ctx["holders"][k // 2]
        mine = {"asked": 0, "ask_refused": 0, "confirmed": 0, "confirm_refused": 0, "repeat": 0, "fen": 0, "n": 0}
        errors = []
        barrier.wait()
        for j in range(per_client):
            amount = AMOUNTS[(k + j) % len(AMOUNTS)]
            status, body = api.call("POST", "/api/v1/vouchers/redemptions/", ctx["shop"],
                                    {"code": holder["code"], "amount_fen": amount, "key": f"b{k}-{j}"})
            mine["n"] += 1
            if status == 400:
                mine["ask_refused"] += 1  # the balance is spent: the till is told so
                continue
            if status != 201:
                errors.append(f"ask {status} {body}")
                continue
            mine["asked"] += 1
            rid = body["id"]
            tries = 2 if j % 5 == 0 else 1  # every fifth confirmation tapped twice
            for t in range(tries):
                status, body = api.call("POST", f"/api/v1/vouchers/redemptions/{rid}/confirm/", holder["token"])
                mine["n"] += 1
                if status == 200:
                    if t == 0:
                        mine["confirmed"] += 1
                        mine["fen"] += amount
                    else:
                        mine["repeat"] += 1
                elif status == 400:
                    if t == 0:
                        mine["confirm_refused"] += 1
                else:
                    errors.append(f"confirm {status} {body}")
        with lock:
            tally["asked"] += mine["asked"]
            tally["ask_refused"] += mine["ask_refused"]
            tally["confirmed"] += mine["confirmed"]
            tally["confirm_refused"] += mine["confirm_refused"]
            tally["repeat_confirm_accepted"] += mine["repeat"]
            tally["accepted_fen"] += mine["fen"]
            tally["requests"] += mine["n"]
            tally["errors"] += errors
            accepted_by_voucher[holder["code"]] = accepted_by_voucher.get(holder["code"], 0) + mine["fen"]

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    tally["wall_s"] = time.perf_counter() - t0
    tally["client_overspend_fen"] = sum(max(0, s - VOUCHER_FEN) for s in accepted_by_voucher.values())
    return tally


def run(*, quick: bool = False, rows: int | None = None, log=print) -> dict:
    per_client = rows or (12 if quick else 40)
    figures: dict[str, Any] = {"clients": CLIENTS, "vouchers": CLIENTS // 2, "voucher_yuan": VOUCHER_FEN // 100,
                               "attempts_per_client": per_client}
    env = pg.env(DB_NAME)
    log(f"database {DB_NAME}: migrate and prepare one fund, {CLIENTS // 2} vouchers, one merchant")
    pg.recreate(DB_NAME)
    server = None
    try:
        subprocess.run([sys.executable, "-m", "bole.cli", "migrate", "-v0"], env=env, check=True,  # noqa: S603
                       capture_output=True, text=True)
        out = subprocess.run([sys.executable, "-c", _PREPARE % {"value": VOUCHER_FEN, "clients": CLIENTS}],  # noqa: S603
                             env=env, check=True, capture_output=True, text=True).stdout
        ctx = json.loads(out.strip().splitlines()[-1])
        port = _free_port()
        server = serve(env, port)
        _wait_up(port, server)
        figures["server"] = "bole serve, default workers (synchronous), PostgreSQL"
        warm = _Api(port)
        for _ in range(20):
            warm.call("GET", f"/api/v1/vouchers/funds/{ctx['fund']}/", ctx["admin"])
        log("baseline: authenticated GET of the fund")
        base = _baseline(port, ctx["fund"], ctx["admin"], 10 if quick else 25)
        figures["baseline_get_per_s"] = round(base, 1)
        log(f"load: {CLIENTS} clients × {per_client} redemption attempts")
        t = _load(port, ctx, per_client)
        if t["errors"]:
            raise RuntimeError(f"{len(t['errors'])} unexpected answers, e.g. {t['errors'][:3]}; the server's log "
                               f"ends:\n{server_log(server)}")
        figures.update({
            "requests": t["requests"], "requests_per_s": round(t["requests"] / t["wall_s"], 1),
            "asked": t["asked"], "asked_refused_balance": t["ask_refused"], "redemptions": t["confirmed"],
            "confirm_refused_balance": t["confirm_refused"], "wall_s": round(t["wall_s"], 2),
            "redemptions_per_s": round(t["confirmed"] / t["wall_s"], 1),
        })
        figures["ratio_requests_vs_baseline"] = round(figures["requests_per_s"] / base, 3)
        server.terminate()
        server.wait(timeout=30)
        server = None
        check = json.loads(subprocess.run(
            [sys.executable, "-c", _CHECK % {"fund": ctx["fund"]}], env=env, check=True,  # noqa: S603
            capture_output=True, text=True).stdout.strip().splitlines()[-1])
        figures["overspend_fen"] = check["over_fen"] + max(0, check["redeemed"] - check["issued"]) + \
            t["client_overspend_fen"] + (check["over_vouchers"] * VOUCHER_FEN)
        figures["double_redemptions"] = check["double_entries"] + t["repeat_confirm_accepted"]
        figures["fund_redeemed_yuan"] = check["redeemed"] / 100
        figures["fund_issued_yuan"] = check["issued"] / 100
        figures["clients_accepted_yuan"] = t["accepted_fen"] / 100
        figures["books_agree_with_clients"] = check["redeemed"] == t["accepted_fen"]
        figures["reconciled"] = check["balanced"]
        figures["target_met"] = bool(figures["overspend_fen"] == 0 and figures["double_redemptions"] == 0
                                     and check["balanced"] and figures["redemptions_per_s"] >= 300)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        pg.recreate(DB_NAME, drop_only=True)
    return figures
