"""Bad input is the client's error: parameters, bodies, NUL bytes, sizes, the API's answers, the error pages, our own
request id, the rate limiter and private files."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from bole.core.params import BadParameter, date_param, id_param, int_param, page_param, year_param

# --- parameter helpers -----------------------------------------------------------------------------------------


def test_param_helpers_read_good_values_and_refuse_bad_ones_with_a_message():
    assert int_param({"n": " 12 "}, "n") == 12 and int_param({}, "n", 5) == 5 and int_param({"n": ""}, "n", 5) == 5
    assert id_param({"id": "7"}, "id") == 7 and year_param({"year": "2024"}) == 2024 and page_param({}) == 1
    assert date_param({"d": "2024-02-29"}, "d") == dt.date(2024, 2, 29)
    for params, call in [
        ({"year": "-1"}, lambda p: year_param(p)),
        ({"year": "99999"}, lambda p: year_param(p)),
        ({"id": "0"}, lambda p: id_param(p, "id")),
        ({"id": "1" + "0" * 30}, lambda p: id_param(p, "id")),
        ({"id": "'"}, lambda p: id_param(p, "id")),
        ({"id": "１２"}, lambda p: id_param(p, "id")),  # full-width digits
        ({"page": "0"}, lambda p: page_param(p)),
        ({"d": "2024-13-45"}, lambda p: date_param(p, "d")),
        ({"d": "0001-01-01"}, lambda p: date_param(p, "d")),
    ]:
        with pytest.raises(BadParameter) as exc:
            call(params)
        assert "参数" in str(exc.value)


def test_page_parameters_answer_400_with_the_reason(login):
    c = login("admin")
    resp = c.get("/cases/stats/", {"year": "-1"})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "参数“year”须在 1900 到 2100 之间" in page and "返回首页" in page and 'class="topbar"' in page
    assert c.get("/cases/calendar/", {"year": "99999"}).status_code == 400
    assert c.get("/cases/stats/", {"year": "all", "desk": "1" + "0" * 30}).status_code == 400
    assert c.get("/cases/stats/", {"year": "all"}).status_code == 200


# --- the input guard ---------------------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_from_its_length_before_it_is_read(login, settings):
    c = login("admin")
    # The declared length alone decides: the (tiny) body is never read.
    resp = c.generic("POST", "/cases/calendar/", b"x=1", content_type="application/x-www-form-urlencoded",
                     CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert resp.status_code == 413 and "请求内容过大：上限为 20 MB" in resp.content.decode()
    api = c.generic("POST", "/api/v1/regions/", b"{}", content_type="application/json",
                    CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert api.status_code == 413 and api.json()["detail"].startswith("请求内容过大")
    # An import page allows the import limit.
    from django.core.files.uploadedfile import SimpleUploadedFile

    imp = c.post("/people/import/", {"file": SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * (21 * 1024 * 1024))})
    assert imp.status_code == 302  # read, and judged by the import job's own checks
    # A form too big for memory (not a file) is refused the same way once read.
    assert c.post("/cases/calendar/", {"name": "x" * (6 * 1024 * 1024)}).status_code == 413
    settings.BOLE_MAX_REQUEST_BYTES = 1024
    assert c.post("/cases/calendar/", {"name": "x" * 70_000}).status_code == 413


def test_nul_bytes_are_refused_in_path_query_form_and_json(client, login):
    assert client.get("/b/ab%00cd/").status_code == 400
    c = login("admin")
    resp = c.get("/people/", {"q": "张\x00三"})
    assert resp.status_code == 400 and "NUL" in resp.content.decode()
    assert c.post("/cases/calendar/", {"name": "国庆\x00"}).status_code == 400
    assert c.post("/api/v1/regions/", '{"code": "330521009", "name": "a\\u0000b", "kind": "town"}',
                  content_type="application/json").status_code == 400
    assert c.generic("POST", "/cases/calendar/", b"--x\r\n", content_type="multipart/form-data").status_code == 400


def test_json_nul_pattern_tells_an_escape_from_text():
    from bole.core.middleware import _JSON_NUL

    assert _JSON_NUL.search(rb'{"a": "x\u0000"}') and _JSON_NUL.search(rb'{"a": "\\\u0000"}')
    assert not _JSON_NUL.search(rb'{"a": "\\u0000"}')  # an escaped backslash, then the text "u0000"


# --- the API -----------------------------------------------------------------------------------------------------


def test_api_refuses_bad_input_with_400_and_never_500(login, county):
    c = login("admin")
    huge = "1" + "0" * 30
    beyond = c.get("/api/v1/people/", {"page": huge})
    assert beyond.status_code == 200 and beyond.json()["items"] == []
    far = c.get("/api/v1/people/", {"page": "1000000", "page_size": "500"})
    assert far.status_code == 200 and far.json()["items"] == [] and far.json()["count"] == 5
    resp = c.get("/api/v1/stats/cases/", {"year": "-184"})
    assert resp.status_code == 400 and resp.json()["detail"] == "请求参数无效" and "year" in resp.json()["errors"]
    unit = county["u1"]
    resp = c.patch(f"/api/v1/units/{unit.pk}/", {"short_name": None}, content_type="application/json")
    assert resp.status_code == 400 and "short_name" in resp.json()["errors"]
    person = county["zhangsan"]
    assert c.patch(f"/api/v1/people/{person.pk}/", {"position": None},
                   content_type="application/json").status_code == 400
    assert c.get(f"/api/v1/people/{huge}/").status_code in {400, 404}


def test_api_unknown_state_in_a_transition_is_400(login, users):
    from bole.evaluation import services

    ev = services.evaluation_create(actor=users["admin"], name="测评", kind="ballot")
    resp = login("admin").post(f"/api/v1/evaluations/{ev.pk}/transition?to=nonsense")
    assert resp.status_code == 400 and "nonsense" in str(resp.json())


def test_api_meeting_time_outside_any_time_zone_is_400(login, county, users):
    from bole.cases.desks import desks_ensure
    from bole.cases.services import case_submit

    desk = next(d for d in desks_ensure(actor=users["admin"]).values() if "enterprise" in d.submitter_kinds)
    case = case_submit(desk=desk, title="会商", description="会商测试", submitter_kind="enterprise",
                       submitter_enterprise=county["e1"], actor=users["ent"])
    resp = login("admin").post(f"/api/v1/cases/{case.pk}/meetings/",
                               {"held_at": "0143-12-09T11:47:46-20:02", "minutes": "纪要"},
                               content_type="application/json")
    assert resp.status_code == 400


def test_sweep_route_is_reachable(login, county):
    resp = login("admin").post("/api/v1/cases/sweep/")
    assert resp.status_code == 200
    assert login("town1").post("/api/v1/cases/sweep/").status_code == 403


def test_every_api_schema_name_is_unique():
    """Ninja publishes a schema under its class name: two classes of one name would show one app's fields under the
    other's operations (RoundOut, MilestoneOut, EntryOut, ResultOut did)."""
    from pydantic import BaseModel

    import bole.api  # noqa: F401 - every app's router, so every schema class is defined

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: dict[str, set[str]] = {}
    for cls in subclasses(BaseModel):
        if cls.__module__.startswith("bole."):
            seen.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


def test_openapi_components_are_those_of_their_operations(client, login):
    schema = login("admin").get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    assert set(components["AwardRoundOut"]["properties"]) >= {"nominations", "winners"}
    assert set(components["AssessmentRoundOut"]["properties"]) >= {"scheme_id", "frozen_fingerprint"}
    assert "item" in components["GrowthEntryOut"]["properties"]
    assert "category" in components["PointEntryOut"]["properties"]


# --- error pages -------------------------------------------------------------------------------------------------


def test_error_pages_are_chinese_inside_the_layout(client, login):
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    page = resp.content.decode()
    assert "页面不存在" in page and "返回首页" in page and 'class="topbar"' in page and "Not Found" not in page
    assert 'href="/login/?next=/no-such-page/"' in page  # a signed-out visitor may only need to sign in
    c = login("town1")
    denied = c.get("/audit/")
    assert denied.status_code == 403
    assert "没有权限" in denied.content.decode() and "返回首页" in denied.content.decode()
    reason = c.get("/cases/desks/new/")
    assert reason.status_code == 403 and "只有县级管理员可以配置受理台" in reason.content.decode()
    back = c.get("/no-such-page/", HTTP_REFERER="http://testserver/people/")
    assert 'href="http://testserver/people/"' in back.content.decode()
    elsewhere = c.get("/no-such-page/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in elsewhere.content.decode()
    api = client.get("/api/v1/people/999999/")
    assert api["Content-Type"].startswith("application/json")


def test_csrf_failure_page_is_chinese(users):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(users["admin"])
    resp = c.post("/notices/read-all/")
    assert resp.status_code == 403 and "表单已过期" in resp.content.decode()


def test_500_page_renders_without_database_or_context(rf, django_db_blocker):
    from bole.core.errors import server_error

    with django_db_blocker.block():
        resp = server_error(rf.get("/people/"))
        api = server_error(rf.get("/api/v1/people/"))
    assert resp.status_code == 500 and "服务器出错" in resp.content.decode() and "返回首页" in resp.content.decode()
    assert api.status_code == 500 and api["Content-Type"] == "application/json"


# --- request ids -------------------------------------------------------------------------------------------------


def test_audit_rows_carry_our_request_id_and_keep_the_clients_apart(login, county):
    from bole.core.models import AuditEvent

    c = login("admin")
    resp = c.patch(f"/api/v1/units/{county['u1'].pk}/", {"short_name": "武康"}, content_type="application/json",
                   HTTP_X_REQUEST_ID="forged-id-1")
    assert resp.status_code == 200
    row = AuditEvent.objects.filter(object_type="org.unit", object_id=str(county["u1"].pk)).first()
    assert row.request_id == resp["X-Request-ID"] != "forged-id-1" and len(row.request_id) == 32
    assert row.client_request_id == "forged-id-1"
    c.patch(f"/api/v1/units/{county['u1'].pk}/", {"short_name": "武康2"}, content_type="application/json",
            HTTP_X_REQUEST_ID="<script>" + "x" * 100)
    assert AuditEvent.objects.filter(object_type="org.unit").first().client_request_id == ""


# --- the rate limiter ----------------------------------------------------------------------------------------


def test_rate_limit_counts_per_key_and_window(db):
    from bole.core.ratelimit import Limit, clear_counters, rate_allow, rate_hit

    limit = Limit("t", hits=3, seconds=60)
    t0 = 1_800_000_000.0
    assert [rate_allow("a", limit, now=t0 + i) for i in range(5)] == [True, True, True, False, False]
    assert rate_allow("b", limit, now=t0)  # another key
    assert rate_hit("a", limit, now=t0 + 60) == 1  # the next window starts afresh
    assert clear_counters(now=t0 + 3 * 86400)["deleted"] == 3


@pytest.mark.django_db(transaction=True)
def test_rate_limit_holds_under_concurrent_hits():
    """Twenty simultaneous hits from separate connections: the count is exact, and exactly `hits` are allowed."""
    from django.db import connections

    from bole.core.ratelimit import Limit, rate_allow, rate_hit

    limit = Limit("race", hits=5, seconds=3600)
    now = 1_800_000_000.0
    results: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def hit():
        try:
            barrier.wait()
            results.append(rate_allow("one-key", limit, now=now))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results).count(True) == 5
    assert rate_hit("one-key", limit, now=now) == 21


def test_client_address_trusts_only_the_configured_proxies(rf, settings):
    from bole.core.ratelimit import client_address

    req = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    settings.BOLE_PROXY_COUNT = 0
    assert client_address(req) == "10.0.0.1"
    settings.BOLE_PROXY_COUNT = 1
    assert client_address(req) == "203.0.113.7"  # what the client wrote on the left is ignored


# --- uploads and private files -------------------------------------------------------------------------------


def test_upload_check_reads_the_content_not_the_name(settings):
    from django.core.exceptions import ValidationError

    from bole.core.uploads import upload_check

    assert upload_check(b"\x89PNG\r\n\x1a\n....", "a.png") == ("image/png", "png")
    assert upload_check(b"%PDF-1.7", "a.bin") == ("application/pdf", "pdf")
    for data in (b"<html><script>", b""):
        with pytest.raises(ValidationError):
            upload_check(data, "x.png")
    settings.BOLE_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="文件超过"):
        upload_check(b"%PDF-" + b"0" * 10, "big.pdf", field="evidence_file")


def test_data_dir_database_and_uploads_are_private(tmp_path, settings):
    from bole.core.datadir import secure_data_dir

    data = tmp_path / "data"
    media = data / "media" / "cases" / "2024"
    media.mkdir(parents=True)
    (media / "a.pdf").write_bytes(b"%PDF-")
    (data / "secret_key").write_text("k")
    for path in (data, data / "media", media.parent, media, media / "a.pdf", data / "secret_key"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    settings.DATA_DIR, settings.MEDIA_ROOT = data, data / "media"
    secure_data_dir()
    assert data.stat().st_mode & 0o777 == 0o700 and media.stat().st_mode & 0o777 == 0o700
    assert (media / "a.pdf").stat().st_mode & 0o777 == 0o600 and (data / "secret_key").stat().st_mode & 0o777 == 0o600
    if connection.vendor == "sqlite":
        assert Path(connection.settings_dict["NAME"]).stat().st_mode & 0o777 == 0o600


def test_bole_creates_a_private_data_dir_and_files(tmp_path):
    """A new data dir is 700 and what the `bole` process creates there is 600 (umask 077)."""
    data = tmp_path / "fresh"
    code = ("import sys; sys.argv = ['bole', 'shell', '-c', "
            "\"open(__import__('django.conf').conf.settings.DATA_DIR / 'made', 'w').close()\"]; "
            "from bole.cli import main; main()")
    env = {**os.environ, "BOLE_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}"}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)  # noqa: S603
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "made").stat().st_mode & 0o777 == 0o600


def test_date_boxes_hold_iso_values_in_every_language():
    """A localised date ("2026/12/07") is no value for `<input type=date>`: the box would show empty and lose it."""
    import re

    from django import forms
    from django.utils import translation

    from bole.core.forms import DateInput, DateTimeInput

    class F(forms.Form):
        day = forms.DateField(widget=DateInput())
        at = forms.DateTimeField(widget=DateTimeInput())

    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            html = str(F(initial={"day": dt.date(2026, 12, 7), "at": dt.datetime(2026, 12, 7, 14, 30)}))
        assert re.search(r'type="date"[^>]*value="2026-12-07"', html), html
        assert re.search(r'type="datetime-local"[^>]*value="2026-12-07T14:30"', html), html
    # every date box of every app is one of these (no bare DateInput left to localise its value)
    src = Path(__file__).resolve().parents[2] / "src" / "bole"
    bare = [str(p.relative_to(src)) for p in src.rglob("*.py")
            if re.search(r"forms\.DateInput\(|forms\.DateTimeInput\(", p.read_text(encoding="utf-8"))]
    assert bare == []
