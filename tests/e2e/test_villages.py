"""强村指数 end to end: a town's year sheet imported, the index computed, the ranking with its rank intervals, the
village under 70万 in red, and its explanation."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from .conftest import DESKTOP, menu_click, shot, ui_login

PW = "pass-1234-word"
NAMES = {"武康街道": ["五四村", "上杨村", "龙山村", "三桥村"], "舞阳街道": ["曲溪村", "南舍村", "宋市村"]}


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_import_rank_red_village_and_explanation(browser, live_url, users, county, tmp_path):
    from bole.org import services as org
    from bole.org.choices import RegionKind
    from bole.villages.defaults import indicators_ensure

    for town in (county["t1"], county["t2"]):
        for k, name in enumerate(NAMES[town.name][1 if town == county["t1"] else 0:], start=201):
            org.region_create(actor=None, code=f"{town.code}{k:03d}", name=name, kind=RegionKind.VILLAGE,
                              parent=town)
    indicators_ensure(actor=users["admin"])
    wb = Workbook()
    wb.remove(wb.active)
    for town, names in NAMES.items():
        ws = wb.create_sheet(town)
        ws.append(["村", "村集体经济经营性收入（万元）", "村集体经济总收入", "接待游客", "资产负债率"])
        for k, name in enumerate(names):
            # indicators that disagree, so the construction choices move the ranks
            ws.append([name, 45 if name == "五四村" else 80 + 40 * k, 150 + (37 * k * k) % 90, (5, 1, 4, 2)[k],
                       (30, 12, 25, 40)[k]])
    path = tmp_path / "2025.xlsx"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())

    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    ui_login(page, live_url, "admin", PW)
    menu_click(page, "强村")
    page.get_by_role("button", name="导入村级数据").click()
    page.get_by_label("年度").fill("2025")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="导入").click()
    page.get_by_text("已导入 7 个村").wait_for()
    page.get_by_role("link", name="查看强村指数").click()
    page.locator("summary", has_text="计算强村指数").click()
    page.get_by_role("button", name="计算").click()
    page.get_by_text("已计算 2025 年强村指数").wait_for()
    rows = page.locator("table.ranking tbody tr")
    assert rows.count() == 7
    red = page.locator("tr[data-village='五四村']")
    assert "light-red" in red.get_attribute("class")
    assert red.locator(".light").inner_text() == "红色"
    interval = red.locator(".interval").inner_text()
    low, high = (int(x) for x in interval.split("–"))
    assert 1 <= low <= high <= 7
    page.locator("#sobol canvas").first.wait_for()
    shot(page, "villages-ranking")
    red.get_by_role("link", name="五四村").click()
    page.get_by_role("heading", name="指数构成").wait_for()
    assert "经营性收入低于70万元" in page.content()
    assert page.locator("table.explain tbody tr").count() == 7
    shot(page, "villages-explanation")
