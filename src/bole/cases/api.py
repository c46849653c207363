"""REST endpoints of the case engine: desks, cases, transitions, tasks, meetings, statistics, the private link."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from bole.core.api import Pages, referenced, referenced_all
from bole.core.figures import values
from bole.core.params import Date, DateTime, DbId, Year
from bole.org.pickers import COUNTY_PEOPLE, PEOPLE

from . import selectors, services
from .choices import SubmitterKind
from .models import Case, CaseTask, Category
from .permissions import policy
from .pickers import CASE_UNITS, MEETING_UNITS

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
    calendar_known: bool  # False: the deadline or light counts on a year with no known holiday arrangement
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
    def resolve_calendar_known(obj):
        known = getattr(obj, "calendar_known", None)
        return selectors.calendar_known_for([obj])[obj.pk] if known is None else known

    @staticmethod
    def resolve_ref_type(obj):
        return f"{obj.ref_type.app_label}.{obj.ref_type.model}" if obj.ref_type_id else None


class CaseFilters(FilterSchema):
    """The staff list's filters, read by the same `selectors.list_conditions` as the list page."""

    desk: DbId | None = None
    state: str = ""
    category: DbId | None = None
    unit: DbId | None = None
    colour: str = ""
    month: str = ""
    q: str = ""

    def custom_expression(self) -> Q:
        return selectors.case_filter_q({k: str(v) for k, v in self.dict().items() if v is not None})


class CaseIn(Schema):
    desk: str
    category_id: int | None = None
    title: str
    description: str
    location: str = ""
    contact_name: str = ""
    contact_phone: str = ""


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
    calendar_known: bool
    resolution: str
    rating: str
    timeline: list[EventOut]

    @staticmethod
    def resolve_colour(obj):
        return selectors.case_colour(obj)

    @staticmethod
    def resolve_calendar_known(obj):
        return selectors.calendar_known_for([obj])[obj.pk]

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.filter(kind__in=["submit", "transition", "meeting"]))


@router.get("/desks/", response=list[DeskOut])
@paginate(Pages)
def desks(request):
    return selectors.desk_list(user=request.auth).prefetch_related("categories").order_by("sort", "id")


def _colour(rows: list[Case]) -> None:
    """The page's traffic lights and calendar coverage in one read."""
    colours = selectors.colours_for(rows)
    known = selectors.calendar_known_for(rows)
    for r in rows:
        r.colour = colours.get(r.pk, "")
        r.calendar_known = known.get(r.pk, True)


@router.get("/cases/", response=list[CaseOut])
@paginate(Pages, prepare=_colour)
def case_list(request, filters: Query[CaseFilters]):
    return filters.filter(selectors.case_list(user=request.auth)).select_related(
        "desk", "category", "lead_unit").order_by("-id")


@router.post("/cases/", response={201: CaseOut})
def case_create(request, data: CaseIn):
    user = request.auth
    desk = get_object_or_404(selectors.desk_list(user=user), code=data.desk)
    category = (referenced(Category.objects.filter(desk=desk, is_active=True), data.category_id, field="category_id")
                if data.category_id else None)
    account = getattr(user, "account", None)
    for_enterprise = policy.may(user, "portal")
    kind = SubmitterKind.ENTERPRISE if for_enterprise else SubmitterKind.CADRE
    case = services.case_submit(
        desk=desk, category=category, title=data.title, description=data.description, location=data.location,
        submitter_kind=kind, submitter_enterprise=account.enterprise if account and for_enterprise
        else None, submitter_person=account.person if account and account.person_id else None,
        submitter_name=data.contact_name, submitter_phone=data.contact_phone, actor=user)
    return Status(201, case)


@router.get("/cases/{int:case_id}/", response=CaseOut)
def case_detail(request, case_id: int):
    return selectors.case_get(user=request.auth, pk=case_id)


@router.get("/cases/{int:case_id}/timeline/", response=list[EventOut])
@paginate(Pages)
def case_timeline(request, case_id: int):
    return selectors.case_get(user=request.auth, pk=case_id).events.order_by("at", "id")


class DuplicateOut(Schema):
    id: int
    number: str
    title: str
    score: float


@router.get("/cases/{int:case_id}/duplicates/", response=list[DuplicateOut])
@paginate(Pages)
def case_duplicates(request, case_id: int):
    """The five cases of the desk most like this one (among those the caller may see), most similar first."""
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
    units, people = CASE_UNITS.rows(user), PEOPLE.rows(user)
    if data.lead_unit_id:
        params["lead_unit"] = referenced(units, data.lead_unit_id, field="lead_unit_id", message=CASE_UNITS.outside)
    if data.owner_id:
        params["owner"] = referenced(people, data.owner_id, field="owner_id", message=PEOPLE.outside)
    if data.co_units:
        params["co_units"] = [
            {"unit": referenced(units, c.unit_id, field=f"co_units.{i}.unit_id", message=CASE_UNITS.outside),
             "description": c.description, "deadline_days": c.deadline_days,
             "owner": referenced(people, c.owner_id, field=f"co_units.{i}.owner_id", message=PEOPLE.outside)
             if c.owner_id else None}
            for i, c in enumerate(data.co_units)]
    if data.into_id:
        params["into"] = referenced(selectors.case_list(user=user), data.into_id, field="into_id")
    if data.deadline_days:
        params["deadline_days"] = data.deadline_days
    if data.category_id:
        params["category"] = referenced(Category.objects.filter(desk_id=case.desk_id), data.category_id,
                                        field="category_id")
    return services.case_transition(case=case, action=data.action, actor=user, **params)


@router.post("/cases/tasks/{int:task_id}/", response=dict)
def task_act(request, task_id: int, data: TaskIn):
    user = request.auth
    task = get_object_or_404(CaseTask.objects.filter(case__in=selectors.case_list(user=user)), pk=task_id)
    owner = referenced(PEOPLE.rows(user), data.owner_id, field="owner_id", message=PEOPLE.outside) \
        if data.owner_id else None
    if data.op == "owner":
        task = services.task_owner_set(task=task, owner=owner, actor=user)
    elif data.op == "complete":
        task = services.task_complete(task=task, result=data.text, owner=owner, actor=user)
    elif data.op == "decline":
        task = services.task_decline(task=task, reason=data.text, actor=user)
    elif data.op == "reassign" and data.unit_id:
        unit = referenced(CASE_UNITS.rows(user), data.unit_id, field="unit_id", message=CASE_UNITS.outside)
        task = services.task_reassign(task=task, unit=unit, owner=owner, actor=user)
    else:
        raise ValidationError({"op": "owner | complete | decline | reassign"})
    return {"id": task.pk, "state": task.state, "unit_id": task.unit_id, "owner_id": task.owner_id}


@router.post("/cases/{int:case_id}/meetings/", response={201: dict})
def meeting_create(request, case_id: int, data: MeetingIn):
    user = request.auth
    case = selectors.case_get(user=user, pk=case_id)
    units = MEETING_UNITS.rows(user)
    meeting = services.meeting_record(
        case=case, held_at=data.held_at, place=data.place, minutes=data.minutes,
        units=referenced_all(units, data.unit_ids, field="unit_ids", message=MEETING_UNITS.outside),
        attendees=referenced_all(COUNTY_PEOPLE.rows(user), data.person_ids, field="person_ids",
                                 message=COUNTY_PEOPLE.outside),
        other_attendees=data.other_attendees, actor=user,
        decisions=[{"text": d.text, "deadline": d.deadline,
                    "owner_unit": referenced(units, d.owner_unit_id, field=f"decisions.{i}.owner_unit_id",
                                             message=MEETING_UNITS.outside) if d.owner_unit_id else None}
                   for i, d in enumerate(data.decisions)])
    return Status(201, {"id": meeting.pk, "case_id": case.pk})


@router.get("/stats/cases/", response=dict)
def stats(request, by: str = "desk", desk: DbId | None = None, year: Year | None = None):
    """Headline figures (catchall_problems, …, governance_issues) plus one table grouped by `by`."""
    user = request.auth
    policy.require(user, "stats")
    rows = selectors.case_stats(user=user, by=by, desk=desk, year=year)
    figures = {**selectors.headline_figures(user=user), **values(user=user, only={"community"})}
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
