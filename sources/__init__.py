"""Live sources: feeds and pages fetched over HTTP (or from saved files), folders and JSONL.

`flows` imports this package; it imports `transforms` (for `Article` and the admission rules)
and never `warehouse`: per-source state comes in and goes out as plain `SourceState` /
`SourceOutcome` values, which `flows` stores with `warehouse.sources`.
"""

from __future__ import annotations

from sources.collect import SourcesFetch, collect_sources, merge_reads
from sources.config import (
    KINDS,
    FetchSettings,
    SourceConfig,
    SourceConfigError,
    SourcesConfig,
    load_sources,
    parse_sources,
)
from sources.feeds import UnsafeFeedError, parse_feed, screen_xml
from sources.fetch import Fetched, ResponseTooLargeError, SourceFetchError, fetch_url, read_file
from sources.pages import PageExtractionError, page_record
from sources.state import SourceOutcome, SourceState

__all__ = ["KINDS", "FetchSettings", "Fetched", "PageExtractionError", "ResponseTooLargeError",
           "SourceConfig", "SourceConfigError", "SourceFetchError", "SourceOutcome",
           "SourceState", "SourcesConfig", "SourcesFetch", "UnsafeFeedError", "collect_sources",
           "fetch_url", "load_sources", "merge_reads", "page_record", "parse_feed",
           "parse_sources", "read_file", "screen_xml"]
