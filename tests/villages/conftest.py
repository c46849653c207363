import io

import pytest
from openpyxl import Workbook

from bole.org import services as org_services
from bole.org.choices import RegionKind
from bole.villages.defaults import indicators_ensure

VILLAGES_T1 = ["上杨村", "龙山村", "三桥村", "勤勤村", "劳岭村"]
VILLAGES_T2 = ["曲溪村", "南舍村", "宋市村", "蔡界村", "蠡山村"]


@pytest.fixture
def world(county, users):
    """The county fixture's two towns with five more villages each, and the starting indicators."""
    regions = {"五四村": county["v1"]}
    for town, names in ((county["t1"], VILLAGES_T1), (county["t2"], VILLAGES_T2)):
        for k, name in enumerate(names, start=201):
            regions[name] = org_services.region_create(actor=None, code=f"{town.code}{k:03d}", name=name,
                                                       kind=RegionKind.VILLAGE, parent=town)
    inds = indicators_ensure(actor=users["admin"])
    return {**county, "villages": regions, "indicators": {i.code: i for i in inds}}


def workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
