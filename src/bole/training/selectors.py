"""Reads of the lecture hall, scoped to the acting user: the plan, a session's rosters, learning hours against the
requirement, reports by unit and month, and the figures the cockpit reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core import periods
from bole.core.figures import FLOW, STOCK, Figure
from bole.core.scoping import own_person_id
from bole.core.taskcounts import align
from bole.engines import learning
from bole.org.choices import Rank
from bole.org.models import Person
from bole.org.selectors import person_list

from .choices import EnrolmentStatus, SessionStatus
from .models import (
    Attendance,
    ClassMember,
    Enrolment,
    LearningRecord,
    Plan,
    QuizSubmission,
    Session,
    TrainingClass,
)
from .permissions import policy
from .services import eligible, is_manager

E = EnrolmentStatus
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=9, decimal_places=2))


def _sessions() -> QuerySet[Session]:
    return Session.objects.select_related("plan", "plan__region", "host_unit", "topic", "training_class")


def session_list(*, user) -> QuerySet[Session]:
    """Sessions a user may read: every published one (the plan is public to staff and cadres), and drafts of the
    sessions they run."""
    if not policy.may(user, "plan"):
        return Session.objects.none()
    managed = policy.restrict(Session.objects.all(), user, "change").values("pk")
    return _sessions().filter(Q(status=SessionStatus.PUBLISHED) | Q(pk__in=managed))


def session_get(*, user, pk) -> Session:
    try:
        return session_list(user=user).get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def managed_sessions(*, user) -> QuerySet[Session]:
    return policy.restrict(_sessions(), user, "manage")


def plan_list(*, user) -> QuerySet[Plan]:
    """Plans with a published session, or that the user makes."""
    if not policy.may(user, "plan"):
        return Plan.objects.none()
    mine = policy.restrict(Plan.objects.all(), user, "change").values("pk")
    return (Plan.objects.select_related("region").filter(Q(sessions__status=SessionStatus.PUBLISHED) | Q(pk__in=mine))
            .distinct().order_by("-year", "id"))


def with_seats(qs: QuerySet[Session]) -> QuerySet[Session]:
    """Each session with `n_enrolled`, `n_waiting` and `n_attended`."""
    return qs.annotate(
        n_enrolled=Count("enrolments", filter=Q(enrolments__status=E.ENROLLED), distinct=True),
        n_waiting=Count("enrolments", filter=Q(enrolments__status=E.WAITING), distinct=True),
    )


def enrolment_list(*, user, action: str = "view") -> QuerySet[Enrolment]:
    return policy.restrict(Enrolment.objects.select_related("person", "person__unit", "session"), user, action)


def attendance_list(*, user, action: str = "view") -> QuerySet[Attendance]:
    return policy.restrict(Attendance.objects.select_related("person", "person__unit", "session"), user, action)


def roster(*, user, session: Session) -> dict:
    """The session's enrolled, waitlist (in order) and attendance, as far as the user may see them: the session's
    managers all of it, a unit's admins their own people, a cadre their own rows."""
    if is_manager(user, session):
        enrolments = Enrolment.objects.select_related("person", "person__unit").filter(session=session)
        attendances = Attendance.objects.select_related("person", "person__unit").filter(session=session)
    else:
        enrolments = enrolment_list(user=user).filter(session=session)
        attendances = attendance_list(user=user).filter(session=session)
    rows = list(enrolments.order_by("queued_at", "id"))
    return {
        "enrolled": [r for r in rows if r.status == E.ENROLLED],
        "waiting": [r for r in rows if r.status == E.WAITING],
        "attendances": list(attendances.order_by("checked_in_at", "id")),
    }


def my_person(user):
    pid = own_person_id(user)
    return person_list(user=user).select_related("unit__region").filter(pk=pid).first() if pid else None


def hours_by_person(person_ids, first: int, last: int) -> dict[int, Decimal]:
    """学时 credited in the years first..last per person: sessions attended plus imported records (two grouped
    queries)."""
    return hours_between(person_ids, dt.date(first, 1, 1), dt.date(last, 12, 31))


def hours_between(person_ids, first: dt.date, last: dt.date) -> dict[int, Decimal]:
    """学时 credited from day `first` to day `last` (both included) per person: sessions that started in those days
    and imported records dated in them (two grouped queries)."""
    lo = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    hi = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    out: dict[int, Decimal] = {}
    for pid, h in (Attendance.objects.filter(person_id__in=person_ids, session__starts_at__gte=lo,
                                             session__starts_at__lt=hi, credited_hours__isnull=False)
                   .values_list("person_id").annotate(h=Sum("credited_hours")).values_list("person_id", "h")):
        out[pid] = out.get(pid, Decimal(0)) + h
    for pid, h in (LearningRecord.objects.filter(person_id__in=person_ids, day__gte=first, day__lte=last)
                   .values_list("person_id").annotate(h=Sum("hours")).values_list("person_id", "h")):
        out[pid] = out.get(pid, Decimal(0)) + h
    cent = Decimal("0.01")
    return {pid: Decimal(h).quantize(cent) for pid, h in out.items()}


def hours_metric(person_ids: np.ndarray, period: str) -> np.ndarray:
    """学习学时 for the assessment (`metrics` hook): 学时 credited in the period; 0 for a person with none (an
    assessed cadre who learned nothing has 0 hours, not a missing value)."""
    first, last = periods.dates(period)
    hours = hours_between(person_ids.tolist(), first, last)
    return align(person_ids, list(hours), [float(h) for h in hours.values()], dtype=np.float64)


def share_metric(person_ids: np.ndarray, period: str) -> np.ndarray:
    """学时达标率 (%) for the assessment: 学时 credited from the start of the person's requirement (the year, or the
    县处级 five-year cycle) to the end of the period, over the requirement, capped at 100."""
    _first, last = periods.dates(period)
    division = set(Person.objects.filter(pk__in=person_ids.tolist(), rank=Rank.DIVISION).values_list("pk", flat=True))
    out = np.zeros(person_ids.size, dtype=np.float64)
    for is_division in (False, True):
        req = learning.requirement(division=is_division, year=last.year)
        mask = np.isin(person_ids, list(division)) == is_division
        if not mask.any():
            continue
        ids = person_ids[mask]
        hours = hours_between(ids.tolist(), dt.date(req.first, 1, 1), last)
        done = align(ids, list(hours), [float(h) for h in hours.values()], dtype=np.float64)
        out[mask] = np.minimum(100.0, 100.0 * done / float(req.hours))
    return np.round(out, 2)


def hours_records(person_id: int, period: str) -> tuple[list, list]:
    """The records behind a person's 学习学时 in a period: each attended session and imported record."""
    first, last = periods.dates(period)
    lo = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    hi = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    rows = [(timezone.localtime(a.session.starts_at).date(), a.session.title, _("大讲堂/集训班"), a.credited_hours)
            for a in Attendance.objects.filter(person_id=person_id, session__starts_at__gte=lo,
                                               session__starts_at__lt=hi, credited_hours__isnull=False)
            .select_related("session").order_by("session__starts_at")]
    rows += [(r.day, r.title, r.get_source_display(), r.hours)
             for r in LearningRecord.objects.filter(person_id=person_id, day__gte=first, day__lte=last).order_by("day")]
    return [_("日期"), _("培训名称"), _("来源"), _("认定学时")], sorted(rows, key=lambda r: r[0])


def still_available(person, *, now: dt.datetime | None = None) -> Decimal:
    """学时 the person can still take this year: published sessions not yet started that they are enrolled in, or
    that are open to them with a free seat."""
    now = now or timezone.now()
    end = timezone.make_aware(dt.datetime(timezone.localtime(now).year + 1, 1, 1))
    total = Decimal(0)
    upcoming = _sessions().filter(status=SessionStatus.PUBLISHED, starts_at__gt=now, starts_at__lt=end)
    enrolled = set(Enrolment.objects.filter(person=person, status=E.ENROLLED, session__in=upcoming.values("pk"))
                   .values_list("session_id", flat=True))
    for s in with_seats(upcoming):
        mine = s.pk in enrolled
        if mine or (s.n_enrolled < s.capacity and s.enrol_closes > now and eligible(s, person) is None):
            total += s.hours
    return total


def requirement_of(person, year: int) -> learning.Requirement:
    return learning.requirement(division=person.rank == Rank.DIVISION, year=year)


def standing_of(person, *, year: int | None = None, now: dt.datetime | None = None) -> learning.Standing:
    """The person's hours against their rank's requirement, and whether it can still be met."""
    now = now or timezone.now()
    year = year or timezone.localtime(now).year
    req = requirement_of(person, year)
    done = hours_by_person([person.pk], req.first, min(req.last, year)).get(person.pk, Decimal(0))
    return learning.standing(req, done=done, still_available=still_available(person, now=now), year=year)


def my_record(*, user, year: int) -> dict | None:
    """学习档案: the cadre's enrolments, attendances, classes and imported records of the year, and their standing."""
    person = my_person(user)
    if person is None:
        return None
    lo = timezone.make_aware(dt.datetime(year, 1, 1))
    hi = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return {
        "person": person,
        "standing": standing_of(person, year=year),
        "requirement": requirement_of(person, year),
        "enrolments": list(Enrolment.objects.filter(person=person, session__starts_at__gte=lo,
                                                    session__starts_at__lt=hi).exclude(status=E.DROPPED)
                           .select_related("session").order_by("session__starts_at")),
        "attendances": {a.session_id: a for a in Attendance.objects.filter(person=person, session__starts_at__gte=lo,
                                                                          session__starts_at__lt=hi)},
        "records": list(LearningRecord.objects.filter(person=person, day__year=year)),
        "classes": list(ClassMember.objects.filter(person=person).select_related("training_class")),
    }


# --- reports -----------------------------------------------------------------------------------------


def attendance_by_unit_month(*, user, year: int) -> list[dict]:
    """Attendances of the year by the attendee's unit and month (in the user's scope), one grouped query."""
    lo = timezone.make_aware(dt.datetime(year, 1, 1))
    hi = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    rows = (attendance_list(user=user).filter(session__starts_at__gte=lo, session__starts_at__lt=hi)
            .annotate(m=ExtractMonth("session__starts_at", tzinfo=timezone.get_current_timezone()))
            .values("person__unit_id", "person__unit__name", "m")
            .annotate(n=Count("id"), h=Coalesce(Sum("credited_hours"), ZERO)).order_by("person__unit__name", "m"))
    units: dict[int, dict] = {}
    for r in rows:
        u = units.setdefault(r["person__unit_id"], {"unit": r["person__unit__name"], "months": [0] * 12,
                                                    "total": 0, "hours": Decimal(0)})
        u["months"][r["m"] - 1] += r["n"]
        u["total"] += r["n"]
        u["hours"] += r["h"]
    return sorted(units.values(), key=lambda u: -u["total"])


def hours_met_by_unit(*, user, year: int) -> list[dict]:
    """Cadres of each unit in the user's scope meeting their requirement this year (90 学时; 县处级 on their
    five-year cycle)."""
    people = list(person_list(user=user).filter(is_cadre=True, is_active=True)
                  .values_list("pk", "unit_id", "unit__name", "rank"))
    if not people:
        return []
    ids = [p[0] for p in people]
    yearly = hours_by_person(ids, year, year)
    cyc = learning.requirement(division=True, year=year)
    cycle = hours_by_person([p[0] for p in people if p[3] == "division"], cyc.first, year)
    units: dict[int, dict] = {}
    for pid, uid, uname, rank in people:
        u = units.setdefault(uid, {"unit": uname, "cadres": 0, "met": 0, "hours": Decimal(0)})
        div = rank == "division"
        req = learning.requirement(division=div, year=year)
        done = cycle.get(pid, Decimal(0)) if div else yearly.get(pid, Decimal(0))
        u["cadres"] += 1
        u["met"] += int(done >= req.hours)
        u["hours"] += yearly.get(pid, Decimal(0))
    for u in units.values():
        u["share"] = u["met"] / u["cadres"] if u["cadres"] else 0.0
    return sorted(units.values(), key=lambda u: (-u["share"], u["unit"]))


# --- figures -----------------------------------------------------------------------------------------


def _period_sessions(user, period) -> QuerySet[Session]:
    """大讲堂 sessions (a class's sessions are counted with the class) the user's scope hosts, started in the period."""
    qs = policy.restrict(Session.objects.filter(status=SessionStatus.PUBLISHED, training_class__isnull=True), user,
                         "view")
    return qs.filter(**period.contains("starts_at"))


def figures(*, user, period) -> list[Figure]:
    """干部大讲堂's reported figures in the user's scope (the `figures` hook): sessions held and attendances in the
    period, and the cadres who attended at least once."""
    sessions = _period_sessions(user, period)
    att = Attendance.objects.filter(session__in=sessions.values("pk"))
    url = reverse("training-plan")
    return [
        Figure("training_sessions", _("大讲堂场次"), sessions.count(), _("场"), FLOW, _("已发布的大讲堂课程（按开课时间，不含集训班）"), url),
        Figure("training_attendances", _("参学人次"), att.count(), _("人次"), FLOW, _("签到记录（按课程开课时间）"),
               reverse("training-reports")),
        Figure("training_learners", _("参学干部"), att.values("person_id").distinct().count(), _("人"), FLOW,
               _("至少签到一次的干部（去重）"), reverse("training-reports")),
        Figure("training_classes", _("集训班"), policy.restrict(TrainingClass.objects.all(), user, "view").count(),
               _("个"), STOCK, _("集训班（含成果检验）"), url),
    ]


def years_with_sessions() -> list[int]:
    return sorted({y for y in Session.objects.annotate(y=ExtractYear("starts_at")).values_list("y", flat=True)},
                  reverse=True)





# --- the online end test and the host's paged roster -----------------------------------------------------


def quiz_submissions(*, user, quiz) -> QuerySet[QuizSubmission]:
    """A quiz's submissions the user may see: the county's staff all, a unit's admins their people's, a cadre theirs."""
    return policy.restrict(QuizSubmission.objects.filter(quiz=quiz).select_related("person", "person__unit"),
                           user, "view").order_by("submitted_at", "id")


ROSTER_PAGE = 50


def roster_page(*, user, session: Session, q: str = "", page: int = 1, per: int = ROSTER_PAGE) -> dict:
    """The session's enrolled cadres a page at a time (by enrolment order), optionally those whose name contains
    `q`, each with their attendance; the counts of enrolled and checked in for the whole session on top. A page
    reads its ids first, then only those rows, so a 600-seat hall costs a page, not the hall."""
    if is_manager(user, session):
        enrolments = Enrolment.objects.filter(session=session)
        attendances = Attendance.objects.filter(session=session)
    else:
        enrolments = enrolment_list(user=user).filter(session=session)
        attendances = attendance_list(user=user).filter(session=session)
    enrolled = enrolments.filter(status=E.ENROLLED)
    n_enrolled = enrolled.count()
    n_in = attendances.count()
    found = enrolled.filter(person__name__icontains=q.strip()) if q.strip() else enrolled
    n_found = found.count() if q.strip() else n_enrolled
    pages = max(1, -(-n_found // per))
    page = min(max(1, page), pages)
    ids = list(found.order_by("queued_at", "id").values_list("pk", flat=True)[(page - 1) * per:page * per])
    rows = list(Enrolment.objects.filter(pk__in=ids).select_related("person", "person__unit")
                .order_by("queued_at", "id"))
    att = {a.person_id: a for a in Attendance.objects.filter(session=session,
                                                            person_id__in=[r.person_id for r in rows])}
    for r in rows:
        r.att = att.get(r.person_id)
    return {"rows": rows, "n_enrolled": n_enrolled, "n_in": n_in, "n_found": n_found, "page": page, "pages": pages,
            "q": q.strip(), "per": per}


def roster_waiting(*, user, session: Session) -> list[Enrolment]:
    """The waitlist in order, as far as the user may see it (the session's managers all of it)."""
    qs = (Enrolment.objects.select_related("person", "person__unit").filter(session=session) if is_manager(user, session)
          else enrolment_list(user=user).filter(session=session))
    return list(qs.filter(status=E.WAITING).order_by("queued_at", "id"))
