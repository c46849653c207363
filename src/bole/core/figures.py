"""The figures the department reports, gathered from the apps in one tree (`GET /api/v1/stats/`).

Every app that has figures declares `figures = [Figures(team, "path.to.func")]` in its AppConfig; the function
`func(*, user, period) -> list[Figure]` counts its records in the user's scope. The cockpit, the big screen, the
statistics pages and the API all read them here, so one figure is one number everywhere.

A figure is either counted over a period (``flow``: cases filed, points posted in 2026 or 2026Q4, or since the
records began when no period is chosen) or a state of the records now (``stock``: branches, talents on the
register); each says which, with its dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from . import periods, plugins

FLOW, STOCK = "flow", "stock"


@dataclass(frozen=True)
class Figure:
    """One reported number and what it is."""

    key: str  # unique across the apps, e.g. "catchall_problems"
    label: Any  # 兜底办问题
    value: int | float
    unit: Any = ""  # 件, 个, 人, 亿元
    kind: str = FLOW  # FLOW counted in the period, STOCK the records as they are now
    source: Any = ""  # the records it is counted from, in plain words
    url: str = ""  # the page listing the records behind it


@dataclass(frozen=True)
class Span:
    """The period figures are counted over: a year, a quarter, or everything on record (``code`` "")."""

    code: str
    start: dt.date | None
    end: dt.date | None
    label: str

    def contains(self, field_name: str, *, datetime_field: bool = True) -> dict[str, Any]:
        """ORM filter keeping the rows whose ``field_name`` falls in the span ({} for everything on record)."""
        if self.start is None:
            return {}
        if not datetime_field:
            return {f"{field_name}__gte": self.start, f"{field_name}__lte": self.end}
        lo = timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))
        hi = timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))
        return {f"{field_name}__gte": lo, f"{field_name}__lt": hi}


def span(period: str | None) -> Span:
    """The span of a period code ("2026", "2026Q4"); "" or None is everything on record (累计)."""
    if not period:
        return Span("", None, None, _("累计"))
    code = periods.clean(period)
    start, end = periods.dates(code)
    return Span(code, start, end, periods.label(code))


@dataclass
class Mechanism:
    key: str
    label: str
    figures: list[Figure] = field(default_factory=list)


@dataclass(frozen=True)
class TownColumn:
    """One column of the town comparison (镇街赛马榜): a value per town (9-digit region code; None where the town has
    nothing to count), whether higher is better, and what it is counted from. Values keyed by 12-digit village codes
    may sit beside the towns' (the big screen's map shows them for a town's villages; the board ignores them)."""

    key: str
    label: Any
    values: dict[str, float | None]
    unit: Any = ""
    higher_is_better: bool = True
    source: Any = ""


def _teams() -> dict[str, Any]:
    return {k: v for k, v in plugins.NAV_GROUPS.items() if k in plugins.FIGURE_TEAMS}


def gather(*, user, period: str | None = "", only: set[str] | None = None) -> list[tuple[str, Mechanism]]:
    """(team, mechanism with its figures) of every app that declares figures, in app order; ``only`` limits the
    apps by label."""
    s = span(period)
    out = []
    for app, decl in plugins.figure_providers():
        if only is not None and app.label not in only:
            continue
        out.append((decl.group, Mechanism(app.label, str(app.verbose_name), list(decl.resolve()(user=user, period=s)))))
    return out


def values(*, user, period: str | None = "", only: set[str] | None = None) -> dict[str, int | float]:
    """{key: value} of the figures (for pages that show a few of them by key)."""
    return {f.key: f.value for _team, m in gather(user=user, period=period, only=only) for f in m.figures}


def tree(*, user, period: str | None = "") -> dict[str, Any]:
    """The whole tree: period and as-of time, then team → mechanism → figures, each with its period's words."""
    s = span(period)
    now = timezone.localtime()
    as_of = _("截至 %(date)s") % {"date": f"{now:%Y-%m-%d %H:%M}"}
    teams: dict[str, dict[str, Any]] = {}
    labels = _teams()
    for team, mech in gather(user=user, period=period):
        entry = teams.setdefault(team, {"key": team, "label": str(labels.get(team, team)), "mechanisms": []})
        entry["mechanisms"].append({
            "key": mech.key, "label": mech.label,
            # nothing on record in the scope and period (e.g. a mechanism another county runs): said once in
            # words on the pages instead of a row of zeros
            "empty": all(f.value == 0 for f in mech.figures),
            "figures": [{
                "key": f.key, "label": str(f.label), "value": f.value, "unit": str(f.unit), "kind": f.kind,
                "period": s.label if f.kind == FLOW else as_of, "source": str(f.source), "url": f.url,
            } for f in mech.figures],
        })
    order = list(labels)
    return {
        "as_of": now.isoformat(timespec="seconds"),
        "period": {"code": s.code, "label": s.label, "start": s.start, "end": s.end},
        "teams": sorted(teams.values(), key=lambda t: order.index(t["key"]) if t["key"] in order else len(order)),
    }
