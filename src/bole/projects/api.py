"""REST endpoints of the key projects and the frontline ranking (their figures are declared in ProjectsConfig)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from bole.core.api import Pages

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


class ProjectFilters(FilterSchema):
    kind: str | None = None
    status: str | None = None
    major: bool | None = None

    def filter_major(self, value: bool | None) -> Q:
        return Q() if value is None else Q(is_major=value)


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



@router.get("/projects/", response=list[ProjectOut])
@paginate(Pages)
def projects(request, filters: Query[ProjectFilters]):
    """Key projects in the caller's scope."""
    return filters.filter(selectors.project_list(user=request.auth).prefetch_related("leads")).order_by("id")


@router.get("/projects/{pk}/", response=ProjectDetail)
def project(request, pk: int):
    """One project with its milestones (and their lights) and difficulty counts."""
    p = selectors.project_get(user=request.auth, pk=pk)
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
    p = selectors.project_get(user=request.auth, pk=pk)
    case = services.difficulty_log(project=p, title=body.title, description=body.description, actor=request.auth)
    return Status(201, {"id": case.pk, "number": case.number, "state": case.state})


@router.get("/projects/frontline/{period}/", response=list[FrontlineOut])
@paginate(Pages)
def frontline(request, period: str):
    """一线考评 ranking of every lead the caller may see, highest score first."""
    return [{"person_id": r["person"].pk, "name": r["person"].name, "unit": r["person"].unit.name,
             "difficulties": r["difficulties"], "milestones": r["milestones"], "score": r["score"]}
            for r in selectors.frontline_ranking(user=request.auth, period=period, limit=None)]
