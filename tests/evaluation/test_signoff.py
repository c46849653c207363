"""验收评审 sign-off panels: seated members give pass/fail per subject per attempt, conflicts exclude a member."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bole.core.models import AuditEvent
from bole.evaluation import selectors, services
from bole.evaluation.choices import SignoffState
from bole.evaluation.models import Signoff

PW = "pass-1234-word"


@pytest.fixture
def member_accounts(county):
    """Cadre logins of two panel members (钱七, 王五) and of an outsider (李四)."""
    from bole.org.services import account_create

    return {key: account_create(username=key, role="cadre", scope=county[key].id_number, password=PW, actor=None)
            for key in ("qianqi", "wangwu", "lisi")}


@pytest.fixture
def panel(county, users):
    """An open sign-off panel of 武康街道 with three members and one subject awaiting its first verdicts."""
    town = users["town1"]
    ev = services.evaluation_create(actor=town, name="节点验收组", kind="signoff", unit=county["u1"],
                                    subject_kind="entry", description="验收标准：签订正式投资协议")
    seats = {key: services.judge_add(evaluation=ev, person=county[key], is_chair=key == "qianqi", actor=town)
             for key in ("qianqi", "wangwu", "zhaoliu")}
    services.evaluation_transition(evaluation=ev, to="open", actor=town)
    subject = services.subject_add(evaluation=ev, label="签订投资协议", actor=town)
    services.subject_signoff_transition(subject=subject, to=SignoffState.PENDING, actor=town)
    subject.refresh_from_db()
    return {"ev": ev, "seats": seats, "subject": subject, "town": town}


def _sign_all(panel, verdict="pass", skip=()):
    for key, seat in panel["seats"].items():
        if key not in skip:
            services.signoff_record(seat=seat, subject=panel["subject"], verdict=verdict,
                                    opinion="" if verdict == "pass" else "材料不全", actor=panel["town"])


def test_panel_is_an_evaluation_of_the_signoff_kind(panel):
    ev = panel["ev"]
    assert ev.kind == "signoff" and ev.status == "open"
    assert ev.get_kind_display() == "验收评审（通过/不通过）"
    assert panel["subject"].attempt == 1 and panel["subject"].signoff_state == "pending"
    names = [s.name for s in ev.judges.order_by("sort")]
    assert names == ["钱七", "王五", "赵六"]
    assert panel["seats"]["qianqi"].is_chair
    v = selectors.signoff_verdict(subject=panel["subject"])
    assert (v.passed, v.eligible, v.signed, v.failed) == (False, 3, 0, 0)
    assert v.waiting == ["钱七", "王五", "赵六"]
    assert any("尚未签署" in r for r in v.reasons)


def test_all_eligible_pass_is_accepted(panel):
    _sign_all(panel)
    v = selectors.signoff_verdict(subject=panel["subject"])
    assert (v.passed, v.eligible, v.signed, v.failed, v.waiting, v.reasons) == (True, 3, 3, 0, [], [])
    row = Signoff.objects.filter(subject=panel["subject"]).first()
    event = AuditEvent.objects.get(object_type="evaluation.signoff", object_id=str(row.pk))
    assert event.action == "create" and event.changes["verdict"] == [None, "pass"]


def test_one_fail_is_not_accepted(panel):
    _sign_all(panel, skip={"zhaoliu"})
    with pytest.raises(ValidationError, match="不通过时请写明意见"):
        services.signoff_record(seat=panel["seats"]["zhaoliu"], subject=panel["subject"], verdict="fail",
                                actor=panel["town"])
    services.signoff_record(seat=panel["seats"]["zhaoliu"], subject=panel["subject"], verdict="fail",
                            opinion="协议未盖章", actor=panel["town"])
    v = selectors.signoff_verdict(subject=panel["subject"])
    assert (v.passed, v.signed, v.failed) == (False, 3, 1)
    assert any("不通过" in r for r in v.reasons)


def test_conflict_excludes_the_member_who_then_cannot_sign(panel, county, member_accounts):
    seats, subject = panel["seats"], panel["subject"]
    with pytest.raises(ValidationError, match="回避事由"):
        services.judge_conflict_declare(seat=seats["wangwu"], reason=" ", actor=member_accounts["wangwu"])
    with pytest.raises(PermissionDenied):  # nobody declares a conflict for another member
        services.judge_conflict_declare(seat=seats["wangwu"], reason="同一科室", actor=member_accounts["qianqi"])
    services.judge_conflict_declare(seat=seats["wangwu"], reason="与揭榜人系同一科室", actor=member_accounts["wangwu"])
    seat = seats["wangwu"]
    seat.refresh_from_db()
    assert seat.conflicted and seat.conflict_reason == "与揭榜人系同一科室"
    event = AuditEvent.objects.filter(object_type="evaluation.eventjudge", object_id=str(seat.pk)).first()
    assert event.changes["conflict_reason"] == [None, "与揭榜人系同一科室"]
    with pytest.raises(ValidationError, match="已申请回避"):
        services.signoff_record(seat=seat, subject=subject, verdict="pass", actor=panel["town"])
    with pytest.raises(ValidationError, match="已申请回避"):
        services.judge_conflict_declare(seat=seat, reason="再次", actor=panel["town"])
    v = selectors.signoff_verdict(subject=subject)
    assert v.eligible == 2 and "王五" not in v.waiting
    _sign_all(panel, skip={"wangwu"})
    assert selectors.signoff_verdict(subject=subject).passed


def test_a_verdict_given_before_a_conflict_no_longer_counts(panel):
    services.signoff_record(seat=panel["seats"]["wangwu"], subject=panel["subject"], verdict="fail",
                            opinion="不同意", actor=panel["town"])
    services.judge_conflict_declare(seat=panel["seats"]["wangwu"], reason="近亲属", actor=panel["town"])
    _sign_all(panel, skip={"wangwu"})
    v = selectors.signoff_verdict(subject=panel["subject"])
    assert (v.passed, v.eligible, v.failed) == (True, 2, 0)


def test_every_member_conflicted_is_never_accepted(panel):
    for seat in panel["seats"].values():
        services.judge_conflict_declare(seat=seat, reason="回避", actor=panel["town"])
    v = selectors.signoff_verdict(subject=panel["subject"])
    assert not v.passed and v.eligible == 0
    assert any("没有可签署的成员" in r for r in v.reasons)


def test_a_new_attempt_resets_the_verdicts(panel):
    subject = panel["subject"]
    _sign_all(panel)
    assert selectors.signoff_verdict(subject=subject).passed
    services.subject_signoff_transition(subject=subject, to=SignoffState.CLOSED, actor=panel["town"])
    services.subject_signoff_transition(subject=subject, to=SignoffState.PENDING, actor=panel["town"])
    subject.refresh_from_db()
    assert subject.attempt == 2
    v = selectors.signoff_verdict(subject=subject)
    assert (v.passed, v.signed, v.failed) == (False, 0, 0)
    assert v.waiting == ["钱七", "王五", "赵六"]
    assert Signoff.objects.filter(subject=subject, attempt=1).count() == 3  # history is kept
    services.signoff_record(seat=panel["seats"]["qianqi"], subject=subject, verdict="pass", actor=panel["town"])
    with pytest.raises(ValidationError, match="已签署"):
        services.signoff_record(seat=panel["seats"]["qianqi"], subject=subject, verdict="fail", opinion="改主意",
                                actor=panel["town"])


STATES = list(SignoffState.values)


@pytest.mark.parametrize(("start", "to"), list(itertools.product(STATES, STATES)))
def test_signoff_round_moves(panel, start, to):
    town = panel["town"]
    subject = services.subject_add(evaluation=panel["ev"], label="完成土地摘牌", actor=town)
    for step in {"idle": [], "pending": ["pending"], "closed": ["pending", "closed"]}[start]:
        services.subject_signoff_transition(subject=subject, to=step, actor=town)
    subject.refresh_from_db()
    assert subject.signoff_state == start
    if to in services.SIGNOFF_TRANSITIONS[start]:
        services.subject_signoff_transition(subject=subject, to=to, actor=town)
        subject.refresh_from_db()
        assert subject.signoff_state == to
        event = AuditEvent.objects.filter(object_type="evaluation.subject", object_id=str(subject.pk),
                                          action="transition").first()
        assert event.changes["signoff_state"] == [start, to]
    else:
        n = AuditEvent.objects.count()
        with pytest.raises(ValidationError, match="不能从"):
            services.subject_signoff_transition(subject=subject, to=to, actor=town)
        assert AuditEvent.objects.count() == n


@pytest.mark.parametrize("state", ["idle", "closed"])
def test_no_signing_outside_a_pending_round(panel, state):
    town = panel["town"]
    subject = services.subject_add(evaluation=panel["ev"], label="成果交付", actor=town)
    if state == "closed":
        services.subject_signoff_transition(subject=subject, to="pending", actor=town)
        services.subject_signoff_transition(subject=subject, to="closed", actor=town)
    with pytest.raises(ValidationError, match="不在待签署状态"):
        services.signoff_record(seat=panel["seats"]["qianqi"], subject=subject, verdict="pass", actor=town)


def test_no_signing_once_the_panel_is_closed(panel):
    services.evaluation_transition(evaluation=panel["ev"], to="closed", actor=panel["town"])
    with pytest.raises(ValidationError, match="不能进行此操作"):
        services.signoff_record(seat=panel["seats"]["qianqi"], subject=panel["subject"], verdict="pass",
                                actor=panel["town"])
    with pytest.raises(ValidationError, match="不能进行此操作"):
        services.judge_conflict_declare(seat=panel["seats"]["qianqi"], reason="回避", actor=panel["town"])


def test_who_may_sign(panel, member_accounts, users):
    seat, subject = panel["seats"]["qianqi"], panel["subject"]
    for outsider in (member_accounts["lisi"], member_accounts["wangwu"], users["town2"]):
        with pytest.raises(PermissionDenied):
            services.signoff_record(seat=seat, subject=subject, verdict="pass", actor=outsider)
    with pytest.raises(PermissionDenied):  # only the organiser moves a round
        services.subject_signoff_transition(subject=subject, to="closed", actor=member_accounts["qianqi"])
    row = services.signoff_record(seat=seat, subject=subject, verdict="pass", opinion="同意", actor=member_accounts["qianqi"])
    assert row.recorded_by == member_accounts["qianqi"] and row.attempt == 1


def test_signoff_rules_of_other_kinds(contest, panel, county):
    admin_seat = contest["seats"][0]
    with pytest.raises(ValidationError, match="验收评审"):
        services.judge_conflict_declare(seat=admin_seat, reason="回避", actor=None)
    with pytest.raises(ValidationError, match="验收评审"):
        services.subject_signoff_transition(subject=contest["subjects"][0], to="pending", actor=None)
    with pytest.raises(ValidationError, match="已在"):
        services.judge_add(evaluation=panel["ev"], person=county["qianqi"], actor=None)
    with pytest.raises(ValidationError):  # a contest still needs judge accounts
        services.judge_add(evaluation=contest["ev"], person=county["lisi"], actor=None)


# --- the member's phone pages -------------------------------------------------------------------------


def test_member_signs_on_the_phone_page(client, panel, member_accounts):
    ev, subject = panel["ev"], panel["subject"]
    client.force_login(member_accounts["qianqi"])
    home = client.get(reverse("evaluation-judge-home"))
    assert "节点验收组" in home.content.decode()
    page = client.get(reverse("evaluation-judge-event", args=[ev.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "签订投资协议" in html and "待签署" in html
    form = client.get(reverse("evaluation-judge-subject", args=[ev.pk, subject.pk]))
    assert "通过" in form.content.decode() and "验收标准：签订正式投资协议" in form.content.decode()
    r = client.post(reverse("evaluation-judge-subject", args=[ev.pk, subject.pk]),
                    {"verdict": "fail", "opinion": ""})
    assert r.status_code == 200 and not Signoff.objects.exists()
    r = client.post(reverse("evaluation-judge-subject", args=[ev.pk, subject.pk]),
                    {"verdict": "pass", "opinion": "材料齐全"})
    assert r.status_code == 302
    row = Signoff.objects.get()
    assert (row.judge_id, row.verdict, row.opinion) == (panel["seats"]["qianqi"].pk, "pass", "材料齐全")
    assert "已签署" in client.get(reverse("evaluation-judge-event", args=[ev.pk])).content.decode()


def test_member_declares_a_conflict_on_the_phone_page(client, panel, member_accounts):
    ev = panel["ev"]
    client.force_login(member_accounts["wangwu"])
    r = client.post(reverse("evaluation-judge-conflict", args=[ev.pk]), {"reason": "与揭榜人系同一科室"})
    assert r.status_code == 302
    panel["seats"]["wangwu"].refresh_from_db()
    assert panel["seats"]["wangwu"].conflicted
    html = client.get(reverse("evaluation-judge-event", args=[ev.pk])).content.decode()
    assert "已申请回避" in html
    r = client.get(reverse("evaluation-judge-subject", args=[ev.pk, panel["subject"].pk]))
    assert "已申请回避" in r.content.decode() and "name=\"verdict\"" not in r.content.decode()


def test_outsiders_do_not_reach_the_signoff_pages(client, panel, member_accounts):
    ev = panel["ev"]
    client.force_login(member_accounts["lisi"])
    assert client.get(reverse("evaluation-judge-event", args=[ev.pk])).status_code == 404
    assert client.post(reverse("evaluation-judge-subject", args=[ev.pk, panel["subject"].pk]),
                       {"verdict": "pass"}).status_code == 404
    assert client.post(reverse("evaluation-judge-conflict", args=[ev.pk]), {"reason": "x"}).status_code == 404


def test_organiser_page_shows_the_verdicts(client, panel, users):
    _sign_all(panel, skip={"zhaoliu"})
    client.force_login(users["town1"])
    html = client.get(reverse("evaluation-detail", args=[panel["ev"].pk])).content.decode()
    assert "签订投资协议" in html and "赵六" in html and "2 / 3" in html
