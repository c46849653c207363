"""镇街赛马榜: the towns of a county side by side on the columns every app declares (`towns` hook)."""

from __future__ import annotations

from typing import Any

from bole.core import figures, plugins
from bole.core.scoping import region_reach
from bole.org.models import Region


def village_values(columns, villages: dict[str, dict[str, float]] | None) -> None:
    """Add to `villages` ({column key: {village code: value}}) what the columns say of single villages: a column
    may key values by 12-digit village codes beside its towns' 9-digit ones (the big screen's map drills into a
    town with them; the board itself reads only the towns')."""
    if villages is None:
        return
    for col in columns:
        found = {code: v for code, v in col.values.items() if len(code) == 12 and v is not None}
        if found:
            villages.setdefault(col.key, {}).update(found)


def town_board(*, county: str, period: str | None = "",
               villages: dict[str, dict[str, float]] | None = None) -> dict[str, Any]:
    """The towns of a county side by side on every app's columns, each column ranked (competition ranking, ties
    share a place; a town with no value is unranked there), and the towns ordered by their mean rank over the
    columns they have a value in. Given a `villages` dict, the columns' values of single villages are added to it
    (`village_values`)."""
    s = figures.span(period)
    towns = dict(Region.objects.filter(code__startswith=county, level="town", is_active=True)
                 .order_by("code").values_list("code", "name"))
    columns = [c for func in plugins.town_columns() for c in func(county=county, period=s)
               if any(c.values.get(code) is not None for code in towns)]  # a column no town has a value in says nothing
    village_values(columns, villages)
    ranks: dict[str, list[int]] = {code: [] for code in towns}
    table = []
    for col in columns:
        present = [(code, col.values.get(code)) for code in towns if col.values.get(code) is not None]
        ordered = sorted((v for _c, v in present), reverse=col.higher_is_better)
        place = {code: 1 + ordered.index(v) for code, v in present}
        for code, r in place.items():
            ranks[code].append(r)
        table.append({"key": col.key, "label": str(col.label), "unit": str(col.unit), "source": str(col.source),
                      "higher_is_better": col.higher_is_better,
                      "cells": {code: (col.values.get(code), place.get(code)) for code in towns}})
    mean = {code: (sum(r) / len(r) if r else None) for code, r in ranks.items()}
    order = sorted(towns, key=lambda c: (mean[c] is None, mean[c] if mean[c] is not None else 0, c))
    overall = {}
    for code in order:
        if mean[code] is not None:
            overall[code] = 1 + sum(1 for other in order if mean[other] is not None and mean[other] < mean[code])
    return {
        "period": {"code": s.code, "label": s.label},
        "columns": [{k: c[k] for k in ("key", "label", "unit", "source", "higher_is_better")} for c in table],
        "rows": [{"code": code, "name": towns[code], "rank": overall.get(code), "mean_rank": mean[code],
                  "cells": [{"value": c["cells"][code][0], "rank": c["cells"][code][1]} for c in table]}
                 for code in order],
    }


def boards_for(*, user, period: str, villages: dict[str, dict[str, float]] | None = None) -> list[dict[str, Any]]:
    """The town comparisons a staff user sees on their cockpit: every county in their scope with its towns; a
    town's staff see their own town's row and its place among the county's towns, not the other towns' rows.
    Given a `villages` dict, the villages' values of the columns are added to it (those of the user's scope)."""
    reach = region_reach(user)
    if reach is None or len(reach) > 9:
        return []  # a department's, a village's or a person's scope: no town comparison
    own_town = reach if len(reach) == 9 else ""
    if len(reach) >= 6:
        counties = [reach[:6]]
    else:
        counties = list(Region.objects.filter(level="county", code__startswith=reach, is_active=True)
                        .order_by("code").values_list("code", flat=True)[:10])
    names = dict(Region.objects.filter(code__in=counties).values_list("code", "name"))
    out = []
    for county in counties:
        found: dict[str, dict[str, float]] = {}
        b = town_board(county=county, period=period, villages=found)
        if villages is not None:
            for key, values in found.items():
                villages.setdefault(key, {}).update({c: v for c, v in values.items() if c.startswith(reach)})
        if len(b["rows"]) < 2 or not b["columns"]:
            continue
        b["county"] = names.get(county, county)
        b["towns"] = len(b["rows"])
        if own_town:
            b["rows"] = [r for r in b["rows"] if r["code"] == own_town]
        out.append(b)
    return out


def reach_name(user) -> str:
    """The name of what a staff user's scope covers, for a title: the instance's top regions, or their region."""
    reach = region_reach(user)
    if reach == "":
        return "、".join(Region.objects.filter(parent__isnull=True).order_by("code").values_list("name", flat=True))
    if reach:
        region = Region.objects.filter(code__startswith=reach).order_by("code").only("name").first()
        return region.name if region else ""
    return ""
