"""One API shape: every list endpoint answers the same envelope, ids in a body name records the caller may use, and
API code reads the acting user one way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ENVELOPE = {"count", "page", "next", "previous", "items"}
# A register that grows past a million rows (the talent register) pages by keyset instead: its count is bounded
# and `next_after` carries on from the last row.
KEYSET = {"count", "more", "next_after", "items"}


def _schema():
    from bole.api import api

    return api.get_openapi_schema()


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_list_endpoint_answers_the_envelope():
    """A GET whose answer is an array (or holds a page of rows) must be the paginated envelope."""
    schema = _schema()
    bare, odd, paged = [], [], []
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        for status, response in op["responses"].items():
            if not str(status).startswith("2"):
                continue
            body = response.get("content", {}).get("application/json", {}).get("schema")
            if body is None:
                continue
            body = _resolve(schema, body)
            if body.get("type") == "array":
                bare.append(path)
                continue
            props = body.get("properties", {})
            rows = {k for k in ("items", "results") if _resolve(schema, props.get(k, {})).get("type") == "array"}
            if rows:
                if set(props) == KEYSET:
                    names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
                    assert "after" in names, path
                elif not ENVELOPE <= set(props) or "results" in rows:
                    odd.append(path)
                else:
                    paged.append(path)
                    names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
                    assert {"page", "page_size"} <= names, path
    assert bare == [], f"list endpoints answering a bare array: {bare}"
    assert odd == [], f"list endpoints with another envelope: {odd}"
    assert len(paged) >= 24


def test_page_size_is_bounded_not_cut(login, county):
    c = login("admin")
    assert c.get("/api/v1/people/", {"page_size": "501"}).status_code == 400
    assert c.get("/api/v1/people/", {"page": "0"}).status_code == 400
    body = c.get("/api/v1/people/", {"page_size": "500"}).json()
    assert set(body) == ENVELOPE and body["count"] == len(body["items"]) == 5


def test_next_and_previous_keep_the_other_parameters(login, county):
    c = login("admin")
    first = c.get("/api/v1/people/", {"page_size": "2", "region": "330521"}).json()
    assert first["count"] == 5 and first["page"] == 1 and first["previous"] is None
    assert first["next"].startswith("/api/v1/people/?")
    assert "region=330521" in first["next"] and "page_size=2" in first["next"] and "page=2" in first["next"]
    seen = [p["id"] for p in first["items"]]
    url = first["next"]
    while url:
        page = c.get(url).json()
        seen += [p["id"] for p in page["items"]]
        assert page["previous"] is not None
        url = page["next"]
    assert len(seen) == len(set(seen)) == 5
    beyond = c.get("/api/v1/people/", {"page": "9", "page_size": "2"}).json()
    assert beyond["items"] == [] and beyond["next"] is None and "page=3" in beyond["previous"]


def test_a_bare_list_is_paged_too(login, county):
    """A list the caller builds in Python (a ranking, a dashboard) comes in the same envelope."""
    body = login("admin").get("/api/v1/projects/frontline/2024/").json()
    assert set(body) == ENVELOPE and body["count"] == 0 and body["next"] is None


def test_an_unknown_or_unseen_id_in_a_body_is_422_on_its_field(login, county, users):
    from bole.cases.desks import desks_ensure
    from bole.cases.services import case_submit

    desk = next(d for d in desks_ensure(actor=users["admin"]).values() if "enterprise" in d.submitter_kinds)
    case = case_submit(desk=desk, title="道路破损", description="道路破损无人维修", submitter_kind="enterprise",
                       submitter_enterprise=county["e1"], actor=users["ent"])
    c = login("admin")
    url = f"/api/v1/cases/{case.pk}/transition/"
    resp = c.post(url, {"action": "accept", "category_id": 10**9}, content_type="application/json")
    assert resp.status_code == 422 and "category_id" in resp.json()["errors"]
    c.post(url, {"action": "accept"}, content_type="application/json")
    resp = c.post(url, {"action": "assign", "lead_unit_id": 10**9}, content_type="application/json")
    assert resp.status_code == 422 and list(resp.json()["errors"]) == ["lead_unit_id"]
    resp = c.post(f"/api/v1/cases/{case.pk}/meetings/", {
        "held_at": "2024-05-06T09:00:00+08:00", "minutes": "纪要", "unit_ids": [county["u1"].pk, 10**9]},
        content_type="application/json")
    assert resp.status_code == 422 and "unit_ids" in resp.json()["errors"]
    # A register id outside the caller's scope is as unknown as one that does not exist.
    other_town = login("town1").post("/api/v1/people/", {
        "name": "外镇", "id_number": "330521198503070012", "unit_id": county["u2"].pk}, content_type="application/json")
    assert other_town.status_code == 422 and "unit_id" in other_town.json()["errors"]


@pytest.mark.parametrize("path", sorted(Path(__file__).parents[2].joinpath("src/bole").glob("**/*api.py")))
def test_api_code_reads_the_acting_user_as_request_auth(path):
    """One way: `request.auth` (set by the API's authentication), never `request.user`."""
    if path.name == "api.py" and path.parent.name == "core":
        return  # the authentication itself sets both
    assert not re.search(r"request\.user\b", path.read_text()), path
