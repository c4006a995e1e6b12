"""Start a new sentence after every line break and after a dateline, before the parser runs.

News text puts headlines, datelines and paragraphs on their own lines without final
punctuation, and opens stories with "BOGOTÁ, Colombia —". The small model's parser otherwise
glues a headline to the first sentence or makes the dateline city the subject of the first
verb, which then gives events the wrong actor, clause, place and date.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["dateline_end", "mark_line_breaks"]

DATELINE_DASHES = {"—", "--", "–", "-"}
DATELINE_MAX_TOKENS = 12


@Language.component("newsdesk_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """Set is_sent_start on the first token after any whitespace that holds a newline."""
    after_break = False
    for token in doc:
        if token.is_space and "\n" in token.text:
            after_break = True
            continue
        if after_break and token.i > 0:
            token.is_sent_start = True
        after_break = "\n" in token.whitespace_
    end = dateline_end(doc)
    if end:
        doc[end].is_sent_start = True
    return doc


def dateline_end(doc: Doc) -> int:
    """Return the index of the first token after a leading "CITY, Country —" dateline, or 0."""
    first = next((t for t in doc[:3] if not t.is_space), None)
    if first is None or not first.text.isupper() or not first.is_alpha:
        return 0
    for token in doc[first.i + 1:first.i + DATELINE_MAX_TOKENS]:
        if token.text in DATELINE_DASHES and token.i + 1 < len(doc):
            return token.i + 1
        if token.is_space and "\n" in token.text:
            return 0
    return 0
