"""Pages of the challenge board: the public phone board, management list, a challenge's whole workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.core.params import parse_id
from bole.core.scoping import own_person_id
from bole.org.selectors import person_list

from . import forms, selectors, services
from .acceptance import panel_conflict_declare, panel_seat_get
from .choices import ChallengeField, ChallengeStatus
from .models import Challenge
from .permissions import policy


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


def _form_errors(request, form, skip=()) -> None:
    for name, errors in form.errors.items():
        if name not in skip:
            for msg in errors:
                messages.error(request, msg)


def _me(request):
    """The logged-in cadre's Person row (read through the org selectors, so scoped to themselves)."""
    pid = own_person_id(request.user)
    return person_list(user=request.user).filter(pk=pid).first() if pid else None


def board(request):
    """揭榜挂帅 board: open challenges for anyone on a phone; HTMX swaps the list when the field filter changes."""
    qs = selectors.open_board()
    field = request.GET.get("field", "")
    if field in ChallengeField.values:
        qs = qs.filter(field=field)
    ctx = {"challenges": qs, "fields": ChallengeField.choices, "field": field}
    if request.headers.get("HX-Request"):
        return render(request, "challenges/_board_list.html", ctx)
    user = request.user
    if user.is_authenticated:
        pid = own_person_id(user)
        ctx.update({
            "holdings": selectors.my_holdings(user=user),
            "applications": selectors.application_list(user=user).filter(person_id=pid) if pid else [],
            "seats": selectors.my_panel_seats(user=user),
            "can_add": policy.allows(user, "add", Challenge),
        })
    return render(request, "challenges/board.html", ctx)


@login_required
def challenge_list(request):
    """All challenges the user may read, by status, with overdue and due-soon warnings."""
    qs = selectors.challenge_list(user=request.user)
    status = request.GET.get("status", "")
    if status in ChallengeStatus.values:
        qs = qs.filter(status=status)
    ctx = {
        "challenges": qs[:300],
        "statuses": ChallengeStatus.choices,
        "status": status,
        "overdue": selectors.overdue_milestones(user=request.user)[:50],
        "due_soon": selectors.due_soon(user=request.user)[:50],
        "can_add": policy.allows(request.user, "add", Challenge),
    }
    return render(request, "challenges/list.html", ctx)


@login_required
def challenge_create(request):
    """A new challenge (draft) with up to three milestones entered on the same page."""
    if not policy.allows(request.user, "add", Challenge):
        raise PermissionDenied
    form = forms.ChallengeForm(request.POST or None, user=request.user)
    rows = [forms.MilestoneForm(request.POST or None, prefix=f"m{i}", empty_permitted=i > 0,
                                use_required_attribute=i == 0) for i in range(3)]
    if request.method == "POST" and form.is_valid() and all(r.is_valid() for r in rows):
        milestones = [dict(r.cleaned_data) for r in rows if r.cleaned_data.get("title")]
        for m in milestones:
            m["points"] = m.get("points") or 0
        if not milestones:
            messages.error(request, _("请至少填写一个攻坚节点"))
        else:
            try:
                ch = services.challenge_create(actor=request.user, milestones=milestones, **form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("challenges-detail", pk=ch.pk)
    return render(request, "challenges/form.html", {"form": form, "rows": rows})


@login_required
def challenge_detail(request, pk):
    """One challenge: goal and incentive, applications (publisher), holders, milestones, panel, reports."""
    ch = selectors.challenge_get(user=request.user, pk=pk)
    manager = services.is_manager(request.user, ch)
    holder = services.is_holder(request.user, ch)
    pid = own_person_id(request.user)
    moves = sorted(services.TRANSITIONS[ch.status])
    apply_form = forms.ApplyForm(user=request.user)
    panel_form = forms.PanelForm(user=request.user)
    ctx = {
        "ch": ch,
        "manager": manager,
        "holder": holder,
        "mine": selectors.application_open_for(challenge=ch, person_id=pid),
        "applications": selectors.application_list(user=request.user, action="decide").filter(challenge=ch)
        if manager else [],
        "apply_form": apply_form,
        "report_form": forms.ReportForm(challenge=ch),
        "panel_form": panel_form,
        "media": apply_form.media + panel_form.media,
        "close_form": forms.CloseForm(moves=moves),
        "milestone_form": forms.MilestoneForm(prefix="new"),
        "moves": moves,
        **selectors.detail_context(challenge=ch, person_id=pid),
    }
    return render(request, "challenges/detail.html", ctx)


def _back(pk):
    return redirect("challenges-detail", pk=pk)


@login_required
@require_POST
def challenge_transition(request, pk):
    ch = selectors.challenge_get(user=request.user, pk=pk)
    try:
        services.challenge_transition(challenge=ch, to=request.POST.get("to", ""), actor=request.user,
                                      closure=request.POST.get("closure", ""), note=request.POST.get("note", ""))
        messages.success(request, _("已更新：%(s)s") % {"s": ch.get_status_display()})
    except ValidationError as exc:
        _errors(request, exc)
    return _back(pk)


@login_required
@require_POST
def challenge_apply(request, pk):
    ch = selectors.challenge_get(user=request.user, pk=pk)
    me = _me(request)
    form = forms.ApplyForm(request.POST, user=request.user)
    if me is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.challenge_apply(challenge=ch, person=me, plan=form.cleaned_data["plan"],
                                     members=list(form.cleaned_data["members"]), actor=request.user)
            messages.success(request, _("揭榜成功，请等待发榜单位遴选"))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        if "plan" in form.errors:
            messages.error(request, _("请填写攻坚方案"))
        _form_errors(request, form, skip=("plan",))
    return _back(pk)


@login_required
@require_POST
def application_transition(request, pk, app_pk):
    ch = selectors.challenge_get(user=request.user, pk=pk)
    app = selectors.application_list(user=request.user).filter(challenge=ch, pk=app_pk).first()
    if app is None:
        raise PermissionDenied
    try:
        services.application_transition(application=app, to=request.POST.get("to", ""), actor=request.user,
                                        note=request.POST.get("note", ""))
    except ValidationError as exc:
        _errors(request, exc)
    return _back(pk)


@login_required
@require_POST
def challenge_award(request, pk):
    ch = selectors.challenge_get(user=request.user, pk=pk)
    ids = [parse_id(x, "application") for x in request.POST.getlist("application")]
    apps = list(selectors.application_list(user=request.user, action="decide").filter(challenge=ch, pk__in=ids))
    try:
        services.challenge_award(challenge=ch, applications=apps, actor=request.user)
        messages.success(request, _("已定榜"))
    except ValidationError as exc:
        _errors(request, exc)
    return _back(pk)


@login_required
@require_POST
def milestone_add(request, pk):
    ch = selectors.challenge_get(user=request.user, pk=pk)
    form = forms.MilestoneForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.milestone_add(challenge=ch, actor=request.user, title=form.cleaned_data["title"],
                                   due_date=form.cleaned_data["due_date"], points=form.cleaned_data["points"] or 0)
        except ValidationError as exc:
            _errors(request, exc)
    return _back(pk)


@login_required
@require_POST
def progress_report(request, pk):
    ch = selectors.challenge_get(user=request.user, pk=pk)
    me = _me(request)
    form = forms.ReportForm(request.POST, challenge=ch)
    if me is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.progress_report(challenge=ch, author=me, actor=request.user, **form.cleaned_data)
            messages.success(request, _("进展已报告"))
        except ValidationError as exc:
            _errors(request, exc)
    return _back(pk)


@login_required
@require_POST
def panel_add(request, pk):
    ch = selectors.challenge_get(user=request.user, pk=pk)
    if not services.is_manager(request.user, ch):
        raise PermissionDenied
    form = forms.PanelForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.panel_member_add(challenge=ch, person=form.cleaned_data["person"],
                                      is_chair=form.cleaned_data["is_chair"], actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _form_errors(request, form)
    return _back(pk)


@login_required
@require_POST
def panel_conflict(request, pk, member_pk):
    """申请回避 for a member (by the publisher, or by the member themself)."""
    ch = selectors.challenge_get(user=request.user, pk=pk)
    seat = panel_seat_get(ch, member_pk)
    if seat is None:
        raise PermissionDenied
    try:
        panel_conflict_declare(seat, reason=request.POST.get("note", ""), actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return _back(pk)


@login_required
@require_POST
def milestone_signoff(request, pk, ms_pk):
    """A verdict from the challenge page (a member, or the publisher recording the minutes)."""
    ch = selectors.challenge_get(user=request.user, pk=pk)
    ms = ch.milestones.filter(pk=ms_pk).first()
    form = forms.SignoffForm(request.POST)
    if ms is None or not form.is_valid():
        messages.error(request, _("请选择意见"))
        return _back(pk)
    seat = panel_seat_get(ch, form.cleaned_data["member"])
    if seat is None:
        raise PermissionDenied
    try:
        services.milestone_signoff(milestone=ms, seat=seat, verdict=form.cleaned_data["verdict"],
                                   opinion=form.cleaned_data["comment"], actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return _back(pk)


@login_required
@require_POST
def milestone_transition(request, pk, ms_pk):
    ch = selectors.challenge_get(user=request.user, pk=pk)
    ms = ch.milestones.filter(pk=ms_pk).first()
    if ms is None:
        raise PermissionDenied
    try:
        services.milestone_transition(milestone=ms, to=request.POST.get("to", ""), actor=request.user,
                                      note=request.POST.get("note", ""))
        if ms.status == "accepted":
            messages.success(request, _("节点“%(m)s”验收通过") % {"m": ms.title})
    except ValidationError as exc:
        _errors(request, exc)
    return _back(pk)
