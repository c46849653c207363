"""Pages of the talent register: the list (keyset pages), a talent's record and lifecycle, the talent's own phone
page, the lifecycle overview, 红领创客 with the household panel, startup projects; Excel in and out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.core.params import id_param
from bole.core.register_jobs import XLSX, export_inline_max, export_submit
from bole.core.registers import export_register, template_for
from bole.core.views import Filter, RegisterPages, import_view
from bole.org.selectors import person_list

from . import contests as contest_services
from . import forms, selectors, services
from .choices import ContestStatus, LeaveReason, Origin, Stage, TalentLevel, TalentStatus
from .models import Creator, Household, StartupProject, Talent, TalentContest
from .permissions import policy
from .registers import TALENTS
from .services import TRANSITIONS


def _apply(request, call) -> bool:
    """Run one service call; its refusal becomes messages on the page."""
    try:
        call()
        return True
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    return False


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for msg in errors:
            messages.error(request, msg)


def _choice_filter(name, label, choices, field=None):
    return Filter(name, label, lambda user: list(choices), lambda qs, v: qs.filter(**{field or name: v})
                  if v in dict(choices) else qs)


# The register's Excel import and background export use the generic register machinery.
PAGES = {
    "talents": RegisterPages(
        register=TALENTS, url_name="talent", list_columns=[], detail_fields=[], selector=selectors.talent_list,
        index="bole.talent.views.PAGES",
        filters=[_choice_filter("level", _("人才层次"), TalentLevel.choices),
                 _choice_filter("stage", _("阶段"), Stage.choices),
                 _choice_filter("status", _("状态"), TalentStatus.choices),
                 _choice_filter("origin", _("来源"), Origin.choices),
                 Filter("field", _("专业领域"), lambda user: [], lambda qs, v: qs.filter(field__startswith=v))],
    ),
}


@login_required
def talent_list(request):
    """人才库: search by name, pinyin, employer or field; filters; 50 a page by keyset (newest first)."""
    policy.require(request.user, "menu")
    f = selectors.Filters.of(request.GET)
    qs = selectors.talent_filtered(user=request.user, f=f)
    rows, nxt = selectors.talent_page(qs, after=id_param(request.GET, "after"))
    count, more = selectors.bounded_count(qs)
    params = request.GET.copy()
    params.pop("after", None)
    ctx = {
        "rows": rows, "next": nxt, "count": count, "more": more, "f": f, "query": params.urlencode(),
        "levels": TalentLevel.choices, "stages": Stage.choices, "statuses": TalentStatus.choices,
        "origins": Origin.choices, "first_page": not request.GET.get("after"),
        "can_add": policy.allows(request.user, "add", Talent) and policy.may(request.user, "manage"),
        "can_export": policy.allows(request.user, "export", Talent),
        "can_import": policy.allows(request.user, "import", Talent),
        "overdue": selectors.overdue_activities(user=request.user)[:1].count() if not f.q else 0,
    }
    template = "talent/_rows.html" if request.headers.get("HX-Request") else "talent/list.html"
    return render(request, template, ctx)


@login_required
def talent_create(request):
    policy.require(request.user, "manage")
    if not policy.allows(request.user, "add", Talent):
        raise PermissionDenied
    form = forms.TalentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        found = person_list(user=request.user).filter(id_digest=services.id_digest_of(data["id_number"])).first() \
            if data.get("id_number") else None
        try:
            talent = services.talent_create(actor=request.user, person=found, **data)
            return redirect("talent-detail", talent.pk)
        except ValidationError as exc:
            for key, errs in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errs)
    return render(request, "talent/form.html", {"form": form, "title": _("登记人才")})


@login_required
def talent_edit(request, pk):
    """Change a talent's register fields with the register's validation; the stage moves only on the lifecycle."""
    talent = selectors.talent_get(user=request.user, pk=pk, action="change")
    policy.require(request.user, "manage")
    initial = {f: getattr(talent, f) for f in ("name", "level", "category", "field", "industry", "education",
                                               "origin", "arrival_date")}
    initial.update(employer=talent.employer_id, region=talent.region_id)
    form = forms.TalentEditForm(request.POST or None, user=request.user, talent=talent, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not (k == "phone" and not v)}
        try:
            services.talent_update(talent=talent, actor=request.user, **data)
            messages.success(request, _("已保存"))
            return redirect("talent-detail", talent.pk)
        except ValidationError as exc:
            for key, errs in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errs)
    return render(request, "talent/form.html", {"form": form, "title": _("修改人才信息：%(n)s") % {"n": talent.name},
                                                "back": talent})


@login_required
def talent_detail(request, pk):
    """A talent's record: register fields (personal data masked; the logged reveal), the lifecycle with its
    checklist and timeline, the liaison, and the service requests."""
    talent = selectors.talent_get(user=request.user, pk=pk)
    user = request.user
    manager = policy.may(user, "transition", talent)
    liaison = services.is_liaison(user, talent)
    revealed = None
    may_reveal = policy.may(user, "view_sensitive", talent)
    if request.GET.get("reveal") == "1" and may_reveal:
        revealed = services.talent_reveal(talent=talent, actor=user)
    ctx = {
        "t": talent, "manager": manager, "liaison": liaison, "may_reveal": may_reveal, "revealed": revealed,
        "timeline": selectors.timeline(talent), "checklist": selectors.checklist(talent),
        "moves": [s for s in Stage if s.value in TRANSITIONS.get(talent.stage, set())],
        "reasons": LeaveReason.choices,
        "cases": list(selectors.service_cases(talent)[:20]) if (manager or liaison or talent.person_id and
                                                                 policy.may(user, "view", talent)) else [],
        "liaison_form": forms.LiaisonForm(initial={"liaison": talent.liaison_id}, user=user)
        if policy.may(user, "change", talent) else None,
        "request_form": forms.RequestForm() if talent.status == TalentStatus.ACTIVE and (manager or liaison) else None,
        "open_here": services.open_activities(talent), "today": timezone.localdate(),
        "can_edit": policy.may(user, "change", talent),
        "awards": selectors.awards_of(talent=talent),
    }
    return render(request, "talent/detail.html", ctx)


@login_required
@require_POST
def talent_stage(request, pk):
    talent = selectors.talent_get(user=request.user, pk=pk, action="transition")
    form = forms.StageForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if _apply(request, lambda: services.talent_transition(
                talent=talent, to_stage=d["to"], actor=request.user, on=d["on"], note=d["note"],
                reason=d["reason"] or "", interview=d["interview"] or "")):
            messages.success(request, _("已转入“%(s)s”阶段") % {"s": Stage(d["to"]).label})
    else:
        _form_errors(request, form)
    return redirect("talent-detail", talent.pk)


@login_required
@require_POST
def activity_done(request, pk, activity_pk):
    talent = selectors.talent_get(user=request.user, pk=pk)
    activity = talent.activities.filter(pk=activity_pk).first()
    if activity is None:
        raise PermissionDenied
    skip = request.POST.get("skip") == "1"
    if _apply(request, lambda: services.activity_complete(activity=activity, actor=request.user, skip=skip,
                                                         note=request.POST.get("note", ""))):
        messages.success(request, _("事项已办结：%(n)s") % {"n": activity.name})
    return redirect("talent-detail", talent.pk)


@login_required
@require_POST
def talent_liaison(request, pk):
    talent = selectors.talent_get(user=request.user, pk=pk, action="change")
    form = forms.LiaisonForm(request.POST, user=request.user)
    if form.is_valid():
        _apply(request, lambda: services.liaison_assign(talent=talent, liaison=form.cleaned_data["liaison"],
                                                        actor=request.user))
    else:
        _form_errors(request, form)
    return redirect("talent-detail", talent.pk)


@login_required
def talent_request(request, pk):
    """A service request on the talent desk, by the talent (phone) or the liaison/staff on their behalf."""
    talent = selectors.talent_get(user=request.user, pk=pk)
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = None

        def submit():
            nonlocal case
            case = services.service_request(talent=talent, title=d["title"], description=d["description"],
                                            category=d["category"], actor=request.user)

        if _apply(request, submit):
            messages.success(request, _("服务需求已提交：%(n)s") % {"n": case.number})
            return redirect("cases-detail", case.pk)
    elif request.method == "POST":
        _form_errors(request, form)
    return render(request, "talent/request.html", {"t": talent, "form": form})


@login_required
def talent_mine(request):
    """我的人才服务 (phone): my record, my liaison, my stage's checklist, my requests and their ratings."""
    policy.require(request.user, "mine")
    talent = selectors.my_talent(user=request.user)
    ctx = {"t": talent}
    if talent is not None:
        ctx.update({
            "checklist": [a for a in selectors.checklist(talent) if a.stage == talent.stage],
            "cases": list(selectors.service_cases(talent)[:20]),
            "form": forms.RequestForm() if talent.status == TalentStatus.ACTIVE else None,
            "timeline": selectors.timeline(talent),
        })
    return render(request, "talent/mine.html", ctx)


@login_required
def liaison_home(request):
    """人才专员: the talents I look after, with their open items."""
    policy.require(request.user, "liaise")
    talents = list(selectors.liaised(user=request.user)[:200])
    return render(request, "talent/liaison.html", {"talents": talents})


@login_required
def lifecycle(request):
    """The lifecycle across the register: talents per stage, overdue checklist items, retention, templates."""
    policy.require(request.user, "menu")
    user = request.user
    qs = selectors.talent_list(user=user)
    per_stage = dict(qs.order_by().values_list("stage").annotate(n=Count("id")))
    keep = selectors.retention(qs)
    form = forms.TemplateForm(request.POST or None) if policy.may(user, "configure") else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            if _apply(request, lambda: services.template_save(actor=user, **form.cleaned_data)):
                messages.success(request, _("已添加阶段事项"))
                return redirect("talent-lifecycle")
        else:
            _form_errors(request, form)
    ctx = {
        "stages": [(s, per_stage.get(s.value, 0)) for s in Stage],
        "overdue": list(selectors.overdue_activities(user=user)[:100]),
        "retention": [(m, c, k, round(100 * k / c, 1) if c else None) for m, (c, k) in keep.items()],
        "templates": selectors.templates(), "form": form,
    }
    return render(request, "talent/lifecycle.html", ctx)


@login_required
def talent_export(request):
    if not policy.allows(request.user, "export", Talent):
        raise PermissionDenied
    f = selectors.Filters.of(request.GET)
    qs = selectors.talent_filtered(user=request.user, f=f, action="export").order_by("id")
    count, more = selectors.bounded_count(qs)
    if more or count > export_inline_max():
        query = {k: v for k, v in request.GET.items() if k in {"q", "level", "stage", "status", "origin", "field"}}
        job = export_submit(pages_index="bole.talent.views.PAGES", key="talents", owner=request.user,
                            query={**query, "active": "all"}, label=str(TALENTS.label))
        return redirect(reverse("job-detail", args=[job.pk]))
    resp = HttpResponse(export_register(register=TALENTS, queryset=qs.select_related("employer"), actor=request.user),
                        content_type=XLSX)
    resp["Content-Disposition"] = "attachment; filename=talents.xlsx"
    return resp


@login_required
def talent_template(request):
    if not policy.allows(request.user, "import", Talent):
        raise PermissionDenied
    resp = HttpResponse(template_for(TALENTS, request.user), content_type=XLSX)
    resp["Content-Disposition"] = "attachment; filename=talents-template.xlsx"
    return resp


@login_required
def talent_import(request):
    return import_view(request, PAGES["talents"])


# --- 红领创客 ----------------------------------------------------------------------------------------------------


@login_required
def creators(request):
    """红领创客: the creators, their households and the income panel's median change with its coverage."""
    policy.require(request.user, "menu")
    user = request.user
    households = selectors.household_list(user=user)
    form = forms.CreatorForm(request.POST or None, user=user) if policy.allows(user, "add", Creator) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            if _apply(request, lambda: services.creator_create(actor=user, **form.cleaned_data)):
                return redirect("talent-creators")
        else:
            _form_errors(request, form)
    ctx = {"creators": list(selectors.creator_list(user=user)[:300]), "panel": selectors.panel_change(households),
           "missed": selectors.missed_waves(households), "form": form}
    return render(request, "talent/creators.html", ctx)


@login_required
def creator_detail(request, pk):
    user = request.user
    creator = policy.get(Creator.objects.select_related("village", "talent"), user, pk)
    can = policy.may(user, "change", creator)
    hform = forms.HouseholdForm(request.POST or None, prefix="h") if can else None
    sform = forms.SupportForm(request.POST or None, prefix="s") if can else None
    if request.method == "POST":
        if not can:
            raise PermissionDenied
        if "h-head" in request.POST and hform.is_valid():
            d = hform.cleaned_data
            if _apply(request, lambda: services.household_link(
                    actor=user, creator=creator, head=d["head"], village=creator.village, linked_on=d["linked_on"],
                    link=d["link"], baseline_income=d["baseline_income"])):
                return redirect("talent-creator", creator.pk)
        elif "s-kind" in request.POST and sform.is_valid():
            d = sform.cleaned_data
            if _apply(request, lambda: services.support_add(actor=user, creator=creator, kind=d["kind"], on=d["on"],
                                                           note=d["note"], amount=d["amount"] or 0)):
                return redirect("talent-creator", creator.pk)
        else:
            messages.error(request, _("请检查填写的内容"))
    households = creator.households.select_related("village").prefetch_related("surveys")
    panel = selectors.panel_change(Household.objects.filter(creator=creator))
    ctx = {"c": creator, "can": can, "hform": hform, "sform": sform, "panel": panel,
           "households": [(h, selectors.panel_grid(h)) for h in households[:200]],
           "supports": list(creator.supports.all()[:50])}
    return render(request, "talent/creator.html", ctx)


@login_required
@require_POST
def household_survey(request, pk):
    household = policy.get(Household.objects.select_related("creator"), request.user, pk)
    form = forms.SurveyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _apply(request, lambda: services.survey_record(actor=request.user, household=household, wave=d["wave"],
                                                      income=d["income"], surveyed_on=d["surveyed_on"],
                                                      missed=d["missed"]))
    else:
        _form_errors(request, form)
    return redirect("talent-creator", household.creator_id)


# --- startup projects ------------------------------------------------------------------------------------------


@login_required
def projects(request):
    policy.require(request.user, "menu")
    qs = selectors.project_list(user=request.user)
    return render(request, "talent/projects.html", {
        "projects": list(qs.order_by("-id")[:300]), "totals": selectors.project_totals(qs),
        "can_add": policy.may(request.user, "manage") and policy.allows(request.user, "add", StartupProject)})


@login_required
def project_create(request):
    """Register a 硕士以上创业项目 with its founders from the talent register."""
    policy.require(request.user, "manage")
    if not policy.allows(request.user, "add", StartupProject):
        raise PermissionDenied
    form = forms.ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["founders"] = list(d["founders"])
        d["investment"], d["revenue"] = d["investment"] or 0, d["revenue"] or 0
        try:
            project = services.project_create(actor=request.user, **d)
            return redirect("talent-project", project.pk)
        except ValidationError as exc:
            for key, errs in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errs)
    return render(request, "talent/project_form.html", {"form": form, "title": _("登记创业项目")})


@login_required
def project_edit(request, pk):
    project = policy.get(StartupProject.objects.all(), request.user, pk, "change")
    policy.require(request.user, "manage")
    form = forms.ProjectEditForm(request.POST or None, initial={
        "field": project.field, "stage": project.stage, "investment": project.investment,
        "revenue": project.revenue})
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(actor=request.user, project=project, **form.cleaned_data)
            messages.success(request, _("已保存"))
            return redirect("talent-project", project.pk)
        except ValidationError as exc:
            for key, errs in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errs)
    return render(request, "talent/project_form.html", {"form": form, "p": project,
                                                        "title": _("修改创业项目：%(n)s") % {"n": project.name}})


@login_required
def project_detail(request, pk):
    project = policy.get(StartupProject.objects.prefetch_related("founders", "milestones", "supports"),
                         request.user, pk)
    can = policy.may(request.user, "change", project) and policy.may(request.user, "manage")
    return render(request, "talent/project.html", {"p": project, "can": can,
                                                   "awards": selectors.awards_of(project=project)})


# --- 人才大赛 ---------------------------------------------------------------------------------------------------


@login_required
def contests(request):
    """人才创新创业大赛: the contests in scope, and a new one (报名 opens with its tracks and award plan)."""
    policy.require(request.user, "menu")
    user = request.user
    can_add = policy.may(user, "manage") and policy.allows(user, "add", TalentContest)
    form = forms.ContestForm(request.POST or None, user=user, initial={
        "year": timezone.localdate().year, "award_plan": contest_services.plan_text(contest_services.DEFAULT_PLAN),
        "finalists_per_track": 4}) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = dict(form.cleaned_data)
            made = None

            def create():
                nonlocal made
                plan = contest_services.plan_parse(d.pop("award_plan"))
                made = contest_services.contest_create(actor=user, award_plan=plan, **d)

            try:
                create()
                return redirect("talent-contest", made.pk)
            except ValidationError as exc:
                for key, errs in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                    form.add_error(key if key in form.fields else None, errs)
    rows = list(selectors.contest_list(user=user).annotate(n=Count("contestants"))[:200])
    return render(request, "talent/contests.html", {"contests": rows, "form": form})


@login_required
def contest_detail(request, pk):
    """A contest: its tracks and contestants, the two rounds (judged on the evaluation pages), the awards."""
    user = request.user
    contest = selectors.contest_get(user=user, pk=pk)
    can = policy.may(user, "manage") and policy.may(user, "change", contest)
    registering = contest.status == ContestStatus.REGISTERING
    ctx = {
        "c": contest, "can": can, "board": selectors.contest_board(contest),
        "plan": contest.award_plan, "round": contest_services.current_round(contest),
        "moves": [s for s in ContestStatus if s.value in contest_services.TRANSITIONS.get(contest.status, set())]
        if can and policy.may(user, "transition", contest) else [],
        "track_form": forms.TrackForm() if can and registering else None,
        "entry_form": forms.ContestantForm(user=user, contest=contest) if can and registering else None,
        "judge_form": forms.ContestJudgeForm(user=user, contest=contest)
        if can and contest.status in {ContestStatus.PRELIMINARY, ContestStatus.FINAL} else None,
    }
    return render(request, "talent/contest.html", ctx)


def _contest_for_change(request, pk) -> TalentContest:
    contest = selectors.contest_get(user=request.user, pk=pk, action="change")
    policy.require(request.user, "manage")
    return contest


@login_required
@require_POST
def contest_track(request, pk):
    contest = _contest_for_change(request, pk)
    form = forms.TrackForm(request.POST)
    if form.is_valid():
        if _apply(request, lambda: contest_services.track_add(actor=request.user, contest=contest,
                                                              name=form.cleaned_data["name"])):
            messages.success(request, _("已增加赛道"))
    else:
        _form_errors(request, form)
    return redirect("talent-contest", contest.pk)


@login_required
@require_POST
def contest_entry(request, pk):
    contest = _contest_for_change(request, pk)
    form = forms.ContestantForm(request.POST, user=request.user, contest=contest)
    if form.is_valid():
        d = form.cleaned_data
        if _apply(request, lambda: contest_services.contestant_add(
                actor=request.user, contest=contest, track=d["track"], talent=d["talent"], project=d["project"],
                label=d["label"])):
            messages.success(request, _("已报名"))
    else:
        _form_errors(request, form)
    return redirect("talent-contest", contest.pk)


@login_required
@require_POST
def contest_judge(request, pk):
    contest = _contest_for_change(request, pk)
    form = forms.ContestJudgeForm(request.POST, user=request.user, contest=contest)
    if form.is_valid():
        d = form.cleaned_data
        if _apply(request, lambda: contest_services.judge_seat(actor=request.user, contest=contest, user=d["user"],
                                                               track=d["track"])):
            messages.success(request, _("已安排评委"))
    else:
        _form_errors(request, form)
    return redirect("talent-contest", contest.pk)


@login_required
@require_POST
def contest_transition(request, pk):
    contest = selectors.contest_get(user=request.user, pk=pk, action="transition")
    to = request.POST.get("to", "")
    if _apply(request, lambda: contest_services.contest_transition(contest=contest, to=to, actor=request.user)):
        messages.success(request, _("大赛已进入“%(s)s”") % {"s": ContestStatus(to).label})
    return redirect("talent-contest", contest.pk)
