#!/usr/bin/env bash
# Set everything up and run the main job on the bundled sample articles.
# Writes data/newsdesk.duckdb, the run's data-quality report (data/reports/quality.html) and
# the warehouse report (data/reports/newsdesk.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PREFECT_SERVER_ANALYTICS_ENABLED=false
.venv/bin/newsdesk run data/sample "$@"
.venv/bin/newsdesk report
