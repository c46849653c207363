"""The department admin of 县教育局 (its unit sits in the county's region) reads and writes only its subtree: no
enterprise, no region, no town's people — the county-wide reach a region-prefix fallback used to give it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept(world, client):
    client.force_login(world.users["dept"])
    return client


def test_department_admin_sees_no_enterprise_and_no_region(world, dept):
    assert dept.get("/api/v1/enterprises/").json()["count"] == 0
    assert dept.get("/api/v1/regions/").json()["count"] == 0
    ws = load_workbook(io.BytesIO(dept.get("/enterprises/export.xlsx").content)).active
    assert ws.max_row == 1  # the header only
    ws = load_workbook(io.BytesIO(dept.get("/regions/export.xlsx").content)).active
    assert ws.max_row == 1


def test_department_admin_cannot_change_a_towns_enterprise(world, dept):
    from bole.org.models import Enterprise

    pk = world.get("enterprise", "A")
    assert (
        dept.patch(
            f"/api/v1/enterprises/{pk}/", data={"is_active": False}, content_type="application/json"
        ).status_code
        == 404
    )
    assert dept.post(f"/enterprises/{pk}/active/", {"active": "0"}).status_code == 404
    assert Enterprise.objects.get(pk=pk).is_active


def test_department_admin_sees_its_subtree_people_only(world, dept):
    names = {p["name"] for p in dept.get("/api/v1/people/?page_size=500").json()["items"]}
    assert names == {"诸葛一", "诸葛二"}  # 县教育局 and its school
    units = {u["name"] for u in dept.get("/api/v1/units/").json()["items"]}
    assert units == {"县教育局", "诸葛实验小学"}
