"""Dates: find date expressions and resolve them against the publication date (placeholder)."""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc


def extract_dates(doc: Doc, published: dt.date | None) -> list[dict]:
    """Return one dict per date expression (placeholder: none yet)."""
    return []
