"""Tests for transforms.headcounts: counts of people tied to the noun they count."""

from __future__ import annotations

import pytest

from transforms.headcounts import extract_headcounts

KEYS = {"start", "end", "text", "low", "high", "qualifier", "category", "unit", "actor",
        "sentence"}


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
    ("Fewer than 10 students attended.", "Fewer than 10 students", None, 10, "less_than", "civilians", "student"),
    ("Several hundred workers went on strike.", "Several hundred workers", 300, 900, "vague", "civilians", "worker"),
])
def test_headcount(nlp, sentence, span, low, high, qualifier, category, unit):
    record = find(counts_of(nlp, sentence), span)
    assert (record["low"], record["high"], record["qualifier"]) == (low, high, qualifier)
    assert (record["category"], record["unit"]) == (category, unit)


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
    assert located["actor"] == members["actor"]


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
