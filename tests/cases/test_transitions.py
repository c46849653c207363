"""The one transition service: every allowed and forbidden move, permissions, timeline and audit rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.cases.choices import Action, Rating, State
from bole.cases.models import Case, Decline, Event
from bole.cases.services import TRANSITIONS, case_transition, task_complete, task_decline, task_reassign
from bole.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _drive(case, to, county, users):
    """Move a fresh case to state `to` through the real service, as the right people."""
    admin, unit = users["admin"], users["town1"]
    path = {
        State.SUBMITTED: [],
        State.ACCEPTED: [(Action.ACCEPT, admin, {})],
        State.REJECTED: [(Action.REJECT, admin, {"reason": "不属于受理范围"})],
        State.MERGED: [(Action.MERGE, admin, {"into": None})],
        State.ASSIGNED: [(Action.ACCEPT, admin, {}), (Action.ASSIGN, admin, {"lead_unit": county["u1"]})],
        State.ARBITRATION: [(Action.ACCEPT, admin, {}), (Action.ASSIGN, admin, {"lead_unit": county["u1"]}),
                            (Action.DECLINE, unit, {"reason": "不属于本单位职责"})],
        State.IN_PROGRESS: [(Action.ACCEPT, admin, {}), (Action.ASSIGN, admin, {"lead_unit": county["u1"]}),
                            (Action.START, unit, {})],
        State.RESOLVED: [(Action.ACCEPT, admin, {}), (Action.ASSIGN, admin, {"lead_unit": county["u1"]}),
                         (Action.START, unit, {}), (Action.RESOLVE, unit, {"resolution": "已修复"})],
        State.CLOSED: [(Action.ACCEPT, admin, {}), (Action.ASSIGN, admin, {"lead_unit": county["u1"]}),
                       (Action.START, unit, {}), (Action.RESOLVE, unit, {"resolution": "已修复"}),
                       (Action.RATE, users["ent"], {"rating": Rating.SATISFIED})],
    }[to]
    for action, actor, params in path:
        case = case_transition(case=case, action=action, actor=actor, **params)
    return case


def _params(action, county, other):
    return {
        Action.ACCEPT: {}, Action.REJECT: {"reason": "理由"}, Action.ASSIGN: {"lead_unit": county["u1"]},
        Action.DECLINE: {"reason": "非本单位职责"}, Action.ARBITRATE: {"lead_unit": county["u2"]},
        Action.START: {}, Action.RESOLVE: {"resolution": "已办结"}, Action.RATE: {"rating": Rating.SATISFIED},
        Action.MERGE: {"into": other},
    }[action]


def _actor(action, users):
    if action in {Action.DECLINE, Action.START, Action.RESOLVE}:
        return users["town1"]
    if action == Action.RATE:
        return users["ent"]
    return users["admin"]


ALL = [(s, a) for s in State.values for a in Action.values]


@pytest.mark.parametrize(("state", "action"), ALL)
def test_transition_table_allows_exactly_the_listed_moves(state, action, county, users, new_case, clock):
    other = new_case(title="另一件", description="完全不同的内容")
    case = new_case()
    if state == State.MERGED:
        case = case_transition(case=case, action=Action.MERGE, actor=users["admin"], into=other)
    else:
        case = _drive(case, state, county, users)
    assert case.state == state
    if state == State.ASSIGNED and action == Action.ARBITRATE:
        pass
    if state == State.ARBITRATION and action == Action.ARBITRATE:
        # arbitration may go back to the same or another unit
        pass
    params = _params(action, county, other)
    if (state, action) in TRANSITIONS:
        events = Event.objects.filter(case=case).count()
        audits = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).count()
        moved = case_transition(case=case, action=action, actor=_actor(action, users), **params)
        assert moved.state == TRANSITIONS[(state, action)]
        assert Event.objects.filter(case=case, kind="transition").latest("id").action == action
        assert Event.objects.filter(case=case).count() > events
        last = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("-id").first()
        assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).count() == audits + 1
        assert last.action == "transition" and last.changes["state"] == [state, moved.state]
    else:
        with pytest.raises(ValidationError):
            case_transition(case=case, action=action, actor=_actor(action, users), **params)
        assert Case.objects.get(pk=case.pk).state == state


def test_accept_sets_deadline_on_working_calendar(new_case, users, clock):
    clock.set(2024, 2, 9, 10, 0)  # 除夕 2024 was a working day
    case = new_case(category_name="其他")
    case = case_transition(case=case, action=Action.ACCEPT, actor=users["admin"], deadline_days=3)
    import datetime as dt

    assert case.received_on == dt.date(2024, 2, 9)
    assert case.deadline == dt.date(2024, 2, 20)  # holidays 10–17 skipped, Sunday 18 is a make-up workday


@pytest.mark.parametrize("who", ["ent", "town1", "cadre", "unit1v"])
def test_only_desk_staff_accept_and_assign(who, new_case, users):
    case = new_case()
    with pytest.raises(PermissionDenied):
        case_transition(case=case, action=Action.ACCEPT, actor=users[who])


def test_desk_handler_may_run_the_desk(new_case, users, catchall, county):
    catchall.handlers.add(users["town2"])
    case = case_transition(case=new_case(), action=Action.ACCEPT, actor=users["town2"])
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["town2"], lead_unit=county["u1"])
    assert case.state == State.ASSIGNED


def test_other_town_cannot_handle_or_rate(new_case, users, county):
    case = _drive(new_case(), State.ASSIGNED, county, users)
    with pytest.raises(PermissionDenied):
        case_transition(case=case, action=Action.START, actor=users["town2"])
    case = _drive(new_case(title="x2", description="另一问题描述内容"), State.RESOLVED, county, users)
    with pytest.raises(PermissionDenied):
        case_transition(case=case, action=Action.RATE, actor=users["town1"], rating=Rating.SATISFIED)


def test_owner_person_handles_own_case(new_case, users, county):
    case = _drive(new_case(), State.ACCEPTED, county, users)
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"],
                           owner=county["zhangsan"])
    case = case_transition(case=case, action=Action.START, actor=users["cadre"])
    assert case.state == State.IN_PROGRESS


def test_owner_must_belong_to_lead_unit(new_case, users, county):
    case = _drive(new_case(), State.ACCEPTED, county, users)
    with pytest.raises(ValidationError):
        case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"],
                        owner=county["wangwu"])


def test_assignable_units_are_enforced(new_case, users, county, catchall):
    catchall.assignable_units.set([county["u2"]])
    case = _drive(new_case(), State.ACCEPTED, county, users)
    with pytest.raises(ValidationError):
        case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"])


def test_reject_needs_reason(new_case, users):
    with pytest.raises(ValidationError):
        case_transition(case=new_case(), action=Action.REJECT, actor=users["admin"], reason=" ")


def test_cannot_resolve_while_co_unit_task_open(new_case, users, county):
    case = _drive(new_case(), State.ACCEPTED, county, users)
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"],
                           co_units=[{"unit": county["u2"], "description": "核实舞阳段权属", "deadline_days": 3}])
    case = case_transition(case=case, action=Action.START, actor=users["town1"])
    task = case.tasks.get()
    with pytest.raises(ValidationError, match="协办"):
        case_transition(case=case, action=Action.RESOLVE, actor=users["town1"], resolution="已修")
    with pytest.raises(PermissionDenied):
        task_complete(task=task, result="已核实", actor=users["town1"])  # only the co-unit (or desk) completes
    task_complete(task=task, result="已核实，属街道", actor=users["town2"])
    case = case_transition(case=case, action=Action.RESOLVE, actor=users["town1"], resolution="已修")
    assert case.state == State.RESOLVED


def test_co_unit_decline_and_reassign_counts_declines(new_case, users, county, clock):
    case = _drive(new_case(), State.ACCEPTED, county, users)
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"],
                           co_units=[{"unit": county["u2"], "description": "协助", "deadline_days": 3}])
    task = case.tasks.get()
    task_decline(task=task, reason="不在本街道辖区", actor=users["town2"])
    assert Decline.objects.filter(unit=county["u2"]).count() == 1
    new = task_reassign(task=task, unit=county["dept"], actor=users["admin"])
    assert new.state == "open" and Decline.objects.get(unit=county["u2"]).reassigned_to == county["dept"]


def test_decline_within_window_goes_to_arbitration_and_is_counted(new_case, users, county, clock):
    case = _drive(new_case(), State.ASSIGNED, county, users)
    clock.advance(hours=5)
    case = case_transition(case=case, action=Action.DECLINE, actor=users["town1"], reason="属于舞阳街道辖区")
    assert case.state == State.ARBITRATION
    decline = Decline.objects.get(case=case)
    assert decline.unit == county["u1"] and decline.reason == "属于舞阳街道辖区"
    case = case_transition(case=case, action=Action.ARBITRATE, actor=users["admin"], lead_unit=county["u2"])
    assert case.state == State.ASSIGNED and case.lead_unit == county["u2"]
    assert Decline.objects.get(case=case).reassigned_to == county["u2"]
    with pytest.raises(PermissionDenied):  # the declining unit is no longer the handler
        case_transition(case=case, action=Action.START, actor=users["town1"])
    case_transition(case=case, action=Action.START, actor=users["town2"])


def test_decline_after_window_is_refused(new_case, users, county, clock):
    case = _drive(new_case(), State.ASSIGNED, county, users)
    clock.advance(hours=25)
    with pytest.raises(ValidationError, match="24"):
        case_transition(case=case, action=Action.DECLINE, actor=users["town1"], reason="晚了")


def test_decline_needs_reason(new_case, users, county):
    case = _drive(new_case(), State.ASSIGNED, county, users)
    with pytest.raises(ValidationError):
        case_transition(case=case, action=Action.DECLINE, actor=users["town1"], reason="")


def test_unsatisfied_reopens_once_one_level_up(new_case, users, county, clock):
    case = _drive(new_case(), State.ACCEPTED, county, users)
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1v"])
    case = case_transition(case=case, action=Action.START, actor=users["unit1v"])
    case = case_transition(case=case, action=Action.RESOLVE, actor=users["unit1v"], resolution="已协调")
    clock.advance(days=1)
    case = case_transition(case=case, action=Action.RATE, actor=users["ent"], rating=Rating.UNSATISFIED,
                           comment="问题没有解决")
    assert case.state == State.IN_PROGRESS
    assert case.reopen_count == 1 and case.level == 1 and case.review_unit == county["u1"]
    assert case.resolved_at is None and case.deadline > case.received_on
    # The parent unit (one level up) reviews and resolves it.
    case = case_transition(case=case, action=Action.RESOLVE, actor=users["town1"], resolution="街道牵头已解决")
    case = case_transition(case=case, action=Action.RATE, actor=users["ent"], rating=Rating.UNSATISFIED)
    assert case.state == State.CLOSED and case.rating == Rating.UNSATISFIED  # reopens only once


def test_satisfied_closes(new_case, users, county):
    case = _drive(new_case(), State.RESOLVED, county, users)
    case = case_transition(case=case, action=Action.RATE, actor=users["ent"], rating=Rating.BASIC)
    assert case.state == State.CLOSED and case.closed_at is not None


def test_rating_by_private_token(new_case, users, county):
    case = _drive(new_case(), State.RESOLVED, county, users)
    with pytest.raises(PermissionDenied):
        case_transition(case=case, action=Action.RATE, actor=None, token="wrong-token", rating=Rating.SATISFIED)
    case = case_transition(case=case, action=Action.RATE, actor=None, token=case.follow_token,
                           rating=Rating.SATISFIED)
    assert case.state == State.CLOSED


def test_merge_links_both_timelines(new_case, users):
    a = new_case()
    b = new_case(title="门口道路坏了", description="厂区门口道路破损，多年无人维修")
    b = case_transition(case=b, action=Action.MERGE, actor=users["admin"], into=a)
    assert b.state == State.MERGED and b.merged_into == a
    assert Event.objects.filter(case=a, kind="merge").exists()
    with pytest.raises(ValidationError):
        case_transition(case=new_case(title="x", description="y"), action=Action.MERGE, actor=users["admin"],
                        into=b)
