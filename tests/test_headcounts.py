"""Tests for transforms.headcounts: counts of people tied to the noun they count."""

from __future__ import annotations

import pytest

from expectations.suites import HEADCOUNT_CATEGORIES, HEADCOUNT_CAUSES, HEADCOUNT_VICTIM_TYPES
from transforms.headcount_cause import CAUSES
from transforms.headcount_events import link_headcount_events
from transforms.headcount_lexicon import CATEGORIES, lexicon
from transforms.headcount_review import (
    DEFAULT_REVIEW_ABOVE,
    REVIEW_ENV,
    ReviewConfigError,
    needs_review,
    review_thresholds,
)
from transforms.headcount_victims import VICTIM_TYPES, victim_lexicon
from transforms.headcounts import extract_headcounts

KEYS = {"start", "end", "text", "low", "high", "qualifier", "category", "unit", "actor",
        "victim_type", "sentence", "needs_review", "is_tally", "cause"}


def counts_of(nlp, text: str) -> list[dict]:
    return extract_headcounts(nlp(text))


def find(records: list[dict], text: str) -> dict:
    matches = [r for r in records if r["text"] == text]
    assert matches, f"{text!r} not in {[r['text'] for r in records]}"
    return matches[0]


@pytest.mark.parametrize(("sentence", "span", "low", "high", "qualifier", "category", "unit"), [
    ("At least 12 people were killed in the blast.", "At least 12 people", 12, None, "at_least", "killed", "people"),
    ("Gunmen killed three soldiers near the border.", "three soldiers", 3, 3, "exact", "killed", "soldier"),
    ("The shelling wounded 30 civilians.", "30 civilians", 30, 30, "exact", "injured", "civilian"),
    ("Police arrested dozens of protesters.", "dozens of protesters", 24, None, "vague", "arrested", "protester"),
    ("Between 20 and 30 people were injured.", "Between 20 and 30 people", 20, 30, "range", "injured", "people"),
    ("The rebels have 20-30 fighters in the hills.", "20-30 fighters", 20, 30, "range", "fighters", "fighter"),
    ("About 4000 troops were deployed.", "About 4000 troops", 4000, 4000, "approx", "troops", "troop"),
    ("More than 1.2 million people fled their homes.", "More than 1.2 million people", 1200000, None, "more_than", "displaced", "people"),
    ("Two thousand demonstrators marched downtown.", "Two thousand demonstrators", 2000, 2000, "exact", "protesters", "demonstrator"),
    ("A dozen villagers were kidnapped.", "A dozen villagers", 12, 12, "exact", "kidnapped", "villager"),
    ("Hundreds of families were displaced by the floods.", "Hundreds of families", 200, None, "vague", "displaced", "family"),
    ("Nearly 50 hikers are missing.", "Nearly 50 hikers", 50, 50, "approx", "missing", "hiker"),
    ("Fewer than 10 students attended.", "Fewer than 10 students", None, 10, "less_than", "other", "student"),
    ("Several hundred workers went on strike.", "Several hundred workers", 300, 900, "vague", "other", "worker"),
    # category from the governing verb or noun
    ("Gunmen killed 12 people in the market.", "12 people", 12, 12, "exact", "killed", "people"),
    ("Rebels kidnapped three engineers on Monday.", "three engineers", 3, 3, "exact", "kidnapped", "engineer"),
    ("Five civilians were injured by the blast.", "Five civilians", 5, 5, "exact", "injured", "civilian"),
    ("Police found the bodies of 4 men.", "4 men", 4, 4, "exact", "killed", "man"),
    ("They denounced the massacre of 20 peasants.", "20 peasants", 20, 20, "exact", "killed", "peasant"),
    ("The three soldiers suffered serious injuries.", "three soldiers", 3, 3, "exact", "injured", "soldier"),
    ("The army detained 40 students.", "40 students", 40, 40, "exact", "arrested", "student"),
    ("Up to 2,000 militants have joined the group.", "Up to 2,000 militants", None, 2000, "up_to", "fighters", "militant"),
    ("The attack killed nine policemen and nine civilians.", "nine civilians", 9, 9, "exact", "killed", "civilian"),
    ("The attack killed nine policemen, including four employees of the registry.", "four employees", 4, 4, "exact", "killed", "employee"),
    ("The bombing claimed the lives of 18 people.", "18 people", 18, 18, "exact", "killed", "people"),
    ("A total of 227 people were killed in May.", "227 people", 227, 227, "exact", "killed", "people"),
    ("More than 100 people lost their lives.", "More than 100 people", 100, None, "more_than", "killed", "people"),
    ("Twenty-five villagers were abducted by gunmen.", "Twenty-five villagers", 25, 25, "exact", "kidnapped", "villager"),
    ("FIVE PEOPLE WERE KILLED IN THE ATTACK.", "FIVE PEOPLE", 5, 5, "exact", "killed", "people"),
    ("The grenade caused injuries to 6 soldiers.", "6 soldiers", 6, 6, "exact", "injured", "soldier"),
    ("He handed the bodies to 3 relatives.", "3 relatives", 3, 3, "exact", "other", "relative"),
    ("The explosion injured 11 passersby.", "11 passersby", 11, 11, "exact", "injured", "passersby"),
    # the subject of an active verb with an object did it: it is no victim
    ("Four gunmen kidnapped the mayor.", "Four gunmen", 4, 4, "exact", "fighters", "gunman"),
    ("About 30 guerrillas who killed 5 villagers were seen.", "About 30 guerrillas", 30, 30, "approx", "fighters", "guerrilla"),
    # only people are victims
    ("That would be killing two birds with one stone.", "two birds", 2, 2, "exact", "other", "bird"),
])
def test_headcount(nlp, sentence, span, low, high, qualifier, category, unit):
    record = find(counts_of(nlp, sentence), span)
    assert (record["low"], record["high"], record["qualifier"]) == (low, high, qualifier)
    assert (record["category"], record["unit"]) == (category, unit)


@pytest.mark.parametrize(("sentence", "span", "category"), [
    ("At least 12 people were killed and 30 wounded in the attack.", "30", "injured"),
    ("Officials said 12 killed, 15 injured and 26 houses burned.", "12", "killed"),
    ("The blast left 12 dead.", "12", "killed"),
    ("Rebels kidnapped 3 in the raid.", "3", "kidnapped"),
    ("The bomb killed two and injured seven.", "seven", "injured"),
    ("The death toll rose to 45.", "45", "killed"),
    ("The hospital treated 30 wounded.", "30", "injured"),
    ("Cholera has killed 23 people and sent more than 400 to hospital.", "more than 400", "other"),
    ("Officials said 12 killed, 15 injured and 26 houses burned.", "15", "injured"),
    ("The minister said there were 40 dead and 200 injured.", "40", "killed"),
])
def test_coordinated_bare_counts(nlp, sentence, span, category):
    assert find(counts_of(nlp, sentence), span)["category"] == category


def test_categories_are_the_fixed_vocabulary(nlp):
    """Code, the quality gate and extracted records share one category vocabulary."""
    assert set(CATEGORIES) == set(HEADCOUNT_CATEGORIES)
    assert set(DEFAULT_REVIEW_ABOVE) == set(CATEGORIES)
    text = ("Up to 3,000 protesters marched. Two hundred residents fled. 12 hostages were freed. "
            "Rebels had 40 fighters and 6 trucks; police detained 8 students.")
    records = counts_of(nlp, text)
    assert len(records) >= 5
    assert {r["category"] for r in records} <= set(CATEGORIES)


def test_bare_number_takes_category_from_verb(nlp):
    records = counts_of(nlp, "At least 12 people were killed and 30 wounded in the attack.")
    wounded = find(records, "30")
    assert (wounded["low"], wounded["category"]) == (30, "injured")


def test_implied_noun_borrowed_from_earlier_count(nlp):
    records = counts_of(nlp, "The militia had up to 900 members, with 300 stationed in the north.")
    assert find(records, "300")["unit"] == "member"


def test_actor_is_subject_group(nlp):
    records = counts_of(nlp, "Over 300 Taliban fighters surrendered to the army.")
    assert find(records, "Over 300 Taliban fighters")["actor"] == "Taliban"


@pytest.mark.parametrize("sentence", [
    "The dam was finished in 1998 after delays.",          # year
    "The contract is worth $5 million.",                     # money
    "Prices rose 5 percent last year.",                      # percentage
    "Inflation reached 12% in May.",                         # percentage
    "A man aged 25 was questioned.",                         # age
    "The road is 5 km long.",                                # measure
    "The meeting starts at 10 a.m. sharp.",                  # time
    "She finished third in the race.",                       # ordinal
    "The office is at No 3856 Main Street.",                 # street number
    "Call 555-1234 for details.",                            # phone number
    "The siege lasted three days.",                          # duration
    "Violence claimed the lives of 21 people per day.",      # a rate
    "He turned 45 in May.",                                  # age
])
def test_not_headcounts(nlp, sentence):
    assert counts_of(nlp, sentence) == []


def test_records_follow_the_contract(nlp):
    text = "Rebels killed 5 people.\n\nLater, about 40 soldiers were wounded and 7 were captured."
    records = counts_of(nlp, text)
    assert len(records) >= 3
    for record in records:
        assert set(record) == KEYS
        assert text[record["start"]:record["end"]] == record["text"]
        for bound in (record["low"], record["high"]):
            assert bound is None or (isinstance(bound, int) and 0 < bound < 100_000_000)
        if record["low"] is not None and record["high"] is not None:
            assert record["low"] <= record["high"]
    assert [r["sentence"] for r in records][:2] == [0, 1]


def test_seed_headcounts(nlp, seed_text):
    records = counts_of(nlp, seed_text)
    members = find(records, "up to 6,500 members")
    assert (members["qualifier"], members["low"], members["high"]) == ("up_to", None, 6500)
    assert members["unit"] == "member" and members["category"] == "members"
    assert members["actor"] is not None and "ISKP" in members["actor"]
    located = find(records, "4,000")
    assert (located["low"], located["high"], located["unit"]) == (4000, 4000, "member")
    assert located["category"] == "members" and not located["needs_review"]
    assert located["actor"] == members["actor"]
    assert members["victim_type"] == located["victim_type"] == "armed_group"  # ISKP's members


@pytest.mark.parametrize("text", [
    "Two soldiers were on patrol at 0100 near the bridge.",
    "Santiago, 22 Aug 88 (Radio Cooperativa) -- Police arrived.",
])
def test_clock_times_and_dateline_dates_are_not_headcounts(nlp, text):
    from transforms.articles import article_from_record
    from transforms.extract import extract_batch

    record = extract_batch([article_from_record({"id": "t", "text": text})], nlp)[0]
    assert all(h["low"] not in (100, 22) and h["high"] not in (100, 22)
               for h in record["headcounts"])


@pytest.mark.parametrize(("sentence", "span", "tally"), [
    ("630 people were killed in violent acts in November.", "630 people", True),
    ("At least 40 civilians have been killed since January.", "At least 40 civilians", True),
    ("Some 1,200 people have died so far this year.", "Some 1,200 people", True),
    ("1,775 have been killed over the past 12 months.", "1,775", True),
    ("A total of 227 people were killed.", "227 people", True),
    ("Rebels have kidnapped 500 people this year.", "500 people", True),
    ("12 people were killed in an attack in May.", "12 people", False),
    ("Gunmen killed 12 villagers in Kunduz on Monday.", "12 villagers", False),
    ("Three soldiers were killed on 12 November.", "Three soldiers", False),
    ("Five people were injured last night.", "Five people", False),
    ("The cyclone killed 38 people and displaced about 15,000 earlier this month.",
     "about 15,000", False),
    ("About 4000 troops were deployed this year.", "About 4000 troops", False),  # not a fate
    # a clause above the count has a period for subject
    ("March was the deadliest month of the year, as the fighting caused the death of 250 "
     "people.", "250 people", True),
    ("The car bomb that exploded on 3 March caused the death of 40 people.", "40 people", False),
])
def test_tallies_sum_a_period(nlp, sentence, span, tally):
    assert find(counts_of(nlp, sentence), span)["is_tally"] is tally


@pytest.mark.parametrize(("sentence", "span", "victim_type"), [
    # the counted noun
    ("Gunmen shot dead three soldiers near the border.", "three soldiers", "military"),
    ("The shelling wounded 30 civilians in the market.", "30 civilians", "civilians"),
    ("The bomb killed six policemen and three passengers.", "six policemen", "security_forces"),
    ("The bomb killed six policemen and three passengers.", "three passengers", "civilians"),
    ("Troops found 14 dead guerrillas after the clash.", "14 dead guerrillas", "armed_group"),
    ("Rebels kidnapped two engineers and a driver.", "two engineers", "civilians"),
    # a modifier or compound decides over the noun, and gives generic nouns a side
    ("Two Army members were killed in the ambush.", "Two Army members", "military"),
    ("Rebels killed four police officers on Friday.", "four police officers", "security_forces"),
    ("The explosion injured two noncommissioned officers.", "two noncommissioned officers",
     "military"),
    ("Four guerrilla commanders were captured.", "Four guerrilla commanders", "armed_group"),
    ("Three security guards were wounded.", "Three security guards", "security_forces"),
    ("Seven civilian casualties were reported.", "Seven civilian casualties", "civilians"),
    ("The blast killed eight members of the National Police.", "eight members",
     "security_forces"),
    ("Two former soldiers were shot dead outside a bar.", "Two former soldiers", "civilians"),
    # "others", a bare amount and a weak noun inherit the group of an earlier count
    ("Two Army members were killed and two others were taken hostage.", "two others",
     "military"),
    ("Guerrillas killed 12 villagers and wounded 15.", "15", "civilians"),
    ("Two navy officers died in the crash, along with two other officers.", "two other officers",
     "military"),
    ("Police said four officers were injured.", "four officers", "security_forces"),
    # the side that suffered the loss
    ("The army suffered seven dead and 11 wounded in the ambush.", "11", "military"),
    ("The rebels lost 20 men in the offensive.", "20 men", "armed_group"),
    # no side named, or no people counted
    ("At least 12 people were killed in the blast.", "At least 12 people", None),
    ("The attackers seized three army trucks.", "three army trucks", None),
    ("Unknown men killed five victims of the guerrilla war.", "five victims", None),
    # a count told again (same number, same fate) is the same people
    ("Three soldiers died when their truck was ambushed. Officials said three of them were "
     "killed instantly.", "three", "military"),
    ("Three soldiers died when their truck was ambushed. Officials said two of them were "
     "killed instantly.", "two", None),
])
def test_victim_type_is_the_side_counted(nlp, sentence, span, victim_type):
    assert find(counts_of(nlp, sentence), span)["victim_type"] == victim_type


@pytest.mark.parametrize(("text", "span", "cause"), [
    ("Four passengers died in a bus accident on the coast road.", "Four passengers", "accident"),
    ("The earthquake flattened the town. Officials said 35 people were killed and 120 injured.",
     "35 people", "natural_disaster"),
    ("The earthquake flattened the town. Officials said 35 people were killed and 120 injured.",
     "120", "natural_disaster"),
    # a word of violence makes the sentence an act, even with a storm in it
    ("The storm flooded the valley while gunmen attacked the village, killing 5 villagers.",
     "5 villagers", None),
    # a sentence naming neither continues the nearest earlier one that does
    ("The earthquake struck at dawn. Guerrillas later blew up a bridge. Three people were "
     "killed.", "Three people", None),
    ("At least 12 people were killed in the blast.", "At least 12 people", None),
    ("The floods destroyed 400 homes.", "400 homes", None),  # not a victim count
    ("The cholera outbreak has killed 90 people since June.", "90 people", "disease"),
    ("Cattle rustlers stormed a village and killed eleven people.", "eleven people", None),
])
def test_cause_marks_disaster_and_accident_tolls(nlp, text, span, cause):
    assert find(counts_of(nlp, text), span)["cause"] == cause


@pytest.mark.parametrize(("sentence", "span", "category"), [
    ("The guerrillas threatened to kill 20 hostages.", "20 hostages", "kidnapped"),
    ("The rebels tried to kidnap three engineers.", "three engineers", "other"),
    ("Police foiled an attack that could have killed 100 people.", "100 people", "other"),
    ("The bomb did not kill the 3 guards on duty.", "3 guards", "troops"),
    ("The rebels said they would kidnap 10 officials.", "10 officials", "other"),
    # realised fates, and a likely toll, keep their category
    ("Police said 12 people may have died in the attack.", "12 people", "killed"),
    ("Gunmen killed 12 villagers.", "12 villagers", "killed"),
])
def test_unrealised_fates_give_no_category(nlp, sentence, span, category):
    assert find(counts_of(nlp, sentence), span)["category"] == category


def test_victim_types_are_one_vocabulary_and_cover_the_civilian_nouns():
    """Code, the quality gate and the pattern file share the sides; civilian nouns stay civilian."""
    assert VICTIM_TYPES == HEADCOUNT_VICTIM_TYPES
    assert CAUSES == HEADCOUNT_CAUSES  # the quality gate's set is the extractor's
    vlex = victim_lexicon()
    assert set(vlex.nouns.values()) | set(vlex.modifiers.values()) <= set(VICTIM_TYPES)
    civilian_nouns = {noun for noun, group in lexicon().noun_group.items() if group == "civilians"}
    assert {noun: vlex.nouns.get(noun) for noun in civilian_nouns} \
        == dict.fromkeys(civilian_nouns, "civilians")


def test_victim_type_reaches_the_published_warehouse(nlp, tmp_path):
    import warehouse
    from transforms.articles import article_from_record
    from transforms.extract import extract_batch

    article = article_from_record({"id": "v", "published": "2024-03-06", "text":
                                   "Rebels killed three soldiers and two villagers on Monday."})
    frames = warehouse.stage_frames([article], extract_batch([article], nlp), "run-1")
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.publish_batch(con, "run-1", 0, frames, {}, [], "test")
        rows = con.execute("select headcount_text, victim_type from headcounts "
                           "order by start_char").fetchall()
        stored = con.execute("select victim_type from fct_headcounts").fetchall()
    assert rows == [("three soldiers", "military"), ("two villagers", "civilians")]
    assert sorted(stored) == [("civilians",), ("military",)]


def test_quality_gate_warns_on_an_unknown_victim_type(nlp):
    import pandas as pd

    import warehouse
    from expectations import validate_batch
    from transforms.articles import article_from_record
    from transforms.extract import extract_batch

    article = article_from_record({"id": "q", "published": "2024-03-06", "text":
                                   "Rebels killed three soldiers and 12 people on Monday."})
    frames = warehouse.stage_frames([article], extract_batch([article], nlp), "run-1")
    headcounts = frames["stg_headcounts"]
    assert headcounts.loc[0, "victim_type"] == "military"
    assert pd.isna(headcounts.loc[1, "victim_type"])  # null: "12 people" names no side
    tables = {t: frames[t] for t in ("stg_articles", "stg_headcounts")}
    assert not validate_batch(tables, "run-1").warned_keys("stg_headcounts")
    headcounts.loc[0, "victim_type"] = "bystanders"
    result = validate_batch(tables, "run-1")
    assert result.warned_keys("stg_headcounts") == {headcounts.loc[0, "headcount_id"]}
    assert not result.quarantined_keys("stg_headcounts")


@pytest.mark.parametrize(("headcount", "flagged"), [
    ({"category": "killed", "low": 1_500_000, "high": None}, True),
    ({"category": "killed", "low": 1_000_000, "high": 1_000_000}, False),  # the bound is allowed
    ({"category": "kidnapped", "low": None, "high": 20_000}, True),
    ({"category": "members", "low": 90_000_000, "high": 90_000_000}, False),  # no threshold
    ({"category": "troops", "low": 4000, "high": 4000}, False),
])
def test_plausibility_thresholds(headcount, flagged):
    assert needs_review(headcount, review_thresholds("")) is flagged


def test_plausibility_threshold_is_configurable(monkeypatch, nlp):
    assert review_thresholds("killed=100,kidnapped=5")["killed"] == 100
    assert review_thresholds("killed=100")["injured"] == DEFAULT_REVIEW_ABOVE["injured"]
    assert set(review_thresholds("250").values()) == {250}
    with pytest.raises(ReviewConfigError, match="unknown category 'dead'"):
        review_thresholds("dead=5")
    with pytest.raises(ReviewConfigError, match="not a positive whole number"):
        review_thresholds("killed=-3")
    monkeypatch.setenv(REVIEW_ENV, "killed=100")
    records = counts_of(nlp, "At least 150 people were killed. About 150 soldiers were deployed.")
    assert [r["needs_review"] for r in records] == [True, False]


def test_implausible_count_is_flagged_by_default(nlp, monkeypatch):
    monkeypatch.delenv(REVIEW_ENV, raising=False)
    records = counts_of(nlp, "The report said 2 million people were killed in the attack.")
    assert find(records, "2 million people")["needs_review"] is True


def _linked(nlp, text: str) -> tuple[list[dict], list[dict]]:
    from transforms.articles import article_from_record
    from transforms.extract import extract_batch

    record = extract_batch([article_from_record({"id": "t", "text": text,
                                                 "published": "2024-03-06"})], nlp)[0]
    return record["headcounts"], record["events"]


def test_headcount_links_to_the_event_that_governs_it(nlp):
    headcounts, events = _linked(
        nlp, "Gunmen killed 12 villagers in Kunduz on Monday. The government has 4,000 troops.")
    villagers = find(headcounts, "12 villagers")
    assert villagers["event_index"] is not None
    event = events[villagers["event_index"]]
    assert event["trigger"] == "killed"
    assert (villagers["place"], villagers["date"]) == (event["place"], event["date"])
    assert villagers["place"] == "Kunduz" and villagers["event_date"] == "2024-03-04"
    troops = find(headcounts, "4,000 troops")
    assert troops["event_index"] is None and troops["place"] is None


def test_link_uses_the_parse_not_just_the_sentence(nlp):
    doc = nlp("The rebels attacked the town, and 30 soldiers were wounded.")
    headcounts = extract_headcounts(doc)
    trigger = next(t for t in doc if t.lower_ == "wounded")
    other = next(t for t in doc if t.lower_ == "attacked")
    events = [{"start": other.idx, "end": other.idx + len(other.text), "place": "town"},
              {"start": trigger.idx, "end": trigger.idx + len(trigger.text), "place": None}]
    link_headcount_events(doc, headcounts, events)
    assert find(headcounts, "30 soldiers")["event_index"] == 1


def test_staged_headcount_event_id_is_the_event_row_id(nlp):
    from transforms.articles import article_from_record
    from transforms.extract import extract_batch
    from warehouse.staging import stage_frames

    article = article_from_record({"id": "t", "published": "2024-03-06",
                                   "text": "Gunmen killed 12 villagers in Kunduz on Monday."})
    records = extract_batch([article], nlp)
    frames = stage_frames([article], records, "run-1")
    headcount = frames["stg_headcounts"].iloc[0]
    assert headcount["event_id"] in set(frames["stg_events"]["event_id"])
    event = frames["stg_events"].set_index("event_id").loc[headcount["event_id"]]
    assert event["trigger_text"] == "killed"
    assert headcount["place_name"] == event["place_name"] and not headcount["needs_review"]


def test_report_lists_headcounts_flagged_for_review(tmp_path):
    from expectations.report import _review_section
    from warehouse import connect
    from warehouse.report_queries import headcounts_for_review
    from warehouse.sql import run_sql

    con = connect(tmp_path / "w.duckdb")
    for hid, low, flagged in (("a:h:0-9", 12, False), ("a:h:20-35", 2_000_000, True)):
        run_sql(con, """
            insert into fct_headcounts (headcount_id, article_id, sentence_index, start_char,
                end_char, headcount_text, low, high, qualifier, category, extractor_version,
                run_id, needs_review, event_id)
            values (?, 'a', 0, 0, 9, ?, ?, ?, 'exact', 'killed', 'test', 'run-1', ?, 'a:v:1-2')
        """, [hid, f"{low} people", low, low, flagged])
    flagged = headcounts_for_review(con)
    assert flagged["headcount_text"].tolist() == ["2000000 people"]
    assert "2000000 people" in _review_section(flagged)
    linked = con.execute("select count(*) from headcounts where event_id = 'a:v:1-2'").fetchall()
    assert linked == [(2,)]
    con.close()
