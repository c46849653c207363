"""REST endpoints of the lecture hall: sessions, enrolment and drop, check-in and sign-out, the host's marking,
rosters, my hours, reports, and the figures subtree `/stats/training/`."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from bole.core import figures as core_figures
from bole.core.api import Pages, referenced, referenced_all
from bole.core.params import DateTime, PeriodCode, Year
from bole.org.models import Person
from bole.org.selectors import person_list, unit_list

from . import quizzes, ratings, selectors, services
from .choices import EnrolmentStatus, QuizStatus
from .models import ClassMember, Enrolment, Plan, Quiz, TrainingClass
from .permissions import policy

router = Router(tags=["training"])


class TrainingSessionOut(Schema):
    id: int
    plan_id: int
    title: str
    topic: str | None
    theme: str | None
    host_unit_id: int
    host_unit: str
    lecturer: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    hours: Decimal
    compulsory: bool
    audience: str
    enrol_opens: dt.datetime
    enrol_closes: dt.datetime
    status: str
    training_class_id: int | None

    @staticmethod
    def resolve_topic(obj):
        return obj.topic.title if obj.topic_id else None

    @staticmethod
    def resolve_theme(obj):
        return obj.topic.theme if obj.topic_id else None

    @staticmethod
    def resolve_host_unit(obj):
        return obj.host_unit.name


class TrainingSessionFilters(FilterSchema):
    year: Year | None = None
    compulsory: bool | None = None

    def filter_year(self, value):
        return Q(starts_at__year=value) if value else Q()


class TrainingSessionIn(Schema):
    plan_id: int
    host_unit_id: int
    title: str
    place: str
    starts_at: DateTime
    ends_at: DateTime
    capacity: int
    hours: Decimal
    compulsory: bool = False
    audience: str = "cadres"
    enrol_opens: DateTime | None = None
    enrol_closes: DateTime | None = None
    lecturer: str = ""
    publish: bool = True


class EnrolmentOut(Schema):
    id: int
    session_id: int
    person_id: int
    status: str
    queued_at: dt.datetime
    promoted_at: dt.datetime | None


class RosterEntryOut(Schema):
    id: int
    person_id: int
    name: str
    status: str
    queued_at: dt.datetime


class AttendanceOut(Schema):
    id: int
    session_id: int
    person_id: int
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    method: str
    credited_hours: Decimal | None
    note: str


class RosterOut(Schema):
    session_id: int
    capacity: int
    enrolled: list[RosterEntryOut]
    waiting: list[RosterEntryOut]
    attendances: list[AttendanceOut]


class CheckinIn(Schema):
    token: str = ""
    code: str = ""


class MarkIn(Schema):
    person_id: int
    reason: str
    came: DateTime | None = None
    left: DateTime | None = None


class StandingOut(Schema):
    person_id: int
    year: int
    required: Decimal
    done: Decimal
    share: float
    met: bool
    meetable: bool
    missing: Decimal
    cycle_first: int
    cycle_last: int


class UnitMonthOut(Schema):
    unit: str
    months: list[int]
    total: int
    hours: Decimal


class UnitMetOut(Schema):
    unit: str
    cadres: int
    met: int
    share: float


class TrainingReportOut(Schema):
    year: int
    by_month: list[UnitMonthOut]
    hours_met: list[UnitMetOut]


class TrainingFigureOut(Schema):
    key: str
    label: str
    value: float
    unit: str
    kind: str
    period: str
    source: str
    url: str


class TrainingStatsOut(Schema):
    as_of: dt.datetime
    period: str
    figures: list[TrainingFigureOut]


def _me(request):
    person = selectors.my_person(request.auth)
    if person is None or not policy.may(request.auth, "enrol"):
        raise PermissionDenied
    return person


def _entry(e) -> dict:
    return {"id": e.pk, "person_id": e.person_id, "name": e.person.name, "status": e.status, "queued_at": e.queued_at}


@router.get("/training/sessions/", response=list[TrainingSessionOut])
@paginate(Pages)
def session_list(request, filters: Query[TrainingSessionFilters]):
    """The plan's sessions the caller may read (published ones, and drafts of the sessions they run)."""
    return filters.filter(selectors.session_list(user=request.auth)).order_by("starts_at", "id")


@router.get("/training/sessions/{int:session_id}/", response=TrainingSessionOut)
def session_detail(request, session_id: int):
    return selectors.session_get(user=request.auth, pk=session_id)


@router.post("/training/sessions/", response={201: TrainingSessionOut})
def session_create(request, body: TrainingSessionIn):
    policy.require(request.auth, "configure")
    plan = referenced(policy.restrict(Plan.objects.all(), request.auth, "change"), body.plan_id, field="plan_id")
    unit = referenced(unit_list(user=request.auth), body.host_unit_id, field="host_unit_id")
    data = body.dict(exclude={"plan_id", "host_unit_id"})
    return Status(201, services.session_create(actor=request.auth, plan=plan, host_unit=unit, **data))


@router.post("/training/sessions/{int:session_id}/enrol/", response={201: EnrolmentOut})
def enrol(request, session_id: int):
    """选修 as the logged-in cadre: a seat, or a place on the waitlist (`status` says which)."""
    s = selectors.session_get(user=request.auth, pk=session_id)
    return Status(201, services.enrol(session=s, person=_me(request), actor=request.auth))


@router.post("/training/sessions/{int:session_id}/drop/", response=EnrolmentOut)
def drop(request, session_id: int):
    s = selectors.session_get(user=request.auth, pk=session_id)
    person = _me(request)
    row = (selectors.enrolment_list(user=request.auth, action="drop").filter(session=s, person=person)
           .exclude(status=EnrolmentStatus.DROPPED).first())
    if row is None:
        raise Http404
    return services.drop(enrolment=row, actor=request.auth)


@router.post("/training/sessions/{int:session_id}/checkin/", response={201: AttendanceOut})
def checkin(request, session_id: int, body: CheckinIn):
    """签到 as oneself with the room's current QR token or the session's code."""
    s = selectors.session_get(user=request.auth, pk=session_id)
    return Status(201, services.check_in(session=s, person=_me(request), actor=request.auth, token=body.token,
                                         code=body.code))


@router.post("/training/sessions/{int:session_id}/checkout/", response=AttendanceOut)
def checkout(request, session_id: int, body: CheckinIn):
    s = selectors.session_get(user=request.auth, pk=session_id)
    return services.check_out(session=s, person=_me(request), actor=request.auth, token=body.token, code=body.code)


@router.post("/training/sessions/{int:session_id}/attendance/", response=AttendanceOut)
def mark(request, session_id: int, body: MarkIn):
    """补录 by the session's host, with a reason (audited)."""
    s = selectors.session_get(user=request.auth, pk=session_id)
    if not services.is_manager(request.auth, s):
        raise PermissionDenied
    enrolled = Person.objects.filter(pk__in=s.enrolments.exclude(status=EnrolmentStatus.DROPPED).values("person_id"))
    person = referenced(enrolled, body.person_id, field="person_id", message=_("该人员未选修本课程"))
    return services.attendance_mark(session=s, person=person, actor=request.auth, reason=body.reason,
                                    came=body.came, left=body.left)


@router.get("/training/sessions/{int:session_id}/roster/", response=RosterOut)
def roster(request, session_id: int):
    """Enrolled, waitlist (in order) and attendance, as far as the caller may see them."""
    s = selectors.session_get(user=request.auth, pk=session_id)
    r = selectors.roster(user=request.auth, session=s)
    return {"session_id": s.pk, "capacity": s.capacity, "enrolled": [_entry(e) for e in r["enrolled"]],
            "waiting": [_entry(e) for e in r["waiting"]], "attendances": r["attendances"]}


class RatingLinkOut(Schema):
    url: str


class LecturerScoreOut(Schema):
    label: str
    person_id: int | None
    score: float | None
    n: int


class RatingOut(Schema):
    session_id: int
    status: str  # "" (no rating yet), open, closed or published
    cast: int
    lecturers: list[LecturerScoreOut]


@router.post("/training/sessions/{int:session_id}/rate/", response={201: RatingLinkOut})
def rate(request, session_id: int):
    """The attendee's one anonymous ballot link for the session (open it to rate; which link is never recorded)."""
    s = selectors.session_get(user=request.auth, pk=session_id)
    token = ratings.rating_link(session=s, person=_me(request), actor=request.auth)
    return Status(201, {"url": reverse("evaluation-ballot", kwargs={"token": token})})


@router.get("/training/sessions/{int:session_id}/rating/", response=RatingOut)
def rating(request, session_id: int):
    """The session's rating as its host sees it: ballots cast, and each lecturer's score once closed."""
    s = selectors.session_get(user=request.auth, pk=session_id)
    if not services.is_manager(request.auth, s):
        raise PermissionDenied
    r = ratings.status_of(s)
    return {"session_id": s.pk, "status": r["evaluation"].status if r else "", "cast": r.get("cast", 0),
            "lecturers": r.get("results", [])}


@router.get("/training/mine/", response=StandingOut)
def mine(request, year: Year | None = None):
    """The caller's learning hours against the requirement for their rank."""
    person = _me(request)
    year = year or timezone.localdate().year
    st = selectors.standing_of(person, year=year)
    req = selectors.requirement_of(person, year)
    return {"person_id": person.pk, "year": year, "required": st.required, "done": st.done, "share": st.share,
            "met": st.met, "meetable": st.meetable, "missing": st.missing, "cycle_first": req.first,
            "cycle_last": req.last}


@router.get("/training/reports/", response=TrainingReportOut)
def reports(request, year: Year | None = None):
    """Attendances by unit and month, and cadres meeting their hours by unit, in the caller's scope."""
    policy.require(request.auth, "reports")
    year = year or timezone.localdate().year
    return {"year": year, "by_month": selectors.attendance_by_unit_month(user=request.auth, year=year),
            "hours_met": selectors.hours_met_by_unit(user=request.auth, year=year)}


@router.get("/stats/training/", response=TrainingStatsOut)
def stats(request, period: PeriodCode = ""):
    """干部大讲堂's figures (the same as under /stats/), in the caller's scope, for `period` (empty: all on record)."""
    policy.require(request.auth, "reports")
    span = core_figures.span(period)
    as_of = timezone.localtime()
    stock = _("截至 %(date)s") % {"date": f"{as_of:%Y-%m-%d %H:%M}"}
    figs = [{"key": f.key, "label": str(f.label), "value": f.value, "unit": str(f.unit), "kind": f.kind,
             "period": span.label if f.kind == core_figures.FLOW else stock, "source": str(f.source), "url": f.url}
            for _team, m in core_figures.gather(user=request.auth, period=period, only={"training"})
            for f in m.figures]
    return {"as_of": as_of, "period": str(span.label), "figures": figs}


class TrainingGroupIn(Schema):
    person_ids: list[int]


class TrainingGroupRefusedOut(Schema):
    person_id: int
    name: str
    reason: str


class TrainingGroupOut(Schema):
    session_id: int
    enrolled: list[EnrolmentOut]
    waiting: list[EnrolmentOut]
    refused: list[TrainingGroupRefusedOut]


@router.post("/training/sessions/{int:session_id}/enrol-group/", response=TrainingGroupOut)
def enrol_group(request, session_id: int, body: TrainingGroupIn):
    """集体报名 by a unit's admins: people of their scope, in the order given, under the single enrolment's rules
    (seats, then the waitlist in this order); each refusal with its reason. An id outside the scope is a 422."""
    s = selectors.session_get(user=request.auth, pk=session_id)
    if not policy.allows(request.auth, "add", Enrolment):
        raise PermissionDenied
    if not 1 <= len(body.person_ids) <= 2000:
        raise ValidationError({"person_ids": [_("请提供 1 到 2000 名人员")]})
    people = referenced_all(person_list(user=request.auth).filter(is_active=True).select_related("unit__region"),
                            body.person_ids, field="person_ids", message=_("有人员不在您的管辖范围内或已不在册"))
    done = services.enrol_group(session=s, people=people, actor=request.auth)
    return {"session_id": s.pk,
            "enrolled": [row for _p, row, _w in done if row is not None and row.status == EnrolmentStatus.ENROLLED],
            "waiting": [row for _p, row, _w in done if row is not None and row.status == EnrolmentStatus.WAITING],
            "refused": [{"person_id": p.pk, "name": p.name, "reason": why} for p, row, why in done if row is None]}


# --- the online end test (成果检验在线测试) ---------------------------------------------------------------------


class QuizQuestionOut(Schema):
    id: int
    number: int
    kind: str
    text: str
    options: list[str]
    points: Decimal
    key: list[int] | None  # the answer key: for the quiz's writers, and for a member once they have submitted


class QuizSubmissionOut(Schema):
    id: int
    quiz_id: int
    person_id: int
    answers: dict[str, list[int]]
    earned: dict[str, Decimal]
    points: Decimal
    score: Decimal
    submitted_at: dt.datetime
    member_status: str
    certificate_no: str


class QuizOut(Schema):
    id: int
    class_id: int
    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    status: str
    total: Decimal
    questions: list[QuizQuestionOut]
    mine: QuizSubmissionOut | None


class QuizQuestionIn(Schema):
    kind: str
    text: str
    options: list[str] = []
    key: list[int]
    points: Decimal


class QuizIn(Schema):
    title: str = ""
    opens_at: DateTime
    closes_at: DateTime
    questions: list[QuizQuestionIn] = []


class QuizStateIn(Schema):
    to: str


class QuizAnswersIn(Schema):
    answers: dict[str, list[int]]


def _submission(row) -> dict:
    member = ClassMember.objects.get(training_class_id=row.quiz.training_class_id, person_id=row.person_id)
    return {"id": row.pk, "quiz_id": row.quiz_id, "person_id": row.person_id, "answers": row.answers,
            "earned": row.earned, "points": row.points, "score": row.score, "submitted_at": row.submitted_at,
            "member_status": member.status, "certificate_no": member.certificate_no}


def _quiz_out(quiz, *, user) -> dict:
    person = selectors.my_person(user)
    mine = quiz.submissions.filter(person=person).first() if person else None
    key = policy.may(user, "quiz") or mine is not None
    questions = list(quiz.questions.all())
    return {"id": quiz.pk, "class_id": quiz.training_class_id, "title": quiz.title, "opens_at": quiz.opens_at,
            "closes_at": quiz.closes_at, "status": quiz.status, "total": sum((q.points for q in questions), Decimal(0)),
            "questions": [{"id": q.pk, "number": q.number, "kind": q.kind, "text": q.text, "options": q.options,
                           "points": q.points, "key": q.key if key else None} for q in questions],
            "mine": _submission(mine) if mine else None}


def _class_quiz(request, class_id: int, *, writer: bool):
    c = policy.get(TrainingClass.objects.select_related("plan"), request.auth, class_id)
    if writer:
        policy.require(request.auth, "quiz")
    q = Quiz.objects.filter(training_class=c).first()
    if q is None:
        raise Http404
    if not writer and not policy.may(request.auth, "quiz"):
        person = selectors.my_person(request.auth)
        if person is None or q.status == QuizStatus.DRAFT or not c.members.filter(person=person).exists():
            raise Http404
    return c, q


@router.get("/training/classes/{int:class_id}/quiz/", response=QuizOut)
def quiz_detail(request, class_id: int):
    """A class's online end test: its writers see the key; a member sees the questions without it until they have
    submitted (then with it, and their marking)."""
    _c, q = _class_quiz(request, class_id, writer=False)
    return _quiz_out(q, user=request.auth)


@router.post("/training/classes/{int:class_id}/quiz/", response={201: QuizOut})
@transaction.atomic
def quiz_create(request, class_id: int, body: QuizIn):
    """Write a class's quiz (a draft) with its questions; option indices from 0 in `key`."""
    c = policy.get(TrainingClass.objects.select_related("plan"), request.auth, class_id)
    policy.require(request.auth, "quiz")
    q = quizzes.quiz_create(training_class=c, title=body.title, opens_at=body.opens_at, closes_at=body.closes_at,
                            actor=request.auth)
    for item in body.questions:
        quizzes.quiz_question_add(quiz=q, kind=item.kind, text=item.text, options=item.options, key=item.key,
                                  points=item.points, actor=request.auth)
    return Status(201, _quiz_out(q, user=request.auth))


@router.post("/training/classes/{int:class_id}/quiz/state/", response=QuizOut)
def quiz_state(request, class_id: int, body: QuizStateIn):
    """开放 (`open`) or 结束 (`closed`) the quiz."""
    _c, q = _class_quiz(request, class_id, writer=True)
    return _quiz_out(quizzes.quiz_transition(quiz=q, to=body.to, actor=request.auth), user=request.auth)


@router.post("/training/classes/{int:class_id}/quiz/submit/", response={201: QuizSubmissionOut})
def quiz_submit(request, class_id: int, body: QuizAnswersIn):
    """交卷 as oneself, once: {question id: [option indices]}; marked at once, the score settled as an imported one."""
    policy.require(request.auth, "quiz_take")
    _c, q = _class_quiz(request, class_id, writer=False)
    row = quizzes.quiz_submit(quiz=q, person=_me(request), answers=body.answers, actor=request.auth)
    return Status(201, _submission(row))
