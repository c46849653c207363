"""Reads of the challenge board, scoped to the acting user; figures and task counts for the assessment."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core import periods
from bole.core.figures import STOCK, Figure
from bole.core.scoping import own_person_id
from bole.core.taskcounts import align
from bole.evaluation.selectors import judge_seats, signoff_sheet

from .acceptance import current_signoffs_of, panel_seats, panel_verdict
from .choices import ChallengeStatus, Closure, MilestoneStatus
from .models import Challenge, ChallengeApplication, ChallengeHolder, Milestone
from .permissions import policy

LIVE = [ChallengeStatus.AWARDED, ChallengeStatus.IN_PROGRESS, ChallengeStatus.DELIVERED]


def _base() -> QuerySet[Challenge]:
    return Challenge.objects.select_related("publisher_unit")


def managed_challenges(*, user, action: str = "change") -> QuerySet[Challenge]:
    """Challenges this user runs (admin: all; unit admin: their units')."""
    return policy.restrict(_base(), user, action)


def challenge_list(*, user) -> QuerySet[Challenge]:
    """What a user may read: every non-draft challenge on the board, plus drafts of the units they manage."""
    if not policy.may(user, "board"):
        return Challenge.objects.none()
    managed = policy.restrict(Challenge.objects.all(), user, "change").values("pk")
    return _base().filter(~Q(status=ChallengeStatus.DRAFT) | Q(pk__in=managed))


def challenge_get(*, user, pk) -> Challenge:
    """One challenge the user may read; 404 otherwise (drafts of other units included)."""
    try:
        return challenge_list(user=user).get(pk=pk)
    except (Challenge.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_board(*, today: dt.date | None = None) -> QuerySet[Challenge]:
    """The public board: published challenges still open for applications, closing soonest first."""
    today = today or timezone.localdate()
    return (_base().filter(status=ChallengeStatus.PUBLISHED, apply_until__gte=today)
            .annotate(n_applications=Count("applications"))
            .prefetch_related("milestones").order_by("apply_until", "id"))


def application_list(*, user, action: str = "view") -> QuerySet[ChallengeApplication]:
    """Applications the user may see: a cadre their own, a unit admin those to their units' challenges."""
    qs = ChallengeApplication.objects.select_related("challenge", "person", "person__unit")
    return policy.restrict(qs, user, action).prefetch_related("members")


def my_holdings(*, user) -> QuerySet[Challenge]:
    """Challenges the logged-in cadre holds."""
    person_id = own_person_id(user)
    if person_id is None:
        return Challenge.objects.none()
    return _base().filter(holders__person_id=person_id).distinct()


def my_panel_seats(*, user) -> list:
    """The logged-in cadre's acceptance-panel seats on running challenges, each with `challenge` and the
    number of milestones awaiting their verdict (`n_todo`); signing happens on the sign-off phone page."""
    if own_person_id(user) is None:
        return []
    seats = list(judge_seats(user=user).filter(evaluation__challenge__isnull=False,
                                               evaluation__challenge__status__in=LIVE)
                 .select_related("evaluation__challenge"))
    for seat in seats:
        seat.challenge = seat.evaluation.challenge
        seat.n_todo = sum(1 for r in signoff_sheet(seat=seat) if r["todo"])
    return seats


def detail_context(*, challenge: Challenge, person_id: int | None = None) -> dict:
    """Milestones with the panel's verdicts on their current submission, holders, panel and reports."""
    seats = panel_seats(challenge)
    milestones = list(challenge.milestones.select_related("panel_subject"))
    signoffs = current_signoffs_of(milestones)
    for m in milestones:
        m.challenge = challenge
        m.current_signoffs = signoffs[m.pk]
        m.verdict = (panel_verdict(m, seats=seats, signoffs=m.current_signoffs)
                     if m.status == MilestoneStatus.SUBMITTED else None)
    return {
        "milestones": milestones,
        "holders": list(challenge.holders.select_related("person", "person__unit")),
        "panel": seats,
        "my_seat": next((s for s in seats if s.person_id == person_id), None) if person_id else None,
        "reports": list(challenge.reports.select_related("author", "milestone")[:50]),
    }


def overdue_milestones(*, user, today: dt.date | None = None) -> QuerySet[Milestone]:
    """预警: milestones past their date and not accepted, in running challenges the user may read."""
    today = today or timezone.localdate()
    visible = challenge_list(user=user).values("pk")
    return (Milestone.objects.filter(challenge__in=visible, challenge__status__in=LIVE, due_date__lt=today)
            .exclude(status=MilestoneStatus.ACCEPTED).select_related("challenge", "challenge__publisher_unit")
            .order_by("due_date"))


def due_soon(*, user, days: int = 7, today: dt.date | None = None) -> QuerySet[Milestone]:
    """Milestones falling due within `days`, for the warning list next to the overdue ones."""
    today = today or timezone.localdate()
    visible = challenge_list(user=user).values("pk")
    return (Milestone.objects.filter(challenge__in=visible, challenge__status__in=LIVE, due_date__gte=today,
                                     due_date__lte=today + dt.timedelta(days=days))
            .exclude(status=MilestoneStatus.ACCEPTED).select_related("challenge").order_by("due_date"))


# --- figures and the task-completion provider ------------------------------------------------------


def figures(*, user, period) -> list[Figure]:
    """揭榜挂帅's reported figures in the user's scope (the `figures` hook): the challenges its units have put on the
    board and the cadres who took them, as they are now (the board itself shows every county's)."""
    board = policy.restrict(Challenge.objects.exclude(status=ChallengeStatus.DRAFT), user, "view")
    holders = ChallengeHolder.objects.filter(challenge__in=board).values("person_id").distinct().count()
    url = reverse("challenges-board")
    return [
        Figure("challenges", _("张榜项目"), board.count(), _("个"), STOCK, _("已张榜的揭榜挂帅项目"), url),
        Figure("challenge_holders", _("揭榜干部"), holders, _("人"), STOCK, _("挂帅的干部（去重）"), url),
    ]


def milestone_tasks(person_ids: np.ndarray, period: str) -> tuple[np.ndarray, np.ndarray]:
    """Task provider: assigned = milestones due in the period of challenges a person holds; completed = those
    accepted and delivered on or before their due date. One aggregate query.

    Milestones left unfinished when a challenge was cancelled by its publisher or closed as 容错 are not
    held against the holders; milestones accepted before that still count.
    """
    start, end = periods.dates(period)
    rows = list(  # every holder's counts: align() keeps the assessed people (no id list in the SQL)
        Milestone.objects.filter(due_date__gte=start, due_date__lte=end, challenge__holders__isnull=False)
        .exclude(challenge__status__in=[ChallengeStatus.DRAFT, ChallengeStatus.PUBLISHED])
        .exclude(Q(challenge__closure__in=[Closure.CANCELLED, Closure.TOLERATED])
                 & ~Q(status=MilestoneStatus.ACCEPTED))
        .values_list("challenge__holders__person_id")
        .annotate(assigned=Count("id"),
                  completed=Count("id", filter=Q(status=MilestoneStatus.ACCEPTED,
                                                 delivered_on__lte=F("due_date"))))
        .values_list("challenge__holders__person_id", "completed", "assigned")
    )
    if not rows:
        zero = np.zeros(person_ids.size, dtype=np.int64)
        return zero, zero.copy()
    ids, completed, assigned = zip(*rows, strict=True)
    return align(person_ids, ids, completed), align(person_ids, ids, assigned)


def application_open_for(*, challenge: Challenge, person_id: int | None) -> ChallengeApplication | None:
    """The person's own application to this challenge, if any."""
    if person_id is None:
        return None
    return challenge.applications.filter(person_id=person_id).first()
