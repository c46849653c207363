"""Browser tests: Playwright (PyPI) driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the live server makes are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
DEMO_PW = "bole-demo-2024"  # the demo's printed password
SHOTS = Path(os.environ.get("BOLE_SCREENSHOTS", "/tmp/bole-screenshots"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason="Debian chromium is not installed (apt-get install chromium fonts-noto-cjk)")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def _demo_city_copy(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The demo city (湖州市, every mechanism, every demo login) seeded once and copied aside (SQLite's backup);
    the database is left empty as it was found."""
    import sqlite3

    from django.core.management import call_command
    from django.db import connection

    from bole.cockpit.demo import seed_all

    path = tmp_path_factory.mktemp("demo-city") / "demo.sqlite3"
    with django_db_blocker.unblock():
        seed_all(scale=1, seed=2024, password=DEMO_PW)
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        call_command("flush", interactive=False, verbosity=0)
    return path


@pytest.fixture
def demo_city(_demo_city_copy, transactional_db, live_server) -> str:
    """The demo city in the test database, for the tests that walk every page (phone, English, the content
    policy, the guides' shots): copied in from the one seeding of the run, emptied after the test as a
    transactional test is. The live server's address."""
    import sqlite3

    from django.db import connection

    connection.ensure_connection()
    copy = sqlite3.connect(_demo_city_copy)
    copy.backup(connection.connection)
    copy.close()
    return live_server.url


@pytest.fixture(autouse=True)
def _close_pages_after(browser):
    """Every page a test opened is closed when it ends: a page left open (a job page polling its progress, the big
    screen refreshing) would go on calling the live server after the test, into the next one."""
    yield
    for ctx in browser.contexts:
        ctx.close()


@pytest.fixture
def live_url(live_server):
    return live_server.url


@pytest.fixture
def page(browser):
    """A desktop-sized page with Chinese locale."""
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page (raters, judges, residents)."""
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    yield pg
    ctx.close()


def shot(pg, name: str) -> Path:
    """Save a full-page screenshot for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def ui_login(pg, live_url: str, username: str, password: str) -> None:
    pg.goto(f"{live_url}/login/")
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill(password)
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_url(f"{live_url}/")


def open_menu(pg) -> None:
    """On a phone the top menu folds behind 菜单: open it (nothing to do where the links already show)."""
    toggle = pg.locator("label[for=navtoggle]")
    if toggle.is_visible():
        toggle.click()


def menu_click(pg, entry: str) -> None:
    """Follow a menu entry as a user does: open the phone menu, then the entry's group, then the entry."""
    open_menu(pg)
    link = pg.locator(".mainnav a").filter(has_text=entry).first
    if not link.is_visible():
        pg.locator(".mainnav details").filter(has=pg.locator("a", has_text=entry)).locator("summary").click()
    link.click()


def visit(pg, url: str, tries: int = 3):
    """Open `url` in a crawl: (the page to go on with, the response or None when it is no page).

    A GET of a form's action answers 405 with an empty body; Chromium then shows its own error page, whose
    navigation may interrupt the next visit. A failed visit is tried again in a fresh tab of the same context (the
    login stays), and a server error once more after a pause, so a crawl under load neither skips a page nor
    reports one that answers on the next try."""
    from playwright.sync_api import Error as PlaywrightError

    resp = None
    for attempt in range(tries):
        try:
            resp = pg.goto(url)
        except PlaywrightError:
            ctx = pg.context
            pg.close()
            pg = ctx.new_page()
            resp = None
            continue
        if resp is not None and resp.status >= 500 and attempt < tries - 1:
            pg.wait_for_timeout(1000)
            continue
        break
    return pg, resp
