"""人才券 end to end on phones: a talent shows a voucher's QR, a merchant takes it (by the code under the QR, as a
till without a camera does), the holder confirms on the phone, and the fund's figures move on the staff's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import DESKTOP, PHONE, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_qr_redeem_confirm_and_fund_moves(browser, live_url, users, county):
    from bole.org.services import account_create
    from bole.vouchers import services

    today = timezone.localdate()
    admin = users["admin"]
    pol = services.support_policy_create(actor=admin, data={
        "region": county["county"], "name": "人才消费券", "document": "青创工场八条", "article": "第八条",
        "kind": "consumption", "holder_kind": "person", "needs_application": False,
        "formula": {"kind": "fixed", "amount": 100_000}, "categories": ["dining"],
        "valid_from": today - dt.timedelta(days=10), "valid_until": today + dt.timedelta(days=300)})
    fund = services.fund_create(policy_obj=pol, year=today.year, budget_fen=5_000_000, actor=admin)
    shop = account_create(username="shop", role="enterprise", scope=county["e2"].credit_code, password=PW, actor=None)
    services.enrolment_decide(enrolment=services.merchant_enrol(fund=fund, categories=["dining"], actor=shop),
                              to="approved", actor=admin)
    account_create(username="talent", role="resident", scope=county["lisi"].id_number, password=PW, actor=None)
    v = services.voucher_issue(fund=fund, person=county["lisi"], value_fen=100_000, valid_from=today,
                               valid_until=today + dt.timedelta(days=60), actor=admin)

    # The talent opens the voucher: balance and a QR.
    holder = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True).new_page()
    ui_login(holder, live_url, "talent", PW)
    holder.goto(f"{live_url}/vouchers/")
    holder.locator("a.vcard").first.click()
    holder.wait_for_url(f"{live_url}/vouchers/v/{v.pk}/")
    assert holder.locator("figure.qr svg").count() == 1
    assert holder.locator("#balance").inner_text() == "1,000.00"
    code = v.code
    assert code in holder.locator("figure.qr figcaption").inner_text()
    shot(holder, "vouchers-holder-qr-phone")

    # The merchant's till takes it: the code, the amount, then waits for the holder.
    till = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True).new_page()
    ui_login(till, live_url, "shop", PW)
    till.goto(f"{live_url}/vouchers/merchant/")
    till.get_by_label("券号").fill(code)
    till.get_by_role("button", name="收款").click()
    till.get_by_label("核销金额（元）").fill("88.50")
    shot(till, "vouchers-merchant-pay-phone")
    till.get_by_role("button", name="发起收款，等待持券人确认").click()
    assert "等待持券人在手机上确认" in till.locator("#redemption-status").inner_text()

    # The holder's page shows the request (polled) and the holder confirms.
    holder.get_by_role("button", name="确认支付").wait_for(timeout=10_000)
    assert "88.50" in holder.locator("article.request").inner_text()
    shot(holder, "vouchers-holder-confirm-phone")
    holder.get_by_role("button", name="确认支付").click()
    holder.get_by_text("已确认支付 88.50 元").wait_for()
    assert holder.locator("#balance").inner_text() == "911.50"

    # The till sees it settle-bound; the staff see the fund move.
    till.locator("#redemption-status", has_text="待结算").wait_for(timeout=10_000)
    staff = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    ui_login(staff, live_url, "admin", PW)
    staff.goto(f"{live_url}/vouchers/funds/{fund.pk}/")
    assert staff.locator("#f-redeemed").inner_text() == "88.50"
    assert staff.locator("#f-issued").inner_text() == "1,000.00"
    assert "对账平衡" in staff.content()
    shot(staff, "vouchers-fund-desktop")
