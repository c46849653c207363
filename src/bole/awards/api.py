"""REST endpoints of the awards: rounds per quarter, their publicised nominations, a person's honours."""

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate

from bole.core.api import Pages

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
@paginate(Pages)
def rounds(request):
    """Every quarter's round with nomination and winner counts, the latest first."""
    return selectors.round_list(user=request.auth).order_by("-period", "id")


@router.get("/awards/rounds/{pk}/nominations/", response=list[NominationOut])
@paginate(Pages)
def nominations(request, pk: int):
    """Nominations of a round the caller may see (publicised ones once in publicity)."""
    rnd = selectors.round_get(user=request.auth, pk=pk)
    return selectors.nomination_list(user=request.auth, round=rnd).order_by("kind", "rank", "id")


@router.get("/awards/people/{person_id}/honours/", response=list[HonourOut])
@paginate(Pages)
def honours(request, person_id: int):
    """A person's award record, the latest first."""
    person = selectors.honoured_person(user=request.auth, person_id=person_id)
    return selectors.honours_of(user=request.auth, person_id=person.pk).order_by("-period", "id")
