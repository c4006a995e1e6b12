"""DuckDB only: connect(), schema and migrations, staging, publishing, views."""

from __future__ import annotations

from warehouse.connection import DEFAULT_DB_PATH, WarehouseLockedError, connect
from warehouse.publish import PublishCounts, publish_batch
from warehouse.runs import finish_run, known_article_ids, quarantine_inputs, start_run
from warehouse.schema import SCHEMA_VERSION, TABLES, VIEWS
from warehouse.staging import KEYS, STAGED_TABLES, stage_frames

__all__ = ["DEFAULT_DB_PATH", "KEYS", "SCHEMA_VERSION", "STAGED_TABLES", "TABLES", "VIEWS",
           "PublishCounts", "WarehouseLockedError", "connect", "finish_run",
           "known_article_ids", "publish_batch", "quarantine_inputs", "stage_frames",
           "start_run"]
