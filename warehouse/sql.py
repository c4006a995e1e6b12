"""Run a statement and drain its result (DuckDB 2 refuses new work while a result is open)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

__all__ = ["run_sql"]


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence | None = None) -> None:
    """Execute one statement with bound parameters and consume whatever it returns."""
    con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
