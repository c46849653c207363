"""REST endpoints of 强村六式: indicators, index runs and their scores, the 70万 target list, the import."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from bole.core.api import Pages, referenced
from bole.core.excel import WorkbookRejected
from bole.core.params import Year

from . import selectors, services
from .models import IndexScore
from .permissions import policy

router = Router(tags=["villages"])


class VillageIndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    direction: int
    weight: float
    in_index: bool


class VillageRunOut(Schema):
    id: int
    county_id: int
    county: str
    year: int
    engine_version: str
    parameters: dict[str, Any]
    sensitivity: dict[str, Any]
    leave_one_out: dict[str, float]
    villages: int
    seconds: float
    created_at: dt.datetime

    @staticmethod
    def resolve_county(obj):
        return obj.county.name


class VillageScoreOut(Schema):
    village_id: int
    village_code: str
    village: str
    town: str
    score: float
    rank: int
    rank_low: int
    rank_high: int
    contributions: dict[str, float | None]

    @staticmethod
    def resolve_village_code(obj):
        return obj.village.code

    @staticmethod
    def resolve_village(obj):
        return obj.village.name

    @staticmethod
    def resolve_town(obj):
        return obj.village.parent.name if obj.village.parent else ""


class VillageTargetOut(Schema):
    village_id: int
    village: str
    town: str
    last_year: int | None
    last: float | None
    gap: float | None
    month: int | None
    to_date: float | None
    projected: float | None
    crossing: int | None
    light: str | None
    reasons: list[str]


class VillageRunIn(Schema):
    county_id: int
    year: Year
    parameters: dict[str, Any] = {}


class VillageImportOut(Schema):
    villages: int
    created: int
    updated: int
    unchanged: int
    months: int
    errors: list[str]


@router.get("/villages/indicators/", response=list[VillageIndicatorOut])
@paginate(Pages)
def indicator_list(request):
    policy.require(request.auth, "menu")
    return policy.restrict(selectors.indicators(), request.auth).order_by("sort", "id")


@router.get("/villages/runs/", response=list[VillageRunOut])
@paginate(Pages)
def run_list(request):
    policy.require(request.auth, "menu")
    return selectors.runs(user=request.auth).order_by("-year", "-id")


@router.post("/villages/runs/", response={201: VillageRunOut})
def run_create(request, body: VillageRunIn):
    if not policy.may(request.auth, "manage"):
        raise PermissionDenied  # permission before the body's ids
    county = referenced(selectors.counties(user=request.auth), body.county_id, field="county_id",
                        message=_("不是您管辖范围内的县（区）"))
    return Status(201, services.index_run(county=county, year=body.year, parameters=body.parameters,
                                          actor=request.auth))


@router.get("/villages/runs/{run_id}/scores/", response=list[VillageScoreOut])
@paginate(Pages)
def run_scores(request, run_id: int):
    policy.require(request.auth, "menu")
    run = selectors.run_get(user=request.auth, pk=run_id)
    return policy.restrict(IndexScore.objects.filter(run=run).select_related("village__parent"),
                           request.auth).order_by("rank", "village__code")


@router.get("/villages/target/", response=list[VillageTargetOut])
@paginate(Pages)
def target(request):
    policy.require(request.auth, "menu")
    return [{**{k: v for k, v in r.items() if k not in ("village", "town", "team")}, "village_id": r["village"].pk,
             "village": r["village"].name, "town": r["town"].name if r["town"] else ""}
            for r in selectors.target_rows(user=request.auth)]


@router.post("/villages/import/", response={200: VillageImportOut, 422: VillageImportOut})
def import_values(request, year: Form[int], file: File[UploadedFile]):
    policy.require(request.auth, "import")
    try:
        out = services.values_import(data=file.read(), year=year, actor=request.auth)
    except WorkbookRejected as exc:
        return Status(422, {"villages": 0, "created": 0, "updated": 0, "unchanged": 0, "months": 0,
                            "errors": [str(exc)]})
    body = {"villages": out.villages, "created": out.created, "updated": out.updated, "unchanged": out.unchanged,
            "months": out.months, "errors": [i.as_text() for i in out.issues]}
    return Status(422 if out.issues else 200, body)
