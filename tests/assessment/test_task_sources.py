"""个人任务完成率 across every source: challenge milestones, project milestones, case sub-tasks and owned cases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.cases.conftest import TZ, Clock
from tests.challenges.conftest import Driver

D = dt.date


@pytest.fixture
def clock(monkeypatch):
    c = Clock(dt.datetime(2026, 5, 1, 9, 0, tzinfo=TZ))
    monkeypatch.setattr("bole.cases.calendar.now", c)
    return c


def _challenge_milestones(county, users):
    """张三 alone holds a challenge with milestones due 06-30, 07-01, 08-20 and 10-01 (2026).

    06-30 delivered 06-29 (before the quarter), 07-01 delivered 07-01 (first day: on time),
    08-20 delivered 08-25 (late), 10-01 open (after the quarter). Q3: assigned 2, completed 1."""
    from bole.challenges import services

    drive = Driver(county, users)
    pub = drive.pub
    ch = services.challenge_create(
        actor=pub, publisher_unit=county["u1"], title="盘活闲置厂房", goal="目标", criteria="标准",
        apply_until=D(2026, 6, 1), deadline=D(2026, 12, 31),
        milestones=[{"title": f"节点{i}", "due_date": d}
                    for i, d in enumerate([D(2026, 6, 30), D(2026, 7, 1), D(2026, 8, 20), D(2026, 10, 1)])])
    services.challenge_transition(challenge=ch, to="published", actor=pub, on=D(2026, 5, 1))
    app = services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="方案", actor=users["cadre"],
                                   on=D(2026, 5, 2))
    services.application_transition(application=app, to="shortlisted", actor=pub)
    services.challenge_award(challenge=ch, applications=[app], actor=pub, on=D(2026, 5, 3))
    drive.start(ch)
    drive.panel(ch)
    stones = list(ch.milestones.order_by("due_date"))
    for m, day in ((stones[0], D(2026, 6, 29)), (stones[1], D(2026, 7, 1)), (stones[2], D(2026, 8, 25))):
        services.progress_report(challenge=ch, author=county["zhangsan"], text="完成", milestone=m,
                                 for_acceptance=True, actor=users["cadre"], on=day)
        drive.accept_milestone(m, on=day + dt.timedelta(days=3))


def _project_milestones(county, users, clock):
    """张三 leads a project signed Monday 2026-08-03 with milestones 5, 10 and 50 working days later:
    08-10 reached 08-10 (on time), 08-17 reached 08-19 (late), mid-October (after the quarter).
    Q3: assigned 2, completed 1."""
    from bole.projects import services
    from bole.projects.models import Milestone

    admin = users["admin"]
    p = services.project_create(name="智能装备产业园", kind="industry", investment=3, region=county["t1"],
                                unit=county["u1"], leads=[county["zhangsan"]],
                                milestones=[("p1", 5), ("p2", 10), ("p3", 50)], actor=admin)
    clock.set(2026, 8, 3, 9)
    services.project_transition(project=p, to="signed", signed_on=D(2026, 8, 3), actor=admin)
    m = {x.name: x for x in Milestone.objects.filter(project=p)}
    assert (m["p1"].planned_on, m["p2"].planned_on) == (D(2026, 8, 10), D(2026, 8, 17))
    assert m["p3"].planned_on > D(2026, 9, 30)
    clock.set(2026, 8, 20, 9)
    services.milestone_complete(milestone=m["p1"], done_on=D(2026, 8, 10), actor=admin)
    services.milestone_complete(milestone=m["p2"], done_on=D(2026, 8, 19), actor=admin)


def _cases(county, users, clock, catchall):
    """Cases 张三 owns and sub-tasks he answers for (his unit 武康街道党工委 co-handles 王五's case).

    Owned cases: C3 deadline 06-29 (before the quarter, on time: not counted); C1 deadline 07-13 resolved 07-13
    18:00 (on time); C2 deadline 07-20 resolved 07-21 (late). Sub-tasks of C4 (王五's): T5 deadline 08-14 done
    08-14 22:30 (on time); T1 deadline 09-15 done 09-16 07:00 Beijing time (late, although still 09-15 in UTC);
    T3 deadline 09-10 open; T2 deadline 10-09 done (after the quarter). 李四 answers for T4 (08-03, done 07-31).
    Q3: 张三 assigned 2 cases + 3 sub-tasks = 5, completed 1 + 1 = 2; 李四 1 of 1; 王五's C4 is due in Q4."""
    from bole.cases import services

    admin, cat = users["admin"], catchall.categories.get(name="职能交叉不好管")

    def case(title, days, owner, unit, **assign):
        c = services.case_submit(desk=catchall, category=cat, title=title, description=f"{title}，多年无人牵头。",
                                 submitter_kind="enterprise", submitter_enterprise=county["e1"], actor=users["ent"])
        c = services.case_transition(case=c, action="accept", actor=admin, deadline_days=days)
        c = services.case_transition(case=c, action="assign", actor=admin, lead_unit=unit, owner=owner, **assign)
        return services.case_transition(case=c, action="start", actor=admin)

    def resolve(c, *at):
        clock.set(*at)
        return services.case_transition(case=c, action="resolve", actor=admin, resolution="已协调解决")

    zs, u1 = county["zhangsan"], county["u1"]
    clock.set(2026, 6, 22, 9)  # Monday
    c3 = case("厂区围墙倒塌", 5, zs, u1)
    assert c3.deadline == D(2026, 6, 29)
    resolve(c3, 2026, 6, 26, 10)
    clock.set(2026, 7, 6, 9)  # Monday
    c1, c2 = case("排污管道堵塞", 5, zs, u1), case("路灯损坏", 10, zs, u1)
    c4 = case("厂房产权不清", 90, county["wangwu"], county["u2"],
              co_units=[{"unit": u1, "description": "核实土地权属", "deadline": D(2026, 9, 15), "owner": zs}])
    assert (c1.deadline, c2.deadline) == (D(2026, 7, 13), D(2026, 7, 20)) and c4.deadline > D(2026, 10, 9)
    t1 = c4.tasks.get()
    t3 = services.task_add(case=c4, unit=u1, description="提供历史档案", deadline=D(2026, 9, 10), owner=zs, actor=admin)
    t5 = services.task_add(case=c4, unit=u1, description="走访企业", deadline=D(2026, 8, 14), owner=zs, actor=admin)
    t2 = services.task_add(case=c4, unit=u1, description="跟踪回访", deadline=D(2026, 10, 9), owner=zs, actor=admin)
    t4 = services.task_add(case=c4, unit=county["u1v"], description="村里出具证明", deadline=D(2026, 8, 3),
                           owner=county["lisi"], actor=admin)
    resolve(c1, 2026, 7, 13, 18)
    resolve(c2, 2026, 7, 21, 9)
    for task, at in ((t4, (2026, 7, 31, 9)), (t5, (2026, 8, 14, 22, 30)), (t1, (2026, 9, 16, 7)),
                     (t2, (2026, 9, 20, 9))):
        clock.set(*at)
        services.task_complete(task=task, result="已办", actor=admin)
    assert t3.state == "open"


@pytest.fixture
def quarter(county, users, clock):
    """Every source filled for 2026Q3 through the real services."""
    from bole.cases.desks import desks_ensure

    catchall = desks_ensure(actor=users["admin"])["catchall"]
    _challenge_milestones(county, users)
    _project_milestones(county, users, clock)
    _cases(county, users, clock, catchall)
    return county


def test_cases_provider_hand_computed(quarter):
    from bole.cases.selectors import case_tasks

    ids = np.array(sorted([quarter["zhangsan"].pk, quarter["lisi"].pk, quarter["wangwu"].pk]), dtype=np.int64)
    completed, assigned = case_tasks(ids, "2026Q3")
    got = {int(i): (int(c), int(a)) for i, c, a in zip(ids, completed, assigned, strict=True)}
    assert got == {quarter["zhangsan"].pk: (2, 5), quarter["lisi"].pk: (1, 1), quarter["wangwu"].pk: (0, 0)}
    # the whole year adds C3 (06-29, on time), T2 (10-09, on time) and 王五's C4
    completed, assigned = case_tasks(ids, "2026")
    got = {int(i): (int(c), int(a)) for i, c, a in zip(ids, completed, assigned, strict=True)}
    assert got[quarter["zhangsan"].pk] == (4, 7) and got[quarter["wangwu"].pk] == (0, 1)


def test_task_rate_adds_every_source(quarter, django_assert_max_num_queries):
    """张三 in 2026Q3: challenges 1/2, project milestones 1/2, cases 2/5 → 4 of 9 tasks = 44.44%."""
    from bole.assessment.providers import task_sources

    ids = np.array([quarter["zhangsan"].pk], dtype=np.int64)
    with django_assert_max_num_queries(8):
        sources = task_sources(ids, "2026Q3")
    got = {name: (int(c[0]), int(a[0])) for name, (_label, c, a) in sources.items()}
    assert got == {"manual": (0, 0), "challenges": (1, 2), "project_milestones": (1, 2), "cases": (2, 5)}


def test_assessment_indicator_and_explanation(quarter, users, client):
    from bole.assessment import services
    from bole.assessment.models import Result

    scheme = services.scheme_create(
        actor=None, name="科级领导干部季度考核", target="section_leader", period_kind="quarter",
        indicators=[{"code": "task", "name": "个人任务完成率", "kind": "task_rate", "weight": 100,
                     "normalisation": "raw"}])
    rnd = services.round_create(scheme=scheme, period="2026Q3", actor=None)
    services.round_transition(round=rnd, to="collecting", actor=None)
    services.round_transition(round=rnd, to="computed", actor=None)
    result = Result.objects.get(round=rnd, person=quarter["zhangsan"])
    assert result.breakdown["raw"][0] == pytest.approx(400 / 9, abs=1e-6)
    detail = result.breakdown["detail"]["task"]
    assert (detail["completed"], detail["assigned"]) == (4, 9)
    assert (detail["completed:cases"], detail["assigned:cases"]) == (2, 5)
    client.force_login(users["admin"])
    page = client.get(f"/assessment/rounds/{rnd.pk}/people/{quarter['zhangsan'].pk}/").content.decode()
    assert "诉求与协办任务 2/5" in page and "揭榜挂帅节点 1/2" in page and "重点项目节点 1/2" in page
