"""The money rule, expiry, parent and child, partial redemption, reversal, settlement on the working calendar,
and the reconciliation of every fund."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from bole.core.models import AuditEvent
from bole.vouchers import services
from bole.vouchers.models import Fund, FundEntry, Redemption, Voucher

pytestmark = pytest.mark.django_db


def _fund(world) -> Fund:
    return Fund.objects.get(pk=world["fund"].pk)


def _balanced(world):
    [rec] = services.reconcile([_fund(world)])
    assert rec["balanced"], rec["checks"]
    return rec


def test_issue_never_exceeds_budget_and_topup_raises_it(world, issue):
    issue(600_000)
    with pytest.raises(ValidationError, match="可用额度不足"):
        issue(400_001)
    assert _fund(world).issued_fen == 600_000
    services.fund_topup(fund=world["fund"], amount_fen=1, note="追加", actor=world["admin"])
    issue(400_001)
    f = _fund(world)
    assert (f.budget_fen, f.issued_fen) == (1_000_001, 1_000_001)
    kinds = list(FundEntry.objects.filter(fund=f).values_list("kind", flat=True))
    assert kinds == ["budget", "issue", "topup", "issue"]
    _balanced(world)


def test_the_database_refuses_a_counter_beyond_the_rule(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=world["fund"].pk).update(issued_fen=2_000_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=world["fund"].pk).update(redeemed_fen=1)


def test_partial_redemption_of_a_budget_voucher(world, issue, pay):
    v = issue(10_000)
    r = pay(v, 2_550)
    assert r.status == "pending"
    v.refresh_from_db()
    assert (v.balance_fen, v.spent_fen, v.status) == (7_450, 2_550, "active")
    pay(v, 7_450)
    v.refresh_from_db()
    assert (v.balance_fen, v.status) == (0, "spent")
    with pytest.raises(ValidationError, match="余额已用完"):
        services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=1, actor=world["shop"])
    f = _fund(world)
    assert (f.issued_fen, f.redeemed_fen) == (10_000, 10_000)
    _balanced(world)


def test_more_than_the_balance_is_refused(world, issue, pay):
    v = issue(10_000)
    with pytest.raises(ValidationError, match="超过余额"):
        services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=10_001, actor=world["shop"])


def test_product_voucher_is_spent_whole(world, issue, pay):
    v = issue(5_000, kind="product")
    with pytest.raises(ValidationError, match="一次用完"):
        services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=4_000, actor=world["shop"])
    pay(v, 5_000)
    v.refresh_from_db()
    assert v.status == "spent"


def test_expired_voucher_refuses_payment_before_any_sweep(world, issue):
    today = world["today"]
    v = issue(10_000, start=today - dt.timedelta(days=40), days=30)  # ended ten days ago, still "active"
    assert v.status == "active"
    with pytest.raises(ValidationError, match="已过期"):
        services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=100, actor=world["shop"])


def test_a_request_made_in_time_cannot_be_confirmed_after_expiry(world, issue):
    today = world["today"]
    v = issue(10_000, days=0)  # today is its last day
    r = services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=100, actor=world["shop"])
    with pytest.raises(ValidationError, match="已过期"):
        services.redemption_confirm(redemption=r, actor=world["holder"], today=today + dt.timedelta(days=1))


def test_expiry_sweep_gives_the_balance_back(world, issue, pay):
    today = world["today"]
    v = issue(10_000, start=today - dt.timedelta(days=40), days=45)
    pay(v, 3_000)
    other = issue(2_000)
    assert services.vouchers_expire(today=today + dt.timedelta(days=6)) == 1
    v.refresh_from_db()
    assert (v.status, v.balance_fen, v.released_fen) == ("expired", 0, 7_000)
    f = _fund(world)
    assert (f.issued_fen, f.redeemed_fen) == (5_000, 3_000)
    assert Voucher.objects.get(pk=other.pk).status == "active"
    assert services.vouchers_expire(today=today + dt.timedelta(days=6)) == 0  # idempotent
    _balanced(world)


def test_child_never_outlives_its_parent(world, issue, county, pay):
    today = world["today"]
    parent = issue(10_000, days=10)
    with pytest.raises(ValidationError, match="不能晚于母券"):
        services.voucher_split(parent=parent, value_fen=1_000, person=county["lisi"],
                               valid_until=today + dt.timedelta(days=11), actor=world["admin"])
    with pytest.raises(ValidationError, match="不超过母券余额"):
        services.voucher_split(parent=parent, value_fen=10_001, person=county["lisi"], valid_until=None,
                               actor=world["admin"])
    child = services.voucher_split(parent=parent, value_fen=4_000, person=county["lisi"], valid_until=None,
                                   actor=world["holder"])
    parent.refresh_from_db()
    assert (parent.balance_fen, parent.split_fen) == (6_000, 4_000)
    assert child.valid_until == parent.valid_until and child.parent_id == parent.pk
    assert _fund(world).issued_fen == 10_000  # a split moves no fund money
    # Cancelling the parent stops the child and returns both balances.
    services.voucher_cancel(voucher=parent, reason="发放有误", actor=world["admin"])
    child.refresh_from_db()
    assert child.status == "cancelled" and child.released_fen == 4_000
    with pytest.raises(ValidationError, match="已作废"):
        services.redemption_request(voucher=child, merchant=world["merchant"], amount_fen=100, actor=world["shop"])
    assert _fund(world).issued_fen == 0
    _balanced(world)


def test_child_of_an_expired_parent_cannot_pay(world, issue, county):
    today = world["today"]
    parent = issue(10_000, days=5)
    child = services.voucher_split(parent=parent, value_fen=1_000, person=county["lisi"], valid_until=None,
                                   actor=world["admin"])
    # Even if a child's own date were later (a row written by hand), the parent's end stops it.
    Voucher.objects.filter(pk=child.pk).update(valid_until=today + dt.timedelta(days=30))
    child.refresh_from_db()
    assert services.voucher_payable(child, 100, today + dt.timedelta(days=6)) == "人才券已过期"


def test_reversal_of_a_pending_transaction_is_new_entries(world, issue, pay):
    v = issue(10_000)
    r = pay(v, 4_000)
    services.redemption_reverse(redemption=r, reason="商户误操作", actor=world["admin"])
    v.refresh_from_db()
    assert (v.balance_fen, v.spent_fen) == (10_000, 0)
    r.refresh_from_db()
    assert r.status == "cancelled"
    kinds = list(FundEntry.objects.filter(redemption=r).order_by("id").values_list("kind", flat=True))
    assert kinds == ["redeem", "reverse"]
    assert _fund(world).redeemed_fen == 0
    with pytest.raises(ValidationError, match="不能冲正"):
        services.redemption_reverse(redemption=r, reason="再来一次", actor=world["admin"])
    assert AuditEvent.objects.filter(object_type="vouchers.redemption", object_id=str(r.pk)).count() == 3
    _balanced(world)


def test_clawback_of_a_settled_transaction_after_expiry_returns_to_the_fund(world, issue, pay):
    today = world["today"]
    v = issue(10_000, days=3)
    r = pay(v, 6_000)
    services.redemptions_settle(today=today + dt.timedelta(days=30))
    r.refresh_from_db()
    assert r.status == "settled"
    services.vouchers_expire(today=today + dt.timedelta(days=30))
    services.redemption_reverse(redemption=r, reason="虚假交易", actor=world["admin"],
                                today=today + dt.timedelta(days=31))
    f = _fund(world)
    assert (f.issued_fen, f.redeemed_fen, f.settled_fen) == (0, 0, 0)
    v.refresh_from_db()
    assert (v.balance_fen, v.spent_fen, v.released_fen) == (0, 0, 10_000)
    kinds = sorted(FundEntry.objects.filter(redemption=r).values_list("kind", flat=True))
    assert kinds == ["clawback", "redeem", "release", "reverse", "settle"]
    _balanced(world)


def test_settlement_counts_working_days_and_waits_for_held_ones(world, issue, pay):
    v = issue(10_000, start=dt.date(2026, 9, 1), days=100)
    r1 = pay(v, 1_000, today=dt.date(2026, 9, 30))
    r2 = pay(v, 2_000, today=dt.date(2026, 9, 30))
    # Five working days after 30 September 2026 skip the National Day holiday (1–7 October) and the weekend.
    assert r1.settle_on == dt.date(2026, 10, 13)
    services.redemption_hold(redemption=r2, hold=True, note="同一商户频繁核销", actor=world["admin"])
    assert services.redemptions_settle(today=dt.date(2026, 10, 12)) == 0
    assert services.redemptions_settle(today=dt.date(2026, 10, 13)) == 1
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert (r1.status, r2.status) == ("settled", "held")
    services.redemption_hold(redemption=r2, hold=False, note="核实无误", actor=world["admin"])
    assert services.redemptions_settle(today=dt.date(2026, 10, 13)) == 1
    assert _fund(world).settled_fen == 3_000
    _balanced(world)


def test_confirming_twice_is_refused(world, issue, pay):
    v = issue(10_000)
    r = pay(v, 1_000)
    with pytest.raises(ValidationError, match="不能重复确认"):
        services.redemption_confirm(redemption=r, actor=world["holder"])
    assert FundEntry.objects.filter(redemption=r, kind="redeem").count() == 1


def test_the_same_request_key_makes_one_request(world, issue):
    v = issue(10_000)
    a = services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=500, key="k1",
                                    actor=world["shop"])
    b = services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=500, key="k1",
                                    actor=world["shop"])
    assert a.pk == b.pk and Redemption.objects.count() == 1


def test_merchant_not_enrolled_or_wrong_category_is_refused(world, issue, county):
    from bole.vouchers.models import Merchant

    v = issue(10_000)
    other = Merchant.objects.create(enterprise=county["e1"], categories=["dining"])
    with pytest.raises(ValidationError, match="未入驻"):
        services.redemption_request(voucher=v, merchant=other, amount_fen=100, actor=None)
    Voucher.objects.filter(pk=v.pk).update(categories=["culture"])
    v.refresh_from_db()
    with pytest.raises(ValidationError, match="经营范围"):
        services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=100, actor=None)


def test_only_the_holder_confirms(world, issue, users):
    from django.core.exceptions import PermissionDenied

    v = issue(10_000)
    r = services.redemption_request(voucher=v, merchant=world["merchant"], amount_fen=100, actor=world["shop"])
    with pytest.raises(PermissionDenied):
        services.redemption_confirm(redemption=r, actor=users["ent"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_entries_are_append_only_in_the_database(world):
    from django.db import DatabaseError

    e = FundEntry.objects.filter(fund=world["fund"]).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        FundEntry.objects.filter(pk=e.pk).update(amount_fen=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        FundEntry.objects.filter(pk=e.pk).delete()


def test_expiring_soon_notice_once_per_voucher(world, issue):
    from bole.core.models import Notification

    issue(10_000, days=5)
    issue(10_000, days=40)
    assert services.vouchers_notify_expiring(today=world["today"]) == 1
    assert services.vouchers_notify_expiring(today=world["today"]) == 0
    n = Notification.objects.get(recipient=world["holder"], event="expiring")
    assert "100.00" in n.text
