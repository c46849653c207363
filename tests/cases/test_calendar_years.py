"""A year's holiday arrangement as a whole: confirmed or imported by a county administrator; until then every
deadline that counts on the year says so (the case page, the lists, the API's calendar_known, the home page)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.cases.calendar import work_calendar
from bole.cases.choices import Action
from bole.cases.models import CalendarEntry, CalendarYear
from bole.cases.services import calendar_entry_add, calendar_import, calendar_year_confirm, case_transition
from bole.core.models import AuditEvent

pytestmark = pytest.mark.filterwarnings("ignore::bole.engines.workcal.CalendarFallbackWarning")

NOTICE_2027 = ("国务院办公厅关于2027年部分节假日安排的通知\n"
               "一、元旦：1月1日（星期五）放假，共1天。\n"
               "二、春节：2月6日（星期六）至13日（星期六）放假调休，共8天。2月14日（星期日）、2月20日（星期六）上班。\n")
NOTE = "2027年节假日安排尚未录入，办理时限暂按周一至周五计算"


def _late_2026_case(new_case, users, clock, days=10):
    clock.set(2026, 12, 24, 10, 0)
    return case_transition(case=new_case(category_name="其他"), action=Action.ACCEPT, actor=users["admin"],
                           deadline_days=days)


def test_entries_alone_do_not_make_a_year_known_and_confirming_needs_a_holiday(users):
    with pytest.raises(ValidationError):
        calendar_year_confirm(year=2027, notice="通知", actor=users["admin"])
    calendar_entry_add(date=dt.date(2027, 1, 1), kind="holiday", name="元旦", actor=users["admin"])
    assert 2027 not in work_calendar().covered_years
    with pytest.raises(PermissionDenied):
        calendar_year_confirm(year=2027, notice="通知", actor=users["town1"])
    year = calendar_year_confirm(year=2027, notice=" 国务院办公厅关于2027年部分节假日安排的通知 ", actor=users["admin"])
    assert (year.notice, year.entered_by) == ("国务院办公厅关于2027年部分节假日安排的通知", users["admin"])
    assert AuditEvent.objects.filter(action="create", object_id=str(year.pk)).exists()
    assert 2027 in work_calendar().covered_years
    with pytest.raises(ValidationError):
        calendar_year_confirm(year=2027, notice="again", actor=users["admin"])
    with pytest.raises(ValidationError):  # shipped years are known already
        calendar_year_confirm(year=2026, notice="通知", actor=users["admin"])


def test_import_replaces_the_years_entries_and_marks_it_known_in_one_go(users):
    old = calendar_entry_add(date=dt.date(2027, 3, 1), kind="holiday", name="误加", actor=users["admin"])
    entries = [(dt.date(2027, 1, 1), "holiday", "元旦"), (dt.date(2027, 2, 14), "workday", "春节")]
    with pytest.raises(PermissionDenied):
        calendar_import(year=2027, notice="通知", entries=entries, actor=users["town1"])
    bad = [*entries, (dt.date(2027, 2, 15), "workday", "春节")]  # a Monday
    with pytest.raises(ValidationError):
        calendar_import(year=2027, notice="通知", entries=bad, actor=users["admin"])
    assert CalendarEntry.objects.filter(pk=old.pk).exists() and not CalendarYear.objects.exists()
    calendar_import(year=2027, notice="通知", entries=entries, actor=users["admin"])
    assert list(CalendarEntry.objects.values_list("date", "kind")) == [
        (dt.date(2027, 1, 1), "holiday"), (dt.date(2027, 2, 14), "workday")]
    assert AuditEvent.objects.filter(action="delete", object_id=str(old.pk)).exists()
    cal = work_calendar()
    assert 2027 in cal.covered_years and not cal.is_workday(dt.date(2027, 1, 1))


def test_the_import_page_previews_then_writes_everything_at_once(login, users):
    admin = login("admin")
    assert admin.get("/cases/calendar/import/?year=2027").status_code == 200
    resp = admin.post("/cases/calendar/import/", {"op": "preview", "year": 2027, "notice": "", "text": NOTICE_2027})
    html = resp.content.decode()
    assert "放假 9 天" in html and "调休上班 2 天" in html and "2027-02-20" in html
    assert not CalendarEntry.objects.exists()  # a preview writes nothing
    rows = resp.context["preview"]["form"].initial["rows"]
    resp = admin.post("/cases/calendar/import/", {"op": "confirm", "year": 2027,
                                                  "notice": "国务院办公厅关于2027年部分节假日安排的通知", "rows": rows})
    assert resp.status_code == 302
    assert CalendarEntry.objects.filter(kind="holiday").count() == 9
    assert CalendarEntry.objects.filter(kind="workday").count() == 2
    assert CalendarYear.objects.get().notice == "国务院办公厅关于2027年部分节假日安排的通知"


def test_bad_lines_are_named_with_their_reason_and_nothing_is_written(login, users):
    text = NOTICE_2027.replace("1月1日（星期五）放假，共1天", "1月1日（星期四）放假，共1天").replace(
        "2月20日（星期六）", "2月22日（星期一）")
    resp = login("admin").post("/cases/calendar/import/", {"op": "preview", "year": 2027, "text": text})
    problems = resp.context["problems"]
    assert problems == [("一、元旦", "2027-01-01 是星期五，通知写的是星期四（年份对吗？）"),
                        ("二、春节", "调休上班日 2027-02-22 是星期一，应为周六或周日")]
    assert "一、元旦" in resp.content.decode() and "没有写入任何内容" in resp.content.decode()
    assert not CalendarEntry.objects.exists() and not CalendarYear.objects.exists()


def test_a_sheet_can_carry_the_arrangement(login, users):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "类型", "名称"])
    ws.append([dt.date(2027, 1, 1), "放假", "元旦"])
    ws.append(["2027-02-14", "上班", "春节"])
    ws.append(["2027-02-15", "上班", "春节"])
    buf = io.BytesIO()
    wb.save(buf)
    upload = io.BytesIO(buf.getvalue())
    upload.name = "2027.xlsx"
    resp = login("admin").post("/cases/calendar/import/", {"op": "preview", "year": 2027, "sheet": upload})
    assert resp.context["problems"] == [("表格第 4 行", "调休上班日 2027-02-15 是星期一，应为周六或周日")]
    wb.active.delete_rows(4)
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "2027.xlsx"
    buf.seek(0)
    resp = login("admin").post("/cases/calendar/import/", {"op": "preview", "year": 2027, "sheet": buf})
    assert resp.context["problems"] is None
    assert resp.context["preview"]["result"].entries() == [
        (dt.date(2027, 1, 1), "holiday", "元旦"), (dt.date(2027, 2, 14), "workday", "春节")]


def test_only_county_administrators_reach_the_import_and_confirm(login, users):
    assert login("town1").get("/cases/calendar/import/").status_code == 403
    assert login("town1").post("/cases/calendar/confirm/", {"year": 2027, "notice": "x"}).status_code == 403
    calendar_entry_add(date=dt.date(2027, 1, 1), kind="holiday", name="元旦", actor=users["admin"])
    page = login("admin").get("/cases/calendar/?year=2027").content.decode()
    assert NOTE in page and "确认 2027 年安排完整" in page
    resp = login("admin").post("/cases/calendar/confirm/", {"year": 2027, "notice": "国务院办公厅关于2027年部分节假日安排的通知"})
    assert resp.status_code == 302 and CalendarYear.objects.filter(year=2027).exists()
    assert NOTE not in login("admin").get("/cases/calendar/?year=2027").content.decode()


def test_a_deadline_in_an_unknown_year_is_marked_on_the_page_and_in_the_api(login, new_case, users, clock):
    case = _late_2026_case(new_case, users, clock)
    assert case.deadline.year == 2027
    admin = login("admin")
    assert NOTE in admin.get(f"/cases/{case.pk}/").content.decode()
    assert NOTE in admin.get("/cases/").content.decode()
    assert admin.get(f"/api/v1/cases/{case.pk}/").json()["calendar_known"] is False
    listed = admin.get("/api/v1/cases/").json()["items"]
    assert [c["calendar_known"] for c in listed] == [False]
    follow = admin.get(f"/api/v1/public/cases/{case.follow_token}/").json()
    assert follow["calendar_known"] is False
    calendar_import(year=2027, notice="通知", entries=[(dt.date(2027, 1, 1), "holiday", "元旦")], actor=users["admin"])
    assert admin.get(f"/api/v1/cases/{case.pk}/").json()["calendar_known"] is True
    assert NOTE not in admin.get(f"/cases/{case.pk}/").content.decode()


def test_a_case_within_known_years_says_known(login, new_case, users, clock):
    clock.set(2026, 3, 2, 10, 0)
    case = case_transition(case=new_case(category_name="其他"), action=Action.ACCEPT, actor=users["admin"],
                           deadline_days=5)
    admin = login("admin")
    assert admin.get(f"/api/v1/cases/{case.pk}/").json()["calendar_known"] is True
    assert "尚未录入" not in admin.get(f"/cases/{case.pk}/").content.decode()


def test_home_page_warns_a_county_admin_from_the_first_of_december(login, users, clock):
    home = "/"
    clock.set(2026, 11, 30, 9, 0)
    assert "2027年节假日安排尚未录入" not in login("admin").get(home).content.decode()
    clock.set(2026, 12, 1, 9, 0)
    page = login("admin").get(home).content.decode()
    assert "2027年节假日安排尚未录入" in page and "/cases/calendar/?year=2027" in page
    assert "节假日安排尚未录入" not in login("town1").get(home).content.decode()
    calendar_import(year=2027, notice="通知", entries=[(dt.date(2027, 1, 1), "holiday", "元旦")], actor=users["admin"])
    assert "2027年节假日安排尚未录入" not in login("admin").get(home).content.decode()
    clock.set(2028, 1, 5, 9, 0)  # a year that started with no arrangement is named too
    assert "2028年节假日安排尚未录入" in login("admin").get(home).content.decode()


def test_the_sweep_counts_overdue_cases_on_an_unknown_year_as_provisional(new_case, users, county, clock):
    from bole.cases.models import Event
    from bole.cases.services import case_sweep

    case = _late_2026_case(new_case, users, clock, days=2)
    assert case.deadline == dt.date(2026, 12, 28)
    case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"])
    result = case_sweep(today=dt.date(2027, 1, 5))
    assert result["overdue"] == 1 and result["provisional"] == 1
    note = Event.objects.filter(case=case, kind="escalate").first().note
    assert note.endswith(f"（{NOTE}）")
    assert case_sweep(today=dt.date(2026, 12, 30))["provisional"] == 0


def test_every_case_schema_with_a_deadline_carries_calendar_known():
    from bole.api import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    with_deadline = {name for name, s in schemas.items()
                     if "deadline" in s.get("properties", {}) and name in {"CaseOut", "PublicCaseOut"}}
    assert with_deadline == {"CaseOut", "PublicCaseOut"}
    for name in with_deadline:
        assert schemas[name]["properties"]["calendar_known"]["type"] == "boolean"
        assert "calendar_known" in schemas[name]["required"]
