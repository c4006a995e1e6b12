"""Property-based tests: random and adversarial text never crashes extraction or breaks offsets."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.articles import InputError, article_from_record, read_inputs
from transforms.extract import extract_batch

# Pieces that stress the tokenizer, the rules and the offset bookkeeping.
ADVERSARIAL = [
    "\x00", "\x07", "\x1b[31m", "\u200b", "\u200d", "\ufeff", "\u00ad", "\u2028", "\u2029",
    "\r\n", "\t", "\u0301", "e\u0301", "\ufb01", "\u1e9e", "İ", "ß", "ǅ", "Å",
    "👩‍👩‍👧‍👦", "🇺🇦", "🏳️‍🌈", "☃", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "مرحبا بالعالم", "שלום עולם", "\u202eevil\u202c", "\u200f", "Москва", "東京都", "서울",
    "12", "3,000", "1.5", "½", "٣", "१२", "Ⅻ", "10,000,000,000", "0x1F", "-7", "2024-03-07",
    "at least 12", "up to 6,500", "between 20 and 30", "March 32", "31/02/2024", "on Tuesday",
    "the", "The the", "Mr.", "U.S.", "(CSTO)", "—", "--", "...", "'s", "\"", "“”", "<p>", "&amp;",
    "a" * 300, "9" * 300, "https://example.com/" + "x" * 100, "#" * 50,
    "Police arrested 40 protesters in Nairobi.", "BOGOTÁ, Colombia — ",
    "Rebels attacked a convoy near Goma on Tuesday, killing at least 12 soldiers.",
]

pieces = st.one_of(
    st.sampled_from(ADVERSARIAL),
    st.text(min_size=1, max_size=20),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=12),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]),
            min_size=1, max_size=5),
)
texts = st.lists(pieces, min_size=1, max_size=40).map(" ".join)
published = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1),
                                          max_value=dt.date(2030, 12, 31)))

ITEM_KINDS = ("entities", "places", "dates", "headcounts", "events")


def _check_offsets(text: str, record: dict) -> None:
    for kind in ITEM_KINDS:
        for item in record[kind]:
            start, end = item["start"], item["end"]
            assert isinstance(start, int) and isinstance(end, int), (kind, item)
            assert 0 <= start < end <= len(text), (kind, item)
            shown = item.get("text", item.get("trigger"))
            assert text[start:end] == shown, (kind, item)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.tuples(texts, published), min_size=1, max_size=3))
def test_extraction_never_crashes_and_offsets_index_the_text(nlp, texts):
    articles = []
    for text, date in texts:
        try:
            articles.append(article_from_record(
                {"id": "x", "text": text, "published": date.isoformat() if date else None}))
        except InputError:
            continue  # empty, whitespace-only or NUL-bearing text: rejected, not extracted
    records = extract_batch(articles, nlp)
    assert len(records) == len(articles)
    for article, record in zip(articles, records, strict=True):
        _check_offsets(article.text, record)


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=2000))
def test_reading_any_bytes_gives_articles_or_rejects_never_an_error(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    for name in ("in.txt", "in.jsonl", "in.json"):
        (folder / name).write_bytes(data)
    result = read_inputs([folder])
    assert len(result.articles) + len(result.rejects) + result.duplicates >= 3  # one per file
    assert all(reject.reason for reject in result.rejects)
