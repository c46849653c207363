"""The working calendar of the desks: the engine's shipped 2024–2026 data plus admin-entered entries."""

from __future__ import annotations

import datetime as dt
import threading

from django.utils import timezone

from bole.core.db import fetch
from bole.engines.workcal import OFFICIAL_ARRANGEMENTS, WorkCalendar

from .choices import CalendarEntryKind
from .models import CalendarEntry

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
    """The current calendar; rebuilt only when the entry table changed (one cheap query per call)."""
    global _cached

    table = CalendarEntry._meta.db_table
    stamp = tuple(fetch(f"SELECT count(id), max(id), max(created_at) FROM {table}")[0])  # noqa: S608
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
    entries = list(CalendarEntry.objects.values_list("date", "kind", "name"))
    cal = WorkCalendar(extra=_merged_extra(entries)) if entries else WorkCalendar()
    with _lock:
        _cached = (stamp, cal)
    return cal


def now() -> dt.datetime:
    """The clock every case service reads (tests replace this one function, nothing else)."""
    return timezone.now()


def local_today() -> dt.date:
    """Today in the county's time zone (deadlines are local calendar dates)."""
    return timezone.localtime(now()).date()


def local_date(value: dt.datetime) -> dt.date:
    """The local calendar date of an aware datetime."""
    return timezone.localtime(value).date()
