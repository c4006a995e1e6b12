"""Batches are fingerprinted by their pickle: any change of the data changes the marker."""

from __future__ import annotations

import pandas as pd

from expectations import gx_fingerprint
from expectations.validate import get_validator


def _marker(frame: pd.DataFrame) -> str:
    batch = get_validator().batch_definition("stg_articles").get_batch(
        batch_parameters={"dataframe": frame})
    return batch.batch_markers["pandas_data_fingerprint"]


def test_the_batch_marker_is_the_pickled_fingerprint():
    assert gx_fingerprint.PATCHED
    frame = pd.DataFrame({"article_id": ["a1", "a2"], "char_count": [120.0, 80.0]})
    assert _marker(frame) == gx_fingerprint.pickled_fingerprint(frame)


def test_the_fingerprint_follows_the_data():
    frame = pd.DataFrame({"article_id": ["a1", "a2"], "char_count": [120.0, 80.0]})
    same = pd.DataFrame({"article_id": ["a1", "a2"], "char_count": [120.0, 80.0]})
    changed = frame.assign(char_count=[120.0, 81.0])
    assert _marker(frame) == _marker(same)
    assert _marker(frame) != _marker(changed)
    assert _marker(frame) != _marker(frame.iloc[::-1])


def test_a_frame_is_pickled_once_within_a_validation(monkeypatch):
    from expectations.gx_fingerprint import remembered_fingerprints

    pickled = []
    real = gx_fingerprint.pickle.dumps
    monkeypatch.setattr(gx_fingerprint.pickle, "dumps",
                        lambda *args, **kwargs: pickled.append(1) or real(*args, **kwargs))
    frame = pd.DataFrame({"article_id": ["a1", "a2"], "char_count": [120.0, 80.0]})
    other = frame.assign(char_count=[120.0, 81.0])
    with remembered_fingerprints():
        first = _marker(frame)
        assert _marker(frame) == first and len(pickled) == 1  # same object: remembered
        with remembered_fingerprints():  # a nested block keeps the outer memory
            assert _marker(frame) == first and len(pickled) == 1
        assert _marker(other) != first and len(pickled) == 2  # another frame: its own
    assert _marker(frame) == first and len(pickled) == 3  # outside: fingerprinted afresh
