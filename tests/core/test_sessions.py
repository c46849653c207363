"""Sessions that know their user: one read gives the session, the user and the account; Django's checks hold."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from bole.core.models import Session
from bole.core.sessions import SessionStore

PW = "pass-1234-word"


def _logged_in(username: str) -> Client:
    """Signed in through the login page (Client.login passes no request, which the login throttle needs)."""
    c = Client()
    assert c.post("/login/", {"username": username, "password": PW}).status_code == 302
    return c


def test_a_session_records_its_user_and_loads_it_with_the_account(users, county, django_assert_num_queries):
    c = _logged_in("town1")
    key = c.cookies["sessionid"].value
    row = Session.objects.get(session_key=key)
    assert row.user_id == users["town1"].pk
    store = SessionStore(key)
    assert store[SESSION_KEY] == str(users["town1"].pk)
    user = store.loaded_user
    assert user.pk == users["town1"].pk
    with django_assert_num_queries(0):  # account, its region (and no unit) came with the session
        assert user.account.role == "unit_admin"
        assert user.account.region.code == "330521001"
        assert user.account.unit is None


def test_a_unit_scoped_account_brings_its_unit_and_the_units_region(users, django_assert_num_queries):
    store = SessionStore(_logged_in("unit1v").cookies["sessionid"].value)
    store.load()
    with django_assert_num_queries(0):
        unit = store.loaded_user.account.unit
        assert unit.name == "五四村村委会" and unit.region.code


def test_pages_use_the_loaded_user_and_keep_djangos_checks(users):
    c = _logged_in("admin")
    assert c.get("/").status_code == 200
    user = users["admin"]
    user.set_password("another-pass-5678")  # a password change ends the other sessions (session hash)
    user.save()
    assert c.get("/").status_code == 302
    c = _logged_in("town1")
    town1 = users["town1"]
    town1.is_active = False
    town1.save()
    assert c.get("/").status_code == 302


def test_unknown_and_expired_sessions_are_anonymous(users):
    c = _logged_in("admin")
    key = c.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date="2000-01-01T00:00:00Z")
    assert c.get("/").status_code == 302
    c.cookies["sessionid"] = "x" * 32
    assert c.get("/").status_code == 302
    unknown = SessionStore("nosuchkey" * 4)
    assert unknown.load() == {} and unknown.loaded_user is None and unknown.session_key is None
    known = SessionStore(_logged_in("admin").cookies["sessionid"].value)
    assert known.load() and known.loaded_user.username == "admin"


def test_logout_deletes_the_session_and_deleting_a_login_ends_its_sessions(users):
    c = _logged_in("admin")
    key = c.cookies["sessionid"].value
    c.post("/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    # Two sessions without a sign-in through the page: a sign-in's audit row would keep the login from deletion.
    Client().force_login(users["town2"])
    Client().force_login(users["town2"])
    assert Session.objects.filter(user=users["town2"]).count() == 2
    users["town2"].delete()
    assert not Session.objects.filter(user_id=users["town2"].pk).exists()


@pytest.mark.parametrize("path", ["user__account__region", "user__account__unit__region"])
def test_loader_caches_missing_relations_as_none(users, path):
    from bole.core.db import ToOneLoader

    Client().force_login(users["ent"])  # an enterprise login: no region, no unit
    s = ToOneLoader(Session, [path]).first("t0.user_id = %s", [users["ent"].pk])
    assert s.user.username == "ent" and s.user.account.role == "enterprise"
    assert s.user.account.region is None and s.user.account.unit is None
