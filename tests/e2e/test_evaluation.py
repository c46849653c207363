"""An admin sets up a contest, a judge scores on a phone, the big screen shows it; a rater votes once by QR link."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE, menu_click, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture
def judge_user(county):
    from bole.org.services import account_create

    return account_create(username="judge-e2e", role="judge", scope=county["qianqi"].id_number, password=PW,
                          full_name="钱评委", actor=None)


@pytest.fixture
def survey(county, users):
    """An open 民主测评 with two tokens for peers."""
    from bole.evaluation import services
    from bole.evaluation.models import BallotToken

    admin = users["admin"]
    ev = services.evaluation_create(actor=admin, name="科级干部民主测评（演示）", kind="ballot", unit=county["u1"])
    for name in ("德", "能"):
        services.criterion_add(evaluation=ev, name=name, max_score=10, actor=admin)
    group = services.rater_group_add(evaluation=ev, code="peer", weight=1, expected_count=2, actor=admin)
    for key in ("zhangsan", "lisi"):
        services.subject_add(evaluation=ev, person=county[key], actor=admin)
    services.tokens_issue(evaluation=ev, group=group, count=2, actor=admin)
    services.evaluation_transition(evaluation=ev, to="open", actor=admin)
    return ev, list(BallotToken.objects.filter(evaluation=ev).values_list("token", flat=True))


@pytest.mark.django_db(transaction=True)
def test_contest_judge_scoreboard_and_one_time_ballot(browser, live_url, users, judge_user, survey):
    admin_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = admin_ctx.new_page()
    ui_login(page, live_url, "admin", PW)

    # --- the admin creates a contest
    page.goto(f"{live_url}/evaluation/")
    page.get_by_role("button", name="新建测评").click()
    page.get_by_label("名称", exact=True).fill("雄鹰擂台赛（演示）")
    page.get_by_label("类型", exact=True).select_option("contest")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("heading", name="雄鹰擂台赛（演示）").wait_for()
    page.locator("summary", has_text="添加指标").click()
    page.get_by_label("指标名称").fill("现场表现")
    page.get_by_label("满分").fill("10")
    page.get_by_role("button", name="添加指标").click()
    page.locator("summary", has_text="添加对象").click()
    page.get_by_label("人员", exact=True).fill("ls")  # the search picker
    page.get_by_role("button", name="李四").click()
    page.get_by_role("button", name="添加对象").click()
    page.locator("summary", has_text="添加评委").click()
    page.get_by_label("评委账号").fill("judge")
    page.get_by_role("button", name="judge-e2e").click()
    page.get_by_role("button", name="添加评委").click()
    page.get_by_role("cell", name="钱评委").wait_for()
    page.get_by_role("button", name="开始测评").click()
    page.get_by_text("进行中").first.wait_for()
    shot(page, "evaluation-contest-admin")
    ev_url = page.url

    # --- the judge scores on a phone
    phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    ui_login(phone, live_url, "judge-e2e", PW)
    menu_click(phone, "评委打分")
    phone.get_by_role("link", name="雄鹰擂台赛（演示）").click()
    phone.get_by_role("link", name="1. 李四").click()
    phone.get_by_label("现场表现").fill("8.5")
    shot(phone, "evaluation-judge-phone")
    phone.get_by_role("button", name="保存评分").click()
    phone.get_by_text("✓ 85.0").wait_for()
    phone.once("dialog", lambda d: d.accept())
    phone.get_by_role("button", name="提交全部评分").click()
    phone.get_by_text("已提交，不能再修改").wait_for()
    shot(phone, "evaluation-judge-list")

    # --- the big screen shows that the judge has scored, then the host reveals the score
    page.goto(ev_url + "screen/")
    cell = page.locator("td[data-state=done]")
    cell.wait_for()
    assert "已评" in cell.inner_text()
    assert page.get_by_role("button", name="亮分").count() == 0  # the projected view has no host controls
    host = admin_ctx.new_page()  # the host's own device, signed in as the organiser
    host.goto(ev_url + "screen/host/")
    host.get_by_role("button", name="亮分").click()
    host.get_by_role("button", name="隐藏").wait_for()
    page.locator("td.avg", has_text="85.00").wait_for()  # the screen polls every 3 s
    page.locator("section.screen th", has_text="评委1").wait_for()
    assert "钱评委" not in page.locator("section.screen").inner_text()  # judges by seat number, never by name
    shot(page, "evaluation-screen")
    host.close()

    # --- the host closes the contest; results say which rule is fairer
    page.goto(ev_url)
    page.get_by_role("button", name="结束并计算结果").click()
    page.get_by_role("button", name="查看结果").click()
    page.get_by_text("哪种计分规则更公平").wait_for()
    shot(page, "evaluation-results")

    # --- the QR sheet of the survey
    ev, tokens = survey
    page.goto(f"{live_url}/evaluation/{ev.pk}/tokens/print/")
    assert page.locator(".qr-card img").count() == 2
    shot(page, "evaluation-qr-sheet")
    page.goto(f"{live_url}/evaluation/{ev.pk}/")
    shot(page, "evaluation-survey-admin")

    # --- a rater opens a ballot link (no login) and votes; the same link again is refused
    rater_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    rater = rater_ctx.new_page()
    link = f"{live_url}/b/{tokens[0]}/"
    rater.goto(link)
    rater.get_by_role("heading", name="科级干部民主测评（演示）").wait_for()
    for i, select in enumerate(rater.locator("select").all()):
        select.select_option("9" if i % 2 == 0 else "x")
    shot(rater, "evaluation-ballot-phone")
    rater.get_by_role("button", name="提交选票").click()
    rater.get_by_role("heading", name="投票成功").wait_for()
    rater.goto(link)
    alert = rater.get_by_role("alert")
    assert "已经使用过" in alert.inner_text()
    shot(rater, "evaluation-ballot-refused")

    from bole.evaluation.models import QueuedBallot

    assert QueuedBallot.objects.filter(evaluation=ev).count() == 1  # mixed later (a full batch, or the close)
    for ctx in (admin_ctx, phone_ctx, rater_ctx):
        ctx.close()
