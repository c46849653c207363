"""Deadlines and escalation on the Chinese working calendar (调休), the admin-extended calendar, the sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from bole.cases.calendar import work_calendar
from bole.cases.choices import Action
from bole.cases.models import Case, Escalation, Event
from bole.cases.services import (
    calendar_entry_add,
    calendar_year_confirm,
    case_sweep,
    case_transition,
    unit_head_set,
)
from bole.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def spring_case(new_case, users, county, clock, catchall):
    """Accepted on 除夕 2024 (a working day) with 3 working days: due Tue 2024-02-20 thanks to 调休."""
    catchall.head = county["qianqi"]
    catchall.save()
    unit_head_set(unit=county["u1"], person=county["zhangsan"], actor=users["admin"])
    clock.set(2024, 2, 9, 10, 0)
    case = new_case(category_name="其他")
    case = case_transition(case=case, action=Action.ACCEPT, actor=users["admin"], deadline_days=3)
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"])
    assert case.deadline == dt.date(2024, 2, 20)
    return case


def test_no_escalation_while_on_time_even_where_plain_weekdays_would_be_late(spring_case):
    # Mon–Fri counting would have made the deadline 2024-02-14; the holiday week is not counted.
    assert case_sweep(today=dt.date(2024, 2, 15))["escalated"] == 0
    assert case_sweep(today=dt.date(2024, 2, 20))["escalated"] == 0


def test_escalates_to_unit_head_then_desk_head_once(spring_case, county):
    r = case_sweep(today=dt.date(2024, 2, 21))
    assert r["overdue"] == 1 and r["escalated"] == 1
    first = Escalation.objects.get(case=spring_case)
    assert first.level == 1 and first.target == "unit_head" and first.person == county["zhangsan"]
    assert first.overdue_workdays == 1
    assert case_sweep(today=dt.date(2024, 2, 21))["escalated"] == 0  # idempotent
    assert case_sweep(today=dt.date(2024, 2, 22))["escalated"] == 0  # 2 working days: still level 1
    r = case_sweep(today=dt.date(2024, 2, 23))  # 3 working days overdue → desk head
    assert r["escalated"] == 1
    second = Escalation.objects.get(case=spring_case, level=2)
    assert second.target == "desk_head" and second.person == county["qianqi"]
    assert Case.objects.get(pk=spring_case.pk).escalation_level == 2
    assert Event.objects.filter(case=spring_case, kind="escalate").count() == 2
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(spring_case.pk),
                                     changes__escalation_level__isnull=False).count() == 2


def test_weekend_after_deadline_is_red_but_zero_working_days(new_case, users, county, clock):
    clock.set(2024, 3, 4, 9, 0)
    case = case_transition(case=new_case(category_name="其他"), action=Action.ACCEPT, actor=users["admin"],
                           deadline_days=4)
    assert case.deadline == dt.date(2024, 3, 8)  # Friday
    case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"])
    r = case_sweep(today=dt.date(2024, 3, 9))
    assert r["overdue"] == 1 and r["escalated"] == 1  # step 1 fires at 0 overdue working days


def test_admin_entry_extends_calendar_and_moves_deadlines(new_case, users, clock):
    calendar_entry_add(date=dt.date(2024, 2, 20), kind="holiday", name="地方调整", actor=users["admin"])
    cal = work_calendar()
    assert not cal.is_workday(dt.date(2024, 2, 20))
    assert cal.is_workday(dt.date(2024, 2, 18))  # the shipped 调休 Sunday is kept
    clock.set(2024, 2, 9, 10, 0)
    case = case_transition(case=new_case(category_name="其他"), action=Action.ACCEPT, actor=users["admin"],
                           deadline_days=3)
    assert case.deadline == dt.date(2024, 2, 21)


def test_admin_can_add_a_new_year(users):
    calendar_entry_add(date=dt.date(2027, 2, 8), kind="holiday", name="春节", actor=users["admin"])
    calendar_entry_add(date=dt.date(2027, 2, 20), kind="workday", name="春节", actor=users["admin"])
    cal = work_calendar()
    assert not cal.is_workday(dt.date(2027, 2, 8)) and cal.is_workday(dt.date(2027, 2, 20))
    assert 2027 not in cal.covered_years  # entries alone: the year is still provisional
    calendar_year_confirm(year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知", actor=users["admin"])
    assert 2027 in work_calendar().covered_years


def test_sweep_command_runs(spring_case, capsys):
    call_command("sweep", date="2024-02-21")
    assert "escalated 1" in capsys.readouterr().out


def test_admin_removes_a_mistaken_entry_and_the_calendar_follows(login, users):
    from bole.cases.models import CalendarEntry
    from bole.core.models import AuditEvent

    entry = calendar_entry_add(date=dt.date(2024, 3, 12), kind="holiday", name="误加", actor=users["admin"])
    assert not work_calendar().is_workday(dt.date(2024, 3, 12))
    url = f"/cases/calendar/{entry.pk}/remove/"
    assert login("town1").post(url).status_code == 403
    assert login("admin").get(url).status_code == 405
    assert login("admin").post(url).status_code == 302
    assert not CalendarEntry.objects.filter(pk=entry.pk).exists()
    assert work_calendar().is_workday(dt.date(2024, 3, 12))
    event = AuditEvent.objects.get(action="delete", object_id=str(entry.pk))
    assert event.changes["name"] == ["误加", None]


def test_only_county_administrators_change_the_calendar_whatever_the_caller(users):
    from django.core.exceptions import PermissionDenied

    from bole.cases.models import CalendarEntry
    from bole.cases.services import calendar_entry_remove

    for who in ("town1", "cadre", "ent"):
        with pytest.raises(PermissionDenied):
            calendar_entry_add(date=dt.date(2024, 3, 13), kind="holiday", name="越权", actor=users[who])
    entry = calendar_entry_add(date=dt.date(2024, 3, 13), kind="holiday", name="误加", actor=users["admin"])
    with pytest.raises(PermissionDenied):
        calendar_entry_remove(entry=entry, actor=users["town1"])
    assert CalendarEntry.objects.filter(pk=entry.pk).exists()
