"""The `write-report` flow: the warehouse report page on a schedule (`report-daily`)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger

import warehouse

__all__ = ["write_warehouse_report"]

DEFAULT_REPORT_PATH = "data/reports/newsdesk.html"


@flow(name="write-report", flow_run_name="report-{run_label}", log_prints=False)
def write_warehouse_report(db_path: str = str(warehouse.DEFAULT_DB_PATH),
                           output: str = DEFAULT_REPORT_PATH, run_label: str = "manual") -> str:
    """Write the self-contained warehouse report (what `newsdesk report` writes); return its path.

    Reads the warehouse read-only, so it never waits for or blocks an ingest run's writes
    beyond DuckDB's own file lock.
    """
    from expectations.report import write_report_page
    from warehouse.report_queries import report_frames

    with warehouse.connect(db_path, read_only=True) as con:
        frames = report_frames(con)
    path = write_report_page(frames, Path(output), source=db_path)
    get_run_logger().info("report: %s", path)
    return str(path)
