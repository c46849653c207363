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
    assert {r["name"] for r in body["items"]} == {"王五", "赵六"}


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
    assert resp.status_code == 422 and "unit_id" in resp.json()["errors"]
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


@pytest.fixture
def dept_admin(county):
    """县教育局, a department in the county's region with a school under it, and its unit admin."""
    from bole.org.choices import UnitKind
    from bole.org.services import account_create, person_create, unit_create

    edu = unit_create(actor=None, name="县教育局", kind=UnitKind.DEPARTMENT, region=county["county"])
    school = unit_create(actor=None, name="德清县第一中学", kind=UnitKind.INSTITUTION, region=county["t1"], parent=edu)
    person_create(actor=None, name="孙八", id_number="330521198503070011", unit=school)
    return account_create(username="edu", role="unit_admin", scope="县教育局", password="pass-1234-word", actor=None)


def test_department_admin_sees_only_its_subtree(client, county, dept_admin):
    """A department's unit sits in the county region but governs no territory: no enterprise, no region."""
    client.force_login(dept_admin)
    assert client.get("/api/v1/enterprises/").json()["count"] == 0
    assert client.get("/api/v1/regions/").json()["count"] == 0
    assert {r["name"] for r in client.get("/api/v1/people/").json()["items"]} == {"孙八"}
    e1 = county["e1"]
    resp = client.patch(f"/api/v1/enterprises/{e1.pk}/", data={"name": "改名"}, content_type="application/json")
    assert resp.status_code == 404
    assert client.post(f"/enterprises/{e1.pk}/active/", {"active": "0"}).status_code in (403, 404)
    e1.refresh_from_db()
    assert e1.is_active and e1.name == "德清华盛机械有限公司"
    resp = client.get("/enterprises/export.xlsx")
    if resp.status_code == 200:
        ws = load_workbook(io.BytesIO(b"".join(resp.streaming_content) if resp.streaming else resp.content)).active
        assert ws.max_row <= 1, "no enterprise row for a department"
    assert client.get(f"/enterprises/{e1.pk}/").status_code == 404
    assert client.get(f"/people/{county['zhangsan'].pk}/").status_code == 404


def test_town_unit_admin_sees_its_territory(client, county):
    """A town's own unit (武康街道党工委) sees the enterprises and regions of its territory, not the other town's."""
    from bole.org.services import account_create

    user = account_create(username="wk", role="unit_admin", scope="武康街道党工委", password="pass-1234-word", actor=None)
    client.force_login(user)
    names = {r["name"] for r in client.get("/api/v1/enterprises/").json()["items"]}
    assert names == {"德清华盛机械有限公司"}
    codes = {r["code"] for r in client.get("/api/v1/regions/").json()["items"]}
    assert codes == {"330521001", "330521001001"}
