"""Tests for the newsdesk_places component: recognition repair and resolution."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from transforms.places import PlaceResolver

PLACE_KEYS = {"start", "end", "text", "name", "country_iso3", "admin1", "lat", "lon",
              "geonames_id", "feature", "precision", "sentence"}


def places_of(nlp, text: str) -> list[dict]:
    return nlp(text)._.places


def by_text(places: list[dict]) -> dict[str, dict]:
    return {place["text"]: place for place in places}


@pytest.fixture(scope="module")
def seed_places(nlp, seed_text):
    return nlp(seed_text)._.places


@pytest.mark.parametrize(("text", "iso3", "feature"), [
    ("Minsk", "BLR", "city"),
    ("Belarus", "BLR", "country"),
    ("Afghanistan", "AFG", "country"),
    ("Tajikistan", "TJK", "country"),
    ("Kunduz", "AFG", "admin1"),
    ("Badakhshan", "AFG", "admin1"),
    ("Takhar", "AFG", "admin1"),
    ("United States", "USA", "country"),
])
def test_seed_places(seed_places, text, iso3, feature):
    place = by_text(seed_places)[text]
    assert (place["country_iso3"], place["feature"], place["precision"]) == (iso3, feature, feature)


def test_seed_admin1_codes_and_region(seed_places, seed_text):
    places = by_text(seed_places)
    assert places["Kunduz"]["admin1"] == "AF-KDZ"
    assert places["Badakhshan"]["admin1"] == "AF-BDS"
    assert {p["name"] for p in seed_places if p["feature"] == "region"} == {"Central Asia"}
    for place in seed_places:
        assert set(place) == PLACE_KEYS
        assert seed_text[place["start"]:place["end"]] == place["text"]
        assert not place["text"].lower().startswith("the ")
        assert isinstance(place["lat"], float) and isinstance(place["lon"], float)


def test_seed_tajikistan_possessive_is_a_place(seed_places):
    assert sum(p["text"] == "Tajikistan" for p in seed_places) == 2


def test_seed_demonyms_stay_norp(nlp, seed_text):
    doc = nlp(seed_text)
    assert {e.text for e in doc.ents if e.label_ == "NORP"} >= {"Russian", "Afghan"}
    assert "Russian" not in {p["text"] for p in doc._.places}


@pytest.mark.parametrize(("sentence", "text"), [
    # A subdivision list with a type word after it.
    ("Clashes were reported in Helmand, Zabul and Uruzgan provinces.", "Zabul"),
    ("Clashes were reported in Helmand, Zabul and Uruzgan provinces.", "Uruzgan"),
    ("Troops left Bamyan and Ghazni provinces.", "Bamyan"),
    ("Troops left Bamyan and Ghazni provinces.", "Ghazni"),
    ("Militants moved between Faryab, Jowzjan, and Sar-e Pul provinces.", "Sar-e Pul"),
    # A known place after a strong preposition, whatever spaCy called it.
    ("Refugees crossed from Herat into Iran.", "Herat"),
    # A country name after a comma parent slot ("<city>, <Country>").
    ("Talks in Dushanbe, Tajikistan ended.", "Tajikistan"),
    # A country in a list of countries.
    ("Delegates from Kyrgyzstan, Kazakhstan and Uzbekistan met.", "Uzbekistan"),
    # A country name used as itself, before a possessive.
    ("Kyrgyzstan's northern valleys flooded overnight.", "Kyrgyzstan"),
    # A hyphenated name spaCy cut short.
    ("The delegation arrived in Mazar-i-Sharif late on Friday.", "Mazar-i-Sharif"),
    # A name after "in" that spaCy left out.
    ("Aid workers in Takhar counted the damage.", "Takhar"),
])
def test_recognition_repair(nlp, sentence, text):
    doc = nlp(sentence)
    assert text in {e.text for e in doc.ents if e.label_ in {"GPE", "LOC"}}
    assert text in by_text(doc._.places)


@pytest.mark.parametrize(("sentence", "text", "label"), [
    ("Bank of America raised its forecast.", "Bank of America", "ORG"),
    ("Jordan Peterson gave a lecture on Monday.", "Jordan Peterson", "PERSON"),
    ("Many Russian and Afghan officials attended.", "Russian", "NORP"),
])
def test_organisations_and_people_stay(nlp, sentence, text, label):
    doc = nlp(sentence)
    assert (text, label) in {(e.text, e.label_) for e in doc.ents}
    assert doc._.places == [] or text not in by_text(doc._.places)


def test_demonyms_and_diseases_are_not_places(nlp):
    doc = nlp("European and Angolan officials tracked the Marburg virus in Uige.")
    texts = {p["text"] for p in doc._.places}
    assert not texts & {"European", "Angolan", "Marburg"}


def test_no_place_without_cue(nlp):
    # "Reading" and "March" are English towns, but nothing here makes them places.
    doc = nlp("Reading the report in March, she smiled.")
    assert {p["text"] for p in doc._.places} <= set()


def test_ents_stay_valid(nlp):
    doc = nlp("Officials from the United States met in Kunduz, Afghanistan, and in the Sahel.")
    ends = [(e.start, e.end) for e in doc.ents]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))
    assert "the United States" not in {e.text for e in doc.ents}


@pytest.mark.parametrize(("sentence", "text", "iso3", "feature"), [
    # A named parent picks the namesake.
    ("He grew up in Springfield, Illinois.", "Springfield", "USA", "city"),
    ("She was born in Paris, France.", "Paris", "FRA", "city"),
    # The article's other places outweigh the country of the same name.
    ("Voters in Atlanta and Savannah, in the state of Georgia, lined up.", "Georgia", "USA",
     "admin1"),
    ("Tbilisi is the capital of Georgia, a country in the Caucasus.", "Georgia", "GEO",
     "country"),
    # A type word picks the subdivision over its capital city.
    ("Fighting continued in Kunduz province.", "Kunduz province", "AFG", "admin1"),
    ("The governor of Kunduz resigned.", "Kunduz", "AFG", "admin1"),
    # A country name never resolves to a namesake city.
    ("Officials in Armenia and Mexico said so.", "Mexico", "MEX", "country"),
])
def test_resolution_uses_context(nlp, sentence, text, iso3, feature):
    place = by_text(places_of(nlp, sentence))[text]
    assert (place["country_iso3"], place["feature"]) == (iso3, feature)


def test_short_forms_resolve_to_countries(nlp):
    places = by_text(places_of(nlp, "The U.S. and the UK sent aid to the DRC."))
    assert places["U.S."]["country_iso3"] == "USA"
    assert places["UK"]["country_iso3"] == "GBR"
    assert places["DRC"]["country_iso3"] == "COD"


def test_region_resolution(nlp):
    place = by_text(places_of(nlp, "Drought hit farmers across the Sahel this year."))["Sahel"]
    assert (place["feature"], place["precision"]) == ("region", "region")
    assert place["lat"] is not None


def test_unknown_place_is_kept_unresolved(nlp):
    doc = nlp.make_doc("They flew to Zzyzxville and then to Kenya.")
    doc.ents = [Span(doc, 3, 4, label="GPE"), Span(doc, 7, 8, label="GPE")]
    PlaceResolver(repair=False)(doc)
    places = by_text(doc._.places)
    assert places["Zzyzxville"]["precision"] == "unresolved"
    assert places["Zzyzxville"]["lat"] is None and places["Zzyzxville"]["feature"] == "other"
    assert places["Kenya"]["country_iso3"] == "KEN"


def test_sentence_index(nlp):
    places = places_of(nlp, "Rain fell in Kenya. Then it snowed in Norway.")
    assert [(p["text"], p["sentence"]) for p in places] == [("Kenya", 0), ("Norway", 1)]


def test_county_in_a_british_story_stays_in_britain(nlp):
    text = ("Vets in England culled 3,000 turkeys after bird flu reached a farm in Suffolk. "
            "The British government said the farm near Ipswich would stay closed.")
    place = by_text(places_of(nlp, text))["Suffolk"]
    assert place["country_iso3"] == "GBR" and place["admin1"] == "GB-ENG"
    assert 51.5 < place["lat"] < 53 and 0 < place["lon"] < 2


def test_county_named_with_its_parent(nlp):
    place = by_text(places_of(nlp, "Foot-and-mouth disease was found at a farm in Surrey, England."))
    assert place["Surrey"]["country_iso3"] == "GBR"


def test_town_missing_from_the_gazetteer_takes_its_named_state(nlp):
    text = "Floods closed the only bridge out of Tinyhollow, Vermont on Monday."
    doc = nlp(text)
    doc.ents = [Span(doc, 7, 8, label="GPE"), Span(doc, 9, 10, label="GPE")]
    PlaceResolver(repair=False)(doc)
    place = by_text(doc._.places)["Tinyhollow"]
    assert (place["admin1"], place["precision"]) == ("US-VT", "admin1")


@pytest.mark.parametrize("text", [
    "Officials in Ohio, Oregon, Utah and Washington reported new salmonella cases.",
    "The first case was found in the state of Washington last December.",
    "Apple growers in Washington state expect a smaller harvest.",
])
def test_washington_the_state(nlp, text):
    place = by_text(places_of(nlp, text))["Washington"]
    assert (place["feature"], place["admin1"]) == ("admin1", "US-WA")


def test_washington_the_city(nlp):
    place = by_text(places_of(nlp, "The senator flew back to Washington, D.C. for the vote."))
    assert (place["Washington"]["feature"], place["Washington"]["admin1"]) == ("city", "US.DC")


def test_states_listed_together_stay_states(nlp):
    places = by_text(places_of(nlp, "Storms hit Kansas, Missouri, Oregon and Wyoming overnight."))
    assert {places[name]["feature"] for name in ("Missouri", "Oregon", "Wyoming")} == {"admin1"}


def test_countries_listed_together_stay_themselves(nlp):
    places = by_text(places_of(nlp, "Cases were confirmed in Greece, Bulgaria, Italy and Austria."))
    assert [places[n]["country_iso3"] for n in ("Greece", "Bulgaria", "Italy", "Austria")] == \
        ["GRC", "BGR", "ITA", "AUT"]


def test_a_namesake_resolved_by_the_articles_other_places(nlp):
    text = ("A tornado tore through Paris on Tuesday night. Crews from Dallas and Houston "
            "joined the search, and the governor declared a disaster across Texas.")
    place = by_text(places_of(nlp, text))["Paris"]
    assert (place["country_iso3"], place["admin1"], place["feature"]) == ("USA", "US-TX", "city")


@pytest.mark.parametrize(("sentence", "text", "iso3"), [
    # Listed with countries, a country name is the country, not a subdivision of a neighbour.
    ("Measles cases fell in Egypt and Niger last year, officials in Nigeria said.", "Niger", "NER"),
    ("Vaccines went to Ghana, Guinea-Bissau, Niger, Nigeria and Togo.", "Niger", "NER"),
    # "Republic" ending a later name in the list is not a type word for "Benin".
    ("Teams reached Gambia, Benin, Central African Republic and Chad, "
     "as well as Benin City in Nigeria.", "Benin", "BEN"),
])
def test_names_listed_with_countries_are_countries(nlp, sentence, text, iso3):
    place = by_text(places_of(nlp, sentence))[text]
    assert (place["country_iso3"], place["feature"]) == (iso3, "country")


def test_a_parent_name_holds_the_town_before_it(nlp):
    text = ("The bakery, based in London, Ontario in Canada, shipped bread to stores "
            "in California.")
    place = by_text(places_of(nlp, text))["Ontario"]
    assert (place["country_iso3"], place["admin1"], place["feature"]) == ("CAN", "CA-ON", "admin1")


@pytest.mark.parametrize("text", [
    "A tornado flattened homes in Athens, Texas on Sunday.",
    "Texas troopers closed the highway after a tornado hit Athens on Sunday.",
])
def test_small_town_in_its_named_state_beats_a_foreign_namesake(nlp, text):
    place = by_text(places_of(nlp, text))["Athens"]
    assert (place["country_iso3"], place["admin1"], place["feature"]) == ("USA", "US-TX", "city")
    assert place["geonames_id"] is not None and 31.5 < place["lat"] < 32.8


def test_two_foreign_namesakes_do_not_vouch_for_each_other(nlp):
    # Suffolk and Norfolk are also neighbouring cities in Virginia; the article names the UK.
    text = ("Inspectors in the UK ordered a cull after bird flu reached a turkey farm in "
            "Suffolk. Last spring a smaller outbreak was contained in Norfolk.")
    places = by_text(places_of(nlp, text))
    assert places["Suffolk"]["country_iso3"] == "GBR"
    assert places["Norfolk"]["country_iso3"] == "GBR"
