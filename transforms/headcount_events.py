"""Link each headcount to the event it belongs to, and take its place and date from that event.

"Gunmen killed 12 villagers in Kunduz on Monday": the count "12 villagers" belongs to the
"killed" event, so it happened in Kunduz on Monday. The event is the nearest trigger that
governs the count in the parse ("killed" → "villagers", "massacre" → "of" → "fishermen"), else
a trigger of the same clause (the nearest), else none: a count in a sentence without an event
keeps null place and date rather than borrowing the article's.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

__all__ = ["EVENT_FIELDS", "link_headcount_events"]

#: Fields copied from the linked event onto the headcount (null when there is none).
EVENT_FIELDS = {"place": "place", "place_name": "place_name", "country_iso3": "country_iso3",
                "date": "date", "event_date": "event_date"}


#: Dependents that make a trigger a modifier of the counted noun ("people killed").
_MODIFIER_DEPS = ("acl", "amod", "relcl")


def _anchor(doc: Doc, item: dict) -> Token | None:
    span = doc.char_span(item["start"], item["end"], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _clause_head(token: Token) -> Token:
    """Return the verb heading the token's clause (the token itself when it is a verb)."""
    node = token
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node


def _event_tokens(doc: Doc, events: list[dict]) -> dict[int, int]:
    """Map each trigger token index to its event's position in `events` (first wins)."""
    tokens: dict[int, int] = {}
    for index, event in enumerate(events):
        span = doc.char_span(event["start"], event["end"], alignment_mode="expand")
        for token in span or []:
            tokens.setdefault(token.i, index)
    return tokens


def _linked_event(anchor: Token, triggers: dict[int, int]) -> int | None:
    """Return the index of the event governing `anchor`, else of one in its clause.

    A trigger modifying the counted noun or one it is in apposition with ("seven people
    injured", "those injured, an officer and two ...") governs it too.
    """
    for node in (anchor, *anchor.ancestors):
        if node.i != anchor.i and node.i in triggers:
            return triggers[node.i]
        for child in node.children:
            if child.dep_ in _MODIFIER_DEPS and child.i in triggers:
                return triggers[child.i]
        if node.dep_ not in ("conj", "appos", "nummod", "quantmod", "pobj", "prep"):
            break  # past the noun phrase: only ancestors from here on
    for ancestor in anchor.ancestors:
        if ancestor.i in triggers:
            return triggers[ancestor.i]
    clause = _clause_head(anchor)
    sentence = anchor.sent
    candidates = [(abs(i - anchor.i), index) for i, index in triggers.items()
                  if sentence.start <= i < sentence.end
                  and _clause_head(anchor.doc[i]).i == clause.i]
    return min(candidates)[1] if candidates else None


def link_headcount_events(doc: Doc, headcounts: list[dict], events: list[dict]) -> list[dict]:
    """Set `event_index` (position in `events`, or None) and the event's place/date fields."""
    triggers = _event_tokens(doc, events)
    for headcount in headcounts:
        anchor = _anchor(doc, headcount)
        index = _linked_event(anchor, triggers) if anchor is not None and triggers else None
        headcount["event_index"] = index
        event = events[index] if index is not None else {}
        for field, source in EVENT_FIELDS.items():
            headcount[field] = event.get(source)
    return headcounts
