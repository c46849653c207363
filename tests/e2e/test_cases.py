"""A resident scans a stairwell QR code on a phone and files a request; the adopting party member resolves it;
the resident rates it by the private link; the stats page counts it."""

from __future__ import annotations

import re

import pytest

from .conftest import menu_click, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture
def stairwell(county, users):
    from bole.cases.desks import desks_ensure
    from bole.community import services
    from bole.org.services import person_update

    admin = users["admin"]
    desks_ensure(actor=admin)
    member = person_update(person=county["zhangsan"], is_party_member=True, actor=admin)  # the "cadre" login
    branch = services.branch_create(name="塔山社区阳光花园家园支部", community=county["v2"], unit=county["u2v"],
                                    secretary=county["zhaoliu"], actor=admin)
    s = services.stairwell_create(branch=branch, compound="阳光花园", building="3", entrance="2", households=24,
                                  actor=admin)
    services.adoption_create(stairwell=s, person=member, actor=admin)
    return s


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_stairwell_request_resolved_rated_and_counted(browser, live_url, stairwell, users):
    from bole.cases.models import Case

    # 1. The resident opens the QR URL on a phone and submits.
    phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                    has_touch=True)
    phone = phone_ctx.new_page()
    phone.goto(f"{live_url}/q/{stairwell.qr_token}/")
    assert phone.get_by_text("阳光花园3幢2单元").is_visible()
    phone.get_by_label("手机号码").fill("13857211234")
    phone.get_by_label("诉求类别").select_option(label="设施维修")
    phone.get_by_label("诉求内容").fill("3幢2单元楼道灯坏了，晚上看不见")
    shot(phone, "cases-resident-form")
    phone.get_by_role("button", name="提交诉求").click()
    phone.wait_for_url(re.compile(r".*/f/[\w-]+/$"))
    follow_url = phone.url
    assert phone.get_by_text("已交办").first.is_visible()
    shot(phone, "cases-resident-follow")
    case = Case.objects.get()
    assert case.owner.name == "张三"

    # 2. The adopting party member logs in, starts and resolves it.
    desk_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = desk_ctx.new_page()
    ui_login(page, live_url, "cadre", PW)
    menu_click(page, "诉求办理")
    page.get_by_role("link", name=re.compile("楼道灯坏了")).first.click()
    page.get_by_role("button", name="开始办理").click()
    page.get_by_label("办理结果").fill("已联系物业更换灯泡，楼道照明恢复")
    shot(page, "cases-member-detail")
    page.get_by_role("button", name="办结").click()
    assert page.get_by_text("已办结待评价").first.is_visible()

    # 3. The resident rates by the private link.
    phone.goto(follow_url)
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="提交评价").click()
    assert phone.get_by_text("您的评价：满意").is_visible()
    shot(phone, "cases-resident-rated")
    case.refresh_from_db()
    assert case.state == "closed" and case.rating == "satisfied"

    # 4. The stats page counts it.
    admin_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    admin = admin_ctx.new_page()
    ui_login(admin, live_url, "admin", PW)
    admin.goto(f"{live_url}/cases/stats/")
    assert admin.locator("#fig-requests").inner_text() == "1"
    admin.wait_for_function("document.querySelector('#chart canvas') !== null")
    shot(admin, "cases-stats")
    for ctx in (phone_ctx, desk_ctx, admin_ctx):
        ctx.close()
