"""Writes of the lecture hall: the plan, electives with a waitlist, check-in, classes and their end test.

A session's seats are held by the database: every enrolment, drop and capacity change locks the session's row
(`SELECT … FOR UPDATE`) before counting, so a burst of simultaneous enrolments fills exactly the capacity and the
rest queue in the order they took the lock; a freed seat goes to the first waiter, once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bole.core import periods
from bole.core.audit import audit_record, diff, snapshot
from bole.core.choices import AuditAction
from bole.core.notices import Notice, notify, site_language
from bole.core.records import record_create, record_update
from bole.core.scoping import own_person_id, unit_covers
from bole.core.unique import one_per
from bole.engines import learning
from bole.ledger.services import point_category_ensure, points_post
from bole.org.models import Account

from .choices import AttendanceMethod, Audience, EnrolmentStatus, HostStatus, MemberStatus, SessionStatus
from .models import (
    MAX_PASS_POINTS,
    Attendance,
    ClassMember,
    Enrolment,
    LearningRecord,
    Lecturer,
    Plan,
    Session,
    Topic,
    TrainingClass,
)
from .permissions import policy

E = EnrolmentStatus
QR_WINDOW_S = 30  # the room's code changes every 30 s; a scan is accepted in its window and the one after
CHECKIN_EARLY = dt.timedelta(minutes=30)  # the room opens half an hour before the start
CATEGORY_CODE = "training"
DEFAULT_PASS_POINTS = Decimal(2)  # 集训班结业's points when a class does not set its own (TrainingClass.pass_points)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --- the plan ---------------------------------------------------------------------------------------


def _require_configure(actor) -> None:
    if actor is not None and not policy.may(actor, "configure"):
        raise PermissionDenied


@transaction.atomic
def plan_create(*, actor, year: int, region, organiser, title: str = "") -> Plan:
    """年度培训计划 of a county, made by its Organization Department."""
    _require_configure(actor)
    if actor is not None and not unit_covers(actor, organiser):
        raise ValidationError({"organiser": _("只能以本单位（或下级单位）名义制定计划")})
    title = (title or "").strip() or _("%(year)s年干部大讲堂") % {"year": year}
    with one_per(lambda: Plan.objects.filter(region=region, year=year).exists(), _("该区划本年度已有培训计划")):
        return record_create(model=Plan, actor=actor, data={"year": year, "region": region,
                                                             "organiser": organiser, "title": title})


def _require_plan(actor, plan: Plan) -> None:
    if actor is not None and not policy.restrict(Plan.objects.filter(pk=plan.pk), actor, "change").exists():
        raise PermissionDenied


@transaction.atomic
def topic_create(*, actor, plan: Plan, title: str, host_unit, theme: str = "other", target_groups: str = "",
                 lecturers: list[dict] | None = None) -> Topic:
    """组织选题: a topic offered to a host department, with its lecturers (register people or outside experts)."""
    _require_configure(actor)
    _require_plan(actor, plan)
    topic = record_create(model=Topic, actor=actor, data={"plan": plan, "title": (title or "").strip(),
                                                          "theme": theme, "target_groups": target_groups,
                                                          "host_unit": host_unit})
    for lec in lecturers or []:
        lecturer_add(topic=topic, actor=actor, **lec)
    return topic


@transaction.atomic
def topic_answer(*, topic: Topic, accept: bool, actor) -> Topic:
    """The host department accepts (部门配合) or declines the topic offered to it."""
    if actor is not None and not unit_covers(actor, topic.host_unit):
        raise PermissionDenied
    before = topic.host_status
    topic.host_status = HostStatus.ACCEPTED if accept else HostStatus.DECLINED
    topic.save(update_fields=["host_status"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=topic, changes={"host_status": [before, topic.host_status]})
    return topic


@transaction.atomic
def lecturer_add(*, topic: Topic, actor, name: str = "", person=None, institution: str = ""):
    """授课人: a register person (name taken from the register) or an outside expert with an institution."""
    if person is not None:
        name = person.name
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写授课人")})
    return record_create(model=Lecturer, actor=actor, data={"topic": topic, "person": person,
                                                            "name": name.strip(), "institution": institution})


@transaction.atomic
def class_create(*, actor, plan: Plan, title: str, pass_mark: Decimal | int = 60,
                 test_date: dt.date | None = None, pass_points: Decimal | int | None = None) -> TrainingClass:
    """集训班 with its end test's pass mark and the points a member's 结业 posts to the ledger (default 2)."""
    _require_configure(actor)
    _require_plan(actor, plan)
    return record_create(model=TrainingClass, actor=actor, data={
        "plan": plan, "title": (title or "").strip(), "pass_mark": Decimal(str(pass_mark)), "test_date": test_date,
        "pass_points": _pass_points(DEFAULT_PASS_POINTS if pass_points is None else pass_points)})


def _pass_points(value) -> Decimal:
    points = Decimal(str(value))
    if not 0 <= points <= MAX_PASS_POINTS:
        raise ValidationError({"pass_points": _("结业积分须在 0 到 %(n)s 之间") % {"n": MAX_PASS_POINTS}})
    return points


_SESSION_FIELDS = ("title", "lecturer", "place", "starts_at", "ends_at", "capacity", "hours", "compulsory",
                   "audience", "enrol_opens", "enrol_closes")


@transaction.atomic
def session_create(*, actor, plan: Plan, host_unit, title: str, place: str, starts_at: dt.datetime,
                   ends_at: dt.datetime, capacity: int, hours: Decimal | float, compulsory: bool = False,
                   audience: str = Audience.CADRES, enrol_opens: dt.datetime | None = None,
                   enrol_closes: dt.datetime | None = None, lecturer: str = "", topic: Topic | None = None,
                   training_class: TrainingClass | None = None, publish: bool = False) -> Session:
    """A session of the plan; the enrolment window defaults to a fortnight before the start, closing at it."""
    _require_configure(actor)
    _require_plan(actor, plan)
    if topic is not None and topic.plan_id != plan.pk or training_class is not None and training_class.plan_id != plan.pk:
        raise ValidationError(_("专题和集训班须属于同一计划"))
    enrol_closes = enrol_closes or starts_at
    enrol_opens = enrol_opens or min(enrol_closes - dt.timedelta(hours=1), starts_at - dt.timedelta(days=14))
    if enrol_closes > starts_at:
        raise ValidationError({"enrol_closes": _("选课截止不能晚于开课时间")})
    session = record_create(model=Session, actor=actor, data={
        "plan": plan, "topic": topic, "training_class": training_class, "host_unit": host_unit,
        "title": (title or "").strip(), "lecturer": lecturer, "place": place, "starts_at": starts_at,
        "ends_at": ends_at, "capacity": capacity, "hours": Decimal(str(hours)), "compulsory": compulsory,
        "audience": audience, "enrol_opens": enrol_opens, "enrol_closes": enrol_closes})
    if publish:
        session_publish(session=session, actor=actor)
    return session


def is_manager(actor, session: Session) -> bool:
    """Whether the actor runs this session (its host unit's admins, the county's Organization Department)."""
    if actor is None:
        return True
    return policy.restrict(Session.objects.filter(pk=session.pk), actor, "manage").exists()


def _require_manager(actor, session: Session) -> None:
    if not is_manager(actor, session):
        raise PermissionDenied


@transaction.atomic
def session_publish(*, session: Session, actor) -> Session:
    """Publish a draft session: cadres see it and may enrol within its window."""
    _require_manager(actor, session)
    s = Session.objects.select_for_update().get(pk=session.pk)
    if s.status != SessionStatus.DRAFT:
        raise ValidationError(_("只有草稿状态的课程可以发布"))
    s.status = SessionStatus.PUBLISHED
    s.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=s,
                 changes={"status": [SessionStatus.DRAFT, SessionStatus.PUBLISHED]})
    return s


@transaction.atomic
def session_set_capacity(*, session: Session, capacity: int, actor, now: dt.datetime | None = None) -> Session:
    """Change the number of seats: more seats promote waiters in order; fewer than those enrolled is refused."""
    _require_manager(actor, session)
    s = Session.objects.select_for_update().get(pk=session.pk)
    taken = s.enrolments.filter(status=E.ENROLLED).count()
    if capacity < max(1, taken):
        raise ValidationError({"capacity": _("名额不能少于已选修人数（%(n)s）") % {"n": taken}})
    before = s.capacity
    s.capacity = capacity
    s.save(update_fields=["capacity"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=s, changes={"capacity": [before, capacity]})
    _promote(s, actor=actor, now=_now(now))
    return s


# --- electives and the waitlist ----------------------------------------------------------------------


def _county_prefix(code: str) -> str:
    return code[:6]


def eligible(session: Session, person) -> str | None:
    """Why `person` may not take `session` (None when they may): the plan's county and the session's audience."""
    region = person.unit.region.code
    plan_code = session.plan.region.code
    if not (region.startswith(plan_code) or _county_prefix(region) == _county_prefix(plan_code)):
        return _("该课程面向%(region)s的干部") % {"region": session.plan.region.name}
    if not person.is_active:
        return _("人员已不在册")
    a = session.audience
    if a == Audience.SECTION and not person.is_section_leader:
        return _("该课程仅面向科级领导干部")
    if a == Audience.YOUNG and not person.is_young_cadre:
        return _("该课程仅面向选调生")
    if a == Audience.DIVISION and person.rank != "division":
        return _("该课程仅面向县处级干部")
    return None


def _may_act_for(actor, person) -> bool:
    """A cadre acts for themself; staff for people of units in their scope."""
    if actor is None:
        return True
    if own_person_id(actor) == person.pk:
        return policy.may(actor, "enrol")
    return policy.allows(actor, "add", Enrolment) and unit_covers(actor, person.unit)


@transaction.atomic
def enrol(*, session: Session, person, actor, now: dt.datetime | None = None) -> Enrolment:
    """选修: a seat if one is free, else a place at the end of the waitlist. The session row is locked first, so
    the count of seats and the insert happen one request at a time per session."""
    now = _now(now)
    if not _may_act_for(actor, person):
        raise PermissionDenied
    s = Session.objects.select_for_update().select_related("plan__region").get(pk=session.pk)
    if s.status != SessionStatus.PUBLISHED:
        raise ValidationError(_("课程未发布或已取消"))
    staff = actor is None or own_person_id(actor) != person.pk  # placed by the organiser: no window
    if not staff and not (s.enrol_opens <= now <= s.enrol_closes):
        raise ValidationError(_("不在选课时间内（%(a)s 至 %(b)s）") % {
            "a": f"{timezone.localtime(s.enrol_opens):%m-%d %H:%M}", "b": f"{timezone.localtime(s.enrol_closes):%m-%d %H:%M}"})
    if now >= s.starts_at:
        raise ValidationError(_("课程已开始，不能再选修"))
    why = eligible(s, person)
    if why:
        raise ValidationError(why)

    def taken() -> bool:
        return Enrolment.objects.filter(session=s, person=person).exclude(status=E.DROPPED).exists()

    if taken():
        raise ValidationError(_("已选修或已在候补名单中"))
    seats = s.enrolments.filter(status=E.ENROLLED).count()
    status = E.ENROLLED if seats < s.capacity else E.WAITING
    with one_per(taken, _("已选修或已在候补名单中")):
        row = Enrolment.objects.create(session=s, person=person, status=status, queued_at=now)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, changes={"status": [None, status]})
    return row


def _promote(s: Session, *, actor, now: dt.datetime) -> list[Enrolment]:
    """Fill free seats from the waitlist in arrival order (the session row is locked by the caller); each promoted
    cadre is told once."""
    free = s.capacity - s.enrolments.filter(status=E.ENROLLED).count()
    if free <= 0:
        return []
    waiters = list(s.enrolments.filter(status=E.WAITING).select_related("person").order_by("queued_at", "id")[:free])
    for w in waiters:
        w.status, w.promoted_at = E.ENROLLED, now
        w.save(update_fields=["status", "promoted_at"])
        audit_record(actor=actor, action=AuditAction.TRANSITION, obj=w, changes={"status": [E.WAITING, E.ENROLLED]})
    if waiters:
        ids = [w.pk for w in waiters]
        transaction.on_commit(lambda: _tell_promoted(ids))
    return waiters


def _tell_promoted(enrolment_ids: list[int]) -> None:
    rows = Enrolment.objects.filter(pk__in=enrolment_ids).select_related("session")
    logins = dict(Account.objects.filter(person_id__in=[r.person_id for r in rows], user__is_active=True)
                  .values_list("person_id", "user_id"))
    with site_language():
        notify([Notice(recipient_id=logins[r.person_id], object_type="training.enrolment", object_id=str(r.pk),
                       event="promoted", link=reverse("training-session", args=[r.session_id]),
                       text=_("候补递补成功：您已选上“%(title)s”（%(at)s）") % {
                           "title": r.session.title, "at": f"{timezone.localtime(r.session.starts_at):%m-%d %H:%M}"})
                for r in rows if r.person_id in logins])


@transaction.atomic
def drop(*, enrolment: Enrolment, actor, now: dt.datetime | None = None) -> Enrolment:
    """退选 before the start; a compulsory session cannot be dropped. A freed seat goes to the first waiter."""
    now = _now(now)
    if not _may_act_for(actor, enrolment.person):
        raise PermissionDenied
    s = Session.objects.select_for_update().get(pk=enrolment.session_id)
    row = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if row.status == E.DROPPED:
        raise ValidationError(_("已退选"))
    if s.compulsory and row.status == E.ENROLLED:
        raise ValidationError(_("必修课程不能退选"))
    if now >= s.starts_at:
        raise ValidationError(_("课程已开始，不能退选"))
    before = row.status
    row.status, row.dropped_at = E.DROPPED, now
    row.save(update_fields=["status", "dropped_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=row, changes={"status": [before, E.DROPPED]})
    if before == E.ENROLLED:
        _promote(s, actor=actor, now=now)
    return row


# --- check-in ----------------------------------------------------------------------------------------


def _mac(session: Session, message: str) -> str:
    key = f"{settings.SECRET_KEY}:training:{session.pk}:{session.qr_salt}".encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def qr_window(now: dt.datetime) -> int:
    return int(now.timestamp()) // QR_WINDOW_S


def qr_token(session: Session, now: dt.datetime | None = None) -> str:
    """The room's code for the current 30-second window: an HMAC of the session and the window."""
    return _mac(session, f"qr:{qr_window(_now(now))}")[:20]


def short_code(session: Session) -> str:
    """签到码 for late arrivals, six digits the host reads out; good for the whole session."""
    return f"{int(_mac(session, 'code')[:12], 16) % 1_000_000:06d}"


def _token_ok(session: Session, token: str, now: dt.datetime) -> bool:
    w = qr_window(now)
    return any(hmac.compare_digest(_mac(session, f"qr:{x}")[:20], token or "") for x in (w, w - 1))


def _check_proof(s: Session, *, token: str, code: str, now: dt.datetime) -> str:
    if token:
        if not _token_ok(s, token, now):
            raise ValidationError(_("二维码已过期，请重新扫描屏幕上的二维码"))
        return AttendanceMethod.QR
    if code:
        if not hmac.compare_digest(short_code(s), code.strip()):
            raise ValidationError(_("签到码不正确"))
        return AttendanceMethod.CODE
    raise ValidationError(_("请扫描二维码或输入签到码"))


def require_own_person(actor, person, message: str = "") -> None:
    """Only the cadre themself, on their own login, may do this (check in, sign out, rate); the system may."""
    if actor is None:
        return
    if own_person_id(actor) != person.pk or not policy.may(actor, "enrol"):
        raise PermissionDenied(message or _("只能本人签到"))


@transaction.atomic
def check_in(*, session: Session, person, actor, token: str = "", code: str = "",
             now: dt.datetime | None = None) -> Attendance:
    """签到 on one's own phone with the room's current QR code or the session's code; enrolled cadres only."""
    now = _now(now)
    require_own_person(actor, person)
    s = Session.objects.get(pk=session.pk)
    method = _check_proof(s, token=token, code=code, now=now)
    if not (s.starts_at - CHECKIN_EARLY <= now <= s.ends_at):
        raise ValidationError(_("不在签到时间内"))
    if not s.enrolments.filter(person=person, status=E.ENROLLED).exists():
        raise ValidationError(_("您未选修该课程"))

    def taken() -> bool:
        return Attendance.objects.filter(session=s, person=person).exists()

    if taken():
        raise ValidationError(_("已签到"))
    with one_per(taken, _("已签到")):
        row = Attendance.objects.create(session=s, person=person, checked_in_at=now, method=method)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, changes={"method": [None, method]})
    return row


def _credit(s: Session, row: Attendance) -> Decimal:
    return learning.credited_hours(s.hours, s.starts_at, s.ends_at, row.checked_in_at, row.checked_out_at)


@transaction.atomic
def check_out(*, session: Session, person, actor, token: str = "", code: str = "",
              now: dt.datetime | None = None) -> Attendance:
    """签退 the same way; the hours credited are the smaller of the scheduled and the attended time."""
    now = _now(now)
    require_own_person(actor, person)
    s = Session.objects.get(pk=session.pk)
    _check_proof(s, token=token, code=code, now=now)
    row = Attendance.objects.select_for_update().filter(session=s, person=person).first()
    if row is None:
        raise ValidationError(_("尚未签到"))
    if row.checked_out_at is not None:
        raise ValidationError(_("已签退"))
    row.checked_out_at = min(now, s.ends_at) if now > s.starts_at else now
    row.credited_hours = _credit(s, row)
    row.save(update_fields=["checked_out_at", "credited_hours"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=row,
                 changes={"checked_out_at": [None, row.checked_out_at.isoformat()],
                          "credited_hours": [None, str(row.credited_hours)]})
    return row


@transaction.atomic
def attendance_mark(*, session: Session, person, actor, reason: str, came: dt.datetime | None = None,
                    left: dt.datetime | None = None) -> Attendance:
    """补录: the host records someone's attendance by hand, with a reason (audited with the times before and after)."""
    _require_manager(actor, session)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写补录理由")})
    if not session.enrolments.filter(person=person).exclude(status=E.DROPPED).exists():
        raise ValidationError({"person": _("该人员未选修本课程")})
    came = came or session.starts_at
    left = left or session.ends_at
    if left <= came:
        raise ValidationError({"left": _("签退时间须晚于签到时间")})
    row = Attendance.objects.select_for_update().filter(session=session, person=person).first()
    fields = ("checked_in_at", "checked_out_at", "credited_hours", "method", "note")
    before = snapshot(row, fields) if row else {}
    if row is None:
        row = Attendance(session=session, person=person)
    row.checked_in_at, row.checked_out_at = came, left
    row.method, row.note = AttendanceMethod.MANUAL, reason[:200]
    row.marked_by = actor if getattr(actor, "pk", None) else None
    row.credited_hours = _credit(session, row)
    row.save()
    audit_record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=row,
                 changes=diff(before, snapshot(row, fields)))
    return row


def sessions_close(*, now: dt.datetime | None = None) -> dict:
    """Periodic: credit sessions that have ended (a check-in without a sign-out counts to the end) and apply the
    1/7 absence rule to their classes. Idempotent."""
    now = _now(now)
    credited = 0
    classes: set[int] = set()
    ended = Session.objects.filter(ends_at__lte=now, status=SessionStatus.PUBLISHED)
    for s in ended.filter(attendances__credited_hours__isnull=True).distinct():
        with transaction.atomic():
            rows = list(Attendance.objects.select_for_update().filter(session=s, credited_hours__isnull=True))
            for r in rows:
                r.credited_hours = _credit(s, r)
            Attendance.objects.bulk_update(rows, ["credited_hours"])
            credited += len(rows)
        if s.training_class_id:
            classes.add(s.training_class_id)
    for c in TrainingClass.objects.filter(pk__in=classes):
        class_check_absence(training_class=c, now=now)
    return {"credited": credited, "classes": len(classes)}


# --- classes and the end test --------------------------------------------------------------------------


@transaction.atomic
def class_member_add(*, training_class: TrainingClass, person, actor, now: dt.datetime | None = None) -> ClassMember:
    """Put a cadre in a class: enrolled in each of its sessions not yet started (a class's sessions are taken
    together)."""
    _require_configure(actor)
    with one_per(lambda: ClassMember.objects.filter(training_class=training_class, person=person).exists(),
                 _("该学员已在本班")):
        m = record_create(model=ClassMember, actor=actor, data={"training_class": training_class, "person": person})
    for s in training_class.sessions.filter(status=SessionStatus.PUBLISHED, starts_at__gt=_now(now)):
        if not s.enrolments.filter(person=person).exclude(status=E.DROPPED).exists():
            enrol(session=s, person=person, actor=None, now=now)
    return m


def class_absence(training_class: TrainingClass, *, now: dt.datetime | None = None) -> dict[int, tuple[float, float]]:
    """{person id: (scheduled seconds so far, attended seconds)} over the class's ended sessions."""
    now = _now(now)
    sessions = list(training_class.sessions.filter(ends_at__lte=now))
    total = sum((s.ends_at - s.starts_at).total_seconds() for s in sessions)
    by_id = {s.pk: s for s in sessions}
    attended: dict[int, float] = {}
    for a in Attendance.objects.filter(session__in=sessions).only("session_id", "person_id", "checked_in_at",
                                                                   "checked_out_at"):
        s = by_id[a.session_id]
        attended[a.person_id] = attended.get(a.person_id, 0.0) + learning.attended_seconds(
            s.starts_at, s.ends_at, a.checked_in_at, a.checked_out_at)
    members = training_class.members.values_list("person_id", flat=True)
    return {pid: (total, attended.get(pid, 0.0)) for pid in members}


@transaction.atomic
def class_check_absence(*, training_class: TrainingClass, now: dt.datetime | None = None, actor=None) -> int:
    """退学: members who have missed more than 1/7 of the class's time so far are withdrawn (audited)."""
    absence = class_absence(training_class, now=now)
    out = 0
    for m in training_class.members.select_for_update().filter(status=MemberStatus.ACTIVE):
        scheduled, attended = absence.get(m.person_id, (0.0, 0.0))
        if learning.absence_exceeded(scheduled, attended):
            m.status = MemberStatus.WITHDRAWN
            m.save(update_fields=["status"])
            audit_record(actor=actor, action=AuditAction.TRANSITION, obj=m, changes={
                "status": [MemberStatus.ACTIVE, MemberStatus.WITHDRAWN],
                "missed_hours": [None, round((scheduled - attended) / 3600, 2)]})
            out += 1
    return out


def training_category():
    """The ledger category training points go under (created on first use, auto-approved)."""
    return point_category_ensure(code=CATEGORY_CODE, name=gettext_noop("干部教育培训"), auto_approve=True, sort=60)


@transaction.atomic
def class_scores_record(*, training_class: TrainingClass, scores: dict[int, Decimal], actor,
                        now: dt.datetime | None = None) -> dict[str, int]:
    """成果检验: record end-test scores ({person id: score}) and settle each member: 退学 stays 退学; at or above the
    pass mark 结业 with a certificate number and points to the ledger; below it 未通过检验."""
    _require_configure(actor)
    _require_plan(actor, training_class.plan)
    class_check_absence(training_class=training_class, now=now, actor=actor)
    members = {m.person_id: m for m in training_class.members.select_for_update().select_related("person")}
    unknown = [pid for pid in scores if pid not in members]
    if unknown:
        raise ValidationError(_("%(n)s 人不是本班学员") % {"n": len(unknown)})
    seq = training_class.members.exclude(certificate_no="").count()
    year = training_class.plan.year
    out = {"passed": 0, "failed": 0, "withdrawn": 0}
    for pid, score in scores.items():
        m = members[pid]
        score = Decimal(str(score))
        if score < 0 or score > 100:
            raise ValidationError(_("成绩须在 0 到 100 之间：%(s)s") % {"s": score})
        before = snapshot(m, ("status", "score", "certificate_no"))
        m.score = score
        if m.status == MemberStatus.WITHDRAWN:
            out["withdrawn"] += 1
        elif score >= training_class.pass_mark:
            m.status = MemberStatus.PASSED
            if not m.certificate_no:
                seq += 1
                m.certificate_no = learning.certificate_number(year, training_class.pk, seq)
            out["passed"] += 1
        else:
            m.status = MemberStatus.FAILED
            out["failed"] += 1
        m.save(update_fields=["status", "score", "certificate_no"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=m,
                     changes=diff(before, snapshot(m, ("status", "score", "certificate_no"))))
        if m.status == MemberStatus.PASSED and training_class.pass_points > 0:
            points_post(person=m.person, period=periods.of(training_class.test_date or timezone.localdate()),
                        category=training_category(), points=training_class.pass_points,
                        reason=gettext_noop("集训班结业") + f"：{training_class.title}", source=m, actor=None)
    return out


@transaction.atomic
def learning_record_add(*, person, source: str, title: str, day: dt.date, hours: Decimal | float,
                        actor) -> LearningRecord:
    """Hours from upper-level, unit or online training, entered into the person's archive by their unit's admins."""
    if actor is not None and not (policy.allows(actor, "add", LearningRecord) and unit_covers(actor, person.unit)):
        raise PermissionDenied
    return record_create(model=LearningRecord, actor=actor, data={
        "person": person, "source": source, "title": (title or "").strip(), "day": day,
        "hours": Decimal(str(hours))})


def enrolments_waiting_for(*, session: Session) -> list[Enrolment]:
    """The waitlist in order (first to be promoted first)."""
    return list(session.enrolments.filter(status=E.WAITING).select_related("person").order_by("queued_at", "id"))



# --- editing the plan, its import, group enrolment ------------------------------------------------------


@transaction.atomic
def topic_update(*, topic: Topic, actor, title: str, host_unit, theme: str = "other",
                 target_groups: str = "") -> Topic:
    """Change a topic; offered to another host it is an invitation again (the new host answers afresh)."""
    _require_configure(actor)
    _require_plan(actor, topic.plan)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    moved = topic.host_unit_id != host_unit.pk
    record_update(obj=topic, actor=actor, data={"title": (title or "").strip(), "theme": theme,
                                                "target_groups": target_groups, "host_unit": host_unit})
    if moved and topic.host_status != HostStatus.INVITED:
        before = topic.host_status
        topic.host_status = HostStatus.INVITED
        topic.save(update_fields=["host_status"])
        audit_record(actor=actor, action=AuditAction.TRANSITION, obj=topic,
                     changes={"host_status": [before, HostStatus.INVITED]})
    return topic


def may_host(actor, topic: Topic) -> bool:
    """Whether the actor answers for the topic's host unit (its admins; the organisers too)."""
    return actor is None or policy.may(actor, "configure") or policy.restrict(
        Topic.objects.filter(pk=topic.pk), actor, "change").exists()


@transaction.atomic
def lecturer_remove(*, lecturer: Lecturer, actor) -> None:
    """Take a lecturer off a topic (the organisers, or the host unit naming its own lecturers); audited."""
    if not may_host(actor, lecturer.topic):
        raise PermissionDenied
    audit_record(actor=actor, action=AuditAction.DELETE, obj=lecturer,
                 changes={"name": [lecturer.name, None], "institution": [lecturer.institution, None]})
    lecturer.delete()


@transaction.atomic
def class_update(*, training_class: TrainingClass, actor, title: str, pass_mark: Decimal | int = 60,
                 test_date: dt.date | None = None, pass_points: Decimal | int | None = None) -> TrainingClass:
    """Change a class's name, pass mark, test date or 结业积分 (scores already recorded keep their result and the
    points already posted)."""
    _require_configure(actor)
    _require_plan(actor, training_class.plan)
    record_update(obj=training_class, actor=actor, data={
        "title": (title or "").strip(), "pass_mark": Decimal(str(pass_mark)), "test_date": test_date,
        "pass_points": _pass_points(pass_points if pass_points is not None else training_class.pass_points)})
    return training_class


_TIMING = ("starts_at", "ends_at", "hours")


@transaction.atomic
def session_update(*, session: Session, actor, now: dt.datetime | None = None, **data) -> Session:
    """Change a session. Seats go through `session_set_capacity` (the row lock, waiters promoted in order); the
    time and 学时 of a session that has started are fixed, since attendance is credited against them."""
    _require_configure(actor)
    _require_plan(actor, session.plan)
    s = Session.objects.select_for_update().get(pk=session.pk)
    capacity = data.pop("capacity", None)
    unknown = set(data) - set(_SESSION_FIELDS) - {"topic", "training_class", "host_unit"}
    if unknown:
        raise ValueError(f"not session fields: {sorted(unknown)}")
    for key in ("topic", "training_class"):
        if data.get(key) is not None and data[key].plan_id != s.plan_id:
            raise ValidationError({key: _("专题和集训班须属于同一计划")})
    if _now(now) >= s.starts_at and any(k in data and data[k] != getattr(s, k) for k in _TIMING):
        raise ValidationError(_("课程已开始，不能修改时间和学时"))
    if "hours" in data:
        data["hours"] = Decimal(str(data["hours"]))
    starts = data.get("starts_at", s.starts_at)
    if "enrol_closes" in data and data["enrol_closes"] is None:  # as on create: closing at the start
        data["enrol_closes"] = starts
    if "enrol_opens" in data and data["enrol_opens"] is None:  # a fortnight before
        closes = data.get("enrol_closes", s.enrol_closes)
        data["enrol_opens"] = min(closes - dt.timedelta(hours=1), starts - dt.timedelta(days=14))
    if data.get("enrol_closes", s.enrol_closes) > starts:
        raise ValidationError({"enrol_closes": _("选课截止不能晚于开课时间")})
    if "title" in data:
        data["title"] = (data["title"] or "").strip()
    record_update(obj=s, actor=actor, data=data)
    if capacity is not None and capacity != s.capacity:
        s = session_set_capacity(session=s, capacity=capacity, actor=actor, now=now)
    return s


@transaction.atomic
def plan_import(*, plan: Plan, topics: list[dict], actor, publish: bool = False) -> dict[str, int]:
    """年度计划导入: topics with their lecturers and sessions, already checked row by row (`importers.read_plan`),
    written in one transaction; a topic of the same title already in the plan takes the new sessions."""
    _require_configure(actor)
    _require_plan(actor, plan)
    out = {"topics": 0, "sessions": 0, "lecturers": 0}
    for t in topics:
        topic = plan.topics.filter(title=t["title"]).first()
        if topic is None:
            topic = topic_create(actor=actor, plan=plan, title=t["title"], host_unit=t["host_unit"],
                                 theme=t["theme"], target_groups=t["target_groups"])
            out["topics"] += 1
        named = {(lec.name, lec.institution) for lec in topic.lecturers.all()}
        for name, institution in t["lecturers"]:
            if (name, institution) not in named:
                lecturer_add(topic=topic, actor=actor, name=name, institution=institution)
                named.add((name, institution))
                out["lecturers"] += 1
        for s in t["sessions"]:
            session_create(actor=actor, plan=plan, topic=topic, host_unit=topic.host_unit, publish=publish, **s)
            out["sessions"] += 1
    return out


@transaction.atomic
def enrol_group(*, session: Session, people: list, actor,
                now: dt.datetime | None = None) -> list[tuple[object, Enrolment | None, str]]:
    """集体报名: a unit admin's list of people for one session, each through `enrol`'s rules (scope, audience, one
    live row, seats or the waitlist). The session's row is locked once for the whole list, so the list takes the
    seats left in its own order and the rest wait in that order. Returns (person, enrolment or None, why not)."""
    if actor is not None and not policy.allows(actor, "add", Enrolment):
        raise PermissionDenied
    now = _now(now)
    Session.objects.select_for_update().get(pk=session.pk)  # held to the end of the list
    out = []
    for person in people:
        try:
            row = enrol(session=session, person=person, actor=actor, now=now)
        except PermissionDenied:
            out.append((person, None, _("不在您的管辖范围内")))
        except ValidationError as exc:
            out.append((person, None, "；".join(exc.messages)))
        else:
            out.append((person, row, ""))
    return out
