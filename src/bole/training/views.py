"""Pages of the lecture hall: the plan, a session, my electives and hours (phone), the room's QR screen, check-in,
reports by unit and month, a class with its end test and certificates."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.core.middleware import body_limit
from bole.core.params import BadParameter, choice_param, id_param, page_param, year_param
from bole.core.views import apply_service

from . import certificates, importers, quiz_forms, quizzes, ratings, selectors, services
from .choices import EnrolmentStatus, QuizStatus
from .forms import (
    ClassForm,
    ImportForm,
    LecturerForm,
    MembersForm,
    PlanForm,
    PlanImportForm,
    SessionCreateForm,
    SessionForm,
    TopicForm,
)
from .models import ClassMember, Enrolment, Plan, Quiz, Topic, TrainingClass
from .permissions import policy


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


def _year(request) -> int:
    return year_param(request.GET, default=timezone.localdate().year)


@login_required
def plan(request):
    """The year's plan: sessions by date with seats left and the cadre's own place; the cadre's hours bar on top."""
    policy.require(request.user, "plan")
    year = _year(request)
    lo = timezone.make_aware(dt.datetime(year, 1, 1))
    hi = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    sessions = list(selectors.with_seats(selectors.session_list(user=request.user)
                                         .filter(starts_at__gte=lo, starts_at__lt=hi)).order_by("starts_at", "id"))
    person = selectors.my_person(request.user)
    mine = {}
    standing = requirement = None
    if person is not None:
        mine = dict(selectors.enrolment_list(user=request.user).filter(person=person).exclude(
            status=EnrolmentStatus.DROPPED).values_list("session_id", "status"))
        standing = selectors.standing_of(person, year=year)
        requirement = selectors.requirement_of(person, year)
    for s in sessions:
        s.mine = mine.get(s.pk, "")
        s.left = max(0, s.capacity - s.n_enrolled)
    return render(request, "training/plan.html", {
        "sessions": sessions, "year": year, "standing": standing, "requirement": requirement, "person": person,
        "years": selectors.years_with_sessions() or [year],
        "can_report": policy.may(request.user, "reports"),
        "can_configure": policy.may(request.user, "configure"),
        "now": timezone.now(),
    })


@login_required
def session_detail(request, pk):
    """A session: hosts and lecturer, seats, enrolled and waitlist, attendance; the cadre's own actions."""
    s = selectors.session_get(user=request.user, pk=pk)
    manager = services.is_manager(request.user, s)
    person = selectors.my_person(request.user)
    my = None
    my_att = None
    if person is not None:
        my = s.enrolments.filter(person=person).exclude(status=EnrolmentStatus.DROPPED).first()
        my_att = s.attendances.filter(person=person).first()
    roster = {"waiting": selectors.roster_waiting(user=request.user, session=s)}
    lecturers = list(s.topic.lecturers.all()) if s.topic_id else []
    now = timezone.now()
    return render(request, "training/session.html", {
        **_roster_ctx(request, s, manager),
        "s": s, "manager": manager, "my": my, "my_att": my_att, "roster": roster, "lecturers": lecturers,
        "n_enrolled": s.enrolments.filter(status=EnrolmentStatus.ENROLLED).count(),
        "n_waiting": s.enrolments.filter(status=EnrolmentStatus.WAITING).count(),
        "can_enrol": person is not None and policy.may(request.user, "enrol") and my is None
        and s.enrol_opens <= now <= s.enrol_closes,
        "can_drop": my is not None and now < s.starts_at and not (s.compulsory and my.status == "enrolled"),
        "room_open": s.starts_at - services.CHECKIN_EARLY <= now <= s.ends_at,
        "short_code": services.short_code(s) if manager else "",
        "can_edit": policy.may(request.user, "configure") and policy.restrict(
            Plan.objects.filter(pk=s.plan_id), request.user, "change").exists(),
        "can_group": policy.allows(request.user, "add", Enrolment) and now < s.starts_at,
        "waiting_place": (s.enrolments.filter(status=EnrolmentStatus.WAITING, queued_at__lte=my.queued_at)
                          .exclude(queued_at=my.queued_at, id__gt=my.pk).count()
                          if my is not None and my.status == EnrolmentStatus.WAITING else None),
        "rating": ratings.status_of(s) if manager else {},
        "can_rate": my_att is not None and not my_att.rating_taken
        and now <= s.ends_at + dt.timedelta(days=ratings.RATING_DAYS),
    })


@login_required
@require_POST
def enrol(request, pk):
    s = selectors.session_get(user=request.user, pk=pk)
    policy.require(request.user, "enrol")
    person = selectors.my_person(request.user)
    if person is None:
        raise PermissionDenied
    try:
        row = services.enrol(session=s, person=person, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("选修成功") if row.status == EnrolmentStatus.ENROLLED
                         else _("名额已满，已进入候补名单，有空位时自动递补"))
    return redirect("training-session", pk=s.pk)


@login_required
@require_POST
def drop(request, pk):
    s = selectors.session_get(user=request.user, pk=pk)
    person = selectors.my_person(request.user)
    row = (selectors.enrolment_list(user=request.user, action="drop").filter(session=s, person=person)
           .exclude(status=EnrolmentStatus.DROPPED).first() if person else None)
    if row is None:
        raise Http404
    try:
        services.drop(enrolment=row, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已退选"))
    return redirect("training-session", pk=s.pk)


def _qr_svg(url: str) -> str:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=8, border=2, xmldecl=False, svgns=True)
    return buf.getvalue().decode()


@login_required
def screen(request, pk):
    """The room's screen: a QR code that changes every 30 s (HTMX reloads it) and the session's short code."""
    s = selectors.session_get(user=request.user, pk=pk)
    if not services.is_manager(request.user, s):
        raise PermissionDenied
    ctx = _screen_ctx(request, s)
    if request.headers.get("HX-Request"):
        return render(request, "training/_screen_code.html", ctx)
    return render(request, "training/screen.html", ctx)


def _screen_ctx(request, s) -> dict:
    now = timezone.now()
    token = services.qr_token(s, now)
    url = request.build_absolute_uri(reverse("training-checkin", args=[s.pk]) + f"?t={token}")
    return {"s": s, "svg": _qr_svg(url), "token": token, "code": services.short_code(s),
            "n_in": s.attendances.count(), "n_enrolled": s.enrolments.filter(status=EnrolmentStatus.ENROLLED).count(),
            "next_s": services.QR_WINDOW_S - int(now.timestamp()) % services.QR_WINDOW_S}


@login_required
def checkin(request, pk):
    """What the cadre's phone opens from the room's QR (or the session page's code box): sign in or out as oneself."""
    s = selectors.session_get(user=request.user, pk=pk)
    person = selectors.my_person(request.user)
    if person is None or not policy.may(request.user, "enrol"):
        raise PermissionDenied(_("只能本人签到"))
    token = (request.POST.get("t") or request.GET.get("t") or "")[:40]
    code = (request.POST.get("code") or "")[:10]
    att = s.attendances.filter(person=person).first()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "out":
                att = services.check_out(session=s, person=person, actor=request.user, token=token, code=code)
                messages.success(request, _("签退成功，认定学时 %(h)s") % {"h": att.credited_hours})
            else:
                att = services.check_in(session=s, person=person, actor=request.user, token=token, code=code)
                messages.success(request, _("签到成功"))
        except ValidationError as exc:
            _errors(request, exc)
        return redirect(reverse("training-checkin", args=[s.pk]) + (f"?t={token}" if token and att is None else ""))
    return render(request, "training/checkin.html", {"s": s, "att": att, "token": token})


@login_required
@require_POST
def mark(request, pk):
    """补录 by the host, with a reason."""
    s = selectors.session_get(user=request.user, pk=pk)
    if not services.is_manager(request.user, s):
        raise PermissionDenied
    pid = id_param(request.POST, "person")
    row = s.enrolments.filter(person_id=pid).exclude(status=EnrolmentStatus.DROPPED).select_related("person").first()
    if row is None:
        messages.error(request, _("该人员未选修本课程"))
        return redirect("training-session", pk=s.pk)
    try:
        services.attendance_mark(session=s, person=row.person, actor=request.user,
                                 reason=request.POST.get("reason", "")[:200])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已补录"))
    return redirect("training-session", pk=s.pk)


@login_required
def mine(request):
    """我的选修与学时 (phone): the year's electives, what was credited, imported records, classes, the bar."""
    policy.require(request.user, "enrol")
    year = _year(request)
    record = selectors.my_record(user=request.user, year=year)
    if record is None:
        raise PermissionDenied
    for e in record["enrolments"]:
        e.att = record["attendances"].get(e.session_id)
    lectured = list(ratings.lecturer_ratings(record["person"])[:20])
    sessions = ratings.session_of_rating(r.result.evaluation_id for r in lectured)
    for r in lectured:
        r.session = sessions.get(r.result.evaluation_id)
    return render(request, "training/mine.html", {"year": year, "lectured": lectured, **record})


@login_required
@require_POST
def rate(request, pk):
    """评价本课: the attendee takes their one anonymous ballot link and goes to the ballot."""
    s = selectors.session_get(user=request.user, pk=pk)
    person = selectors.my_person(request.user)
    if person is None:
        raise PermissionDenied
    try:
        token = ratings.rating_link(session=s, person=person, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("training-session", pk=s.pk)
    return redirect("evaluation-ballot", token=token)


@login_required
def reports(request):
    """Attendances by unit and month; cadres meeting their hours by unit (in the user's scope)."""
    policy.require(request.user, "reports")
    year = _year(request)
    return render(request, "training/reports.html", {
        "year": year, "by_month": selectors.attendance_by_unit_month(user=request.user, year=year),
        "met": selectors.hours_met_by_unit(user=request.user, year=year), "months": range(1, 13),
        "years": selectors.years_with_sessions() or [year],
    })


def _class_get(user, pk) -> TrainingClass:
    return policy.get(TrainingClass.objects.select_related("plan"), user, pk)


@login_required
def class_detail(request, pk):
    """集训班: sessions, members with attendance, end-test scores and certificates; the score import."""
    c = _class_get(request.user, pk)
    members = list(policy.restrict(ClassMember.objects.filter(training_class=c).select_related("person", "person__unit"),
                                   request.user, "view")) if not policy.may(request.user, "configure") else list(
        c.members.select_related("person", "person__unit"))
    absence = services.class_absence(c)
    for m in members:
        sched, att = absence.get(m.person_id, (0.0, 0.0))
        m.missed_h = round(max(0.0, sched - att) / 3600, 1)
    return render(request, "training/class.html", {
        "c": c, "members": members, "sessions": list(c.sessions.order_by("starts_at")),
        "can_configure": policy.may(request.user, "configure"),
        "quiz_link": policy.may(request.user, "quiz") or (
            policy.may(request.user, "quiz_take") and Quiz.objects.filter(training_class=c).exclude(
                status=QuizStatus.DRAFT).exists()),
        "limit_h": round(sum((s.ends_at - s.starts_at).total_seconds() for s in c.sessions.all()) / 3600 / 7, 1),
    })


@login_required
@require_POST
def class_scores(request, pk):
    """成果检验: scores from an Excel sheet (身份证号, 姓名, 成绩); nothing is written unless every row is good."""
    c = _class_get(request.user, pk)
    policy.require(request.user, "configure")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择 Excel 文件"))
        return redirect("training-class", pk=c.pk)
    try:
        scores = importers.read_scores(upload, training_class=c)
        out = services.class_scores_record(training_class=c, scores=scores, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已导入：结业 %(passed)s 人，未通过 %(failed)s 人，退学 %(withdrawn)s 人") % out)
    return redirect("training-class", pk=c.pk)


@login_required
def certificate(request, pk, member_pk):
    """结业证书 (.docx) with its number, for a member who passed."""
    c = _class_get(request.user, pk)
    m = policy.get(ClassMember.objects.filter(training_class=c).select_related("person"), request.user, member_pk)
    if not m.certificate_no:
        raise Http404
    data = certificates.render_docx(member=m, training_class=c)
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    resp["Content-Disposition"] = f'attachment; filename="certificate-{m.certificate_no}.docx"'
    return resp


# --- planning: the plan, topics, sessions and classes; the plan's import; group enrolment ----------------------


def _plans(user):
    """Plans the user makes (the county's Organization Department)."""
    policy.require(user, "configure")
    return policy.restrict(Plan.objects.select_related("region", "organiser"), user, "change")


def _plan_get(user, pk) -> Plan:
    return policy.get(_plans(user), user, pk, action="change")


def _topic_get(user, pk) -> Topic:
    """A topic for its organisers (the plan's makers) or its host unit's admins."""
    topics = Topic.objects.select_related("plan", "host_unit")
    if policy.may(user, "configure"):
        mine = Q(plan__in=_plans(user)) | Q(pk__in=policy.restrict(Topic.objects.all(), user, "change").values("pk"))
        topics = topics.filter(mine)
        try:
            return topics.get(pk=pk)
        except (Topic.DoesNotExist, ValueError, TypeError, OverflowError):
            raise Http404 from None
    return policy.get(topics, user, pk, action="change")


def _form_page(request, form, *, title: str, back: str, back_label: str, submit: str, extra=None):
    return render(request, "training/form_page.html", {"form": form, "title": title, "back": back,
                                                       "back_label": back_label, "submit": submit, **(extra or {})})


@login_required
def manage(request):
    """培训计划管理: the year's plan with its topics (and hosts' answers), classes and sessions, for its makers."""
    plans = _plans(request.user)
    year = _year(request)
    of_year = list(plans.filter(year=year).order_by("id"))  # a city's admins make one per county
    wanted = id_param(request.GET, "plan") if request.GET.get("plan") else None
    plan = next((p for p in of_year if p.pk == wanted), of_year[0] if of_year else None)
    ctx = {"year": year, "plan": plan, "plans": of_year,
           "years": sorted({year, *plans.values_list("year", flat=True)}, reverse=True),
           "form": PlanForm(initial={"year": year}, user=request.user)}
    if plan is not None:
        ctx["topics"] = list(plan.topics.select_related("host_unit").prefetch_related("lecturers")
                             .annotate(n_sessions=Count("sessions")))
        ctx["classes"] = list(plan.classes.annotate(n_members=Count("members", distinct=True),
                                                    n_sessions=Count("sessions", distinct=True)))
        ctx["sessions"] = list(selectors.with_seats(plan.sessions.select_related("host_unit", "topic",
                                                                                 "training_class"))
                               .order_by("starts_at", "id"))
    return render(request, "training/manage.html", ctx)


@login_required
@require_POST
def plan_new(request):
    """年度培训计划, made once a year per region by its Organization Department."""
    policy.require(request.user, "configure")
    form = PlanForm(request.POST, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        plan = apply_service(form, lambda: services.plan_create(
            actor=request.user, year=d["year"], region=d["organiser"].region, organiser=d["organiser"],
            title=d["title"]))
        if plan is not None:
            messages.success(request, _("已创建培训计划"))
            return redirect(_manage_url(plan))
    return _form_page(request, form, title=_("新建培训计划"), back=reverse("training-manage"),
                      back_label=_("培训计划管理"), submit=_("创建"))


def _manage_url(plan) -> str:
    return reverse("training-manage") + f"?year={plan.year}&plan={plan.pk}"


@login_required
def topic_new(request, pk):
    """组织选题: a topic offered to a host department."""
    plan = _plan_get(request.user, pk)
    form = TopicForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        topic = apply_service(form, lambda: services.topic_create(actor=request.user, plan=plan, **form.cleaned_data))
        if topic is not None:
            messages.success(request, _("已新增专题，待承办单位确认"))
            return redirect("training-topic", pk=topic.pk)
    return _form_page(request, form, title=_("新增专题"), back=_manage_url(plan), back_label=_("培训计划管理"),
                      submit=_("保存"))


@login_required
def topic_detail(request, pk):
    """A topic: its organisers edit it; its host unit accepts or declines and names the lecturers."""
    topic = _topic_get(request.user, pk)
    organiser = policy.may(request.user, "configure") and _plans(request.user).filter(pk=topic.plan_id).exists()
    form = TopicForm(request.POST if request.POST.get("action") == "edit" else None, user=request.user,
                     initial={"title": topic.title, "theme": topic.theme, "target_groups": topic.target_groups,
                              "host_unit": topic.host_unit_id})
    lec_form = LecturerForm(request.POST if request.POST.get("action") == "lecturer" else None, user=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "edit" and not organiser or action in ("lecturer", "remove") and not services.may_host(
                request.user, topic):
            raise PermissionDenied
        if action == "edit" and form.is_valid():
            if apply_service(form, lambda: services.topic_update(topic=topic, actor=request.user,
                                                                 **form.cleaned_data)) is not None:
                messages.success(request, _("已保存"))
                return redirect("training-topic", pk=topic.pk)
        elif action == "lecturer" and lec_form.is_valid():
            d = lec_form.cleaned_data
            if apply_service(lec_form, lambda: services.lecturer_add(
                    topic=topic, actor=request.user, person=d["person"], name=d["name"],
                    institution=d["institution"])) is not None:
                messages.success(request, _("已添加授课人"))
                return redirect("training-topic", pk=topic.pk)
        elif action in ("accept", "decline"):
            services.topic_answer(topic=topic, accept=action == "accept", actor=request.user)
            messages.success(request, _("已确认承办") if action == "accept" else _("已婉拒承办"))
            return redirect("training-topic", pk=topic.pk)
        elif action == "remove":
            lec = topic.lecturers.filter(pk=id_param(request.POST, "lecturer")).first()
            if lec is None:
                raise Http404
            services.lecturer_remove(lecturer=lec, actor=request.user)
            messages.success(request, _("已移除授课人"))
            return redirect("training-topic", pk=topic.pk)
        elif action not in ("edit", "lecturer"):
            raise BadParameter(_("未知的操作"))
    return render(request, "training/topic.html", {
        "topic": topic, "form": form, "lec_form": lec_form, "organiser": organiser,
        "host": services.may_host(request.user, topic), "lecturers": list(topic.lecturers.select_related("person")),
        "sessions": list(topic.sessions.order_by("starts_at", "id")),
        "back": _manage_url(topic.plan) if organiser else reverse("training-plan"),
    })


_SESSION_INITIAL = ("title", "topic", "training_class", "host_unit", "lecturer", "place", "starts_at", "ends_at",
                    "capacity", "hours", "compulsory", "audience", "enrol_opens", "enrol_closes")


def _local(value):
    return timezone.localtime(value) if isinstance(value, dt.datetime) else value


@login_required
def session_new(request, pk):
    """A new session of the plan (a lecture of a topic, or a class's)."""
    plan = _plan_get(request.user, pk)
    initial = {"capacity": 100, "hours": 3, "audience": "cadres"}
    topic = plan.topics.filter(pk=id_param(request.GET, "topic")).first() if request.GET.get("topic") else None
    if topic is not None:
        initial.update(topic=topic.pk, host_unit=topic.host_unit_id, title=topic.title)
    klass = plan.classes.filter(pk=id_param(request.GET, "training_class")).first() \
        if request.GET.get("training_class") else None
    if klass is not None:
        initial.update(training_class=klass.pk, compulsory=True)
    form = SessionCreateForm(request.POST or None, user=request.user, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        s = apply_service(form, lambda: services.session_create(actor=request.user, plan=plan, **form.cleaned_data))
        if s is not None:
            messages.success(request, _("已新增课程"))
            return redirect("training-session", pk=s.pk)
    return _form_page(request, form, title=_("新增课程"), back=_manage_url(plan), back_label=_("培训计划管理"),
                      submit=_("保存"))


@login_required
def session_edit(request, pk):
    """Change a session: times, place, seats (through the waitlist's rules), 学时, who may enrol, the window."""
    s = selectors.session_get(user=request.user, pk=pk)
    _plan_get(request.user, s.plan_id)
    initial = {k: _local(getattr(s, k)) for k in _SESSION_INITIAL}
    initial.update(topic=s.topic_id, training_class=s.training_class_id, host_unit=s.host_unit_id)
    form = SessionForm(request.POST or None, user=request.user, plan=s.plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.session_update(session=s, actor=request.user,
                                                               **form.cleaned_data)) is not None:
            messages.success(request, _("已保存"))
            return redirect("training-session", pk=s.pk)
    extra = {"publish_url": reverse("training-session-publish", args=[s.pk]) if s.status == "draft" else ""}
    return _form_page(request, form, title=_("修改课程"), back=reverse("training-session", args=[s.pk]),
                      back_label=s.title, submit=_("保存"), extra=extra)


@login_required
@require_POST
def session_publish(request, pk):
    """Publish a draft session: cadres see it and may enrol within its window."""
    s = selectors.session_get(user=request.user, pk=pk)
    _plan_get(request.user, s.plan_id)
    try:
        services.session_publish(session=s, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已发布"))
    return redirect("training-session", pk=s.pk)


@login_required
def class_new(request, pk):
    """集训班: its name, pass mark and test date; sessions and members are added on its page."""
    plan = _plan_get(request.user, pk)
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = apply_service(form, lambda: services.class_create(actor=request.user, plan=plan, **form.cleaned_data))
        if c is not None:
            messages.success(request, _("已新增集训班"))
            return redirect("training-class-edit", pk=c.pk)
    return _form_page(request, form, title=_("新增集训班"), back=_manage_url(plan), back_label=_("培训计划管理"),
                      submit=_("保存"))


@login_required
def class_edit(request, pk):
    """A class's settings, its sessions and its members (added by name; each is enrolled in the sessions to come)."""
    c = _class_get(request.user, pk)
    _plan_get(request.user, c.plan_id)
    action = request.POST.get("action")
    form = ClassForm(request.POST if action == "edit" else None,
                     initial={"title": c.title, "pass_mark": c.pass_mark, "test_date": c.test_date,
                              "pass_points": c.pass_points})
    members_form = MembersForm(request.POST if action == "members" else None, user=request.user)
    if request.method == "POST":
        if action == "edit" and form.is_valid():
            if apply_service(form, lambda: services.class_update(training_class=c, actor=request.user,
                                                                 **form.cleaned_data)) is not None:
                messages.success(request, _("已保存"))
                return redirect("training-class-edit", pk=c.pk)
        elif action == "members" and members_form.is_valid():
            people = members_form.cleaned_data["people"]
            added = apply_service(members_form, lambda: [services.class_member_add(
                training_class=c, person=p, actor=request.user) for p in people])
            if added is not None:
                messages.success(request, _("已添加 %(n)s 名学员") % {"n": len(added)})
                return redirect("training-class-edit", pk=c.pk)
        elif action not in ("edit", "members"):
            raise BadParameter(_("未知的操作"))
    return render(request, "training/class_edit.html", {
        "c": c, "form": form, "members_form": members_form,
        "sessions": list(c.sessions.order_by("starts_at", "id")),
        "members": list(c.members.select_related("person", "person__unit")),
    })


@login_required
@body_limit("BOLE_IMPORT_MAX_BYTES")
def plan_import(request, pk):
    """年度计划导入: one sheet of sessions with their topics; every bad cell named, nothing written while any is."""
    plan = _plan_get(request.user, pk)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            topics = importers.read_plan(form.cleaned_data["file"], plan=plan, user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            out = apply_service(form, lambda: services.plan_import(plan=plan, topics=topics, actor=request.user,
                                                                   publish=form.cleaned_data["publish"]))
            if out is not None:
                messages.success(request, _("已导入：专题 %(topics)s 个，课程 %(sessions)s 场，授课人 %(lecturers)s 位")
                                 % out)
                return redirect(_manage_url(plan))
    return render(request, "training/plan_import.html", {"plan": plan, "form": form,
                                                         "columns": importers.PLAN_COLUMNS})


@login_required
def plan_template(request):
    """The plan's import template (.xlsx)."""
    policy.require(request.user, "configure")
    return _xlsx(importers.plan_template(), "training-plan-template.xlsx")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def _may_enrol_others(user) -> bool:
    return policy.allows(user, "add", Enrolment)


@login_required
@body_limit("BOLE_IMPORT_MAX_BYTES")
def group_enrol(request, pk):
    """集体报名: a unit admin's sheet of 身份证号 and 姓名 for one session; the people of the admin's scope take seats
    in the sheet's order, the rest wait; the result lists who was enrolled, who waits and who was refused, why."""
    s = selectors.session_get(user=request.user, pk=pk)
    if not _may_enrol_others(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = importers.read_group(form.cleaned_data["file"], user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            done = services.enrol_group(session=s, people=[p for _r, p in rows], actor=request.user)
            result = {"enrolled": [], "waiting": [], "refused": []}
            for (r, _p), (person, row, why) in zip(rows, done, strict=True):
                key = "refused" if row is None else ("enrolled" if row.status == EnrolmentStatus.ENROLLED
                                                     else "waiting")
                result[key].append({"row": r, "person": person, "why": why})
    return render(request, "training/group_enrol.html", {
        "s": s, "form": form, "result": result,
        "n_enrolled": s.enrolments.filter(status=EnrolmentStatus.ENROLLED).count(),
    })


@login_required
def group_template(request):
    """The group enrolment template (.xlsx): 身份证号 and 姓名."""
    if not _may_enrol_others(request.user):
        raise PermissionDenied
    return _xlsx(importers.group_template(), "training-group-template.xlsx")


# --- the online end test (成果检验在线测试) ---------------------------------------------------------------------


def _local_input(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%dT%H:%M}" if value else ""


def _letters(indices) -> str:
    return "".join(quizzes.LETTERS[i] for i in sorted(indices) if 0 <= i < len(quizzes.LETTERS))


def _question_rows(quiz, *, key: bool, submission=None) -> list[dict]:
    """Questions as a page shows them; the key only when `key` (the writer's view, or after one's submission)."""
    answers = submission.answers if submission else {}
    earned = submission.earned if submission else {}
    rows = []
    for q in quiz.questions.all():
        mine = answers.get(str(q.pk), [])
        rows.append({
            "q": q, "options": [(i, quizzes.LETTERS[i], text) for i, text in enumerate(q.options)],
            "multiple": q.kind == "multiple", "key": _letters(q.key) if key else "",
            "mine": _letters(mine) if submission else "", "earned": earned.get(str(q.pk)) if submission else None,
            "right": submission is not None and str(q.pk) in earned and Decimal(earned[str(q.pk)]) > 0,
        })
    return rows


@login_required
def quiz(request, pk):
    """成果检验在线测试: the writer's page (questions with the key, window, open and close, results), or a member's
    (phone: the questions without the key, one submission, then the score and the key)."""
    c = _class_get(request.user, pk)
    q = Quiz.objects.filter(training_class=c).first()
    writer = policy.may(request.user, "quiz")
    now = timezone.now()
    if writer:
        form = quiz_forms.QuizForm(initial={"title": q.title if q else _("%(c)s成果检验") % {"c": c.title},
                                            "opens_at": _local_input(q.opens_at if q else None),
                                            "closes_at": _local_input(q.closes_at if q else None)})
        if request.method == "POST":
            form = quiz_forms.QuizForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    if q is None:
                        q = quizzes.quiz_create(training_class=c, title=d["title"], opens_at=d["opens_at"],
                                                closes_at=d["closes_at"], actor=request.user)
                    else:
                        q = quizzes.quiz_update(quiz=q, title=d["title"], opens_at=d["opens_at"],
                                                closes_at=d["closes_at"], actor=request.user)
                except ValidationError as exc:
                    _errors(request, exc)
                else:
                    messages.success(request, _("已保存"))
                    return redirect("training-quiz", pk=c.pk)
        subs = list(selectors.quiz_submissions(user=request.user, quiz=q)) if q else []
        return render(request, "training/quiz_manage.html", {
            "c": c, "quiz": q, "form": form, "question_form": quiz_forms.QuestionForm(),
            "questions": _question_rows(q, key=True) if q else [], "submissions": subs,
            "n_members": c.members.count(), "total": sum((x.points for x in q.questions.all()), Decimal(0)) if q else 0,
            "is_open": q is not None and quizzes.quiz_is_open(q, now),
        })
    if request.method == "POST":
        raise PermissionDenied
    person = selectors.my_person(request.user)
    member = c.members.filter(person=person).select_related("training_class").first() if person else None
    if member is None or not policy.may(request.user, "quiz_take"):
        raise PermissionDenied
    mine = q.submissions.filter(person=person).first() if q else None
    withdrawn = mine is None and quizzes.member_withdrawn(member, now=now)
    can_take = q is not None and mine is None and not withdrawn and quizzes.quiz_is_open(q, now)
    return render(request, "training/quiz_take.html", {
        "c": c, "quiz": q if q is not None and q.status != "draft" else None, "mine": mine, "member": member,
        "withdrawn": withdrawn, "can_take": can_take,
        "questions": _question_rows(q, key=mine is not None, submission=mine) if q and (can_take or mine) else [],
        "total": sum((x.points for x in q.questions.all()), Decimal(0)) if q else 0,
    })


def _writer_quiz(request, pk):
    c = _class_get(request.user, pk)
    policy.require(request.user, "quiz")
    q = Quiz.objects.filter(training_class=c).select_related("training_class").first()
    if q is None:
        raise Http404
    return c, q


@login_required
@require_POST
def quiz_question(request, pk):
    """Add a question to the draft quiz."""
    c, q = _writer_quiz(request, pk)
    form = quiz_forms.QuestionForm(request.POST)
    if not form.is_valid():
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errs:
                messages.error(request, f"{label}：{e}" if label else e)
        return redirect("training-quiz", pk=c.pk)
    d = form.cleaned_data
    try:
        quizzes.quiz_question_add(quiz=q, kind=d["kind"], text=d["text"], options=d["option_list"],
                                  key=d["key_list"], points=d["points"], actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已添加题目"))
    return redirect("training-quiz", pk=c.pk)


@login_required
@require_POST
def quiz_question_delete(request, pk, question_pk):
    c, q = _writer_quiz(request, pk)
    question = q.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404
    try:
        quizzes.quiz_question_remove(question=question, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已删除题目"))
    return redirect("training-quiz", pk=c.pk)


@login_required
@require_POST
def quiz_state(request, pk):
    """开放 or 结束 the quiz."""
    c, q = _writer_quiz(request, pk)
    to = choice_param(request.POST, "to", QuizStatus.values)
    try:
        quizzes.quiz_transition(quiz=q, to=to, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("测试已开放") if to == QuizStatus.OPEN else _("测试已结束"))
    return redirect("training-quiz", pk=c.pk)


@login_required
@require_POST
def quiz_submit(request, pk):
    """交卷 (the member's phone): answers `q<question id>` = option indices; marked at once."""
    c = _class_get(request.user, pk)
    policy.require(request.user, "quiz_take")
    person = selectors.my_person(request.user)
    q = Quiz.objects.filter(training_class=c).first()
    if person is None or q is None:
        raise Http404
    answers = {}
    for name in request.POST:
        if name.startswith("q") and name[1:].isdigit():
            answers[name[1:]] = [v for v in request.POST.getlist(name)[:10]]
    try:
        row = quizzes.quiz_submit(quiz=q, person=person, answers=answers, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已交卷，成绩 %(s)s 分") % {"s": floatformat(row.score, -1)})
    return redirect("training-quiz", pk=c.pk)


@login_required
def certificate_pdf(request, pk, member_pk):
    """结业证书 (.pdf): the same number and words as the .docx."""
    c = _class_get(request.user, pk)
    m = policy.get(ClassMember.objects.filter(training_class=c).select_related("person"), request.user, member_pk)
    if not m.certificate_no:
        raise Http404
    resp = HttpResponse(certificates.render_pdf(member=m, training_class=c), content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="certificate-{m.certificate_no}.pdf"'
    return resp


def _roster_ctx(request, s, manager: bool) -> dict:
    return {"s": s, "manager": manager,
            "page": selectors.roster_page(user=request.user, session=s, q=request.GET.get("q", "")[:50],
                                          page=page_param(request.GET))}


@login_required
def session_roster(request, pk):
    """The session's enrolled cadres a page at a time with a search by name (HTMX swaps it into the session page)."""
    s = selectors.session_get(user=request.user, pk=pk)
    return render(request, "training/_roster.html", _roster_ctx(request, s, services.is_manager(request.user, s)))
