"""Reading the towns' sheets of village figures, in the two shapes they send, with whole-file validation.

* **One sheet per town**: each visible sheet is named after a town (镇街) and lists its villages, a row each
  (村 or 区划代码, then one column per indicator).
* **One row per village**: one sheet with a 镇街 column (or 12-digit 区划代码) beside 村.

A sheet with a 月份 column holds this year's monthly operating income to date (村, 月份, 累计经营性收入) instead.
Headers are the indicators' names (a unit in brackets is allowed: 经营性收入（万元）) or codes. Every problem is named
with its sheet, row, column, value and reason; nothing is written while any remains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from bole.core.excel import (
    CellIssue,
    col_name,
    find_header,
    header_key,
    parse_int,
    parse_number,
    read_sheets,
    sheet_states,
    text,
)

from .models import Indicator

TOWN, VILLAGE, CODE, MONTH, TO_DATE = "_town", "_village", "_code", "_month", "_to_date"
IGNORED = {"序号", "备注", "说明"}
MAX_ROWS = 5000


@dataclass
class Parsed:
    """What a checked file holds: yearly values and monthly figures by village id, or the issues."""

    values: dict[tuple[int, int], float] = field(default_factory=dict)  # (village id, indicator id) -> value
    monthly: dict[tuple[int, int], float] = field(default_factory=dict)  # (village id, month) -> to date
    issues: list[CellIssue] = field(default_factory=list)
    villages: set[int] = field(default_factory=set)
    sheets: int = 0


def _strip_unit(s: str) -> str:
    return re.sub(r"[（(][^）)]*[）)]$", "", s)


def _known(indicators: list[Indicator]) -> dict[str, str]:
    known = {
        "镇街": TOWN, "镇(街道)": TOWN, "镇街道": TOWN, "乡镇": TOWN, "镇": TOWN, "街道": TOWN,
        "村": VILLAGE, "村名": VILLAGE, "行政村": VILLAGE, "村(社区)": VILLAGE,
        "区划代码": CODE, "行政区划代码": CODE,
        "月份": MONTH, "月": MONTH,
        "累计经营性收入": TO_DATE, "本年累计经营性收入": TO_DATE, "经营性收入累计": TO_DATE,
    }
    for ind in indicators:
        known[header_key(ind.name)] = f"i{ind.pk}"
        known[header_key(ind.code)] = f"i{ind.pk}"
    return known


def parse_workbook(data: bytes, *, indicators: list[Indicator], villages: list[Any], towns: list[Any]) -> Parsed:
    """Check every sheet; ``villages`` and ``towns`` are the regions the importer may write (id, code, name,
    parent_id). Raises WorkbookRejected for a file that is no workbook."""
    out = Parsed()
    known = _known(indicators)
    by_code = {v.code: v for v in villages}
    town_by_name = {t.name: t for t in towns}
    by_town_name: dict[tuple[int, str], Any] = {(v.parent_id, v.name): v for v in villages}
    name_count: dict[str, int] = {}
    for v in villages:
        name_count[v.name] = name_count.get(v.name, 0) + 1
    by_name = {v.name: v for v in villages}
    visible = sheet_states(data)
    seen_values: dict[int, tuple[str, int]] = {}
    seen_months: dict[tuple[int, int], tuple[str, int]] = {}
    for sheet, rows in read_sheets(data):
        if not visible.get(sheet, True):
            continue
        if not any(text(c) for row in rows for c in row):
            continue
        if len(rows) > MAX_ROWS:
            out.issues.append(CellIssue(sheet, 0, "", "", _("超过 %(n)s 行，请拆分后导入") % {"n": MAX_ROWS}))
            continue
        keyed = {header_key(_strip_unit(header_key(k))): v for k, v in known.items()}
        header_row, mapping = find_header(rows, {**known, **keyed})
        if header_row < 0:
            header_row, mapping = 0, {}
        headers = rows[header_row] if rows else []
        # Headers with a unit in brackets: match without it.
        for c, cell in enumerate(headers):
            if c not in mapping and text(cell):
                key = keyed.get(header_key(_strip_unit(text(cell))))
                if key and key not in mapping.values():
                    mapping[c] = key
        cols = set(mapping.values())
        if VILLAGE not in cols and CODE not in cols:
            out.issues.append(CellIssue(sheet, header_row + 1, "", "", _("找不到“村”或“区划代码”列")))
            continue
        for c, cell in enumerate(headers):
            h = text(cell)
            if h and c not in mapping and header_key(h) not in IGNORED:
                out.issues.append(CellIssue(sheet, header_row + 1, col_name(c, h), h,
                                            _("不是已配置的强村指标（请先在指标设置中添加，或删去此列）")))
        monthly = MONTH in cols
        if monthly and TO_DATE not in cols:
            out.issues.append(CellIssue(sheet, header_row + 1, "", "", _("有“月份”列时须有“累计经营性收入”列")))
            continue
        sheet_town = town_by_name.get(sheet.strip())
        out.sheets += 1
        for r in range(header_row + 1, len(rows)):
            row = rows[r]
            cells = {key: (row[c] if c < len(row) else None) for c, key in mapping.items()}
            if not any(text(v) for v in cells.values()):
                continue
            excel_row = r + 1

            def issue(key: str, value: Any, reason: str, _row=excel_row, mapping=mapping, sheet=sheet,
                      headers=headers) -> None:
                c = next((i for i, k in mapping.items() if k == key), 0)
                out.issues.append(CellIssue(sheet, _row, col_name(c, text(headers[c]) if c < len(headers) else ""),
                                            text(value), reason))

            village = None
            code = text(cells.get(CODE))
            vname = text(cells.get(VILLAGE))
            tname = text(cells.get(TOWN))
            if code:
                village = by_code.get(code)
                if village is None:
                    issue(CODE, code, _("不是您管辖范围内的村（区划代码）"))
                    continue
            else:
                if not vname:
                    issue(VILLAGE, vname, _("村名为空"))
                    continue
                town = town_by_name.get(tname) if tname else sheet_town
                if tname and town is None:
                    issue(TOWN, tname, _("不是您管辖范围内的镇街"))
                    continue
                if town is not None:
                    village = by_town_name.get((town.pk, vname))
                    if village is None:
                        issue(VILLAGE, vname, _("%(town)s没有这个村，或不在您的管辖范围") % {"town": town.name})
                        continue
                elif name_count.get(vname, 0) == 1:
                    village = by_name[vname]
                elif name_count.get(vname, 0) > 1:
                    issue(VILLAGE, vname, _("有多个同名村，请填写镇街或区划代码"))
                    continue
                else:
                    issue(VILLAGE, vname, _("不是您管辖范围内的村"))
                    continue
            if monthly:
                try:
                    month = parse_int(cells.get(MONTH))
                    if not 1 <= month <= 12:
                        raise ValueError(_("月份应为 1–12"))
                except ValueError as exc:
                    issue(MONTH, cells.get(MONTH), str(exc))
                    continue
                try:
                    amount = parse_number(cells.get(TO_DATE))
                    if amount < 0:
                        raise ValueError(_("不能为负数"))
                except ValueError as exc:
                    issue(TO_DATE, cells.get(TO_DATE), str(exc))
                    continue
                key = (village.pk, month)
                if key in seen_months:
                    s0, r0 = seen_months[key]
                    issue(MONTH, month, _("与工作表“%(s)s”第%(r)d行重复") % {"s": s0, "r": r0})
                    continue
                seen_months[key] = (sheet, excel_row)
                out.monthly[key] = amount
                out.villages.add(village.pk)
                continue
            if village.pk in seen_values:
                s0, r0 = seen_values[village.pk]
                issue(VILLAGE if vname else CODE, vname or code,
                      _("与工作表“%(s)s”第%(r)d行是同一个村") % {"s": s0, "r": r0})
                continue
            seen_values[village.pk] = (sheet, excel_row)
            out.villages.add(village.pk)
            for key, raw in cells.items():
                if not key.startswith("i") or not text(raw):
                    continue
                try:
                    number = parse_number(raw)
                except ValueError as exc:
                    issue(key, raw, str(exc))
                    continue
                if number != number or number in (float("inf"), float("-inf")):
                    issue(key, raw, _("应为数字"))
                    continue
                out.values[(village.pk, int(key[1:]))] = number
    if not out.sheets and not out.issues:
        out.issues.append(CellIssue("", 0, "", "", _("工作簿里没有数据")))
    # Months to date only grow within a year.
    by_village: dict[int, list[tuple[int, float]]] = {}
    for (vid, month), amount in out.monthly.items():
        by_village.setdefault(vid, []).append((month, amount))
    for vid, pairs in by_village.items():
        pairs.sort()
        for (m0, a0), (m1, a1) in zip(pairs, pairs[1:], strict=False):
            if a1 < a0:
                s, r = seen_months[(vid, m1)]
                out.issues.append(CellIssue(s, r, _("累计经营性收入"), f"{a1:g}",
                                            _("累计数不应小于 %(m)s 月的 %(a)s") % {"m": m0, "a": f"{a0:g}"}))
    return out
