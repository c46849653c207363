"""The pages and the API end to end: the holder's QR, the merchant's phone page, the holder's confirmation, the
fund's figures, the reports' workbook, and what another holder or merchant cannot see."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from bole.core.api import token_issue
from bole.vouchers.models import Fund, Redemption

pytestmark = pytest.mark.django_db


def test_qr_to_merchant_to_holder_confirmation_moves_the_fund(world, issue, client):
    v = issue(10_000)
    client.force_login(world["holder"])
    page = client.get(f"/vouchers/v/{v.pk}/").content.decode()
    assert "<svg" in page and v.code in page
    pay_url = re.search(r'(/vouchers/pay/[^/"]+/)', page)
    assert pay_url is None  # the QR carries the URL; the page shows the code, not the link
    from bole.vouchers.views import pay_token

    url = f"/vouchers/pay/{pay_token(v)}/"
    client.force_login(world["shop"])
    assert "100.00" in client.get(url).content.decode()
    resp = client.post(url, {"amount": "25.50", "key": "k-1"})
    r = Redemption.objects.get(key="k-1")
    assert resp.status_code == 302 and r.status == "requested" and r.amount_fen == 2_550
    client.post(url, {"amount": "25.50", "key": "k-1"})  # a double tap makes no second request
    assert Redemption.objects.filter(voucher=v).count() == 1
    client.force_login(world["holder"])
    assert "25.50" in client.get(f"/vouchers/v/{v.pk}/", HTTP_HX_REQUEST="true").content.decode()
    client.post(f"/vouchers/redemptions/{r.pk}/answer/", {"answer": "confirm"})
    r.refresh_from_db()
    assert r.status == "pending"
    f = Fund.objects.get(pk=world["fund"].pk)
    assert (f.issued_fen, f.redeemed_fen) == (10_000, 2_550)


def test_bad_amounts_are_the_clients_error(world, issue, client):
    from bole.vouchers.views import pay_token

    v = issue(10_000)
    client.force_login(world["shop"])
    for bad in ("abc", "-1", "0", "1.234", "1e9999", "NaN"):
        resp = client.post(f"/vouchers/pay/{pay_token(v)}/", {"amount": bad, "key": f"bad-{bad}"})
        assert resp.status_code == 200
    assert not Redemption.objects.exists()
    assert client.get("/vouchers/pay/not-a-token/").status_code == 404


def test_api_merchant_asks_holder_confirms(world, issue, client):
    v = issue(10_000)
    shop = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=world['shop'])}"}
    holder = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=world['holder'])}"}
    resp = client.post("/api/v1/vouchers/redemptions/", {"code": v.code, "amount_fen": 1_234, "key": "api-1"},
                       content_type="application/json", **shop)
    assert resp.status_code == 201, resp.content
    rid = resp.json()["id"]
    assert client.post(f"/api/v1/vouchers/redemptions/{rid}/confirm/", **shop).status_code == 403
    resp = client.post(f"/api/v1/vouchers/redemptions/{rid}/confirm/", **holder)
    assert resp.status_code == 200 and resp.json()["status"] == "pending"
    resp = client.post(f"/api/v1/vouchers/redemptions/{rid}/confirm/", **holder)
    assert resp.status_code == 400
    resp = client.post("/api/v1/vouchers/redemptions/", {"code": v.code, "amount_fen": 99_999, "key": "api-2"},
                       content_type="application/json", **shop)
    assert resp.status_code == 400 and "超过余额" in resp.json()["errors"]["amount_fen"][0]
    admin = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=world['admin'])}"}
    rec = client.get(f"/api/v1/vouchers/funds/{world['fund'].pk}/reconcile/", **admin).json()
    assert rec["balanced"] and set(rec["checks"].values()) == {0}


def test_reports_workbook_totals_to_the_cent(world, issue, pay, client):
    for amount in (333, 334, 1_001):
        pay(issue(5_000), amount)
    client.force_login(world["admin"])
    resp = client.get("/vouchers/reports/export/")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.content))
    ws = wb["资金使用情况表"]
    header = [c.value for c in ws[3]]
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")
    assert total[header.index("已核销")] == 16.68 and total[header.index("已发放")] == 150.0
    m = wb["商户结算明细"]
    mtotal = next(r for r in m.iter_rows(values_only=True) if r[0] == "合计")
    assert mtotal[3] == 3 and mtotal[4] == 16.68
    page = client.get("/vouchers/reports/").content.decode()
    assert "16.68" in page


def test_another_holder_sees_nothing_of_mine(world, issue, client, users, county):
    from bole.org.services import account_create

    v = issue(10_000)
    other = account_create(username="lisi", role="cadre", scope=county["lisi"].id_number, password="pass-1234-word",
                           actor=None)
    client.force_login(other)
    assert client.get(f"/vouchers/v/{v.pk}/").status_code == 404
    assert client.get("/api/v1/vouchers/vouchers/").json()["count"] == 0
    client.force_login(users["ent"])  # an enterprise, not enrolled as a merchant
    assert client.get("/vouchers/merchant/").status_code == 200
    assert client.get("/vouchers/transactions/").status_code == 403


def test_figures_are_counted_from_the_fund_entries(world, issue, pay):
    from bole.core import figures

    pay(issue(600_000), 300_000)
    vals = figures.values(user=world["admin"], only={"vouchers"})
    assert vals["vouchers_issued_count"] == 1 and vals["vouchers_issued_wan"] == 0.6
    assert vals["vouchers_redeemed_wan"] == 0.3 and vals["vouchers_redemptions"] == 1
    assert vals["vouchers_outstanding_wan"] == 0.3 and vals["vouchers_merchants"] == 1
    assert figures.values(user=world["holder"], only={"vouchers"})["vouchers_redemptions"] == 0  # staff figures


def test_an_unknown_enrolment_state_is_a_clear_error(world, client):
    from bole.vouchers.models import Enrolment

    admin = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=world['admin'])}"}
    e = Enrolment.objects.get(merchant=world["merchant"])
    for bad in ("", "whatever"):
        resp = client.post(f"/api/v1/vouchers/enrolments/{e.pk}/decide/", {"to": bad},
                           content_type="application/json", **admin)
        assert resp.status_code == 400, resp.content
        assert resp.json()["errors"]["to"][0].startswith("未知的状态")
    assert Enrolment.objects.get(pk=e.pk).status == "approved"


def test_a_fund_year_outside_the_calendar_is_a_clear_error(world, client):
    from django.core.exceptions import ValidationError

    from bole.vouchers import services

    for year in (-9422, 0, 1899, 2101):
        with pytest.raises(ValidationError, match="年份须在"):
            services.fund_create(policy_obj=world["policy"], year=year, budget_fen=958, actor=world["admin"])
    admin = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=world['admin'])}"}
    resp = client.post("/api/v1/vouchers/funds/", {"policy_id": world["policy"].pk, "year": -9422, "budget_fen": 958},
                       content_type="application/json", **admin)
    assert resp.status_code in (400, 422), resp.content
    assert Fund.objects.filter(policy=world["policy"]).count() == 1
