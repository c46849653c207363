"""Reads of the home branches, scoped; statistics per branch computed from stairwells, adoptions and cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.cases.choices import Rating, State
from bole.cases.desks import HOME_GOVERNANCE, HOME_REQUEST
from bole.cases.selectors import cases_referring_to
from bole.core.figures import STOCK, Figure

from .models import Adoption, CoGovernanceCommittee, HomeBranch, Stairwell
from .permissions import policy


def branch_list(*, user) -> QuerySet[HomeBranch]:
    """Home branches in the user's scope."""
    return policy.restrict(HomeBranch.objects.select_related("community", "unit", "secretary"), user, "view")


def branch_get(*, user, pk) -> HomeBranch:
    return policy.get(branch_list(user=user), user, pk)


def stairwell_list(*, user, branch: HomeBranch | None = None) -> QuerySet[Stairwell]:
    qs = policy.restrict(Stairwell.objects.select_related("branch"), user, "view")
    return qs.filter(branch=branch) if branch is not None else qs


def stairwell_by_token(token: str) -> Stairwell | None:
    """The stairwell behind a QR code; the token is the only public handle."""
    if not token or len(token) < 16:
        return None
    return (Stairwell.objects.select_related("branch__community").filter(qr_token=token, is_active=True)
            .first())


def adoption_list(*, user) -> QuerySet[Adoption]:
    return policy.restrict(Adoption.objects.select_related("stairwell__branch", "person__unit"), user, "view")


def committee_list(*, user, branch: HomeBranch | None = None) -> QuerySet[CoGovernanceCommittee]:
    qs = policy.restrict(CoGovernanceCommittee.objects.select_related("branch", "chair"), user, "view")
    return qs.filter(branch=branch) if branch is not None else qs


def branch_stats(*, user) -> list[dict[str, Any]]:
    """Per branch: stairwells, adopted, requests, resolved, on-time rate, satisfaction, committees, issues."""
    branches = list(branch_list(user=user).order_by("community__code", "id"))
    ids = [b.pk for b in branches]
    stair = {r["branch_id"]: r for r in Stairwell.objects.filter(branch_id__in=ids).values("branch_id").order_by()
             .annotate(n=Count("id", distinct=True),
                       adopted=Count("adoptions", filter=Q(adoptions__end_on__isnull=True), distinct=True))}
    # Aggregates of the branches the user may see (the handling unit may sit outside the user's scope).
    live = [State.MERGED, State.REJECTED]
    requests = cases_referring_to(Stairwell, desk=HOME_REQUEST).exclude(state__in=live)
    req = {r["stairwell__branch_id"]: r for r in requests.filter(stairwell__branch_id__in=ids)
           .values("stairwell__branch_id").order_by().annotate(
               n=Count("id"), resolved=Count("id", filter=Q(resolved_at__isnull=False)),
               on_time=Count("id", filter=Q(on_time=True)), rated=Count("id", filter=~Q(rating="")),
               good=Count("id", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASIC])))}
    com = {r["branch_id"]: r["n"] for r in CoGovernanceCommittee.objects.filter(branch_id__in=ids)
           .values("branch_id").order_by().annotate(n=Count("id"))}
    issues = {r["committee__branch_id"]: r["n"] for r in cases_referring_to(
        CoGovernanceCommittee, desk=HOME_GOVERNANCE).exclude(state__in=live)
        .filter(committee__branch_id__in=ids).values("committee__branch_id").order_by()
        .annotate(n=Count("id"))}
    out = []
    for b in branches:
        s, r = stair.get(b.pk, {}), req.get(b.pk, {})
        resolved = r.get("resolved", 0)
        out.append({
            "branch": b, "id": b.pk, "name": b.name, "community": b.community.name,
            "stairwells": s.get("n", 0), "adopted": s.get("adopted", 0),
            "requests": r.get("n", 0), "resolved": resolved,
            "on_time_rate": round(r.get("on_time", 0) / resolved, 4) if resolved else None,
            "satisfaction": round(r.get("good", 0) / r["rated"], 4) if r.get("rated") else None,
            "committees": com.get(b.pk, 0), "issues": issues.get(b.pk, 0),
        })
    return out


def figures(*, user, period) -> list[Figure]:
    """The home branches as they are now, in the user's scope (the `figures` hook; the requests and issues they
    bring are the desks' figures)."""
    branches = branch_list(user=user).filter(is_active=True)
    stairwells = Stairwell.objects.filter(branch__in=branches, is_active=True)
    adopted = stairwells.filter(pk__in=Adoption.objects.filter(end_on__isnull=True).values("stairwell_id"))
    committees = CoGovernanceCommittee.objects.filter(branch__in=branches, is_active=True)
    url = reverse("community-branches")
    return [
        Figure("home_branches", _("家园支部"), branches.count(), _("个"), STOCK, _("在册的家园支部"), url),
        Figure("stairwells", _("楼道"), stairwells.count(), _("个"), STOCK, _("家园支部的楼道"), url),
        Figure("stairwells_adopted", _("党员认领楼道"), adopted.count(), _("个"), STOCK, _("有党员在认领的楼道"), url),
        Figure("committees", _("共治委员会"), committees.count(), _("个"), STOCK, _("在册的共治委员会"), url),
    ]
