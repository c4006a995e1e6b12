"""The frame GX validates: helper columns row by row, one block per dtype, fast missing test."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from expectations.validation_frames import ROW_COLUMN, _is_near, _near_flags, is_missing, prepare
from tests.test_expectations import TODAY, clean_frames


@pytest.mark.parametrize("value", [
    None, 0, 1, True, False, "", "x", 1.5, float("nan"), float("inf"), np.nan, np.float64("nan"),
    np.float64(2.0), np.int64(3), pd.NA, pd.NaT, np.datetime64("NaT"), dt.date(2024, 1, 1),
    dt.datetime(2024, 1, 1), pd.Timestamp("2024-01-01"), [1], {"a": 1},
])
def test_is_missing_agrees_with_pandas(value):
    try:
        expected = bool(pd.isna(value))
    except (TypeError, ValueError):
        expected = False
    assert is_missing(value) is expected


def test_near_flags_are_is_near_row_by_row():
    lats = [48.85, 48.85, 48.85, None, np.nan, 200.0, "x", [1]]
    lons = [2.35, 2.35, 120.0, 2.35, 2.35, 2.35, 2.35, 2.35]
    countries = ["FRA", "FRA", "FRA", "FRA", "FRA", "FRA", "FRA", "FRA"]
    expected = [_is_near(lat, lon, c, 1.5) for lat, lon, c in zip(lats, lons, countries)]
    assert _near_flags(lats, lons, countries, 1.5) == expected
    assert expected[:3] == [True, True, False]  # the same point twice, then one far away


def test_prepared_frame_has_helpers_row_numbers_and_one_block_per_dtype():
    frames = clean_frames(2)
    events = frames["stg_events"].iloc[::-1]  # a staged frame whose index is not 0..n-1
    article_ids = set(frames["stg_articles"]["article_id"])
    prepared = prepare("stg_events", events, TODAY, article_ids, None, None)

    assert list(prepared.index) == [0, 1]
    assert list(prepared[ROW_COLUMN]) == [0, 1]
    assert list(prepared["event_id"]) == list(events["event_id"])
    assert list(prepared["max_plausible_date"]) == [dt.date(2024, 3, 8)] * 2
    assert prepared["is_article_in_batch"].tolist() == [True, True]
    assert prepared["event_date"].dtype == object and prepared["start_char"].dtype == "int64"
    assert len({block.dtype for block in prepared._mgr.blocks}) == len(prepared._mgr.blocks)


def test_an_empty_frame_gets_its_columns():
    prepared = prepare("stg_roles", pd.DataFrame(), TODAY, set(), None, None)
    assert prepared.empty and {"role_id", "article_id", ROW_COLUMN} <= set(prepared.columns)
