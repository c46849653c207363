"""三色预警 by written rules, and the 70万 projections (plain Python on one village's figures).

The rules, in the order they are checked (the first colour that applies wins; every reason that applies is listed):

* 红 ``below_target``: the village's operating income is under 70万元 — this year's projected year-end when the
  year has monthly figures, otherwise the latest full year's;
* 红 ``falling_two_years``: operating income fell two years running (the last three full years, each lower);
* 黄 ``near_target``: under 100万元 (within 30万 of the target);
* 黄 ``fell_last_year``: lower in the last full year than the year before;
* 黄 ``behind_last_year``: this year's projection is below last full year's income;
* 绿 otherwise.

Projected year-end: the income to date times 12 over the months reported (the year's run rate). Projected year of
crossing 70万: this year when the projection reaches it; otherwise the least-squares trend of the full years and
this year's projection, extended until it reaches 70万 (none when the trend does not rise).
"""

from __future__ import annotations

import math

from django.utils.translation import gettext_lazy as _

TARGET = 70.0
NEAR = 100.0
MAX_YEARS_AHEAD = 30

RULES = [
    ("red", "below_target", _("经营性收入低于70万元（本年按月度累计推算年末，无月度数据按上年）")),
    ("red", "falling_two_years", _("经营性收入连续两年下降")),
    ("yellow", "near_target", _("经营性收入低于100万元（距目标不足30万元）")),
    ("yellow", "fell_last_year", _("上年经营性收入比前年下降")),
    ("yellow", "behind_last_year", _("本年推算年末低于上年")),
]
TEXT = {code: text for _level, code, text in RULES}


def project_year_end(months: dict[int, float]) -> tuple[int | None, float | None, float | None]:
    """(latest month, income to date, projected year-end) from {month: income to date}."""
    if not months:
        return None, None, None
    m = max(months)
    return m, months[m], months[m] * 12.0 / m


def crossing_year(full: dict[int, float], current: int, projected: float | None, target: float = TARGET):
    """The first year the village's operating income is expected to reach `target`, or None."""
    if projected is not None and projected >= target:
        return current
    points = sorted((y, v) for y, v in full.items() if y < current)
    if projected is not None:
        points.append((current, projected))
    if not points:
        return None
    last_y, last_v = points[-1]
    if last_v >= target:
        return last_y
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(y for y, _v in points) / n
    my = sum(v for _y, v in points) / n
    sxx = sum((y - mx) ** 2 for y, _v in points)
    slope = sum((y - mx) * (v - my) for y, v in points) / sxx if sxx else 0.0
    if slope <= 0:
        return None
    steps = (target - last_v) / slope
    if not math.isfinite(steps) or steps > MAX_YEARS_AHEAD:
        return None  # the trend is too flat to say
    return last_y + max(1, math.ceil(steps))


def evaluate(full: dict[int, float], months: dict[int, float], current: int) -> dict:
    """The light, its reasons and the projections of one village."""
    month, to_date, projected = project_year_end(months)
    years = sorted(y for y in full if y < current)
    last = full[years[-1]] if years else None
    latest = projected if projected is not None else last
    hit = []
    if latest is not None and latest < TARGET:
        hit.append("below_target")
    if len(years) >= 3 and full[years[-1]] < full[years[-2]] < full[years[-3]] \
            and years[-1] - years[-3] == 2:
        hit.append("falling_two_years")
    if latest is not None and latest < NEAR:
        hit.append("near_target")
    if len(years) >= 2 and full[years[-1]] < full[years[-2]] and years[-1] - years[-2] == 1:
        hit.append("fell_last_year")
    if projected is not None and last is not None and projected < last:
        hit.append("behind_last_year")
    levels = {code: level for level, code, _t in RULES}
    if latest is None:
        light = None
    elif any(levels[c] == "red" for c in hit):
        light = "red"
    elif hit:
        light = "yellow"
    else:
        light = "green"
    return {"light": light, "reasons": [str(TEXT[c]) for c in hit], "codes": hit, "month": month,
            "to_date": to_date, "projected": projected, "crossing": crossing_year(full, current, projected),
            "latest": latest}
