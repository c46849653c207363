"""拆分子券 from the pages and the API: only to a talent the holding enterprise employs, out of the parent's
balance, never past the parent's last day; another enterprise cannot split it."""

from __future__ import annotations

import datetime as dt

import pytest

from bole.core.api import token_issue
from bole.vouchers.models import Fund, FundEntry, Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture
def ent_voucher(world, county, users):
    """An enterprise's 100 元 voucher of 30 days, and one talent it employs (李四)."""
    from bole.talent.models import Talent
    from bole.vouchers import services

    lisi = county["lisi"]
    Talent.objects.create(person=lisi, name=lisi.name, level="municipal", field="新材料", industry="C",
                          education="master", origin="introduced", region=county["t1"], region_code="330521001",
                          employer=county["e1"])
    v = services.voucher_issue(fund=world["fund"], enterprise=county["e1"], value_fen=10_000,
                               valid_from=world["today"], valid_until=world["today"] + dt.timedelta(days=30),
                               actor=world["admin"])
    return v


def test_holder_splits_on_the_page(ent_voucher, county, users, client):
    v = ent_voucher
    client.force_login(users["ent"])
    page = client.get(f"/vouchers/v/{v.pk}/split/").content.decode()
    assert "李四" in page
    late = (v.valid_until + dt.timedelta(days=1)).isoformat()
    resp = client.post(f"/vouchers/v/{v.pk}/split/", {"recipient": county["lisi"].pk, "amount": "40",
                                                      "valid_until": late})
    assert resp.status_code == 200 and "子券有效期不能晚于母券" in resp.content.decode()
    resp = client.post(f"/vouchers/v/{v.pk}/split/", {"recipient": county["lisi"].pk, "amount": "100.01"})
    assert "不超过母券余额" in resp.content.decode()
    assert not v.children.exists()
    resp = client.post(f"/vouchers/v/{v.pk}/split/", {"recipient": county["lisi"].pk, "amount": "40"})
    assert resp.status_code == 302
    v.refresh_from_db()
    child = v.children.get()
    assert (v.balance_fen, v.split_fen, child.value_fen) == (6_000, 4_000, 4_000)
    assert child.holder_person_id == county["lisi"].pk and child.valid_until == v.valid_until
    assert FundEntry.objects.filter(kind="split", voucher=child, amount_fen=4_000).count() == 1
    assert Fund.objects.get(pk=v.fund_id).issued_fen == 10_000  # a split moves no fund money


def test_only_employed_talents_receive_and_others_cannot_split(ent_voucher, county, users, client):
    v = ent_voucher
    client.force_login(users["ent"])
    resp = client.post(f"/vouchers/v/{v.pk}/split/", {"recipient": county["zhangsan"].pk, "amount": "10"})
    assert resp.status_code == 200 and not v.children.exists()  # not a choice: a form error
    client.force_login(users["cadre"])  # another holder
    assert client.get(f"/vouchers/v/{v.pk}/split/").status_code in (403, 404)


def test_split_through_the_api(ent_voucher, county, users, client):
    v = ent_voucher
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['ent'])}"}
    url = f"/api/v1/vouchers/vouchers/{v.pk}/split/"
    bad = client.post(url, {"person_id": county["zhangsan"].pk, "value_fen": 100}, content_type="application/json",
                      **auth)
    assert bad.status_code == 400 and "person_id" in bad.content.decode()
    late = (v.valid_until + dt.timedelta(days=1)).isoformat()
    bad = client.post(url, {"person_id": county["lisi"].pk, "value_fen": 100, "valid_until": late},
                      content_type="application/json", **auth)
    assert bad.status_code == 400 and "valid_until" in bad.content.decode()
    ok = client.post(url, {"person_id": county["lisi"].pk, "value_fen": 2_500}, content_type="application/json",
                     **auth)
    assert ok.status_code == 201, ok.content
    child = Voucher.objects.get(pk=ok.json()["id"])
    assert child.parent_id == v.pk and child.value_fen == 2_500
    v.refresh_from_db()
    assert v.balance_fen + v.spent_fen + v.released_fen + v.split_fen == v.value_fen == 10_000
    # the cancelled parent stops the child: no split of a child out of a dead parent
    from bole.vouchers import services

    services.voucher_cancel(voucher=v, reason="测试", actor=users["admin"])
    assert client.post(url, {"person_id": county["lisi"].pk, "value_fen": 100}, content_type="application/json",
                       **auth).status_code == 400
