"""A county policy with a fund, an approved merchant and a talent holder, built through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def world(county, users):
    from bole.org.services import account_create
    from bole.vouchers import services

    admin = users["admin"]
    today = timezone.localdate()
    pol = services.support_policy_create(actor=admin, data={
        "region": county["county"], "name": "人才消费券", "document": "青创工场八条", "article": "第八条",
        "kind": "consumption", "holder_kind": "person", "needs_application": False,
        "criteria": [{"fact": "age", "op": "lte", "value": 45}], "formula": {"kind": "fixed", "amount": 50000},
        "categories": ["dining"], "settle_days": 5,
        "valid_from": dt.date(today.year, 1, 1), "valid_until": dt.date(today.year, 12, 31)})
    fund = services.fund_create(policy_obj=pol, year=today.year, budget_fen=1_000_000, actor=admin)
    merchant_user = account_create(username="shop", role="enterprise", scope=county["e2"].credit_code,
                                   password="pass-1234-word", actor=None)
    enrol = services.merchant_enrol(fund=fund, categories=["dining"], actor=merchant_user)
    services.enrolment_decide(enrolment=enrol, to="approved", actor=admin)
    return {"policy": pol, "fund": fund, "merchant": enrol.merchant, "shop": merchant_user, "admin": admin,
            "holder": users["cadre"], "person": county["zhangsan"], "today": today}


@pytest.fixture
def issue(world):
    from bole.vouchers import services

    def _issue(value=10_000, *, days=30, start=None, kind="budget", person=None, fund=None):
        start = start or world["today"]
        return services.voucher_issue(fund=fund or world["fund"], person=person or world["person"], value_fen=value,
                                      valid_from=start, valid_until=start + dt.timedelta(days=days), kind=kind,
                                      actor=world["admin"])

    return _issue


@pytest.fixture
def pay(world):
    """Merchant asks, holder confirms: one redemption end to end."""
    from bole.vouchers import services

    def _pay(voucher, amount, *, today=None):
        r = services.redemption_request(voucher=voucher, merchant=world["merchant"], amount_fen=amount,
                                        actor=world["shop"])
        return services.redemption_confirm(redemption=r, actor=world["holder"], today=today)

    return _pay
