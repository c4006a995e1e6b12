"""The text of a parsed article, joined once per doc.

spaCy's `Doc.text` re-joins every token on each access; the extractors slice the text hundreds
of times per article, which cost about a fifth of post-parse extraction time before this cache.
A finished doc is never re-tokenized, so the cached string cannot go stale.
"""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["doc_text"]

TEXT_KEY = "newsdesk.text"


def doc_text(doc: Doc) -> str:
    """Return `doc.text`, computed on first use and kept in `doc.user_data`."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text
