"""REST endpoints of the assessment: schemes (and their editing), rounds, scoped results with breakdown,
transitions, grade decisions, objections."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from bole.core.api import Pages, referenced
from bole.core.params import Date
from bole.core.scoping import own_person_id
from bole.engines.scoring import GRADE_FLAG_QUOTA_TIE
from bole.ledger.models import PointCategory
from bole.org.models import Person

from . import selectors, services
from .models import GradeDecision, Result, Round, Scheme
from .permissions import policy
from .pickers import subjects_source

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


class AssessmentRoundOut(Schema):
    id: int
    scheme_id: int
    period: str
    title: str
    status: str
    doc_number: str
    input_fingerprint: str
    frozen_fingerprint: str


class AssessmentResultOut(Schema):
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
    quota_tie: bool  # tied at the 优秀 boundary beyond the tie-breakers: the grade waits for a decision

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_quota_tie(obj):
        return bool(obj.grade_flags & GRADE_FLAG_QUOTA_TIE)


class LineOut(Schema):
    code: str
    raw: float | None
    normalised: float
    weight: float
    contribution: str


class ResultDetail(AssessmentResultOut):
    lines: list[LineOut]


class ResultFilters(FilterSchema):
    group: str | None = None
    grade: str | None = None


class RoundTransitionIn(Schema):
    to: str
    note: str = ""
    publicity_until: Date | None = None  # entering publicity: its last day (default: five days from today)


class IndicatorIn(Schema):
    id: int | None = None  # an existing indicator of the scheme to change; without it, a new one
    code: str
    name: str
    kind: str
    weight: Decimal
    direction: int = 1
    normalisation: str = "raw"
    missing: str = "zero"
    metric: str = ""
    categories: list[str] = []  # ledger point category codes, for ledger indicators


class SchemeIn(Schema):
    name: str
    target: str
    period_kind: str
    grouping: str = "all"
    decimals: int = 2
    excellent_share: Decimal = Decimal("0.15")
    excellent_min_total: Decimal | None = None
    basic_threshold: Decimal | None = None
    fail_threshold: Decimal | None = None
    quota_rounding: str = "floor"
    tie_breakers: list[str] = []
    doc_prefix: str = "德组通"
    issuer: str = "中共德清县委组织部"
    indicators: list[IndicatorIn]


class RoundIn(Schema):
    scheme_id: int
    period: str
    title: str = ""


class GradeDecisionIn(Schema):
    person_id: int
    grade: str
    reason: str


class DecisionOut(Schema):
    id: int
    person_id: int
    grade: str
    reason: str


class ObjectionIn(Schema):
    reason: str


class ObjectionOut(Schema):
    id: int
    person_id: int
    status: str
    reason: str
    answer: str


@router.get("/assessment/schemes/", response=list[SchemeOut])
@paginate(Pages)
def schemes(request):
    return selectors.scheme_list(user=request.auth).prefetch_related("indicators").order_by("id")


def _scheme_save(request, scheme: Scheme | None, body: SchemeIn) -> Scheme:
    """The scheme and its whole list of indicators in one write (the same service as the scheme page)."""
    data = body.dict(exclude={"indicators"})
    codes = {c for i in body.indicators for c in i.categories}
    cats = {c.code: c for c in PointCategory.objects.filter(code__in=codes)}
    if unknown := sorted(codes - set(cats)):
        raise ValidationError({"categories": [_("未知的积分类别：%(c)s") % {"c": "、".join(unknown)}]})
    rows = []
    for ind in body.indicators:
        row = ind.dict(exclude={"categories", "id"})
        row["categories"] = [cats[c] for c in ind.categories]
        if ind.id:
            row["id"] = ind.id
        rows.append(row)
    saved = services.scheme_save(scheme=scheme, indicators=rows, actor=request.auth, **data)
    return Scheme.objects.prefetch_related("indicators").get(pk=saved.pk)


@router.post("/assessment/schemes/", response={201: SchemeOut})
def scheme_create(request, body: SchemeIn):
    """A new scheme with its indicators (county administrators); every rule of the scheme page applies."""
    return Status(201, _scheme_save(request, None, body))


@router.put("/assessment/schemes/{scheme_id}/", response=SchemeOut)
def scheme_update(request, scheme_id: int, body: SchemeIn):
    """Replace a scheme's settings and indicators; refused once one of its rounds has gone public."""
    scheme = policy.get(selectors.scheme_list(user=request.auth), request.auth, scheme_id)
    return _scheme_save(request, scheme, body)


@router.get("/assessment/rounds/", response=list[AssessmentRoundOut])
@paginate(Pages)
def rounds(request):
    return selectors.round_list(user=request.auth).order_by("scheme_id", "period", "id")


@router.post("/assessment/rounds/", response={201: AssessmentRoundOut})
def round_create(request, body: RoundIn):
    """A draft round of a scheme for one period (2024Q3 or 2024, matching the scheme's period type)."""
    if not policy.allows(request.auth, "manage", Round):
        raise PermissionDenied  # who may not create rounds learns nothing about the schemes named
    scheme = referenced(selectors.scheme_list(user=request.auth), body.scheme_id, field="scheme_id")
    return Status(201, services.round_create(scheme=scheme, period=body.period, title=body.title,
                                             actor=request.auth))


@router.get("/assessment/rounds/{round_id}/decisions/", response=list[DecisionOut])
@paginate(Pages)
def decisions(request, round_id: int):
    """Grades decided rather than earned in a round (county administrators)."""
    rnd = policy.get(selectors.round_list(user=request.auth), request.auth, round_id)
    policy.require(request.auth, "change", rnd)
    return GradeDecision.objects.filter(round=rnd).order_by("id")


@router.post("/assessment/rounds/{round_id}/decisions/", response={201: DecisionOut})
def decide(request, round_id: int, body: GradeDecisionIn):
    """Record a decided grade with its grounds; it takes effect at the next computation. 优秀 uses one of the group's
    places: beyond them the decision is refused (400, with the group's size, places and decisions)."""
    rnd = policy.get(selectors.round_list(user=request.auth), request.auth, round_id)
    if not policy.allows(request.auth, "manage", Round):
        raise PermissionDenied
    # Only someone the scheme assesses, within the caller's scope: anyone else is not found.
    person = referenced(subjects_source(rnd.scheme.target).choices(user=request.auth), body.person_id,
                        field="person_id")
    return Status(201, services.grade_decide(round=rnd, person=person, grade=body.grade, reason=body.reason,
                                             actor=request.auth))


@router.delete("/assessment/decisions/{decision_id}/", response={204: None})
def decision_remove(request, decision_id: int):
    decision = get_object_or_404(GradeDecision.objects.select_related("round"), pk=decision_id)
    policy.get(selectors.round_list(user=request.auth), request.auth, decision.round_id)
    services.grade_decision_remove(decision=decision, actor=request.auth)
    return Status(204, None)


@router.get("/assessment/rounds/{round_id}/results/", response=list[AssessmentResultOut])
@paginate(Pages)
def results(request, round_id: int, filters: Query[ResultFilters]):
    """Results of a round within the caller's scope (a cadre gets only their own)."""
    rnd = policy.get(selectors.round_list(user=request.auth), request.auth, round_id)
    return filters.filter(selectors.result_list(user=request.auth, round=rnd)).order_by("group", "position", "id")


@router.get("/assessment/rounds/{round_id}/results/{person_id}/", response=ResultDetail)
def result_detail(request, round_id: int, person_id: int):
    """One result with the breakdown whose contributions add up to the total."""
    rnd = policy.get(selectors.round_list(user=request.auth), request.auth, round_id)
    pk = Result.objects.filter(round=rnd, person_id=person_id).values_list("pk", flat=True).first()
    result = policy.get(selectors.result_list(user=request.auth, round=rnd), request.auth, pk)
    lines, _total = selectors.explanation(result)
    result.lines = [{"code": ln.indicator.code, "raw": ln.raw, "normalised": ln.normalised, "weight": ln.weight,
                     "contribution": str(ln.contribution)} for ln in lines]
    return result


@router.post("/assessment/rounds/{round_id}/transition/", response=AssessmentRoundOut)
def transition(request, round_id: int, body: RoundTransitionIn):
    rnd = policy.get(selectors.round_list(user=request.auth), request.auth, round_id)
    return services.round_transition(round=rnd, to=body.to, actor=request.auth, note=body.note,
                                     publicity_until=body.publicity_until)


@router.post("/assessment/rounds/{round_id}/objections/", response={201: ObjectionOut})
def lodge(request, round_id: int, body: ObjectionIn):
    """A cadre objects to their own result during the publicity period."""
    policy.require(request.auth, "object")
    rnd = policy.get(selectors.round_list(user=request.auth), request.auth, round_id)
    obj = services.objection_lodge(round=rnd, person=Person.objects.get(pk=own_person_id(request.auth)),
                                   reason=body.reason,
                                   actor=request.auth)
    return Status(201, obj)
