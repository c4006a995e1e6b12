"""Rebuild the dimension tables from published mentions (one row per person, org, place)."""

from __future__ import annotations

import duckdb

from warehouse.sql import run_sql

__all__ = ["refresh_dims"]

# Names are grouped case-insensitively; the most frequent spelling becomes the display name.
# Cross-article identity beyond exact names (aliases, transliterations) is the actors work.
def _named_entity_dim(table: str, id_column: str, label: str) -> str:
    """SQL rebuilding a people/organisations dimension from published mentions of `label`."""
    return f"""
        insert into {table}
        with mentions as (
            select fct_mentions.*, raw_articles.published_date
            from fct_mentions
            join raw_articles using (article_id)
            where label = '{label}'
        ),
        final as (
            select
                substr(md5(lower(entity_name)), 1, 16) as {id_column},
                mode(entity_name) as name,
                count(*) as mention_count,
                count(distinct article_id) as article_count,
                min(published_date) as first_seen_date,
                max(published_date) as last_seen_date
            from mentions
            group by lower(entity_name)
        )
        select * from final
    """


DIM_SQL = {
    "dim_people": _named_entity_dim("dim_people", "person_id", "PERSON"),
    "dim_organizations": _named_entity_dim("dim_organizations", "organization_id", "ORG"),
    "dim_places": """
        insert into dim_places
        with mentions as (
            select * from fct_mentions where label = 'PLACE' and place_id is not null
        ),
        final as (
            select
                place_id,
                mode(coalesce(place_name, mention_text)) as name,
                any_value(country_iso3) as country_iso3,
                any_value(admin1) as admin1,
                any_value(lat) as lat,
                any_value(lon) as lon,
                any_value(geonames_id) as geonames_id,
                any_value(place_feature) as feature,
                any_value(place_precision) as place_precision,
                list_sort(list_distinct(list(mention_text))) as aliases,
                count(*) as mention_count,
                count(distinct article_id) as article_count
            from mentions
            group by place_id
        )
        select * from final
    """,
}


def refresh_dims(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every dimension table (inside the caller's transaction)."""
    for table, sql in DIM_SQL.items():
        run_sql(con, f"delete from {table}")
        run_sql(con, sql)
