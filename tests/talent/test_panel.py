"""The household income panel: the median change and its coverage, checked by hand on a small panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from bole.engines.panel import income_change
from bole.talent import selectors, services
from bole.talent.models import Household


@pytest.fixture
def creator(county, users):
    return services.creator_create(actor=users["admin"], name="闵芝萍", business="乡村咖啡馆", village=county["v1"],
                                   started_on=dt.date(2023, 1, 1))


def test_median_change_and_coverage_by_hand(creator, users, county):
    """Five households linked on 2024-01-10. Baselines and the latest follow-up at wave ≥ 2 (a year on or more):

    A: 40,000 → wave 2: 72,000, wave 3: 75,000      change 35,000 (latest: wave 3)
    B: 50,000 → wave 2: 80,000                       change 30,000
    C: 30,000 → wave 2: 31,000, wave 3 missed        change  1,000
    D: 45,000 → only wave 1: 60,000                  not covered (no follow-up a year on)
    E: no baseline, wave 2: 90,000                   not covered
    Covered: A, B, C → changes 35,000, 30,000, 1,000 → median 30,000; coverage 3/5; 2 reach 30,000.
    """
    admin, v = users["admin"], county["v1"]
    linked = dt.date(2024, 1, 10)

    def hh(head, baseline):
        return services.household_link(actor=admin, creator=creator, head=head, village=v, linked_on=linked,
                                       baseline_income=None if baseline is None else Decimal(baseline))

    a, b, c, d, e = hh("A", 40000), hh("B", 50000), hh("C", 30000), hh("D", 45000), hh("E", None)
    for h, wave, income in [(a, 2, 72000), (a, 3, 75000), (b, 2, 80000), (c, 2, 31000), (d, 1, 60000),
                            (e, 2, 90000)]:
        services.survey_record(actor=admin, household=h, wave=wave, income=Decimal(income))
    services.survey_record(actor=admin, household=c, wave=3, income=None, missed=True)
    p = selectors.panel_change(Household.objects.all())
    assert (p.households, p.covered, p.median_change, p.above) == (5, 3, 30000.0, 2)
    assert p.coverage == pytest.approx(0.6)
    assert p.mean_change == pytest.approx((35000 + 30000 + 1000) / 3)


def test_missed_and_unrecorded_waves_are_counted(creator, users, county):
    admin = users["admin"]
    today = dt.date.today()
    linked = today - dt.timedelta(days=300)  # waves 0 and 1 are due (and past the 30-day grace); wave 2 not yet
    h = services.household_link(actor=admin, creator=creator, head="F", village=county["v1"], linked_on=linked,
                                baseline_income=Decimal(50000))
    hs = Household.objects.filter(pk=h.pk)
    assert selectors.missed_waves(hs) == 1
    services.survey_record(actor=admin, household=h, wave=1, income=None, missed=True)
    assert selectors.missed_waves(hs) == 1  # recorded as missed is still missed
    grid = selectors.panel_grid(h)
    assert [w["state"] for w in grid] == ["done", "missed", "upcoming"]


def test_one_survey_per_wave_and_no_future_waves(creator, users, county):
    admin = users["admin"]
    h = services.household_link(actor=admin, creator=creator, head="G", village=county["v1"],
                                linked_on=dt.date(2025, 1, 1), baseline_income=Decimal(1))
    with pytest.raises(ValidationError):
        services.survey_record(actor=admin, household=h, wave=0, income=Decimal(2))
    with pytest.raises(ValidationError):
        services.survey_record(actor=admin, household=h, wave=40, income=Decimal(2))
    with pytest.raises(ValidationError):
        services.survey_record(actor=admin, household=h, wave=1, income=Decimal(-5))
    for wave in (-1, -80772, 10**9):  # a wave outside the panel is a clear error, not a date past year 9999
        with pytest.raises(ValidationError):
            services.survey_record(actor=admin, household=h, wave=wave, income=Decimal(2))


def test_a_creator_outside_scope_is_refused(users, county):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.creator_create(actor=users["town2"], name="X", business="Y", village=county["v1"],
                                started_on=dt.date(2024, 1, 1))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 6), st.integers(0, 5)), st.integers(0, 200000), max_size=40))
def test_engine_matches_a_plain_reading(panel):
    """The engine against a dictionary reading of the same records: coverage never exceeds 1, the median is
    the median of the per-household changes. One survey per household and wave, as the database keeps it."""
    rows = [(h, w, inc) for (h, w), inc in panel.items()]
    h = np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), np.array([r[2] for r in rows], dtype=float)
    p = income_change(*h, households=7)
    base, latest = {}, {}
    for hid, wave, inc in rows:
        if wave == 0:
            base.setdefault(hid, inc)
        elif wave >= 2 and (hid not in latest or wave > latest[hid][0]):
            latest[hid] = (wave, inc)
    changes = [latest[k][1] - base[k] for k in base if k in latest]
    assert p.covered == len(changes) and p.covered <= p.households
    if changes:
        assert p.median_change == pytest.approx(float(np.median(changes)))
    else:
        assert p.median_change is None
