"""Places: relabel, recover and resolve place mentions (placeholder until the gazetteer lands)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("places"):
    Doc.set_extension("places", default=None)


@Language.factory("newsdesk_places")
def make_place_resolver(nlp: Language, name: str) -> "PlaceResolver":
    """Create the place resolver component."""
    return PlaceResolver()


class PlaceResolver:
    """Set doc._.places to one dict per place mention."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.places = [
            {"start": e.start_char, "end": e.end_char, "text": e.text, "name": e.text,
             "country_iso3": None, "admin1": None, "lat": None, "lon": None,
             "geonames_id": None, "feature": None, "precision": "unresolved",
             "sentence": None}
            for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")
        ]
        return doc
