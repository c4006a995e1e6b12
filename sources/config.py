"""Load and validate the sources declared in `newsdesk.toml`.

A mistake in the config file (an unknown kind, a missing url, a `ftp://` address, two sources
with one name, a misspelt key) is refused on load with a message naming the source and the
key, before anything is fetched: a scheduled run should fail loudly once, not quietly fetch
nothing every 15 minutes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["FetchSettings", "KINDS", "SourceConfig", "SourceConfigError", "SourcesConfig",
           "load_sources", "parse_sources"]

#: feed: RSS/Atom by url or file; page: one article page by url or saved HTML file;
#: folder / jsonl: files read exactly like `newsdesk run PATH`.
KINDS = ("feed", "page", "folder", "jsonl")
URL_SCHEMES = ("http", "https")
_SOURCE_KEYS = {"name", "kind", "url", "path", "fetch_pages", "timeout_s", "max_bytes",
                "retries"}
_SETTINGS_KEYS = {"timeout_s", "total_timeout_s", "max_bytes", "retries", "backoff_s",
                  "user_agent"}


class SourceConfigError(ValueError):
    """The sources config file is missing, unreadable or declares a source wrongly."""


@dataclass(frozen=True)
class FetchSettings:
    """Limits for every HTTP request: why each exists is in its comment."""

    #: Seconds to connect, and between bytes read: a dead server fails fast.
    timeout_s: float = 10.0
    #: Seconds for a whole response: a server trickling bytes cannot hold a run forever.
    total_timeout_s: float = 60.0
    #: Bytes (after decompression) one response may have: a 1 GB "feed" is cut off.
    max_bytes: int = 10_000_000
    #: Extra attempts after a connection/read error or a 5xx; a 4xx is never retried.
    retries: int = 2
    #: Seconds to wait before each retry (the last value repeats).
    backoff_s: tuple[float, ...] = (1.0, 4.0)
    user_agent: str = "newsdesk/0.1 (+https://github.com/newsdesk; feed reader)"


@dataclass(frozen=True)
class SourceConfig:
    """One declared source: a feed, a page, a folder or a JSONL file."""

    name: str
    kind: str
    url: str | None = None
    path: str | None = None
    #: For feeds: replace each new entry's summary by the main text of the page it links to.
    fetch_pages: bool = False
    settings: FetchSettings = field(default_factory=FetchSettings)

    @property
    def location(self) -> str:
        """Return the url or path, as named in messages."""
        return self.url or self.path or ""


@dataclass(frozen=True)
class SourcesConfig:
    """Every source of a config file, plus the file's path (for messages)."""

    path: str
    sources: tuple[SourceConfig, ...]


def load_sources(path: str | Path) -> SourcesConfig:
    """Read and validate a sources file (`newsdesk.toml`); raise SourceConfigError if wrong.

    Relative `path`s of sources are resolved against the config file's folder.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceConfigError(f"{path}: no such config file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceConfigError(f"{path}: not valid TOML: {exc}") from exc
    return parse_sources(data, str(path), base_dir=path.resolve().parent)


def parse_sources(data: dict, where: str = "<config>", base_dir: Path | None = None
                  ) -> SourcesConfig:
    """Validate a parsed TOML document into a SourcesConfig."""
    unknown = set(data) - {"settings", "sources"}
    if unknown:
        raise SourceConfigError(f"{where}: unknown top-level key(s) {sorted(unknown)}; "
                                "expected [settings] and [[sources]]")
    defaults = _settings(data.get("settings") or {}, f"{where} [settings]", FetchSettings())
    items = data.get("sources")
    if not isinstance(items, list) or not items:
        raise SourceConfigError(f"{where}: declares no sources; add at least one [[sources]] "
                                'table with name, kind and url or path')
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        source = _source(item, f"{where} [[sources]] #{index}", defaults, base_dir)
        if source.name in seen:
            raise SourceConfigError(f"{where}: two sources are named {source.name!r}; names "
                                    "must be unique (they key the per-source state)")
        seen.add(source.name)
        sources.append(source)
    return SourcesConfig(path=where, sources=tuple(sources))


def _source(item: object, where: str, defaults: FetchSettings,
            base_dir: Path | None) -> SourceConfig:
    if not isinstance(item, dict):
        raise SourceConfigError(f"{where}: must be a table")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourceConfigError(f"{where}: needs a non-empty 'name'")
    where = f"{where} ({name!r})"
    unknown = set(item) - _SOURCE_KEYS
    if unknown:
        raise SourceConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: "
                                f"{', '.join(sorted(_SOURCE_KEYS))}")
    kind = item.get("kind")
    if kind not in KINDS:
        raise SourceConfigError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    url, path = item.get("url"), item.get("path")
    if url is not None and path is not None:
        raise SourceConfigError(f"{where}: give either 'url' or 'path', not both")
    if kind in ("folder", "jsonl"):
        if url is not None:
            raise SourceConfigError(f"{where}: kind {kind!r} reads local files; give 'path', "
                                    "not 'url'")
        if path is None:
            raise SourceConfigError(f"{where}: kind {kind!r} needs a 'path'")
    elif url is None and path is None:
        raise SourceConfigError(f"{where}: kind {kind!r} needs a 'url' (or a 'path' to a "
                                "saved file)")
    if url is not None:
        _check_url(url, where)
    if path is not None:
        if not isinstance(path, str) or not path.strip():
            raise SourceConfigError(f"{where}: 'path' must be a non-empty string")
        if base_dir is not None and not Path(path).is_absolute():
            path = str(base_dir / path)
    fetch_pages = item.get("fetch_pages", False)
    if not isinstance(fetch_pages, bool) or (fetch_pages and kind != "feed"):
        raise SourceConfigError(f"{where}: 'fetch_pages' is true/false and only for feeds")
    overrides = {k: item[k] for k in ("timeout_s", "max_bytes", "retries") if k in item}
    settings = _settings(overrides, where, defaults)
    return SourceConfig(name=name.strip(), kind=kind, url=url, path=path,
                        fetch_pages=fetch_pages, settings=settings)


def _check_url(url: object, where: str) -> None:
    if not isinstance(url, str):
        raise SourceConfigError(f"{where}: 'url' must be a string")
    parts = urlsplit(url)
    if parts.scheme.lower() not in URL_SCHEMES:
        raise SourceConfigError(f"{where}: url {url!r} must start with http:// or https:// "
                                "(for a local file use 'path')")
    if not parts.hostname:
        raise SourceConfigError(f"{where}: url {url!r} has no host")


def _settings(raw: object, where: str, base: FetchSettings) -> FetchSettings:
    if not isinstance(raw, dict):
        raise SourceConfigError(f"{where}: must be a table")
    unknown = set(raw) - _SETTINGS_KEYS
    if unknown:
        raise SourceConfigError(f"{where}: unknown setting(s) {sorted(unknown)}; allowed: "
                                f"{', '.join(sorted(_SETTINGS_KEYS))}")
    values = {}
    for key in ("timeout_s", "total_timeout_s"):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise SourceConfigError(f"{where}: {key} must be a positive number of seconds")
            values[key] = float(value)
    for key, low in (("max_bytes", 1), ("retries", 0)):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise SourceConfigError(f"{where}: {key} must be an integer >= {low}")
            values[key] = value
    if "backoff_s" in raw:
        value = raw["backoff_s"]
        if not isinstance(value, list) or not value or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
                for v in value):
            raise SourceConfigError(f"{where}: backoff_s must be a list of seconds, e.g. [1, 4]")
        values["backoff_s"] = tuple(float(v) for v in value)
    if "user_agent" in raw:
        if not isinstance(raw["user_agent"], str) or not raw["user_agent"].strip():
            raise SourceConfigError(f"{where}: user_agent must be a non-empty string")
        values["user_agent"] = raw["user_agent"]
    return FetchSettings(**{**base.__dict__, **values})
