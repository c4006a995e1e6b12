"""Exports: Hive-partitioned Parquet DuckDB can read back, ACLED/GDELT-style CSV columns."""

from __future__ import annotations

import csv

import duckdb
import pytest

import warehouse
from transforms.articles import article_from_record
from transforms.extract import extract_batch
from warehouse.export import export_csv, export_parquet

TEXTS = [
    ("Gunmen attacked a bus near Maiduguri, Nigeria on Monday, killing at least 9 people.",
     "2024-06-04"),
    ("Police arrested 40 protesters in Nairobi on Tuesday, officials said.", "2024-07-10"),
    ("Russian troops shelled Kharkiv, Ukraine on Friday, officials said.", "2024-06-08"),
]


@pytest.fixture(scope="module")
def db(nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "w.duckdb"
    articles = [article_from_record({"id": f"a{i}", "text": t, "published": p,
                                     "source": "Desk", "url": f"https://example.org/{i}"})
                for i, (t, p) in enumerate(TEXTS)]
    records = extract_batch(articles, nlp)
    with warehouse.connect(path) as con:
        warehouse.publish_batch(con, "r", 0, warehouse.stage_frames(articles, records, "r"),
                                {}, [], "test")
    return path


def test_parquet_is_partitioned_by_event_month_and_reads_back(db, tmp_path):
    with warehouse.connect(db, read_only=True) as con:
        written = export_parquet(con, tmp_path / "out")
        events = con.execute("select count(*) from events").fetchall()[0][0]
    assert written["events"] == events > 0
    assert (tmp_path / "out" / "events" / "event_year=2024" / "event_month=6").is_dir()
    back = duckdb.sql(f"select count(*), min(event_month) from read_parquet("
                      f"'{tmp_path}/out/events/**/*.parquet', hive_partitioning = true)"
                      ).fetchall()[0]
    assert back == (events, 6)


def test_acled_csv_has_acled_columns_types_and_fatalities(db, tmp_path):
    with warehouse.connect(db, read_only=True) as con:
        rows = export_csv(con, tmp_path / "acled.csv", "acled")
    table = list(csv.DictReader((tmp_path / "acled.csv").open(encoding="utf-8")))
    assert rows == len(table) > 0
    nigeria = [r for r in table if r["iso"] == "NGA"]
    assert {r["event_type"] for r in nigeria} <= {"Battles", "Violence against civilians"}
    assert {r["fatalities"] for r in nigeria} == {"9"}
    assert "03 June 2024" in {r["event_date"] for r in nigeria}  # "on Monday", not publication
    assert any(r["sub_event_type"] == "Arrests" for r in table)


def test_gdelt_csv_uses_cameo_codes_quad_class_and_fips(db, tmp_path):
    with warehouse.connect(db, read_only=True) as con:
        export_csv(con, tmp_path / "gdelt.csv", "gdelt")
    table = list(csv.DictReader((tmp_path / "gdelt.csv").open(encoding="utf-8")))
    arrest = next(r for r in table if r["EventCode"] == "173")
    assert (arrest["EventRootCode"], arrest["QuadClass"], arrest["ActionGeo_CountryCode"]) == (
        "17", "4", "KE")  # FIPS code for Kenya, as GDELT's geography uses
    assert arrest["SQLDATE"] == "20240709"


def test_unknown_csv_format_is_refused(db, tmp_path):
    with warehouse.connect(db, read_only=True) as con, pytest.raises(ValueError, match="acled"):
        export_csv(con, tmp_path / "x.csv", "cameo")


def test_actor_country_and_sector_fill_gdelt_and_acled_actor_columns(db, tmp_path):
    with warehouse.connect(db, read_only=True) as con:
        export_csv(con, tmp_path / "gdelt.csv", "gdelt")
        export_csv(con, tmp_path / "acled.csv", "acled")
    gdelt = list(csv.DictReader((tmp_path / "gdelt.csv").open(encoding="utf-8")))
    acled = list(csv.DictReader((tmp_path / "acled.csv").open(encoding="utf-8")))
    shelling = [r for r in gdelt if r["Actor1Name"] == "Russian troops"]
    assert [(r["Actor1CountryCode"], r["Actor1Type1Code"]) for r in shelling] == [("RUS", "MIL")]
    assert [r["inter1"] for r in acled if r["actor1"] == "Russian troops"] == ["1"]
