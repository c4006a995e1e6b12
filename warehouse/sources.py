"""Per-source state: ETag/Last-Modified, the body hash, ids seen, and fetch errors.

Plain dicts in and out (the `sources` package's `SourceState`/`SourceOutcome` fields), so the
warehouse does not import the code that fetches.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from warehouse.sql import run_sql

__all__ = ["record_source_outcomes", "source_states"]


def source_states(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> dict[str, dict]:
    """Return {source_name: state dict with `seen_ids` (a set)} for the sources known so far."""
    names = list(names)
    if not names:
        return {}
    states: dict[str, dict] = {}
    rows = con.execute("""
        select source_name, etag, last_modified, content_sha256, consecutive_failures
        from ops_source_state where source_name in (select unnest(?::varchar[]))
    """, [names]).fetchall()
    for name, etag, last_modified, digest, failures in rows:
        states[name] = {"source_name": name, "etag": etag, "last_modified": last_modified,
                        "content_sha256": digest, "consecutive_failures": failures,
                        "seen_ids": set()}
    for name, entry_id in con.execute("""
        select source_name, entry_id from ops_source_entries
        where source_name in (select unnest(?::varchar[]))
    """, [names]).fetchall():
        states.setdefault(name, {"source_name": name, "etag": None, "last_modified": None,
                                 "content_sha256": None, "consecutive_failures": 0,
                                 "seen_ids": set()})["seen_ids"].add(entry_id)
    return states


def record_source_outcomes(con: duckdb.DuckDBPyConnection, run_id: str,
                           outcomes: list[dict]) -> None:
    """Save one run's outcome per source, its new entry ids and its errors, in one transaction.

    Called after the run's articles are published: a run killed before that leaves the old
    state, so the next run fetches the same entries again (and `known_article_ids` stops them
    loading twice). A failed source keeps its last good validators and hash.
    """
    run_sql(con, "begin transaction")
    try:
        for outcome in outcomes:
            _record_one(con, run_id, outcome)
        run_sql(con, "commit")
    except BaseException:
        run_sql(con, "rollback")
        raise


def _record_one(con: duckdb.DuckDBPyConnection, run_id: str, outcome: dict) -> None:
    name = outcome["source_name"]
    failed = outcome["status"] == "error"
    previous = con.execute("select consecutive_failures from ops_source_state "
                           "where source_name = ?", [name]).fetchall()
    failures = (previous[0][0] if previous else 0) + 1 if failed else 0
    if failed:
        run_sql(con, """
            insert into ops_source_state (source_name, kind, location, last_status, last_error,
                consecutive_failures, last_run_id, last_fetched_at)
            values (?, ?, ?, 'error', ?, ?, ?, now())
            on conflict (source_name) do update set kind = excluded.kind,
                location = excluded.location, last_status = 'error',
                last_error = excluded.last_error,
                consecutive_failures = excluded.consecutive_failures,
                last_run_id = excluded.last_run_id, last_fetched_at = excluded.last_fetched_at
        """, [name, outcome["kind"], outcome["location"], outcome["error"], failures, run_id])
        run_sql(con, "insert into ops_source_errors values (?, ?, ?, ?, now())",
                [run_id, name, outcome["location"], outcome["error"]])
        return
    run_sql(con, """
        insert or replace into ops_source_state (source_name, kind, location, etag,
            last_modified, content_sha256, last_status, last_http_status, last_error,
            consecutive_failures, last_run_id, last_fetched_at, last_success_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, now(), now())
    """, [name, outcome["kind"], outcome["location"], outcome.get("etag"),
          outcome.get("last_modified"), outcome.get("content_sha256"), outcome["status"],
          outcome.get("http_status"), outcome.get("error"), run_id])
    ids = pd.DataFrame({"entry_id": list(dict.fromkeys(outcome.get("new_entry_ids") or []))},
                       dtype="string")
    if not ids.empty:
        con.register("new_source_entries", ids)
        try:
            run_sql(con, """
                insert or ignore into ops_source_entries
                select ?, entry_id, ?, now() from new_source_entries
            """, [name, run_id])
        finally:
            con.unregister("new_source_entries")
