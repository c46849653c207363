"""One application per person and challenge, held by the database under concurrency."""

from __future__ import annotations

import pytest

from bole.challenges import services
from bole.challenges.models import ChallengeApplication

from ..race import RACERS, race
from .conftest import TODAY


@pytest.mark.django_db(transaction=True)
def test_simultaneous_applications_of_one_person_store_one(make_challenge, county, users):
    ch = make_challenge()
    services.challenge_transition(challenge=ch, to="published", actor=users["town1"], on=TODAY)
    outcomes = race(lambda i: services.challenge_apply(challenge=ch, person=county["zhangsan"], plan=f"方案{i}",
                                                       on=TODAY, actor=users["cadre"]))
    assert outcomes == {"ok": 1, "您已揭过此榜": RACERS - 1}
    assert ChallengeApplication.objects.filter(challenge=ch, person=county["zhangsan"]).count() == 1
