"""Schematic outlines (示意图) for the big screen's map: a region's outline cut into cells, one per sub-region.

Nothing here is a surveyed boundary. Given an outline (a simple polygon of (lon, lat) points) and one site per
sub-region (its approximate position), each sub-region's cell is the part of the outline closer to its site than to
any other (a Voronoi partition clipped to the outline). Villages, whose positions Bole does not know, get sites laid
out deterministically inside their town's cell (a sunflower spiral around the cell's centre, in code order).

Pure computation, no Django: the generator (`bole.cockpit.mapgen`) writes GeoJSON with it once, and the tests check
the shipped files with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]
Polygon = list[Point]


def clip_halfplane(poly: Sequence[Point], a: float, b: float, c: float) -> Polygon:
    """The part of `poly` where a·x + b·y ≤ c (Sutherland–Hodgman against one half-plane; works for any simple
    polygon, a convex cut of a concave one may leave a zero-width seam, which draws as nothing)."""
    out: Polygon = []
    n = len(poly)
    for i in range(n):
        p, q = poly[i], poly[(i + 1) % n]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def voronoi_cells(outline: Sequence[Point], sites: Sequence[Point]) -> list[Polygon]:
    """One cell per site: the points of `outline` nearer that site than any other (in plain x/y; the sites must
    differ)."""
    cells = []
    for i, (sx, sy) in enumerate(sites):
        cell: Polygon = list(outline)
        for j, (tx, ty) in enumerate(sites):
            if i == j:
                continue
            # |x - s|² ≤ |x - t|²  ⇔  2(t - s)·x ≤ |t|² - |s|²
            cell = clip_halfplane(cell, 2 * (tx - sx), 2 * (ty - sy), tx * tx + ty * ty - sx * sx - sy * sy)
            if not cell:
                break
        cells.append(cell)
    return cells


def area(poly: Sequence[Point]) -> float:
    """Signed area (shoelace; positive when counter-clockwise)."""
    return sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(poly, [*poly[1:], poly[0]], strict=True)) / 2


def centroid(poly: Sequence[Point]) -> Point:
    """The centre of mass of a polygon (its vertices' mean when it has no area)."""
    a = area(poly)
    if abs(a) < 1e-15:
        return (sum(p[0] for p in poly) / len(poly), sum(p[1] for p in poly) / len(poly))
    cx = cy = 0.0
    for p, q in zip(poly, [*poly[1:], poly[0]], strict=True):
        cross = p[0] * q[1] - q[0] * p[1]
        cx += (p[0] + q[0]) * cross
        cy += (p[1] + q[1]) * cross
    return (cx / (6 * a), cy / (6 * a))


def contains(poly: Sequence[Point], pt: Point) -> bool:
    """Whether `pt` lies inside `poly` (even-odd rule)."""
    x, y = pt
    inside = False
    n = len(poly)
    for i in range(n):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def edge_distance(poly: Sequence[Point], pt: Point) -> float:
    """The distance from `pt` to the nearest edge of `poly`."""
    best = math.inf
    for i in range(len(poly)):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % len(poly)]
        dx, dy = x2 - x1, y2 - y1
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((pt[0] - x1) * dx + (pt[1] - y1) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(pt[0] - x1 - t * dx, pt[1] - y1 - t * dy))
    return best


def inner_point(poly: Sequence[Point]) -> Point:
    """A point well inside `poly`: its centroid when that is inside (any convex cell), else the point of a 24×24
    grid over it farthest from its edges."""
    c = centroid(poly)
    if contains(poly, c):
        return c
    xs, ys = [p[0] for p in poly], [p[1] for p in poly]
    grid = [(min(xs) + (i + 0.5) * (max(xs) - min(xs)) / 24, min(ys) + (j + 0.5) * (max(ys) - min(ys)) / 24)
            for i in range(24) for j in range(24)]
    return max((p for p in grid if contains(poly, p)), key=lambda p: edge_distance(poly, p), default=c)


GOLDEN = math.pi * (3 - math.sqrt(5))


def spiral_sites(cell: Sequence[Point], n: int) -> list[Point]:
    """`n` distinct points inside `cell`, deterministic: a sunflower spiral around a point well inside it, shrunk
    until every point is inside (a disc around that point that keeps off the edges always is)."""
    c = inner_point(cell)
    if n == 1:
        return [c]
    xs, ys = [p[0] for p in cell], [p[1] for p in cell]
    radius = 0.45 * min(max(xs) - min(xs), max(ys) - min(ys))
    floor = 0.9 * edge_distance(cell, c)
    for _attempt in range(100):  # 0.85¹⁰⁰: any cell with room for a point is reached long before
        pts = [(c[0] + radius * math.sqrt((k + 0.5) / n) * math.cos(k * GOLDEN),
                c[1] + radius * math.sqrt((k + 0.5) / n) * math.sin(k * GOLDEN)) for k in range(n)]
        if radius <= floor or all(contains(cell, p) for p in pts):
            return pts
        radius = max(floor, radius * 0.85)
    return pts


def rounded(poly: Sequence[Point], digits: int = 4) -> Polygon:
    """The polygon with its coordinates rounded (4 decimals ≈ 10 m) and repeated points dropped."""
    out: Polygon = []
    for x, y in poly:
        p = (round(x, digits), round(y, digits))
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def feature(code: str, name: str, poly: Sequence[Point], **props) -> dict:
    """A GeoJSON Feature for one region: a closed counter-clockwise ring, the code and name in its properties."""
    ring = rounded(poly)
    if area(ring) < 0:
        ring.reverse()
    coords = [[x, y] for x, y in ring] + [[ring[0][0], ring[0][1]]]
    return {"type": "Feature", "properties": {"code": code, "name": name, **props},
            "geometry": {"type": "Polygon", "coordinates": [coords]}}
