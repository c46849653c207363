"""产学研: an enterprise posts a technical need on a phone, the department classifies it and runs the matching, the
professor accepts on a phone, the pair meets and solves it, the enterprise rates it, and 解决技术难题 moves."""

from __future__ import annotations

import re

import pytest

from .conftest import PHONE, menu_click, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture
def pool(county, users):
    from bole.org.services import account_create
    from bole.pairing import services

    admin = users["admin"]
    services.need_desk_ensure(actor=admin)
    account_create(username="prof", role="resident", scope=county["lisi"].id_number, password=PW, actor=None)
    services.expert_create(actor=admin, region=county["county"], code="ZJUT-001", name="李四", person=county["lisi"],
                           institution="浙江工业大学", title="教授", fields="地理信息",
                           keywords="遥感影像、三维建模、激光雷达", works="长期从事遥感影像与三维建模研究。")
    services.expert_create(actor=admin, region=county["county"], code="ZJUT-002", name="周教授",
                           institution="浙江工业大学", fields="环保", keywords="污水处理、膜分离",
                           works="研究电镀废水膜分离回用。")


def _phone(browser):
    return browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True).new_page()


def _no_sideways(pg):
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_need_matched_accepted_solved_rated_counted(browser, live_url, pool, users):
    from bole.pairing.models import Pairing

    # 1. The enterprise posts its need on a phone through the portal's 技术需求 desk.
    ent = _phone(browser)
    ui_login(ent, live_url, "ent", PW)
    ent.goto(f"{live_url}/pairing/")
    ent.get_by_role("button", name="提出技术需求").click()
    ent.get_by_label("问题类别").select_option(label="地理信息")
    ent.get_by_label("标题").fill("遥感影像地物识别精度不足")
    ent.get_by_label("问题描述").fill("我公司在遥感影像处理环节遇到难题，希望在三维建模方面得到专家指导。")
    shot(ent, "pairing-enterprise-post")
    ent.get_by_role("button", name="提交").click()
    ent.wait_for_url(re.compile(r".*/cases/\d+/$"))

    # 2. The department classifies it and runs the matching.
    dept = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    ui_login(dept, live_url, "admin", PW)
    menu_click(dept, "产学研")
    solved_before = int(dept.locator("[data-figure=pairing_solved]").inner_text())
    dept.get_by_role("button", name="分类并纳入匹配").click()
    assert dept.get_by_text("已分类").first.is_visible()
    dept.get_by_role("button", name="运行匹配").click()
    dept.wait_for_url(re.compile(r".*/pairing/runs/\d+/$"))
    assert dept.get_by_text("遥感影像").first.is_visible()
    shot(dept, "pairing-run")
    pairing = Pairing.objects.get(expert__code="ZJUT-001")
    assert not Pairing.objects.filter(expert__code="ZJUT-002").exists()

    # 3. Both accept on their phones: the enterprise, then the professor.
    ent.goto(f"{live_url}/pairing/pairs/{pairing.pk}/")
    ent.get_by_role("button", name="企业确认").click()
    prof = _phone(browser)
    ui_login(prof, live_url, "prof", PW)
    prof.goto(f"{live_url}/pairing/")
    prof.get_by_role("link", name="遥感影像地物识别精度不足").click()
    assert prof.get_by_text("三维建模").first.is_visible()
    prof.get_by_role("button", name="专家确认").click()
    assert prof.get_by_text("双方已确认").first.is_visible()
    _no_sideways(prof)
    shot(prof, "pairing-professor-accepted")
    prof.get_by_label("首次对接日期").fill(__import__("datetime").date.today().isoformat())
    prof.get_by_role("button", name="登记首次对接").click()
    prof.get_by_role("button", name="开始合作攻关").click()

    # 4. The enterprise marks it solved with its outcome, and rates it.
    ent.reload()
    ent.get_by_label("成果类型").select_option(label="专利")
    ent.get_by_label("成果说明").fill("联合申请发明专利一项")
    ent.get_by_role("button", name="标记已解决").click()
    assert ent.get_by_text("已解决").first.is_visible()
    ent.get_by_label("5").check()
    ent.get_by_role("button", name="提交评价").click()
    assert ent.get_by_text("5 / 5").is_visible()
    _no_sideways(ent)
    shot(ent, "pairing-enterprise-rated")

    # 5. The figure moves.
    dept.goto(f"{live_url}/pairing/")
    assert int(dept.locator("[data-figure=pairing_solved]").inner_text()) == solved_before + 1
    shot(dept, "pairing-department-home")
