"""What a town admin and a cadre may see of the board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from bole.challenges import selectors, services

from .conftest import TODAY


def test_drafts_only_to_their_publishers(db, make_challenge, users):
    draft = make_challenge()
    assert selectors.challenge_list(user=users["town1"]).filter(pk=draft.pk).exists()
    assert selectors.challenge_list(user=users["admin"]).filter(pk=draft.pk).exists()
    for name in ("town2", "cadre", "unit1v"):
        assert not selectors.challenge_list(user=users[name]).filter(pk=draft.pk).exists()
        with pytest.raises(Http404):
            selectors.challenge_get(user=users[name], pk=draft.pk)
    assert not selectors.challenge_list(user=users["ent"]).exists()


def test_published_challenges_are_on_everyone_s_board(db, make_challenge, drive, users):
    ch = drive.reach(make_challenge(), "published")
    for name in ("town1", "town2", "cadre", "admin"):
        assert selectors.challenge_get(user=users[name], pk=ch.pk) == ch
    assert list(selectors.open_board(today=TODAY)) == [ch]
    assert list(selectors.open_board(today=ch.apply_until.replace(year=ch.apply_until.year + 1))) == []
    # managing stays with the publisher's scope
    assert selectors.managed_challenges(user=users["town1"]).filter(pk=ch.pk).exists()
    assert not selectors.managed_challenges(user=users["town2"]).filter(pk=ch.pk).exists()
    assert not selectors.managed_challenges(user=users["cadre"]).exists()


def test_applications_seen_by_applicant_and_publisher_only(db, make_challenge, drive, users, cadre2, county):
    ch = drive.reach(make_challenge(), "published")
    mine = services.challenge_apply(challenge=ch, person=county["zhangsan"], plan="方案", actor=users["cadre"],
                                    on=TODAY)
    theirs = services.challenge_apply(challenge=ch, person=county["lisi"], plan="方案", actor=cadre2, on=TODAY)
    assert list(selectors.application_list(user=users["cadre"])) == [mine]
    assert list(selectors.application_list(user=cadre2)) == [theirs]
    assert set(selectors.application_list(user=users["town1"])) == {mine, theirs}
    assert not selectors.application_list(user=users["town2"]).exists()
    assert not selectors.application_list(user=users["cadre"], action="decide").exists()


def test_overdue_warnings(db, make_challenge, drive, users):
    ch = drive.reach(make_challenge(), "in_progress")
    first = ch.milestones.order_by("due_date").first()
    late = first.due_date + dt.timedelta(days=1)  # the first milestone is a day overdue, the second not yet due
    assert list(selectors.overdue_milestones(user=users["town1"], today=TODAY)) == []
    assert list(selectors.overdue_milestones(user=users["town1"], today=late)) == [first]
    assert list(selectors.overdue_milestones(user=users["cadre"], today=late)) == [first]
    assert list(selectors.due_soon(user=users["town1"], today=first.due_date)) == [first]
