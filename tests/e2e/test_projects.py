"""A lead cadre logs a project difficulty on a phone; the desk solves it; the project page and figures count it."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import shot, ui_login

PW = "pass-1234-word"


@pytest.fixture
def led_project(county, users):
    """A signed industrial project in 武康 led by 张三 (the 'cadre' login)."""
    from bole.cases.desks import desks_ensure
    from bole.projects import services

    desks_ensure(actor=users["admin"])
    p = services.project_create(name="德清通航智造产业园", kind="industry", investment="26.8", region=county["t1"],
                                unit=county["u1"], leads=[county["zhangsan"]], team=[county["lisi"]], is_major=True,
                                actor=users["admin"])
    services.project_transition(project=p, to="signed", signed_on=dt.date.today() - dt.timedelta(days=10),
                                actor=users["admin"])
    return p


@pytest.mark.django_db(transaction=True)
def test_lead_logs_difficulty_on_phone_and_it_is_counted(phone, live_url, users, county, led_project):
    ui_login(phone, live_url, "cadre", PW)
    phone.goto(f"{live_url}/projects/")
    phone.get_by_role("link", name="德清通航智造产业园").click()
    phone.get_by_text("提交难题").click()
    phone.get_by_label("难题").fill("施工用电增容排队")
    phone.get_by_label("具体情况").fill("项目需新增 2 万千伏安用电容量，请协调供电公司提前介入。")
    shot(phone, "projects-phone-difficulty-form")
    phone.get_by_role("button", name="提交", exact=True).click()
    phone.get_by_text("难题已提交").wait_for()
    assert "已破解 0 / 共 1" in phone.locator("#difficulty-count").inner_text()

    # The 项目难题 desk handles it with the cases engine's own transition service.
    from bole.cases import services as cases
    from bole.cases.models import Case

    case = Case.objects.get(ref_id=led_project.pk, desk__code="project")
    admin = users["admin"]
    case = cases.case_transition(case=case, action="accept", actor=admin)
    case = cases.case_transition(case=case, action="assign", actor=admin, lead_unit=county["dept"])
    case = cases.case_transition(case=case, action="start", actor=admin)
    cases.case_transition(case=case, action="resolve", actor=admin, resolution="供电公司已完成增容方案并进场施工。")

    phone.reload()
    assert "已破解 1 / 共 1" in phone.locator("#difficulty-count").inner_text()
    assert phone.get_by_text("已办结待评价").is_visible()
    shot(phone, "projects-phone-difficulty-solved")
    # The figures are the staff's: the lead's login is refused, the admin's token reads them.
    assert phone.request.get(f"{live_url}/api/v1/stats/").status == 403
    from bole.core.api import token_issue

    tree = phone.request.get(f"{live_url}/api/v1/stats/",
                             headers={"Authorization": f"Bearer {token_issue(user=admin)}"}).json()
    figures = {f["key"]: f["value"] for t in tree["teams"] for m in t["mechanisms"] for f in m["figures"]}
    assert figures["difficulties_solved"] == 1 and figures["key_projects"] == 1
    assert figures["major_projects"] == 1 and figures["major_investment_yi"] == 26.8
