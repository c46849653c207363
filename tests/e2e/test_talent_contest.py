"""A talent contest in the browser: the county admin opens it from the menu, moves it from 报名 through 初赛 and 决赛
to 已评奖 with the page's buttons while judges score on the evaluation engine; the award then shows on the
contest's and the talent's pages on a phone at 390 px, and the talent's edit page fits the phone too."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from .conftest import menu_click, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture
def setup(county, users):
    from bole.org.demo import make_id_number
    from bole.org.services import account_create
    from bole.talent import contests, services

    admin = users["admin"]
    today = dt.date.today()
    first = services.talent_create(actor=admin, person=county["lisi"], level="provincial", field="地理信息",
                                   industry="I", education="doctor", origin="introduced", region=county["t1"],
                                   arrival_date=today - dt.timedelta(days=20))
    second = services.talent_create(
        actor=admin, name="周八", id_number=make_id_number(random.Random(3), "330521", dt.date(1990, 5, 6), True),
        level="county", field="智能制造", industry="C", education="master", origin="cultivated", region=county["t2"],
        arrival_date=today - dt.timedelta(days=400))
    judges = [account_create(username=f"pw{i}", role="judge", password=PW, actor=None, full_name=f"评委{i}")
              for i in range(3)]
    contest = contests.contest_create(actor=admin, name="第六届全球高层次人才创新创业大赛", year=today.year,
                                      region=county["county"], tracks=["数字经济"], finalists_per_track=1)
    track = contest.tracks.get()
    contests.contestant_add(actor=admin, contest=contest, track=track, talent=first)
    contests.contestant_add(actor=admin, contest=contest, track=track, talent=second)
    return contest, first, judges


def _score(evaluation, quality: dict[str, float]) -> None:
    from bole.evaluation import services as ev
    from bole.evaluation.models import EventJudge

    ev.evaluation_transition(evaluation=evaluation, to="open", actor=None)
    for seat in EventJudge.objects.filter(evaluation=evaluation).select_related("user"):
        for subject in evaluation.subjects.all():
            ev.judge_scores_save(seat=seat, subject=subject, actor=seat.user,
                                 scores={c.pk: c.max_score * quality[subject.label] for c in evaluation.criteria.all()})
        ev.judge_submit(seat=seat, actor=seat.user)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_contest_from_registration_to_awards(browser, live_url, setup):
    from bole.talent import contests

    contest, first, judges = setup
    quality = {"李四": 0.9, "周八": 0.6}
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())
    ui_login(page, live_url, "admin", PW)
    menu_click(page, "人才大赛")
    page.get_by_role("link", name="第六届全球高层次人才创新创业大赛").click()
    page.get_by_role("button", name="结束报名，开始初赛").click()
    page.wait_for_url(re.compile(r".*/talent/contests/\d+/$"))
    assert page.get_by_text("大赛已进入“初赛”").is_visible()
    contest.refresh_from_db()
    for j in judges:
        contests.judge_seat(actor=_admin(), contest=contest, user=j)
    _score(contest.preliminary, quality)
    page.reload()
    page.get_by_role("button", name="结束初赛，晋级决赛").click()
    assert page.get_by_text("大赛已进入“决赛”").is_visible()
    contest.refresh_from_db()
    for j in judges:
        contests.judge_seat(actor=_admin(), contest=contest, user=j)
    _score(contest.final, quality)
    page.reload()
    page.get_by_role("button", name="结束决赛，评定奖项").click()
    assert page.get_by_text("大赛已进入“已评奖”").is_visible()
    assert page.get_by_text("一等奖").first.is_visible()
    shot(page, "talent-contest-awarded")

    phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                    has_touch=True)
    phone = phone_ctx.new_page()
    ui_login(phone, live_url, "admin", PW)
    for url in (f"/talent/contests/{contest.pk}/", "/talent/contests/", f"/talent/{first.pk}/",
                f"/talent/{first.pk}/edit/"):
        phone.goto(f"{live_url}{url}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 392, url
    phone.goto(f"{live_url}/talent/{first.pk}/")
    assert phone.get_by_text("一等奖").first.is_visible()
    shot(phone, "talent-contest-phone")


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")
