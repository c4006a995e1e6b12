"""Reuse GX's metric dependency graphs across validations of the same suite: speed only.

Before computing anything, Great Expectations 1.x plans every validation: for each check it
deep-copies the configuration, asks the expectation which metrics it needs, and builds the
graph of metric configurations those depend on (each with an id hashed from its kwargs). For
newsdesk's 125 checks that planning was about half of a one-article validation (0.3 s of
0.6-0.7 s here), the largest fixed cost of a run through `newsdesk serve`, and it is paid
again on every batch although its inputs never change between batches: the plan depends on the
checks' types and kwargs, the batch id (constant per staged table: `newsdesk_staged-<table>`),
the execution engine's class and the result format, never on the rows.

So the plan is kept, keyed by exactly those inputs, and the metrics are still computed from
each batch's own data by GX's own resolver. Only plans built without errors are kept; a plan
that raised for some check (reported by GX as a failed check) is rebuilt every time, as
shipped. The graphs are read-only during resolution (resolved values live in a separate
dict), and the list GX later edits is copied per validation. If a GX upgrade renames what is
patched, the patch is skipped and validation is merely slower (`PATCHED` says which).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from great_expectations.validator.validator import Validator

__all__ = ["PATCHED", "cached_plans"]

#: Distinct (suite, batch, result format) plans kept; newsdesk validates 7 tables in 2 passes.
MAX_PLANS = 64
_METHOD = "_generate_metric_dependency_subgraphs_for_each_expectation_configuration"
_plans: OrderedDict[str, tuple[list, list]] = OrderedDict()
_lock = threading.Lock()


def cached_plans() -> int:
    """How many validation plans are kept (for tests and diagnostics)."""
    return len(_plans)


def _key(validator: Validator, configurations: list, catch_exceptions: bool,
         runtime_configuration: dict | None) -> str | None:
    try:
        return json.dumps([
            validator.active_batch_id, type(validator._execution_engine).__qualname__,
            catch_exceptions, runtime_configuration or {},
            [[c.type, c.kwargs] for c in configurations],
        ], sort_keys=True, default=repr)  # dates: repr is exact; an object whose repr
    except (TypeError, ValueError):     # varies per instance merely misses the cache
        return None


def _install() -> bool:
    plan = getattr(Validator, _METHOD, None)
    if plan is None:
        return False

    def reused_plan(self: Validator, expectation_configurations: list,
                    processed_configurations: list, catch_exceptions: bool,
                    runtime_configuration: dict | None = None):
        key = _key(self, expectation_configurations, catch_exceptions, runtime_configuration)
        with _lock:
            hit = _plans.get(key) if key is not None else None
            if hit is not None:
                _plans.move_to_end(key)
        if hit is not None:
            graphs, configurations = hit
            processed_configurations.extend(configurations)
            return list(graphs), [], processed_configurations
        already = len(processed_configurations)
        graphs, evrs, processed = plan(self, expectation_configurations,
                                       processed_configurations, catch_exceptions,
                                       runtime_configuration)
        if key is not None and not evrs:
            with _lock:
                _plans[key] = (list(graphs), list(processed[already:]))
                while len(_plans) > MAX_PLANS:
                    _plans.popitem(last=False)
        return graphs, evrs, processed

    setattr(Validator, _METHOD, reused_plan)
    return True


PATCHED = _install()
