"""Every allowed and forbidden move of the challenge, application and milestone state machines."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.challenges import services
from bole.challenges.choices import ApplicationStatus, ChallengeStatus, MilestoneStatus
from bole.core.models import AuditEvent

from .conftest import TODAY

STATES = list(ChallengeStatus.values)
PAIRS = list(itertools.product(STATES, STATES))
ALLOWED = [(a, b) for a, b in PAIRS if b in services.TRANSITIONS[a]]
FORBIDDEN = [(a, b) for a, b in PAIRS if b not in services.TRANSITIONS[a]]
CLOSURE = {"failed": "not_met", "withdrawn": "cancelled"}


def test_table_covers_the_design():
    assert len(ALLOWED) == 12
    for terminal in ("accepted", "failed", "withdrawn"):
        assert services.TRANSITIONS[terminal] == set()


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_allowed_challenge_move(db, make_challenge, drive, users, start, to):
    ch = drive.reach(make_challenge(), start)
    pub = users["town1"]
    if to == "awarded":
        drive.award(ch)
    else:
        if to == "delivered":
            drive.submit_all(ch)
        if to == "accepted":
            drive.accept_all(ch)
        services.challenge_transition(challenge=ch, to=to, closure=CLOSURE.get(to, ""), actor=pub, on=TODAY)
    ch.refresh_from_db()
    assert ch.status == to
    event = AuditEvent.objects.filter(object_type="challenges.challenge", object_id=str(ch.pk),
                                      action="transition").first()
    assert event.changes["status"] == [start, to]


@pytest.mark.parametrize(("start", "to"), FORBIDDEN)
def test_forbidden_challenge_move(db, make_challenge, drive, users, start, to):
    ch = drive.reach(make_challenge(), start)
    n = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="不能从"):
        services.challenge_transition(challenge=ch, to=to, closure=CLOSURE.get(to, ""), actor=users["admin"])
    ch.refresh_from_db()
    assert ch.status == start
    assert AuditEvent.objects.count() == n


def test_preconditions_of_moves(db, make_challenge, drive, users):
    pub = users["town1"]
    ch = make_challenge()
    ch.milestones.all().delete()
    with pytest.raises(ValidationError, match="节点"):
        services.challenge_transition(challenge=ch, to="published", actor=pub, on=TODAY)
    ch = drive.reach(make_challenge(), "published")
    with pytest.raises(ValidationError, match="选定"):
        services.challenge_transition(challenge=ch, to="awarded", actor=pub)
    ch = drive.reach(make_challenge(), "in_progress")
    with pytest.raises(ValidationError, match="提请验收"):
        services.challenge_transition(challenge=ch, to="delivered", actor=pub)
    drive.submit_all(ch)
    services.challenge_transition(challenge=ch, to="delivered", actor=pub)
    with pytest.raises(ValidationError, match="未通过验收"):
        services.challenge_transition(challenge=ch, to="accepted", actor=pub)


def test_honest_failure_is_kept_apart_from_abandonment(db, make_challenge, drive, users):
    pub, cadre = users["town1"], users["cadre"]
    ch = drive.reach(make_challenge(), "in_progress")
    with pytest.raises(ValidationError):  # 容错 is a failure, never a withdrawal
        services.challenge_transition(challenge=ch, to="withdrawn", closure="tolerated", actor=pub)
    with pytest.raises(ValidationError):
        services.challenge_transition(challenge=ch, to="failed", closure="abandoned", actor=pub)
    with pytest.raises(PermissionDenied):  # a holder cannot declare their own failure excused
        services.challenge_transition(challenge=ch, to="failed", closure="tolerated", actor=cadre)
    services.challenge_transition(challenge=ch, to="failed", closure="tolerated", note="政策调整，尽力未成", actor=pub)
    ch.refresh_from_db()
    assert (ch.status, ch.closure) == ("failed", "tolerated")

    other = drive.reach(make_challenge(), "in_progress")
    with pytest.raises(PermissionDenied):  # a holder cannot cancel the challenge for the publisher
        services.challenge_transition(challenge=other, to="withdrawn", closure="cancelled", actor=cadre)
    services.challenge_transition(challenge=other, to="withdrawn", closure="abandoned", actor=cadre)
    other.refresh_from_db()
    assert (other.status, other.closure) == ("withdrawn", "abandoned")


def test_who_may_move(db, make_challenge, drive, users, cadre2):
    ch = make_challenge()
    for name in ("town2", "unit1v", "cadre", "ent"):
        with pytest.raises(PermissionDenied):
            services.challenge_transition(challenge=ch, to="published", actor=users[name], on=TODAY)
    drive.reach(ch, "awarded")
    with pytest.raises(PermissionDenied):  # not a holder
        services.challenge_transition(challenge=ch, to="in_progress", actor=cadre2)
    services.challenge_transition(challenge=ch, to="in_progress", actor=users["cadre"])
    drive.submit_all(ch)
    services.challenge_transition(challenge=ch, to="delivered", actor=users["cadre"])
    drive.accept_all(ch)
    with pytest.raises(PermissionDenied):  # a holder cannot accept their own work
        services.challenge_transition(challenge=ch, to="accepted", actor=users["cadre"])
    services.challenge_transition(challenge=ch, to="accepted", actor=users["admin"])


APP_STATES = list(ApplicationStatus.values)
APP_PAIRS = list(itertools.product(APP_STATES, APP_STATES))


def _application_in(drive, ch, users, state):
    app = services.challenge_apply(challenge=ch, person=drive.county["zhangsan"], plan="方案", actor=users["cadre"],
                                   on=TODAY)
    path = {"submitted": [], "shortlisted": ["shortlisted"], "declined": ["declined"],
            "withdrawn": ["withdrawn"], "chosen": ["shortlisted"]}[state]
    for step in path:
        actor = users["cadre"] if step == "withdrawn" else users["town1"]
        services.application_transition(application=app, to=step, actor=actor)
    if state == "chosen":
        services.challenge_award(challenge=ch, applications=[app], actor=users["town1"], on=TODAY)
        app.refresh_from_db()
    return app


@pytest.mark.parametrize(("start", "to"), APP_PAIRS)
def test_application_moves(db, make_challenge, drive, users, start, to):
    ch = drive.reach(make_challenge(), "published")
    app = _application_in(drive, ch, users, start)
    assert app.status == start
    actor = users["cadre"] if to == "withdrawn" else users["town1"]
    if to in services.APPLICATION_TRANSITIONS[start]:
        services.application_transition(application=app, to=to, actor=actor)
        app.refresh_from_db()
        assert app.status == to
    else:
        with pytest.raises(ValidationError, match="不能从"):
            services.application_transition(application=app, to=to, actor=actor)


def test_application_rules(db, make_challenge, drive, users, cadre2, county):
    ch = make_challenge()
    with pytest.raises(ValidationError, match="揭榜期"):  # drafts take no applications
        services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="方案", actor=users["cadre"], on=TODAY)
    drive.publish(ch)
    with pytest.raises(PermissionDenied):  # nobody applies in someone else's name
        services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="方案", actor=cadre2, on=TODAY)
    with pytest.raises(ValidationError, match="个人揭榜"):
        services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="方案", actor=users["cadre"],
                                 members=[county["lisi"]], on=TODAY)
    app = services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="方案", actor=users["cadre"],
                                   on=TODAY)
    with pytest.raises(ValidationError, match="已揭过"):
        services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="方案", actor=users["cadre"], on=TODAY)
    with pytest.raises(ValidationError, match="揭榜期"):
        services.challenge_apply(challenge=ch, person=county["lisi"], plan="方案", actor=cadre2,
                                 on=ch.apply_until.replace(day=ch.apply_until.day + 1))
    with pytest.raises(PermissionDenied):  # applicants do not shortlist themselves
        services.application_transition(application=app, to="shortlisted", actor=users["cadre"])
    with pytest.raises(PermissionDenied):  # nor does another town
        services.application_transition(application=app, to="shortlisted", actor=users["town2"])
    with pytest.raises(PermissionDenied):  # only the applicant withdraws
        services.application_transition(application=app, to="withdrawn", actor=cadre2)


def test_team_award_names_every_member_and_declines_the_rest(db, make_challenge, drive, users, cadre2, county):
    ch = drive.reach(make_challenge(team=True), "published")
    a1 = services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="团队方案", actor=users["cadre"],
                                  members=[county["wangwu"]], on=TODAY)
    a2 = services.challenge_apply(challenge=ch, person=county["lisi"], plan="个人方案", actor=cadre2, on=TODAY)
    services.application_transition(application=a1, to="shortlisted", actor=users["town1"])
    with pytest.raises(ValidationError, match="不能从"):  # only shortlisted applications are chosen
        services.challenge_award(challenge=ch, applications=[a2], actor=users["town1"], on=TODAY)
    ch.refresh_from_db()
    services.challenge_award(challenge=ch, applications=[a1], actor=users["town1"], on=TODAY)
    holders = list(ch.holders.values_list("person__name", "is_lead"))
    assert holders == [("张三", True), ("王五", False)]
    a2.refresh_from_db()
    assert a2.status == "declined"


MS_STATES = list(MilestoneStatus.values)


def _milestone_in(drive, ch, users, state):
    m = ch.milestones.first()
    if state in {"submitted", "returned", "accepted"}:
        services.progress_report(challenge=ch, author=drive.county["zhangsan"], text="完成", milestone=m,
                                 for_acceptance=True, actor=users["cadre"], on=TODAY)
    if state == "returned":
        services.milestone_transition(milestone=m, to="returned", note="材料不全", actor=users["town1"])
    if state == "accepted":
        drive.accept_milestone(m)
    m.refresh_from_db()
    return m


@pytest.mark.parametrize(("start", "to"), list(itertools.product(MS_STATES, MS_STATES)))
def test_milestone_moves(db, make_challenge, drive, users, start, to):
    ch = drive.reach(make_challenge(), "in_progress")
    m = _milestone_in(drive, ch, users, start)
    assert m.status == start
    if to == "accepted" and start == "submitted":
        drive.sign_all(m)
    actor = users["cadre"] if to == "submitted" else users["town1"]
    if to in services.MILESTONE_TRANSITIONS[start]:
        services.milestone_transition(milestone=m, to=to, actor=actor, on=TODAY)
        m.refresh_from_db()
        assert m.status == to
    else:
        with pytest.raises(ValidationError, match="不能从"):
            services.milestone_transition(milestone=m, to=to, actor=actor, on=TODAY)


def test_resubmission_needs_fresh_signoffs(db, make_challenge, drive, users, county):
    ch = drive.reach(make_challenge(), "in_progress")
    drive.panel(ch)
    m = _milestone_in(drive, ch, users, "submitted")
    drive.sign_all(m)
    services.milestone_transition(milestone=m, to="returned", actor=users["town1"])
    services.progress_report(challenge=ch, author=county["zhangsan"], text="补充材料", milestone=m,
                             for_acceptance=True, actor=users["cadre"], on=TODAY)
    m.refresh_from_db()
    assert m.panel_subject.attempt == 2
    with pytest.raises(ValidationError, match="尚未签署"):
        services.milestone_transition(milestone=m, to="accepted", actor=users["town1"])
    drive.sign_all(m)
    services.milestone_transition(milestone=m, to="accepted", actor=users["town1"], on=TODAY)


def test_no_signing_outside_a_submission(db, make_challenge, drive, users):
    """Before a milestone is submitted and after it is returned or accepted, nobody signs it."""
    ch = drive.reach(make_challenge(), "in_progress")
    seat = drive.panel(ch)[0]
    m = ch.milestones.first()
    with pytest.raises(ValidationError, match="待验收"):
        services.milestone_signoff(milestone=m, seat=seat, verdict="pass", actor=drive.pub)
    m = _milestone_in(drive, ch, users, "returned")
    with pytest.raises(ValidationError, match="待验收"):
        services.milestone_signoff(milestone=m, seat=seat, verdict="pass", actor=drive.pub)
    from bole.evaluation.services import signoff_record

    with pytest.raises(ValidationError, match="不在待签署状态"):  # nor around the challenge, on the panel itself
        signoff_record(seat=seat, subject=m.panel_subject, verdict="pass", actor=drive.pub)
