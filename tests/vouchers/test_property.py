"""Property test of the money rule: any sequence of top-ups, issues, splits, requests, confirmations, holds,
reversals, settlements, cancellations and expiry sweeps keeps, after every step, 0 ≤ settled ≤ redeemed ≤ issued ≤
budget, every voucher's parts adding up to its value, and the books reconciled to the fen."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bole.vouchers import services
from bole.vouchers.models import Fund, Redemption, Voucher

pytestmark = pytest.mark.django_db
_counter = itertools.count()

OPS = st.lists(st.tuples(
    st.sampled_from(["topup", "issue", "split", "request", "confirm", "pay", "hold", "release", "reverse",
                     "settle", "cancel", "expire", "decline"]),
    st.integers(min_value=1, max_value=400_000),
    st.integers(min_value=0, max_value=40),
), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(ops=OPS)
def test_money_rule_holds_after_every_step(world, county, ops):
    # Hypothesis reuses the fixture across examples: each example gets a fund of its own.
    admin, shop, holder = world["admin"], world["shop"], world["holder"]
    day = world["today"]
    n = next(_counter)
    pol = services.support_policy_create(actor=admin, data={
        "region": county["county"], "name": f"消费券{n}", "kind": "consumption", "holder_kind": "person",
        "formula": {"kind": "fixed", "amount": 100}, "settle_days": 1 + n % 5, "valid_from": dt.date(2020, 1, 1),
        "valid_until": dt.date(2030, 12, 31)})
    fund = services.fund_create(policy_obj=pol, year=day.year, budget_fen=500_000, actor=admin)
    services.enrolment_decide(enrolment=services.merchant_enrol(fund=fund, actor=shop), to="approved", actor=admin)
    for kind, amount, k in ops:
        try:
            vouchers = list(Voucher.objects.filter(fund=fund).order_by("pk"))
            reds = list(Redemption.objects.filter(fund=fund).order_by("pk"))
            v = vouchers[k % len(vouchers)] if vouchers else None
            r = reds[k % len(reds)] if reds else None
            if kind == "topup":
                services.fund_topup(fund=fund, amount_fen=amount, actor=admin)
            elif kind == "issue":
                services.voucher_issue(fund=fund, person=world["person"], value_fen=amount, valid_from=day,
                                       valid_until=day + dt.timedelta(days=k % 15), actor=admin)
            elif kind == "split" and v:
                services.voucher_split(parent=v, value_fen=amount % 50_000 + 1, person=county["lisi"],
                                       valid_until=None, actor=admin)
            elif kind == "request" and v:
                services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=amount % 60_000 + 1,
                                            actor=shop)
            elif kind == "confirm" and r:
                services.redemption_confirm(redemption=r, actor=None, today=day)
            elif kind == "pay" and v:
                req = services.redemption_request(voucher=v, merchant=world["merchant"],
                                                  amount_fen=max(1, v.balance_fen // 2 or 1), actor=shop)
                # the holder's login confirms their own voucher; a child split to 李四 has no login here
                services.redemption_confirm(redemption=req, actor=holder if v.holder_person_id == world["person"].pk
                                            else None, today=day)
            elif kind == "hold" and r:
                services.redemption_hold(redemption=r, hold=True, note="复核", actor=admin)
            elif kind == "release" and r:
                services.redemption_hold(redemption=r, hold=False, note="", actor=admin)
            elif kind == "reverse" and r:
                services.redemption_reverse(redemption=r, reason="冲正", actor=admin, today=day)
            elif kind == "settle":
                day = day + dt.timedelta(days=k % 10)
                services.redemptions_settle(today=day)
            elif kind == "cancel" and v:
                services.voucher_cancel(voucher=v, reason="作废", actor=admin)
            elif kind == "expire":
                day = day + dt.timedelta(days=k % 10)
                services.vouchers_expire(today=day)
            elif kind == "decline" and r:
                services.redemption_decline(redemption=r, actor=None)
        except ValidationError:
            pass
        f = Fund.objects.get(pk=fund.pk)
        assert 0 <= f.settled_fen <= f.redeemed_fen <= f.issued_fen <= f.budget_fen
        for v in Voucher.objects.filter(fund=fund):
            assert v.value_fen == v.balance_fen + v.spent_fen + v.released_fen + v.split_fen
            assert v.balance_fen >= 0
            if v.parent_id:
                assert v.valid_until <= v.parent.valid_until
        [rec] = services.reconcile([f])
        assert rec["balanced"], (kind, rec["checks"])
