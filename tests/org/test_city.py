"""A city-wide instance: the region tree starts at a province or a city; city and county admins are region staff."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from openpyxl import Workbook

from bole.core.registers import import_register
from bole.core.scoping import region_prefix, scope_label
from bole.org import selectors, services
from bole.org.choices import RegionKind, UnitKind
from bole.org.demo import make_credit_code, make_id_number
from bole.org.models import Region
from bole.org.registers import REGIONS
from bole.org.validators import InvalidValue, check_region_parent, region_level_of

PW = "pass-1234-word"


@pytest.mark.parametrize("code, level", [("330000", "province"), ("330500", "city"), ("330502", "county"),
                                         ("330521", "county"), ("330502002", "town"), ("330502002011", "village")])
def test_level_follows_the_code(code, level):
    assert region_level_of(code) == level


@pytest.mark.parametrize("code", ["000000", "330021", "3305", "33050200"])
def test_malformed_codes_are_refused(code):
    with pytest.raises(InvalidValue):
        region_level_of(code)


def test_prefix_of_each_level():
    assert [region_prefix(c) for c in ("330000", "330500", "330502", "330502002")] == ["33", "3305", "330502",
                                                                                        "330502002"]


def test_parent_rules_from_province_down():
    check_region_parent("330000", None)
    check_region_parent("330500", None)  # a tree may start at a city
    check_region_parent("330500", "330000")
    check_region_parent("330502", "330500")
    check_region_parent("330521", None)  # or at a county, as before
    check_region_parent("429004", "420000")  # a county directly under its province (省直辖县)
    check_region_parent("330502002", "330502")
    for code, parent in (("330000", "110000"), ("330600", "340000"),
                         ("330602", "330500"), ("330502", "330502"), ("330502002", "330500"),
                         ("330502002", "330000"), ("330502002011", "330502")):
        with pytest.raises(InvalidValue):
            check_region_parent(code, parent)
    with pytest.raises(InvalidValue):
        check_region_parent("330502002", None)


@pytest.fixture
def city(db):
    """湖州市 with 吴兴区 (朝阳街道 › 闻波社区) and 德清县 (武康街道), a unit and a person in each town, and logins."""
    from bole.org.services import account_create

    rng = random.Random(5)
    huzhou = services.region_create(actor=None, code="330500", name="湖州市", kind=RegionKind.CITY)
    wuxing = services.region_create(actor=None, code="330502", name="吴兴区", kind=RegionKind.DISTRICT, parent=huzhou)
    deqing = services.region_create(actor=None, code="330521", name="德清县", kind=RegionKind.COUNTY, parent=huzhou)
    chaoyang = services.region_create(actor=None, code="330502002", name="朝阳街道", kind=RegionKind.STREET,
                                      parent=wuxing)
    wenbo = services.region_create(actor=None, code="330502002011", name="闻波社区", kind=RegionKind.COMMUNITY,
                                   parent=chaoyang)
    wukang = services.region_create(actor=None, code="330521001", name="武康街道", kind=RegionKind.STREET,
                                    parent=deqing)
    units = {
        "city": services.unit_create(actor=None, name="中共湖州市委组织部", kind=UnitKind.PARTY_COMMITTEE,
                                     region=huzhou),
        "chaoyang": services.unit_create(actor=None, name="朝阳街道党工委", kind=UnitKind.TOWN, region=chaoyang),
        "wukang": services.unit_create(actor=None, name="武康街道党工委", kind=UnitKind.TOWN, region=wukang),
    }
    units["wenbo"] = services.unit_create(actor=None, name="闻波社区居委会", kind=UnitKind.VILLAGE, region=wenbo,
                                          parent=units["chaoyang"])
    for key, name in (("city", "市一"), ("chaoyang", "吴一"), ("wenbo", "吴二"), ("wukang", "德一")):
        idn = make_id_number(rng, "330500", dt.date(1985, 3, 1 + len(name)), True)
        services.person_create(actor=None, name=name, id_number=idn, unit=units[key])
    for region, name in ((wenbo, "吴兴织造有限公司"), (wukang, "德清华盛机械有限公司")):
        services.enterprise_create(actor=None, name=name, credit_code=make_credit_code(rng, region.code[:6]),
                                   industry="C", region=region)
    logins = {
        "admin": account_create(username="admin", role="admin", password=PW, actor=None),
        "huzhou": account_create(username="huzhou", role="unit_admin", scope="330500", password=PW, actor=None),
        "wuxing": account_create(username="wuxing", role="unit_admin", scope="330502", password=PW, actor=None),
        "deqing": account_create(username="deqing", role="unit_admin", scope="330521", password=PW, actor=None),
    }
    return {"regions": {r.code: r for r in (huzhou, wuxing, deqing, chaoyang, wenbo, wukang)}, "units": units,
            "logins": logins}


SEES = {
    "admin": ({"市一", "吴一", "吴二", "德一"}, {"吴兴织造有限公司", "德清华盛机械有限公司"}, 6),
    "huzhou": ({"市一", "吴一", "吴二", "德一"}, {"吴兴织造有限公司", "德清华盛机械有限公司"}, 6),
    "wuxing": ({"吴一", "吴二"}, {"吴兴织造有限公司"}, 3),
    "deqing": ({"德一"}, {"德清华盛机械有限公司"}, 2),
}


@pytest.mark.parametrize("who", list(SEES))
def test_city_and_county_admins_see_their_subtree(city, who):
    user = city["logins"][who]
    people, enterprises, n_regions = SEES[who]
    assert set(selectors.person_list(user=user).values_list("name", flat=True)) == people
    assert set(selectors.enterprise_list(user=user).values_list("name", flat=True)) == enterprises
    assert selectors.region_list(user=user).count() == n_regions


def test_scope_label_names_the_region(city):
    assert scope_label(city["logins"]["huzhou"]) == "管辖范围：湖州市"
    assert scope_label(city["logins"]["wuxing"]) == "管辖范围：吴兴区"
    assert scope_label(city["logins"]["admin"]) == "管辖范围：全部区划"


def test_county_admin_cannot_open_the_other_county(client, city):
    client.force_login(city["logins"]["wuxing"])
    wukang = city["regions"]["330521001"]
    assert client.get(f"/regions/{wukang.pk}/").status_code == 404
    assert client.get(f"/regions/{city['regions']['330502002'].pk}/").status_code == 200


def _xlsx(rows) -> bytes:
    wb = Workbook()
    wb.active.append(["区划代码", "名称", "类型", "上级区划代码"])
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_accepts_a_province_and_a_city_above_an_existing_tree(db):
    from bole.org.services import account_create

    admin = account_create(username="admin", role="admin", password=PW, actor=None)
    data = _xlsx([["330000", "浙江省", "省", ""], ["330500", "湖州市", "市", "330000"],
                  ["330502", "吴兴区", "区", "330500"], ["330502002", "朝阳街道", "街道", "330502"]])
    report = import_register(register=REGIONS, data=data, actor=admin, dry_run=False)
    assert report.ok, report.issues
    assert dict(Region.objects.values_list("code", "level")) == {
        "330000": "province", "330500": "city", "330502": "county", "330502002": "town"}
    assert Region.objects.get(code="330502").parent.code == "330500"


def test_import_refuses_a_city_under_another_province(db):
    from bole.org.services import account_create

    admin = account_create(username="admin", role="admin", password=PW, actor=None)
    data = _xlsx([["340000", "安徽省", "省", ""], ["330500", "湖州市", "市", "340000"]])
    report = import_register(register=REGIONS, data=data, actor=admin, dry_run=True)
    assert not report.ok and Region.objects.count() == 0


def test_city_admin_compares_its_counties_and_a_county_admin_sees_its_own(client, city):
    rows = selectors.county_figures(user=city["logins"]["huzhou"])
    assert [(r["name"], r["towns"], r["villages"], r["units"], r["people"], r["enterprises"]) for r in rows] == [
        ("吴兴区", 1, 1, 2, 2, 1), ("德清县", 1, 0, 1, 1, 1)]
    assert [r["name"] for r in selectors.county_figures(user=city["logins"]["deqing"])] == ["德清县"]
    client.force_login(city["logins"]["huzhou"])
    page = client.get("/counties/").content.decode()
    assert "吴兴区" in page and "德清县" in page and "合计" in page
    client.force_login(city["logins"]["wuxing"])
    page = client.get("/counties/").content.decode()
    assert "吴兴区" in page and "德清县" not in page and "合计" not in page


def test_comparison_is_for_staff(client, city):
    from bole.org.models import Person
    from bole.org.services import account_create

    person = Person.objects.get(name="德一")
    cadre = account_create(username="c1", role="cadre", scope=person.id_number, password=PW, actor=None)
    client.force_login(cadre)
    assert client.get("/counties/").status_code == 403
