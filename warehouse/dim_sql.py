"""The SQL that builds dimension rows: dim_people, dim_organizations and dim_places.

Each query inserts the rows of every actor/place, or (`only_refreshed`) of those listed in the
temp tables `dims_refreshed_actors` / `dims_refreshed_places`; aggregates break ties by value
or by mention id, so a row is the same whichever order DuckDB reads the facts in, and a row
refreshed alone equals the row a full rebuild writes.
"""

from __future__ import annotations

__all__ = ["STORED_NAMES_SQL", "actor_dim_sql", "places_dim_sql"]

#: Every actor's name as stored: each actor has a row in dim_people or dim_organizations.
STORED_NAMES_SQL = """
    select person_id as actor_id, name as actor_name from dim_people
    union all
    select organization_id as actor_id, name as actor_name from dim_organizations
"""


def actor_dim_sql(table: str, id_column: str, kind: str, only_refreshed: bool) -> str:
    """SQL inserting dim_people / dim_organizations rows from the resolved actors.

    With `only_refreshed`, only the actors in the temp table `dims_refreshed_actors`.
    """
    def only(alias: str) -> str:
        return (f"and {alias}.actor_id in (select actor_id from dims_refreshed_actors)"
                if only_refreshed else "")

    only_entities, only_orgs, only_aliases = (only("actor_entities"), only("org_actors"),
                                              only("dim_actor_aliases"))
    roles = (
        # a person's roles: "Defense Minister, RUS (2024-03-07)", latest first
        f"""
        role_rows as (
            select actor_entities.actor_id, fct_roles.title,
                   coalesce(org_actors.actor_name, fct_roles.organization_name,
                            fct_roles.country_iso3) as held_at,
                   max(fct_roles.role_date) as role_date
            from fct_roles
            join actor_entities on actor_entities.entity_id = fct_roles.person_entity_id
            left join actor_entities as org_actors
                on org_actors.entity_id = fct_roles.organization_entity_id
            where true {only_entities}
            group by all
        ),"""
        if kind == "person" else
        # an organisation's roles: who held which title there, latest first
        f"""
        role_rows as (
            select org_actors.actor_id, fct_roles.title,
                   person_actors.actor_name as held_at,
                   max(fct_roles.role_date) as role_date
            from fct_roles
            join actor_entities as org_actors
                on org_actors.entity_id = fct_roles.organization_entity_id
            join actor_entities as person_actors
                on person_actors.entity_id = fct_roles.person_entity_id
            where true {only_orgs}
            group by all
        ),"""
    )
    label = "PERSON" if kind == "person" else "ORG"
    return f"""
        insert into {table} by name
        with actor_entities as (
            select dim_actor_entities.*, names.actor_name
            from dim_actor_entities
            join dims_actor_names as names using (actor_id)
        ),
        mentions as materialized (
            select fct_mentions.entity_id, fct_mentions.article_id, fct_mentions.mention_text,
                   fct_mentions.entity_name, fct_mentions.country_iso3, fct_mentions.sector,
                   actor_entities.actor_id, raw_articles.published_date
            from fct_mentions
            join (select entity_id, actor_id from dim_actor_entities as actor_entities
                  where actor_kind = '{kind}' {only_entities}) as actor_entities using (entity_id)
            join raw_articles on raw_articles.article_id = fct_mentions.article_id
            where fct_mentions.label = '{label}'
        ),
        event_actors as (
            -- an event counts for an actor when either side is one of its entities; older rows
            -- without entity ids fall back to the actor's text in the same article
            select distinct fct_events.event_id, mentions.actor_id
            from fct_events
            join mentions
                on mentions.article_id = fct_events.article_id
               and (mentions.entity_id in (fct_events.actor1_entity_id,
                                           fct_events.actor2_entity_id)
                    or (fct_events.actor1_entity_id is null
                        and lower(fct_events.actor1) in (lower(mentions.mention_text),
                                                         lower(mentions.entity_name)))
                    or (fct_events.actor2_entity_id is null
                        and lower(fct_events.actor2) in (lower(mentions.mention_text),
                                                         lower(mentions.entity_name))))
        ),
        events_per_actor as (
            select actor_id, count(*) as event_count from event_actors group by actor_id
        ),
        {roles}
        roles_per_actor as (
            select actor_id,
                   list(concat_ws(', ', title, held_at)
                        || coalesce(' (' || cast(role_date as varchar) || ')', '')
                        order by role_date desc nulls last, title, held_at) as roles
            from role_rows
            group by actor_id
        ),
        aliases_per_actor as (
            select actor_id, list(alias order by mention_count desc, alias) as aliases
            from dim_actor_aliases
            where true {only_aliases}
            group by actor_id
        ),
        per_actor as (
            select
                actor_id as {id_column},
                count(*) as mention_count,
                count(distinct article_id) as article_count,
                mode(country_iso3 order by country_iso3)
                    filter (where country_iso3 is not null) as country_iso3,
                mode(sector order by sector) filter (where sector is not null) as sector,
                min(published_date) as first_seen_date,
                max(published_date) as last_seen_date
            from mentions
            group by actor_id
        ),
        final as (
            select
                per_actor.*,
                actor_names.actor_name as name,
                coalesce(aliases_per_actor.aliases, []) as aliases,
                coalesce(roles_per_actor.roles, []) as roles,
                coalesce(events_per_actor.event_count, 0) as event_count
            from per_actor
            join dims_actor_names as actor_names
                on actor_names.actor_id = per_actor.{id_column}
            left join aliases_per_actor on aliases_per_actor.actor_id = per_actor.{id_column}
            left join roles_per_actor on roles_per_actor.actor_id = per_actor.{id_column}
            left join events_per_actor on events_per_actor.actor_id = per_actor.{id_column}
        )
        select * from final
    """


def places_dim_sql(only_refreshed: bool) -> str:
    """SQL inserting dim_places rows (only those in `dims_refreshed_places` if asked).

    Attributes come from the place's first mention carrying them and ties of `mode` go to the
    smallest value, so the row is the same whichever order DuckDB reads the mentions in.
    """
    only = ("and place_id in (select place_id from dims_refreshed_places)"
            if only_refreshed else "")
    return f"""
        insert into dim_places
        with mentions as (
            select * from fct_mentions
            where label = 'PLACE' and place_id is not null {only}
        ),
        final as (
            select
                place_id,
                mode(coalesce(place_name, mention_text)
                     order by coalesce(place_name, mention_text)) as name,
                any_value(country_iso3 order by mention_id) as country_iso3,
                any_value(admin1 order by mention_id) as admin1,
                any_value(lat order by mention_id) as lat,
                any_value(lon order by mention_id) as lon,
                any_value(geonames_id order by mention_id) as geonames_id,
                any_value(place_feature order by mention_id) as feature,
                any_value(place_precision order by mention_id) as place_precision,
                list_sort(list_distinct(list(mention_text))) as aliases,
                count(*) as mention_count,
                count(distinct article_id) as article_count
            from mentions
            group by place_id
        )
        select * from final
    """
