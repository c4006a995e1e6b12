"""Tests for transforms.dates: finding date expressions and resolving them to TIMEX3."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.dates import dateline_date, extract_dates, timex_to_date

PUBLISHED = dt.date(2024, 3, 6)  # a Wednesday
KEYS = {"start", "end", "text", "type", "value", "precision", "rule", "sentence"}


def dates_of(nlp, text: str, published: dt.date | None = PUBLISHED) -> list[dict]:
    return extract_dates(nlp(text), published)


def find(records: list[dict], text: str) -> dict:
    matches = [r for r in records if r["text"] == text]
    assert matches, f"{text!r} not in {[r['text'] for r in records]}"
    return matches[0]


@pytest.mark.parametrize(("sentence", "span", "value", "type_", "rule"), [
    ("The treaty was signed on March 7, 2024 in Vienna.", "March 7, 2024", "2024-03-07", "DATE", "absolute"),
    ("The treaty was signed on 7 March 2024.", "7 March 2024", "2024-03-07", "DATE", "absolute"),
    ("The file is dated 2024-03-07.", "2024-03-07", "2024-03-07", "DATE", "absolute"),
    ("The raid took place on 23 Aug 88 near the port.", "23 Aug 88", "1988-08-23", "DATE", "absolute"),
    ("Prices fell in March 2023.", "March 2023", "2023-03", "DATE", "absolute"),
    ("The dam was finished in 1998.", "1998", "1998", "DATE", "absolute"),
    ("The movement grew in the 1990s.", "1990s", "199", "DATE", "absolute"),
    ("Police arrested him on Thursday.", "Thursday", "2024-02-29", "DATE", "weekday_past"),
    ("The envoy will arrive on Thursday.", "Thursday", "2024-03-07", "DATE", "weekday_future"),
    ("The talks resume on Friday.", "Friday", "2024-03-08", "DATE", "weekday_nearest"),
    ("They met last Monday.", "last Monday", "2024-03-04", "DATE", "weekday_past"),
    ("The vote was held in January.", "January", "2024-01", "DATE", "month_past"),
    ("The court will rule in November.", "November", "2024-11", "DATE", "month_future"),
    ("The vote was held in November.", "November", "2023-11", "DATE", "month_past"),
    ("Rain fell yesterday.", "yesterday", "2024-03-05", "DATE", "relative_day"),
    ("The minister resigned today.", "today", "2024-03-06", "DATE", "relative_day"),
    ("The panel meets tomorrow.", "tomorrow", "2024-03-07", "DATE", "relative_day"),
    ("Fighting broke out last week.", "last week", "2024-W09", "DATE", "relative_unit"),
    ("Results are due next month.", "next month", "2024-04", "DATE", "relative_unit"),
    ("The rebels struck two days ago.", "two days ago", "2024-03-04", "DATE", "ago"),
    ("Sales rose earlier this year.", "earlier this year", "2024", "DATE", "relative_unit"),
    ("Crowds gathered this week.", "this week", "2024-W10", "DATE", "relative_unit"),
    ("The strike lasted for three days.", "three days", "P3D", "DURATION", "duration"),
    ("The siege lasted 18 months.", "18 months", "P18M", "DURATION", "duration"),
    ("Inspectors visit every week.", "every week", "P1W", "SET", "set"),
    ("The board meets twice a month.", "twice a month", "P1M", "SET", "set"),
    ("The offensive began in the summer.", "summer", "2023-SU", "DATE", "season_past"),
    ("The plane landed at 08:30 UTC on Monday.", "08:30 UTC", "2024-03-04T08:30Z", "TIME", "time_sentence_date"),
])
def test_resolves_expression(nlp, sentence, span, value, type_, rule):
    record = find(dates_of(nlp, sentence), span)
    assert (record["value"], record["type"], record["rule"]) == (value, type_, rule)


@pytest.mark.parametrize(("sentence", "span", "value", "rule"), [
    ("Attacks have risen recently.", "recently", "PAST_REF", "vague_past"),
    ("In recent years the militia has grown.", "In recent years", "PAST_REF", "vague_past"),
    ("The store currently sells music.", "currently", "PRESENT_REF", "vague_present"),
])
def test_vague_expressions_keep_their_span(nlp, sentence, span, value, rule):
    record = find(dates_of(nlp, sentence), span)
    assert (record["value"], record["precision"], record["rule"]) == (value, "vague", rule)


@pytest.mark.parametrize("sentence", [
    "You may leave now if you wish.",        # modal "may"
    "The company paid $2000 in fines.",      # money
    "The report lists 2000 troops.",         # a count, not a year
    "A second convoy followed.",             # ordinal, not a duration
    "The man, aged 45 years, was freed.",    # an age
])
def test_not_dates(nlp, sentence):
    records = dates_of(nlp, sentence)
    assert not [r for r in records if r["type"] in ("DATE", "DURATION") and r["value"]
                and r["rule"] not in ("vague_present", "vague_past")], records


def test_without_publication_date_relative_values_stay_null(nlp):
    records = dates_of(nlp, "Police arrested him on Thursday, and in 1998 he fled.", None)
    assert find(records, "Thursday")["value"] is None
    assert find(records, "Thursday")["rule"] == "no_anchor"
    assert find(records, "1998")["value"] == "1998"


def test_records_follow_the_contract(nlp):
    text = "On Thursday the ministers met.\n\nThe talks ended on the 5th of May 2020."
    records = dates_of(nlp, text)
    assert records
    for record in records:
        assert set(record) == KEYS
        assert text[record["start"]:record["end"]] == record["text"]
        assert not record["text"].lower().startswith("the ")
    assert find(records, "Thursday")["sentence"] == 0
    assert find(records, "5th of May 2020")["sentence"] == 1


def test_seed_dates_without_publication_date(nlp, seed_text):
    records = extract_dates(nlp(seed_text), None)
    for span in ("Thursday", "February"):
        record = find(records, span)
        assert record["value"] is None and record["rule"] == "no_anchor"


def test_seed_dates_resolve_into_the_past(nlp, seed_text):
    published = dt.date(2024, 3, 9)
    records = extract_dates(nlp(seed_text), published)
    thursday, february = find(records, "Thursday"), find(records, "February")
    assert thursday["value"] == "2024-03-07" and thursday["rule"] == "weekday_past"
    assert february["value"] == "2024-02" and february["rule"] == "month_past"
    assert timex_to_date(thursday["value"]) < published


@pytest.mark.parametrize(("text", "expected"), [
    ("Lima, 23 Aug 88 (Radio Sur) -- [Text] Police reported a bombing.", dt.date(1988, 8, 23)),
    ("Airline orders new jets\nNovember 24, 2004\nThe airline said on Monday ...", dt.date(2004, 11, 24)),
    ("Published: 2021-05-03\nA storm hit the coast.", dt.date(2021, 5, 3)),
    ("A storm hit the coast on Monday, officials said.", None),
])
def test_dateline_date(text, expected):
    assert dateline_date(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-03-07", dt.date(2024, 3, 7)),
    ("2024-03", dt.date(2024, 3, 1)),
    ("2024", dt.date(2024, 1, 1)),
    ("2024-W10", dt.date(2024, 3, 4)),
    ("2024-Q2", dt.date(2024, 4, 1)),
    ("2023-SU", dt.date(2023, 6, 1)),
    ("199", dt.date(1990, 1, 1)),
    ("2024-03-07T08:30Z", dt.date(2024, 3, 7)),
    ("P3D", None),
    ("PAST_REF", None),
    (None, None),
])
def test_timex_to_date(value, expected):
    assert timex_to_date(value) == expected


@pytest.mark.parametrize(("sentence", "span", "precision"), [
    ("The treaty was signed on March 7, 2024 in Vienna.", "March 7, 2024", "day"),
    ("Police arrested him on Thursday.", "Thursday", "day"),
    ("Fighting broke out last week.", "last week", "week"),
    ("The vote was held in January.", "January", "month"),
    ("The offensive began in the summer.", "summer", "season"),
    ("The dam was finished in 1998.", "1998", "year"),
    ("The movement grew in the 1990s.", "1990s", "decade"),
    ("The strike lasted for three days.", "three days", "duration"),
    ("Inspectors visit every week.", "every week", "set"),
])
def test_precision_says_how_exact_the_value_is(nlp, sentence, span, precision):
    assert find(dates_of(nlp, sentence), span)["precision"] == precision
