"""Learning hours (学时): credit for time attended, the requirement for a rank, and the 1/7 absence rule.

From 《干部教育培训工作条例》(2023): cadres at 乡科级 and below take at least 90 学时 a year; 县处级 and above at least
550 学时 in five years; a trainee who misses more than 1/7 of a class's time is withdrawn (退学). Plain Python, no
Django: the services load the numbers and store what this returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

VERSION = "learning-1.0.0"
YEARLY_HOURS = Decimal(90)  # 乡科级及以下: a year
DIVISION_HOURS = Decimal(550)  # 县处级及以上: over five years
DIVISION_YEARS = 5
CYCLE_START = 2023  # the five-year cycles counted from the 2023 条例: 2023–2027, 2028–2032, …
ABSENCE_LIMIT = (1, 7)  # more than 1/7 of the class's scheduled time missed → 退学


def attended_seconds(start: dt.datetime, end: dt.datetime, came: dt.datetime, left: dt.datetime | None) -> float:
    """Seconds present inside the scheduled time: from the later of the start and arrival to the earlier of the end
    and departure (no departure recorded: the end)."""
    left = end if left is None else min(left, end)
    return max(0.0, (left - max(came, start)).total_seconds())


def credited_hours(hours: Decimal, start: dt.datetime, end: dt.datetime, came: dt.datetime,
                   left: dt.datetime | None) -> Decimal:
    """学时 credited: the smaller of the scheduled and the attended time, in the session's 学时 (the scheduled time
    is worth `hours`; attending 2 of 3 scheduled clock hours of a 4-学时 session credits 2.67)."""
    scheduled = (end - start).total_seconds()
    if scheduled <= 0:
        return Decimal(0)
    share = Decimal(str(min(1.0, attended_seconds(start, end, came, left) / scheduled)))
    return (Decimal(hours) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Requirement:
    """What a rank must reach: `hours` over the years `first`..`last`."""

    hours: Decimal
    first: int
    last: int
    division: bool

    @property
    def years(self) -> int:
        return self.last - self.first + 1


def requirement(*, division: bool, year: int) -> Requirement:
    """90 学时 in `year`, or for 县处级 550 学时 in the five-year cycle holding `year`."""
    if not division:
        return Requirement(YEARLY_HOURS, year, year, False)
    first = CYCLE_START + ((year - CYCLE_START) // DIVISION_YEARS) * DIVISION_YEARS
    return Requirement(DIVISION_HOURS, first, first + DIVISION_YEARS - 1, True)


@dataclass(frozen=True)
class Standing:
    """Where a cadre stands: done against required, the share (capped at 1), and whether it can still be met."""

    done: Decimal
    required: Decimal
    share: float
    met: bool
    meetable: bool
    missing: Decimal


def standing(req: Requirement, *, done: Decimal, still_available: Decimal, year: int) -> Standing:
    """Whether `done` meets the requirement and, if not, whether it still can this year: the sessions still open to
    the cadre this year (`still_available` 学时) must cover what is missing. A 县处级 cycle is judged so only in its
    last year (before it, later years' plans can still make the hours up)."""
    missing = max(Decimal(0), req.hours - done)
    met = missing == 0
    last_chance = (not req.division) or year >= req.last
    meetable = met or not last_chance or still_available >= missing
    share = float(min(Decimal(1), done / req.hours)) if req.hours else 1.0
    return Standing(done, req.hours, share, met, meetable, missing)


def absence_exceeded(scheduled_s: float, attended_s: float) -> bool:
    """退学: more than 1/7 of the class's scheduled time missed (exactly 1/7 is still allowed)."""
    if scheduled_s <= 0:
        return False
    missed = max(0.0, scheduled_s - attended_s)
    num, den = ABSENCE_LIMIT
    return missed * den > scheduled_s * num + 1e-6


def certificate_number(year: int, class_id: int, seq: int) -> str:
    """结业证书编号: year, class and the member's place in the class, e.g. 2026-PX012-0037."""
    return f"{year}-PX{class_id:03d}-{seq:04d}"
