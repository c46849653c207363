"""On a phone (390 px): staff write a policy with a criteria row and a panel flag, gather its applications into a
review panel; an enterprise splits its voucher to a talent it employs. No page is wider than the phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import PHONE, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _fits(pg) -> None:
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


@pytest.mark.django_db(transaction=True)
def test_policy_form_panel_and_split_on_a_phone(browser, live_url, users, county):
    from bole.org.services import account_create
    from bole.talent.models import Talent
    from bole.vouchers import services
    from bole.vouchers.models import Application, SupportPolicy

    today = timezone.localdate()
    account_create(username="staff", role="admin", password=PW, actor=None)
    staff = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True).new_page()
    ui_login(staff, live_url, "staff", PW)
    staff.goto(f"{live_url}/vouchers/policies/new/")
    _fits(staff)
    staff.get_by_label("政策名称").fill("创新券（评审）")
    staff.get_by_label("类别").select_option("innovation")
    staff.get_by_label("支持对象").select_option("enterprise")
    staff.get_by_label("评审会评审").check()
    staff.get_by_label("政策起始日期").fill(f"{today.year}-01-01")
    staff.get_by_label("政策截止日期").fill(f"{today.year}-12-31")
    staff.get_by_label("金额规则").select_option("share")
    staff.get_by_label("支持比例（0–1，如 0.5）").fill("0.5")
    staff.locator("#id_c-0-fact").select_option("industry")
    staff.locator("#id_c-0-op").select_option("in")
    staff.locator("#id_c-0-value").fill("C、M")
    staff.locator("#id_c-1-op").select_option("gte")  # a half-filled row: an error on that row
    staff.get_by_role("button", name="保存").click()
    assert staff.get_by_text("请选择条件项和比较方式").is_visible()
    _fits(staff)
    staff.locator("#id_c-1-op").select_option("")
    staff.get_by_role("button", name="保存").click()
    staff.wait_for_url(f"{live_url}/vouchers/policies/*/")
    pol = SupportPolicy.objects.get(name="创新券（评审）")
    assert pol.panel_review and pol.criteria == [{"fact": "industry", "op": "in", "value": ["C", "M"]}]
    services.fund_create(policy_obj=pol, year=today.year, budget_fen=10_000_000, actor=None)
    services.application_submit(policy_obj=pol, enterprise=county["e1"], actor=None,
                                declared={"service_cost": 100_000})
    staff.reload()
    shot(staff, "vouchers-policy-panel-phone")
    _fits(staff)
    staff.get_by_role("button", name="将 1 件待审申请提交评审会").click()
    staff.wait_for_url(f"{live_url}/evaluation/**")
    assert Application.objects.get(policy=pol).panel_id is not None

    # The enterprise splits its voucher to the talent it employs.
    lisi = county["lisi"]
    Talent.objects.create(person=lisi, name=lisi.name, level="municipal", field="新材料", industry="C",
                          education="master", origin="introduced", region=county["t1"], region_code="330521001",
                          employer=county["e1"])
    fund = pol.funds.get()
    v = services.voucher_issue(fund=fund, enterprise=county["e1"], value_fen=50_000, valid_from=today,
                               valid_until=today + dt.timedelta(days=30), actor=None)
    ent = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True).new_page()
    ui_login(ent, live_url, "ent", PW)
    ent.goto(f"{live_url}/vouchers/v/{v.pk}/")
    ent.get_by_role("link", name="拆分子券").click()
    _fits(ent)
    ent.get_by_label("子券持有人").select_option(label="李四")
    ent.get_by_label("子券面额（元）").fill("120")
    ent.get_by_role("button", name="拆出子券").click()
    ent.wait_for_url(f"{live_url}/vouchers/v/{v.pk}/")
    assert "李四" in ent.locator("body").inner_text()
    shot(ent, "vouchers-split-phone")
    v.refresh_from_db()
    assert (v.balance_fen, v.split_fen) == (38_000, 12_000)
