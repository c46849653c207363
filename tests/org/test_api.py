import pytest

from bole.core.api import token_issue
from bole.core.models import AuditEvent


@pytest.fixture
def bearer(users):
    def _b(name):
        return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users[name])}"}

    return _b


def test_bearer_token_lists_people(client, bearer):
    resp = client.get("/api/v1/people/?page_size=2", **bearer("admin"))
    body = resp.json()
    assert resp.status_code == 200 and body["count"] == 5 and len(body["items"]) == 2
    assert "*" in body["items"][0]["id_number"]


def test_bad_token_is_401(client, county):
    assert client.get("/api/v1/people/", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_create_and_patch_person_via_api(client, bearer, county):
    h = bearer("town1")
    resp = client.post("/api/v1/people/", data={"name": "孙八", "id_number": "11010519491231002x",
                                                 "unit_id": county["u1"].pk}, content_type="application/json", **h)
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    resp = client.patch(f"/api/v1/people/{pk}/", data={"position": "科员"}, content_type="application/json", **h)
    assert resp.status_code == 200 and resp.json()["position"] == "科员"
    assert AuditEvent.objects.filter(object_id=str(pk), action="update").exists()


def test_invalid_id_gives_400_with_field_errors(client, bearer, county):
    resp = client.post("/api/v1/people/", data={"name": "孙八", "id_number": "110105194912310021",
                                                 "unit_id": county["u1"].pk}, content_type="application/json",
                       **bearer("admin"))
    assert resp.status_code == 400
    assert "id_number" in resp.json()["errors"]


def test_filters_and_pagination(client, bearer):
    h = bearer("admin")
    assert client.get("/api/v1/people/?region=330521002", **h).json()["count"] == 2
    assert client.get("/api/v1/people/?section_leader=true", **h).json()["count"] == 1
    assert client.get("/api/v1/regions/?region=330521001", **h).json()["count"] == 2
    page2 = client.get("/api/v1/people/?page=2&page_size=2", **h).json()
    assert page2["page"] == 2 and len(page2["items"]) == 2


def test_enterprise_create_validates_credit_code(client, bearer, county):
    h = bearer("admin")
    resp = client.post("/api/v1/enterprises/", data={"name": "坏企业", "credit_code": "91350100M000100Y44",
                                                     "industry": "C", "region_code": "330521001"},
                       content_type="application/json", **h)
    assert resp.status_code == 400 and "credit_code" in resp.json()["errors"]


def test_openapi_schema_lists_every_register(login):
    schema = login("cadre").get("/api/v1/openapi.json").json()  # the schema is for signed-in users
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/regions/", "/api/v1/units/", "/api/v1/people/", "/api/v1/enterprises/"):
        assert path in schema["paths"]


def test_the_api_gives_the_standards_messages(client, bearer, county):
    """A GB/T 2260 or GB 32100 rule broken is named under the field."""
    from bole.org.validators import id_check_char

    fake = "99042619911201007"
    fake += id_check_char(fake)
    h = bearer("admin")
    resp = client.post("/api/v1/people/", data={"name": "孙八", "id_number": fake, "unit_id": county["u1"].pk},
                       content_type="application/json", **h)
    assert resp.status_code == 400
    assert resp.json()["errors"]["id_number"] == ["身份证号前6位 990426 不是有效的行政区划代码（GB/T 2260）"]
    resp = client.post("/api/v1/enterprises/", data={"name": "坏企业", "credit_code": "0" * 18, "industry": "C",
                                                     "region_code": "330521001"}, content_type="application/json", **h)
    assert resp.status_code == 400
    assert resp.json()["errors"]["credit_code"] == [
        "统一社会信用代码 000000000000000000 是占位号码，请填写营业执照或登记证书上的代码"]
