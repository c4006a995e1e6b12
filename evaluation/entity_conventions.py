"""Bring MEANTIME name mentions to the flat span convention of news NER before scoring.

MEANTIME annotates a name together with what describes it: titles ("Senator John McCain"),
descriptors ("aircraft manufacturer Boeing", "Los Angeles based Northrop Grumman"), owners
("Singapore's Changi International Airport"), appositions ("Joe Leonard, Chairman and ...")
and nested places ("Long Beach, California" around "California"). Flat taggers — CoNLL,
OntoNotes, spaCy and newsdesk alike — mark the name alone, once. Scoring the raw spans would
charge every system for a convention, not for a recognition error, so each gold mention is
reduced to its name the same way for every system scored. The original span stays in the gold
as an unscored mention: a prediction covering it is neither right nor wrong.
"""

from __future__ import annotations

import re

__all__ = ["name_core_mentions"]

#: Lowercase words that occur inside names ("Bank of England", "Defence and Space").
NAME_INTERNAL = {"of", "and", "de", "du", "des", "la", "le", "for", "the", "on", "&", "von", "van",
                 "da", "di", "al", "el", "y", "in"}
WORD = re.compile(r"\S+")


def _is_lower_word(word: str) -> bool:
    letters = word.strip("\"'“”‘’,.;:()")
    return bool(letters) and letters[:1].islower() and letters.lower() not in NAME_INTERNAL


def _trim(text: str, start: int) -> tuple[str, int]:
    """Strip surrounding spaces and punctuation, keeping offsets in step."""
    left = len(text) - len(text.lstrip(" ,;:-–\"'“”"))
    text = text[left:]
    text = text.rstrip(" ,;:-–\"“”")
    return text, start + left


def _strip_leading(text: str, start: int, label: str, entity_name: str) -> tuple[str, int]:
    """Drop a leading article, descriptor ("aircraft manufacturer") or, for people, title."""
    if text[:4].lower() == "the ":
        text, start = text[4:], start + 4
    words = list(WORD.finditer(text))
    # "aircraft manufacturer Boeing": everything up to the last descriptive lowercase word.
    cut = None
    for index, word in enumerate(words[:-1]):
        if _is_lower_word(word.group()):
            cut = index + 1
    if cut is not None and not _is_lower_word(words[cut].group()) \
            and all(not _is_lower_word(w.group()) for w in words[cut:]):
        offset = words[cut].start()
        text, start = text[offset:], start + offset
        words = list(WORD.finditer(text))
    if label == "PERSON" and entity_name:
        # "Senator McCain", "Mr. Lee Hsien Loong": leading words not in the person's name.
        name_words = {w.strip(".,()").lower() for w in entity_name.split()}
        index = 0
        while index < len(words) - 1 and words[index].group().strip(".,").lower() not in name_words:
            index += 1
        if index and words[index].group().strip(".,").lower() in name_words:
            offset = words[index].start()
            text, start = text[offset:], start + offset
    return text, start


def _strip_trailing(text: str) -> str:
    """Drop a parenthetical, a lowercase apposition or clause, and trailing common nouns."""
    for marker in (" (", "("):
        if marker in text:
            text = text[:text.index(marker)]
    match = re.search(r",\s+(?=[a-z])", text)
    if match:
        text = text[:match.start()]
    words = text.split(" ")
    while len(words) > 1 and _is_lower_word(words[-1]):
        words.pop()
    return " ".join(words)


def _outside_inner(mention: dict, inner: list[dict]) -> tuple[str, int] | None:
    """Return the first capitalised stretch of `mention` outside the nested mentions."""
    start, end = mention["start"], mention["end"]
    cuts = sorted((m["start"], m["end"]) for m in inner)
    pieces, cursor = [], start
    for s, e in cuts:
        if s > cursor:
            pieces.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < end:
        pieces.append((cursor, end))
    text = mention["text"]
    for s, e in pieces:
        piece = text[s - start:e - start]
        piece_start = s
        words = list(WORD.finditer(piece))
        while words and (_is_lower_word(words[0].group())
                         or words[0].group() in ("'s", "’s", "'")):
            words.pop(0)
        while words and (_is_lower_word(words[-1].group())
                         or words[-1].group().lower() in NAME_INTERNAL):
            words.pop()
        if not words:
            continue
        piece_text = piece[words[0].start():words[-1].end()]
        piece_text, piece_start = _trim(piece_text.removeprefix("'s ").removeprefix("’s "),
                                        s + words[0].start())
        if any(c.isupper() for c in piece_text[:1]):
            return piece_text, piece_start
    return None


def _core(mention: dict, others: list[dict]) -> dict | None:
    """Return the mention reduced to its name, or None when no name is left."""
    text, start = mention["text"], mention["start"]
    # A parenthetical acronym is a mention of its own ("Singapore Airlines (SIA").
    if "(" in text:
        text = text[:text.index("(")].rstrip()
    end = start + len(text)
    inside = [m for m in others if m is not mention and start <= m["start"] and m["end"] <= end
              and (m["start"], m["end"]) != (start, end)]
    if any(m["type"] == mention["type"] and m.get("instance_id") == mention.get("instance_id")
           for m in inside):
        return None  # the name itself is annotated inside: "Joe Leonard, Chairman of ..."
    if inside:
        found = _outside_inner(dict(mention, text=text, end=end), inside)
        if found is None:
            return None
        text, start = found
    text = _strip_trailing(text)
    text, start = _strip_leading(text, start, mention["label"], mention.get("entity_name") or "")
    text = _strip_trailing(text)
    text, start = _trim(text, start)
    if text.endswith(("'s", "’s")):
        return None  # "China Eastern's board of directors": the name is only the owner
    if not text or not text[:1].isupper() and not any(c.isupper() for c in text):
        return None
    return dict(mention, start=start, end=start + len(text), text=text)


def name_core_mentions(mentions: list[dict]) -> tuple[list[dict], list[dict]]:
    """Return (mentions reduced to their names, original spans that changed or went).

    `mentions` are one record's scored gold mentions, each with `label`, `type`, `start`,
    `end`, `text` and MEANTIME's `instance_id` and `entity_name`.
    """
    cores: list[dict] = []
    changed: list[dict] = []
    seen: set[tuple[int, int, str]] = set()
    for mention in mentions:
        core = _core(mention, mentions)
        if core is None or (core["start"], core["end"]) != (mention["start"], mention["end"]):
            changed.append(mention)
        if core is None:
            continue
        key = (core["start"], core["end"], core["label"])
        if key not in seen:
            seen.add(key)
            cores.append(core)
    return cores, changed
