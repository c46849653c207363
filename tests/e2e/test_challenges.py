"""揭榜挂帅 end to end: publish, a cadre applies on a phone, award, a panel member signs off on a phone,
milestone acceptance, the cadre's points and their assessment explanation."""

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


@pytest.mark.django_db(transaction=True)
def test_challenge_publish_apply_award_accept(browser, live_url, users, county):
    from bole.org.services import account_create

    today = timezone.localdate()
    account_create(username="qianqi", role="cadre", scope=county["qianqi"].id_number, password=PW, actor=None)
    admin_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = admin_ctx.new_page()
    ui_login(page, live_url, "town1", PW)

    # --- the town publishes a challenge with a paid milestone
    page.goto(f"{live_url}/challenges/")
    page.get_by_role("button", name="发布榜单").click()
    page.get_by_label("榜单名称").fill("引进亿元以上智能制造项目")
    page.get_by_label("领域").select_option("investment")
    page.get_by_label("发榜单位").fill("wk")  # the search picker: initials
    page.get_by_role("button", name="武康街道党工委").click()
    page.get_by_label("攻坚目标").fill("年内引进并签约一个总投资 1 亿元以上的智能制造项目")
    page.get_by_label("验收标准").fill("签订正式投资协议；完成土地摘牌")
    page.get_by_label("激励积分").fill("5")
    page.get_by_label("其他激励").fill("同等条件下优先提拔使用")
    page.get_by_label("按节点分段计分").check()
    page.get_by_label("揭榜截止日期").fill((today + dt.timedelta(days=10)).isoformat())
    page.get_by_label("完成期限").fill((today + dt.timedelta(days=120)).isoformat())
    page.get_by_label("节点名称 1").fill("签订投资协议")
    page.locator("#id_m0-due_date").fill((today + dt.timedelta(days=30)).isoformat())
    page.locator("#id_m0-points").fill("3")
    page.get_by_role("button", name="保存草稿").click()
    shot(page, "challenges-create-after")
    page.get_by_role("heading", name="引进亿元以上智能制造项目").wait_for()
    page.get_by_role("button", name="发榜", exact=True).click()
    page.get_by_text("揭榜中").first.wait_for()
    detail_url = page.url

    # --- a cadre applies on a phone
    phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    ui_login(phone, live_url, "cadre", PW)
    phone.goto(f"{live_url}/challenges/")
    phone.get_by_role("heading", name="引进亿元以上智能制造项目").wait_for()
    shot(phone, "challenges-board-phone")
    phone.get_by_role("button", name="查看并揭榜").click()
    phone.get_by_label("攻坚方案").fill("依托长三角招商专班，锁定两家意向企业，三个月内签约。")
    shot(phone, "challenges-apply-phone")
    phone.get_by_role("button", name="揭榜", exact=True).click()
    phone.get_by_text("揭榜成功").wait_for()
    phone.get_by_text("您已揭榜").wait_for()

    # --- the publisher shortlists, awards and seats an acceptance panel
    page.goto(detail_url)
    page.get_by_role("button", name="入围", exact=True).click()
    page.get_by_label("选定张三").check()
    page.get_by_role("button", name="定榜（选定揭榜人）").click()
    page.get_by_text("已定榜").first.wait_for()
    page.get_by_label("验收组成员（姓名）").fill("qq")
    page.get_by_role("button", name="钱七").click()  # the match's id is posted, not the typed text
    assert page.get_by_role("checkbox", name="钱七（县委组织部）").is_checked()
    page.get_by_label("组长").check()
    page.get_by_role("button", name="加入验收组").click()
    page.get_by_text("钱七（组长）").wait_for()

    # --- the holder reports the milestone for acceptance on the phone
    phone.goto(detail_url)
    due = (today + dt.timedelta(days=30)).isoformat()
    phone.get_by_label("节点", exact=True).select_option(label=f"签订投资协议（{due}）")
    phone.get_by_label("进展情况").fill("已与浙江某智能装备公司签订正式投资协议，总投资 1.2 亿元。")
    phone.get_by_label("提请验收该节点").check()
    phone.get_by_role("button", name="提交进展").click()
    phone.get_by_text("进展已报告").wait_for()

    # --- the panel member signs off on a phone (the sign-off page of the evaluation engine)
    member_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    member = member_ctx.new_page()
    ui_login(member, live_url, "qianqi", PW)
    member.goto(f"{live_url}/challenges/")
    member.get_by_text("我参加的验收组").wait_for()
    member.get_by_role("button", name="去签署").click()
    member.get_by_text("有 1 项待您签署").wait_for()
    member.get_by_role("link", name="签订投资协议").click()
    member.get_by_text("验收标准：签订正式投资协议；完成土地摘牌").wait_for()
    member.get_by_label("通过", exact=True).check()
    member.get_by_label("评审意见").fill("投资协议原件已核验，同意通过")
    shot(member, "challenges-signoff-phone")
    member.get_by_role("button", name="签署", exact=True).click()
    member.get_by_text("已签署“签订投资协议”").wait_for()
    member.get_by_text("已签署：通过").wait_for()
    shot(member, "challenges-signoff-phone-done")
    member_ctx.close()

    # --- the publisher sees the verdict and accepts the milestone
    page.goto(detail_url)
    page.get_by_text("钱七：通过（投资协议原件已核验，同意通过）").wait_for()
    page.get_by_role("button", name="验收通过", exact=True).click()
    page.get_by_text("节点“签订投资协议”验收通过").wait_for()
    shot(page, "challenges-detail-accepted")

    # --- the cadre's points show the milestone's 3 points
    phone.goto(f"{live_url}/ledger/")
    phone.get_by_text("揭榜挂帅节点验收").wait_for()
    phone.get_by_text("+3.00").wait_for()
    shot(phone, "challenges-cadre-points")

    # --- the quarter's assessment counts them, and the cadre's explanation shows where they came from
    rnd = _assessment_round(today)
    phone.goto(f"{live_url}/assessment/")
    phone.get_by_role("link", name="查看得分明细").click()
    phone.get_by_role("heading", name="得分构成").wait_for()
    row = phone.locator("table.explain tbody tr", has_text="揭榜挂帅积分")
    assert row.locator("td.num").first.inner_text().strip() == "3"
    shot(phone, "challenges-cadre-assessment")
    row.get_by_role("link").first.click()
    phone.get_by_text("揭榜挂帅节点验收：引进亿元以上智能制造项目 · 签订投资协议").wait_for()
    shot(phone, "challenges-cadre-assessment-records")
    assert rnd.results.get().person.name == "张三"
    phone_ctx.close()
    admin_ctx.close()


def _assessment_round(today):
    """A quarterly scheme for section-level leaders whose points indicator counts 揭榜挂帅 points, and
    the current quarter's round computed and in publicity (the organisation department's steps)."""
    from bole.assessment import services
    from bole.challenges.services import challenge_category

    scheme = services.scheme_create(
        actor=None, name="科级领导干部季度考核", target="section_leader", period_kind="quarter",
        indicators=[{"code": "challenge", "name": "揭榜挂帅积分", "kind": "ledger", "weight": 100,
                     "normalisation": "raw", "categories": [challenge_category()]}])
    rnd = services.round_create(scheme=scheme, period=f"{today.year}Q{(today.month - 1) // 3 + 1}", actor=None)
    for to in ("collecting", "computed", "publicity"):
        services.round_transition(round=rnd, to=to, actor=None)
    return rnd
