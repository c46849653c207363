"""The money rule under real concurrency (PostgreSQL: each racer on its own connection, released together)."""

from __future__ import annotations

import pytest
from django.db import connection

from bole.vouchers import services
from bole.vouchers.models import Fund, FundEntry, Redemption, Voucher

from ..race import RACERS, race

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="real overlap needs PostgreSQL")


@pg_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_issues_stop_at_the_budget(world, issue):
    # Budget 10,000 元; fifty issues of 300 元 at once: 33 fit, 17 are refused, nothing beyond the budget.
    outcomes = race(lambda i: issue(30_000))
    assert outcomes["ok"] == 33
    assert sum(outcomes.values()) == RACERS
    assert all(k == "ok" or "可用额度不足" in k for k in outcomes), outcomes
    f = Fund.objects.get(pk=world["fund"].pk)
    assert f.issued_fen == 33 * 30_000 <= f.budget_fen
    assert services.reconcile([f])[0]["balanced"]


@pg_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_redemptions_never_overspend_a_voucher(world, issue):
    v = issue(10_000)  # 100 元; fifty confirmations of 30 元 at once: three succeed
    requests = [services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=3_000,
                                            actor=world["shop"]) for _ in range(RACERS)]
    outcomes = race(lambda i: services.redemption_confirm(redemption=requests[i], actor=world["holder"]))
    assert outcomes["ok"] == 3, outcomes
    assert all(k == "ok" or "超过余额" in k for k in outcomes), outcomes
    v.refresh_from_db()
    assert (v.balance_fen, v.spent_fen) == (1_000, 9_000)
    assert services.reconcile([Fund.objects.get(pk=world["fund"].pk)])[0]["balanced"]


@pg_only
@pytest.mark.django_db(transaction=True)
def test_one_request_confirmed_fifty_times_at_once_is_spent_once(world, issue):
    v = issue(10_000)
    r = services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=1_000, actor=world["shop"])
    outcomes = race(lambda i: services.redemption_confirm(redemption=r, actor=world["holder"]))
    assert outcomes == {"ok": 1, "该笔核销已确认，不能重复确认": RACERS - 1}
    assert FundEntry.objects.filter(redemption=r, kind="redeem").count() == 1
    assert Voucher.objects.get(pk=v.pk).balance_fen == 9_000


@pg_only
@pytest.mark.django_db(transaction=True)
def test_many_vouchers_of_one_fund_at_once_reconcile(world, county):
    import datetime as dt

    today = world["today"]
    vs = services.vouchers_issue(fund=world["fund"], holders=[(world["person"].pk, None)] * RACERS, value_fen=5_000,
                                 valid_from=today, valid_until=today + dt.timedelta(days=30), actor=world["admin"])
    reqs = [services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=4_999, actor=world["shop"])
            for v in vs]

    def both(i):
        services.redemption_confirm(redemption=reqs[i], actor=world["holder"])
        if i % 5 == 0:
            services.redemption_reverse(redemption=reqs[i], reason="冲正", actor=world["admin"])

    outcomes = race(both)
    assert outcomes == {"ok": RACERS}
    settled = services.redemptions_settle(today=today + dt.timedelta(days=30))
    assert settled == RACERS - RACERS // 5
    f = Fund.objects.get(pk=world["fund"].pk)
    assert f.redeemed_fen == f.settled_fen == 4_999 * settled
    assert Redemption.objects.filter(status="cancelled").count() == RACERS // 5
    assert services.reconcile([f])[0]["balanced"]
