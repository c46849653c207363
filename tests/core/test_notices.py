"""The notification inbox: stored once per (recipient, record, event), each login sees only its own, the bell."""

from __future__ import annotations

import logging

import pytest

from bole.core.models import Notification
from bole.core.notices import Notice, notify, safe_link, unread_count
from bole.core.sms import ConsoleSmsBackend, MemorySmsBackend, SmsMessage, sms_send_on_commit

pytestmark = pytest.mark.django_db


def _notice(user, event="assign:1", object_id="7", text="交办：诉求 01-0000007 已交贵单位办理", link="/cases/7/"):
    return Notice(recipient_id=user.pk, object_type="cases.case", object_id=object_id, event=event, text=text,
                  link=link)


def test_notify_is_idempotent_per_recipient_record_and_event(users):
    town1, town2 = users["town1"], users["town2"]
    assert notify([_notice(town1), _notice(town1), _notice(town2)]) == 2
    assert notify([_notice(town1), _notice(town2)]) == 0  # a re-run adds nothing
    assert notify([_notice(town1, event="escalate:0:1")]) == 1  # another event on the same record
    assert notify([_notice(town1, object_id="8")]) == 1  # the same event on another record
    assert Notification.objects.filter(recipient=town1).count() == 3


def test_unit_sees_only_its_own_notifications(client, login, users):
    notify([_notice(users["town1"], text="武康的通知"), _notice(users["town2"], text="舞阳的通知")])
    body = login("town1").get("/notices/").content.decode()
    assert "武康的通知" in body and "舞阳的通知" not in body
    other = Notification.objects.get(recipient=users["town2"])
    assert client.post(f"/notices/{other.pk}/read/").status_code == 404  # nor can it touch another's
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_mark_read_and_open_follows_only_local_links(login, users):
    notify([_notice(users["town1"]), _notice(users["town1"], event="x", link="https://evil.example/")])
    c = login("town1")
    good = Notification.objects.get(event="assign:1")
    bad = Notification.objects.get(event="x")
    r = c.post(f"/notices/{good.pk}/read/", {"open": "1"})
    assert r.status_code == 302 and r.url == "/cases/7/"
    r = c.post(f"/notices/{bad.pk}/read/", {"open": "1"})
    assert r.status_code == 302 and r.url == "/notices/"
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert safe_link("//evil.example/x") == "" and safe_link("/cases/1/") == "/cases/1/"


def test_mark_read_keeps_the_first_read_time(login, users):
    notify([_notice(users["town1"])])
    c = login("town1")
    n = Notification.objects.get()
    c.post(f"/notices/{n.pk}/read/")
    first = Notification.objects.get().read_at
    r = c.post(f"/notices/{n.pk}/read/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "标为已读" not in r.content.decode()
    assert Notification.objects.get().read_at == first


def test_bell_counts_unread_and_read_all_clears_it(login, users):
    notify([_notice(users["town1"], event=f"e{i}") for i in range(3)] + [_notice(users["town2"])])
    c = login("town1")
    body = c.get("/").content.decode()
    assert 'class="bell"' in body and '<span class="badge">3</span>' in body
    unread = c.get("/notices/?show=unread").content.decode()
    assert unread.count('class="notice-item unread"') == 3
    c.post("/notices/read-all/")
    assert unread_count(user=users["town1"]) == 0 and unread_count(user=users["town2"]) == 1
    assert 'class="badge"' not in c.get("/").content.decode()


def test_inbox_needs_login(client):
    assert client.get("/notices/").status_code == 302
    assert client.post("/notices/read-all/").status_code == 302


def test_bell_counts_in_one_query(login, users, django_assert_max_num_queries):
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    from bole.core.context_processors import notices

    notify([_notice(users["town1"], event=f"e{i}") for i in range(2)])
    request = RequestFactory().get("/")
    request.user = users["town1"]
    ctx = notices(request)
    with django_assert_max_num_queries(1):
        out = Template("{{ bole_unread }} {% if bole_unread %}{{ bole_unread }}{% endif %}").render(
            RequestContext(request, ctx))
    assert out == "2 2"


def test_sms_goes_out_only_after_commit(settings, django_capture_on_commit_callbacks):
    settings.BOLE_SMS_BACKEND = "bole.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sms_send_on_commit([SmsMessage(phone="13800138000", text="测试"), SmsMessage(phone="", text="无号码")])
    assert MemorySmsBackend.outbox == []
    for cb in callbacks:
        cb()
    assert MemorySmsBackend.outbox == [SmsMessage(phone="13800138000", text="测试")]
    MemorySmsBackend.outbox.clear()


def test_console_backend_logs_a_masked_number(caplog):
    with caplog.at_level(logging.INFO, logger="bole.sms"):
        assert ConsoleSmsBackend().send_messages([SmsMessage(phone="13800138000", text="督办提醒")]) == 1
    assert "138****8000" in caplog.text and "13800138000" not in caplog.text and "督办提醒" in caplog.text


def test_failing_gateway_does_not_raise(settings, django_capture_on_commit_callbacks, caplog):
    settings.BOLE_SMS_BACKEND = "tests.core.test_notices.BrokenBackend"
    with caplog.at_level(logging.ERROR, logger="bole.sms"), django_capture_on_commit_callbacks(execute=True):
        sms_send_on_commit([SmsMessage(phone="13800138000", text="x")])
    assert "sms backend failed" in caplog.text


class BrokenBackend:
    def send_messages(self, messages):
        raise ConnectionError("gateway down")


def test_bell_stops_counting_at_a_hundred(users, django_assert_max_num_queries):
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    from bole.core.context_processors import notices

    notify([_notice(users["town1"], event=f"e{i}") for i in range(120)])
    assert unread_count(user=users["town1"]) == 120
    assert unread_count(user=users["town1"], limit=100) == 100
    request = RequestFactory().get("/")
    request.user = users["town1"]
    with django_assert_max_num_queries(1):
        out = Template("{{ bole_unread }}").render(RequestContext(request, notices(request)))
    assert out == "99+"


def test_api_reads_and_marks_only_own_notices(client, users):
    from bole.core.api import token_issue
    from bole.core.models import Notification

    notify([_notice(users["town1"], event="a"), _notice(users["town1"], event="b", link="https://evil.example/"),
            _notice(users["town2"], event="c")])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['town1'])}"}
    page = client.get("/api/v1/notices/", **auth).json()
    assert page["count"] == 2 and page["unread"] == 2
    assert {r["link"] for r in page["items"]} == {"/cases/7/", ""}  # no off-site link is handed out
    mine = page["items"][0]["id"]
    other = Notification.objects.get(recipient=users["town2"]).pk
    assert client.post(f"/api/v1/notices/{other}/read/", **auth).status_code == 404
    assert client.post(f"/api/v1/notices/{mine}/read/", **auth).json()["read_at"]
    assert client.get("/api/v1/notices/?unread=true", **auth).json()["count"] == 1
    assert client.post("/api/v1/notices/read-all/", **auth).json() == {"marked": 1}
    assert Notification.objects.get(recipient=users["town2"]).read_at is None
    assert client.get("/api/v1/notices/").status_code == 401
