"""Pages and API for each role, and the service flow: the talent asks on the phone, the liaison resolves, the
talent rates — on the cases engine's talent desk."""

from __future__ import annotations

import pytest

from bole.cases import services as case_services
from bole.cases.desks import desks_ensure
from bole.talent.models import Talent


@pytest.fixture
def desks(users):
    return desks_ensure(actor=users["admin"])


PAGES = ["/talent/", "/talent/lifecycle/", "/talent/creators/", "/talent/projects/", "/talent/new/"]


def test_staff_pages_render(client, users, talent, other_talent):
    client.force_login(users["admin"])
    for url in [*PAGES, f"/talent/{talent.pk}/", f"/talent/{talent.pk}/?reveal=1", "/talent/?q=lisi",
                "/talent/?q=华盛", "/talent/?level=provincial&stage=recruit"]:
        assert client.get(url).status_code == 200, url
    page = client.get("/talent/").content.decode()
    assert "李四" in page and "周八" in page


def test_keyset_pages_walk_the_whole_list(client, users, talent, other_talent):
    client.force_login(users["admin"])
    from bole.talent import selectors

    rows, nxt = selectors.talent_page(Talent.objects.all(), size=1)
    assert [r.name for r in rows] == ["周八"] and nxt == other_talent.pk
    rows, nxt = selectors.talent_page(Talent.objects.all(), after=nxt, size=1)
    assert [r.name for r in rows] == ["李四"] and nxt is None


def test_other_roles_are_refused(client, users, talent):
    client.force_login(users["ent"])
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/talent/{talent.pk}/").status_code == 404
    client.force_login(users["town2"])
    assert client.get(f"/talent/{talent.pk}/").status_code == 404
    assert "李四" not in client.get("/talent/").content.decode()


def test_the_talent_asks_the_liaison_resolves_the_talent_rates(client, users, talent, talent_user, desks):
    client.force_login(talent_user)
    page = client.get("/talent/me/")
    assert page.status_code == 200 and "张三" in page.content.decode()  # my liaison
    resp = client.post(f"/api/v1/talent/{talent.pk}/requests/",
                       {"title": "人才公寓入住", "description": "希望尽快入住"}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    from bole.cases.models import Case

    c = Case.objects.get(pk=resp.json()["id"])
    assert (c.state, c.owner_id, c.submitter_kind) == ("assigned", talent.liaison_id, "talent")
    liaison = users["cadre"]
    case_services.case_transition(case=c, action="start", actor=liaison)
    case_services.case_transition(case=c, action="resolve", actor=liaison, resolution="已办好")
    case_services.case_transition(case=c, action="rate", actor=talent_user, rating="satisfied")
    c.refresh_from_db()
    assert (c.state, c.rating) == ("closed", "satisfied")
    assert client.get(f"/api/v1/talent/{talent.pk}/requests/").json()["items"][0]["rating"] == "satisfied"


def test_someone_else_cannot_ask_for_the_talent(client, users, talent, desks):
    client.force_login(users["town2"])
    resp = client.post(f"/api/v1/talent/{talent.pk}/requests/", {"title": "x", "description": "y"},
                       content_type="application/json")
    assert resp.status_code == 404


def test_api_list_search_and_stage(client, users, talent, other_talent):
    client.force_login(users["admin"])
    body = client.get("/api/v1/talent/?q=zhou").json()
    assert [t["name"] for t in body["items"]] == ["周八"] and body["count"] == 1 and body["more"] is False
    assert "*" in body["items"][0]["id_masked"]
    resp = client.post(f"/api/v1/talent/{talent.pk}/stage/", {"to": "settle"}, content_type="application/json")
    assert resp.status_code in {400, 422}  # the checklist of 引进 is still open
    resp = client.post(f"/api/v1/talent/{other_talent.pk}/stage/", {"to": "left", "reason": "career",
                                                                    "interview": "去上海发展"},
                       content_type="application/json")
    assert resp.status_code == 200 and resp.json()["status"] == "left"


def test_stats_carry_the_talent_figures(client, users, talent, other_talent):
    client.force_login(users["admin"])
    tree = client.get("/api/v1/stats/").json()
    talent_team = next(t for t in tree["teams"] if t["key"] == "talent")
    figures = {f["key"]: f["value"] for m in talent_team["mechanisms"] for f in m["figures"]}
    assert figures["talents"] == 2 and figures["talents_provincial"] == 1
    sub = client.get("/api/v1/stats/talent/").json()
    assert [t["key"] for t in sub["teams"]] == ["talent"]


def test_lifecycle_pages_move_a_talent(client, users, talent):
    client.force_login(users["admin"])
    for a in talent.activities.filter(state="open"):
        assert client.post(f"/talent/{talent.pk}/activities/{a.pk}/").status_code == 302
    talent.refresh_from_db()
    assert talent.stage == "settle"
    resp = client.post(f"/talent/{talent.pk}/stage/", {"to": "left", "reason": "family", "interview": "回老家"})
    assert resp.status_code == 302
    talent.refresh_from_db()
    assert talent.status == "left"
