"""强村 on the home page and the town board (the `tiles` and `towns` hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.figures import TownColumn

from . import selectors
from .models import TARGET_WAN, IndexRun, IndexScore


def alerts(user) -> list[dict]:
    """Villages projected under 70万 this year, and the red ones (the cockpit's alerts; dropped at 0)."""
    rows = selectors.target_rows(user=user)
    under = sum(1 for r in rows if (r["projected"] if r["projected"] is not None else (r["last"] or 0)) < TARGET_WAN
                and (r["projected"] is not None or r["last"] is not None))
    red = sum(1 for r in rows if r["light"] == "red")
    url = reverse("villages-target")
    return [{"label": _("经营性收入预计低于70万元的村"), "count": under, "url": url},
            {"label": _("强村红色预警"), "count": red, "url": url}]


def town_columns(*, county: str, period) -> list[TownColumn]:
    """镇街赛马榜: each town's mean 强村指数 (the county's latest run) and its villages' own values for the map."""
    run = IndexRun.objects.filter(county__code=county).order_by("-year", "-created_at", "-id").first()
    if run is None:
        return []
    values: dict[str, float | None] = {}
    sums: dict[str, list[float]] = {}
    for code, score in IndexScore.objects.filter(run=run).values_list("village__code", "score"):
        values[code] = round(score, 1)
        sums.setdefault(code[:9], []).append(score)
    for town, xs in sums.items():
        values[town] = round(sum(xs) / len(xs), 1)
    return [TownColumn("village_index_mean", _("强村指数（村均）"), values, _("分"), True,
                       _("%(y)s年强村指数，镇街内各村平均") % {"y": run.year})]
