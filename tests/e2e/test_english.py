"""The interface in English: a demo login that presses EN in the top bar reads no Chinese outside the records' own
words — on every page (the page's text, its tooltips and placeholders, and every text its ECharts charts draw: series,
axis, legend and category names), the cockpit and the big screen included.

The pages come from the URL conf as in test_phone: every route without parameters, then one page of each route they
link to and of each route those link to, each route once (by the first login that may open it; the logins go from the widest to the narrowest). The
records' words are taken out first: every Chinese string the database holds (tests/english.py), except configuration
the interface translates (grade, ranking-group and ledger-category names). The language switch back to 中文 is
written in Chinese on purpose (lang="zh-Hans") and is left out."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.english import Stripper, data_words, route_of
from tests.routes import start_pages

from .conftest import DEMO_PW as PW
from .conftest import DESKTOP, shot, ui_login, visit

LOGINS = ["admin", "huzhou", "wuxing", "deqing", "wukang", "ganbu", "jiebang", "judge01", "qiye", "dangyuan", "shequ"]
# Routes no one reads in a browser: the API, the language switch, sign-out, files.
NOT_PAGES = re.compile(r"^(api:|set_language$|logout$|login$|.*-(export|template|qr-sheet)$)")

# Everything a page shows as text: its rendered text, tooltips, placeholders and labels of controls, the <option>s of
# closed selects, and every string in each chart's option (series, axes, legend, category names, titles).
TEXTS = """() => {
  const out = [];
  const skip = (el) => el.closest('[lang^="zh"]');
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || skip(el) || el.closest("script, style, template, noscript")) continue;
    if (!el.getClientRects().length && !el.closest("select, details")) continue;
    if (n.textContent.trim()) out.push(n.textContent.trim());
  }
  for (const el of document.querySelectorAll("[title], [placeholder], [aria-label], [alt], input[type=submit]")) {
    if (skip(el)) continue;
    for (const a of ["title", "placeholder", "aria-label", "alt", "value"]) {
      if (a === "value" && el.type !== "submit") continue;
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push(v.trim());
    }
  }
  if (document.title) out.push(document.title);
  const strings = (v, acc) => {
    if (typeof v === "string") acc.push(v);
    else if (Array.isArray(v)) v.forEach((x) => strings(x, acc));
    else if (v && typeof v === "object") for (const k of Object.keys(v)) if (k !== "color") strings(v[k], acc);
    return acc;
  };
  const charts = [];
  if (window.echarts) for (const el of document.querySelectorAll("[_echarts_instance_]")) {
    const chart = window.echarts.getInstanceByDom(el);
    if (!chart) continue;
    const o = chart.getOption();
    const keys = ["series", "xAxis", "yAxis", "legend", "title", "radar", "visualMap", "dataset"];
    const texts = strings(keys.map((k) => o[k] || []), []).filter((s) => s.trim());
    charts.push(texts.length);
    out.push(...texts);
  }
  return {texts: out, charts};
}"""


def _english(pg, live_url: str) -> None:
    """Press EN in the top bar, as a user does (it posts to set_language and comes back)."""
    pg.get_by_role("button", name="EN", exact=True).click()
    pg.wait_for_load_state("networkidle")
    assert pg.evaluate("document.documentElement.lang") == "en"


def _check(pg, stripper: Stripper) -> tuple[list[str], int]:
    found = pg.evaluate(TEXTS)
    return stripper.leftovers("\n".join(found["texts"])), len(found["charts"])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_english_pages_show_no_chinese_outside_the_records(browser, demo_city):
    live_url = demo_city
    stripper = Stripper(data_words())
    problems: dict[str, list[str]] = {}
    visited: dict[str, str] = {}
    charts = 0
    seen: set[str] = set()
    for username in LOGINS:
        ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        ctx.set_default_timeout(180_000)
        pg = ctx.new_page()
        ui_login(pg, live_url, username, PW)
        _english(pg, live_url)
        if username == LOGINS[0]:
            assert "Cockpit" in pg.evaluate(TEXTS)["texts"]  # the walk reads the page, and reads it in English
            # an error page, inside the layout
            assert pg.goto(f"{live_url}/no-such-page/").status == 404
            if left := _check(pg, stripper)[0]:
                problems[f"{username} /no-such-page/ (404)"] = left[:8]
        queue = [(path, 0) for path in ["/", *start_pages(NOT_PAGES)]]
        while queue:
            path, depth = queue.pop(0)
            route = route_of(path, NOT_PAGES)
            if route is None or route in seen:
                continue
            pg, resp = visit(pg, live_url + path)
            if resp is not None and resp.status >= 500:
                problems[f"{username} {path} ({resp.status})"] = ["server error"]
                continue
            if resp is None or "text/html" not in resp.headers.get("content-type", ""):
                continue
            if resp.status in (403, 404) and route != "":
                key = f"{username} {path} ({resp.status})"
                if key not in problems and (left := _check(pg, stripper)[0]):
                    problems[key] = left[:8]
                continue  # another login may open it: the route stays unseen
            if resp.status != 200 or urlsplit(pg.url).path != path:
                continue
            seen.add(route)
            pg.wait_for_load_state("networkidle")
            if path in ("/", "/screen/"):
                pg.wait_for_timeout(500)  # the cockpit's and the screen's charts draw after their data arrives
            left, n = _check(pg, stripper)
            charts += n
            visited[route] = f"{username} {path}"
            if left:
                problems[f"{username} {path}"] = left[:8]
                shot(pg, "english-" + re.sub(r"[^\w]+", "-", f"{username}{path}").strip("-"))
            if depth < 2:
                for href in pg.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))"):
                    target = urlsplit(href or "")
                    if href and href.startswith("/") and not target.query and not target.fragment:
                        queue.append((target.path, depth + 1))
        ctx.close()

    report = "\n".join(f"{page}:\n    " + "\n    ".join(left) for page, left in problems.items())
    assert not problems, f"Chinese on English pages ({len(problems)} pages):\n{report}"
    # The walk reached the pages this check was made for, and read their charts.
    for route in ("", "screen/", "ledger/", "assessment/rounds/<int:pk>/ranking/", "cases/stats/", "projects/"):
        assert route in visited, route
    assert charts >= 5
    assert len(visited) > 70, sorted(visited)
    print(f"English: {len(visited)} routes, {charts} charts, {len(LOGINS)} logins")
