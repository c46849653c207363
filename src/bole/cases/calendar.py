"""The working calendar of the desks: the engine's shipped 2024–2026 data plus admin-entered entries.

A year counts as known when it ships with the engine or an administrator has confirmed its arrangement
(`CalendarYear`); entries of a year not yet confirmed are used, but a computation that touches that year is
marked provisional (``calendar_known: false`` in the API, a note on the pages).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bole.core.db import fetch
from bole.engines.workcal import OFFICIAL_ARRANGEMENTS, WorkCalendar

from .choices import CalendarEntryKind
from .models import CalendarEntry, CalendarYear

_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None


def _merged_extra(entries: list[tuple[dt.date, str, str]]) -> dict[int, dict[str, list]]:
    """Per touched year, the shipped year with each admin entry overriding that date (extra replaces whole years)."""
    years: dict[int, tuple[dict, dict]] = {}
    for day, kind, name in entries:
        if day.year not in years:
            shipped = OFFICIAL_ARRANGEMENTS.get(day.year, {})
            years[day.year] = (dict(shipped.get("holidays", [])), dict(shipped.get("workdays", [])))
        holidays, workdays = years[day.year]
        holidays.pop(day, None)
        workdays.pop(day, None)
        if kind == CalendarEntryKind.HOLIDAY:
            holidays[day] = name
        elif day.weekday() >= 5:
            workdays[day] = name
        # A "workday" on a plain weekday only cancels a holiday: nothing more to record.
    return {y: {"holidays": list(h.items()), "workdays": list(w.items())} for y, (h, w) in years.items()}


def work_calendar() -> WorkCalendar:
    """The current calendar; rebuilt only when the entry or year tables changed (one cheap query per call)."""
    global _cached

    entries_t, years_t = CalendarEntry._meta.db_table, CalendarYear._meta.db_table
    stamp = tuple(fetch(
        f"SELECT (SELECT count(id) FROM {entries_t}), (SELECT max(id) FROM {entries_t}),"  # noqa: S608
        f" (SELECT max(created_at) FROM {entries_t}), (SELECT count(id) FROM {years_t}),"
        f" (SELECT max(id) FROM {years_t})")[0])
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
    entries = list(CalendarEntry.objects.values_list("date", "kind", "name"))
    known = set(OFFICIAL_ARRANGEMENTS) | set(CalendarYear.objects.values_list("year", flat=True))
    cal = WorkCalendar(extra=_merged_extra(entries) if entries else None, covered_years=known)
    with _lock:
        _cached = (stamp, cal)
    return cal


def unknown_years(*days: dt.date | None, known: frozenset[int] | None = None) -> list[int]:
    """The years without a known arrangement between the earliest and the latest of the given dates."""
    given = [d for d in days if d is not None]
    if not given:
        return []
    known = work_calendar().covered_years if known is None else known
    return [y for y in range(min(given).year, max(given).year + 1) if y not in known]


def calendar_note(years: Iterable[int]) -> str:
    """The note a page shows beside a deadline counted on a year with no known arrangement ("" when none)."""
    years = sorted(set(years))
    if not years:
        return ""
    return _("%(years)s年节假日安排尚未录入，办理时限暂按周一至周五计算") % {"years": "、".join(map(str, years))}


# The public holidays of the State Council's yearly notice, as the notice names them; shown translated.
HOLIDAY_NAMES = frozenset((
    gettext_noop("元旦"), gettext_noop("春节"), gettext_noop("清明节"), gettext_noop("劳动节"), gettext_noop("端午节"),
    gettext_noop("中秋节"), gettext_noop("国庆节"), gettext_noop("国庆节、中秋节"), gettext_noop("中秋节、国庆节"),
))


def holiday_label(name: str) -> str:
    """A holiday's name in the page's language (春节 → Spring Festival); a name an administrator typed shows as
    entered."""
    return _(name) if name in HOLIDAY_NAMES else name


def now() -> dt.datetime:
    """The clock every case service reads (tests replace this one function, nothing else)."""
    return timezone.now()


def local_today() -> dt.date:
    """Today in the county's time zone (deadlines are local calendar dates)."""
    return timezone.localtime(now()).date()


def local_date(value: dt.datetime) -> dt.date:
    """The local calendar date of an aware datetime."""
    return timezone.localtime(value).date()
