"""The screenshots of the 使用指南 (bole.help): each role of the demo city signs in, visits the pages its guide
shows and saves them where the guides read them, cropped to what the guide speaks of and reduced to a small
palette. By default they go to src/bole/static/help/ (committed, so a fresh install without internet shows them);
BOLE_HELP_SHOTS=DIR writes them elsewhere to look at first. The shots each guide declares (bole.help.guides) must
all be taken, and be new, by the end of the run."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from .conftest import DEMO_PW as PW
from .conftest import PHONE, ui_login

STATIC_HELP = Path(__file__).resolve().parents[2] / "src" / "bole" / "static" / "help"
OUT = Path(os.environ.get("BOLE_HELP_SHOTS") or STATIC_HELP)
DESKTOP = {"width": 1366, "height": 900}
MAX_H = 620  # a desktop shot shows the top of what it crops to: the part the guide speaks of
COLOURS = 128  # a palette PNG: a few tens of KB a screenshot


def _save(pg, name: str, *, target: str = "main", max_h: int = MAX_H, phone: bool = False, scroll: str = "") -> None:
    """Screenshot the element `target` (its top `max_h` px), or on a phone the screen (scrolled to the heading
    `scroll`), as a palette PNG."""
    from PIL import Image

    pg.wait_for_load_state("networkidle")
    if scroll:
        pg.locator("main h3", has_text=scroll).first.evaluate("el => el.scrollIntoView({block: 'start'})")
    if phone:
        raw = pg.screenshot(full_page=False)
    else:
        box = pg.locator(target).first.bounding_box()
        clip = {"x": max(box["x"] - 8, 0), "y": max(box["y"] - 8, 0),
                "width": min(box["width"] + 16, DESKTOP["width"]), "height": min(box["height"] + 16, max_h)}
        raw = pg.screenshot(full_page=True, clip=clip)
    img = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
    OUT.mkdir(parents=True, exist_ok=True)
    img.save(OUT / f"{name}.png", optimize=True)


def _href(pg, selector: str) -> str:
    link = pg.locator(selector).first
    link.wait_for()
    return link.get_attribute("href")


def _context(browser, live_url, username: str | None, *, phone: bool = False):
    if phone:
        ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    else:
        ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    ctx.set_default_timeout(120_000)
    pg = ctx.new_page()
    if username:
        ui_login(pg, live_url, username, PW)
    return ctx, pg


def _import_with_errors(pg, u: str) -> None:
    """Upload the people template with two faulty rows, as a user would, and wait for the check's verdict."""
    import tempfile

    from openpyxl import load_workbook

    template = pg.request.get(u + "/people/template.xlsx")
    book = load_workbook(io.BytesIO(template.body()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    rows = [{"姓名": "钱多多", "身份证号": "330521199001011234", "所在单位": "县不存在局"},
            {"姓名": "", "身份证号": "000000199001011230", "所在单位": "县委组织部"}]
    for row in rows:
        sheet.append([row.get(str(h).strip("*").strip() if h else "", "") for h in header])
    path = Path(tempfile.mkdtemp()) / "人员名单.xlsx"
    book.save(path)
    pg.goto(u + "/people/import/")
    pg.set_input_files("input[type=file]", str(path))
    pg.get_by_role("button", name="上传并检查").click()
    pg.wait_for_url("**/jobs/*/")
    pg.locator("h3[role=alert], .job-result").first.wait_for()
    path.unlink()
    path.parent.rmdir()


def _county(browser, u):
    ctx, pg = _context(browser, u, "deqing")
    _save(pg, "county-cockpit")
    _save(pg, "figures-period", max_h=300)
    pg.locator(".mainnav details").filter(has_text="干部队伍").locator("summary").click()
    _save(pg, "county-menu", target="body", max_h=440)
    pg.keyboard.press("Escape")
    pg.goto(u + "/cases/")
    _save(pg, "county-cases")
    pg.goto(u + "/cases/calendar/")
    _save(pg, "county-calendar")
    pg.goto(u + "/people/import/")
    _save(pg, "imports-import")
    _import_with_errors(pg, u)
    _save(pg, "imports-errors")
    pg.goto(u + "/jobs/")
    _save(pg, "imports-jobs", max_h=360)
    pg.set_viewport_size({"width": 1366, "height": 768})
    pg.goto(u + "/screen/?period=all")
    pg.locator(".tile").first.wait_for()
    pg.locator("#carousel-chart canvas").first.wait_for()
    _save(pg, "county-screen", target="body", max_h=768)
    ctx.close()

    ctx, pg = _context(browser, u, "wuxing")
    pg.goto(u + "/assessment/")
    _save(pg, "county-assessment")
    pg.goto(u + _href(pg, "main a[href^='/assessment/rounds/']"))
    _save(pg, "county-round")
    pg.goto(pg.url.split("?")[0] + "ranking/")
    _save(pg, "county-ranking")
    ctx.close()


def _town(browser, u):
    ctx, pg = _context(browser, u, "wukang")
    _save(pg, "town-cockpit")
    pg.goto(u + "/cases/")
    _save(pg, "town-cases")
    pg.goto(u + "/people/")
    _save(pg, "town-people")
    ctx.close()


def _unit(browser, u):
    ctx, pg = _context(browser, u, "shequ")
    _save(pg, "unit-home")
    pg.goto(u + "/community/")
    pg.goto(u + _href(pg, "main a[href^='/community/']:not([href='/community/'])"))
    _save(pg, "unit-branch")
    pg.goto(u + "/ledger/new/")
    _save(pg, "unit-ledger")
    ctx.close()


def _cadre(browser, u):
    ctx, pg = _context(browser, u, "ganbu")
    _save(pg, "cadre-home")
    pg.goto(u + "/assessment/")
    _save(pg, "cadre-assessment", max_h=420)
    pg.goto(u + _href(pg, "main a[href*='/people/']"))
    _save(pg, "cadre-explain")
    pg.goto(u + "/ledger/")
    _save(pg, "cadre-ledger", max_h=480)
    pg.goto(u + "/account/")
    _save(pg, "account-page", max_h=520)
    ctx.close()

    ctx, pg = _context(browser, u, "jiebang")
    pg.goto(u + "/challenges/")
    _save(pg, "cadre-board")
    pg.goto(u + _href(pg, "main a[href^='/challenges/'][href$='/']:not([href='/challenges/all/'])"
                         ":not([href='/challenges/new/'])"))
    _save(pg, "cadre-challenge")
    ctx.close()


CONTEST = "2026年雄鹰擂台赛（村社书记）复赛"


def _open_contest() -> None:
    """The demo's contests are over: a second round, open, that judge01 has scored three contestants of."""
    from django.contrib.auth import get_user_model

    from bole.evaluation import services
    from bole.evaluation.demo import CONTEST_CRITERIA
    from bole.evaluation.models import Evaluation

    users = get_user_model().objects
    admin, judge = users.get(username="admin"), users.get(username="judge01")
    if Evaluation.objects.filter(name=CONTEST).exists():
        return
    first = Evaluation.objects.filter(kind="contest", name__contains="雄鹰擂台赛").order_by("pk").first()
    ev = services.evaluation_create(actor=admin, name=CONTEST, kind="contest", unit=first.unit)
    criteria = [services.criterion_add(evaluation=ev, name=n, max_score=20, weight=1, actor=admin)
                for n in CONTEST_CRITERIA]
    subjects = [services.subject_add(evaluation=ev, person=s.person, actor=admin)
                for s in first.subjects.order_by("sort")[:8]]
    seat = services.judge_add(evaluation=ev, user=judge, actor=admin)
    services.judge_add(evaluation=ev, user=users.get(username="judge02"), actor=admin)
    services.evaluation_transition(evaluation=ev, to="open", actor=admin)
    for subject, base in zip(subjects[:3], (16.5, 15.0, 17.5), strict=True):
        if services.judge_may_score(seat, subject):
            services.judge_scores_save(seat=seat, subject=subject, actor=judge,
                                       scores={c.pk: base - i * 0.5 for i, c in enumerate(criteria)})


def _judge(browser, u):
    _open_contest()
    ctx, pg = _context(browser, u, "judge01", phone=True)
    pg.goto(u + "/judge/")
    _save(pg, "judge-home", phone=True)
    pg.goto(u + pg.locator("main a", has_text=CONTEST).first.get_attribute("href"))
    _save(pg, "judge-event", phone=True)
    event = pg.url.split("?")[0]
    pg.goto(u + _href(pg, f"main a[href^='{event[len(u):]}'][href$='/']:not([href$='/conflict/'])"))
    _save(pg, "judge-subject", phone=True)
    ctx.close()


def _enterprise(browser, u):
    ctx, pg = _context(browser, u, "qiye", phone=True)
    _save(pg, "enterprise-home", phone=True)
    pg.goto(u + "/portal/")
    _save(pg, "enterprise-portal", phone=True)
    pg.goto(u + _href(pg, "main a[href^='/portal/new/']"))
    _save(pg, "enterprise-submit", phone=True)
    ctx.close()


def _party(browser, u):
    ctx, pg = _context(browser, u, "dangyuan", phone=True)
    _save(pg, "party-home", phone=True, scroll="我认领的楼道")
    pg.goto(u + _href(pg, "main a[href^='/cases/'][href$='/']:not([href='/cases/'])"))
    _save(pg, "party-case", phone=True)
    ctx.close()


def _resident(browser, u):
    from bole.cases.choices import State
    from bole.cases.models import Case
    from bole.community.models import Stairwell

    stairwell = Stairwell.objects.filter(is_active=True).order_by("pk").first()
    requests = Case.objects.filter(desk__name="家园诉求").exclude(follow_token="").order_by("pk")
    case = requests.filter(state=State.RESOLVED).first() or requests.first()  # one waiting for the rating
    ctx, pg = _context(browser, u, None, phone=True)
    pg.goto(u + f"/q/{stairwell.qr_token}/")
    _save(pg, "resident-form", phone=True)
    pg.goto(u + f"/f/{case.follow_token}/")
    _save(pg, "resident-follow", phone=True)
    ctx.close()
    ctx, pg = _context(browser, u, None)
    pg.goto(u + "/login/")
    _save(pg, "account-login", max_h=420)
    ctx.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_guides_screenshots_are_taken_for_every_role(browser, demo_city):
    from bole.help.guides import GUIDES, TOPICS

    live_url = demo_city
    started = time.time() - 1
    for take in (_county, _town, _unit, _cadre, _judge, _enterprise, _party, _resident):
        take(browser, live_url)

    for guide in (*GUIDES, *TOPICS):
        sizes = 0
        for s in guide.shots:
            path = OUT / f"{s.name}.png"
            assert path.is_file(), s.name
            assert path.stat().st_mtime >= started, f"{s.name} is not fresh"
            sizes += path.stat().st_size
        assert sizes <= 400_000, (guide.slug, sizes)
