"""A talent asks for a service on a phone, the liaison resolves it, the talent rates it; the county admin ticks
the last item of a stage's checklist and the talent's lifecycle moves on."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from .conftest import shot, ui_login

PW = "pass-1234-word"


@pytest.fixture
def setup(county, users):
    from bole.cases.desks import desks_ensure
    from bole.org.services import account_create
    from bole.talent import services

    admin = users["admin"]
    desks_ensure(actor=admin)
    services.template_save(actor=admin, stage="recruit", name="签订引才协议", unit="县委人才办", day_offset=0)
    services.template_save(actor=admin, stage="settle", name="人才公寓", unit="县住建局", day_offset=10)
    talent = services.talent_create(actor=admin, person=county["lisi"], level="provincial", field="地理信息",
                                    industry="I", education="doctor", origin="introduced", region=county["t1"],
                                    arrival_date=dt.date.today() - dt.timedelta(days=20))
    services.liaison_assign(talent=talent, liaison=county["zhangsan"], actor=admin)  # the "cadre" login
    account_create(username="rencai", role="resident", scope=county["lisi"].id_number, password=PW, actor=None)
    return talent


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_talent_service_and_lifecycle(browser, live_url, setup):
    from bole.cases.models import Case

    talent = setup
    # 1. The talent, on a phone, asks for a service from 我的人才服务.
    phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                    has_touch=True)
    phone = phone_ctx.new_page()
    ui_login(phone, live_url, "rencai", PW)
    phone.get_by_role("link", name="提需求").click()
    phone.wait_for_url(re.compile(r".*/talent/me/$"))
    phone.get_by_label("服务类别").select_option(label="安居")
    phone.get_by_label("需求", exact=True).fill("人才公寓入住")
    phone.get_by_label("详细说明").fill("希望下周办理人才公寓入住手续")
    shot(phone, "talent-phone-request")
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case = Case.objects.get()
    assert case.owner.name == "张三" and case.state == "assigned"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 392

    # 2. The liaison (张三) starts and resolves it.
    desk_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = desk_ctx.new_page()
    ui_login(page, live_url, "cadre", PW)
    page.goto(f"{live_url}/talent/liaison/")
    page.get_by_role("link", name="李四").click()
    page.get_by_role("link", name="人才公寓入住").click()
    page.get_by_role("button", name="开始办理").click()
    page.get_by_label("办理结果").fill("已协调县住建局，钥匙已交付")
    page.get_by_role("button", name="办结").click()
    assert page.get_by_text("已办结待评价").first.is_visible()

    # 3. The talent rates it on the phone.
    phone.goto(f"{live_url}/talent/me/")
    phone.get_by_role("link", name="去评价").click()
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="评价", exact=True).click()
    case.refresh_from_db()
    assert case.state == "closed" and case.rating == "satisfied"
    phone.goto(f"{live_url}/talent/me/")
    assert phone.get_by_text("满意", exact=True).first.is_visible()
    shot(phone, "talent-phone-rated")

    # 4. The county admin ticks the 引进 checklist: the lifecycle moves on to 落户 with its own checklist.
    admin_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    admin = admin_ctx.new_page()
    ui_login(admin, live_url, "admin", PW)
    admin.goto(f"{live_url}/talent/?q=lisi")
    admin.get_by_role("link", name="李四").click()
    admin.get_by_role("button", name="办结").first.click()
    assert admin.get_by_text("人才公寓").first.is_visible()
    talent.refresh_from_db()
    assert talent.stage == "settle"
    assert admin.locator(".titlebar .status").inner_text() == "落户"
    shot(admin, "talent-detail-settle")
    for ctx in (phone_ctx, desk_ctx, admin_ctx):
        ctx.close()
