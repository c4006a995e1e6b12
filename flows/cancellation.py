"""Cancel a flow run cooperatively: who asked to stop which run, checked at batch boundaries.

A Prefect worker cancels a run by killing the run's process. `newsdesk serve` executes its
runs in its own process (flows/serving.py), so it cannot kill them: instead it *watches* the
run it executes (`watching`), its listeners `request` a stop when the API says the run is
Cancelling (flows/serve_wake.py), and the ingest loop asks `is_requested` between batches,
where stopping leaves only whole, committed batches (flows/ingest.py).

Requests for runs nobody watches are dropped, so a process that watches nothing
(`newsdesk run --here`, the tests' in-process runs) is never stopped this way.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

__all__ = ["CANCELLED_MESSAGE", "is_requested", "request", "watching"]

CANCELLED_MESSAGE = ("cancelled on request: the batches published before the request stay; "
                     "the next run loads the rest")

_lock = threading.Lock()
#: The runs this process executes and watches, each with whether a stop was asked for.
_watched: dict[str, bool] = {}


def _key(flow_run_id: object) -> str:
    return str(flow_run_id)


@contextlib.contextmanager
def watching(flow_run_id: object) -> Iterator[None]:
    """Accept stop requests for this flow run while the block runs, and forget it after."""
    key = _key(flow_run_id)
    with _lock:
        _watched.setdefault(key, False)
    try:
        yield
    finally:
        with _lock:
            _watched.pop(key, None)


def request(flow_run_id: object) -> bool:
    """Ask the watched run to stop at its next batch boundary; False if it is not watched.

    Only the first request of a run returns True, so a caller can log it once.
    """
    key = _key(flow_run_id)
    with _lock:
        if key not in _watched or _watched[key]:
            return False
        _watched[key] = True
        return True


def is_requested(flow_run_id: object) -> bool:
    """Return True if this run is watched and a stop was asked for (None: never)."""
    if flow_run_id is None:
        return False
    with _lock:
        return _watched.get(_key(flow_run_id), False)
