"""Date grammar: find date and time expressions in text with regexes compiled once at import.

Each match becomes a `Candidate` naming its kind ("mdy", "weekday", "ago", ...) and the named
groups the resolver needs. Overlaps are settled longest-first, then by pattern order.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from transforms.numbers import NUMBER_WORD_RE

__all__ = ["Candidate", "MONTHS", "SEASONS", "UNITS", "VAGUE", "WEEKDAYS", "find_candidates"]

PATTERNS_DIR = Path(__file__).parent / "patterns"

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
                            "friday": 4, "saturday": 5, "sunday": 6}
SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA",
                           "winter": "WI"}
#: Time unit word → TIMEX3 duration letter (T-prefixed for clock units).
UNITS: dict[str, str] = {"second": "TS", "minute": "TM", "hour": "TH", "day": "D",
                         "week": "W", "weekend": "WE", "month": "M", "quarter": "Q",
                         "year": "Y", "decade": "DE", "century": "CE"}


@dataclass(frozen=True)
class Candidate:
    """One matched expression: character span, pattern kind and its named groups."""

    start: int
    end: int
    kind: str
    groups: dict = field(default_factory=dict)
    order: int = 0


def _load_vague() -> list[dict]:
    path = PATTERNS_DIR / "date_vague.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


VAGUE: dict[str, dict] = {row["id"]: row for row in _load_vague()}

_MONTH_FULL = ("January|February|March|April|May|June|July|August|September|October|"
               "November|December")
_MONTH = rf"(?P<month>{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR4 = r"(?P<year>1[5-9]\d\d|20\d\d)"
_MOD = r"(?:(?P<mod>(?i:early|late|mid|end of|beginning of|start of))[\s-]+)?"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?"
_UNIT = r"(?P<unit>(?i:second|minute|hour|day|week|month|year|decade|centur(?:y|ie)))"
_NUM = rf"(?P<num>(?i:{NUMBER_WORD_RE})(?:\s+and\s+a\s+half)?)"
_REL = r"(?P<rel>(?i:last|next|this|past|coming|previous|current|following))"
_TZ = (r"(?:\s*(?P<tz>UTC|GMT|EST|EDT|CST|CDT|PST|PDT|CET|CEST|BST|(?i:local time)"
       r"|\(GMT\s*[+-]\s*\d{1,2}\)))?")

#: (kind, regex) in priority order: on equal length the earlier pattern wins.
_RAW_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b(?P<year>\d{4})-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("numeric", r"\b(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<year>\d{4}|\d{2})\b"),
    ("mdy", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR4}\b"),
    ("dmy", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}}|\d{{2}})\b"),
    ("md", rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?\d)(?![,.]\d)(?!\s*(?:%|percent))"),
    ("dm", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b"),
    ("my", rf"{_MOD}\b{_MONTH},?\s+(?:of\s+)?{_YEAR4}\b"),
    ("month", rf"{_MOD}\b(?P<month>{_MONTH_FULL}|Sept\.|Aug\.|Dec\.|Nov\.|Oct\.|Feb\.|Jan\.)"
              r"(?![-\w])"),
    ("decade", r"(?:\b(?P<decade>1[0-9]\d0|20\d0)|'(?P<dec2>\d0))s\b"),
    ("century", r"\b(?P<century>[12]?\d)(?:st|nd|rd|th)[\s-]+(?i:century)\b"),
    ("year", rf"{_MOD}(?<![\d,.$£€#/])\b{_YEAR4}\b(?![,.]?\d)(?!\s*(?:%|percent))"),
    ("fiscal", r"\b(?i:fiscal(?: year)?|FY)\s*(?P<year>\d{4})\b"),
    ("quarter", r"\b(?P<qord>(?i:first|second|third|fourth|final|last|past|next|this|current|"
                r"1st|2nd|3rd|4th))\s+(?i:quarter)(?:\s+(?:of\s+)?(?P<year>\d{4}))?\b"),
    ("quarter", r"\bQ(?P<qnum>[1-4])(?:\s+|/)?(?P<year>\d{4})?\b"),
    ("season", rf"\b(?:{_REL}\s+|{_MOD})?(?P<season>(?i:spring|summer|autumn|fall|winter))"
               rf"(?:\s+(?:of\s+)?{_YEAR4})?\b"),
    ("weekday", rf"\b(?:{_REL}\s+)?{_WEEKDAY}(?P<plural>s)?{_PART}\b"),
    ("relday", r"\b(?:(?P<dayrel>(?i:day (?:before|after)))\s+)?"
               r"(?P<relday>(?i:yesterday|today|tomorrow|tonight))"
               r"(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?\b"),
    ("daypart", rf"\b(?P<rel>(?i:this|last))\s+(?P<part>(?i:morning|afternoon|evening|night))\b"),
    ("relunit", rf"\b(?:(?P<pre>(?i:earlier|later))\s+)?{_REL}\s+"
                r"(?P<unit>(?i:week|weekend|month|year|decade|century))\b"),
    ("ago", rf"\b(?:{_NUM}|(?P<vaguenum>(?i:several|a few|few|many|some)))\s+{_UNIT}s?\s+"
            r"(?i:ago)\b"),
    ("duration", rf"\b(?:(?P<lead>(?i:past|last|next|coming|first|final|previous))\s+)?"
                 rf"{_NUM}[\s-]+{_UNIT}s?(?:-long)?\b(?![-\s]+old\b)"),
    ("duration", rf"\b(?P<vaguenum>(?i:several|a few|few|many))\s+{_UNIT}s\b(?![-\s]+old\b)"),
    ("duration", rf"\b(?P<lead>(?i:past|last|next|coming))\s+{_UNIT}\b"),
    ("duration", rf"\b{_UNIT}s-long\b"),
    ("partof", r"\b(?P<mod>(?i:beginning|end|start|middle|rest))\s+of\s+(?i:the|this)\s+"
               r"(?P<unit>(?i:week|month|year))\b"),
    ("set", rf"\b(?P<every>(?i:every|each))\s+(?:(?P<other>other)\s+|{_NUM}\s+)?"
            rf"(?:{_UNIT}s?|{_WEEKDAY}|(?P<part>(?i:morning|afternoon|evening|night)))\b"),
    ("set", r"\b(?P<adverb>(?i:daily|weekly|monthly|annually|annual|yearly|quarterly|hourly|"
            r"nightly|biannual|biennial))\b"),
    ("set", rf"\b(?:(?P<freq>(?i:once|twice|thrice|{NUMBER_WORD_RE}\s+times))\s+)?"
            r"(?P<per>(?i:a|an|per|each))\s+"
            r"(?P<unit>(?i:second|minute|hour|day|week|month|year))\b(?!\s+(?i:ago|earlier|later))"),
    ("time", rf"\b(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)(?!\d)"
             rf"(?:\s*(?P<ampm>[aApP])\.?\s?[mM]\b\.?)?{_TZ}"),
    ("time", rf"\b(?P<hour>1[0-2]|0?[1-9])\s*(?P<ampm>[aApP])\.?[mM]\b\.?{_TZ}"),
    ("time", rf"\b(?P<hour>[0-2]\d)(?P<minute>[0-5]\d)\s+(?P<mil>(?i:hours|hrs|GMT|UTC|GMT))"),
    ("time", r"\b(?P<named>(?i:noon|midnight|midday))\b"),
]
for _row in VAGUE.values():
    _RAW_PATTERNS.append(("vague", rf"\b(?P<vague_{_row['id'].replace('-', '_')}>"
                                   rf"(?i:{_row['pattern']}))(?![\w-])"))

PATTERNS: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(rx)) for kind, rx in _RAW_PATTERNS]


def find_candidates(text: str, accept=None) -> list[Candidate]:
    """Return non-overlapping date/time candidates in text order (longest match wins).

    `accept(candidate) -> bool` vetoes a match in context (e.g. "May" as a verb) before it can
    block a shorter, valid one.
    """
    found: list[Candidate] = []
    for order, (kind, pattern) in enumerate(PATTERNS):
        for match in pattern.finditer(text):
            if match.end() > match.start():
                groups = {k: v for k, v in match.groupdict().items() if v is not None}
                found.append(Candidate(match.start(), match.end(), kind, groups, order))
    found.sort(key=lambda c: (-(c.end - c.start), c.order, c.start))
    taken: list[Candidate] = []
    for cand in found:
        if all(cand.end <= t.start or cand.start >= t.end for t in taken):
            if accept is None or accept(cand):
                taken.append(cand)
    return sorted(taken, key=lambda c: c.start)


def vague_row(groups: dict) -> dict | None:
    """Return the vague-expression row a vague candidate came from."""
    for key in groups:
        if key.startswith("vague_"):
            return VAGUE.get(key[len("vague_"):].replace("_", "-"))
    return None
