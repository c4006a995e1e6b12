"""The event lexicon: which lexicon row, if any, a token triggers.

Rows live in `patterns/event_triggers.jsonl` (one row per lemma, part of speech and constraint,
each with an id, a PLOVER type and a CAMEO code); a row may constrain the trigger's object,
preposition or transitivity, so "released prisoners" is an event and "released a report" is not.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from transforms.pattern_files import pattern_rows

__all__ = ["OBJECT_DEPS", "load_triggers", "trigger_row"]

#: Dependencies of what a verb acts on directly.
OBJECT_DEPS = {"dobj", "obj", "attr"}


@lru_cache(maxsize=1)
def load_triggers() -> dict[tuple[str, str], list[dict]]:
    """Return lexicon rows keyed by (lemma, pos); rows with an object, then a subject
    constraint come first, so the unconstrained row of a lemma is its fallback."""
    table: dict[tuple[str, str], list[dict]] = {}
    for row in pattern_rows("event_triggers.jsonl"):
        table.setdefault((row["lemma"], row["pos"]), []).append(row)
    for rows in table.values():
        rows.sort(key=lambda row: (row["object"] is None, not row.get("subject")))
    return table


def trigger_row(token: Token) -> dict | None:
    """Return the lexicon row this token triggers, honouring the row's constraints.

    A row may name the objects it needs (`object`, or `object_entity` labels: "released
    prisoners", "released John Smith", not "released a report"), objects that rule it out
    (`not_object`: "meet demand"), a preposition it needs (`prep`: "called for talks", not
    "called him a liar"), no object at all (`intransitive`: "protesters demonstrated",
    not "demonstrated the software"), or the subject it needs (`subject`: "dock workers
    threatened to strike" is a labour strike, "jets struck overnight" an air strike).
    """
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ == "NOUN" else None
    if pos is None:
        return None
    rows = next((found for form in _forms(token)
                 if (found := load_triggers().get((form, pos)))), None)
    if not rows:
        return None
    undergoers = _undergoers(token)
    objects = {form for child in undergoers for form in (child.lemma_.lower(), child.lower_)}
    labels = {child.ent_type_ for child in undergoers if child.ent_type_}
    preps = {child.lower_ for child in token.children if child.dep_ in ("prep", "agent")}
    for row in rows:
        if objects & set(row.get("not_object") or ()):
            continue  # "meet demand", "meet a deadline": not a meeting
        if row.get("prep") and not preps & set(row["prep"]):
            continue
        if row.get("intransitive") and undergoers:
            continue
        if row.get("subject") and not _subject_lemmas(token) & set(row["subject"]):
            continue
        if row["object"] is None or objects & set(row["object"]) or labels & set(
                row.get("object_entity") or ()):
            return row
    return None


def _subject_lemmas(token: Token) -> set[str]:
    """The lemmas of the verb's subject, or of the verb it complements or is coordinated with
    ("workers threatened to strike", "workers walked out and struck")."""
    node = token
    for _ in range(3):
        subjects = [child for child in node.children if child.dep_ == "nsubj"]
        if subjects:
            return {form for subject in subjects
                    for form in (subject.lemma_.lower(), subject.lower_)}
        if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
            break
        node = node.head
    return set()


def _undergoers(token: Token) -> list[Token]:
    """What a verb acts on: its object, a passive subject, the noun a participle modifies.

    "an accord was signed", "the accord signed by X": the accord is what was signed.
    """
    found = [child for child in token.children if child.dep_ in OBJECT_DEPS | {"nsubjpass"}]
    if token.dep_ == "acl" and token.tag_ == "VBN":
        found.append(token.head)
    return found


def _forms(token: Token) -> list[str]:
    """The lemma, the word, and the word without a regular suffix, to look up in the lexicon.

    The lemmatiser misses rare verbs ("cordoned" → "cordone"); stripping "-ed", "-ing" or
    "-s" recovers the lexicon's lemma.
    """
    lower = token.lower_
    forms = [token.lemma_.lower(), lower]
    if token.pos_ in ("VERB", "AUX"):
        forms += [lower[: -len(suffix)] for suffix in ("ed", "ing", "s")
                  if lower.endswith(suffix) and len(lower) > len(suffix) + 3]
    return forms
