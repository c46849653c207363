"""points_post_many: the rules of points_post for a whole batch, a fixed number of queries, every bad row named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bole.core.models import AuditEvent
from bole.ledger import services
from bole.ledger.models import PointEntry


@pytest.fixture
def cats(db):
    return {
        "award": services.point_category_create(actor=None, code="award", name="表彰奖励", cap=Decimal("10"),
                                                auto_approve=True),
        "task": services.point_category_create(actor=None, code="task", name="揭榜挂帅", cap=Decimal("5")),
    }


def _rows(county, cats, n):
    """n rows over three people, both categories, with and without a source record, a unit-only row, and a
    repeat of an earlier row's source (which posts nothing new)."""
    people = [county["zhangsan"], county["lisi"], county["wangwu"]]
    sources = [county["e1"], county["e2"], county["u1"], county["u2"], None]
    rows = []
    for i in range(n):
        rows.append({"person": people[i % 3], "period": "2024q1" if i % 2 else "2024", "points": (i % 5) - 2 or 1.5,
                     "category": cats["award"] if i % 4 else cats["task"], "reason": f" 事由{i} ",
                     "source": sources[i % 5]})
    rows.append({"unit": county["u2"], "period": "2024Q2", "points": 2, "category": cats["award"], "reason": "团队"})
    rows.append(dict(rows[0], reason="重复调用"))
    return rows


def _snapshot():
    entries = [(e.person_id, e.unit_id, e.period, e.category_id, e.points, e.reason, e.source_type_id, e.source_id,
                e.status, e.created_by_id, e.approver_id, e.decided_at is not None)
               for e in PointEntry.objects.order_by("id")]
    audits = [(a.action, a.actor_id, a.object_repr, a.changes)
              for a in AuditEvent.objects.filter(object_type="ledger.pointentry").order_by("id")]
    return entries, audits


class _Undo(Exception):
    """Raised to roll a savepoint back."""


def test_batch_equals_posting_one_by_one(county, users, cats):
    from django.db import transaction

    rows = _rows(county, cats, 12)
    try:
        with transaction.atomic():
            for r in rows:
                services.points_post(actor=users["admin"], **r)
            one_by_one = _snapshot()
            raise _Undo
    except _Undo:
        pass
    assert len(one_by_one[0]) == 13 and PointEntry.objects.count() == 0  # the repeated source posted nothing
    assert services.points_post_many(rows=rows, actor=users["admin"]) == 13
    assert _snapshot() == one_by_one
    # posting the rows with a source again writes nothing: each is already live
    assert services.points_post_many(rows=[r for r in rows if r.get("source")], actor=users["admin"]) == 0


@pytest.mark.parametrize("n", [3, 60])
def test_queries_do_not_grow_with_rows(county, users, cats, n, django_assert_max_num_queries):
    from django.contrib.contenttypes.models import ContentType

    rows = _rows(county, cats, n)
    ContentType.objects.clear_cache()  # the same count whichever test ran before in this process
    with django_assert_max_num_queries(15):
        written = services.points_post_many(rows=rows, actor=users["admin"], approved=True)
    assert written == PointEntry.objects.filter(status="approved").count() > n // 2


def test_every_bad_row_is_named_and_nothing_is_written(county, users, cats):
    rows = _rows(county, cats, 4)
    rows[1] = dict(rows[1], points=0)
    rows[2] = dict(rows[2], person=None, unit=None)
    rows[3] = dict(rows[3], period="2024Q5")
    rows[0] = dict(rows[0], reason="  ")
    with pytest.raises(ValidationError) as exc:
        services.points_post_many(rows=rows, actor=users["admin"])
    errors = exc.value.message_dict
    assert errors["points"] == ["第2行：分值不能为 0"]
    assert errors["person"] == ["第3行：积分须记到人员或单位"]
    assert errors["period"] == ["第4行：考核周期应写成 2024 或 2024Q1"]
    assert len(errors["reason"]) == 1 and errors["reason"][0].startswith("第1行：")
    assert PointEntry.objects.count() == 0


def test_missing_references_are_named(county, users, cats):
    from bole.org.models import Person

    ghost = Person(pk=987654, name="不存在", unit=county["u1"])
    with pytest.raises(ValidationError) as exc:
        services.points_post_many(rows=[{"person": county["lisi"], "period": "2024", "points": 1, "reason": "好",
                                         "category": cats["award"]},
                                        {"person": ghost, "period": "2024", "points": 1, "reason": "好",
                                         "category": cats["award"]}], actor=users["admin"])
    (message,) = exc.value.message_dict["person"]
    assert message.startswith("第2行：") and "987654" in message
    with pytest.raises(ValidationError, match="987654"):  # the same check, unnumbered, for one posting
        services.points_post(person=ghost, period="2024", points=1, reason="好", category=cats["award"],
                             actor=users["admin"])
