"""Give people and organisations a country and a sector, CAMEO-style, from what the text shows.

A sector is one of `SECTORS` or None. Organisations get theirs from a short list of well-known
actors (`patterns/actor_orgs.jsonl`: international bodies have no country) or from their own
words (`patterns/org_sectors.jsonl`: "Ministry" → government, "News Agency" → media) and a
country from a demonym or country name in or right before the name ("Russian News Agency",
"Russia's Defense Ministry"). People get theirs from their roles (`transforms.roles`): the role's
country, else its organisation's country; the organisation's sector, else the title's.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from transforms.gazetteer import demonym_country, load_gazetteer
from transforms.pattern_files import pattern_rows

__all__ = ["SECTORS", "KnownOrg", "annotate_actors", "country_of_name", "known_org",
           "org_attributes", "org_sector"]

SECTORS = ("government", "military", "rebel", "international", "media", "business",
           "civil_society")
_WORD = re.compile(r"[\w.'’-]+")


@dataclass(frozen=True)
class KnownOrg:
    """A well-known organisation: its canonical name, sector and country (None if international)."""

    org_id: str
    name: str
    sector: str | None
    country_iso3: str | None


def _key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key ("Al-Qaeda" == "al Qaeda")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"^the\s+", "", folded.strip())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


@lru_cache(maxsize=1)
def _known_orgs() -> dict[str, KnownOrg]:
    table: dict[str, KnownOrg] = {}
    for row in pattern_rows("actor_orgs.jsonl"):
        org = KnownOrg(row["id"], row["name"], row["sector"], row["country_iso3"])
        for name in (row["name"], *row["aliases"]):
            table.setdefault(_key(name), org)
    return table


@lru_cache(maxsize=1)
def _sector_words() -> dict[tuple[str, ...], str]:
    return {tuple(_key(row["words"]).split()): row["sector"]
            for row in pattern_rows("org_sectors.jsonl") if row["sector"] in SECTORS}


def known_org(name: str) -> KnownOrg | None:
    """Return the well-known organisation `name` names ("CSTO", "the Taliban"), else None."""
    return _known_orgs().get(_key(name))


def org_sector(name: str) -> str | None:
    """Return the sector an organisation's own words show, else None.

    A multi-word key wins over a single word ("News Agency" over "Agency"), and the head (last
    matching word) over earlier ones ("Police Union" is a union).
    """
    words = _key(name).split()
    best: tuple[int, int, str] | None = None
    for key, sector in _sector_words().items():
        n = len(key)
        for i in range(len(words) - n + 1):
            if tuple(words[i:i + n]) == key and (best is None or (n, i) > best[:2]):
                best = (n, i, sector)
    return best[2] if best else None


def country_of_name(text: str) -> str | None:
    """Return the country a demonym or country name in `text` shows ("Russian" → RUS)."""
    gaz = load_gazetteer()
    words = _WORD.findall(text)
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i:i + n])
            if not phrase[:1].isupper():
                continue
            found = demonym_country(phrase)
            if found is None:
                places = [p for p in gaz.lookup(phrase) if p.feature == "country"]
                found = places[0].country_iso3 if len(places) == 1 else None
            if found is not None:
                return found
    return None


def org_attributes(name: str, before: str = "") -> tuple[str | None, str | None]:
    """Return (country_iso3, sector) for an organisation named `name`.

    `before` is the text right before the mention, for a possessive country ("Russia's
    Defense Ministry").
    """
    known = known_org(name)
    if known is not None:
        return known.country_iso3, known.sector
    sector = org_sector(name)
    country = country_of_name(name)
    possessive = re.search(r"(\b[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)['’]s\s*$", before)
    if country is None and possessive:
        country = country_of_name(possessive.group(1))
    return country, sector


def _most_common(values: list[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def annotate_actors(text: str, entities: list[dict], roles: list[dict]) -> None:
    """Set `country_iso3` and `sector` on every entity record (None where the text is silent).

    Organisations first (each mention may show something; the most common answer wins), then
    people from their roles, whose organisation's attributes are known by then.
    """
    org_votes: dict[str, list[tuple[str | None, str | None]]] = {}
    for ent in entities:
        if ent["label"] == "ORG":
            before = text[max(0, ent["start"] - 40):ent["start"]]
            org_votes.setdefault(ent["entity_id"], []).append(org_attributes(ent["text"], before))
    org_of = {eid: (_most_common([c for c, _ in votes]), _most_common([s for _, s in votes]))
              for eid, votes in org_votes.items()}
    person_of: dict[str, tuple[str | None, str | None]] = {}
    by_person: dict[str, list[dict]] = {}
    for role in roles:
        by_person.setdefault(role["person_entity_id"], []).append(role)
    for eid, person_roles in by_person.items():
        current = [r for r in person_roles if not r.get("is_former")] or person_roles
        countries, sectors = [], []
        for role in current:
            org_id, org_name = role.get("organization_entity_id"), role.get("organization")
            org_country, org_sec = (org_of.get(org_id) if org_id in org_of
                                    else org_attributes(org_name) if org_name else (None, None))
            countries.append(role.get("country_iso3") or org_country)
            sectors.append(org_sec or role.get("sector"))
        person_of[eid] = (_most_common(countries), _most_common(sectors))
    for ent in entities:
        attributes = (org_of.get(ent["entity_id"]) if ent["label"] == "ORG"
                      else person_of.get(ent["entity_id"]) if ent["label"] == "PERSON" else None)
        ent["country_iso3"], ent["sector"] = attributes or (None, None)
