"""Open the warehouse file, waiting for another writer's lock, and migrate its schema."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

from warehouse.schema import SCHEMA_VERSION, migrate

__all__ = ["DEFAULT_DB_PATH", "LOCK_TIMEOUT_ENV", "WarehouseLockedError", "connect",
           "default_lock_timeout_s"]

DEFAULT_DB_PATH = Path("data/newsdesk.duckdb")
#: Seconds a writer waits for another process's lock on the file (default 60).
LOCK_TIMEOUT_ENV = "NEWSDESK_LOCK_TIMEOUT_S"
DEFAULT_LOCK_TIMEOUT_S = 60.0


class WarehouseLockedError(RuntimeError):
    """Another process holds the warehouse file's write lock for longer than we waited."""


def default_lock_timeout_s() -> float:
    """Return the lock wait from NEWSDESK_LOCK_TIMEOUT_S, else 60 s."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT_S
    try:
        return max(float(raw), 0.0)
    except ValueError as exc:
        raise ValueError(f"{LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds") from exc


def connect(path: str | Path = DEFAULT_DB_PATH, read_only: bool = False,
            lock_timeout_s: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating when writable) the DuckDB warehouse at `path`.

    DuckDB allows one writing process per file; a second one gets "Could not set lock". We
    retry until `lock_timeout_s` (default: NEWSDESK_LOCK_TIMEOUT_S, else 60 s) and then raise a
    message a user can act on. A read-only connection also has DuckDB's file system access
    switched off, so a query (`newsdesk sql`) cannot COPY TO, ATTACH or read other files. A
    warehouse written by an older newsdesk is migrated once before it is read.
    """
    path = Path(path)
    timeout = default_lock_timeout_s() if lock_timeout_s is None else lock_timeout_s
    if read_only:
        con = _open(path, True, timeout)
        if _schema_version(con) >= SCHEMA_VERSION:
            return con
        con.close()
        _open(path, False, timeout, migrate_schema=True).close()
        return _open(path, True, timeout)
    path.parent.mkdir(parents=True, exist_ok=True)
    return _open(path, False, timeout, migrate_schema=True)


def _schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the applied schema version of an open warehouse (0 for an empty file)."""
    try:
        return con.execute("select coalesce(max(version), 0) from ops_schema_migrations"
                           ).fetchall()[0][0]
    except duckdb.CatalogException:
        return 0


def _open(path: Path, read_only: bool, timeout: float,
          migrate_schema: bool = False) -> duckdb.DuckDBPyConnection:
    """Connect, waiting up to `timeout` seconds for another process's write lock."""
    config = {"enable_external_access": False} if read_only else {}
    deadline = time.monotonic() + timeout
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=config)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                if "lock" in str(exc).lower():
                    raise WarehouseLockedError(
                        f"{path} is in use by another newsdesk process; waited {timeout:.0f}s "
                        f"(set {LOCK_TIMEOUT_ENV} to wait longer). Try again when it "
                        "finishes.") from exc
                raise
            time.sleep(0.5)
    if migrate_schema:
        migrate(con)
    return con
