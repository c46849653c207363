"""A talent register on the shared county: checklist templates, a talent on the person register with a phone login
(李四, a resident), a liaison (张三, the cadre), a new talent in 舞阳街道, and a household panel."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date.today()


@pytest.fixture
def templates(users):
    from bole.talent import services

    admin = users["admin"]
    return [
        services.template_save(actor=admin, stage="recruit", name="签订引才协议", unit="县委人才办", day_offset=0),
        services.template_save(actor=admin, stage="recruit", name="人才层次认定", unit="县人力社保局", day_offset=10),
        services.template_save(actor=admin, stage="settle", name="人才公寓", unit="县住建局", day_offset=10),
        services.template_save(actor=admin, stage="settle", name="子女入学", unit="县教育局", day_offset=30),
        services.template_save(actor=admin, stage="evaluate", name="续聘评估", unit="县委人才办", day_offset=30),
    ]


@pytest.fixture
def talent_user(county):
    from bole.org.services import account_create

    return account_create(username="rencai", role="resident", scope=county["lisi"].id_number,
                          password="pass-1234-word", actor=None)


@pytest.fixture
def talent(county, users, templates):
    """李四 (on the person register) as a provincial talent of 武康街道, arrived 40 days ago, liaison 张三."""
    from bole.talent import services

    t = services.talent_create(actor=users["admin"], person=county["lisi"], level="provincial", field="地理信息",
                               industry="I", education="doctor", origin="introduced", region=county["t1"],
                               employer=county["e1"], arrival_date=TODAY - dt.timedelta(days=40))
    return services.liaison_assign(talent=t, liaison=county["zhangsan"], actor=users["admin"])


@pytest.fixture
def other_talent(county, users, templates):
    """A new person (not on the register) in 舞阳街道."""
    import random

    from bole.org.demo import make_id_number
    from bole.talent import services

    idn = make_id_number(random.Random(3), "330521", dt.date(1990, 5, 6), True)
    return services.talent_create(actor=users["admin"], name="周八", id_number=idn, phone="13800001111",
                                  level="county", field="智能制造", industry="C", education="master",
                                  origin="cultivated", region=county["t2"], arrival_date=TODAY - dt.timedelta(days=400))
