"""One current adoption per stairwell under 50 simultaneous adoptions."""

from __future__ import annotations

import pytest

from bole.community import services
from bole.community.models import Adoption
from bole.org.services import person_update

from ..race import RACERS, race


@pytest.mark.django_db(transaction=True)
def test_simultaneous_adoptions_leave_one_current_adopter(home, county, users):
    other = person_update(person=county["lisi"], is_party_member=True, actor=users["admin"])
    members = [home["member"], other]
    outcomes = race(lambda i: services.adoption_create(stairwell=home["s2"], person=members[i % 2],
                                                       actor=users["admin"]))
    assert outcomes == {"ok": RACERS}
    assert Adoption.objects.filter(stairwell=home["s2"], end_on__isnull=True).count() == 1
