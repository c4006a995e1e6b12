"""Reading inputs: formats, identity, missing dates, and bad input kept as rejects."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from transforms.articles import (
    MAX_ARTICLE_CHARS,
    article_id_for,
    parse_published,
    read_inputs,
)


def test_identity_ignores_whitespace_differences_but_not_words():
    assert article_id_for("Troops  moved\nnorth.") == article_id_for(" Troops moved north. ")
    assert article_id_for("Troops moved north.") != article_id_for("Troops moved south.")


@pytest.mark.parametrize("value, expected", [
    ("2024-03-07", dt.date(2024, 3, 7)),
    ("2024-03-07T10:30:00Z", dt.date(2024, 3, 7)),
    ("2024-03-07T23:30:00+05:00", dt.date(2024, 3, 7)),
    (None, None),
    ("", None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


def test_parse_published_rejects_garbage():
    with pytest.raises(ValueError, match="not an ISO date"):
        parse_published("last Tuesday-ish")


def test_jsonl_records_keep_source_id_and_missing_date(tmp_path):
    path = tmp_path / "in.jsonl"
    rows = [{"id": "a1", "title": "T", "text": "Police arrested 12 people in Lagos.",
             "published": "2024-05-01", "url": "http://x", "source": "Wire"},
            {"id": "a2", "text": "Rain fell on Monday."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = read_inputs([path])
    assert [a.source_id for a in result.articles] == ["a1", "a2"]
    assert result.articles[0].published == dt.date(2024, 5, 1)
    assert result.articles[1].published is None
    assert result.articles[1].published_source == "missing"
    assert result.rejects == []


def test_txt_headers_are_parsed_and_body_kept(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Title: Floods\nPublished: 2023-09-10\nSource: Desk\n\nWater rose fast.\n",
                    encoding="utf-8")
    article = read_inputs([tmp_path]).articles[0]
    assert (article.title, article.published, article.source) == ("Floods", dt.date(2023, 9, 10), "Desk")
    assert article.text.strip() == "Water rose fast."


def test_bad_inputs_are_rejected_with_reasons_and_the_rest_loads(tmp_path):
    good = {"id": "ok", "text": "Protesters marched in Nairobi."}
    lines = [json.dumps(good), '{"id": "broken", "text": ', json.dumps({"id": "empty", "text": "  "}),
             json.dumps({"id": "baddate", "text": "x y z", "published": "someday"}),
             json.dumps({"id": "dup", "text": "Protesters  marched in Nairobi."})]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "huge.txt").write_text("a" * (MAX_ARTICLE_CHARS + 1), encoding="utf-8")
    result = read_inputs([tmp_path])
    assert [a.source_id for a in result.articles] == ["ok"]
    assert result.duplicates == 1
    reasons = " | ".join(r.reason for r in result.rejects)
    assert len(result.rejects) == 5, reasons
    for fragment in ("malformed JSON", "empty", "not an ISO date", "binary", "over the limit"):
        assert fragment in reasons
    broken = next(r for r in result.rejects if "malformed" in r.reason)
    assert broken.input_line == 2 and broken.raw.startswith('{"id": "broken"')


def test_missing_path_is_reported_not_raised(tmp_path):
    result = read_inputs([tmp_path / "nope.jsonl"])
    assert result.articles == [] and "no such file" in result.rejects[0].reason


def test_publication_date_falls_back_to_a_dateline_never_to_a_guess(tmp_path):
    rows = [{"id": "d", "text": "Lima, 4 Jun 91 (Radio Nacional) -- Troops patrolled the city."},
            {"id": "s", "text": "On March 3, 2020 the first case was confirmed."}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    dated, undated = read_inputs([path]).articles
    assert (dated.published, dated.published_source) == (dt.date(1991, 6, 4), "dateline")
    assert (undated.published, undated.published_source) == (None, "missing")
