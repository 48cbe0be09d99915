"""Region map centroids from Eurostat's NUTS 2024 boundaries (clusterkg/data/geo, 1:20 million).

A *map* centroid: the area-weighted centre of the region's largest polygon,
in longitude and latitude, so that a marker lands on the mainland of a region
with islands (Madeira's, not the Atlantic's). Good for placing markers and
labels; not for measuring distances or areas (the boundaries are generalised).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
LEVELS = (0, 1, 2)


def _ring_area_and_centre(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and centroid of a closed ring (shoelace formula, in degrees)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area, cx / (6 * area), cy / (6 * area)


def map_centroid(geometry: dict[str, Any]) -> tuple[float, float]:
    """(lon, lat) of the largest polygon's centre; its holes are taken out."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    for polygon in polygons:
        parts = [_ring_area_and_centre(ring) for ring in polygon]
        outer, holes = parts[0], parts[1:]
        area = abs(outer[0]) - sum(abs(h[0]) for h in holes)
        x = (abs(outer[0]) * outer[1] - sum(abs(h[0]) * h[1] for h in holes)) / area if area else outer[1]
        y = (abs(outer[0]) * outer[2] - sum(abs(h[0]) * h[2] for h in holes)) / area if area else outer[2]
        if area > best[0]:
            best = (area, x, y)
    return round(best[1], 4), round(best[2], 4)


def centroids(directory: Path = GEO_DIR) -> dict[str, tuple[float, float]]:
    """NUTS code -> (lon, lat) for every region of levels 0-2 in the geometry files."""
    found: dict[str, tuple[float, float]] = {}
    for level in LEVELS:
        path = directory / f"nuts2024_rg_20m_level{level}.geojson"
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            found[feature["properties"]["id"].strip()] = map_centroid(feature["geometry"])
    return found
