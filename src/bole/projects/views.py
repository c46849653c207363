"""Key project pages: the list with schedule lights, a project (milestones, difficulties), frontline ranking."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bole.cases.choices import DONE_STATES
from bole.core import periods
from bole.core.audit import history_for

from . import schedule, selectors, services
from .choices import ACTIVE_STATUSES, ProjectKind, ProjectStatus
from .forms import DifficultyForm, MilestoneDoneForm, ProjectForm, SignForm
from .models import Project
from .permissions import may_log_difficulty, policy

ACTIONS = {
    ProjectStatus.SIGNED: gettext_lazy("签约"),
    ProjectStatus.BUILDING: gettext_lazy("开工建设"),
    ProjectStatus.SUSPENDED: gettext_lazy("暂缓"),
    ProjectStatus.COMPLETED: gettext_lazy("竣工"),
    ProjectStatus.CANCELLED: gettext_lazy("终止"),
}


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


@login_required
def project_list(request):
    """重点项目: filters by kind, status, light and major; the page's lights are computed for its rows only."""
    qs = selectors.project_list(user=request.user)
    g = request.GET
    if g.get("kind") in ProjectKind.values:
        qs = qs.filter(kind=g["kind"])
    if g.get("status") in ProjectStatus.values:
        qs = qs.filter(status=g["status"])
    if g.get("major") == "1":
        qs = qs.filter(is_major=True)
    if q := g.get("q", "").strip():
        qs = qs.filter(name__contains=q)
    by_kind = list(qs.values("kind").order_by("kind").annotate(n=Count("id"), inv=Sum("investment")))
    totals = {"n": sum(r["n"] for r in by_kind), "inv": sum((r["inv"] or 0 for r in by_kind), Decimal(0))}
    page = Paginator(qs.prefetch_related("leads").order_by("-is_major", "-investment", "id"), 30).get_page(
        g.get("page"))
    rows = list(page.object_list)
    lights = selectors.project_lights(rows)
    counts = selectors.difficulty_counts([p.pk for p in rows])
    params = g.copy()
    params.pop("page", None)
    chart = {"names": {"count": _("项目数"), "investment": _("总投资（亿元）"), "unit": _("亿元")},
             "kinds": [str(ProjectKind(r["kind"]).label) for r in by_kind], "counts": [r["n"] for r in by_kind],
             "investment": [float(r["inv"] or 0) for r in by_kind]}
    ctx = {
        "page": page, "rows": [(p, lights[p.pk], counts.get(p.pk, {"total": 0, "solved": 0})) for p in rows],
        "totals": totals, "kinds": ProjectKind.choices, "statuses": ProjectStatus.choices, "g": g,
        "query": params.urlencode(), "chart": chart,
        "can_add": policy.allows(request.user, "add", Project),
    }
    return render(request, "projects/list.html", ctx)


@login_required
def project_detail(request, pk):
    """One project: leads, task force, milestones with lights, difficulties with their state, history."""
    project = selectors.project_get(user=request.user, pk=pk)
    stones = selectors.milestones_with_lights(project)
    difficulties = list(selectors.difficulties_of(user=request.user, project=project))
    can_transition = policy.restrict(Project.objects.filter(pk=project.pk), request.user, "transition").exists()
    ctx = {
        "project": project,
        "light": schedule.project_colour(project.status, [c for _m, c in stones]),
        "stones": stones,
        "leads": list(project.leads.select_related("unit")),
        "team": list(project.team.select_related("unit")),
        "difficulties": difficulties,
        "solved": sum(1 for c in difficulties if c.state in DONE_STATES),
        "can_log": may_log_difficulty(request.user, project) and project.status not in {"completed", "cancelled"},
        "can_milestone": can_transition,
        "actions": [(s, ACTIONS[s]) for s in services.TRANSITIONS[project.status]] if can_transition else [],
        "form": DifficultyForm(categories=selectors.difficulty_categories()),
        "done_form": MilestoneDoneForm(initial={"done_on": schedule.today()}),
        "sign_form": SignForm(initial={"signed_on": schedule.today()}),
        "history": history_for(project)[:30] if policy.may(request.user, "manage") else [],
        "running": project.status in ACTIVE_STATUSES,
    }
    return render(request, "projects/detail.html", ctx)


@login_required
def project_create(request):
    if not policy.allows(request.user, "add", Project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            p = services.project_create(actor=request.user, **form.cleaned_data)
            return redirect("projects-detail", pk=p.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "projects/form.html", {"form": form})


@login_required
@require_POST
def project_transition(request, pk):
    project = selectors.project_get(user=request.user, pk=pk, action="transition")
    form = SignForm(request.POST)
    signed_on = form.cleaned_data["signed_on"] if form.is_valid() else None
    try:
        services.project_transition(project=project, to=request.POST.get("to", ""), actor=request.user,
                                    signed_on=signed_on)
        messages.success(request, _("项目状态已更新"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("projects-detail", pk=project.pk)


@login_required
@require_POST
def milestone_done(request, pk):
    """Record a milestone as done; HTMX swaps just the milestone row."""
    m = selectors.milestone_get(user=request.user, pk=pk, action="milestone")
    form = MilestoneDoneForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.milestone_complete(milestone=m, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    else:
        error = _("请填写完成日期")
    if request.headers.get("HX-Request"):
        light = schedule.milestone_colours([(m.planned_on, m.done_on, m.project.signed_on)])[0]
        return render(request, "projects/_milestone.html", {"m": m, "light": light, "error": error,
                                                             "can_milestone": True, "project": m.project,
                                                             "running": m.project.status in ACTIVE_STATUSES,
                                                             "done_form": form})
    if error:
        messages.error(request, error)
    return redirect("projects-detail", pk=m.project_id)


@login_required
@require_POST
def difficulty_new(request, pk):
    """A lead logs a difficulty from the project page (often on a phone)."""
    project = selectors.project_get(user=request.user, pk=pk)
    form = DifficultyForm(request.POST, categories=selectors.difficulty_categories())
    if form.is_valid():
        try:
            case = services.difficulty_log(project=project, actor=request.user, **form.cleaned_data)
            messages.success(request, _("难题已提交（编号 %(n)s），项目难题受理台将交办相关部门限期破解") % {
                "n": case.number})
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("请填写难题和具体情况"))
    return redirect("projects-detail", pk=project.pk)


@login_required
def frontline(request):
    """一线考评: leads ranked by difficulties solved and milestones on time in a period."""
    period = request.GET.get("period") or periods.of(schedule.today())
    try:
        period = periods.clean(period)
    except ValidationError:
        period = periods.of(schedule.today())
    if request.method == "POST":
        policy.require(request.user, "manage")
        n = services.frontline_settle(period=period, actor=request.user)
        messages.success(request, _("已结算 %(p)s 一线考评积分 %(n)s 条") % {"p": period, "n": n})
        return redirect(f"{request.path}?period={period}")
    rows = selectors.frontline_ranking(user=request.user, period=period)
    return render(request, "projects/frontline.html", {
        "rows": rows, "period": period, "period_label": periods.label(period), "county": policy.may(request.user, "manage"),
        "prev": periods.previous(period)})
