"""A register's unique values under 50 simultaneous creations: one record, and full_clean's message for the rest."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bole.org import services
from bole.org.choices import RegionKind
from bole.org.models import Region

from ..race import RACERS, race


@pytest.mark.django_db(transaction=True)
def test_one_region_per_code(county):
    def create(i):
        return services.region_create(actor=None, code="330521003", name=f"新市镇{i}", kind=RegionKind.TOWN,
                                      parent=county["county"])

    outcomes = race(create)
    with pytest.raises(ValidationError) as taken:
        create(RACERS)
    assert outcomes == {"ok": 1, " / ".join(taken.value.messages): RACERS - 1}
    assert Region.objects.filter(code="330521003").count() == 1
