"""Workbooks as counties really send them — several sheets, hidden columns and rows, footers, 出生年月 — and the
exact words the user is shown for each."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from bole.core.excel import hidden_cells, parse_date, parse_month
from bole.core.models import Job, JobStatus
from bole.core.registers import import_register
from bole.org.models import Person
from bole.org.registers import PEOPLE

from .test_import_export import HEAD, idn

pytestmark = pytest.mark.django_db

UNIT = "武康街道党工委"


def person(name, birth, seq, **cells):
    row = dict(zip(HEAD, [name, idn(birth, seq), "", "", "", UNIT, "", "", "", ""], strict=True))
    row.update(cells)
    return [row[h] for h in HEAD]


def book(*sheets, hide_cols=(), hide_rows=()) -> bytes:
    """sheets: (title, rows); the hidden columns and rows apply to the first sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    first = wb.worksheets[0]
    for c in hide_cols:
        first.column_dimensions[c].hidden = True
    for r in hide_rows:
        first.row_dimensions[r].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def check(data, users, **kw):
    return import_register(register=PEOPLE, data=data, actor=users["admin"], dry_run=True, **kw)


def texts(report):
    return [i.as_text() for i in report.issues]


def test_the_report_names_the_sheet_and_header_row(users, county):
    data = book(("人员名单", [["2024年干部名册"], HEAD, person("孙八", "19900301", 11)]))
    report = check(data, users)
    assert report.ok and report.source == "工作表“人员名单”，第 2 行为表头"


def test_two_fitting_sheets_ask_which_and_the_named_one_is_read(users, county):
    old = ("2023年", [HEAD, person("旧人", "19800101", 11)])
    new = ("2024年", [HEAD, *[person(f"新人{i}", "19900301", 20 + i) for i in range(8)]])
    data = book(old, new, ("说明", [["填表说明"], ["身份证号须为18位"]]))
    report = check(data, users)
    assert texts(report) == ["工作簿中有 2 个工作表都符合人员的格式：“2023年”、“2024年”；请指定要导入的工作表"]
    assert report.issues[0].reason == "工作簿中有 2 个工作表都符合人员的格式：“2023年”、“2024年”；请指定要导入的工作表"
    report = check(data, users, sheet="2024年")
    assert report.ok and report.rows == 8 and report.source == "工作表“2024年”，第 1 行为表头"
    report = check(data, users, sheet="2025年")
    assert report.issues[0].reason == "工作簿中没有名为“2025年”的工作表（有：“2023年”、“2024年”、“说明”）"


def test_a_hidden_sheet_is_not_chosen_and_is_noted(users, county):
    wb = Workbook()
    ws = wb.active
    ws.title = "旧表"
    ws.append(HEAD)
    ws.append(person("旧人", "19800101", 11))
    ws.sheet_state = "hidden"
    cur = wb.create_sheet("人员名单")
    cur.append(HEAD)
    cur.append(person("孙八", "19900301", 11))
    buf = io.BytesIO()
    wb.save(buf)
    report = check(buf.getvalue(), users)
    assert report.ok and report.sheet == "人员名单"
    assert report.notes == ["隐藏的工作表“旧表”格式也相符，未读取；如要导入它，请指定该工作表"]


def test_a_hidden_column_headed_like_a_field_is_an_error(users, county):
    head = ["姓名", "身份证号", *HEAD[1:]]
    stale = idn("19800101", 99)
    rows = [head, [*person("孙八", "19900301", 11)[:1], stale, *person("孙八", "19900301", 11)[1:]]]
    report = check(book(("人员名单", rows), hide_cols=["B"]), users)
    assert report.issues[0].reason == "这是隐藏列，表头与“身份证号”相符；请删除该列或取消隐藏并核对后再导入"
    assert report.issues[0].as_text() == (
        "工作表“人员名单”第1行 B（身份证号） 列（值：空）：这是隐藏列，表头与“身份证号”相符；请删除该列或取消隐藏并核对后再导入")


def test_hidden_rows_and_other_hidden_columns_are_noted(users, county):
    head = [*HEAD, "内部备用"]
    rows = [head, person("孙八", "19900301", 11) + ["x"], person("周九", "19880512", 22) + ["y"]]
    report = check(book(("人员名单", rows), hide_cols=["K"], hide_rows=[3]), users)
    assert report.ok and report.rows == 2
    assert report.notes == ["隐藏列 K 未读取（表头与本名册的列不符）", "第 3 行是隐藏行，已照常读取；请确认这些行应当导入"]


def test_footer_rows_are_skipped_with_a_note(users, county):
    rows = [HEAD, person("孙八", "19900301", 11), person("周九", "19880512", 22),
            ["合计", "", "", "", "", "", "", "", "", "2"], [], ["填表人：王五", "", "", "审核人：赵六"],
            ["联系电话：0572-8888888"], ["填表日期：2024年3月1日"]]
    report = check(book(("人员名单", rows)), users)
    assert report.ok, texts(report)
    assert report.rows == 2 and report.created == 2
    assert report.notes == ["第 4、6、7、8 行是表尾（合计、填表人、联系电话、填表日期），已跳过"]


def test_birth_month_agreeing_with_the_id_is_taken(users, county):
    rows = [[*HEAD[:3], "出生年月", *HEAD[4:]],
            person("甲", "19900515", 11, 出生日期="1990.05"),
            person("乙", "19900515", 13, 出生日期="1990年5月"),
            person("丙", "19900515", 15, 出生日期=199005),
            person("丁", "19900515", 17, 出生日期=1990.05)]
    report = check(book(("人员名单", rows)), users)
    assert report.ok, texts(report)
    report = import_register(register=PEOPLE, data=book(("人员名单", rows)), actor=users["admin"], dry_run=False)
    assert str(Person.objects.get(name="甲").birth_date) == "1990-05-15"
    wrong = [rows[0], person("戊", "19900515", 19, 出生日期="1990.06")]
    report = check(book(("人员名单", wrong)), users)
    assert texts(report) == ["工作表“人员名单”第2行 D（出生年月） 列（值：1990.06）：出生年月与身份证号不一致（身份证号为 1990年5月）"]


def test_a_number_like_19920115_is_a_date(users, county):
    report = check(book(("人员名单", [HEAD, person("吴十", "19920115", 31, 出生日期=19920115)])), users)
    assert report.ok, texts(report)
    assert str(parse_date(19920115)) == "1992-01-15" and str(parse_date(32275)) == "1988-05-12"
    assert str(parse_month("1990-5")) == "1990-05-01" and parse_month(1990.1).month == 10


def test_gender_mismatch_says_the_gender_and_quotes_the_file(users, county):
    report = check(book(("人员名单", [HEAD, person("孙八", "19900301", 11, 性别="女")])), users)
    assert texts(report) == ["工作表“人员名单”第2行 C（性别） 列（值：女）：性别与身份证号不一致（身份证号为男）"]


def test_errors_quote_the_value_as_the_file_has_it(users, county):
    rows = [HEAD, person("孙八", "19900301", 11, 出生日期="１９９０/3/2"), person("周九", "19880512", 22, 出生日期=19880513)]
    report = check(book(("人员名单", rows)), users)
    assert [i.value for i in report.issues] == ["１９９０/3/2", "19880513"]


def test_the_job_page_and_the_command_name_the_sheet(users, login, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = book(("名单", [["2024年名册"], HEAD, person("孙八", "19900301", 11), ["合计", "", "", "", "", "", "", "", "", "1"]]))
    c = login("admin")
    c.post("/people/import/", {"file": SimpleUploadedFile("p.xlsx", data)})
    job = Job.objects.get()
    assert job.status == JobStatus.DONE
    assert job.result["lines"][:3] == ["工作表“名单”，第 2 行为表头", "第 4 行是表尾（合计），已跳过",
                                       "共 1 行：将新增 1，将更新 0，未变化 0"]
    two = book(("甲", [HEAD, person("孙八", "19900301", 11)]), ("乙", [HEAD, person("周九", "19880512", 22)]))
    c.post("/people/import/", {"file": SimpleUploadedFile("p.xlsx", two), "sheet": "乙"})
    job = Job.objects.latest("pk")
    assert job.params["sheet"] == "乙" and job.result["lines"][0] == "工作表“乙”，第 1 行为表头"
    path = tmp_path / "p.xlsx"
    path.write_bytes(two)
    out = io.StringIO()
    call_command("import", "people", str(path), "--dry-run", "--sheet", "甲", stdout=out)
    assert out.getvalue().splitlines()[0] == "工作表“甲”，第 1 行为表头"


def test_hidden_cells_reads_only_the_sheet_asked(users):
    data = book(("甲", [["a", "b"], [1, 2]]), ("乙", [["c"]]), hide_cols=["B"], hide_rows=[2])
    assert hidden_cells(data, "甲") == ([1], [1]) and hidden_cells(data, "乙") == ([], [])


def test_the_api_takes_the_sheet(users, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bole.core.api import token_issue

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['admin'])}"}
    two = book(("甲", [HEAD, person("孙八", "19900301", 11)]), ("乙", [HEAD, person("周九", "19880512", 22)]))
    client.post("/api/v1/registers/people/imports", {"file": SimpleUploadedFile("p.xlsx", two), "dry_run": True},
                **auth)
    job = Job.objects.latest("pk")
    assert job.status == JobStatus.FAILED
    assert job.errors == ["工作簿中有 2 个工作表都符合人员的格式：“甲”、“乙”；请指定要导入的工作表"]
    client.post("/api/v1/registers/people/imports",
                {"file": SimpleUploadedFile("p.xlsx", two), "dry_run": True, "sheet": "乙"}, **auth)
    job = Job.objects.latest("pk")
    assert job.status == JobStatus.DONE and job.result["lines"][0] == "工作表“乙”，第 1 行为表头"


def test_a_footer_in_the_key_column_is_still_a_footer(users, county):
    from bole.org.registers import UNITS

    rows = [["单位名称", "单位类型", "所在区划", "上级单位"], ["五四村股份经济合作社", "村社", "330521001001", "五四村村委会"],
            ["合 计", "", "", ""], ["制表人：王五"]]
    report = import_register(register=UNITS, data=book(("单位", rows)), actor=users["admin"], dry_run=True)
    assert report.ok, texts(report)
    assert report.rows == 1 and report.notes == ["第 3、4 行是表尾（合计、制表人），已跳过"]


def test_identifiers_below_the_standards_are_named_with_their_cell(users, county):
    """The GB/T 2260 and GB 32100 rules reach the import with the sheet, row, column and the value as written."""
    from bole.org.registers import ENTERPRISES
    from bole.org.validators import credit_check_char, id_check_char

    fake = "000000199003010116"[:17]
    fake += id_check_char(fake)
    retired = "110103199003010116"[:17]  # 崇文区, merged into 东城区 in 2010: still a valid number
    retired += id_check_char(retired)
    rows = [HEAD, person("孙八", "19900301", 11, 身份证号=fake), person("周九", "19900301", 11, 身份证号=retired)]
    assert texts(check(book(("人员名单", rows)), users)) == [
        f"工作表“人员名单”第2行 B（身份证号） 列（值：{fake}）：身份证号前6位 000000 不是有效的行政区划代码（GB/T 2260）"]

    letters = "913305A1MA2B3C4D5"
    letters += credit_check_char(letters)
    authority = "B1330521MA2B3C4D5"
    authority += credit_check_char(authority)
    ent_head = ["企业名称", "统一社会信用代码", "行业", "所在区划"]
    ents = [ent_head, ["甲公司", "000000000000000000", "C", "五四村"], ["乙公司", letters, "C", "五四村"],
            ["丙公司", authority, "C", "五四村"]]
    report = import_register(register=ENTERPRISES, data=book(("企业", ents)), actor=users["admin"], dry_run=True)
    assert texts(report) == [
        "工作表“企业”第2行 B（统一社会信用代码） 列（值：000000000000000000）："
        "统一社会信用代码 000000000000000000 是占位号码，请填写营业执照或登记证书上的代码",
        f"工作表“企业”第3行 B（统一社会信用代码） 列（值：{letters}）："
        "统一社会信用代码第3—8位 3305A1 是登记管理机关行政区划码，只能是数字",
        f"工作表“企业”第4行 B（统一社会信用代码） 列（值：{authority}）："
        "统一社会信用代码第1位 B 不是登记管理部门代码（GB 32100）",
    ]
