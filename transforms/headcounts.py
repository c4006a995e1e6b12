"""Headcounts: counts of people tied to the noun they count (placeholder)."""

from __future__ import annotations

from spacy.tokens import Doc


def extract_headcounts(doc: Doc) -> list[dict]:
    """Return one dict per headcount (placeholder: none yet)."""
    return []
