"""Rebuild the dimension tables from published facts (one row per actor, place and alias).

People and organisations are canonical actors: `warehouse.actor_identity` decides in Python
which article-level entities are one actor (and why); the result is loaded as
`dim_actor_entities` and `dim_actor_aliases`, and the actor dimensions are SQL over those.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import duckdb
import pandas as pd

from warehouse.actor_identity import EntityInfo, name_key, resolve_actors
from warehouse.sql import run_sql

__all__ = ["refresh_dims"]

ACTOR_KINDS = {"PERSON": "person", "ORG": "organization"}
ENTITY_COLUMNS = ["entity_id", "actor_id", "actor_kind", "article_id", "entity_name",
                  "merge_reason"]
ALIAS_COLUMNS = ["alias", "actor_id", "actor_kind", "alias_kind", "merge_reason",
                 "mention_count", "article_count"]


def _actor_dim(table: str, id_column: str, kind: str) -> str:
    """SQL rebuilding dim_people / dim_organizations from the resolved actors."""
    roles = (
        # a person's roles: "Defense Minister, RUS (2024-03-07)", latest first
        """
        role_rows as (
            select actor_entities.actor_id, fct_roles.title,
                   coalesce(org_actors.actor_name, fct_roles.organization_name,
                            fct_roles.country_iso3) as held_at,
                   max(fct_roles.role_date) as role_date
            from fct_roles
            join actor_entities on actor_entities.entity_id = fct_roles.person_entity_id
            left join actor_entities as org_actors
                on org_actors.entity_id = fct_roles.organization_entity_id
            group by all
        ),"""
        if kind == "person" else
        # an organisation's roles: who held which title there, latest first
        """
        role_rows as (
            select org_actors.actor_id, fct_roles.title,
                   person_actors.actor_name as held_at,
                   max(fct_roles.role_date) as role_date
            from fct_roles
            join actor_entities as org_actors
                on org_actors.entity_id = fct_roles.organization_entity_id
            join actor_entities as person_actors
                on person_actors.entity_id = fct_roles.person_entity_id
            group by all
        ),"""
    )
    label = "PERSON" if kind == "person" else "ORG"
    return f"""
        insert into {table} by name
        with actor_entities as (
            select dim_actor_entities.*, names.actor_name
            from dim_actor_entities
            join actor_names as names using (actor_id)
        ),
        mentions as (
            select fct_mentions.*, actor_entities.actor_id, raw_articles.published_date
            from fct_mentions
            join actor_entities using (entity_id)
            join raw_articles on raw_articles.article_id = fct_mentions.article_id
            where fct_mentions.label = '{label}' and actor_entities.actor_kind = '{kind}'
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
                        order by role_date desc nulls last, title) as roles
            from role_rows
            group by actor_id
        ),
        aliases_per_actor as (
            select actor_id, list(alias order by mention_count desc, alias) as aliases
            from dim_actor_aliases
            group by actor_id
        ),
        per_actor as (
            select
                actor_id as {id_column},
                count(*) as mention_count,
                count(distinct article_id) as article_count,
                mode(country_iso3) filter (where country_iso3 is not null) as country_iso3,
                mode(sector) filter (where sector is not null) as sector,
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
            join actor_names on actor_names.actor_id = per_actor.{id_column}
            left join aliases_per_actor on aliases_per_actor.actor_id = per_actor.{id_column}
            left join roles_per_actor on roles_per_actor.actor_id = per_actor.{id_column}
            left join events_per_actor on events_per_actor.actor_id = per_actor.{id_column}
        )
        select * from final
    """


PLACES_SQL = """
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
"""


def _load_entities(con: duckdb.DuckDBPyConnection) -> tuple[list[EntityInfo], list[tuple]]:
    """Read person/organisation entities and their (entity, mention text, count, articles)."""
    rows = con.execute("""
        select entity_id, min(article_id), min(label), min(entity_name),
               mention_text, count(*),
               mode(country_iso3) filter (where country_iso3 is not null)
        from fct_mentions
        where label in ('PERSON', 'ORG')
        group by entity_id, mention_text
        order by entity_id, mention_text
    """).fetchall()
    entities: dict[str, EntityInfo] = {}
    countries: dict[str, Counter] = defaultdict(Counter)
    for entity_id, article_id, label, entity_name, text, count, country in rows:
        entity = entities.setdefault(entity_id, EntityInfo(
            entity_id, article_id, ACTOR_KINDS[label], entity_name))
        entity.aliases.add(text)
        entity.mention_count += count
        if country:
            countries[entity_id][country] += count
    for entity_id, counts in countries.items():
        entities[entity_id].country_iso3 = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return list(entities.values()), rows


def _alias_kind(alias: str, canonical: str, kind: str) -> str:
    letters = [c for c in alias if c.isalpha()]
    if name_key(alias) == name_key(canonical):
        return "name"
    if 2 <= len(letters) <= 8 and all(c.isupper() for c in letters):
        return "acronym"
    if kind == "person" and len(name_key(alias).split()) == 1:
        return "surname"
    return "variant"


def _identity_frames(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame,
                                                              pd.DataFrame]:
    """Resolve actors; return (entity → actor, alias → actor, actor names) frames."""
    entities, rows = _load_entities(con)
    actors = resolve_actors(entities)
    by_entity = {e.entity_id: e for e in entities}
    entity_rows, names = [], []
    actor_of: dict[str, tuple] = {}
    for actor in actors:
        names.append({"actor_id": actor.actor_id, "actor_name": actor.name})
        for entity_id in actor.entity_ids:
            reason = actor.reasons.get(entity_id, "same actor")
            actor_of[entity_id] = (actor, reason)
            entity_rows.append({"entity_id": entity_id, "actor_id": actor.actor_id,
                                "actor_kind": actor.kind,
                                "article_id": by_entity[entity_id].article_id,
                                "entity_name": by_entity[entity_id].name,
                                "merge_reason": reason})
    aliases: dict[tuple[str, str], dict] = {}
    for entity_id, article_id, _label, _name, text, count, _country in rows:
        actor, reason = actor_of[entity_id]
        key = (name_key(text) or text.lower(), actor.actor_id)
        entity_name = by_entity[entity_id].name
        if name_key(text) != name_key(entity_name):  # linked by the extractor in its article
            reason = f"linked to {entity_name!r} in the same article" + (
                "" if reason == "canonical name" else f"; {reason}")
        alias = aliases.setdefault(key, {
            "alias": text, "actor_id": actor.actor_id, "actor_kind": actor.kind,
            "alias_kind": _alias_kind(text, actor.name, actor.kind), "merge_reason": reason,
            "mention_count": 0, "articles": set()})
        alias["mention_count"] += count
        alias["articles"].add(article_id)
        if reason == "canonical name":
            alias["merge_reason"] = reason
    alias_rows = [{**{k: v for k, v in a.items() if k != "articles"},
                   "article_count": len(a["articles"])} for a in aliases.values()]
    return (pd.DataFrame(entity_rows, columns=ENTITY_COLUMNS),
            pd.DataFrame(alias_rows, columns=ALIAS_COLUMNS),
            pd.DataFrame(names, columns=["actor_id", "actor_name"]))


def _load(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    run_sql(con, f"delete from {table}")
    if frame.empty:
        return
    con.register(f"{table}_frame", frame)
    run_sql(con, f"insert into {table} by name select * from {table}_frame")
    con.unregister(f"{table}_frame")


def refresh_dims(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every dimension table (inside the caller's transaction)."""
    entity_frame, alias_frame, name_frame = _identity_frames(con)
    _load(con, "dim_actor_entities", entity_frame)
    _load(con, "dim_actor_aliases", alias_frame)
    con.register("actor_names", name_frame if not name_frame.empty
                 else pd.DataFrame({"actor_id": pd.Series(dtype=str),
                                    "actor_name": pd.Series(dtype=str)}))
    for table, id_column, kind in (("dim_people", "person_id", "person"),
                                   ("dim_organizations", "organization_id", "organization")):
        run_sql(con, f"delete from {table}")
        run_sql(con, _actor_dim(table, id_column, kind))
    con.unregister("actor_names")
    run_sql(con, "delete from dim_places")
    run_sql(con, PLACES_SQL)
