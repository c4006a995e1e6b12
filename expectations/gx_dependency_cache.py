"""Reuse what each check needs from the computed metrics, across validations: speed only.

After computing a batch's metrics, Great Expectations 1.x asks every check again which metrics
it needs (`get_validation_dependencies`), rebuilding its configuration, metric kwargs and
metric ids on the way, only to look its values up: about a third of a one-article validation
(0.1 s here), the fixed cost of every run through `newsdesk serve`. The answer depends on the
check's class and kwargs (batch id included), the run-time configuration and the execution
engine's class, never on the rows (gx_graph_cache.py keeps the plan GX builds from the same
answer). So it is kept per exactly those inputs; each validation still reads its own metric
values, and gets its own copy of the result format (GX edits it in place).

`Expectation.metrics_validate` is re-stated below with only that lookup changed, so it is
patched only while GX's own source of it is the one this was written against
(`SHIPPED_SOURCE_MD5`); after a GX upgrade that changes it, validation runs GX's code and is
merely slower (`PATCHED` says which).
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import hashlib
import inspect
import json
import threading
import uuid
from collections import OrderedDict
from typing import Any

from great_expectations.expectations import expectation as gx_expectation
from great_expectations.expectations.expectation import Expectation

__all__ = ["PATCHED", "SHIPPED_SOURCE_MD5", "cached_dependencies"]

#: MD5 of `inspect.getsource(Expectation.metrics_validate)` in great_expectations 1.24.1.
SHIPPED_SOURCE_MD5 = "f17d815535c0948f705e0cbb14b2aa9f"
#: Distinct (check, run-time configuration) pairs kept; newsdesk has ~125 checks in 2 formats.
MAX_DEPENDENCIES = 1024
_kept: OrderedDict[str, tuple[dict, list[tuple[str, Any]]]] = OrderedDict()
_lock = threading.Lock()


def cached_dependencies() -> int:
    """How many checks' dependencies are kept (for tests and diagnostics)."""
    return len(_kept)


def _exact(value: Any) -> str:
    """A JSON stand-in for values json cannot write, only where repr tells them all apart."""
    if isinstance(value, (dt.date, dt.time, dt.timedelta, decimal.Decimal, uuid.UUID)):
        return f"{type(value).__qualname__}:{value!r}"
    raise TypeError(f"no exact key for {type(value).__qualname__}")  # then: not kept


def _key(check: Expectation, runtime_configuration: dict, execution_engine: Any) -> str | None:
    config = check.configuration
    try:
        return json.dumps([
            type(check).__module__, type(check).__qualname__, config.type, config.kwargs,
            runtime_configuration, type(execution_engine).__qualname__,
        ], sort_keys=True, default=_exact)
    except (TypeError, ValueError):  # a value without an exact key: asked every time
        return None


def _dependencies(check: Expectation, execution_engine: Any,
                  runtime_configuration: dict) -> tuple[dict, list[tuple[str, Any]]]:
    """(result format, [(metric name, metric configuration)]) as GX computes them."""
    key = _key(check, runtime_configuration, execution_engine)
    with _lock:
        hit = _kept.get(key) if key is not None else None
        if hit is not None:
            _kept.move_to_end(key)
    if hit is None:
        dependencies = check.get_validation_dependencies(
            execution_engine=execution_engine, runtime_configuration=runtime_configuration)
        hit = (copy.deepcopy(dependencies.result_format),
               list(dependencies.metric_configurations.items()))
        if key is not None:
            with _lock:
                _kept[key] = hit
                while len(_kept) > MAX_DEPENDENCIES:
                    _kept.popitem(last=False)
    return copy.deepcopy(hit[0]), hit[1]


def metrics_validate(self: Expectation, metrics: dict,
                     runtime_configuration: dict | None = None,
                     execution_engine: Any = None, **kwargs: dict) -> Any:
    """GX 1.24.1's `Expectation.metrics_validate`, with the dependencies looked up once."""
    if runtime_configuration is None:
        runtime_configuration = {}

    result_format, metric_configurations = _dependencies(
        self, execution_engine, runtime_configuration)
    runtime_configuration["result_format"] = result_format

    gx_expectation._validate_dependencies_against_available_metrics(
        validation_dependencies=[configuration for _, configuration in metric_configurations],
        metrics=metrics,
    )
    provided_metrics = {name: metrics[configuration.id]
                        for name, configuration in metric_configurations}

    expectation_validation_result = self._validate(
        metrics=provided_metrics,
        runtime_configuration=runtime_configuration,
        execution_engine=execution_engine,
    )

    result_format = gx_expectation.parse_result_format(
        runtime_configuration.get("result_format", {}))
    if result_format.get("result_format") == gx_expectation.ResultFormat.BOOLEAN_ONLY:
        preserved_result = {}
        if result_format.get("return_unexpected_index_query", False):
            if isinstance(expectation_validation_result,
                          gx_expectation.ExpectationValidationResult):
                current_result = expectation_validation_result.result or {}
            else:
                current_result = expectation_validation_result.get("result", {})
            for name in ("unexpected_index_query", "unexpected_index_column_names"):
                if name in current_result:
                    preserved_result[name] = current_result[name]
        if isinstance(expectation_validation_result, gx_expectation.ExpectationValidationResult):
            expectation_validation_result.result = preserved_result
        else:
            expectation_validation_result["result"] = preserved_result

    return self._build_evr(raw_response=expectation_validation_result)


def _install() -> bool:
    shipped = getattr(Expectation, "metrics_validate", None)
    needed = ("_validate_dependencies_against_available_metrics", "parse_result_format",
              "ResultFormat", "ExpectationValidationResult")
    if shipped is None or not all(hasattr(gx_expectation, name) for name in needed):
        return False
    try:
        source = inspect.getsource(shipped)
    except (OSError, TypeError):
        return False
    if hashlib.md5(source.encode(), usedforsecurity=False).hexdigest() != SHIPPED_SOURCE_MD5:
        return False
    metrics_validate.shipped = shipped  # for tests: GX's own method
    Expectation.metrics_validate = metrics_validate
    return True


PATCHED = _install()
