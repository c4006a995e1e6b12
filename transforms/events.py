"""Events: trigger verbs with their subject and object (placeholder)."""

from __future__ import annotations

from spacy.tokens import Doc


def extract_events(doc: Doc, entities: list[dict], places: list[dict], dates: list[dict]) -> list[dict]:
    """Return one dict per event (placeholder: none yet)."""
    return []
