"""A real batch with planted bad rows, for the quality-gate and report tests.

The sample articles are extracted for real and staged with `warehouse.stage_frames`; then one
staged row per problem is corrupted the way a bug upstream would corrupt it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import warehouse
from transforms.articles import Article, read_inputs
from transforms.extract import EXTRACTOR_VERSION, extract_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
RUN_BAD = "run-planted"
RUN_FIXED = "run-fixed"

FUTURE_PAST_EVENT = ("stg_events",
                     "expect_column_pair_values_a_to_be_greater_than_b"
                     "(max_plausible_date, past_event_date)")
LATITUDE = ("stg_mentions", "expect_column_values_to_be_between(lat)")
NEGATIVE_HEADCOUNT = ("stg_headcounts", "expect_column_values_to_be_between(low)")
OFFSET_PAST_END = ("stg_dates",
                   "expect_column_pair_values_a_to_be_greater_than_b(article_char_count, end_char)")
DUPLICATE_KEY = ("stg_events", "expect_column_values_to_be_unique(event_id)")


@dataclass
class Planted:
    """One corrupted staged row: its table, key, the check that must catch it, the article."""

    table: str
    row_id: str
    expectation: str
    article_id: str


def sample_batch(nlp) -> tuple[list[Article], list[dict]]:
    """Read and extract every bundled sample article."""
    articles = read_inputs([SAMPLE_DIR]).articles
    return articles, extract_batch(articles, nlp)


def plant_bad_rows(frames: dict[str, pd.DataFrame], duplicate: bool = True) -> list[Planted]:
    """Corrupt one row per problem in place (on different articles); return what was planted.

    `duplicate=False` leaves out the duplicated key (see test_quality_gate for why).
    """
    used: set[str] = set()
    planted: list[Planted] = []

    def pick(table: str, mask: pd.Series) -> int:
        frame = frames[table]
        candidates = frame.index[mask & ~frame["article_id"].isin(used)]
        position = int(candidates[0])
        used.add(frame.at[position, "article_id"])
        return position

    def note(table: str, position: int, expectation: str) -> None:
        frame = frames[table]
        planted.append(Planted(table, frame.at[position, warehouse.KEYS[table]], expectation,
                               frame.at[position, "article_id"]))

    events = frames["stg_events"]
    row = pick("stg_events", events["past_event_date"].notna())
    future = events.at[row, "published_date"] + dt.timedelta(days=60)
    events["event_date"] = events["event_date"].astype(object)
    events["past_event_date"] = events["past_event_date"].astype(object)
    events.at[row, "event_date"] = future
    events.at[row, "past_event_date"] = future
    note("stg_events", row, FUTURE_PAST_EVENT[1])

    mentions = frames["stg_mentions"]
    row = pick("stg_mentions", (mentions["label"] == "PLACE") & mentions["lat"].notna())
    mentions.at[row, "lat"] = 123.0
    note("stg_mentions", row, LATITUDE[1])

    headcounts = frames["stg_headcounts"]
    row = pick("stg_headcounts", headcounts["low"].notna())
    headcounts.at[row, "low"] = -40
    note("stg_headcounts", row, NEGATIVE_HEADCOUNT[1])

    dates = frames["stg_dates"]
    row = pick("stg_dates", dates["end_char"].notna())
    dates.at[row, "end_char"] = dates.at[row, "article_char_count"] + 25
    note("stg_dates", row, OFFSET_PAST_END[1])

    if not duplicate:
        return planted
    events = frames["stg_events"]
    row = pick("stg_events", events["event_date"].notna())
    frames["stg_events"] = pd.concat([events, events.iloc[[row]]], ignore_index=True)
    note("stg_events", row, DUPLICATE_KEY[1])
    return planted


def publish(con, run_id: str, batch_index: int, frames: dict[str, pd.DataFrame], validation):
    """Publish a validated batch the way the flow's publish task does."""
    return warehouse.publish_batch(con, run_id, batch_index, frames, validation.failed_rows,
                                   validation.results, EXTRACTOR_VERSION)


def validation_outcome(frames: dict[str, pd.DataFrame], run_id: str, detail: str
                       ) -> tuple[list[tuple], dict[str, pd.DataFrame]]:
    """Validate a copy of `frames`; return comparable results and failed rows, both sorted.

    Each result is (suite, expectation, success, unexpected_count, `detail`), `detail` being
    the dq_results field the comparison also needs ("observed_value", "element_count").
    """
    from expectations import validate_batch

    validation = validate_batch(copy.deepcopy(frames), run_id)
    results = sorted((r["suite"], r["expectation"], r["success"], r["unexpected_count"],
                      r[detail]) for r in validation.results)
    failed = {table: frame.sort_values(list(frame.columns)).reset_index(drop=True)
              for table, frame in validation.failed_rows.items()}
    return results, failed
