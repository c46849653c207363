"""API tokens: issued and revoked by audited services, stored as a digest, refused once expired or revoked,
managed by their owner on 我的账号; the API's docs and schema are for signed-in users and token holders."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bole.core.choices import AuditAction
from bole.core.models import ApiToken, AuditEvent
from bole.core.tokens import api_token_issue, api_token_revoke


def _bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_works_until_revoked_and_both_are_audited(users, client):
    token, raw = api_token_issue(user=users["town1"], label="报表同步", actor=users["town1"])
    assert ApiToken.objects.filter(digest=ApiToken.digest_of(raw)).exists()
    assert not ApiToken.objects.filter(digest=raw).exists() and raw[5:13] == token.prefix  # only the digest
    assert (token.expires_at - timezone.now()).days == 89  # 90 days by default
    assert client.get("/api/v1/regions/", **_bearer(raw)).status_code == 200
    issued = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="core.apitoken", object_id=str(token.pk))
    assert issued.actor == users["town1"] and raw not in str(issued.changes)

    api_token_revoke(token=token, actor=users["town1"])
    assert client.get("/api/v1/regions/", **_bearer(raw)).status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.DEACTIVATE, object_id=str(token.pk)).count() == 1
    api_token_revoke(token=token, actor=users["town1"])  # again: nothing changes, no second row
    assert AuditEvent.objects.filter(action=AuditAction.DEACTIVATE, object_id=str(token.pk)).count() == 1


def test_an_expired_token_is_refused(users, client):
    token, raw = api_token_issue(user=users["admin"], expires=timezone.now() + dt.timedelta(days=1), actor=None)
    assert client.get("/api/v1/regions/", **_bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/regions/", **_bearer(raw)).status_code == 401


def test_bole_token_issues_through_the_service_with_days(users):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "cadre", days=7, label="脚本", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    assert token.user == users["cadre"] and token.label == "脚本"
    assert dt.timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=7)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(token.pk), actor=None).exists()
    assert "expires" in err.getvalue()


def test_my_account_issues_a_token_shown_once_lists_and_revokes_it(login, users):
    c = login("town1")
    resp = c.post("/account/", {"label": "统计报表同步", "days": "30"})
    assert resp.status_code == 200 and "no-store" in resp["Cache-Control"]
    raw = re.search(r"bole_[A-Za-z0-9_-]{20,}", resp.content.decode()).group(0)
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    assert token.user == users["town1"] and token.label == "统计报表同步"
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert Client().get("/api/v1/regions/", **_bearer(raw)).status_code == 200

    page = c.get("/account/").content.decode()
    assert "统计报表同步" in page and token.prefix in page and raw not in page  # listed, never shown again
    assert c.post("/account/", {"label": "", "days": "30"}).status_code == 400

    # Someone else's token is not mine to revoke.
    theirs, _raw = api_token_issue(user=users["town2"], label="他人", actor=None)
    assert c.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert c.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client().get("/api/v1/regions/", **_bearer(raw)).status_code == 401
    assert "已撤销" in c.get("/account/").content.decode()


def test_api_docs_need_a_sign_in_and_the_schema_a_sign_in_or_token(users, login):
    anonymous = Client()
    docs = anonymous.get("/api/v1/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/?next=/api/v1/docs")
    assert anonymous.get("/api/v1/openapi.json").status_code == 401
    _token, raw = api_token_issue(user=users["ent"], actor=None)
    assert anonymous.get("/api/v1/openapi.json", **_bearer(raw)).json()["openapi"].startswith("3.")
    assert anonymous.get("/api/v1/openapi.json", **_bearer("bole_not-a-token")).status_code == 401
    assert login("ent").get("/api/v1/docs").status_code == 200
