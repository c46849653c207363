import datetime as dt

import pytest

from bole.core import periods


@pytest.mark.parametrize(("day", "period"), [
    (dt.date(2024, 1, 1), "2024Q1"), (dt.date(2024, 3, 31), "2024Q1"), (dt.date(2024, 4, 1), "2024Q2"),
    (dt.date(2024, 9, 30), "2024Q3"), (dt.date(2024, 12, 31), "2024Q4"),
])
def test_of_is_the_quarter_whose_dates_hold_the_day(day, period):
    assert periods.of(day) == period
    first, last = periods.dates(period)
    assert first <= day <= last
