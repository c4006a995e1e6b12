"""Headcounts: counts of people (or things) tied to the noun they count.

For every amount in the text ("up to 6,500", "dozens of", "between 20 and 30", "a dozen") we
find the counted noun through the parse (nummod, partitive "of"), what happened to them from
the governing verb or modifier ("killed", "wounded", "arrested"), and the group they belong to.
Amounts with no counted noun borrow the noun of an earlier count in the same sentence
("up to 6,500 members, with 4,000 located ..." → 4,000 members). Years, money, percentages,
ages, times, ordinals, measures and numbering ("No 12", "page 3") are not headcounts.
Word lists and vague bounds are data: `patterns/headcount_*.jsonl`. The category comes from
`transforms.headcount_category`, the review flag from `transforms.headcount_review`, the tally
flag from `transforms.headcount_tally`, the side the counted people are on (`victim_type`:
civilians, security forces, military, armed group) from `transforms.headcount_victims`, and
whether victims fell to a natural disaster or an accident (`cause`) from
`transforms.headcount_cause`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from transforms.doc_text import doc_text
from transforms.headcount_cause import sentence_causes, toll_cause
from transforms.headcount_category import (
    FATE_CATEGORIES,
    event_category,
    fate_word_after,
    governor,
    is_people,
    toll_category,
)
from transforms.headcount_lexicon import CATEGORIES, VICTIM_CATEGORIES, Lexicon, lexicon
from transforms.headcount_review import needs_review, review_thresholds
from transforms.headcount_tally import is_tally
from transforms.headcount_victims import restated_side, sufferer_side, victim_type
from transforms.numbers import SCALES, UNITS, NumberParseError, parse_number

__all__ = ["extract_headcounts"]

MAX_COUNT = 100_000_000
_SKIP_ENTS = {"MONEY", "PERCENT", "ORDINAL", "QUANTITY"}
#: spaCy often calls "between 20 and 30" a DATE: such amounts need a person noun to count.
_DATE_ENTS = {"DATE", "TIME"}
_NUMBERING = {"no", "no.", "nos", "number", "#", "page", "p.", "pp.", "route", "aged", "age",
              "ages", "flight", "room", "channel", "km", "kilometer", "article", "section",
              "chapter", "resolution", "decree", "law", "highway", "box", "$", "us$", "£", "€",
              "¥", "rs", "rs."}
_FOLLOW_NOT = {"%", "percent", "per", "a.m.", "p.m.", "am", "pm", "hours", "hrs", "gmt", "utc",
               "o'clock", "years-old", "year-old", "st", "nd", "rd", "th"}
_RANGE_LINK = {"to", "-", "–", "—", "or"}
_RANGE_TOKEN = re.compile(r"^(\d[\d,]*)[-–](\d[\d,]*)$")
_PHONE = re.compile(r"^\d+(?:[-.]\d+){2,}$")
_YEARLIKE = re.compile(r"^(?:1[89]|20)\d\d$")
_ACTOR_LABELS = {"ORG", "NORP", "GPE"}
#: Counts of these belong to no actor: victims are not the group's strength.
_NO_ACTOR_CATEGORIES = {"killed", "injured", "arrested", "kidnapped", "displaced", "missing"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_RATE_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade"}


@dataclass
class Amount:
    """An amount's token span, its bounds and qualifier, and the token that carries the count."""

    start: int
    end: int
    low: int | None
    high: int | None
    qualifier: str
    core: Token
    yearlike: bool = False

    @property
    def in_date(self) -> bool:
        """Whether spaCy labelled the amount as part of a date or time."""
        return self.core.ent_type_ in _DATE_ENTS


def _is_num(token: Token) -> bool:
    low = token.lower_
    if low in UNITS or low in SCALES:
        return True
    if low in ("a", "an") and token.i + 1 < len(token.doc):
        return token.doc[token.i + 1].lower_ in ("dozen", "hundred", "thousand", "million")
    return token.like_num and any(ch.isdigit() for ch in token.text) and token.ent_type_ != "ORDINAL"


def _number_run(doc: Doc, i: int) -> tuple[int, float] | None:
    """Return (end, value) of the number starting at token i ("two thousand", "1.2 million")."""
    if not _is_num(doc[i]) or _PHONE.match(doc[i].text):
        return None
    j = i + 1
    while j < len(doc):
        low = doc[j].lower_
        if low in SCALES or (low in UNITS and doc[j - 1].lower_ in UNITS | SCALES):
            j += 1
        elif low in ("-", "and") and j + 1 < len(doc) and doc[j + 1].lower_ in UNITS \
                and doc[j - 1].lower_ in UNITS | SCALES:
            j += 2
        else:
            break
    try:
        value = parse_number(" ".join(t.text for t in doc[i:j]))
    except NumberParseError:
        return None
    return j, value


def _as_count(value: float) -> int | None:
    if value != int(value) or not 0 < value < MAX_COUNT:
        return None
    return int(value)


_FIRST_WORDS: dict[int, frozenset[str]] = {}


def _vague_first_words(lex: Lexicon) -> frozenset[str]:
    """First words of the vague amounts ("dozens", "a few", "scores of"), per lexicon."""
    if id(lex) not in _FIRST_WORDS:
        _FIRST_WORDS[id(lex)] = frozenset(words[0] for words in lex.vague)
    return _FIRST_WORDS[id(lex)]


def _amount_at(doc: Doc, i: int, lex: Lexicon) -> Amount | None:
    """Return the amount starting at token i, with its qualifier, or None."""
    tok = doc[i]
    if tok.lower_ not in _vague_first_words(lex) and not tok.like_num \
            and not any(c.isdigit() for c in tok.text):
        return None  # cheap exit: most tokens start no amount
    words = [t.lower_ for t in doc[i:i + 6]]
    vague = lex.vague_at(words)
    if vague is not None and (i == 0 or not doc[i - 1].like_num):
        end = i + len(vague.words)
        if end < len(doc) and doc[end].lower_ in SCALES and vague.words[-1] != "of":
            scale = SCALES[doc[end].lower_]  # "several hundred" → 300..900
            return Amount(i, end + 1, vague.low and vague.low * scale,
                          vague.high and vague.high * scale, "vague", doc[end])
        core_index = end - (2 if vague.words[-1] == "of" else 1)
        return Amount(i, end, vague.low, vague.high, "vague", doc[core_index])
    tok = doc[i]
    if tok.ent_type_ in _SKIP_ENTS or (i > 0 and _is_num(doc[i - 1])):
        return None
    if match := _RANGE_TOKEN.match(tok.text):
        low, high = (_as_count(parse_number(g)) for g in match.groups())
        if low and high and low < high:
            return _qualified(doc, i, i + 1, low, high, tok, lex, ranged=True)
        return None
    run = _number_run(doc, i)
    if run is None:
        return None
    end, value = run
    count = _as_count(value)
    if count is None:
        return None
    if end < len(doc) and (doc[end].lower_ in _FOLLOW_NOT or doc[end].ent_type_ in _SKIP_ENTS):
        return None
    yearlike = bool(_YEARLIKE.match(tok.text)) and end == i + 1
    # Ranges: "20 to 30", "20-30", "between 20 and 30", "20 or 30".
    if end + 1 < len(doc) and doc[end].lower_ in _RANGE_LINK | {"and"}:
        if doc[end].lower_ != "and" or (i > 0 and doc[i - 1].lower_ == "between"):
            second = _number_run(doc, end + 1)
            if second is not None and (high := _as_count(second[1])) and high > count:
                amount = _qualified(doc, i, second[0], count, high, doc[second[0] - 1], lex,
                                    ranged=True)
                return amount
    amount = _qualified(doc, i, end, count, count, doc[end - 1], lex)
    if amount is not None:
        amount.yearlike = yearlike
    return amount


def _qualified(doc: Doc, start: int, end: int, low: int, high: int, core: Token, lex: Lexicon,
               ranged: bool = False) -> Amount | None:
    """Attach the qualifier before the amount ("up to", "at least", "between ... and")."""
    prev = doc[start - 1].lower_ if start > 0 else ""
    if prev in _NUMBERING or (start > 0 and doc[start - 1].tag_ == "$"):
        return None
    if ranged:
        lead = 1 if prev in ("between", "from") else 0
        return Amount(start - lead, end, low, high, "range", core)
    words = [t.lower_ for t in doc[max(0, start - 4):start]]
    found = lex.qualifier_before(words)
    if found is None:
        return Amount(start, end, low, high, "exact", core)
    qualifier, size = found
    bounds = {"up_to": (None, high), "less_than": (None, high), "at_least": (low, None),
              "more_than": (low, None)}.get(qualifier, (low, high))
    return Amount(start - size, end, bounds[0], bounds[1], qualifier, core)


def _counted_noun(amount: Amount, lex: Lexicon) -> Token | None:
    """Return the noun the amount counts: its head, or the object of a partitive "of"."""
    core = amount.core
    for child in core.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
            if objects:
                return objects[0]
    head = core.head
    if head.i != core.i and core.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "det") \
            and head.pos_ in ("NOUN", "PROPN") and head.i >= core.i:
        while head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN") and head.head.i > head.i:
            head = head.head
        return head
    doc = core.doc
    nxt = amount.end
    while nxt < len(doc) and doc[nxt].pos_ == "ADJ" and nxt - amount.end < 2:
        nxt += 1
    if nxt < len(doc) and doc[nxt].tag_ in ("NNS", "NNPS") and doc[nxt].lower_ not in ("of",):
        return doc[nxt]
    if core.pos_ == "NOUN" and core.lower_ in lex.noun_category:
        return core
    return None


def _is_rate(noun: Token, lex: Lexicon) -> bool:
    """Whether the counted noun is followed by "per day", "a year", "each month"."""
    doc = noun.doc
    if noun.i + 2 >= len(doc) or doc[noun.i + 1].lower_ not in ("per", "a", "an", "each", "every"):
        return False
    after = doc[noun.i + 3].lower_ if noun.i + 3 < len(doc) else ""
    return doc[noun.i + 2].lemma_.lower() in _RATE_UNITS \
        and after not in ("ago", "earlier", "later", "before", "after")  # "a week ago" is a date


def _entity_text(token: Token) -> str | None:
    doc = token.doc
    for ent in doc.ents:
        if ent.start <= token.i < ent.end and ent.label_ in _ACTOR_LABELS:
            tokens = [t for t in ent if t.lower_ != "the" or t.i != ent.start]
            return doc_text(doc)[tokens[0].idx:ent.end_char] if tokens else None
    return None


def _actor(noun: Token | None, category: str, lex: Lexicon, amount: Amount) -> str | None:
    """Return the text of the group the count belongs to, when the sentence says."""
    if noun is None:
        return None
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod") and (text := _entity_text(child)):
            return text
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (text := _entity_text(pobj)):
                    return text
    node, verb = governor(noun, amount)
    if category in _NO_ACTOR_CATEGORIES or lex.noun_group.get(noun.lemma_.lower()) == "civilians" \
            or node.dep_ not in ("dobj", "attr", "nsubj", "prep"):
        return None
    if verb.lemma_.lower() in lex.verb_category:
        return None
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and c.i != node.i]
    for subject in subjects:
        for token in sorted(subject.subtree, key=lambda t: -t.i):
            if text := _entity_text(token):
                return text
    return None


def extract_headcounts(doc: Doc) -> list[dict]:
    """Return one dict per count of people (or things), tied to the noun it counts.

    `needs_review` flags counts above their category's plausibility threshold
    (`transforms.headcount_review`).
    """
    lex = lexicon()
    thresholds = review_thresholds()
    starts = [sent.start_char for sent in doc.sents]
    causes: list[str | None] | None = None  # per sentence, read once a victim count needs it
    records: list[dict] = []
    i = 0
    while i < len(doc):
        amount = _amount_at(doc, i, lex)
        if amount is None:
            i += 1
            continue
        if _is_clock_or_code(doc[amount.start:amount.end]):
            i = max(amount.end, i + 1)
            continue
        record = _record(doc, amount, lex, records, starts)
        if record is not None:
            if record["victim_type"] is None and record["category"] in FATE_CATEGORIES:
                record["victim_type"] = restated_side(record, records)
            record["cause"] = None
            if record["category"] in FATE_CATEGORIES:
                causes = sentence_causes(doc) if causes is None else causes
                record["cause"] = toll_cause(causes, record["sentence"])
            record["needs_review"] = needs_review(record, thresholds)
            records.append(record)
        i = max(amount.end, i + 1)
    return records


def _is_clock_or_code(span) -> bool:
    """"at 0600" (military time) or "No 0345": digits with a leading zero count nothing."""
    return any(t.text[:1] == "0" and len(t.text) > 1 and t.text.isdigit() for t in span)


def _record(doc: Doc, amount: Amount, lex: Lexicon, previous: list[dict],
            starts: list[int]) -> dict | None:
    noun = _counted_noun(amount, lex)
    sentence = max(bisect.bisect_right(starts, doc[amount.start].idx) - 1, 0)
    if noun is not None:
        lemma = noun.lemma_.lower()
        if lemma in lex.measures or noun.lower_ in lex.measures or noun.ent_type_ in _SKIP_ENTS:
            return None
        if noun.pos_ == "PROPN" and lemma not in lex.noun_category:
            return None
        if (amount.yearlike or amount.in_date) and lemma not in lex.noun_category:
            return None
        if _is_rate(noun, lex):
            return None  # "21 people per day" is a rate, not a count of people
        unit = lemma
        event = event_category(noun, lex, amount)
        if event in VICTIM_CATEGORIES and not is_people(noun, lex):
            event = None  # "killing two birds with one stone": only people are victims
        category = event or lex.noun_category.get(lemma) or lex.noun_category.get(noun.lower_, "other")
        actor = _actor(noun, category, lex, amount)
        side = victim_type(noun, actor, sentence, previous)
    else:
        if amount.yearlike or amount.in_date:
            return None
        event = event_category(amount.core, lex, amount) or toll_category(amount, lex) \
            or fate_word_after(amount, lex)
        earlier = [r for r in previous if r["sentence"] == sentence and r["unit"]]
        if earlier and amount.qualifier != "vague":
            unit, actor = earlier[-1]["unit"], earlier[-1]["actor"]
            # "12 killed, 15 injured": the same people, unless someone suffered it
            side = sufferer_side(amount.core) or earlier[-1]["victim_type"]
            category = event or earlier[-1]["category"]
            if event is None and category in FATE_CATEGORIES \
                    and governor(amount.core, amount)[1].pos_ == "VERB":
                category = "other"  # "killed 23 and sent 400 to hospital": its own verb
        elif event is not None:
            unit, actor, category = None, None, event
            side = sufferer_side(amount.core)  # "the Army suffered two dead"
        else:
            return None
    if category not in CATEGORIES:
        category = "other"
    end = amount.end
    if noun is not None and noun.i >= amount.end and noun.i - amount.end <= 4:
        end = noun.i + 1
    start_char, end_char = doc[amount.start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    return {"start": start_char, "end": end_char, "text": doc_text(doc)[start_char:end_char],
            "low": amount.low, "high": amount.high, "qualifier": amount.qualifier,
            "category": category, "unit": unit, "actor": actor, "victim_type": side,
            "sentence": sentence,
            "is_tally": category in FATE_CATEGORIES
            and is_tally(doc[amount.start], noun if noun is not None else amount.core)}
