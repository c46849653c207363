"""One growth record per young cadre, and no two overlapping postings, under 50 simultaneous requests."""

from __future__ import annotations

import datetime as dt

import pytest

from bole.growth import services
from bole.growth.models import GrowthRecord, Posting
from bole.org.services import person_update

from ..race import RACERS, race


@pytest.mark.django_db(transaction=True)
def test_one_record_per_young_cadre(county, users):
    person_update(person=county["zhaoliu"], actor=None, is_young_cadre=True)
    county["zhaoliu"].refresh_from_db()
    outcomes = race(lambda i: services.growth_record_create(person=county["zhaoliu"], cohort=2025,
                                                            started_on=dt.date(2025, 8, 1), actor=users["admin"]))
    assert outcomes == {"ok": 1, "该选调生已有成长档案": RACERS - 1}
    assert GrowthRecord.objects.filter(person=county["zhaoliu"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_postings_of_one_period_store_one(young, users):
    record = young["li"]
    outcomes = race(lambda i: services.posting_add(record=record, place=f"五四村{i}", starts_on=dt.date(2025, 3, 1),
                                                   ends_on=dt.date(2025, 6, 30), actor=users["admin"]))
    assert outcomes == {"ok": 1, "与已有蹲苗经历时间重叠": RACERS - 1}
    assert Posting.objects.filter(record=record).count() == 1
