"""Seats are held by the database: a burst of enrolments fills exactly the capacity, the rest wait in arrival
order, and a drop promotes the first waiter exactly once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from bole.core.models import Notification
from bole.training import services
from bole.training.models import Enrolment

from ..race import race
from .conftest import OPEN


@pytest.mark.django_db(transaction=True)
def test_200_cadres_racing_for_30_seats(make_session, make_people):
    session = make_session(capacity=30)
    people = make_people(200)
    # PostgreSQL allows 100 connections here (shared): 200 threads start together, 60 hold a connection at once
    gate = threading.BoundedSemaphore(60)

    def write(i):
        with gate:
            try:
                services.enrol(session=session, person=people[i], actor=None, now=OPEN)
            finally:
                connection.close()

    outcomes = race(write, n=200)
    assert outcomes == {"ok": 200}
    rows = list(Enrolment.objects.filter(session=session).order_by("queued_at", "id"))
    assert sum(r.status == "enrolled" for r in rows) == 30
    assert sum(r.status == "waiting" for r in rows) == 170
    # arrival order = the order the session's lock was taken: every seat went before any waiter, ids ascend
    assert [r.status for r in rows] == ["enrolled"] * 30 + ["waiting"] * 170
    assert [r.pk for r in rows] == sorted(r.pk for r in rows)

    # a drop promotes the first waiter, once, even when the drop races more drops of the same seat
    first_waiter = rows[30]
    seat = rows[0]
    outcomes = race(lambda i: services.drop(enrolment=seat, actor=None, now=OPEN), n=20)
    assert outcomes == {"ok": 1, "已退选": 19}
    after = {r.pk: r.status for r in Enrolment.objects.filter(session=session)}
    assert after[first_waiter.pk] == "enrolled"
    assert sum(s == "enrolled" for s in after.values()) == 30
    assert after[rows[31].pk] == "waiting"
    assert Enrolment.objects.get(pk=first_waiter.pk).promoted_at is not None


@pytest.mark.django_db(transaction=True)
def test_one_live_enrolment_per_person_under_concurrency(make_session, make_people):
    session = make_session(capacity=5)
    (p,) = make_people(1)
    outcomes = race(lambda i: services.enrol(session=session, person=p, actor=None, now=OPEN), n=30)
    assert outcomes == {"ok": 1, "已选修或已在候补名单中": 29}


@pytest.mark.django_db(transaction=True)
def test_promotion_notice_goes_to_the_promoted_cadre_once(make_session, make_people):
    from bole.org.services import account_create

    session = make_session(capacity=1)
    a, b = make_people(2)
    user_b = account_create(username="b", role="cadre", scope=b.id_number, password="pass-1234-word", actor=None)
    first = services.enrol(session=session, person=a, actor=None, now=OPEN)
    services.enrol(session=session, person=b, actor=None, now=OPEN)
    services.drop(enrolment=first, actor=None, now=OPEN)
    notes = Notification.objects.filter(recipient=user_b, event="promoted")
    assert notes.count() == 1
    assert "城市更新与片区开发" in notes.get().text
