"""The big screen's map in Chromium: the county's towns drawn from the shipped schematic outline and coloured, a
click drills into a town's villages and the back button returns; without an outline the towns become a grid."""

from __future__ import annotations

import pytest

from tests.community.conftest import _fast_passwords, clock, home  # noqa: F401  (fixtures)

from .conftest import shot, ui_login

PW = "pass-1234-word"
SCREEN = {"width": 1920, "height": 1080}

# The map's series as ECharts holds it: which map is registered, its regions and their values.
SERIES = ("(() => { const c = echarts.getInstanceByDom(document.getElementById('map-chart'));"
          " const s = c.getOption().series[0]; return {map: s.map, data: s.data.map(d => [d.name, d.value])}; })()")


def open_screen(browser, live_url, *, block_outlines=False):
    ctx = browser.new_context(viewport=SCREEN, locale="zh-CN")
    pg = ctx.new_page()
    if block_outlines:
        pg.route("**/static/cockpit/maps/*.json", lambda route: route.fulfill(status=404, body=""))
    ui_login(pg, live_url, "admin", PW)
    pg.goto(f"{live_url}/screen/?period=all")
    pg.locator("#map-chart canvas").first.wait_for()
    pg.wait_for_function("document.getElementById('map-title').textContent.startsWith('德清县')")
    pg.wait_for_function(f"{SERIES}.data.length > 0")
    return ctx, pg


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("home")
def test_the_map_drills_from_the_county_to_a_towns_villages_and_back(browser, live_url):
    ctx, pg = open_screen(browser, live_url)
    series = pg.evaluate(SERIES)
    assert series["map"] == "bole-330521"
    assert dict(series["data"]) == {"330521001": None, "330521002": 50}  # 楼道党员认领率 of the towns
    assert pg.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]") == [1920, 1080]
    assert pg.locator("#map-back").is_hidden()
    shot(pg, "screen-map-county-1920x1080")
    # 舞阳街道's cell holds its approximate position (119.90, 30.57): click there.
    x, y = pg.evaluate("echarts.getInstanceByDom(document.getElementById('map-chart'))"
                       ".convertToPixel({seriesIndex: 0}, [119.90, 30.57])")
    box = pg.locator("#map-chart").bounding_box()
    pg.mouse.click(box["x"] + x, box["y"] + y)
    pg.wait_for_function("document.getElementById('map-title').textContent.startsWith('舞阳街道')")
    assert "楼道党员认领率" in pg.inner_text("#map-title")
    series = pg.evaluate(SERIES)
    assert series["map"] == "bole-330521002" and series["data"] == [["330521002001", 50]]  # 塔山社区
    shot(pg, "screen-map-town-1920x1080")
    pg.locator("#map-back").click()
    pg.wait_for_function("document.getElementById('map-title').textContent.startsWith('德清县')")
    assert pg.locator("#map-back").is_hidden()
    ctx.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("home")
def test_without_an_outline_the_towns_are_a_grid(browser, live_url):
    ctx, pg = open_screen(browser, live_url, block_outlines=True)
    series = pg.evaluate(SERIES)
    assert series["map"] == "bole-330521" and [d[0] for d in series["data"]] == ["330521001", "330521002"]
    bounds = pg.evaluate("echarts.getMap('bole-330521').geoJSON.features.map(f => f.geometry.coordinates[0][0])")
    assert bounds == [[0, 0], [0.1, 0]]  # two cells side by side in the grid's own coordinates
    shot(pg, "screen-map-grid-1920x1080")
    ctx.close()
