"""Open the warehouse file, waiting for another writer's lock, and migrate its schema."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from warehouse.schema import migrate

__all__ = ["DEFAULT_DB_PATH", "WarehouseLockedError", "connect"]

DEFAULT_DB_PATH = Path("data/newsdesk.duckdb")


class WarehouseLockedError(RuntimeError):
    """Another process holds the warehouse file's write lock for longer than we waited."""


def connect(path: str | Path = DEFAULT_DB_PATH, read_only: bool = False,
            lock_timeout_s: float = 60.0) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating when writable) the DuckDB warehouse at `path`.

    DuckDB allows one writing process per file; a second one gets "Could not set lock". We
    retry until `lock_timeout_s` and then raise a message a user can act on.
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + lock_timeout_s
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                if "lock" in str(exc).lower():
                    raise WarehouseLockedError(
                        f"{path} is in use by another newsdesk process; waited "
                        f"{lock_timeout_s:.0f}s. Try again when it finishes.") from exc
                raise
            time.sleep(0.5)
    if not read_only:
        migrate(con)
    return con
