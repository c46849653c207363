"""One round per scheme and period, one value per key, under 50 simultaneous requests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bole.assessment import services
from bole.assessment.models import Round, UnitScore

from ..race import RACERS, race


@pytest.mark.django_db(transaction=True)
def test_one_round_per_scheme_and_period(scheme, users):
    outcomes = race(lambda i: services.round_create(scheme=scheme, period="2025Q3", actor=users["admin"]))
    assert outcomes == {"ok": 1, "该方案已有 2025Q3 的轮次": RACERS - 1}
    assert Round.objects.filter(scheme=scheme, period="2025Q3").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_entries_of_one_unit_score_keep_one_row(county, users):
    """Two clerks typing the same unit's score: both saves succeed, the row holds one of their values."""
    outcomes = race(lambda i: services.unit_score_set(unit=county["u1"], period="2025Q1", score=50 + i,
                                                      actor=users["admin"]))
    assert outcomes == {"ok": RACERS}
    rows = list(UnitScore.objects.filter(unit=county["u1"], period="2025Q1"))
    assert len(rows) == 1 and Decimal(50) <= rows[0].score < Decimal(50 + RACERS)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_excellent_decisions_never_exceed_the_places(leaders, users):
    """Ten 优秀 decisions at once in a group of ten at 20%: two are taken, eight refused with the figures."""
    from bole.assessment.models import GradeDecision

    scheme = services.scheme_create(
        actor=None, name="统一排名", target="section_leader", period_kind="quarter", grouping="all",
        excellent_share=Decimal("0.20"),
        indicators=[{"code": "v", "name": "数值", "kind": "manual", "weight": 100, "normalisation": "raw"}])
    rnd = services.round_create(scheme=scheme, period="2025Q1", actor=None)
    outcomes = race(lambda i: services.grade_decide(round=rnd, person=leaders[i], grade="优秀", reason="集体研究",
                                                    actor=users["admin"]), n=len(leaders))
    assert outcomes == {"ok": 2, "本组（全体）10 人，优秀名额 2 个，已决定 2 个，不能再决定优秀": 8}
    assert GradeDecision.objects.filter(round=rnd, grade="优秀").count() == 2
