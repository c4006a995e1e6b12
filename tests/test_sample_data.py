"""Tests that the bundled sample (data/sample) reads as intended, quarantine cases included."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.articles import read_inputs

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def sample():
    return read_inputs([SAMPLE_DIR])


def test_sample_has_enough_articles(sample):
    assert len(sample.articles) >= 15
    assert sample.duplicates == 0


def test_sample_rejects_exactly_the_planted_records(sample):
    rejects = sorted((Path(r.input_path).name, r.input_line, r.reason, r.source_id)
                     for r in sample.rejects)
    assert len(rejects) == 2
    broken, empty = rejects
    broken_file, broken_line, broken_reason, _ = broken
    empty_file, empty_line, empty_reason, empty_id = empty
    assert (broken_file, broken_line) == ("articles.jsonl", 8)
    assert broken_reason.startswith("malformed JSON line")
    assert (empty_file, empty_line, empty_id) == ("articles.jsonl", 13, "sample-empty")
    assert "empty" in empty_reason


def test_sample_has_one_article_without_a_publication_date(sample):
    undated = [a for a in sample.articles if a.published is None]
    assert [Path(a.input_path).name for a in undated] == ["antofagasta-miners.txt"]
    assert undated[0].published_source == "missing"


def test_sample_ids_are_distinct(sample):
    article_ids = [a.article_id for a in sample.articles]
    assert len(set(article_ids)) == len(article_ids)
    source_ids = [a.source_id for a in sample.articles if a.source_id is not None]
    assert len(set(source_ids)) == len(source_ids)


def test_sample_txt_headers_are_parsed(sample):
    by_file = {Path(a.input_path).name: a for a in sample.articles}
    quake = by_file["sulawesi-earthquake.txt"]
    assert quake.title == "Earthquake in Central Sulawesi kills at least 31"
    assert quake.published.isoformat() == "2024-09-23"
    assert quake.source == "Harbor Wire"
    assert quake.text.startswith("PALU, Indonesia")
    assert by_file["antofagasta-miners.txt"].title is None
