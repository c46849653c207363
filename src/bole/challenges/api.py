"""REST endpoints of the challenge board: the board, challenges in scope, applications, transitions."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from bole.core.api import Pages, UnknownReference, referenced, referenced_all
from bole.core.params import Date
from bole.core.scoping import own_person_id
from bole.org.selectors import person_list, unit_list

from . import selectors, services
from .acceptance import current_signoffs_of, panel_seat_get, panel_seats, panel_verdict
from .models import Challenge
from .permissions import policy

router = Router(tags=["challenges"])


class ChallengeMilestoneOut(Schema):
    id: int
    title: str
    due_date: dt.date
    points: Decimal
    status: str
    delivered_on: dt.date | None
    accepted_on: dt.date | None


class ChallengeOut(Schema):
    id: int
    title: str
    field: str
    publisher_unit_id: int
    publisher_unit: str
    goal: str
    criteria: str
    incentive_points: Decimal
    incentive_text: str
    pay_per_milestone: bool
    team_allowed: bool
    apply_until: dt.date
    deadline: dt.date
    status: str
    closure: str
    milestones: list[ChallengeMilestoneOut]
    holders: list[int]
    acceptance_panel_id: int | None

    @staticmethod
    def resolve_publisher_unit(obj):
        return obj.publisher_unit.name

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())

    @staticmethod
    def resolve_holders(obj):
        return [h.person_id for h in obj.holders.all()]


class ChallengeFilters(FilterSchema):
    status: str | None = None
    field: str | None = None


class MilestoneIn(Schema):
    title: str
    due_date: Date
    points: Decimal = Decimal(0)


class ChallengeIn(Schema):
    title: str
    field: str = "other"
    publisher_unit_id: int
    goal: str
    criteria: str
    incentive_points: Decimal = Decimal(0)
    incentive_text: str = ""
    pay_per_milestone: bool = False
    team_allowed: bool = False
    apply_until: Date
    deadline: Date
    milestones: list[MilestoneIn] = []


class ChallengeTransitionIn(Schema):
    to: str
    closure: str = ""
    note: str = ""


class ApplicationOut(Schema):
    id: int
    challenge_id: int
    person_id: int
    plan: str
    status: str
    members: list[int]

    @staticmethod
    def resolve_members(obj):
        return [m.pk for m in obj.members.all()]


class ApplyIn(Schema):
    plan: str


class AwardIn(Schema):
    applications: list[int]


class PanelMemberOut(Schema):
    id: int
    person_id: int | None
    name: str
    is_chair: bool
    conflicted: bool
    conflict_reason: str


class MilestoneVerdictOut(Schema):
    milestone_id: int
    attempt: int
    passed: bool
    eligible: int
    signed: int
    failed: int
    waiting: list[str]
    reasons: list[str]


class PanelOut(Schema):
    evaluation_id: int | None
    members: list[PanelMemberOut]
    verdicts: list[MilestoneVerdictOut]


class SignoffIn(Schema):
    member_id: int  # the member's seat on the acceptance panel (an evaluation seat)
    verdict: str
    comment: str = ""


def _rows(qs):
    return qs.prefetch_related("milestones", "holders")


@router.get("/challenges/board/", response=list[ChallengeOut], auth=None)
@paginate(Pages)
def board(request):
    """Challenges open for applications (public), closing soonest first."""
    return _rows(selectors.open_board())


@router.get("/challenges/", response=list[ChallengeOut])
@paginate(Pages)
def challenge_list(request, filters: Query[ChallengeFilters]):
    return filters.filter(_rows(selectors.challenge_list(user=request.auth))).order_by("-id")


@router.get("/challenges/applications/", response=list[ApplicationOut])
@paginate(Pages)
def applications(request):
    """Applications the caller may see, newest first."""
    return selectors.application_list(user=request.auth).order_by("-id")


@router.get("/challenges/{challenge_id}/", response=ChallengeOut)
def challenge_detail(request, challenge_id: int):
    return selectors.challenge_get(user=request.auth, pk=challenge_id)


@router.post("/challenges/", response={201: ChallengeOut})
def challenge_create(request, body: ChallengeIn):
    if not policy.allows(request.auth, "add", Challenge):
        raise PermissionDenied  # permission before the body's ids
    unit = referenced(unit_list(user=request.auth), body.publisher_unit_id, field="publisher_unit_id")
    data = body.dict(exclude={"publisher_unit_id", "milestones"})
    ch = services.challenge_create(actor=request.auth, publisher_unit=unit,
                                   milestones=[m.dict() for m in body.milestones], **data)
    return Status(201, ch)


@router.post("/challenges/{challenge_id}/transition/", response=ChallengeOut)
def challenge_transition(request, challenge_id: int, body: ChallengeTransitionIn):
    ch = selectors.challenge_get(user=request.auth, pk=challenge_id)
    return services.challenge_transition(challenge=ch, to=body.to, closure=body.closure, note=body.note,
                                         actor=request.auth)


@router.post("/challenges/{challenge_id}/apply/", response={201: ApplicationOut})
def apply(request, challenge_id: int, body: ApplyIn):
    """揭榜 as the logged-in cadre."""
    ch = selectors.challenge_get(user=request.auth, pk=challenge_id)
    policy.require(request.auth, "apply")
    me = get_object_or_404(person_list(user=request.auth), pk=own_person_id(request.auth))
    return Status(201, services.challenge_apply(challenge=ch, person=me, plan=body.plan, actor=request.auth))


@router.post("/challenges/{challenge_id}/award/", response=ChallengeOut)
def award(request, challenge_id: int, body: AwardIn):
    ch = selectors.challenge_get(user=request.auth, pk=challenge_id)
    if not services.is_manager(request.auth, ch):
        raise PermissionDenied  # permission before the body's ids
    apps = referenced_all(selectors.application_list(user=request.auth, action="decide").filter(challenge=ch),
                          body.applications, field="applications")
    return services.challenge_award(challenge=ch, applications=apps, actor=request.auth)


@router.post("/challenges/{challenge_id}/milestones/{milestone_id}/transition/", response=ChallengeMilestoneOut)
def milestone_transition(request, challenge_id: int, milestone_id: int, body: ChallengeTransitionIn):
    ch = selectors.challenge_get(user=request.auth, pk=challenge_id)
    ms = get_object_or_404(ch.milestones.all(), pk=milestone_id)
    return services.milestone_transition(milestone=ms, to=body.to, note=body.note, actor=request.auth)


@router.get("/challenges/{challenge_id}/panel/", response=PanelOut)
def panel(request, challenge_id: int):
    """The acceptance panel: members (with conflicts) and each submitted milestone's verdict."""
    ch = selectors.challenge_get(user=request.auth, pk=challenge_id)
    seats = panel_seats(ch)
    submitted = list(ch.milestones.filter(status="submitted").select_related("panel_subject"))
    signoffs = current_signoffs_of(submitted)
    verdicts = []
    for m in submitted:
        v = panel_verdict(m, seats=seats, signoffs=signoffs[m.pk])
        verdicts.append({"milestone_id": m.pk, "attempt": v.attempt, "passed": v.passed, "eligible": v.eligible,
                         "signed": v.signed, "failed": v.failed, "waiting": v.waiting, "reasons": v.reasons})
    return {"evaluation_id": ch.acceptance_panel_id, "verdicts": verdicts,
            "members": [{"id": s.pk, "person_id": s.person_id, "name": s.name, "is_chair": s.is_chair,
                         "conflicted": s.conflicted, "conflict_reason": s.conflict_reason} for s in seats]}


@router.post("/challenges/{challenge_id}/milestones/{milestone_id}/signoff/", response={201: dict})
def signoff(request, challenge_id: int, milestone_id: int, body: SignoffIn):
    ch = selectors.challenge_get(user=request.auth, pk=challenge_id)
    ms = get_object_or_404(ch.milestones.all(), pk=milestone_id)
    seat = panel_seat_get(ch, body.member_id)
    if seat is None:
        raise UnknownReference("member_id")
    row = services.milestone_signoff(milestone=ms, seat=seat, verdict=body.verdict, opinion=body.comment,
                                     actor=request.auth)
    return Status(201, {"id": row.pk, "attempt": row.attempt, "verdict": row.verdict})
