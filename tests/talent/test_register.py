"""The register: whole-file Excel import (a bad row names sheet, row, column, value and reason and nothing is
written), export that re-imports, search by name / pinyin / employer / field, scope and the logged reveal."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from bole.core.models import AuditEvent
from bole.core.registers import export_register, import_register
from bole.org.demo import make_id_number
from bole.talent import selectors, services
from bole.talent.models import Talent
from bole.talent.registers import TALENTS

HEAD = ["姓名", "身份证号", "人才层次", "专业领域", "行业", "学历", "来源", "用人单位", "所在区划", "到岗日期"]


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "人才"
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ids(n, seed=5):
    rng = random.Random(seed)
    return [make_id_number(rng, "330521", dt.date(1988, 1, i + 1), i % 2 == 0) for i in range(n)]


def test_import_writes_all_rows_in_bulk(county, users):
    ids = _ids(3)
    data = _xlsx([
        ["王小明", ids[0], "省级", "智能制造", "制造业", "博士研究生", "引进", "德清华盛机械有限公司", "武康街道", "2024-03-01"],
        ["李华", ids[1], "县级", "数字经济", "信息技术服务业", "硕士研究生", "培养", "", "330521002", ""],
        ["赵雪", ids[2], "县特色人才", "乡村旅游", "住宿和餐饮业", "大学本科", "引进", county["e2"].credit_code, "舞阳街道", ""],
    ])
    report = import_register(register=TALENTS, data=data, actor=users["admin"], dry_run=False)
    assert report.ok, [i.as_text() for i in report.issues]
    assert report.created == 3
    t = Talent.objects.get(name="王小明")
    assert (t.level, t.employer, t.region_code, t.stage, t.name_pinyin) == (
        "provincial", county["e1"], "330521001", "serve", "wangxiaoming")
    assert Talent.objects.get(name="赵雪").employer == county["e2"]
    assert AuditEvent.objects.filter(object_type="talent.talent", action="create").count() == 3


def test_a_bad_row_names_its_cell_and_nothing_is_written(county, users):
    ids = _ids(2)
    data = _xlsx([
        ["王小明", ids[0], "省级", "智能制造", "制造业", "博士研究生", "引进", "", "武康街道", ""],
        ["李华", ids[1], "院士级", "数字经济", "信息技术服务业", "硕士研究生", "培养", "", "不存在镇", ""],
    ])
    report = import_register(register=TALENTS, data=data, actor=users["admin"], dry_run=False)
    assert not report.ok and not Talent.objects.exists()
    texts = [(i.sheet, i.row, i.column, i.value) for i in report.issues]
    assert ("人才", 3, "C（人才层次）", "院士级") in texts
    assert any(i.row == 3 and "区划" in i.reason for i in report.issues)


def test_town_staff_import_only_into_their_town(county, users):
    ids = _ids(1)
    data = _xlsx([["王小明", ids[0], "省级", "智能制造", "制造业", "博士研究生", "引进", "", "舞阳街道", ""]])
    report = import_register(register=TALENTS, data=data, actor=users["town1"], dry_run=False)
    assert not report.ok and not Talent.objects.exists()


def test_export_reimports_and_masks_for_roles_without_reveal(talent, other_talent, users):
    data = export_register(register=TALENTS, queryset=Talent.objects.order_by("id"), actor=users["admin"])
    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    assert header[:2] == ["姓名", "身份证号"] and len(list(ws.rows)) == 3
    Talent.objects.all().delete()  # the test DB only: re-import the same file
    report = import_register(register=TALENTS, data=data, actor=users["admin"], dry_run=False)
    assert report.ok and report.created == 2, [i.as_text() for i in report.issues]


def test_search_by_name_pinyin_initials_employer_field(talent, other_talent, users):
    admin = users["admin"]
    qs = selectors.talent_list(user=admin)

    def found(q):
        return set(selectors.talent_search(qs, q, user=admin).values_list("name", flat=True))

    assert found("李") == {"李四"}
    assert found("lisi") == {"李四"} and found("ls") == {"李四"} and found("zhou") == {"周八"}
    assert found("华盛") == {"李四"}  # the employer 德清华盛机械有限公司
    assert found("智能") == {"周八"}  # the field 智能制造
    assert found("nobody") == set()


def test_scope_region_staff_see_their_town_only(talent, other_talent, users, talent_user):
    names = {k: set(selectors.talent_list(user=users[k]).values_list("name", flat=True)) for k in
             ("admin", "town1", "town2", "ent")}
    assert names == {"admin": {"李四", "周八"}, "town1": {"李四"}, "town2": {"周八"}, "ent": set()}
    # the talent sees their own record; the liaison (张三) the talents assigned to them
    assert set(selectors.talent_list(user=talent_user).values_list("name", flat=True)) == {"李四"}
    assert set(selectors.talent_list(user=users["cadre"]).values_list("name", flat=True)) == {"李四"}


def test_reveal_is_logged_and_limited(other_talent, users):
    from django.core.exceptions import PermissionDenied

    got = services.talent_reveal(talent=other_talent, actor=users["admin"])
    assert got["phone"] == "13800001111"
    assert AuditEvent.objects.filter(action="view_sensitive", object_type="talent.talent").count() == 1
    with pytest.raises(PermissionDenied):
        services.talent_reveal(talent=other_talent, actor=users["town1"])
    assert other_talent.id_masked.count("*") >= 8


def test_one_talent_per_person_and_per_id(talent, county, users):
    with pytest.raises(ValidationError):
        services.talent_create(actor=users["admin"], person=county["lisi"], level="county", field="x", industry="C",
                               education="master", origin="introduced", region=county["t1"])
    with pytest.raises(ValidationError):
        services.talent_create(actor=users["admin"], name="另一人", id_number=county["lisi"].id_number, level="county",
                               field="x", industry="C", education="master", origin="introduced", region=county["t1"])


def test_retention_counts_who_stayed(county, users, templates):
    from bole.talent.models import Talent as T

    ids = _ids(3, seed=9)
    today = dt.date.today()
    made = []
    for i, idn in enumerate(ids):
        made.append(services.talent_create(actor=users["admin"], name=f"留{i}", id_number=idn, level="county",
                                           field="x", industry="C", education="master", origin="introduced",
                                           region=county["t1"], arrival_date=today - dt.timedelta(days=800)))
    # one left after 100 days, one after 500 days, one stays: 12 months → 2 of 3, 24 months → 1 of 3
    for t, after in ((made[0], 100), (made[1], 500)):
        T.objects.filter(pk=t.pk).update(stage="left", status="left", left_on=t.arrival_date + dt.timedelta(days=after))
    keep = selectors.retention(T.objects.all())
    assert keep[12] == (3, 2) and keep[24] == (3, 1) and keep[36] == (0, 0)


def test_import_links_rows_to_people_on_the_register(county, users, talent, django_assert_max_num_queries):
    """A row whose ID number is a person's on the register links to that person (and takes the register's name)
    instead of making a new one; a person already a talent is left alone; the report counts the links."""
    new = _ids(1, seed=11)[0]
    data = _xlsx([
        ["王 五", county["wangwu"].id_number, "县级", "数字经济", "信息技术服务业", "硕士研究生", "培养", "", "舞阳街道", ""],
        ["赵六", county["zhaoliu"].id_number, "县级", "乡村旅游", "住宿和餐饮业", "大学本科", "培养", "", "舞阳街道", ""],
        ["新人", new, "县级", "乡村旅游", "住宿和餐饮业", "大学本科", "培养", "", "舞阳街道", ""],
    ])
    dry = import_register(register=TALENTS, data=data, actor=users["admin"], dry_run=True)
    assert dry.ok and dry.linked == 2 and any("关联" in n for n in dry.notes)
    assert not Talent.objects.filter(person=county["wangwu"]).exists()
    report = import_register(register=TALENTS, data=data, actor=users["admin"], dry_run=False)
    assert report.ok and (report.created, report.linked) == (3, 2)
    wangwu = Talent.objects.get(person=county["wangwu"])
    assert (wangwu.name, wangwu.name_pinyin) == ("王五", "wangwu")
    assert Talent.objects.get(person=county["zhaoliu"]).region_code == county["t2"].code
    assert Talent.objects.get(name="新人").person_id is None


def test_import_links_only_people_in_the_importers_scope(county, users, templates):
    """舞阳街道's office links its own people; a person of 武康街道 with the same ID stays unlinked."""
    data = _xlsx([
        ["王五", county["wangwu"].id_number, "县级", "数字经济", "信息技术服务业", "硕士研究生", "培养", "", "舞阳街道", ""],
        ["张三", county["zhangsan"].id_number, "县级", "数字经济", "信息技术服务业", "硕士研究生", "培养", "", "舞阳街道", ""],
    ])
    report = import_register(register=TALENTS, data=data, actor=users["town2"], dry_run=False)
    assert report.ok and report.linked == 1
    assert Talent.objects.get(name="王五").person == county["wangwu"]
    assert Talent.objects.get(name="张三").person_id is None


def test_import_link_lookup_is_bulk(county, users):
    """The link costs the same few queries for 5 rows as for 30: no query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n: int) -> int:
        ids = _ids(n, seed=n)
        people = [(p.name, p.id_number) for p in (county["wangwu"], county["zhaoliu"])]
        rows = [[name, idn, "县级", "数字经济", "信息技术服务业", "硕士研究生", "培养", "", "舞阳街道", ""]
                for name, idn in [*people, *((f"人{i}", ids[i]) for i in range(n))]]
        with CaptureQueriesContext(connection) as ctx:
            report = import_register(register=TALENTS, data=_xlsx(rows), actor=users["admin"], dry_run=True)
        assert report.ok and report.linked == 2
        return len(ctx.captured_queries)

    assert queries(28) == queries(3)
