"""A county admin is told on the home page that next year's holidays are missing, sees the note on a case whose
deadline runs into that year, imports the State Council notice (a refused line first) and confirms it."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from .conftest import DESKTOP, PHONE, shot, ui_login

PW = "pass-1234-word"
NOTICE = ("国务院办公厅关于2027年部分节假日安排的通知\n"
          "一、元旦：1月1日（星期五）放假，共1天。\n"
          "二、春节：2月6日（星期六）至13日（星期六）放假调休，共8天。2月14日（星期日）、2月20日（星期六）上班。\n")
NOTE = "2027年节假日安排尚未录入，办理时限暂按周一至周五计算"


@pytest.fixture
def late_case(county, users, monkeypatch):
    from bole.cases.choices import Action
    from bole.cases.desks import desks_ensure
    from bole.cases.services import case_submit, case_transition

    monkeypatch.setattr("bole.cases.calendar.now", lambda: dt.datetime(2026, 12, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    desk = desks_ensure(actor=users["admin"])["catchall"]
    case = case_submit(desk=desk, category=desk.categories.get(name="其他"), title="厂区门口道路破损多年无人维修",
                       description="交通、住建、街道互相推诿，已三年未修。", submitter_kind="enterprise",
                       submitter_enterprise=county["e1"], actor=users["ent"])
    return case_transition(case=case, action=Action.ACCEPT, actor=users["admin"], deadline_days=10)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::bole.engines.workcal.CalendarFallbackWarning")
def test_admin_imports_next_years_notice(browser, live_url, late_case):
    from bole.cases.models import CalendarEntry, CalendarYear

    # The phone first: confirming on the desktop makes the year known and the notes go.
    for name, viewport, mobile in (("phone", PHONE, True), ("desktop", DESKTOP, False)):
        ctx = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=mobile, has_touch=mobile)
        page = ctx.new_page()
        ui_login(page, live_url, "admin", PW)
        assert page.get_by_text("2027年节假日安排尚未录入：").is_visible()
        shot(page, f"calendar-home-{name}")
        page.goto(f"{live_url}/cases/{late_case.pk}/")
        assert page.get_by_text(NOTE).is_visible()
        shot(page, f"calendar-case-{name}")
        page.goto(f"{live_url}/")
        page.get_by_role("link", name="2027年节假日安排尚未录入").click()
        page.wait_for_url(re.compile(r".*/cases/calendar/\?year=2027$"))
        assert page.get_by_text(NOTE).is_visible()
        shot(page, f"calendar-page-{name}")
        page.get_by_role("button", name="导入国务院通知").click()
        page.get_by_label("通知正文").fill(NOTICE.replace("1月1日（星期五）", "1月1日（星期四）"))
        page.get_by_role("button", name="预览").click()
        assert page.get_by_text("2027-01-01 是星期五，通知写的是星期四（年份对吗？）").is_visible()
        shot(page, f"calendar-import-refused-{name}")
        page.get_by_label("通知正文").fill(NOTICE)
        page.get_by_role("button", name="预览").click()
        assert page.get_by_role("heading", name="放假 9 天").is_visible()
        shot(page, f"calendar-import-preview-{name}")
        if name == "desktop":
            page.get_by_role("button", name="确认写入并标记 2027 年安排完整").click()
            page.wait_for_url(re.compile(r".*/cases/calendar/\?year=2027$"))
            assert page.get_by_text("已导入 2027 年节假日安排：放假 9 天，调休上班 2 天").is_visible()
            shot(page, "calendar-page-after-import")
            page.goto(f"{live_url}/cases/{late_case.pk}/")
            assert page.get_by_text(NOTE).count() == 0
        ctx.close()
    assert CalendarEntry.objects.count() == 11 and CalendarYear.objects.get().year == 2027
