"""The schematic map's geometry: cells partition their outline, village sites fall inside their town."""

import pytest

from bole.engines.schematic_map import area, clip_halfplane, contains, feature, spiral_sites, voronoi_cells

SQUARE = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)]
L_SHAPE = [(0.0, 0.0), (4.0, 0.0), (4.0, 1.0), (1.0, 1.0), (1.0, 4.0), (0.0, 4.0)]  # concave


def test_a_halfplane_cuts_a_square_in_half():
    half = clip_halfplane(SQUARE, 1.0, 0.0, 2.0)  # x <= 2
    assert area(half) == pytest.approx(8.0)
    assert clip_halfplane(SQUARE, 1.0, 0.0, -1.0) == []


@pytest.mark.parametrize("outline", [SQUARE, L_SHAPE])
def test_cells_partition_the_outline_and_hold_their_site(outline):
    sites = [(0.5, 0.5), (3.0, 0.5), (0.5, 3.0), (0.8, 1.5)]
    cells = voronoi_cells(outline, sites)
    assert sum(abs(area(c)) for c in cells) == pytest.approx(abs(area(outline)))
    for site, cell in zip(sites, cells, strict=True):
        assert contains(cell, site)


def test_spiral_sites_are_distinct_inside_and_deterministic():
    for n in (1, 2, 5, 12):
        pts = spiral_sites(L_SHAPE, n)
        assert len(set(pts)) == n and all(contains(L_SHAPE, p) for p in pts)
        assert pts == spiral_sites(L_SHAPE, n)


def test_a_feature_is_a_closed_counter_clockwise_ring():
    f = feature("330521001", "武康街道", list(reversed(SQUARE)), level="town")
    ring = f["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    assert area([tuple(p) for p in ring[:-1]]) > 0
    assert f["properties"] == {"code": "330521001", "name": "武康街道", "level": "town"}
