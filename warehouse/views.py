"""Analyst-facing views: plain names, one row per thing an analyst counts, readable columns."""

from __future__ import annotations

import hashlib

import duckdb

from warehouse.sql import run_sql

__all__ = ["create_views", "views_are_current"]

#: Cluster membership must exist before `events` (which joins it) is created.
CLUSTER_SQL = """
    -- one row per event mention with the id of the real-world event it reports. Mentions
    -- cluster when type, both actors and the resolved place agree and their dates are at most
    -- a day apart (gaps and islands); a mention lacking a date, a place or any actor stays alone.
    create or replace view event_cluster_members as
    with mentions as (
        select event_id, event_type, event_date,
               lower(coalesce(actor1, '')) as actor1_key,
               lower(coalesce(actor2, '')) as actor2_key,
               coalesce(place_name, '') as place_key,
               event_date is not null and place_name is not null
                   and (actor1 is not null or actor2 is not null) as is_clusterable
        from fct_events
    ),
    ordered as (
        select *,
               case when event_date - lag(event_date) over dyad_place <= 1 then 0 else 1 end
                   as starts_cluster
        from mentions
        where is_clusterable
        window dyad_place as (partition by event_type, actor1_key, actor2_key, place_key
                              order by event_date, event_id)
    ),
    numbered as (
        select *,
               sum(starts_cluster) over (partition by event_type, actor1_key, actor2_key,
                                         place_key order by event_date, event_id
                                         rows unbounded preceding) as cluster_number
        from ordered
    ),
    final as (
        select event_id,
               'c:' || substr(md5(concat_ws('|', event_type, actor1_key, actor2_key, place_key,
                                            cluster_number)), 1, 16) as event_cluster_id
        from numbered
        union all
        select event_id, 'c:' || event_id as event_cluster_id
        from mentions
        where not is_clusterable
    )
    select * from final
"""

VIEW_SQL = {
    "events": """
        -- one row per published event mention, with its article's date, source and sentence
        create or replace view events as
        with articles as (
            select article_id, title, source, url, published_date from raw_articles
        ),
        event_mentions as (
            select * from fct_events
        ),
        clusters as (
            select event_id, event_cluster_id from event_cluster_members
        ),
        final as (
            select
                event_mentions.event_id,
                clusters.event_cluster_id,
                event_mentions.event_date,
                event_mentions.event_date_precision,
                event_mentions.event_date_rule,
                event_mentions.event_type,
                event_mentions.cameo_code,
                event_mentions.actor1,
                event_mentions.trigger_text as action,
                event_mentions.actor2,
                event_mentions.actor1_country_iso3,
                event_mentions.actor1_sector,
                event_mentions.actor2_country_iso3,
                event_mentions.actor2_sector,
                event_mentions.event_mode as mode,
                event_mentions.reported_by,
                event_mentions.place,
                event_mentions.place_name,
                event_mentions.country_iso3,
                event_mentions.lat,
                event_mentions.lon,
                event_mentions.place_rule,
                event_mentions.date_text,
                event_mentions.sentence_text,
                articles.published_date,
                articles.title as article_title,
                articles.source as article_source,
                articles.url as article_url,
                event_mentions.article_id,
                event_mentions.sentence_index,
                event_mentions.start_char,
                event_mentions.end_char,
                event_mentions.run_id,
                event_mentions.extractor_version
            from event_mentions
            left join articles using (article_id)
            left join clusters using (event_id)
        )
        select * from final
    """,
    "event_clusters": """
        -- one row per real-world event: mentions of the same type, dyad and place within a day
        -- of each other, across articles (like GDELT's NumMentions / NumSources)
        create or replace view event_clusters as
        with members as (
            select * from events
        ),
        final as (
            select
                event_cluster_id,
                any_value(event_type) as event_type,
                any_value(actor1) as actor1,
                any_value(actor2) as actor2,
                any_value(place_name) as place_name,
                any_value(country_iso3) as country_iso3,
                min(event_date) as first_event_date,
                max(event_date) as last_event_date,
                count(*) as num_mentions,
                count(distinct article_id) as num_articles,
                count(distinct article_source) as num_sources
            from members
            group by event_cluster_id
        )
        select * from final
        order by num_articles desc, first_event_date
    """,
    "people": """
        -- one row per person (merged across articles and spellings), most mentioned first:
        -- aliases, roles latest first ("Defense Minister, RUS (2024-03-07)"), country, sector
        create or replace view people as
        select person_id, name, aliases, country_iso3, sector, roles, article_count,
               event_count, mention_count, first_seen_date, last_seen_date
        from dim_people
        order by mention_count desc, name
    """,
    "organizations": """
        -- one row per organisation (acronyms merged with their expansions), most mentioned
        -- first: aliases, people's roles there latest first, country, sector
        create or replace view organizations as
        select organization_id, name, aliases, country_iso3, sector, roles, article_count,
               event_count, mention_count, first_seen_date, last_seen_date
        from dim_organizations
        order by mention_count desc, name
    """,
    "places": """
        -- one row per resolved place, most mentioned first
        create or replace view places as
        select place_id, name, country_iso3, admin1, lat, lon, geonames_id, feature,
               place_precision, aliases, mention_count, article_count
        from dim_places
        order by mention_count desc, name
    """,
    "dates": """
        -- one row per date expression, with the article's publication date beside it
        create or replace view dates as
        select fct_dates.date_text, fct_dates.timex_type, fct_dates.timex_value,
               fct_dates.resolved_date, fct_dates.date_precision, fct_dates.date_rule,
               raw_articles.published_date, raw_articles.title as article_title,
               fct_dates.article_id, fct_dates.sentence_index, fct_dates.start_char,
               fct_dates.end_char
        from fct_dates
        left join raw_articles using (article_id)
    """,
    "headcounts": """
        -- one row per headcount, with the article it came from and its event's date and place
        create or replace view headcounts as
        select fct_headcounts.headcount_text, fct_headcounts.low, fct_headcounts.high,
               fct_headcounts.qualifier, fct_headcounts.category, fct_headcounts.unit,
               fct_headcounts.actor, raw_articles.published_date,
               raw_articles.title as article_title, fct_headcounts.article_id,
               fct_headcounts.sentence_index, fct_headcounts.start_char, fct_headcounts.end_char,
               fct_headcounts.needs_review, fct_headcounts.is_tally,
               fct_headcounts.victim_type, fct_headcounts.cause, fct_headcounts.event_id,
               fct_headcounts.event_date, fct_headcounts.place_name,
               fct_headcounts.country_iso3
        from fct_headcounts
        left join raw_articles using (article_id)
    """,
}


def _fingerprint() -> str:
    return hashlib.sha256("\n".join([CLUSTER_SQL, *VIEW_SQL.values()]).encode()).hexdigest()


def views_are_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse's views were created from this newsdesk's view SQL.

    Every writable connection checks this instead of re-creating the views: replacing nine
    views rewrote the catalog on each of a run's four connections (30-90 ms each, and a
    checkpoint on close), a large share of a one-article run through `newsdesk serve`.
    """
    try:
        rows = con.execute("select fingerprint from ops_view_definitions").fetchall()
    except duckdb.CatalogException:
        return False
    return rows == [(_fingerprint(),)]


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace every analyst view, and record which view SQL made them."""
    run_sql(con, CLUSTER_SQL)
    for sql in VIEW_SQL.values():
        run_sql(con, sql)
    run_sql(con, """
        create table if not exists ops_view_definitions (
            fingerprint varchar not null, created_at timestamp not null
        )""")
    run_sql(con, "delete from ops_view_definitions")
    run_sql(con, "insert into ops_view_definitions values (?, now())", [_fingerprint()])
