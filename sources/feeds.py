"""Parse RSS/Atom bytes into article records, refusing XML that declares entities.

feedparser parses with a SAX parser that expands internal entities; the bundled expat (2.4+)
stops a billion-laughs document at its amplification limit, but only after seconds of work,
and feedparser then re-reads the document with its loose parser. So the bytes are screened
first with defusedxml, which refuses any entity declaration or external reference outright
(no feed needs one), and feedparser only ever sees bytes we fetched (never a URL or a path:
given a str or bytes it would fetch the URL or open the file it names).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
import re
import xml.sax
import xml.sax.handler
from dataclasses import dataclass
from urllib.parse import urljoin

import defusedxml
import defusedxml.sax
import feedparser

from transforms.input_checks import html_to_text

__all__ = ["FeedEntry", "UnsafeFeedError", "entry_record", "parse_feed", "screen_xml"]

#: A declaration in a document that is not well-formed (so the SAX screen stops early):
#: refused all the same, since feedparser's loose parser would keep "safe" entities.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


class UnsafeFeedError(ValueError):
    """The feed declares XML entities or external references, or is not a feed at all."""


@dataclass(frozen=True)
class FeedEntry:
    """One feed entry as a plain record (`id`, `title`, `text`, `published`, `url`, `link`)."""

    entry_id: str
    record: dict
    link: str | None


def screen_xml(data: bytes) -> None:
    """Raise UnsafeFeedError when the XML declares entities or refers to external resources.

    The screen streams through the document with SAX (no tree is built), so its memory stays
    bounded by the response size limit.
    """
    try:
        defusedxml.sax.parseString(data, xml.sax.handler.ContentHandler(), forbid_dtd=False,
                                   forbid_entities=True, forbid_external=True)
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden,
            defusedxml.DTDForbidden) as exc:
        raise UnsafeFeedError(f"feed declares XML entities or external references "
                              f"({type(exc).__name__}); refused without expanding them") from exc
    except xml.sax.SAXException:
        pass  # not well-formed: feedparser's loose parser copes; entity check below
    if _ENTITY_DECLARATION.search(data[:65536]):
        raise UnsafeFeedError("feed declares XML entities (<!ENTITY ...>); refused without "
                              "expanding them")


def parse_feed(data: bytes, base_url: str | None = None) -> list[FeedEntry]:
    """Screen, then parse RSS/Atom bytes; return the entries in feed order.

    Relative entry links are resolved against `base_url` (the feed's URL).
    """
    screen_xml(data)
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    if not parsed.entries and not parsed.get("version"):
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise UnsafeFeedError(f"not an RSS or Atom feed ({reason})")
    return [_entry(entry, base_url) for entry in parsed.entries]


def _entry(entry, base_url: str | None) -> FeedEntry:
    record = entry_record(entry, base_url)
    return FeedEntry(entry_id=record["id"], record=record, link=record["url"])


def entry_record(entry, base_url: str | None = None) -> dict:
    """Turn one feedparser entry into an article record (text is HTML-stripped)."""
    text = _entry_text(entry)
    title = entry.get("title")
    title = html_to_text(title) if title and "<" in title else title
    link = entry.get("link")
    if link and base_url:
        link = urljoin(base_url, link)
    entry_id = entry.get("id") or link or _content_id(title, text)
    return {"id": entry_id, "title": title, "text": text, "published": _published(entry),
            "url": link}


def _entry_text(entry) -> str:
    """Return the entry's longest content (or its summary) as plain text."""
    candidates = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content", [])]
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry["summary"], detail.get("type") or "text/html"))
    best = ""
    for value, kind in candidates:
        text = html_to_text(value) if "html" in kind or "<" in value else value.strip()
        if len(text) > len(best):
            best = text
    return best


def _published(entry) -> str | None:
    """Return the entry's publication (else update) date as an ISO date, in UTC."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            stamp = calendar.timegm(parsed)
            return dt.datetime.fromtimestamp(stamp, dt.UTC).date().isoformat()
    return None


def _content_id(title: str | None, text: str) -> str:
    """An id for an entry without id or link: the hash of what it says."""
    digest = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:16]
    return f"sha256:{digest}"
