"""Find person–title–organisation–country facts ("Russian Defense Minister Sergey Shoigu").

Three constructions, tried in this order for each title phrase the lexicon finds:

- ``prenominal``: the title right before a person ("CSTO Secretary General Imangali
  Tasmagambetov", "U.S. President Joe Biden");
- ``apposition``: the title after a person and a comma ("Sergei Lavrov, Russia's foreign
  minister", "X, the head of Y");
- ``prenominal_comma``: the title, a comma, then the person ("its Secretary General, X").

Around the title: a demonym or a country ("Russian", "Russia's", "U.S.") gives the country; an
organisation mention before it ("CSTO", "the Taliban's"), or after "of"/"for" ("Secretary
General of the CSTO", "a spokesman for the Taliban") gives the organisation; "its" or "the
organization's" point back to the nearest organisation mentioned before (``anaphora``).
Titles come from `patterns/role_titles.jsonl`, words allowed inside them ("Deputy", "Foreign")
from `patterns/role_modifiers.jsonl`. Each fact keeps its evidence span and sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from transforms.actors import known_org
from transforms.doc_text import doc_text
from transforms.gazetteer import demonym_country
from transforms.pattern_files import pattern_rows

__all__ = ["extract_roles", "load_role_titles"]

DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "whose"}
POSSESSIVE = {"'s", "’s", "'"}
#: Common nouns standing for an organisation just mentioned ("the organization's chief").
ORG_ANAPHORS = {"organization", "organisation", "alliance", "bloc", "group", "agency",
                "ministry", "company", "party", "movement", "body", "union", "council"}
ANAPHORA_SENTENCES = 2  # how far back "its"/"the organization's" may look
MAX_MODIFIERS = 4


@dataclass(frozen=True)
class _Title:
    start: int  # first token of the title words (after modifiers)
    end: int
    sector: str | None
    needs_no_org: bool = False  # its sector is dropped when an organisation is named


@lru_cache(maxsize=1)
def load_role_titles() -> dict[str, str | None]:
    """Return lowercased title phrase → sector (None when it depends on the organisation)."""
    return {row["title"]: row["sector"] for row in pattern_rows("role_titles.jsonl")}


@lru_cache(maxsize=1)
def _org_dependent_titles() -> frozenset[str]:
    """Titles whose sector holds only without an organisation ("Apple's vice president")."""
    return frozenset(row["title"] for row in pattern_rows("role_titles.jsonl")
                     if row.get("only_without_organization"))


@lru_cache(maxsize=1)
def _modifiers() -> dict[str, dict]:
    return {row["word"]: row for row in pattern_rows("role_modifiers.jsonl")}


_MATCHERS: dict[int, PhraseMatcher] = {}


def _matcher(doc: Doc) -> PhraseMatcher:
    """One PhraseMatcher per vocab (built once): title phrases, matched case-insensitively."""
    matcher = _MATCHERS.get(id(doc.vocab))
    if matcher is None:
        matcher = PhraseMatcher(doc.vocab, attr="LOWER")
        for phrase in load_role_titles():
            # tokenised as the English tokenizer does: "secretary-general" is three tokens
            words = [w for part in phrase.split() for w in _hyphen_split(part)]
            matcher.add(phrase, [Doc(doc.vocab, words=words)])
        _MATCHERS[id(doc.vocab)] = matcher
    return matcher


def _hyphen_split(word: str) -> list[str]:
    parts = word.split("-")
    return [w for part in parts for w in (part, "-")][:-1] if len(parts) > 1 else [word]


class _Article:
    """Entity lookups by token for one parsed article."""

    def __init__(self, doc: Doc, entities: list[dict], places: list[dict]) -> None:
        self.doc = doc
        self.entity_at: dict[int, dict] = {}
        char_to_token = {t.idx: t.i for t in doc}
        self.spans: dict[str, tuple[int, int]] = {}
        for ent in entities:
            start = char_to_token.get(ent["start"])
            if start is None:
                continue
            end = start
            while end < len(doc) and doc[end].idx < ent["end"]:
                end += 1
            for i in range(start, end):
                self.entity_at[i] = ent
            self.spans[f"{ent['start']}-{ent['end']}"] = (start, end)
        self.place_country = {(p["start"], p["end"]): p.get("country_iso3") for p in places}
        self.org_by_text = {e["text"]: e for e in entities if e["label"] == "ORG"}
        self.orgs = sorted((e for e in entities if e["label"] == "ORG"), key=lambda e: e["start"])
        self.names = {}
        for ent in entities:
            current = self.names.get(ent["entity_id"])
            if current is None or len(ent["text"]) > len(current):
                self.names[ent["entity_id"]] = ent["text"]

    def entity(self, i: int, label: str | None = None) -> dict | None:
        ent = self.entity_at.get(i)
        return ent if ent is not None and (label is None or ent["label"] == label) else None

    def token_span(self, ent: dict) -> tuple[int, int]:
        return self.spans[f"{ent['start']}-{ent['end']}"]

    def country_of(self, ent: dict) -> str | None:
        if ent["label"] == "PLACE":
            return self.place_country.get((ent["start"], ent["end"]))
        if ent["label"] == "GROUP":
            return demonym_country(ent["text"])
        return None

    def antecedent(self, token_index: int, noun: str | None) -> dict | None:
        """The nearest organisation before a token (one whose name ends in `noun` if any)."""
        sents = list(self.doc.sents)
        here = next(i for i, s in enumerate(sents) if s.start <= token_index < s.end)
        first_char = sents[max(0, here - ANAPHORA_SENTENCES)].start_char
        before_char = self.doc[token_index].idx
        candidates = [e for e in self.orgs if first_char <= e["start"] and e["end"] <= before_char]
        if noun is not None:
            named = [e for e in candidates
                     if self.names[e["entity_id"]].lower().split()[-1].startswith(noun[:-1])]
            candidates = named or candidates
        return candidates[-1] if candidates else None


def _titles(doc: Doc, art: _Article) -> list[_Title]:
    """Longest non-overlapping title phrases, not inside a person or place name."""
    found = []
    titles = load_role_titles()
    for match_id, start, end in _matcher(doc)(doc):
        phrase = doc.vocab.strings[match_id]
        ent = art.entity(start)
        if ent is not None and ent["label"] in ("PERSON", "PLACE", "ORG"):
            continue  # "General" in "General Motors" or in a name is no title
        found.append(_Title(start, end, titles[phrase], phrase in _org_dependent_titles()))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[_Title] = []
    for title in found:
        if kept and title.start < kept[-1].end:
            continue
        joined_by_and = (kept and title.start == kept[-1].end + 1
                         and doc[kept[-1].end].lower_ == "and")
        if kept and (title.start == kept[-1].end or joined_by_and) \
                and not doc[title.start].is_sent_start:
            # "Secretary" + "General", "Army" "General": adjacent title words form one title
            prev = kept.pop()
            title = _Title(prev.start, title.end, title.sector or prev.sector, title.needs_no_org)
        kept.append(title)
    return kept


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 8 and all(c.isupper() for c in letters) and text[0].isalpha()


def _is_modifier(token, art: _Article) -> bool:
    held = art.entity(token.i)
    if held is not None and held["label"] in ("PERSON", "PLACE", "GROUP"):
        return False
    if token.lower_ in _modifiers():
        return True
    if _is_acronym(token.text) or known_org(token.text) or token.text in art.org_by_text:
        return False  # "CSTO", "Taliban" before a title name its organisation
    # "Defense" in "Defense Minister": a capitalised non-entity word inside a capitalised title
    return (token.text[:1].isupper() and token.is_alpha and not token.is_sent_start
            and art.entity(token.i) is None and token.pos_ in ("PROPN", "NOUN", "ADJ"))


class _Context:
    """What the words around one title say: its extent, organisation, country and flags."""

    def __init__(self) -> None:
        self.org: dict | None = None
        self.org_name: str | None = None
        self.org_rule: str | None = None
        self.country: str | None = None
        self.is_former = False
        self.sector: str | None = None


def _left(doc: Doc, art: _Article, title: _Title, ctx: _Context) -> tuple[int, int]:
    """Walk left from a title; return (title words start, phrase start incl. qualifiers)."""
    i = title.start - 1
    count = 0
    while i >= 0 and count < MAX_MODIFIERS and _is_modifier(doc[i], art):
        row = _modifiers().get(doc[i].lower_, {})
        if row.get("is_former"):
            ctx.is_former = True
            break
        if row.get("sector") and (ctx.sector is None or title.needs_no_org):
            ctx.sector = row["sector"]  # "union president", "army spokesman": the modifier says
        i -= 1
        count += 1
    words_start = i + 1
    i = _skip_former(doc, i, ctx)
    # an organisation right before ("CSTO Secretary General", "the Taliban's spokesman")
    possessive = i >= 0 and doc[i].text in POSSESSIVE
    j = i - 1 if possessive else i
    ent = art.entity(j) if j >= 0 else None
    if ent is not None and art.token_span(ent)[1] > j + 1:
        ent = None  # "Romanian Agriculture" tagged ORG runs into the title: a fragment, no org
    if ent is not None and ent["label"] == "ORG":
        ctx.org, ctx.org_rule = ent, "possessive" if possessive else "modifier"
        i = art.token_span(ent)[0] - 1
        possessive = i >= 0 and doc[i].text in POSSESSIVE
        j = i - 1 if possessive else i
        ent = art.entity(j) if j >= 0 else None
    elif (named := _org_name_before(doc, j, art.org_by_text)) is not None:
        # an organisation the model did not tag ("Kremlin spokesman", "CSTO" opening a sentence)
        ctx.org_name = doc[named:j + 1].text
        ctx.org_rule = "possessive" if possessive else "modifier"
        ctx.org = art.org_by_text.get(ctx.org_name)
        i = named - 1
        possessive = i >= 0 and doc[i].text in POSSESSIVE
        j = i - 1 if possessive else i
        ent = art.entity(j) if j >= 0 else None
    elif possessive and j >= 0 and doc[j].lower_ in ORG_ANAPHORS and j > 0 \
            and doc[j - 1].lower_ == "the":
        ctx.org = art.antecedent(j - 1, doc[j].lower_)
        ctx.org_rule = "anaphora" if ctx.org else None
        return words_start, j - 1
    elif i >= 0 and doc[i].lower_ in ("its", "whose"):
        ctx.org = art.antecedent(i, None)
        ctx.org_rule = "anaphora" if ctx.org else None
        return words_start, i
    # a country right before ("Russian", "Russia's", "U.S.")
    if ent is not None and ent["label"] in ("PLACE", "GROUP"):
        country = art.country_of(ent)
        if country:
            ctx.country = country
            i = art.token_span(ent)[0] - 1
    elif j >= 0 and demonym_country(doc[j].text):
        ctx.country = demonym_country(doc[j].text)
        i = j - 1
    i = _skip_former(doc, i, ctx)  # "former Microsoft CEO"
    if i >= 0 and doc[i].lower_ in DETERMINERS:
        i -= 1
    return words_start, i + 1


def _skip_former(doc: Doc, i: int, ctx: _Context) -> int:
    """Step left over "former", "ex-", "then" (flagging the role); return the new position."""
    while i >= 0 and (doc[i].text == "-" or _modifiers().get(doc[i].lower_, {}).get("is_former")):
        ctx.is_former = ctx.is_former or doc[i].text != "-"
        i -= 1
    return i


def _org_name_before(doc: Doc, j: int, org_texts: dict) -> int | None:
    """Start of a known organisation's name or an acronym ending at token `j`, else None."""
    for n in (3, 2, 1):
        start = j - n + 1
        if start < 0 or not all(t.text[:1].isupper() for t in doc[start:j + 1]):
            continue
        text = doc[start:j + 1].text
        if known_org(text) or text in org_texts \
                or (n == 1 and _is_acronym(text) and not demonym_country(text)):
            return start
    return None


def _right(doc: Doc, art: _Article, title: _Title, ctx: _Context) -> tuple[int, int]:
    """Extend a title rightwards; return (title end, phrase end).

    "of/for/at [the] <organisation>" names the organisation and "of/for <place>" the country;
    "of/for <one or two department words>" belongs to the title ("minister of transport").
    """
    title_end = end = title.end
    for _ in range(2):
        if end + 1 >= len(doc) or doc[end].lower_ not in ("of", "for", "at"):
            break
        prep, k = doc[end].lower_, end + 1
        if doc[k].lower_ == "the":
            k += 1
        ent = art.entity(k)
        if ent is not None and ent["label"] == "ORG" and ctx.org is None and not ctx.org_name:
            ctx.org, ctx.org_rule = ent, prep
            return title_end, art.token_span(ent)[1]
        if ent is not None and ent["label"] == "PLACE" and prep in ("of", "for"):
            country = art.country_of(ent)
            if country and not _is_possessive_at(doc, art.token_span(ent)[1]):
                ctx.country = ctx.country or country
                return title_end, art.token_span(ent)[1]
            break
        m = k  # department words: "minister of transport", "Minister for Foreign Affairs"
        while m < len(doc) and m - k < 3 \
                and _modifiers().get(doc[m].lower_, {}).get("is_department"):
            m += 1
        if prep == "at" or k != end + 1 or m == k or _is_possessive_at(doc, m):
            break
        title_end = end = m
    return title_end, end


def _is_possessive_at(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].text in POSSESSIVE


def _person_after(art: _Article, end: int) -> tuple[dict | None, bool]:
    """The person starting right at `end`, or after a comma there; (person, after_comma)."""
    person = art.entity(end, "PERSON")
    if person is not None and art.token_span(person)[0] == end:
        return person, False
    if end < len(art.doc) and art.doc[end].text == ",":
        person = art.entity(end + 1, "PERSON")
        if person is not None and art.token_span(person)[0] == end + 1:
            return person, True
    return None, False


def _country_after(doc: Doc, art: _Article, end: int) -> tuple[str, int] | None:
    """(country, end char) of "of <country>" right after a person, else None."""
    if end + 1 < len(doc) and doc[end].lower_ == "of":
        place = art.entity(end + 1, "PLACE")
        if place is not None and art.token_span(place)[0] == end + 1 \
                and not _is_possessive_at(doc, art.token_span(place)[1]):
            country = art.country_of(place)
            return (country, place["end"]) if country else None
    return None


def _person_before(art: _Article, start: int) -> dict | None:
    """The person ending right before ", <title phrase>" (an apposition)."""
    if start >= 2 and art.doc[start - 1].text == ",":
        person = art.entity(start - 2, "PERSON")
        if person is not None and art.token_span(person)[1] == start - 1:
            return person
    return None


def extract_roles(doc: Doc, entities: list[dict], places: list[dict],
                  published: date | None) -> list[dict]:
    """Return one role fact per (person mention, title) the text states, in text order."""
    art = _Article(doc, entities, places)
    roles = []
    for title in _titles(doc, art):
        ctx = _Context()
        ctx.sector = title.sector
        words_start, phrase_start = _left(doc, art, title, ctx)
        evidence_start = phrase_start
        while evidence_start < words_start and doc[evidence_start].lower_ in ("the", "a", "an"):
            evidence_start += 1  # evidence never starts with an article, like entity spans
        title_end, phrase_end = _right(doc, art, title, ctx)
        words = _Title(words_start, title_end, title.sector)
        person, rule = _person_after(art, phrase_end)
        if person is not None:
            evidence = (doc[evidence_start].idx, person["end"])
            rule = "prenominal_comma" if rule else "prenominal"
            after = _country_after(doc, art, art.token_span(person)[1])
            if after is not None and ctx.country is None:  # "Minister X of Senegal"
                ctx.country, evidence = after[0], (evidence[0], after[1])
        else:
            person = _person_before(art, phrase_start)
            if person is None:
                continue
            rule = "apposition"
            evidence = (person["start"], doc[phrase_end - 1].idx + len(doc[phrase_end - 1]))
        title_text = doc[words.start:words.end].text
        org = ctx.org
        if title.needs_no_org and (org is not None or ctx.org_name):
            ctx.sector = None if ctx.sector == title.sector else ctx.sector
        org_name = art.names[org["entity_id"]] if org else ctx.org_name
        roles.append({
            "start": evidence[0], "end": evidence[1], "text": doc_text(doc)[evidence[0]:evidence[1]],
            "sentence": _sentence_index(doc, evidence[0]),
            "person_entity_id": person["entity_id"], "person": art.names[person["entity_id"]],
            "person_start": person["start"], "person_end": person["end"],
            "title": title_text,
            "organization_entity_id": org["entity_id"] if org else None,
            "organization": org_name,
            "country_iso3": ctx.country, "sector": ctx.sector,
            "rule": rule, "organization_rule": ctx.org_rule, "is_former": ctx.is_former,
            "as_of": published.isoformat() if published else None,
        })
    return roles


def _sentence_index(doc: Doc, char: int) -> int:
    for index, sent in enumerate(doc.sents):
        if sent.start_char <= char < sent.end_char:
            return index
    return 0

