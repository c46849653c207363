"""Chinese working-day calendar for case-desk deadlines (办理时限) and overdue checks.

A working day is Monday–Friday, minus the public holidays of the State Council
notice, plus the adjusted working days (调休上班日) the notice declares on a
Saturday or Sunday.  The arrangements for 2024–2026 ship with this module;
the Django side adds admin-entered years on top through the ``extra``
constructor argument.

Counting conventions (used by every function here, scalar and vectorised):

* Only calendar dates matter.  A ``datetime`` is reduced to its ``.date()``
  as given, so callers must convert aware UTC datetimes to local
  (Asia/Shanghai) time first; NumPy ``datetime64`` values are truncated to
  days the same way.
* **Receipt day.**  A case submitted on a working day is received that day;
  a case submitted on a non-working day is received on the next working day.
  The receipt day itself is never counted (期间开始之日不计算在期间内).
* ``add_workdays(start, n)`` is the n-th working day after the receipt day,
  i.e. the last day on which the case is still on time.  ``n == 0`` gives
  the receipt day; a negative ``n`` walks back from the receipt day.
  Example: Fri 2024-02-09 (除夕, a working day in 2024) + 3 → 2024-02-20,
  because 02-10..02-17 are holidays and Sun 02-18 is an adjusted working day.
* ``workdays_between(a, b)`` (a <= b) is the number of working days after
  the receipt day of ``a`` up to and including ``b`` — floored at 0 — so
  ``workdays_between(s, add_workdays(s, n)) == n`` for every ``n >= 0``.
  Swapping the arguments negates the result.
* ``workdays_in_range(a, b)`` is the plain count of working days in the
  closed interval [a, b].

Years outside the loaded arrangements fall back to plain Monday–Friday.  The
fallback is never silent: the calendar records the year in
``fallback_years``, issues one ``CalendarFallbackWarning`` per year, and
``covered_mask``/``is_covered`` let callers mark individual deadlines as
provisional.  With ``strict=True`` the calendar raises
``CalendarCoverageError`` instead.
"""

from __future__ import annotations

import bisect
import warnings
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

ENGINE_VERSION = "workcal-1.0.0"

__all__ = [
    "ENGINE_VERSION",
    "OFFICIAL_ARRANGEMENTS",
    "CalendarCoverageError",
    "CalendarFallbackWarning",
    "WorkCalendar",
    "default_calendar",
]

_WEEKMASK = "1111100"
_ONE_DAY = timedelta(days=1)


def _days(name: str, first: str, last: str | None = None) -> list[tuple[date, str]]:
    """Expand an inclusive date range of one named holiday or make-up day into (date, name) pairs."""
    start = date.fromisoformat(first)
    end = date.fromisoformat(last) if last else start
    return [(start + timedelta(days=i), name) for i in range((end - start).days + 1)]


# Transcribed from the State Council General Office notices (国务院办公厅关于 YYYY 年部分节假日安排的通知).
# "holidays" lists the dates the notice names as 放假 (including weekend days inside a stated range);
# "workdays" lists the weekend dates the notice declares as 上班 (调休), tagged with the holiday they serve.
# A notice may name dates in the previous December; they are simply included with the notice's year.
# 2027 is not here: the chinesecalendar package (PyPI 1.11.0, the newest) has no 2027 data yet to check it against;
# a county administrator imports the notice on the calendar page until it ships (bole.engines.holiday_notice).
OFFICIAL_ARRANGEMENTS: dict[int, dict[str, Any]] = {
    2024: {
        "notice": "国办发明电〔2023〕7号 (2023-10-25)",
        "holidays": [
            *_days("元旦", "2024-01-01"),
            *_days("春节", "2024-02-10", "2024-02-17"),
            *_days("清明节", "2024-04-04", "2024-04-06"),
            *_days("劳动节", "2024-05-01", "2024-05-05"),
            *_days("端午节", "2024-06-10"),
            *_days("中秋节", "2024-09-15", "2024-09-17"),
            *_days("国庆节", "2024-10-01", "2024-10-07"),
        ],
        "workdays": [
            *_days("春节", "2024-02-04"),
            *_days("春节", "2024-02-18"),
            *_days("清明节", "2024-04-07"),
            *_days("劳动节", "2024-04-28"),
            *_days("劳动节", "2024-05-11"),
            *_days("中秋节", "2024-09-14"),
            *_days("国庆节", "2024-09-29"),
            *_days("国庆节", "2024-10-12"),
        ],
    },
    2025: {
        "notice": "国办发明电〔2024〕12号 (2024-11-12)",
        "holidays": [
            *_days("元旦", "2025-01-01"),
            *_days("春节", "2025-01-28", "2025-02-04"),
            *_days("清明节", "2025-04-04", "2025-04-06"),
            *_days("劳动节", "2025-05-01", "2025-05-05"),
            *_days("端午节", "2025-05-31", "2025-06-02"),
            *_days("国庆节、中秋节", "2025-10-01", "2025-10-08"),
        ],
        "workdays": [
            *_days("春节", "2025-01-26"),
            *_days("春节", "2025-02-08"),
            *_days("劳动节", "2025-04-27"),
            *_days("国庆节、中秋节", "2025-09-28"),
            *_days("国庆节、中秋节", "2025-10-11"),
        ],
    },
    2026: {
        "notice": "国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)",
        "holidays": [
            *_days("元旦", "2026-01-01", "2026-01-03"),
            *_days("春节", "2026-02-15", "2026-02-23"),
            *_days("清明节", "2026-04-04", "2026-04-06"),
            *_days("劳动节", "2026-05-01", "2026-05-05"),
            *_days("端午节", "2026-06-19", "2026-06-21"),
            *_days("中秋节", "2026-09-25", "2026-09-27"),
            *_days("国庆节", "2026-10-01", "2026-10-07"),
        ],
        "workdays": [
            *_days("元旦", "2026-01-04"),
            *_days("春节", "2026-02-14"),
            *_days("春节", "2026-02-28"),
            *_days("劳动节", "2026-05-09"),
            *_days("国庆节", "2026-09-20"),
            *_days("国庆节", "2026-10-10"),
        ],
    },
}


class CalendarCoverageError(ValueError):
    """Raised by a strict calendar when a computation touches a year with no loaded arrangement."""


class CalendarFallbackWarning(UserWarning):
    """Warns that a year without a loaded arrangement was treated as plain Monday–Friday."""


DateLike = date | datetime | str


def _as_date(value: DateLike | np.datetime64) -> date:
    """Reduce the accepted scalar inputs to a calendar date so every entry point counts the same way."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ValueError("NaT is not a date")
        return value.astype("datetime64[D]").item()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise TypeError(f"expected a date, datetime, ISO string or numpy.datetime64, got {type(value).__name__}")


def _as_day_array(values: Any, name: str) -> np.ndarray:
    """Convert array input to datetime64[D], refusing NaT so a missing date never becomes a silent count."""
    arr = np.asarray(values).astype("datetime64[D]")
    if np.isnat(arr).any():
        raise ValueError(f"{name} contains NaT; filter out missing dates before counting working days")
    return arr


def _parse_entries(entries: Iterable[Any]) -> dict[date, str]:
    """Accept dates, ISO strings or (date, name) pairs so admin-entered data need not match the shipped shape."""
    out: dict[date, str] = {}
    for entry in entries:
        if isinstance(entry, tuple | list):
            d, name = entry[0], str(entry[1])
        else:
            d, name = entry, ""
        out[_as_date(d)] = name
    return out


def _years_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of each datetime64[D] value, for coverage checks."""
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


class WorkCalendar:
    """Answers "is this a working day" and "when is n working days later" under Chinese 调休 rules."""

    engine_version: str = ENGINE_VERSION

    def __init__(
        self,
        arrangements: Mapping[int, Mapping[str, Iterable[Any]]] | None = None,
        *,
        extra: Mapping[int, Mapping[str, Iterable[Any]]] | None = None,
        strict: bool = False,
        covered_years: Iterable[int] | None = None,
    ) -> None:
        """Build from year → {"holidays": [...], "workdays": [...]}; ``extra`` years replace same-year data.

        ``covered_years`` narrows which years count as known: entries of a year still being entered are used,
        but the year stays provisional (warned about, marked by ``covered_mask``) until it is confirmed.
        """
        base = OFFICIAL_ARRANGEMENTS if arrangements is None else arrangements
        merged: dict[int, Mapping[str, Iterable[Any]]] = {int(y): v for y, v in base.items()}
        # An admin-entered year replaces the whole shipped year, so a corrected notice is not mixed with the old one.
        for year, value in (extra or {}).items():
            merged[int(year)] = value

        holidays: dict[date, str] = {}
        workdays: dict[date, str] = {}
        for year in sorted(merged):
            holidays.update(_parse_entries(merged[year].get("holidays", ())))
            workdays.update(_parse_entries(merged[year].get("workdays", ())))

        clash = sorted(set(holidays) & set(workdays))
        if clash:
            raise ValueError(f"dates listed both as holiday and as adjusted workday: {clash}")
        not_weekend = sorted(d for d in workdays if d.weekday() < 5)
        if not_weekend:
            raise ValueError(f"adjusted workdays must fall on a Saturday or Sunday: {not_weekend}")

        self.strict: bool = strict
        self.covered_years: frozenset[int] = (
            frozenset(merged) if covered_years is None else frozenset(int(y) for y in covered_years)
        )
        self.holiday_names: Mapping[date, str] = dict(holidays)
        self.workday_names: Mapping[date, str] = dict(workdays)
        self._holidays: frozenset[date] = frozenset(holidays)
        self._workdays: frozenset[date] = frozenset(workdays)
        # Sorted lists feed the scalar (pure Python) path; arrays feed the NumPy path.  Keeping the two
        # paths independent is what makes the agreement test meaningful.
        self._weekday_holidays: list[date] = sorted(d for d in holidays if d.weekday() < 5)
        self._adjusted: list[date] = sorted(workdays)
        self._busdaycal = np.busdaycalendar(
            weekmask=_WEEKMASK, holidays=np.array(self._weekday_holidays, dtype="datetime64[D]")
        )
        self._adjusted_arr = np.array(self._adjusted, dtype="datetime64[D]")
        # Any plain (Mon–Fri, non-holiday) day works as origin of the rank function below.
        self._epoch = np.busday_offset(
            np.datetime64("2000-01-03", "D"), 0, roll="forward", busdaycal=self._busdaycal
        )
        self._adjusted_rank = self._rank(self._adjusted_arr)
        self._fallback_years: set[int] = set()

    # ------------------------------------------------------------------ coverage
    @property
    def fallback_years(self) -> frozenset[int]:
        """Years this calendar has had to treat as plain Monday–Friday, for an admin "data missing" banner."""
        return frozenset(self._fallback_years)

    def is_covered(self, d: DateLike) -> bool:
        """Whether d's year has a loaded arrangement, so a UI can mark a deadline as provisional."""
        return _as_date(d).year in self.covered_years

    def covered_mask(self, a: Any, b: Any) -> np.ndarray:
        """Per element, whether every year in [min(a,b), max(a,b)] is covered (False = provisional result)."""
        a_arr = _as_day_array(a, "a")
        b_arr = _as_day_array(b, "b")
        lo_y = _years_of(np.minimum(a_arr, b_arr))
        hi_y = _years_of(np.maximum(a_arr, b_arr))
        mask = np.ones(np.broadcast(lo_y, hi_y).shape, dtype=bool)
        if mask.size == 0:
            return mask
        for year in self._uncovered_years(int(lo_y.min()), int(hi_y.max())):
            mask &= ~((lo_y <= year) & (hi_y >= year))
        return mask

    def _uncovered_years(self, first: int, last: int) -> list[int]:
        """Uncovered years inside an inclusive span; a handful in practice."""
        return [y for y in range(first, last + 1) if y not in self.covered_years]

    def _note_span(self, first: date, last: date) -> None:
        """Record/raise for uncovered years touched by a scalar computation."""
        lo, hi = min(first, last), max(first, last)
        self._note_years(self._uncovered_years(lo.year, hi.year))

    def _note_span_arrays(self, a: np.ndarray, b: np.ndarray) -> None:
        """Record/raise for uncovered years touched by any element of a vectorised computation."""
        if a.size == 0 or b.size == 0:
            return
        lo_y = _years_of(np.minimum(a, b))
        hi_y = _years_of(np.maximum(a, b))
        touched = [
            y
            for y in self._uncovered_years(int(lo_y.min()), int(hi_y.max()))
            if bool(((lo_y <= y) & (hi_y >= y)).any())
        ]
        self._note_years(touched)

    def _note_years(self, years: Iterable[int]) -> None:
        """Single place deciding between raising (strict) and warning once per year (lenient)."""
        years = sorted(set(years))
        if not years:
            return
        if self.strict:
            raise CalendarCoverageError(
                f"no holiday arrangement loaded for {years}; covered years are {sorted(self.covered_years)}"
            )
        new = [y for y in years if y not in self._fallback_years]
        if new:
            self._fallback_years.update(new)
            warnings.warn(
                f"no holiday arrangement loaded for {new}; treating them as plain Monday–Friday",
                CalendarFallbackWarning,
                stacklevel=3,
            )

    # ------------------------------------------------------------------ scalar API
    def is_workday(self, d: DateLike) -> bool:
        """Whether staff are at work on d (Mon–Fri minus holidays plus adjusted weekend workdays)."""
        day = _as_date(d)
        if day.year not in self.covered_years:
            self._note_years([day.year])
        return self._is_workday(day)

    def _is_workday(self, day: date) -> bool:
        """Workday test without coverage bookkeeping, for tight loops."""
        if day in self._workdays:
            return True
        if day in self._holidays:
            return False
        return day.weekday() < 5

    def holiday_name(self, d: DateLike) -> str | None:
        """Name of the holiday or of the holiday an adjusted workday serves, for calendar tooltips."""
        day = _as_date(d)
        return self.holiday_names.get(day) or self.workday_names.get(day)

    def receipt_day(self, d: DateLike) -> date:
        """The working day a submission on d counts as received (d itself if it is a working day)."""
        day = _as_date(d)
        start = day
        while not self._is_workday(day):
            day += _ONE_DAY
        self._note_span(start, day)
        return day

    def add_workdays(self, start: DateLike, n: int) -> date:
        """Deadline date: the n-th working day after the receipt day of start (see module docstring)."""
        n = int(n)
        first = _as_date(start)
        day = first
        while not self._is_workday(day):
            day += _ONE_DAY
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        # Deadlines are weeks, not years, so walking day by day is cheap and obviously correct; it is the
        # reference the vectorised path is tested against.
        while remaining:
            day += step
            if self._is_workday(day):
                remaining -= 1
        self._note_span(first, day)
        return day

    def _count_closed_open(self, lo: date, hi: date) -> int:
        """Working days in [lo, hi) by week arithmetic plus bisect corrections (lo <= hi)."""
        days = (hi - lo).days
        full_weeks, rest = divmod(days, 7)
        count = full_weeks * 5
        first_wd = lo.weekday()
        count += sum(1 for i in range(rest) if (first_wd + i) % 7 < 5)
        count -= bisect.bisect_left(self._weekday_holidays, hi) - bisect.bisect_left(
            self._weekday_holidays, lo
        )
        count += bisect.bisect_left(self._adjusted, hi) - bisect.bisect_left(self._adjusted, lo)
        return count

    def workdays_in_range(self, a: DateLike, b: DateLike) -> int:
        """Working days in the closed interval [a, b] (0 if b < a), e.g. for "days remaining"."""
        lo, hi = _as_date(a), _as_date(b)
        if hi < lo:
            return 0
        self._note_span(lo, hi)
        return self._count_closed_open(lo, hi + _ONE_DAY)

    def workdays_between(self, a: DateLike, b: DateLike) -> int:
        """Working days elapsed from a to b (receipt day excluded, b included); inverse of add_workdays."""
        a_d, b_d = _as_date(a), _as_date(b)
        if b_d < a_d:
            return -self.workdays_between(b_d, a_d)
        self._note_span(a_d, b_d)
        # #W in [a, b] minus the receipt day (the first working day >= a), floored at 0 when b precedes it.
        return max(self._count_closed_open(a_d, b_d + _ONE_DAY) - 1, 0)

    def status_colour(
        self,
        now: DateLike,
        deadline: DateLike,
        started: DateLike,
        *,
        yellow_days: int = 1,
        yellow_fraction: float = 0.2,
    ) -> str:
        """Traffic light for a case desk: red overdue, yellow nearly due, green otherwise.

        red:    the date of ``now`` is after ``deadline`` (the deadline day itself is still on time).
        yellow: remaining <= ``yellow_days`` or remaining <= ``yellow_fraction`` × allowed, where
                remaining = working days strictly after today up to and including the deadline
                (so the deadline day itself and the working day before it are both yellow with the
                defaults) and allowed = workdays_between(started, deadline), the n the deadline was
                set with.
        green:  otherwise.
        """
        now_d, dl_d, st_d = _as_date(now), _as_date(deadline), _as_date(started)
        if now_d > dl_d:
            return "red"
        remaining = self.workdays_in_range(now_d + _ONE_DAY, dl_d)
        allowed = self.workdays_between(st_d, dl_d)
        if remaining <= yellow_days or remaining <= yellow_fraction * allowed:
            return "yellow"
        return "green"

    # ------------------------------------------------------------------ vectorised API
    def _rank(self, days: np.ndarray) -> np.ndarray:
        """Signed number of working days in [epoch, d): differences give exact counts on any interval.

        numpy's busday functions cannot express a working Saturday, so the plain Mon–Fri-minus-holidays
        count is corrected by the number of adjusted workdays before d (searchsorted on the sorted list).
        """
        plain = np.busday_count(self._epoch, days, busdaycal=self._busdaycal)
        return plain.astype(np.int64) + np.searchsorted(self._adjusted_arr, days, side="left")

    def _day_of_rank(self, rank: np.ndarray) -> np.ndarray:
        """The working day d with _rank(d) == rank (inverse of _rank restricted to working days)."""
        # Adjusted workdays have strictly increasing ranks; j = how many of them precede the target.
        j = np.searchsorted(self._adjusted_rank, rank, side="left")
        if self._adjusted_arr.size:
            jc = np.minimum(j, self._adjusted_arr.size - 1)
            is_adjusted = (j < self._adjusted_arr.size) & (self._adjusted_rank[jc] == rank)
        else:
            jc = j
            is_adjusted = np.zeros(np.shape(rank), dtype=bool)
        # Otherwise the target is a plain weekday whose plain rank is the total rank minus those j days.
        plain = np.busday_offset(self._epoch, rank - j, roll="forward", busdaycal=self._busdaycal)
        if self._adjusted_arr.size:
            return np.where(is_adjusted, self._adjusted_arr[jc], plain)
        return plain

    def is_workday_array(self, days: Any) -> np.ndarray:
        """Vectorised is_workday for datetime64 input."""
        d = _as_day_array(days, "days")
        self._note_span_arrays(d, d)
        nxt = d + np.timedelta64(1, "D")
        return (self._rank(nxt) - self._rank(d)) == 1

    def add_workdays_array(self, start: Any, n: Any) -> np.ndarray:
        """Vectorised add_workdays: datetime64[D] deadlines for arrays of start dates and day counts."""
        s = _as_day_array(start, "start")
        n_arr = np.asarray(n)
        if n_arr.dtype.kind not in "iu":
            if not np.all(np.equal(np.mod(n_arr, 1), 0)):
                raise ValueError("n must be whole numbers of working days")
            n_arr = n_arr.astype(np.int64)
        # _rank(s) counts working days before s, which is also the rank of the receipt day, so no
        # explicit roll-forward is needed.
        out = self._day_of_rank(self._rank(s) + n_arr.astype(np.int64))
        self._note_span_arrays(np.broadcast_to(s, out.shape), out)
        return out

    def workdays_in_range_arrays(self, a: Any, b: Any) -> np.ndarray:
        """Vectorised workdays_in_range (closed interval, 0 where b < a)."""
        a_arr = _as_day_array(a, "a")
        b_arr = _as_day_array(b, "b")
        self._note_span_arrays(*np.broadcast_arrays(a_arr, b_arr))
        count = self._rank(b_arr + np.timedelta64(1, "D")) - self._rank(a_arr)
        return np.maximum(count, 0)

    def workdays_between_arrays(self, a: Any, b: Any) -> np.ndarray:
        """Vectorised workdays_between, e.g. working days to resolve for a median over thousands of cases."""
        a_arr = _as_day_array(a, "a")
        b_arr = _as_day_array(b, "b")
        self._note_span_arrays(*np.broadcast_arrays(a_arr, b_arr))
        lo = np.minimum(a_arr, b_arr)
        hi = np.maximum(a_arr, b_arr)
        elapsed = np.maximum(self._rank(hi + np.timedelta64(1, "D")) - self._rank(lo) - 1, 0)
        return np.where(b_arr < a_arr, -elapsed, elapsed)

    def status_colour_array(
        self,
        now: Any,
        deadline: Any,
        started: Any,
        *,
        yellow_days: int = 1,
        yellow_fraction: float = 0.2,
    ) -> np.ndarray:
        """Vectorised status_colour for a whole case list; same rules, returns an array of colour strings."""
        now_d = _as_day_array(now, "now")
        dl_d = _as_day_array(deadline, "deadline")
        st_d = _as_day_array(started, "started")
        remaining = self.workdays_in_range_arrays(now_d + np.timedelta64(1, "D"), dl_d)
        allowed = self.workdays_between_arrays(st_d, dl_d)
        yellow = (remaining <= yellow_days) | (remaining <= yellow_fraction * allowed)
        colour = np.where(yellow, "yellow", "green").astype("<U6")
        return np.where(now_d > dl_d, "red", colour)


_DEFAULT: WorkCalendar | None = None


def default_calendar() -> WorkCalendar:
    """Shared calendar built from the shipped arrangements only, so callers need not rebuild it per request."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = WorkCalendar()
    return _DEFAULT
