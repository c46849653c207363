"""Ledger pages: the entry list with filters, an entry with its source and reversal, manual posting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.core.audit import history_for
from bole.core.params import id_list_param, id_param

from . import selectors, services
from .choices import EntryStatus
from .forms import PostForm, ReverseForm
from .models import PointEntry
from .permissions import policy


def _filtered(request):
    qs = selectors.entry_list(user=request.user)
    g = request.GET
    if g.get("person"):
        qs = qs.filter(person_id=id_param(g, "person"))
    if g.get("q"):
        qs = qs.filter(person__name__icontains=g["q"].strip())
    if g.get("period"):
        qs = qs.filter(period=g["period"].strip().upper())
    if g.get("category"):
        qs = qs.filter(category__code=g["category"])
    if g.get("categories"):
        qs = qs.filter(category_id__in=id_list_param(g, "categories"))
    if g.get("status"):
        qs = qs.filter(status=g["status"])
    return qs


@login_required
def entry_list(request):
    """积分明细: filters by person, period, category and status; pending entries can be decided here."""
    policy.require(request.user, "menu")  # no page for a login that holds no points (a judge, an enterprise)
    qs = _filtered(request)
    page = Paginator(qs.order_by("-id"), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {
        "page": page,
        "categories": selectors.category_list(user=request.user),
        "statuses": EntryStatus.choices,
        "g": request.GET,
        "query": params.urlencode(),
        "can_post": policy.allows(request.user, "add", PointEntry),
        "can_decide": policy.allows(request.user, "approve", PointEntry),
    }
    return render(request, "ledger/list.html", ctx)


@login_required
def entry_detail(request, pk):
    """One entry: the record that earned it, its decision, its reversal, its history."""
    entry = policy.get(selectors.entry_list(user=request.user), request.user, pk)
    reversal = PointEntry.objects.filter(reverses=entry).first()
    ctx = {
        "entry": entry,
        "reversal": reversal,
        "source_label": str(entry.source) if entry.source_type_id else "",
        "history": history_for(entry)[:50],
        "can_decide": policy.allows(request.user, "approve", PointEntry),
        "reverse_form": ReverseForm(),
    }
    return render(request, "ledger/detail.html", ctx)


@login_required
@require_POST
def entry_decide(request, pk):
    entry = policy.get(selectors.entry_list(user=request.user), request.user, pk, "approve")
    to = request.POST.get("to", "")
    try:
        services.point_entry_transition(entry=entry, to=to, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("已处理"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(request.POST.get("next") or reverse("ledger-entry", args=[pk]))


@login_required
@require_POST
def entry_reverse(request, pk):
    entry = policy.get(selectors.entry_list(user=request.user), request.user, pk, "approve")
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            rev = services.points_reverse(entry=entry, reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("已冲正"))
            return redirect(reverse("ledger-entry", args=[rev.pk]))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect(reverse("ledger-entry", args=[pk]))


@login_required
def entry_post(request):
    """Manual posting by an admin or a unit admin (pending until approved)."""
    if not policy.allows(request.user, "add", PointEntry):
        raise PermissionDenied
    form = PostForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.points_post(person=d["person"], period=d["period"], category=d["category"],
                                         points=d["points"], reason=d["reason"], actor=request.user)
            return redirect(reverse("ledger-entry", args=[entry.pk]))
        except ValidationError as exc:
            for key, errs in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errs)
    return render(request, "ledger/post.html", {"form": form})
