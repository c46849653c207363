"""Case fixtures: the standard desks, unit heads, a desk handler; the clock is the only thing replaced."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")


class Clock:
    """A settable clock standing in for bole.cases.calendar.now."""

    def __init__(self, start: dt.datetime):
        self.at = start

    def __call__(self) -> dt.datetime:
        return self.at

    def set(self, *args) -> None:
        self.at = dt.datetime(*args, tzinfo=TZ)

    def advance(self, **kw) -> None:
        self.at += dt.timedelta(**kw)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing a dozen demo passwords per test with PBKDF2 would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(monkeypatch):
    c = Clock(dt.datetime(2024, 3, 4, 9, 0, tzinfo=TZ))
    monkeypatch.setattr("bole.cases.calendar.now", c)
    return c


@pytest.fixture
def desks(county, users):
    from bole.cases.desks import desks_ensure

    return desks_ensure(actor=users["admin"])


@pytest.fixture
def catchall(desks):
    return desks["catchall"]


@pytest.fixture
def new_case(catchall, county, users, clock):
    """A 兜底办 problem submitted by enterprise e1 (user 'ent')."""
    from bole.cases.services import case_submit

    def _make(title="厂区门口道路破损多年无人维修", description="厂区门口道路破损，交通、住建、街道互相推诿，已三年未修。",
              category_name="职能交叉不好管"):
        cat = catchall.categories.get(name=category_name)
        return case_submit(desk=catchall, category=cat, title=title, description=description, location="武康街道",
                           submitter_kind="enterprise", submitter_enterprise=county["e1"], actor=users["ent"])

    return _make
