"""家园支部 on the home page (the `tiles` hook): a party member's adopted stairwells and the residents' requests
from them."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.cases.choices import DONE_STATES, State
from bole.cases.selectors import cases_referring_to
from bole.core.figures import TownColumn
from bole.core.plugins import Line, Section
from bole.core.scoping import own_person_id

from .models import Adoption, Stairwell


def my_stairwells(user) -> list[Section]:
    """我认领的楼道: each stairwell with its open requests, then the latest requests from them."""
    person_id = own_person_id(user)
    if person_id is None:
        return []
    adoptions = list(Adoption.objects.filter(person_id=person_id, end_on__isnull=True)
                     .select_related("stairwell__branch").order_by("stairwell_id"))
    if not adoptions:
        return []
    ids = [a.stairwell_id for a in adoptions]
    requests = cases_referring_to(Stairwell, ids).exclude(state__in=[State.MERGED, State.REJECTED])
    open_by = {}
    for ref_id in requests.exclude(state__in=DONE_STATES).values_list("ref_id", flat=True):
        open_by[ref_id] = open_by.get(ref_id, 0) + 1
    lines = [Line(f"{a.stairwell.branch.name} · {a.stairwell}", "",
                  _("%(n)s 件诉求办理中") % {"n": open_by[a.stairwell_id]} if open_by.get(a.stairwell_id)
                  else _("无待办诉求"), "warn" if open_by.get(a.stairwell_id) else "ok") for a in adoptions]
    for case in requests.order_by("-id")[:5]:
        lines.append(Line(case.title, reverse("cases-detail", args=[case.pk]), case.get_state_display(),
                          "ok" if case.state in DONE_STATES else ""))
    return [Section(label=_("我认领的楼道"), items=lines, url=reverse("cases-list"), link=_("楼道诉求"))]


def town_columns(*, county: str, period) -> list[TownColumn]:
    """镇街赛马榜: the share of each town's stairwells a party member adopts now; the same share of each community
    is keyed by its 12-digit code (the big screen's map shows it when it drills into a town; the board reads only
    the towns' 9-digit codes)."""
    rows = (Stairwell.objects.filter(branch__community__code__startswith=county, is_active=True,
                                     branch__is_active=True)
            .values("branch__community__code").order_by()
            .annotate(n=Count("id"), adopted=Count("id", filter=Q(
                pk__in=Adoption.objects.filter(end_on__isnull=True).values("stairwell_id")))))
    counts: dict[str, list[int]] = {}
    for r in rows:
        code = r["branch__community__code"]
        for key in {code[:9], code[:12]}:
            if len(key) in (9, 12):
                c = counts.setdefault(key, [0, 0])
                c[0] += r["n"]
                c[1] += r["adopted"]
    rates = {code: round(100.0 * adopted / n, 1) for code, (n, adopted) in counts.items() if n}
    return [TownColumn("stairwells_adopted_share", _("楼道党员认领率"), rates, "%", True,
                       _("镇街家园支部的楼道中有党员认领的比例（当前）"))]
