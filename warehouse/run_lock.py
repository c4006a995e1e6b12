"""Know whether a 'running' row in ops_runs belongs to a live process or a killed one.

A run holds a shared `flock` on `<warehouse>.runlock` from before it records itself as 'running'
until after it records how it ended. A run that can take that lock exclusively therefore knows
that no run is alive, so every row still 'running' is left from a killed process ('abandoned').
The kernel drops the lock when a process dies, even by SIGKILL; no pid files, no clocks.
The DuckDB file lock cannot serve: a run holds it only while it writes, not while it extracts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:  # POSIX only; elsewhere stale runs are simply never marked abandoned
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["RunLock", "hold_run_lock", "run_lock_path"]


def run_lock_path(db_path: str | Path) -> Path:
    """Return the lock file beside the warehouse file (created in the same, chosen folder)."""
    path = Path(db_path)
    return path.with_name(path.name + ".runlock")


class RunLock:
    """A held run lock; `no_other_runs` says whether no other run was alive when taken."""

    def __init__(self, no_other_runs: bool) -> None:
        self.no_other_runs = no_other_runs


@contextmanager
def hold_run_lock(db_path: str | Path) -> Iterator[RunLock]:
    """Hold the shared run lock for the block; see the module docstring."""
    if fcntl is None:  # pragma: no cover
        yield RunLock(no_other_runs=False)
        return
    path = run_lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            no_other_runs = True
        except BlockingIOError:
            no_other_runs = False
        # Converting to shared may let another run take it exclusively for a moment; that is
        # safe because this run records itself as 'running' only after it holds LOCK_SH.
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield RunLock(no_other_runs)
    finally:
        os.close(fd)
