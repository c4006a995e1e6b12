"""The GX plan cache changes speed only: a reused plan still measures each batch's own rows."""

from __future__ import annotations

import pandas as pd

import warehouse
from expectations import gx_graph_cache
from tests.quality_batch import plant_bad_rows, sample_batch, validation_outcome


def test_the_patch_is_installed_on_this_gx_version():
    assert gx_graph_cache.PATCHED


def test_a_reused_plan_finds_the_failures_of_the_batch_it_validates(nlp):
    articles, records = sample_batch(nlp)
    clean = warehouse.stage_frames(articles, records, "run-plan")
    bad = warehouse.stage_frames(articles, records, "run-plan")
    planted = plant_bad_rows(bad)

    gx_graph_cache._plans.clear()
    fresh_results, fresh_failed = validation_outcome(bad, "run-plan", "observed_value")
    gx_graph_cache._plans.clear()
    validation_outcome(clean, "run-plan", "observed_value")  # plans made on a passing batch
    plans = gx_graph_cache.cached_plans()
    reused_results, reused_failed = validation_outcome(bad, "run-plan", "observed_value")

    assert plans >= len(clean)  # one BASIC plan per staged table at least
    assert reused_results == fresh_results
    assert sum(not success for _, _, success, _, _ in reused_results) >= len(planted)
    assert reused_failed.keys() == fresh_failed.keys()
    for table in reused_failed:
        pd.testing.assert_frame_equal(reused_failed[table], fresh_failed[table])


def test_a_changed_check_gets_a_plan_of_its_own(nlp):
    from expectations import validate_batch

    articles, records = sample_batch(nlp)
    frames = warehouse.stage_frames(articles, records, "run-plan-key")
    gx_graph_cache._plans.clear()
    validate_batch(frames, "run-plan-key")
    before = gx_graph_cache.cached_plans()
    validate_batch(frames, "run-plan-key")
    assert gx_graph_cache.cached_plans() == before  # same checks, same plans
    validate_batch(frames, "run-plan-key", today=pd.Timestamp("2031-01-01").date())
    assert gx_graph_cache.cached_plans() > before  # date bounds moved: new kwargs, new plans
