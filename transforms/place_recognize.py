"""Repair place entities in doc.ents: relabel known places spaCy mislabelled, recover missed ones."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from transforms.gazetteer import Gazetteer, Place
from transforms.place_context import (after_parent, collective_cue, in_place_list,
                                      possessive_parent, preposition_cue, type_cue)
from transforms.place_names import normalize, place_words, strip_type_words

__all__ = ["PLACE_LABELS", "repair_places"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
AREA_FEATURES = frozenset({"region", "continent"})
#: Prepositions strong enough to turn an ORG into a place ("at" and "to" are not: "at Amazon").
ORG_PREPOSITIONS = frozenset({"in", "from", "across", "throughout", "near", "into", "inside",
                              "outside", "within"})
#: Labels spaCy uses for things that may really be place names.
RELABELLED = frozenset({"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"})
MAX_NAME_TOKENS = 4


def _label_for(places: list[Place]) -> str:
    best = max(places, key=lambda p: p.prior)
    return "LOC" if best.feature in AREA_FEATURES else "GPE"


def _strip_the(span: Span) -> tuple[int, int]:
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ == "the":
        start += 1
    return start, span.end


class _Context:
    """What one document offers as cues: where the known places start and end."""

    def __init__(self, doc: Doc, gaz: Gazetteer, ents: list[Span]) -> None:
        self.doc, self.gaz = doc, gaz
        self.starts = {e.start for e in ents if e.label_ in PLACE_LABELS}
        self.ends = {e.end for e in ents if e.label_ in PLACE_LABELS}

    def cued(self, start: int, end: int, prepositions: frozenset[str] | None = None) -> bool:
        doc, gaz = self.doc, self.gaz
        return bool(type_cue(doc, start, end) or preposition_cue(doc, start, prepositions)
                    or after_parent(doc, end, gaz) or possessive_parent(doc, start, gaz)
                    or in_place_list(doc, start, end, self.starts, self.ends))


def _relabel(span: Span, ctx: _Context) -> Span | None:
    """Return the span as a place when the gazetteer and the context agree, else None."""
    gaz, doc = ctx.gaz, ctx.doc
    start, end = _strip_the(span)
    text = doc[start:end].text
    if span.label_ == "NORP":
        region = gaz.demonym(_with_compass(doc, start, end, gaz)[2])
        if region is not None and region.feature in AREA_FEATURES and collective_cue(doc, end):
            first, _, _ = _with_compass(doc, start, end, gaz)
            return Span(doc, first, end, label="LOC")
        if gaz.demonym(text) is not None:
            return None
    places = gaz.lookup(text) or gaz.lookup(_stripped(text))
    if not places:
        return None
    primary = gaz.is_primary(text)
    features = {p.feature for p in places}
    if span.label_ == "NORP" and primary and features - {"city"}:
        return Span(doc, start, end, label=_label_for(places))
    if span.label_ == "ORG" and primary and features - {"city"}:
        return Span(doc, start, end, label=_label_for(places))
    if ctx.cued(start, end, ORG_PREPOSITIONS):
        return Span(doc, start, end, label=_label_for(places))
    return None


def _stripped(text: str) -> str:
    return strip_type_words(normalize(text))


def _with_compass(doc: Doc, start: int, end: int, gaz: Gazetteer) -> tuple[int, int, str]:
    """Extend a demonym with a lowercase compass word before it ("central Asian")."""
    if start > 0 and doc[start - 1].ent_iob_ == "O" and doc[start - 1].lower_ in place_words()["generic"]:
        text = doc[start - 1:end].text
        if gaz.demonym(text) is not None:
            return start - 1, end, text
    return start, end, doc[start:end].text


def _accept_new(start: int, end: int, places: list[Place], ctx: _Context) -> bool:
    text = ctx.doc[start:end].text
    if len(text) < 3 or ctx.gaz.demonym(text) is not None:
        return False
    features = {p.feature for p in places}
    if ctx.gaz.is_primary(text) and features & {"country", "continent"}:
        return True
    return ctx.cued(start, end)


def _is_name(token) -> bool:
    return token.tag_ in ("NNP", "NNPS") and (token.is_title or token.is_upper)


def _glued_hyphen(doc: Doc, k: int) -> bool:
    """Tell whether token k is a hyphen written inside a word ("Sar-e Pul", "Mazar-i-Sharif")."""
    return 0 < k < len(doc) and doc[k].tag_ == "HYPH" and not doc[k - 1].whitespace_


def _name_stops(doc: Doc, start: int, taken: list[bool]) -> list[int]:
    """Return the ends a name starting at `start` may have, longest first; hyphens never split."""
    stops, k, n = [], start, len(doc)
    while k < n and k - start < 2 * MAX_NAME_TOKENS and not taken[k]:
        token = doc[k]
        if _glued_hyphen(doc, k) and k > start and not token.whitespace_:
            k += 1
            continue
        if not (k == start or token.tag_ in ("NNP", "NNPS") or _glued_hyphen(doc, k - 1)):
            break
        k += 1
        if not _glued_hyphen(doc, k):
            stops.append(k)
    return stops[::-1]


def _recover(doc: Doc, taken: list[bool], ctx: _Context) -> list[Span]:
    """Find gazetteer names in capitalised runs that no entity covers."""
    found = []
    i, n = 0, len(doc)
    while i < n:
        if taken[i] or not _is_name(doc[i]) or _glued_hyphen(doc, i - 1):
            i += 1
            continue
        matched = False
        for stop in _name_stops(doc, i, taken):
            places = ctx.gaz.lookup(doc[i:stop].text)
            if places and _accept_new(i, stop, places, ctx):
                found.append(Span(doc, i, stop, label=_label_for(places)))
                i, matched = stop, True
                break
        if not matched:
            i += 1
    return found


def _place_or_not(doc: Doc, start: int, end: int, label: str, gaz: Gazetteer) -> str | None:
    """Return the label a spaCy place entity keeps: NORP for demonyms, None for "X virus"."""
    if end < len(doc) and doc[end].lower_ in place_words()["not_place_before"]:
        return None  # "Marburg virus", "West Nile fever": a disease, not a place mention
    text = doc[start:end].text
    demonym = gaz.demonym(text)
    if demonym is None or gaz.lookup(text):
        return label
    if demonym.feature in AREA_FEATURES and collective_cue(doc, end):
        return "LOC"
    return "NORP"


def _hyphen_end(doc: Doc, start: int, end: int, limit: int, gaz: Gazetteer) -> int:
    """Return a later end when the name goes on across hyphens ("Mazar" + "-i-Sharif")."""
    best, stop = end, end
    while stop + 1 < limit and doc[stop].tag_ == "HYPH" and not doc[stop - 1].whitespace_ \
            and not doc[stop].whitespace_:
        stop += 2
        if gaz.lookup(doc[start:stop].text):
            best = stop
    return best


def repair_places(doc: Doc, gaz: Gazetteer) -> None:
    """Rewrite doc.ents with place labels fixed and missed place names added (no overlaps)."""
    ents = list(doc.ents)
    ctx = _Context(doc, gaz, ents)
    repaired: list[Span] = []
    for index, ent in enumerate(ents):
        if ent.label_ in PLACE_LABELS:
            start, end = _strip_the(ent)
            limit = ents[index + 1].start if index + 1 < len(ents) else len(doc)
            end = _hyphen_end(doc, start, end, limit, gaz)
            label = _place_or_not(doc, start, end, ent.label_, gaz)
            if label is None:
                continue
            changed = (start, end, label) != (ent.start, ent.end, ent.label_)
            repaired.append(Span(doc, start, end, label=label) if changed else ent)
        elif ent.label_ in RELABELLED:
            repaired.append(_relabel(ent, ctx) or ent)
        else:
            repaired.append(ent)
    taken = [False] * len(doc)
    for ent in repaired:
        for i in range(ent.start, ent.end):
            taken[i] = True
    ctx.starts = {e.start for e in repaired if e.label_ in PLACE_LABELS}
    ctx.ends = {e.end for e in repaired if e.label_ in PLACE_LABELS}
    recovered = _recover(doc, taken, ctx)
    if recovered or repaired != ents:
        doc.ents = sorted(repaired + recovered, key=lambda span: span.start)
