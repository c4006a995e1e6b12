"""Read every configured source into one ReadResult, plus per-source outcomes to remember.

A source that is down, slow or erroring becomes an outcome with status "error" naming its URL
and the run goes on with the others; it is not quarantined (nothing was received to keep) and
is simply tried again on the next run. Content that arrives but is refused (an XML bomb, a
page without text) becomes a RejectedInput like any bad file, and its body hash is remembered
so the same bytes are not quarantined again on every scheduled run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import httpx

from sources.config import URL_SCHEMES, SourceConfig, SourcesConfig
from sources.feeds import UnsafeFeedError, parse_feed
from sources.fetch import Fetched, SourceFetchError, fetch_url, read_file
from sources.pages import PageExtractionError, page_record
from sources.state import SourceOutcome, SourceState
from transforms.articles import (
    MAX_KEPT_RAW_CHARS,
    Article,
    InputNote,
    ReadResult,
    RejectedInput,
    admit_record,
    read_inputs,
)

__all__ = ["SourcesFetch", "collect_sources", "merge_reads"]


@dataclasses.dataclass
class SourcesFetch:
    """Everything read from the configured sources, and one outcome per source."""

    read: ReadResult
    outcomes: list[SourceOutcome]

    @property
    def errors(self) -> list[SourceOutcome]:
        """Return the sources that could not be fetched this run."""
        return [outcome for outcome in self.outcomes if outcome.failed]


def collect_sources(config: SourcesConfig, states: Mapping[str, SourceState]) -> SourcesFetch:
    """Fetch or read every source; only entries not seen before become articles."""
    reads: list[ReadResult] = []
    outcomes: list[SourceOutcome] = []
    with httpx.Client(follow_redirects=True, max_redirects=5) as client:
        for source in config.sources:
            state = states.get(source.name) or SourceState(source.name)
            read, outcome = _collect_one(source, state, client)
            reads.append(read)
            outcomes.append(outcome)
    return SourcesFetch(read=merge_reads(reads), outcomes=outcomes)


def _collect_one(source: SourceConfig, state: SourceState,
                 client: httpx.Client) -> tuple[ReadResult, SourceOutcome]:
    empty = ReadResult(articles=[], rejects=[])
    outcome = SourceOutcome(source.name, source.kind, source.location, status="read")
    if source.kind in ("folder", "jsonl"):
        read = read_inputs([source.path])
        read.articles = [_with_source(a, source.name) for a in read.articles]
        return read, outcome
    try:
        fetched = _fetch(source, state, client)
    except SourceFetchError as exc:
        outcome.status, outcome.error = "error", exc.reason
        return empty, outcome
    outcome.http_status = fetched.status
    # Keep the previous validators when a 304 or a server omits them.
    outcome.etag = fetched.etag or state.etag
    outcome.last_modified = fetched.last_modified or state.last_modified
    if fetched.not_modified:
        outcome.status, outcome.content_sha256 = "not_modified", state.content_sha256
        return empty, outcome
    digest = hashlib.sha256(fetched.content or b"").hexdigest()
    outcome.content_sha256 = digest
    if digest == state.content_sha256:
        outcome.status = "unchanged"
        return empty, outcome
    outcome.status = "fetched"
    if source.kind == "feed":
        return _read_feed(source, state, fetched, client, outcome), outcome
    return _read_page(source, state, fetched, outcome), outcome


def _fetch(source: SourceConfig, state: SourceState, client: httpx.Client) -> Fetched:
    if source.url:
        return fetch_url(source.url, source.settings, etag=state.etag,
                         last_modified=state.last_modified, client=client)
    return read_file(source.path or "", source.settings)


def _read_feed(source: SourceConfig, state: SourceState, fetched: Fetched,
               client: httpx.Client, outcome: SourceOutcome) -> ReadResult:
    read = ReadResult(articles=[], rejects=[])
    where = source.location
    try:
        entries = parse_feed(fetched.content or b"", base_url=source.url)
    except UnsafeFeedError as exc:
        outcome.status, outcome.error = "rejected", str(exc)
        read.rejects.append(RejectedInput(where, None, str(exc), _head(fetched.content)))
        return read
    for position, entry in enumerate(entries, start=1):
        if entry.entry_id in state.seen_ids:
            outcome.entries_seen_before += 1
            continue
        outcome.new_entry_ids.append(entry.entry_id)
        record = {**entry.record, "source": source.name}
        if source.fetch_pages and entry.link:
            record = _with_page_text(record, entry.link, source, client, read, where, position)
        raw = json.dumps(record, ensure_ascii=False)
        _add(read, admit_record(record, where, position, raw))
    return read


def _with_page_text(record: dict, link: str, source: SourceConfig, client: httpx.Client,
                    read: ReadResult, where: str, position: int) -> dict:
    """Use the linked page's main text when it is longer than the entry's own text."""
    if urlsplit(link).scheme.lower() not in URL_SCHEMES:
        read.notes.append(InputNote(where, position, f"linked page {link!r} is not http(s); "
                                    "loaded the feed's own text"))
        return record
    try:
        fetched = fetch_url(link, source.settings, client=client)
        page = page_record(fetched.content or b"", link)
    except (SourceFetchError, PageExtractionError) as exc:
        read.notes.append(InputNote(where, position, f"linked page not used ({exc}); loaded "
                                    "the feed's own text"))
        return record
    if len(page["text"]) <= len(record.get("text") or ""):
        return record
    return {**record, "text": page["text"], "title": record.get("title") or page["title"],
            "published": record.get("published") or page["published"]}


def _read_page(source: SourceConfig, state: SourceState, fetched: Fetched,
               outcome: SourceOutcome) -> ReadResult:
    read = ReadResult(articles=[], rejects=[])
    where = source.location
    try:
        page = page_record(fetched.content or b"", source.url)
    except PageExtractionError as exc:
        outcome.status, outcome.error = "rejected", str(exc)
        read.rejects.append(RejectedInput(where, None, str(exc), _head(fetched.content)))
        return read
    record = {**page, "id": source.url or source.path, "source": source.name}
    outcome.new_entry_ids.append(record["id"])
    _add(read, admit_record(record, where, None, json.dumps(record, ensure_ascii=False)))
    return read


def _add(read: ReadResult, items: Iterable) -> None:
    for item in items:
        if isinstance(item, RejectedInput):
            read.rejects.append(item)
        elif isinstance(item, InputNote):
            read.notes.append(item)
        else:
            read.articles.append(item)


def _with_source(article: Article, name: str) -> Article:
    return article if article.source else dataclasses.replace(article, source=name)


def _head(content: bytes | None) -> str:
    return (content or b"")[:MAX_KEPT_RAW_CHARS].decode("utf-8", errors="replace")


def merge_reads(reads: Iterable[ReadResult]) -> ReadResult:
    """Combine ReadResults; an article met again (same normalised text) is counted once."""
    merged = ReadResult(articles=[], rejects=[])
    first_seen: dict[str, str] = {}
    for read in reads:
        merged.rejects.extend(read.rejects)
        merged.notes.extend(read.notes)
        merged.duplicates += read.duplicates
        for article in read.articles:
            where = (f"{article.input_path}:{article.input_line}"
                     if article.input_line is not None else str(article.input_path))
            if article.article_id in first_seen:
                merged.duplicates += 1
                merged.notes.append(InputNote(article.input_path or "", article.input_line,
                                              f"exact duplicate of {first_seen[article.article_id]}"
                                              " (same normalised text); counted once"))
                continue
            first_seen[article.article_id] = where
            merged.articles.append(article)
    return merged
