"""The quality gate: suites, validate_batch and the reports, on hand-built staged frames."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest

from expectations import (
    TABLE_COLUMNS,
    TABLE_KEYS,
    BatchValidation,
    UnknownTableError,
    build_data_docs,
    build_suites,
    validate_batch,
    write_quality_summary,
)

TEXT = "Police said 12 people were killed in Paris on Monday. Protesters marched."
PUBLISHED = dt.date(2024, 3, 7)
TODAY = dt.date(2024, 3, 10)


def _span(article_id: str, kind: str, start: int, end: int) -> dict:
    return {
        f"{kind}_id": f"{article_id}:{kind[0]}:{start}-{end}",
        "article_id": article_id,
        "sentence_index": 0,
        "start_char": start,
        "end_char": end,
        "article_char_count": len(TEXT),
        "is_span_text_exact": True,
        "run_id": "run-1",
    }


def clean_frames(n_articles: int = 2) -> dict[str, pd.DataFrame]:
    """Return a staged batch that satisfies every expectation."""
    articles, mentions, dates, headcounts, events = [], [], [], [], []
    for i in range(n_articles):
        aid = f"{i:016x}"
        articles.append(
            {
                "article_id": aid, "source_id": f"s{i}", "title": "Clashes in Paris",
                "text": TEXT, "published_date": PUBLISHED, "published_source": "input",
                "url": "https://example.org/a", "source": "example", "input_path": "in.jsonl",
                "char_count": len(TEXT), "sentence_count": 2, "run_id": "run-1",
            }
        )  # fmt: skip
        mentions += [
            {**_span(aid, "mention", 0, 6), "mention_text": "Police", "label": "ORG",
             "entity_id": f"{aid}:e1", "place_name": None, "country_iso3": None, "admin1": None,
             "lat": None, "lon": None, "geonames_id": None, "place_feature": None,
             "place_precision": None},
            {**_span(aid, "mention", 37, 42), "mention_text": "Paris", "label": "PLACE",
             "entity_id": f"{aid}:e2", "place_name": "Paris", "country_iso3": "FRA",
             "admin1": "FR-IDF", "lat": 48.85, "lon": 2.35, "geonames_id": 2988507,
             "place_feature": "city", "place_precision": "city"},
        ]  # fmt: skip
        dates.append(
            {**_span(aid, "date", 43, 52), "date_text": "on Monday", "timex_type": "DATE",
             "timex_value": "2024-03-04", "date_precision": "day", "date_rule": "weekday_past",
             "resolved_date": dt.date(2024, 3, 4), "published_date": PUBLISHED}
        )  # fmt: skip
        headcounts.append(
            {**_span(aid, "headcount", 12, 21), "headcount_text": "12 people", "low": 12,
             "high": 12, "qualifier": "exact", "category": "killed", "unit": "person",
             "actor": None}
        )  # fmt: skip
        events.append(
            {**_span(aid, "event", 27, 33), "trigger_text": "killed", "event_type": "ASSAULT",
             "cameo_code": "18", "actor1": "Police", "actor2": None, "place": "Paris",
             "date_text": "on Monday", "event_date": dt.date(2024, 3, 4),
             "event_date_precision": "day", "event_date_rule": "clause",
             "event_mode": "asserted", "event_tense": "past",
             "past_event_date": dt.date(2024, 3, 4), "published_date": PUBLISHED}
        )  # fmt: skip
    rows = {
        "stg_articles": articles,
        "stg_mentions": mentions,
        "stg_dates": dates,
        "stg_headcounts": headcounts,
        "stg_events": events,
        "stg_roles": [],  # no person in TEXT; tests/test_roles.py validates staged roles
    }
    frames = {
        table: pd.DataFrame(data, columns=TABLE_COLUMNS[table]) for table, data in rows.items()
    }
    for column in ("geonames_id",):
        frames["stg_mentions"][column] = frames["stg_mentions"][column].astype("Int64")
    for column in ("low", "high"):
        frames["stg_headcounts"][column] = frames["stg_headcounts"][column].astype("Int64")
    return frames


def _validate(frames: dict[str, pd.DataFrame], *tables: str) -> BatchValidation:
    """Validate `frames` (only stg_articles and `tables` when tables are named)."""
    if tables:
        frames = {t: frames[t] for t in ("stg_articles", *tables)}
    return validate_batch(frames, "run-1", today=TODAY)


def _failures(result: BatchValidation, table: str) -> list[tuple[str, str, str]]:
    failed = result.failed_rows[table]
    return list(zip(failed[TABLE_KEYS[table]], failed["expectation"], failed["severity"]))


def test_suites_are_named_after_tables_and_say_why():
    suites = build_suites(check_parent=True, today=TODAY)
    assert set(suites) == set(TABLE_KEYS)
    for table, suite in suites.items():
        assert suite.name == table
        labels = []
        for expectation in suite.expectations:
            assert expectation.meta["severity"] in {"error", "warning"}
            assert expectation.meta["why"].endswith(".")
            config = expectation.configuration
            labels.append((config.type, json.dumps(config.kwargs, sort_keys=True, default=str)))
        assert len(labels) == len(set(labels)), f"duplicate expectation in {table}"


def test_clean_batch_passes():
    result = _validate(clean_frames())
    assert result.success
    assert all(failed.empty for failed in result.failed_rows.values())
    assert {r["suite"] for r in result.results} == set(TABLE_KEYS)
    assert all(r["success"] for r in result.results)
    first = result.results[0]
    assert set(first) == {
        "run_id", "suite", "expectation", "column", "severity", "success", "unexpected_count",
        "observed_value", "element_count",
    }  # fmt: skip
    assert first["run_id"] == "run-1"


def _set(frames: dict[str, pd.DataFrame], table: str, row: int, column: str, value) -> str:
    frame = frames[table]
    if column in ("low", "high", "geonames_id"):
        frame[column] = frame[column].astype("object")
    frame.at[row, column] = value
    return frame.at[row, TABLE_KEYS[table]]


BAD_VALUES = [
    ("stg_mentions", 1, "end_char", len(TEXT) + 5,
     "expect_column_pair_values_a_to_be_greater_than_b(article_char_count, end_char)"),
    ("stg_mentions", 1, "start_char", -1, "expect_column_values_to_be_between(start_char)"),
    ("stg_mentions", 1, "end_char", 37,
     "expect_column_pair_values_a_to_be_greater_than_b(end_char, start_char)"),
    ("stg_mentions", 0, "is_span_text_exact", False,
     "expect_column_values_to_be_in_set(is_span_text_exact)"),
    ("stg_mentions", 0, "label", "NORP", "expect_column_values_to_be_in_set(label)"),
    ("stg_mentions", 1, "lat", 95.0, "expect_column_values_to_be_between(lat)"),
    ("stg_mentions", 1, "lon", -181.0, "expect_column_values_to_be_between(lon)"),
    ("stg_mentions", 1, "country_iso3", "XXX",
     "expect_column_values_to_be_in_set(country_iso3)"),
    ("stg_mentions", 1, "country_iso3", "BLR",
     "expect_column_values_to_be_in_set(is_in_country_region)"),
    ("stg_mentions", 1, "place_feature", "village",
     "expect_column_values_to_be_in_set(place_feature)"),
    ("stg_mentions", 1, "article_id", "not-in-batch",
     "expect_column_values_to_be_in_set(is_article_in_batch)"),
    ("stg_mentions", 1, "article_id", None, "expect_column_values_to_not_be_null(article_id)"),
    ("stg_dates", 0, "timex_type", "WEEK", "expect_column_values_to_be_in_set(timex_type)"),
    ("stg_dates", 0, "date_precision", "hour",
     "expect_column_values_to_be_in_set(date_precision)"),
    ("stg_dates", 0, "resolved_date", dt.date(1850, 3, 4),
     "expect_column_values_to_be_between(resolved_date)"),
    ("stg_dates", 0, "resolved_date", "not a date",
     "expect_column_values_to_be_between(resolved_date)"),
    ("stg_dates", 0, "resolved_date", dt.date(2035, 1, 1),
     "expect_column_pair_values_a_to_be_greater_than_b(max_possible_date, resolved_date)"),
    ("stg_headcounts", 0, "low", 20,
     "expect_column_pair_values_a_to_be_greater_than_b(high, low)"),
    ("stg_headcounts", 0, "low", 0, "expect_column_values_to_be_between(low)"),
    ("stg_headcounts", 0, "high", 100_000_000, "expect_column_values_to_be_between(high)"),
    ("stg_headcounts", 0, "high", 12.5, "expect_column_values_to_be_in_set(are_counts_whole)"),
    ("stg_headcounts", 0, "qualifier", "about", "expect_column_values_to_be_in_set(qualifier)"),
    ("stg_events", 0, "event_date", dt.date(1850, 1, 1),
     "expect_column_values_to_be_between(event_date)"),
    ("stg_articles", 0, "published_date", dt.date(1850, 1, 1),
     "expect_column_values_to_be_between(published_date)"),
    ("stg_articles", 0, "published_date", TODAY + dt.timedelta(days=2),
     "expect_column_values_to_be_between(published_date)"),
    ("stg_articles", 0, "text", None, "expect_column_values_to_not_be_null(text)"),
    ("stg_articles", 0, "char_count", 0, "expect_column_values_to_be_between(char_count)"),
    ("stg_articles", 0, "sentence_count", 0,
     "expect_column_values_to_be_between(sentence_count)"),
]  # fmt: skip


@pytest.fixture(scope="module")
def bad_batch() -> tuple[BatchValidation, list[tuple[str, int]]]:
    """Validate one batch where article i carries BAD_VALUES[i]; return it and [(key, row)]."""
    frames = clean_frames(len(BAD_VALUES))
    spots = []
    for i, (table, row, column, value, _) in enumerate(BAD_VALUES):
        position = (2 * i + row) if table == "stg_mentions" else i + row
        spots.append((_set(frames, table, position, column, value), position))
    return _validate(frames), spots


@pytest.mark.parametrize(("table", "row", "column", "value", "expectation"), BAD_VALUES)
def test_bad_value_fails_with_expectation_and_key(
    bad_batch, table, row, column, value, expectation
):
    result, spots = bad_batch
    key, position = spots[BAD_VALUES.index((table, row, column, value, expectation))]
    assert not result.success
    failed = result.failed_rows[table]
    mine = failed[(failed["row_number"] == position) & (failed["severity"] == "error")]
    assert list(zip(mine[TABLE_KEYS[table]], mine["expectation"], mine["severity"])) == [
        (key, expectation, "error")
    ]
    assert key in result.quarantined_keys(table)
    offending = json.loads(mine["offending"].iloc[0])
    if column in offending:
        assert offending[column] == (value.isoformat() if isinstance(value, dt.date) else value)
    failing = {r["expectation"] for r in result.results if r["suite"] == table and not r["success"]}
    assert expectation in failing


def test_bad_batch_fails_nothing_else(bad_batch):
    result, spots = bad_batch
    errors = {r["expectation"] for r in result.results
              if not r["success"] and r["severity"] == "error"}
    assert errors == {case[-1] for case in BAD_VALUES}
    failed_positions = {
        (table, int(n)) for table, f in result.failed_rows.items() for n in f["row_number"]
    }
    assert failed_positions == {(case[0], pos) for case, (_, pos) in zip(BAD_VALUES, spots)}


def test_one_bad_value_is_counted_once():
    frames = clean_frames()
    key = _set(frames, "stg_mentions", 1, "lat", 95.0)
    result = _validate(frames, "stg_mentions")
    assert _failures(result, "stg_mentions") == [
        (key, "expect_column_values_to_be_between(lat)", "error")
    ]
    failing = [r for r in result.results if not r["success"]]
    assert [
        (r["suite"], r["expectation"], r["unexpected_count"], r["element_count"]) for r in failing
    ] == [("stg_mentions", "expect_column_values_to_be_between(lat)", 1, 4)]
    assert json.loads(result.failed_rows["stg_mentions"]["offending"].iloc[0]) == {"lat": 95.0}


def test_duplicated_key_quarantines_both_rows():
    frames = clean_frames()
    mentions = frames["stg_mentions"]
    duplicate = mentions.iloc[[1]].copy()
    frames["stg_mentions"] = pd.concat([mentions, duplicate], ignore_index=True)
    key = duplicate["mention_id"].iloc[0]
    result = _validate(frames, "stg_mentions")
    assert (
        _failures(result, "stg_mentions")
        == [(key, "expect_column_values_to_be_unique(mention_id)", "error")] * 2
    )
    assert result.quarantined_rows("stg_mentions") == {1, len(mentions)}


def test_dates_after_publication_are_warned_not_quarantined():
    """"Next week" points past the publication date: flag it, keep it."""
    frames = clean_frames()
    frames["stg_dates"]["published_date"] = None
    frames["stg_dates"].at[0, "resolved_date"] = TODAY + dt.timedelta(days=1)
    result = _validate(frames, "stg_dates")
    assert result.success and not result.warned_keys("stg_dates")
    frames["stg_dates"].at[0, "resolved_date"] = TODAY + dt.timedelta(days=2)
    result = _validate(frames, "stg_dates")
    assert result.success
    assert frames["stg_dates"].at[0, "date_id"] in result.warned_keys("stg_dates")
    assert not result.quarantined_keys("stg_dates")


def test_warnings_are_listed_but_do_not_quarantine():
    frames = clean_frames()
    key = _set(frames, "stg_headcounts", 0, "category", "cats")
    article = _set(frames, "stg_articles", 1, "title", None)
    result = _validate(frames, "stg_headcounts")
    assert result.success
    assert _failures(result, "stg_headcounts") == [
        (key, "expect_column_values_to_be_in_set(category)", "warning")
    ]
    assert result.warned_keys("stg_articles") == {article}
    assert result.quarantined_keys("stg_headcounts") == set()
    assert result.quarantined_rows("stg_articles") == set()


def test_missing_column_quarantines_every_row():
    frames = clean_frames()
    frames["stg_events"] = frames["stg_events"].drop(columns=["event_type"])
    result = _validate(frames, "stg_events")
    failed = result.failed_rows["stg_events"]
    assert set(failed["expectation"]) >= {"expect_table_columns_to_match_set"}
    assert result.quarantined_rows("stg_events") == set(range(len(frames["stg_events"])))


@pytest.mark.parametrize("empty", [pd.DataFrame(), None])
def test_empty_frames_pass(empty):
    frames = clean_frames()
    frames["stg_headcounts"] = frames["stg_headcounts"].iloc[0:0] if empty is None else empty
    frames["stg_events"] = pd.DataFrame()
    result = _validate(frames, "stg_headcounts", "stg_events")
    assert result.success
    assert result.failed_rows["stg_headcounts"].empty
    assert result.quarantined_keys("stg_events") == set()
    assert {r["element_count"] for r in result.results if r["suite"] == "stg_events"} == {0}


def test_unknown_table_is_rejected():
    with pytest.raises(UnknownTableError, match="stg_places"):
        _validate({"stg_places": pd.DataFrame()})


def test_data_docs_and_summary_are_written_offline(tmp_path):
    frames = clean_frames()
    _set(frames, "stg_mentions", 1, "lat", 95.0)
    result = validate_batch(frames, "run-docs", today=TODAY)
    index = build_data_docs(tmp_path / "data_docs", run_id="run-docs")
    assert index == (tmp_path / "data_docs" / "index.html").resolve()
    assert index.exists()
    pages = list(index.parent.rglob("*.html"))
    assert any("validations" in p.parts and "stg_mentions" in p.parts for p in pages)
    remote = re.compile(
        r"<(script|link|img)\b[^>]*https?://|url\(\s*['\"]?https?://", re.IGNORECASE
    )
    assert not [p for p in pages if remote.search(p.read_text(encoding="utf-8"))]
    assert "validations/stg_mentions/run-docs/" in index.read_text(encoding="utf-8")
    assert all(tmp_path in p.parents for p in tmp_path.rglob("*"))

    result.results.append({**result.results[0], "observed_value": "<script>x</script>"})
    summary = write_quality_summary(result.results, tmp_path / "summary.html", index)
    page = summary.read_text(encoding="utf-8")
    assert 'href="data_docs/index.html"' in page
    assert "expect_column_values_to_be_between(lat)" in page
    assert "<script>x" not in page and "&lt;script&gt;x" in page


RUNS = ("run-docs-a", "run-docs-b", "run-docs-c")


def test_data_docs_keep_every_run_and_the_store_does_not_grow(tmp_path):
    """A long-lived serve writes a report per run: earlier runs' pages stay, memory does not."""
    from expectations.validate import get_validator

    docs = tmp_path / "data_docs"
    for run in RUNS:
        validate_batch(clean_frames(), run, today=TODAY)
        index = build_data_docs(docs, run_id=run)
    text = index.read_text(encoding="utf-8")
    for run in RUNS:
        assert (docs / "validations" / "stg_mentions" / run).is_dir()
        assert f"validations/stg_mentions/{run}/" in text
    validator = get_validator()  # shared by the session's tests: look at these runs only
    mine = lambda keys: [k for k in keys if any(run in str(k) for run in RUNS)]  # noqa: E731
    assert not mine(validator.stored_results)
    assert not mine(key for key, _ in validator.pending_results)
    assert not mine(validator.context.validation_results_store.list_keys())


def test_a_past_event_dated_after_publication_is_quarantined():
    """"Police killed ... on Monday" cannot have happened a week after the article appeared."""
    frames = clean_frames()
    late = PUBLISHED + dt.timedelta(days=7)
    key = _set(frames, "stg_events", 0, "past_event_date", late)
    _set(frames, "stg_events", 0, "event_date", late)
    result = _validate(frames, "stg_events")
    assert not result.success
    assert key in result.quarantined_keys("stg_events")
    failed = result.failed_rows["stg_events"]
    assert ("expect_column_pair_values_a_to_be_greater_than_b(max_plausible_date, "
            "past_event_date)") in set(failed["expectation"])


def test_a_future_event_after_publication_is_only_warned():
    """"Ministers will meet next week": a later date is right for a future-tense event."""
    frames = clean_frames()
    key = _set(frames, "stg_events", 0, "event_date", PUBLISHED + dt.timedelta(days=7))
    _set(frames, "stg_events", 0, "past_event_date", None)
    _set(frames, "stg_events", 0, "event_tense", "future")
    result = _validate(frames, "stg_events")
    assert result.success and key in result.warned_keys("stg_events")


def test_an_article_without_publication_date_is_flagged_not_quarantined():
    frames = clean_frames()
    key = _set(frames, "stg_articles", 0, "published_date", None)
    _set(frames, "stg_articles", 0, "published_source", "missing")
    result = _validate(frames)
    assert result.success
    assert key in result.warned_keys("stg_articles")


def test_an_event_placed_off_the_globe_is_quarantined():
    frames = clean_frames()
    frames["stg_events"]["lat"] = frames["stg_events"]["lat"].astype("object")
    key = _set(frames, "stg_events", 0, "lat", 123.0)
    result = _validate(frames, "stg_events")
    assert key in result.quarantined_keys("stg_events")


def test_coordinates_in_the_wrong_country_are_quarantined():
    """Paris's coordinates given to the United States (the Paris, Texas mix-up) are rejected."""
    frames = clean_frames()
    key = _set(frames, "stg_mentions", 1, "country_iso3", "USA")
    result = _validate(frames, "stg_mentions")
    assert key in result.quarantined_keys("stg_mentions")
    assert (key, "expect_column_values_to_be_in_set(is_in_country_region)", "error") in (
        _failures(result, "stg_mentions"))


def test_an_event_with_swapped_coordinates_is_quarantined():
    """Paris at (2.35, 48.85) instead of (48.85, 2.35) lies off Somalia, not in France."""
    frames = clean_frames()
    for column in ("lat", "lon", "country_iso3"):
        frames["stg_events"][column] = frames["stg_events"][column].astype("object")
    _set(frames, "stg_events", 0, "country_iso3", "FRA")
    _set(frames, "stg_events", 0, "lat", 2.35)
    key = _set(frames, "stg_events", 0, "lon", 48.85)
    result = _validate(frames, "stg_events")
    assert key in result.quarantined_keys("stg_events")


def test_offshore_islands_pass_and_a_near_miss_is_only_warned():
    frames = clean_frames()
    # Santa Cruz de Tenerife: Spain's, though off the map outline of Spain.
    tenerife = _set(frames, "stg_mentions", 1, "lat", 28.47)
    _set(frames, "stg_mentions", 1, "lon", -16.25)
    _set(frames, "stg_mentions", 1, "country_iso3", "ESP")
    # Paris given to Germany: some 300 km outside it, suspicious but not another continent.
    offshore = _set(frames, "stg_mentions", 3, "country_iso3", "DEU")
    result = _validate(frames, "stg_mentions")
    assert tenerife not in result.quarantined_keys("stg_mentions")
    assert tenerife not in result.warned_keys("stg_mentions")
    assert offshore not in result.quarantined_keys("stg_mentions")
    assert offshore in result.warned_keys("stg_mentions")
