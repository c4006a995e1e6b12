"""The sector of an event actor from its own words: "Kenyan soldiers" → military.

Entities get a sector from `transforms.actors`; event actors are often plain phrases ("the
police", "Ugandan troops"), so their words are read against the same lists:
organisation words, role titles, and a few people-group nouns those lists leave out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.actors import org_sector
from transforms.pattern_files import pattern_rows
from transforms.roles import load_role_titles

__all__ = ["actor_sector"]

#: People-group nouns the organisation and title lists do not cover, with their CAMEO-style sector.
GROUP_SECTORS = {"soldier": "military", "troop": "military", "troops": "military",
                 "gunman": "rebel", "gunmen": "rebel", "protester": "civil_society",
                 "demonstrator": "civil_society", "activist": "civil_society",
                 "student": "civil_society", "worker": "civil_society", "official": "government",
                 "authorities": "government", "lawmakers": "government"}


@lru_cache(maxsize=1)
def _sector_vocabulary() -> frozenset[str]:
    """Every word of `patterns/org_sectors.jsonl`, to skip the costly phrase search early."""
    return frozenset(word for row in pattern_rows("org_sectors.jsonl")
                     for word in re.findall(r"[a-z]+", row["words"].lower()))


@lru_cache(maxsize=4096)
def actor_sector(text: str) -> str | None:
    """The sector an actor phrase's own words show: "Kenyan soldiers" → military.

    An organisation word wins ("Defense Ministry" → military), then a title ("Prime Minister"
    → government), then a people-group noun; the last matching word is the head.
    """
    words = text.lower().split()
    sector = org_sector(text) if _sector_vocabulary() & set(re.findall(r"[a-z]+", text.lower())) \
        else None
    if sector is not None:
        return sector
    titles = load_role_titles()
    for i in range(len(words) - 1, -1, -1):
        for phrase in (" ".join(words[max(i - 1, 0):i + 1]), words[i], words[i].rstrip("s")):
            found = titles.get(phrase) or GROUP_SECTORS.get(phrase)
            if found:
                return found
    return None
