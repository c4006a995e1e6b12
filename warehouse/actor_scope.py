"""Find the entities a publish must re-resolve: everything its new entities are connected to.

`warehouse.actor_identity` only ever compares two entities when one holds a key among the
other's `lookup_keys` (and, for transliteration blocks and same-article links, only when
`could_link` holds, which `linkable` applies). `dim_actor_keys` stores every published entity's
keys, so the group connected to a batch's entities is found by a breadth-first walk over
keys: two indexed lookups per step, reading only the rows of the keys met on the way, never
the whole warehouse. That group
is closed (no rule compares one of its entities with an outsider), so resolving it alone gives
exactly what resolving every entity gives.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from warehouse.actor_identity import EntityInfo, identity_keys, linkable, lookup_keys
from warehouse.sql import run_sql

__all__ = ["connected_entities", "create_keys_table", "key_frame", "load_all_keys",
           "replace_keys"]

KEYS_DDL = """
    -- grain: one row per identity key per person/organisation entity
    -- (warehouse.actor_identity.identity_keys), with what the rules read of the entity: how a
    -- publish finds the published entities its new ones may merge with, without reading them all
    create table if not exists dim_actor_keys (
        key varchar not null,
        entity_id varchar not null,
        article_id varchar not null,
        actor_kind varchar not null,
        entity_name varchar not null
    )
"""
#: Point lookups by key and by entity stay fast however large the warehouse grows.
KEY_INDEXES = ("create index if not exists dim_actor_keys_by_key on dim_actor_keys (key)",
               "create index if not exists dim_actor_keys_by_entity on dim_actor_keys (entity_id)")
KEY_COLUMNS = ["key", "entity_id", "article_id", "actor_kind", "entity_name"]


def key_frame(entities: Iterable[EntityInfo]) -> pd.DataFrame:
    """Rows of `dim_actor_keys` for these entities."""
    rows = [(key, e.entity_id, e.article_id, e.kind, e.name)
            for e in entities for key in sorted(identity_keys(e))]
    return pd.DataFrame(rows, columns=KEY_COLUMNS, dtype=object)


def create_keys_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create `dim_actor_keys` and its indexes if missing."""
    run_sql(con, KEYS_DDL)
    for statement in KEY_INDEXES:
        run_sql(con, statement)


def load_all_keys(con: duckdb.DuckDBPyConnection, entities: list[EntityInfo]) -> None:
    """Replace every row of `dim_actor_keys` (indexes built after the bulk load: faster)."""
    run_sql(con, "drop table if exists dim_actor_keys")
    run_sql(con, KEYS_DDL)
    _insert_keys(con, entities)
    for statement in KEY_INDEXES:
        run_sql(con, statement)


def replace_keys(con: duckdb.DuckDBPyConnection, entities: list[EntityInfo]) -> None:
    """Store the keys of these entities, dropping the ones they had."""
    run_sql(con, "delete from dim_actor_keys where entity_id = any(?::varchar[])",
            [[e.entity_id for e in entities]])
    _insert_keys(con, entities)


def _insert_keys(con: duckdb.DuckDBPyConnection, entities: list[EntityInfo]) -> None:
    frame = key_frame(entities)
    if not frame.empty:
        con.register("dim_actor_keys_frame", frame)
        run_sql(con, "insert into dim_actor_keys by name select * from dim_actor_keys_frame")
        con.unregister("dim_actor_keys_frame")


def _keys_of(con: duckdb.DuckDBPyConnection, entity_ids: list[str]) -> set[str]:
    if not entity_ids:
        return set()
    return {key for (key,) in con.execute(
        "select distinct key from dim_actor_keys where entity_id = any(?::varchar[])",
        [entity_ids]).fetchall()}


def _holders(con: duckdb.DuckDBPyConnection, keys: list[str]) -> list[tuple]:
    if not keys:
        return []
    return con.execute(f"""
        select {", ".join(KEY_COLUMNS)} from dim_actor_keys where key = any(?::varchar[])
    """, [keys]).fetchall()


def connected_entities(con: duckdb.DuckDBPyConnection,
                       seeds: list[EntityInfo]) -> set[str]:
    """Ids of `seeds` and every published entity connected to them through the rules.

    `seeds` carry their current inputs (they may be new, or published ones with new mentions);
    every other entity is as `dim_actor_keys` holds it. Two indexed lookups per step of the
    walk; entities of one name are compared once per key, as the rules only read names.
    """
    keys_held: dict[str, set[str]] = {seed.entity_id: identity_keys(seed) for seed in seeds}
    seed_ids = set(keys_held)
    members: dict[str, dict[str, list[EntityInfo]]] = {}  # key -> name -> holders not linked
    for seed in seeds:
        for key in keys_held[seed.entity_id]:
            members.setdefault(key, {}).setdefault(seed.name, []).append(seed)
    scope = {seed.entity_id: seed for seed in seeds}
    info = dict(scope)  # entity id -> what the rules read of it, one object per entity
    compared: set[tuple[str, str]] = set()  # (key, name) whose holders were compared
    queue, unseen = list(scope), {lk for key in members for lk in lookup_keys(key)}
    loaded: set[str] = set()
    while queue:
        unseen |= {lk for key in _keys_of(con, [e for e in queue if e not in seed_ids])
                   for lk in lookup_keys(key)}
        unseen -= loaded
        for key, entity_id, article_id, kind, name in _holders(con, sorted(unseen)):
            if entity_id not in seed_ids:
                if entity_id not in info:
                    info[entity_id] = EntityInfo(entity_id, article_id, kind, name)
                    keys_held[entity_id] = set()
                keys_held[entity_id].add(key)
                members.setdefault(key, {}).setdefault(name, []).append(info[entity_id])
        loaded |= unseen  # every key the queue looks up now has all its holders in `members`
        unseen = set()
        next_queue = []
        for entity_id in queue:
            entity = scope[entity_id]
            for key in sorted({lk for key in keys_held[entity_id] for lk in lookup_keys(key)}):
                if (key, entity.name) in compared:
                    continue  # an entity of the same name already met this key's holders
                compared.add((key, entity.name))
                holders_of = members.setdefault(key, {})  # the rules read names only
                names = {name: holders[0] for name, holders in holders_of.items()}
                for name in linkable(key, entity, names):
                    for holder in holders_of.pop(name):  # linked: never compared again
                        if holder.entity_id not in scope:
                            scope[holder.entity_id] = holder
                            next_queue.append(holder.entity_id)
        queue = next_queue
    return set(scope)
