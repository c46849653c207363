"""A 德清县 plan with one published elective session, and helpers to make many cadres quickly."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

START = timezone.make_aware(dt.datetime(2026, 6, 10, 14, 0))
OPEN = START - dt.timedelta(days=10)  # inside the enrolment window


@pytest.fixture
def plan(county, users):
    from bole.training import services

    return services.plan_create(actor=users["admin"], year=2026, region=county["county"], organiser=county["dept"])


@pytest.fixture
def make_session(plan, county, users):
    from bole.training import services

    def _make(*, capacity=30, compulsory=False, hours=3, start=START, audience="cadres", training_class=None,
              host=None, title="城市更新与片区开发"):
        return services.session_create(
            actor=users["admin"], plan=plan, host_unit=host or county["u1"], title=title, place="区行政中心报告厅",
            starts_at=start, ends_at=start + dt.timedelta(hours=3), capacity=capacity, hours=hours,
            compulsory=compulsory, audience=audience, lecturer="浙江大学 王教授", training_class=training_class,
            publish=True)

    return _make


@pytest.fixture
def make_people(county):
    """n cadres in 武康街道's village (through the org services)."""
    from bole.org import services
    from bole.org.demo import make_id_number

    rng = random.Random(11)

    def _make(n, unit=None):
        return [services.person_create(
            actor=None, name=f"学员{i:03d}", unit=unit or county["u1v"], is_cadre=True,
            id_number=make_id_number(rng, "330521", dt.date(1980 + i % 20, 1 + i % 12, 1 + i % 28), i % 2 == 0))
            for i in range(n)]

    return _make
