"""A county admin edits a desk on its page; an assigned unit sees the bell, opens its inbox and marks it read."""

from __future__ import annotations

import re

import pytest

from .conftest import DESKTOP, PHONE, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture
def assigned(county, users):
    from bole.cases.choices import Action
    from bole.cases.desks import desks_ensure
    from bole.cases.services import case_submit, case_transition

    desk = desks_ensure(actor=users["admin"])["catchall"]
    case = case_submit(desk=desk, category=desk.categories.get(name="其他"), title="厂区门口道路破损多年无人维修",
                       description="交通、住建、街道互相推诿，已三年未修。", submitter_kind="enterprise",
                       submitter_enterprise=county["e1"], actor=users["ent"])
    case = case_transition(case=case, action=Action.ACCEPT, actor=users["admin"])
    return case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_admin_edits_desk_and_unit_reads_its_notice(browser, live_url, assigned):
    from bole.cases.models import Desk
    from bole.core.models import Notification

    # 1. The county admin changes a category's deadline on the desk page.
    for name, viewport, mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
        ctx = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=mobile, has_touch=mobile)
        page = ctx.new_page()
        ui_login(page, live_url, "admin", PW)
        page.goto(f"{live_url}/cases/desks/")
        page.get_by_role("button", name="编辑").first.click()
        page.wait_for_url(re.compile(r".*/cases/desks/\d+/edit/$"))
        shot(page, f"cases-desk-edit-{name}")
        if name == "desktop":
            page.get_by_label("办理时限（工作日） 4").fill("0")
            page.get_by_role("button", name="保存").click()
            assert page.get_by_text("未保存，请修改标出的错误。").is_visible()
            assert page.get_by_text("办理时限须在 1 到 365 个工作日之间").is_visible()
            shot(page, "cases-desk-edit-error")
            page.get_by_label("办理时限（工作日） 4").fill("8")
            page.get_by_role("button", name="保存").click()
            page.wait_for_url(f"{live_url}/cases/desks/")
            assert page.get_by_text("已保存受理台“兜底办”").is_visible()
        ctx.close()
    assert Desk.objects.get(code="catchall").categories.get(name="其他").deadline_days == 8

    # 2. The street's admin sees one unread notice on the bell, reads it on a phone and a desktop.
    for name, viewport, mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
        ctx = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=mobile, has_touch=mobile)
        page = ctx.new_page()
        ui_login(page, live_url, "town1", PW)
        if name == "desktop":
            assert page.locator(".bell .badge").inner_text() == "1"
        page.locator("a.bell").click()
        page.wait_for_url(f"{live_url}/notices/")
        assert page.get_by_text(re.compile("交办：诉求 .*厂区门口道路破损")).is_visible()
        shot(page, f"inbox-{name}")
        if name == "phone":
            page.get_by_role("button", name="标为已读", exact=True).click()
            page.get_by_text("已读").first.wait_for()
            page.reload()
            assert page.locator(".bell .badge").count() == 0
        ctx.close()
    assert Notification.objects.get(recipient__username="town1").read_at is not None
