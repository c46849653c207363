"""REST endpoints of the ledger: scoped entries, posting, decisions and reversals."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from bole.core.api import Pages, UnknownReference, referenced
from bole.org.selectors import person_list

from . import selectors, services
from .models import PointCategory, PointEntry
from .permissions import policy

router = Router(tags=["ledger"])


class PointEntryOut(Schema):
    id: int
    person_id: int | None
    unit_id: int
    period: str
    category: str
    points: Decimal
    reason: str
    status: str
    reverses_id: int | None
    source_type: str | None
    source_id: str
    created_at: dt.datetime

    @staticmethod
    def resolve_category(obj):
        return obj.category.code

    @staticmethod
    def resolve_source_type(obj):
        return obj.source_type.model if obj.source_type_id else None


class EntryFilters(FilterSchema):
    person: int | None = None
    period: str | None = None
    category: str | None = None
    status: str | None = None

    def filter_person(self, value: int | None) -> Q:
        return Q() if value is None else Q(person_id=value)

    def filter_period(self, value: str | None) -> Q:
        return Q(period=value.upper()) if value else Q()

    def filter_category(self, value: str | None) -> Q:
        return Q(category__code=value) if value else Q()


class PostIn(Schema):
    person_id: int
    period: str
    category: str
    points: Decimal
    reason: str


class DecideIn(Schema):
    to: str
    note: str = ""


class ReverseIn(Schema):
    reason: str


@router.get("/ledger/entries/", response=list[PointEntryOut])
@paginate(Pages)
def entries(request, filters: Query[EntryFilters]):
    return filters.filter(selectors.entry_list(user=request.auth)).order_by("-id")


@router.post("/ledger/entries/", response={201: PointEntryOut})
def post(request, body: PostIn):
    """Post points for a person in the caller's scope (pending unless the category auto-approves)."""
    if not policy.allows(request.auth, "add", PointEntry):
        raise PermissionDenied  # permission before the body's ids
    person = referenced(person_list(user=request.auth), body.person_id, field="person_id")
    category = PointCategory.objects.filter(code=body.category, is_active=True).first()
    if category is None:
        raise UnknownReference("category")
    entry = services.points_post(person=person, period=body.period, category=category, points=body.points,
                                 reason=body.reason, actor=request.auth)
    return Status(201, entry)


@router.post("/ledger/entries/{entry_id}/decide/", response=PointEntryOut)
def decide(request, entry_id: int, body: DecideIn):
    entry = policy.get(selectors.entry_list(user=request.auth), request.auth, entry_id)
    return services.point_entry_transition(entry=entry, to=body.to, actor=request.auth, note=body.note)


@router.post("/ledger/entries/{entry_id}/reverse/", response={201: PointEntryOut})
def reverse(request, entry_id: int, body: ReverseIn):
    entry = policy.get(selectors.entry_list(user=request.auth), request.auth, entry_id)
    return Status(201, services.points_reverse(entry=entry, reason=body.reason, actor=request.auth))
