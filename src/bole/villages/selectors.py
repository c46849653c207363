"""Reads of 强村六式, scoped by the user: villages, the index and its explanation, lights, the 70万 target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.figures import STOCK, Figure
from bole.core.scoping import region_reach
from bole.engines import index as engine
from bole.org.models import Region
from bole.org.selectors import region_list

from . import rules
from .models import (
    OPERATING_INCOME,
    TARGET_WAN,
    IndexRun,
    IndexScore,
    Indicator,
    MonthlyIncome,
    MonthlyReport,
    OperationTeam,
    Patron,
    PatronLog,
    TeamReview,
    TeamReviewEntry,
    VillageValue,
)
from .permissions import policy


def village_regions(*, user) -> QuerySet:
    """The administrative villages (村, not 社区) in the user's scope."""
    return region_list(user=user).filter(level="village", kind="village", is_active=True).order_by("code")


def town_regions(*, user) -> QuerySet:
    return region_list(user=user).filter(level="town", is_active=True).order_by("code")


def counties(*, user) -> QuerySet:
    """Counties whose villages the user may see (their own county for a town's staff)."""
    codes = {c[:6] for c in village_regions(user=user).values_list("code", flat=True)}
    return Region.objects.filter(code__in=codes).order_by("code")


def county_in_reach(*, user, county) -> bool:
    return region_list(user=user).filter(pk=county.pk).exists()


def indicators() -> QuerySet:
    return Indicator.objects.filter(is_active=True).select_related("denominator")


@dataclass
class Frame:
    """The matrix the engine reads: villages × index indicators (plus denominator columns)."""

    villages: np.ndarray
    names: list[str]
    towns: list[str]
    groups: np.ndarray
    indicators: list[Indicator]
    specs: list[engine.Indicator]
    data: np.ndarray
    raw: dict[str, np.ndarray] = field(default_factory=dict)


def index_frame(*, county, year: int) -> Frame:
    """One query for the villages, one for the values."""
    villages = list(Region.objects.filter(code__startswith=county.code, level="village", kind="village",
                                          is_active=True).select_related("parent").order_by("code"))
    inds = [i for i in indicators() if i.in_index]
    extra = [i.denominator for i in inds if i.denominator_id and i.denominator not in inds]
    extra = list({i.pk: i for i in extra}.values())
    cols = inds + extra
    col_of = {i.pk: j for j, i in enumerate(cols)}
    row_of = {v.pk: k for k, v in enumerate(villages)}
    data = np.full((len(villages), len(cols)), np.nan)
    for vid, iid, value in VillageValue.objects.filter(year=year, village__in=villages,
                                                       indicator_id__in=list(col_of)).values_list(
            "village_id", "indicator_id", "value"):
        data[row_of[vid], col_of[iid]] = value
    # villages with no value at all this year are not ranked
    keep = ~np.isnan(data[:, : len(inds)]).all(axis=1) if inds else np.zeros(len(villages), dtype=bool)
    villages = [v for v, k in zip(villages, keep, strict=True) if k]
    data = data[keep]
    specs = [engine.Indicator(code=i.code, direction=int(i.direction), weight=float(i.weight),
                              denominator=col_of[i.denominator_id] if i.denominator_id else None,
                              scale=float(i.scale), lo=i.lo, hi=i.hi, target=i.target) for i in inds]
    return Frame(villages=np.array([v.pk for v in villages], dtype=np.int64), names=[v.name for v in villages],
                 towns=[v.parent.name if v.parent else "" for v in villages],
                 groups=np.array([v.parent_id or 0 for v in villages]), indicators=inds, specs=specs, data=data)


def runs(*, user) -> QuerySet:
    """Index runs the user may read: those of counties in scope, and a town's or village's own county's (its
    staff read their villages' rows of the county-wide ranking)."""
    qs = IndexRun.objects.select_related("county")
    scoped = policy.restrict(qs, user)
    reach = region_reach(user)
    if reach and len(reach) > 6 and policy.allows(user, "view", IndexRun):
        return qs.filter(Q(pk__in=scoped.values("pk")) | Q(county__code=reach[:6]))
    return scoped


def run_get(*, user, pk) -> IndexRun:
    """One run the user may read (404 otherwise)."""
    try:
        return runs(user=user).get(pk=pk)
    except (IndexRun.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def latest_run(*, user, year: int | None = None) -> IndexRun | None:
    qs = runs(user=user)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-created_at", "-id").first()


def previous_run(run: IndexRun) -> IndexRun | None:
    """The latest run of the same county for the year before (movement since last year)."""
    return (IndexRun.objects.filter(county=run.county, year=run.year - 1)
            .order_by("-created_at", "-id").first())


def ranking(*, run: IndexRun, user) -> list[dict[str, Any]]:
    """The run's villages in the user's scope, by rank, with interval, movement, light."""
    scores = policy.restrict(IndexScore.objects.filter(run=run).select_related("village__parent"), user)
    prev = previous_run(run)
    before = dict(IndexScore.objects.filter(run=prev).values_list("village_id", "rank")) if prev else {}
    lights = village_lights(user=user, year=run.year)
    out = []
    for s in scores.order_by("rank", "village__code"):
        moved = before.get(s.village_id)
        out.append({"score": s, "village": s.village, "town": s.village.parent,
                    "movement": (moved - s.rank) if moved else None,
                    "light": lights.get(s.village_id, {}).get("light"),
                    "reasons": lights.get(s.village_id, {}).get("reasons", [])})
    return out


def income_history(village_ids) -> dict[int, dict[int, float]]:
    """{village id: {year: operating income 万元}} (one query)."""
    out: dict[int, dict[int, float]] = {}
    for vid, year, value in VillageValue.objects.filter(indicator__code=OPERATING_INCOME,
                                                        village_id__in=village_ids).values_list(
            "village_id", "year", "value"):
        out.setdefault(vid, {})[year] = value
    return out


def months_to_date(village_ids, year: int) -> dict[int, dict[int, float]]:
    out: dict[int, dict[int, float]] = {}
    for vid, month, amount in MonthlyIncome.objects.filter(year=year, village_id__in=village_ids).values_list(
            "village_id", "month", "to_date"):
        out.setdefault(vid, {})[month] = amount
    return out


def current_year() -> int:
    """The year the monthly figures run in: the latest year with any, else the year after the latest yearly data."""
    m = MonthlyIncome.objects.aggregate(y=Max("year"))["y"]
    if m:
        return m
    y = VillageValue.objects.aggregate(y=Max("year"))["y"]
    return (y + 1) if y else timezone.localdate().year


def village_lights(*, user, year: int | None = None) -> dict[int, dict[str, Any]]:
    """三色预警 of every village in scope, by the written rules (`rules.RULES`), on the data up to `year`."""
    villages = list(village_regions(user=user).values_list("pk", flat=True))
    history = income_history(villages)
    cur = current_year()
    monthly = months_to_date(villages, cur)
    out = {}
    for vid in villages:
        hist = {y: v for y, v in history.get(vid, {}).items() if year is None or y <= year}
        months = monthly.get(vid, {}) if (year is None or year >= cur - 1) else {}
        out[vid] = rules.evaluate(hist, months, cur)
    return out


def target_rows(*, user, town=None) -> list[dict[str, Any]]:
    """The 70万 target: every village in scope with last full year's income, this year's trajectory, the
    projected year-end, the projected year of crossing and its light."""
    qs = village_regions(user=user).select_related("parent")
    if town is not None:
        qs = qs.filter(parent=town)
    villages = list(qs)
    ids = [v.pk for v in villages]
    history = income_history(ids)
    cur = current_year()
    monthly = months_to_date(ids, cur)
    teams = set(OperationTeam.objects.filter(village_id__in=ids, is_active=True).values_list("village_id", flat=True))
    heads = patron_names(ids)
    rows = []
    for v in villages:
        hist = history.get(v.pk, {})
        months = monthly.get(v.pk, {})
        if not hist and not months:
            continue  # a village with no figures on record is not in the 强村 mechanism (another county's)
        ev = rules.evaluate(hist, months, cur)
        last_year = max((y for y in hist if y < cur), default=None)
        last = hist.get(last_year) if last_year else None
        rows.append({
            "village": v, "town": v.parent, "last_year": last_year, "last": last,
            "gap": max(0.0, TARGET_WAN - last) if last is not None else None,
            "month": ev["month"], "to_date": ev["to_date"], "projected": ev["projected"],
            "crossing": ev["crossing"], "light": ev["light"], "reasons": ev["reasons"],
            "team": v.pk in teams, "patrons": heads.get(v.pk, []),
        })
    return rows


# --- 强村局长 ------------------------------------------------------------------------------------------


def patrons(*, user, active: bool | None = True) -> QuerySet:
    """The pairings the user may see (staff: their region's villages; a head: their own)."""
    qs = policy.restrict(Patron.objects.select_related("village__parent", "person__unit"), user)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("village__code", "-start", "id")


def patron_get(*, user, pk, action: str = "view") -> Patron:
    return policy.get(Patron.objects.select_related("village__parent", "person__unit"), user, pk, action)


def patron_names(village_ids) -> dict[int, list[str]]:
    """Village id → the names of its live heads (for lists the caller has scoped already)."""
    out: dict[int, list[str]] = {}
    for vid, name in (Patron.objects.filter(village_id__in=village_ids, is_active=True)
                      .order_by("start", "id").values_list("village_id", "person__name")):
        out.setdefault(vid, []).append(name)
    return out


def patron_logs(*, patron: Patron, user) -> QuerySet:
    return policy.restrict(PatronLog.objects.filter(patron=patron).select_related("case__category"), user)


# --- operation teams ----------------------------------------------------------------------------------


def team_get(*, user, pk, action: str = "view") -> OperationTeam:
    return policy.get(OperationTeam.objects.select_related("village__parent"), user, pk, action)


def team_reports(*, team: OperationTeam, user) -> QuerySet:
    return policy.restrict(MonthlyReport.objects.filter(team=team), user).order_by("-year", "-month")


def team_reviews(*, user) -> QuerySet:
    return policy.restrict(TeamReview.objects.select_related("county", "evaluation"), user)


def team_review_entries(*, team: OperationTeam, user) -> QuerySet:
    return policy.restrict(TeamReviewEntry.objects.filter(team=team)
                           .select_related("review__evaluation", "subject"), user).order_by("-review__year")


def explanation(*, score: IndexScore, user) -> dict[str, Any]:
    """A village's index explained: each indicator's contribution against its town's and the county's mean,
    and its score, rank and interval by year."""
    run = score.run
    same_run = IndexScore.objects.filter(run=run).select_related("village")
    town_id = score.village.parent_id
    inds = {i.code: i for i in Indicator.objects.filter(code__in=list(score.contributions))}
    codes = [c for c in run.parameters.get("indicators", []) if c in inds]
    county_sum = {c: 0.0 for c in codes}
    town_sum = {c: 0.0 for c in codes}
    n_county = n_town = 0
    for s in same_run:
        n_county += 1
        in_town = s.village.parent_id == town_id
        n_town += in_town
        for c in codes:
            v = s.contributions.get(c) or 0.0
            county_sum[c] += v
            if in_town:
                town_sum[c] += v
    raw = dict(VillageValue.objects.filter(village=score.village, year=run.year, indicator__code__in=codes)
               .values_list("indicator__code", "value"))
    weights = dict(zip(run.parameters.get("indicators", []), run.parameters.get("weights", []), strict=False))
    lines = [{"indicator": inds[c], "value": raw.get(c), "normalised": score.normalised.get(c),
              "weight": weights.get(c), "contribution": score.contributions.get(c),
              "town": town_sum[c] / n_town if n_town else None, "county": county_sum[c] / n_county,
              "imputed": c in score.flags.get("imputed", []), "winsorised": c in score.flags.get("winsorised", [])}
             for c in codes]
    years = []
    for r in IndexRun.objects.filter(county=run.county).order_by("year", "-created_at"):
        if years and years[-1]["year"] == r.year:
            continue
        s = IndexScore.objects.filter(run=r, village=score.village).first()
        if s:
            years.append({"year": r.year, "score": s.score, "rank": s.rank, "low": s.rank_low, "high": s.rank_high,
                          "of": r.villages})
    history = income_history([score.village_id]).get(score.village_id, {})
    return {"lines": lines, "years": years, "income": sorted(history.items()),
            "town_n": n_town, "county_n": n_county}


def figures(*, user, period) -> list[Figure]:
    """强村 figures in the user's scope (the `figures` hook): this year's highest operating income of a pilot
    village, villages projected under 70万 at year end, villages under 70万 last year, pilot villages with teams."""
    rows = target_rows(user=user)
    cur = current_year()
    url = reverse("villages-target")
    pilots = set(OperationTeam.objects.filter(is_active=True, is_pilot=True,
                                              village__in=[r["village"] for r in rows]).values_list("village_id",
                                                                                                    flat=True))
    teams = sum(1 for r in rows if r["team"])
    pilot_rows = [r for r in rows if r["village"].pk in pilots and r["to_date"] is not None]
    out = []
    if pilot_rows:
        best = max(pilot_rows, key=lambda r: r["to_date"])
        out.append(Figure("villages_pilot_operating_income",
                          _("%(v)s经营性收入（%(y)s年1–%(m)s月）") % {"v": best["village"].name, "y": cur,
                                                                   "m": best["month"]},
                          round(best["to_date"], 1), _("万元"), STOCK,
                          _("运营团队试点村本年累计经营性收入的最高者（月度填报）"), url))
    projected_under = sum(1 for r in rows if r["projected"] is not None and r["projected"] < TARGET_WAN)
    no_data = sum(1 for r in rows if r["projected"] is None and r["last"] is not None and r["last"] < TARGET_WAN)
    last_under = sum(1 for r in rows if r["last"] is not None and r["last"] < TARGET_WAN)
    out += [
        Figure("villages_projected_under_target", _("预计年末经营性收入低于70万元的村"), projected_under + no_data,
               _("个"), STOCK, _("%(y)s年按月度累计推算年末；无本年数据的按上年") % {"y": cur}, url),
        Figure("villages_under_target_last_year", _("上年经营性收入低于70万元的村"), last_under, _("个"), STOCK,
               _("%(y)s年度经营性收入") % {"y": cur - 1}, url),
        Figure("villages_with_operation_teams", _("有运营团队的村"), teams, _("个"), STOCK,
               _("在约的乡村运营团队（试点 %(n)s 个）") % {"n": len(pilots)}, reverse("villages-teams")),
        Figure("villages_on_record", _("纳入强村指数的行政村"), len(rows), _("个"), STOCK, _("有强村数据的行政村"),
               reverse("villages-index")),
    ]
    return out


def local_today() -> dt.date:
    return timezone.localdate()
