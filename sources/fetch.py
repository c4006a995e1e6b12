"""Fetch one URL or file with limits: timeouts, retries on I/O only, a size cap, conditional GET.

Everything that talks to the network goes through `fetch_url`, so every request has the same
limits. `httpx` does the HTTP; nothing here parses what it fetched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from sources.config import FetchSettings

__all__ = ["Fetched", "ResponseTooLargeError", "SourceFetchError", "fetch_url", "read_file"]


class SourceFetchError(RuntimeError):
    """A source could not be fetched (down, slow, an HTTP error); the message names the URL."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason


class ResponseTooLargeError(SourceFetchError):
    """A response was bigger than the configured `max_bytes`; reading stopped there."""


@dataclass(frozen=True)
class Fetched:
    """A response: 200 with its bytes, or 304 (not modified) with none."""

    location: str
    status: int
    content: bytes | None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        """Return True for a 304: the source is unchanged since the ETag/date we sent."""
        return self.status == 304


def fetch_url(url: str, settings: FetchSettings, etag: str | None = None,
              last_modified: str | None = None, client: httpx.Client | None = None,
              sleep=time.sleep) -> Fetched:
    """GET a URL, conditionally when an ETag or Last-Modified is known; raise SourceFetchError.

    Connection and read errors (timeouts included) and 5xx answers are retried with backoff;
    a 4xx is the server's final word and is not. The body is streamed and abandoned as soon as
    it passes `settings.max_bytes`.
    """
    headers = {"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own_client = client is None
    client = client or httpx.Client(timeout=httpx.Timeout(settings.timeout_s),
                                    follow_redirects=True, max_redirects=5)
    try:
        attempts = settings.retries + 1
        for attempt in range(attempts):
            try:
                return _get(client, url, headers, settings)
            except _Retryable as exc:
                if attempt + 1 >= attempts:
                    raise SourceFetchError(url, f"{exc} (tried {attempts} times)") from exc
                backoff = settings.backoff_s or (0.0,)
                sleep(backoff[min(attempt, len(backoff) - 1)])
        raise AssertionError("unreachable")  # pragma: no cover
    finally:
        if own_client:
            client.close()


class _Retryable(Exception):
    """An error worth another attempt: the network or a 5xx."""


def _get(client: httpx.Client, url: str, headers: dict, settings: FetchSettings) -> Fetched:
    deadline = time.monotonic() + settings.total_timeout_s
    try:
        with client.stream("GET", url, headers=headers,
                           timeout=httpx.Timeout(settings.timeout_s)) as response:
            if response.status_code == 304:
                return Fetched(url, 304, None, response.headers.get("etag"),
                               response.headers.get("last-modified"))
            if response.status_code >= 500:
                raise _Retryable(f"HTTP {response.status_code} {response.reason_phrase}")
            if response.status_code >= 400:
                raise SourceFetchError(url, f"HTTP {response.status_code} "
                                       f"{response.reason_phrase} (not retried)")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > settings.max_bytes:
                raise ResponseTooLargeError(url, f"response is {int(declared):,} bytes, over the "
                                            f"limit of {settings.max_bytes:,}; not read")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > settings.max_bytes:
                    raise ResponseTooLargeError(url, f"response is over the limit of "
                                                f"{settings.max_bytes:,} bytes; cut off there")
                if time.monotonic() > deadline:
                    raise _Retryable(f"response took over {settings.total_timeout_s:g}s")
                chunks.append(chunk)
            return Fetched(url, response.status_code, b"".join(chunks),
                           response.headers.get("etag"), response.headers.get("last-modified"),
                           response.headers.get("content-type"))
    except httpx.TimeoutException as exc:
        raise _Retryable(f"timed out after {settings.timeout_s:g}s "
                         f"({type(exc).__name__})") from exc
    except httpx.TransportError as exc:
        raise _Retryable(f"{type(exc).__name__}: {exc or 'connection failed'}") from exc
    except httpx.TooManyRedirects as exc:
        raise SourceFetchError(url, "too many redirects") from exc
    except httpx.DecodingError as exc:
        raise SourceFetchError(url, f"response body cannot be decoded: {exc}") from exc
    except httpx.InvalidURL as exc:
        raise SourceFetchError(url, f"invalid URL: {exc}") from exc


def read_file(path: str, settings: FetchSettings) -> Fetched:
    """Read a saved feed or page from disk under the same size limit as a download."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > settings.max_bytes:
            raise ResponseTooLargeError(path, f"file is {size:,} bytes, over the limit of "
                                        f"{settings.max_bytes:,}; not read")
        with file.open("rb") as handle:
            content = handle.read(settings.max_bytes + 1)
    except FileNotFoundError as exc:
        raise SourceFetchError(path, "no such file") from exc
    except OSError as exc:
        raise SourceFetchError(path, f"cannot read file: {exc.strerror}") from exc
    if len(content) > settings.max_bytes:
        raise ResponseTooLargeError(path, f"file is over the limit of {settings.max_bytes:,} "
                                    "bytes; cut off there")
    return Fetched(path, 200, content)
