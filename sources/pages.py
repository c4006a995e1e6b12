"""Article pages (fetched or saved HTML) to article records with trafilatura.

trafilatura finds the main text (no menus, footers or comments) and the title, date and
canonical URL from the page's metadata. It is given the HTML we fetched; its own downloader
(`fetch_url`) is never used, and extraction itself makes no requests. It is imported on first
use: a run without pages does not pay for it.
"""

from __future__ import annotations

from transforms.input_checks import html_to_text

__all__ = ["PageExtractionError", "page_record"]


class PageExtractionError(ValueError):
    """The page has no main text trafilatura could find."""


def page_record(html: bytes | str, url: str | None) -> dict:
    """Return {title, text, published, url} for one page; raise PageExtractionError if empty."""
    import trafilatura

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                           include_comments=False, include_tables=False)
    text = (document.text or "").strip() if document is not None else ""
    if not text:
        raise PageExtractionError("no main text found in the page (trafilatura)")
    title = document.title
    if title and text.startswith(title):  # the page's <h1> repeats the title
        text = text[len(title):].lstrip()
    if "<" in text and ">" in text:
        text = html_to_text(text)
    return {"title": title, "text": text, "published": document.date,
            "url": document.url or url}
