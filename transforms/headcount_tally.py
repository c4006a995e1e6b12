"""Tallies: counts that add up several incidents over a period, not one incident's victims.

"630 people were killed in November", "1,775 have been killed over the past 12 months",
"13,000 people have been killed since 1980", "a total of 227 people": true counts, but of a
period. ACLED and MUC-4 count incidents; summing tallies with incident counts counts the same
people twice, so every headcount says whether it is a tally (`is_tally`).

A count is a tally when its own words say so ("a total of", "in all") or the verb governing it
is bounded by a period rather than a moment: "since ...", "so far", "to date", "this year",
"in November" (a month or year with no day), "over/during/in the past/last N months|years";
or when a clause above it has a period for subject: "March was the deadliest month of the
year, as the fighting caused the death of 250 people".
"""

from __future__ import annotations

from spacy.tokens import Token

__all__ = ["is_tally"]

_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_PERIOD_UNITS = {"month", "year", "decade"}
_PERIOD_PREPS = {"in", "during", "over", "throughout", "for"}
_RECENT = {"past", "last", "previous", "this", "current", "first"}
_TOTAL_BEFORE = (("a", "total", "of"), ("total", "of"), ("in", "all"))


def _governing_verb(token: Token) -> Token | None:
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _is_year(token: Token) -> bool:
    return token.text.isdigit() and len(token.text) == 4 and token.text[:2] in ("19", "20")


def _is_period(noun: Token) -> bool:
    """"November", "1989", "the past 12 months", "this year": a period, not a day."""
    if _is_year(noun):
        return True
    words = {c.lower_ for c in noun.children}
    if noun.lower_ in _MONTHS:
        return not any(c.like_num and not _is_year(c) for c in noun.children)  # "12 November"
    return noun.lemma_.lower() in _PERIOD_UNITS and bool(words & _RECENT)


def _period_prep(prep: Token, depth: int) -> bool:
    """"in November", or one level down after a plural: "in violent acts in November"."""
    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
        if prep.lower_ in _PERIOD_PREPS and _is_period(pobj):
            return True
        if depth == 0 and pobj.tag_ in ("NNS", "NNPS") \
                and any(c.dep_ == "prep" and _period_prep(c, 1) for c in pobj.children):
            return True  # "in violent acts in November"; not "in an attack in May"
    return False


def _period_child(verb: Token) -> bool:
    for child in verb.children:
        low = child.lower_
        if low == "since":
            return True
        if low == "so" and any(c.lower_ == "far" for c in child.children) or low == "far" \
                and child.i > 0 and child.doc[child.i - 1].lower_ == "so":
            return True
        if low == "to" and any(c.lower_ == "date" for c in child.children):
            return True
        if child.dep_ == "prep" and _period_prep(child, depth=0):
            return True
        if child.dep_ == "npadvmod" and child.lemma_.lower() in ("year", "decade") \
                and any(c.lower_ in _RECENT for c in child.children):
            return True  # "this year"; not "earlier this month", often one disaster's toll
    return False


def _period_subject(verb: Token) -> bool:
    """"March was the deadliest month", "1990 saw ...": the clause's subject is a period."""
    return any(c.dep_ in ("nsubj", "nsubjpass") and _is_period(c) for c in verb.children)


def _clause_verbs(verb: Token):
    """Yield the verb and the verbs of the clauses above it, up to the sentence root."""
    node = verb
    while True:
        if node.pos_ in ("VERB", "AUX"):
            yield node
        if node.head.i == node.i:
            return
        node = node.head


def is_tally(start: Token, anchor: Token) -> bool:
    """Whether the count starting at `start`, counting `anchor`, sums a period's incidents."""
    doc = start.doc
    for words in _TOTAL_BEFORE:
        size = len(words)
        if start.i >= size and tuple(t.lower_ for t in doc[start.i - size:start.i]) == words:
            return True
    verb = _governing_verb(anchor)
    if verb is None:
        return False
    return _period_child(verb) or any(_period_subject(v) for v in _clause_verbs(verb))
