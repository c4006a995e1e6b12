"""Event actors: the entity, group or named phrase a token stands for, with its id and country.

Actors are phrases, never codes: each carries its text, the entity id of the entity that names it
(so the warehouse can count events per actor), the country it points to (a resolved place, or a
demonym as in "the Ugandan army") and a sector. Coordinated actors ("Kenya and Uganda",
"ambassadors of A, B and C") give one actor each, so an event can be coded once per actor pair,
as PETRARCH and GDELT do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from transforms.actors import known_org
from transforms.event_sectors import actor_sector
from transforms.gazetteer import demonym_country
from transforms.pattern_files import pattern_rows

__all__ = ["Actor", "ActorFinder", "children_with", "pobj_of"]

NON_ACTOR_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
CALENDAR_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                  "january", "february", "march", "april", "may", "june", "july", "august",
                  "september", "october", "november", "december", "today", "yesterday",
                  "tomorrow", "tonight", "week", "month", "year", "weekend"}
QUANTITY_HEADS = {"dozens", "hundreds", "thousands", "millions", "scores", "tens", "dozen",
                  "hundred", "thousand", "several", "many", "some", "most", "all", "group",
                  "groups", "number", "crowd", "crowds", "handful"}
ACTOR_NOUNS = {"country", "countries", "government", "governments", "state", "states",
               "minister", "ministers", "official", "officials", "force", "forces", "troops",
               "army", "police", "rebels", "militants", "protesters", "group", "groups",
               "leader", "leaders", "president", "soldiers", "fighters", "people", "residents",
               "villagers", "civilians", "students", "workers", "authorities", "alliance",
               "members", "demonstrators", "insurgents", "gunmen", "party", "opposition",
               "ambassador", "ambassadors", "diplomat", "diplomats", "lawmakers", "legislators",
               "activists", "envoy", "envoys", "delegation", "delegations", "spokesman",
               "militia", "military", "navy", "parliament", "court", "ministry", "agency",
               # people an event befalls or who act as a group: "the arrest of journalists"
               "journalist", "journalists", "reporter", "reporters", "prisoner", "prisoners",
               "detainee", "detainees", "hostage", "hostages", "refugee", "refugees",
               "migrant", "migrants", "fishermen", "farmers", "peacekeepers", "pilgrims",
               "cleric", "clerics", "priest", "priests", "judge", "judges", "senator",
               "senators", "mayor", "governor", "commander", "commanders", "negotiators",
               "pirates", "attackers", "assailants", "kidnappers", "bandits", "terrorists",
               "extremists", "jihadists", "separatists", "guerrillas", "rioters", "mob"}
#: Things and disasters that kill or are bought, never actors: "the jetliner crashed, killing
#: 228", "agreed to purchase 60 Boeing aircraft".
NON_ACTOR_HEADS = {"flight", "plane", "planes", "jet", "jets", "jetliner", "jetliners",
                   "aircraft", "airliner", "airliners", "helicopter", "crash", "crashes",
                   "accident", "accidents", "collision", "earthquake", "quake", "storm",
                   "hurricane", "typhoon", "cyclone", "flood", "floods", "flooding", "fire",
                   "wildfire", "landslide", "tsunami", "avalanche", "heatwave", "outbreak",
                   "car", "cars", "truck", "bus", "train", "vehicle", "vehicles", "product",
                   "products", "device", "devices", "phone", "software", "model", "models"}
#: Heads of water-body names: "a blockade of the Gulf of Aden", "fired into the Sea of Japan"
#: name where, never who; a coast, strip or islands may name a country ("Ivory Coast").
WATER_HEADS = {"bay", "gulf", "sea", "ocean", "strait", "straits", "river", "lake", "channel"}
#: Actor nouns that, modifying another noun, say what kind it is: "a state visit".
KIND_MODIFIERS = {"state"}
#: "soldiers from X", "lawmakers in X", "the government of X": the group belongs to X.
BELONGING_PREPS = {"of", "from", "in"}
LEADING_WORDS = ("the", "a", "an", "its", "their")


@lru_cache(maxsize=1)
def event_nouns() -> frozenset[str]:
    """Nouns the trigger lexicon reads as events: "the Kabul attack" is a deed, not a doer."""
    return frozenset(row["lemma"] for row in pattern_rows("event_triggers.jsonl")
                     if row["pos"] == "NOUN")


@dataclass(frozen=True)
class Actor:
    """One actor of an event: the phrase, the entity naming it, its country and its sector."""

    text: str
    entity_id: str | None = None
    country_iso3: str | None = None
    sector: str | None = None


def children_with(token: Token, deps: set[str]) -> list[Token]:
    """Return the token's children attached with one of `deps`."""
    return [child for child in token.children if child.dep_ in deps]


def pobj_of(prep: Token) -> Token | None:
    """Return a preposition's object, if the parse gives it one."""
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _conjuncts(token: Token, pos: tuple[str, ...] = ("NOUN", "PROPN")) -> list[Token]:
    """The token and the nouns coordinated with it ("A, B and C"), in text order."""
    found, stack = [token], [token]
    while stack:
        for child in stack.pop().children:
            if child.dep_ == "conj" and child.pos_ in pos and child not in found:
                found.append(child)
                stack.append(child)
    return sorted(found, key=lambda t: t.i)


class ActorFinder:
    """Map tokens to the actors an analyst would name: entities, groups, named phrases."""

    def __init__(self, doc: Doc, entities: list[dict], places: list[dict] | None = None) -> None:
        self.doc = doc
        self.entity_at: dict[int, dict] = {}
        for ent in entities:
            for char in range(ent["start"], ent["end"]):
                self.entity_at[char] = ent
        self._cache: dict[int, list[Actor]] = {}
        self.country_at: dict[int, str] = {}
        self.city_at = {char for place in places or [] if place.get("feature") == "city"
                        for char in range(place["start"], place["end"])}
        #: Characters of places below country level: "the Geneva agreement", "the Kabul
        #: attack" name where, not who.
        self.locality_at = {char for place in places or [] if place.get("feature") != "country"
                            for char in range(place["start"], place["end"])}
        for place in places or []:
            if place.get("country_iso3"):
                for char in range(place["start"], place["end"]):
                    self.country_at[char] = place["country_iso3"]

    def entity_of(self, token: Token) -> dict | None:
        return self.entity_at.get(token.idx)

    def actors(self, token: Token | None) -> list[Actor]:
        """Return the actors a token and its coordinated nouns stand for (possibly none)."""
        if token is None:
            return []
        if token.i not in self._cache:
            self._cache[token.i] = self._find(token)
        return list(self._cache[token.i])

    def _find(self, token: Token) -> list[Actor]:
        merged = self._merged_entity_parts(token)
        if merged:
            return merged
        found = []
        conjuncts = _conjuncts(token)
        if len(conjuncts) > 1:
            conjuncts = sorted(conjuncts + self._listed_appositions(conjuncts), key=lambda t: t.i)
        # "Kenya's farmers and fishermen of Uganda": the parser hangs the last noun's "of"
        # phrase on the first; the last one borrows it back.
        borrowed = [prep for conjunct in conjuncts[:-1] for prep in children_with(
            conjunct, {"prep"}) if prep.i > conjuncts[-1].i]
        for conjunct in conjuncts:
            expanded = self._expand(conjunct, listed=len(conjuncts) > 1,
                                    borrowed=borrowed if conjunct is conjuncts[-1] else [])
            if not expanded and len(conjuncts) > 1 and self._is_name_like(conjunct):
                # "Benin and Togo": a capitalised word coordinated with names is a name,
                # even when the tagger took it for a common noun.
                expanded = [self._make(conjunct.text, conjunct)]
            for actor in expanded:
                if actor not in found:
                    found.append(actor)
        return found

    def _listed_appositions(self, conjuncts: list[Token]) -> list[Token]:
        """Names the parser hung as appositions inside a list: "A, the awful B, and C".

        In a coordination a comma-separated name is one more member, not a description of
        the one before it ("Putin, Russia's president, and Xi" keeps the title out: it is
        no name).
        """
        return [child for conjunct in conjuncts for child in conjunct.children
                if child.dep_ == "appos" and child not in conjuncts
                and (self.entity_of(child) is not None or child.pos_ == "PROPN")]

    def _merged_entity_parts(self, token: Token) -> list[Actor]:
        """Split an entity the recogniser merged over a coordination ("Benin and Togo")."""
        ent = self.entity_of(token)
        span = (self.doc.char_span(ent["start"], ent["end"], alignment_mode="expand")
                if ent is not None else None)
        if span is None or not any(t.dep_ == "cc" for t in span):
            return []
        parts, current = [], []
        for word in span:
            if word.dep_ == "cc" or word.text == ",":
                parts.append(current)
                current = []
            else:
                current.append(word)
        parts.append(current)
        return [Actor(self.doc[part[0].i:part[-1].i + 1].text, None,
                      self.country_at.get(part[0].idx) or demonym_country(part[0].text))
                for part in parts if part]

    def _is_name_like(self, token: Token) -> bool:
        if not token.text[:1].isupper() or token.pos_ != "NOUN" or list(token.lefts):
            return False
        return any(t.pos_ == "PROPN" or self.entity_of(t)
                   for t in _conjuncts(token) if t.i != token.i)

    def _is_owner(self, token: Token) -> bool:
        """Whether a token can own a group: an entity, a known place, or a proper name."""
        return (self.entity_of(token) is not None or token.idx in self.country_at
                or token.pos_ == "PROPN" and token.text[:1].isupper())

    def actor(self, token: Token | None) -> Actor | None:
        """Return the first actor a token stands for, or None."""
        found = self.actors(token)
        return found[0] if found else None

    def _expand(self, token: Token, listed: bool = False, borrowed: list[Token] | None = None
                ) -> list[Actor]:
        """One actor per owner for "ambassadors of A, B and C"; else the token's own actor.

        A noun `listed` with other actors is a group when it belongs to someone ("Kenya and
        the farmers of Uganda"), even when it is no usual actor noun. `borrowed` are the
        prepositions the parser hung on an earlier member of the list but that follow this one.
        """
        counted = token.like_num or token.lower_ in QUANTITY_HEADS  # "thousands of Serbs"
        if token.ent_type_ in NON_ACTOR_ENTS and not counted or token.lower_ in CALENDAR_WORDS:
            return []  # "met on Friday": a day is never the one met
        if self.entity_of(token) is None and (token.lower_ in ACTOR_NOUNS or listed
                                               or token.lemma_.lower() in ACTOR_NOUNS):
            for prep in children_with(token, {"prep"}) + (borrowed or []):
                owner = pobj_of(prep)
                if listed and prep.i != token.i + 1 and token.lower_ not in ACTOR_NOUNS \
                        and token.lemma_.lower() not in ACTOR_NOUNS:
                    continue  # "sheep and goats of X": the phrase belongs to the last noun
                if prep.lower_ in BELONGING_PREPS and owner is not None and not (
                        prep.lower_ == "in" and owner.idx in self.city_at):
                    # "lawmakers in Kenya" belong to Kenya; "soldiers in Bamako" are located
                    owners = [t for t in _conjuncts(owner) if self._is_owner(t)]
                    if len(owners) == 1:  # "soldiers from Mali": keep the phrase as written
                        return [self._make(self.doc[self._left(token):self._end(owner) + 1].text,
                                           owner)]
                    if owners:
                        head = self._phrase(token)
                        return [self._make(f"{head} {prep.text} {self._entity_text(o)}", o)
                                for o in owners]
        modifiers = [c for c in token.children if c.dep_ in ("compound", "amod", "nmod")
                     and any(t.dep_ == "conj" for t in c.children)]
        if modifiers and self.entity_of(token) is None:
            # "Kenyan and Ugandan leaders": one group per coordinated owner
            # "Ghanaian and Nigerian leaders": the tagger may call demonyms adjectives
            owners = [t for t in _conjuncts(modifiers[0], ("NOUN", "PROPN", "ADJ"))
                      if self._is_owner(t) or self._country(t)]
            if len(owners) > 1:
                return [self._make(f"{o.text} {token.text}", o) for o in owners]
        one = self._one(token)
        return [one] if one is not None else []

    def _one(self, token: Token) -> Actor | None:
        """Name the actor a token stands for: its entity, an entity it governs, or its phrase."""
        if token.pos_ == "PRON" and token.lower_ not in ("we", "they"):
            return None
        if token.dep_ == "compound" and token.lower_ in KIND_MODIFIERS:
            return None  # "a state visit" is no visit by a state
        if self._names_water(token):
            return None  # "a blockade of the Bay of X": a sea is where, not whom
        if (token.lower_ in NON_ACTOR_HEADS or token.lemma_.lower() in NON_ACTOR_HEADS) and (
                self.entity_of(token) is None):
            return None  # "the jetliner crashed, killing 228": no one did it
        if token.like_num or token.lower_ in QUANTITY_HEADS:
            # "dozens of protesters", "hundreds of civilians": the group is the actor
            for prep in token.children:
                pobj = pobj_of(prep)
                if prep.dep_ == "prep" and prep.lower_ == "of" and pobj is not None:
                    return self._one(pobj)
        if token.ent_type_ in NON_ACTOR_ENTS or token.lower_ in CALENDAR_WORDS:
            return None
        if self.entity_of(token) is None and token.lemma_.lower() in event_nouns():
            return None  # "the Kabul attack killed ten": the attack is what happened
        spelled = self._spelled_out(token)
        if spelled is not None:
            return self._make(self.entity_of(spelled)["text"], spelled)
        if self.entity_of(token) is not None:
            return self._make(self.entity_of(token)["text"], token)
        for child in token.children:
            if child.dep_ == "appos" and self.entity_of(child) is not None:
                return self._make(self.entity_of(child)["text"], child)  # "the leader X Y" → X Y
        for child in token.children:
            if child.dep_ in ("compound", "amod", "poss", "nmod"):
                ent = self.entity_of(child)
                if ent is not None and ent["label"] != "GROUP":
                    return self._make(self._phrase(token), child)
        if token.lower_ in ACTOR_NOUNS or token.lemma_.lower() in ACTOR_NOUNS:
            return self._make(self._phrase(token), token)
        for child in token.children:
            if child.dep_ in ("compound", "amod", "poss") and child.text[:1].isupper() and (
                    child.pos_ == "PROPN" and child.lower_ not in CALENDAR_WORDS
                    or demonym_country(child.text)):
                # "the Tribune newspaper", "Danish media"
                return self._make(self._phrase(token), child)
        if token.pos_ == "PROPN" and token.text[:1].isupper():
            return self._make(self._phrase(token), token)  # a name the NER missed is still someone
        return None

    def _names_water(self, token: Token) -> bool:
        """Whether the token is (part of) a water body's name: "the Black Sea", "Bay of X"."""
        ent = self.entity_of(token)
        if ent is None:
            return token.lower_ in WATER_HEADS and token.text[:1].isupper()
        return ent["label"] == "PLACE" and any(word.lower() in WATER_HEADS
                                               for word in ent["text"].split())

    def demonym_actors(self, token: Token) -> list[Actor]:
        """The country a demonym adjective names, as an actor ("an Israeli airstrike")."""
        country = demonym_country(token.text) if token.text[:1].isupper() else None
        return [Actor(token.text, None, country, None)] if country else []

    def _spelled_out(self, token: Token) -> Token | None:
        """The full name an acronym in brackets abbreviates: "the European Union (EU)".

        The parser often heads the phrase on the acronym; the spelled-out name is the one an
        analyst (and a name dictionary) knows, so it names the actor.
        """
        ent = self.entity_of(token)
        if ent is None or not token.text.isupper() or token.i < 2:
            return None
        before = self.doc[token.i - 1]
        named = self.doc[token.i - 2]
        if before.text != "(" or self.entity_of(named) is None:
            return None
        return named

    def _make(self, text: str, naming: Token) -> Actor:
        """Build an actor whose name comes from `naming` (or one of its modifiers)."""
        ent = self.entity_of(naming)
        if ent is None:
            ent = next((self.entity_of(c) for c in naming.children
                        if c.dep_ in ("compound", "amod", "poss", "nmod")
                        and self.entity_of(c) is not None), None)
        known = known_org(ent["text"]) if ent is not None and ent["label"] == "ORG" else None
        country = self._country(naming) or (known.country_iso3 if known else None)
        described = self.doc[self._left(naming):naming.i + 1].text  # "Defense Minister X"
        return Actor(text, ent["entity_id"] if ent else None, country,
                     known.sector if known and known.sector
                     else actor_sector(f"{described} {text}"))

    def _country(self, naming: Token) -> str | None:
        """The country of the naming token's place, else of a demonym among its modifiers."""
        tokens = [naming] + [t for t in naming.subtree if t.i < naming.i
                             and t.dep_ in ("compound", "amod", "poss", "nmod")]
        # "Vladimir Putin, the Russian president": the apposition says whose
        tokens += [t for appos in children_with(naming, {"appos"}) for t in appos.lefts
                   if t.dep_ in ("compound", "amod", "poss", "nmod")]
        for token in tokens:
            if token.idx in self.country_at:
                return self.country_at[token.idx]
        for token in tokens:
            country = demonym_country(token.text)
            if country:
                return country
        return None

    def _entity_text(self, token: Token) -> str:
        ent = self.entity_of(token)
        return ent["text"] if ent else token.text

    def _end(self, token: Token) -> int:
        """The last token of the entity containing `token`, else the token itself."""
        ent = self.entity_of(token)
        if ent is None:
            return token.i
        span = self.doc.char_span(ent["start"], ent["end"], alignment_mode="expand")
        return span.end - 1 if span is not None else token.i

    def _left(self, token: Token) -> int:
        left = [t for t in token.lefts if t.dep_ in ("compound", "amod", "poss", "nmod")]
        start = min([token.i] + [t.left_edge.i for t in left])
        while start < token.i and self.doc[start].lower_ in LEADING_WORDS:
            start += 1
        return start

    def _phrase(self, token: Token) -> str:
        """The token with its left modifiers, without a leading determiner."""
        return self.doc[self._left(token):token.i + 1].text
