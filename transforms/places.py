"""Places: relabel and recover place entities, then resolve each mention against the gazetteer."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from transforms.gazetteer import Gazetteer, load_gazetteer
from transforms.place_recognize import repair_places
from transforms.place_resolve import resolve_places

__all__ = ["PlaceResolver", "make_place_resolver"]

if not Doc.has_extension("places"):
    Doc.set_extension("places", default=None)


@Language.factory("newsdesk_places", default_config={"repair": True})
def make_place_resolver(nlp: Language, name: str, repair: bool) -> PlaceResolver:
    """Create the place component (the gazetteer is loaded once per process, on first use)."""
    return PlaceResolver(repair=repair)


class PlaceResolver:
    """Repair place entities in doc.ents and set doc._.places to one dict per place mention."""

    def __init__(self, repair: bool = True, gazetteer: Gazetteer | None = None) -> None:
        self.repair = repair
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        """Return the gazetteer, loading the shared one lazily so `spacy.load` stays fast."""
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def __call__(self, doc: Doc) -> Doc:
        if self.repair:
            repair_places(doc, self.gazetteer)
        doc._.places = resolve_places(doc, self.gazetteer)
        return doc
