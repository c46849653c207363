"""Milestone dates and schedule lights on the working calendar (the cases desks' calendar, holidays included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from bole.cases.calendar import local_today, work_calendar

from .choices import ACTIVE_STATUSES, Colour

# 节点模板: the standard milestones, in working days after signing (土地挂牌 3, 方案评审 20, 设备进驻 60).
STANDARD_MILESTONES: list[tuple[str, int]] = [("土地挂牌", 3), ("方案评审", 20), ("设备进驻", 60)]


def calendar():
    return work_calendar()


def today() -> dt.date:
    return local_today()


def planned_dates(signed_on: dt.date, offsets: Sequence[int]) -> list[dt.date]:
    """Planned date of each milestone: `offset` working days after the signing day."""
    return planned_dates_many([signed_on] * len(offsets), offsets)


def planned_dates_many(signed_on: Sequence[dt.date], offsets: Sequence[int]) -> list[dt.date]:
    """Planned dates of milestones of many projects at once: offsets[i] working days after signed_on[i]."""
    if not len(offsets):
        return []
    arr = calendar().add_workdays_array(np.asarray(signed_on, dtype="datetime64[D]"),
                                        np.asarray(offsets, dtype=np.int64))
    return [d.item() for d in arr]


def milestone_colours(rows: Sequence[tuple[dt.date | None, dt.date | None, dt.date | None]], *,
                      on: dt.date | None = None) -> list[str]:
    """Light of each (planned, done, signed) milestone: done, or red/yellow/green by workcal.status_colour."""
    on = on or today()
    out = [Colour.NONE.value] * len(rows)
    running = [i for i, (planned, done, signed) in enumerate(rows) if done is None and planned and signed]
    for i, (planned, done, _signed) in enumerate(rows):
        if done is not None:
            out[i] = Colour.DONE.value if (planned is None or done <= planned) else Colour.LATE.value
    if running:
        cal = calendar()
        lights = cal.status_colour_array(
            np.full(len(running), np.datetime64(on, "D")),
            np.array([rows[i][0] for i in running], dtype="datetime64[D]"),
            np.array([rows[i][2] for i in running], dtype="datetime64[D]"))
        for i, light in zip(running, lights, strict=True):
            out[i] = str(light)
    return out


_WORST = {Colour.RED: 0, Colour.YELLOW: 1, Colour.GREEN: 2}


def project_colour(status: str, milestone_lights: Sequence[str]) -> str:
    """A project's light: the worst light of its open milestones; done when all are done; none when not running."""
    if status not in ACTIVE_STATUSES:
        return Colour.DONE.value if status == "completed" else Colour.NONE.value
    open_lights = [c for c in milestone_lights if c in {Colour.RED, Colour.YELLOW, Colour.GREEN}]
    if not open_lights:
        return Colour.DONE.value if milestone_lights else Colour.GREEN.value
    return min(open_lights, key=lambda c: _WORST[Colour(c)])
