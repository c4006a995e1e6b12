"""Inspect and release quarantined rows; nothing in quarantine is ever deleted."""

from __future__ import annotations

import duckdb
import pandas as pd

from warehouse.sql import run_sql

__all__ = ["list_quarantine", "release_quarantine", "show_quarantine"]


def list_quarantine(con: duckdb.DuckDBPyConnection, include_released: bool = False,
                    table_name: str | None = None, limit: int = 100) -> pd.DataFrame:
    """Return quarantined rows, newest first (parameters bound, never string-built)."""
    return con.execute("""
        select quarantine_id, stage, table_name, row_id, input_path, input_line, check_name,
               severity, reason, quarantined_at, released_at
        from quarantine_rows
        where (? or released_at is null)
          and (?::varchar is null or table_name = ?)
        order by quarantined_at desc, quarantine_id
        limit ?
    """, [include_released, table_name, table_name, limit]).df()


def show_quarantine(con: duckdb.DuckDBPyConnection, quarantine_id: str) -> dict | None:
    """Return one quarantined row with its payload and offending values, or None."""
    frame = con.execute("select * from quarantine_rows where quarantine_id = ?",
                        [quarantine_id]).df()
    return None if frame.empty else frame.iloc[0].to_dict()


def release_quarantine(con: duckdb.DuckDBPyConnection, quarantine_ids: list[str]) -> int:
    """Mark rows released so the next run re-submits their articles; return how many."""
    ids = pd.DataFrame({"quarantine_id": quarantine_ids})
    con.register("release_ids", ids)
    count = con.execute("""
        select count(*) from quarantine_rows
        where quarantine_id in (select quarantine_id from release_ids) and released_at is null
    """).fetchall()[0][0]
    run_sql(con, """
        update quarantine_rows set released_at = now()
        where quarantine_id in (select quarantine_id from release_ids) and released_at is null
    """)
    con.unregister("release_ids")
    return count
