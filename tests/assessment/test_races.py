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
