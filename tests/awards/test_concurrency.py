"""One nomination of a person per round, and one round per quarter, held by the database under concurrency."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from bole.awards import services
from bole.awards.models import AwardRound, Nomination

from ..race import RACERS, race

NOMINATED = "该人员本季度已被提名"


@pytest.fixture
def open_round(users):
    rnd = services.award_round_create(period="2025Q2", actor=users["admin"])
    services.award_round_transition(round=rnd, to="nominating", actor=users["admin"])
    return rnd


@pytest.mark.django_db(transaction=True)
def test_simultaneous_nominations_of_one_person_store_one(open_round, county, users):
    outcomes = race(lambda i: services.nomination_create(
        round=open_round, kind="star", unit=county["u1"], person=county["lisi"], actor=users["town1"],
        deeds=f"第{i}份同时提交的主要事迹材料，内容足够长。"))
    assert outcomes == {"ok": 1, NOMINATED: RACERS - 1}
    assert Nomination.objects.filter(round=open_round, person=county["lisi"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_nominations_stores_one_per_person(open_round, county):
    """Units nominating the same five people at once, ten requests each: five nominations are stored."""
    people = [county[k] for k in ("zhangsan", "lisi", "wangwu", "zhaoliu", "qianqi")]
    outcomes = race(lambda i: services.nomination_create(
        round=open_round, kind="star", unit=people[i % 5].unit, person=people[i % 5], actor=None,
        deeds=f"第{i}份同时提交的主要事迹材料，内容足够长。"))
    assert outcomes == {"ok": 5, NOMINATED: RACERS - 5}
    assert sorted(Nomination.objects.filter(round=open_round).values_list("person_id", flat=True)) == sorted(
        p.pk for p in people)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_round_creation_stores_one_round(users):
    outcomes = race(lambda i: services.award_round_create(period="2026Q1", actor=users["admin"]))
    assert outcomes == {"ok": 1, "该季度已有评选轮次": RACERS - 1}
    assert AwardRound.objects.filter(period="2026Q1").count() == 1


def test_the_database_refuses_a_second_live_nomination(open_round, county, users):
    first = services.nomination_create(round=open_round, kind="star", unit=county["u1"], person=county["lisi"],
                                       deeds="第一次提名的主要事迹材料，内容足够长。", actor=users["town1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(round=open_round, kind="star", unit=county["u1"], person=county["lisi"],
                                  deeds="绕过服务直接写入的第二份提名")
    services.nomination_transition(nomination=first, to="withdrawn", actor=users["town1"])
    Nomination.objects.create(round=open_round, kind="star", unit=county["u1"], person=county["lisi"],
                              deeds="撤回之后再次提名，数据库允许")
    assert Nomination.objects.filter(round=open_round, person=county["lisi"]).count() == 2
