"""DuckDB only: connect(), schema and migrations, staging, publishing, views."""

from __future__ import annotations

from warehouse.connection import DEFAULT_DB_PATH, WarehouseLockedError, connect
from warehouse.pause import pause_point
from warehouse.publish import PublishCounts, publish_batch
from warehouse.run_lock import RunLock, hold_run_lock, run_lock_path
from warehouse.runs import (
    abandon_stale_runs,
    finish_run,
    known_article_ids,
    quarantine_inputs,
    start_run,
)
from warehouse.schema import SCHEMA_VERSION, TABLES, VIEWS
from warehouse.staging import KEYS, STAGED_TABLES, stage_frames

__all__ = ["DEFAULT_DB_PATH", "KEYS", "SCHEMA_VERSION", "STAGED_TABLES", "TABLES", "VIEWS",
           "PublishCounts", "RunLock", "WarehouseLockedError", "abandon_stale_runs", "connect",
           "finish_run", "hold_run_lock", "known_article_ids", "pause_point", "publish_batch",
           "quarantine_inputs", "run_lock_path", "stage_frames", "start_run"]
