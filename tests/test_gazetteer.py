"""Tests for the offline gazetteer: names, subdivisions, regions, demonyms and the data files."""

from __future__ import annotations

import time

import pytest

from evaluation.geoparsing import haversine_km
from transforms.place_build import country_point
from transforms.place_build_admin import admin1_point
from transforms.place_points import bbox_centre, core_land, main_landmass_centroid, on_land

from transforms.gazetteer import demonym_country, demonym_place, load_gazetteer
from transforms.place_names import load_jsonl, normalize, strip_type_words


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_loads_once_and_fast():
    load_gazetteer.cache_clear()
    started = time.perf_counter()
    first = load_gazetteer()
    elapsed = time.perf_counter() - started
    assert load_gazetteer() is first
    assert elapsed < 8.0  # ~1 s on an idle machine; generous for a busy CI box


@pytest.mark.parametrize(("text", "expected"), [
    ("Badakhshān", "badakhshan"),
    ("U.S.", "us"),
    ("Sar-e  Pul", "sar e pul"),
    ("Côte d’Ivoire", "cote d'ivoire"),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(("key", "expected"), [
    ("kunduz province", "kunduz"),
    ("wilayat e baghlan", "baghlan"),
    ("anhui sheng", "anhui"),
    ("central province", "central province"),  # nothing but generic words would remain
])
def test_strip_type_words(key, expected):
    assert strip_type_words(key) == expected


@pytest.mark.parametrize(("text", "iso3"), [
    ("the United States", "USA"), ("US", "USA"), ("U.S.", "USA"), ("America", "USA"),
    ("UK", "GBR"), ("Britain", "GBR"), ("DRC", "COD"), ("Ivory Coast", "CIV"),
    ("Côte d'Ivoire", "CIV"), ("Tajikistan", "TJK"), ("Belarus", "BLR"),
])
def test_country_names_and_short_forms(gaz, text, iso3):
    countries = [p for p in gaz.lookup(text) if p.feature == "country"]
    assert [p.country_iso3 for p in countries] == [iso3]
    assert countries[0].lat is not None and countries[0].lon is not None


@pytest.mark.parametrize(("text", "code"), [
    ("Kunduz", "AF-KDZ"), ("Badakhshan", "AF-BDS"), ("Takhar", "AF-TAK"),
    ("Kunduz Province", "AF-KDZ"), ("California", "US-CA"), ("New South Wales", "AU-NSW"),
])
def test_first_level_subdivisions_carry_iso_codes(gaz, text, code):
    admin1 = [p for p in gaz.lookup(text) if p.feature == "admin1"]
    assert code in {p.admin1 for p in admin1}


def test_cities_have_geonames_ids_and_alternate_names(gaz):
    minsk = max((p for p in gaz.lookup("Minsk") if p.feature == "city"), key=lambda p: p.population)
    assert minsk.country_iso3 == "BLR" and isinstance(minsk.geonames_id, int)
    assert minsk.is_capital
    assert any(p.name == "New York City" for p in gaz.lookup("NYC"))


@pytest.mark.parametrize(("text", "feature"), [
    ("Central Asia", "region"), ("the Middle East", "region"), ("the Sahel", "region"),
    ("Latin America", "region"), ("Southeast Asia", "region"), ("the Balkans", "region"),
    ("Gaza Strip", "region"), ("West Bank", "region"), ("Africa", "continent"),
    ("Europe", "continent"),
])
def test_regions_and_continents_have_points(gaz, text, feature):
    places = [p for p in gaz.lookup(text) if p.feature == feature]
    assert places and places[0].lat is not None


@pytest.mark.parametrize(("text", "iso3"), [
    ("Russian", "RUS"), ("Afghan", "AFG"), ("American", "USA"), ("British", "GBR"),
    ("Tajik", "TJK"), ("Central Asian", None), ("Soviet", None), ("Tuesday", None),
])
def test_demonym_country(text, iso3):
    assert demonym_country(text) == iso3


def test_region_demonyms_name_the_region():
    assert demonym_place("Central Asian").name == "Central Asia"
    assert demonym_place("Middle Eastern").feature == "region"


def test_demonyms_are_not_place_names(gaz):
    assert gaz.lookup("Russian") == []
    assert gaz.lookup("Afghan") == []


@pytest.mark.parametrize("name", ["place_countries.jsonl", "place_admin1.jsonl",
                                  "place_admin2.jsonl", "place_aliases.jsonl", "regions.jsonl",
                                  "place_words.jsonl"])
def test_data_files_have_unique_ids(name):
    ids = [row["id"] for row in load_jsonl(name)]
    assert ids and len(ids) == len(set(ids))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return haversine_km(a[0], a[1], b[0], b[1])


@pytest.mark.parametrize(("text", "feature", "inland_point"), [
    # Large compact countries take the centroid of their core land, not a rounded factbook
    # figure or a point dragged by Alaska and Hawaii; the references are well-known centres.
    ("United States", "country", (39.83, -98.58)),   # Lebanon, Kansas
    ("Australia", "country", (-25.61, 134.35)),      # Lambert Gravitational Centre
    # Subdivision points follow the area, not the towns along the coast.
    ("Queensland", "admin1", (-20.9, 142.7)),
    ("Texas", "admin1", (31.3, -99.3)),
])
def test_area_points_sit_near_the_geographic_centre(gaz, text, feature, inland_point):
    place = next(p for p in gaz.lookup(text) if p.feature == feature)
    assert _km((place.lat, place.lon), inland_point) < 400


def test_overseas_territories_do_not_move_a_country(gaz):
    france = gaz.countries["FRA"]
    assert 43 < france.lat < 49 and -2 < france.lon < 7


def test_second_level_units_are_a_fallback_only(gaz):
    assert all(p.feature != "region" or p.place_id.startswith("region") for p in gaz.lookup("Suffolk"))
    units = gaz.lookup_admin2("Suffolk")
    assert any(u.country_iso3 == "GBR" and u.admin1 == "GB-ENG" for u in units)
    assert all(u.feature == "region" and u.lat is not None for u in units)


def test_bbox_centre_crosses_the_antimeridian():
    lat, lon = bbox_centre([(52.0, 178.0), (60.0, -170.0)])
    assert lat == 56.0 and (lon > 178.0 or lon < -170.0)


def test_main_landmass_centroid_ignores_far_islands():
    square = [(0.0, 0.0), (0.0, 10.0), (10.0, 10.0), (10.0, 0.0), (0.0, 0.0)]  # clockwise
    far_isle = [(100.0, 0.0), (100.0, 1.0), (101.0, 1.0), (101.0, 0.0), (100.0, 0.0)]
    lat, lon = main_landmass_centroid([square, far_isle])
    assert abs(lat - 5.0) < 0.1 and abs(lon - 5.0) < 0.1


def _square(lat0: float, lon0: float, size: float) -> list[tuple[float, float]]:
    """Return a clockwise (lon, lat) ring, as shapefiles store outer rings."""
    return [(lon0, lat0), (lon0, lat0 + size), (lon0 + size, lat0 + size),
            (lon0 + size, lat0), (lon0, lat0)]


def test_core_land_reports_its_area_and_on_land_its_inside():
    lat, lon, area = core_land([_square(0.0, 0.0, 10.0)])
    assert abs(lat - 5.0) < 0.1 and abs(lon - 5.0) < 0.1
    assert 1.1e6 < area < 1.3e6  # ~1,110 km by ~1,100 km
    assert on_land(5.0, 5.0, [_square(0.0, 0.0, 10.0)])
    assert not on_land(5.0, 15.0, [_square(0.0, 0.0, 10.0)])


def test_country_point_keeps_a_published_centre_that_agrees_or_that_the_shape_explains():
    land = [_square(0.0, 0.0, 30.0)]  # ~11 million km2: radius ~1,870 km, centroid (15, 15)
    assert country_point((15.4, 15.0), land) == ((15.4, 15.0), "countryinfo")  # ~45 km: agrees
    assert country_point((20.0, 15.0), land) == ((20.0, 15.0), "countryinfo")  # ~560 km: shape
    assert country_point((17.0, 15.0), land)[1] == "natural_earth_core"        # ~220 km: guess
    assert country_point((15.0, 40.0), land)[1] == "natural_earth_core"        # in the sea
    assert country_point(None, land)[1] == "natural_earth_core"
    assert country_point((1.0, 2.0), None) == ((1.0, 2.0), "countryinfo")


def test_admin1_point_prefers_the_published_point_unless_it_is_the_namesake_city():
    state = {"name": "New York", "cc": "US", "lat": 40.71, "lon": -74.0}
    cities = {("US", "new york"): [(40.71, -74.01)]}
    assert admin1_point(state, (42.76, -75.83), cities) == (42.76, -75.83)
    assert admin1_point(state, (42.76, -75.83), {}) == (40.71, -74.0)
    assert admin1_point(None, (42.76, -75.83), cities) == (42.76, -75.83)


@pytest.mark.parametrize(("text", "capital"), [
    # Each province takes the GeoNames code of its own towns, not of namesakes elsewhere.
    ("Zhejiang", "Hangzhou"), ("Jiangsu", "Nanjing"), ("Jiangxi", "Nanchang"),
    ("Inner Mongolia", "Hohhot"), ("Ontario", "Toronto"),
])
def test_subdivision_codes_and_points_belong_to_the_subdivision(gaz, text, capital):
    province = next(p for p in gaz.lookup(text) if p.feature == "admin1")
    city = max((p for p in gaz.lookup(capital) if p.feature == "city"), key=lambda p: p.population)
    assert city.admin1 == province.admin1
    assert _km((province.lat, province.lon), (city.lat, city.lon)) < 1000


def test_small_towns_are_a_fallback_index_only(gaz):
    towns = gaz.lookup_town("Blakely")
    assert any(t.admin1 == "US-GA" and t.feature == "city" and 1000 <= t.population < 15000
               for t in towns)
    assert not any(p.population < 15000 and p.feature == "city" for p in gaz.lookup("Blakely"))
