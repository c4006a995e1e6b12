"""Cross-article identity: one canonical person/organisation per real actor, with reasons."""

from __future__ import annotations

import pytest

import warehouse
from transforms.articles import article_from_record
from transforms.extract import extract_batch
from warehouse.actor_identity import EntityInfo, resolve_actors, transliteration_key


def _entity(entity_id: str, name: str, kind: str = "person", country: str | None = None,
            aliases: tuple[str, ...] = ()) -> EntityInfo:
    article_id = entity_id.split(":")[0]
    return EntityInfo(entity_id, article_id, kind, name, {name, *aliases}, country, 1)


def _groups(entities: list[EntityInfo]) -> set[frozenset[str]]:
    return {frozenset(actor.entity_ids) for actor in resolve_actors(entities)}


@pytest.mark.parametrize(("a", "b"), [("Shoygu", "Shoigu"), ("Sergey", "Sergei"),
                                      ("Tasmagambetow", "Tasmagambetov"),
                                      ("Zelenskyy", "Zelensky"), ("Khamenei", "Hamenei")])
def test_transliteration_key_folds_spelling_variants(a, b):
    assert transliteration_key(a) == transliteration_key(b)


def test_transliterated_full_names_merge_with_a_reason():
    actors = resolve_actors([_entity("a1:e1", "Sergei Shoigu"), _entity("a2:e1", "Sergey Shoygu")])
    assert len(actors) == 1
    assert "transliteration" in actors[0].reasons["a2:e1"]


def test_people_sharing_a_surname_stay_apart():
    assert _groups([_entity("a1:e1", "Sergei Ivanov"), _entity("a2:e1", "Viktor Ivanov"),
                    _entity("a3:e1", "Sergey Ivanov")]) == {
        frozenset({"a1:e1", "a3:e1"}), frozenset({"a2:e1"})}


def test_a_bare_surname_joins_a_full_name_only_within_its_article():
    groups = _groups([_entity("a1:e1", "Sergey Shoygu"), _entity("a1:e2", "Shoigu"),
                      _entity("a2:e1", "Viktor Shoigu"), _entity("a3:e1", "Shoigu")])
    assert frozenset({"a1:e1", "a1:e2"}) in groups
    assert frozenset({"a3:e1"}) in groups  # "Shoigu" alone elsewhere could be either


def test_an_ambiguous_surname_in_one_article_links_to_nobody():
    groups = _groups([_entity("a1:e1", "Sergei Ivanov"), _entity("a1:e2", "Viktor Ivanov"),
                      _entity("a1:e3", "Ivanov")])
    assert frozenset({"a1:e3"}) in groups


def test_acronym_and_expansion_linked_in_one_article_merge_everywhere():
    actors = resolve_actors([
        _entity("a1:e1", "Collective Security Treaty Organization", "organization",
                aliases=("CSTO",)),
        _entity("a2:e1", "CSTO", "organization"),
        _entity("a3:e1", "Collective Security Treaty Organization", "organization"),
    ])
    assert len(actors) == 1
    assert actors[0].name == "Collective Security Treaty Organization"
    assert "CSTO" in actors[0].reasons["a2:e1"]


def test_an_acronym_linked_to_two_different_organisations_merges_neither():
    groups = _groups([
        _entity("a1:e1", "Democratic Alliance", "organization", aliases=("DA",)),
        _entity("a2:e1", "District Attorney", "organization", aliases=("DA",)),
        _entity("a3:e1", "DA", "organization"),
        _entity("a4:e1", "Democratic Alliance", "organization"),
    ])
    assert groups == {frozenset({"a1:e1", "a4:e1"}), frozenset({"a2:e1"}),
                      frozenset({"a3:e1"})}


def test_an_acronym_linked_to_a_longer_form_of_the_same_name_still_merges():
    groups = _groups([
        _entity("a1:e1", "United Nations", "organization", aliases=("UN",)),
        _entity("a2:e1", "United Nations Organization", "organization", aliases=("UN",)),
        _entity("a3:e1", "UN", "organization"),
    ])
    assert groups == {frozenset({"a1:e1", "a2:e1", "a3:e1"})}


def test_organisation_names_equal_but_for_a_legal_suffix_merge():
    groups = _groups([_entity("a1:e1", "Apple Inc.", "organization"),
                      _entity("a2:e1", "Apple", "organization"),
                      _entity("a3:e1", "Apple Records", "organization")])
    assert groups == {frozenset({"a1:e1", "a2:e1"}), frozenset({"a3:e1"})}


def test_a_given_name_alone_joins_the_only_full_name_starting_with_it():
    groups = _groups([_entity("a1:e1", "Steve Jobs"), _entity("a1:e2", "Steve"),
                      _entity("a2:e1", "Steve Jobs"), _entity("a2:e2", "Steve Wozniak"),
                      _entity("a2:e3", "Steve")])
    assert frozenset({"a1:e1", "a1:e2", "a2:e1"}) in groups
    assert frozenset({"a2:e3"}) in groups  # two Steves in that article: ambiguous


def test_namesakes_from_different_countries_stay_apart():
    actors = resolve_actors([
        _entity("a1:e1", "Defense Ministry", "organization", "RUS"),
        _entity("a2:e1", "Defense Ministry", "organization", "UKR"),
        _entity("a3:e1", "Defense Ministry", "organization", None),
    ])
    assert len(actors) == 2 and len({a.actor_id for a in actors}) == 2


def test_resolution_is_deterministic():
    entities = [_entity(f"a{i}:e1", name) for i, name in
                enumerate(["Sergei Shoigu", "Sergey Shoygu", "Sergei Ivanov", "Shoigu"])]
    first = [(a.actor_id, a.entity_ids, a.reasons) for a in resolve_actors(entities)]
    again = [(a.actor_id, a.entity_ids, a.reasons) for a in resolve_actors(entities[::-1])]
    assert first == again


ARTICLES = [
    ("2024-03-01", "Russian Defence Minister Sergei Shoigu met his Belarusian counterpart in "
                   "Minsk on Tuesday. The Collective Security Treaty Organization (CSTO) "
                   "welcomed the talks."),
    ("2024-03-05", "Sergey Shoygu visited troops in Rostov on Friday. \"We are ready,\" Shoigu "
                   "told reporters. The CSTO will hold exercises in Tajikistan."),
    ("2024-03-06", "Andrei Ivanov, a spokesman for the ministry, said the plan was ready. "
                   "Viktor Ivanov, the governor of the region, rejected it."),
]


@pytest.fixture(scope="module")
def published(nlp, tmp_path_factory):
    articles = [article_from_record({"id": f"a{i}", "text": text, "published": day})
                for i, (day, text) in enumerate(ARTICLES)]
    records = extract_batch(articles, nlp)
    con = warehouse.connect(tmp_path_factory.mktemp("actors") / "w.duckdb")
    warehouse.publish_batch(con, "run-1", 0, warehouse.stage_frames(articles, records, "run-1"),
                            {}, [], "test")
    yield con
    con.close()


def test_two_articles_about_one_person_give_one_dim_people_row(published):
    rows = published.execute("""
        select person_id, name, aliases, country_iso3, sector, article_count, roles,
               first_seen_date, last_seen_date
        from people where list_contains(aliases, 'Sergey Shoygu')
    """).fetchall()
    assert len(rows) == 1
    _, name, aliases, country, sector, article_count, roles, first, last = rows[0]
    assert {"Sergei Shoigu", "Sergey Shoygu", "Shoigu"} <= set(aliases)
    assert (country, sector, article_count) == ("RUS", "government", 2)
    assert roles == ["Defence Minister, RUS (2024-03-01)"]
    assert (str(first), str(last)) == ("2024-03-01", "2024-03-05")
    reasons = dict(published.execute("""
        select alias, merge_reason from dim_actor_aliases where actor_id = ?
    """, [rows[0][0]]).fetchall())
    assert any("transliteration" in reasons[name] for name in ("Sergey Shoygu", "Sergei Shoigu"))
    assert "surname" in reasons["Shoigu"] or "same article" in reasons["Shoigu"]


def test_people_sharing_a_surname_are_two_rows(published):
    names = [row[0] for row in published.execute(
        "select name from people where name like '%Ivanov' order by name").fetchall()]
    assert names == ["Andrei Ivanov", "Viktor Ivanov"]


def test_acronym_and_expansion_are_one_organisation(published):
    rows = published.execute("""
        select name, aliases, sector, article_count from organizations
        where list_contains(aliases, 'CSTO')
    """).fetchall()
    assert rows == [("Collective Security Treaty Organization",
                     ["CSTO", "Collective Security Treaty Organization"], "international", 2)]


def test_every_person_and_organisation_entity_has_one_actor(published):
    unresolved = published.execute("""
        select count(distinct entity_id) from fct_mentions
        where label in ('PERSON', 'ORG')
          and entity_id not in (select entity_id from dim_actor_entities)
    """).fetchall()[0][0]
    assert unresolved == 0
    assert published.execute("select count(*) from fct_roles").fetchall()[0][0] >= 3


SPELLINGS = ["Sergei Shoigu", "Sergey Shoygu", "Serge Shoigou", "Sergej Shoiguu", "Sergei Ivanov",
             "Sergey Ivanoff", "Viktor Ivanov", "Victor Ivanow", "Andrei Al Sharif",
             "Andrey Al Shareef", "Andre van Sherif", "Anna Smith", "Ana Smyth", "Hanna Smit",
             "Mohammed Sharif", "Muhammad Shareef", "Mohamed Sherif"]


def test_the_transliteration_prefilter_keeps_every_pair_the_rule_would_merge():
    from warehouse.actor_identity import _name_similarity, _similar_pairs, could_link, linkable

    block = [_entity(f"a{i}:e1", name) for i, name in enumerate(SPELLINGS)]
    expected = [[j for j in range(i + 1, len(block))
                 if _name_similarity(block[i].name, block[j].name) is not None]
                for i in range(len(block))]
    candidates = _similar_pairs(block)
    assert all(set(expected[i]) <= set(candidates[i]) for i in range(len(block)))
    assert sum(map(len, expected)) >= 5  # the fixture does hold transliterations
    others = {e.name: e for e in block}
    for entity in block:
        assert linkable("block:2:sh", entity, others) == [
            name for name, other in others.items() if could_link("block:2:sh", entity, other)]
