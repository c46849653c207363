"""The home page: the department staff's cockpit (驾驶舱: figures with their trend, to-do, alerts, the towns
side by side), and for everyone else a home of their own (points, tasks, cases, seats, notices)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core import figures, periods, plugins
from bole.core.notices import notifications_for
from bole.core.params import BadParameter
from bole.core.scoping import region_prefix, region_reach, scope_label
from bole.org.models import Region

from . import board
from .permissions import policy


def period_choices(today) -> list[tuple[str, str]]:
    """The periods the cockpit offers: this quarter, this year, last year, everything on record."""
    quarter = periods.of(today)
    return [(quarter, periods.label(quarter)), (str(today.year), periods.label(str(today.year))),
            (str(today.year - 1), periods.label(str(today.year - 1))), ("all", _("累计"))]


def chosen_period(request, today) -> str:
    """The period asked for (`?period=2026`, `2026Q4` or `all`), this year by default; "" is everything."""
    raw = request.GET.get("period", str(today.year))
    if raw == "all":
        return ""
    try:
        return periods.clean(raw)
    except Exception:  # noqa: BLE001 - any unreadable period is the client's error
        raise BadParameter(_("考核周期应写成 2024 或 2024Q1")) from None


@login_required
def home(request):
    """The staff's cockpit, or the user's own home."""
    user = request.user
    notices = list(notifications_for(user=user, unread_only=True)[:5])
    common = {"scope_label": scope_label(user), "todo": plugins.tiles("todo", user), "notices": notices}
    if not policy.may(user, "figures"):
        return render(request, "cockpit/mine.html", {**common, "sections": plugins.tiles("mine", user)})
    today = timezone.localdate()
    period = chosen_period(request, today)
    tree = figures.tree(user=user, period=period)
    for team in tree["teams"]:
        team["idle"] = [m["label"] for m in team["mechanisms"] if m["empty"]]
    if period:
        before = figures.values(user=user, period=periods.previous(period))
        for team in tree["teams"]:
            for mech in team["mechanisms"]:
                for f in mech["figures"]:
                    if f["kind"] == figures.FLOW and f["key"] in before:
                        f["previous"] = before[f["key"]]
                        f["change"] = f["value"] - before[f["key"]]
    return render(request, "cockpit/cockpit.html", {
        **common, "tree": tree, "period": period or "all", "periods": period_choices(today),
        "previous_label": periods.label(periods.previous(period)) if period else "",
        "alerts": plugins.tiles("alerts", user), "cards": plugins.tiles("home", user),
        "boards": board.boards_for(user=user, period=period),
    })


REFRESH_S = 60  # the big screen reloads its figures this often; a tile older than twice that is marked stale


@login_required
def screen(request):
    """大屏: the figures of the user's scope full-screen (1920×1080, also 3840×1080), dark, refreshed every minute,
    the towns' columns as a carousel of charts and a scrolling ranking. The first data is in the page itself, so
    the first paint waits for no request."""
    policy.require(request.user, "figures")
    today = timezone.localdate()
    period = chosen_period(request, today)
    villages: dict = {}
    data = screen_data(user=request.user, period=period, villages=villages)
    title = board.reach_name(request.user)
    return render(request, "cockpit/screen.html", {
        "data": data, "title": title, "map": map_data(user=request.user, villages=villages), "period": period or "all", "periods": period_choices(today),
        "refresh_s": REFRESH_S, "time_zone": settings.TIME_ZONE,
    })


def screen_data(*, user, period: str, villages: dict | None = None) -> dict:
    """What the big screen shows: the figures' tree and the town comparisons (the same as /api/v1/stats/ and
    /api/v1/stats/towns/, which the screen reads to refresh); the columns' village values go to `villages`."""
    return {"tree": figures.tree(user=user, period=period),
            "boards": board.boards_for(user=user, period=period, villages=villages)}


MAPS = Path(__file__).resolve().parent.parent / "static" / "cockpit" / "maps"  # written by bole.cockpit.mapgen


def map_data(*, user, villages: dict | None = None) -> dict | None:
    """The big screen's map of the user's scope: the region it starts at (a city with its counties, a county with
    its towns, a town with its villages), every region under it as [code, name, level, parent's code],
    the shipped schematic outlines that cover it (code → static URL; a region without one is laid out as a grid on
    the page) and the villages' values of the town columns. None: a scope with no region to draw."""
    reach = region_reach(user)
    if reach is None or len(reach) > 9:
        return None
    root = (Region.objects.filter(code__startswith=reach, is_active=True).order_by("code")  # "3305": 330500 湖州市
            .values_list("code", "name", "level").first())
    if root is None:
        return None
    regions = list(Region.objects.filter(code__startswith=reach, is_active=True,
                                         level__in=("city", "county", "town", "village")).exclude(code=root[0])
                   .order_by("code").values_list("code", "name", "level", "parent__code"))
    prefix = reach or region_prefix(root[0])
    files = {p.stem: static(f"cockpit/maps/{p.name}") for p in sorted(MAPS.glob("*.json"))
             if p.stem.startswith(prefix) or prefix.startswith(p.stem)}
    return {"root": {"code": root[0], "name": root[1], "level": root[2]}, "regions": [list(r) for r in regions],
            "files": files, "villages": villages or {}}
