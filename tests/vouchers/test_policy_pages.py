"""Staff create and edit a policy (articles, criteria as rows, the amount rule, budget days, the panel flag) and its
fund from the pages and the API; bad rows are form errors naming the row, never a 500; a town cannot."""

from __future__ import annotations

import pytest

from bole.core.api import token_issue
from bole.core.models import AuditEvent
from bole.vouchers.models import Fund, FundEntry, SupportPolicy

pytestmark = pytest.mark.django_db

BASE = {"name": "研发设备补贴", "document": "青创工场八条", "article": "第四条", "kind": "equipment",
        "holder_kind": "enterprise", "voucher_kind": "budget", "validity_days": "180", "settle_days": "5",
        "valid_from": "2026-01-01", "valid_until": "2026-12-31", "panel_review": "on", "is_active": "on",
        "needs_application": "on", "categories": ["equipment"],
        "formula_kind": "share", "base": "equipment_cost", "share": "0.3", "cap": "500000",
        "c-TOTAL_FORMS": "3", "c-INITIAL_FORMS": "0",
        "c-0-fact": "enterprise_size", "c-0-op": "in", "c-0-value": "small、micro",
        "c-1-fact": "region", "c-1-op": "prefix", "c-1-value": "330521",
        "c-2-fact": "", "c-2-op": "", "c-2-value": ""}


def test_create_edit_and_fund_from_the_pages(users, client):
    client.force_login(users["admin"])
    assert client.get("/vouchers/policies/new/").status_code == 200
    resp = client.post("/vouchers/policies/new/", BASE)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    pol = SupportPolicy.objects.get(name="研发设备补贴")
    assert pol.criteria == [{"fact": "enterprise_size", "op": "in", "value": ["small", "micro"]},
                            {"fact": "region", "op": "prefix", "value": ["330521"]}]
    assert pol.formula == {"kind": "share", "base": "equipment_cost", "share": "0.3", "cap": 50_000_000}
    assert pol.panel_review and pol.validity_days == 180 and pol.categories == ["equipment"]
    # the edit page shows the rows back; an edit adds an age row and changes the rule to a fixed amount
    page = client.get(f"/vouchers/policies/{pol.pk}/edit/").content.decode()
    assert "small、micro" in page and "500000.00" in page
    edit = {**BASE, "c-TOTAL_FORMS": "3", "c-2-fact": "talents_employed", "c-2-op": "gte", "c-2-value": "2",
            "formula_kind": "fixed", "amount": "20000", "settle_days": "10"}
    del edit["panel_review"]
    assert client.post(f"/vouchers/policies/{pol.pk}/edit/", edit).status_code == 302
    pol.refresh_from_db()
    assert pol.criteria[2] == {"fact": "talents_employed", "op": "gte", "value": 2}
    assert pol.formula == {"kind": "fixed", "amount": 2_000_000} and pol.settle_days == 10 and not pol.panel_review
    ev = AuditEvent.objects.filter(action="update", object_id=str(pol.pk)).latest("id")
    assert set(ev.changes) >= {"criteria", "formula", "settle_days", "panel_review"}
    # its fund, with the budget as the first entry
    assert client.post(f"/vouchers/policies/{pol.pk}/fund/", {"year": "2026", "budget": "8000000"}).status_code == 302
    fund = Fund.objects.get(policy=pol, year=2026)
    assert fund.budget_fen == 800_000_000 and FundEntry.objects.filter(fund=fund, kind="budget").count() == 1
    client.post(f"/vouchers/policies/{pol.pk}/fund/", {"year": "2026", "budget": "1"})  # one fund a year
    assert Fund.objects.filter(policy=pol).count() == 1


@pytest.mark.parametrize("change, field, words", [
    ({"c-0-op": "gte", "c-0-value": "很多"}, "c-0-value", "不是数字"),
    ({"c-1-op": "between", "c-1-value": "2026-01-01"}, "c-1-value", "两个日期"),
    ({"c-2-fact": "age", "c-2-op": "", "c-2-value": "35"}, "c-2-value", "请选择条件项和比较方式"),
    ({"share": "1.5"}, "share", ""),
    ({"formula_kind": "fixed", "amount": ""}, "amount", "固定金额须填写"),
    ({"formula_kind": "by_fact", "by_fact": "talent_level", "amounts": "national 5000"}, "amounts", "取值=金额"),
    ({"valid_until": "2025-01-01"}, "", ""),
])
def test_bad_input_is_a_form_error(users, client, change, field, words):
    client.force_login(users["admin"])
    resp = client.post("/vouchers/policies/new/", {**BASE, **change})
    body = resp.content.decode()
    assert resp.status_code == 200 and "请按提示修改标红的项目" in body
    assert words in body
    assert not SupportPolicy.objects.exists()


def test_a_town_and_a_holder_cannot(county, users, client, world):
    for who in ("town1", "cadre", "ent"):
        client.force_login(users[who])
        assert client.get("/vouchers/policies/new/").status_code == 403
        assert client.post(f"/vouchers/policies/{world['policy'].pk}/edit/", BASE).status_code in (403, 404)
        assert client.post(f"/vouchers/policies/{world['policy'].pk}/fund/",
                           {"year": "2031", "budget": "1"}).status_code in (403, 404)
    assert SupportPolicy.objects.count() == 1 and Fund.objects.count() == 1


def test_update_through_the_api(world, users, client):
    pol = world["policy"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['admin'])}"}
    body = {"name": pol.name, "kind": "consumption", "holder_kind": "person", "needs_application": False,
            "criteria": [{"fact": "age", "op": "lte", "value": 40}], "formula": {"kind": "fixed", "amount": 30_000},
            "valid_from": str(pol.valid_from), "valid_until": str(pol.valid_until), "panel_review": True}
    resp = client.put(f"/api/v1/vouchers/policies/{pol.pk}/", body, content_type="application/json", **auth)
    assert resp.status_code == 200 and resp.json()["panel_review"] is True
    pol.refresh_from_db()
    assert pol.criteria == [{"fact": "age", "op": "lte", "value": 40}] and pol.formula["amount"] == 30_000
    bad = client.put(f"/api/v1/vouchers/policies/{pol.pk}/", {**body, "criteria": [{"fact": "age", "op": "bigger"}]},
                     content_type="application/json", **auth)
    assert bad.status_code == 400 and "criteria" in bad.json()["errors"]
    bad = client.put(f"/api/v1/vouchers/policies/{pol.pk}/", {**body, "valid_until": "2000-01-01"},
                     content_type="application/json", **auth)
    assert bad.status_code == 400
    town = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['town1'])}"}
    assert client.put(f"/api/v1/vouchers/policies/{pol.pk}/", body, content_type="application/json",
                      **town).status_code in (403, 404)
