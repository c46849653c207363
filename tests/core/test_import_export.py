"""Excel import/export of the registers: messy real sheets, whole-file validation, round trips."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from bole.core.models import AuditEvent
from bole.core.registers import export_register, import_register, template_for
from bole.org.models import Person
from bole.org.registers import PEOPLE, UNITS

HEAD = ["姓名", "身份证号", "性别", "出生日期", "手机号码", "所在单位", "职务", "职级", "政治面貌", "科级领导干部"]


def xlsx(rows, title_rows=(), sheet="人员名单", merge=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in title_rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def idn(birth, seq):
    from bole.org.validators import id_check_char

    first = f"330521{birth}{seq:03d}"
    return first + id_check_char(first)


def test_messy_real_world_sheet_imports(users, county):
    rows = [
        HEAD,
        ["  孙八 ", idn("19900301", 11), "男", dt.date(1990, 3, 1), "１３８１２３４５６７８", "武康街道党工委", "科员",
         "一级科员", "中共党员", "否"],
        ["周九", idn("19880512", 22), "女", 32275, "13912345678 ", "武康街道党工委 ", "副科长", "", "群众", "是"],
        ["吴十", idn("19920115", 31), "", "1992/1/15", 13712345678, "五四村村委会", "", "", "", ""],
        ["郑十一", idn("19850720", 42), "女", "1985年7月20日", "", "武康街道党工委", "", "", "共青团员", "√"],
        [None, None, None, None, None, None, None, None, None, None],
    ]
    data = xlsx(rows, title_rows=[["2024年武康街道干部名册"], ["填报单位：武康街道（盖章）"]], merge="A1:J1")
    report = import_register(register=PEOPLE, data=data, actor=users["town1"], dry_run=True)
    assert report.ok, [i.as_text() for i in report.issues]
    assert report.rows == 4 and report.created == 4
    assert not Person.objects.filter(name="孙八").exists()  # dry run writes nothing
    report = import_register(register=PEOPLE, data=data, actor=users["town1"], dry_run=False)
    assert report.ok and report.created == 4
    p = Person.objects.get(name="孙八")
    assert p.phone == "13812345678" and p.rank == "staff1" and p.is_party_member
    assert Person.objects.get(name="周九").birth_date == dt.date(1988, 5, 12)
    assert Person.objects.get(name="周九").is_section_leader
    assert AuditEvent.objects.filter(object_type="org.person", action="create", object_id=str(p.pk)).exists()
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_bad_sheet_writes_nothing_and_names_every_error(users, county):
    good = idn("19900301", 11)
    rows = [
        HEAD,
        ["好人", good, "男", "", "", "武康街道党工委", "", "", "", ""],
        ["坏号", 3.30521199001011e17, "", "", "", "武康街道党工委", "", "", "", ""],
        ["", idn("19900302", 13), "", "", "", "武康街道党工委", "", "", "", ""],
        ["外镇", idn("19900303", 15), "", "", "", "舞阳街道党工委", "", "", "", ""],
        ["重复", good, "", "", "", "武康街道党工委", "", "", "", ""],
        ["日期", idn("19900304", 17), "", "2024-13-45", "", "武康街道党工委", "", "", "", ""],
        ["电话", idn("19900305", 19), "", "", "12345", "武康街道党工委", "", "", "", ""],
        ["职级", idn("19900306", 21), "", "", "", "武康街道党工委", "", "局长", "", ""],
        ["校验", idn("19900307", 23)[:-1] + ("0" if idn("19900307", 23)[-1] != "0" else "1"), "", "", "",
         "武康街道党工委", "", "", "", ""],
        ["已有", county["zhangsan"].id_number, "", "", "", "武康街道党工委", "", "", "", ""],
    ]
    before = Person.objects.count()
    report = import_register(register=PEOPLE, data=xlsx(rows), actor=users["town1"], dry_run=False)
    assert not report.ok
    assert Person.objects.count() == before
    by_row = {(i.row, i.column.split("（")[0]): i for i in report.issues}
    assert "科学计数法" in by_row[(3, "B")].reason or "数字" in by_row[(3, "B")].reason
    assert by_row[(4, "A")].reason == "必填项为空"
    assert "管辖范围" in by_row[(5, "F")].reason
    assert "第2行重复" in by_row[(6, "B")].reason
    assert "日期" in by_row[(7, "D")].reason
    assert "电话" in by_row[(8, "E")].reason
    assert "应为以下之一" in by_row[(9, "H")].reason
    assert "校验位" in by_row[(10, "B")].reason
    assert "已存在" in by_row[(11, "B")].reason
    for i in report.issues:
        assert i.sheet == "人员名单" and i.row > 1 and i.reason
        assert "工作表" in i.as_text()


def test_missing_required_column_is_reported(users, county):
    report = import_register(register=PEOPLE, data=xlsx([["姓名", "职务"], ["张", "科员"]]), actor=users["admin"])
    assert not report.ok and "身份证号" in report.issues[0].reason


def test_admin_export_round_trips_unchanged(users, county):
    qs = PEOPLE.policy.restrict(Person.objects.all(), users["admin"], "export").order_by("id")
    data = export_register(register=PEOPLE, queryset=qs, actor=users["admin"])
    report = import_register(register=PEOPLE, data=data, actor=users["admin"], dry_run=False, update=True)
    assert report.ok, [i.as_text() for i in report.issues]
    assert report.created == 0 and report.updated == 0 and report.unchanged == 5
    assert not AuditEvent.objects.filter(action="update").exists()


def test_update_mode_changes_only_what_changed(users, county):
    qs = Person.objects.order_by("id")
    wb = load_workbook(io.BytesIO(export_register(register=PEOPLE, queryset=qs, actor=users["admin"])))
    ws = wb.active
    ws.cell(row=2, column=7, value="新职务")
    buf = io.BytesIO()
    wb.save(buf)
    report = import_register(register=PEOPLE, data=buf.getvalue(), actor=users["admin"], dry_run=False, update=True)
    assert report.ok and report.updated == 1 and report.unchanged == 4
    ev = AuditEvent.objects.get(action="update")
    assert ev.changes == {"position": ["", "新职务"]}


def test_town_admin_cannot_update_other_towns_record_by_import(users, county):
    qs = Person.objects.filter(pk=county["wangwu"].pk)
    data = export_register(register=PEOPLE, queryset=qs, actor=users["admin"])
    report = import_register(register=PEOPLE, data=data, actor=users["town1"], dry_run=False, update=True)
    assert not report.ok


def test_export_neutralises_formulas_and_round_trips(users, county):
    from bole.org import services

    services.person_update(person=county["lisi"], actor=users["admin"], position="=HYPERLINK(\"x\")")
    data = export_register(register=PEOPLE, queryset=Person.objects.order_by("id"), actor=users["admin"])
    ws = load_workbook(io.BytesIO(data)).active
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith("=") for v in values)
    assert "'=HYPERLINK(\"x\")" in values
    report = import_register(register=PEOPLE, data=data, actor=users["admin"], dry_run=True, update=True)
    assert report.ok and report.updated == 0


def test_export_masks_ids_unless_revealed(county):
    from bole.core.registers import default_export_value

    col = PEOPLE.column("id_number")
    p = county["lisi"]
    assert default_export_value(p, col, False) == p.id_masked
    assert default_export_value(p, col, True) == p.id_number


@pytest.mark.parametrize(
    "payload, reason",
    [
        (b"not a spreadsheet at all", "不是 Excel"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, ".xls"),
    ],
)
def test_non_xlsx_upload_rejected(users, county, payload, reason):
    report = import_register(register=PEOPLE, data=payload, actor=users["admin"])
    assert not report.ok and reason in report.issues[0].reason


def test_zip_bomb_rejected(users, county):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    report = import_register(register=PEOPLE, data=buf.getvalue(), actor=users["admin"])
    assert not report.ok and "压缩炸弹" in report.issues[0].reason


def test_oversized_upload_rejected(users, county, settings):
    settings.BOLE_IMPORT_MAX_BYTES = 1024
    report = import_register(register=PEOPLE, data=b"PK\x03\x04" + b"0" * 2048, actor=users["admin"])
    assert not report.ok and "文件过大" in report.issues[0].reason


def test_fifty_megabyte_upload_through_the_page_gets_clear_error(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))
    resp = login("admin").post("/people/import/", {"file": big})
    # Refused from its Content-Length, before Django parses the body (the import allows 30 MB).
    assert resp.status_code == 413
    assert "请求内容过大：上限为 30 MB" in resp.content.decode()


def test_template_has_dropdowns_and_text_id_column(users, county):
    wb = load_workbook(io.BytesIO(template_for(PEOPLE, users["admin"])))
    ws = wb.worksheets[0]
    assert ws.cell(row=1, column=1).value == "姓名*"
    assert ws.cell(row=2, column=2).number_format == "@"
    assert ws.data_validations.dataValidation, "choice columns carry dropdowns"
    # The template itself imports (empty) without error about headers.
    assert import_register(register=PEOPLE, data=template_for(PEOPLE, users["admin"]), actor=users["admin"]).ok


def test_template_names_only_the_units_in_scope(users, county):
    """A town admin's template offers its own units in the unit dropdown, never another town's."""
    admin = load_workbook(io.BytesIO(template_for(PEOPLE, users["admin"])))
    town = load_workbook(io.BytesIO(template_for(PEOPLE, users["town1"])))

    def names(wb):
        return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}

    assert "舞阳街道党工委" in names(admin)
    assert "武康街道党工委" in names(town) and "舞阳街道党工委" not in names(town)


def test_units_import_creates_through_service_with_paths(users, county):
    data = xlsx([["单位名称", "单位类型", "所在区划", "上级单位"], ["五四村股份经济合作社", "村社", "330521001001", "五四村村委会"]])
    report = import_register(register=UNITS, data=data, actor=users["admin"], dry_run=False)
    assert report.ok, [i.as_text() for i in report.issues]
    from bole.org.models import Unit

    u = Unit.objects.get(name="五四村股份经济合作社")
    assert u.path.startswith(county["u1v"].path)


def test_import_page_flow_check_then_confirm(login, county):
    """Upload → a background check (the page redirects to the job) → confirm on the job page → the import."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bole.core.models import Job

    c = login("town1")
    data = xlsx([HEAD, ["孙八", idn("19900301", 11), "", "", "", "武康街道党工委", "", "", "", ""]])
    resp = c.post("/people/import/", {"file": SimpleUploadedFile("p.xlsx", data)})
    check = Job.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/jobs/{check.pk}/"
    html = c.get(resp["Location"]).content.decode()
    assert "将新增 1" in html and "确认导入" in html and not Person.objects.filter(name="孙八").exists()
    resp = c.post(f"/jobs/{check.pk}/confirm/")
    done = Job.objects.exclude(pk=check.pk).get()
    assert resp["Location"] == f"/jobs/{done.pk}/" and done.status == "done" and done.result["created"] == 1
    assert "已新增 1" in c.get(resp["Location"]).content.decode()
    assert Person.objects.filter(name="孙八").exists()
    # The outcome file lists the row added (the ID number masked).
    wb = load_workbook(io.BytesIO(c.get(f"/jobs/{done.pk}/result/").content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == 2 and rows[1][2] == "新增" and "*" in rows[1][1]
    # A check is confirmed once by its owner only, and a write job is no check.
    assert c.post(f"/jobs/{check.pk}/confirm/").status_code == 404
    assert c.post(f"/jobs/{done.pk}/confirm/").status_code == 404
    assert login("town2").post(f"/jobs/{check.pk}/confirm/").status_code == 404

