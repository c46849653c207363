"""REST endpoints of the case engine: desks, cases, transitions, tasks, meetings, statistics, the private link."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from bole.core.api import Page, paginate
from bole.core.params import Date, DateTime, DbId, Year
from bole.org.models import Person, Unit

from . import selectors, services
from .choices import SubmitterKind
from .models import Case, CaseTask, Category
from .permissions import policy

router = Router(tags=["cases"])


class CategoryOut(Schema):
    id: int
    name: str
    deadline_days: int


class DeskOut(Schema):
    id: int
    code: str
    name: str
    description: str
    submitter_kinds: list[str]
    decline_hours: int
    escalation_steps: list[dict]
    categories: list[CategoryOut]

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories.all())


class CaseOut(Schema):
    id: int
    number: str
    desk: str
    category: str | None
    title: str
    description: str
    location: str
    state: str
    colour: str
    lead_unit_id: int | None
    lead_unit: str | None
    owner_id: int | None
    submitted_at: dt.datetime
    deadline: dt.date | None
    resolved_at: dt.datetime | None
    on_time: bool | None
    resolution: str
    rating: str
    level: int
    escalation_level: int
    ref_type: str | None
    ref_id: int | None

    @staticmethod
    def resolve_desk(obj):
        return obj.desk.code

    @staticmethod
    def resolve_category(obj):
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_lead_unit(obj):
        return obj.lead_unit.name if obj.lead_unit_id else None

    @staticmethod
    def resolve_colour(obj):
        return getattr(obj, "colour", "") or selectors.case_colour(obj)

    @staticmethod
    def resolve_ref_type(obj):
        return f"{obj.ref_type.app_label}.{obj.ref_type.model}" if obj.ref_type_id else None


class CasePage(Page):
    results: list[CaseOut]


class CaseFilters(Schema):
    desk: str = ""
    state: str = ""
    category: str = ""
    unit: str = ""
    colour: str = ""
    month: str = ""
    q: str = ""
    page: int = 1
    page_size: int = 50


class CaseIn(Schema):
    desk: str
    category_id: int | None = None
    title: str
    description: str
    location: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    ref_type: str | None = None
    ref_id: int | None = None


class CoUnitIn(Schema):
    unit_id: int
    description: str = ""
    deadline_days: int = 5
    owner_id: int | None = None


class CaseTransitionIn(Schema):
    action: str
    note: str = ""
    reason: str = ""
    resolution: str = ""
    rating: str = ""
    comment: str = ""
    lead_unit_id: int | None = None
    owner_id: int | None = None
    co_units: list[CoUnitIn] = []
    into_id: int | None = None
    deadline_days: int | None = None
    category_id: int | None = None


class EventOut(Schema):
    at: dt.datetime
    actor_label: str
    kind: str
    action: str
    from_state: str
    to_state: str
    note: str


class TaskIn(Schema):
    op: str
    text: str = ""
    unit_id: int | None = None
    owner_id: int | None = None


class MeetingDecisionIn(Schema):
    text: str
    owner_unit_id: int | None = None
    deadline: Date | None = None


class MeetingIn(Schema):
    held_at: DateTime
    place: str = ""
    minutes: str
    unit_ids: list[int] = []
    person_ids: list[int] = []
    other_attendees: str = ""
    decisions: list[MeetingDecisionIn] = []


class RateIn(Schema):
    rating: str
    comment: str = ""


class PublicCaseOut(Schema):
    number: str
    state: str
    colour: str
    location: str
    description: str
    deadline: dt.date | None
    resolution: str
    rating: str
    timeline: list[EventOut]

    @staticmethod
    def resolve_colour(obj):
        return selectors.case_colour(obj)

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.filter(kind__in=["submit", "transition", "meeting"]))


@router.get("/desks/", response=list[DeskOut])
def desks(request):
    return list(selectors.desk_list(user=request.auth).prefetch_related("categories"))


@router.get("/cases/", response=CasePage)
def case_list(request, filters: Query[CaseFilters]):
    qs = selectors.filter_cases(selectors.case_list(user=request.auth), filters.dict()).select_related(
        "desk", "category", "lead_unit").order_by("-id")
    total, page, size, rows = paginate(qs, filters.page, filters.page_size)
    colours = selectors.colours_for(rows)
    for r in rows:
        r.colour = colours.get(r.pk, "")
    return {"count": total, "page": page, "page_size": size, "results": rows}


@router.post("/cases/", response={201: CaseOut})
def case_create(request, data: CaseIn):
    user = request.auth
    desk = get_object_or_404(selectors.desk_list(user=user), code=data.desk)
    category = get_object_or_404(Category, pk=data.category_id, desk=desk) if data.category_id else None
    account = getattr(user, "account", None)
    for_enterprise = policy.may(user, "portal")
    kind = SubmitterKind.ENTERPRISE if for_enterprise else SubmitterKind.CADRE
    ref = None
    if data.ref_type and data.ref_id:
        from django.contrib.contenttypes.models import ContentType

        app_label, _, model = data.ref_type.partition(".")
        ct = get_object_or_404(ContentType, app_label=app_label, model=model)
        ref = get_object_or_404(ct.model_class(), pk=data.ref_id)
    case = services.case_submit(
        desk=desk, category=category, title=data.title, description=data.description, location=data.location,
        submitter_kind=kind, submitter_enterprise=account.enterprise if account and for_enterprise
        else None, submitter_person=account.person if account and account.person_id else None,
        submitter_name=data.contact_name, submitter_phone=data.contact_phone, ref=ref, actor=user)
    return Status(201, case)


@router.get("/cases/{int:case_id}/", response=CaseOut)
def case_detail(request, case_id: int):
    return selectors.case_get(user=request.auth, pk=case_id)


@router.get("/cases/{int:case_id}/timeline/", response=list[EventOut])
def case_timeline(request, case_id: int):
    return list(selectors.case_get(user=request.auth, pk=case_id).events.all())


@router.get("/cases/{int:case_id}/duplicates/", response=list[dict])
def case_duplicates(request, case_id: int):
    case = selectors.case_get(user=request.auth, pk=case_id)
    found = services.case_find_duplicates(
        desk=case.desk, text=f"{case.title}{case.description}", category=case.category, location=case.location,
        submitter_enterprise=case.submitter_enterprise, submitter_phone=case.submitter_phone, exclude=case)
    visible = set(selectors.case_list(user=request.auth).filter(pk__in=[c.pk for c, _ in found])
                  .values_list("pk", flat=True))
    return [{"id": c.pk, "number": c.number, "title": c.title, "score": s} for c, s in found if c.pk in visible]


@router.post("/cases/{int:case_id}/transition/", response=CaseOut)
def case_transition(request, case_id: int, data: CaseTransitionIn):
    user = request.auth
    case = selectors.case_get(user=user, pk=case_id)
    params: dict = {"note": data.note}
    if data.reason:
        params["reason"] = data.reason
    if data.resolution:
        params["resolution"] = data.resolution
    if data.rating:
        params.update(rating=data.rating, comment=data.comment)
    if data.lead_unit_id:
        params["lead_unit"] = get_object_or_404(Unit, pk=data.lead_unit_id)
    if data.owner_id:
        params["owner"] = get_object_or_404(Person, pk=data.owner_id)
    if data.co_units:
        params["co_units"] = [{"unit": get_object_or_404(Unit, pk=c.unit_id), "description": c.description,
                               "deadline_days": c.deadline_days,
                               "owner": get_object_or_404(Person, pk=c.owner_id) if c.owner_id else None}
                              for c in data.co_units]
    if data.into_id:
        params["into"] = selectors.case_get(user=user, pk=data.into_id)
    if data.deadline_days:
        params["deadline_days"] = data.deadline_days
    if data.category_id:
        params["category"] = get_object_or_404(Category, pk=data.category_id)
    return services.case_transition(case=case, action=data.action, actor=user, **params)


@router.post("/cases/tasks/{int:task_id}/", response=dict)
def task_act(request, task_id: int, data: TaskIn):
    user = request.auth
    task = get_object_or_404(CaseTask, pk=task_id)
    selectors.case_get(user=user, pk=task.case_id)
    owner = get_object_or_404(Person, pk=data.owner_id) if data.owner_id else None
    if data.op == "owner":
        task = services.task_owner_set(task=task, owner=owner, actor=user)
    elif data.op == "complete":
        task = services.task_complete(task=task, result=data.text, owner=owner, actor=user)
    elif data.op == "decline":
        task = services.task_decline(task=task, reason=data.text, actor=user)
    elif data.op == "reassign" and data.unit_id:
        task = services.task_reassign(task=task, unit=get_object_or_404(Unit, pk=data.unit_id), owner=owner,
                                      actor=user)
    else:
        raise ValidationError({"op": "owner | complete | decline | reassign"})
    return {"id": task.pk, "state": task.state, "unit_id": task.unit_id, "owner_id": task.owner_id}


@router.post("/cases/{int:case_id}/meetings/", response={201: dict})
def meeting_create(request, case_id: int, data: MeetingIn):
    user = request.auth
    case = selectors.case_get(user=user, pk=case_id)
    meeting = services.meeting_record(
        case=case, held_at=data.held_at, place=data.place, minutes=data.minutes,
        units=Unit.objects.filter(pk__in=data.unit_ids), attendees=Person.objects.filter(pk__in=data.person_ids),
        other_attendees=data.other_attendees, actor=user,
        decisions=[{"text": d.text, "owner_unit": Unit.objects.filter(pk=d.owner_unit_id).first(),
                    "deadline": d.deadline} for d in data.decisions])
    return Status(201, {"id": meeting.pk, "case_id": case.pk})


@router.get("/stats/cases/", response=dict)
def stats(request, by: str = "desk", desk: DbId | None = None, year: Year | None = None):
    """Headline figures (catchall_problems, …, governance_issues) plus one table grouped by `by`."""
    user = request.auth
    policy.require(user, "stats")
    rows = selectors.case_stats(user=user, by=by, desk=desk, year=year)
    figures = selectors.headline_figures(user=user)
    return {**figures, "by": by if by in selectors.DIMENSIONS else "desk", "rows": [r.as_dict() for r in rows],
            "total": selectors.case_totals(rows).as_dict(), "declines_by_unit": selectors.decline_counts(user=user)}


@router.post("/cases/sweep/", response=dict)
def sweep(request):
    """Run the overdue sweep now (admins); the scheduler runs it periodically."""
    policy.require(request.auth, "sweep")
    return services.case_sweep(actor=request.auth)


@router.get("/public/cases/{token}/", response=PublicCaseOut, auth=None)
def public_case(request, token: str):
    case = selectors.case_by_token(token)
    if case is None:
        raise Http404
    return case


@router.post("/public/cases/{token}/rate/", response=PublicCaseOut, auth=None)
def public_rate(request, token: str, data: RateIn):
    case = selectors.case_by_token(token)
    if case is None:
        raise Http404
    return services.case_transition(case=case, action="rate", actor=None, token=token, rating=data.rating,
                                    comment=data.comment)


__all__ = ["router", "Case"]
