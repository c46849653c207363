"""Pages of the case engine: staff lists and case pages, the enterprise portal, the private follow link, stats."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.core.excel import WorkbookRejected
from bole.core.figures import values
from bole.core.params import id_param, page_param, year_param
from bole.engines.holiday_notice import parse_rows
from bole.engines.workcal import OFFICIAL_ARRANGEMENTS

from . import selectors, services
from .calendar import calendar_note, holiday_label, local_today, work_calendar
from .choices import RUNNING_STATES, Action, Colour, State, SubmitterKind, TaskState
from .forms import (
    AssignForm,
    CalendarConfirmForm,
    CalendarEntryForm,
    CalendarImportForm,
    CalendarYearForm,
    CaseSubmitForm,
    MeetingForm,
    RateForm,
    ReassignForm,
    TaskWorkForm,
    notice_title,
)
from .holiday_import import problem_line, read_arrangement
from .models import Attachment, CalendarEntry, CalendarYear, CaseTask, Desk
from .permissions import (
    is_desk_staff,
    is_handler,
    is_submitter,
    may_act,
    may_configure,
    may_record_meeting,
    may_work_task,
    policy,
)

PAGE_SIZE = 50


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(" ".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


def _staff_kind(user) -> bool:
    return policy.may(user, "list") or Desk.objects.filter(handlers=user).exists()


@login_required
def case_list(request):
    """Staff list: desk, state, colour, unit, category, month filters; newest first; no full count on big tables."""
    if policy.may(request.user, "portal"):
        return redirect("cases-portal")
    params = request.GET
    page = page_param(params)
    order = params.get("sort", "") if params.get("sort", "") in selectors.LIST_ORDERS else "-id"
    rows = selectors.case_page(user=request.user, params=params, start=(page - 1) * PAGE_SIZE,
                               limit=PAGE_SIZE + 1, order=order)
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    body = selectors.rows_html(rows, escalated_label=_("督办"))
    gaps = selectors.calendar_gaps([(r["id"], r["state"], r["deadline"], r["received_on"]) for r in rows])
    desks, categories = selectors.desk_choices(user=request.user, desk=id_param(params, "desk"))
    query = params.copy()
    query.pop("page", None)
    ctx = {
        "rows": rows, "body": body, "page": page, "has_next": has_next, "query": query.urlencode(),
        "desks": desks, "categories": categories, "states": State.choices, "colours": Colour.choices,
        "params": params, "calendar_note": calendar_note(y for years in gaps.values() for y in years),
    }
    template = "cases/_list_table.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(request, template, ctx)


def _actions_for(user, case) -> list[str]:
    return [a for a in services.allowed_actions(case) if may_act(user, case, a)]


@login_required
def case_detail(request, pk):
    """A case: facts, traffic light, tasks, meetings, attachments, timeline and the actions this user may take."""
    case = selectors.case_get(user=request.user, pk=pk)
    actions = _actions_for(request.user, case)
    ctx = _detail_context(case, actions)
    assign_form = AssignForm(desk=case.desk, user=request.user) if {Action.ASSIGN, Action.ARBITRATE} & set(actions) \
        else None
    # Each sub-task with the form for it when this user may work on it (open, and theirs or the desk's).
    desk_staff = is_desk_staff(request.user, case.desk)
    task_rows = [(t, TaskWorkForm(prefix=f"t{t.pk}", user=request.user, initial={"owner": t.owner_id})
                  if t.state == TaskState.OPEN and may_work_task(request.user, t) else None,
                  ReassignForm(prefix=f"r{t.pk}", desk=case.desk, user=request.user)
                  if desk_staff and t.state == TaskState.DECLINED else None) for t in ctx["tasks"]]
    forms_here = [f for f in [assign_form, *(f for row in task_rows for f in row[1:])] if f is not None]
    ctx.update({
        "assign_form": assign_form, "task_rows": task_rows, "media": forms_here[0].media if forms_here else "",
        "rate_form": RateForm() if Action.RATE in actions else None,
        "can_meet": (is_desk_staff(request.user, case.desk) or is_handler(request.user, case))
        and case.state not in {State.CLOSED, State.MERGED, State.REJECTED},
        "is_desk_staff": desk_staff,
        "duplicates": services.case_find_duplicates(
            desk=case.desk, text=f"{case.title}{case.description}", category=case.category,
            location=case.location, submitter_enterprise=case.submitter_enterprise,
            submitter_phone=case.submitter_phone, exclude=case) if Action.MERGE in actions else [],
    })
    return render(request, "cases/detail.html", ctx)


def _detail_context(case, actions):
    return {
        "case": case, "actions": actions, "colour": selectors.case_colour(case),
        "tasks": list(case.tasks.select_related("unit", "owner")),
        "meetings": list(case.meetings.prefetch_related("units", "decisions__owner_unit")),
        "attachments": list(case.attachments.all()),
        "events": list(case.events.all()),
        "declines": list(case.declines.select_related("unit")),
        "action_labels": dict(Action.choices),
        **_time_left(case),
        "calendar_note": calendar_note(selectors.calendar_gaps(
            [(case.pk, case.state, case.deadline, case.received_on)])[case.pk]),
    }


def _time_left(case) -> dict:
    """Working days left before a running case's deadline, or how many it is past it: 已超期 counts as the
    escalation sweep does (working days after the deadline up to today)."""
    if not case.deadline or case.state not in RUNNING_STATES:
        return {"remaining": None, "overdue": None}
    today = local_today()
    if today <= case.deadline:
        return {"remaining": work_calendar().workdays_in_range(today + dt.timedelta(days=1), case.deadline),
                "overdue": None}
    return {"remaining": None, "overdue": work_calendar().workdays_between(case.deadline, today)}


@login_required
@require_POST
def case_act(request, pk):
    """Run one transition from a case page's form."""
    case = selectors.case_get(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    params: dict = {"note": request.POST.get("note", "")}
    if action in {Action.ASSIGN, Action.ARBITRATE}:
        form = AssignForm(request.POST, desk=case.desk, user=request.user)
        if not form.is_valid():
            messages.error(request, _("请检查交办信息：") + "；".join(
                f"{form.fields[k].label}{' '.join(v)}" for k, v in form.errors.items()))
            return redirect("cases-detail", pk=pk)
        params.update(lead_unit=form.cleaned_data["lead_unit"], owner=form.cleaned_data["owner"])
        if action == Action.ASSIGN and form.cleaned_data["co_unit"]:
            params["co_units"] = [{"unit": form.cleaned_data["co_unit"], "description": form.cleaned_data["co_task"],
                                   "deadline_days": form.cleaned_data["co_days"] or 5,
                                   "owner": form.cleaned_data["co_owner"]}]
    elif action == Action.REJECT or action == Action.DECLINE:
        params["reason"] = request.POST.get("reason", "")
    elif action == Action.RESOLVE:
        params["resolution"] = request.POST.get("resolution", "")
        params["attachments"] = request.FILES.getlist("attachments")
    elif action == Action.RATE:
        params.update(rating=request.POST.get("rating", ""), comment=request.POST.get("comment", ""))
    elif action == Action.MERGE:
        into = request.POST.get("into", "")
        params["into"] = selectors.case_list(user=request.user).filter(pk=into).first() if into.isdigit() else None
    try:
        services.case_transition(case=case, action=action, actor=request.user, **params)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已完成：%(a)s") % {"a": dict(Action.choices).get(action, action)})
    if policy.may(request.user, "portal") and action == Action.RATE:
        return redirect("cases-portal")
    return redirect("cases-detail", pk=pk)


@login_required
@require_POST
def task_act(request, pk):
    """Name the owner of, complete, decline or (desk) re-assign a co-unit sub-task."""
    task = get_object_or_404(CaseTask.objects.select_related("case__desk"), pk=pk)
    selectors.case_get(user=request.user, pk=task.case_id)
    op = request.POST.get("op")
    form = TaskWorkForm(request.POST, prefix=f"t{task.pk}", user=request.user)
    if op in {"owner", "complete", "decline"} and not form.is_valid():
        messages.error(request, "；".join(" ".join(v) for v in form.errors.values()))
        return redirect("cases-detail", pk=task.case_id)
    try:
        if op == "owner":
            services.task_owner_set(task=task, owner=form.cleaned_data["owner"], actor=request.user)
        elif op == "complete":
            services.task_complete(task=task, result=form.cleaned_data["text"], owner=form.cleaned_data["owner"],
                                   actor=request.user)
        elif op == "decline":
            services.task_decline(task=task, reason=form.cleaned_data["text"], actor=request.user)
        elif op == "reassign":
            reassign = ReassignForm(request.POST, prefix=f"r{task.pk}", desk=task.case.desk, user=request.user)
            if not reassign.is_valid():
                raise ValidationError(reassign.errors["unit"])
            services.task_reassign(task=task, unit=reassign.cleaned_data["unit"], actor=request.user)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("cases-detail", pk=task.case_id)


@login_required
def meeting_new(request, pk):
    """Record a coordination meeting (协调会) for a case."""
    case = selectors.case_get(user=request.user, pk=pk)
    if not may_record_meeting(request.user, case):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, user=request.user,
                       initial={"held_at": dt.datetime.now().strftime("%Y-%m-%dT%H:%M")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        decisions = []
        if d["decision"]:
            decisions.append({"text": d["decision"], "owner_unit": d["decision_unit"],
                              "deadline": d["decision_deadline"]})
        try:
            services.meeting_record(case=case, held_at=d["held_at"], place=d["place"], units=d["units"],
                                    other_attendees=d["other_attendees"], minutes=d["minutes"],
                                    decisions=decisions, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("协调会已记录"))
            return redirect("cases-detail", pk=pk)
    return render(request, "cases/meeting_form.html", {"case": case, "form": form})


def attachment_download(request, pk):
    """An attachment, to whoever may see its case (or holds the case's private link)."""
    att = get_object_or_404(Attachment.objects.select_related("case"), pk=pk)
    token = request.GET.get("t", "")
    if not (token and is_submitter(None, att.case, token)):
        if not request.user.is_authenticated:
            raise Http404
        selectors.case_get(user=request.user, pk=att.case_id)
    response = FileResponse(att.file.open("rb"), content_type=att.content_type)
    response["Content-Disposition"] = "inline" if att.content_type.startswith("image/") else "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# --- enterprise portal -----------------------------------------------------------------------------


@login_required
def portal(request):
    """Enterprise portal: my cases with their state and light, and where to file a new one."""
    if not policy.may(request.user, "portal"):
        return redirect("cases-list")
    rows = list(selectors.case_list(user=request.user).select_related("desk", "category").order_by("-id")[:200])
    colours = selectors.colours_for(rows)
    for r in rows:
        r.colour = colours.get(r.pk, "")
        r.can_rate = r.state == State.RESOLVED
    gaps = selectors.calendar_gaps([(r.pk, r.state, r.deadline, r.received_on) for r in rows])
    desks = [d for d in selectors.desk_list(user=request.user) if SubmitterKind.ENTERPRISE in d.submitter_kinds]
    return render(request, "cases/portal.html", {
        "rows": rows, "desks": desks, "calendar_note": calendar_note(y for years in gaps.values() for y in years)})


@login_required
def portal_submit(request, code):
    """An enterprise files a problem; similar open problems are shown first (duplicate suggestion)."""
    policy.require(request.user, "portal")
    desk = get_object_or_404(selectors.desk_list(user=request.user), code=code)
    form = CaseSubmitForm(request.POST or None, request.FILES or None, desk=desk)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        enterprise = request.user.account.enterprise
        duplicates = services.case_find_duplicates(
            desk=desk, text=f"{d['title']}{d['description']}", category=d["category"], location=d["location"],
            submitter_enterprise=enterprise)
        if not duplicates or request.POST.get("confirm") == "1":
            try:
                case = services.case_submit(
                    desk=desk, category=d["category"], title=d["title"], description=d["description"],
                    location=d["location"], submitter_kind=SubmitterKind.ENTERPRISE, submitter_enterprise=enterprise,
                    submitter_name=d["contact_name"], submitter_phone=d["contact_phone"],
                    attachments=d["attachments"], actor=request.user)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("已提交，编号 %(n)s") % {"n": case.number})
                return redirect("cases-detail", pk=case.pk)
    return render(request, "cases/submit.html", {"desk": desk, "form": form, "duplicates": duplicates})


# --- private follow link (no login) ---------------------------------------------------------------


def follow(request, token):
    """A submitter's private page: state, light, timeline, and the rating form once resolved."""
    case = selectors.case_by_token(token)
    if case is None:
        raise Http404
    form = RateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_transition(case=case, action=Action.RATE, actor=None, token=token,
                                         rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else _("无权操作"))
            else:
                messages.success(request, _("感谢您的评价"))
            return redirect("cases-follow", token=token)
    ctx = _detail_context(case, [])
    ctx.update({"rate_form": form if case.state == State.RESOLVED else None, "token": token,
                "public_events": [e for e in ctx["events"] if e.kind in {"submit", "transition", "meeting"}]})
    response = render(request, "cases/follow.html", ctx)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- desks, calendar, stats ------------------------------------------------------------------------


@login_required
def desk_list(request):
    """The desks as configuration: who submits, categories and deadlines, units, escalation steps."""
    policy.require(request.user, "list")  # the staff and the persons handling cases; an enterprise has its portal
    desks = selectors.desk_list(user=request.user).prefetch_related("categories", "assignable_units")
    return render(request, "cases/desks.html", {"desks": desks, "declines": selectors.decline_counts(
        user=request.user)[:20], "can_configure": may_configure(request.user)})


@login_required
@require_POST
def calendar_entry_remove(request, pk):
    """County administrators take back a mistaken entry (the service refuses anyone else)."""
    entry = get_object_or_404(CalendarEntry, pk=pk)
    services.calendar_entry_remove(entry=entry, actor=request.user)
    messages.success(request, _("已删除：%(e)s") % {"e": entry})
    return redirect("cases-calendar")


def _calendar_years(year: int) -> dict:
    """What the page says about one year: known (shipped or confirmed), its entries, its confirmation."""
    shipped = year in OFFICIAL_ARRANGEMENTS
    confirmed = CalendarYear.objects.filter(year=year).select_related("entered_by").first()
    return {"shipped": shipped, "confirmed": confirmed, "known": shipped or confirmed is not None,
            "holiday_entries": CalendarEntry.objects.filter(date__year=year, kind="holiday").count()}


@login_required
def calendar_page(request):
    """The working calendar: shipped arrangements plus entries an admin adds (a new year's notice)."""
    policy.require(request.user, "list")
    is_admin = may_configure(request.user)
    form = CalendarEntryForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.calendar_entry_add(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("已添加"))
                return redirect(f"{reverse('cases-calendar')}?year={form.cleaned_data['date'].year}")
    cal = work_calendar()
    year = year_param(request.GET, "year", local_today().year)
    days = []
    for name_map, kind in ((cal.holiday_names, _("放假")), (cal.workday_names, _("调休上班"))):
        days += [(d, kind, holiday_label(n)) for d, n in name_map.items() if d.year == year]
    status = _calendar_years(year)
    confirm_form = (CalendarYearForm(initial={"year": year, "notice": notice_title(year)})
                    if is_admin and not status["known"] and status["holiday_entries"] else None)
    return render(request, "cases/calendar.html", {
        "form": form if is_admin else None, "entries": CalendarEntry.objects.filter(date__year=year),
        "days": sorted(days), "year": year, "covered": sorted(cal.covered_years), "status": status,
        "confirmed_years": CalendarYear.objects.select_related("entered_by"), "confirm_form": confirm_form,
        "can_configure": is_admin, "note": "" if status["known"] else calendar_note([year])})


@login_required
@require_POST
def calendar_year_confirm(request):
    """A county administrator declares a year's arrangement complete after entering it day by day."""
    policy.require(request.user, "configure")
    form = CalendarYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(" ".join(v) for v in form.errors.values()))
        return redirect("cases-calendar")
    year = form.cleaned_data["year"]
    try:
        services.calendar_year_confirm(year=year, notice=form.cleaned_data["notice"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(year)s 年的节假日安排已确认完整") % {"year": year})
    return redirect(f"{reverse('cases-calendar')}?year={year}")


def _preview_rows(result) -> str:
    """The previewed entries as the rows the confirmation sends back (date, kind, name per line)."""
    return "\n".join(f"{d.isoformat()}\t{kind}\t{name}" for d, kind, name in result.entries())


@login_required
def calendar_import(request):
    """Import a year's arrangement from the State Council notice's text and/or a sheet: a preview of what was
    read (or every refused line with its reason), then one confirmation writes it all and marks the year known."""
    policy.require(request.user, "configure")
    next_year = local_today().year + 1
    form = CalendarImportForm(initial={"year": year_param(request.GET, "year", next_year)})
    preview = problems = None
    if request.method == "POST" and request.POST.get("op") == "confirm":
        confirm = CalendarConfirmForm(request.POST)
        if not confirm.is_valid():
            raise PermissionDenied  # the hidden fields come from our own preview
        year = confirm.cleaned_data["year"]
        rows = [tuple(line.split("\t", 2)) for line in confirm.cleaned_data["rows"].splitlines() if line.strip()]
        result = parse_rows(rows, year=year)
        if not result.ok:
            messages.error(request, "；".join("：".join(problem_line(p)) for p in result.problems)
                           or _("没有放假日期"))
            return redirect(f"{reverse('cases-calendar-import')}?year={year}")
        try:
            services.calendar_import(year=year, notice=confirm.cleaned_data["notice"], entries=result.entries(),
                                     actor=request.user)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect(f"{reverse('cases-calendar-import')}?year={year}")
        messages.success(request, _("已导入 %(year)s 年节假日安排：放假 %(h)s 天，调休上班 %(w)s 天") % {
            "year": year, "h": len(result.holidays), "w": len(result.workdays)})
        return redirect(f"{reverse('cases-calendar')}?year={year}")
    if request.method == "POST":
        form = CalendarImportForm(request.POST, request.FILES)
        if form.is_valid():
            year = form.cleaned_data["year"]
            upload = form.cleaned_data.get("sheet")
            try:
                result = read_arrangement(year=year, text=form.cleaned_data["text"],
                                          sheet=upload.read() if upload else None)
            except WorkbookRejected as exc:
                form.add_error("sheet", str(exc))
            else:
                if result.ok:
                    notice = form.cleaned_data["notice"].strip() or notice_title(year)
                    preview = {"year": year, "notice": notice, "result": result,
                               "known": _calendar_years(year)["known"],
                               "replaced": CalendarEntry.objects.filter(date__year=year).count(),
                               "form": CalendarConfirmForm(initial={"year": year, "notice": notice,
                                                                    "rows": _preview_rows(result)})}
                else:
                    problems = [problem_line(p) for p in result.problems]
    return render(request, "cases/calendar_import.html", {"form": form, "preview": preview, "problems": problems})


@login_required
def stats(request):
    """Statistics by desk, category, unit, state or month, from the records, with charts."""
    if not _staff_kind(request.user):
        raise PermissionDenied
    by = request.GET.get("by", "desk")
    desk = request.GET.get("desk", "")
    # The current year by default (what the department reviews); "all" for every year on record.
    year = request.GET.get("year", str(local_today().year))
    year_n = None if year == "all" else year_param(request.GET, "year", local_today().year)
    desk_id = id_param(request.GET, "desk")
    rows = selectors.case_stats(user=request.user, by=by, desk=desk_id, year=year_n)
    total = selectors.case_totals(rows)
    same = by == "desk" and desk_id is None
    figures = selectors.headline_figures(user=request.user, desk_rows=rows if same else None, year=year_n)
    figures.update(values(user=request.user, only={"community"}))  # the branches beside the desks' figures
    chart = {
        "labels": [r.label for r in rows], "total": [r.total for r in rows],
        "resolved": [r.resolved for r in rows],
        "on_time_rate": [round(100 * r.on_time_rate, 1) if r.on_time_rate is not None else None for r in rows],
        "satisfaction": [round(100 * r.satisfaction, 1) if r.satisfaction is not None else None for r in rows],
        "names": [_("件数"), _("已办结"), _("按期率%"), _("满意率%")],
        "log_note": _("件数（对数刻度）"),
    }
    return render(request, "cases/stats.html", {
        "rows": rows, "total": total, "by": by, "figures": figures, "chart": chart,
        "desks": selectors.desk_list(user=request.user), "desk": desk, "year": year,
        "dimensions": [("desk", _("受理台")), ("category", _("类别")), ("unit", _("承办单位")),
                       ("state", _("状态")), ("month", _("月份"))],
    })


def not_allowed(request):
    return HttpResponseNotAllowed(["POST"])


def follow_url(case) -> str:
    """The private link of a case (shown once to the submitter)."""
    return reverse("cases-follow", kwargs={"token": case.follow_token})
