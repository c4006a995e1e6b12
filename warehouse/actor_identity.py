"""Decide which article-level entities are the same person or organisation across articles.

Pure Python, deterministic, and explainable: every merge is an edge with a reason, applied in a
fixed order over entities sorted by id, so the same warehouse always yields the same actors.

Rules, in order (each only joins clusters whose known countries agree):

1. ``same article``: in one article, a surname-only person ("Shoigu") joins the only full name
   there whose surname it spells, allowing transliteration ("Sergey Shoygu"); failing any
   surname match, a given name alone ("Steve") joins the only full name starting with it.
   In-article links the extractor already made share an entity id and need no rule.
2. ``exact name``: the same name, case-insensitively. A surname alone never joins a full name
   across articles: "Ivanov" in two articles may be two people.
3. ``acronym``: organisations sharing an alias, such as an acronym seen linked to its expansion
   in any article ("CSTO" ↔ "Collective Security Treaty Organization"); and organisation names
   equal but for a legal suffix ("Apple Inc." = "Apple", "Aer Lingus Group PLC").
4. ``transliteration``: full names whose first names and surnames match after a transliteration
   key (y→i, kh→h, w→v, doubled letters …) and rapidfuzz similarity, so "Sergei Shoigu" and
   "Sergey Shoygu" merge but "Sergei Ivanov" and "Viktor Ivanov" do not.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

__all__ = ["Actor", "EntityInfo", "name_key", "resolve_actors", "transliteration_key"]

#: rapidfuzz ratios (0-100) on transliteration keys for two full names to be one person.
SURNAME_MIN_RATIO = 90.0
FIRST_NAME_MIN_RATIO = 85.0
#: Company-form words that do not change which organisation a name means ("Apple Inc.").
LEGAL_SUFFIXES = {"inc", "incorporated", "ltd", "limited", "plc", "corp", "corporation", "co",
                  "llc", "group", "nv", "sa", "ag", "gmbh", "holdings", "company"}
#: Ordered (pattern, replacement) pairs folding common transliteration variants together.
_TRANSLITERATION = [(r"kh", "h"), (r"ph", "f"), (r"ck", "k"), (r"w", "v"), (r"z", "s"),
                    (r"y", "i"), (r"ou", "u"), (r"ie", "i"), (r"(.)\1+", r"\1")]


@dataclass
class EntityInfo:
    """One article-level entity (fct_mentions.entity_id) of a person or organisation."""

    entity_id: str
    article_id: str
    kind: str  # "person" | "organization"
    name: str  # longest mention text
    aliases: set[str] = field(default_factory=set)  # every mention text
    country_iso3: str | None = None
    mention_count: int = 0


@dataclass
class Actor:
    """A canonical person or organisation with the entities that make it up."""

    actor_id: str
    kind: str
    name: str
    entity_ids: list[str]
    reasons: dict[str, str]  # entity_id -> why it belongs to this actor
    country_iso3: str | None


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Key a name case-, accent- and punctuation-insensitively ("U.N." == "UN", "the X" == "X").

    Cached: resolving a batch's actors keys the same few thousand names ~100,000 times.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"^the\s+", "", folded.strip())
    folded = re.sub(r"(?<=\w)\.(?=\w|$)", "", folded)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


@lru_cache(maxsize=1 << 16)
def transliteration_key(word: str) -> str:
    """Fold spelling variants of one name word ("Shoygu" → "shoigu", "Sergey" → "sergei")."""
    key = name_key(word).replace(" ", "")
    for pattern, replacement in _TRANSLITERATION:
        key = re.sub(pattern, replacement, key)
    return key


class _Clusters:
    """Union-find whose unions keep the reason and refuse conflicting countries."""

    def __init__(self, entities: list[EntityInfo]) -> None:
        self.parent = {e.entity_id: e.entity_id for e in entities}
        self.countries = {e.entity_id: {e.country_iso3} - {None} for e in entities}
        self.has_full_name = {e.entity_id: _is_full_name(e) for e in entities}
        self.edges: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, reason: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or len(self.countries[ra] | self.countries[rb]) > 1:
            return False
        keep, drop = sorted((ra, rb))
        self.parent[drop] = keep
        self.countries[keep] |= self.countries.pop(drop)
        self.has_full_name[keep] = self.has_full_name[keep] or self.has_full_name.pop(drop)
        self.edges[a].append((b, reason))
        self.edges[b].append((a, reason))
        return True


def _words(name: str) -> list[str]:
    return name_key(name).split()


def _is_full_name(entity: EntityInfo) -> bool:
    return entity.kind == "organization" or len(_words(entity.name)) >= 2


def _same_article_surnames(people: list[EntityInfo], clusters: _Clusters) -> None:
    by_article: dict[str, list[EntityInfo]] = defaultdict(list)
    for person in people:
        by_article[person.article_id].append(person)
    for article_id in sorted(by_article):
        members = by_article[article_id]
        full = [p for p in members if _is_full_name(p)]
        for person in members:
            if _is_full_name(person):
                continue
            word = transliteration_key(person.name)
            for position, what in ((-1, "surname"), (0, "given name")):
                matches = [f for f in full
                           if fuzz.ratio(word, transliteration_key(_words(f.name)[position]))
                           >= SURNAME_MIN_RATIO]
                if len(matches) == 1:
                    clusters.union(person.entity_id, matches[0].entity_id,
                                   f"same article: {what} of {matches[0].name!r}")
                if matches:
                    break  # a surname match (even ambiguous) is never retried as a given name


def _exact_names(entities: list[EntityInfo], clusters: _Clusters) -> None:
    first_of: dict[tuple[str, bool], EntityInfo] = {}
    for entity in entities:
        full = _is_full_name(entity)
        key = (name_key(entity.name), full)
        if not key[0]:
            continue
        if key in first_of:
            if not full and (clusters.has_full_name[clusters.find(entity.entity_id)]
                             or clusters.has_full_name[clusters.find(first_of[key].entity_id)]):
                continue  # a bare surname tied to a full name in one article stays there
            clusters.union(entity.entity_id, first_of[key].entity_id,
                           f"exact name {entity.name!r}")
        else:
            first_of[key] = entity


def _shared_aliases(orgs: list[EntityInfo], clusters: _Clusters) -> None:
    first_of: dict[str, EntityInfo] = {}
    for org in orgs:
        for alias in sorted(org.aliases):
            key = name_key(alias)
            if not key:
                continue
            other = first_of.setdefault(key, org)
            if other is not org and name_key(other.name) != name_key(org.name):
                clusters.union(org.entity_id, other.entity_id,
                               f"acronym/alias {alias!r} shared with {other.name!r}")


def _legal_suffixes(orgs: list[EntityInfo], clusters: _Clusters) -> None:
    first_of: dict[str, EntityInfo] = {}
    for org in orgs:
        words = _words(org.name)
        while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
            words = words[:-1]
        key = " ".join(words)
        other = first_of.setdefault(key, org)
        if other is not org and name_key(other.name) != name_key(org.name):
            clusters.union(org.entity_id, other.entity_id,
                           f"same name without legal suffix: {org.name!r} = {other.name!r}")


def _transliterations(people: list[EntityInfo], clusters: _Clusters) -> None:
    blocks: dict[str, list[EntityInfo]] = defaultdict(list)
    for person in people:
        if _is_full_name(person):
            blocks[transliteration_key(_words(person.name)[-1])[:2]].append(person)
    for block_key in sorted(blocks):
        block = blocks[block_key]
        for i, a in enumerate(block):
            for b in block[i + 1:]:
                if clusters.find(a.entity_id) == clusters.find(b.entity_id):
                    continue
                score = _name_similarity(a.name, b.name)
                if score is not None:
                    clusters.union(a.entity_id, b.entity_id,
                                   f"transliteration {a.name!r} ~ {b.name!r} ({score:.0f})")


def _name_similarity(a: str, b: str) -> float | None:
    """Similarity of two full names when first names and surnames both match, else None."""
    wa, wb = _words(a), _words(b)
    if len(wa) != len(wb):
        return None
    first = fuzz.ratio(transliteration_key(wa[0]), transliteration_key(wb[0]))
    last = fuzz.ratio(transliteration_key(wa[-1]), transliteration_key(wb[-1]))
    if first < FIRST_NAME_MIN_RATIO or last < SURNAME_MIN_RATIO:
        return None
    middle = [fuzz.ratio(transliteration_key(x), transliteration_key(y))
              for x, y in zip(wa[1:-1], wb[1:-1])]
    if any(score < FIRST_NAME_MIN_RATIO for score in middle):
        return None
    return min([first, last, *middle])


def _explain(root: str, members: list[str], clusters: _Clusters) -> dict[str, str]:
    """Why each member belongs: the reason on its edge in a breadth-first walk from the root."""
    reasons = {root: "canonical name"}
    queue = [root]
    member_set = set(members)
    while queue:
        current = queue.pop(0)
        for neighbour, reason in sorted(clusters.edges.get(current, [])):
            if neighbour in member_set and neighbour not in reasons:
                reasons[neighbour] = reason
                queue.append(neighbour)
    return reasons


def _representative(members: list[EntityInfo]) -> EntityInfo:
    """The entity whose name names the actor: a full name, in most articles, most mentioned."""
    articles = Counter(name_key(m.name) for m in members)
    mentions: Counter[str] = Counter()
    for m in members:
        mentions[name_key(m.name)] += m.mention_count
    return sorted(members, key=lambda m: (-_is_full_name(m), -articles[name_key(m.name)],
                                          -mentions[name_key(m.name)], -len(m.name), m.name,
                                          m.entity_id))[0]


def actor_id_for(kind: str, name: str) -> str:
    """A stable id from the canonical name ("person:<16 hex>")."""
    return f"{kind}:{hashlib.md5(name_key(name).encode()).hexdigest()[:16]}"


def resolve_actors(entities: list[EntityInfo]) -> list[Actor]:
    """Group entities into canonical actors, with the reason each entity was merged."""
    entities = sorted(entities, key=lambda e: e.entity_id)
    clusters = _Clusters(entities)
    people = [e for e in entities if e.kind == "person"]
    orgs = [e for e in entities if e.kind == "organization"]
    _same_article_surnames(people, clusters)
    _exact_names(people, clusters)
    _exact_names(orgs, clusters)
    _shared_aliases(orgs, clusters)
    _legal_suffixes(orgs, clusters)
    _transliterations(people, clusters)
    groups: dict[str, list[EntityInfo]] = defaultdict(list)
    for entity in entities:
        groups[clusters.find(entity.entity_id)].append(entity)
    actors = []
    taken: Counter[str] = Counter(actor_id_for(_representative(m).kind, _representative(m).name)
                                  for m in groups.values())
    for members in groups.values():
        rep = _representative(members)
        countries = Counter(m.country_iso3 for m in members if m.country_iso3)
        country = min(countries.items(), key=lambda kv: (-kv[1], kv[0]))[0] if countries else None
        actor_id = actor_id_for(rep.kind, rep.name)
        if taken[actor_id] > 1:  # namesakes kept apart (different countries): tell them apart
            actor_id = actor_id_for(rep.kind, f"{rep.name}|{min(m.entity_id for m in members)}")
        actors.append(Actor(actor_id, rep.kind, rep.name, [m.entity_id for m in members],
                            _explain(rep.entity_id, [m.entity_id for m in members], clusters),
                            country))
    return sorted(actors, key=lambda a: a.actor_id)
