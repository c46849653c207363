"""Every page passes the Content-Security-Policy in a real browser: the demo county, opened as its admin, page by
page (charts hovered so their tooltips draw), with no policy violation reported; then 我的账号 issues and
revokes a token, and five wrong passwords give the lockout page, all under the same policy."""

from __future__ import annotations

import pytest

from .conftest import DEMO_PW as PW
from .conftest import DESKTOP, shot, ui_login

# Collects violations from the first script on: Playwright's init scripts run outside the page's policy.
LISTEN = """window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ""} @${e.sourceFile}:${e.lineNumber}`));"""


def _pages() -> list[str]:
    from bole.assessment.models import Result
    from bole.awards.models import AwardRound
    from bole.cases.models import Case
    from bole.challenges.models import Challenge
    from bole.community.models import HomeBranch
    from bole.evaluation.models import Evaluation
    from bole.growth.models import GrowthRecord
    from bole.ledger.models import PointEntry
    from bole.org.models import Enterprise, Person, Unit
    from bole.projects.models import Project

    result = Result.objects.order_by("round_id", "rank").first()
    evaluation = Evaluation.objects.filter(groups__isnull=False).order_by("pk").first()
    person = Person.objects.order_by("pk").first()
    return [
        "/", "/tree/", "/people/", f"/people/{person.pk}/", f"/people/{person.pk}/edit/", "/units/",
        f"/units/{Unit.objects.order_by('pk').first().pk}/", "/enterprises/",
        f"/enterprises/{Enterprise.objects.order_by('pk').first().pk}/", "/regions/", "/people/import/",
        "/cases/", f"/cases/{Case.objects.order_by('pk').first().pk}/", "/cases/stats/", "/cases/desks/",
        "/cases/calendar/", "/portal/",
        "/community/", f"/community/{HomeBranch.objects.order_by('pk').first().pk}/",
        "/evaluation/", f"/evaluation/{evaluation.pk}/", f"/evaluation/{evaluation.pk}/results/",
        f"/evaluation/{evaluation.pk}/screen/",
        "/ledger/", f"/ledger/{PointEntry.objects.order_by('pk').first().pk}/", "/ledger/new/",
        "/assessment/", f"/assessment/rounds/{result.round_id}/", f"/assessment/rounds/{result.round_id}/ranking/",
        f"/assessment/rounds/{result.round_id}/people/{result.person_id}/", "/assessment/schemes/new/",
        "/awards/", f"/awards/{AwardRound.objects.order_by('pk').first().pk}/",
        "/projects/", f"/projects/{Project.objects.order_by('pk').first().pk}/", "/projects/frontline/",
        "/growth/", "/growth/records/", f"/growth/records/{GrowthRecord.objects.order_by('pk').first().pk}/",
        "/growth/checklist/",
        "/challenges/", "/challenges/all/", f"/challenges/{Challenge.objects.order_by('pk').first().pk}/",
        "/notices/", "/audit/", "/account/", "/account/password/", "/api/v1/docs",
    ]


def _violations(pg, console: list[str]) -> list[str]:
    return pg.evaluate("window.__csp || []") + [c for c in console if "Content Security Policy" in c]


def _hover_charts(pg) -> None:
    for canvas in pg.locator("canvas").all():
        box = canvas.bounding_box()
        if box:
            for fx in (0.3, 0.5, 0.7):
                pg.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * 0.6)
                pg.wait_for_timeout(150)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_the_content_security_policy(browser, demo_city):
    live_url = demo_city
    pages = _pages()
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    ctx.add_init_script(LISTEN)
    ctx.set_default_timeout(180_000)  # the busiest demo pages, on a loaded machine
    pg = ctx.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(m.text))
    found: dict[str, list[str]] = {}

    for _ in range(5):  # five wrong passwords: the lockout page, in the site layout, under the same policy
        pg.goto(f"{live_url}/login/")
        pg.get_by_label("用户名").fill("nobody")
        pg.get_by_label("密码").fill("wrong-pass-0000")
        pg.get_by_role("button", name="登录").click()
    pg.get_by_role("heading", name="登录已暂停").wait_for()
    found["/login/ (locked)"] = _violations(pg, console)

    ui_login(pg, live_url, "admin", PW)
    for url in pages:
        console.clear()
        resp = pg.goto(live_url + url)
        assert resp.status == 200, url
        pg.wait_for_load_state("networkidle")
        _hover_charts(pg)
        found[url] = _violations(pg, console)
        if url == "/":
            # Styles apply (our stylesheet, not inline): the red top bar.
            assert pg.locator("header.topbar").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(139, 26, 26)"
        if "/ranking/" in url:
            shot(pg, "csp-assessment-ranking")
        if url.startswith("/evaluation/") and url.count("/") == 3:
            shot(pg, "csp-evaluation-detail")

    # 我的账号: issue a token (shown once), then revoke it through the confirmation (data-confirm, bole.js).
    console.clear()
    pg.goto(f"{live_url}/account/")
    pg.get_by_label("用途").fill("报表同步")
    pg.get_by_role("button", name="签发令牌").click()
    assert pg.get_by_test_id("raw-token").inner_text().startswith("bole_")
    shot(pg, "csp-account-token")
    pg.once("dialog", lambda d: d.accept())
    pg.get_by_role("button", name="撤销").click()
    pg.get_by_text("已撤销令牌").wait_for()
    found["/account/ (issue, revoke)"] = _violations(pg, console)

    assert {url: v for url, v in found.items() if v} == {}
    assert len(found) == len(pages) + 2
