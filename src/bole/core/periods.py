"""Assessment periods as short codes: "2024" (a year) and "2024Q1" (a quarter)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_QUARTER_NAMES = {1: gettext_lazy("%(year)s年第一季度"), 2: gettext_lazy("%(year)s年第二季度"),
                  3: gettext_lazy("%(year)s年第三季度"), 4: gettext_lazy("%(year)s年第四季度")}

_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4]))?$")


def parse(period: str) -> tuple[int, int | None]:
    """(year, quarter or None); ValidationError for anything else."""
    m = _PERIOD.match(str(period or "").strip().upper())
    if not m:
        raise ValidationError(_("考核周期应写成 2024 或 2024Q1"))
    return int(m[1]), int(m[2]) if m[2] else None


def clean(period: str) -> str:
    """The canonical code of a period written as 2024q1, 2024Q1 or 2024."""
    year, quarter = parse(period)
    return f"{year}Q{quarter}" if quarter else f"{year}"


def year_of(period: str) -> str:
    return str(parse(period)[0])


def quarters_of(period: str) -> list[str]:
    """The quarter codes a period covers: itself, or the four quarters of a year."""
    year, quarter = parse(period)
    return [f"{year}Q{quarter}"] if quarter else [f"{year}Q{q}" for q in range(1, 5)]


def previous(period: str) -> str:
    """The period before: 2024Q1 → 2023Q4, 2024 → 2023."""
    year, quarter = parse(period)
    if quarter is None:
        return str(year - 1)
    return f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}"


def label(period: str) -> str:
    """A period's name in the page's language: 2024年第一季度 / 2024年度 (2024 Q1 / 2024 in English)."""
    year, quarter = parse(period)
    return str(_QUARTER_NAMES[quarter] if quarter else _("%(year)s年度")) % {"year": year}


def of(day: dt.date) -> str:
    """The quarter a day falls in: 2024-08-15 → 2024Q3."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def dates(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period: 2024Q3 → 2024-07-01, 2024-09-30; 2024 → the whole year."""
    year, quarter = parse(period)
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return dt.date(year, 3 * quarter - 2, 1), end - dt.timedelta(days=1)
