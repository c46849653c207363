"""A small assessment: ten section-level leaders, the four-indicator scheme, inputs for 2024Q1–Q2."""

import datetime as dt
import random
from decimal import Decimal

import pytest


@pytest.fixture
def leaders(county):
    from bole.org import services
    from bole.org.demo import make_id_number

    rng = random.Random(11)
    names = ["周一", "吴二", "郑三", "冯四", "陈五", "褚六", "卫七", "蒋八", "沈九"]
    units = [county["u1"], county["u2"], county["dept"]]
    people = [county["zhangsan"]]
    for i, name in enumerate(names):
        idn = make_id_number(rng, "330521", dt.date(1980, 1 + i, 3), i % 2 == 0)
        people.append(services.person_create(actor=None, name=name, id_number=idn, unit=units[i % 3],
                                             is_section_leader=True, rank="section_chief" if i < 4 else
                                             "section_deputy"))
    return people


@pytest.fixture
def scheme(db):
    from bole.assessment import services
    from bole.ledger.services import point_category_create

    award = point_category_create(actor=None, code="award", name="表彰奖励", cap=Decimal("10"), auto_approve=True)
    penalty = point_category_create(actor=None, code="penalty", name="扣分", floor=Decimal("-10"),
                                    auto_approve=True)
    return services.scheme_create(
        actor=None, name="科级领导干部季度考核", target="section_leader", period_kind="quarter",
        tie_breakers=["unit", "task"],
        indicators=[
            {"code": "unit", "name": "单位综合考评", "kind": "unit_score", "weight": 30, "normalisation": "raw",
             "missing": "group_mean"},
            {"code": "task", "name": "个人任务完成率", "kind": "task_rate", "weight": 30, "normalisation": "raw"},
            {"code": "rating", "name": "干部群众多维评议", "kind": "evaluation", "weight": 30,
             "normalisation": "raw", "metric": "rating"},
            {"code": "points", "name": "加减分", "kind": "ledger", "weight": 10, "normalisation": "minmax",
             "categories": [award, penalty]},
        ],
    )


@pytest.fixture
def inputs(county, leaders, scheme):
    """Values for every leader and unit in 2024Q1 and 2024Q2, through the services."""
    from bole.assessment import services
    from bole.ledger.models import PointCategory
    from bole.ledger.services import points_post

    award = PointCategory.objects.get(code="award")
    for period, base in (("2024Q1", 80), ("2024Q2", 82)):
        for k, unit in enumerate([county["u1"], county["u2"], county["dept"]]):
            services.unit_score_set(unit=unit, period=period, score=base + 5 * k, actor=None)
        for i, p in enumerate(leaders):
            services.task_tally_set(person=p, period=period, assigned=10, completed=10 - (i % 4), actor=None)
            services.manual_value_set(metric="rating", person=p, period=period, value=70 + 2.5 * i, actor=None)
            if i % 3 == 0:
                points_post(person=p, period=period, category=award, points=1 + i % 5, reason="表彰", actor=None)
    return leaders


@pytest.fixture
def computed(inputs, scheme):
    from bole.assessment import services

    rnd = services.round_create(scheme=scheme, period="2024Q1", actor=None)
    services.round_transition(round=rnd, to="collecting", actor=None)
    return services.round_transition(round=rnd, to="computed", actor=None)
