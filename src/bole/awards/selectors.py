"""Reads of the awards, scoped by the acting user; what is announced or in publicity is public."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.figures import FLOW, Figure
from bole.org.models import Person
from bole.org.selectors import person_list

from .choices import NominationStatus, RoundStatus
from .models import AwardRound, Honour, Nomination, Objection, RoundEvent
from .permissions import policy

PUBLIC_STATUSES = [NominationStatus.PROPOSED, NominationStatus.DISQUALIFIED, NominationStatus.AWARDED]


def round_list(*, user) -> QuerySet[AwardRound]:
    """Every round (history per quarter) with its nomination and winner counts."""
    qs = AwardRound.objects.annotate(
        n_nominations=Count("nominations", filter=~Q(nominations__status=NominationStatus.WITHDRAWN),
                            distinct=True),
        n_winners=Count("nominations", filter=Q(nominations__status=NominationStatus.AWARDED), distinct=True),
    ).order_by("-period")
    return policy.restrict(qs, user, "view")


def round_get(*, user, pk) -> AwardRound:
    return policy.get(AwardRound.objects.all(), user, pk)


def nomination_list(*, user, round: AwardRound) -> QuerySet[Nomination]:
    """Nominations of a round the user may see: their units' own, plus the publicised ones once ranked."""
    base = Nomination.objects.filter(round=round).select_related("person", "unit").prefetch_related("members")
    own = policy.restrict(base, user, "view")
    if round.status in {RoundStatus.PUBLICITY, RoundStatus.ANNOUNCED} and policy.allows(user, "view", AwardRound):
        public = base.filter(status__in=PUBLIC_STATUSES)
        return base.filter(Q(pk__in=own.values("pk")) | Q(pk__in=public.values("pk")))
    return own


def nomination_get(*, user, pk, action: str = "view") -> Nomination:
    return policy.get(Nomination.objects.select_related("round", "unit", "person"), user, pk, action)


def objection_list(*, user, round: AwardRound) -> QuerySet[Objection]:
    """Objections of a round: the county sees all, units those about their nominees, cadres their own."""
    qs = Objection.objects.filter(round=round).select_related("nomination", "nomination__person")
    return policy.restrict(qs, user, "view")


def timeline(round: AwardRound) -> QuerySet[RoundEvent]:
    return round.events.select_related("actor")


def honours_of(*, user, person_id: int) -> QuerySet[Honour]:
    """A person's award record (public once announced): the profile section of the awards."""
    return policy.restrict(Honour.objects.filter(person_id=person_id).select_related("round", "nomination"),
                           user, "view")


def award_winner_count() -> int:
    """Awarded nominations over every round (a team counts once): the figure the statistics report."""
    return Nomination.objects.filter(status=NominationStatus.AWARDED).count()


def figures(*, user, period) -> list[Figure]:
    """担当之星's reported figures (the `figures` hook): the awards of the rounds in the period to nominees of
    units in the user's scope, and the rounds announced."""
    rounds = round_list(user=user)
    if period.code:
        rounds = rounds.filter(period__startswith=period.code)
    awarded = policy.restrict(Nomination.objects.filter(round__in=rounds.values("pk"),
                                                        status=NominationStatus.AWARDED), user, "view")
    url = reverse("awards-list")
    return [
        Figure("award_winners", _("担当之星与担当团队"), awarded.count(), _("个"), FLOW,
               _("评定的担当之星和担当团队（团队计一个），按评选季度"), url),
        Figure("award_rounds", _("评选轮次"), rounds.filter(status=RoundStatus.ANNOUNCED).count(), _("轮"), FLOW,
               _("已公布结果的季度评选"), url),
    ]


def honoured_person(*, user, person_id: int):
    """A person the user may see in the registers, or anyone with a public honour; 404 otherwise."""
    visible = person_list(user=user).filter(pk=person_id)
    honoured = Person.objects.filter(pk=person_id, award_honours__isnull=False) \
        if policy.allows(user, "view", Honour) else Person.objects.none()
    person = (visible | honoured).select_related("unit").distinct().first()
    if person is None:
        raise Http404
    return person
