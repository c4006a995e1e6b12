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
   in any article ("CSTO" ↔ "Collective Security Treaty Organization"), unless the alias is
   linked to names that cannot be one organisation ("DA": "Democratic Alliance", "District
   Attorney"), which then merges nothing; and organisation names equal but for a legal suffix
   ("Apple Inc." = "Apple", "Aer Lingus Group PLC").
4. ``transliteration``: full names whose first names and surnames match after a transliteration
   key (y→i, kh→h, w→v, doubled letters …) and rapidfuzz similarity, so "Sergei Shoigu" and
   "Sergey Shoygu" merge but "Sergei Ivanov" and "Viktor Ivanov" do not.

Locality, which lets a publish re-resolve only what its new entities can touch
(`warehouse.dims`): a rule only ever compares two entities when one holds a key among the
other's `lookup_keys` of its `identity_keys` (the same kind and name key, a shared
organisation alias, the same name without legal suffixes, the same article, the same
transliteration block with name lengths the ratios allow), and for the last two only when
`could_link` holds. Entities not connected through such pairs never influence each other, so
resolving a closed group of them alone gives exactly what resolving the whole warehouse gives.
When changing a rule, keep these functions a superset of what the rules compare.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

__all__ = ["Actor", "EntityInfo", "could_link", "identity_keys", "linkable", "lookup_keys",
           "name_key", "resolve_actors", "transliteration_key"]

#: rapidfuzz ratios (0-100) on transliteration keys for two full names to be one person.
SURNAME_MIN_RATIO = 90.0
FIRST_NAME_MIN_RATIO = 85.0
#: Company-form words that do not change which organisation a name means ("Apple Inc.").
LEGAL_SUFFIXES = {"inc", "incorporated", "ltd", "limited", "plc", "corp", "corporation", "co",
                  "llc", "group", "nv", "sa", "ag", "gmbh", "holdings", "company"}
#: Ordered (pattern, replacement) pairs folding common transliteration variants together.
_TRANSLITERATION = [(re.compile(pattern), replacement) for pattern, replacement in [
    (r"kh", "h"), (r"ph", "f"), (r"ck", "k"), (r"w", "v"), (r"z", "s"), (r"y", "i"), (r"ou", "u"),
    (r"ie", "i"), (r"(.)\1+", r"\1")]]
_LEADING_THE = re.compile(r"^the\s+")
_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w|$)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


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


@lru_cache(maxsize=1 << 18)
def name_key(text: str) -> str:
    """Key a name case-, accent- and punctuation-insensitively ("U.N." == "UN", "the X" == "X").

    Cached: resolving a batch's actors keys the same few thousand names ~100,000 times.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = _LEADING_THE.sub("", folded.strip())
    folded = _INNER_DOT.sub("", folded)
    return " ".join(_NOT_ALNUM.sub(" ", folded).split())


@lru_cache(maxsize=1 << 18)
def transliteration_key(word: str) -> str:
    """Fold spelling variants of one name word ("Shoygu" → "shoigu", "Sergey" → "sergei")."""
    key = name_key(word).replace(" ", "")
    for pattern, replacement in _TRANSLITERATION:
        key = pattern.sub(replacement, key)
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
            for position, what in ((-1, "surname"), (0, "given name")):
                matches = [f for f in full if _spells(person.name, f.name, position)]
                if len(matches) == 1:
                    clusters.union(person.entity_id, matches[0].entity_id,
                                   f"same article: {what} of {matches[0].name!r}")
                if matches:
                    break  # a surname match (even ambiguous) is never retried as a given name


def _spells(bare: str, full_name: str, position: int) -> bool:
    """Whether a one-word name spells the full name's word at `position` (-1 surname, 0 given)."""
    return fuzz.ratio(transliteration_key(bare),
                      transliteration_key(_words(full_name)[position])) >= SURNAME_MIN_RATIO


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
    ambiguous = _ambiguous_aliases(orgs)
    first_of: dict[str, EntityInfo] = {}
    for org in orgs:
        for alias in sorted(org.aliases):
            key = name_key(alias)
            if not key or key in ambiguous:
                continue
            other = first_of.setdefault(key, org)
            if other is not org and name_key(other.name) != name_key(org.name):
                clusters.union(org.entity_id, other.entity_id,
                               f"acronym/alias {alias!r} shared with {other.name!r}")


def _ambiguous_aliases(orgs: list[EntityInfo]) -> set[str]:
    """Alias keys linked to organisation names that cannot be one organisation.

    "DA" linked to "Democratic Alliance" in one article and to "District Attorney" in another
    names two organisations: merging through it would join them, and chain every other
    expansion of "DA" on. Two names are compatible when one contains the other word for word
    ("United Nations", "United Nations Organization").
    """
    expansions: dict[str, set[str]] = defaultdict(set)
    for org in orgs:
        name = name_key(org.name)
        for key in {name_key(alias) for alias in org.aliases} - {name, ""}:
            expansions[key].add(name)
    return {key for key, names in expansions.items()
            if any(not _compatible_names(a, b) for a in names for b in names if a < b)}


def _compatible_names(a: str, b: str) -> bool:
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _without_legal_suffix(name: str) -> str:
    words = _words(name)
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words = words[:-1]
    return " ".join(words)


def _legal_suffixes(orgs: list[EntityInfo], clusters: _Clusters) -> None:
    first_of: dict[str, EntityInfo] = {}
    for org in orgs:
        key = _without_legal_suffix(org.name)
        other = first_of.setdefault(key, org)
        if other is not org and name_key(other.name) != name_key(org.name):
            clusters.union(org.entity_id, other.entity_id,
                           f"same name without legal suffix: {org.name!r} = {other.name!r}")


def _transliterations(people: list[EntityInfo], clusters: _Clusters) -> None:
    blocks: dict[str, list[EntityInfo]] = defaultdict(list)
    for person in people:
        if _is_full_name(person):
            blocks[_transliteration_block(person.name)].append(person)
    for block_key in sorted(blocks):
        block = blocks[block_key]
        candidates = _similar_pairs(block)
        for i, a in enumerate(block):
            for j in candidates[i]:
                b = block[j]
                if clusters.find(a.entity_id) == clusters.find(b.entity_id):
                    continue
                score = _name_similarity(a.name, b.name)
                if score is not None:
                    clusters.union(a.entity_id, b.entity_id,
                                   f"transliteration {a.name!r} ~ {b.name!r} ({score:.0f})")


def _similar_pairs(block: list[EntityInfo]) -> list[list[int]]:
    """For each name, the later ones in the block whose first names and surnames may match.

    A prefilter computed in C (`rapidfuzz.process.cdist`, float32, hence the small margin):
    pairs it drops are pairs `_name_similarity` would reject, so the rule's outcome is unchanged
    while a block of thousands of names is no longer compared pair by pair in Python.
    """
    words = [_words(e.name) for e in block]
    firsts = [transliteration_key(w[0]) for w in words]
    lasts = [transliteration_key(w[-1]) for w in words]
    first = process.cdist(firsts, firsts, scorer=fuzz.ratio,
                          score_cutoff=FIRST_NAME_MIN_RATIO - 0.5) >= FIRST_NAME_MIN_RATIO - 0.5
    last = process.cdist(lasts, lasts, scorer=fuzz.ratio,
                         score_cutoff=SURNAME_MIN_RATIO - 0.5) >= SURNAME_MIN_RATIO - 0.5
    both = first & last
    return [[int(j) for j in both[i, i + 1:].nonzero()[0] + i + 1
             if len(words[j]) == len(words[i])] for i in range(len(block))]


def _transliteration_block(full_name: str) -> str:
    """Full names are compared for transliteration only within a block (surname's start)."""
    return transliteration_key(_words(full_name)[-1])[:2]


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
    return min(members, key=lambda m: (-_is_full_name(m), -articles[name_key(m.name)],
                                       -mentions[name_key(m.name)], -len(m.name), m.name,
                                       m.entity_id))


def actor_id_for(kind: str, name: str) -> str:
    """A stable id from the canonical name ("person:<16 hex>")."""
    return f"{kind}:{hashlib.md5(name_key(name).encode()).hexdigest()[:16]}"


def identity_keys(entity: EntityInfo) -> set[str]:
    """Keys shared by any two entities some rule could compare (see "Locality" above).

    ``name:`` also keeps namesakes whose actor ids would collide together; ``block:`` and
    ``article:`` pairs are compared only when `could_link` holds. A ``block:`` key also holds
    the lengths of the first name's and surname's transliteration keys: names whose lengths
    differ too much for the ratios to pass are never compared, so they need not be looked up
    (`lookup_keys`).
    """
    keys = {f"name:{entity.kind}:{name_key(entity.name)}"}
    if entity.kind == "organization":
        keys |= {f"alias:{key}" for key in map(name_key, entity.aliases) if key}
        keys.add(f"legal:{_without_legal_suffix(entity.name)}")
    else:
        keys.add(f"article:{entity.article_id}")
        if _is_full_name(entity):
            words = _words(entity.name)
            keys.add(f"block:{len(words)}:{_transliteration_block(entity.name)}"
                     f":{len(transliteration_key(words[0]))}"
                     f":{len(transliteration_key(words[-1]))}")
    return keys


def lookup_keys(key: str) -> list[str]:
    """The keys whose holders an entity holding `key` may be compared with (`key` itself,
    or for a transliteration block every first-name and surname length the ratios allow)."""
    if not key.startswith("block:"):
        return [key]
    _, words, block, first, last = key.split(":")
    return [f"block:{words}:{block}:{f}:{s}"
            for f in _compatible_lengths(int(first), FIRST_NAME_MIN_RATIO)
            for s in _compatible_lengths(int(last), SURNAME_MIN_RATIO)]


@lru_cache(maxsize=256)
def _compatible_lengths(length: int, min_ratio: float) -> tuple[int, ...]:
    """Lengths a string may have for `fuzz.ratio` with one of `length` to reach `min_ratio`.

    The ratio is 100 * (1 - indel distance / total length) and the distance is at least the
    difference in length; half a point of margin keeps rounding on the safe side.
    """
    allowed = 1 - (min_ratio - 0.5) / 100
    return tuple(other for other in range(0, 3 * length + 3)
                 if abs(length - other) <= allowed * (length + other))


def could_link(key: str, a: EntityInfo, b: EntityInfo) -> bool:
    """Whether a rule could compare `a` and `b`, two different entities sharing `key`."""
    if not key.startswith(("block:", "article:")):
        return True
    full_a, full_b = _is_full_name(a), _is_full_name(b)
    if key.startswith("block:"):
        return full_a and full_b and _name_similarity(a.name, b.name) is not None
    if full_a == full_b:
        return False  # same-article links join a one-word name to a full name
    bare, full = (b, a) if full_a else (a, b)
    return _spells(bare.name, full.name, -1) or _spells(bare.name, full.name, 0)


def linkable(key: str, entity: EntityInfo, others: dict[str, EntityInfo]) -> list[str]:
    """The names in `others` (name -> an entity of that name) `could_link` to `entity`.

    For a transliteration block, candidates are first narrowed in C, as in `_similar_pairs`.
    """
    names = list(others)
    if key.startswith("block:") and _is_full_name(entity) and len(names) > 8:
        words = _words(entity.name)
        other_words = [_words(name) for name in names]
        first = process.cdist([transliteration_key(words[0])],
                              [transliteration_key(w[0]) if w else "" for w in other_words],
                              scorer=fuzz.ratio, score_cutoff=FIRST_NAME_MIN_RATIO - 0.5)[0]
        last = process.cdist([transliteration_key(words[-1])],
                             [transliteration_key(w[-1]) if w else "" for w in other_words],
                             scorer=fuzz.ratio, score_cutoff=SURNAME_MIN_RATIO - 0.5)[0]
        names = [names[i] for i in ((first >= FIRST_NAME_MIN_RATIO - 0.5)
                                    & (last >= SURNAME_MIN_RATIO - 0.5)).nonzero()[0]]
    return [name for name in names if could_link(key, entity, others[name])]


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
    representatives = {root: _representative(members) for root, members in groups.items()}
    taken: Counter[str] = Counter(actor_id_for(rep.kind, rep.name)
                                  for rep in representatives.values())
    for root, members in groups.items():
        rep = representatives[root]
        countries = Counter(m.country_iso3 for m in members if m.country_iso3)
        country = min(countries.items(), key=lambda kv: (-kv[1], kv[0]))[0] if countries else None
        actor_id = actor_id_for(rep.kind, rep.name)
        if taken[actor_id] > 1:  # namesakes kept apart (different countries): tell them apart
            actor_id = actor_id_for(rep.kind, f"{rep.name}|{min(m.entity_id for m in members)}")
        actors.append(Actor(actor_id, rep.kind, rep.name, [m.entity_id for m in members],
                            _explain(rep.entity_id, [m.entity_id for m in members], clusters),
                            country))
    return sorted(actors, key=lambda a: a.actor_id)
