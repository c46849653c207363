"""The big screen's map: the shipped schematic outlines (valid GeoJSON, every demo town and village drawn inside its
county and town, exactly what bole.cockpit.mapgen writes) and the page that starts the map at the user's region."""

import json
import re

import pytest

from bole.cockpit import board, mapgen
from bole.core.figures import TownColumn
from bole.engines.schematic_map import area, contains, edge_distance
from bole.org.demo import COUNTIES

MAPS = mapgen.OUT


def load(code: str) -> dict:
    return json.loads((MAPS / f"{code}.json").read_text(encoding="utf-8"))


def ring(feature) -> list[tuple[float, float]]:
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Polygon"
    coords = feature["geometry"]["coordinates"][0]
    assert coords[0] == coords[-1] and len(coords) >= 4  # closed
    pts = [tuple(p) for p in coords[:-1]]
    assert area(pts) > 0  # counter-clockwise, not empty
    return pts


def inside(outer, pts, tol=2e-4) -> bool:
    """Every point inside `outer` or on its edge (coordinates are rounded to 1e-4°)."""
    return all(contains(outer, p) or edge_distance(outer, p) < tol for p in pts)


def test_the_city_file_draws_its_counties():
    fc = load("330500")
    assert fc["type"] == "FeatureCollection" and "示意" in fc["note"]
    codes = [f["properties"]["code"] for f in fc["features"]]
    assert codes == ["330502", "330503", "330521", "330522", "330523"]
    for f in fc["features"]:
        ring(f)
        assert f["properties"]["level"] == "county" and f["properties"]["parent"] == "330500"


@pytest.mark.parametrize("county", COUNTIES, ids=lambda c: c.code)
def test_every_demo_town_and_village_has_a_cell_inside_its_county_and_town(county):
    outline = ring(next(f for f in load("330500")["features"] if f["properties"]["code"] == county.code))
    fc = load(county.code)
    by_code = {f["properties"]["code"]: f for f in fc["features"]}
    assert len(by_code) == len(fc["features"])  # codes unique
    town_area = 0.0
    for code, name, _kind, villages in county.towns:
        town = by_code[code]
        assert town["properties"] == {"code": code, "name": name, "level": "town", "parent": county.code}
        cell = ring(town)
        assert inside(outline, cell), name
        town_area += area(cell)
        village_area = 0.0
        for vcode, vname in villages:
            v = by_code[vcode]
            assert v["properties"] == {"code": vcode, "name": vname, "level": "village", "parent": code}
            vcell = ring(v)
            assert inside(cell, vcell), vname
            village_area += area(vcell)
        assert village_area == pytest.approx(area(cell), rel=1e-2)  # the villages fill their town
    assert town_area == pytest.approx(area(outline), rel=1e-3)  # the towns fill their county
    assert len(fc["features"]) == sum(1 + len(t[3]) for t in county.towns)


def test_the_shipped_files_are_what_the_generator_writes():
    assert load("330500") == json.loads(json.dumps(mapgen.city_collection()))
    for c in COUNTIES:
        assert load(c.code) == json.loads(json.dumps(mapgen.county_collection(c.code, c.towns)))


def test_village_values_are_the_columns_twelve_digit_keys():
    cols = [TownColumn("a", "A", {"330521001": 50.0, "330521001001": 100.0, "330521001002": None}),
            TownColumn("b", "B", {"330521001": 3.0})]
    found = {}
    board.village_values(cols, found)
    assert found == {"a": {"330521001001": 100.0}}
    board.village_values(cols, None)  # nothing asked, nothing done


def map_of(page: str) -> dict:
    return json.loads(re.search(r'<script id="map-data" type="application/json">(.*?)</script>', page, re.S)[1])


@pytest.mark.django_db
def test_the_screen_starts_the_map_at_the_users_region(login, home):
    page = login("admin").get("/screen/?period=all").content.decode()
    assert 'id="map-chart"' in page and "地图仅为示意" in page
    m = map_of(page)
    assert m["root"] == {"code": "330521", "name": "德清县", "level": "county"}
    assert m["files"] == {"330521": "/static/cockpit/maps/330521.json"}
    assert ["330521002", "舞阳街道", "town", "330521"] in m["regions"]
    assert ["330521002001", "塔山社区", "village", "330521002"] in m["regions"]
    assert m["villages"] == {"stairwells_adopted_share": {"330521002001": 50.0}}  # one of its two stairwells
    town = map_of(login("town2").get("/screen/?period=all").content.decode())
    assert town["root"]["name"] == "舞阳街道" and [r[0] for r in town["regions"]] == ["330521002001"]
    assert town["files"] == {"330521": "/static/cockpit/maps/330521.json"}  # the county's file holds its villages
    assert town["villages"] == m["villages"]


@pytest.mark.django_db
def test_the_town_board_reads_only_the_towns(login, home):
    rows = login("admin").get("/api/v1/stats/towns/").json()["boards"][0]["rows"]
    assert {r["code"] for r in rows} == {"330521001", "330521002"}
    assert [c["value"] for r in rows for c in r["cells"] if r["code"] == "330521002"] == [50.0]
