"""The report page and its queries: escaping, offline, empty warehouse, the place check."""

from __future__ import annotations

import pandas as pd
import pytest
from test_expectations import TODAY, clean_frames

import warehouse
from expectations import validate_batch
from expectations.report import REMOTE_REFERENCE, _snippet, render_report
from warehouse.report_queries import REPORT_SECTIONS, report_frames

PLACE_CHECK = "expect_column_values_to_be_in_set(is_place_mentioned)"


def test_an_empty_warehouse_renders_every_section(con):
    frames = report_frames(con)
    assert set(frames) == set(REPORT_SECTIONS)
    page = render_report(frames)
    assert "No runs yet" in page and "No located events yet" in page
    assert 'class="chart"' not in page  # no empty charts
    assert not REMOTE_REFERENCE.search(page)


@pytest.mark.parametrize("markup", [
    '<script src="https://cdn.example/x.js"></script>', "<link href='http://x/y.css'>",
    "body{background:url(https://x/y.png)}", '@import "https://x/y.css";',
])
def test_remote_references_are_recognised(markup):
    assert REMOTE_REFERENCE.search(markup)


def test_snippet_escapes_text_and_marks_the_span():
    text = "First one. Police <b>said</b> 12 & more died. Last."
    start = text.index("12")
    snippet = _snippet(text, start, start + 2)
    assert snippet == "Police &lt;b&gt;said&lt;/b&gt; <mark>12</mark> &amp; more died."
    assert "outside the article" in _snippet(text, 10, len(text) + 5)


def test_article_text_in_examples_is_escaped(con):
    frames = report_frames(con)
    frames["flagged_examples"] = pd.DataFrame([{
        "table_name": "stg_events", "row_id": "a:v:0-4", "article_id": "a", "run_id": "r",
        "start_char": 0, "end_char": 4, "item_text": "<i>x", "sentence_text": "<i>x</i> said",
        "article_title": "<script>alert(1)</script>", "article_text": None}])
    page = render_report(frames)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>&lt;i&gt;x</mark>&lt;/i&gt; said" in page


def _validate(frames):
    return validate_batch(frames, "run-1", today=TODAY)


def test_an_event_place_that_is_not_a_place_mention_is_warned():
    frames = clean_frames()
    frames["stg_events"].at[0, "place"] = "Lyon"
    result = _validate(frames)
    assert result.success
    failed = result.failed_rows["stg_events"]
    assert list(zip(failed["expectation"], failed["severity"])) == [(PLACE_CHECK, "warning")]
    assert result.warned_keys("stg_events") == {frames["stg_events"].at[0, "event_id"]}


def test_the_place_check_matches_case_and_spacing_and_skips_without_mentions():
    frames = clean_frames()
    frames["stg_events"].at[0, "place"] = " PARIS "
    frames["stg_events"].at[1, "place"] = None
    assert not _validate(frames).warned_keys("stg_events")
    frames["stg_events"].at[0, "place"] = "Lyon"
    without_mentions = {t: f for t, f in frames.items() if t != "stg_mentions"}
    assert not _validate(without_mentions).warned_keys("stg_events")


def test_the_place_check_wants_the_same_article():
    frames = clean_frames(2)
    first, second = frames["stg_articles"]["article_id"]
    mentions = frames["stg_mentions"]
    frames["stg_mentions"] = mentions[~((mentions["article_id"] == first)
                                        & (mentions["label"] == "PLACE"))].reset_index(drop=True)
    result = _validate(frames)
    warned = result.warned_keys("stg_events")
    events = frames["stg_events"]
    assert warned == set(events.loc[events["article_id"] == first, "event_id"])
    assert second not in {key.split(":")[0] for key in warned}


def test_victims_are_reported_by_side(tmp_path):
    from transforms.articles import article_from_record
    from transforms.extract import extract_batch

    article = article_from_record({"id": "v1", "published": "2024-05-02", "text": (
        "Gunmen killed 12 civilians and three soldiers in an attack on a market on Tuesday, "
        "and at least 20 villagers were injured, officials said.")})
    frames = warehouse.stage_frames([article], extract_batch([article]), "run-v")
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.publish_batch(con, "run-v", 0, frames, {}, [], "test")
        victims = report_frames(con)["victims_by_side"]
        page = render_report(report_frames(con))
    rows = {(r.side, r.category): r.people_high for r in victims.itertuples()}
    assert rows[("civilians", "killed")] == 12
    assert rows[("military", "killed")] == 3
    assert rows[("civilians", "injured")] == 20
    assert "Victims by side" in page
