"""Who is told, and only once: escalations by the sweep, assignments, declines, reopenings, resolutions."""

from __future__ import annotations

import datetime as dt

import pytest

from bole.cases.choices import Action, Rating
from bole.cases.services import case_submit, case_sweep, case_transition, task_decline, unit_head_set
from bole.core.models import Notification
from bole.core.sms import MemorySmsBackend
from bole.org.models import Person
from bole.org.services import account_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings):
    settings.BOLE_SMS_BACKEND = "bole.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def heads(users, county, catchall):
    """张三 (login 'cadre') heads 武康街道党工委; 钱七 heads the 兜底办 and gets a login of her own."""
    unit_head_set(unit=county["u1"], person=county["zhangsan"], actor=users["admin"])
    catchall.head = county["qianqi"]
    catchall.save()
    return account_create(username="deskhead", role="cadre", scope=county["qianqi"].id_number, password="desk-head-pass-10",
                          actor=None)


def _inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("event", flat=True))


def _assigned(new_case, users, county, clock, *, start, days, unit="u1"):
    clock.set(*start)
    case = case_transition(case=new_case(category_name="其他"), action=Action.ACCEPT, actor=users["admin"],
                           deadline_days=days)
    return case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county[unit])


def test_sweep_escalation_notifies_exactly_once_across_reruns(new_case, users, county, clock, heads, sms,
                                                              django_capture_on_commit_callbacks):
    case = _assigned(new_case, users, county, clock, start=(2024, 2, 9, 10, 0), days=3)
    assert case.deadline == dt.date(2024, 2, 20)
    Notification.objects.all().delete()  # leave only what the sweep writes
    Person.objects.filter(pk=county["zhangsan"].pk).update(phone="13800138001")
    with django_capture_on_commit_callbacks(execute=True):
        r = case_sweep(today=dt.date(2024, 2, 21))
    assert r["escalated"] == 1 and r["notified"] == 2
    assert _inbox(users["town1"]) == ["escalate:0:1"]  # the unit's admin
    assert _inbox(users["cadre"]) == ["escalate:0:1"]  # the unit head's own login
    assert _inbox(heads) == []  # the desk head only at the second step
    note = Notification.objects.get(recipient=users["town1"])
    assert case.number in note.text and "1 个工作日" in note.text and note.link == f"/cases/{case.pk}/"
    assert [m.phone for m in sms] == ["13800138001"]

    for day in (21, 21, 22):  # re-runs, and a day still at the first step
        with django_capture_on_commit_callbacks(execute=True):
            assert case_sweep(today=dt.date(2024, 2, day))["notified"] == 0
    assert Notification.objects.count() == 2 and len(sms) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert case_sweep(today=dt.date(2024, 2, 23))["notified"] == 1
        assert case_sweep(today=dt.date(2024, 2, 23))["notified"] == 0
    assert _inbox(heads) == ["escalate:0:2"]
    assert _inbox(users["town2"]) == [] and _inbox(users["unit1v"]) == []
    assert Notification.objects.count() == 3


def test_escalation_counts_adjusted_working_days(new_case, users, county, clock, heads):
    # Due Fri 2024-02-02; Sun 02-04 is a 调休 working day, so by Tue 02-06 the case is 3 working days late
    # (Mon–Fri counting would say 2 and stop at the unit head).
    case = _assigned(new_case, users, county, clock, start=(2024, 1, 29, 10, 0), days=4)
    assert case.deadline == dt.date(2024, 2, 2)
    assert case_sweep(today=dt.date(2024, 2, 3))["notified"] == 2  # Saturday: late, 0 working days → step 1
    assert "0 个工作日" in Notification.objects.get(recipient=users["town1"], event="escalate:0:1").text
    assert case_sweep(today=dt.date(2024, 2, 5))["notified"] == 0  # 2 working days (Sun 4th, Mon 5th)
    assert case_sweep(today=dt.date(2024, 2, 6))["notified"] == 1
    assert "3 个工作日" in Notification.objects.get(recipient=heads).text


def test_escalation_waits_through_the_spring_festival(new_case, users, county, clock, heads):
    _assigned(new_case, users, county, clock, start=(2024, 2, 9, 10, 0), days=3)
    Notification.objects.all().delete()
    for day in range(10, 21):  # the holiday week, the 调休 Sunday 18th, and the deadline day itself
        case_sweep(today=dt.date(2024, 2, day))
    assert not Notification.objects.exists()


def test_desk_head_without_login_falls_back_to_desk_staff(new_case, users, county, clock, catchall):
    catchall.head = county["wangwu"]  # no account
    catchall.save()
    _assigned(new_case, users, county, clock, start=(2024, 3, 4, 9, 0), days=1)
    case_sweep(today=dt.date(2024, 3, 11))
    assert "escalate:0:2" in _inbox(users["admin"])


def test_assignment_notifies_the_assigned_unit_only(new_case, users, county, clock, heads):
    case = _assigned(new_case, users, county, clock, start=(2024, 3, 4, 9, 0), days=5, unit="u1v")
    [note] = Notification.objects.filter(recipient=users["unit1v"])
    assert note.event.startswith("assign:") and case.number in note.text and note.link == f"/cases/{case.pk}/"
    assert str(case.deadline) in note.text
    for other in ("town1", "town2", "cadre", "admin", "ent"):
        assert _inbox(users[other]) == [], other


def test_assignment_with_owner_tells_the_owner(new_case, users, county, clock):
    clock.set(2024, 3, 4, 9, 0)
    case = case_transition(case=new_case(), action=Action.ACCEPT, actor=users["admin"])
    case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"],
                    owner=county["zhangsan"], co_units=[{"unit": county["u2"], "description": "核实道路权属"}])
    assert len(_inbox(users["cadre"])) == 1 and len(_inbox(users["town1"])) == 1
    assert [e.split(":")[0] for e in _inbox(users["town2"])] == ["task"]  # the co-unit's sub-task


def test_decline_tells_desk_staff_and_arbitration_tells_new_unit(new_case, users, county, clock, catchall):
    catchall.handlers.add(users["town2"])
    case = _assigned(new_case, users, county, clock, start=(2024, 3, 4, 9, 0), days=5)
    case_transition(case=case, action=Action.DECLINE, actor=users["town1"], reason="不属于本单位职责")
    assert [e.split(":")[0] for e in _inbox(users["town2"])] == ["decline"]
    assert _inbox(users["admin"]) == []  # the desk has handlers: they arbitrate
    case_transition(case=case, action=Action.ARBITRATE, actor=users["town2"], lead_unit=county["u1v"])
    assert [e.split(":")[0] for e in _inbox(users["unit1v"])] == ["arbitrate"]


def test_co_unit_decline_tells_desk_staff(new_case, users, county, clock):
    clock.set(2024, 3, 4, 9, 0)
    case = case_transition(case=new_case(), action=Action.ACCEPT, actor=users["admin"])
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"],
                           co_units=[{"unit": county["u2"], "description": "核实"}])
    task_decline(task=case.tasks.get(), reason="非本单位职责", actor=users["town2"])
    assert [e.split(":")[0] for e in _inbox(users["admin"])] == ["task-decline"]


def test_resolution_asks_the_enterprise_to_rate_and_reopen_tells_both_units(new_case, users, county, clock):
    case = _assigned(new_case, users, county, clock, start=(2024, 3, 4, 9, 0), days=5, unit="u1v")
    case_transition(case=case, action=Action.START, actor=users["unit1v"])
    case_transition(case=case, action=Action.RESOLVE, actor=users["unit1v"], resolution="已修复")
    [note] = Notification.objects.filter(recipient=users["ent"])
    assert note.event.startswith("resolve:") and "请评价" in note.text
    case_transition(case=case, action=Action.RATE, actor=users["ent"], rating=Rating.UNSATISFIED)
    assert any(e.startswith("rate:") for e in _inbox(users["town1"]))  # the reviewing parent unit
    assert any(e.startswith("rate:") for e in _inbox(users["unit1v"]))
    assert _inbox(users["town2"]) == []


def test_resident_without_login_gets_an_sms(desks, users, county, clock, sms, settings,
                                            django_capture_on_commit_callbacks):
    settings.BOLE_PUBLIC_URL = "https://bole.example.gov.cn"
    desk = desks["home-request"]
    with django_capture_on_commit_callbacks(execute=True):
        case = case_submit(desk=desk, category=desk.categories.first(), title="楼道灯坏了", description="三楼楼道灯不亮",
                           submitter_kind="resident", submitter_phone="13900139000", actor=None)
        case = case_transition(case=case, action=Action.ACCEPT, actor=users["admin"])
        case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u2v"])
        case = case_transition(case=case, action=Action.START, actor=users["admin"])
        case_transition(case=case, action=Action.RESOLVE, actor=users["admin"], resolution="已更换灯泡")
    [msg] = sms
    assert msg.phone == "13900139000" and case.number in msg.text
    assert msg.text.endswith(f"https://bole.example.gov.cn/f/{case.follow_token}/")


def test_nothing_is_texted_when_the_write_rolls_back(new_case, users, county, clock, heads, sms):
    Person.objects.filter(pk=county["zhangsan"].pk).update(phone="13800138001")
    _assigned(new_case, users, county, clock, start=(2024, 2, 9, 10, 0), days=3)
    case_sweep(today=dt.date(2024, 2, 21))  # the test transaction never commits
    assert sms == []


def test_reopened_case_escalates_and_notifies_again(new_case, users, county, clock):
    from bole.cases.models import Escalation

    case = _assigned(new_case, users, county, clock, start=(2024, 3, 4, 9, 0), days=1, unit="u1v")
    case = case_transition(case=case, action=Action.START, actor=users["unit1v"])
    case_sweep(today=dt.date(2024, 3, 6))
    clock.set(2024, 3, 7, 9, 0)
    case = case_transition(case=case, action=Action.RESOLVE, actor=users["unit1v"], resolution="已修复")
    case = case_transition(case=case, action=Action.RATE, actor=users["ent"], rating=Rating.UNSATISFIED)
    r = case_sweep(today=dt.date(2024, 5, 6))  # the fresh deadline has long passed too
    assert r["escalated"] == 2
    assert sorted(Escalation.objects.filter(case=case).values_list("round", "level")) == [(0, 1), (1, 1), (1, 2)]
    assert [e for e in _inbox(users["unit1v"]) if e.startswith("escalate")] == ["escalate:1:1", "escalate:0:1"]


def test_sweep_command_reports_notices_after_the_timed_figures(new_case, users, county, clock, heads, capsys):
    import re

    from django.core.management import call_command

    _assigned(new_case, users, county, clock, start=(2024, 2, 9, 10, 0), days=3)
    call_command("sweep", date="2024-02-21")
    out = capsys.readouterr().out
    assert re.search(r"escalated (\d+)\s+\(([\d.]+) s\)", out)  # the line the cases benchmark reads
    assert "notified 2" in out
