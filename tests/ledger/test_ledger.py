from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.core.models import AuditEvent
from bole.ledger import selectors, services
from bole.ledger.choices import CapPeriod, EntryStatus
from bole.ledger.models import PointEntry


@pytest.fixture
def cats(db):
    return {
        "award": services.point_category_create(actor=None, code="award", name="表彰奖励", cap=Decimal("10"),
                                                cap_period=CapPeriod.YEAR, auto_approve=True),
        "task": services.point_category_create(actor=None, code="task", name="揭榜挂帅", cap=Decimal("5"),
                                               cap_period=CapPeriod.QUARTER),
        "penalty": services.point_category_create(actor=None, code="penalty", name="扣分", floor=Decimal("-6"),
                                                  cap_period=CapPeriod.QUARTER, auto_approve=True),
    }


def _total(period, cats, person, names):
    res = selectors.capped_points(period=period, categories=list(cats.values()))
    value, _cut = res.column_sum([cats[n].pk for n in names], np.array([person.pk]))
    return value[0]


def test_post_is_pending_and_audited(county, users, cats):
    e = services.points_post(person=county["zhangsan"], period="2024q1", category=cats["task"], points=3,
                             reason="揭榜：园区道路", source=county["e1"], actor=users["admin"])
    assert e.status == EntryStatus.PENDING and e.period == "2024Q1" and e.unit == county["u1"]
    assert e.source == county["e1"]
    assert AuditEvent.objects.filter(object_type="ledger.pointentry", object_id=str(e.pk), action="create").exists()
    # Posting again for the same record does not count twice.
    again = services.points_post(person=county["zhangsan"], period="2024Q1", category=cats["task"], points=3,
                                 reason="重复调用", source=county["e1"], actor=users["admin"])
    assert again.pk == e.pk and PointEntry.objects.count() == 1


def test_pending_points_do_not_count_until_approved(county, users, cats):
    e = services.points_post(person=county["zhangsan"], period="2024Q1", category=cats["task"], points=3,
                             reason="x", actor=users["admin"])
    assert np.isnan(_total("2024Q1", cats, county["zhangsan"], ["task"]))
    services.point_entry_transition(entry=e, to=EntryStatus.APPROVED, actor=users["admin"])
    assert _total("2024Q1", cats, county["zhangsan"], ["task"]) == 3
    with pytest.raises(ValidationError):
        services.point_entry_transition(entry=e, to=EntryStatus.REJECTED, actor=users["admin"])


def test_reversing_entry_cancels_and_keeps_original(county, users, cats):
    e = services.points_post(person=county["zhangsan"], period="2024Q1", category=cats["award"], points=4,
                             reason="表彰", actor=users["admin"])
    rev = services.points_reverse(entry=e, reason="重复登记", actor=users["admin"])
    assert rev.points == Decimal("-4") and rev.reverses == e and rev.status == EntryStatus.APPROVED
    e.refresh_from_db()
    assert e.points == Decimal("4") and e.status == EntryStatus.APPROVED
    assert _total("2024Q1", cats, county["zhangsan"], ["award"]) == 0
    with pytest.raises(ValidationError):
        services.points_reverse(entry=e, reason="再来一次", actor=users["admin"])
    with pytest.raises(ValidationError):
        services.points_reverse(entry=rev, reason="冲正的冲正", actor=users["admin"])
    with pytest.raises(PermissionError):
        PointEntry.objects.all().delete()


def test_pending_entry_cannot_be_reversed(county, users, cats):
    e = services.points_post(person=county["zhangsan"], period="2024Q1", category=cats["task"], points=2,
                             reason="x", actor=users["admin"])
    with pytest.raises(ValidationError):
        services.points_reverse(entry=e, reason="x", actor=users["admin"])


def test_quarter_cap_and_floor(county, users, cats):
    p = county["zhangsan"]
    for pts in (3, 4):
        services.points_post(person=p, period="2024Q2", category=cats["task"], points=pts, reason="x",
                             actor=users["admin"], approved=True)
    for pts in (-4, -5):
        services.points_post(person=p, period="2024Q2", category=cats["penalty"], points=pts, reason="y",
                             actor=users["admin"])
    assert _total("2024Q2", cats, p, ["task"]) == 5
    assert _total("2024Q2", cats, p, ["penalty"]) == -6
    res = selectors.capped_points(period="2024Q2", categories=list(cats.values()))
    _v, cut = res.column_sum([cats["task"].pk], np.array([p.pk]))
    assert cut[0] == 2
    # A year adds up its quarters, each capped on its own.
    services.points_post(person=p, period="2024Q3", category=cats["task"], points=9, reason="z",
                         actor=users["admin"], approved=True)
    assert _total("2024", cats, p, ["task"]) == 10


def test_yearly_cap_is_shared_by_quarters_in_order(county, users, cats):
    p = county["zhangsan"]
    for period, pts in (("2024Q1", 6), ("2024Q2", 3), ("2024Q3", 5), ("2024Q4", 2)):
        services.points_post(person=p, period=period, category=cats["award"], points=pts, reason="表彰",
                             actor=users["admin"])
    got = [_total(f"2024Q{q}", cats, p, ["award"]) for q in range(1, 5)]
    assert got == [6, 3, 1, 0]
    assert sum(got) == _total("2024", cats, p, ["award"]) == 10


def test_scope_of_entries(county, users, cats):
    services.points_post(person=county["zhangsan"], period="2024Q1", category=cats["award"], points=1,
                         reason="a", actor=users["admin"])
    services.points_post(person=county["wangwu"], period="2024Q1", category=cats["award"], points=1,
                         reason="b", actor=users["admin"])
    assert selectors.entry_list(user=users["admin"]).count() == 2
    assert list(selectors.entry_list(user=users["town1"]).values_list("person__name", flat=True)) == ["张三"]
    assert list(selectors.entry_list(user=users["cadre"]).values_list("person__name", flat=True)) == ["张三"]
    assert selectors.entry_list(user=users["town2"]).get().person == county["wangwu"]


def test_cadre_cannot_post_or_approve(county, users, cats):
    with pytest.raises(PermissionDenied):
        services.points_post(person=county["zhangsan"], period="2024Q1", category=cats["task"], points=5,
                             reason="自己给自己加分", actor=users["cadre"])
    e = services.points_post(person=county["zhangsan"], period="2024Q1", category=cats["task"], points=1,
                             reason="x", actor=users["town1"])
    with pytest.raises(PermissionDenied):
        services.point_entry_transition(entry=e, to=EntryStatus.APPROVED, actor=users["cadre"])


def test_zero_points_and_bad_period_rejected(county, users, cats):
    with pytest.raises(ValidationError):
        services.points_post(person=county["zhangsan"], period="2024Q1", category=cats["task"], points=0,
                             reason="x", actor=users["admin"])
    with pytest.raises(ValidationError):
        services.points_post(person=county["zhangsan"], period="2024-1", category=cats["task"], points=1,
                             reason="x", actor=users["admin"])
