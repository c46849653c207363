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


def _reference(entries, cats, period):
    """The cap rules written out person by person: the figure the aggregate selector must reproduce."""
    year, quarter = int(period[:4]), (int(period[5]) if len(period) > 4 else None)
    cap_of = {c.pk: (float(c.cap) if c.cap is not None else float("inf")) for c in cats.values()}
    floor_of = {c.pk: (float(c.floor) if c.floor is not None else float("-inf")) for c in cats.values()}
    yearly = {c.pk for c in cats.values() if c.cap_period == CapPeriod.YEAR}

    def capped(rows, cat):
        pos = sum(p for p in rows if p > 0)
        neg = sum(p for p in rows if p < 0)
        return min(pos, cap_of[cat]) + max(neg, floor_of[cat])

    out = {}
    for person, cat in {(e[0], e[1]) for e in entries}:
        mine = [(per, pts) for who, c, per, pts in entries if who == person and c == cat]
        quarters = {q: [pts for per, pts in mine if per == f"{year}Q{q}"] for q in range(1, 5)}
        if quarter is None:
            whole = [pts for per, pts in mine if per == str(year)]
            if cat in yearly:
                value = capped(whole + [p for q in quarters.values() for p in q], cat)
            else:
                value = capped(whole, cat) + sum(capped(quarters[q], cat) for q in range(1, 5))
            relevant = bool(whole) or any(quarters.values())
        elif cat in yearly:
            value = (capped([p for q in range(1, quarter + 1) for p in quarters[q]], cat)
                     - capped([p for q in range(1, quarter) for p in quarters[q]], cat))
            relevant = any(quarters[q] for q in range(1, quarter + 1))
        else:
            value, relevant = capped(quarters[quarter], cat), bool(quarters[quarter])
        if relevant:
            out[(person, cat)] = value
    return out


def test_capped_points_match_the_rules_written_out(county, users, cats):
    """Random entries over a year (quarters, the year itself, the year before, a pending one): every
    person's capped total per category equals the rule applied by hand, for each quarter and the year."""
    rng = np.random.default_rng(7)
    people = [county[name] for name in ("zhangsan", "lisi", "wangwu")]
    codes = ["2023Q4", "2024", "2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    entries = []
    for _ in range(90):
        person = people[int(rng.integers(len(people)))]
        cat = list(cats.values())[int(rng.integers(3))]
        period = codes[int(rng.integers(len(codes)))]
        pts = int(rng.integers(1, 5)) * (-1 if cat.code == "penalty" or rng.random() < 0.2 else 1)
        services.points_post(person=person, period=period, category=cat, points=pts, reason="r",
                             actor=users["admin"], approved=True)
        entries.append((person.pk, cat.pk, period, float(pts)))
    services.points_post(person=people[0], period="2024Q1", category=cats["task"], points=4, reason="待审",
                         actor=users["admin"])  # pending: never counted
    kept = [e for e in entries if e[2] != "2023Q4"]
    for period in ("2024Q1", "2024Q2", "2024Q3", "2024Q4", "2024"):
        want = _reference(kept, cats, period)
        res = selectors.capped_points(period=period, categories=list(cats.values()))
        for (person, cat), value in want.items():
            got, _cut = res.column_sum([cat], np.array([person]))
            assert got[0] == pytest.approx(value), (period, person, cat)
        assert set(res.person.tolist()) == {p for p, _c in want}


def _entries():
    return list(PointEntry.objects.order_by("pk").values_list("pk", "person_id", "points")), AuditEvent.objects.count()


def test_posting_by_hand_is_refused_outside_the_actors_scope(county, users, cats):
    before = _entries()
    with pytest.raises(ValidationError) as exc:  # 王五 works in 舞阳街道, outside 武康街道's reach
        services.points_post(person=county["wangwu"], period="2024Q1", category=cats["task"], points=1,
                             reason="x", actor=users["town1"])
    assert "管辖范围" in exc.value.message_dict["person"][0]
    with pytest.raises(ValidationError):
        services.points_post(unit=county["u2"], period="2024Q1", category=cats["task"], points=1, reason="x",
                             actor=users["town1"])
    assert _entries() == before


def test_post_page_chooses_the_person_with_a_picker_in_scope(client, users, county, cats):
    client.force_login(users["town1"])
    page = client.get("/ledger/new/").content.decode()
    assert 'name="person_q"' in page and "pick/people/" in page and "身份证号" not in page
    assert page.count("<option") <= len(cats) + 1  # the category select only
    data = {"period": "2024Q1", "category": cats["task"].pk, "points": "2", "reason": "先进事迹"}
    before = _entries()
    r = client.post("/ledger/new/", {**data, "person": str(county["wangwu"].pk)})  # posted from outside scope
    assert r.status_code == 200 and "不在您的管辖范围内" in r.content.decode()
    assert _entries() == before
    r = client.post("/ledger/new/", {**data, "person_q": "张三"})  # typed, resolved in scope
    assert r.status_code == 302
    assert PointEntry.objects.get(pk=int(r.url.rstrip("/").split("/")[-1])).person == county["zhangsan"]
