"""REST endpoints of the ledger: scoped entries, posting, decisions and reversals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from bole.core.api import Page, paginate
from bole.org.selectors import person_list

from . import selectors, services
from .models import PointCategory
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


class EntryPage(Page):
    results: list[PointEntryOut]


class EntryFilters(Schema):
    person: int | None = None
    period: str = ""
    category: str = ""
    status: str = ""
    page: int = 1
    page_size: int = 50


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


@router.get("/ledger/entries/", response=EntryPage)
def entries(request, filters: Query[EntryFilters]):
    qs = selectors.entry_list(user=request.user).order_by("-id")
    if filters.person:
        qs = qs.filter(person_id=filters.person)
    if filters.period:
        qs = qs.filter(period=filters.period.upper())
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    count, page, size, rows = paginate(qs, filters.page, filters.page_size)
    return {"count": count, "page": page, "page_size": size, "results": rows}


@router.post("/ledger/entries/", response={201: PointEntryOut})
def post(request, body: PostIn):
    """Post points for a person in the caller's scope (pending unless the category auto-approves)."""
    person = get_object_or_404(person_list(user=request.user), pk=body.person_id)
    category = get_object_or_404(PointCategory, code=body.category, is_active=True)
    entry = services.points_post(person=person, period=body.period, category=category, points=body.points,
                                 reason=body.reason, actor=request.user)
    return Status(201, entry)


@router.post("/ledger/entries/{entry_id}/decide/", response=PointEntryOut)
def decide(request, entry_id: int, body: DecideIn):
    entry = policy.get(selectors.entry_list(user=request.user), request.user, entry_id)
    return services.point_entry_transition(entry=entry, to=body.to, actor=request.user, note=body.note)


@router.post("/ledger/entries/{entry_id}/reverse/", response={201: PointEntryOut})
def reverse(request, entry_id: int, body: ReverseIn):
    entry = policy.get(selectors.entry_list(user=request.user), request.user, entry_id)
    return Status(201, services.points_reverse(entry=entry, reason=body.reason, actor=request.user))
