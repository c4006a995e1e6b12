"""Failing rows listed column by column are exactly the dicts GX builds cell by cell."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from great_expectations.expectations.metrics.map_metric_provider import (
    map_condition_auxilliary_methods as methods,
)

from expectations import gx_unexpected_rows

COMPUTE = methods.compute_unexpected_pandas_indices
FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["row_key", "__row"]}


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame({
        "row_key": ["a", "b", "c", "d", "e"],
        "__row": range(5),
        "low": pd.array([1, None, 3, 4, 5], dtype="Int64"),
        "lat": [1.5, np.nan, 3.0, 4.0, 5.0],
        "flag": [True, False, True, False, True],
        "when": [dt.date(2024, 1, 1), None, dt.date(2024, 1, 3), None, dt.date(2024, 1, 5)],
        "label": pd.array(["x", None, "z", "w", "v"], dtype="str"),
        "stamp": pd.to_datetime(["2024-01-01", None, "2024-01-03", "2024-01-04", "2024-01-05"]),
    })
    return frame.iloc[[4, 1, 3]]  # GX passes the failing rows: labels out of order, gaps


def _typed(rows: list) -> list:
    return [[(key, type(value), repr(value)) for key, value in row.items()] for row in rows]


def _both(frame: pd.DataFrame, domain: list, result_format: dict = FORMAT) -> tuple[list, list]:
    metrics = {"table.columns": list(frame.columns)}
    kwargs = {"domain_records_df": frame, "expectation_domain_column_list": domain,
              "result_format": result_format, "execution_engine": None, "metrics": metrics}
    return COMPUTE(**kwargs), COMPUTE.shipped(**kwargs)


def test_the_patch_is_installed_on_this_gx_version():
    assert gx_unexpected_rows.PATCHED


@pytest.mark.parametrize("domain", [["low"], ["lat"], ["flag"], ["when"], ["label"], ["stamp"],
                                    ["low", "lat"], ["row_key"]])
def test_rows_are_gx_s_own_values_keys_and_types(domain):
    fast, shipped = _both(_frame(), domain)
    assert len(fast) == 3
    assert _typed(fast) == _typed(shipped)


@pytest.mark.parametrize(("frame", "result_format"), [
    (_frame().set_index("__row"), {**FORMAT, "unexpected_index_column_names": ["__row"]}),
    (pd.concat([_frame(), _frame()]), FORMAT),                    # labels repeated
    (_frame().iloc[0:0], FORMAT),                                 # nothing failed
    (_frame(), {**FORMAT, "exclude_unexpected_values": True}),
], ids=["named-index", "repeated-labels", "empty", "exclude-values"])
def test_other_frames_get_gx_s_own_answer(frame, result_format):
    fast, shipped = _both(frame, ["lat"], result_format)
    assert _typed(fast) == _typed(shipped)


def test_an_unknown_index_column_raises_as_gx_does():
    result_format = {**FORMAT, "unexpected_index_column_names": ["no_such_column"]}
    errors = []
    for compute in (COMPUTE, COMPUTE.shipped):
        with pytest.raises(Exception) as raised:  # noqa: PT011 - comparing GX's own error
            compute(domain_records_df=_frame(), expectation_domain_column_list=["lat"],
                    result_format=result_format, execution_engine=None,
                    metrics={"table.columns": list(_frame().columns)})
        errors.append((type(raised.value), str(raised.value)))
    assert errors[0] == errors[1]
