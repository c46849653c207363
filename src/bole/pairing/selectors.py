"""Reads of 产学研 pairing, scoped to the acting user; the figures the department reports."""

from __future__ import annotations

import numpy as np
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.cases.choices import State as CaseState
from bole.cases.models import Case
from bole.cases.selectors import case_list
from bole.core.figures import FLOW, STOCK, Figure

from .choices import CLOSED_STATES, ENGAGED_STATES, PairState
from .models import Expert, MatchRun, Need, Pairing, Report
from .permissions import policy
from .services import DESK_CODE


def expert_list(*, user, action: str = "view") -> QuerySet[Expert]:
    return policy.restrict(Expert.objects.select_related("region", "person"), user, action)


def need_list(*, user, action: str = "view") -> QuerySet[Need]:
    return policy.restrict(Need.objects.select_related("enterprise", "case"), user, action)


def run_list(*, user) -> QuerySet[MatchRun]:
    return policy.restrict(MatchRun.objects.select_related("region", "started_by"), user, "view")


def pairing_list(*, user, action: str = "view") -> QuerySet[Pairing]:
    qs = Pairing.objects.select_related("need", "need__enterprise", "expert", "run")
    return policy.restrict(qs, user, action)


def report_list(*, user, pairing: Pairing) -> QuerySet[Report]:
    return policy.restrict(Report.objects.filter(pairing=pairing).select_related("author"), user, "view")


def needs_to_classify(*, user) -> QuerySet[Case]:
    """Cases on the 技术需求 desk the department has not classified yet."""
    if not policy.may(user, "manage"):
        return Case.objects.none()
    done = Need.objects.values("case_id")
    return (case_list(user=user).filter(desk__code=DESK_CODE).exclude(pk__in=done)
            .exclude(state__in=[CaseState.REJECTED, CaseState.MERGED, CaseState.CLOSED]).order_by("id"))


def days_to_first_meeting(pairings: QuerySet[Pairing]) -> list[int]:
    """Days from each need's posting to its first meeting with any expert (one value per need)."""
    rows = (pairings.filter(first_meeting_on__isnull=False)
            .values_list("need_id", "need__posted_at", "first_meeting_on"))
    first: dict[int, int] = {}
    for need_id, posted, met in rows:
        days = (met - timezone.localtime(posted).date()).days  # the day it was posted where it was posted
        first[need_id] = min(first.get(need_id, days), days)
    return list(first.values())


def figures(*, user, period) -> list[Figure]:
    """产学研's reported figures in the user's scope: the professors and enterprises paired (pairings accepted by
    both and begun in the period), problems solved and the solved rate (pairings closed in the period), and the
    median days from a need to its first meeting (needs first met in the period)."""
    all_pairs = pairing_list(user=user)
    engaged = all_pairs.filter(state__in=ENGAGED_STATES, **period.contains("created_at"))
    closed = all_pairs.filter(state__in=CLOSED_STATES, **period.contains("closed_at"))
    solved = closed.filter(state=PairState.SOLVED)
    n_solved = solved.values("need_id").distinct().count()
    n_closed_needs = closed.values("need_id").distinct().count()
    met = all_pairs.filter(**period.contains("first_meeting_on", datetime_field=False))
    days = days_to_first_meeting(met)
    url = reverse("pairing-home")
    return [
        Figure("pairing_professors", _("结对专家"), engaged.values("expert_id").distinct().count(), _("人"), FLOW,
               _("与企业双方确认结对的高校院所专家（去重）"), url),
        Figure("pairing_enterprises", _("结对企业"), engaged.values("need__enterprise_id").distinct().count(),
               _("家"), FLOW, _("与专家双方确认结对的企业（去重）"), url),
        Figure("pairing_solved", _("解决技术难题"), n_solved, _("项"), FLOW,
               _("结对攻关标记为已解决的技术需求"), url),
        Figure("pairing_solved_rate", _("难题解决率"),
               round(100.0 * n_solved / n_closed_needs, 1) if n_closed_needs else 0.0, "%", FLOW,
               _("已解决的需求占结对结束的需求之比"), url),
        Figure("pairing_days_to_meeting", _("需求到首次对接（中位天数）"),
               float(np.median(days)) if days else 0.0, _("天"), FLOW,
               _("企业提出需求到与专家首次对接的天数中位数"), url),
        Figure("pairing_experts", _("专家库"), expert_list(user=user).filter(is_active=True).count(), _("人"),
               STOCK, _("在库的有效专家"), reverse("pairing-experts")),
    ]
