"""Checks' metric dependencies are reused across validations: each batch's own values still."""

from __future__ import annotations

import datetime as dt

from great_expectations.expectations.expectation import Expectation

from expectations import gx_dependency_cache, validate_batch
from tests.test_expectations import TODAY, clean_frames


def _outcome(frames):
    validation = validate_batch(frames, "run-deps", today=TODAY)
    results = sorted((r["suite"], r["expectation"], r["success"], r["unexpected_count"],
                      r["observed_value"], r["element_count"]) for r in validation.results)
    failed = {t: sorted(map(tuple, f.astype(str).values.tolist()))
              for t, f in validation.failed_rows.items()}
    return results, failed


def _broken() -> dict:
    frames = clean_frames(3)
    frames["stg_mentions"].loc[1, "lat"] = 123.0  # error: latitude out of range
    frames["stg_events"].loc[0, "actor1"] = None  # warning: no source actor
    frames["stg_dates"].loc[2, "resolved_date"] = dt.date(1850, 1, 1)  # error: too early
    return frames


def test_the_patch_is_installed_on_this_gx_version():
    assert gx_dependency_cache.PATCHED


def test_reused_dependencies_read_each_batch_s_own_metrics(monkeypatch):
    with monkeypatch.context() as shipped:
        shipped.setattr(Expectation, "metrics_validate",
                        gx_dependency_cache.metrics_validate.shipped)
        truth = _outcome(_broken())  # GX's own code, dependencies asked every time
    gx_dependency_cache._kept.clear()
    fresh = _outcome(_broken())
    kept = gx_dependency_cache.cached_dependencies()
    clean = _outcome(clean_frames(2))  # same checks, other rows: all reused
    again = _outcome(_broken())

    assert kept > 0 and gx_dependency_cache.cached_dependencies() >= kept
    assert fresh == truth and again == truth
    assert clean != fresh and not any(rows for rows in clean[1].values())
    failing = {(suite, expectation) for suite, expectation, success, *_ in fresh[0]
               if not success}
    assert ("stg_mentions", "expect_column_values_to_be_between(lat)") in failing
    assert fresh[1]["stg_dates"] and fresh[1]["stg_events"]  # rows found for both severities


def test_basic_and_complete_formats_are_kept_apart():
    gx_dependency_cache._kept.clear()
    _outcome(clean_frames(1))  # every check passes: BASIC only
    basic = gx_dependency_cache.cached_dependencies()
    _outcome(_broken())  # failed checks run again with COMPLETE results
    assert gx_dependency_cache.cached_dependencies() > basic
