"""Project pages and API: scope, the phone form for difficulties, milestone HTMX, the figures endpoint."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bole.projects import selectors, services

from .conftest import solve


def test_scope(project, users, county):
    assert selectors.project_list(user=users["town2"]).count() == 0
    assert selectors.project_list(user=users["town1"]).count() == 1
    assert selectors.project_list(user=users["cadre"]).count() == 1  # 张三 leads it
    assert selectors.project_list(user=users["ent"]).count() == 0
    other = services.project_create(name="舞阳城市更新", kind="urban", investment=3, region=county["t2"],
                                    unit=county["u2"], leads=[county["wangwu"]], actor=users["admin"])
    assert list(selectors.project_list(user=users["cadre"])) == [project]
    assert set(selectors.project_list(user=users["admin"])) == {project, other}


def test_pages_and_forbidden_pages(project, login):
    c = login("town2")
    assert c.get(f"/projects/{project.pk}/").status_code == 404
    assert c.get("/api/v1/projects/").json()["count"] == 0
    c = login("town1")
    assert c.get("/projects/").status_code == 200
    page = c.get(f"/projects/{project.pk}/").content.decode()
    assert "德清智能装备产业园" in page and "土地挂牌" in page and "登记完成" in page
    assert c.get("/projects/new/").status_code == 200
    assert c.get("/projects/frontline/?period=2025Q1").status_code == 200
    c = login("cadre")
    assert "提交难题" in c.get(f"/projects/{project.pk}/").content.decode()
    assert c.get("/projects/new/").status_code == 403
    assert c.post(f"/projects/{project.pk}/transition/", {"to": "building"}).status_code == 404


def test_create_and_sign_through_pages(login, county, desks, clock):
    c = login("town1")
    resp = c.post("/projects/new/", {"name": "武康数字经济园", "kind": "tech", "investment": "8.80",
                                     "region": county["t1"].pk, "unit": county["u1"].pk,
                                     "leads": [county["zhangsan"].pk]})
    assert resp.status_code == 302
    pk = int(resp["Location"].rstrip("/").split("/")[-1])
    c.post(f"/projects/{pk}/transition/", {"to": "signed", "signed_on": "2025-03-03"})
    detail = c.get(f"/api/v1/projects/{pk}/").json()
    assert detail["status"] == "signed" and detail["milestones"][0]["planned_on"] == "2025-03-06"
    assert detail["light"] == "red"  # today is 03-10: 土地挂牌 (03-06) is overdue


def test_milestone_done_by_htmx(project, login, clock):
    c = login("town1")
    m = project.milestones.get(name="土地挂牌")
    resp = c.post(f"/projects/milestones/{m.pk}/done/", {"done_on": "2025-03-05"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and "按期" in resp.content.decode()
    m.refresh_from_db()
    assert m.done_on == dt.date(2025, 3, 5)


def test_difficulty_from_page_and_figures(project, login, users, county):
    c = login("cadre")
    resp = c.post(f"/projects/{project.pk}/difficulties/", {"title": "施工用电接入慢", "description": "需协调供电公司。"})
    assert resp.status_code == 302
    case = selectors.difficulties_of(user=users["admin"], project=project).get()
    c = login("admin")
    figures = flat(c.get("/api/v1/stats/").json())
    assert figures["difficulties_solved"] == 0 and figures["key_projects"] == 1 and figures["project_leaders"] == 1
    solve(case, users, county["dept"])
    tree = c.get("/api/v1/stats/").json()
    figures = flat(tree)
    assert {k: figures[k] for k in ("challenge_holders", "key_projects", "project_leaders", "difficulties_solved",
                                    "major_projects", "major_investment_yi", "award_winners", "growth_records")} == {
        "challenge_holders": 0, "key_projects": 1, "project_leaders": 1, "difficulties_solved": 1,
        "major_projects": 0, "major_investment_yi": 0.0, "award_winners": 0, "growth_records": 0}
    projects = next(m for t in tree["teams"] for m in t["mechanisms"] if m["key"] == "projects")
    solved = next(f for f in projects["figures"] if f["key"] == "difficulties_solved")
    assert solved["kind"] == "flow" and solved["period"] == "累计" and solved["url"].startswith("/cases/?desk=")
    case.refresh_from_db()
    that_year = flat(c.get(f"/api/v1/stats/?period={timezone.localtime(case.resolved_at).year}").json())
    assert that_year["difficulties_solved"] == 1
    assert flat(c.get("/api/v1/stats/?period=2001Q2").json())["difficulties_solved"] == 0
    assert "已破解 1 / 共 1" in c.get(f"/projects/{project.pk}/").content.decode()


def test_figures_count_major_projects(project, users, county, login):
    services.project_create(name="重大基础设施", kind="infrastructure", investment="120.50", region=county["t2"],
                            unit=county["u2"], leads=[county["wangwu"], county["zhangsan"]], is_major=True,
                            actor=users["admin"])
    data = flat(login("admin").get("/api/v1/stats/").json())
    assert data["major_projects"] == 1 and data["major_investment_yi"] == 120.5
    assert data["key_projects"] == 2 and data["project_leaders"] == 2


def test_figures_are_the_staffs_each_in_their_scope(project, login):
    """The figures are the department staff's, counted in each one's scope: the project lies in town 1."""
    for name in ("cadre", "ent"):
        assert login(name).get("/api/v1/stats/").status_code == 403, name
    assert flat(login("admin").get("/api/v1/stats/").json())["key_projects"] == 1
    assert flat(login("town1").get("/api/v1/stats/").json())["key_projects"] == 1
    assert flat(login("town2").get("/api/v1/stats/").json())["key_projects"] == 0
    assert login("admin").get("/api/v1/stats/?period=2026Q5").status_code in (400, 422)


def flat(tree: dict) -> dict:
    """{key: value} of a /api/v1/stats/ tree."""
    return {f["key"]: f["value"] for t in tree["teams"] for m in t["mechanisms"] for f in m["figures"]}


def test_api_difficulty_and_frontline(project, login, users, county, clock):
    c = login("cadre")
    resp = c.post(f"/api/v1/projects/{project.pk}/difficulties/", {"title": "环评批复慢", "description": "请协调。"},
                  content_type="application/json")
    assert resp.status_code == 201
    assert login("admin").get("/api/v1/projects/frontline/2025Q1/").json()["items"] == []


def test_project_leads_are_picked_by_search(login, county, desks, clock):
    c = login("town1")
    form = {"name": "武康新材料园", "kind": "tech", "investment": "3.20", "region": county["t1"].pk,
            "unit": county["u1"].pk}
    page = c.post("/projects/new/", {**form, "leads_q": "lisi"}).content.decode()
    assert "找不到“lisi”" in page  # 李四 is no section leader
    assert 'hx-get="/pick/section-leaders/"' in page
    resp = c.post("/projects/new/", {**form, "leads_q": "zs"})
    assert resp.status_code == 302
