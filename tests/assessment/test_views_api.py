import pytest

from bole.assessment import services
from bole.assessment.models import Result
from bole.core.api import token_issue


@pytest.fixture
def published(computed, users):
    rnd = computed
    rnd = services.round_transition(round=rnd, to="publicity", actor=users["admin"])
    rnd = services.round_transition(round=rnd, to="published", actor=users["admin"], on=services.publish_from(rnd))
    return rnd


def _bearer(users, name):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users[name])}"}


def test_admin_pages_render(client, users, published, county):
    client.force_login(users["admin"])
    me = county["zhangsan"]
    for url in ("/assessment/", f"/assessment/rounds/{published.pk}/", f"/assessment/rounds/{published.pk}/ranking/",
                f"/assessment/rounds/{published.pk}/people/{me.pk}/",
                f"/assessment/rounds/{published.pk}/people/{me.pk}/records/points/",
                f"/assessment/rounds/{published.pk}/people/{me.pk}/records/task/",
                f"/assessment/rounds/{published.pk}/people/{me.pk}/records/unit/",
                "/assessment/inputs/unit-scores/", "/ledger/"):
        resp = client.get(url)
        assert resp.status_code == 200, url
    xlsx = client.get(f"/assessment/rounds/{published.pk}/ranking.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    job = client.post(f"/assessment/rounds/{published.pk}/bulletin/")
    assert job.status_code == 302 and job["Location"].startswith("/jobs/")
    docx = client.get(job["Location"] + "result/")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_bulletin_has_title_doc_number_and_grade_table(published):
    import io

    from docx import Document

    from bole.assessment.bulletin import bulletin_docx

    doc = Document(io.BytesIO(bulletin_docx(published)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert published.doc_number in text and "考核结果的通报" in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "单位", "人数"]
    assert table.rows[-1].cells[2].text == str(Result.objects.filter(round=published).count())


def test_explanation_page_numbers_add_up(client, users, published, county):
    client.force_login(users["admin"])
    resp = client.get(f"/assessment/rounds/{published.pk}/people/{county['zhangsan'].pk}/")
    ctx = resp.context
    assert sum(line.contribution for line in ctx["lines"]) == ctx["result"].total == ctx["sum"]


def test_cadre_sees_only_own_breakdown(client, users, published, county, leaders):
    client.force_login(users["cadre"])
    mine = client.get(f"/assessment/rounds/{published.pk}/people/{county['zhangsan'].pk}/")
    assert mine.status_code == 200
    other = leaders[1]
    assert client.get(f"/assessment/rounds/{published.pk}/people/{other.pk}/").status_code == 404
    assert client.get(f"/assessment/rounds/{published.pk}/people/{other.pk}/records/task/").status_code == 404
    assert client.get(f"/assessment/rounds/{published.pk}/ranking/").status_code == 403
    assert client.post(f"/assessment/rounds/{published.pk}/bulletin/").status_code == 403


def test_cadre_cannot_see_unpublished_results(client, users, computed, county):
    client.force_login(users["cadre"])
    assert client.get(f"/assessment/rounds/{computed.pk}/").status_code == 404
    assert client.get(f"/assessment/rounds/{computed.pk}/people/{county['zhangsan'].pk}/").status_code == 404


def test_unit_admin_ranking_is_scoped(client, users, published, county):
    client.force_login(users["town1"])
    resp = client.get(f"/assessment/rounds/{published.pk}/ranking/")
    names = {r.person.name for r in resp.context["page"]}
    expected = set(Result.objects.filter(round=published, unit__region__code__startswith="330521001")
                   .values_list("person__name", flat=True))
    assert names == expected and "张三" in names and len(names) < 10


def test_api_scope(client, users, published, county, leaders):
    url = f"/api/v1/assessment/rounds/{published.pk}/results/"
    assert client.get(url, **_bearer(users, "admin")).json()["count"] == 10
    cadre = client.get(url, **_bearer(users, "cadre")).json()
    assert cadre["count"] == 1 and cadre["items"][0]["person_id"] == county["zhangsan"].pk
    town2 = client.get(url, **_bearer(users, "town2")).json()
    assert {r["unit_id"] for r in town2["items"]} == {county["u2"].pk}
    other = client.get(f"{url}{leaders[1].pk}/", **_bearer(users, "cadre"))
    assert other.status_code == 404
    detail = client.get(f"{url}{county['zhangsan'].pk}/", **_bearer(users, "cadre")).json()
    from decimal import Decimal

    assert sum(Decimal(x["contribution"]) for x in detail["lines"]) == Decimal(str(detail["total"]))
    resp = client.post(f"/api/v1/assessment/rounds/{published.pk}/transition/", data={"to": "frozen"},
                       content_type="application/json", **_bearer(users, "town1"))
    assert resp.status_code == 403
    resp = client.post(f"/api/v1/assessment/rounds/{published.pk}/transition/", data={"to": "frozen"},
                       content_type="application/json", **_bearer(users, "admin"))
    assert resp.status_code == 200 and resp.json()["status"] == "frozen"


def test_objection_via_page(client, users, computed, county):
    rnd = services.round_transition(round=computed, to="publicity", actor=users["admin"])
    client.force_login(users["cadre"])
    resp = client.post(f"/assessment/rounds/{rnd.pk}/objections/", {"reason": "评议分数有误"})
    assert resp.status_code == 302
    client.force_login(users["admin"])
    page = client.get(f"/assessment/rounds/{rnd.pk}/")
    assert "评议分数有误" in page.content.decode()


def test_ledger_api_scope(client, users, county):
    from bole.ledger.services import point_category_create

    point_category_create(actor=None, code="award", name="表彰奖励")
    h = _bearer(users, "town1")
    ok = client.post("/api/v1/ledger/entries/", data={"person_id": county["zhangsan"].pk, "period": "2024Q1",
                                                       "category": "award", "points": "2", "reason": "表彰"},
                     content_type="application/json", **h)
    assert ok.status_code == 201 and ok.json()["status"] == "pending"
    outside = client.post("/api/v1/ledger/entries/", data={"person_id": county["wangwu"].pk, "period": "2024Q1",
                                                            "category": "award", "points": "2", "reason": "x"},
                          content_type="application/json", **h)
    assert outside.status_code == 422 and "person_id" in outside.json()["errors"]
    assert client.get("/api/v1/ledger/entries/", **_bearer(users, "town2")).json()["count"] == 0
    entry_id = ok.json()["id"]
    assert client.post(f"/api/v1/ledger/entries/{entry_id}/decide/", data={"to": "approved"},
                       content_type="application/json", **h).status_code == 403
    assert client.post(f"/api/v1/ledger/entries/{entry_id}/decide/", data={"to": "approved"},
                       content_type="application/json", **_bearer(users, "admin")).json()["status"] == "approved"
