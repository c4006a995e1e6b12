"""Issue 7's done-when: planted bad rows are quarantined by the right check, the good rows are
published, every outcome is in dq_results, the report shows them, and a rerun after fixing the
input releases them.

The batch is the bundled sample, extracted for real and staged by `warehouse.stage_frames`;
one staged row per problem is then corrupted (tests/quality_batch.py).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from quality_batch import (
    DUPLICATE_KEY,
    RUN_BAD,
    RUN_FIXED,
    Planted,
    plant_bad_rows,
    publish,
    sample_batch,
)

import warehouse
from expectations import validate_batch
from expectations.report import REMOTE_REFERENCE, write_report_page
from warehouse.quarantine import release_quarantine
from warehouse.report_queries import report_frames

pytestmark = pytest.mark.slow  # extracts the whole sample (a few seconds)

FACTS = {"stg_mentions": "fct_mentions", "stg_dates": "fct_dates",
         "stg_headcounts": "fct_headcounts", "stg_events": "fct_events"}


@dataclass
class Gate:
    """The planted batch after validation and publish."""

    con: object
    clean: dict[str, pd.DataFrame]
    frames: dict[str, pd.DataFrame]
    planted: list[Planted]
    validation: object
    report: str


@pytest.fixture(scope="module")
def extracted(nlp):
    return sample_batch(nlp)


@pytest.fixture(scope="module")
def gate(extracted, tmp_path_factory) -> Gate:
    articles, records = extracted
    clean = warehouse.stage_frames(articles, records, RUN_BAD)
    frames = warehouse.stage_frames(articles, records, RUN_BAD)
    planted = plant_bad_rows(frames, duplicate=False)
    validation = validate_batch(frames, RUN_BAD)
    folder = tmp_path_factory.mktemp("gate")
    con = warehouse.connect(folder / "gate.duckdb")
    publish(con, RUN_BAD, 0, frames, validation)
    page = write_report_page(report_frames(con), folder / "newsdesk.html")
    yield Gate(con, clean, frames, planted, validation, page.read_text(encoding="utf-8"))
    con.close()


def _keys(con, table: str) -> set[str]:
    key = warehouse.KEYS[table]
    return {row[0] for row in con.execute(f"select {key} from {FACTS[table]}").fetchall()}


def test_each_bad_row_fails_its_expectation_and_nothing_else_is_an_error(gate):
    errors = set()
    for table, failed in gate.validation.failed_rows.items():
        mine = failed[failed["severity"] == "error"]
        errors |= set(zip([table] * len(mine), mine[warehouse.KEYS[table]], mine["expectation"]))
    assert errors == {(p.table, p.row_id, p.expectation) for p in gate.planted}
    assert not gate.validation.success


def test_good_rows_are_published_and_bad_rows_quarantined(gate):
    bad = {(p.table, p.row_id) for p in gate.planted}
    for table in FACTS:
        staged = set(gate.clean[table][warehouse.KEYS[table]])
        assert _keys(gate.con, table) == {k for k in staged if (table, k) not in bad}, table
    articles = gate.con.execute("select count(*) from raw_articles").fetchall()[0][0]
    assert articles == len(gate.clean["stg_articles"])
    quarantined = gate.con.execute("""
        select table_name, row_id, check_name, offending_values from quarantine_rows
        where run_id = ? and stage = 'validation' and released_at is null
    """, [RUN_BAD]).fetchall()
    assert {(t, r, c) for t, r, c, _ in quarantined} == {
        (p.table, p.row_id, p.expectation) for p in gate.planted}
    offending = {(t, r): json.loads(o) for t, r, _, o in quarantined}
    by_check = {p.expectation: offending[(p.table, p.row_id)] for p in gate.planted}
    assert by_check["expect_column_values_to_be_between(lat)"]["lat"] == 123.0
    assert by_check["expect_column_values_to_be_between(low)"]["low"] == -40


def test_every_outcome_is_recorded_in_dq_results(gate):
    rows = gate.con.execute("""
        select suite, expectation, severity, success, unexpected_count from dq_results
        where run_id = ?
    """, [RUN_BAD]).fetchall()
    assert len(rows) == len(gate.validation.results)
    assert sorted((r[0], r[1], r[3]) for r in rows) == sorted(
        (r["suite"], r["expectation"], r["success"]) for r in gate.validation.results)
    failed = {(suite, expectation): count for suite, expectation, severity, success, count in rows
              if not success and severity == "error"}
    assert failed == {(p.table, p.expectation): 1 for p in gate.planted}


def test_the_report_shows_each_failure_with_its_article_and_sentence(gate):
    page = gate.report
    assert not REMOTE_REFERENCE.search(page)
    articles = gate.clean["stg_articles"]
    titles = dict(zip(articles["article_id"], articles["title"]))
    for planted in gate.planted:
        assert html.escape(planted.expectation) in page
        assert html.escape(planted.row_id) in page
        title = titles[planted.article_id]
        assert html.escape(title if isinstance(title, str) else "(untitled article)") in page
    lat = next(p for p in gate.planted if p.expectation.endswith("(lat)"))
    mention = gate.clean["stg_mentions"].set_index("mention_id").loc[lat.row_id]
    assert f"<mark>{html.escape(mention['mention_text'])}</mark>" in page
    assert "outside the article" in page  # the offset past the end of the text
    assert page.count("in quarantine as") >= len(gate.planted)


def test_a_rerun_after_fixing_the_input_releases_them(gate, extracted, tmp_path):
    """Fixing = the extraction no longer corrupts those rows: release them and run again."""
    articles, records = extracted
    con = warehouse.connect(tmp_path / "rerun.duckdb")
    publish(con, RUN_BAD, 0, gate.frames, gate.validation)
    ids = [row[0] for row in con.execute(
        "select quarantine_id from quarantine_rows where stage = 'validation'").fetchall()]
    assert release_quarantine(con, ids) == len(gate.planted)

    fixed = warehouse.stage_frames(articles, records, RUN_FIXED)
    validation = validate_batch(fixed, RUN_FIXED)
    assert validation.success
    counts = publish(con, RUN_FIXED, 0, fixed, validation)

    assert counts.quarantined_rows == 0 and counts.published["raw_articles"] == 0
    for table, fact in FACTS.items():
        assert counts.published[fact] == sum(p.table == table for p in gate.planted)
        assert _keys(con, table) == set(gate.clean[table][warehouse.KEYS[table]])
    open_rows = con.execute(
        "select count(*) from quarantine_rows where stage = 'validation' and released_at is null"
    ).fetchall()[0][0]
    assert open_rows == 0
    page = write_report_page(report_frames(con), tmp_path / "after.html").read_text()
    assert page.count("released 20") >= len(gate.planted)
    con.close()


def test_a_duplicate_key_is_quarantined_and_the_rest_published(extracted, tmp_path):
    articles, records = extracted
    frames = warehouse.stage_frames(articles, records, RUN_BAD)
    planted = plant_bad_rows(frames)
    duplicate = next(p for p in planted if p.expectation == DUPLICATE_KEY[1])
    validation = validate_batch(frames, RUN_BAD)
    with warehouse.connect(tmp_path / "dup.duckdb") as con:
        publish(con, RUN_BAD, 0, frames, validation)
        assert duplicate.row_id not in _keys(con, "stg_events")
        checks = {row[0] for row in con.execute(
            "select check_name from quarantine_rows where row_id = ?",
            [duplicate.row_id]).fetchall()}
    assert checks == {DUPLICATE_KEY[1]}


def test_report_path_is_a_single_file(gate, tmp_path):
    """Nothing beside the page is needed: it is one file."""
    page = write_report_page(report_frames(gate.con), tmp_path / "sub" / "r.html")
    assert sorted(p.name for p in Path(tmp_path / "sub").iterdir()) == ["r.html"]
