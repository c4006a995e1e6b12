"""Entity repair: titles mark people, acronyms link to expansions, fragments go, ids link."""

from __future__ import annotations

import pytest

from transforms.extract import entity_records


def _labels(nlp, text):
    return {(e.text, e.label_) for e in nlp(text).ents}


@pytest.mark.parametrize("text, name", [
    ("The agency's Secretary General, Amara Okonkwo-Bassey said the talks failed.", "Amara Okonkwo-Bassey"),
    ("Interior Minister Tarquin Vellacourt resigned on Monday.", "Tarquin Vellacourt"),
    ("Gen. Ilse Marchetti toured the base.", "Ilse Marchetti"),
])
def test_a_name_after_a_title_is_a_person(nlp, text, name):
    assert (name, "PERSON") in _labels(nlp, text)


def test_title_fragment_is_not_an_organisation(nlp):
    labels = _labels(nlp, "The Russian Defense Minister Sergey Shoigu spoke.")
    assert ("Defense", "ORG") not in labels
    assert ("Sergey Shoigu", "PERSON") in labels


def test_title_inside_an_organisation_name_is_left_alone(nlp):
    assert ("General Motors", "ORG") in _labels(nlp, "General Motors said profits rose.")


def test_acronym_in_parentheses_links_to_expansion_and_repeats(nlp):
    text = ("The Northern Grain Exporters Union (NGEU) met on Friday. "
            "Later NGEU officials said the NGEU would appeal.")
    doc = nlp(text)
    records = entity_records(doc, "a")
    ngeu = [r for r in records if r["text"] == "NGEU"]
    expansion = [r for r in records if r["text"] == "Northern Grain Exporters Union"]
    assert len(ngeu) == 3 and expansion
    assert {r["label"] for r in ngeu} == {"ORG"}
    assert {r["entity_id"] for r in ngeu + expansion} == {expansion[0]["entity_id"]}


def test_spans_never_start_with_the(nlp):
    doc = nlp("The United Nations and the European Union met the World Bank.")
    assert all(not e.text.lower().startswith("the ") for e in doc.ents)


def test_seed_people_orgs_and_coreference(nlp, seed_text):
    records = entity_records(nlp(seed_text), "seed")
    by_label = {}
    for r in records:
        by_label.setdefault(r["label"], set()).add(r["text"])
    assert {"Sergey Shoigu", "Imangali Tasmagambetov", "Anatoly Sidorov"} <= by_label["PERSON"]
    assert {"CSTO", "NATO", "TASS", "Taliban", "ISKP"} <= by_label["ORG"]
    ids = {r["text"]: r["entity_id"] for r in records}
    assert ids["Shoigu"] == ids["Sergey Shoigu"]
    assert ids["CSTO"] == ids["Collective Security Treaty Organization"]
    assert ids["ISKP"] == ids["Islamic State – Khorasan province"]
    assert all(seed_text[r["start"]:r["end"]] == r["text"] for r in records)


def test_compound_titles_are_not_names(nlp):
    labels = _labels(nlp, "Chief Operating Officer Dana Whitcombe left the airline.")
    assert ("Operating", "PERSON") not in labels
    assert ("Dana Whitcombe", "PERSON") in labels


def test_a_bare_surname_after_the_full_name_is_the_person(nlp):
    doc = nlp("Orla Jobs founded the firm in 1998. Jobs said the company would grow.")
    records = entity_records(doc, "a")
    jobs = [r for r in records if r["text"] == "Jobs"]
    assert jobs and jobs[0]["label"] == "PERSON"
    assert jobs[0]["entity_id"] == next(r["entity_id"] for r in records if r["text"] == "Orla Jobs")


@pytest.mark.parametrize("text, not_entity", [
    ("The player stores 80 GB of music.", "GB"),
    ("The deal was worth 23 billion USD according to the filing.", "USD"),
])
def test_units_and_currency_codes_are_not_entities(nlp, text, not_entity):
    assert not_entity not in {e.text for e in nlp(text).ents}
