"""Score predicted CAMEO events against PETRARCH2's validation sentences."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from evaluation.scores import Score, score_from_counts

__all__ = ["ActorLookup", "cameo_root", "score_events"]

TASK = "petrarch2 events"


def cameo_root(code: object) -> str | None:
    """Return the CAMEO root (first two digits: "064" -> "06", "1717" -> "17"), or None."""
    if not isinstance(code, str):
        return None
    match = re.match(r"\s*(\d{2})", code)
    return match.group(1) if match else None


def country_prefix(code: object) -> str | None:
    """Return an actor code's first three letters (the country or IGO), or None."""
    if not isinstance(code, str) or not re.match(r"^[A-Z0-9+\-]{3}", code):
        return None
    return code[:3]


class ActorLookup:
    """Map actor texts to codes with `actors.json` (code -> names), by uppercase name."""

    def __init__(self, code_names: dict[str, list[str]]):
        self.codes: dict[str, str] = {}
        for code, names in code_names.items():
            for name in names:
                self.codes.setdefault(name.upper().strip(), code)
        # Longest names first in the alternation, so at one position "ITHILEN MILITARY" wins
        # over "ITHILEN"; the search itself finds the leftmost name.
        names = sorted(self.codes, key=len, reverse=True)
        self.pattern = (re.compile(r"(?<![A-Z])(?:" + "|".join(map(re.escape, names)) + ")")
                        if names else None)

    @classmethod
    def from_file(cls, path: Path) -> "ActorLookup":
        """Read an actors.json file; a missing file gives an empty lookup."""
        if not path.exists():
            return cls({})
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def code_for(self, text: object) -> str | None:
        """Return the code of the whole text, else of the leftmost (longest) known name in it."""
        if not isinstance(text, str) or not text.strip():
            return None
        upper = re.sub(r"\s+", " ", text.upper()).strip()
        if upper in self.codes:
            return self.codes[upper]
        match = self.pattern.search(upper) if self.pattern else None
        return self.codes[match.group(0)] if match else None


def _gold_sets(record: dict) -> tuple[set, set]:
    roots, triples = set(), set()
    for event in record.get("events") or []:
        root = cameo_root(event.get("code"))
        roots.add(root)
        source, target = country_prefix(event.get("source")), country_prefix(event.get("target"))
        triples.add((root, source, target))
    return roots, triples


def _predicted_sets(record: dict, actors: ActorLookup) -> tuple[set, set]:
    roots, triples = set(), set()
    for event in record.get("events") or []:
        root = cameo_root(event.get("cameo"))
        roots.add(root)
        triples.add((root, country_prefix(actors.code_for(event.get("actor1"))),
                     country_prefix(actors.code_for(event.get("actor2")))))
    return roots, triples


def score_events(gold: Sequence[dict], predicted: Sequence[dict],
                 actors: ActorLookup | None = None) -> list[Score]:
    """Return per-sentence P/R/F1 of CAMEO roots, then of (root, source, target country).

    Each gold record is one sentence; its distinct gold items are compared with the distinct
    items of the events predicted for it. Sentences with no gold event (`noevents`, discards)
    test precision. Actor texts are coded with `actors` (best effort; unmapped -> None).
    """
    actors = actors or ActorLookup({})
    counts = {"root": [0, 0, 0], "root+actors": [0, 0, 0]}
    sentences_with_events = 0
    for gold_record, pred_record in zip(gold, predicted, strict=True):
        g_roots, g_triples = _gold_sets(gold_record)
        p_roots, p_triples = _predicted_sets(pred_record, actors)
        sentences_with_events += bool(g_roots)
        for metric, g, p in (("root", g_roots, p_roots), ("root+actors", g_triples, p_triples)):
            counts[metric][0] += len(g & p)
            counts[metric][1] += len(p - g)
            counts[metric][2] += len(g - p)
    extra = {"sentences": len(gold), "gold_sentences_with_events": sentences_with_events}
    return [score_from_counts(TASK, metric, *c, extra) for metric, c in counts.items()]
