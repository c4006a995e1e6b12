"""Events: typed triggers with actors from the parse, places, dates, modes; no default code."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.articles import article_from_record
from transforms.extract import extract_batch


def _events(nlp, text, published="2024-03-08"):
    article = article_from_record({"id": "t", "text": text, "published": published})
    return extract_batch([article], nlp)[0]["events"]


@pytest.mark.parametrize("text, etype, actor1, actor2", [
    ("Police arrested the opposition leader Dario Velt in Santiago.", "COERCE", "Police", "Dario Velt"),
    ("Kenya accused Uganda of backing the rebels.", "ACCUSE", "Kenya", "Uganda"),
    ("Rebels attacked an army convoy near Goma on Tuesday.", "ASSAULT", "Rebels", None),
    ("The government rejected the proposal.", "REJECT", "government", None),
])
def test_event_types_and_actors(nlp, text, etype, actor1, actor2):
    events = _events(nlp, text)
    assert events, text
    event = events[0]
    assert event["type"] == etype
    assert event["actor1"] == actor1
    if actor2:
        assert event["actor2"] == actor2


def test_passive_voice_swaps_source_and_target(nlp):
    event = _events(nlp, "Three journalists were detained by soldiers in Bamako.")[0]
    assert event["type"] == "COERCE"
    assert event["actor1"] == "soldiers"
    assert event["place"] == "Bamako"


def test_sentence_without_a_lexicon_trigger_yields_no_event(nlp):
    assert _events(nlp, "The weather was mild and the markets were quiet.") == []


def test_negation_and_modality_are_modes(nlp):
    negated = _events(nlp, "Ghana did not sanction Togo.")[0]
    possible = _events(nlp, "Rebels may attack the capital.")[0]
    assert negated["mode"] == "negated" and possible["mode"] == "possible"


def test_event_takes_date_and_place_of_its_clause(nlp):
    event = _events(nlp, "Officials met in Geneva on Thursday to discuss the ceasefire.")[0]
    assert event["type"] == "CONSULT"
    assert event["place"] == "Geneva"
    assert event["date"] == "Thursday"
    assert event["date_value"] == dt.date(2024, 3, 7).isoformat()


def test_seed_events(nlp, seed_text):
    events = _events(nlp, seed_text, published=None)
    found = {(e["type"], e["actor1"], e["actor2"], e["place"]) for e in events}
    assert ("ACCUSE", "Sergey Shoigu", "United States", "Minsk") in found
    assert any(e["type"] == "CONSULT" and e["place"] == "Minsk" for e in events)
    assert any(e["type"] == "REJECT" and e["actor1"] == "Taliban" for e in events)
    assert any(e["type"] == "MOBILIZE" and e["actor1"] and "NATO" in e["actor1"] for e in events)
    assert all(seed_text[e["start"]:e["end"]] == e["trigger"] for e in events)


def test_dateline_city_is_not_the_actor(nlp):
    event = _events(nlp, "LAGOS — The Nigerian army on Sunday accused Boko Haram of raids.")[0]
    assert event["type"] == "ACCUSE" and event["actor1"] != "LAGOS"


def test_the_accused_is_the_actor_of_the_accused_act(nlp):
    events = _events(nlp, "Kenya blamed Somalia for shelling the border town.")
    assault = next(e for e in events if e["type"] == "ASSAULT")
    assert assault["actor1"] == "Somalia"


@pytest.mark.parametrize("text, published, event_date, precision, rule", [
    ("Rebels attacked the town on Tuesday.", "2024-03-08", "2024-03-05", "day", "clause"),
    ("Rebels attacked the town in February.", "2024-03-08", "2024-02-01", "month", "clause"),
    ("Rebels attacked the town.", "2024-03-08", "2024-03-08", "publication", "publication"),
    ("Rebels attacked the town on Tuesday.", None, None, None, "unresolved"),
])
def test_event_date_precision_and_rule(nlp, text, published, event_date, precision, rule):
    event = _events(nlp, text, published=published)[0]
    assert (event["event_date"], event["date_precision"], event["date_rule"]) == (
        event_date, precision, rule)
    assert event["tense"] == "past"


def test_seed_accusation_is_dated_the_thursday_before_publication(nlp, seed_text):
    # 2023-03-03 is a Friday: "on Thursday ... accused" is 2023-03-02.
    events = _events(nlp, seed_text, published="2023-03-03")
    accuse = next(e for e in events if e["type"] == "ACCUSE" and e["actor1"] == "Sergey Shoigu")
    assert (accuse["date"], accuse["event_date"], accuse["date_rule"]) == (
        "Thursday", "2023-03-02", "clause")


def test_a_date_of_a_nested_clause_does_not_date_the_event(nlp):
    text = ("The ministers consulted on a plan to be put to the regional summit in Lagos in "
            "June.")
    event = next(e for e in _events(nlp, text, published="2024-04-16") if e["type"] == "CONSULT")
    assert event["date_rule"] == "publication" and event["event_date"] == "2024-04-16"


def test_an_agreed_future_action_is_intended_not_reported(nlp):
    events = _events(nlp, "Chile agreed on Friday to share river data next year.",
                     published="2024-04-16")
    share = next(e for e in events if e["trigger"] == "share")
    assert share["mode"] == "intended"


@pytest.mark.parametrize("text, place, rule, country", [
    ("Police arrested 12 protesters in Nairobi on Monday.", "Nairobi", "clause", "KEN"),
    ("LIMA, Peru — Police arrested 12 protesters on Monday.", "LIMA", "dateline", "PER"),
    ("Chile's government met unions. Talks in Chile went on. Police arrested 12 protesters.",
     "Chile", "article", "CHL"),
])
def test_events_take_clause_else_dateline_else_article_place(nlp, text, place, rule, country):
    event = next(e for e in _events(nlp, text) if e["type"] == "COERCE")
    assert (event["place"], event["place_rule"], event["country_iso3"]) == (place, rule, country)
    assert event["lat"] is not None


def test_an_article_without_places_leaves_event_place_empty(nlp):
    event = _events(nlp, "The police arrested the suspects.")[0]
    assert event["place"] is None and event["place_rule"] is None


def test_a_weekday_is_never_an_actor(nlp):
    for event in _events(nlp, "Japan met Korean officials on Thursday. Bangladesh agreed Friday."):
        assert event["actor2"] not in ("Thursday", "Friday")
        assert event["actor1"] not in ("Thursday", "Friday")


def test_a_quantity_of_people_names_the_group(nlp):
    event = _events(nlp, "Police arrested dozens of protesters in Nairobi.")[0]
    assert (event["actor1"], event["actor2"]) == ("Police", "protesters")


def _dyads(events, etype=None):
    return {(e["actor1"], e["actor2"]) for e in events if etype is None or e["type"] == etype}


@pytest.mark.parametrize("text, etype, actor1, actor2", [
    ("Police were attacked by protesters in Lagos.", "ASSAULT", "protesters", "Police"),
    ("Ghana was criticized by Togo over the border closure.", "ACCUSE", "Togo", "Ghana"),
])
def test_passive_voice_takes_the_agent_as_source(nlp, text, etype, actor1, actor2):
    event = next(e for e in _events(nlp, text) if e["type"] == etype)
    assert (event["actor1"], event["actor2"]) == (actor1, actor2)


def test_reported_speech_keeps_the_doer_and_records_the_reporter(nlp):
    said = next(e for e in _events(nlp, "Kenya said Ugandan troops had attacked the town of "
                                        "Busia.") if e["type"] == "ASSAULT")
    assert said["actor1"] == "Ugandan troops" and said["reported_by"] == "Kenya"
    assert said["actor1_country_iso3"] == "UGA"  # from the demonym
    assert said["actor1_sector"] == "military"
    according = _events(nlp, "Rebels attacked a convoy near Goma, according to the Congolese "
                             "army.")[0]
    assert according["actor1"] == "Rebels" and according["reported_by"] == "Congolese army"


def test_an_asserted_event_has_no_reporter(nlp):
    assert _events(nlp, "Kenya accused Uganda of backing the rebels.")[0]["reported_by"] is None


def test_co_actors_give_one_event_per_pair(nlp):
    events = _events(nlp, "Kenya will restore diplomatic ties with Uganda and Tanzania.")
    assert _dyads(events) == {("Kenya", "Uganda"), ("Kenya", "Tanzania")}
    raid = _events(nlp, "Police and soldiers raided the camp.")
    assert _dyads(raid) == {("Police", None), ("soldiers", None)}


def test_co_actors_of_a_mutual_event_act_on_each_other(nlp):
    events = _events(nlp, "Chad and Niger agreed on a joint border patrol.")
    assert _dyads(events, "AGREE") == {("Chad", "Niger"), ("Niger", "Chad")}


def test_a_visit_is_also_hosted(nlp):
    events = _events(nlp, "The Kenyan president visited Uganda on Monday.")
    codes = {(e["cameo"], e["actor1"], e["actor2"]) for e in events}
    assert codes == {("042", "Kenyan president", "Uganda"), ("043", "Uganda", "Kenyan president")}
    visit = next(e for e in events if e["cameo"] == "042")
    assert (visit["actor1_country_iso3"], visit["actor2_country_iso3"]) == ("KEN", "UGA")


def test_target_inside_the_object_phrase(nlp):
    events = _events(nlp, "Egypt welcomed the resumption of formal ties with Qatar.")
    assert _dyads(events, "SUPPORT") == {("Egypt", "Qatar")}


def test_a_noun_event_takes_the_subject_of_its_light_verb_once(nlp):
    events = _events(nlp, "Ghana and Togo held talks in Accra on Monday.")
    assert _dyads(events, "CONSULT") == {("Ghana", "Togo"), ("Togo", "Ghana")}
    assert len(events) == 2  # "talks" is the object of "held", not a second event


def test_actors_carry_the_entity_ids_of_their_mentions(nlp):
    article = article_from_record({"id": "t", "text": "Kenya accused Uganda of backing rebels.",
                                   "published": "2024-03-08"})
    record = extract_batch([article], nlp)[0]
    ids = {ent["text"]: ent["entity_id"] for ent in record["entities"]}
    accuse = next(e for e in record["events"] if e["type"] == "ACCUSE")
    assert (accuse["actor1_entity_id"], accuse["actor2_entity_id"]) == (ids["Kenya"], ids["Uganda"])


@pytest.mark.parametrize("text", [
    "Tourists say it is a pleasant place to visit.",   # a verb trigger with no one doing it
    "The new mine will meet demand for coal.",         # "meet demand" is no meeting
])
def test_no_event_without_actors_or_in_a_non_event_sense(nlp, text):
    assert _events(nlp, text) == []


def test_negated_event_keeps_its_type_and_actors(nlp):
    event = _events(nlp, "The Nigerian army did not attack the village.")[0]
    assert (event["type"], event["actor1"], event["mode"]) == ("ASSAULT", "Nigerian army", "negated")


def test_seed_mobilization_is_reported_by_shoigu(nlp, seed_text):
    events = _events(nlp, seed_text, published=None)
    mobilize = next(e for e in events if e["type"] == "MOBILIZE")
    assert "NATO" in mobilize["actor1"] and mobilize["reported_by"] == "Sergey Shoigu"


def test_the_accuser_reports_the_accused_act_but_not_a_meeting_it_attended(nlp, seed_text):
    events = _events(nlp, "Kenya blamed Somalia for shelling the border town.")
    shelling = next(e for e in events if e["type"] == "ASSAULT")
    assert (shelling["actor1"], shelling["reported_by"]) == ("Somalia", "Kenya")
    seed = _events(nlp, seed_text, published=None)
    meeting = next(e for e in seed if e["type"] == "CONSULT")
    assert meeting["reported_by"] is None


def test_the_party_of_a_purpose_clause_is_the_counterpart(nlp):
    events = _events(nlp, "Kenya signed an accord on Thursday to supply Uganda with wheat.")
    assert _dyads(events, "AGREE") == {("Kenya", "Uganda")}


@pytest.mark.parametrize("text, etype, cameo, actor1, actor2", [
    ("Kenya met with Uganda on Monday.", "CONSULT", "040", "Kenya", "Uganda"),
    ("Kenya held talks with Uganda.", "CONSULT", "040", "Kenya", "Uganda"),
    ("Kenya criticized Uganda over the border closure.", "ACCUSE", "111", "Kenya", "Uganda"),
    ("Kenya praised Uganda for its help.", "SUPPORT", "051", "Kenya", "Uganda"),
    ("Kenya signed an agreement with Uganda.", "AGREE", "057", "Kenya", "Uganda"),
    ("Rebels attacked Ugandan troops.", "ASSAULT", "190", "Rebels", "Ugandan troops"),
    ("North Korea fired missiles at Japan.", "ASSAULT", "193", "North Korea", "Japan"),
    ("Kenya expelled Ugandan diplomats.", "SANCTION", "1663", "Kenya", "Ugandan diplomats"),
    ("Kenya demanded that Uganda withdraw its troops.", "REQUEST", "100", "Kenya", "Uganda"),
    ("Kenya offered aid to Uganda.", "AID", "033", "Kenya", "Uganda"),
    ("Kenya threatened Uganda with sanctions.", "THREATEN", "130", "Kenya", "Uganda"),
    ("Uganda denied the accusations.", "REJECT", "120", "Uganda", None),
    ("Kenya imposed sanctions on Uganda.", "SANCTION", "163", "Kenya", "Uganda"),
    ("Uganda was opposed by Kenya.", "ACCUSE", "110", "Kenya", "Uganda"),
])
def test_trigger_lexicon_covers_common_event_verbs(nlp, text, etype, cameo, actor1, actor2):
    found = {(e["type"], e["cameo"], e["actor1"], e["actor2"]) for e in _events(nlp, text)}
    assert (etype, cameo, actor1, actor2) in found


def test_an_announced_meeting_is_coded_as_intent_to_meet(nlp):
    # CAMEO 036: "indicate willingness or commitment to meet"; PLOVER keeps CONSULT + mode
    announced = [e for e in _events(nlp, "Kenya will meet Uganda next week.")
                 if e["type"] == "CONSULT"]
    held = [e for e in _events(nlp, "Kenya met Uganda on Monday.") if e["type"] == "CONSULT"]
    assert announced and {e["cameo"] for e in announced} == {"036"}
    assert {e["mode"] for e in announced} == {"future"}
    assert held and {e["cameo"] for e in held} == {"040"}


@pytest.mark.parametrize("text, etype, cameo, mode, actor1, actor2", [
    ("Iran threatened to attack Israel on Monday.", "ASSAULT", "138", "threatened", "Iran",
     "Israel"),
    ("Japan promised to send aid to Nepal.", "AID", "033", "intended", "Japan", "Nepal"),
    ("Iran threatened to expel the ambassador.", "SANCTION", "131", "threatened", "Iran", None),
])
def test_a_promised_or_threatened_act_is_one_event_with_its_mode(nlp, text, etype, cameo, mode,
                                                                  actor1, actor2):
    # The issue: "threatened to" is a mode, not a different event; CAMEO codes the clause once
    # (138 "threaten to use military force", 033 "express intent to provide material aid").
    events = _events(nlp, text)
    assert [(e["type"], e["cameo"], e["mode"]) for e in events] == [(etype, cameo, mode)]
    assert events[0]["actor1"] == actor1
    if actor2:
        assert events[0]["actor2"] == actor2


def test_who_strikes_says_which_strike(nlp):
    labour = _events(nlp, "Dock workers threatened on Friday to strike for 48 hours.")
    attack = _events(nlp, "Rebels struck an army base near Goma.")
    assert [(e["type"], e["cameo"], e["mode"]) for e in labour] == [
        ("PROTEST", "133", "threatened")]  # CAMEO 133: threaten political dissent, protest
    assert [e["type"] for e in attack] == ["ASSAULT"]


def test_an_agreement_to_meet_is_the_meeting_announced(nlp):
    events = _events(nlp, "The rebels agreed to meet government negotiators in Geneva.")
    assert events and {(e["type"], e["cameo"], e["mode"]) for e in events} == {
        ("CONSULT", "036", "intended")}


def test_a_threat_with_no_act_of_its_own_stays_a_threat(nlp):
    events = _events(nlp, "Kenya threatened Uganda with sanctions.")
    assert [(e["type"], e["cameo"]) for e in events] == [("THREATEN", "130")]


def test_a_noun_event_without_its_performer_is_not_coded(nlp):
    events = _events(nlp, "Kenya clashed with Uganda over the efforts of Tanzania during "
                          "a brief visit to Rwanda.")
    assert not [e for e in events if e["trigger"] == "visit" and e["actor1"] is None]


def test_a_condemned_attack_is_one_event_not_two(nlp):
    events = _events(nlp, "Kenya condemned an attack by Ugandan soldiers near Kampala.")
    assert _dyads(events, "ACCUSE") == {("Kenya", "Ugandan soldiers")}
    assert not [e for e in events if e["type"] == "ASSAULT"]


def test_the_one_blamed_for_an_attack_is_not_its_victim_or_attacker_by_default(nlp):
    events = _events(nlp, "Kenya blamed Uganda for the attack.")
    assert _dyads(events, "ACCUSE") == {("Kenya", "Uganda")}
    assert not [e for e in events if e["type"] == "ASSAULT" and e["actor1"] == "Kenya"]


def test_an_acronym_in_brackets_is_named_by_its_full_name(nlp):
    events = _events(nlp, "The Philippines and the European Union (EU) agree on trade rules.")
    assert ("Philippines", "European Union") in _dyads(events, "AGREE")


def test_an_event_verb_without_a_source_is_not_coded_unless_violent(nlp):
    assert not _events(nlp, "Kenya was criticized over its border policy.")
    attacked = _events(nlp, "Kenya was attacked on Monday.")
    assert [e for e in attacked if e["type"] == "ASSAULT" and e["actor2"] == "Kenya"]


def test_a_relative_clause_keeps_its_own_voice(nlp):
    events = _events(nlp, "Soldiers who attacked Malian villages were arrested by French troops.")
    assert ("Soldiers", "Malian villages") in _dyads(events, "ASSAULT")
    assert ("French troops", "Soldiers") in _dyads(events, "COERCE")


@pytest.mark.parametrize("text, source, target", [
    ("Kyiv was hit by an attack from Russia on Monday.", "Russia", "Kyiv"),
    ("An Israeli airstrike on Gaza killed ten people.", "Israeli", "Gaza"),
    ("The Iraqi invasion of Kuwait began in August.", "Iraqi", "Kuwait"),
    ("The arrest of Alexei Navalny by Russian police drew protests.", "Russian police",
     "Alexei Navalny"),
])
def test_noun_events_take_performer_and_undergoer_from_their_phrase(nlp, text, source, target):
    events = _events(nlp, text)
    assert any(e["actor1"] == source and e["actor2"] == target for e in events), events


def test_a_reciprocal_object_gives_both_directions(nlp):
    events = _events(nlp, "Armenia and Azerbaijan accused each other of violating the truce.")
    assert _dyads(events, "ACCUSE") == {("Armenia", "Azerbaijan"), ("Azerbaijan", "Armenia")}


def test_a_counted_group_is_the_actor(nlp):
    event = _events(nlp, "Thousands of Serbs protested against the government in Belgrade.")[0]
    assert event["type"] == "PROTEST" and event["actor1"] == "Serbs"


def test_an_apposition_gives_the_actor_its_country(nlp):
    events = _events(nlp, "Vladimir Putin, the Russian president, met Xi Jinping in Beijing.")
    putin = [e for e in events if e["actor1"] == "Vladimir Putin"]
    assert putin and putin[0]["actor1_country_iso3"] == "RUS"


def test_firing_tear_gas_is_repression_not_an_assault(nlp):
    event = _events(nlp, "Police in Nairobi fired tear gas at protesters.")[0]
    assert (event["type"], event["cameo"], event["actor2"]) == ("COERCE", "175", "protesters")


def test_a_denied_act_is_recorded_as_denied(nlp):
    events = _events(nlp, "Russia denied attacking Ukrainian civilians.")
    attack = [e for e in events if e["type"] == "ASSAULT"]
    assert attack and attack[0]["mode"] == "denied" and attack[0]["actor1"] == "Russia"


@pytest.mark.parametrize("text, etype, doer", [
    ("The United Nations urged Myanmar to release political prisoners.", "CONCEDE", "Myanmar"),
    ("Iran asked Iraq to expel Kurdish militants.", "COERCE", "Iraq"),
])
def test_the_one_urged_is_the_one_to_act(nlp, text, etype, doer):
    event = [e for e in _events(nlp, text) if e["type"] == etype][0]
    assert (event["actor1"], event["mode"]) == (doer, "requested")


def test_coordinated_demonym_adjectives_give_one_actor_each(nlp):
    events = _events(nlp, "Ghanaian and Nigerian leaders met in Abuja.")
    assert _dyads(events, "CONSULT") == {("Ghanaian leaders", "Nigerian leaders"),
                                         ("Nigerian leaders", "Ghanaian leaders")}


@pytest.mark.parametrize("text, source, target, mode", [
    ("Kenya is believed to have attacked Uganda.", "Kenya", "Uganda", "alleged"),
    ("Kenya is said to have been attacked by Uganda.", "Uganda", "Kenya", "alleged"),
    ("Kenya was reported to have deployed troops to Somalia.", "Kenya", "Somalia", "alleged"),
])
def test_a_raising_passive_lends_its_subject_to_the_event(nlp, text, source, target, mode):
    # "X is said to have attacked Y": X attacks, nobody "says" X
    events = [e for e in _events(nlp, text) if e["type"] in ("ASSAULT", "MOBILIZE")]
    assert [(e["actor1"], e["actor2"], e["mode"]) for e in events] == [(source, target, mode)]


@pytest.mark.parametrize("text, etype, source, target, mode", [
    ("Kenya said it would sanction Uganda.", "SANCTION", "Kenya", "Uganda", "possible"),
    ("Uganda denied that it had attacked Kenya.", "ASSAULT", "Uganda", "Kenya", "denied"),
    ("The army said they arrested ten protesters.", "COERCE", "army", "protesters", "asserted"),
])
def test_a_pronoun_subject_stands_for_the_earlier_actor(nlp, text, etype, source, target, mode):
    event = next(e for e in _events(nlp, text) if e["type"] == etype)
    assert (event["actor1"], event["actor2"], event["mode"]) == (source, target, mode)


def test_he_or_she_never_stands_for_a_country(nlp):
    events = _events(nlp, "Kenya said he would visit Uganda.")
    assert not [e for e in events if e["actor1"] == "Kenya" and e["cameo"] == "042"]


@pytest.mark.parametrize("text, source, target", [
    ("Rebels fired rockets near a convoy from Kenya.", "Rebels", "Kenya"),
    ("Troops marched close to the border with Uganda.", "Troops", "Uganda"),
    ("Kenya sent troops into Somalia.", "Kenya", "Somalia"),
])
def test_the_counterpart_inside_a_prepositional_phrase(nlp, text, source, target):
    assert (source, target) in _dyads(_events(nlp, text))


def test_the_forces_an_actor_deploys_are_not_its_target(nlp):
    events = _events(nlp, "Kenya deployed troops to Somalia.")
    assert _dyads(events, "MOBILIZE") == {("Kenya", "Somalia")}


def test_a_visit_that_only_sets_the_scene_of_a_meeting_is_not_a_second_event(nlp):
    events = _events(nlp, "The Kenyan president will meet Ugandan leaders during a visit to "
                          "Uganda.")
    assert {e["trigger"] for e in events} == {"meet"}


def test_an_event_with_neither_side_named_is_not_coded(nlp):
    assert not _events(nlp, "Ground seized in the fighting was returned.")


def test_names_in_a_list_are_co_actors_even_when_parsed_as_appositions(nlp):
    events = _events(nlp, "Kenya, the awful Uganda, and Tanzania welcomed the deal.")
    assert {e["actor1"] for e in events} == {"Kenya", "Uganda", "Tanzania"}
    met = _events(nlp, "Vladimir Putin, Russia's president, and Xi Jinping met in Beijing.")
    assert _dyads(met) == {("Vladimir Putin", "Xi Jinping"), ("Xi Jinping", "Vladimir Putin")}


def test_the_one_warned_against_an_act_is_the_one_who_would_do_it(nlp):
    events = _events(nlp, "Ethiopia warned Eritrea against attacking Sudan.")
    attack = next(e for e in events if e["type"] == "ASSAULT")
    assert (attack["actor1"], attack["actor2"], attack["mode"]) == ("Eritrea", "Sudan",
                                                                      "possible")


def test_a_relative_pronoun_object_is_the_noun_it_modifies(nlp):
    events = _events(nlp, "Uganda, which Kenya attacked last year, sought help.")
    assert _dyads(events, "ASSAULT") == {("Kenya", "Uganda")}


@pytest.mark.parametrize("text, source, target", [
    ("Kenya was forced to attack Uganda.", "Kenya", "Uganda"),
    ("Kenya wants to be invited by Uganda.", "Uganda", "Kenya"),
    ("Journalists who were going to be detained fled.", None, "Journalists"),
])
def test_an_inherited_subject_takes_the_voice_of_the_event_verb(nlp, text, source, target):
    assert _dyads(_events(nlp, text)) == {(source, target)}


@pytest.mark.parametrize("text, not_actor", [
    ("The Kabul attack killed ten soldiers.", "Kabul attack"),  # the deed is no doer
    ("The Geneva agreement was signed by Kenya and Uganda.", "Geneva"),  # where, not who
])
def test_an_event_noun_or_a_town_naming_it_is_not_an_actor(nlp, text, not_actor):
    events = _events(nlp, text)
    assert events and not_actor not in {e["actor1"] for e in events}


def test_a_passive_verb_meets_its_object_constraint_through_its_subject(nlp):
    signed = _events(nlp, "An accord was signed by Kenya and Uganda.")
    assert _dyads(signed, "AGREE") == {("Kenya", "Uganda"), ("Uganda", "Kenya")}
    held = _events(nlp, "A meeting between Kenya and Uganda was held in Nairobi.")
    assert _dyads(held, "CONSULT") == {("Kenya", "Uganda"), ("Uganda", "Kenya")}


def test_releasing_a_report_is_no_release_of_prisoners(nlp):
    assert not _events(nlp, "President Ortega released a report on the damage.")
    assert _events(nlp, "Kenya released ten Ugandan prisoners.")[0]["type"] == "CONCEDE"


@pytest.mark.parametrize("text, etype, cameo, actor1, actor2", [
    ("Kenya thanked Uganda for its support.", "SUPPORT", "051", "Kenya", "Uganda"),
    ("Kenya congratulated Uganda on its election.", "SUPPORT", "051", "Kenya", "Uganda"),
    ("Kenya apologized to Uganda for the incident.", "CONCEDE", "055", "Kenya", "Uganda"),
    ("Kenya complained to Uganda about the closure.", "ACCUSE", "114", "Kenya", "Uganda"),
    ("A Kenyan court convicted a Ugandan journalist.", "ACCUSE", "116", "Kenyan court",
     "Ugandan journalist"),
    ("Israeli forces blockaded Gaza.", "COERCE", "191", "Israeli forces", "Gaza"),
    ("Police cordoned off the roads leading into Nairobi.", "COERCE", "191", "Police",
     "Nairobi"),
    ("Russian troops besieged Mariupol.", "COERCE", "191", "Russian troops", "Mariupol"),
    ("Pirates hijacked a Kenyan ship.", "ASSAULT", "181", "Pirates", "Kenyan ship"),
    ("Rebels bombarded the capital of Uganda.", "ASSAULT", "194", "Rebels", "Uganda"),
    ("The army imposed a curfew on Nairobi.", "COERCE", "1723", "army", "Nairobi"),
    ("Kenya held consultations with Uganda.", "CONSULT", "040", "Kenya", "Uganda"),
])
def test_trigger_lexicon_covers_further_codebook_verbs(nlp, text, etype, cameo, actor1, actor2):
    found = {(e["type"], e["cameo"], e["actor1"], e["actor2"]) for e in _events(nlp, text)}
    assert (etype, cameo, actor1, actor2) in found, found


def test_talks_commented_on_are_a_topic_not_the_speakers_event(nlp):
    events = _events(nlp, "Lucero refused to comment on the alleged talks.")
    assert not [e for e in events if e["trigger"] == "talks"]
    visit = _events(nlp, "The Kenyan president arrived in Kampala on a state visit.")
    assert ("Kenyan president", "Kampala") in _dyads(visit, "CONSULT")


def test_they_stands_for_a_group_not_for_one_person(nlp):
    events = _events(nlp, "Vargas asked the judges to act so they can accuse the officers.")
    assert not [e for e in events if e["type"] == "ACCUSE" and e["actor1"] == "Vargas"]


@pytest.mark.parametrize("text", [
    "Apple released a new laptop on Tuesday.",             # a product, not a prisoner
    "Figures released by the ministry showed a rise.",     # a participle's noun is its object
    "Steve Jobs called podcasting a radio for everyone.",  # naming, not a request
    "The company demonstrated its new software.",          # showing, not protesting
    "The senator has been fighting cancer since 2004.",    # a disease, not a foe
    "The shop was charging customers more.",               # a price, not an accusation
    "The board granted him a medical leave.",              # leave, not aid
    "The engineer discussed new features.",                # one speaker: no consultation
])
def test_non_event_senses_of_trigger_verbs_yield_no_event(nlp, text):
    assert _events(nlp, text) == []


@pytest.mark.parametrize("text, etype, actor1, actor2", [
    ("Kenya released two Ugandan journalists.", "CONCEDE", "Kenya", "Ugandan journalists"),
    ("Five hostages were released by the rebels.", "CONCEDE", "rebels", "hostages"),
    ("Kenya called on Uganda to withdraw.", "REQUEST", "Kenya", "Uganda"),
    ("Thousands of students demonstrated in Nairobi.", "PROTEST", "students", None),
    ("Kenyan troops fought Somali militants.", "ASSAULT", "Kenyan troops", "Somali militants"),
    ("Police charged the governor with fraud.", "ACCUSE", "Police", "governor"),
    ("Kenya granted asylum to Ugandan activists.", "AID", "Kenya", "Ugandan activists"),
    ("Kenyan and Ugandan ministers discussed trade.", "CONSULT", "Kenyan ministers",
     "Ugandan ministers"),
])
def test_the_event_senses_of_constrained_triggers_still_count(nlp, text, etype, actor1, actor2):
    assert (etype, actor1, actor2) in {(e["type"], e["actor1"], e["actor2"])
                                       for e in _events(nlp, text)}


def test_a_crashed_plane_is_not_a_killer_and_a_killed_deal_is_no_killing(nlp):
    crash = _events(nlp, "The Airbus jetliner crashed into the ocean, killing all 228 people.")
    assert [(e["actor1"], e["actor2"]) for e in crash if e["type"] == "ASSAULT"] == [
        (None, "people")]
    assert _events(nlp, "The deal had been killed by the Pentagon.") == []


def test_a_possessive_pronoun_names_the_performer_of_a_noun_event(nlp):
    events = _events(nlp, "Kenya and Uganda have downplayed their meeting.")
    assert _dyads(events, "CONSULT") == {("Kenya", "Uganda"), ("Uganda", "Kenya")}
    visit = _events(nlp, "The Kenyan president arrived in Uganda on his first foreign visit.")
    assert ("Kenyan president", "Uganda") in _dyads(visit, "CONSULT")


def test_a_called_off_meeting_is_not_coded(nlp):
    assert not _events(nlp, "Kenya and Uganda have postponed their meeting.")


def test_a_listed_noun_that_belongs_to_a_country_is_a_co_actor(nlp):
    events = _events(nlp, "Kenya and the herders of Uganda protested.")
    assert {e["actor1"] for e in events} == {"Kenya", "herders of Uganda"}


@pytest.mark.parametrize("text, actors", [
    # the parser hangs "of Niger" on "sheep"; it belongs to the last noun of the list
    ("Chad's sheep and goats of Niger warned of the drought.", {"Chad's sheep", "goats of Niger"}),
])
def test_the_last_listed_noun_takes_back_its_belonging_phrase(nlp, text, actors):
    assert actors <= {e["actor1"] for e in _events(nlp, text)}


@pytest.mark.parametrize("text, expected", [
    ("Rebels fired rockets into the Black Sea on Monday.", [("Rebels", None)]),
    ("Ships enforced a blockade of the Gulf of Aden.", []),  # no party named: no event
    ("The Gulf Cooperation Council condemned Iran.", [("Gulf Cooperation Council", "Iran")]),
])
def test_a_water_body_is_where_not_whom(nlp, text, expected):
    assert [(e["actor1"], e["actor2"]) for e in _events(nlp, text)] == expected


def test_a_to_phrase_on_a_mistagged_object_names_the_counterpart(nlp):
    """The tagger may read a rare currency noun as an adverb ("a million florin to X")."""
    from spacy.tokens import Doc

    from transforms.event_actors import ActorFinder
    from transforms.event_arguments import verbal_actors

    words = ["Peru", "will", "donate", "a", "million", "florin", "to", "Chile", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True] * 7 + [False, False],
              heads=[2, 2, 2, 4, 5, 2, 5, 6, 2],
              deps=["nsubj", "aux", "ROOT", "quantmod", "nummod", "advmod", "prep", "pobj",
                    "punct"],
              pos=["PROPN", "AUX", "VERB", "DET", "NUM", "ADV", "ADP", "PROPN", "PUNCT"],
              lemmas=["Peru", "will", "donate", "a", "million", "florin", "to", "Chile", "."])
    entities = [{"start": 0, "end": 4, "text": "Peru", "label": "PLACE", "entity_id": "p"},
                {"start": 37, "end": 42, "text": "Chile", "label": "PLACE", "entity_id": "c"}]
    assert doc.text[37:42] == "Chile"
    sources, targets = verbal_actors(doc[2], ActorFinder(doc, entities, []), "AID")
    assert ([a.text for a in sources], [a.text for a in targets]) == (["Peru"], ["Chile"])
    # a nearness adverb keeps its phrase a place: "marched close to Chile" targets no one
    near = Doc(nlp.vocab, words=["Peru", "marched", "close", "to", "Chile", "."],
               heads=[1, 1, 1, 2, 3, 1], deps=["nsubj", "ROOT", "advmod", "prep", "pobj", "punct"],
               pos=["PROPN", "VERB", "ADV", "ADP", "PROPN", "PUNCT"],
               lemmas=["Peru", "march", "close", "to", "Chile", "."])
    chile = near.text.index("Chile")
    near_entities = [entities[0], {**entities[1], "start": chile, "end": chile + 5}]
    assert verbal_actors(near[1], ActorFinder(near, near_entities, []))[1] == []


@pytest.mark.parametrize("text, dyads", [
    ("Officials said that Ghana's cooperation has been vital.", set()),  # no partner named
    ("Cooperation between Ghana and Togo has grown.", {("Ghana", "Togo"), ("Togo", "Ghana")}),
    ("Ghana's cooperation with Togo has grown.", {("Ghana", "Togo")}),
])
def test_a_cooperation_noun_needs_both_parties(nlp, text, dyads):
    assert _dyads(_events(nlp, text), "COOPERATE") == dyads


@pytest.mark.parametrize("text, kept", [
    # the visit hangs off "expand", inside the clash: one clause, one event (the clash's)
    ("The Kenyan minister clashed over plans to expand the port during a visit to Uganda.",
     False),
    # no event verb above the visit: the visit is the only event, and is coded
    ("The Kenyan minister said during a visit to Uganda that trade would grow.", True),
])
def test_a_visit_setting_the_scene_of_an_event_verb_higher_up_is_not_a_second_event(
        nlp, text, kept):
    events = _events(nlp, text)
    assert any(e["trigger"] == "visit" for e in events) is kept
    if kept:
        assert ("Kenyan minister", "Uganda") in _dyads(events, "CONSULT")


@pytest.mark.parametrize("text, target", [
    ("Kenya warned about Uganda.", "Uganda"),
    ("Kenya complained about Tanzania.", "Tanzania"),
    ("Kenya warned Uganda about the rebels.", "Uganda"),  # the object comes first
])
def test_what_a_verb_is_about_is_its_counterpart_when_no_object_names_one(nlp, text, target):
    events = _events(nlp, text)
    assert {e["actor2"] for e in events} == {target}


def test_an_attack_only_warned_of_is_not_asserted_as_a_second_event(nlp):
    events = _events(nlp, "Kenya warned of a Ugandan attack.")
    assert [(e["type"], e["actor1"], e["actor2"]) for e in events] == [
        ("THREATEN", "Kenya", "Ugandan")]
