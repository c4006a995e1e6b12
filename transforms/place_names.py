"""Normalise place names so that text spans and gazetteer names meet as plain dict keys."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["PATTERNS", "GazetteerDataError", "load_jsonl", "normalize", "normalize_ascii_many",
           "place_words", "strip_type_words"]

PATTERNS = Path(__file__).resolve().parent / "patterns"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/]+")
_ASCII_SEPARATORS = re.compile(r"[ \t\-_/]+")
_DROP_TABLE = str.maketrans("", "", ".\u02bc\u02bb\u2018\u201c\u201d\"`()[],")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bf": "'", "\u02be": "'"})


class GazetteerDataError(ValueError):
    """A shipped gazetteer file is malformed."""


def load_jsonl(name: str) -> list[dict]:
    """Read a JSONL data file from transforms/patterns, each line an object with an `id`."""
    path = PATTERNS / name
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if "id" not in row:
                raise GazetteerDataError(f"{path}:{number}: record has no 'id'")
            rows.append(row)
    return rows


def normalize(text: str) -> str:
    """Fold case, diacritics, dots and dashes: "Badakhshān" -> "badakhshan", "U.S." -> "us"."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().translate(_DROP_TABLE)
    if " " in text or "-" in text or "\t" in text or "\n" in text or "/" in text or "_" in text:
        text = " ".join(_SEPARATORS.sub(" ", text).split())
    return text


def normalize_ascii_many(texts: list[str]) -> list[str]:
    """Normalise many ASCII, single-line names at once (the gazetteer's load-time hot path)."""
    joined = "\n".join(texts).lower().translate(_DROP_TABLE)
    joined = _ASCII_SEPARATORS.sub(" ", joined)
    return [line.strip() for line in joined.split("\n")]


@lru_cache(maxsize=1)
def place_words() -> dict[str, frozenset[str]]:
    """Return the word lists of place_words.jsonl by kind (admin1_type, city_type, ...)."""
    kinds: dict[str, set[str]] = {}
    for row in load_jsonl("place_words.jsonl"):
        kinds.setdefault(row["kind"], set()).add(row["word"])
    return {kind: frozenset(words) for kind, words in kinds.items()}


def strip_type_words(key: str) -> str:
    """Drop leading/trailing subdivision words: "kunduz province" -> "kunduz".

    Returns the key unchanged when only generic words would remain ("central province").
    """
    words = place_words()
    types, connectors = words["admin1_type"] | words["city_type"], words["name_connector"]
    tokens = key.split()
    while len(tokens) > 1 and tokens[-1] in types:
        tokens.pop()
    while len(tokens) > 1 and tokens[0] in types:
        tokens.pop(0)
        while len(tokens) > 1 and (tokens[0] in connectors or tokens[0] == "e"):
            tokens.pop(0)
    if all(token in words["generic"] or token in connectors for token in tokens):
        return key
    return " ".join(tokens)
