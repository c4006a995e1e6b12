"""Repair spaCy's people and organisation entities (placeholder: first version passes through)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("newsdesk_entities")
def make_entity_repair(nlp: Language, name: str) -> "EntityRepair":
    """Create the entity repair component."""
    return EntityRepair()


class EntityRepair:
    """Repair doc.ents in place."""

    def __call__(self, doc: Doc) -> Doc:
        return doc
