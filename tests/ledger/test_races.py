"""One live posting per record, category and person, under 50 simultaneous postings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bole.ledger import services
from bole.ledger.models import PointEntry

from ..race import RACERS, race


@pytest.fixture
def award(db):
    return services.point_category_create(actor=None, code="award", name="表彰奖励", cap=Decimal("10"),
                                          auto_approve=True)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_postings_for_one_record_count_once(county, users, award):
    outcomes = race(lambda i: services.points_post(person=county["zhangsan"], period="2025Q1", category=award,
                                                   points=3, reason="担当之星", source=county["e1"],
                                                   actor=users["admin"]))
    assert outcomes == {"ok": RACERS}
    assert PointEntry.objects.filter(person=county["zhangsan"], category=award).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_batches_post_each_record_once(county, users, award):
    rows = [{"person": county[k], "period": "2025Q1", "category": award, "points": 2, "reason": "担当团队",
             "source": county["e2"]} for k in ("zhangsan", "lisi", "wangwu")]
    outcomes = race(lambda i: services.points_post_many(rows=rows, actor=users["admin"], approved=True))
    assert outcomes == {"ok": RACERS}
    assert PointEntry.objects.filter(category=award).count() == 3


def test_a_reversed_posting_makes_way_for_a_new_one(county, users, award):
    first = services.points_post(person=county["zhangsan"], period="2025Q1", category=award, points=3,
                                 reason="担当之星", source=county["e1"], actor=users["admin"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PointEntry.objects.create(person=county["zhangsan"], unit=county["u1"], period="2025Q1", category=award,
                                  points=3, reason="绕过服务的第二条", source_type=first.source_type,
                                  source_id=first.source_id, status="approved")
    services.points_reverse(entry=first, reason="登记有误", actor=users["admin"])
    first.refresh_from_db()
    assert first.is_reversed
    again = services.points_post(person=county["zhangsan"], period="2025Q1", category=award, points=2,
                                 reason="更正后重新登记", source=county["e1"], actor=users["admin"])
    assert again.pk != first.pk and again.points == 2
