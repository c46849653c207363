"""Project fixtures: the case desks, a signed project led by 张三 (武康), the clock the cases app reads."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import TZ, Clock


@pytest.fixture
def clock(monkeypatch):
    c = Clock(dt.datetime(2025, 3, 10, 9, 0, tzinfo=TZ))
    monkeypatch.setattr("bole.cases.calendar.now", c)
    return c


@pytest.fixture
def desks(county, users):
    from bole.cases.desks import desks_ensure

    return desks_ensure(actor=users["admin"])


@pytest.fixture
def project(county, users, desks, clock):
    """德清智能装备产业园, 12.5 亿元, led by 张三 with 李四 on the task force, signed Monday 2025-03-03."""
    from bole.projects import services

    p = services.project_create(name="德清智能装备产业园", kind="industry", investment="12.5", region=county["t1"],
                                unit=county["u1"], leads=[county["zhangsan"]], team=[county["lisi"]],
                                actor=users["town1"])
    services.project_transition(project=p, to="signed", signed_on=dt.date(2025, 3, 3), actor=users["town1"])
    return p


def solve(case, users, unit):
    """Run a difficulty through the desk: accept, assign to a unit, start, resolve (real case services)."""
    from bole.cases import services

    admin = users["admin"]
    case = services.case_transition(case=case, action="accept", actor=admin)
    case = services.case_transition(case=case, action="assign", actor=admin, lead_unit=unit)
    case = services.case_transition(case=case, action="start", actor=admin)
    return services.case_transition(case=case, action="resolve", actor=admin, resolution="协调自然资源部门完成用地报批。")
