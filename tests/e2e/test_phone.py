"""Every page on a 390 px phone, for every demo login: no page scrolls sideways, no table cell breaks one character
per line, a name (td.name) stays on one line and a unit (td.unit) on at most two.

The pages come from the URL conf, not from a list kept here: every route without parameters, then one page of each
further route linked from those and from the pages they lead to (the ranking, a branch, a round, a person's
explanation …), once as the department and once as a person of its own (see the test); a new page is checked as soon as it is in the URL conf or two links away
from a page that is. Screenshots of each route and of each failure go to /tmp/bole-screenshots (phone-*.png)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.routes import start_pages

from .conftest import DEMO_PW as PW
from .conftest import PHONE, shot, ui_login, visit

STAFF = {"admin", "huzhou", "wuxing", "deqing", "wukang", "shequ"}  # the department's logins: the cockpit homes
# Routes that are not pages to read on a phone: the API and its docs, a language switch, files, and the media they
# are made for (the big-screen scoreboard, printed QR sheets). Matched against the route's name.
NOT_PHONE_PAGES = re.compile(
    r"^(api:|set_language$|logout$|login$|.*-(screen|qr-sheet|reveal|export|template)$)"
)

# What a cell looks like once laid out: its text and the number of lines it takes.
CELLS = """() => {
  const lines = (el) => {
    const rects = [];
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.textContent.trim() || !n.parentElement.checkVisibility()) continue;  // e.g. inside a closed <details>
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) rects.push(r);
    }
    rects.sort((a, b) => a.top - b.top);
    let count = 0, bottom = -Infinity;
    for (const r of rects) {
      if (r.top >= bottom - 2) { count += 1; bottom = r.bottom; } else bottom = Math.max(bottom, r.bottom);
    }
    return count;
  };
  const out = [];
  for (const c of document.querySelectorAll("main td, main th")) {
    if (!c.getClientRects().length) continue;
    const text = (c.innerText || "").replace(/\\s+/g, "");
    if (text.length < 2) continue;
    out.push({text: text.slice(0, 24), lines: lines(c), name: c.matches(".name"), unit: c.matches(".unit")});
  }
  return out;
}"""


def _cell_problems(cells: list[dict]) -> list[str]:
    """A cell whose lines hold fewer than two characters on average breaks per character; a name wraps at all; a
    unit takes more than two lines."""
    out = []
    for c in cells:
        if c["lines"] >= 2 and len(c["text"]) / c["lines"] < 2:
            out.append(f"per character: {c['text']} ({c['lines']} lines)")
        elif c["name"] and c["lines"] > 1:
            out.append(f"name wraps: {c['text']} ({c['lines']} lines)")
        elif c["unit"] and c["lines"] > 2:
            out.append(f"unit on {c['lines']} lines: {c['text']}")
    return out


def _start_pages() -> list[str]:
    """Every page route without parameters, from the URL conf."""
    return start_pages(NOT_PHONE_PAGES)


def _route(path: str) -> str | None:
    """The route a path resolves to (one visit per route and login), or None for what is not a phone page."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    if NOT_PHONE_PAGES.match(match.view_name or ""):
        return None
    return match.route


def _visit_all(browser, live_url: str, username: str, shot_routes: set[str], read: set[str]) -> tuple[dict, dict]:
    """Open the start pages and one page of every route they link to, as `username` on a phone, leaving out the
    routes in `read` (read already by a login of the same kind) and adding those this login reads."""
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    ctx.set_default_timeout(180_000)  # the busiest demo pages, on a loaded machine
    pg = ctx.new_page()
    ui_login(pg, live_url, username, PW)
    widths, problems = {}, {}
    tried: set[str] = set()
    queue = [(path, 0) for path in _start_pages()]
    while queue:
        path, depth = queue.pop(0)
        route = _route(path)
        if route is None or route in tried or route in read:
            continue
        tried.add(route)
        pg, resp = visit(pg, live_url + path)
        if resp is not None and resp.status >= 500:
            problems[f"{username} {path}"] = [f"server error {resp.status}"]
            continue
        if resp is None or resp.status != 200 or "text/html" not in resp.headers.get("content-type", ""):
            continue  # not this login's page (403, a redirect to the login page) or a file
        if urlsplit(pg.url).path != path:
            continue  # redirected elsewhere: that page is visited under its own route
        read.add(route)
        pg.wait_for_load_state("networkidle")
        width = pg.evaluate("document.documentElement.scrollWidth")
        found = _cell_problems(pg.evaluate(CELLS))
        key = f"{username} {path}"
        widths[key] = width
        if width > PHONE["width"]:
            found.insert(0, f"page is {width} px wide")
        if found:
            problems[key] = found[:5]
        if found or route not in shot_routes:
            shot_routes.add(route)
            shot(pg, "phone-" + re.sub(r"[^\w]+", "-", f"{username}{path}").strip("-"))
        if depth < 2:
            for href in pg.eval_on_selector_all(
                "main a[href]", "els => els.map(e => e.getAttribute('href'))"
            ):
                target = urlsplit(href or "")
                if href and href.startswith("/") and not target.query and not target.fragment:
                    queue.append((target.path, depth + 1))
    ctx.close()
    return widths, problems


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_page_scrolls_sideways_or_breaks_names_on_a_phone(browser, demo_city):
    from bole.cockpit.management.commands.demo import LOGINS

    live_url = demo_city
    widths: dict[str, int] = {}
    problems: dict[str, list[str]] = {}
    shot_routes: set[str] = set()
    # Each route is read once by the department's logins (city, counties, a town, a community: the same pages over
    # a smaller region, read by the widest) and once by the other logins (the pages of one's own: a cadre's, a
    # judge's, an enterprise's …), by the first of each kind that may open it. Every login's home is checked below.
    read: dict[bool, set[str]] = {True: set(), False: set()}
    for username, _label in LOGINS:
        w, p = _visit_all(browser, live_url, username, shot_routes, read[username in STAFF])
        widths.update(w)
        problems.update(p)

    assert problems == {}
    # The walk reached the pages the phone layout was made for, as the logins that use them.
    for page in (
        "admin /ledger/",
        "admin /audit/",
        "admin /community/",
        "admin /projects/frontline/",
        "admin /cases/stats/",
    ):
        assert page in widths, page
    personal = {k.split()[1] for k in widths if k.split()[0] not in STAFF}  # the routes read as a person
    for path in ("/portal/", "/judge/", "/assessment/", "/vouchers/merchant/", "/pairing/", "/training/"):
        assert path in personal, path
    assert any(re.fullmatch(r"admin /assessment/rounds/\d+/ranking/", k) for k in widths)
    assert len(widths) > 150
    _homes_and_screens(browser, live_url, [u for u, _label in LOGINS])


def _homes_and_screens(browser, live_url: str, usernames: list[str]) -> None:
    """On the same demo: every login's home on a desktop and a phone, and the big screen of the city, a county and
    a town at 1920×1080 (the city's also at 3840×1080), each looked at in its screenshot."""
    for username in usernames:
        for size, viewport in (("desktop", {"width": 1366, "height": 900}), ("phone", PHONE)):
            ctx = browser.new_context(viewport=viewport, locale="zh-CN")
            pg = ctx.new_page()
            ui_login(pg, live_url, username, PW)
            heading = "驾驶舱" if username in STAFF else "我的工作台"
            assert pg.get_by_role("heading", name=heading, exact=True).is_visible(), username
            assert pg.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (username, size)
            shot(pg, f"home-{username}-{size}")
            if username in {"huzhou", "deqing", "wukang"} and size == "desktop":
                for w in (1920, 3840) if username == "huzhou" else (1920,):
                    pg.set_viewport_size({"width": w, "height": 1080})
                    pg.goto(f"{live_url}/screen/?period=all")
                    pg.locator(".tile").first.wait_for()
                    pg.locator("#carousel-chart canvas").first.wait_for()
                    pg.locator("#map-chart canvas").first.wait_for()  # the map of the region: city, county or town
                    pg.wait_for_function("document.getElementById('map-title').textContent.length > 0")
                    assert pg.evaluate("document.documentElement.scrollWidth") <= w
                    assert pg.evaluate("document.documentElement.scrollHeight") <= 1080
                    assert pg.locator("#team-grassroots .tile").count() > 0
                    shot(pg, f"screen-{username}-{w}x1080")
            ctx.close()
