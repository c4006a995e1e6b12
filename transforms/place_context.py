"""Read the words around a span for place cues: "in X", "X province", "X, <Country>", "Y's X"."""

from __future__ import annotations

from spacy.tokens import Doc

from transforms.gazetteer import Gazetteer, Place
from transforms.place_names import place_words

__all__ = ["after_parent", "collective_cue", "in_place_list", "list_neighbours",
           "possessive_parent", "preposition_cue", "type_cue"]

PARENT_FEATURES = frozenset({"country", "admin1"})
_LIST_GLUE = frozenset({",", "and", "or", "&"})
_MAX_SCAN = 12
#: "member states of X" names countries, not subdivisions.
_NOT_AFTER_OF = frozenset({"state", "states", "territory", "territories"})
_ONE_UNIT_OF = frozenset({"state", "territory"})


def _is_name_token(token) -> bool:
    return token.pos_ == "PROPN" and (token.is_title or token.is_upper)


def type_cue(doc: Doc, start: int, end: int) -> str | None:
    """Return "admin1" or "city" when a type word names the span's kind ("Kunduz and Takhar provinces")."""
    words = place_words()
    last = doc[end - 1].lower_
    if last in words["admin1_type"] and end - start > 1:
        return "admin1"
    i = end
    while i < len(doc) and i - end < _MAX_SCAN:
        token = doc[i]
        lower = token.lower_
        if token.ent_iob_ == "I":
            break  # part of another name: "Benin, Cape Verde, Central African Republic"
        if lower in words["admin1_type"]:
            return "admin1"
        if lower in words["city_type"] and lower != "capital":
            return "city"
        if not (lower in _LIST_GLUE or _is_name_token(token)):
            break
        i += 1
    if start >= 2 and doc[start - 1].lower_ == "of":
        before = doc[start - 2].lower_
        if before in words["admin1_type"] and before not in _NOT_AFTER_OF:
            return "admin1"
        if before in _ONE_UNIT_OF and start >= 3 and doc[start - 3].lower_ == "the":
            return "admin1"  # "the state of Washington" (but "member states of X" names countries)
        if before in words["city_type"] and before != "capital":  # "capital of X" names a country
            return "city"
    return None


def preposition_cue(doc: Doc, start: int, allowed: frozenset[str] | None = None) -> bool:
    """Tell whether a locative preposition precedes the span ("in X", "from the X")."""
    words = allowed if allowed is not None else place_words()["place_preposition"]
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    while i >= 0 and doc[i].pos_ == "ADJ" and doc[i].is_lower and start - i <= 2:
        i -= 1  # "in northern X", "in war-torn X"
    return i >= 0 and doc[i].lower_ in words


def after_parent(doc: Doc, end: int, gaz: Gazetteer) -> tuple[int, int, list[Place]] | None:
    """Return (start, end, places) of a country/admin1 name right after a comma ("Minsk, Belarus")."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return None
    first = end + 1
    if doc[first].lower_ == "the":
        first += 1
    for stop in range(min(first + 4, len(doc)), first, -1):
        span = doc[first:stop]
        if not all(_is_name_token(t) or t.text == "." for t in span):
            continue
        places = [p for p in gaz.lookup(span.text) if p.feature in PARENT_FEATURES]
        if places:
            return first, stop, places
    return None


def possessive_parent(doc: Doc, start: int, gaz: Gazetteer) -> list[Place]:
    """Return the country/admin1 owning the span through a possessive ("Afghanistan's X")."""
    if start < 2 or doc[start - 1].lower_ not in {"'s", "’s", "'"}:
        return []
    for first in range(max(start - 4, 0), start - 1):
        places = [p for p in gaz.lookup(doc[first:start - 1].text) if p.feature in PARENT_FEATURES]
        if places:
            return places
    return []


def in_place_list(doc: Doc, start: int, end: int, place_starts: set[int],
                  place_ends: set[int]) -> bool:
    """Tell whether the span is coordinated with a known place ("Belarus, X and Russia")."""
    before = start - 1
    if before >= 0 and doc[before].lower_ in _LIST_GLUE:
        if before in place_ends or (before - 1 in place_ends and doc[before - 1].text == ","):
            return True
    after = end
    if after < len(doc) and doc[after].lower_ in _LIST_GLUE:
        nxt = after + 1
        if nxt < len(doc) and doc[nxt].lower_ in _LIST_GLUE:
            nxt += 1
        return nxt in place_starts
    return False


def collective_cue(doc: Doc, end: int) -> bool:
    """Tell whether the span modifies a collective place noun ("Central Asian countries")."""
    return end < len(doc) and doc[end].lower_ in place_words()["collective_place"]


def list_neighbours(doc: Doc, spans: list[tuple[int, int]]) -> list[list[int]]:
    """Return, for each (start, end) span in order, the indexes of the spans listed with it.

    Two spans are neighbours when only list glue separates them ("Ohio, Oregon and Utah").
    """
    neighbours: list[list[int]] = [[] for _ in spans]
    for i in range(1, len(spans)):
        between = doc[spans[i - 1][1]:spans[i][0]]
        if 0 < len(between) <= 2 and all(t.lower_ in _LIST_GLUE for t in between):
            neighbours[i].append(i - 1)
            neighbours[i - 1].append(i)
    return neighbours
