"""BASIC results first, COMPLETE ones for failed checks only: same outcome as COMPLETE for all."""

from __future__ import annotations

import pandas as pd

import warehouse
from expectations.gx_config_cache import reused_configurations
from expectations.validate import ROW_COLUMN
from tests.quality_batch import plant_bad_rows, sample_batch, validation_outcome


def _complete_for_every_check(batch, suite, key):
    with reused_configurations():
        return batch.validate(suite, result_format={
            "result_format": "COMPLETE", "unexpected_index_column_names": [key, ROW_COLUMN]})


def test_two_passes_find_the_rows_one_complete_pass_finds(nlp, monkeypatch):
    articles, records = sample_batch(nlp)
    frames = warehouse.stage_frames(articles, records, "run-passes")
    planted = plant_bad_rows(frames)
    two_results, two_failed = validation_outcome(frames, "run-passes", "element_count")

    import expectations.validate as validate_module

    monkeypatch.setattr(validate_module, "_run_suite", _complete_for_every_check)
    one_results, one_failed = validation_outcome(frames, "run-passes", "element_count")

    assert two_results == one_results
    for table, failed in one_failed.items():
        pd.testing.assert_frame_equal(two_failed[table], failed)
    flagged = {(p.table, p.expectation) for p in planted}
    assert flagged <= {(t, e) for t, frame in two_failed.items() for e in frame["expectation"]}
