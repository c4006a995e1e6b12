"""Numbers: read written amounts ("6,500", "1.2 million", "two thousand", "a dozen") as values.

Shared by the date resolver (durations, "two days ago") and the headcount extractor.
"""

from __future__ import annotations

import re

__all__ = ["NUMBER_WORD_RE", "UNITS", "SCALES", "NumberParseError", "parse_number",
           "is_number_word"]

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
#: Multipliers that scale what precedes them ("two thousand", "1.2 million", "a dozen").
SCALES: dict[str, int] = {
    "dozen": 12, "score": 20, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
}
_ARTICLES = {"a": 1, "an": 1}

_WORDS_ALT = "|".join(sorted(list(UNITS) + list(SCALES), key=len, reverse=True))
#: A number written in digits or words, e.g. "6,500", "2.5", "twenty-five", "two thousand".
NUMBER_WORD_RE = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
    rf"|(?:{_WORDS_ALT})(?:[\s-]+(?:and\s+)?(?:{_WORDS_ALT}))*"
    r"|an?(?=\s+(?:dozen|hundred|thousand|million|half|couple)\b)|an?)"
)
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
_TOKEN_SPLIT = re.compile(r"[\s-]+")


class NumberParseError(ValueError):
    """Raised when a text is not a number this module can read."""


def is_number_word(word: str) -> bool:
    """Return True if the word is a spelled-out number or a scale word ("seven", "thousand")."""
    low = word.lower()
    return low in UNITS or low in SCALES


def parse_number(text: str) -> float:
    """Return the value of a written amount: "6,500" → 6500, "1.2 million" → 1200000.

    Raises NumberParseError when the text is not a number.
    """
    words = [w for w in _TOKEN_SPLIT.split(text.strip().lower()) if w and w != "and"]
    if not words:
        raise NumberParseError(f"not a number: {text!r}")
    total = 0.0
    current: float | None = None
    half = False
    for i, word in enumerate(words):
        if _DIGITS.match(word):
            current = (current or 0) + float(word.replace(",", ""))
        elif word in UNITS:
            current = (current or 0) + UNITS[word]
        elif word in _ARTICLES and i + 1 < len(words) and words[i + 1] == "half" and i > 0:
            continue
        elif word in _ARTICLES and i == 0:
            current = 1
        elif word == "half" and i > 0:
            half = True
        elif word in SCALES:
            scale = SCALES[word]
            base = 1 if current is None else current
            if scale >= 1000:
                total += base * scale
                current = None
            else:
                current = base * scale
        else:
            raise NumberParseError(f"not a number: {text!r} (at {word!r})")
    value = total + (current or 0)
    if half:
        value += 0.5
    if value == 0 and "zero" not in words and not any(_DIGITS.match(w) for w in words):
        raise NumberParseError(f"not a number: {text!r}")
    return value
