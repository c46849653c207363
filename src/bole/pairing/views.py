"""Pages of 产学研 pairing: the department's desk (classify, match, follow), the enterprise's and the expert's
pairings on a phone, a need with its candidates and what each hand change costs, a pairing's whole life."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.cases.models import Desk
from bole.core import figures as core_figures
from bole.core.params import date_param, id_param, int_param
from bole.engines.matching_terms import FIELDS
from bole.org.selectors import region_list

from . import background, selectors, services
from .choices import LIVE_STATES, OutcomeKind, PairAction, PairState
from .permissions import policy


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


def _counties(user):
    return [r for r in region_list(user=user).order_by("code") if len(r.code) == 6 and not r.code.endswith("00")]


@login_required
def home(request):
    """产学研: the department's desk, or an enterprise's / an expert's own pairings."""
    user = request.user
    policy.require(user, "menu")
    manage = policy.may(user, "manage")
    ctx: dict = {"manage": manage, "fields": list(FIELDS), "can_post": policy.may(user, "post")}
    if manage:
        ctx["to_classify"] = list(selectors.needs_to_classify(user=user).select_related("submitter_enterprise")[:100])
        ctx["counties"] = _counties(user)
        ctx["runs"] = list(selectors.run_list(user=user).order_by("-id")[:10])
        ctx["open_needs"] = list(selectors.need_list(user=user).exclude(
            pk__in=selectors.pairing_list(user=user).exclude(state__in=[PairState.DECLINED, PairState.WITHDRAWN])
            .values("need_id")).order_by("-id")[:50])
    else:
        ctx["needs"] = list(selectors.need_list(user=user).order_by("-id")[:50])
    ctx["pairs"] = list(selectors.pairing_list(user=user).filter(state__in=LIVE_STATES).order_by("-id")[:50])
    if ctx["can_post"] and Desk.objects.filter(code=services.DESK_CODE, is_active=True).exists():
        ctx["post_url"] = reverse("cases-submit", args=[services.DESK_CODE])
    ctx["figure_list"] = selectors.figures(user=user, period=core_figures.span(""))
    return render(request, "pairing/home.html", ctx)


@login_required
@require_POST
def classify(request, case_id):
    """The department takes a posted need into matching, in a field, with how many experts to propose."""
    policy.require(request.user, "manage")
    case = selectors.needs_to_classify(user=request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    try:
        need = services.need_classify(case=case, field=request.POST.get("field", ""),
                                      k=int_param(request.POST, "k", 3, min_value=1, max_value=services.MAX_K),
                                      actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("pairing-home")
    messages.success(request, _("已分类：%(t)s") % {"t": need.title})
    return redirect("pairing-home")


@login_required
@require_POST
def run_start(request):
    """Run the matching for a county's open needs (on the task queue when large)."""
    policy.require(request.user, "manage")
    region = region_list(user=request.user).filter(pk=id_param(request.POST, "region")).first()
    if region is None:
        messages.error(request, _("请选择区县"))
        return redirect("pairing-home")
    raw = (request.POST.get("min_affinity") or "").strip()
    try:
        floor = float(raw) if raw else None
    except ValueError:
        floor = -1.0
    try:
        run, job = background.run_start(region=region, actor=request.user, params={"min_affinity": floor})
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("pairing-home")
    if job is not None:
        return redirect("job-detail", pk=job.pk)
    messages.success(request, run.message)
    return redirect("pairing-run", pk=run.pk)


@login_required
def run_detail(request, pk):
    """A matching run: its parameters, totals and the pairs it proposed."""
    run = policy.get(selectors.run_list(user=request.user), request.user, pk)
    pairs = list(selectors.pairing_list(user=request.user).filter(run=run).order_by("need_id", "-affinity")[:500])
    return render(request, "pairing/run.html", {"run": run, "pairs": pairs})


@login_required
def need_detail(request, pk):
    """A need, its pairings, and for the department the best candidates with what proposing each costs."""
    need = policy.get(selectors.need_list(user=request.user), request.user, pk)
    pairs = list(selectors.pairing_list(user=request.user).filter(need=need).order_by("-affinity"))
    manage = policy.may(request.user, "manage") and policy.may(request.user, "change", need)
    candidates = services.need_candidates(need=need) if manage else []
    return render(request, "pairing/need.html", {"need": need, "pairs": pairs, "manage": manage,
                                                 "candidates": candidates})


@login_required
@require_POST
def pairing_add(request, pk):
    """Propose an expert by hand (refused across a conflict or beyond capacity)."""
    policy.require(request.user, "manage")
    need = policy.get(selectors.need_list(user=request.user, action="change"), request.user, pk)
    expert = selectors.expert_list(user=request.user).filter(pk=id_param(request.POST, "expert")).first()
    if expert is None:
        raise Http404
    try:
        services.pairing_add(need=need, expert=expert, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已推荐 %(e)s") % {"e": expert.name})
    return redirect("pairing-need", pk=need.pk)


@login_required
def pairing_list(request):
    """Every pairing in scope, filtered by state."""
    policy.require(request.user, "menu")
    qs = selectors.pairing_list(user=request.user)
    state = request.GET.get("state", "")
    if state in PairState.values:
        qs = qs.filter(state=state)
    rows = list(qs.order_by("-id")[:300])
    return render(request, "pairing/pairs.html", {"rows": rows, "states": PairState.choices, "state": state})


@login_required
def pairing_detail(request, pk):
    """One pairing: why it was proposed, who has accepted, the meeting, reports, the outcome and the rating."""
    pairing = policy.get(selectors.pairing_list(user=request.user), request.user, pk)
    actions = services.allowed(request.user, pairing)
    sides = services.sides(request.user, pairing)
    return render(request, "pairing/detail.html", {
        "p": pairing, "actions": [(a, PairAction(a).label) for a in actions],
        "reports": selectors.report_list(user=request.user, pairing=pairing),
        "outcomes": OutcomeKind.choices, "can_report": bool(sides) and pairing.state in (
            PairState.ACCEPTED, PairState.MET, PairState.WORKING),
        "can_rate": "enterprise" in sides and pairing.state in (PairState.SOLVED, PairState.UNSOLVED)
        and pairing.rating is None,
    })


@login_required
@require_POST
def pairing_act(request, pk):
    """Move a pairing (accept, decline, meet, start, solve, not solved, withdraw)."""
    pairing = policy.get(selectors.pairing_list(user=request.user), request.user, pk)
    raw = (request.POST.get("cost_saved") or "").strip()
    try:
        cost = Decimal(raw) if raw else None
    except InvalidOperation:
        messages.error(request, _("节约成本应为数字"))
        return redirect("pairing-detail", pk=pairing.pk)
    try:
        services.pairing_transition(
            pairing=pairing, action=request.POST.get("action", ""), actor=request.user,
            met_on=date_param(request.POST, "met_on"), outcome=request.POST.get("outcome", ""),
            outcome_note=request.POST.get("outcome_note", "")[:300], cost_saved=cost,
            note=request.POST.get("note", "")[:500])
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("无权执行此操作"))
    else:
        messages.success(request, _("已保存"))
    return redirect("pairing-detail", pk=pairing.pk)


@login_required
@require_POST
def pairing_rate(request, pk):
    """The enterprise rates a finished pairing."""
    pairing = policy.get(selectors.pairing_list(user=request.user), request.user, pk)
    try:
        services.pairing_rate(pairing=pairing, rating=int_param(request.POST, "rating", 0, min_value=0, max_value=5),
                              comment=request.POST.get("comment", ""), actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("只有提出需求的企业可以评价"))
    else:
        messages.success(request, _("感谢您的评价"))
    return redirect("pairing-detail", pk=pairing.pk)


@login_required
@require_POST
def report_add(request, pk):
    """A progress report on a pairing."""
    pairing = policy.get(selectors.pairing_list(user=request.user), request.user, pk)
    try:
        services.report_add(pairing=pairing, text=request.POST.get("text", "")[:2000], actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("无权执行此操作"))
    return redirect("pairing-detail", pk=pairing.pk)


@login_required
def expert_list(request):
    """专家库: the county's experts with their capacity and this year's load."""
    policy.require(request.user, "manage")
    qs = selectors.expert_list(user=request.user).order_by("institution", "name")
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(keywords__icontains=q) | qs.filter(fields__icontains=q)
    rows = list(qs[:300])
    load = services.year_load([e.pk for e in rows])
    for e in rows:
        e.load = load.get(e.pk, 0)
    return render(request, "pairing/experts.html", {"rows": rows, "q": q})

