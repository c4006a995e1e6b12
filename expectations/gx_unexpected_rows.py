"""List a failed check's rows by column, not cell by cell, when GX names them: speed only.

With COMPLETE results and `unexpected_index_column_names` (how newsdesk learns which rows to
quarantine), Great Expectations 1.x builds one dict per failing row, reading every value with
`DataFrame.at` and matching each index column's name again for every row. A warning that fails
on a few hundred rows (an article without a title, a date after publication) cost 0.2-0.3 s
of a 1,000-article validation that way. Here each column is fetched once and read by position,
which is what `.at` does for a frame whose index holds each label once: the same values, of
the same types, in the same dicts (same keys, same order). Anything else (a named index,
repeated labels or column names, `exclude_unexpected_values`, an error) takes GX's own code,
which also raises its own errors. If a GX upgrade renames what is patched, the patch is
skipped and validation is merely slower (`PATCHED`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["PATCHED"]

_ERROR = ('Error: The unexpected_index_column "{column_name:s}" does not exist in Dataframe. '
          "Please check your configuration and try again.")


def _unboxer():
    """The scalar conversion `DataFrame.at` applies (pandas 3); none before it existed."""
    try:
        from pandas.core.dtypes.cast import maybe_unbox_numpy_scalar
    except ImportError:
        return lambda value, values: value
    return lambda value, values: maybe_unbox_numpy_scalar(value, object_with_dtype=values)


def _by_column(domain_records_df, domain_columns: list, index_columns: list,
               metrics: dict) -> list[dict[str, Any]] | None:
    """The shipped loop's output, built column by column; None when it may differ from it."""
    from great_expectations.expectations.metrics.util import get_dbms_compatible_column_names

    frame = domain_records_df
    if not (frame.index.is_unique and frame.columns.is_unique and domain_columns):
        return None
    if len(frame.index) == 0:
        return []
    names = [get_dbms_compatible_column_names(column_names=name,
                                              batch_columns_list=metrics["table.columns"],
                                              error_message_template=_ERROR)
             for name in index_columns]
    wanted = list(dict.fromkeys([*domain_columns, *names]))
    if not all(column in frame.columns for column in wanted):
        return None
    unbox = _unboxer()
    values = {}
    for column in wanted:
        array = frame[column]._values  # what `.at` reads from, by position
        items = list(array) if isinstance(array, np.ndarray) else [
            array[position] for position in range(len(array))]  # extension arrays: as `.at`
        values[column] = [unbox(value, array) for value in items]
    rows = []
    for position in range(len(frame.index)):
        row: dict[str, Any] = {}
        for domain_column in domain_columns:  # the shipped loop's key order
            row[domain_column] = values[domain_column][position]
            for name in names:
                row[name] = values[name][position]
        rows.append(row)
    return rows


def _install() -> bool:
    try:
        from great_expectations.expectations.metrics.map_metric_provider import (
            map_condition_auxilliary_methods as methods,
        )
    except ImportError:
        return False
    shipped = getattr(methods, "compute_unexpected_pandas_indices", None)
    if shipped is None:
        return False

    def compute_unexpected_pandas_indices(domain_records_df, expectation_domain_column_list,
                                          result_format, execution_engine, metrics):
        rows = None
        index_columns = result_format.get("unexpected_index_column_names")
        if (domain_records_df.index.name is None and domain_records_df.index.names[0] is None
                and index_columns
                and not result_format.get("exclude_unexpected_values", False)):
            try:
                rows = _by_column(domain_records_df, list(expectation_domain_column_list or []),
                                  list(index_columns), metrics)
            except Exception:  # noqa: BLE001 - GX's own code below raises its own error
                rows = None
        if rows is not None:
            return rows
        return shipped(domain_records_df=domain_records_df,
                       expectation_domain_column_list=expectation_domain_column_list,
                       result_format=result_format, execution_engine=execution_engine,
                       metrics=metrics)

    compute_unexpected_pandas_indices.shipped = shipped  # for tests: GX's own answer
    methods.compute_unexpected_pandas_indices = compute_unexpected_pandas_indices
    return True


PATCHED = _install()
