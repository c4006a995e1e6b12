"""Analyst-facing views: plain names, one row per thing an analyst counts, readable columns."""

from __future__ import annotations

import duckdb

from warehouse.sql import run_sql

__all__ = ["create_views"]

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
        final as (
            select
                event_mentions.event_id,
                event_mentions.event_date,
                event_mentions.event_date_precision,
                event_mentions.event_date_rule,
                event_mentions.event_type,
                event_mentions.cameo_code,
                event_mentions.actor1,
                event_mentions.trigger_text as action,
                event_mentions.actor2,
                event_mentions.event_mode as mode,
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
        )
        select * from final
    """,
    "people": """
        -- one row per person, most mentioned first
        create or replace view people as
        select person_id, name, mention_count, article_count, first_seen_date, last_seen_date
        from dim_people
        order by mention_count desc, name
    """,
    "organizations": """
        -- one row per organisation, most mentioned first
        create or replace view organizations as
        select organization_id, name, mention_count, article_count, first_seen_date, last_seen_date
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
        -- one row per headcount, with the article it came from
        create or replace view headcounts as
        select fct_headcounts.headcount_text, fct_headcounts.low, fct_headcounts.high,
               fct_headcounts.qualifier, fct_headcounts.category, fct_headcounts.unit,
               fct_headcounts.actor, raw_articles.published_date,
               raw_articles.title as article_title, fct_headcounts.article_id,
               fct_headcounts.sentence_index, fct_headcounts.start_char, fct_headcounts.end_char
        from fct_headcounts
        left join raw_articles using (article_id)
    """,
}


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace every analyst view."""
    for sql in VIEW_SQL.values():
        run_sql(con, sql)
