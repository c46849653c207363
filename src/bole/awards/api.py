"""REST endpoints of the awards: rounds per quarter, their publicised nominations, a person's honours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from . import selectors

router = Router(tags=["awards"])


class AwardRoundOut(Schema):
    id: int
    period: str
    title: str
    status: str
    nominations: int
    winners: int
    publicity_from: dt.date | None
    publicity_until: dt.date | None

    @staticmethod
    def resolve_nominations(obj):
        return obj.n_nominations

    @staticmethod
    def resolve_winners(obj):
        return obj.n_winners


class NominationOut(Schema):
    id: int
    kind: str
    label: str
    person_id: int | None
    unit: str
    status: str
    score: float | None
    rank: int | None

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name


class HonourOut(Schema):
    id: int
    period: str
    kind: str
    title: str
    points: Decimal


@router.get("/awards/rounds/", response=list[AwardRoundOut])
def rounds(request):
    """Every quarter's round with nomination and winner counts."""
    return list(selectors.round_list(user=request.user))


@router.get("/awards/rounds/{pk}/nominations/", response=list[NominationOut])
def nominations(request, pk: int):
    """Nominations of a round the caller may see (publicised ones once in publicity)."""
    rnd = selectors.round_get(user=request.user, pk=pk)
    return list(selectors.nomination_list(user=request.user, round=rnd).order_by("kind", "rank", "id"))


@router.get("/awards/people/{person_id}/honours/", response=list[HonourOut])
def honours(request, person_id: int):
    """A person's award record."""
    person = selectors.honoured_person(user=request.user, person_id=person_id)
    return list(selectors.honours_of(user=request.user, person_id=person.pk))
