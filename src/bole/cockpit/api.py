"""REST endpoints of the cockpit: the reported figures of every app, in one tree."""

import datetime as dt

from ninja import Router, Schema

from bole.core import figures
from bole.core.params import PeriodCode

from . import board
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
    empty: bool  # every figure is 0: nothing on record in the caller's scope and the period
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


class TownColumnOut(Schema):
    key: str
    label: str
    unit: str
    source: str
    higher_is_better: bool


class TownCellOut(Schema):
    value: float | None
    rank: int | None


class TownRowOut(Schema):
    code: str
    name: str
    rank: int | None
    mean_rank: float | None
    cells: list[TownCellOut]


class TownPeriodOut(Schema):
    code: str
    label: str


class TownBoardOut(Schema):
    county: str
    towns: int
    period: TownPeriodOut
    columns: list[TownColumnOut]
    rows: list[TownRowOut]


class TownBoardsOut(Schema):
    boards: list[TownBoardOut]


@router.get("/stats/towns/", response=TownBoardsOut)
def towns(request, period: PeriodCode = ""):
    """镇街赛马榜: the towns of each county in the caller's scope side by side on every app's columns, each
    column ranked and the towns by their mean rank; a town's staff get their own row with its place."""
    policy.require(request.auth, "figures")
    return {"boards": board.boards_for(user=request.auth, period=period)}
