"""Pages of the home branches: list with stats, a branch, the printable QR sheet, the resident's phone form."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.cases.desks import HOME_REQUEST, desk_by_code
from bole.cases.forms import ResidentRequestForm

from . import selectors, services
from .forms import AdoptForm, IssueForm
from .limits import resident_post_allowed
from .models import Adoption, CoGovernanceCommittee, Stairwell
from .permissions import policy


def _errors(exc: ValidationError) -> str:
    return "；".join(" ".join(v) for v in exc.message_dict.values()) if hasattr(exc, "error_dict") else \
        "；".join(exc.messages)


@login_required
def branch_list(request):
    """Home branches with stairwells adopted, requests, on-time rate and satisfaction per branch."""
    rows = selectors.branch_stats(user=request.user)
    if not rows and not policy.allows(request.user, "view", Stairwell):
        raise PermissionDenied
    totals = {k: sum(r[k] for r in rows) for k in ("stairwells", "adopted", "requests", "resolved", "committees",
                                                   "issues")}
    return render(request, "community/branches.html", {"rows": rows, "totals": totals})


@login_required
def branch_detail(request, pk):
    """One branch: its stairwells and adopters, its committees and members.

    Each stairwell row links to its adopt form, loaded into the row on demand: the page itself lists no people."""
    branch = selectors.branch_get(user=request.user, pk=pk)
    stairwells = list(selectors.stairwell_list(user=request.user, branch=branch))
    current = {a.stairwell_id: a for a in Adoption.objects.filter(stairwell__in=stairwells, end_on__isnull=True)
               .select_related("person__unit")}
    for s in stairwells:
        s.adoption = current.get(s.pk)
    committees = selectors.committee_list(user=request.user, branch=branch).prefetch_related("members")
    can_change = policy.allows(request.user, "change", Stairwell)
    return render(request, "community/branch.html", {
        "branch": branch, "stairwells": stairwells, "committees": committees, "can_change": can_change,
        "picker_media": AdoptForm(user=None).media if can_change else "", "issue_form": IssueForm()})


@login_required
def qr_sheet(request, pk):
    """A printable sheet of the branch's stairwell QR codes (SVG, drawn locally with segno)."""
    branch = selectors.branch_get(user=request.user, pk=pk)
    cards = []
    for s in selectors.stairwell_list(user=request.user, branch=branch):
        url = request.build_absolute_uri(reverse("community-qr", kwargs={"token": s.qr_token}))
        svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
        cards.append({"stairwell": s, "svg": svg, "url": url})
    return render(request, "community/qr_sheet.html", {"branch": branch, "cards": cards})


def resident_form(request, token):
    """The page a stairwell QR code opens: a resident files a request with a phone number, no login."""
    stairwell = selectors.stairwell_by_token(token)
    if stairwell is None:
        raise Http404
    desk = desk_by_code(HOME_REQUEST)
    form = ResidentRequestForm(request.POST or None, request.FILES or None, desk=desk)
    status = 200
    if request.method == "POST" and form.is_valid() and not resident_post_allowed(request, stairwell):
        messages.error(request, _("提交太频繁，请稍后再试。"))
        status = 429
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.resident_request_submit(
                stairwell=stairwell, phone=d["phone"], name=d["name"], category=d["category"],
                description=d["description"], attachments=d["attachments"], actor=None)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("已提交。请收藏本页面，凭此链接查看进度并评价。"))
            return redirect("cases-follow", token=case.follow_token)
    response = render(request, "community/resident_form.html", {"stairwell": stairwell, "form": form}, status=status)
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
def adopt(request, pk):
    """A branch admin records that a party member adopts a stairwell (the form alone when the branch page asks)."""
    stairwell = policy.get(Stairwell.objects.select_related("branch"), request.user, pk, "change")
    form = AdoptForm(request.POST or None, user=request.user, auto_id=f"id_s{stairwell.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_create(stairwell=stairwell, person=form.cleaned_data["person"],
                                     start_on=form.cleaned_data["start_on"], actor=request.user)
        except ValidationError as exc:
            for field, errors in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已认领"))
            return redirect("community-branch", pk=stairwell.branch_id)
    stairwell.adoption = (Adoption.objects.filter(stairwell=stairwell, end_on__isnull=True)
                          .select_related("person__unit").first())
    template = "community/_adopt_row.html" if request.headers.get("HX-Request") else "community/adopt.html"
    return render(request, template, {"stairwell": stairwell, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def issue(request, pk):
    """Put a governance issue to a co-governance committee."""
    committee = policy.get(CoGovernanceCommittee.objects.select_related("branch"), request.user, pk, "change")
    form = IssueForm(request.POST)
    if form.is_valid():
        case = services.governance_issue_submit(committee=committee, actor=request.user, **form.cleaned_data)
        messages.success(request, _("议题已提交，编号 %(n)s") % {"n": case.number})
    return redirect("community-branch", pk=committee.branch_id)


def qr_svg(request, token):
    """One stairwell's QR code as an SVG file (for printing on a sticker)."""
    stairwell = get_object_or_404(Stairwell, qr_token=token)
    url = request.build_absolute_uri(reverse("community-qr", kwargs={"token": stairwell.qr_token}))
    return HttpResponse(segno.make(url, error="m").svg_inline(scale=8), content_type="image/svg+xml")
