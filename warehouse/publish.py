"""Write-audit-publish: load a validated batch into fct_/dim_ tables in one transaction.

Rows that failed an error-severity check go to `quarantine_rows` with the check's name and the
offending values; warning-severity failures are published with `has_dq_warning`. A failure
anywhere rolls the whole batch back, so the warehouse never shows half a batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from warehouse.dims import refresh_dims
from warehouse.pause import pause_point
from warehouse.staging import KEYS, STAGED_TABLES
from warehouse.sql import run_sql

__all__ = ["PublishCounts", "publish_batch"]

FACT_OF = {"stg_articles": "raw_articles", "stg_mentions": "fct_mentions",
           "stg_dates": "fct_dates", "stg_headcounts": "fct_headcounts",
           "stg_events": "fct_events", "stg_roles": "fct_roles"}

PUBLISH_SQL = {
    "raw_articles": """
        insert into raw_articles
        select article_id, source_id, title, text, published_date, published_source, url,
               source, input_path, char_count, sentence_count, ? as extractor_version,
               run_id as _run_id, now() as _loaded_at
        from stg_articles
        where article_id not in (select row_id from publish_rejected)
          and article_id not in (select article_id from raw_articles)
    """,
    "fct_mentions": """
        insert or ignore into fct_mentions
        select mention_id, article_id, sentence_index, start_char, end_char, mention_text, label,
               entity_id, entity_name, place_id, place_name, country_iso3, admin1, lat, lon,
               geonames_id, place_feature, place_precision,
               mention_id in (select row_id from publish_warned) as has_dq_warning,
               ? as extractor_version, run_id, sector
        from stg_mentions
    """,
    "fct_dates": """
        insert or ignore into fct_dates
        select date_id, article_id, sentence_index, start_char, end_char, date_text, timex_type,
               timex_value, date_precision, date_rule, resolved_date,
               date_id in (select row_id from publish_warned) as has_dq_warning,
               ? as extractor_version, run_id
        from stg_dates
    """,
    "fct_headcounts": """
        insert or ignore into fct_headcounts
        select headcount_id, article_id, sentence_index, start_char, end_char, headcount_text,
               low, high, qualifier, category, unit, actor,
               headcount_id in (select row_id from publish_warned) as has_dq_warning,
               ? as extractor_version, run_id,
               -- in fct_headcounts' column order (added by a migration)
               needs_review, is_tally, event_id, event_date, place_name, country_iso3,
               victim_type, cause
        from stg_headcounts
    """,
    "fct_events": """
        insert or ignore into fct_events
        select event_id, article_id, sentence_index, start_char, end_char, trigger_text,
               event_type, cameo_code, actor1, actor2, place, date_text, event_date,
               sentence_text,
               event_id in (select row_id from publish_warned) as has_dq_warning,
               ? as extractor_version, run_id,
               event_date_precision, event_date_rule, event_mode, event_tense,
               place_name, country_iso3, lat, lon, geonames_id, place_rule,
               actor1_entity_id, actor1_country_iso3, actor1_sector, actor2_entity_id,
               actor2_country_iso3, actor2_sector, reported_by, reported_by_entity_id
        from stg_events
    """,
    "fct_roles": """
        insert or ignore into fct_roles by name
        select role_id, article_id, sentence_index, start_char, end_char, evidence_text,
               person_entity_id, person_name, person_start_char, person_end_char, title,
               organization_entity_id, organization_name, country_iso3, sector, role_rule,
               organization_rule, is_former, role_date,
               role_id in (select row_id from publish_warned) as has_dq_warning,
               ? as extractor_version, run_id
        from stg_roles
    """,
}


@dataclass
class PublishCounts:
    """Rows published per fact table and rows quarantined for one batch."""

    published: dict[str, int]
    quarantined_rows: int
    quarantined_articles: int
    resubmitted_articles: int = 0


def _failures(failed_rows: dict[str, pd.DataFrame], severity: str) -> pd.DataFrame:
    """Stack the per-table failure frames of one severity into (table_name, row_id, ...)."""
    parts = []
    for table, frame in failed_rows.items():
        if frame is None or frame.empty:
            continue
        part = frame[frame["severity"] == severity].copy()
        part["table_name"] = table
        part["row_id"] = part[KEYS[table]].astype(str)
        if "row_number" not in part:
            part["row_number"] = None
        parts.append(part[FAILURE_COLUMNS])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FAILURE_COLUMNS)


FAILURE_COLUMNS = ["table_name", "row_id", "row_number", "expectation", "severity", "offending"]


def _quarantine_frame(frames: dict[str, pd.DataFrame], errors: pd.DataFrame, run_id: str) -> pd.DataFrame:
    """Build quarantine rows for the failed staged rows, with each row's payload as JSON."""
    records = []
    # A duplicated key fails on every copy: each copy is kept, told apart by its position.
    repeated = errors.duplicated(["table_name", "row_id", "expectation"], keep=False)
    for failure, is_repeated in zip(errors.itertuples(index=False), repeated, strict=True):
        frame = frames[failure.table_name]
        if failure.row_number is not None and not pd.isna(failure.row_number):
            payload = frame.iloc[int(failure.row_number)].to_dict()
        else:
            row = frame[frame[KEYS[failure.table_name]].astype(str) == failure.row_id]
            payload = row.iloc[0].to_dict() if len(row) else {}
        suffix = f"#{int(failure.row_number)}" if is_repeated else ""
        records.append({
            "quarantine_id": f"{failure.table_name}:{failure.row_id}:{failure.expectation}{suffix}",
            "run_id": run_id, "stage": "validation", "table_name": failure.table_name,
            "row_id": failure.row_id, "article_id": payload.get("article_id"),
            "input_path": payload.get("input_path"), "input_line": None,
            "check_name": failure.expectation, "severity": failure.severity,
            "reason": f"failed {failure.expectation}",
            "offending_values": failure.offending,
            "payload": json.dumps(payload, default=str, ensure_ascii=False)})
    return pd.DataFrame.from_records(records, columns=QUARANTINE_COLUMNS)


QUARANTINE_COLUMNS = ["quarantine_id", "run_id", "stage", "table_name", "row_id", "article_id",
                      "input_path", "input_line", "check_name", "severity", "reason",
                      "offending_values", "payload"]


def insert_quarantine(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> int:
    """Insert quarantine rows not already there (same id); return how many were new."""
    if rows.empty:
        return 0
    con.register("quarantine_batch", rows)
    # A released row that fails again after re-submission goes back into quarantine.
    run_sql(con, """
        update quarantine_rows
        set released_at = null, run_id = quarantine_batch.run_id, quarantined_at = now(),
            offending_values = quarantine_batch.offending_values,
            payload = quarantine_batch.payload
        from quarantine_batch
        where quarantine_rows.quarantine_id = quarantine_batch.quarantine_id
          and quarantine_rows.released_at is not null
    """)
    inserted = con.execute("""
        insert into quarantine_rows by name
        select quarantine_batch.*, now() as quarantined_at
        from quarantine_batch
        where quarantine_id not in (select quarantine_id from quarantine_rows)
    """).fetchall()[0][0]  # an insert answers with the rows it wrote
    con.unregister("quarantine_batch")
    return inserted


def publish_batch(con: duckdb.DuckDBPyConnection, run_id: str, batch_index: int,
                  frames: dict[str, pd.DataFrame], failed_rows: dict[str, pd.DataFrame],
                  dq_results: list[dict], extractor_version: str) -> PublishCounts:
    """Stage, then publish what passed and quarantine what failed, all in one transaction."""
    errors = _failures(failed_rows, "error")
    warned = _failures(failed_rows, "warning")
    rejected_articles = set(errors.loc[errors["table_name"] == "stg_articles", "row_id"])
    run_sql(con, "begin transaction")
    try:
        con.register("publish_errors", errors)
        con.register("publish_warned", warned[["row_id"]])
        run_sql(con, """
            create or replace temp table publish_rejected as
            select row_id from publish_errors
        """)
        for table in STAGED_TABLES:
            con.register(f"{table}_frame", frames[table])
            run_sql(con, f"create or replace table {table} as select * from {table}_frame"
                         f"{_passing_only(table, errors)}")
            con.unregister(f"{table}_frame")
        resubmitted = _mark_resubmitted(con, run_id)
        published = {}
        for stg_table, fact_table in FACT_OF.items():
            # an insert answers with the rows it wrote (ignored ids not counted)
            published[fact_table] = con.execute(
                PUBLISH_SQL[fact_table], [extractor_version]).fetchall()[0][0]
        quarantined = insert_quarantine(con, _quarantine_frame(frames, errors, run_id))
        _insert_dq_results(con, run_id, batch_index, dq_results)
        refresh_dims(con, frames["stg_articles"]["article_id"].tolist())  # only what it changes
        con.unregister("publish_errors")
        con.unregister("publish_warned")
        pause_point("publish", batch_index)  # crash tests only; inert unless set
        run_sql(con, "commit")
    except Exception:
        run_sql(con, "rollback")
        raise
    return PublishCounts(published, quarantined, len(rejected_articles), resubmitted)


def _passing_only(table: str, errors: pd.DataFrame) -> str:
    """The filter keeping a staged table's rows that may publish ("" when all may).

    An article that fails takes its facts with it; a fact that fails goes alone. Staging
    only those rows equals staging all and deleting the others (the rows a delete with this
    condition removes are exactly those for which it is true), in one statement, not two.
    """
    if table == STAGED_TABLES[0] or errors.empty:
        return ""
    return f"""
        where ({KEYS[table]} in (select row_id from publish_rejected)
               or article_id in (select row_id from publish_errors
                                 where table_name = 'stg_articles')) is not true
    """


def _mark_resubmitted(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Record that this run re-submitted released rows' articles; return how many articles.

    Such an article is already in raw_articles: only its rows that failed before (and pass
    now) are new, because fact ids are deterministic and inserts ignore existing ids.
    """
    pending = con.execute("""
        select count(*) from quarantine_rows
        where stage = 'validation' and released_at is not null and resubmitted_run_id is null
    """).fetchall()[0][0]
    if not pending:  # nothing released awaits a re-run (the usual case): nothing to mark
        return 0
    count = con.execute("""
        select count(distinct article_id) from quarantine_rows
        where stage = 'validation' and released_at is not null and resubmitted_run_id is null
          and article_id in (select article_id from stg_articles)
          and article_id in (select article_id from raw_articles)
    """).fetchall()[0][0]
    run_sql(con, """
        update quarantine_rows set resubmitted_run_id = ?
        where stage = 'validation' and released_at is not null and resubmitted_run_id is null
          and article_id in (select article_id from stg_articles)
    """, [run_id])
    return count


def _insert_dq_results(con: duckdb.DuckDBPyConnection, run_id: str, batch_index: int,
                       results: list[dict]) -> None:
    if not results:
        return
    frame = pd.DataFrame([{
        "run_id": run_id, "batch_index": batch_index, "suite": r["suite"],
        "expectation": r["expectation"], "column_name": r.get("column"),
        "severity": r["severity"], "success": bool(r["success"]),
        "element_count": r.get("element_count"), "unexpected_count": r.get("unexpected_count"),
        "observed_value": None if r.get("observed_value") is None else str(r["observed_value"]),
    } for r in results])
    con.register("dq_batch", frame)
    run_sql(con, "insert into dq_results select *, now() as validated_at from dq_batch")
    con.unregister("dq_batch")
