#!/usr/bin/env bash
# Set everything up and run the whole test suite (fast and slow tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PREFECT_SERVER_ANALYTICS_ENABLED=false
.venv/bin/python -m pytest "$@"
