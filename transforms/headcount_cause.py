"""Causes: whether a victim count is the toll of a natural disaster, a disease or an accident.

"40 dead and 200 injured" after an earthquake, "two pilots died in a training accident", "the
cholera outbreak has killed 90": true counts of victims, but of no one's act.
Event datasets count violence (ACLED's events are political violence, MUC-4 templates terrorist
acts), so each victim count says `cause`: "natural_disaster", "disease", "accident", or None
(an act of violence, or not said).

The cause comes from the count's sentence: a noun (or adjective) of a natural disaster, a
disease or an accident ("hurricane", "epidemic", "accident"; the verb in "rustlers stormed a
village" is no storm) with no word of deliberate violence ("attack", "bomb", "guerrillas") in
it. A sentence with neither kind of word ("The minister said there were 40 dead and 200
injured") continues the story of the nearest earlier sentence that has one. A sentence with
both is about an act: "as the flood waters rose, gunmen raided the village and killed four
farmers". Word lists are data: `patterns/headcount_causes.jsonl`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from transforms.headcount_lexicon import LexiconError
from transforms.pattern_files import pattern_rows

__all__ = ["CAUSES", "CauseLexicon", "cause_lexicon", "sentence_causes", "toll_cause"]

PATTERN_FILE = "headcount_causes.jsonl"
#: The fixed `cause` vocabulary (None: violence, or the text does not say).
CAUSES = ("natural_disaster", "disease", "accident")
#: Marks a sentence that names deliberate violence.
VIOLENCE = "violence"


@dataclass(frozen=True)
class CauseLexicon:
    """Lookups built from `patterns/headcount_causes.jsonl`: lemma → cause, violence lemmas."""

    causes: dict[str, str]
    violence: frozenset[str]


@lru_cache(maxsize=1)
def cause_lexicon() -> CauseLexicon:
    """Load the cause word lists once per process."""
    causes: dict[str, str] = {}
    violence: set[str] = set()
    for row in pattern_rows(PATTERN_FILE):
        kind = row.get("kind")
        if kind == "cause" and row.get("cause") in CAUSES:
            causes.update(dict.fromkeys(row["lemmas"], row["cause"]))
        elif kind == "violence":
            violence.update(row["lemmas"])
        else:
            raise LexiconError(f"{PATTERN_FILE}: {row.get('id')} has kind {kind!r} and cause "
                               f"{row.get('cause')!r}; use kind 'cause' with one of "
                               f"{', '.join(CAUSES)}, or kind 'violence'")
    return CauseLexicon(causes, frozenset(violence))


def _forms(token: Token) -> tuple[str, ...]:
    """The word, its lemma and a naive singular: spaCy lemmatises "Guerrillas" (PROPN) as is."""
    low, lemma = token.lower_, token.lemma_.lower()
    return (low, lemma, low[:-1]) if low.endswith("s") else (low, lemma)


def sentence_causes(doc: Doc) -> list[str | None]:
    """Return, per sentence, "violence", a cause of `CAUSES`, or None when it names neither."""
    lex = cause_lexicon()
    marks: list[str | None] = []
    for sent in doc.sents:
        found: str | None = None
        for token in sent:
            words = _forms(token)
            if any(w in lex.violence for w in words):
                found = VIOLENCE
                break
            if found is None and token.pos_ not in ("VERB", "AUX"):
                found = next((lex.causes[w] for w in words if w in lex.causes), None)
        marks.append(found)
    return marks


def toll_cause(marks: Sequence[str | None], sentence: int) -> str | None:
    """Return the cause of a count in `sentence`: its own mark, else the nearest earlier one."""
    for mark in reversed(marks[:sentence + 1]):
        if mark is not None:
            return None if mark == VIOLENCE else mark
    return None
