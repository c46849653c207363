"""Units, handlers and heads are chosen with search pickers: the desk and case pages list no register."""

from __future__ import annotations

import pytest

from bole.cases.choices import Action
from bole.cases.models import CaseTask, Meeting
from bole.cases.services import case_transition, task_decline

pytestmark = pytest.mark.django_db


def _pick(client, source, q):
    return client.get(f"/pick/{source}/", {"q": q}).content.decode()


def test_desk_form_uses_pickers_for_units_handlers_and_head(login, users, county, catchall):
    c = login("admin")
    page = c.get(f"/cases/desks/{catchall.pk}/edit/").content.decode()
    for name in ("assignable_units", "handlers", "head"):
        assert f'name="{name}_q"' in page and f'<select name="{name}"' not in page
    assert "picker.js" in page
    assert "town1" in _pick(c, "desk-handlers", "town") and "ent" not in _pick(c, "desk-handlers", "ent")
    assert "张三" in _pick(c, "desk-heads", "张")  # a section-level leader
    assert "李四" not in _pick(c, "desk-heads", "李")  # a villager without a login is no desk head
    # Only a county admin configures desks, so only a county admin searches the candidates.
    town = login("town1")
    assert "town1" not in _pick(town, "desk-handlers", "town") and "张三" not in _pick(town, "desk-heads", "张")


def test_case_units_follow_the_desks_a_user_handles(login, users, county, catchall):
    c = login("town1")
    assert "县委组织部" not in _pick(c, "case-units", "县委")  # handles no desk: assigns nowhere
    catchall.handlers.add(users["town1"])
    assert "县委组织部" in _pick(c, "case-units", "县委")  # a desk without a list assigns county-wide
    catchall.assignable_units.set([county["u1"]])
    assert "县委组织部" not in _pick(c, "case-units", "县委") and "武康街道党工委" in _pick(c, "case-units", "武康")


def test_case_page_assigns_with_unit_pickers_and_refuses_a_unit_off_the_desks_list(login, users, county, catchall,
                                                                                   new_case):
    case = case_transition(case=new_case(), action=Action.ACCEPT, actor=users["admin"])
    catchall.assignable_units.set([county["u1"], county["u2"]])
    c = login("admin")
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="lead_unit_q"' in page and 'name="co_unit_q"' in page and '<select name="lead_unit"' not in page
    r = c.post(f"/cases/{case.pk}/act/", {"action": "assign", "lead_unit": county["dept"].pk})
    case.refresh_from_db()
    assert r.status_code == 302 and case.state == "accepted" and case.lead_unit is None
    assert "不在本受理台可交办的单位中" in c.get(f"/cases/{case.pk}/").content.decode()
    c.post(f"/cases/{case.pk}/act/", {"action": "assign", "lead_unit_q": "武康街道党工委", "co_unit": county["u2"].pk,
                                      "co_task": "核实权属"})
    case.refresh_from_db()
    assert case.state == "assigned" and case.lead_unit == county["u1"] and case.tasks.get().unit == county["u2"]


def test_declined_sub_task_is_reassigned_from_the_case_page(login, users, county, new_case, clock):
    case = case_transition(case=new_case(), action=Action.ACCEPT, actor=users["admin"])
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"],
                           co_units=[{"unit": county["u2"], "description": "协助", "deadline_days": 3}])
    task = case.tasks.get()
    task_decline(task=task, reason="不在本街道辖区", actor=users["town2"])
    c = login("admin")
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert f'name="r{task.pk}-unit_q"' in page and "改派" in page
    r = c.post(f"/cases/tasks/{task.pk}/", {"op": "reassign", f"r{task.pk}-unit": county["dept"].pk})
    assert r.status_code == 302
    assert CaseTask.objects.filter(case=case, unit=county["dept"], state="open").exists()


def test_meeting_form_picks_units(login, users, county, new_case):
    case = case_transition(case=new_case(), action=Action.ACCEPT, actor=users["admin"])
    c = login("admin")
    page = c.get(f"/cases/{case.pk}/meeting/").content.decode()
    assert 'name="units_q"' in page and 'name="decision_unit_q"' in page and "<option" not in page
    r = c.post(f"/cases/{case.pk}/meeting/", {
        "held_at": "2024-03-05T10:00", "minutes": "三方协商", "units": [county["u1"].pk, county["dept"].pk],
        "decision": "街道牵头修路", "decision_unit_q": "舞阳街道党工委"})
    assert r.status_code == 302
    meeting = Meeting.objects.get(case=case)
    assert set(meeting.units.all()) == {county["u1"], county["dept"]}
    assert meeting.decisions.get().owner_unit == county["u2"]
