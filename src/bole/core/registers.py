"""A register (名册) described once — its Excel columns, key, services, search — drives the list page,
the detail page, the template, the import, the export and the API alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .audit import audit_record, diff, snapshot
from .choices import AuditAction
from .excel import (
    CellIssue,
    WorkbookRejected,
    col_name,
    find_header,
    header_key,
    hidden_cells,
    parse_bool,
    parse_date,
    parse_int,
    read_sheets,
    sheet_states,
    text,
    unneutralise,
    write_template,
    write_workbook,
)
from .records import bulk_create_audited, bulk_update_audited, plain_row
from .scoping import Policy


@dataclass(frozen=True)
class Column:
    """One Excel column of a register: header, how to parse it, how to export it."""

    key: str
    header: str
    kind: str = "text"  # text | date | int | bool | choice | ref | id
    required: bool = False
    choices: type[models.TextChoices] | None = None
    aliases: tuple[str, ...] = ()
    note: str = ""
    mask: Callable[[str], str] | None = None  # sensitive: exported through this to roles without view_sensitive
    ref_options: Callable[[Any], Sequence[str]] | None = None  # the names a user may refer to (template dropdown)
    months: bool = False  # a date column that also takes a year and month alone (出生年月: 1990.05), as YearMonth


@dataclass
class Register:
    """Everything generic code needs to know about one register."""

    key: str
    model: type[models.Model]
    label: str
    policy: Policy
    columns: list[Column]
    key_field: str
    prepare: Callable[[dict[str, Any]], dict[str, Any]]
    search: Callable[[QuerySet, str], QuerySet]
    # Searches by personal identifiers (ID tail, phone): (qs, q, user=) -> rows, or None when q is none.
    # Limited to what the user may see in full, and audited, by the register's app.
    sensitive_search: Callable[..., QuerySet | None] | None = None
    # How to find rows by many keys when the key column cannot be compared (an encrypted one: by its digest).
    key_lookup: Callable[[Sequence[Any]], models.Q] | None = None
    resolve_refs: Callable[[list[dict[str, Any]], Any], dict[str, dict[str, Any]]] = lambda rows, user: {}
    export_value: Callable[[models.Model, Column, bool], Any] | None = None
    # Links the rows about to be created to records already on another register (a talent to the person with the
    # same ID number): (rows, user) -> how many were linked; one bulk lookup, never a query per row.
    link: Callable[[list[dict[str, Any]], Any], int] | None = None
    bulk: bool = True
    create_one: Callable[..., models.Model] | None = None
    update_one: Callable[..., models.Model] | None = None

    def header_map(self) -> dict[str, str]:
        out = {}
        for col in self.columns:
            for name in (col.header, *col.aliases):
                out[header_key(name)] = col.key
        return out

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def find(self, qs: QuerySet, q: str, user) -> QuerySet:
        """What a search box finds for this user: by a personal identifier if q is one, else `search`."""
        return find_rows(qs, q, user=user, search=self.search, sensitive_search=self.sensitive_search)


def find_rows(qs: QuerySet, q: str, *, user, search, sensitive_search=None) -> QuerySet:
    """Rows of qs a search box finds: `sensitive_search` (an identifier search that checks and audits the user's
    right to personal data; None when q is no identifier) where given, else the plain `search`."""
    if sensitive_search is not None:
        found = sensitive_search(qs, q, user=user)
        if found is not None:
            return found
    return search(qs, q)


# --- reading values ------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _choice_lookup(choices: type[models.TextChoices], lang: str) -> tuple[dict[str, str], str]:
    """Label or value → value, built once per choice class and language (labels are lazy strings)."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[str(label)] = value
        lookup[value] = value
    return lookup, "、".join(str(lbl) for _v, lbl in choices.choices)


def _choice_value(col: Column, raw: Any) -> str:
    lookup, options = _choice_lookup(col.choices, get_language() or "")
    try:
        return lookup[text(raw)]
    except KeyError:
        raise ValueError(_("应为以下之一：%(opts)s") % {"opts": options}) from None


def parse_cell(col: Column, raw: Any) -> Any:
    """Convert one cell by the column's kind; raises ValueError with the user-facing reason."""
    if col.kind == "date":
        return parse_date(raw, months=col.months)
    if col.kind == "int":
        return parse_int(raw)
    if col.kind == "bool":
        return parse_bool(raw)
    if col.kind == "choice":
        return _choice_value(col, raw)
    if col.kind == "id":
        if isinstance(raw, float):
            raise ValueError(
                _("身份证号被 Excel 存成了数字（%(v)s），末位已丢失；请把该列设为文本后重新填写")
                % {"v": repr(raw)}
            )
        return text(raw).upper()
    return unneutralise(text(raw))


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def as_written(raw: Any) -> str:
    """A cell's value as the user sees it in the file (for messages): text as typed, 19920115 not 19920115.0,
    a date cell as 1990-03-01."""
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


# First cell of a footer row: totals, signatures, dates, contacts under the table.
_FOOTER_EXACT = {"合计", "小计", "总计", "共计", "总数", "汇总"}
_FOOTER_PREFIX = ("合计", "小计", "总计", "共计", "填表人", "填报人", "制表人", "审核人", "审批人", "负责人",
                  "单位负责人", "经办人", "联系人", "联系电话", "填表日期", "填报日期", "制表日期", "备注", "说明")


def _footer_word(row: Sequence[Any], key_index: int | None) -> str:
    """The footer word a row starts with (合计, 填表人, ...), or '' for a data row. A row with its key cell filled
    (other than by the footer word itself: 合计 in a 单位名称 column) is data whatever its first cell says."""
    at = next((i for i, v in enumerate(row) if not _is_blank(v)), None)
    if at is None:
        return ""
    if key_index is not None and key_index != at and key_index < len(row) and not _is_blank(row[key_index]):
        return ""
    key = header_key(row[at])
    if key in _FOOTER_EXACT:
        return key
    return next((w for w in _FOOTER_PREFIX if key.startswith(w)), "")


def _rows_text(rows: Sequence[int]) -> str:
    shown = "、".join(str(r) for r in rows[:10])
    return shown + ("等" if len(rows) > 10 else "")


# --- import --------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did or would do; nothing is written when `issues` is non-empty."""

    register: str
    sheet: str = ""
    header_row: int = 0  # the Excel row number of the header used
    notes: list[str] = field(default_factory=list)  # what the reader saw and set aside (hidden rows, footers)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0  # new rows linked to existing records of another register (`Register.link`)
    dry_run: bool = True
    issues: list[CellIssue] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    # (Excel row, key value, "create" | "update" | "unchanged") of every row, once the file is free of errors
    outcomes: list[tuple[int, Any, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def source(self) -> str:
        """Which sheet and header row were read: 工作表“人员名单”，第 2 行为表头."""
        if not self.sheet:
            return ""
        return _("工作表“%(s)s”，第 %(r)d 行为表头") % {"s": self.sheet, "r": self.header_row}


def _fits(register: Register, mapping: dict[int, str]) -> bool:
    keys = set(mapping.values())
    return bool(keys) and all(c.key in keys for c in register.columns if c.required)


def _data_sheet(register: Register, sheets, visible: dict[str, bool], wanted: str | None, report: ImportReport):
    """The sheet holding the register, or None with an issue added. The one named by `wanted`; else the only
    visible sheet whose header has every required column; else (none fits) the best-matching one, so the
    missing columns are named. Two or more fitting sheets: the user must choose."""
    known = register.header_map()
    found = [(name, rows, *find_header(rows, known)) for name, rows in sheets]
    if wanted:
        for name, rows, r, mapping in found:
            if name == wanted:
                return name, rows, mapping, r
        report.issues.append(CellIssue("", 0, "", wanted, _("工作簿中没有名为“%(s)s”的工作表（有：%(all)s）")
                                       % {"s": wanted, "all": "、".join(f"“{n}”" for n, _rows in sheets)}))
        return None
    fitting = [f for f in found if _fits(register, f[3])]
    shown = [f for f in fitting if visible.get(f[0], True)]
    for name, *_rest in fitting:
        if not visible.get(name, True):
            report.notes.append(_("隐藏的工作表“%(s)s”格式也相符，未读取；如要导入它，请指定该工作表") % {"s": name})
    if len(shown) > 1:
        report.issues.append(CellIssue("", 0, "", "", _(
            "工作簿中有 %(n)d 个工作表都符合%(r)s的格式：%(all)s；请指定要导入的工作表") % {
            "n": len(shown), "r": register.label, "all": "、".join(f"“{f[0]}”" for f in shown)}))
        return None
    if shown:
        name, rows, r, mapping = shown[0]
        return name, rows, mapping, r
    best = max(found, key=lambda f: len(f[3]), default=None)
    if best is None:
        report.issues.append(CellIssue("", 0, "", "", _("工作簿中没有工作表")))
        return None
    name, rows, r, mapping = best
    return name, rows, mapping, r


class _NoProgress:
    def phase(self, label: str, total: int = 0) -> None: ...

    def advance(self, n: int = 1) -> None: ...


def import_register(
    *, register: Register, data: bytes, actor, dry_run: bool = True, update: bool = False, progress=None,
    sheet: str | None = None,
) -> ImportReport:
    """Validate a whole workbook, then (unless dry-run or any error) write it in one transaction.

    Errors name sheet, row, column, value and reason. In update mode rows whose key already exists
    (within the actor's scope) update that record; otherwise an existing key is an error. `progress` (a
    `bole.core.tasks.JobContext` or a CLI bar) is told each phase and the rows done. `sheet` names the sheet to
    read when more than one fits; `report.source` says which sheet and header row were read, `report.notes`
    what was set aside (hidden rows, footer rows).
    """
    progress = progress or _NoProgress()
    report = ImportReport(register=register.key, dry_run=dry_run)
    if not register.policy.allows(actor, "import", register.model):
        report.issues.append(CellIssue("", 0, "", "", _("您没有导入此名册的权限")))
        return report
    progress.phase(_("读取文件"))
    try:
        sheets = read_sheets(data)
    except WorkbookRejected as exc:
        report.issues.append(CellIssue("", 0, "", "", str(exc)))
        return report
    chosen = _data_sheet(register, sheets, sheet_states(data), sheet, report)
    if chosen is None:
        return report
    sheet, rows, mapping, header_row = chosen
    report.sheet = sheet
    report.header_row = header_row + 1 if header_row >= 0 else 1
    cols_by_key = {c.key: c for c in register.columns}
    known = register.header_map()
    hidden_cols, hidden_rows = hidden_cells(data, sheet)
    header = rows[header_row] if header_row >= 0 else []
    for idx in hidden_cols:
        key = known.get(header_key(header[idx])) if idx < len(header) else None
        if key:
            report.issues.append(CellIssue(sheet, header_row + 1, col_name(idx, as_written(header[idx])), "", _(
                "这是隐藏列，表头与“%(h)s”相符；请删除该列或取消隐藏并核对后再导入") % {"h": cols_by_key[key].header}))
    if report.issues:
        return report
    if hidden_cols:
        report.notes.append(_("隐藏列 %(c)s 未读取（表头与本名册的列不符）") % {
            "c": "、".join(get_column_letter(i + 1) for i in hidden_cols[:10])})
    shown_hidden = [r + 1 for r in hidden_rows if r > header_row and r < len(rows)
                    and not all(_is_blank(v) for v in rows[r])]
    if shown_hidden:
        report.notes.append(_("第 %(r)s 行是隐藏行，已照常读取；请确认这些行应当导入") % {"r": _rows_text(shown_hidden)})
    missing = [c.header for c in register.columns if c.required and c.key not in mapping.values()]
    if missing:
        report.issues.append(
            CellIssue(sheet, header_row + 1 if header_row >= 0 else 1, "", "", _("缺少必填列：%(c)s") % {"c": "、".join(missing)})
        )
        return report
    position = {key: idx for idx, key in mapping.items()}

    def headed(idx: int, col: Column) -> str:  # the column's header as the file writes it (出生年月, not 出生日期)
        return (as_written(header[idx]) if idx < len(header) else "") or col.header

    parsed: list[tuple[int, dict[str, Any]]] = []
    issues = report.issues
    flagged: set[tuple[int, str]] = set()  # one reason per cell: the first found is the real one
    written: dict[tuple[int, str], str] = {}  # (Excel row, key) → the cell as the file has it, for messages
    key_index = position.get(register.key_field)
    footers: list[tuple[int, str]] = []
    progress.phase(_("解析各行"), max(0, len(rows) - header_row - 1))
    for r in range(header_row + 1, len(rows)):
        if r % 1000 == 0:
            progress.advance(1000)
        row = rows[r]
        if all(_is_blank(v) for v in row):
            continue
        word = _footer_word(row, key_index)
        if word:
            footers.append((r + 1, word))
            continue
        values: dict[str, Any] = {}
        for key, idx in position.items():
            col = cols_by_key[key]
            raw = row[idx] if idx < len(row) else None
            if _is_blank(raw):
                if col.required:
                    issues.append(CellIssue(sheet, r + 1, col_name(idx, headed(idx, col)), "", _("必填项为空")))
                    flagged.add((r + 1, key))
                continue
            written[(r + 1, key)] = as_written(raw)
            try:
                values[key] = parse_cell(col, raw)
            except ValueError as exc:
                issues.append(CellIssue(sheet, r + 1, col_name(idx, headed(idx, col)), as_written(raw), str(exc)))
                flagged.add((r + 1, key))
        parsed.append((r + 1, values))
    report.rows = len(parsed)
    if footers:
        report.notes.append(_("第 %(r)s 行是表尾（%(w)s），已跳过") % {
            "r": _rows_text([r for r, _w in footers]), "w": "、".join(dict.fromkeys(w for _r, w in footers))})

    def issue(rownum: int, key: str, value: Any, reason: str) -> None:
        if (rownum, key) in flagged:
            return
        flagged.add((rownum, key))
        idx = position.get(key)
        col = cols_by_key.get(key)
        where = col_name(idx, headed(idx, col)) if idx is not None and col else key
        issues.append(CellIssue(sheet, rownum, where, written.get((rownum, key), as_written(value)), reason))

    # References (unit names, region codes, ...) resolved in one query each, within the actor's scope.
    progress.phase(_("核对引用"))
    ref_errors = register.resolve_refs([v for _r, v in parsed], actor)
    for i, (rownum, values) in enumerate(parsed):
        for key, reason in ref_errors.get(i, {}).items():
            issue(rownum, key, values.get(key, ""), reason)

    prepared: list[tuple[int, dict[str, Any]]] = []
    progress.phase(_("校验各行"), len(parsed))
    for n, (rownum, values) in enumerate(parsed, 1):
        if n % 500 == 0:
            progress.advance(500)
        try:
            prepared.append((rownum, register.prepare(values)))
        except ValidationError as exc:
            for key, msgs in exc.message_dict.items():
                issue(rownum, key, values.get(key, ""), "；".join(msgs))

    # Duplicate keys inside the file.
    seen: dict[Any, int] = {}
    for rownum, values in prepared:
        k = values.get(register.key_field)
        if k in seen:
            issue(rownum, register.key_field, k, _("与第%(r)d行重复") % {"r": seen[k]})
        else:
            seen[k] = rownum

    # Against the database: one query per chunk of keys.
    model = register.model
    existing: dict[Any, models.Model] = {}
    keys = list(seen)
    progress.phase(_("与系统中已有记录核对"), len(keys))
    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        progress.advance(len(chunk))
        match = register.key_lookup(chunk) if register.key_lookup else models.Q(**{f"{register.key_field}__in": chunk})
        for obj in model._default_manager.filter(match):
            existing[getattr(obj, register.key_field)] = obj
    in_scope: set[int] = set()
    if existing and update:
        allowed = register.policy.restrict(model._default_manager.all(), actor, "change")
        ids = [o.pk for o in existing.values()]
        for start in range(0, len(ids), 5000):
            in_scope.update(allowed.filter(pk__in=ids[start : start + 5000]).values_list("pk", flat=True))
    creates: list[dict[str, Any]] = []
    updates: list[tuple[models.Model, dict[str, Any]]] = []
    update_rows: list[tuple[int, Any]] = []
    for rownum, values in prepared:
        k = values.get(register.key_field)
        obj = existing.get(k)
        if obj is None:
            creates.append(values)
            report.outcomes.append((rownum, k, "create"))
        elif not update:
            issue(rownum, register.key_field, k, _("系统中已存在该记录（如需更新，请选择“按关键字更新”）"))
        elif obj.pk not in in_scope:
            issue(rownum, register.key_field, k, _("该记录不在您的管辖范围内，不能更新"))
        else:
            updates.append((obj, values))
            update_rows.append((rownum, k))

    if register.link is not None and creates and not issues:
        report.linked = register.link(creates, actor)
        if report.linked:
            report.notes.append(_("其中 %(n)d 行按身份证号关联到人员名册中已有的人员，不另建新人员") % {"n": report.linked})
    report.preview = [dict(v) for v in creates[:20]]
    if issues:
        issues.sort(key=lambda i: (i.row, i.column))
        return report

    changing = [_would_change(obj, values) for obj, values in updates]
    report.unchanged = changing.count(False)
    report.outcomes += [(r, k, "update" if c else "unchanged") for (r, k), c in zip(update_rows, changing, strict=True)]
    report.outcomes.sort()
    report.created = len(creates)
    report.updated = len(updates) - report.unchanged
    if dry_run:
        return report
    progress.phase(_("写入"), len(creates) + len(updates))
    with transaction.atomic():
        if register.bulk:
            bulk_create_audited(model=model, rows=creates, actor=actor, progress=progress.advance)
        else:
            for values in creates:
                register.create_one(actor=actor, **values)
                progress.advance()
        bulk_update_audited(objs_and_data=updates, actor=actor)
        progress.advance(len(updates))
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=model(),
            changes={"register": register.key, "created": report.created, "updated": report.updated},
        )
    return report


def _would_change(obj: models.Model, values: dict[str, Any]) -> bool:
    """Whether applying the row would change the record (the same diff the audited update writes)."""
    return bool(diff(snapshot(obj, values.keys()), plain_row(values)))


# --- export & template ---------------------------------------------------------------------------


def default_export_value(obj: models.Model, col: Column, reveal: bool) -> Any:
    value = getattr(obj, col.key, "")
    if col.kind == "choice":
        return getattr(obj, f"get_{col.key}_display")()
    if col.kind == "bool":
        return "是" if value else "否"
    if col.kind == "ref":
        return str(value) if value is not None else ""
    if col.mask is not None and not reveal and value:
        return col.mask(value)
    return value


def export_register(*, register: Register, queryset: QuerySet, actor, progress=None) -> bytes:
    """The (already scoped and filtered) rows as .xlsx with the import headers, so it re-imports."""
    reveal = register.policy.allows(actor, "view_sensitive", register.model)
    getter = register.export_value or default_export_value
    cols = register.columns
    progress = progress or _NoProgress()

    def counted():
        for i, obj in enumerate(queryset.iterator(chunk_size=2000), 1):
            if i % 500 == 0:
                progress.advance(500)
            yield obj

    rows = ((getter(obj, c, reveal) for c in cols) for obj in counted())
    data = write_workbook(
        sheet_title=register.label,
        headers=[c.header for c in cols],
        rows=rows,
        text_columns=[i for i, c in enumerate(cols) if c.kind in {"id", "text"}],
    )
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=register.model(),
        changes={"register": register.key, "rows": queryset.count(), "full_ids": reveal},
    )
    return data


def template_for(register: Register, user) -> bytes:
    """The blank import template with dropdowns for choice, yes/no and reference columns (the references the
    user may name: their own scope's units, not the county's)."""
    cols = register.columns
    choices: dict[int, Sequence[str]] = {}
    for i, c in enumerate(cols):
        if c.kind == "choice":
            choices[i] = [str(lbl) for _v, lbl in c.choices.choices]
        elif c.kind == "bool":
            choices[i] = ["是", "否"]
        elif c.kind == "ref" and c.ref_options:
            opts = list(c.ref_options(user))
            if 0 < len(opts) <= 2000:
                choices[i] = opts
    return write_template(
        sheet_title=register.label,
        headers=[(c.header, c.required, c.note) for c in cols],
        choices=choices,
        text_columns=[i for i, c in enumerate(cols) if c.kind in {"id"} or c.key in {"phone", "code"}],
    )

