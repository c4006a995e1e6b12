"""The report's queries: one function per section, each returning a DataFrame.

Read-only SQL against published tables and the quality log (`ops_runs`, `dq_results`,
`quarantine_rows`); `newsdesk report` renders the frames (expectations.report). Quarantined
payloads are parsed in Python, not SQL: they are JSON written by pandas and may hold `NaN`,
which DuckDB's JSON reader rejects.
"""

from __future__ import annotations

import json
import math
from typing import Any

import duckdb
import pandas as pd

__all__ = ["REPORT_SECTIONS", "event_places", "events_timeline", "failing_checks",
           "failing_examples", "flagged_examples", "headcounts_by_category", "victims_by_side",
           "headcounts_for_review", "overview",
           "rejected_inputs", "report_frames", "run_history", "top_actors", "top_dyads"]


def overview(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return one row of headline counts: articles, events, quarantine, runs."""
    return con.execute("""
        with articles as (
            select count(*) as articles from raw_articles
        ),
        events as (
            select count(*) as events, count(lat) as located_events,
                   min(event_date) as first_event_date, max(event_date) as last_event_date
            from events
        ),
        quarantine as (
            select count(*) filter (where released_at is null) as quarantined_open,
                   count(*) filter (where released_at is not null) as quarantined_released
            from quarantine_rows
        ),
        run_ids as (
            select run_id from ops_runs
            union
            select run_id from dq_results
        ),
        runs as (
            select count(*) as runs from run_ids
        ),
        final as (
            select * from articles, events, quarantine, runs
        )
        select * from final
    """).df()


def run_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return one row per run, oldest first: articles in/new/quarantined and checks passed.

    Runs known only from `dq_results` (a batch published outside the flow) are kept, dated by
    their first validation.
    """
    return con.execute("""
        with runs as (
            select run_id, started_at, status, articles_in, articles_new,
                   articles_quarantined, rows_quarantined
            from ops_runs
        ),
        checks as (
            select run_id,
                   min(validated_at) as first_validated_at,
                   count(*) as checks_evaluated,
                   count(*) filter (where success) as checks_passed,
                   count(*) filter (where not success and severity = 'error') as errors_failed,
                   count(*) filter (where not success and severity <> 'error') as warnings_failed
            from dq_results
            group by run_id
        ),
        quarantined as (
            select run_id, count(*) as rows_quarantined
            from quarantine_rows
            group by run_id
        ),
        final as (
            select
                coalesce(runs.run_id, checks.run_id) as run_id,
                coalesce(runs.started_at, checks.first_validated_at) as started_at,
                coalesce(runs.status, 'validated') as status,
                runs.articles_in,
                runs.articles_new,
                runs.articles_quarantined,
                coalesce(runs.rows_quarantined, quarantined.rows_quarantined, 0)
                    as rows_quarantined,
                coalesce(checks.checks_evaluated, 0) as checks_evaluated,
                coalesce(checks.checks_passed, 0) as checks_passed,
                coalesce(checks.errors_failed, 0) as errors_failed,
                coalesce(checks.warnings_failed, 0) as warnings_failed
            from runs
            full outer join checks on checks.run_id = runs.run_id
            left join quarantined on quarantined.run_id = coalesce(runs.run_id, checks.run_id)
        )
        select * from final
        order by started_at, run_id
    """).df()


def events_timeline(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return event counts per event date and type (undated events are left out)."""
    return con.execute("""
        with dated_events as (
            select event_date, event_type from events where event_date is not null
        ),
        final as (
            select event_date, event_type, count(*) as events
            from dated_events
            group by event_date, event_type
        )
        select * from final
        order by event_date, event_type
    """).df()


def event_places(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return one row per located place with its event count and event types.

    An event's coordinates are its own (resolved at extraction); older rows without them fall
    back to the article's place mention with the same text.
    """
    return con.execute("""
        with event_rows as (
            select event_id, article_id, event_type, place, place_name, country_iso3, lat, lon
            from events
            where place is not null
        ),
        place_mentions as (
            select article_id, lower(mention_text) as mention_key,
                   any_value(place_name) as place_name, any_value(country_iso3) as country_iso3,
                   any_value(lat) as lat, any_value(lon) as lon
            from fct_mentions
            where label = 'PLACE' and lat is not null and lon is not null
            group by article_id, lower(mention_text)
        ),
        located as (
            select
                event_rows.event_id,
                event_rows.event_type,
                coalesce(event_rows.place_name, place_mentions.place_name, event_rows.place)
                    as place_name,
                coalesce(event_rows.country_iso3, place_mentions.country_iso3) as country_iso3,
                case when event_rows.lat is not null then event_rows.lat
                     else place_mentions.lat end as lat,
                case when event_rows.lat is not null then event_rows.lon
                     else place_mentions.lon end as lon
            from event_rows
            left join place_mentions
                on place_mentions.article_id = event_rows.article_id
               and place_mentions.mention_key = lower(event_rows.place)
        ),
        final as (
            select
                place_name,
                country_iso3,
                round(lat, 3) as lat,
                round(lon, 3) as lon,
                count(*) as events,
                mode(event_type) as main_event_type,
                string_agg(distinct event_type, ', ' order by event_type) as event_types
            from located
            where lat is not null and lon is not null
            group by place_name, country_iso3, round(lat, 3), round(lon, 3)
        )
        select * from final
        order by events desc, place_name
    """).df()


def top_actors(con: duckdb.DuckDBPyConnection, limit: int = 15) -> pd.DataFrame:
    """Return the actors in most events, as source (actor1) and as target (actor2)."""
    return con.execute("""
        with roles as (
            select actor1 as actor, 'source' as role from events where actor1 is not null
            union all
            select actor2 as actor, 'target' as role from events where actor2 is not null
        ),
        final as (
            select
                actor,
                count(*) filter (where role = 'source') as as_source,
                count(*) filter (where role = 'target') as as_target,
                count(*) as events
            from roles
            group by actor
        )
        select * from final
        order by events desc, actor
        limit ?
    """, [limit]).df()


def top_dyads(con: duckdb.DuckDBPyConnection, limit: int = 15) -> pd.DataFrame:
    """Return the most frequent actor1 → actor2 pairs with their event types."""
    return con.execute("""
        with pairs as (
            select actor1, actor2, event_type
            from events
            where actor1 is not null and actor2 is not null
        ),
        final as (
            select actor1, actor2, count(*) as events,
                   string_agg(distinct event_type, ', ' order by event_type) as event_types
            from pairs
            group by actor1, actor2
        )
        select * from final
        order by events desc, actor1, actor2
        limit ?
    """, [limit]).df()


def headcounts_by_category(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return per category: how many counts were reported and the people they add up to.

    Sums add counts from different articles, which may report the same people twice: read
    them as an upper bound on scale, not a toll.
    """
    return con.execute("""
        with counts as (
            select coalesce(category, 'unknown') as category, low, high from headcounts
        ),
        final as (
            select
                category,
                count(*) as headcounts,
                sum(coalesce(low, high)) as people_low,
                sum(coalesce(high, low)) as people_high,
                max(coalesce(high, low)) as largest
            from counts
            group by category
        )
        select * from final
        order by headcounts desc, category
    """).df()


def victims_by_side(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return victim counts (killed, injured, kidnapped, ...) per side and category.

    The side is the headcount's `victim_type` (civilians, security forces, military, armed
    group; "unknown" when the text names none), what ACLED's civilian targeting and analysts'
    "how many civilians, how many soldiers" ask. Tallies ("630 killed in November") are left
    out: they sum other reports; so are tolls of a natural disaster, a disease or an accident
    (`cause`): nobody's side did it. Sums are scale, not a toll, as in `headcounts_by_category`.
    """
    return con.execute("""
        with victims as (
            select coalesce(victim_type, 'unknown') as side, category, low, high
            from headcounts
            where category in ('killed', 'injured', 'kidnapped', 'arrested', 'missing',
                               'displaced')
              and not is_tally
              and cause is null
        ),
        final as (
            select
                side,
                category,
                count(*) as headcounts,
                sum(coalesce(low, high)) as people_low,
                sum(coalesce(high, low)) as people_high
            from victims
            group by side, category
        )
        select * from final
        order by side = 'unknown', side, headcounts desc, category
    """).df()


def headcounts_for_review(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pd.DataFrame:
    """Return the headcounts above their category's plausibility threshold, largest first."""
    return con.execute("""
        with flagged as (
            select * from headcounts where needs_review
        ),
        final as (
            select headcount_text, category, low, high, coalesce(high, low) as largest,
                   article_title, article_id, published_date
            from flagged
        )
        select * from final
        order by largest desc, article_id
        limit ?
    """, [limit]).df()


def failing_checks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every expectation that ever failed: runs failed, rows failed, last outcome."""
    return con.execute("""
        with results as (
            select * from dq_results
        ),
        per_check as (
            select
                suite,
                expectation,
                severity,
                count(distinct run_id) filter (where not success) as runs_failed,
                count(distinct run_id) as runs_evaluated,
                sum(unexpected_count) filter (where not success) as rows_failed,
                max(validated_at) filter (where not success) as last_failed_at,
                arg_max(run_id, validated_at) filter (where not success) as last_failed_run_id,
                arg_max(observed_value, validated_at) filter (where not success)
                    as last_observed_value,
                arg_max(success, validated_at) as passed_last_time
            from results
            group by suite, expectation, severity
        ),
        final as (
            select * from per_check where runs_failed > 0
        )
        select * from final
        order by severity = 'error' desc, passed_last_time, rows_failed desc, suite, expectation
    """).df()


def failing_examples(con: duckdb.DuckDBPyConnection, per_check: int = 3) -> pd.DataFrame:
    """Return up to `per_check` quarantined rows per (table, check), with article and offsets.

    Adds `article_title`, `article_text` (published, else the quarantined article's payload),
    and `start_char`, `end_char`, `sentence_text` parsed from the row's payload.
    """
    frame = con.execute("""
        with quarantined as (
            select * from quarantine_rows where stage = 'validation'
        ),
        ranked as (
            select
                *,
                row_number() over (
                    partition by table_name, check_name
                    order by quarantined_at desc, quarantine_id
                ) as example_rank
            from quarantined
        ),
        published_articles as (
            select article_id, title, text from raw_articles
        ),
        quarantined_articles as (
            select row_id as article_id, any_value(payload) as article_payload
            from quarantined
            where table_name = 'stg_articles'
            group by row_id
        ),
        final as (
            select
                ranked.quarantine_id,
                ranked.run_id,
                ranked.table_name,
                ranked.row_id,
                ranked.article_id,
                ranked.check_name,
                ranked.severity,
                ranked.offending_values,
                ranked.payload,
                ranked.quarantined_at,
                ranked.released_at,
                published_articles.title as article_title,
                published_articles.text as article_text,
                quarantined_articles.article_payload
            from ranked
            left join published_articles on published_articles.article_id = ranked.article_id
            left join quarantined_articles
                on quarantined_articles.article_id = ranked.article_id
            where ranked.example_rank <= ?
        )
        select * from final
        order by severity = 'error' desc, table_name, check_name, quarantined_at desc
    """, [per_check]).df()
    return _with_payload_fields(frame)


def flagged_examples(con: duckdb.DuckDBPyConnection, per_table: int = 3) -> pd.DataFrame:
    """Return up to `per_table` published rows flagged by a warning, per fact table."""
    return con.execute("""
        with flagged as (
            select 'stg_mentions' as table_name, mention_id as row_id, article_id, run_id,
                   start_char, end_char, mention_text as item_text, null as sentence_text
            from fct_mentions where has_dq_warning
            union all
            select 'stg_dates', date_id, article_id, run_id, start_char, end_char, date_text,
                   null
            from fct_dates where has_dq_warning
            union all
            select 'stg_headcounts', headcount_id, article_id, run_id, start_char, end_char,
                   headcount_text, null
            from fct_headcounts where has_dq_warning
            union all
            select 'stg_events', event_id, article_id, run_id, start_char, end_char,
                   trigger_text, sentence_text
            from fct_events where has_dq_warning
        ),
        ranked as (
            select *, row_number() over (
                partition by table_name order by run_id desc, row_id
            ) as example_rank
            from flagged
        ),
        final as (
            select ranked.table_name, ranked.row_id, ranked.article_id, ranked.run_id,
                   ranked.start_char, ranked.end_char, ranked.item_text, ranked.sentence_text,
                   raw_articles.title as article_title, raw_articles.text as article_text
            from ranked
            left join raw_articles on raw_articles.article_id = ranked.article_id
            where ranked.example_rank <= ?
        )
        select * from final
        order by table_name, row_id
    """, [per_table]).df()


def rejected_inputs(con: duckdb.DuckDBPyConnection, limit: int = 20) -> pd.DataFrame:
    """Return inputs that could not be read as articles, newest first."""
    return con.execute("""
        with rejected as (
            select * from quarantine_rows where stage = 'input'
        ),
        final as (
            select quarantine_id, run_id, input_path, input_line, reason, quarantined_at,
                   released_at
            from rejected
        )
        select * from final
        order by quarantined_at desc, input_path, input_line
        limit ?
    """, [limit]).df()


#: Section name -> query; `report_frames` runs them all.
REPORT_SECTIONS = {
    "overview": overview,
    "run_history": run_history,
    "events_timeline": events_timeline,
    "event_places": event_places,
    "top_actors": top_actors,
    "top_dyads": top_dyads,
    "headcounts": headcounts_by_category,
    "victims_by_side": victims_by_side,
    "headcounts_for_review": headcounts_for_review,
    "failing_checks": failing_checks,
    "failing_examples": failing_examples,
    "flagged_examples": flagged_examples,
    "rejected_inputs": rejected_inputs,
}


def report_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Run every report query; return the frames keyed by section name."""
    return {name: query(con) for name, query in REPORT_SECTIONS.items()}


def _with_payload_fields(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill offsets, sentence text and (for quarantined articles) title and text from JSON."""
    frame = frame.copy()
    payloads = [_loads(p) for p in frame["payload"]]
    articles = [_loads(p) for p in frame["article_payload"]]
    frame["start_char"] = pd.array([_int(p.get("start_char")) for p in payloads], dtype="Int64")
    frame["end_char"] = pd.array([_int(p.get("end_char")) for p in payloads], dtype="Int64")
    frame["sentence_text"] = [_text(p.get("sentence_text")) for p in payloads]
    frame["item_text"] = [next((_text(p.get(k)) for k in _ITEM_TEXT if _text(p.get(k))), None)
                          for p in payloads]
    own = [p if table == "stg_articles" else a
           for p, a, table in zip(payloads, articles, frame["table_name"])]
    frame["article_title"] = [t if isinstance(t, str) else _text(a.get("title"))
                              for t, a in zip(frame["article_title"], own)]
    frame["article_text"] = [t if isinstance(t, str) else _text(a.get("text"))
                             for t, a in zip(frame["article_text"], own)]
    return frame.drop(columns=["payload", "article_payload"])


_ITEM_TEXT = ("trigger_text", "mention_text", "date_text", "headcount_text")


def _loads(value: Any) -> dict:
    if not isinstance(value, str):
        return {}
    try:
        loaded = json.loads(value)  # Python's reader accepts the NaN pandas may have written
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value not in ("<NA>", "nan", "None") else None
