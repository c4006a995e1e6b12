"""Score predicted CAMEO events against PETRARCH2's validation sentences.

The headline ("root+actors") is the issue's measure: the share of gold events reproduced with
the same CAMEO root, source and target, and the share of emitted events that reproduce one.
Actors are compared in the code space of `actors.json`: a predicted actor text is coded by the
names listed there, a gold code by its first three letters (the country or IGO). A gold code
that `actors.json` cannot produce (a quoted new-actor text, a country it does not list) or
whose country PETRARCH marks unknown ("---GOV", "###") counts as an unknown actor, which a
predicted actor that no name codes (or that codes to "---") matches.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from itertools import product
from pathlib import Path

from evaluation.scores import Score, score_from_counts

__all__ = ["ActorLookup", "cameo_root", "is_cameo_root", "score_events", "sentence_errors"]

TASK = "petrarch2 events"
#: The headline first; then the CAMEO root alone, and the dyad alone (who did something to
#: whom, whatever the code), which separate coding errors from argument errors.
METRICS = ("root+actors", "root", "actors")


def cameo_root(code: object) -> str | None:
    """Return the CAMEO root (first two digits: "064" -> "06", "1717" -> "17"), or None."""
    if not isinstance(code, str):
        return None
    match = re.match(r"\s*(\d{2})", code)
    return match.group(1) if match else None


#: The CAMEO codebook's twenty cue categories, "01" (make public statement) to "20" (use
#: unconventional mass violence). PETRARCH2's validation dictionary is an old ad hoc test
#: dictionary, mostly WEIS codes, and gives some codes outside them ("345", "902", "212").
CAMEO_ROOTS = frozenset(f"{n:02d}" for n in range(1, 21))


def is_cameo_root(root: str | None) -> bool:
    """Whether a code root is one of the CAMEO codebook's twenty ("19" yes, "90" no)."""
    return root in CAMEO_ROOTS


#: PETRARCH's placeholders for "country unknown" ("---GOV": a government, whose is not said).
UNKNOWN_COUNTRY = {"---", "###"}


def country_prefix(code: object) -> str | None:
    """Return an actor code's first three letters (the country or IGO), or None if unknown."""
    if not isinstance(code, str) or not re.match(r"^[A-Z0-9+\-]{3}", code):
        return None
    return None if code[:3] in UNKNOWN_COUNTRY else code[:3]


class ActorLookup:
    """Map actor texts to codes with `actors.json` (code -> names), by uppercase name.

    A name matches at a word start and may run into a longer word ("ARNOR" codes "Arnorian");
    a name listed with a trailing space ("UN ") must end a word, so "union" is not the UN.
    """

    def __init__(self, code_names: dict[str, list[str]]):
        self.codes: dict[str, str] = {}
        for code, names in code_names.items():
            for name in names:
                self.codes.setdefault(name.upper(), code)
        # Longest names first in the alternation, so at one position "ITHILEN MILITARY" wins
        # over "ITHILEN"; the search itself finds the leftmost name.
        names = sorted(self.codes, key=len, reverse=True)
        self.pattern = (re.compile(r"(?<![A-Z])(?:" + "|".join(map(re.escape, names)) + ")")
                        if names else None)
        #: Country/IGO prefixes the lookup can produce; other gold codes are unknown actors.
        self.prefixes = {prefix for code in code_names for part in code.split("/")
                         if (prefix := country_prefix(part))}

    @classmethod
    def from_file(cls, path: Path) -> ActorLookup:
        """Read an actors.json file; a missing file gives an empty lookup."""
        if not path.exists():
            return cls({})
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def code_for(self, text: object) -> str | None:
        """Return the code of the whole text, else of the leftmost (longest) known name in it."""
        if not isinstance(text, str) or not text.strip():
            return None
        upper = re.sub(r"\s+", " ", text.upper()).strip()
        # The extractor drops a leading "the"; actors.json keeps it in some names ("THE AU").
        for whole in (upper, upper + " ", "THE " + upper):
            if whole in self.codes:
                return self.codes[whole]
        match = self.pattern.search(upper + " ") if self.pattern else None
        return self.codes[match.group(0)] if match else None

    def countries_for(self, text: object) -> list[str | None]:
        """Return the country prefixes an actor text codes to ("FRO/BIL/SAM" gives three)."""
        code = self.code_for(text)
        if code is None:
            return [None]
        return [country_prefix(part) for part in code.split("/")]

    def gold_country(self, code: object) -> str | None:
        """Return a gold actor code's country prefix, or None when actors.json cannot code it."""
        prefix = country_prefix(code)
        return prefix if prefix in self.prefixes else None


def _gold_items(record: dict, actors: ActorLookup) -> dict[str, Counter]:
    items = {metric: Counter() for metric in METRICS}
    for event in record.get("events") or []:
        root = cameo_root(event.get("code"))
        dyad = (actors.gold_country(event.get("source")), actors.gold_country(event.get("target")))
        items["root+actors"][(root, *dyad)] += 1
        items["root"][root] += 1
        items["actors"][dyad] += 1
    return items


def _predicted_items(record: dict, actors: ActorLookup) -> dict[str, Counter]:
    """Count emitted events; an actor coding to several countries counts one event per pair."""
    items = {metric: Counter() for metric in METRICS}
    for event in record.get("events") or []:
        root = cameo_root(event.get("cameo"))
        items["root"][root] += 1
        for dyad in product(actors.countries_for(event.get("actor1")),
                            actors.countries_for(event.get("actor2"))):
            items["root+actors"][(root, *dyad)] += 1
            items["actors"][dyad] += 1
    return items


def score_events(gold: Sequence[dict], predicted: Sequence[dict],
                 actors: ActorLookup | None = None) -> list[Score]:
    """Return P/R/F1 of (CAMEO root, source, target), then of the root alone, the dyad alone.

    Each gold record is one sentence; gold and emitted events are matched one to one (a gold
    event is reproduced at most once). Sentences with no gold event (`noevents`) test
    precision. Records with an `error` (PETRARCH's bad-input and discard tests, whose expected
    output is about its input handling, not the text) are left out and counted in `extra`.
    """
    actors = actors or ActorLookup({})
    counts = {metric: [0, 0, 0] for metric in METRICS}
    sentences = with_events = skipped = non_cameo = 0
    for gold_record, pred_record in zip(gold, predicted, strict=True):
        if gold_record.get("error"):
            skipped += 1
            continue
        sentences += 1
        gold_items = _gold_items(gold_record, actors)
        predicted_items = _predicted_items(pred_record, actors)
        with_events += bool(gold_record.get("events"))
        non_cameo += sum(not is_cameo_root(root) for root in gold_items["root"].elements())
        for metric in METRICS:
            g, p = gold_items[metric], predicted_items[metric]
            matched = sum((g & p).values())
            counts[metric][0] += matched
            counts[metric][1] += sum(p.values()) - matched
            counts[metric][2] += sum(g.values()) - matched
    # Gold events whose code is no CAMEO code at all: no CAMEO coder can reproduce them.
    extra = {"sentences": sentences, "gold_sentences_with_events": with_events,
             "skipped_error_records": skipped, "gold_non_cameo_codes": non_cameo}
    return [score_from_counts(TASK, metric, *c, extra) for metric, c in counts.items()]


def sentence_errors(gold: Sequence[dict], predicted: Sequence[dict],
                    actors: ActorLookup | None = None) -> list[dict]:
    """Return, per sentence that `score_events` does not score perfectly, what went wrong.

    Each row has the record `id`, its `text`, the gold events, the emitted events with their
    trigger and lexicon row, and the (root, source country, target country) items `missed`
    (false negatives) and `extra` (false positives) of the headline metric. For reading while
    working on the lexicon; error records are skipped as in the score.
    """
    actors = actors or ActorLookup({})
    rows = []
    for gold_record, pred_record in zip(gold, predicted, strict=True):
        if gold_record.get("error"):
            continue
        wanted = _gold_items(gold_record, actors)["root+actors"]
        emitted = _predicted_items(pred_record, actors)["root+actors"]
        missed, extra = wanted - emitted, emitted - wanted
        if not missed and not extra:
            continue
        rows.append({
            "id": gold_record.get("id"), "text": gold_record.get("text"),
            "gold": [(e.get("code"), e.get("source"), e.get("target"))
                     for e in gold_record.get("events") or []],
            "emitted": [(e.get("cameo"), e.get("trigger"), e.get("trigger_id"), e.get("mode"),
                         e.get("actor1"), e.get("actor2"))
                        for e in pred_record.get("events") or []],
            "missed": sorted(missed.elements(), key=str),
            "extra": sorted(extra.elements(), key=str)})
    return rows
