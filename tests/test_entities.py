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


# -- what kind of thing a name is (transforms/entity_kinds.py, entity_people.py) --------------

@pytest.mark.parametrize("text, product", [
    ("Qantas ordered twelve Boeing 737 aircraft on Monday.", "Boeing"),
    ("The Airbus A380-800 landed in Sydney.", "Airbus"),
    ("The carrier will buy twenty new Embraer jets.", "Embraer"),
    ("Sales of the iPhone doubled, Apple said.", "iPhone"),
])
def test_brands_of_products_are_not_organisations(nlp, text, product):
    assert (product, "ORG") not in _labels(nlp, text)


def test_an_organisation_next_to_a_product_is_still_an_organisation(nlp):
    labels = _labels(nlp, "Boeing said the Boeing 737 would fly again in March.")
    assert ("Boeing", "ORG") in labels


def test_flight_numbers_leave_the_airline(nlp):
    labels = _labels(nlp, "Investigators studied the crash of Garuda Indonesia Flight 200.")
    assert ("Garuda Indonesia", "ORG") in labels
    assert not any("Flight" in text for text, _ in labels)


def test_events_are_not_organisations(nlp):
    doc = nlp("Jobs spoke at the Worldwide Developers Conference (WWDC) in San Francisco. "
              "WWDC drew thousands.")
    records = entity_records(doc, "a")
    assert not any(r["label"] == "ORG" and ("Conference" in r["text"] or r["text"] == "WWDC")
                   for r in records)


@pytest.mark.parametrize("text, name", [
    ("Sales rose at U.S. electronics retailer Best Buy last year.", "Best Buy"),
    ("The report appeared in German magazine Der Spiegel on Sunday.", "Der Spiegel"),
])
def test_a_name_after_an_organisation_noun_is_an_organisation(nlp, text, name):
    labels = _labels(nlp, text)
    assert (name, "PERSON") not in labels


@pytest.mark.parametrize("text, name", [
    ("He praised Apple Computer's Mac OS X on Monday.", "Apple Computer"),
    ("Officials at Vantor Holdings's headquarters declined to comment.", "Vantor Holdings"),
])
def test_a_name_ends_at_its_possessive(nlp, text, name):
    ents = {e.text for e in nlp(text).ents}
    assert name in ents and not any("'s" in e for e in ents)


def test_a_plural_owner_stays_inside_the_name(nlp):
    labels = {e.text for e in nlp("The People's Liberation Army held drills.").ents}
    assert "People's Liberation Army" in labels


def test_a_person_title_at_the_start_of_an_org_span_makes_a_person(nlp):
    doc = nlp("Spokeswoman Sandy Angers said the team would report. "
              "\"It will take time,\" said Angers.")
    records = entity_records(doc, "a")
    people = {r["text"] for r in records if r["label"] == "PERSON"}
    assert "Sandy Angers" in people
    assert not any(r["label"] == "ORG" and "Angers" in r["text"] for r in records)


def test_a_lone_word_person_needs_a_full_name_title_or_speech(nlp):
    doc = nlp("Apple unveiled Lion, the new version of its operating system. "
              "Hana Kowalczyk presented it. Kowalczyk said it ships in July.")
    people = {e.text for e in doc.ents if e.label_ == "PERSON"}
    assert "Lion" not in people
    assert {"Hana Kowalczyk", "Kowalczyk"} <= people


def test_rules_can_be_switched_off_for_measurement(nlp):
    repair = nlp.get_pipe("newsdesk_entities")
    text = "The carrier ordered five Boeing 737 aircraft."
    try:
        repair.disabled = {"model_designators", "product_nouns_follow"}
        off = _labels(nlp, text)
    finally:
        repair.disabled = set()
    on = _labels(nlp, text)
    assert ("Boeing", "ORG") not in on
    assert off != on


@pytest.mark.parametrize("text, org", [
    ("An Apple spokesman declined to comment.", "Apple"),
    ("Ryanair CEO Michael Kearney defended the order.", "Ryanair"),
])
def test_an_organisation_before_a_title_is_kept(nlp, text, org):
    assert (org, "ORG") in _labels(nlp, text)


@pytest.mark.parametrize("text, org", [
    ("A Reuters reporter saw the convoy.", "Reuters"),
    ("NATO jets struck the depot overnight.", "NATO"),
])
def test_organisations_modifying_a_noun_stay_actors(nlp, text, org):
    assert (org, "ORG") in _labels(nlp, text)


def test_air_before_a_country_names_an_airline(nlp):
    labels = _labels(nlp, "Boeing delivered jets to Air China and other carriers.")
    assert ("Air China", "ORG") in labels
    assert ("China", "GPE") not in labels


def test_a_one_word_name_keeps_the_organisation_label_it_has_elsewhere():
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

    from transforms.entity_people import one_word_orgs_stay_orgs

    doc = Doc(Vocab(), words=["Ryanair", "ordered", "jets", ".", "Ryanair", "grew", "."])
    spans = [Span(doc, 0, 1, "ORG"), Span(doc, 4, 5, "PERSON")]
    assert [s.label_ for s in one_word_orgs_stay_orgs(doc, spans)] == ["ORG", "ORG"]
