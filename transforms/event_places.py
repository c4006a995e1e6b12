"""Where an event happened: its clause's place, else the dateline's, else the article's main place.

Analysts map events, so every event gets a place and a country when the article offers one,
with `place_rule` saying which evidence was used ("clause", "dateline", "article").
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from transforms.segmentation import dateline_end

__all__ = ["ArticlePlaces", "article_places", "event_place_fields"]

RESOLVED = ("country", "admin1", "city", "region", "continent")


class ArticlePlaces:
    """The dateline place and the most mentioned resolved place of one article."""

    def __init__(self, dateline: dict | None, main: dict | None) -> None:
        self.dateline = dateline
        self.main = main


def _is_resolved(place: dict) -> bool:
    return place.get("precision") in RESOLVED and place.get("lat") is not None


def article_places(doc: Doc, places: list[dict]) -> ArticlePlaces:
    """Find the dateline's most specific place and the article's most mentioned place."""
    end = dateline_end(doc)
    end_char = doc[end].idx if end else 0
    in_dateline = [p for p in places if p["end"] <= end_char and _is_resolved(p)]
    # "BOGOTÁ, Colombia —": the city comes first and is the more precise.
    dateline = in_dateline[0] if in_dateline else None
    resolved = [p for p in places if _is_resolved(p) and p.get("feature") != "continent"]
    counts = Counter(p["name"] for p in resolved)
    main = None
    if counts:
        top = max(counts.values())
        main = next(p for p in resolved if counts[p["name"]] == top)  # ties: first mentioned
    return ArticlePlaces(dateline, main)


def event_place_fields(clause_place: dict | None, context: ArticlePlaces) -> dict:
    """Return the event's place text and resolution, and the rule that chose it."""
    for place, rule in ((clause_place, "clause"), (context.dateline, "dateline"),
                        (context.main, "article")):
        if place is not None:
            return {"place": place["text"],
                    "place_name": place.get("name"), "country_iso3": place.get("country_iso3"),
                    "lat": place.get("lat"), "lon": place.get("lon"),
                    "geonames_id": place.get("geonames_id"), "place_rule": rule}
    return {"place": None, "place_name": None, "country_iso3": None, "lat": None, "lon": None,
            "geonames_id": None, "place_rule": None}
