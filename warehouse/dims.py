"""Keep the dimension tables up to date with published facts (one row per actor, place, alias).

People and organisations are canonical actors: `warehouse.actor_identity` decides in Python
which article-level entities are one actor (and why); the result is loaded as
`dim_actor_entities` and `dim_actor_aliases`, and the actor dimensions are SQL over those
(`warehouse.dim_sql`).

Why incremental: recomputing every dimension from all facts on each publish cost 0.3 s at 1,000
articles and 14 s at 20,000 (bench/dims_scaling.py), the identity rules' transliteration pass
growing with the square of the warehouse. A publish now passes its batch's article ids and only
what those facts can change is recomputed, with the same result as a full recompute:

- identity: the batch's person/organisation entities are the seeds; `warehouse.actor_scope`
  walks `dim_actor_keys` (each entity's identity keys) to the closed group of entities they are
  connected to, and only that group is re-resolved (the rules never compare an entity in it
  with one outside, so its actors are exactly those of a full resolution); its
  `dim_actor_entities` rows, and the aliases of its old and new actors, are replaced;
- people and organisations: rows of those actors, plus the actors that hold a role with a
  re-resolved entity whose actor name changed (a role shows the other side's name), are
  deleted and re-inserted from their facts;
- places: rows of the places the batch mentions are recomputed.

Facts are append-only, so nothing else can change. The full recompute (`refresh_dims(con)`,
no article ids) stays: it is the oracle of tests/test_dims_incremental.py, and runs by itself
when the warehouse was last rebuilt by other identity rules or SQL (`ops_dims_state` holds a
hash of those modules' source), or when a published entity's name or kind changed (a
re-submitted article with a longer mention): its old links are then unknown.

The cost of a publish now follows the size of the groups its entities join: small for new
names, larger for an actor mentioned in thousands of articles (every entity of it is
re-resolved, as the rules' outcome depends on the order of all of them).
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from warehouse import actor_identity, actor_scope, dim_sql
from warehouse.actor_identity import EntityInfo, name_key, resolve_actors
from warehouse.actor_scope import (
    connected_entities,
    create_keys_table,
    load_all_keys,
    replace_keys,
)
from warehouse.dim_sql import STORED_NAMES_SQL, actor_dim_sql, places_dim_sql
from warehouse.sql import run_sql

__all__ = ["LAST_REFRESH_SECONDS", "refresh_dims"]

#: Seconds spent in each phase of the last refresh (read by bench/dims_scaling.py).
LAST_REFRESH_SECONDS: dict[str, float] = {}


@contextmanager
def _phase(name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        spent = time.perf_counter() - start
        LAST_REFRESH_SECONDS[name] = LAST_REFRESH_SECONDS.get(name, 0.0) + spent

ACTOR_KINDS = {"PERSON": "person", "ORG": "organization"}
ENTITY_COLUMNS = ["entity_id", "actor_id", "actor_kind", "article_id", "entity_name",
                  "merge_reason"]
ALIAS_COLUMNS = ["alias", "actor_id", "actor_kind", "alias_kind", "merge_reason",
                 "mention_count", "article_count"]


def _load_entities(con: duckdb.DuckDBPyConnection,
                   only_scope: bool = False) -> tuple[list[EntityInfo], list[tuple]]:
    """Read person/organisation entities (all, or those in `dims_scope`) and their mentions.

    Returns the entities and rows of (entity, article, label, name, mention text, count,
    country), sorted by entity and mention text.
    """
    only = "and entity_id in (select entity_id from dims_scope)" if only_scope else ""
    rows = con.execute(f"""
        select entity_id, min(article_id), min(label), min(entity_name),
               mention_text, count(*),
               mode(country_iso3 order by country_iso3) filter (where country_iso3 is not null)
        from fct_mentions
        where label in ('PERSON', 'ORG') {only}
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


def _identity_frames(entities: list[EntityInfo], rows: list[tuple]) -> tuple[
        pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Resolve actors; return (entity → actor, alias → actor, actor names) frames."""
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
            pd.DataFrame(names, columns=["actor_id", "actor_name"], dtype=object))


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register(f"{table}_frame", frame)
    run_sql(con, f"insert into {table} by name select * from {table}_frame")
    con.unregister(f"{table}_frame")


def _temp_ids(con: duckdb.DuckDBPyConnection, table: str, column: str, ids) -> None:
    """(Re)create a one-column temp table of ids, used to scope the SQL below."""
    run_sql(con, f"create or replace temp table {table} as "
                 f"select unnest(?::varchar[]) as {column}", [sorted(set(ids))])


def _temp_names(con: duckdb.DuckDBPyConnection, names: pd.DataFrame,
                stored_except: set[str] | None) -> None:
    """Create `dims_actor_names`: `names`, plus (incremental) every stored name of the actors
    not in `stored_except` (the re-resolved ones, whose names are in `names`)."""
    run_sql(con, "create or replace temp table dims_actor_names "
                 "(actor_id varchar, actor_name varchar)")
    _insert(con, "dims_actor_names", names)
    if stored_except is not None:
        _temp_ids(con, "dims_reresolved_actors", "actor_id", stored_except)
        run_sql(con, f"""
            insert into dims_actor_names
            select actor_id, actor_name from ({STORED_NAMES_SQL})
            where actor_id not in (select actor_id from dims_reresolved_actors)
        """)


STATE_DDL = """
    -- grain: one row: the identity rules the dimensions were last fully rebuilt with, so a
    -- newsdesk with other rules rebuilds them all on its first publish
    create table if not exists ops_dims_state (
        rules_version varchar not null,
        rebuilt_at timestamp not null
    )
"""
#: Changes whenever the identity rules or this refresh change (their source text).
RULES_VERSION = hashlib.md5(b"".join(
    Path(module.__file__).read_bytes() for module in (actor_identity, actor_scope, dim_sql)
) + Path(__file__).read_bytes()).hexdigest()[:16]
TEMP_TABLES = ("dims_batch_articles", "dims_scope", "dims_actor_names", "dims_reresolved_actors",
               "dims_refreshed_actors", "dims_refreshed_places")
ACTOR_DIMS = (("dim_people", "person_id", "person"),
              ("dim_organizations", "organization_id", "organization"))


def refresh_dims(con: duckdb.DuckDBPyConnection,
                 article_ids: Iterable[str] | None = None) -> None:
    """Bring every dimension table up to date (inside the caller's transaction).

    With `article_ids`, the articles whose facts were just published, only what those facts can
    change is recomputed; without (or on a warehouse last rebuilt by other identity rules),
    everything is recomputed from all facts. Both give the same tables.
    """
    LAST_REFRESH_SECONDS.clear()
    create_keys_table(con)
    run_sql(con, STATE_DDL)
    stored = con.execute("select rules_version from ops_dims_state").fetchall()
    try:
        if article_ids is None or stored != [(RULES_VERSION,)] or not _refresh_articles(
                con, article_ids):
            _refresh_all(con)
    finally:
        for table in TEMP_TABLES:
            run_sql(con, f"drop table if exists {table}")


def _refresh_all(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every dimension from all published facts."""
    with _phase("identity"):
        entities, rows = _load_entities(con)
        entity_frame, alias_frame, name_frame = _identity_frames(entities, rows)
    with _phase("load"):
        for table, frame in (("dim_actor_entities", entity_frame),
                             ("dim_actor_aliases", alias_frame)):
            run_sql(con, f"delete from {table}")
            _insert(con, table, frame)
        load_all_keys(con, entities)
    with _phase("actor_sql"):
        _temp_names(con, name_frame, stored_except=None)
        for table, id_column, kind in ACTOR_DIMS:
            run_sql(con, f"delete from {table}")
            run_sql(con, actor_dim_sql(table, id_column, kind, only_refreshed=False))
    with _phase("places_sql"):
        run_sql(con, "delete from dim_places")
        run_sql(con, places_dim_sql(only_refreshed=False))
    run_sql(con, "delete from ops_dims_state")
    run_sql(con, "insert into ops_dims_state values (?, now())", [RULES_VERSION])


def _refresh_articles(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> bool:
    """Recompute what the facts of these articles can change; False if it cannot tell.

    It cannot when one of their already published entities changed name or kind (its old
    links are unknown): the caller then recomputes everything.
    """
    with _phase("identity"):
        _temp_ids(con, "dims_batch_articles", "article_id", article_ids)
        run_sql(con, """
            create or replace temp table dims_scope as
            select distinct entity_id from fct_mentions
            where label in ('PERSON', 'ORG')
              and article_id in (select article_id from dims_batch_articles)
        """)
        seeds, _ = _load_entities(con, only_scope=True)
        if _inputs_changed(con, seeds):
            return False
    with _phase("scope"):
        scope = connected_entities(con, seeds)
    with _phase("identity"):
        _temp_ids(con, "dims_scope", "entity_id", scope)
        entities, rows = _load_entities(con, only_scope=True)
        entity_frame, alias_frame, name_frame = _identity_frames(entities, rows)
    with _phase("load"):
        before = con.execute(f"""
            select entity_id, actor_id, stored_names.actor_name
            from dim_actor_entities
            left join ({STORED_NAMES_SQL}) as stored_names using (actor_id)
            where entity_id in (select entity_id from dims_scope)
        """).fetchall()
        new_names = dict(zip(name_frame["actor_id"].tolist(), name_frame["actor_name"].tolist(),
                             strict=True))
        after = {entity_id: (actor_id, new_names[actor_id]) for entity_id, actor_id
                 in zip(entity_frame["entity_id"].tolist(), entity_frame["actor_id"].tolist(),
                        strict=True)}
        changed_actors = {actor_id for _, actor_id, _ in before} | set(new_names)
        renamed = {entity_id for entity_id, actor_id, name in before
                   if after[entity_id] != (actor_id, name)} | (after.keys() - {
                       entity_id for entity_id, _, _ in before})
        _temp_names(con, name_frame, stored_except=changed_actors)
        run_sql(con, """
            delete from dim_actor_entities where entity_id in (select entity_id from dims_scope)
        """)
        _insert(con, "dim_actor_entities", entity_frame)
        _temp_ids(con, "dims_refreshed_actors", "actor_id", changed_actors)
        run_sql(con, """
            delete from dim_actor_aliases
            where actor_id in (select actor_id from dims_refreshed_actors)
        """)
        _insert(con, "dim_actor_aliases", alias_frame)
        replace_keys(con, seeds)
    with _phase("actor_sql"):
        # a role shows the other side's actor name: refresh partners of renamed entities too
        partners = con.execute("""
            with renamed as (select unnest(?::varchar[]) as entity_id),
            partner_entities as (
                select organization_entity_id as entity_id from fct_roles
                where person_entity_id in (select entity_id from renamed)
                union
                select person_entity_id from fct_roles
                where organization_entity_id in (select entity_id from renamed)
            )
            select distinct actor_id from dim_actor_entities
            where entity_id in (select entity_id from partner_entities)
        """, [sorted(renamed)]).fetchall()
        _temp_ids(con, "dims_refreshed_actors", "actor_id",
                  changed_actors | {actor_id for (actor_id,) in partners})
        for table, id_column, kind in ACTOR_DIMS:
            run_sql(con, f"""
                delete from {table}
                where {id_column} in (select actor_id from dims_refreshed_actors)
            """)
            run_sql(con, actor_dim_sql(table, id_column, kind, only_refreshed=True))
    with _phase("places_sql"):
        run_sql(con, """
            create or replace temp table dims_refreshed_places as
            select distinct place_id from fct_mentions
            where label = 'PLACE' and place_id is not null
              and article_id in (select article_id from dims_batch_articles)
        """)
        run_sql(con, """
            delete from dim_places where place_id in (select place_id from dims_refreshed_places)
        """)
        run_sql(con, places_dim_sql(only_refreshed=True))
    return True


def _inputs_changed(con: duckdb.DuckDBPyConnection, seeds: list[EntityInfo]) -> bool:
    """Whether a published entity among `seeds` now has another name, kind or article."""
    stored = con.execute("""
        select entity_id, article_id, actor_kind, entity_name from dim_actor_entities
        where entity_id in (select entity_id from dims_scope)
    """).fetchall()
    current = {e.entity_id: (e.article_id, e.kind, e.name) for e in seeds}
    return any(current.get(entity_id) != (article_id, kind, name)
               for entity_id, article_id, kind, name in stored)
