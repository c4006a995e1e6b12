"""Tell organisations from the products, events and flights named after them.

The small trained model tags most capitalised names in business news ORG: "Boeing" in "Boeing
737", "Airbus jets", "the new iPod", "World Wide Developers Conference". For an event warehouse
those are not actors. Each rule here takes one such phenomenon out of ORG/PERSON (relabelled
PRODUCT or EVENT, which the contract does not emit) or moves a name to the class its context
shows. Every rule has an id so `EntityRepair(disabled=...)` can measure what it adds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from transforms.pattern_files import pattern_values

__all__ = ["KIND_RULES", "air_carriers", "cut_at_possessive", "descriptor_marks_org", "event_names",
           "flight_numbers", "lowercase_i_products", "model_designators", "product_nouns_follow",
           "org_body_words"]

NAME_LABELS = ("ORG", "PERSON")
#: "A380", "737-800", "A400M", "787s", "380": a model designation, not a count or a year.
MODEL = re.compile(r"^(?:[A-Z]{0,3}-?\d{2,4}[A-Za-z]{0,2}(?:-\d{1,4}[A-Za-z]?)?s?|\d{3})$")
YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
#: Apple-style product names: a lowercase "i" glued to a capitalised word (iPod, iMac).
I_PRODUCT = re.compile(r"^i[A-Z][a-z]")
POSSESSIVES = ("'s", "’s", "'", "’")
#: Owners that belong to the name ("People's Republic", "Children's Hospital").
COMMON_OWNERS = frozenset({"people", "children", "women", "men", "workers", "farmers",
                           "veterans", "citizens", "nations", "peoples"})


def load_org_heads() -> frozenset[str]:
    """Return the organisation head nouns of transforms.entities (imported late: no cycle)."""
    from transforms.entities import load_org_heads as heads

    return heads()


@lru_cache(maxsize=1)
def product_nouns() -> frozenset[str]:
    """Return nouns naming manufactured things ("jets"): a name right before one is a brand."""
    return pattern_values("product_nouns.jsonl", "noun")


@lru_cache(maxsize=1)
def event_heads() -> frozenset[str]:
    """Return the last words of event names ("Conference", "Summit", "Show")."""
    return pattern_values("event_heads.jsonl", "head")


@lru_cache(maxsize=1)
def org_body_words() -> frozenset[str]:
    """Return words that make a "Conference" or "Convention" a standing body, not an event."""
    return pattern_values("org_body_words.jsonl", "word")


@lru_cache(maxsize=1)
def org_descriptors() -> frozenset[str]:
    """Return common nouns that introduce an organisation's name ("airline", "retailer")."""
    return pattern_values("org_descriptors.jsonl", "noun")


def _relabel(span: Span, label: str, start: int | None = None, end: int | None = None) -> Span:
    return Span(span.doc, span.start if start is None else start,
                span.end if end is None else end, label)


def _is_model(token) -> bool:
    """True for "A380" or "737", but not for a year or a count ("Syria 300 people")."""
    text = token.text
    if not MODEL.match(text) or YEAR.match(text) or not any(c.isdigit() for c in text):
        return False
    after = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return not text.isdigit() or after is None or after.tag_ != "NNS"


def model_designators(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Boeing 737", "Airbus A380-800", "Rolls-Royce Trent 900": maker plus model is a product."""
    out = []
    for span in spans:
        if span.label_ in (*NAME_LABELS, "GPE") and span.end < len(doc) \
                and _is_model(doc[span.end]) and not doc[span.end - 1].is_punct:
            end = span.end + 1
            if end < len(doc) and doc[end].text[:1].isupper() and doc[end].pos_ == "PROPN" \
                    and not doc[end].is_sent_start:
                end += 1  # "Boeing 787 Dreamliner"
            out.append(_relabel(span, "PRODUCT", end=end))
        elif span.label_ in NAME_LABELS and len(span) > 1 and _is_model(span[-1]) \
                and span[-2].whitespace_ and span[-2].text.lower() != "flight":
            out.append(_relabel(span, "PRODUCT"))
        else:
            out.append(span)
    return out


def flight_numbers(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Adam Air Flight 574": the airline is the organisation, the flight is not part of it."""
    out = []
    for span in spans:
        words = [t.lower_ for t in span]
        if span.label_ in ("ORG", "PERSON", "GPE", "PRODUCT") and "flight" in words[1:]:
            cut = span.start + words.index("flight")
            out.append(_relabel(span, "ORG", end=cut))
        else:
            out.append(span)
    return out


def product_nouns_follow(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Airbus jets", "Apple Macintosh computers": a name modifying a product noun is a brand."""
    nouns = product_nouns()
    out = []
    for span in spans:
        after = doc[span.end] if span.end < len(doc) else None
        # "NATO jets", "Air Force planes": forces own vehicles, they do not brand them.
        owner = span.text.isupper() or span[-1].lower_ in load_org_heads()
        if span.label_ in NAME_LABELS and after is not None and after.lower_ in nouns \
                and after.text[:1].islower() and not owner:
            out.append(_relabel(span, "PRODUCT"))
        else:
            out.append(span)
    return out


def lowercase_i_products(doc: Doc, spans: list[Span]) -> list[Span]:
    """"iPod", "iTunes Music Store": names built on a lowercase "i" are products, not firms."""
    return [_relabel(span, "PRODUCT")
            if span.label_ in (*NAME_LABELS, "GPE") and I_PRODUCT.match(span[0].text) else span
            for span in spans]


def event_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """"World Wide Developers Conference", "Paris Air Show": events, not organisations."""
    heads, bodies = event_heads(), org_body_words()
    return [_relabel(span, "EVENT")
            if span.label_ in (*NAME_LABELS, "GPE", "LOC", "FAC") and len(span) > 1
            and span[-1].lower_ in heads and span[-1].text[:1].isupper()
            and not any(t.lower_.rstrip("'") in bodies for t in span) else span
            for span in spans]


def descriptor_marks_org(doc: Doc, spans: list[Span]) -> list[Span]:
    """"retailer Best Buy", "magazine Der Spiegel": a name after an organisation noun is one."""
    descriptors = org_descriptors()
    out = []
    for span in spans:
        before = doc[span.start - 1] if span.start > 0 else None
        # The noun must modify the name ("retailer" → "Best Buy"), not be another clause's
        # subject ("the firm Smith founded").
        if span.label_ in ("PERSON", "GPE", "LOC", "NORP") and before is not None \
                and before.lower_ in descriptors and before.text[:1].islower() \
                and span.start <= before.head.i < span.end:
            out.append(_relabel(span, "ORG"))
        else:
            out.append(span)
    return out


def cut_at_possessive(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Apple Computer's Mac OS" → "Apple Computer": a name ends where its owner's "'s" is."""
    out = []
    for span in spans:
        cut = next((t.i for t in span[1:-1] if t.text in POSSESSIVES), None) \
            if len(span) > 2 and span.label_ in NAME_LABELS else None
        # "People's Liberation Army", "Women's Aid": a plural common owner is part of the name.
        owner = doc[cut - 1] if cut is not None else None
        if owner is not None and (owner.tag_ == "NNPS" or owner.lower_ in COMMON_OWNERS):
            cut = None
        if cut is None and len(span) > 1 and span[-1].text in POSSESSIVES:
            cut = span[-1].i
        out.append(_relabel(span, span.label_, end=cut) if cut is not None else span)
    return out


def air_carriers(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Air China", "Air France": "Air" before a country or city names its airline."""
    out = []
    for span in spans:
        before = doc[span.start - 1] if span.start > 0 else None
        if span.label_ in ("GPE", "LOC", "NORP") and before is not None and before.text == "Air" \
                and (span.start - 1 == 0 or not doc[span.start - 2].text[:1].isupper()):
            out.append(_relabel(span, "ORG", start=span.start - 1))
        else:
            out.append(span)
    return out


#: Rule id → rule, in the order they run (products before events before context cues).
KIND_RULES = {
    "model_designators": model_designators,
    "flight_numbers": flight_numbers,
    "product_nouns_follow": product_nouns_follow,
    "lowercase_i_products": lowercase_i_products,
    "event_names": event_names,
    "descriptor_marks_org": descriptor_marks_org,
    "air_carriers": air_carriers,
    "cut_at_possessive": cut_at_possessive,
}
