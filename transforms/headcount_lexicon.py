"""Headcount lexicon: qualifiers, vague amounts, category words and non-count units.

All word lists live in `patterns/headcount_lexicon.jsonl` and `patterns/headcount_vague.jsonl`
(one row per id); this module loads them once and answers lookups.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["CATEGORIES", "VICTIM_CATEGORIES", "Lexicon", "LexiconError", "VagueAmount",
           "lexicon"]

PATTERNS_DIR = Path(__file__).parent / "patterns"
#: The fixed `category` vocabulary: what happened to the counted people, or what they are.
CATEGORIES = ("killed", "injured", "kidnapped", "arrested", "displaced", "missing", "members",
              "fighters", "troops", "protesters", "other")
#: Categories that say something was done to the people counted: only people can carry them.
VICTIM_CATEGORIES = frozenset({"killed", "injured", "kidnapped", "arrested"})


class LexiconError(ValueError):
    """Raised when a headcount pattern file has a row this module cannot use."""


@dataclass(frozen=True)
class VagueAmount:
    """A vague quantifier ("dozens of") with its documented bounds."""

    id: str
    words: tuple[str, ...]
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Lexicon:
    """Lookups built from the JSONL rows."""

    qualifiers: dict[tuple[str, ...], str]
    vague: dict[tuple[str, ...], VagueAmount]
    noun_category: dict[str, str]
    verb_category: dict[str, str]
    measures: frozenset[str]
    #: group of each person noun ("civilians", "people", else its category); nouns are people.
    noun_group: dict[str, str]
    #: verbs whose active subject is the counted group ("12 died"), not the agent.
    subject_verbs: frozenset[str]
    #: modals that leave a fate unrealised ("could have killed 100", "will kill the hostages").
    unrealised_modals: frozenset[str] = frozenset()
    #: verbs whose complement has not happened ("threatened to kill 20 hostages").
    intent_verbs: frozenset[str] = frozenset()

    def is_person(self, lemma: str) -> bool:
        """Return whether the lemma is a noun for people ("villager", "troops")."""
        return lemma in self.noun_group

    def qualifier_before(self, words: list[str]) -> tuple[str, int] | None:
        """Return (qualifier, word count) for the longest qualifier ending the word list."""
        for size in (4, 3, 2, 1):
            if len(words) >= size and tuple(words[-size:]) in self.qualifiers:
                return self.qualifiers[tuple(words[-size:])], size
        return None

    def vague_at(self, words: list[str]) -> VagueAmount | None:
        """Return the longest vague amount the word list starts with."""
        for size in (5, 4, 3, 2, 1):
            if len(words) >= size and tuple(words[:size]) in self.vague:
                return self.vague[tuple(words[:size])]
        return None


def _rows(name: str) -> list[dict]:
    path = PATTERNS_DIR / name
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for row in rows:
        if "id" not in row:
            raise LexiconError(f"{path}: every row needs an 'id' ({row!r})")
    return rows


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load the headcount lexicon once per process."""
    qualifiers: dict[tuple[str, ...], str] = {}
    nouns: dict[str, str] = {}
    verbs: dict[str, str] = {}
    measures: set[str] = set()
    groups: dict[str, str] = {}
    subject_verbs: set[str] = set()
    unrealised: dict[str, set[str]] = {"unrealised_modal": set(), "intent_verb": set()}
    for row in _rows("headcount_lexicon.jsonl"):
        kind = row.get("kind")
        if kind in ("noun", "verb") and row.get("category") not in CATEGORIES:
            raise LexiconError(f"headcount_lexicon.jsonl: {row['id']} has category "
                               f"{row.get('category')!r}, not one of {', '.join(CATEGORIES)}")
        if kind == "qualifier":
            for phrase in row["words"]:
                qualifiers[tuple(phrase.split())] = row["qualifier"]
        elif kind == "noun":
            nouns.update(dict.fromkeys(row["lemmas"], row["category"]))
            groups.update(dict.fromkeys(row["lemmas"], row.get("group", row["category"])))
        elif kind == "verb":
            verbs.update(dict.fromkeys(row["lemmas"], row["category"]))
        elif kind == "measure":
            measures.update(row["lemmas"])
        elif kind == "subject_verb":
            subject_verbs.update(row["lemmas"])
        elif kind in unrealised:
            unrealised[kind].update(row["lemmas"])
        else:
            raise LexiconError(f"headcount_lexicon.jsonl: unknown kind {kind!r} in {row['id']}")
    vague = {}
    for row in _rows("headcount_vague.jsonl"):
        words = tuple(row["words"].split())
        vague[words] = VagueAmount(row["id"], words, row.get("low"), row.get("high"))
    return Lexicon(qualifiers, vague, nouns, verbs, frozenset(measures), groups,
                   frozenset(subject_verbs), frozenset(unrealised["unrealised_modal"]),
                   frozenset(unrealised["intent_verb"]))
