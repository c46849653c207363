"""The State Council notice (pasted) and a sheet of dates (uploaded) read into one arrangement, and the reasons
the reader gives in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bole.core.excel import WorkbookRejected, read_sheets, sheet_states
from bole.engines.holiday_notice import NoticeProblem, NoticeResult, merge_results, parse_notice, parse_rows

MAX_SHEET_ROWS = 400

# One message per engine code, placeholders as the engine fills them (weekdays are given by name here).
PROBLEM_TEXT = {
    "no_year": gettext_lazy("请选择年份，或连同标题（关于XXXX年部分节假日安排的通知）一起粘贴"),
    "year_mismatch": gettext_lazy("通知标题是 %(stated)s 年，所选年份是 %(year)s 年"),
    "no_items": gettext_lazy("没有找到“一、元旦：……”这样的条目"),
    "no_month": gettext_lazy("“%(text)s”没有月份"),
    "bad_date": gettext_lazy("“%(text)s”不是有效日期"),
    "weekday_mismatch": gettext_lazy("%(date)s 是%(actual)s，通知写的是%(stated)s（年份对吗？）"),
    "no_holiday_date": gettext_lazy("“放假”之前没有找到日期"),
    "range_ends": gettext_lazy("“至”的两端应各有一个日期"),
    "range_backwards": gettext_lazy("结束日期 %(end)s 早于开始日期 %(start)s"),
    "range_too_long": gettext_lazy("一次放假超过 31 天，日期可能有误"),
    "total_mismatch": gettext_lazy("写明共%(stated)s天，日期算出 %(counted)s 天"),
    "no_workday_date": gettext_lazy("“上班”之前没有找到日期"),
    "workday_not_weekend": gettext_lazy("调休上班日 %(date)s 是%(actual)s，应为周六或周日"),
    "repeated": gettext_lazy("%(date)s 重复出现"),
    "item_without_holiday": gettext_lazy("这一条没有放假日期"),
    "out_of_year": gettext_lazy("%(date)s 不在 %(year)s 年的安排范围内"),
    "row_bad_date": gettext_lazy("日期“%(value)s”无法识别（应为 %(year)s-01-01 这样的日期）"),
    "row_bad_kind": gettext_lazy("类型“%(value)s”应为“放假”或“上班”"),
    "no_holidays": gettext_lazy("没有读到放假日期"),
    "years_differ": gettext_lazy("通知与表格的年份不一致"),
    "kind_conflict": gettext_lazy("%(date)s 在通知与表格中一处为放假、一处为上班"),
}
WEEKDAYS = [gettext_lazy("星期一"), gettext_lazy("星期二"), gettext_lazy("星期三"), gettext_lazy("星期四"),
            gettext_lazy("星期五"), gettext_lazy("星期六"), gettext_lazy("星期日")]


def problem_line(problem: NoticeProblem) -> tuple[str, str]:
    """(where, why) of one refused line, as the page lists it."""
    params = dict(problem.params)
    for key in ("actual", "stated"):
        if key in params and problem.code in ("weekday_mismatch", "workday_not_weekend"):
            params[key] = str(WEEKDAYS[params[key]])
    if problem.row is not None:
        where = _("表格第 %(row)s 行") % {"row": problem.row}
    else:
        where = problem.item or _("全文")
    return where, str(PROBLEM_TEXT[problem.code]) % params


def sheet_rows(data: bytes) -> list[tuple]:
    """The first visible sheet's first three columns (日期, 类型, 名称); WorkbookRejected for a bad file."""
    sheets = read_sheets(data)
    visible = sheet_states(data)
    for name, rows in sheets:
        if visible.get(name, True):
            if len(rows) > MAX_SHEET_ROWS:
                raise WorkbookRejected(_("表格超过 %(n)s 行，不像一年的节假日安排") % {"n": MAX_SHEET_ROWS})
            return [tuple(r[:3]) for r in rows]
    raise WorkbookRejected(_("工作簿里没有可见的工作表"))


def read_arrangement(*, year: int, text: str = "", sheet: bytes | None = None) -> NoticeResult:
    """The notice and/or the sheet for one year, merged; the problems name every refused line."""
    parts = []
    if text.strip():
        parts.append(parse_notice(text, year=year))
    if sheet is not None:
        parts.append(parse_rows(sheet_rows(sheet), year=year))
    if not parts:
        return NoticeResult(year=year, problems=[NoticeProblem("no_holidays")])
    return merge_results(*parts)
