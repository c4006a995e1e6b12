"""Representative points for areas: a polygon's area centroid and a point set's bounding-box centre.

A maintainer-time helper of `transforms.place_build` (never run per article). Gazetteers and
encyclopaedias give a country or province one "centre" point; for a country that is close to the
area centroid of its main landmass (overseas islands and territories do not pull it into the
sea), and for a province without a polygon the centre of the box around its towns is a better
stand-in than their mean, which drifts toward where people live (coasts, capitals).
Reads ESRI shapefiles (.shp polygons + .dbf attributes) with the standard library only.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable
from pathlib import Path

__all__ = ["Ring", "bbox_centre", "core_land", "distance_km", "main_landmass_centroid", "on_land",
           "read_dbf", "read_polygons"]

Ring = list[tuple[float, float]]  # (lon, lat) pairs, first == last, as in shapefiles
_POLYGON_TYPES = frozenset({5, 15, 25})  # Polygon, PolygonZ, PolygonM
EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
#: Islands whose centre lies this close to the main landmass's centre count as the country's core
#: (measured on GeoVirus against 0 (main landmass only), 1,200 and 2,000 km; see place_sources.md).
CORE_RADIUS_KM = 800.0


def read_dbf(path: Path) -> list[dict[str, str]]:
    """Return the rows of a dBASE table as dicts of stripped strings."""
    with path.open("rb") as handle:
        count, header_len, record_len = struct.unpack("<4xIHH20x", handle.read(32))
        fields = []
        while True:
            descriptor = handle.read(32)
            if descriptor[0] == 0x0D:
                break
            fields.append((descriptor[:11].split(b"\0")[0].decode("ascii"), descriptor[16]))
        handle.seek(header_len)
        rows = []
        for _ in range(count):
            record, pos, row = handle.read(record_len), 1, {}
            for name, length in fields:
                row[name] = record[pos:pos + length].decode("utf-8", "replace").strip()
                pos += length
            rows.append(row)
    return rows


def read_polygons(path: Path) -> list[list[Ring]]:
    """Return the rings of each record of a polygon shapefile (empty list for a null shape)."""
    data = path.read_bytes()
    pos, shapes = 100, []
    while pos + 8 <= len(data):
        _, words = struct.unpack(">ii", data[pos:pos + 8])
        record = data[pos + 8:pos + 8 + 2 * words]
        pos += 8 + 2 * words
        if struct.unpack("<i", record[:4])[0] not in _POLYGON_TYPES:
            shapes.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", record[36:44])
        parts = [*struct.unpack(f"<{n_parts}i", record[44:44 + 4 * n_parts]), n_points]
        offset = 44 + 4 * n_parts
        flat = struct.unpack(f"<{2 * n_points}d", record[offset:offset + 16 * n_points])
        points = list(zip(flat[0::2], flat[1::2], strict=True))
        shapes.append([points[parts[i]:parts[i + 1]] for i in range(n_parts)])
    return shapes


def _area_centroid(ring: Ring, lon0: float) -> tuple[float, float, float]:
    """Return (area, x, y) of a ring in a sinusoidal (equal-area) projection about lon0."""
    projected = [((lon - lon0) * math.cos(math.radians(lat)), lat) for lon, lat in ring]
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(projected, projected[1:]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, projected[0][0], projected[0][1]
    return area, cx / (6 * area), cy / (6 * area)


def _ring_parts(ring: Ring) -> tuple[float, float, float] | None:
    """Return (weight, lat, lon) of a ring: its area (holes negative) and its area centroid."""
    if len(ring) < 4:
        return None
    lon0 = sum(lon for lon, _ in ring) / len(ring)
    area, x, lat = _area_centroid(ring, lon0)
    lon = x / math.cos(math.radians(lat)) + lon0
    return -area, lat, (lon + 180) % 360 - 180  # shapefile outer rings run clockwise


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two (lat, lon) points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def core_land(rings: list[Ring], radius_km: float = CORE_RADIUS_KM
              ) -> tuple[float, float, float] | None:
    """Return (lat, lon, area_km2) of a country's core land: its area centroid and its area.

    The core is the largest ring (the main landmass) plus every ring whose centre lies within
    `radius_km` of its centre: New Zealand's North Island joins the South Island and the
    Visayas join Luzon, while overseas territories (French Guiana, Hawaii) stay out.
    """
    parts = [part for ring in rings if (part := _ring_parts(ring)) is not None]
    if not parts:
        return None
    _, lat0, lon0 = max(parts)
    x = y = z = area = 0.0
    for weight, lat, lon in parts:
        if distance_km(lat0, lon0, lat, lon) > radius_km:
            continue
        phi, lam = math.radians(lat), math.radians(lon)
        x += weight * math.cos(phi) * math.cos(lam)
        y += weight * math.cos(phi) * math.sin(lam)
        z += weight * math.sin(phi)
        area += weight * _KM_PER_DEGREE ** 2
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 4), round(math.degrees(math.atan2(y, x)), 4), round(area)


def main_landmass_centroid(rings: list[Ring], radius_km: float = CORE_RADIUS_KM
                           ) -> tuple[float, float] | None:
    """Return (lat, lon) of the area centroid of a country's core land (see `core_land`)."""
    core = core_land(rings, radius_km)
    return None if core is None else core[:2]


def on_land(lat: float, lon: float, rings: list[Ring]) -> bool:
    """Tell whether a point lies inside the rings (even-odd rule, so holes are holes)."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def bbox_centre(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    """Return (lat, lon) of the centre of the box around (lat, lon) points, across the 180th meridian too."""
    points = list(points)
    if not points:
        return None
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    if max(lons) - min(lons) > 180:  # e.g. Alaska's Aleutians: measure the box the short way
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    lon = (min(lons) + max(lons)) / 2
    return round((min(lats) + max(lats)) / 2, 4), round((lon + 180) % 360 - 180, 4)
