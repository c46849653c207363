"""Each one-per-X rule of the evaluation engine under 50 simultaneous requests: the database keeps one row.

(Ballots have their own exactly-once test in test_concurrency.py.)
"""

from __future__ import annotations

import pytest

from bole.evaluation import services
from bole.evaluation.choices import SignoffState
from bole.evaluation.models import EventJudge, JudgeScore, Signoff, Subject

from ..race import RACERS, race


@pytest.fixture
def draft(users):
    return services.evaluation_create(actor=users["admin"], name="2025年度实绩比拼", kind="contest")


@pytest.fixture
def signoff_panel(county, users):
    """An open sign-off panel of 武康街道 with two members and one subject awaiting verdicts."""
    town = users["town1"]
    ev = services.evaluation_create(actor=town, name="节点验收组", kind="signoff", unit=county["u1"],
                                    subject_kind="entry")
    seats = [services.judge_add(evaluation=ev, person=county[k], actor=town) for k in ("qianqi", "wangwu")]
    services.evaluation_transition(evaluation=ev, to="open", actor=town)
    subject = services.subject_add(evaluation=ev, label="签订投资协议", actor=town)
    services.subject_signoff_transition(subject=subject, to=SignoffState.PENDING, actor=town)
    return {"ev": ev, "seats": seats, "subject": subject, "town": town}


@pytest.mark.django_db(transaction=True)
def test_one_subject_per_person(draft, county, users):
    outcomes = race(lambda i: services.subject_add(evaluation=draft, person=county["wangwu"], actor=users["admin"]))
    assert outcomes == {"ok": 1, "该人员已是测评对象": RACERS - 1}
    assert Subject.objects.filter(evaluation=draft, person=county["wangwu"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_seat_per_judge_account(draft, judges, users):
    outcomes = race(lambda i: services.judge_add(evaluation=draft, user=judges["judge2"], actor=users["admin"]))
    assert outcomes == {"ok": 1, "该账号已是本场评委": RACERS - 1}
    assert EventJudge.objects.filter(evaluation=draft, user=judges["judge2"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_seat_per_panel_member(signoff_panel, county):
    ev, town = signoff_panel["ev"], signoff_panel["town"]
    outcomes = race(lambda i: services.judge_add(evaluation=ev, person=county["zhaoliu"], actor=town))
    assert outcomes == {"ok": 1, "该人员已在本评审组中": RACERS - 1}
    assert EventJudge.objects.filter(evaluation=ev, person=county["zhaoliu"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_signoff_per_member_and_attempt(signoff_panel):
    seat, subject, town = signoff_panel["seats"][0], signoff_panel["subject"], signoff_panel["town"]
    outcomes = race(lambda i: services.signoff_record(seat=seat, subject=subject, verdict="pass", actor=town))
    assert outcomes == {"ok": 1, "已签署过本次验收": RACERS - 1}
    assert Signoff.objects.filter(judge=seat, subject=subject).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_score_per_judge_contestant_and_criterion(contest, judges):
    """A judge's phone re-sending the same form: every save succeeds, one score per criterion is kept."""
    seat, subject = contest["seats"][1], contest["subjects"][1]
    crits = contest["criteria"]
    outcomes = race(lambda i: services.judge_scores_save(
        seat=seat, subject=subject, actor=judges["judge2"], scores={c.pk: min(c.max_score, 1 + i % 9) for c in crits}))
    assert outcomes == {"ok": RACERS}
    assert JudgeScore.objects.filter(judge=seat, subject=subject).count() == len(crits)
