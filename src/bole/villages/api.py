"""REST endpoints of 强村六式: indicators, index runs and their scores, the 70万 target list, the import, the
强村局长 pairings (log entries, problems raised), operation teams (reports, year-end review)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from bole.cases.selectors import desk_categories
from bole.core.api import Pages, referenced, referenced_all
from bole.core.excel import WorkbookRejected
from bole.core.params import Date, DbId, Year
from bole.org.pickers import PEOPLE, SECTION_LEADERS

from . import events, review, selectors, services
from .choices import EventKind, LogKind
from .models import IndexScore, Indicator, MonthlyReport, OperationTeam, Patron
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
    patrons: list[str]


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


# --- 强村局长 ------------------------------------------------------------------------------------------


class VillagePatronOut(Schema):
    id: int
    village_id: int
    village: str
    town: str
    person_id: int
    person: str
    unit: str
    start: dt.date
    end: dt.date
    is_active: bool
    ended_on: dt.date | None

    @staticmethod
    def resolve_village(obj):
        return obj.village.name

    @staticmethod
    def resolve_town(obj):
        return obj.village.parent.name if obj.village.parent else ""

    @staticmethod
    def resolve_person(obj):
        return obj.person.name

    @staticmethod
    def resolve_unit(obj):
        return obj.person.unit.name if obj.person.unit else ""


class VillagePatronIn(Schema):
    village_id: DbId
    person_id: DbId
    start: Date
    end: Date


class VillagePatronLogIn(Schema):
    kind: LogKind
    on: Date
    summary: str = Field(min_length=1, max_length=2000)


class VillagePatronProblemIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=4000)
    category_id: DbId | None = None


class VillagePatronLogOut(Schema):
    id: int
    patron_id: int
    kind: str
    on: dt.date
    summary: str
    case_id: int | None


@router.get("/villages/patrons/", response=list[VillagePatronOut])
@paginate(Pages)
def patron_list(request, active: bool = True):
    if not policy.allows(request.auth, "view", Patron):
        raise PermissionDenied
    return selectors.patrons(user=request.auth, active=active)


@router.post("/villages/patrons/", response={201: VillagePatronOut})
def patron_create(request, body: VillagePatronIn):
    if not policy.may(request.auth, "manage"):
        raise PermissionDenied  # permission before the body's ids
    village = referenced(selectors.village_regions(user=request.auth), body.village_id, field="village_id",
                         message=_("不是您管辖范围内的村"))
    person = referenced(SECTION_LEADERS.rows(request.auth), body.person_id, field="person_id",
                        message=_("所选人员不在您的管辖范围内或已停用"))
    patron = services.patron_pair(village=village, person=person, start=body.start, end=body.end,
                                  actor=request.auth)
    return Status(201, selectors.patron_get(user=request.auth, pk=patron.pk))


@router.post("/villages/patrons/{int:patron_id}/logs/", response={201: VillagePatronLogOut})
def patron_log(request, patron_id: int, body: VillagePatronLogIn):
    patron = selectors.patron_get(user=request.auth, pk=patron_id, action="change")
    if body.kind == LogKind.PROBLEM:
        raise ValidationError({"kind": _("提出问题请用 problems 接口")})
    return Status(201, services.patron_log(patron=patron, kind=body.kind, on=body.on, summary=body.summary,
                                           actor=request.auth))


@router.post("/villages/patrons/{int:patron_id}/problems/", response={201: VillagePatronLogOut})
def patron_problem(request, patron_id: int, body: VillagePatronProblemIn):
    patron = selectors.patron_get(user=request.auth, pk=patron_id, action="change")
    category = None
    if body.category_id is not None:
        category = referenced(desk_categories(services.PROBLEM_DESK), body.category_id, field="category_id",
                              message=_("类别不属于强村难题受理台"))
    return Status(201, services.patron_problem_raise(patron=patron, title=body.title, description=body.description,
                                                     category=category, actor=request.auth))


# --- operation teams ----------------------------------------------------------------------------------


class VillageTeamOut(Schema):
    id: int
    village_id: int
    village: str
    company: str
    members: str
    start: dt.date
    end: dt.date
    fee: float
    income_target: float
    is_pilot: bool
    is_active: bool

    @staticmethod
    def resolve_village(obj):
        return obj.village.name


class VillageTeamIn(Schema):
    village_id: DbId
    company: str = Field(min_length=1, max_length=100)
    members: str = Field("", max_length=300)
    start: Date
    end: Date
    fee: float = Field(0, ge=0, le=999999)
    income_target: float = Field(0, ge=0, le=999999)
    is_pilot: bool = False


class VillageReportIn(Schema):
    year: Year
    month: int = Field(ge=1, le=12)
    summary: str = Field(min_length=1, max_length=2000)
    income: float = Field(ge=0, le=100000)


class VillageReportOut(Schema):
    id: int
    team_id: int
    year: int
    month: int
    summary: str
    income: float


class VillageReviewIn(Schema):
    county_id: DbId
    year: Year


class VillageReviewOut(Schema):
    id: int
    county_id: int
    year: int
    evaluation_id: int


class VillageTeamResultOut(Schema):
    year: int
    status: str
    evaluation_id: int
    score: float | None
    rank: int | None
    rank_lo: int | None
    rank_hi: int | None
    teams: int
    reported_income: float


@router.get("/villages/teams/", response=list[VillageTeamOut])
@paginate(Pages)
def team_list(request):
    policy.require(request.auth, "menu")
    return policy.restrict(OperationTeam.objects.select_related("village"), request.auth).order_by("village__code",
                                                                                                   "id")


@router.post("/villages/teams/", response={201: VillageTeamOut})
def team_create(request, body: VillageTeamIn):
    if not policy.may(request.auth, "manage"):
        raise PermissionDenied
    village = referenced(selectors.village_regions(user=request.auth), body.village_id, field="village_id",
                         message=_("不是您管辖范围内的村"))
    data = body.dict(exclude={"village_id"})
    if data["end"] < data["start"]:
        raise ValidationError({"end": _("合同截止日期不能早于起始日期")})
    return Status(201, services.team_create(village=village, actor=request.auth, **data))


@router.post("/villages/teams/{int:team_id}/reports/", response={201: VillageReportOut})
def team_report(request, team_id: int, body: VillageReportIn):
    team = selectors.team_get(user=request.auth, pk=team_id)
    if not policy.allows(request.auth, "add", MonthlyReport):
        raise PermissionDenied
    return Status(201, services.report_add(team=team, actor=request.auth, **body.dict()))


@router.get("/villages/teams/{int:team_id}/reviews/", response=list[VillageTeamResultOut])
@paginate(Pages)
def team_reviews(request, team_id: int):
    team = selectors.team_get(user=request.auth, pk=team_id)
    return [vars(r) for r in review.team_results(team=team, user=request.auth)]


@router.post("/villages/reviews/", response={201: VillageReviewOut})
def review_create(request, body: VillageReviewIn):
    if not policy.may(request.auth, "manage"):
        raise PermissionDenied
    county = referenced(selectors.counties(user=request.auth), body.county_id, field="county_id",
                        message=_("不是您管辖范围内的县（区）"))
    return Status(201, review.team_review_create(county=county, year=body.year, actor=request.auth))


# --- 强村论坛 / 强村大会, honours --------------------------------------------------------------------------


class VillageEventOut(Schema):
    id: int
    county_id: int
    kind: str
    title: str
    on: dt.date
    place: str
    agenda: list[str]
    village_ids: list[int]
    person_ids: list[int]

    @staticmethod
    def resolve_village_ids(obj):
        return sorted(v.pk for v in obj.villages.all())

    @staticmethod
    def resolve_person_ids(obj):
        return sorted(p.pk for p in obj.people.all())


class VillageEventIn(Schema):
    county_id: DbId
    kind: EventKind
    title: str = Field(min_length=1, max_length=120)
    on: Date
    place: str = Field(min_length=1, max_length=120)
    agenda: list[str] = Field([], max_length=50)
    village_ids: list[DbId] = Field([], max_length=2000)
    person_ids: list[DbId] = Field([], max_length=2000)


class VillageHonourOut(Schema):
    id: int
    county_id: int
    year: int
    kind: str
    village_id: int
    village: str
    place: int
    rank: int
    previous_rank: int | None
    score: float
    run_id: int

    @staticmethod
    def resolve_village(obj):
        return obj.village.name


class VillageHonoursIn(Schema):
    county_id: DbId
    year: Year
    top: int = Field(10, ge=1, le=50)
    rises: int = Field(3, ge=0, le=50)


@router.get("/villages/events/", response=list[VillageEventOut])
@paginate(Pages)
def event_list(request):
    policy.require(request.auth, "menu")
    return events.events(user=request.auth).prefetch_related("villages", "people").order_by("-on", "-id")


@router.post("/villages/events/", response={201: VillageEventOut})
def event_create(request, body: VillageEventIn):
    if not policy.may(request.auth, "manage"):
        raise PermissionDenied
    county = referenced(selectors.counties(user=request.auth), body.county_id, field="county_id",
                        message=_("不是您管辖范围内的县（区）"))
    villages = referenced_all(selectors.village_regions(user=request.auth).filter(code__startswith=county.code[:6]),
                              body.village_ids, field="village_ids", message=_("不是本县（区）您管辖范围内的村"))
    people = referenced_all(PEOPLE.rows(request.auth), body.person_ids, field="person_ids",
                            message=_("所选人员不在您的管辖范围内或已停用"))
    return Status(201, events.event_create(county=county, kind=body.kind, title=body.title, on=body.on,
                                           place=body.place, agenda=body.agenda, villages=villages, people=people,
                                           actor=request.auth))


@router.get("/villages/honours/", response=list[VillageHonourOut])
@paginate(Pages)
def honour_list(request, year: Year | None = None):
    policy.require(request.auth, "menu")
    qs = events.honours(user=request.auth)
    return qs.filter(year=year) if year is not None else qs


class VillageHonoursOut(Schema):
    year: int
    honours: list[VillageHonourOut]


@router.post("/villages/honours/", response={201: VillageHonoursOut})
def honours_compute(request, body: VillageHonoursIn):
    if not policy.may(request.auth, "manage"):
        raise PermissionDenied
    county = referenced(selectors.counties(user=request.auth), body.county_id, field="county_id",
                        message=_("不是您管辖范围内的县（区）"))
    rows = events.honours_compute(county=county, year=body.year, top=body.top, rises=body.rises, actor=request.auth)
    return Status(201, {"year": body.year, "honours": rows})


# --- indicators (configuration) -------------------------------------------------------------------------


class VillageIndicatorIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(min_length=1, max_length=60)
    unit: str = Field("", max_length=20)
    direction: int = Field(1, ge=-1, le=1)
    weight: float = Field(1, ge=0, le=9999)
    denominator_id: DbId | None = None
    scale: float = Field(1, gt=0, le=99999999)
    lo: float | None = None
    hi: float | None = None
    target: float | None = None
    in_index: bool = True
    sort: int = Field(0, ge=0, le=32767)
    is_active: bool = True


class VillageIndicatorPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=60)
    unit: str | None = Field(None, max_length=20)
    direction: int | None = Field(None, ge=-1, le=1)
    weight: float | None = Field(None, ge=0, le=9999)
    denominator_id: DbId | None = None
    scale: float | None = Field(None, gt=0, le=99999999)
    lo: float | None = None
    hi: float | None = None
    target: float | None = None
    in_index: bool | None = None
    sort: int | None = Field(None, ge=0, le=32767)
    is_active: bool | None = None


def _indicator_data(request, body, *, partial: bool) -> dict[str, Any]:
    data = body.dict(exclude_unset=partial)
    if data.get("direction") == 0:
        raise ValidationError({"direction": _("方向应为 1（越高越好）或 -1（越低越好）")})
    if "denominator_id" in data:
        pk = data.pop("denominator_id")
        data["denominator"] = None if pk is None else referenced(
            selectors.indicators(), pk, field="denominator_id", message=_("没有这个有效指标"))
    for key in ("name", "unit", "direction", "weight", "scale", "in_index", "sort", "is_active"):
        if partial and key in data and data[key] is None:
            raise ValidationError({key: _("不能为空")})
    return data


@router.post("/villages/indicators/", response={201: VillageIndicatorOut})
def indicator_create(request, body: VillageIndicatorIn):
    policy.require(request.auth, "manage")
    return Status(201, services.indicator_create(actor=request.auth, **_indicator_data(request, body, partial=False)))


@router.patch("/villages/indicators/{int:indicator_id}/", response=VillageIndicatorOut)
def indicator_update(request, indicator_id: int, body: VillageIndicatorPatch):
    policy.require(request.auth, "manage")
    indicator = policy.get(Indicator.objects.all(), request.auth, indicator_id)
    return services.indicator_update(indicator=indicator, actor=request.auth,
                                     **_indicator_data(request, body, partial=True))
