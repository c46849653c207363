"""Writes the big screen's schematic map files (示意图, not a surveying product) under static/cockpit/maps/:

- ``330500.json``: 湖州市 and its five counties, hand-drawn as simplified polygons from approximate positions;
- ``330502.json`` (吴兴区), ``330521.json`` (德清县): the county's towns as cells of its outline (a Voronoi partition
  from each town's approximate position, `bole.engines.schematic_map`), and each town's villages as smaller cells of
  the town laid out in code order (``level`` "town" or "village", ``parent`` the town's code).

No boundary data with an open licence covers China's counties and towns on the npm registry or PyPI (the packages
that carry them derive from map services' data under no open licence), so these outlines are drawn, not measured;
the screen says 地图仅为示意. The codes are the demo's (bole.org.demo). Run once after changing the positions:

    PYTHONPATH=src python -m bole.cockpit.mapgen

A county without a file here still gets a map: the screen lays its towns out as a grid of cells.
"""

from __future__ import annotations

import json
from pathlib import Path

from bole.engines.schematic_map import feature, spiral_sites, voronoi_cells

OUT = Path(__file__).resolve().parent.parent / "static" / "cockpit" / "maps"
NOTE = "示意图：按大致位置绘制，不是测绘成果，不作为行政区域界线依据。Schematic outline, not a surveyed boundary."

# Shared corners of the city's counties (lon, lat), so neighbouring outlines meet.
_P = {
    "w": (119.25, 30.72), "sw2": (119.40, 30.88), "nw": (119.60, 31.15), "n": (119.90, 31.15),
    "lake": (120.05, 31.02), "ne1": (120.28, 30.98), "ne": (120.48, 30.98), "se": (120.48, 30.68),
    "e1": (120.35, 30.66), "e": (120.36, 30.48), "s": (120.15, 30.42), "sw": (119.88, 30.40),
    "s2": (119.55, 30.38), "mid_w": (119.72, 30.55), "cx_nw": (119.65, 30.92), "cx": (119.88, 30.88),
    "ax": (119.88, 30.66), "ds": (120.05, 30.64), "dx": (120.22, 30.66), "nx": (120.30, 30.80),
}
COUNTIES = [  # code, name, corners in order
    ("330502", "吴兴区", ["cx", "lake", "ne1", "nx", "dx", "ds", "ax"]),
    ("330503", "南浔区", ["ne1", "ne", "se", "e1", "dx", "nx"]),
    ("330521", "德清县", ["ax", "ds", "dx", "e1", "e", "s", "sw", "mid_w"]),
    ("330522", "长兴县", ["sw2", "nw", "n", "lake", "cx", "cx_nw"]),
    ("330523", "安吉县", ["w", "sw2", "cx_nw", "cx", "ax", "mid_w", "sw", "s2"]),
]

# Approximate positions of the demo's towns (lon, lat), nudged apart where the real ones crowd together (the urban
# streets), so each cell is big enough to see and click.
TOWN_SITES = {
    "330502": {
        "月河街道": (120.085, 30.870), "朝阳街道": (120.110, 30.895), "爱山街道": (120.070, 30.850),
        "飞英街道": (120.125, 30.865), "龙泉街道": (120.050, 30.880), "康山街道": (120.150, 30.835),
        "仁皇山街道": (120.080, 30.925), "滨湖街道": (120.040, 30.950), "杨家埠街道": (119.990, 30.860),
        "环渚街道": (120.120, 30.940), "织里镇": (120.240, 30.870), "八里店镇": (120.190, 30.800),
        "妙西镇": (119.950, 30.790), "埭溪镇": (119.960, 30.700), "东林镇": (120.120, 30.700),
        "道场乡": (120.060, 30.790),
    },
    "330521": {
        "武康街道": (119.965, 30.545), "舞阳街道": (119.900, 30.570), "阜溪街道": (119.950, 30.490),
        "下渚湖街道": (120.040, 30.510), "康乾街道": (120.020, 30.590), "乾元镇": (120.090, 30.585),
        "新市镇": (120.290, 30.610), "洛舍镇": (120.080, 30.640), "钟管镇": (120.190, 30.620),
        "禹越镇": (120.220, 30.500), "新安镇": (120.300, 30.540), "雷甸镇": (120.130, 30.480),
        "莫干山镇": (119.820, 30.560),
    },
}


# The urban streets crowd around the county seat; drawn this much further from it than they are.
SPREAD = {"330502": ((120.085, 30.875), 1.8)}


def _spread(county: str, name: str) -> tuple[float, float]:
    x, y = TOWN_SITES[county][name]
    if county in SPREAD and name.endswith("街道"):
        (cx, cy), k = SPREAD[county]
        return (cx + k * (x - cx), cy + k * (y - cy))
    return (x, y)


def city_collection() -> dict:
    features = [feature(code, name, [_P[k] for k in corners], level="county", parent="330500")
                for code, name, corners in COUNTIES]
    return {"type": "FeatureCollection", "name": "330500", "note": NOTE, "features": features}


def county_collection(county: str, towns: list) -> dict:
    """`towns`: (code, name, kind, [(village code, name)]) as bole.org.demo lists them."""
    outline = next([_P[k] for k in corners] for code, _n, corners in COUNTIES if code == county)
    sites = [_spread(county, name) for _code, name, _kind, _v in towns]
    features = []
    for (code, name, _kind, villages), cell in zip(towns, voronoi_cells(outline, sites), strict=True):
        features.append(feature(code, name, cell, level="town", parent=county))
        vcells = voronoi_cells(cell, spiral_sites(cell, len(villages))) if villages else []
        features += [feature(vcode, vname, vcell, level="village", parent=code)
                     for (vcode, vname), vcell in zip(villages, vcells, strict=True)]
    return {"type": "FeatureCollection", "name": county, "note": NOTE, "features": features}


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bole.settings")
    django.setup()
    from bole.org.demo import COUNTIES as DEMO

    OUT.mkdir(parents=True, exist_ok=True)
    files = {"330500": city_collection(), **{c.code: county_collection(c.code, c.towns) for c in DEMO}}
    for code, fc in files.items():
        path = OUT / f"{code}.json"
        path.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        print(path, path.stat().st_size, "bytes,", len(fc["features"]), "features")


if __name__ == "__main__":
    main()
