"""Project state machine, milestone plan and lights, difficulties as cases, frontline points, task counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.core.models import AuditEvent
from bole.ledger.models import PointEntry
from bole.projects import schedule, selectors, services
from bole.projects.choices import ProjectStatus
from bole.projects.models import Milestone, Project

from .conftest import solve

ALL = list(ProjectStatus.values)


def test_forbidden_transitions_are_refused(project, users):
    for src in ALL:
        for dst in ALL:
            if dst in services.TRANSITIONS[src]:
                continue
            Project.objects.filter(pk=project.pk).update(status=src)  # test set-up only
            project.refresh_from_db()
            with pytest.raises(ValidationError):
                services.project_transition(project=project, to=dst, actor=users["admin"])
            assert Project.objects.get(pk=project.pk).status == src, (src, dst)


def test_allowed_transitions(project, users):
    before = AuditEvent.objects.filter(object_type="projects.project", action="transition").count()
    n = 0
    for src in ALL:
        for dst in services.TRANSITIONS[src]:
            Project.objects.filter(pk=project.pk).update(status=src)
            Milestone.objects.filter(project=project).update(done_on=dt.date(2025, 3, 5) if dst == "completed" else None)
            project.refresh_from_db()
            services.project_transition(project=project, to=dst, actor=users["town1"])
            assert Project.objects.get(pk=project.pk).status == dst
            n += 1
    assert AuditEvent.objects.filter(object_type="projects.project", action="transition").count() == before + n


def test_completion_needs_every_milestone(project, users):
    services.project_transition(project=project, to="building", actor=users["admin"])
    with pytest.raises(ValidationError):
        services.project_transition(project=project, to="completed", actor=users["admin"])


def test_only_the_responsible_units_move_a_project(project, users):
    for who in ("town2", "cadre"):
        with pytest.raises(PermissionDenied):
            services.project_transition(project=project, to="building", actor=users[who])


def test_signing_plans_milestones_in_working_days(project):
    planned = dict(project.milestones.values_list("name", "planned_on"))
    # Signed Mon 2025-03-03: +3 working days is Thu 03-06, +20 is Mon 03-31 (no holiday in March);
    # +60: April has 20 working days after 03-31 (清明 04-04 off, Sun 04-27 worked) → 40 by 04-30; 劳动节
    # 05-01..05 off; 05-06..09 (4), two full weeks (10), then 05-26..29 (4) → 60 on Thu 2025-05-29.
    assert planned == {"土地挂牌": dt.date(2025, 3, 6), "方案评审": dt.date(2025, 3, 31),
                       "设备进驻": dt.date(2025, 5, 29)}


@pytest.mark.parametrize(("today", "light"), [((2025, 3, 10), "green"), ((2025, 3, 28), "yellow"),
                                              ((2025, 3, 31), "yellow"), ((2025, 4, 1), "red")])
def test_milestone_light_follows_the_working_calendar(project, clock, users, today, light):
    services.milestone_complete(milestone=project.milestones.get(name="土地挂牌"), done_on=dt.date(2025, 3, 6),
                                actor=users["town1"])
    clock.set(*today, 9)
    lights = {m.name: c for m, c in selectors.milestones_with_lights(project)}
    assert lights["土地挂牌"] == "done"
    assert lights["方案评审"] == light
    assert selectors.project_lights([project])[project.pk] == light


def test_late_milestone_is_marked_and_not_counted_on_time(project, clock, users):
    clock.set(2025, 3, 12, 9)
    m = services.milestone_complete(milestone=project.milestones.get(name="土地挂牌"), done_on=dt.date(2025, 3, 11),
                                    actor=users["admin"])
    assert m.on_time is False
    assert selectors.milestones_with_lights(project)[0][1] == "late"
    with pytest.raises(ValidationError):  # recorded once
        services.milestone_complete(milestone=m, done_on=dt.date(2025, 3, 11), actor=users["admin"])
    with pytest.raises(PermissionDenied):  # the lead does not sign off their own milestones
        services.milestone_complete(milestone=project.milestones.get(name="方案评审"), done_on=dt.date(2025, 3, 11),
                                    actor=users["cadre"])


def test_difficulty_is_a_case_linked_to_the_project(project, users, county):
    case = services.difficulty_log(project=project, title="项目用地指标不足", description="需要调剂新增建设用地指标 30 亩。",
                                   actor=users["cadre"])
    assert case.desk.code == "project" and case.ref == project and case.submitter_person == county["zhangsan"]
    assert list(selectors.difficulties_of(user=users["cadre"], project=project)) == [case]
    from bole.org.services import account_create

    other = account_create(username="ww", role="cadre", scope=county["wangwu"].id_number, password="pass-1234-word",
                           actor=None)
    with pytest.raises(PermissionDenied):
        services.difficulty_log(project=project, title="不相干的人", description="不是领办领导", actor=other)


def test_frontline_points_for_solved_difficulties_and_on_time_milestones(project, users, county, clock):
    services.milestone_complete(milestone=project.milestones.get(name="土地挂牌"), done_on=dt.date(2025, 3, 5),
                                actor=users["town1"])
    case = services.difficulty_log(project=project, title="电力增容审批慢", description="需要供电公司提前介入。",
                                   actor=users["cadre"])
    solve(case, users, county["dept"])
    assert selectors.frontline_scores(period="2025Q1") == {
        county["zhangsan"].pk: {"difficulties": 1, "milestones": 1, "score": Decimal("0.8")}}
    assert services.frontline_settle(period="2025Q1", actor=users["admin"]) == 2
    assert services.frontline_settle(period="2025Q1", actor=users["admin"]) == 0  # once per record and lead
    entries = PointEntry.objects.filter(category__code="frontline", person=county["zhangsan"])
    assert sorted(e.points for e in entries) == [Decimal("0.30"), Decimal("0.50")]
    assert {e.status for e in entries} == {"approved"} and {e.period for e in entries} == {"2025Q1"}
    assert services.frontline_settle(period="2025Q2", actor=users["admin"]) == 0
    with pytest.raises(PermissionDenied):
        services.frontline_settle(period="2025Q1", actor=users["town1"])
    # ... and the score as the assessment's manual value `frontline`
    from bole.assessment.models import ManualValue

    assert services.frontline_publish(period="2025Q1", actor=users["admin"]) == 1
    mv = ManualValue.objects.get(metric="frontline", period="2025Q1")
    assert mv.person_id == county["zhangsan"].pk and mv.value == Decimal("0.8")


def test_frontline_settle_once_per_lead_after_a_move(project, users, county, clock):
    """A lead who changed units between two settlements is not paid again for the same record."""
    from bole.org.services import person_update

    services.milestone_complete(milestone=project.milestones.get(name="土地挂牌"), done_on=dt.date(2025, 3, 5),
                                actor=users["town1"])
    assert services.frontline_settle(period="2025Q1", actor=users["admin"]) == 1
    person_update(person=county["zhangsan"], unit=county["u2"], actor=None)
    assert services.frontline_settle(period="2025Q1", actor=users["admin"]) == 0
    assert PointEntry.objects.filter(category__code="frontline", person=county["zhangsan"]).count() == 1


def test_task_completion_rate_hand_computed(county, users, desks, clock):
    """张三 leads A and B, 王五 leads B. 2025Q1 milestones of A: two on time, one open; of B: one late (b1), and b2
    is planned in Q2. 张三: assigned 4, completed 2 (50%); 王五: assigned 1, completed 0 (0%); 李四: none."""
    from bole.assessment.compute import _task_rate
    from bole.assessment.providers import task_counts

    admin = users["admin"]
    a = services.project_create(name="A", kind="industry", investment=1, region=county["t1"], unit=county["u1"],
                                leads=[county["zhangsan"]], milestones=[("a1", 3), ("a2", 5), ("a3", 10)], actor=admin)
    b = services.project_create(name="B", kind="urban", investment=2, region=county["t2"], unit=county["u2"],
                                leads=[county["zhangsan"], county["wangwu"]], milestones=[("b1", 3), ("b2", 40)],
                                actor=admin)
    for p in (a, b):
        services.project_transition(project=p, to="signed", signed_on=dt.date(2025, 3, 3), actor=admin)
    m = {x.name: x for x in Milestone.objects.filter(project__in=[a, b])}
    assert m["b2"].planned_on > dt.date(2025, 3, 31)  # Q2
    services.milestone_complete(milestone=m["a1"], done_on=dt.date(2025, 3, 6), actor=admin)  # on time (03-06)
    services.milestone_complete(milestone=m["a2"], done_on=dt.date(2025, 3, 10), actor=admin)  # planned 03-10: on time
    clock.set(2025, 3, 20, 9)
    services.milestone_complete(milestone=m["b1"], done_on=dt.date(2025, 3, 19), actor=admin)  # late (planned 03-06)
    # a3 (planned 03-17) stays open.
    ids = np.array(sorted([county["zhangsan"].pk, county["wangwu"].pk, county["lisi"].pk]), dtype=np.int64)
    completed, assigned, by_source = task_counts(ids, "2025Q1")
    got = {int(i): (int(c), int(n)) for i, c, n in zip(ids, completed, assigned, strict=True)}
    assert got == {county["zhangsan"].pk: (2, 4), county["wangwu"].pk: (0, 1), county["lisi"].pk: (0, 0)}
    assert "project_milestones" in by_source
    rate, _detail = _task_rate(type("R", (), {"period": "2025Q1"})(), None, ids, None, {})
    assert rate[list(ids).index(county["zhangsan"].pk)] == pytest.approx(50.0)
    assert rate[list(ids).index(county["wangwu"].pk)] == pytest.approx(0.0)
    assert np.isnan(rate[list(ids).index(county["lisi"].pk)])


def test_bulk_history_plans_like_signing(county, users, desks):
    rows = [{"name": f"P{i}", "kind": "industry", "investment": 3, "region": county["t1"], "unit": county["u1"],
             "leads": [county["zhangsan"]], "team": [county["lisi"]], "status": "building",
             "signed_on": dt.date(2025, 3, 3), "milestones": [("土地挂牌", 3, dt.date(2025, 3, 5)), ("方案评审", 20)]}
            for i in range(3)]
    made = services.project_bulk_history(rows=rows, actor=users["admin"])
    assert len(made) == 3
    assert set(Milestone.objects.filter(project__in=made, name="方案评审").values_list("planned_on", flat=True)) == {
        dt.date(2025, 3, 31)}
    assert AuditEvent.objects.filter(object_type="projects.project", action="import").count() == 3
    assert selectors.project_counts(Project.objects.all())["key_projects"] == 3


def test_schedule_project_colour_rules():
    assert schedule.project_colour("building", ["done", "red", "yellow"]) == "red"
    assert schedule.project_colour("building", ["done", "late"]) == "done"
    assert schedule.project_colour("planning", ["none"]) == "none"
    assert schedule.project_colour("completed", ["done"]) == "done"
