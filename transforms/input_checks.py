"""Checks applied to articles read from files: HTML given as text, language, future dates.

These are admission rules for the warehouse (`newsdesk run`), kept apart from
`article_from_record`, which only parses: `newsdesk extract` takes a record's text as given, so
its offsets keep indexing the caller's own `text`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser

from spacy.lang.en.stop_words import STOP_WORDS

__all__ = ["english_share", "html_to_text", "language_problem", "looks_like_html",
           "future_date_problem"]

#: Tags that, when at least two are present (or any document-level one), mark the text as HTML.
_TAG = re.compile(
    r"</?(?:p|div|br|span|a|b|i|em|strong|h[1-6]|ul|ol|li|table|tr|td|th|article|section|"
    r"header|footer|nav|img|figure|figcaption|blockquote|script|style|meta|link)\b[^<>]*>",
    re.IGNORECASE)
_DOCUMENT_TAG = re.compile(r"<!doctype\s+html|<html\b|<body\b", re.IGNORECASE)
#: Tags after which the text continues on a new line.
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article",
               "section", "header", "footer", "blockquote", "figure", "figcaption", "table",
               "ul", "ol", "title"}
_SKIPPED_TAGS = {"script", "style", "head", "noscript", "template"}

#: Share of words that are English function words ("the", "of", "and", ...): the 449 English
#: texts of ../shared/eval and data/sample run at 29-60 %; French, German, Spanish and Dutch news
#: at 4-5 %, other scripts at 0 %.
MIN_ENGLISH_SHARE = 0.15
#: Texts with fewer words are not judged: a headline-length text is too short to tell.
MIN_WORDS_TO_JUDGE = 25
_SAMPLE_CHARS = 20_000
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def looks_like_html(text: str) -> bool:
    """Return True when the text is HTML markup rather than prose."""
    head = text[:_SAMPLE_CHARS]
    return bool(_DOCUMENT_TAG.search(head)) or len(_TAG.findall(head, 0)) >= 2


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(self._skipping - 1, 0)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the visible text of HTML: tags dropped, scripts and styles skipped, entities decoded.

    Uses the standard library's tolerant `html.parser` (no network, no entity expansion beyond
    the fixed HTML5 table), so a hostile page cannot make it fetch or blow up anything.
    """
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    text = html.unescape("".join(collector.parts))
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def english_share(text: str) -> tuple[float, int]:
    """Return (share of words that are English function words, number of words looked at)."""
    words = _WORD.findall(text[:_SAMPLE_CHARS].lower())
    if not words:
        return 0.0, 0
    return sum(1 for word in words if word in STOP_WORDS) / len(words), len(words)


def language_problem(text: str, declared: str | None = None) -> str | None:
    """Return why the text is not English (the extraction model is English-only), or None.

    A declared language wins: "en"/"en-GB" is trusted without looking, anything else is refused.
    """
    if declared:
        code = declared.strip().lower()
        if code == "en" or code.startswith(("en-", "en_", "english")):
            return None
        return (f"declared language {declared!r} is not English; the extraction model is "
                "English-only")
    share, words = english_share(text)
    if words < MIN_WORDS_TO_JUDGE or share >= MIN_ENGLISH_SHARE:
        return None
    return (f"text looks non-English: {share:.0%} of its first {words} words are English "
            f"function words (English news has 30-60%); the extraction model is English-only. "
            f'Set "language": "en" on the record to load it anyway')


def future_date_problem(published: dt.date | None, today: dt.date | None = None) -> str | None:
    """Return why a publication date after tomorrow cannot be right, or None."""
    latest = (today or dt.date.today()) + dt.timedelta(days=1)
    if published is None or published <= latest:
        return None
    return (f"publication date {published.isoformat()} is in the future (after "
            f"{latest.isoformat()}); fix the input's published field")
