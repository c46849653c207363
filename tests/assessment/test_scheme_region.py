"""A scheme with a region assesses only the people of units in that region (a county's scheme in a city)."""

from __future__ import annotations

from bole.assessment import services
from bole.assessment.compute import subjects
from bole.org.services import person_update


def _scheme(admin, name, region=None):
    return services.scheme_create(actor=admin, name=name, target="section_leader", period_kind="quarter",
                                  region=region, indicators=[{"code": "unit", "name": "单位综合考评",
                                                              "kind": "unit_score", "weight": 100}])


def test_a_regions_scheme_assesses_only_its_people(users, county):
    person_update(person=county["wangwu"], actor=None, is_section_leader=True)
    everyone = _scheme(users["admin"], "全部")
    town = _scheme(users["admin"], "武康街道", region=county["t1"])
    whole = _scheme(users["admin"], "德清县", region=county["county"])
    assert set(subjects(everyone)[0]) == {county["zhangsan"].pk, county["wangwu"].pk}
    assert set(subjects(town)[0]) == {county["zhangsan"].pk}
    assert set(subjects(whole)[0]) == {county["zhangsan"].pk, county["wangwu"].pk}
