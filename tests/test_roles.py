"""Roles (person–title–organisation–country) and actor attributes (country, sector)."""

from __future__ import annotations

import pytest

from transforms.actors import SECTORS, org_attributes, org_sector
from transforms.articles import article_from_record
from transforms.extract import extract_batch


def _record(nlp, text: str, published: str | None = "2024-03-07") -> dict:
    article = article_from_record({"id": "t", "text": text, "published": published})
    return extract_batch([article], nlp)[0]


def _role_of(record: dict, person: str) -> dict:
    roles = [r for r in record["roles"] if r["person"] == person]
    assert roles, f"no role for {person!r}: {record['roles']}"
    return roles[0]


@pytest.fixture(scope="module")
def seed_record(nlp, seed_text):
    return _record(nlp, seed_text, published=None)


def test_seed_people_have_their_titles_countries_and_organisation(seed_record):
    csto = {e["entity_id"] for e in seed_record["entities"] if e["text"] == "CSTO"}
    assert len(csto) == 1
    shoigu = _role_of(seed_record, "Sergey Shoigu")
    assert (shoigu["title"], shoigu["country_iso3"]) == ("Defense Minister", "RUS")
    secretary = _role_of(seed_record, "Imangali Tasmagambetov")
    assert secretary["title"] == "Secretary General"
    assert secretary["organization_entity_id"] in csto  # "its Secretary General": the CSTO
    chief = _role_of(seed_record, "Anatoly Sidorov")
    assert chief["title"] == "Chief of Joint Staff"
    assert chief["organization_entity_id"] in csto  # "the organization's Chief of Joint Staff"
    assert chief["sector"] == "military"


def test_seed_actor_attributes(seed_record):
    by_text = {(e["label"], e["text"]): e for e in seed_record["entities"]}
    shoigu = by_text[("PERSON", "Sergey Shoigu")]
    assert (shoigu["country_iso3"], shoigu["sector"]) == ("RUS", "government")
    # the surname mention shares the entity, hence the attributes
    assert by_text[("PERSON", "Shoigu")]["country_iso3"] == "RUS"
    assert by_text[("PERSON", "Imangali Tasmagambetov")]["sector"] == "international"
    assert by_text[("ORG", "CSTO")]["country_iso3"] is None  # an international body
    assert by_text[("ORG", "CSTO")]["sector"] == "international"
    assert by_text[("ORG", "Taliban")]["sector"] == "rebel"
    for ent in seed_record["entities"]:
        assert ent["sector"] in (None, *SECTORS)


def test_roles_keep_provenance_and_publication_date(nlp, seed_text):
    record = _record(nlp, seed_text, published="2023-01-20")
    people = {e["entity_id"] for e in record["entities"] if e["label"] == "PERSON"}
    for role in record["roles"]:
        assert seed_text[role["start"]:role["end"]] == role["text"]
        assert role["start"] <= role["person_start"] < role["person_end"] <= role["end"]
        assert role["person_entity_id"] in people
        assert role["as_of"] == "2023-01-20"
        sentence = record["sentences"][role["sentence"]]
        assert sentence[0] <= role["start"] < sentence[1]


@pytest.mark.parametrize(("text", "person", "title", "organization", "country", "rule"), [
    ("U.S. President Joe Biden met reporters in Washington on Friday.",
     "Joe Biden", "President", None, "USA", "prenominal"),
    ("Sergei Lavrov, Russia's foreign minister, said talks would continue.",
     "Sergei Lavrov", "foreign minister", None, "RUS", "apposition"),
    ("The Secretary General of NATO, Jens Stoltenberg, warned of new threats.",
     "Jens Stoltenberg", "Secretary General", "NATO", None, "prenominal_comma"),
    ("Maria Lopez, the head of the Red Cross delegation, said supplies were short.",
     "Maria Lopez", "head", "Red Cross", None, "apposition"),
    ("Laura Diaz, a spokeswoman for the FBI, declined to comment.",
     "Laura Diaz", "spokeswoman", "FBI", None, "apposition"),
    ("Romanian Agriculture Minister Gheorghe Popa visited the farm.",
     "Gheorghe Popa", "Agriculture Minister", None, "ROU", "prenominal"),
])
def test_role_constructions(nlp, text, person, title, organization, country, rule):
    role = _role_of(_record(nlp, text), person)
    assert (role["title"], role["organization"], role["country_iso3"], role["rule"]) == (
        title, organization, country, rule)


def test_former_titles_are_flagged(nlp):
    record = _record(nlp, "Former Prime Minister Imran Khan was arrested in Islamabad.")
    assert _role_of(record, "Imran Khan")["is_former"] is True


def test_a_company_named_general_is_no_title(nlp):
    record = _record(nlp, "General Motors said on Monday that Mary Barra would visit Detroit.")
    assert record["roles"] == []


@pytest.mark.parametrize(("name", "before", "expected"), [
    ("Russian News Agency", "", ("RUS", "media")),
    ("NATO", "", (None, "international")),
    ("the Taliban", "", ("AFG", "rebel")),
    ("Defense Ministry", "officials at Russia's ", ("RUS", "military")),
    ("Kenya Defence Forces", "", ("KEN", "military")),
    ("Acme Holdings", "", (None, "business")),
    ("Springfield Tenants Association", "", (None, "civil_society")),
])
def test_organisation_attributes(name, before, expected):
    assert org_attributes(name, before) == expected


def test_multiword_sector_keys_win_over_single_words():
    assert org_sector("Xinhua News Agency") == "media"  # not "agency"
    assert org_sector("National Police Union") == "civil_society"  # the head word wins


def test_staged_roles_pass_their_suite_and_bad_rows_fail(nlp, seed_text):
    from expectations import validate_batch
    from warehouse.staging import stage_frames

    article = article_from_record({"id": "seed", "text": seed_text, "published": "2023-01-20"})
    staged = stage_frames([article], extract_batch([article], nlp), "run-1")
    frames = {t: staged[t] for t in ("stg_articles", "stg_mentions", "stg_roles")}
    roles = frames["stg_roles"]
    assert len(roles) >= 3 and roles["is_span_text_exact"].all()
    assert set(roles["role_date"].astype(str)) == {"2023-01-20"}
    result = validate_batch(frames, "run-1")
    assert result.failed_rows["stg_roles"].empty
    broken = dict(frames)
    broken["stg_roles"] = roles.copy()
    broken["stg_roles"].loc[0, "sector"] = "sports"
    broken["stg_roles"].loc[1, "person_entity_id"] = "nobody:e1"
    failed = validate_batch(broken, "run-1").failed_rows["stg_roles"]
    assert {(row.row_number, row.expectation.split("(")[1].rstrip(")"))
            for row in failed.itertuples()} == {(0, "sector"), (1, "is_person_mentioned")}
