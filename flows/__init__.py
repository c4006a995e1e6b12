"""Prefect flows and the `newsdesk` CLI: thin wrappers over transforms, warehouse, expectations."""

from __future__ import annotations

import os

# Set before Prefect is imported anywhere in the process:
# - the ephemeral API's telemetry write raced its own SQLite file here ("database is locked"),
#   and there is no network to send telemetry to anyway;
# - the first start of the ephemeral API migrates a new database, which took over Prefect's
#   default 20 s on a loaded 2-core machine ("Timed out while attempting to connect").
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
