"""Run bookkeeping: ops_runs rows, which articles are already done, rejected inputs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import duckdb
import pandas as pd

from warehouse.publish import QUARANTINE_COLUMNS, insert_quarantine
from warehouse.sql import run_sql

__all__ = ["FINISHED_STATUSES", "abandon_stale_runs", "finish_run", "known_article_ids",
           "quarantine_inputs", "start_run"]

#: The outcomes a run records in ops_runs.status ('running' until then): 'cancelled' is a run
#: stopped on request between batches, 'abandoned' one whose process died (see below).
FINISHED_STATUSES = ("completed", "failed", "cancelled", "abandoned")

ABANDONED_MESSAGE = ("the process ended without recording an outcome (killed or crashed); its "
                     "unfinished batch was rolled back and its articles are loaded by a later run")


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, input_paths: list[str],
              flow_run_id: str | None, versions: dict[str, str]) -> None:
    """Record a run as started."""
    run_sql(con, """
        insert into ops_runs (run_id, flow_run_id, started_at, status, input_paths,
                              extractor_version, spacy_model, spacy_model_version)
        values (?, ?, now(), 'running', ?, ?, ?, ?)
    """, [run_id, flow_run_id, input_paths, versions.get("extractor"), versions.get("model"),
          versions.get("model_version")])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str,
               counts: dict[str, int | str | None]) -> None:
    """Record a run's outcome (one of FINISHED_STATUSES) and counts (ops_runs column names)."""
    if status not in FINISHED_STATUSES:
        raise ValueError(f"unknown run status {status!r}; use one of: "
                         f"{', '.join(FINISHED_STATUSES)}")
    assignments = ", ".join(f"{column} = ?" for column in counts)
    run_sql(con, f"update ops_runs set finished_at = now(), status = ?"
                f"{', ' + assignments if assignments else ''} where run_id = ?",
                [status, *counts.values(), run_id])


def abandon_stale_runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Mark every 'running' run as 'abandoned' and return their ids.

    Call only when no run is alive (`warehouse.hold_run_lock(...).no_other_runs`).
    """
    stale = [row[0] for row in con.execute(
        "select run_id from ops_runs where status = 'running' order by started_at").fetchall()]
    if stale:
        run_sql(con, """
            update ops_runs set status = 'abandoned', finished_at = now(), error_message = ?
            where status = 'running'
        """, [ABANDONED_MESSAGE])
    return stale


def known_article_ids(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> set[str]:
    """Return the ids not to process: published, or quarantined and not yet released.

    An article with a released (and not yet re-submitted) quarantined row is processed again,
    so the rows that failed get a second chance after the rules or checks were fixed.
    """
    ids = pd.DataFrame({"article_id": list(article_ids)})
    if ids.empty:
        return set()
    con.register("candidate_ids", ids)
    rows = con.execute("""
        with released as (
            select distinct article_id from quarantine_rows
            where stage = 'validation' and released_at is not null
              and resubmitted_run_id is null and article_id is not null
        )
        select article_id from candidate_ids
        where (article_id in (select article_id from raw_articles)
               and article_id not in (select article_id from released))
           or article_id in (select article_id from quarantine_rows
                             where table_name = 'stg_articles' and released_at is null)
    """).fetchall()
    con.unregister("candidate_ids")
    return {row[0] for row in rows}


def quarantine_inputs(con: duckdb.DuckDBPyConnection, run_id: str, rejects: list) -> int:
    """Keep inputs that could not be read as articles; the same reject is stored once."""
    rows = []
    for reject in rejects:
        digest = hashlib.sha256(
            f"{reject.input_path}|{reject.input_line}|{reject.raw}".encode()).hexdigest()[:16]
        rows.append({
            "quarantine_id": f"input:{digest}", "run_id": run_id, "stage": "input",
            "table_name": "raw_articles", "row_id": reject.source_id, "article_id": None,
            "input_path": reject.input_path, "input_line": reject.input_line,
            "check_name": "read_inputs", "severity": "error", "reason": reject.reason,
            "offending_values": None, "payload": reject.raw})
    return insert_quarantine(con, pd.DataFrame.from_records(rows, columns=QUARANTINE_COLUMNS))
