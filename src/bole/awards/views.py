"""Award pages: history per quarter, a round (nominations, panel, publicity, objections), a person's honours."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bole.core import periods
from bole.core.plugins import Section
from bole.core.views import apply_service
from bole.evaluation.choices import EvaluationStatus

from . import selectors, services
from .choices import NominationKind, NominationStatus, RoundStatus
from .forms import AnswerForm, NominationForm, ObjectionForm, RoundForm
from .models import Nomination, Objection
from .panel import panel_status
from .permissions import policy

# Buttons of the round workflow: target status → label.
ACTIONS = {
    RoundStatus.NOMINATING: gettext_lazy("开始提名"),
    RoundStatus.REVIEWING: gettext_lazy("截止提名，进入评审"),
    RoundStatus.PUBLICITY: gettext_lazy("评审结束，进入公示"),
    RoundStatus.ANNOUNCED: gettext_lazy("公示期满，正式公布"),
    RoundStatus.CANCELLED: gettext_lazy("取消本轮"),
}


def _panel_label(code: str) -> str:
    return str(EvaluationStatus(code).label) if code in EvaluationStatus.values else ""


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


@login_required
def round_list(request):
    """担当之星 history: one row per quarter with nominations and winners."""
    rounds = list(selectors.round_list(user=request.user))
    form = RoundForm() if policy.may(request.user, "manage") else None
    if request.method == "POST" and policy.may(request.user, "manage"):
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                rnd = services.award_round_create(actor=request.user, **form.cleaned_data)
                return redirect("awards-round", pk=rnd.pk)
            except ValidationError as exc:
                _errors(request, exc)
    chart = {"rows": [{"period": r.period, "winners": r.n_winners, "nominations": r.n_nominations}
                      for r in reversed(rounds)],
             "names": {"nominations": _("提名"), "winners": _("表彰")}} if rounds else None
    return render(request, "awards/list.html", {"rounds": rounds, "form": form, "chart": chart})


@login_required
def round_detail(request, pk):
    """One round: its stage, nominations, panel, publicity list with objections, winners."""
    rnd = selectors.round_get(user=request.user, pk=pk)
    noms = list(selectors.nomination_list(user=request.user, round=rnd))
    county = policy.may(request.user, "manage")
    can_nominate = rnd.status == RoundStatus.NOMINATING and policy.allows(request.user, "add", Nomination)
    ctx = {
        "round": rnd,
        "nominations": noms,
        "objections": list(selectors.objection_list(user=request.user, round=rnd)),
        "events": list(selectors.timeline(rnd)),
        "county": county,
        "actions": [(s, ACTIONS[s]) for s in services.ROUND_TRANSITIONS[rnd.status]] if county else [],
        "can_nominate": can_nominate,
        "can_withdraw": rnd.status == RoundStatus.NOMINATING and policy.allows(request.user, "withdraw", Nomination),
        "can_object": rnd.status == RoundStatus.PUBLICITY,
        "panel_status": _panel_label(panel_status(rnd)),
        "answer_form": AnswerForm() if county else None,
        "steps": [(c, label) for c, label in RoundStatus.choices if c != RoundStatus.CANCELLED],
    }
    return render(request, "awards/round.html", ctx)


@login_required
def round_print(request, pk):
    """The 公示名单 (or, once announced, the 表彰名单) on A4: the publicised nominations by kind."""
    rnd = selectors.round_get(user=request.user, pk=pk)
    if rnd.status not in {RoundStatus.PUBLICITY, RoundStatus.ANNOUNCED}:
        raise Http404
    shown = {NominationStatus.PROPOSED} if rnd.status == RoundStatus.PUBLICITY else {NominationStatus.AWARDED}
    kinds: dict[str, list] = {str(label): [] for _code, label in NominationKind.choices}
    labels = dict(NominationKind.choices)
    for n in selectors.nomination_list(user=request.user, round=rnd).order_by("kind", "-score", "id"):
        if n.status in shown:
            kinds[str(labels[n.kind])].append(n)
    heading = _("公示名单") if rnd.status == RoundStatus.PUBLICITY else _("表彰名单")
    return render(request, "awards/print.html", {
        "round": rnd, "kinds": [(k, rows) for k, rows in kinds.items() if rows], "heading": heading,
        "period_label": periods.label(rnd.period), "today": timezone.localdate(),
    })


@login_required
@require_POST
def round_transition(request, pk):
    rnd = selectors.round_get(user=request.user, pk=pk)
    policy.require(request.user, "manage")
    try:
        services.award_round_transition(round=rnd, to=request.POST.get("to", ""), actor=request.user,
                                        note=request.POST.get("note", ""))
        messages.success(request, _("已更新评选状态"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("awards-round", pk=rnd.pk)


@login_required
def nominate(request, pk):
    """A unit's nomination form (person or team, with deeds)."""
    rnd = selectors.round_get(user=request.user, pk=pk)
    if not policy.allows(request.user, "add", Nomination):
        raise PermissionDenied
    form = NominationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        nom = apply_service(form, lambda: services.nomination_create(round=rnd, actor=request.user,
                                                                     **form.cleaned_data))
        if nom is not None:
            messages.success(request, _("提名已提交"))
            return redirect("awards-round", pk=rnd.pk)
    return render(request, "awards/nominate.html", {"round": rnd, "form": form})


@login_required
@require_POST
def nomination_withdraw(request, pk):
    nom = selectors.nomination_get(user=request.user, pk=pk, action="withdraw")
    try:
        services.nomination_transition(nomination=nom, to=NominationStatus.WITHDRAWN, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("awards-round", pk=nom.round_id)


@login_required
@require_POST
def objection_lodge(request, pk):
    """Lodge an objection against a publicised nominee (HTMX posts from the publicity list)."""
    rnd = selectors.round_get(user=request.user, pk=pk)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        nom = selectors.nomination_list(user=request.user, round=rnd).filter(
            pk=form.cleaned_data["nomination"]).first()
        if nom is None:
            raise PermissionDenied
        try:
            services.objection_lodge(nomination=nom, reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("异议已提交，组织部将予以答复"))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("awards-round", pk=rnd.pk)


@login_required
@require_POST
def objection_answer(request, pk):
    policy.require(request.user, "manage")
    obj = policy.get(Objection.objects.all(), request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(objection=obj, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("awards-round", pk=obj.round_id)


@login_required
def person_honours(request, person_id):
    """A person's award record: the awards section of their profile."""
    person = selectors.honoured_person(user=request.user, person_id=person_id)
    honours = list(selectors.honours_of(user=request.user, person_id=person.pk))
    return render(request, "awards/person.html", {"person": person, "honours": honours})


def honours_section(request, person) -> Section | None:
    """The person page's 荣誉 row: the latest honours the user may see, and a link to all of them."""
    honours = list(selectors.honours_of(user=request.user, person_id=person.pk)[:20])
    if not honours:
        return None
    return Section(label=_("荣誉"), items=honours, url=reverse("awards-person", args=[person.pk]),
                   link=_("全部荣誉记录"))
