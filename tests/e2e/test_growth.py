"""选调生 "十个一": a young cadre submits evidence on a phone, the mentor signs it, the cohort dashboard moves."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import DESKTOP, PHONE, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """The production password hasher is deliberately slow; accounts here are throwaway."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_growth_evidence_and_mentor_signoff(browser, live_url, users, county):
    from bole.growth import services
    from bole.org.services import account_create, person_update

    person_update(person=county["wangwu"], actor=None, is_young_cadre=True)
    county["wangwu"].refresh_from_db()
    services.checklist_seed_default(actor=None)
    services.growth_record_create(person=county["wangwu"], cohort=2024, started_on=dt.date(2024, 8, 1),
                                  mentor=county["zhangsan"], actor=None)
    account_create(username="wangwu", role="cadre", scope=county["wangwu"].id_number, password=PW, actor=None)

    phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    ui_login(phone, live_url, "wangwu", PW)
    phone.goto(f"{live_url}/growth/")
    phone.get_by_role("link", name="我的成长档案").click()
    entry = phone.locator("article.entry", has_text="一次国情调研")
    entry.locator("summary", has_text="填写佐证并提交导师").click()
    entry.get_by_label("佐证材料").fill("围绕村级集体经济蹲点调研两周，形成调研报告一篇。")
    entry.get_by_role("button", name="提交").click()
    phone.get_by_text("已提交导师签认").wait_for()
    shot(phone, "growth-record-phone")

    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = ctx.new_page()
    ui_login(page, live_url, "cadre", PW)  # 张三, the mentor
    page.goto(f"{live_url}/growth/")
    page.get_by_role("link", name="王五 · 一次国情调研").click()
    page.get_by_label("导师意见（一次国情调研）").fill("调研扎实，同意")
    page.locator("article.entry", has_text="一次国情调研").get_by_role("button", name="签认").click()
    page.locator("article.entry", has_text="一次国情调研").get_by_text("导师已签认").wait_for()
    page.goto(f"{live_url}/growth/")
    page.get_by_text("10.0%").wait_for()
    shot(page, "growth-dashboard")
    ctx.close()
    phone_ctx.close()
