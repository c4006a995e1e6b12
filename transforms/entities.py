"""Repair spaCy's people and organisation entities and link mentions of one entity.

The small trained model misses acronyms introduced in parentheses, labels names after a title
as organisations, and tags title fragments ("Defense" in "Defense Minister") as ORG. These
rules fix those phenomena generally and record, per mention, an in-article cluster key so that
"Shoigu" and "Sergey Shoigu", or "CSTO" and its expansion, share one entity id.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from transforms.entity_kinds import KIND_RULES
from transforms.entity_people import PEOPLE_RULES
from transforms.pattern_files import pattern_rows, pattern_values

__all__ = ["CLUSTER_KEY", "EntityRepair", "load_org_heads", "load_person_titles"]

CLUSTER_KEY = "newsdesk_entity_clusters"
NAME_LABELS = {"PERSON", "ORG"}
ACRONYM_SKIP = {"of", "the", "and", "for", "on", "in", "de", "la", "du", "des", "&", "to", "at"}
LEADING_DROP = {"the", "a", "an"}


@lru_cache(maxsize=1)
def load_person_titles() -> frozenset[str]:
    """Return lowercased title words that mark the following proper name as a person."""
    return pattern_values("person_titles.jsonl", "title")


@lru_cache(maxsize=1)
def load_person_only_titles() -> frozenset[str]:
    """Return title words that never begin an organisation's name ("Spokeswoman", "Senator")."""
    return frozenset(row["title"] for row in pattern_rows("person_titles.jsonl")
                     if row.get("person_only"))


@lru_cache(maxsize=1)
def load_title_portfolios() -> frozenset[str]:
    """Return the words of a title's portfolio ("Defense" in "Defense Minister"), lowercased."""
    return pattern_values("title_portfolios.jsonl", "word")


@lru_cache(maxsize=1)
def load_org_heads() -> frozenset[str]:
    """Return lowercased head nouns that end organisation names (Ministry, Party, ...)."""
    return pattern_values("org_heads.jsonl", "head")


@Language.factory("newsdesk_entities", default_config={"disabled": []})
def make_entity_repair(nlp: Language, name: str, disabled: list[str]) -> EntityRepair:
    """Create the entity repair component; `disabled` names rules to skip (for measuring them)."""
    return EntityRepair(disabled=disabled)


def _is_name_token(token) -> bool:
    text = token.text
    return (text[:1].isupper() and any(c.isalpha() for c in text) and not token.is_punct
            and token.pos_ in ("PROPN", "NOUN", "ADJ", "X") and len(text) > 1)


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def _is_unit_or_currency(span: Span) -> bool:
    """True for "GB" in "80 GB" or a currency code like "USD": measures, not names."""
    if len(span) != 1 or span.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
        return False
    text = span.text
    if text in _currency_codes():
        return True
    before = span.doc[span.start - 1] if span.start > 0 else None
    return (text.isupper() and len(text) <= 3 and before is not None
            and (before.like_num or before.text[-1:].isdigit()))


def _is_hyphen_join(doc: Doc, i: int) -> bool:
    """True when doc[i] is a hyphen glued between two capitalised name parts."""
    return (i + 1 < len(doc) and doc[i].text == "-" and not doc[i - 1].whitespace_
            and not doc[i].whitespace_ and doc[i + 1].text[:1].isupper())


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 8 and all(c.isupper() for c in letters) and text[0].isalpha()


class EntityRepair:
    """Repair doc.ents in place and store cluster keys in doc.user_data[CLUSTER_KEY]."""

    def __init__(self, disabled: list[str] | tuple[str, ...] = ()) -> None:
        self.titles = load_person_titles()
        self.person_only_titles = load_person_only_titles()
        self.org_heads = load_org_heads()
        self.portfolios = load_title_portfolios()
        #: Rule ids to skip; `newsdesk eval` measures each rule by switching it off.
        self.disabled = set(disabled)

    def __call__(self, doc: Doc) -> Doc:
        spans = [self._strip(span) for span in doc.ents]
        spans = [span for span in spans if span is not None and not _is_unit_or_currency(span)]
        spans = self._drop_title_fragments(spans)
        spans = self._kinds(doc, spans)
        clusters: dict[tuple[int, int], str] = {}
        spans = self._add(spans, self._acronyms(doc, spans, clusters))
        spans = self._add(spans, self._titled_people(doc, spans))
        spans = self._add(spans, self._propagate(doc, spans, clusters))
        spans = self._add(spans, self._surnames(doc, spans))
        spans = self._kinds(doc, spans)
        for rule_id, rule in PEOPLE_RULES.items():
            if rule_id not in self.disabled:
                spans = rule(doc, spans)
        doc.ents = sorted(spans, key=lambda s: s.start)
        self._link_people(doc, clusters)
        doc.user_data[CLUSTER_KEY] = clusters
        return doc

    # -- span hygiene -------------------------------------------------------------------------

    def _strip(self, span: Span) -> Span | None:
        """Drop a leading article and a trailing possessive or punctuation."""
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].lower_ in LEADING_DROP or doc[start].is_punct):
            start += 1
        while end > start and (doc[end - 1].text in ("'s", "’s", "'") or doc[end - 1].is_punct):
            end -= 1
        if start >= end:
            return None
        return span if (start, end) == (span.start, span.end) else Span(doc, start, end, span.label)

    def _drop_title_fragments(self, spans: list[Span]) -> list[Span]:
        """Drop ORG spans that are the first half of a title ("Defense" in "Defense Minister").

        Only portfolio words are fragments: in "Apple spokesman" or "Ryanair CEO" the name
        before the title is the organisation the person speaks for, and is kept.
        """
        kept = []
        for span in spans:
            doc = span.doc
            follows = doc[span.end].lower_ if span.end < len(doc) else ""
            portfolio = "title_portfolios" in self.disabled \
                or all(t.lower_ in self.portfolios for t in span)
            if span.label_ == "ORG" and follows in self.titles and len(span) <= 2 and portfolio:
                continue
            kept.append(span)
        return kept

    def _kinds(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Apply the product/event/context rules of entity_kinds, then settle overlaps."""
        for rule_id, rule in KIND_RULES.items():
            if rule_id not in self.disabled:
                spans = rule(doc, spans)
        return filter_spans(spans)

    @staticmethod
    def _add(spans: list[Span], new: list[Span]) -> list[Span]:
        """Add new spans, removing any existing span they overlap (new spans win)."""
        for span in new:
            spans = [s for s in spans if s.end <= span.start or s.start >= span.end]
            spans.append(span)
        return spans

    # -- rules --------------------------------------------------------------------------------

    def _acronyms(self, doc: Doc, spans: list[Span], clusters: dict) -> list[Span]:
        """Find "Long Name (ACR)" pairs; both become one entity, the expansion's label wins."""
        by_end = {span.end: span for span in spans}
        new: list[Span] = []
        for i in range(2, len(doc) - 1):
            if not (doc[i - 1].text == "(" and doc[i + 1].text == ")" and _is_acronym(doc[i].text)):
                continue
            expansion = self._expansion(doc, i - 1, doc[i].text, by_end)
            if expansion is None:
                continue
            label = expansion.label_ if expansion.label_ in ("ORG", "GPE", "LOC", "FAC", "EVENT",
                                                             "PRODUCT") else "ORG"
            expansion = Span(doc, expansion.start, expansion.end, label)
            acronym = Span(doc, i, i + 1, label)
            key = f"{label}:{expansion.text.lower()}"
            clusters[(expansion.start_char, expansion.end_char)] = key
            clusters[("acronym", doc[i].text)] = key
            new.extend([expansion, acronym])
        return new

    def _expansion(self, doc: Doc, paren: int, acronym: str, by_end: dict) -> Span | None:
        """Return the span before "(" whose initials spell the acronym, if there is one."""
        letters = [c.lower() for c in acronym if c.isalpha()]
        j, matched = paren - 1, []
        while j >= 0 and len(matched) < len(letters) and paren - j <= 12:
            token = doc[j]
            if token.is_sent_start and j < paren - 1 and not token.text[:1].isupper():
                break
            if not token.is_punct and token.lower_ not in ACRONYM_SKIP:
                matched.append(token.text[0].lower())
            j -= 1
        start = j + 1
        while start < paren and (doc[start].lower_ in LEADING_DROP or doc[start].is_punct):
            start += 1
        existing = by_end.get(paren)
        if matched[::-1] == letters and start < paren and doc[start].text[:1].isupper():
            kind = existing.label_ if existing is not None and existing.start == start \
                and existing.label_ in ("EVENT", "PRODUCT") else "ORG"
            return Span(doc, start, paren, kind)
        if existing is not None and existing.label_ in ("ORG", "GPE", "LOC", "FAC", "EVENT",
                                                        "PRODUCT"):
            return existing
        return None

    def _titled_people(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A run of capitalised names right after a title word ("Minister X Y") is a person."""
        label_at = {t: span for span in spans for t in range(span.start, span.end)}
        new = []
        i = 0
        while i < len(doc):
            token = doc[i]
            is_title = token.lower_ in self.titles and token.text[:1].isupper()
            held_by = label_at.get(i)
            # "General Motors" is a firm, but "Spokeswoman Sandy Angers" tagged ORG is a person.
            title_heads_org = held_by is not None and held_by.start == i \
                and token.lower_ in self.person_only_titles \
                and "person_only_titles" not in self.disabled
            if not is_title or (held_by is not None and held_by.label_ in ("ORG", "GPE", "FAC")
                                and held_by.end - 1 > i and not title_heads_org):
                i += 1
                continue
            start = i + 1
            if start < len(doc) and doc[start].text == ",":
                start += 1
            end = start
            while end < len(doc) and end - start < 6:
                token_at = doc[end]
                if _is_hyphen_join(doc, end) and end > start:
                    end += 2  # "Okonkwo-Bassey" is three tokens
                    continue
                if not _is_name_token(token_at) or token_at.lower_ in self.titles \
                        or token_at.lower_ in self.org_heads:
                    break
                end += 1
            # "Chief Operating Officer": a run cut short by another title word is part of a
            # compound title, not a name; the last title word gets its own turn.
            cut_by_title = end < len(doc) and doc[end].text[:1].isupper() and (
                doc[end].lower_ in self.titles or doc[end].lower_ in self.org_heads)
            if end > start and not cut_by_title \
                    and not (end - start == 1 and _is_acronym(doc[start].text)):
                current = label_at.get(start)
                if current is None or current.label_ != "PERSON":
                    new.append(Span(doc, start, end, "PERSON"))
                i = end
            else:
                i += 1
        return new

    def _propagate(self, doc: Doc, spans: list[Span], clusters: dict) -> list[Span]:
        """Label unlabelled repeats of a labelled name or acronym the same way."""
        labelled = {}
        for span in spans:
            if span.label_ in NAME_LABELS and (len(span) > 1 or _is_acronym(span.text)):
                labelled.setdefault(tuple(t.text for t in span), span.label_)
        for (kind, text), key in list(clusters.items()):
            if kind == "acronym":
                labelled[(text,)] = key.split(":", 1)[0]
        covered = {t for span in spans for t in range(span.start, span.end)}
        new = []
        for words, label in labelled.items():
            n = len(words)
            for i in range(len(doc) - n + 1):
                if doc[i].text != words[0] or any(t in covered for t in range(i, i + n)):
                    continue
                if tuple(t.text for t in doc[i:i + n]) == words:
                    new.append(Span(doc, i, i + n, label))
                    covered.update(range(i, i + n))
        return new

    @staticmethod
    def _surnames(doc: Doc, spans: list[Span]) -> list[Span]:
        """Label later mentions of a full name's surname as the person ("Jobs" after "Steve Jobs").

        The small model often tags a bare surname as ORG or GPE, or not at all.
        """
        surnames = {span[-1].text for span in spans
                    if span.label_ == "PERSON" and len(span) > 1 and span[-1].text[:1].isupper()}
        if not surnames:
            return []
        label_at = {t: span for span in spans for t in range(span.start, span.end)}
        new = []
        for token in doc:
            if token.text not in surnames or token.pos_ not in ("PROPN", "NOUN"):
                continue
            held = label_at.get(token.i)
            if held is None or (len(held) == 1 and held.label_ != "PERSON"):
                new.append(Span(doc, token.i, token.i + 1, "PERSON"))
        return new

    @staticmethod
    def _link_people(doc: Doc, clusters: dict) -> None:
        """Give surnames and acronyms the cluster key of the full name they stand for."""
        people = [e for e in doc.ents if e.label_ == "PERSON"]
        full_names = [e for e in people if len(e) > 1]
        for ent in doc.ents:
            acronym_key = clusters.get(("acronym", ent.text))
            if acronym_key:
                clusters[(ent.start_char, ent.end_char)] = acronym_key
        for ent in people:
            words = [t.text for t in ent]
            for full in full_names:
                full_words = [t.text for t in full]
                if len(words) < len(full_words) and full_words[-len(words):] == words:
                    clusters[(ent.start_char, ent.end_char)] = f"PERSON:{full.text.lower()}"
                    break
        for key in [k for k in clusters if k[0] == "acronym"]:
            del clusters[key]
