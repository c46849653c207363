"""REST endpoints of the assessment: schemes, rounds, scoped results with breakdown, transitions, objections."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from bole.core.api import Page, paginate
from bole.core.scoping import scope_of

from . import selectors, services
from .models import Result
from .permissions import policy

router = Router(tags=["assessment"])


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    weight: float
    direction: int
    normalisation: str
    missing: str


class SchemeOut(Schema):
    id: int
    name: str
    target: str
    period_kind: str
    grouping: str
    excellent_share: float
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj):
        return list(obj.indicators.all())


class RoundOut(Schema):
    id: int
    scheme_id: int
    period: str
    title: str
    status: str
    doc_number: str
    input_fingerprint: str
    frozen_fingerprint: str


class ResultOut(Schema):
    id: int
    person_id: int
    person_name: str
    unit_id: int
    group: str
    total: float
    rank: int
    group_size: int
    grade: str
    prev_rank: int | None

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name


class LineOut(Schema):
    code: str
    raw: float | None
    normalised: float
    weight: float
    contribution: str


class ResultDetail(ResultOut):
    lines: list[LineOut]


class ResultPage(Page):
    results: list[ResultOut]


class ResultFilters(Schema):
    group: str = ""
    grade: str = ""
    page: int = 1
    page_size: int = 100


class TransitionIn(Schema):
    to: str
    note: str = ""


class ObjectionIn(Schema):
    reason: str


class ObjectionOut(Schema):
    id: int
    person_id: int
    status: str
    reason: str
    answer: str


@router.get("/assessment/schemes/", response=list[SchemeOut])
def schemes(request):
    return list(selectors.scheme_list(user=request.user).prefetch_related("indicators"))


@router.get("/assessment/rounds/", response=list[RoundOut])
def rounds(request):
    return list(selectors.round_list(user=request.user).order_by("scheme_id", "period"))


@router.get("/assessment/rounds/{round_id}/results/", response=ResultPage)
def results(request, round_id: int, filters: Query[ResultFilters]):
    """Results of a round within the caller's scope (a cadre gets only their own)."""
    rnd = policy.get(selectors.round_list(user=request.user), request.user, round_id)
    qs = selectors.result_list(user=request.user, round=rnd).order_by("group", "position")
    if filters.group:
        qs = qs.filter(group=filters.group)
    if filters.grade:
        qs = qs.filter(grade=filters.grade)
    count, page, size, rows = paginate(qs, filters.page, filters.page_size)
    return {"count": count, "page": page, "page_size": size, "results": rows}


@router.get("/assessment/rounds/{round_id}/results/{person_id}/", response=ResultDetail)
def result_detail(request, round_id: int, person_id: int):
    """One result with the breakdown whose contributions add up to the total."""
    rnd = policy.get(selectors.round_list(user=request.user), request.user, round_id)
    pk = Result.objects.filter(round=rnd, person_id=person_id).values_list("pk", flat=True).first()
    result = policy.get(selectors.result_list(user=request.user, round=rnd), request.user, pk)
    lines, _total = selectors.explanation(result)
    result.lines = [{"code": ln.indicator.code, "raw": ln.raw, "normalised": ln.normalised, "weight": ln.weight,
                     "contribution": str(ln.contribution)} for ln in lines]
    return result


@router.post("/assessment/rounds/{round_id}/transition/", response=RoundOut)
def transition(request, round_id: int, body: TransitionIn):
    rnd = policy.get(selectors.round_list(user=request.user), request.user, round_id)
    return services.round_transition(round=rnd, to=body.to, actor=request.user, note=body.note)


@router.post("/assessment/rounds/{round_id}/objections/", response={201: ObjectionOut})
def lodge(request, round_id: int, body: ObjectionIn):
    """A cadre objects to their own result during the publicity period."""
    from bole.org.models import Person

    scope = scope_of(request.user)
    if scope.kind != "person":
        raise PermissionDenied
    rnd = policy.get(selectors.round_list(user=request.user), request.user, round_id)
    obj = services.objection_lodge(round=rnd, person=Person.objects.get(pk=scope.person_id), reason=body.reason,
                                   actor=request.user)
    return Status(201, obj)
