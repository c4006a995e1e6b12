"""The PETRARCH2 event scorer's error listing and its count of gold codes outside CAMEO."""

from __future__ import annotations

import pytest

from evaluation.event_errors import format_sentence_errors
from evaluation.events import ActorLookup, is_cameo_root, score_events, sentence_errors

ACTORS = ActorLookup({"ARN": ["ARNOR"], "GON": ["GONDOR"]})


@pytest.mark.parametrize("root, cameo", [("01", True), ("19", True), ("20", True),
                                         ("00", False), ("21", False), ("90", False),
                                         (None, False)])
def test_cameo_roots_are_the_codebooks_twenty(root, cameo):
    assert is_cameo_root(root) is cameo


def test_gold_codes_outside_cameo_are_counted_in_every_line():
    gold = [{"events": [{"source": "ARN", "target": "GON", "code": "064"},
                        {"source": "ARN", "target": "GON", "code": "902"}]},
            {"events": [{"source": "ARN", "target": "GON", "code": "212"}],
             "error": "bad_input_parse"}]  # skipped records are not counted
    pred = [{"events": [{"cameo": "064", "actor1": "Arnor", "actor2": "Gondor"}]},
            {"events": []}]
    scores = score_events(gold, pred, ACTORS)
    assert [s.extra["gold_non_cameo_codes"] for s in scores] == [1, 1, 1]
    assert (scores[0].tp, scores[0].fn) == (1, 1)


def test_sentence_errors_list_only_imperfect_sentences_with_missed_and_extra_items():
    gold = [{"id": "a", "text": "Arnor met Gondor.",
             "events": [{"source": "ARN", "target": "GON", "code": "040"}]},
            {"id": "b", "text": "Arnor condemned Gondor.",
             "events": [{"source": "ARN", "target": "GON", "code": "122"}]}]
    pred = [{"events": [{"cameo": "040", "actor1": "Arnor", "actor2": "Gondor"}]},
            {"events": [{"cameo": "111", "trigger": "condemned", "trigger_id": "trig-006",
                         "mode": "asserted", "actor1": "Arnor", "actor2": "Gondor"}]}]
    rows = sentence_errors(gold, pred, ACTORS)
    assert [row["id"] for row in rows] == ["b"]
    assert rows[0]["missed"] == [("12", "ARN", "GON")]
    assert rows[0]["extra"] == [("11", "ARN", "GON")]
    text = format_sentence_errors(rows)
    assert "'condemned' trig-006" in text and "(not a CAMEO code)" not in text
