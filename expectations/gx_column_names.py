"""Remember how GX matched a check's column names to the frame's columns: speed only.

Before reading a column, Great Expectations 1.x matches the name a check gives against every
column of the frame (case-folded, quotes and brackets stripped), ~60 us a time. It did so 3,700
times on a 1,000-article batch (0.1-0.25 s), mostly per failing row, which gx_unexpected_rows.py
now avoids; the ~350 matches left for the failed checks' domains cost ~20 ms more. The answer
depends only on the names asked for and the frame's column names, so it is kept per (names,
columns); a name that matches no column is not kept and raises exactly as shipped. Only plain
`str` column names (what a pandas frame has) are remembered: GX treats SQLAlchemy's
`quoted_name`, a `str` subclass, differently. If a GX upgrade renames what is patched, the
patch is skipped and validation is merely slower (`PATCHED`).
"""

from __future__ import annotations

import threading

__all__ = ["PATCHED", "remembered_matches"]

_FUNCTION = "_verify_column_names_exist_and_get_normalized_typed_column_names_map"
#: Distinct (names, columns) pairs kept; newsdesk asks a few hundred. Past it, start afresh.
MAX_MATCHES = 4096
_matches: dict[tuple, list[tuple] | None] = {}
_lock = threading.Lock()


def remembered_matches() -> int:
    """How many column-name matches are kept (for tests and diagnostics)."""
    return len(_matches)


def _install() -> bool:
    try:
        from great_expectations.expectations.metrics import util
    except ImportError:
        return False
    match = getattr(util, _FUNCTION, None)
    if match is None:
        return False

    def remembered(column_names, batch_columns_list, error_message_template=None,
                   verify_only: bool = False):
        key = None
        if set(map(type, batch_columns_list)) <= {str}:  # plain names only (see above)
            names = tuple(column_names) if isinstance(column_names, list) else column_names
            if isinstance(names, (str, tuple)):
                key = (names, tuple(batch_columns_list), verify_only)
                try:
                    hit = _matches.get(key, _MISSING)
                except TypeError:  # an unhashable name: ask GX, keep nothing
                    key, hit = None, _MISSING
                if hit is not _MISSING:
                    return None if hit is None else list(hit)
        kwargs = {} if error_message_template is None else {
            "error_message_template": error_message_template}
        found = match(column_names, batch_columns_list, verify_only=verify_only, **kwargs)
        if key is not None:  # reached only when every name matched (else GX raised)
            with _lock:
                if len(_matches) >= MAX_MATCHES:
                    _matches.clear()
                _matches[key] = None if found is None else tuple(found)
        return found

    remembered.shipped = match  # for tests: GX's own answer
    setattr(util, _FUNCTION, remembered)
    return True


_MISSING = object()
PATCHED = _install()
