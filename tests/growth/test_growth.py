"""Growth records: the checklist, every entry transition, mentor sign-off, postings, scope and the dashboard."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.core.figures import values
from bole.core.models import AuditEvent
from bole.growth import selectors, services
from bole.growth.choices import EntryStatus
from bole.growth.models import ChecklistItem


def test_record_gets_ten_entries_due_from_start(young):
    wang = young["wang"]
    entries = list(wang.entries.select_related("item"))
    assert len(entries) == 10 == ChecklistItem.objects.count()
    by_name = {e.item.name: e.due_date for e in entries}
    assert by_name["一次国情调研"] == dt.date(2025, 8, 1)
    assert by_name["一次驻村蹲苗"] == dt.date(2027, 8, 1)


def test_only_young_cadres_get_a_record(county, users):
    with pytest.raises(ValidationError, match="选调生"):
        services.growth_record_create(person=county["qianqi"], cohort=2024, started_on=dt.date(2024, 8, 1),
                                      actor=users["admin"])


def test_checklist_is_the_county_s(young, users):
    with pytest.raises(PermissionDenied):
        services.checklist_item_create(actor=users["town1"], name="一次外出学习")
    item = services.checklist_item_create(actor=users["admin"], name="一次外出学习", due_months=6, sort=11)
    assert services.growth_entries_sync(record=young["wang"], actor=users["admin"]) == 1
    assert young["wang"].entries.get(item=item).due_date == dt.date(2025, 2, 1)


def _entry_in(young, state):
    entry = young["wang"].entries.order_by("item__sort").first()
    if state in {"submitted", "signed", "returned"}:
        services.growth_entry_submit(entry=entry, evidence="参加防汛抢险三天", actor=young["wang_user"],
                                     done_on=dt.date(2025, 7, 1))
    if state == "signed":
        services.growth_entry_transition(entry=entry, to="signed", actor=young["mentor_user"], comment="表现突出")
    if state == "returned":
        services.growth_entry_transition(entry=entry, to="returned", actor=young["mentor_user"], comment="补照片")
    entry.refresh_from_db()
    return entry


@pytest.mark.parametrize(("start", "to"), list(itertools.product(EntryStatus.values, EntryStatus.values)))
def test_entry_moves(young, start, to):
    entry = _entry_in(young, start)
    assert entry.status == start
    if to == "submitted" and not entry.evidence:
        entry.evidence = "材料"
        entry.save(update_fields=["evidence"])
    actor = young["wang_user"] if to == "submitted" else young["mentor_user"]
    if to in services.TRANSITIONS[start]:
        services.growth_entry_transition(entry=entry, to=to, actor=actor, comment="意见")
        entry.refresh_from_db()
        assert entry.status == to
        assert AuditEvent.objects.filter(object_type="growth.growthentry", object_id=str(entry.pk),
                                         action="transition").first().changes["status"] == [start, to]
    else:
        with pytest.raises(ValidationError, match="不能从"):
            services.growth_entry_transition(entry=entry, to=to, actor=actor, comment="意见")


def test_who_signs(young, users, county):
    entry = _entry_in(young, "submitted")
    for name in ("town2", "town1"):  # unit admins keep records but do not sign for the mentor
        with pytest.raises(PermissionDenied):
            services.growth_entry_transition(entry=entry, to="signed", actor=users[name])
    with pytest.raises(PermissionDenied):  # nor does the young cadre sign their own
        services.growth_entry_transition(entry=entry, to="signed", actor=young["wang_user"])
    with pytest.raises(ValidationError, match="写明"):
        services.growth_entry_transition(entry=entry, to="returned", actor=young["mentor_user"])
    services.growth_entry_transition(entry=entry, to="signed", actor=young["mentor_user"], comment="同意")
    entry.refresh_from_db()
    assert entry.signed_by == county["zhangsan"] and entry.signed_at is not None


def test_evidence_is_required_and_only_the_owner_submits(young, users):
    entry = young["wang"].entries.first()
    with pytest.raises(ValidationError, match="佐证"):
        services.growth_entry_transition(entry=entry, to="submitted", actor=young["wang_user"])
    with pytest.raises(PermissionDenied):
        services.growth_entry_submit(entry=entry, evidence="x", actor=young["mentor_user"])
    with pytest.raises(PermissionDenied):  # another town's admin
        services.growth_entry_submit(entry=entry, evidence="x", actor=users["town1"])
    services.growth_entry_submit(entry=entry, evidence="由舞阳街道代为录入", actor=users["town2"])


def test_postings(young, users, county):
    wang = young["wang"]
    services.posting_add(record=wang, place="塔山社区", unit=county["u2v"], role="书记助理",
                         starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2025, 2, 28), actor=users["town2"])
    with pytest.raises(ValidationError, match="重叠"):
        services.posting_add(record=wang, place="城北社区", starts_on=dt.date(2025, 1, 1), actor=users["town2"])
    with pytest.raises(ValidationError):
        services.posting_add(record=wang, place="城北社区", starts_on=dt.date(2025, 6, 1),
                             ends_on=dt.date(2025, 5, 1), actor=users["town2"])
    with pytest.raises(PermissionDenied):
        services.posting_add(record=wang, place="五四村", starts_on=dt.date(2025, 6, 1), actor=users["town1"])
    services.posting_add(record=wang, place="城北社区", starts_on=dt.date(2025, 3, 1), actor=users["admin"])
    assert wang.postings.count() == 2


def test_scope(young, users):
    wang, li = young["wang"], young["li"]
    assert set(selectors.record_list(user=users["admin"])) == {wang, li}
    assert list(selectors.record_list(user=users["town2"])) == [wang]
    assert list(selectors.record_list(user=users["town1"])) == [li]
    assert list(selectors.record_list(user=users["unit1v"])) == [li]
    assert list(selectors.record_list(user=young["wang_user"])) == [wang]
    assert list(selectors.record_list(user=young["mentor_user"])) == [wang]  # 张三 mentors 王五
    assert not selectors.record_list(user=users["ent"]).exists()
    assert not selectors.record_list(user=young["mentor_user"], action="change").exists()


def test_dashboard_hand_computed(young, users):
    """2024 cohort (王五): 10 entries, 1 signed, 1 submitted; as of 2025-09-01 the four items due 2025-08-01
    (国情调研, 信访接待, 基层宣讲 — one signed — and nothing else) are overdue unless signed."""
    _entry_in(young, "signed")  # 一次攻坚行动 (sort 1)
    second = young["wang"].entries.get(item__name="一次国情调研")
    services.growth_entry_submit(entry=second, evidence="调研报告", actor=young["wang_user"])
    board = {row["cohort"]: row for row in selectors.cohort_dashboard(user=users["admin"],
                                                                       today=dt.date(2025, 9, 1))}
    w = board[2024]
    assert (w["records"], w["total"], w["signed"], w["submitted"]) == (1, 10, 1, 1)
    assert w["overdue"] == 3  # 国情调研, 信访接待, 基层宣讲 due 2025-08-01, none signed
    assert w["rate"] == pytest.approx(10.0)
    assert {i["item"].name: i["signed"] for i in w["items"]}["一次攻坚行动"] == 1
    # 2023 cohort (李四, from 2023-08-01): three 12-month, one 18-month and four 24-month items are past due
    assert board[2023]["signed"] == 0 and board[2023]["overdue"] == 8
    # a town admin sees only their own cohort rows
    assert [r["cohort"] for r in selectors.cohort_dashboard(user=users["town2"])] == [2024]
    assert values(user=users["admin"])["growth_records"] == 2
    assert values(user=users["town2"])["growth_records"] == 1
