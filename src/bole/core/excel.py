"""Excel (.xlsx) reading and writing that survives real files: title rows, full-width digits, dates in
every form, IDs mangled to floats, zip bombs, formula injection."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_INJECTION = ("=", "+", "-", "@", "\t", "\r")


class WorkbookRejected(ValueError):
    """The upload is not a workbook we will open (too big, not xlsx, a zip bomb); message says why."""


@dataclass(frozen=True)
class CellIssue:
    """One problem in an uploaded sheet, located exactly: sheet, Excel row, column, value, reason."""

    sheet: str
    row: int
    column: str
    value: str
    reason: str

    def as_text(self) -> str:
        if not self.sheet and not self.row:  # about the whole file (which sheet, permission, not a workbook)
            return self.reason
        return _("工作表“%(s)s”第%(r)d行 %(c)s 列（值：%(v)s）：%(why)s") % {
            "s": self.sheet,
            "r": self.row,
            "c": self.column,
            "v": self.value or _("空"),
            "why": self.reason,
        }


def text(value: Any) -> str:
    """A cell as clean text: NFKC (full-width → half-width), trimmed, ideographic spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ").strip()
    return s


def header_key(value: Any) -> str:
    """Headers compare without any whitespace or trailing marks such as * (required)."""
    return re.sub(r"[\s*＊:：]", "", text(value))


class YearMonth(dt.date):
    """A date known only to the month (出生年月 written 1990.05): the first of that month, marked as such."""

    month_only = True


_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


def _month(year: int, month: int) -> YearMonth:
    if not 1900 <= year <= 2100 or not 1 <= month <= 12:
        raise ValueError(_("无法识别的年月，请写成 1990.05 或 1990年5月"))
    return YearMonth(year, month, 1)


def parse_month(value: Any) -> YearMonth:
    """A year and month from 1990.05, 1990-5, 1990年5月, 199005 (text or number)."""
    if isinstance(value, float) and not value.is_integer():
        year = int(value)
        return _month(year, round((value - year) * 100))
    if isinstance(value, int | float) and not isinstance(value, bool):
        n = int(value)
        return _month(n // 100, n % 100)
    s = text(value)
    for pat in _MONTH_PATTERNS:
        m = pat.match(s)
        if m:
            return _month(int(m[1]), int(m[2]))
    raise ValueError(_("无法识别的年月，请写成 1990.05 或 1990年5月"))


def parse_date(value: Any, *, months: bool = False) -> dt.date:
    """A date from a date cell, an Excel serial, a number like 19920115, or text like 2024-03-01, 2024/3/1,
    2024年3月1日. With `months`, a year and month alone (1990.05, 1990年5月, 199005) gives a YearMonth."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if months and (not float(value).is_integer() or 190001 <= value <= 210012):
            return parse_month(value)
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            n = int(value)
            try:
                return dt.date(n // 10000, n // 100 % 100, n % 100)
            except ValueError:
                pass
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(_("日期数值超出范围"))
    s = text(value)
    if months and any(p.match(s) for p in _MONTH_PATTERNS):
        return parse_month(s)
    if re.fullmatch(r"\d{5}(\.0+)?", s):
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(s)))
    for pat in _DATE_PATTERNS:
        m = pat.match(s)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise ValueError(_("无法识别的日期，请写成 2024-03-01、2024/3/1 或 2024年3月1日"))


def parse_int(value: Any) -> int:
    """An integer from a number cell or number-as-text (1,234 / 1234.0)."""
    if isinstance(value, bool):
        raise ValueError(_("应为整数"))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    s = text(value).replace(",", "")
    if re.fullmatch(r"-?\d+(\.0+)?", s):
        return int(float(s))
    raise ValueError(_("应为整数"))


def parse_number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    s = text(value).replace(",", "")
    try:
        return float(s)
    except ValueError:
        raise ValueError(_("应为数字")) from None


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "0", "", "×", "无"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    s = text(value).lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(_("应填“是”或“否”"))


def check_upload(data: bytes) -> None:
    """Reject what is not a sane .xlsx before any parser sees it."""
    if len(data) > settings.BOLE_IMPORT_MAX_BYTES:
        raise WorkbookRejected(
            _("文件过大（%(mb).1f MB），上限为 %(max)d MB；请拆分后分批导入")
            % {"mb": len(data) / 1048576, "max": settings.BOLE_IMPORT_MAX_BYTES // 1048576}
        )
    if not data.startswith(b"PK\x03\x04"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise WorkbookRejected(_("这是旧版 .xls 文件；请在 Excel 中另存为 .xlsx 后再导入"))
        raise WorkbookRejected(_("文件不是 Excel 工作簿（.xlsx）"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > 2000:
                raise WorkbookRejected(_("工作簿结构异常（包含的部件过多）"))
            unpacked = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if unpacked > settings.BOLE_IMPORT_MAX_UNPACKED or unpacked / packed > 200:
                raise WorkbookRejected(_("工作簿解压后异常巨大（疑似压缩炸弹），已拒绝"))
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise WorkbookRejected(_("文件不是 Excel 工作簿（.xlsx）"))
    except zipfile.BadZipFile:
        raise WorkbookRejected(_("文件已损坏，无法作为 .xlsx 打开")) from None


def read_sheets(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    """All sheets of a checked upload as (name, rows of typed cell values)."""
    from python_calamine import CalamineWorkbook

    check_upload(data)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names]
    except Exception as exc:  # calamine raises its own error types for broken parts
        raise WorkbookRejected(_("无法读取工作簿：%(e)s") % {"e": str(exc)[:200]}) from None


def sheet_states(data: bytes) -> dict[str, bool]:
    """{sheet name: visible} of a checked upload (a hidden or very hidden sheet is not visible)."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {m.name: str(m.visible).endswith(".Visible") for m in wb.sheets_metadata}
    except Exception:
        return {}


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b")


def _unescape(b: bytes) -> str:
    import html

    return html.unescape(b.decode("utf-8"))


def hidden_cells(data: bytes, sheet: str) -> tuple[list[int], list[int]]:
    """The hidden (column indexes, row indexes), 0-based, of one sheet of a checked upload. Read from the sheet's
    XML with regular expressions (calamine does not say; openpyxl would parse every cell): the <cols> ranges and
    the <row hidden="1"> tags only."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            target = None
            rid = None
            for tag in _SHEET_TAG.findall(zf.read("xl/workbook.xml")):
                attrs = {k.split(b":")[-1] if k != b"r:id" else b"rid": v for k, v in _ATTR.findall(tag)}
                if _unescape(attrs.get(b"name", b"")) == sheet:
                    rid = attrs.get(b"rid") or attrs.get(b"id")
            for tag in _REL_TAG.findall(zf.read("xl/_rels/workbook.xml.rels")):
                attrs = dict(_ATTR.findall(tag))
                if attrs.get(b"Id") == rid:
                    t = _unescape(attrs[b"Target"])
                    target = t.lstrip("/") if t.startswith("/") else "xl/" + t
            if target is None:
                return [], []
            xml = zf.read(target)
    except (KeyError, zipfile.BadZipFile):
        return [], []
    cols: set[int] = set()
    head = xml[: xml.find(b"sheetData")] if b"sheetData" in xml else xml
    for tag in _COL_TAG.findall(head):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get(b"hidden") in (b"1", b"true"):
            cols.update(range(int(attrs[b"min"]) - 1, int(attrs[b"max"])))
    rows = []
    at = xml.find(b'hidden="')
    while at >= 0:  # few or none: find the attribute, then the tag it sits in
        start = xml.rfind(b"<", 0, at)
        tag = xml[start : xml.find(b">", at) + 1]
        at = xml.find(b'hidden="', at + 8)
        if _ROW_TAG.match(tag) and re.search(rb'\bhidden="(?:1|true)"', tag):
            r = dict(_ATTR.findall(tag)).get(b"r")
            if r:
                rows.append(int(r) - 1)
    return sorted(cols), rows


def find_header(rows: Sequence[Sequence[Any]], known: dict[str, str], scan: int = 30) -> tuple[int, dict[int, str]]:
    """Locate the header row (title rows and merged cells may sit above it): the row among the first
    `scan` that names the most known columns. Returns (row index, {column index: key})."""
    best = (-1, {})
    for r, row in enumerate(rows[:scan]):
        mapping = {}
        for c, cell in enumerate(row):
            key = known.get(header_key(cell))
            if key and key not in mapping.values():
                mapping[c] = key
        if len(mapping) > len(best[1]):
            best = (r, mapping)
    return best


def col_name(index: int, header: str) -> str:
    """'C（身份证号）' — the letter users see plus the header."""
    return f"{get_column_letter(index + 1)}（{header}）"


def neutralise(value: Any) -> Any:
    """Export-side defence against formula injection: text starting with = + - @ gets a leading '."""
    if isinstance(value, str) and value.startswith(_INJECTION):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Import-side inverse of neutralise, so an export round-trips unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def write_workbook(
    *,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_columns: Iterable[int] = (),
    title: str = "",
) -> bytes:
    """A streamed .xlsx: bold header row, text format for identifier columns, injection neutralised."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    text_cols = set(text_columns)
    for i, h in enumerate(headers):
        ws.column_dimensions[get_column_letter(i + 1)].width = max(10, min(40, len(h) * 2 + 4))
    ws.freeze_panes = "A2"
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        out = []
        for i, v in enumerate(row):
            v = neutralise(v)
            if i in text_cols and v not in (None, ""):
                cell = WriteOnlyCell(ws, value=str(v))
                cell.number_format = "@"
                out.append(cell)
            elif isinstance(v, dt.date):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            else:
                out.append(v)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(
    *,
    sheet_title: str,
    headers: Sequence[tuple[str, bool, str]],
    choices: dict[int, Sequence[str]],
    text_columns: Iterable[int] = (),
    example: Sequence[Any] | None = None,
) -> bytes:
    """An import template: headers (required ones marked *), notes, dropdowns for choice columns,
    text format on identifier columns so Excel cannot turn them into floats."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    lists = wb.create_sheet("选项")
    for i, (header, required, note) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=i, value=f"{header}*" if required else header)
        cell.font = Font(bold=True, color="B00000" if required else "000000")
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(header) * 2 + 6)
        if note:
            from openpyxl.comments import Comment

            cell.comment = Comment(note, "Bole")
    for i in text_columns:
        for r in range(2, 5002):
            ws.cell(row=r, column=i + 1).number_format = "@"
    for i, options in choices.items():
        letter = get_column_letter(i + 1)
        for r, opt in enumerate(options, start=1):
            lists.cell(row=r, column=i + 1, value=opt)
        dv = DataValidation(
            type="list",
            formula1=f"'选项'!${letter}$1:${letter}${len(options)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("输入有误"),
            error=_("请从下拉列表中选择"),
        )
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}5001")
    if example:
        for i, v in enumerate(example, start=1):
            ws.cell(row=2, column=i, value=v)
    ws.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
