"""REST endpoints of the cockpit: the figures the apps declare, gathered."""

from __future__ import annotations

from ninja import Router, Schema

from bole.core import plugins

from .permissions import policy

router = Router(tags=["stats"])


class WorkFigures(Schema):
    challenge_holders: int
    key_projects: int
    project_leaders: int
    difficulties_solved: int
    major_projects: int
    major_investment_yi: float
    award_winners: int
    growth_records: int


@router.get("/stats/work/", response=WorkFigures)
def work_stats(request):
    """Headline figures of the work mechanisms, computed from the records (county-wide: county administrators)."""
    policy.require(request.auth, "county_figures")
    return plugins.figures("work", user=request.auth)
