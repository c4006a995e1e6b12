"""The ingest flow end to end on the real stack: Prefect, spaCy, DuckDB, Great Expectations."""

from __future__ import annotations

import json
import shutil

import pytest

import warehouse
from flows.ingest import run_ingest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def first_and_second_run(prefect_api, seed_path, tmp_path_factory):
    """Run the flow over the seed plus a JSONL with a good and a malformed record, twice."""
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copy(seed_path, inbox / seed_path.name)
    lines = [json.dumps({"id": "ok-1", "text": "Rebels attacked an army convoy near Goma on "
                         "Tuesday, killing at least 12 soldiers.", "published": "2024-03-08"}),
             '{"id": "broken", "text": "unterminated']
    (inbox / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "newsdesk.duckdb"
    reports = tmp_path_factory.mktemp("reports")
    first = run_ingest([inbox], db_path=db, report_dir=reports)
    counts_after_first = _row_counts(db)
    second = run_ingest([inbox], db_path=db, report_dir=reports)
    return first, second, counts_after_first, db, reports


def _row_counts(db) -> dict[str, int]:
    with warehouse.connect(db, read_only=True) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
                for t in ("raw_articles", "fct_mentions", "fct_events", "fct_dates",
                          "fct_headcounts", "quarantine_rows", "dim_people")}


def _names(db, label: str) -> set[str]:
    with warehouse.connect(db, read_only=True) as con:
        rows = con.execute("select distinct mention_text from fct_mentions where label = ?",
                           [label]).fetchall()
    return {row[0] for row in rows}


def test_first_run_loads_good_articles_and_quarantines_the_malformed_one(first_and_second_run):
    first, _, counts, db, _ = first_and_second_run
    assert first.status == "completed"
    assert (first.articles_in, first.articles_loaded, first.articles_quarantined) == (3, 2, 1)
    assert counts["raw_articles"] == 2
    with warehouse.connect(db, read_only=True) as con:
        stage, reason = con.execute("select stage, reason from quarantine_rows").fetchall()[0]
    assert stage == "input" and "malformed JSON" in reason


def test_seed_entities_through_the_warehouse(first_and_second_run):
    db = first_and_second_run[3]
    assert {"Sergey Shoigu", "Imangali Tasmagambetov", "Anatoly Sidorov"} <= _names(db, "PERSON")
    assert {"CSTO", "NATO", "TASS", "Taliban", "ISKP"} <= _names(db, "ORG")
    assert {"Minsk", "Belarus", "Afghanistan", "Tajikistan", "Kunduz"} <= _names(db, "PLACE")


def test_seed_headcounts_through_the_warehouse(first_and_second_run):
    db = first_and_second_run[3]
    with warehouse.connect(db, read_only=True) as con:
        rows = con.execute("select low, high, qualifier from headcounts").fetchall()
    assert (None, 6500, "up_to") in rows
    assert any(4000 in (low, high) for low, high, _ in rows)


def test_rerun_adds_no_rows_and_is_logged(first_and_second_run):
    _, second, counts, db, _ = first_and_second_run
    assert second.articles_new == 0 and second.articles_already_loaded == 2
    assert _row_counts(db) == counts
    with warehouse.connect(db, read_only=True) as con:
        runs = con.execute("select status, articles_loaded, extractor_version, spacy_model "
                           "from ops_runs order by started_at").fetchall()
    assert [r[0] for r in runs] == ["completed", "completed"]
    assert runs[0][1] == 2 and runs[1][1] == 0
    assert all(r[2] and r[3] for r in runs)


def test_quality_results_and_report_are_written(first_and_second_run):
    first, _, _, db, reports = first_and_second_run
    with warehouse.connect(db, read_only=True) as con:
        suites = {r[0] for r in con.execute("select distinct suite from dq_results").fetchall()}
    assert {"stg_articles", "stg_mentions", "stg_events"} <= suites
    assert first.checks_evaluated > 20
    assert (reports / "quality.html").exists()
    assert (reports / "data_docs" / "index.html").exists()
