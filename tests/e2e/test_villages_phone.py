"""强村局长, operation teams, events and indicators on a 390 px phone: the county's pages and a head logging a visit
and raising a problem from the phone; no page scrolls sideways and no table cell breaks one character a line."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from .conftest import PHONE, shot, ui_login
from .test_phone import CELLS, _cell_problems

PW = "pass-1234-word"
VILLAGES = {"武康街道": ["上杨村", "龙山村", "三桥村", "勤勤村", "劳岭村"], "舞阳街道": ["曲溪村", "南舍村", "宋市村", "蔡界村"]}


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _seed(county, users):
    from bole.org import services as org
    from bole.org.choices import RegionKind, UnitKind
    from bole.org.demo import make_id_number
    from bole.villages import demo

    for town in (county["t1"], county["t2"]):
        for k, name in enumerate(VILLAGES[town.name], start=201):
            org.region_create(actor=None, code=f"{town.code}{k:03d}", name=name, kind=RegionKind.VILLAGE, parent=town)
    rng = random.Random(9)
    head = None
    for name in ("县农业农村局", "县财政局"):
        dept = org.unit_create(actor=None, name=name, kind=UnitKind.DEPARTMENT, region=county["county"])
        person = org.person_create(actor=None, name=f"{name[1:3]}局长", unit=dept, is_section_leader=True,
                                   is_cadre=True,
                                   id_number=make_id_number(rng, "330521", dt.date(1975, 1, rng.randint(1, 28)), True))
        head = head or person
    org.account_create(username="nong", role="cadre", scope=head.id_number, password=PW, actor=None)
    for i in range(3):
        org.account_create(username=f"judge{i + 1:02d}", role="judge", password=PW, actor=None)
    demo.seed(scale=1, seed=2024, actor=users["admin"], county="330521")
    return head


def _check(pg, name: str) -> list[str]:
    problems = []
    width = pg.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{name}: {width}px wide")
    problems += [f"{name}: {p}" for p in _cell_problems(pg.evaluate(CELLS))]
    if problems:
        shot(pg, f"phone-villages-{name}")
    return problems


@pytest.mark.django_db(transaction=True)
def test_new_villages_pages_fit_a_phone_and_a_head_logs_from_it(browser, live_url, users, county):
    from bole.villages.models import OperationTeam, Patron, PatronLog, VillageEvent

    head = _seed(county, users)
    patron = Patron.objects.filter(person=head).first()
    team = OperationTeam.objects.first()
    event = VillageEvent.objects.get(kind="assembly")
    pages = {
        "patrons": "/villages/patrons/", "patron": f"/villages/patron/{patron.pk}/", "teams": "/villages/teams/",
        "team": f"/villages/team/{team.pk}/", "team-edit": f"/villages/team/{team.pk}/edit/",
        "village": f"/villages/village/{patron.village_id}/", "patron-add": f"/villages/village/{patron.village_id}/patron/",
        "events": "/villages/events/", "event": f"/villages/event/{event.pk}/", "event-new": "/villages/events/new/",
        "indicators": "/villages/indicators/", "indicator-new": "/villages/indicators/new/",
        "target": "/villages/target/?show=all", "index": "/villages/",
    }
    pg = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    ui_login(pg, live_url, "admin", PW)
    problems = []
    for name, path in pages.items():
        response = pg.goto(live_url + path)
        assert response.status == 200, (name, response.status)
        problems += _check(pg, name)
    assert problems == []
    # the head, on a phone: a visit, then a problem to the desk
    pg = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    ui_login(pg, live_url, "nong", PW)
    pg.goto(f"{live_url}/villages/patron/{patron.pk}/")
    assert _check(pg, "patron-head") == []
    pg.get_by_label("内容").fill("入户走访三户低收入农户")
    with pg.expect_navigation():
        pg.get_by_role("button", name="保存").click()
    pg.get_by_text("已记录").wait_for()
    assert PatronLog.objects.filter(patron=patron, summary="入户走访三户低收入农户").exists()
    pg.get_by_text("提出问题（提交强村难题受理台）").click()
    pg.locator("#id_title").fill("村道拓宽涉及多部门审批")
    pg.locator("#id_description").fill("需要交通、自然资源部门协调")
    with pg.expect_navigation():
        pg.get_by_role("button", name="提交").click()
    pg.get_by_text("问题已提交强村难题受理台").wait_for()
    assert "村道拓宽涉及多部门审批" in pg.content()
    assert _check(pg, "patron-head-after") == []
