"""Young cadres with growth records: 王五 (舞阳) mentored by 张三 (武康), 赵六 without a mentor."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def young(county, users):
    """Records for 王五 (舞阳街道, mentor 张三) and 李四 (五四村, no mentor), and a login for 王五."""
    from bole.growth import services
    from bole.org.services import account_create, person_update

    for key in ("wangwu", "lisi"):
        person_update(person=county[key], actor=None, is_young_cadre=True)
        county[key].refresh_from_db()
    services.checklist_seed_default(actor=None)
    wang = services.growth_record_create(person=county["wangwu"], cohort=2024, started_on=dt.date(2024, 8, 1),
                                         mentor=county["zhangsan"], actor=users["admin"])
    li = services.growth_record_create(person=county["lisi"], cohort=2023, started_on=dt.date(2023, 8, 1),
                                       actor=users["admin"])
    wang_user = account_create(username="wangwu", role="cadre", scope=county["wangwu"].id_number,
                               password="pass-1234-word", actor=None)
    return {"wang": wang, "li": li, "wang_user": wang_user, "mentor_user": users["cadre"]}

