"""Reading a year's holiday arrangement from the State Council notice or from a sheet of dates.

The notice (国务院办公厅关于YYYY年部分节假日安排的通知) lists one item per holiday in a fixed form::

    一、元旦：1月1日（周三）放假1天，不调休。
    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。

A sentence that says 放假 names the holiday dates before that word (one date, a list joined by 、, or a range
joined by 至, the end's month inherited from the start); a sentence ending in 上班 names adjusted working days.
Other sentences (不调休, 与周末连休, the 除夕 encouragement) carry no dates of the arrangement and are skipped.
The weekday a date is given with and the 共N天 total are checked against the calendar, so a notice pasted under
the wrong year or with a typo is refused with the line named instead of being half read.

Everything here is pure: text or rows in, a `NoticeResult` out; nothing is written until the caller confirms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

__all__ = [
    "CODES",
    "NoticeProblem",
    "NoticeResult",
    "merge_results",
    "parse_notice",
    "parse_rows",
    "notice_year",
]

HOLIDAY = "holiday"
WORKDAY = "workday"

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_FULLWIDTH = str.maketrans("０１２３４５６７８９：（），；", "0123456789:(),;")
_ITEM = re.compile(r"(?:^|(?<=[。\s]))([一二三四五六七八九十]+)、([^:：。\n]{1,20})[:：]")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?")
_TOTAL = re.compile(r"共(\d+)天")
_YEAR = re.compile(r"关于(\d{4})年部分节假日安排")
_KINDS = {
    "放假": HOLIDAY,
    "假日": HOLIDAY,
    "节假日": HOLIDAY,
    "休息": HOLIDAY,
    "holiday": HOLIDAY,
    "上班": WORKDAY,
    "调休上班": WORKDAY,
    "补班": WORKDAY,
    "工作日": WORKDAY,
    "workday": WORKDAY,
}


# What a problem can be: the code says why, `params` hold the values its reason names (weekdays as 0–6, Monday
# first). The reasons are worded where they are shown, through gettext (bole.cases.holiday_import.PROBLEM_TEXT).
CODES = frozenset({
    "no_year", "year_mismatch", "no_items", "no_month", "bad_date", "weekday_mismatch", "no_holiday_date",
    "range_ends", "range_backwards", "range_too_long", "total_mismatch", "no_workday_date", "workday_not_weekend",
    "repeated", "item_without_holiday", "out_of_year", "row_bad_date", "row_bad_kind", "no_holidays",
    "years_differ", "kind_conflict",
})


@dataclass(frozen=True)
class NoticeProblem:
    """A line the reader could not take: where (the item as the notice has it, or a sheet row) and why."""

    code: str
    item: str = ""  # the notice's item as written (二、春节), empty for a sheet row or the whole text
    row: int | None = None  # the sheet row, 1-based as Excel shows it
    params: dict = field(default_factory=dict)


def _p(code: str, where: str = "", **params: Any) -> NoticeProblem:
    return NoticeProblem(code=code, item=where, params=params)


@dataclass
class NoticeResult:
    """Holidays and adjusted working days read from one source, or the problems that stop it being used."""

    year: int | None
    holidays: list[tuple[date, str]] = field(default_factory=list)
    workdays: list[tuple[date, str]] = field(default_factory=list)
    problems: list[NoticeProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Usable as a whole: no problems and at least one holiday."""
        return not self.problems and bool(self.holidays)

    def entries(self) -> list[tuple[date, str, str]]:
        """(date, kind, name) in date order, the shape the calendar table stores."""
        out = [(d, HOLIDAY, n) for d, n in self.holidays] + [(d, WORKDAY, n) for d, n in self.workdays]
        return sorted(out)


def notice_year(text: str) -> int | None:
    """The year a pasted notice is about, from its title (关于2027年部分节假日安排的通知), if the title was pasted."""
    m = _YEAR.search(text.translate(_FULLWIDTH))
    return int(m.group(1)) if m else None


def _weekday_in(paren: str | None) -> int | None:
    """The weekday a parenthesis states (周三, 星期三, 农历除夕、周二), or None when it states none."""
    if not paren:
        return None
    m = re.search(r"(?:星期|周|礼拜)([一二三四五六日天])", paren)
    return _WEEKDAYS[m.group(1)] if m else None


def _dates(
    text: str, *, year: int, where: str, problems: list[NoticeProblem]
) -> list[tuple[date, int | None]]:
    """Each date in a clause as (date, stated weekday); the month carries over to a following bare day."""
    out: list[tuple[date, int | None]] = []
    month: int | None = None
    for m in _DATE.finditer(text):
        y = int(m.group(1)) if m.group(1) else None
        if m.group(2):
            month = int(m.group(2))
        if month is None:
            problems.append(_p("no_month", where, text=m.group(0)))
            continue
        if y is None:
            # A notice may start in the previous December (2018年12月30日至2019年1月1日); without a year, the month
            # of an item's first date decides: December before a January/February holiday is the previous year.
            y = year - 1 if month == 12 and "1月" in text[m.end() :] else year
        try:
            d = date(y, month, int(m.group(3)))
        except ValueError:
            problems.append(_p("bad_date", where, text=m.group(0)))
            continue
        out.append((d, _weekday_in(m.group(4))))
    return out


def _check_weekdays(
    days: list[tuple[date, int | None]], *, where: str, problems: list[NoticeProblem]
) -> bool:
    """A stated weekday must be the date's own: the usual sign of a notice pasted under the wrong year."""
    good = True
    for d, stated in days:
        if stated is not None and stated != d.weekday():
            problems.append(
                _p("weekday_mismatch", where, date=d.isoformat(), actual=d.weekday(), stated=stated)
            )
            good = False
    return good


def _holiday_days(clause: str, *, year: int, where: str, problems: list[NoticeProblem]) -> list[date]:
    """The dates a 放假 clause names: a range (A至B) or a list (A、B)."""
    found = _dates(clause, year=year, where=where, problems=problems)
    if not found:
        problems.append(_p("no_holiday_date", where))
        return []
    if not _check_weekdays(found, where=where, problems=problems):
        return []
    if "至" in clause:
        if len(found) != 2:
            problems.append(_p("range_ends", where))
            return []
        (start, _), (end, _) = found
        if end < start:
            problems.append(_p("range_backwards", where, start=start.isoformat(), end=end.isoformat()))
            return []
        if (end - start).days > 31:
            problems.append(_p("range_too_long", where))
            return []
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return [d for d, _ in found]


def parse_notice(text: str, *, year: int | None = None) -> NoticeResult:
    """Read the items of a State Council holiday notice; ``year`` when the pasted text has no title line."""
    text = text.translate(_FULLWIDTH).replace("\r", "")
    stated = notice_year(text)
    if year is None:
        year = stated
    result = NoticeResult(year=year)
    problems = result.problems
    if year is None:
        problems.append(_p("no_year"))
        return result
    if stated is not None and stated != year:
        problems.append(_p("year_mismatch", stated=stated, year=year))
        return result
    items = list(_ITEM.finditer(text))
    if not items:
        problems.append(_p("no_items"))
        return result
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for i, item in enumerate(items):
        name = item.group(2).strip()
        where = f"{item.group(1)}、{name}"
        body = text[item.end() : items[i + 1].start() if i + 1 < len(items) else len(text)]
        if i + 1 == len(items):
            body = body.strip().split("\n", 1)[0]  # the closing paragraphs and signature are no item's
        before = len(problems)
        item_holidays: list[date] = []
        for sentence in (s.strip() for s in body.split("。")):
            if not sentence:
                continue
            if "放假" in sentence:
                clause = sentence.split("放假", 1)[0]
                item_holidays += _holiday_days(clause, year=year, where=where, problems=problems)
                total = _TOTAL.search(sentence)
                if total and len(problems) == before and int(total.group(1)) != len(item_holidays):
                    problems.append(
                        _p("total_mismatch", where, stated=int(total.group(1)), counted=len(item_holidays))
                    )
            elif sentence.endswith("上班"):
                found = _dates(sentence, year=year, where=where, problems=problems)
                if not found:
                    problems.append(_p("no_workday_date", where))
                    continue
                if not _check_weekdays(found, where=where, problems=problems):
                    continue
                for d, _ in found:
                    if d.weekday() < 5:
                        problems.append(
                            _p("workday_not_weekend", where, date=d.isoformat(), actual=d.weekday())
                        )
                    elif d in workdays or d in holidays:
                        problems.append(_p("repeated", where, date=d.isoformat()))
                    else:
                        workdays[d] = name
        if not item_holidays and len(problems) == before:
            problems.append(_p("item_without_holiday", where))
        for d in item_holidays:
            if d in holidays or d in workdays:
                problems.append(_p("repeated", where, date=d.isoformat()))
            else:
                holidays[d] = name
    _check_span(holidays, workdays, year=year, problems=problems)
    if not problems:
        result.holidays = sorted(holidays.items())
        result.workdays = sorted(workdays.items())
    return result


def _check_span(holidays: dict, workdays: dict, *, year: int, problems: list[NoticeProblem]) -> None:
    """Dates belong to the year (the previous December may open 元旦's range, nothing later)."""
    first = date(year - 1, 12, 1)
    last = date(year, 12, 31)
    for d in sorted({*holidays, *workdays}):
        if not first <= d <= last:
            problems.append(_p("out_of_year", date=d.isoformat(), year=year))


def _cell_date(value: Any) -> date | None:
    """A date cell as Excel or a CSV gives it: a date, a datetime, or text like 2027-01-01 / 2027/1/1 / 2027年1月1日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return None
    text = str(value).strip().translate(_FULLWIDTH)
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_rows(rows: list[tuple[Any, ...]], *, year: int, first_row: int = 1) -> NoticeResult:
    """Read (date, kind, name) rows of a sheet; a first row whose date cell is no date is taken as the header."""
    result = NoticeResult(year=year)
    problems = result.problems
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for i, row in enumerate(rows):
        row_no = first_row + i
        cells = list(row) + [None] * (3 - len(row))
        raw_date, raw_kind, raw_name = cells[:3]
        if all(c is None or str(c).strip() == "" for c in cells[:3]):
            continue
        d = _cell_date(raw_date)
        if d is None:
            if i == 0:
                continue  # the header row (日期 / 类型 / 名称)
            problems.append(
                NoticeProblem("row_bad_date", row=row_no, params={"value": str(raw_date), "year": year})
            )
            continue
        kind = _KINDS.get(str(raw_kind or "").strip())
        if kind is None:
            problems.append(NoticeProblem("row_bad_kind", row=row_no, params={"value": str(raw_kind or "")}))
            continue
        name = str(raw_name or "").strip()[:40]
        if d in holidays or d in workdays:
            problems.append(NoticeProblem("repeated", row=row_no, params={"date": d.isoformat()}))
            continue
        if kind == WORKDAY and d.weekday() < 5:
            problems.append(
                NoticeProblem(
                    "workday_not_weekend", row=row_no, params={"date": d.isoformat(), "actual": d.weekday()}
                )
            )
            continue
        (holidays if kind == HOLIDAY else workdays)[d] = name
    _check_span(holidays, workdays, year=year, problems=problems)
    if not problems:  # a sheet of adjusted days alone may complete a notice; merge_results asks for holidays
        result.holidays = sorted(holidays.items())
        result.workdays = sorted(workdays.items())
    return result


def merge_results(*results: NoticeResult) -> NoticeResult:
    """The notice and a sheet together: the same date twice must say the same thing, or the line is named."""
    years = {r.year for r in results if r.year is not None}
    merged = NoticeResult(year=years.pop() if len(years) == 1 else None)
    if len(years) > 0:
        merged.problems.append(_p("years_differ"))
        return merged
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for r in results:
        merged.problems += r.problems
        for target, other, items in ((holidays, workdays, r.holidays), (workdays, holidays, r.workdays)):
            for d, name in items:
                if d in other:
                    merged.problems.append(_p("kind_conflict", date=d.isoformat()))
                else:
                    target.setdefault(d, name)
    if not merged.problems:
        merged.holidays = sorted(holidays.items())
        merged.workdays = sorted(workdays.items())
        if not merged.holidays:
            merged.problems.append(_p("no_holidays"))
    return merged
