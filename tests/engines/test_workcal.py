"""Tests for the Chinese working-day calendar (bole.engines.workcal)."""

from __future__ import annotations

import warnings
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from bole.engines.workcal import (
    ENGINE_VERSION,
    OFFICIAL_ARRANGEMENTS,
    CalendarCoverageError,
    CalendarFallbackWarning,
    WorkCalendar,
    default_calendar,
)

# Every test below stays inside the shipped years unless it asserts the fallback explicitly.
pytestmark = pytest.mark.filterwarnings("error::bole.engines.workcal.CalendarFallbackWarning")


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


# --------------------------------------------------------------------------- shipped data
def test_shipped_adjusted_workdays_fall_on_weekends() -> None:
    for year, arrangement in OFFICIAL_ARRANGEMENTS.items():
        for d, name in arrangement["workdays"]:
            assert d.weekday() >= 5, f"{year} adjusted workday {d} ({name}) is not a Saturday/Sunday"
            assert name


def test_shipped_holidays_and_workdays_are_disjoint_and_in_year() -> None:
    for year, arrangement in OFFICIAL_ARRANGEMENTS.items():
        hol = {d for d, _ in arrangement["holidays"]}
        wrk = {d for d, _ in arrangement["workdays"]}
        assert not hol & wrk
        assert all(d.year == year for d in hol | wrk)


@pytest.mark.parametrize(
    ("year", "name", "days"),
    [
        (2024, "春节", 8),
        (2024, "国庆节", 7),
        (2024, "劳动节", 5),
        (2025, "春节", 8),
        (2025, "国庆节、中秋节", 8),
        (2025, "端午节", 3),
        (2026, "春节", 9),
        (2026, "元旦", 3),
        (2026, "国庆节", 7),
    ],
)
def test_holiday_lengths_match_notices(year: int, name: str, days: int) -> None:
    assert sum(1 for _, n in OFFICIAL_ARRANGEMENTS[year]["holidays"] if n == name) == days


def test_stated_weekdays_of_notices() -> None:
    # The notices state the weekday of each adjusted workday; check the transcription against them.
    stated = {
        date(2024, 2, 4): 6, date(2024, 2, 18): 6, date(2024, 4, 7): 6, date(2024, 4, 28): 6,
        date(2024, 5, 11): 5, date(2024, 9, 14): 5, date(2024, 9, 29): 6, date(2024, 10, 12): 5,
        date(2025, 1, 26): 6, date(2025, 2, 8): 5, date(2025, 4, 27): 6, date(2025, 9, 28): 6,
        date(2025, 10, 11): 5,
        date(2026, 1, 4): 6, date(2026, 2, 14): 5, date(2026, 2, 28): 5, date(2026, 5, 9): 5,
        date(2026, 9, 20): 6, date(2026, 10, 10): 5,
    }  # fmt: skip
    shipped = {d for arr in OFFICIAL_ARRANGEMENTS.values() for d, _ in arr["workdays"]}
    assert shipped == set(stated)
    for d, weekday in stated.items():
        assert d.weekday() == weekday


def test_working_days_per_year(cal: WorkCalendar) -> None:
    # Hand counts: 2024: 262 weekdays - 19 weekday holidays + 8 adjusted = 251;
    # 2025: 261 - 18 + 5 = 248; 2026: 261 - 19 + 6 = 248.
    assert cal.workdays_in_range(date(2024, 1, 1), date(2024, 12, 31)) == 251
    assert cal.workdays_in_range(date(2025, 1, 1), date(2025, 12, 31)) == 248
    assert cal.workdays_in_range(date(2026, 1, 1), date(2026, 12, 31)) == 248


# --------------------------------------------------------------------------- scalar behaviour
def test_is_workday_basic(cal: WorkCalendar) -> None:
    assert cal.is_workday(date(2024, 2, 9))  # 除夕 2024 was a working day
    assert not cal.is_workday(date(2024, 2, 12))  # Monday inside 春节
    assert cal.is_workday(date(2024, 2, 18))  # Sunday, adjusted workday
    assert not cal.is_workday(date(2024, 2, 24))  # ordinary Saturday
    assert cal.is_workday(date(2026, 1, 4))  # Sunday, adjusted for 元旦
    assert not cal.is_workday(date(2026, 1, 2))  # Friday holiday
    assert cal.is_workday(datetime(2025, 10, 11, 17, 30))  # Saturday workday, datetime accepted
    assert cal.holiday_name(date(2025, 10, 8)) == "国庆节、中秋节"
    assert cal.holiday_name(date(2024, 2, 4)) == "春节"
    assert cal.holiday_name(date(2024, 3, 4)) is None


def test_spring_festival_2024(cal: WorkCalendar) -> None:
    # Fri 02-09 +1 → Sun 02-18 (adjusted), +2 → Mon 02-19, +3 → Tue 02-20.
    start = date(2024, 2, 9)
    assert [cal.add_workdays(start, n) for n in range(4)] == [
        date(2024, 2, 9), date(2024, 2, 18), date(2024, 2, 19), date(2024, 2, 20),
    ]  # fmt: skip
    assert cal.workdays_between(start, date(2024, 2, 20)) == 3
    # Submitted on a holiday: received on the adjusted Sunday 02-18, which is not counted itself.
    assert cal.receipt_day(date(2024, 2, 12)) == date(2024, 2, 18)
    assert cal.add_workdays(date(2024, 2, 12), 1) == date(2024, 2, 19)
    assert cal.add_workdays(date(2024, 2, 12), 0) == date(2024, 2, 18)
    # Sun 02-04 is an adjusted workday: a case received that day counts from Mon 02-05.
    assert cal.add_workdays(date(2024, 2, 3), 1) == date(2024, 2, 5)
    assert cal.add_workdays(date(2024, 2, 2), 1) == date(2024, 2, 4)


def test_spring_festival_2026(cal: WorkCalendar) -> None:
    # Fri 02-13 → Sat 02-14 (adjusted) → 02-15..02-23 holiday → Tue 02-24.
    assert cal.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)
    # Mon 02-23 is still 春节; Sat 02-28 is a workday.  From 02-24: 25,26,27,28 → +4 = Sat 02-28.
    assert cal.add_workdays(date(2026, 2, 24), 4) == date(2026, 2, 28)
    assert cal.add_workdays(date(2026, 2, 24), 5) == date(2026, 3, 2)
    assert cal.workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6
    assert cal.workdays_in_range(date(2026, 2, 14), date(2026, 2, 28)) == 6


def test_national_day_2025(cal: WorkCalendar) -> None:
    # Sep 28 Sun is a workday; Oct 1–8 holiday; Oct 11 Sat is a workday.
    assert cal.add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert cal.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert cal.add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert cal.add_workdays(date(2025, 9, 30), 4) == date(2025, 10, 13)
    assert cal.workdays_between(date(2025, 9, 30), date(2025, 10, 13)) == 4
    # Negative n walks back from the receipt day: Oct 9 − 1 → Sep 30.
    assert cal.add_workdays(date(2025, 10, 9), -1) == date(2025, 9, 30)


def test_workdays_between_conventions(cal: WorkCalendar) -> None:
    fri, sat, sun, mon, tue = (date(2024, 3, d) for d in (1, 2, 3, 4, 5))
    assert cal.workdays_between(fri, fri) == 0
    assert cal.workdays_between(fri, mon) == 1
    assert cal.workdays_between(sat, sun) == 0  # before the receipt day: floored at 0
    assert cal.workdays_between(sat, mon) == 0  # Monday is the receipt day
    assert cal.workdays_between(sat, tue) == 1
    assert cal.workdays_between(tue, fri) == -2  # antisymmetric
    assert cal.workdays_in_range(sat, tue) == 2
    assert cal.workdays_in_range(tue, sat) == 0


def test_round_trip_scalar(cal: WorkCalendar) -> None:
    start = date(2024, 1, 1)
    for offset in range(0, 980, 3):
        s = start + timedelta(days=offset)
        for n in (0, 1, 2, 5, 15, 60):
            d = cal.add_workdays(s, n)
            assert cal.is_workday(d)
            assert cal.workdays_between(s, d) == n


def test_status_colour(cal: WorkCalendar) -> None:
    started = date(2024, 3, 1)  # Friday
    deadline = cal.add_workdays(started, 10)  # Fri 2024-03-15
    assert deadline == date(2024, 3, 15)
    assert cal.status_colour(date(2024, 3, 4), deadline, started) == "green"
    # 2 working days remain (14th, 15th) = 20% of 10 → yellow.
    assert cal.status_colour(date(2024, 3, 13), deadline, started) == "yellow"
    assert cal.status_colour(date(2024, 3, 12), deadline, started) == "green"
    assert cal.status_colour(datetime(2024, 3, 15, 23, 59), deadline, started) == "yellow"
    assert cal.status_colour(date(2024, 3, 16), deadline, started) == "red"
    # Short deadline: 1 working day remaining is always yellow.
    assert cal.status_colour(date(2024, 3, 14), deadline, started, yellow_fraction=0.0) == "yellow"
    assert cal.status_colour(date(2024, 3, 13), deadline, started, yellow_fraction=0.0) == "green"


# --------------------------------------------------------------------------- vectorised == scalar
def _random_dates(rng: np.random.Generator, size: int) -> np.ndarray:
    lo = np.datetime64("2024-01-01", "D")
    span = (np.datetime64("2026-12-31", "D") - lo).astype(int) + 1
    return lo + rng.integers(0, span, size)


def test_workdays_between_arrays_matches_scalar(cal: WorkCalendar) -> None:
    rng = np.random.default_rng(20240209)
    a = _random_dates(rng, 10_000)
    b = _random_dates(rng, 10_000)
    got = cal.workdays_between_arrays(a, b)
    expected = np.array([cal.workdays_between(x.item(), y.item()) for x, y in zip(a, b, strict=True)])
    np.testing.assert_array_equal(got, expected)
    got_range = cal.workdays_in_range_arrays(a, b)
    expected_range = np.array([cal.workdays_in_range(x.item(), y.item()) for x, y in zip(a, b, strict=True)])
    np.testing.assert_array_equal(got_range, expected_range)


def test_add_workdays_array_matches_scalar(cal: WorkCalendar) -> None:
    rng = np.random.default_rng(7)
    # Keep the result inside the shipped years so no fallback warning fires.
    lo = np.datetime64("2024-02-01", "D")
    s = lo + rng.integers(0, 900, 10_000)
    n = rng.integers(-20, 90, 10_000)
    got = cal.add_workdays_array(s, n)
    expected = np.array(
        [cal.add_workdays(x.item(), int(k)) for x, k in zip(s, n, strict=True)], dtype="datetime64[D]"
    )
    np.testing.assert_array_equal(got, expected)
    # Round trip on the vectorised side as well.
    nonneg = np.abs(n)
    np.testing.assert_array_equal(cal.workdays_between_arrays(s, cal.add_workdays_array(s, nonneg)), nonneg)


def test_is_workday_array_and_every_day(cal: WorkCalendar) -> None:
    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2027-01-01"))
    expected = np.array([cal.is_workday(d.item()) for d in days])
    np.testing.assert_array_equal(cal.is_workday_array(days), expected)


def test_status_colour_array_matches_scalar(cal: WorkCalendar) -> None:
    rng = np.random.default_rng(3)
    started = np.datetime64("2024-01-01", "D") + rng.integers(0, 700, 2_000)
    n = rng.integers(1, 40, 2_000)
    deadline = cal.add_workdays_array(started, n)
    now = started + rng.integers(0, 70, 2_000)
    got = cal.status_colour_array(now, deadline, started)
    expected = [
        cal.status_colour(a.item(), b.item(), c.item())
        for a, b, c in zip(now, deadline, started, strict=True)
    ]
    assert got.tolist() == expected
    assert set(expected) == {"green", "yellow", "red"}


def test_vectorised_accepts_datetime_and_rejects_nat(cal: WorkCalendar) -> None:
    ts = np.array(["2024-02-09T23:59:00"], dtype="datetime64[s]")
    assert cal.add_workdays_array(ts, 3)[0] == np.datetime64("2024-02-20")
    with pytest.raises(ValueError, match="NaT"):
        cal.workdays_between_arrays(np.array(["NaT"], dtype="datetime64[D]"), ts)


# --------------------------------------------------------------------------- coverage / fallback
def test_uncovered_year_falls_back_with_flag_and_warning() -> None:
    cal = WorkCalendar()
    assert cal.fallback_years == frozenset()
    with pytest.warns(CalendarFallbackWarning, match="2030"):
        assert cal.is_workday(date(2030, 1, 1))  # plain Tuesday: New Year not known
    assert cal.fallback_years == frozenset({2030})
    assert not cal.is_covered(date(2030, 6, 1))
    assert cal.is_covered(date(2025, 6, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a year is warned about only once
        assert cal.add_workdays(date(2030, 1, 4), 1) == date(2030, 1, 7)
    with pytest.warns(CalendarFallbackWarning, match="2027"):
        cal.workdays_between_arrays(
            np.array(["2026-12-01"], dtype="datetime64[D]"), np.array(["2027-01-15"], dtype="datetime64[D]")
        )
    mask = cal.covered_mask(
        np.array(["2024-05-01", "2026-12-01", "2031-01-01"], dtype="datetime64[D]"),
        np.array(["2026-05-01", "2027-01-15", "2031-02-01"], dtype="datetime64[D]"),
    )
    assert mask.tolist() == [True, False, False]


def test_strict_calendar_raises() -> None:
    cal = WorkCalendar(strict=True)
    assert cal.add_workdays(date(2026, 12, 1), 5) == date(2026, 12, 8)
    with pytest.raises(CalendarCoverageError, match="2027"):
        cal.add_workdays(date(2026, 12, 28), 10)
    with pytest.raises(CalendarCoverageError):
        cal.add_workdays_array(np.array(["2026-12-28"], dtype="datetime64[D]"), 10)


def test_extra_year_from_admin() -> None:
    extra = {
        2027: {
            "holidays": [(date(2027, 1, 1), "元旦"), "2027-02-08"],
            "workdays": [date(2027, 2, 6)],  # a Saturday
        }
    }
    cal = WorkCalendar(extra=extra, strict=True)
    assert 2027 in cal.covered_years and 2024 in cal.covered_years
    assert not cal.is_workday(date(2027, 1, 1))
    assert not cal.is_workday(date(2027, 2, 8))
    assert cal.is_workday(date(2027, 2, 6))
    assert cal.holiday_name(date(2027, 1, 1)) == "元旦"
    # Fri 02-05 → Sat 02-06 → (Mon 02-08 holiday) → Tue 02-09.
    assert cal.add_workdays(date(2027, 2, 5), 2) == date(2027, 2, 9)
    got = cal.add_workdays_array(np.array(["2027-02-05"], dtype="datetime64[D]"), 2)
    assert got[0] == np.datetime64("2027-02-09")


def test_invalid_data_rejected() -> None:
    with pytest.raises(ValueError, match="Saturday or Sunday"):
        WorkCalendar({2024: {"holidays": [], "workdays": [date(2024, 3, 4)]}})
    with pytest.raises(ValueError, match="both"):
        WorkCalendar({2024: {"holidays": [date(2024, 3, 2)], "workdays": [date(2024, 3, 2)]}})


def test_empty_calendar_is_plain_weekdays() -> None:
    cal = WorkCalendar({2024: {"holidays": [], "workdays": []}})
    assert cal.add_workdays(date(2024, 2, 9), 3) == date(2024, 2, 14)
    got = cal.add_workdays_array(np.array(["2024-02-09"], dtype="datetime64[D]"), 3)
    assert got[0] == np.datetime64("2024-02-14")


def test_default_calendar_is_shared() -> None:
    assert default_calendar() is default_calendar()
    assert default_calendar().engine_version == ENGINE_VERSION
