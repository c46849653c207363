"""One desk per code and name, one head per unit, under 50 simultaneous requests."""

from __future__ import annotations

import pytest

from bole.cases import services
from bole.cases.models import Desk, UnitHead

from ..race import RACERS, race


@pytest.mark.django_db(transaction=True)
def test_one_desk_per_code_and_name(users):
    outcomes = race(lambda i: services.desk_create(code="river", name="河长制受理台", categories=[("河道保洁", 5)],
                                                   actor=users["admin"]))
    # every other racer gets a clear refusal naming what is taken; which of the two checks sees the winner's row
    # first depends on when it commits (each statement reads what is committed at its start)
    code, name = "代码“river”已被其他受理台使用", "已有名为“河长制受理台”的受理台"
    assert outcomes["ok"] == 1 and sum(outcomes.values()) == RACERS
    assert set(outcomes) - {"ok"} <= {f"{code} / {name}", code, name}
    assert Desk.objects.filter(code="river").count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_head_per_unit(county, users):
    people = [county["zhangsan"], county["lisi"]]
    outcomes = race(lambda i: services.unit_head_set(unit=county["u1"], person=people[i % 2], actor=users["admin"]))
    assert outcomes == {"ok": RACERS}
    assert UnitHead.objects.filter(unit=county["u1"]).count() == 1
