"""Services: set-up, the state machine, ballots, judges and results, each with its audit row."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from bole.core.models import AuditEvent
from bole.evaluation import selectors, services
from bole.evaluation.mixer import ballots_mix
from bole.evaluation.models import Ballot, BallotScore, BallotToken, EvaluationResult, QueuedBallot

from .conftest import answers_for


def _tokens(ev, code):
    return list(BallotToken.objects.filter(evaluation=ev, group__code=code).values_list("token", flat=True))


def test_create_writes_audit_row(users, county):
    ev = services.evaluation_create(actor=users["admin"], name="测评A", kind="ballot")
    assert ev.status == "draft" and ev.rule == "group_mean"
    assert AuditEvent.objects.filter(object_type="evaluation.evaluation", object_id=str(ev.pk), action="create").exists()


def test_contest_defaults_to_severity_rule(users):
    ev = services.evaluation_create(actor=users["admin"], name="擂台赛", kind="contest")
    assert ev.rule == "severity"


def test_unit_admin_creates_only_in_own_scope(users, county):
    with pytest.raises(ValidationError):
        services.evaluation_create(actor=users["town1"], name="越权", kind="ballot", unit=county["u2"])
    ev = services.evaluation_create(actor=users["town1"], name="本街道测评", kind="ballot", unit=county["u1"])
    assert ev.unit == county["u1"]
    with pytest.raises(PermissionDenied):
        services.criterion_add(evaluation=ev, name="德", actor=users["town2"])


def test_transition_table_is_enforced(ballot_eval, users):
    ev = ballot_eval["ev"]
    with pytest.raises(ValidationError):
        services.evaluation_transition(evaluation=ev, to="published", actor=users["admin"])
    with pytest.raises(ValidationError):
        services.evaluation_transition(evaluation=ev, to="draft", actor=users["admin"])
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    services.evaluation_transition(evaluation=ev, to="published", actor=users["admin"])
    events = AuditEvent.objects.filter(object_type="evaluation.evaluation", object_id=str(ev.pk), action="transition")
    assert [e.changes["status"][1] for e in events.order_by("id")] == ["open", "closed", "published"]


def test_cannot_open_an_empty_evaluation(users):
    ev = services.evaluation_create(actor=users["admin"], name="空测评", kind="ballot")
    with pytest.raises(ValidationError):
        services.evaluation_transition(evaluation=ev, to="open", actor=users["admin"])


def test_setup_is_frozen_once_open(ballot_eval, users):
    with pytest.raises(ValidationError):
        services.criterion_add(evaluation=ballot_eval["ev"], name="勤", actor=users["admin"])


def test_ballot_is_queued_then_stored_anonymously_once(ballot_eval):
    ev = ballot_eval["ev"]
    token = _tokens(ev, "peer")[0]
    services.ballot_submit(token=token, answers=answers_for(ev, 9))
    queued = QueuedBallot.objects.get(evaluation=ev)
    assert queued.group.code == "peer" and not Ballot.objects.filter(evaluation=ev).exists()
    with pytest.raises(services.BallotRejected) as exc:
        services.ballot_submit(token=token, answers=answers_for(ev, 9))
    assert exc.value.code == "used"
    assert ballots_mix(evaluation=ev, min_batch=1) == 1
    ballot = Ballot.objects.get(evaluation=ev)
    assert ballot.group.code == "peer" and not QueuedBallot.objects.exists()
    assert BallotScore.objects.filter(ballot=ballot).count() == 6
    # Nothing stored with a ballot, queued or mixed, names a token, a person or a device, or holds a time.
    for model in (Ballot, QueuedBallot, BallotScore):
        fields = model._meta.get_fields()
        assert not {f.name for f in fields} & {"token", "ip", "user", "created_at", "submitted_hour"}
        assert not [f for f in fields if isinstance(f, models.DateField | models.TimeField)]
    # Ballots are not audited one by one: an audit row's time would link a ballot to its token. The mixing
    # is audited on the evaluation, as a count.
    assert not AuditEvent.objects.filter(object_type__in=["evaluation.ballot", "evaluation.queuedballot"]).exists()
    mixed = [a.changes for a in AuditEvent.objects.filter(object_type="evaluation.evaluation", object_id=str(ev.pk))]
    assert {"ballots_mixed": [None, 1]} in mixed


def test_ballot_rejections(ballot_eval, users):
    ev = ballot_eval["ev"]
    tokens = _tokens(ev, "leader")
    with pytest.raises(services.BallotRejected) as exc:
        services.ballot_submit(token="nope", answers=answers_for(ev, 9))
    assert exc.value.code == "unknown"
    bad = answers_for(ev, 9)
    bad[next(iter(bad))] = 11
    with pytest.raises(services.BallotRejected) as exc:
        services.ballot_submit(token=tokens[0], answers=bad)
    assert exc.value.code == "invalid"
    partial = dict(list(answers_for(ev, 9).items())[:-1])
    with pytest.raises(services.BallotRejected):
        services.ballot_submit(token=tokens[0], answers=partial)
    assert not BallotToken.objects.get(token=tokens[0]).used  # a rejected ballot does not burn its token
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    with pytest.raises(services.BallotRejected) as exc:
        services.ballot_submit(token=tokens[0], answers=answers_for(ev, 9))
    assert exc.value.code == "closed"


def test_results_hidden_until_closed_then_computed(ballot_eval, users, county):
    ev = ballot_eval["ev"]
    for t in _tokens(ev, "leader"):
        services.ballot_submit(token=t, answers=answers_for(ev, 9))
    for t in _tokens(ev, "peer")[:3]:
        services.ballot_submit(token=t, answers=answers_for(ev, 6, unknown={2}))
    assert selectors.current_result(evaluation=ev) is None
    with pytest.raises(ValueError):
        selectors.subject_scores(evaluation=ev)
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    result = selectors.current_result(evaluation=ev)
    assert result.engine.startswith("bole.engines.raters") and result.engine_version.startswith("raters-")
    assert result.parameters["group_weights"] == {"leader": 0.6, "peer": 0.4}
    rows = {r.subject.person_id: r for r in selectors.result_rows(result=result)}
    top = rows[county["zhangsan"].pk]
    # leaders gave 9/10 = 90, peers 6/10 = 60 → 0.6·90 + 0.4·60 = 78
    assert top.group_scores == {"leader": 90.0, "peer": 60.0}
    assert top.final_score == pytest.approx(78.0)
    assert top.rank == 1 and top.score_lo <= 78.0 <= top.score_hi
    # wangwu: only leaders knew him (peers answered 不了解): group weights renormalise
    assert rows[county["wangwu"].pk].final_score == pytest.approx(70.0)
    scores = selectors.subject_scores(evaluation=ev)
    assert scores[county["zhangsan"].pk] == pytest.approx(78.0)
    assert AuditEvent.objects.filter(object_type="evaluation.evaluationresult", object_id=str(result.pk)).exists()


def test_judge_revises_until_submit_and_own_unit_is_blocked(contest, judges):
    seat1, seat2, _seat3 = contest["seats"]
    own, other = contest["subjects"][0], contest["subjects"][2]
    c1, c2 = contest["criteria"]
    with pytest.raises(ValidationError):
        services.judge_scores_save(seat=seat1, subject=own, scores={c1.pk: 10, c2.pk: 5}, actor=judges["judge1"])
    with pytest.raises(PermissionDenied):
        services.judge_scores_save(seat=seat1, subject=other, scores={c1.pk: 10}, actor=judges["judge2"])
    with pytest.raises(ValidationError):
        services.judge_scores_save(seat=seat2, subject=other, scores={c1.pk: 25}, actor=judges["judge2"])
    services.judge_scores_save(seat=seat2, subject=other, scores={c1.pk: 10, c2.pk: 5}, actor=judges["judge2"])
    services.judge_scores_save(seat=seat2, subject=other, scores={c1.pk: 12, c2.pk: 5}, actor=judges["judge2"])
    audit = AuditEvent.objects.filter(object_type="evaluation.eventjudge", object_id=str(seat2.pk)).order_by("id")
    assert audit.last().changes["党建引领"] == [10.0, 12.0]
    with pytest.raises(ValidationError):
        services.judge_submit(seat=seat2, actor=judges["judge2"])  # not everyone scored yet
    for s in contest["subjects"]:
        services.judge_scores_save(seat=seat2, subject=s, scores={c1.pk: 15, c2.pk: 7}, actor=judges["judge2"])
    services.judge_submit(seat=seat2, actor=judges["judge2"])
    with pytest.raises(ValidationError):
        services.judge_scores_save(seat=seat2, subject=other, scores={c1.pk: 1, c2.pk: 1}, actor=judges["judge2"])
    # a judge's sheet carries only that judge's scores
    sheet = selectors.judge_sheet(seat=seat1)
    assert all(not row["scores"] for row in sheet)
    assert [row["allowed"] for row in sheet] == [False, True, True, True]


def test_own_unit_rule_is_configurable(users, judges, county):
    ev = services.evaluation_create(actor=users["admin"], name="不回避", kind="contest", block_own_unit=False)
    services.criterion_add(evaluation=ev, name="答辩", max_score=10, actor=users["admin"])
    s = services.subject_add(evaluation=ev, person=county["zhangsan"], actor=users["admin"])
    seat = services.judge_add(evaluation=ev, user=judges["judge1"], actor=users["admin"])
    services.evaluation_transition(evaluation=ev, to="open", actor=users["admin"])
    assert services.judge_scores_save(seat=seat, subject=s, scores={ev.criteria.get().pk: 8}, actor=judges["judge1"])


def _score_contest(contest, judges):
    c1, c2 = contest["criteria"]
    base = {0: 18, 1: 16, 2: 12, 3: 8}
    lean = {"judge1": 1, "judge2": 0, "judge3": -2}
    for seat, name in zip(contest["seats"], ("judge1", "judge2", "judge3"), strict=True):
        for i, s in enumerate(contest["subjects"]):
            if services.judge_may_score(seat, s):
                v = base[i] + lean[name]
                services.judge_scores_save(seat=seat, subject=s, scores={c1.pk: v, c2.pk: v / 2}, actor=judges[name])
        services.judge_submit(seat=seat, actor=judges[name])


def test_contest_results_compare_rules(contest, judges, users):
    _score_contest(contest, judges)
    ev = contest["ev"]
    services.evaluation_transition(evaluation=ev, to="closed", actor=users["admin"])
    result = EvaluationResult.objects.get(evaluation=ev, is_current=True)
    assert result.engine == "bole.engines.judges.compare_rules"
    assert result.summary["fairness"]["recommended"] == "severity"
    assert result.summary["complete_design"] is False
    rows = list(selectors.result_rows(result=result))
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    assert [r.subject for r in rows] == contest["subjects"]
    # the first contestant missed the lenient judge1 (回避): the raw mean understates, the fair average does not
    first = rows[0]
    assert first.fair_average > first.raw_mean
    assert first.final_score == first.fair_average
    assert first.score_lo <= first.final_score <= first.score_hi  # noiseless data: a zero-width interval


def test_reveal_is_audited(contest, users):
    s = contest["subjects"][1]
    services.subject_reveal(subject=s, revealed=True, actor=users["admin"])
    assert AuditEvent.objects.filter(object_type="evaluation.subject", object_id=str(s.pk)).count() == 2
