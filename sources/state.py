"""What newsdesk remembers about a source between runs, and what one run found there."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SourceOutcome", "SourceState"]


@dataclass(frozen=True)
class SourceState:
    """The previous runs' view of a source: validators for a conditional GET, ids seen."""

    source_name: str
    etag: str | None = None
    last_modified: str | None = None
    #: sha256 of the last body processed: a server without ETag that sends the same bytes
    #: again is not parsed again (and a rejected body is not quarantined again).
    content_sha256: str | None = None
    seen_ids: frozenset[str] = frozenset()
    consecutive_failures: int = 0


@dataclass
class SourceOutcome:
    """What one run did with one source; saved to ops_source_state after the run publishes.

    `status` is "fetched" (new content parsed), "not_modified" (HTTP 304), "unchanged" (same
    bytes as last time), "rejected" (content refused, e.g. an XML bomb: quarantined once),
    "read" (a folder or JSONL file) or "error" (down, slow, HTTP error, too big: reported, not
    quarantined, tried again next run).
    """

    source_name: str
    kind: str
    location: str
    status: str
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_sha256: str | None = None
    new_entry_ids: list[str] = field(default_factory=list)
    entries_seen_before: int = 0
    error: str | None = None

    @property
    def failed(self) -> bool:
        """Return True when the source could not be fetched this run."""
        return self.status == "error"

    def __str__(self) -> str:
        detail = self.error if self.error else f"{len(self.new_entry_ids)} new"
        return f"source {self.source_name!r} ({self.location}): {self.status}: {detail}"
