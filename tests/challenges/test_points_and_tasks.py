"""Ledger postings on acceptance, the acceptance panel, the task-completion provider and the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.challenges import acceptance, selectors, services
from bole.core.figures import values
from bole.core.models import AuditEvent
from bole.ledger.models import PointEntry

from .conftest import TODAY


def _entries(ch):
    return list(PointEntry.objects.filter(category__code="challenge").order_by("id")
                .values_list("person__name", "points", "status", "period", "source_type__model"))


def test_acceptance_posts_the_whole_incentive(db, make_challenge, drive):
    ch = drive.reach(make_challenge(), "delivered")
    for m in ch.milestones.all():
        drive.accept_milestone(m)
    assert _entries(ch) == []  # nothing paid per milestone unless configured
    services.challenge_transition(challenge=ch, to="accepted", actor=drive.pub, on=TODAY)
    assert _entries(ch) == [("张三", Decimal("10.00"), "approved", "2026Q2", "challenge")]
    entry = PointEntry.objects.get(category__code="challenge")
    assert AuditEvent.objects.filter(object_type="ledger.pointentry", object_id=str(entry.pk)).exists()


def test_per_milestone_points_then_the_remainder(db, make_challenge, drive):
    ch = drive.reach(make_challenge(per_milestone=True), "in_progress")
    first, second = list(ch.milestones.all())
    drive.submit_all(ch)
    drive.accept_milestone(first, on=dt.date(2026, 6, 20))
    assert _entries(ch) == [("张三", Decimal("3.00"), "approved", "2026Q2", "milestone")]
    drive.accept_milestone(second, on=dt.date(2026, 7, 2))
    services.challenge_transition(challenge=ch, to="delivered", actor=drive.pub)
    services.challenge_transition(challenge=ch, to="accepted", actor=drive.pub, on=dt.date(2026, 7, 3))
    assert _entries(ch) == [
        ("张三", Decimal("3.00"), "approved", "2026Q2", "milestone"),
        ("张三", Decimal("2.00"), "approved", "2026Q3", "milestone"),
        ("张三", Decimal("5.00"), "approved", "2026Q3", "challenge"),
    ]
    assert sum(e[1] for e in _entries(ch)) == ch.incentive_points


def test_team_shares_the_points(db, make_challenge, drive, users, county):
    ch = drive.reach(make_challenge(team=True), "published")
    app = services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="团队", actor=users["cadre"],
                                   members=[county["lisi"]], on=TODAY)
    services.application_transition(application=app, to="shortlisted", actor=drive.pub)
    services.challenge_award(challenge=ch, applications=[app], actor=drive.pub, on=TODAY)
    drive.start(ch)
    drive.submit_all(ch)
    services.challenge_transition(challenge=ch, to="delivered", actor=drive.pub)
    drive.accept_all(ch)
    services.challenge_transition(challenge=ch, to="accepted", actor=drive.pub, on=TODAY)
    assert sorted((n, p) for n, p, *_ in _entries(ch)) == [("张三", Decimal("5.00")), ("李四", Decimal("5.00"))]


def test_failure_pays_nothing_more(db, make_challenge, drive):
    ch = drive.reach(make_challenge(per_milestone=True), "in_progress")
    first = ch.milestones.first()
    drive.submit_all(ch)
    drive.accept_milestone(first)
    services.challenge_transition(challenge=ch, to="failed", closure="tolerated", actor=drive.pub)
    assert [p for _n, p, *_ in _entries(ch)] == [Decimal("3.00")]


def test_milestone_points_cannot_exceed_the_incentive(db, make_challenge, drive):
    ch = make_challenge(per_milestone=True, points=6)
    with pytest.raises(ValidationError, match="不能超过"):
        services.milestone_add(challenge=ch, title="再加一个", due_date=ch.deadline, points=2, actor=drive.pub)


def test_panel_is_a_signoff_evaluation_of_the_publisher(db, make_challenge, drive, county):
    ch = drive.reach(make_challenge(), "awarded")
    assert ch.acceptance_panel is None
    drive.panel(ch)
    ch.refresh_from_db()
    ev = ch.acceptance_panel
    assert (ev.kind, ev.status, ev.unit) == ("signoff", "open", county["u1"])
    assert [(s.name, s.is_chair) for s in acceptance.panel_seats(ch)] == [("钱七", True), ("王五", False)]
    assert AuditEvent.objects.filter(object_type="evaluation.eventjudge", action="create").count() == 2
    drive.start(ch)
    drive.submit_all(ch)
    subjects = list(ev.subjects.order_by("sort").values_list("label", "signoff_state", "attempt"))
    assert subjects == [("签订投资协议", "pending", 1), ("完成土地摘牌", "pending", 1)]
    drive.accept_all(ch)
    assert set(ev.subjects.values_list("signoff_state", flat=True)) == {"closed"}
    services.challenge_transition(challenge=ch, to="delivered", actor=drive.pub)
    services.challenge_transition(challenge=ch, to="accepted", actor=drive.pub, on=TODAY)
    ev.refresh_from_db()
    assert ev.status == "closed"  # the panel stops sitting with the challenge


def test_panel_conflicts_and_verdicts(db, make_challenge, drive, users, county, cadre2):
    from bole.evaluation.services import judge_conflict_declare
    from bole.org.services import account_create

    ch = drive.reach(make_challenge(), "in_progress")
    with pytest.raises(ValidationError, match="挂帅人"):
        services.panel_member_add(challenge=ch, person=county["zhangsan"], actor=drive.pub)
    qian, wang = drive.panel(ch)
    with pytest.raises(ValidationError, match="已在"):
        services.panel_member_add(challenge=ch, person=county["wangwu"], actor=drive.pub)
    m = ch.milestones.first()
    drive.submit_all(ch)
    m.refresh_from_db()
    qian_user = account_create(username="qian", role="cadre", scope=county["qianqi"].id_number,
                               password="pass-1234-word", actor=None)
    with pytest.raises(PermissionDenied):  # a member signs only their own seat
        services.milestone_signoff(milestone=m, seat=wang, verdict="pass", actor=qian_user)
    with pytest.raises(PermissionDenied):  # the holder does not sign their own work
        services.milestone_signoff(milestone=m, seat=wang, verdict="pass", actor=users["cadre"])
    services.milestone_signoff(milestone=m, seat=qian, verdict="pass", actor=qian_user)
    with pytest.raises(ValidationError, match="王五"):
        services.milestone_transition(milestone=m, to="accepted", actor=drive.pub)
    with pytest.raises(ValidationError, match="写明意见"):
        services.milestone_signoff(milestone=m, seat=wang, verdict="fail", actor=drive.pub)
    services.milestone_signoff(milestone=m, seat=wang, verdict="fail", opinion="协议未盖章", actor=drive.pub)
    with pytest.raises(ValidationError, match="不通过"):
        services.milestone_transition(milestone=m, to="accepted", actor=drive.pub)
    # 王五 declares a conflict: his verdict no longer counts and he cannot sign again
    with pytest.raises(PermissionDenied):
        judge_conflict_declare(seat=wang, reason="与揭榜人同一科室", actor=qian_user)
    judge_conflict_declare(seat=wang, reason="与揭榜人同一科室", actor=drive.pub)
    wang.refresh_from_db()
    with pytest.raises(ValidationError, match="回避"):
        services.milestone_signoff(milestone=m, seat=wang, verdict="pass", actor=drive.pub)
    verdict = acceptance.panel_verdict(m)
    assert (verdict.passed, verdict.eligible, verdict.signed) == (True, 1, 1)
    services.milestone_transition(milestone=m, to="accepted", actor=drive.pub, on=TODAY)
    m.refresh_from_db()
    assert m.status == "accepted"


def test_one_fail_keeps_the_milestone_from_acceptance(db, make_challenge, drive):
    ch = drive.reach(make_challenge(), "in_progress")
    qian, wang = drive.panel(ch)
    drive.submit_all(ch)
    m = ch.milestones.first()
    services.milestone_signoff(milestone=m, seat=qian, verdict="pass", actor=drive.pub)
    services.milestone_signoff(milestone=m, seat=wang, verdict="fail", opinion="用地未摘牌", actor=drive.pub)
    verdict = acceptance.panel_verdict(m)
    assert (verdict.passed, verdict.signed, verdict.failed) == (False, 2, 1)
    with pytest.raises(ValidationError, match="不通过"):
        services.milestone_transition(milestone=m, to="accepted", actor=drive.pub)
    services.milestone_transition(milestone=m, to="returned", actor=drive.pub)
    m.refresh_from_db()
    assert m.status == "returned" and m.panel_subject.signoff_state == "closed"


def test_no_eligible_member_blocks_acceptance(db, make_challenge, drive):
    ch = drive.reach(make_challenge(), "in_progress")
    drive.submit_all(ch)
    ch.refresh_from_db()
    assert ch.acceptance_panel.status == "draft"  # the panel exists, but nobody sits on it yet
    with pytest.raises(ValidationError, match="可签署的成员"):
        services.milestone_transition(milestone=ch.milestones.first(), to="accepted", actor=drive.pub)
    drive.panel(ch)
    ch.refresh_from_db()
    assert ch.acceptance_panel.status == "open"
    drive.accept_all(ch)


def test_task_provider_hand_computed(db, make_challenge, drive, users, county):
    """2026Q3 (Jul–Sep). Challenge A (张三 alone): milestones due 07-10 (delivered 07-08, accepted: done),
    08-20 (delivered 08-25, accepted: late), 09-30 (open: not done), 10-15 (next quarter: not assigned).
    Challenge B (team 张三 + 李四): milestone due 09-01 (delivered 09-01, accepted: done for both).
    张三: completed 2 of 4; 李四: 1 of 1; 王五: 0 of 0."""
    from bole.assessment.providers import task_counts

    pub = drive.pub

    def challenge(dues, team):
        ch = services.challenge_create(
            actor=pub, publisher_unit=county["u1"], title=f"榜{len(dues)}", goal="目标", criteria="标准",
            apply_until=dt.date(2026, 6, 1), deadline=dt.date(2026, 12, 31), team_allowed=team,
            milestones=[{"title": f"节点{i}", "due_date": d} for i, d in enumerate(dues)])
        services.challenge_transition(challenge=ch, to="published", actor=pub, on=dt.date(2026, 5, 1))
        app = services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="方案", actor=users["cadre"],
                                       members=[county["lisi"]] if team else [], on=dt.date(2026, 5, 2))
        services.application_transition(application=app, to="shortlisted", actor=pub)
        services.challenge_award(challenge=ch, applications=[app], actor=pub, on=dt.date(2026, 5, 3))
        drive.start(ch)
        drive.panel(ch)
        return list(ch.milestones.order_by("due_date"))

    def deliver(m, day, accept=True):
        services.progress_report(challenge=m.challenge, author=county["zhangsan"], text="完成", milestone=m,
                                 for_acceptance=True, actor=users["cadre"], on=day)
        m.refresh_from_db()
        if accept:
            drive.accept_milestone(m, on=day + dt.timedelta(days=3))

    a = challenge([dt.date(2026, 7, 10), dt.date(2026, 8, 20), dt.date(2026, 9, 30), dt.date(2026, 10, 15)], False)
    deliver(a[0], dt.date(2026, 7, 8))
    deliver(a[1], dt.date(2026, 8, 25))
    b = challenge([dt.date(2026, 9, 1)], True)
    deliver(b[0], dt.date(2026, 9, 1))

    ids = np.array(sorted([county["zhangsan"].pk, county["lisi"].pk, county["wangwu"].pk]))
    completed, assigned = selectors.milestone_tasks(ids, "2026Q3")
    expect = {county["zhangsan"].pk: (2, 4), county["lisi"].pk: (1, 1), county["wangwu"].pk: (0, 0)}
    assert {int(i): (int(c), int(n)) for i, c, n in zip(ids, completed, assigned, strict=True)} == expect
    # the whole year: 张三 also has the 10-15 milestone
    completed, assigned = selectors.milestone_tasks(ids, "2026")
    assert int(assigned[list(ids).index(county["zhangsan"].pk)]) == 5
    # registered with the assessment
    _c, _a, by_source = task_counts(ids, "2026Q3")
    assert by_source["challenges"][1].tolist() == assigned_q3(ids, county)


def assigned_q3(ids, county):
    return [{county["zhangsan"].pk: 4, county["lisi"].pk: 1}.get(int(i), 0) for i in ids]


def test_cancelled_challenge_does_not_count_against_holders(db, make_challenge, drive):
    ch = drive.reach(make_challenge(), "in_progress")
    ids = np.array([drive.county["zhangsan"].pk])
    period = f"{TODAY.year}"
    assert selectors.milestone_tasks(ids, period)[1].tolist() == [2]
    services.challenge_transition(challenge=ch, to="withdrawn", closure="cancelled", actor=drive.pub)
    assert selectors.milestone_tasks(ids, period)[1].tolist() == [0]


def test_figures(db, make_challenge, drive, users):
    drive.reach(make_challenge(), "accepted")
    drive.reach(make_challenge(), "published")
    figures = values(user=users["admin"], only={"challenges"})
    assert figures == {"challenges": 2, "challenge_holders": 1}
