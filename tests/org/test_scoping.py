"""Isolation: each role sees, edits, exports and searches only its own scope."""

import io

import pytest
from openpyxl import load_workbook

from bole.org import selectors
from bole.org.models import Enterprise, Person

EXPECTED_PEOPLE = {
    "admin": {"张三", "李四", "王五", "赵六", "钱七"},
    "town1": {"张三", "李四"},
    "town2": {"王五", "赵六"},
    "unit1v": {"李四"},
    "cadre": {"张三"},
    "ent": set(),
}


@pytest.mark.parametrize("who", list(EXPECTED_PEOPLE))
def test_people_selector_matches_scope_exactly(users, who):
    names = set(selectors.person_list(user=users[who]).values_list("name", flat=True))
    assert names == EXPECTED_PEOPLE[who]


@pytest.mark.parametrize("who", list(EXPECTED_PEOPLE))
def test_list_page_count_matches_scope(login, who):
    resp = login(who).get("/people/")
    if who == "ent":
        assert "没有符合条件的记录" in resp.content.decode()
        return
    assert resp.status_code == 200
    assert f"共 {len(EXPECTED_PEOPLE[who])} 条" in resp.content.decode()


@pytest.mark.parametrize("who, target", [("town1", "wangwu"), ("town2", "zhangsan"), ("unit1v", "zhangsan"),
                                         ("cadre", "lisi")])
def test_other_scope_record_by_url_is_404(login, county, who, target):
    c = login(who)
    pk = county[target].pk
    for url in (f"/people/{pk}/", f"/people/{pk}/edit/", f"/people/{pk}/?tab=history", f"/api/v1/people/{pk}/"):
        assert c.get(url).status_code in (403, 404), url
    assert c.post(f"/people/{pk}/active/", {"active": "0"}).status_code in (403, 404)
    assert Person.objects.get(pk=pk).is_active


def test_api_patch_outside_scope_is_404_and_changes_nothing(login, county):
    c = login("town1")
    pk = county["wangwu"].pk
    resp = c.patch(f"/api/v1/people/{pk}/", data={"position": "hacked"}, content_type="application/json")
    assert resp.status_code == 404
    assert Person.objects.get(pk=pk).position == ""


def test_api_list_counts_match_scope(login):
    c = login("town2")
    body = c.get("/api/v1/people/").json()
    assert body["count"] == 2
    assert {r["name"] for r in body["results"]} == {"王五", "赵六"}


def test_search_is_scoped(login):
    c = login("town1")
    assert c.get("/api/v1/people/?q=ww").json()["count"] == 0  # 王五 lives in the other town
    assert c.get("/api/v1/people/?q=zs").json()["count"] == 1


def test_export_contains_only_own_scope(login):
    resp = login("town1").get("/people/export.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    names = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert names == {"张三", "李四"}


def test_enterprise_scope(login, county):
    assert login("town2").get("/api/v1/enterprises/").json()["count"] == 1
    c = login("ent")
    assert c.get("/api/v1/enterprises/").json()["count"] == 1
    assert c.get(f"/api/v1/enterprises/{county['e2'].pk}/").status_code == 404


def test_unit_admin_cannot_create_person_in_other_town(login, county):
    c = login("town1")
    resp = c.post("/api/v1/people/", data={"name": "新人", "id_number": "11010519491231002X",
                                           "unit_id": county["u2"].pk}, content_type="application/json")
    assert resp.status_code == 404
    assert not Person.objects.filter(name="新人").exists()


def test_cadre_cannot_export_or_edit(login, county):
    c = login("cadre")
    assert c.get("/people/export.xlsx").status_code == 403
    assert c.get(f"/people/{county['zhangsan'].pk}/edit/").status_code in (403, 404)
    assert c.get("/people/import/").status_code == 403


def test_town_admin_cannot_see_audit_page(login):
    assert login("town1").get("/audit/").status_code == 403
    assert login("admin").get("/audit/").status_code == 200


def test_anonymous_is_sent_to_login_and_api_is_401(client, county):
    assert client.get("/people/").status_code == 302
    assert client.get("/api/v1/people/").status_code == 401
    assert Enterprise.objects.count() == 2
