"""干部大讲堂 on a phone: a cadre enrols, checks in with the room's QR code, signs out with the code the host reads
out, rates the lecture anonymously, and the hours appear on their record with the requirement bar moved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import DESKTOP, PHONE, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """The production password hasher is deliberately slow; accounts here are throwaway."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _time_passes(session, delta):
    """Move the session and its check-ins back by `delta`: as if that much time had gone by."""
    from bole.training.models import Attendance, Session

    Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at - delta, ends_at=session.ends_at - delta,
                                                 enrol_opens=session.enrol_opens - delta,
                                                 enrol_closes=session.enrol_closes - delta)
    for a in Attendance.objects.filter(session=session):
        Attendance.objects.filter(pk=a.pk).update(checked_in_at=a.checked_in_at - delta)


@pytest.mark.django_db(transaction=True)
def test_cadre_enrols_checks_in_and_sees_the_hours(browser, live_url, users, county):
    from bole.training import services

    now = timezone.now()
    plan = services.plan_create(actor=None, year=timezone.localdate().year, region=county["county"],
                                organiser=county["dept"])
    start = now + dt.timedelta(minutes=20)
    session = services.session_create(
        actor=None, plan=plan, host_unit=county["u1"], title="国土空间总体规划解读", place="区行政中心大礼堂",
        starts_at=start, ends_at=start + dt.timedelta(hours=3), capacity=50, hours=3,
        enrol_opens=now - dt.timedelta(days=1), enrol_closes=start, lecturer="马德清（中国城市规划设计研究院）",
        publish=True)

    phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    ui_login(phone, live_url, "cadre", PW)  # 张三
    phone.goto(f"{live_url}/training/")
    assert phone.locator("#hours-progress").get_attribute("value") == "0.00"
    phone.get_by_role("link", name="国土空间总体规划解读").click()
    phone.get_by_role("button", name="选修").click()
    phone.get_by_text("选修成功").wait_for()
    shot(phone, "training-session-phone")

    # the host puts the room's code on the screen; the cadre's phone scans it
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    host = ctx.new_page()
    ui_login(host, live_url, "town1", PW)
    host.goto(f"{live_url}/training/sessions/{session.pk}/")
    host.get_by_role("button", name="签到大屏").click()
    room = host.locator("#room-code")
    room.locator("svg").wait_for()
    token = room.get_attribute("data-token")
    code = host.locator("#short-code").inner_text().strip()
    shot(host, "training-room-screen")

    phone.goto(f"{live_url}/training/sessions/{session.pk}/checkin/?t={token}")
    phone.get_by_role("button", name="确认签到").click()
    phone.get_by_text("签到成功").wait_for()

    # the lecture runs; near its end the cadre signs out with the code the host reads out
    _time_passes(session, dt.timedelta(hours=2, minutes=40))
    phone.goto(f"{live_url}/training/sessions/{session.pk}/")
    phone.get_by_label("签到码（迟到或无法扫码时由主持人告知）").fill(code)
    phone.get_by_role("button", name="签退").click()
    phone.get_by_text("签退成功").wait_for()

    # the cadre rates the lecture anonymously: one ballot, through the evaluation engine
    phone.goto(f"{live_url}/training/sessions/{session.pk}/")
    phone.get_by_role("button", name="匿名评价本课").click()
    phone.get_by_text("测评人类别").wait_for()
    for select in phone.locator("select").all():
        select.select_option("9")
    shot(phone, "training-rating-phone")
    phone.get_by_role("button", name="提交选票").click()
    phone.get_by_text("投票成功").wait_for()
    phone.goto(f"{live_url}/training/sessions/{session.pk}/")
    phone.get_by_text("您已评价本课").wait_for()

    phone.goto(f"{live_url}/training/mine/")
    phone.locator("#hours-done").wait_for()
    done = float(phone.locator("#hours-done").inner_text())
    assert 2.0 < done < 3.0  # about 2 h 20 min of the 3 scheduled hours, in 学时
    assert float(phone.locator("#hours-progress").get_attribute("value")) == pytest.approx(done)
    assert phone.get_by_role("cell", name=f"{done:g}").count() >= 1
    shot(phone, "training-mine-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    ctx.close()
    phone_ctx.close()
