"""REST endpoints of the growth records: records in scope with their entries, the dashboard, sign-off."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from bole.core.api import Pages
from bole.core.params import Date

from . import selectors, services

router = Router(tags=["growth"])


class GrowthEntryOut(Schema):
    id: int
    item: str
    due_date: dt.date
    status: str
    evidence: str
    done_on: dt.date | None
    mentor_comment: str

    @staticmethod
    def resolve_item(obj):
        return obj.item.name


class RecordOut(Schema):
    id: int
    person_id: int
    person: str
    cohort: int
    started_on: dt.date
    mentor_id: int | None
    entries: list[GrowthEntryOut]

    @staticmethod
    def resolve_person(obj):
        return obj.person.name

    @staticmethod
    def resolve_entries(obj):
        return list(obj.entries.all())


class CohortOut(Schema):
    cohort: int
    records: int
    total: int
    signed: int
    submitted: int
    overdue: int
    rate: float


class GrowthTransitionIn(Schema):
    to: str
    comment: str = ""


class EvidenceIn(Schema):
    evidence: str
    done_on: Date | None = None


class RecordFilters(FilterSchema):
    cohort: int | None = None


@router.get("/growth/records/", response=list[RecordOut])
@paginate(Pages)
def records(request, filters: Query[RecordFilters]):
    """Growth records in the caller's scope (a mentor also the mentees'), newest cohort first, then by name."""
    return filters.filter(selectors.record_list(user=request.auth).prefetch_related("entries__item"))


@router.get("/growth/cohorts/", response=list[CohortOut])
@paginate(Pages)
def cohorts(request):
    return selectors.cohort_dashboard(user=request.auth)


@router.post("/growth/records/{record_id}/entries/{entry_id}/submit/", response=GrowthEntryOut)
def submit(request, record_id: int, entry_id: int, body: EvidenceIn):
    record = selectors.record_get(user=request.auth, pk=record_id)
    entry = get_object_or_404(record.entries.select_related("item", "record"), pk=entry_id)
    return services.growth_entry_submit(entry=entry, evidence=body.evidence, done_on=body.done_on,
                                        actor=request.auth)


@router.post("/growth/records/{record_id}/entries/{entry_id}/transition/", response=GrowthEntryOut)
def transition(request, record_id: int, entry_id: int, body: GrowthTransitionIn):
    record = selectors.record_get(user=request.auth, pk=record_id)
    entry = get_object_or_404(record.entries.select_related("item", "record"), pk=entry_id)
    return services.growth_entry_transition(entry=entry, to=body.to, comment=body.comment, actor=request.auth)
