"""Rules that hold at every edge: credit never exceeds the scheduled hours nor the time present; the 1/7 rule's
boundary; and under any sequence of enrolments and drops the seats never exceed the capacity, the waitlist is only
used when the seats are full, and promotion keeps arrival order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bole.engines import learning

T0 = dt.datetime(2026, 6, 1, 14, 0, tzinfo=dt.UTC)


@given(hours=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("16"), places=1),
       length=st.integers(min_value=30, max_value=600), came=st.integers(min_value=-120, max_value=700),
       stay=st.one_of(st.none(), st.integers(min_value=0, max_value=800)))
def test_credit_is_the_smaller_of_scheduled_and_attended(hours, length, came, stay):
    start, end = T0, T0 + dt.timedelta(minutes=length)
    arrived = T0 + dt.timedelta(minutes=came)
    left = None if stay is None else arrived + dt.timedelta(minutes=stay)
    credit = learning.credited_hours(hours, start, end, arrived, left)
    assert Decimal(0) <= credit <= hours
    present = learning.attended_seconds(start, end, arrived, left) / 60
    assert credit <= hours * Decimal(present / length) + Decimal("0.005")


@given(total=st.integers(min_value=7, max_value=10_000))
def test_absence_boundary_is_one_seventh(total):
    assert not learning.absence_exceeded(total, total - total / 7)
    assert learning.absence_exceeded(total, total - total / 7 - 1)


def test_requirement_by_rank_and_cycle():
    assert learning.requirement(division=False, year=2026).hours == 90
    r = learning.requirement(division=True, year=2026)
    assert (r.hours, r.first, r.last) == (550, 2023, 2027)
    assert learning.requirement(division=True, year=2028).first == 2028


_people: dict = {}


@pytest.fixture(autouse=True)
def _fresh_people():
    _people.clear()
    yield
    _people.clear()


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(capacity=st.integers(min_value=1, max_value=4),
       moves=st.lists(st.tuples(st.sampled_from(["enrol", "drop"]), st.integers(min_value=0, max_value=7)),
                      min_size=1, max_size=25))
def test_capacity_holds_under_any_sequence(make_session, make_people, capacity, moves):
    from django.core.exceptions import ValidationError

    from bole.training import services
    from bole.training.models import Enrolment

    from .conftest import OPEN

    session = make_session(capacity=capacity)
    if "rows" not in _people:  # one set of people for every example (the database outlives the examples)
        _people["rows"] = make_people(8)
    people = _people["rows"]
    for k, (move, i) in enumerate(moves):
        now = OPEN + dt.timedelta(seconds=k)
        try:
            if move == "enrol":
                services.enrol(session=session, person=people[i], actor=None, now=now)
            else:
                row = Enrolment.objects.filter(session=session, person=people[i]).exclude(status="dropped").first()
                if row is not None:
                    services.drop(enrolment=row, actor=None, now=now)
        except ValidationError:
            pass
        live = list(Enrolment.objects.filter(session=session).exclude(status="dropped").order_by("queued_at", "id"))
        seated = [e for e in live if e.status == "enrolled"]
        waiting = [e for e in live if e.status == "waiting"]
        assert len(seated) <= capacity
        assert not waiting or len(seated) == capacity
        assert len({e.person_id for e in live}) == len(live)
    session.delete()
