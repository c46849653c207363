"""The award round and nomination state machines, ranking by the panel, objections, points on announcement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.awards import services
from bole.awards.choices import NominationStatus, RoundStatus
from bole.awards.models import AwardRound, Honour, Nomination, Objection
from bole.core.models import AuditEvent
from bole.ledger.models import PointEntry

ALL_ROUND = list(RoundStatus.values)
ALL_NOM = list(NominationStatus.values)


def _round_pairs(allowed: bool):
    return [(a, b) for a in ALL_ROUND for b in ALL_ROUND
            if (b in services.ROUND_TRANSITIONS[a]) == allowed]


def test_forbidden_round_transitions_are_refused(users):
    rnd = services.award_round_create(period="2025Q2", actor=users["admin"])
    pairs = _round_pairs(False)
    assert len(pairs) == 36 - 8
    for src, dst in pairs:
        AwardRound.objects.filter(pk=rnd.pk).update(status=src)  # test set-up only
        rnd.refresh_from_db()
        with pytest.raises(ValidationError):
            services.award_round_transition(round=rnd, to=dst, actor=users["admin"])
        rnd.refresh_from_db()
        assert rnd.status == src, (src, dst)


def test_every_allowed_round_transition_is_reachable(publicised, users):
    """draft→nominating→reviewing→publicity→announced, and cancel from each open stage."""
    admin = users["admin"]
    rnd = publicised["round"]
    services.award_round_transition(round=rnd, to="announced", actor=admin, today=dt.date(2025, 4, 16))
    assert rnd.status == RoundStatus.ANNOUNCED
    assert list(rnd.events.values_list("to_status", flat=True)) == [
        "nominating", "reviewing", "publicity", "announced"]
    for i, stage in enumerate(["draft", "nominating", "reviewing", "publicity"]):
        other = services.award_round_create(period=f"2026Q{i + 1}", actor=admin)
        AwardRound.objects.filter(pk=other.pk).update(status=stage)
        services.award_round_transition(round=other, to="cancelled", actor=admin)
        assert other.status == RoundStatus.CANCELLED
    assert AuditEvent.objects.filter(object_type="awards.awardround", action="transition").count() == 8


def test_only_the_county_moves_a_round(nominating, users):
    with pytest.raises(PermissionDenied):
        services.award_round_transition(round=nominating["round"], to="reviewing", actor=users["town1"])


def test_review_needs_nominations_and_publicity_needs_scores(users):
    admin = users["admin"]
    rnd = services.award_round_create(period="2025Q3", actor=admin)
    services.award_round_transition(round=rnd, to="nominating", actor=admin)
    with pytest.raises(ValidationError):
        services.award_round_transition(round=rnd, to="reviewing", actor=admin)


def test_publicity_needs_an_opened_panel(nominating, users):
    admin = users["admin"]
    services.award_round_transition(round=nominating["round"], to="reviewing", actor=admin)
    with pytest.raises(ValidationError):
        services.award_round_transition(round=nominating["round"], to="publicity", actor=admin)


def test_panel_ranks_within_quota(publicised):
    rnd = publicised["round"]
    status = dict(Nomination.objects.filter(round=rnd).values_list("pk", "status"))
    assert status[publicised["star1"].pk] == NominationStatus.PROPOSED
    assert status[publicised["star2"].pk] == NominationStatus.NOT_SELECTED
    assert status[publicised["team"].pk] == NominationStatus.PROPOSED
    star1 = Nomination.objects.get(pk=publicised["star1"].pk)
    assert star1.rank == 1 and star1.score == pytest.approx(90, abs=0.5)
    rnd.refresh_from_db()
    assert rnd.publicity_from == dt.date(2025, 4, 10) and rnd.publicity_until == dt.date(2025, 4, 15)


def test_announcement_posts_points_and_honours(publicised, users):
    rnd = publicised["round"]
    with pytest.raises(ValidationError):  # publicity still running
        services.award_round_transition(round=rnd, to="announced", actor=users["admin"], today=dt.date(2025, 4, 15))
    services.award_round_transition(round=rnd, to="announced", actor=users["admin"], today=dt.date(2025, 4, 16))
    entries = PointEntry.objects.filter(category__code="award", period="2025Q1").order_by("person__name")
    got = {(e.person.name, e.points, e.status) for e in entries}
    assert got == {("张三", Decimal("3.00"), "approved"), ("张三", Decimal("2.00"), "approved"),
                   ("李四", Decimal("2.00"), "approved")}
    honours = Honour.objects.filter(round=rnd)
    assert sorted(h.person.name for h in honours) == ["张三", "张三", "李四"]
    assert {e.source_id for e in entries} == {str(h.pk) for h in honours}
    assert AuditEvent.objects.filter(object_type="awards.honour").count() == 3
    assert Nomination.objects.filter(round=rnd, status="awarded").count() == 2


def test_upheld_objection_disqualifies_and_blocks_until_answered(publicised, users):
    rnd = publicised["round"]
    admin = users["admin"]
    star1 = Nomination.objects.get(pk=publicised["star1"].pk)
    obj = services.objection_lodge(nomination=star1, reason="事迹系集体完成，请核实。", actor=users["cadre"],
                                   today=dt.date(2025, 4, 12))
    assert obj.lodged_person_id == star1.person_id  # 张三's own login lodged it in this test
    with pytest.raises(ValidationError):
        services.award_round_transition(round=rnd, to="announced", actor=admin, today=dt.date(2025, 4, 16))
    with pytest.raises(PermissionDenied):
        services.objection_answer(objection=obj, outcome="upheld", answer="属实", actor=users["town1"])
    services.objection_answer(objection=obj, outcome="upheld", answer="经核实情况属实，取消表彰。", actor=admin)
    with pytest.raises(ValidationError):  # answered once
        services.objection_answer(objection=obj, outcome="dismissed", answer="再答", actor=admin)
    star1.refresh_from_db()
    assert star1.status == NominationStatus.DISQUALIFIED
    services.award_round_transition(round=rnd, to="announced", actor=admin, today=dt.date(2025, 4, 16))
    assert not PointEntry.objects.filter(category__code="award", points=Decimal("3")).exists()
    assert Objection.objects.get(pk=obj.pk).status == "upheld"


def test_objection_only_against_proposed_during_publicity(publicised, users):
    star2 = Nomination.objects.get(pk=publicised["star2"].pk)
    with pytest.raises(ValidationError):
        services.objection_lodge(nomination=star2, reason="不应入选的理由", actor=users["cadre"])
    star1 = Nomination.objects.get(pk=publicised["star1"].pk)
    with pytest.raises(ValidationError):  # after the publicity period
        services.objection_lodge(nomination=star1, reason="公示期后的异议", actor=users["cadre"],
                                 today=dt.date(2025, 4, 20))


def test_forbidden_nomination_transitions_are_refused(nominating, users):
    nom = nominating["star1"]
    for src in ALL_NOM:
        for dst in ALL_NOM:
            if dst in services.NOMINATION_TRANSITIONS[src]:
                continue
            Nomination.objects.filter(pk=nom.pk).update(status=src)  # test set-up only
            nom.refresh_from_db()
            with pytest.raises(ValidationError):
                services.nomination_transition(nomination=nom, to=dst, actor=users["admin"], by_round=True)
            assert Nomination.objects.get(pk=nom.pk).status == src


def test_allowed_nomination_transitions(nominating, users):
    nom = nominating["star1"]
    for src in ALL_NOM:
        for dst in services.NOMINATION_TRANSITIONS[src]:
            Nomination.objects.filter(pk=nom.pk).update(status=src)
            nom.refresh_from_db()
            services.nomination_transition(nomination=nom, to=dst, actor=users["town1"] if dst == "withdrawn" else
                                           users["admin"], by_round=dst != "withdrawn")
            assert Nomination.objects.get(pk=nom.pk).status == dst


def test_results_come_only_from_the_round(nominating, users):
    with pytest.raises(PermissionDenied):
        services.nomination_transition(nomination=nominating["star1"], to="proposed", actor=users["admin"])


def test_units_withdraw_and_nominate_only_their_own(nominating, county, users):
    with pytest.raises(PermissionDenied):
        services.nomination_transition(nomination=nominating["star1"], to="withdrawn", actor=users["town2"])
    services.nomination_transition(nomination=nominating["star1"], to="withdrawn", actor=users["town1"])
    with pytest.raises(PermissionDenied):
        services.nomination_create(round=nominating["round"], kind="star", unit=county["u1"],
                                   person=county["zhangsan"], deeds="跨单位提名应当被拒绝的事迹", actor=users["town2"])
    with pytest.raises(ValidationError):  # person not of the unit
        services.nomination_create(round=nominating["round"], kind="star", unit=county["u2"],
                                   person=county["zhangsan"], deeds="被提名人不属于推荐单位的事迹", actor=users["town2"])
    with pytest.raises(ValidationError):  # team of one
        services.nomination_create(round=nominating["round"], kind="team", unit=county["u2"], team_name="一人团队",
                                   members=[county["wangwu"]], deeds="团队成员不足两人的事迹描述", actor=users["town2"])
    again = services.nomination_create(round=nominating["round"], kind="star", unit=county["u1"],
                                       person=county["zhangsan"], deeds="撤回后重新提名的主要事迹描述", actor=users["town1"])
    assert again.status == "submitted"
