"""REST endpoints of the key projects and the frontline ranking (their figures are declared in ProjectsConfig)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema

from bole.core.api import Page, paginate

from . import schedule, selectors, services

router = Router(tags=["projects"])


class ProjectMilestoneOut(Schema):
    id: int
    name: str
    offset_days: int
    planned_on: dt.date | None
    done_on: dt.date | None
    light: str = ""


class ProjectOut(Schema):
    id: int
    name: str
    kind: str
    investment: Decimal
    region: str
    unit: str
    is_major: bool
    status: str
    signed_on: dt.date | None
    leads: list[int]

    @staticmethod
    def resolve_region(obj):
        return obj.region.code

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_leads(obj):
        return [p.pk for p in obj.leads.all()]


class ProjectPage(Page):
    results: list[ProjectOut]


class ProjectDetail(ProjectOut):
    light: str
    milestones: list[ProjectMilestoneOut]
    difficulties: int
    difficulties_solved: int

    @staticmethod
    def resolve_light(obj):
        return obj.detail["light"]

    @staticmethod
    def resolve_milestones(obj):
        return obj.detail["milestones"]

    @staticmethod
    def resolve_difficulties(obj):
        return obj.detail["counts"]["total"]

    @staticmethod
    def resolve_difficulties_solved(obj):
        return obj.detail["counts"]["solved"]


class ProjectFilters(Schema):
    kind: str = ""
    status: str = ""
    major: bool | None = None
    page: int = 1
    page_size: int = 50


class DifficultyIn(Schema):
    title: str
    description: str


class DifficultyOut(Schema):
    id: int
    number: str
    state: str


class FrontlineOut(Schema):
    person_id: int
    name: str
    unit: str
    difficulties: int
    milestones: int
    score: Decimal


@router.get("/projects/", response=ProjectPage)
def projects(request, filters: Query[ProjectFilters]):
    """Key projects in the caller's scope."""
    qs = selectors.project_list(user=request.user).prefetch_related("leads").order_by("id")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.major is not None:
        qs = qs.filter(is_major=filters.major)
    total, page, size, rows = paginate(qs, filters.page, filters.page_size)
    return {"count": total, "page": page, "page_size": size, "results": rows}


@router.get("/projects/{pk}/", response=ProjectDetail)
def project(request, pk: int):
    """One project with its milestones (and their lights) and difficulty counts."""
    p = selectors.project_get(user=request.user, pk=pk)
    stones = selectors.milestones_with_lights(p)
    p.detail = {
        "light": schedule.project_colour(p.status, [c for _m, c in stones]),
        "milestones": [{"id": m.pk, "name": m.name, "offset_days": m.offset_days, "planned_on": m.planned_on,
                        "done_on": m.done_on, "light": c} for m, c in stones],
        "counts": selectors.difficulty_counts([p.pk]).get(p.pk, {"total": 0, "solved": 0}),
    }
    return p


@router.post("/projects/{pk}/difficulties/", response={201: DifficultyOut})
def difficulty(request, pk: int, body: DifficultyIn):
    """A lead logs a difficulty on the project (a case on the 项目难题 desk)."""
    p = selectors.project_get(user=request.user, pk=pk)
    case = services.difficulty_log(project=p, title=body.title, description=body.description, actor=request.user)
    return 201, {"id": case.pk, "number": case.number, "state": case.state}


@router.get("/projects/frontline/{period}/", response=list[FrontlineOut])
def frontline(request, period: str):
    """一线考评 ranking of the leads the caller may see."""
    return [{"person_id": r["person"].pk, "name": r["person"].name, "unit": r["person"].unit.name,
             "difficulties": r["difficulties"], "milestones": r["milestones"], "score": r["score"]}
            for r in selectors.frontline_ranking(user=request.user, period=period)]
