"""The GX configuration cache changes speed only: same results, same failing rows."""

from __future__ import annotations

import contextlib

import great_expectations.expectations as gxe
import pandas as pd

import warehouse
from expectations.gx_config_cache import PATCHED, _state, reused_configurations
from tests.quality_batch import plant_bad_rows, sample_batch, validation_outcome


def test_the_patch_is_installed_on_this_gx_version():
    assert PATCHED


def test_validation_with_and_without_the_cache_agree(nlp, monkeypatch):
    articles, records = sample_batch(nlp)
    frames = warehouse.stage_frames(articles, records, "run-cache")
    planted = plant_bad_rows(frames)
    cached_results, cached_failed = validation_outcome(frames, "run-cache", "observed_value")

    import expectations.validate as validate_module

    monkeypatch.setattr(validate_module, "reused_configurations", contextlib.nullcontext)
    plain_results, plain_failed = validation_outcome(frames, "run-cache", "observed_value")

    assert cached_results == plain_results
    assert sum(not success for _, _, success, _, _ in cached_results) >= len(planted)
    assert cached_failed.keys() == plain_failed.keys()
    for table in cached_failed:
        pd.testing.assert_frame_equal(cached_failed[table], plain_failed[table])


def test_a_changed_expectation_is_not_described_by_its_old_configuration():
    expectation = gxe.ExpectColumnValuesToBeBetween(column="low", min_value=0)
    with reused_configurations():
        assert expectation.configuration.kwargs["min_value"] == 0
        expectation.min_value = 5
        assert expectation.configuration.kwargs["min_value"] == 5
    assert getattr(_state, "cache", None) is None

