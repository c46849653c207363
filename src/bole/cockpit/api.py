"""REST endpoints of the cockpit: the reported figures of every app, in one tree."""

import datetime as dt

from ninja import Router, Schema

from bole.core import figures
from bole.core.params import PeriodCode

from .permissions import policy

router = Router(tags=["stats"])


class FigureOut(Schema):
    key: str
    label: str
    value: float
    unit: str
    kind: str  # "flow": counted in the period; "stock": the records as they are now
    period: str  # the period's name (flow) or "截至 …" (stock)
    source: str
    url: str


class MechanismOut(Schema):
    key: str
    label: str
    figures: list[FigureOut]


class TeamOut(Schema):
    key: str
    label: str
    mechanisms: list[MechanismOut]


class PeriodOut(Schema):
    code: str
    label: str
    start: dt.date | None
    end: dt.date | None


class StatsOut(Schema):
    as_of: dt.datetime
    period: PeriodOut
    teams: list[TeamOut]


@router.get("/stats/", response=StatsOut)
def stats(request, period: PeriodCode = ""):
    """The reported figures in the caller's scope, by team (干部队伍, 基层治理, 人才队伍) and mechanism: counted over
    `period` (2026, 2026Q4; empty for everything on record) or, for a stock figure, as the records are now."""
    policy.require(request.auth, "figures")
    return figures.tree(user=request.auth, period=period)
