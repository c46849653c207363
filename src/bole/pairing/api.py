"""REST endpoints of 产学研 pairing: experts, needs, matching runs, pairings and their life."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from bole.core.api import Pages, referenced
from bole.core.params import Date, DbId
from bole.org.selectors import region_list

from . import background, selectors, services
from .choices import RunStatus
from .permissions import policy

router = Router(tags=["pairing"])


class ExpertOut(Schema):
    id: int
    code: str
    name: str
    institution: str
    title: str
    fields: str
    keywords: str
    capacity: int
    region_id: int
    on_register: bool

    @staticmethod
    def resolve_on_register(obj):
        return obj.person_id is not None


class NeedOut(Schema):
    id: int
    case_id: int
    enterprise_id: int
    enterprise: str
    title: str
    field: str
    k: int
    posted_at: dt.datetime

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.name


class PairingOut(Schema):
    id: int
    need_id: int
    need: str
    expert_id: int
    expert: str
    run_id: int | None
    by_hand: bool
    affinity: float
    terms: list[str]
    state: str
    enterprise_ok_at: dt.datetime | None
    expert_ok_at: dt.datetime | None
    first_meeting_on: dt.date | None
    closed_at: dt.datetime | None
    outcome: str
    outcome_note: str
    cost_saved: Decimal | None
    rating: int | None

    @staticmethod
    def resolve_need(obj):
        return obj.need.title

    @staticmethod
    def resolve_expert(obj):
        return obj.expert.name


class RunOut(Schema):
    id: int
    status: str
    started_at: dt.datetime
    engine: str
    params: dict
    needs: int
    experts: int
    pairs: int
    total_affinity: float
    floor_missed: int
    seconds: float
    job_id: int | None = None


class ClassifyIn(Schema):
    case_id: DbId
    field: str = Field(max_length=30)
    k: int = Field(3, ge=1, le=services.MAX_K)


class RunIn(Schema):
    region_id: DbId
    min_affinity: float | None = Field(None, gt=0, lt=1)
    tfidf: float = Field(0.7, ge=0, le=1)
    bm25: float = Field(0.3, ge=0, le=1)


class PairingAddIn(Schema):
    need_id: DbId
    expert_id: DbId


class PairingTransitionIn(Schema):
    action: str = Field(max_length=12)
    met_on: Date | None = None
    outcome: str = Field("", max_length=10)
    outcome_note: str = Field("", max_length=300)
    cost_saved: Decimal | None = Field(None, ge=0, le=Decimal("99999999"), decimal_places=2)
    note: str = Field("", max_length=500)


class PairingRateIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=300)


@router.get("/pairing/experts/", response=list[ExpertOut])
@paginate(Pages)
def experts(request):
    return selectors.expert_list(user=request.auth).order_by("id")


@router.get("/pairing/needs/", response=list[NeedOut])
@paginate(Pages)
def needs(request):
    return selectors.need_list(user=request.auth).order_by("-id")


@router.post("/pairing/needs/", response={201: NeedOut})
def classify(request, body: ClassifyIn):
    if not policy.may(request.auth, "manage"):
        raise PermissionDenied  # permission before the body's ids
    case = referenced(selectors.needs_to_classify(user=request.auth), body.case_id, field="case_id")
    return Status(201, services.need_classify(case=case, field=body.field, k=body.k, actor=request.auth))


@router.get("/pairing/runs/", response=list[RunOut])
@paginate(Pages)
def runs(request):
    return selectors.run_list(user=request.auth).order_by("-id")


@router.post("/pairing/runs/", response={201: RunOut})
def run_start(request, body: RunIn):
    if not policy.may(request.auth, "manage"):
        raise PermissionDenied
    region = referenced(region_list(user=request.auth), body.region_id, field="region_id")
    run, job = background.run_start(region=region, actor=request.auth, params={
        "min_affinity": body.min_affinity, "tfidf": body.tfidf, "bm25": body.bm25})
    run.refresh_from_db()
    out = RunOut.from_orm(run)
    out.job_id = job.pk if job is not None and run.status == RunStatus.QUEUED else None
    return Status(201, out)


@router.get("/pairing/pairings/", response=list[PairingOut])
@paginate(Pages)
def pairings(request):
    return selectors.pairing_list(user=request.auth).order_by("-id")


@router.get("/pairing/pairings/{int:pairing_id}/", response=PairingOut)
def pairing_detail(request, pairing_id: int):
    return policy.get(selectors.pairing_list(user=request.auth), request.auth, pairing_id)


@router.post("/pairing/pairings/", response={201: PairingOut})
def pairing_add(request, body: PairingAddIn):
    if not policy.may(request.auth, "manage"):
        raise PermissionDenied
    need = referenced(selectors.need_list(user=request.auth, action="change"), body.need_id, field="need_id")
    expert = referenced(selectors.expert_list(user=request.auth), body.expert_id, field="expert_id")
    return Status(201, services.pairing_add(need=need, expert=expert, actor=request.auth))


@router.post("/pairing/pairings/{int:pairing_id}/transition/", response=PairingOut)
def pairing_transition(request, pairing_id: int, body: PairingTransitionIn):
    pairing = policy.get(selectors.pairing_list(user=request.auth), request.auth, pairing_id)
    return services.pairing_transition(pairing=pairing, action=body.action, actor=request.auth, met_on=body.met_on,
                                       outcome=body.outcome, outcome_note=body.outcome_note,
                                       cost_saved=body.cost_saved, note=body.note)


@router.post("/pairing/pairings/{int:pairing_id}/rate/", response=PairingOut)
def pairing_rate(request, pairing_id: int, body: PairingRateIn):
    pairing = policy.get(selectors.pairing_list(user=request.auth), request.auth, pairing_id)
    return services.pairing_rate(pairing=pairing, rating=body.rating, comment=body.comment, actor=request.auth)
