"""Signing in: the login throttle locks out after repeated failures, every attempt is audited (never the
password), the password rules hold in `createuser` and on the password change page."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from bole.core.choices import AuditAction
from bole.core.models import AuditEvent

PW = "pass-1234-word"
WRONG = "wrong-pass-0000"


def _sign_in(client: Client, username: str, password: str, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_fifty_wrong_passwords_lock_the_login_and_the_right_one_waits_for_the_cooloff(users):
    c = Client()
    statuses = [_sign_in(c, "town1", WRONG).status_code for _ in range(50)]
    assert statuses[:4] == [200] * 4  # the login form again, "用户名或密码不正确"
    assert set(statuses[4:]) == {429}  # the 5th failure locks the login out
    locked = _sign_in(c, "town1", PW)
    assert locked.status_code == 429 and "登录已暂停" in locked.content.decode()
    assert "15 分钟" in locked.content.decode() and 'class="topbar"' in locked.content.decode()
    assert not _signed_in(c)

    # The lock is per login and address: the same login from another address, and another login, still work.
    assert _sign_in(Client(REMOTE_ADDR="10.1.2.3"), "town1", PW).status_code == 302
    assert _sign_in(Client(), "town2", PW).status_code == 302

    # 15 minutes after the last counted failure the right password works again.
    AccessAttempt.objects.filter(username="town1").update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _sign_in(c, "town1", PW).status_code == 302 and _signed_in(c)


def test_every_refused_attempt_is_audited_with_the_login_tried_and_never_the_password(users):
    c = Client()
    for _ in range(6):
        _sign_in(c, "town1", WRONG)
    _sign_in(c, "town1", PW)  # refused: locked out
    _sign_in(c, "nobody-such", "some-guess-123")
    rows = list(AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id"))
    assert len(rows) == 8
    town1 = rows[:7]
    assert {r.object_repr for r in town1} == {"town1"} and {r.object_id for r in town1} == {str(users["town1"].pk)}
    assert [r.changes["locked"] for r in town1] == [False] * 4 + [True] * 3
    assert all(r.changes["ip"] == "127.0.0.1" and r.actor is None for r in town1)
    assert rows[7].object_repr == "nobody-such" and rows[7].object_id == ""
    for row in rows:
        text = json.dumps([row.changes, row.object_repr, row.actor_label, row.object_type])
        assert WRONG not in text and PW not in text and "some-guess-123" not in text
    # The throttle's own records keep the form data with the password masked.
    assert AccessAttempt.objects.count() == 2
    for attempt in AccessAttempt.objects.all():
        assert WRONG not in attempt.post_data and "some-guess-123" not in attempt.post_data


def test_a_sign_in_is_audited_and_clears_the_failure_count(users):
    c = Client()
    for _ in range(4):
        _sign_in(c, "cadre", WRONG)
    assert _sign_in(c, "cadre", PW).status_code == 302
    row = AuditEvent.objects.filter(action=AuditAction.LOGIN).get()
    assert row.actor == users["cadre"] and row.object_id == str(users["cadre"].pk)
    c.post("/logout/")
    for _ in range(4):  # four more failures do not lock: the sign-in reset the count
        assert _sign_in(c, "cadre", WRONG).status_code == 200
    assert _sign_in(c, "cadre", PW).status_code == 302


@pytest.mark.parametrize(("password", "message"), [
    ("a", "密码太短，至少需要 10 个字符"),
    ("4028175539164", "只包含数字"),
    ("password123", "太常见"),
    ("newadmin-x1", "相似"),
])
def test_createuser_refuses_a_password_the_rules_refuse(county, password, message):
    with pytest.raises(CommandError, match=message) as exc:
        call_command("createuser", "newadmin", role="admin", password=password)
    assert str(exc.value).startswith("password:")
    assert not get_user_model().objects.filter(username="newadmin").exists()


def test_createuser_takes_a_password_the_rules_accept(county):
    call_command("createuser", "newadmin", role="admin", password="bole-demo-2024", stdout=io.StringIO())
    assert _sign_in(Client(), "newadmin", "bole-demo-2024").status_code == 302


def test_the_password_change_page_applies_the_rules_and_keeps_this_session_only(users):
    other = Client()
    assert _sign_in(other, "town1", PW).status_code == 302
    c = Client()
    _sign_in(c, "town1", PW)
    page = c.get("/account/password/").content.decode()
    assert "修改密码" in page and 'class="topbar"' in page and "至少 10 个字符" in page

    weak = c.post("/account/password/", {"old_password": PW, "new_password1": "12345", "new_password2": "12345"})
    assert weak.status_code == 200 and "密码太短" in weak.content.decode()
    wrong_old = c.post("/account/password/", {"old_password": WRONG, "new_password1": "brand-new-pass-42",
                                              "new_password2": "brand-new-pass-42"})
    assert wrong_old.status_code == 200
    user = get_user_model().objects.get(username="town1")
    assert user.check_password(PW)

    done = c.post("/account/password/", {"old_password": PW, "new_password1": "brand-new-pass-42",
                                         "new_password2": "brand-new-pass-42"})
    assert done.status_code == 302 and done["Location"] == "/account/"
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-42")
    assert _signed_in(c) and not _signed_in(other)  # the other session ended with the old password
    row = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGE)
    assert row.actor == user and row.object_id == str(user.pk) and "brand-new" not in json.dumps(row.changes)


def test_the_user_menu_links_to_my_account(login):
    html = login("ent").get("/").content.decode()
    assert 'href="/account/"' in html
    page = login("ent").get("/account/").content.decode()
    assert "我的账号" in page and 'href="/account/password/"' in page
