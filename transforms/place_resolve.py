"""Resolve place mentions to gazetteer entries using priors and the article's own context."""

from __future__ import annotations

import bisect
from collections import Counter

from spacy.tokens import Doc, Span

from transforms.gazetteer import Gazetteer, Place
from transforms.place_context import after_parent, list_neighbours, possessive_parent, type_cue
from transforms.place_names import normalize, strip_type_words
from transforms.place_recognize import PLACE_LABELS

__all__ = ["candidates", "place_record", "resolve_places"]

#: Score added when the text itself says what kind of place it is ("Kunduz province").
TYPE_BONUS = 8.0
#: Score added when a named parent contains the candidate ("Minsk, Belarus").
PARENT_BONUS = 20.0
#: Score added when another name in the article is in the candidate's country; cities get less
#: (a US article may still say "Paris") unless the article also names their admin1.
COUNTRY_BONUS = {"city": 2.0}
DEFAULT_COUNTRY_BONUS = 4.0
ADMIN1_BONUS = 4.0
#: Kinds a list of names can share, tried in this order ("Mali, Niger and Chad" are countries).
LIST_KINDS = ("country", "admin1")


def candidates(ent: Span, gaz: Gazetteer) -> list[Place]:
    """Return every gazetteer entry the mention may name (with type words or demonym forms)."""
    text = ent.text
    places = gaz.lookup(text)
    if not places:
        places = gaz.lookup(strip_type_words(normalize(text)))
    if not places:
        area = gaz.demonym(text)
        places = [area] if area is not None else []
    return _unique(places)


def _unique(places: list[Place]) -> list[Place]:
    seen, unique = set(), []
    for place in places:
        if place.place_id not in seen:
            seen.add(place.place_id)
            unique.append(place)
    return unique


def _contains(parent: Place, child: Place) -> bool:
    if parent.place_id == child.place_id:
        return False
    if parent.feature == "country":
        return child.country_iso3 == parent.country_iso3
    return child.feature == "city" and child.admin1 == parent.admin1


def _score(place: Place, cue: str | None, parents: list[Place], context: Counter) -> float:
    """Score a candidate: prior, type word, named parent, then the article's other places."""
    score = place.prior
    if cue is not None:
        score += TYPE_BONUS if place.feature == cue else 0.0
        score -= TYPE_BONUS if place.feature == "country" and cue != "country" else 0.0
    if any(_contains(parent, place) for parent in parents):
        score += PARENT_BONUS
    if context.get(place.country_iso3, 0) > 0:
        score += COUNTRY_BONUS.get(place.feature, DEFAULT_COUNTRY_BONUS)
    if place.feature == "city" and context.get(place.admin1, 0) > 0:
        score += ADMIN1_BONUS
    return score + place.population * 1e-12


def _best(places: list[Place], cue: str | None, parents: list[Place], context: Counter) -> Place:
    return max(places, key=lambda place: _score(place, cue, parents, context))


def _list_cue(places: list[Place], neighbours: list[list[Place]]) -> str | None:
    """Return the kind all listed neighbours can be ("Egypt and Niger": country).

    Neighbours are judged by all their candidates, not their first choice: "Oklahoma" alone
    may first read as Oklahoma City, yet a list of states is still a list of states.
    """
    if not neighbours:
        return None
    for kind in LIST_KINDS:
        if (any(p.feature == kind for p in places)
                and all(any(n.feature == kind for n in options) for options in neighbours)):
            return kind
    return None


def _restated(doc: Doc, mentions: list[Span], first: list[Place | None], i: int,
              places: list[Place]) -> Place | None:
    """Return the candidate the next name restates after a comma ("Washington, D.C."), if any."""
    if i + 1 >= len(mentions) or first[i + 1] is None:
        return None
    between = doc[mentions[i].end:mentions[i + 1].start]
    if len(between) != 1 or between[0].text != ",":
        return None
    return next((p for p in places if p.place_id == first[i + 1].place_id), None)


def _is_parent_of(after: tuple[int, int, list[Place]] | None, ent: Span) -> bool:
    return after is not None and after[0] == ent.start and after[1] == ent.end


def _holders(places: list[Place], children: list[Place]) -> list[Place]:
    """Keep the candidates holding one of the previous name's ("Mississauga, Ontario")."""
    holding = [place for place in places if any(_contains(place, child) for child in children)]
    return holding or places


def _in_parent(parent: Place, place: Place) -> bool:
    if parent.feature == "country":
        return place.country_iso3 == parent.country_iso3
    return place.admin1 == parent.admin1


def _fallback(ent: Span, chosen: Place | None, parents: list[Place], context: Counter,
              gaz: Gazetteer, listed: bool = False, anchors: Counter | None = None
              ) -> Place | None:
    """Return a better entry when the chosen one contradicts the article's own geography.

    Only towns give way (and mentions with no entry at all). A named parent that holds no
    candidate resolves the name to a small town inside it ("Blakely, Georgia"), else to a
    second-level unit inside it ("Suffolk, England"); when there is neither, an unknown name or
    a town from a country the article never names takes the parent subdivision itself
    ("Stroud, Ontario": its precision says how coarse), unless the mention is an item of a list
    (`listed`: "Anhui, Guangxi, Hainan"). Without a parent, a town in a country the article
    never names (`anchors`: its country and subdivision names, when it has any) gives way to a
    small town in a subdivision the article names, else to a second-level unit of a country it
    names ("a farm in Suffolk" in a British story).
    """
    if chosen is not None and chosen.feature != "city":
        return None
    # When the article names countries or subdivisions, they say what is foreign: two towns
    # of one foreign country ("Suffolk" and "Norfolk", Virginia) must not vouch for each other.
    judge = anchors if anchors else context
    foreign = chosen is None or judge.get(chosen.country_iso3, 0) == 0
    if parents:
        if chosen is not None and any(_contains(parent, chosen) for parent in parents):
            return None
        towns = [town for town in gaz.lookup_town(ent.text)
                 if any(_contains(parent, town) for parent in parents)]
        if towns:
            return max(towns, key=lambda town: town.population)
        inside = [unit for unit in gaz.lookup_admin2(ent.text)
                  if any(_in_parent(parent, unit) for parent in parents)]
        if inside:
            return inside[0]
        named = [parent for parent in parents if parent.feature == "admin1"
                 and context.get(parent.country_iso3, 0) > 0]
        if not (foreign and named and not listed):
            return None  # a country is too coarse a stand-in for a town; "X, Y, Z" is a list
        return max(named, key=lambda parent: context[parent.country_iso3])
    if not context or not foreign:
        return None
    towns = [town for town in gaz.lookup_town(ent.text) if context.get(town.admin1, 0) > 0]
    if towns:
        return max(towns, key=lambda town: (context[town.admin1], town.population))
    units = [unit for unit in gaz.lookup_admin2(ent.text) if context.get(unit.country_iso3, 0) > 0]
    if not units:
        return None
    return max(units, key=lambda unit: (context[unit.country_iso3], context.get(unit.admin1, 0)))


def place_record(ent: Span, place: Place | None, sentence: int) -> dict:
    """Build the public place dict for one mention (nulls and "unresolved" when unknown)."""
    record = {"start": ent.start_char, "end": ent.end_char, "text": ent.text, "name": None,
              "country_iso3": None, "admin1": None, "lat": None, "lon": None,
              "geonames_id": None, "feature": "other", "precision": "unresolved",
              "sentence": sentence}
    if place is not None:
        has_point = place.lat is not None and place.lon is not None
        record.update(name=place.name, country_iso3=place.country_iso3, admin1=place.admin1,
                      lat=float(place.lat) if has_point else None,
                      lon=float(place.lon) if has_point else None, geonames_id=place.geonames_id,
                      feature=place.feature, precision=place.feature)
    return record


def resolve_places(doc: Doc, gaz: Gazetteer) -> list[dict]:
    """Return one place dict per GPE/LOC/FAC entity, choosing among namesakes in two passes."""
    mentions = [ent for ent in doc.ents if ent.label_ in PLACE_LABELS]
    options = [candidates(ent, gaz) for ent in mentions]
    cues = [type_cue(doc, ent.start, ent.end) for ent in mentions]
    neighbours = list_neighbours(doc, [(ent.start, ent.end) for ent in mentions])
    parents, afters = [], []
    for i, ent in enumerate(mentions):
        # An item inside a list is followed by the next item, not by its parent:
        # "Guinea-Bissau, Niger, Nigeria and Togo" (but "Minsk, Belarus").
        after = None if any(j < i for j in neighbours[i]) else after_parent(doc, ent.end, gaz)
        afters.append(after)
        parents.append((after[2] if after else []) + possessive_parent(doc, ent.start, gaz))
    empty: Counter = Counter()
    first = [_best(places, cue, parent, empty) if places else None
             for places, cue, parent in zip(options, cues, parents, strict=True)]
    # Context is what *other* names say: repeating "Mexico" must not pull "Mexico" to a city.
    by_text: dict[str, set[str]] = {}
    named_areas: dict[str, set[str]] = {}  # the same, from country and admin1 names only
    for ent, place in zip(mentions, first, strict=True):
        if place is not None and place.country_iso3 and place.feature in ("country", "admin1"):
            named_areas.setdefault(normalize(ent.text), set()).add(place.country_iso3)
        if place is not None and place.country_iso3:
            found = by_text.setdefault(normalize(ent.text), set())
            found.add(place.country_iso3)
            if place.feature == "admin1" and place.admin1:
                found.add(place.admin1)
    starts = [sent.start_char for sent in doc.sents] if doc.has_annotation("SENT_START") else [0]
    records = []
    for i, (ent, places, cue, parent) in enumerate(zip(mentions, options, cues, parents,
                                                      strict=True)):
        own = normalize(ent.text)
        context = Counter(code for text, found in by_text.items() if text != own
                          for code in found)
        anchors = Counter(code for text, found in named_areas.items() if text != own
                          for code in found)
        if i and _is_parent_of(afters[i - 1], ent):
            places = _holders(places, options[i - 1])
        chosen = first[i] if first[i] is None or first[i] in places else places[0]
        restated = _restated(doc, mentions, first, i, places)
        if restated is not None:
            chosen = restated
        elif len(places) > 1:
            cue = cue or _list_cue(places, [options[j] for j in neighbours[i]])
            chosen = _best(places, cue, parent, context)
        listed = any(j < i for j in neighbours[i])
        chosen = _fallback(ent, chosen, parent, context, gaz, listed, anchors) or chosen
        sentence = max(bisect.bisect_right(starts, ent.start_char) - 1, 0)
        records.append(place_record(ent, chosen, sentence))
    return records
