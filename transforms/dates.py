"""Dates: find date/time expressions in a parsed article and resolve them to TIMEX3 values.

Expressions come from the regex grammar (`transforms.date_grammar`) checked against the parse,
plus spaCy DATE/TIME entities the grammar does not cover (kept with value null, rule
"unresolved"). Relative expressions resolve against the publication date, in the direction the
clause's tense gives (see `transforms.date_resolve`); without a publication date they keep their
span with value null and rule "no_anchor" — never a guess.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from spacy.tokens import Doc, Span, Token

from transforms.doc_text import doc_text
from transforms.date_grammar import Candidate, find_candidates
from transforms.date_resolve import Resolution, UnresolvableDate, resolve, time_suffix

__all__ = ["clause_tense", "dateline_date", "extract_dates", "timex_to_date"]

#: Words that introduce a month name used as a date; "May"/"March" need one (else modal/verb).
_DATE_LEAD = {"in", "since", "until", "till", "by", "of", "from", "to", "through", "during",
              "early", "late", "mid", "last", "next", "this", "before", "after", "between",
              "and", "or", "each", "every", "end", "beginning", "start", "on", "that", "-"}
_AMBIGUOUS_MONTHS = {"may", "march"}
_NUMBERING = {"no", "no.", "number", "#", "page", "p.", "route", "flight", "room", "model",
              "version", "article", "section", "chapter", "box"}
_FUTURE_HEADS = {"set", "schedule", "expect", "due", "plan", "intend", "hope", "aim", "go",
                 "slate", "poise", "prepare", "want"}
_TRIM_LEAD = {"the", "on", "in", "at", "by", "since", "until", "during", "from", "of", "for",
              "over", "within", "about", "around", "some", "a", "an", "this"}
_AGE = re.compile(r"(?i)\b(?:aged?|age of|ages)\s*$")
_AGE_AFTER = re.compile(r"(?i)^\s*(?:-|\s)?(?:years?[- ]old|year-old)")
_NOT_DATE = re.compile(r"^[\d.,]+$|^(?i:ages?\b)")


def _prev_word(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or span.start == 0:
        return None
    return doc[span.start - 1]


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return doc[span.start] if span is not None and len(span) else None


def _accept(doc: Doc, cand: Candidate) -> bool:
    """Veto grammar matches the parse shows are not dates."""
    g = cand.groups
    prev = _prev_word(doc, cand.start)
    prev_word = prev.lower_ if prev is not None else ""
    first = _token_at(doc, cand.start)
    if cand.kind == "month":
        if first is not None and first.ent_type_ in ("PERSON", "ORG", "WORK_OF_ART", "FAC"):
            return False
        if g["month"].lower() in _AMBIGUOUS_MONTHS and not g.get("mod"):
            return prev_word in _DATE_LEAD
    if cand.kind in ("year", "my", "mdy", "dmy"):
        if prev_word in _NUMBERING:
            return False
        last = _token_at(doc, cand.end - 1)
        if cand.kind == "year" and last is not None:
            if last.ent_type_ in ("MONEY", "PERCENT", "QUANTITY"):
                return False
            nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
            if nxt is not None and nxt.tag_ in ("NNS", "NNPS") and nxt.ent_type_ != "DATE":
                return False
    if cand.kind == "duration":
        if g.get("num", "").lower() in ("a", "an"):
            last = _token_at(doc, cand.end - 1)
            if prev is not None and prev.like_num:
                return False  # "15 a year" is a set
            if last is not None and (last.pos_ == "ADJ" or last.dep_ == "amod"):
                return False  # "a second attempt"
        if _AGE.search(doc_text(doc)[max(0, cand.start - 12):cand.start]):
            return False
    if cand.kind == "set" and g.get("per") and not g.get("freq"):
        return (prev is not None and prev.like_num) or g["per"].lower() == "per"
    if cand.kind == "season" and not (g.get("rel") or g.get("year") or g.get("mod")):
        return first is not None and first.pos_ in ("NOUN", "PROPN") and prev_word in (
            "the", "in", "this", "last", "next", "of", "early", "late", "during", "since")
    return True


def _verb_tense(verb: Token) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & {"will", "'ll", "shall", "wo"}:
        return "future"
    if verb.dep_ == "xcomp" and verb.head.lemma_ in _FUTURE_HEADS:
        head = _verb_tense(verb.head)
        return "past" if head == "past" and verb.head.lemma_ != "go" else "future"
    if words & {"would", "could", "might", "should", "may", "must", "can"}:
        return None
    if "to" in words and verb.dep_ in ("acl", "relcl"):
        return "future"  # "an event to be held on October 12"
    tags = [verb.tag_] + [a.tag_ for a in auxes]
    if "VBD" in tags:
        return "past"
    if verb.tag_ == "VBN" and (words & {"has", "have", "had", "'ve"} or not auxes):
        return "past"
    if {"VBZ", "VBP"} & set(tags):
        return "present"
    return None


def clause_tense(doc: Doc, start: int, end: int) -> str | None:
    """Return "past", "present" or "future" for the clause holding doc.text[start:end]."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token = span.root
    for _ in range(10):
        if token.pos_ in ("VERB", "AUX"):
            tense = _verb_tense(token)
            if tense is not None:
                return tense
        if token.head.i == token.i:
            break
        token = token.head
    return None


def _trim(doc: Doc, ent: Span) -> tuple[int, int] | None:
    """Return the entity's char span without leading function words and trailing "'s"."""
    tokens = list(ent)
    while tokens and (tokens[0].lower_ in _TRIM_LEAD or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in ("'s", "’s")):
        tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _entity_leftovers(doc: Doc, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Return spaCy DATE/TIME entities the grammar missed, minus ages and bare numbers."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if any(ent.start_char < e and ent.end_char > s for s, e in taken):
            continue
        bounds = _trim(doc, ent)
        if bounds is None:
            continue
        start, end = bounds
        text = doc_text(doc)[start:end]
        if _NOT_DATE.match(text) or re.search(r"(?i)\bold\b", text):
            continue
        whole = doc_text(doc)
        if _AGE.search(whole[max(0, start - 12):start]) or _AGE_AFTER.match(whole[end:end + 12]):
            continue
        found.append((start, end, ent.label_))
    return found


def extract_dates(doc: Doc, published: dt.date | None) -> list[dict]:
    """Return one dict per date/time expression, resolved against `published` when given."""
    starts = [sent.start_char for sent in doc.sents]

    def sentence_of(char: int) -> int:
        return max(bisect.bisect_right(starts, char) - 1, 0)

    records: list[dict] = []
    times: list[tuple[dict, Candidate]] = []
    for cand in find_candidates(doc_text(doc), accept=lambda c: _accept(doc, c)):
        tense = clause_tense(doc, cand.start, cand.end)
        try:
            res = resolve(cand, published, tense)
        except UnresolvableDate:
            continue
        record = _record(doc, cand.start, cand.end, res, sentence_of(cand.start))
        records.append(record)
        if cand.kind == "time" and res.value is not None:
            times.append((record, cand))
    for record, cand in times:
        _anchor_time(record, cand, records)
    taken = [(r["start"], r["end"]) for r in records]
    for start, end, label in _entity_leftovers(doc, taken):
        res = Resolution(label, None, "unknown", "unresolved")
        records.append(_record(doc, start, end, res, sentence_of(start)))
    records.sort(key=lambda r: r["start"])
    return records


def _record(doc: Doc, start: int, end: int, res: Resolution, sentence: int) -> dict:
    return {"start": start, "end": end, "text": doc_text(doc)[start:end], "type": res.type,
            "value": res.value, "precision": res.precision, "rule": res.rule,
            "sentence": sentence}


def _anchor_time(record: dict, cand: Candidate, records: list[dict]) -> None:
    """Put a clock time on the day-precision date of its own sentence, if there is one."""
    days = [r for r in records if r["sentence"] == record["sentence"] and r["precision"] == "day"
            and r["type"] == "DATE" and r["value"]]
    if not days:
        return
    nearest = min(days, key=lambda r: abs(r["start"] - record["start"]))
    groups = {k: v.lower() for k, v in cand.groups.items()}
    record["value"] = nearest["value"] + time_suffix(groups)
    record["rule"] = "time_sentence_date"


_DATELINE_SPLIT = re.compile(r"\s(?:--|—|–)\s|\n")
_FULL_DATE_KINDS = ("iso", "numeric", "mdy", "dmy")
_DATE_LINE_EXTRA = re.compile(
    r"(?i)^[\s,.:|-]*(?:(?:published|updated|posted|date|dateline)[\s:]*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?$")


def dateline_date(text: str) -> dt.date | None:
    """Return the publication date written in a dateline or date line at the top of text."""
    lines = text[:600].split("\n")[:6]
    for line in lines:
        for cand in find_candidates(line):
            if cand.kind not in _FULL_DATE_KINDS:
                continue
            rest = line[:cand.start] + line[cand.end:]
            if _DATE_LINE_EXTRA.match(rest):
                return _to_date(cand)
    parts = _DATELINE_SPLIT.split(text[:300], maxsplit=1)
    first = parts[0]
    # Only a real dateline ("Concepcion, 23 Aug 88 (...) --") counts: a date in an ordinary
    # first sentence is what the story is about, not when it was published.
    if len(parts) == 2 and len(first) < 160:
        for cand in find_candidates(first):
            if cand.kind in _FULL_DATE_KINDS and cand.start < 120:
                return _to_date(cand)
    return None


def _to_date(cand: Candidate) -> dt.date | None:
    try:
        return timex_to_date(resolve(cand, None, None).value or "")
    except UnresolvableDate:
        return None


_TIMEX_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_TIMEX_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TIMEX_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$")
_TIMEX_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_TIMEX_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def timex_to_date(value: str | None) -> dt.date | None:
    """Return the first day of a resolved TIMEX3 DATE value ("2024-03" → 2024-03-01), else None."""
    if not value:
        return None
    try:
        if m := _TIMEX_DAY.match(value):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _TIMEX_MONTH.match(value):
            return dt.date(int(m[1]), int(m[2]), 1)
        if m := _TIMEX_WEEK.match(value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday + dt.timedelta(days=5) if value.endswith("-WE") else monday
        if m := _TIMEX_QUARTER.match(value):
            return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
        if m := _TIMEX_SEASON.match(value):
            return dt.date(int(m[1]), _SEASON_MONTH[m[2]], 1)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1)
        if re.fullmatch(r"\d{3}", value):
            return dt.date(int(value) * 10, 1, 1)
        if re.fullmatch(r"\d{2}", value):
            return dt.date(max(int(value) * 100, 1), 1, 1)
    except ValueError:
        return None
    return None
