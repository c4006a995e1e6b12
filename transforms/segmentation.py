"""Start a new sentence after every line break, before the parser runs.

News text puts headlines, datelines and paragraphs on their own lines without final
punctuation; the small model's parser otherwise glues a headline to the first sentence, which
then gives events the wrong clause, place and date.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["mark_line_breaks"]


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
    return doc
