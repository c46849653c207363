"""Awards in the browser: a unit nominates with the search pickers on a small phone; a cadre objects to a
publicised nominee on a phone; the county answers; the publicity list reads as cards on a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import shot, ui_login

PW = "pass-1234-word"
SMALL_PHONE = {"width": 375, "height": 812}  # the narrowest phone we design for


def _fits(pg) -> bool:
    """No sideways scrolling: the page is no wider than the screen."""
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def in_publicity(county, users):
    """A 2025Q1 round in publicity: 张三 proposed as 担当之星, 王五 not selected, a 武康 team proposed."""
    from bole.awards import services
    from bole.org.services import account_create
    from tests.awards.conftest import run_panel

    admin = users["admin"]
    judge = account_create(username="pw-e2e", role="judge", scope=county["qianqi"].id_number, password=PW, actor=None)
    rnd = services.award_round_create(period="2025Q1", actor=admin, star_quota=1, team_quota=1)
    services.award_round_transition(round=rnd, to="nominating", actor=admin)
    s1 = services.nomination_create(round=rnd, kind="star", unit=county["u1"], person=county["zhangsan"],
                                    deeds="牵头破解项目用地难题，推动项目提前开工投产。", actor=admin)
    s2 = services.nomination_create(round=rnd, kind="star", unit=county["u2"], person=county["wangwu"],
                                    deeds="防汛抗台冲锋在前，转移群众三百余人，实现零伤亡。", actor=admin)
    team = services.nomination_create(round=rnd, kind="team", unit=county["u1"], team_name="武康项目攻坚专班",
                                      members=[county["zhangsan"], county["lisi"]],
                                      deeds="专班三个月完成征迁签约，保障重大项目按期落地。", actor=admin)
    services.award_round_transition(round=rnd, to="reviewing", actor=admin)
    run_panel(rnd, judge, admin, {s1.pk: 0.9, s2.pk: 0.7, team.pk: 0.8})
    services.award_round_transition(round=rnd, to="publicity", actor=admin, today=dt.date.today())
    return rnd


@pytest.mark.django_db(transaction=True)
def test_objection_on_phone_and_answer(browser, phone, live_url, users, in_publicity):
    from .conftest import DESKTOP

    phone.set_viewport_size(SMALL_PHONE)
    ui_login(phone, live_url, "town2", PW)
    phone.goto(f"{live_url}/awards/")
    assert _fits(phone)
    phone.get_by_role("link", name=in_publicity.title).click()
    phone.get_by_role("heading", name="公示名单").wait_for()
    assert _fits(phone)
    shot(phone, "awards-publicity-phone")
    phone.get_by_text("提出异议").first.click()
    phone.get_by_label("异议理由").first.fill("该同志所述事迹中部分工作系集体完成，请核实。")
    assert _fits(phone)
    shot(phone, "awards-objection-phone")
    phone.get_by_role("button", name="提交异议").first.click()
    phone.get_by_text("异议已提交").wait_for()
    shot(phone, "awards-phone-objection")

    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    admin = ctx.new_page()
    ui_login(admin, live_url, "admin", PW)
    admin.goto(f"{live_url}/awards/{in_publicity.pk}/")
    admin.get_by_label("答复意见").fill("经核实，该同志在相关工作中发挥了牵头作用，事迹属实，维持拟表彰。")
    admin.get_by_role("button", name="答复").click()
    admin.get_by_text("异议不成立").first.wait_for()
    shot(admin, "awards-admin-publicity")
    ctx.close()


@pytest.fixture
def nominating(county, users):
    """A 2025Q2 round open for nominations, with one 舞阳 nomination already in."""
    from bole.awards import services

    admin = users["admin"]
    rnd = services.award_round_create(period="2025Q2", actor=admin)
    services.award_round_transition(round=rnd, to="nominating", actor=admin)
    services.nomination_create(round=rnd, kind="star", unit=county["u2"], person=county["wangwu"],
                               deeds="防汛抗台冲锋在前，转移群众三百余人，实现零伤亡。", actor=admin)
    return rnd


@pytest.mark.django_db(transaction=True)
def test_nominate_with_pickers_on_phone(browser, phone, live_url, county, nominating):
    """Typing initials finds people in the unit's scope only; a tap chooses; the nomination goes in."""
    from .conftest import DESKTOP

    phone.set_viewport_size(SMALL_PHONE)
    ui_login(phone, live_url, "town1", PW)
    phone.goto(f"{live_url}/awards/{nominating.pk}/")
    phone.get_by_role("button", name="提名").click()
    phone.get_by_role("heading", name="提名担当之星 / 担当团队").wait_for()
    phone.get_by_label("推荐单位").wait_for()
    assert phone.get_by_role("checkbox", name="武康街道党工委").is_checked()  # the town's own unit to start

    box = phone.get_by_label("被提名人（担当之星）")
    box.fill("ww")  # 王五 is 舞阳街道's: not offered to 武康
    phone.get_by_text("没有找到").wait_for()
    box.fill("ls")
    phone.get_by_role("button", name="李四").wait_for()
    phone.get_by_label("主要事迹").fill("村级集体经济增收百万元，带领群众共同致富。")
    shot(phone, "awards-nominate-phone")
    assert _fits(phone)
    phone.get_by_role("button", name="李四").click()
    assert phone.get_by_role("checkbox", name="李四（五四村村委会）").is_checked()
    phone.get_by_role("button", name="提交提名").click()
    phone.get_by_text("提名已提交").wait_for()
    assert nominating.nominations.filter(person=county["lisi"]).exists()

    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = ctx.new_page()
    ui_login(page, live_url, "town1", PW)
    page.goto(f"{live_url}/awards/{nominating.pk}/nominate/")
    page.get_by_label("类别").select_option("team")
    page.get_by_label("团队名称（担当团队）").fill("五四村共富工坊")
    members = page.get_by_label("团队成员")
    members.fill("zs")
    page.get_by_role("button", name="张三").wait_for()
    members.press("Enter")  # takes the first match, does not submit the form
    members.fill("李")
    page.get_by_role("button", name="李四").click()
    page.get_by_label("主要事迹").fill("建成共富工坊三家，带动村民家门口就业一百余人。")
    shot(page, "awards-nominate-desktop")
    page.get_by_role("button", name="提交提名").click()
    page.get_by_text("提名已提交").wait_for()
    team = nominating.nominations.get(team_name="五四村共富工坊")
    assert {m.name for m in team.members.all()} == {"张三", "李四"}
    ctx.close()
