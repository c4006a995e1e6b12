"""Create and migrate the warehouse schema: tables, their grain, and the analyst views."""

from __future__ import annotations

import duckdb

from warehouse.sql import run_sql

__all__ = ["SCHEMA_VERSION", "TABLES", "VIEWS", "migrate"]

# Each migration runs once, in order, inside a transaction; never edit one that has shipped:
# append a new one instead.
MIGRATIONS: list[str] = [
    """
    -- grain: one row per distinct article (identity = hash of its normalised text)
    create table if not exists raw_articles (
        article_id varchar primary key,
        source_id varchar,
        title varchar,
        text varchar not null,
        published_date date,
        published_source varchar not null,
        url varchar,
        source varchar,
        input_path varchar,
        char_count integer not null,
        sentence_count integer not null,
        extractor_version varchar not null,
        _run_id varchar not null,
        _loaded_at timestamp not null
    );

    -- grain: one row per named-entity mention (person, organisation, place, group) in an article
    create table if not exists fct_mentions (
        mention_id varchar primary key,
        article_id varchar not null,
        sentence_index integer not null,
        start_char integer not null,
        end_char integer not null,
        mention_text varchar not null,
        label varchar not null,
        entity_id varchar not null,
        entity_name varchar not null,
        place_id varchar,
        place_name varchar,
        country_iso3 varchar,
        admin1 varchar,
        lat double,
        lon double,
        geonames_id bigint,
        place_feature varchar,
        place_precision varchar,
        has_dq_warning boolean not null default false,
        extractor_version varchar not null,
        run_id varchar not null
    );

    -- grain: one row per date or time expression in an article
    create table if not exists fct_dates (
        date_id varchar primary key,
        article_id varchar not null,
        sentence_index integer not null,
        start_char integer not null,
        end_char integer not null,
        date_text varchar not null,
        timex_type varchar,
        timex_value varchar,
        date_precision varchar,
        date_rule varchar,
        resolved_date date,
        has_dq_warning boolean not null default false,
        extractor_version varchar not null,
        run_id varchar not null
    );

    -- grain: one row per count of people or things tied to the noun it counts
    create table if not exists fct_headcounts (
        headcount_id varchar primary key,
        article_id varchar not null,
        sentence_index integer not null,
        start_char integer not null,
        end_char integer not null,
        headcount_text varchar not null,
        low bigint,
        high bigint,
        qualifier varchar,
        category varchar,
        unit varchar,
        actor varchar,
        has_dq_warning boolean not null default false,
        extractor_version varchar not null,
        run_id varchar not null
    );

    -- grain: one row per extracted event mention (a trigger with its arguments) in an article
    create table if not exists fct_events (
        event_id varchar primary key,
        article_id varchar not null,
        sentence_index integer not null,
        start_char integer not null,
        end_char integer not null,
        trigger_text varchar not null,
        event_type varchar not null,
        cameo_code varchar,
        actor1 varchar,
        actor2 varchar,
        place varchar,
        date_text varchar,
        event_date date,
        sentence_text varchar,
        has_dq_warning boolean not null default false,
        extractor_version varchar not null,
        run_id varchar not null
    );

    -- grain: one row per distinct person name seen in published mentions
    create table if not exists dim_people (
        person_id varchar primary key,
        name varchar not null,
        mention_count integer not null,
        article_count integer not null,
        first_seen_date date,
        last_seen_date date
    );

    -- grain: one row per distinct organisation name seen in published mentions
    create table if not exists dim_organizations (
        organization_id varchar primary key,
        name varchar not null,
        mention_count integer not null,
        article_count integer not null,
        first_seen_date date,
        last_seen_date date
    );

    -- grain: one row per resolved place (gazetteer entry, or name when unresolved)
    create table if not exists dim_places (
        place_id varchar primary key,
        name varchar not null,
        country_iso3 varchar,
        admin1 varchar,
        lat double,
        lon double,
        geonames_id bigint,
        feature varchar,
        place_precision varchar,
        aliases varchar[],
        mention_count integer not null,
        article_count integer not null
    );

    -- grain: one row per expectation evaluated per validated batch
    create table if not exists dq_results (
        run_id varchar not null,
        batch_index integer not null,
        suite varchar not null,
        expectation varchar not null,
        column_name varchar,
        severity varchar not null,
        success boolean not null,
        element_count bigint,
        unexpected_count bigint,
        observed_value varchar,
        validated_at timestamp not null
    );

    -- grain: one row per pipeline run
    create table if not exists ops_runs (
        run_id varchar primary key,
        flow_run_id varchar,
        started_at timestamp not null,
        finished_at timestamp,
        status varchar not null,
        input_paths varchar[],
        articles_in integer,
        articles_new integer,
        articles_already_loaded integer,
        articles_duplicate integer,
        articles_loaded integer,
        articles_quarantined integer,
        mentions_published integer,
        events_published integer,
        dates_published integer,
        headcounts_published integer,
        rows_quarantined integer,
        checks_evaluated integer,
        checks_passed integer,
        extractor_version varchar,
        spacy_model varchar,
        spacy_model_version varchar,
        report_path varchar,
        error_message varchar
    );

    -- grain: one row per rejected input or rejected staged row, kept with the reason
    create table if not exists quarantine_rows (
        quarantine_id varchar primary key,
        run_id varchar not null,
        stage varchar not null,
        table_name varchar not null,
        row_id varchar,
        article_id varchar,
        input_path varchar,
        input_line integer,
        check_name varchar not null,
        severity varchar not null,
        reason varchar not null,
        offending_values varchar,
        payload varchar,
        quarantined_at timestamp not null,
        released_at timestamp
    );
    """,
    """
    -- how each event got its date, and whether it is reported as having happened
    alter table fct_events add column event_date_precision varchar;
    alter table fct_events add column event_date_rule varchar;
    alter table fct_events add column event_mode varchar;
    alter table fct_events add column event_tense varchar;
    """,
    """
    -- where each event happened, resolved, and which evidence placed it
    alter table fct_events add column place_name varchar;
    alter table fct_events add column country_iso3 varchar;
    alter table fct_events add column lat double;
    alter table fct_events add column lon double;
    alter table fct_events add column geonames_id bigint;
    alter table fct_events add column place_rule varchar;
    """,
    """
    -- a released row's article is re-submitted by the next run; this records which run did it
    alter table quarantine_rows add column resubmitted_run_id varchar;
    """,
    """
    -- grain: one row per configured source (feed, page, folder, jsonl), keyed by its name
    create table if not exists ops_source_state (
        source_name varchar primary key,
        kind varchar not null,
        location varchar not null,
        etag varchar,
        last_modified varchar,
        content_sha256 varchar,
        last_status varchar not null,
        last_http_status integer,
        last_error varchar,
        consecutive_failures integer not null default 0,
        last_run_id varchar not null,
        last_fetched_at timestamp not null,
        last_success_at timestamp
    );

    -- grain: one row per feed entry (or page) id seen per source, so it is not read twice
    create table if not exists ops_source_entries (
        source_name varchar not null,
        entry_id varchar not null,
        first_run_id varchar not null,
        first_seen_at timestamp not null,
        primary key (source_name, entry_id)
    );

    -- grain: one row per failed fetch of a source in a run (down, slow, HTTP error, too big);
    -- kept here, not in quarantine_rows: nothing was received, and the next run tries again
    create table if not exists ops_source_errors (
        run_id varchar not null,
        source_name varchar not null,
        location varchar not null,
        error_message varchar not null,
        failed_at timestamp not null
    );
    """,
    """
    -- a headcount's plausibility flag, whether it sums a period (a tally, not one incident),
    -- and the event it belongs to with that event's place/date
    alter table fct_headcounts add column needs_review boolean not null default false;
    alter table fct_headcounts add column is_tally boolean not null default false;
    alter table fct_headcounts add column event_id varchar;
    alter table fct_headcounts add column event_date date;
    alter table fct_headcounts add column place_name varchar;
    alter table fct_headcounts add column country_iso3 varchar;
    """,
    """
    -- actors: each person/organisation mention's sector (its country goes in country_iso3),
    -- the roles articles state, and cross-article identity (canonical actors and their aliases)
    alter table fct_mentions add column sector varchar;

    -- grain: one row per role fact (person, title, organisation, country) stated in an article,
    -- dated by the article's publication date because roles change over time
    create table if not exists fct_roles (
        role_id varchar primary key,
        article_id varchar not null,
        sentence_index integer not null,
        start_char integer not null,
        end_char integer not null,
        evidence_text varchar not null,
        person_entity_id varchar not null,
        person_name varchar not null,
        person_start_char integer,
        person_end_char integer,
        title varchar not null,
        organization_entity_id varchar,
        organization_name varchar,
        country_iso3 varchar,
        sector varchar,
        role_rule varchar not null,
        organization_rule varchar,
        is_former boolean not null default false,
        role_date date,
        has_dq_warning boolean not null default false,
        extractor_version varchar not null,
        run_id varchar not null
    );

    alter table dim_people add column aliases varchar[];
    alter table dim_people add column country_iso3 varchar;
    alter table dim_people add column sector varchar;
    alter table dim_people add column roles varchar[];
    alter table dim_people add column event_count integer;
    alter table dim_organizations add column aliases varchar[];
    alter table dim_organizations add column country_iso3 varchar;
    alter table dim_organizations add column sector varchar;
    alter table dim_organizations add column roles varchar[];
    alter table dim_organizations add column event_count integer;

    -- grain: one row per alias (case-folded name) per canonical person or organisation, with
    -- why it was merged into that actor
    create table if not exists dim_actor_aliases (
        alias varchar not null,
        actor_id varchar not null,
        actor_kind varchar not null,
        alias_kind varchar not null,
        merge_reason varchar not null,
        mention_count integer not null,
        article_count integer not null,
        primary key (alias, actor_id)
    );

    -- grain: one row per article-level entity (fct_mentions.entity_id) of a person or
    -- organisation, resolved to its canonical actor
    create table if not exists dim_actor_entities (
        entity_id varchar primary key,
        actor_id varchar not null,
        actor_kind varchar not null,
        article_id varchar not null,
        entity_name varchar not null,
        merge_reason varchar not null
    );
    """,
    """
    -- events: each actor's article-level entity, country and sector, and who reported the event
    alter table fct_events add column actor1_entity_id varchar;
    alter table fct_events add column actor1_country_iso3 varchar;
    alter table fct_events add column actor1_sector varchar;
    alter table fct_events add column actor2_entity_id varchar;
    alter table fct_events add column actor2_country_iso3 varchar;
    alter table fct_events add column actor2_sector varchar;
    alter table fct_events add column reported_by varchar;
    alter table fct_events add column reported_by_entity_id varchar;
    """,
    """
    -- headcounts: which side the counted people are on (civilians, security_forces, military,
    -- armed_group; null when the text does not say), for civilian-vs-combatant tolls
    alter table fct_headcounts add column victim_type varchar;
    """,
    """
    -- headcounts: the toll of a natural disaster, a disease or an accident (null: an act of
    -- violence, or the text does not say), so violence tolls can leave the others out
    alter table fct_headcounts add column cause varchar;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

TABLES = ("raw_articles", "fct_mentions", "fct_dates", "fct_headcounts", "fct_events",
          "dim_people", "dim_organizations", "dim_places", "dq_results", "ops_runs",
          "quarantine_rows", "ops_source_state", "ops_source_entries", "ops_source_errors",
          "fct_roles", "dim_actor_aliases", "dim_actor_entities")
VIEWS = ("events", "event_clusters", "people", "organizations", "places", "dates", "headcounts")


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations and (re)create the views if stale; return the schema version."""
    run_sql(con, """
        create table if not exists ops_schema_migrations (
            version integer primary key, applied_at timestamp not null
        )""")
    applied = con.execute("select coalesce(max(version), 0) from ops_schema_migrations").fetchall()[0][0]
    for version, ddl in enumerate(MIGRATIONS, start=1):
        if version <= applied:
            continue
        run_sql(con, "begin transaction")
        try:
            run_sql(con, ddl)
            run_sql(con, "insert into ops_schema_migrations values (?, now())", [version])
            run_sql(con, "commit")
        except Exception:
            run_sql(con, "rollback")
            raise
    from warehouse.views import create_views, views_are_current

    if applied < SCHEMA_VERSION or not views_are_current(con):
        create_views(con)
    return SCHEMA_VERSION
