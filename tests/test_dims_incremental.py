"""A publish refreshes only what its batch changes, and the dimensions equal a full recompute.

Articles are hand-built extraction records (no model), published batch by batch through
`warehouse.publish_batch`; after every batch each dimension table must hold exactly the rows
`refresh_dims(con)` (the full recompute, run in a rolled-back transaction) would give.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import warehouse
from transforms.articles import article_from_record
from warehouse import dims
from warehouse.sql import run_sql

DIM_TABLES = ("dim_actor_entities", "dim_actor_aliases", "dim_actor_keys", "dim_people",
              "dim_organizations", "dim_places")
PLACES = {"Moscow": ("gn:524901", "RUS"), "Kyiv": ("gn:703448", "UKR"),
          "Minsk": ("gn:625144", "BLR")}


def article(text_id: str, day: str, entities: list[tuple], roles: tuple = (),
            events: tuple = (), places: tuple = ()) -> tuple:
    """An (Article, record) pair. entities: (entity number, text, "PERSON"/"ORG", country).

    roles: (person entity number, title, org entity number); events: (actor1 number,
    actor2 number or None); places: names from PLACES.
    """
    mention_texts = [text for _, text, _, _ in entities] + list(places)
    art = article_from_record({"id": text_id, "published": day,
                               "text": f"{text_id}: " + ". ".join(mention_texts) + "."})
    aid, offset = art.article_id, len(text_id) + 2
    record = {"entities": [], "places": [], "dates": [], "headcounts": [], "events": [],
              "roles": [], "sentence_count": 1}
    for number, text, label, country in entities:
        record["entities"].append({
            "start": offset, "end": offset + len(text), "sentence": 0, "text": text,
            "label": label, "entity_id": f"{aid}:e{number}", "country_iso3": country,
            "sector": "government" if country else None})
        offset += len(text) + 2
    for number, name in enumerate(places, start=100):
        place_id, iso3 = PLACES[name]
        span = {"start": offset, "end": offset + len(name)}
        record["entities"].append({**span, "sentence": 0, "text": name, "label": "PLACE",
                                   "entity_id": f"{aid}:e{number}"})
        record["places"].append({**span, "text": name, "name": name, "country_iso3": iso3,
                                 "geonames_id": int(place_id[3:]), "lat": 1.0, "lon": 2.0,
                                 "feature": "city", "precision": "city"})
        offset += len(name) + 2
    names = {number: text for number, text, _, _ in entities}
    for index, (person, title, org) in enumerate(roles):
        record["roles"].append({
            "start": index, "end": index + 1, "sentence": 0, "text": title,
            "person_entity_id": f"{aid}:e{person}", "person": names[person], "title": title,
            "organization_entity_id": f"{aid}:e{org}" if org else None,
            "organization": names.get(org), "rule": "test"})
    for index, (actor1, actor2) in enumerate(events):
        record["events"].append({
            "start": index, "end": index + 1, "sentence": 0, "trigger": "met",
            "type": "CONSULT", "cameo": "040", "actor1": names[actor1],
            "actor2": names.get(actor2), "actor1_entity_id": f"{aid}:e{actor1}",
            "actor2_entity_id": f"{aid}:e{actor2}" if actor2 else None})
    return art, record


def publish(con, batch: list[tuple], run_id: str) -> None:
    articles, records = [a for a, _ in batch], [r for _, r in batch]
    warehouse.publish_batch(con, run_id, 0, warehouse.stage_frames(articles, records, run_id),
                            {}, [], "test")


def snapshot(con) -> dict[str, list[tuple]]:
    return {table: sorted(con.execute(f"select * from {table}").fetchall(), key=repr)
            for table in DIM_TABLES}


def full_recompute(con) -> dict[str, list[tuple]]:
    """The dimensions as a full recompute gives them, leaving the warehouse as it was."""
    run_sql(con, "begin transaction")
    try:
        dims.refresh_dims(con)
        return snapshot(con)
    finally:
        run_sql(con, "rollback")


def assert_equals_full_recompute(con) -> None:
    incremental, full = snapshot(con), full_recompute(con)
    for table in DIM_TABLES:
        assert incremental[table] == full[table], table


BATCHES = [
    # a full name and its surname in one article; an acronym linked to its expansion
    [article("a1", "2024-03-01",
             [(1, "Sergei Shoigu", "PERSON", "RUS"), (2, "Shoigu", "PERSON", None),
              (3, "Collective Security Treaty Organization", "ORG", None),
              (3, "CSTO", "ORG", None), (4, "Defense Ministry", "ORG", "RUS")],
             roles=[(1, "Defence Minister", 4)], events=[(1, 3)], places=["Moscow"])],
    # a transliteration and the acronym alone elsewhere; a namesake ministry of another
    # country (must stay apart); a bare surname across articles (must stay apart)
    [article("a2", "2024-03-05",
             [(1, "Sergey Shoygu", "PERSON", None), (2, "CSTO", "ORG", None),
              (3, "Shoigu", "PERSON", None)], events=[(1, 2)], places=["Minsk"]),
     article("a3", "2024-03-06",
             [(1, "Defense Ministry", "ORG", "UKR"), (2, "Andrei Ivanov", "PERSON", "UKR"),
              (3, "Ivanov", "PERSON", None)],
             roles=[(2, "spokesman", 1)], places=["Kyiv"])],
    # exact names across articles; a ministry without a country (joins the first it meets);
    # a legal suffix; the same surname for two people in one article (links to nobody)
    [article("a4", "2024-03-07",
             [(1, "Defense Ministry", "ORG", None), (2, "Apple Inc.", "ORG", None),
              (3, "Andrei Ivanov", "PERSON", None), (4, "Viktor Ivanov", "PERSON", None),
              (5, "Ivanov", "PERSON", None)], places=["Kyiv", "Moscow"]),
     article("a5", "2024-03-08", [(1, "Apple", "ORG", None), (2, "Steve", "PERSON", None),
                                  (3, "Steve Jobs", "PERSON", "USA"),
                                  (4, "Aleksandr Tasmagambetov", "PERSON", None)])],
    # "Sergey Shoygu" becomes the most mentioned spelling: the actor's name (and id) change,
    # and the ministry's role row, which shows that name, must follow; spellings linked to a
    # published actor by transliteration alone, one with a first name and a surname one
    # letter longer
    [*(article(f"a{6 + i}", f"2024-03-{10 + i}", [(1, "Sergey Shoygu", "PERSON", "RUS")],
               places=["Moscow"]) for i in range(3)),
     article("a10", "2024-03-20", [(1, "Andrey Ivanov", "PERSON", None),
                                   (2, "Aleksander Tasmagambetova", "PERSON", None)])],
]


def test_each_batch_leaves_the_dimensions_a_full_recompute_would_give(con):
    for index, batch in enumerate(BATCHES):
        publish(con, batch, f"run-{index}")
        assert_equals_full_recompute(con)
    people = dict(con.execute("select name, roles from dim_people").fetchall())
    assert people["Sergey Shoygu"] == ["Defence Minister, Defense Ministry (2024-03-01)"]
    orgs = con.execute("""
        select roles from dim_organizations where name = 'Defense Ministry' and country_iso3 = 'RUS'
    """).fetchall()
    assert orgs == [(["Defence Minister, Sergey Shoygu (2024-03-01)"],)]
    assert con.execute("select count(*) from dim_organizations where name = 'Defense Ministry'"
                       ).fetchall() == [(2,)]
    assert con.execute("select count(distinct actor_id) from dim_actor_entities "
                       "where entity_name like 'Aleksa%'").fetchall() == [(1,)]


def test_a_publish_recomputes_only_the_actors_its_entities_touch(con):
    for index, batch in enumerate(BATCHES[:3]):
        publish(con, batch, f"run-{index}")
    untouched = con.execute(
        "select rowid, * from dim_people where name = 'Steve Jobs'").fetchall()
    publish(con, [article("a9", "2024-04-01", [(1, "Sergei Shoigu", "PERSON", None)])], "run-9")
    assert dims.LAST_REFRESH_SECONDS.keys() >= {"scope", "identity", "actor_sql"}
    # the row was not deleted and re-inserted: incremental, not a rebuild
    assert con.execute(
        "select rowid, * from dim_people where name = 'Steve Jobs'").fetchall() == untouched
    assert_equals_full_recompute(con)


def test_a_batch_without_new_facts_changes_nothing(con):
    publish(con, BATCHES[0], "run-0")
    before = snapshot(con)
    run_sql(con, "begin transaction")
    dims.refresh_dims(con, [])
    dims.refresh_dims(con, ["no-such-article"])
    run_sql(con, "commit")
    assert snapshot(con) == before


def test_republished_articles_with_new_mentions_keep_the_dimensions_exact(con):
    for index, batch in enumerate(BATCHES[:2]):
        publish(con, batch, f"run-{index}")
    # a held-back mention of an existing entity published later (fact ids are deterministic,
    # existing rows are ignored): a new alias for that entity
    (art, record), = BATCHES[1][:1]
    extra = dict(record, entities=[*record["entities"], {
        **record["entities"][0], "start": 900, "end": 906, "text": "Shoygu"}])
    publish(con, [(art, extra)], "run-resubmit")
    assert_equals_full_recompute(con)
    # and one that renames the entity (a longer mention): falls back to the full recompute
    longer = dict(extra, entities=[*extra["entities"], {
        **record["entities"][0], "start": 950, "end": 975, "text": "Sergey Kuzhugetovich Shoygu"}])
    publish(con, [(art, longer)], "run-rename")
    assert_equals_full_recompute(con)


def test_a_warehouse_rebuilt_by_other_rules_is_recomputed_in_full(con):
    publish(con, BATCHES[0], "run-0")
    run_sql(con, "update ops_dims_state set rules_version = 'older rules'")
    run_sql(con, "delete from dim_actor_keys")  # what an older newsdesk would have left
    publish(con, BATCHES[1], "run-1")
    assert "scope" not in dims.LAST_REFRESH_SECONDS
    assert con.execute("select rules_version from ops_dims_state").fetchall() == [
        (dims.RULES_VERSION,)]
    assert_equals_full_recompute(con)


NAMES = st.sampled_from([
    ("Sergei Shoigu", "PERSON"), ("Sergey Shoygu", "PERSON"), ("Shoigu", "PERSON"),
    ("Sergei Ivanov", "PERSON"), ("Viktor Ivanov", "PERSON"), ("Ivanov", "PERSON"),
    ("Sergei", "PERSON"), ("Collective Security Treaty Organization", "ORG"), ("CSTO", "ORG"),
    ("Apple Inc.", "ORG"), ("Apple", "ORG"), ("Defense Ministry", "ORG"),
    ("Aleksandr Tasmagambetov", "PERSON"), ("Aleksander Tasmagambetova", "PERSON")])
ENTITY = st.tuples(NAMES, st.sampled_from([None, None, "RUS", "UKR"]))
ARTICLE = st.tuples(st.lists(ENTITY, min_size=1, max_size=4),
                    st.lists(st.sampled_from(sorted(PLACES)), max_size=2),
                    st.booleans())
BATCH_SPLITS = st.lists(st.lists(ARTICLE, min_size=1, max_size=3), min_size=2, max_size=4)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(batches=BATCH_SPLITS)
def test_any_sequence_of_batches_equals_a_full_recompute(tmp_path_factory, batches):
    con = warehouse.connect(tmp_path_factory.mktemp("dims") / "w.duckdb")
    try:
        number = 0
        for batch_index, batch in enumerate(batches):
            built = []
            for entities, places, with_role in batch:
                number += 1
                spec = [(i + 1, name, label, country)
                        for i, ((name, label), country) in enumerate(entities)]
                people = [n for n, _, label, _ in spec if label == "PERSON"]
                orgs = [n for n, _, label, _ in spec if label == "ORG"]
                roles = [(people[0], "minister", orgs[0])] if with_role and people and orgs else []
                built.append(article(f"h{number}", f"2024-05-{number % 28 + 1:02d}", spec,
                                     roles=roles, places=places))
            publish(con, built, f"run-{batch_index}")
            assert_equals_full_recompute(con)
    finally:
        con.close()
