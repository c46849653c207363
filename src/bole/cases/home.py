"""The desks on the home page (the `tiles` hook): an enterprise's or a resident's own problems with the date an
answer is due, the cases a person is responsible for, and the staff's queue and overdue cases."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.figures import TownColumn
from bole.core.plugins import Line, Section
from bole.core.scoping import own_enterprise_id, own_person_id
from bole.org.models import Unit

from .calendar import local_today
from .choices import DONE_STATES, RUNNING_STATES, Colour, State
from .models import Case, case_number
from .permissions import policy
from .selectors import case_list


def my_cases(user) -> list[Section]:
    """我的诉求 (what the enterprise or resident filed) and 我负责的诉求 (cases a person owns), open ones first,
    each with the date its answer is due."""
    sections = []
    today = local_today()
    enterprise_id, person_id = own_enterprise_id(user), own_person_id(user)
    mine = Q(submitter_user=user)
    if enterprise_id is not None:
        mine |= Q(submitter_enterprise_id=enterprise_id)
    filed = list(case_list(user=user).filter(mine).exclude(state__in=[State.MERGED])
                 .select_related("desk").order_by("-id")[:6])
    if filed:
        sections.append(Section(label=_("我的诉求"), items=[_line(c, today) for c in filed],
                                url=reverse("cases-portal") if policy.may(user, "portal") else "",
                                link=_("全部诉求")))
    if person_id is not None:
        owned = list(case_list(user=user).filter(owner_id=person_id, state__in=RUNNING_STATES)
                     .select_related("desk").order_by("deadline", "id")[:6])
        if owned:
            sections.append(Section(label=_("我负责的诉求"), items=[_line(c, today) for c in owned],
                                    url=reverse("cases-list"), link=_("诉求办理")))
    return sections


def _line(case, today) -> Line:
    text = f"{case_number(case.desk_id, case.pk)} {case.title}"
    url = reverse("cases-detail", args=[case.pk])
    if case.state in DONE_STATES:
        return Line(text, url, case.get_state_display(), "ok")
    if case.deadline is None:
        return Line(text, url, case.get_state_display())
    if case.deadline < today:
        return Line(text, url, _("已超期（应于 %(date)s 答复）") % {"date": f"{case.deadline:%Y-%m-%d}"}, "danger")
    return Line(text, url, _("预计 %(date)s 前答复") % {"date": f"{case.deadline:%Y-%m-%d}"},
                "warn" if case.warn_on and case.warn_on <= today else "")


def waiting(user) -> list[dict]:
    """待办 for staff: cases waiting to be accepted, and running cases past their deadline, in scope."""
    if not policy.may(user, "stats"):
        return []
    cases = case_list(user=user)
    listing = reverse("cases-list")
    return [
        {"label": _("诉求待受理"), "count": cases.filter(state=State.SUBMITTED).count(),
         "url": f"{listing}?state={State.SUBMITTED}"},
        {"label": _("诉求已超期"), "count": cases.filter(state__in=RUNNING_STATES, deadline__lt=local_today()).count(),
         "url": f"{listing}?colour={Colour.RED}"},
    ]


def alerts(user) -> list[dict]:
    """预警 for staff: running cases escalated (督办) for running overdue."""
    if not policy.may(user, "stats"):
        return []
    n = case_list(user=user).filter(state__in=RUNNING_STATES, escalation_level__gt=0).count()
    return [{"label": _("督办中的诉求"), "count": n, "url": f"{reverse('cases-list')}?colour={Colour.RED}"}]


def town_columns(*, county: str, period) -> list[TownColumn]:
    """镇街赛马榜: each town's on-time rate of the cases its units resolved in the period (by lead unit)."""
    # grouped by lead unit (a hundred groups, no join per case), the units' towns added up here
    units = dict(Unit.objects.filter(region__code__startswith=county).values_list("pk", "region__code"))
    rows = (Case.objects.filter(lead_unit_id__in=list(units), state__in=DONE_STATES, on_time__isnull=False,
                                **period.contains("resolved_at"))
            .values("lead_unit_id").order_by().annotate(n=Count("id"), ok=Count("id", filter=Q(on_time=True))))
    counts: dict[str, list[int]] = {}
    for r in rows:
        town = units[r["lead_unit_id"]][:9]
        if len(town) == 9:
            got = counts.setdefault(town, [0, 0])
            got[0], got[1] = got[0] + r["n"], got[1] + r["ok"]
    rates = {town: round(100.0 * ok / n, 1) for town, (n, ok) in counts.items() if n}
    return [TownColumn("cases_on_time", _("诉求按期办结率"), rates, "%", True,
                       _("镇街承办单位办结的诉求中按期办结的比例，按办结时间"))]
