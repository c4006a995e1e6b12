"""Keep a one-word PERSON only when the article shows it is a person.

The small model calls many one-word names people: products ("Tiger", "Safari", "Lion"),
companies ("Ryanair", "Best Buy" after a lowercase word), colours in a list ("White"). Reporters
introduce a person by full name or title before using one word, so a lone word is kept when it
repeats part of a full name in the article, follows a title ("Senator McCain"), or speaks
("Jobs said"). Everything else is dropped rather than guessed.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

__all__ = ["PEOPLE_RULES", "drop_unsupported_lone_people", "one_word_orgs_stay_orgs"]

#: Verbs whose subject is a person in news prose.
PERSON_VERBS = frozenset({
    "say", "tell", "add", "state", "explain", "claim", "announce", "note", "write", "argue",
    "insist", "deny", "admit", "warn", "ask", "reply", "recall", "believe", "think", "hope",
    "resign", "die", "marry", "comment", "describe", "acknowledge", "confirm", "accuse",
})


def _has_person_cue(doc: Doc, span: Span, titles: frozenset[str]) -> bool:
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and (before.lower_ in titles or before.lower_.rstrip(".") in titles):
        return True
    token = span.root
    if token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_ in PERSON_VERBS:
        return True
    # "..., said Angers." — the name after a speech verb.
    return token.dep_ in ("nsubj", "dobj", "attr") and token.head.lemma_ == "say"


def drop_unsupported_lone_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """Drop one-word PERSON spans with no full name, title or speech verb behind them."""
    from transforms.entities import load_person_titles

    titles = load_person_titles()
    name_words = {t.text for span in spans if span.label_ == "PERSON" and len(span) > 1
                  for t in span}
    return [span for span in spans
            if not (span.label_ == "PERSON" and len(span) == 1
                    and span.text not in name_words and not _has_person_cue(doc, span, titles))]


def one_word_orgs_stay_orgs(doc: Doc, spans: list[Span]) -> list[Span]:
    """Relabel a one-word PERSON as ORG when the article tags the same word ORG elsewhere.

    "Ryanair exercises options ..." then "This brings Ryanair's orders ...": an article uses a
    name for one thing, so the organisation reading seen elsewhere wins.
    """
    orgs = {span.text for span in spans if span.label_ == "ORG" and len(span) == 1}
    return [Span(doc, span.start, span.end, "ORG")
            if span.label_ == "PERSON" and len(span) == 1 and span.text in orgs else span
            for span in spans]


#: Rule id → rule, in order, run after the names are linked.
PEOPLE_RULES = {"one_word_orgs_stay_orgs": one_word_orgs_stay_orgs,
                "drop_unsupported_lone_people": drop_unsupported_lone_people}
