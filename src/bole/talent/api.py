"""REST endpoints of the talent register: keyset pages and search, a talent's lifecycle, service requests,
红领创客 with the income panel, startup projects, and the talent team's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from bole.cases.selectors import desk_categories
from bole.core import figures as core_figures
from bole.core.api import Pages, referenced, referenced_all
from bole.core.params import Date, PeriodCode
from bole.org.selectors import enterprise_list, region_list

from . import contests as contests_services
from . import selectors, services
from .models import Creator, Household, StartupProject, Talent
from .permissions import policy
from .pickers import TALENTS as TALENT_PICKS

router = Router(tags=["talent"])


class TalentOut(Schema):
    id: int
    name: str
    level: str
    category: str
    field: str
    industry: str
    education: str
    origin: str
    employer_id: int | None
    employer: str
    region_code: str
    arrival_date: dt.date | None
    status: str
    stage: str
    stage_since: dt.date | None
    liaison_id: int | None
    person_id: int | None
    id_masked: str
    phone_masked: str

    @staticmethod
    def resolve_employer(obj):
        return obj.employer.name if obj.employer_id else ""


class TalentPage(Schema):
    items: list[TalentOut]
    count: int
    more: bool  # the count stopped at its cap (10,000)
    next_after: int | None  # pass as `after` for the next page


class TalentQuery(Schema):
    q: str = ""
    level: str = ""
    stage: str = ""
    status: str = ""
    origin: str = ""
    field: str = ""
    after: int | None = None


class TalentIn(Schema):
    name: str
    id_number: str
    phone: str = ""
    level: str
    category: str = ""
    field: str
    industry: str
    education: str
    origin: str
    employer_id: int | None = None
    region_id: int
    arrival_date: Date | None = None


class TalentPatch(Schema):
    """A talent's register fields to change; what is left out stays. The ID number is not changed here."""

    name: str | None = None
    phone: str | None = None
    level: str | None = None
    category: str | None = None
    field: str | None = None
    industry: str | None = None
    education: str | None = None
    origin: str | None = None
    employer_id: int | None = None
    region_id: int | None = None
    arrival_date: Date | None = None


class StartupProjectIn(Schema):
    name: str
    field: str
    region_id: int
    started_on: Date
    stage: str = "incubating"
    investment: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)
    founder_ids: list[int]


class StartupProjectPatch(Schema):
    field: str | None = None
    stage: str | None = None
    investment: Decimal | None = None
    revenue: Decimal | None = None


class StageIn(Schema):
    to: str
    on: Date | None = None
    note: str = ""
    reason: str = ""
    interview: str = ""


class ActivityOut(Schema):
    id: int
    stage: str
    name: str
    unit: str
    due_on: dt.date
    state: str
    done_on: dt.date | None


class EntryOut(Schema):
    from_stage: str
    to_stage: str
    on: dt.date
    note: str


class LifecycleOut(Schema):
    talent: TalentOut
    checklist: list[ActivityOut]
    timeline: list[EntryOut]


class ActivityIn(Schema):
    skip: bool = False
    note: str = ""


class TalentRequestIn(Schema):
    title: str
    description: str
    category_id: int | None = None


class CaseRefOut(Schema):
    id: int
    number: str
    title: str
    state: str
    deadline: dt.date | None
    rating: str


class HouseholdPanelOut(Schema):
    households: int
    covered: int
    coverage: float
    median_change: float | None
    above_30k: int
    missed_waves: int
    engine: str


class CreatorOut(Schema):
    id: int
    name: str
    business: str
    village_code: str
    started_on: dt.date
    n_households: int

    @staticmethod
    def resolve_village_code(obj):
        return obj.region_code


class SurveyIn(Schema):
    wave: int
    income: Decimal | None = None
    surveyed_on: Date | None = None
    missed: bool = False


class StartupProjectOut(Schema):
    id: int
    name: str
    field: str
    stage: str
    region_code: str
    started_on: dt.date
    investment: Decimal
    revenue: Decimal
    founders: list[int]

    @staticmethod
    def resolve_founders(obj):
        return [f.pk for f in obj.founders.all()]


@router.get("/talent/", response=TalentPage)
def talent_list(request, query: Query[TalentQuery]):
    """Talents in scope, newest first, 50 a page by keyset (`after`); search by name, pinyin, employer or field."""
    policy.require(request.auth, "menu")
    f = selectors.Filters.of(query.dict())
    qs = selectors.talent_filtered(user=request.auth, f=f)
    rows, nxt = selectors.talent_page(qs, after=query.after)
    count, more = selectors.bounded_count(qs)
    return {"items": rows, "count": count, "more": more, "next_after": nxt}


@router.get("/talent/me/", response=LifecycleOut)
def talent_me(request):
    """The caller's own talent record (a talent signed in on a phone)."""
    policy.require(request.auth, "mine")
    t = selectors.my_talent(user=request.auth)
    if t is None:
        raise PermissionDenied
    return {"talent": t, "checklist": selectors.checklist(t), "timeline": selectors.timeline(t)}


@router.get("/talent/panel/", response=HouseholdPanelOut)
def household_panel(request):
    """The 红领创客 households' income change from their records: median, coverage, missed follow-ups."""
    policy.require(request.auth, "menu")
    hh = selectors.household_list(user=request.auth)
    p = selectors.panel_change(hh)
    return {"households": p.households, "covered": p.covered, "coverage": p.coverage,
            "median_change": p.median_change, "above_30k": p.above, "missed_waves": selectors.missed_waves(hh),
            "engine": p.version}


@router.get("/talent/creators/", response=list[CreatorOut])
@paginate(Pages)
def creators(request):
    policy.require(request.auth, "menu")
    return selectors.creator_list(user=request.auth).order_by("id")


@router.post("/talent/households/{household_id}/surveys/", response={201: dict})
def survey(request, household_id: int, body: SurveyIn):
    hh = policy.get(Household.objects.all(), request.auth, household_id)
    row = services.survey_record(actor=request.auth, household=hh, wave=body.wave, income=body.income,
                                 surveyed_on=body.surveyed_on, missed=body.missed)
    return Status(201, {"id": row.pk, "wave": row.wave, "state": row.state})


@router.get("/talent/projects/", response=list[StartupProjectOut])
@paginate(Pages)
def projects(request):
    policy.require(request.auth, "menu")
    return selectors.project_list(user=request.auth).order_by("-id")


class ContestTrackOut(Schema):
    id: int
    name: str


class ContestantOut(Schema):
    id: int
    track_id: int
    label: str
    talent_id: int | None
    project_id: int | None
    preliminary_score: float | None
    advanced: bool
    final_score: float | None
    award: str
    award_order: int


class TalentContestOut(Schema):
    id: int
    name: str
    year: int
    region_code: str
    unit_id: int | None
    status: str
    finalists_per_track: int
    award_plan: list
    preliminary_id: int | None
    final_id: int | None


class TalentContestDetailOut(Schema):
    contest: TalentContestOut
    tracks: list[ContestTrackOut]
    contestants: list[ContestantOut]


class ContestMoveIn(Schema):
    to: str


@router.get("/talent/contests/", response=list[TalentContestOut])
@paginate(Pages)
def contests(request):
    """人才创新创业大赛 in the caller's scope, newest first."""
    policy.require(request.auth, "menu")
    return selectors.contest_list(user=request.auth).order_by("-year", "-id")


@router.get("/talent/contests/{int:contest_id}/", response=TalentContestDetailOut)
def contest_detail(request, contest_id: int):
    """A contest with its tracks and contestants: scores of both rounds, who advanced, the awards."""
    c = selectors.contest_get(user=request.auth, pk=contest_id)
    return {"contest": c, "tracks": list(c.tracks.all()), "contestants": list(c.contestants.order_by("id"))}


@router.post("/talent/contests/{int:contest_id}/transition/", response=TalentContestOut)
def contest_transition(request, contest_id: int, body: ContestMoveIn):
    """报名 → 初赛 → 决赛 → 已评奖: builds the round, advances the best of each track, or records the awards."""
    c = selectors.contest_get(user=request.auth, pk=contest_id, action="transition")
    return contests_services.contest_transition(contest=c, to=body.to, actor=request.auth)


@router.post("/talent/projects/", response={201: StartupProjectOut})
def project_create(request, body: StartupProjectIn):
    """Register a 硕士以上创业项目; founders are talents the caller may choose (the form's picker)."""
    if not (policy.may(request.auth, "manage") and policy.allows(request.auth, "add", StartupProject)):
        raise PermissionDenied
    region = referenced(region_list(user=request.auth), body.region_id, field="region_id")
    founders = referenced_all(TALENT_PICKS.rows(request.auth), body.founder_ids, field="founder_ids")
    data = body.dict(exclude={"region_id", "founder_ids"})
    return Status(201, services.project_create(actor=request.auth, region=region, founders=founders, **data))


@router.patch("/talent/projects/{int:project_id}/", response=StartupProjectOut)
def project_update(request, project_id: int, body: StartupProjectPatch):
    policy.require(request.auth, "manage")
    project = policy.get(StartupProject.objects.all(), request.auth, project_id, "change")
    data = {k: v for k, v in body.dict(exclude_unset=True).items() if v is not None}
    return services.project_update(actor=request.auth, project=project, **data)


@router.get("/stats/talent/", response=dict)
def stats(request, period: PeriodCode = ""):
    """The talent team's figures (the same as in GET /api/v1/stats/), for the staff."""
    policy.require(request.auth, "menu")
    tree = core_figures.tree(user=request.auth, period=period)
    return {**tree, "teams": [t for t in tree["teams"] if t["key"] == "talent"]}


@router.post("/talent/", response={201: TalentOut})
def talent_create(request, body: TalentIn):
    if not (policy.may(request.auth, "manage") and policy.allows(request.auth, "add", Talent)):
        raise PermissionDenied
    region = referenced(region_list(user=request.auth), body.region_id, field="region_id")
    employer = referenced(enterprise_list(user=request.auth), body.employer_id, field="employer_id") \
        if body.employer_id else None
    data = body.dict(exclude={"region_id", "employer_id"})
    return Status(201, services.talent_create(actor=request.auth, region=region, employer=employer, **data))


@router.get("/talent/{talent_id}/", response=LifecycleOut)
def talent_detail(request, talent_id: int):
    t = selectors.talent_get(user=request.auth, pk=talent_id)
    return {"talent": t, "checklist": selectors.checklist(t), "timeline": selectors.timeline(t)}


@router.patch("/talent/{talent_id}/", response=TalentOut)
def talent_update(request, talent_id: int, body: TalentPatch):
    """Change a talent's register fields with the register's validation (the stage moves on the lifecycle)."""
    policy.require(request.auth, "manage")
    t = selectors.talent_get(user=request.auth, pk=talent_id, action="change")
    data = {k: v for k, v in body.dict(exclude_unset=True).items() if v is not None}
    if "region_id" in data:
        data["region"] = referenced(region_list(user=request.auth), data.pop("region_id"), field="region_id")
    if "employer_id" in data:
        data["employer"] = referenced(enterprise_list(user=request.auth), data.pop("employer_id"),
                                      field="employer_id")
    if t.person_id:
        data.pop("name", None)  # a talent on the person register keeps the register's name
    return services.talent_update(talent=t, actor=request.auth, **data)


@router.post("/talent/{talent_id}/stage/", response=TalentOut)
def talent_stage(request, talent_id: int, body: StageIn):
    t = selectors.talent_get(user=request.auth, pk=talent_id, action="transition")
    return services.talent_transition(talent=t, to_stage=body.to, actor=request.auth, on=body.on, note=body.note,
                                      reason=body.reason, interview=body.interview)


@router.post("/talent/{talent_id}/activities/{activity_id}/", response=ActivityOut)
def activity(request, talent_id: int, activity_id: int, body: ActivityIn):
    t = selectors.talent_get(user=request.auth, pk=talent_id)
    a = get_object_or_404(t.activities.all(), pk=activity_id)
    services.activity_complete(activity=a, actor=request.auth, skip=body.skip, note=body.note)
    a.refresh_from_db()
    return a


@router.post("/talent/{talent_id}/requests/", response={201: CaseRefOut})
def service_request(request, talent_id: int, body: TalentRequestIn):
    """A service request on the talent desk (the talent, the liaison or staff); the liaison handles it."""
    t = selectors.talent_get(user=request.auth, pk=talent_id)
    category = referenced(desk_categories("talent"), body.category_id, field="category_id") \
        if body.category_id else None
    case = services.service_request(talent=t, title=body.title, description=body.description, category=category,
                                    actor=request.auth)
    return Status(201, case)


@router.get("/talent/{talent_id}/requests/", response=list[CaseRefOut])
@paginate(Pages)
def service_requests(request, talent_id: int):
    """The talent's service requests on the talent desk, newest first."""
    t = selectors.talent_get(user=request.auth, pk=talent_id)
    return selectors.service_cases(t)


_ = Creator  # the creators' rows are read through selectors.creator_list
