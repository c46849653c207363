"""The seam between the challenge board and the evaluation engine: a challenge's acceptance panel (验收组).

The panel is a sign-off evaluation (验收评审) of the publishing unit, created when the panel is formed
(or when a milestone is first submitted, whichever comes first). Its members are the evaluation's seats;
each milestone is one of its subjects, and each submission of a milestone is a new attempt whose verdicts
alone count. Everything the challenge app needs from `bole.evaluation` goes through this module.

Steps that merely follow a challenge move (a milestone submitted, accepted or returned; the challenge
closed) are written with ``actor=None``: the challenge service has checked and audited the move itself,
with the same request id.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bole.evaluation import selectors as ev_selectors
from bole.evaluation import services as ev_services
from bole.evaluation.choices import EvaluationKind, EvaluationStatus, SignoffState, SubjectKind
from bole.evaluation.models import Evaluation, EventJudge, Subject
from bole.evaluation.selectors import SignoffVerdict

from .models import Challenge, Milestone


def panel_event(challenge: Challenge, *, actor=None) -> Evaluation:
    """The challenge's sign-off evaluation, created (as a draft) on first use."""
    if challenge.acceptance_panel_id is not None:
        return Evaluation.objects.get(pk=challenge.acceptance_panel_id)
    ev = ev_services.evaluation_create(
        actor=actor, name=_("%(t)s · 验收组") % {"t": challenge.title}, kind=EvaluationKind.SIGNOFF,
        unit=challenge.publisher_unit, subject_kind=SubjectKind.ENTRY,
        description=_("攻坚目标：%(g)s\n验收标准：%(c)s") % {"g": challenge.goal, "c": challenge.criteria})
    Challenge.objects.filter(pk=challenge.pk).update(acceptance_panel=ev)
    challenge.acceptance_panel = ev
    return ev


def panel_seats(challenge: Challenge) -> list[EventJudge]:
    """The panel's members in seating order (chair first), conflicted ones included."""
    if challenge.acceptance_panel_id is None:
        return []
    return list(EventJudge.objects.filter(evaluation_id=challenge.acceptance_panel_id)
                .select_related("person", "person__unit").order_by("-is_chair", "sort", "id"))


def panel_seat_get(challenge: Challenge, seat_id) -> EventJudge | None:
    """One member of this challenge's panel (None for a seat of any other event)."""
    if challenge.acceptance_panel_id is None:
        return None
    return EventJudge.objects.filter(evaluation_id=challenge.acceptance_panel_id, pk=seat_id).first()


def panel_conflict_declare(seat: EventJudge, *, reason: str, actor) -> EventJudge:
    """申请回避: a member steps aside (declared by the publisher or by the member), through the evaluation service;
    from then on the member is not counted and cannot sign."""
    return ev_services.judge_conflict_declare(seat=seat, reason=reason, actor=actor)


def panel_seat_add(challenge: Challenge, *, person, is_chair: bool, actor) -> EventJudge:
    """Seat a member; the panel sits (opens) with its first member."""
    ev = panel_event(challenge, actor=actor)
    seat = ev_services.judge_add(evaluation=ev, person=person, is_chair=is_chair, actor=actor)
    if ev.status == EvaluationStatus.DRAFT:
        ev_services.evaluation_transition(evaluation=ev, to=EvaluationStatus.OPEN, actor=actor)
    return seat


def _subject(ms: Milestone) -> Subject:
    """The milestone's subject on the panel, added on its first submission."""
    if ms.panel_subject_id is not None:
        return ms.panel_subject  # loaded with the milestone when the caller selected it
    ev = panel_event(ms.challenge)
    subject = ev_services.subject_add(evaluation=ev, label=ms.title, actor=None)
    Milestone.objects.filter(pk=ms.pk).update(panel_subject=subject)
    ms.panel_subject = subject
    return subject


def milestone_submitted(ms: Milestone) -> None:
    """A (re-)submission opens a new attempt: the panel signs again from scratch."""
    ev_services.subject_signoff_transition(subject=_subject(ms), to=SignoffState.PENDING, actor=None)


def milestone_decided(ms: Milestone) -> None:
    """Accepted or returned: the attempt is over, members can no longer sign it."""
    if ms.panel_subject_id is not None:
        ev_services.subject_signoff_transition(subject=_subject(ms), to=SignoffState.CLOSED, actor=None)


def milestone_signoff(ms: Milestone, *, seat: EventJudge, verdict: str, opinion: str, actor):
    """A member's verdict on the milestone's current submission, through the evaluation service."""
    if ms.panel_subject_id is None or seat.evaluation_id != ms.challenge.acceptance_panel_id:
        raise ValidationError({"member": _("不是本榜验收组成员")})
    return ev_services.signoff_record(seat=seat, subject=_subject(ms), verdict=verdict, opinion=opinion,
                                      actor=actor)


def panel_verdict(ms: Milestone, *, seats: list[EventJudge] | None = None,
                  signoffs: list | None = None) -> SignoffVerdict:
    """Whether the milestone's current submission is accepted: every member without a declared conflict
    has signed it, and all passed (decided by the evaluation engine). `seats` and `signoffs` (the current
    submission's verdicts, from `current_signoffs_of`) may be passed in when the caller holds them."""
    if ms.panel_subject_id is None:
        return SignoffVerdict(passed=False, eligible=0, signed=0, failed=0,
                              reasons=[_("验收组没有可签署的成员（未组建或全部回避）")])
    return ev_selectors.signoff_verdict(subject=_subject(ms), seats=seats, signoffs=signoffs)


def current_signoffs(ms: Milestone) -> list:
    """Verdicts given on the milestone's current submission."""
    return current_signoffs_of([ms])[ms.pk]


def current_signoffs_of(milestones: list[Milestone]) -> dict[int, list]:
    """Milestone id → verdicts given on its current submission, in one query (milestones loaded with
    their `panel_subject`)."""
    on_panel = [m for m in milestones if m.panel_subject_id is not None]
    by_subject = ev_selectors.current_signoffs_of(subjects=[_subject(m) for m in on_panel])
    return {m.pk: by_subject.get(m.panel_subject_id, []) if m.panel_subject_id is not None else []
            for m in milestones}


def panel_close(challenge: Challenge) -> None:
    """The challenge has ended: the panel stops sitting."""
    if challenge.acceptance_panel_id is None:
        return
    ev = Evaluation.objects.get(pk=challenge.acceptance_panel_id)
    if ev.status == EvaluationStatus.OPEN:
        ev_services.evaluation_transition(evaluation=ev, to=EvaluationStatus.CLOSED, actor=None)
