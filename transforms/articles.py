"""Read articles from folders, JSON/JSONL files and .txt files into `Article` records.

Every input either becomes an `Article` or a `RejectedInput` carrying the reason and the raw
payload, so a bad record is reported and kept (quarantined), never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from transforms.dates import dateline_date

__all__ = [
    "Article",
    "RejectedInput",
    "ReadResult",
    "article_id_for",
    "article_from_record",
    "parse_published",
    "read_inputs",
    "MAX_ARTICLE_CHARS",
]

#: Articles longer than this are rejected: no news article is 2 million characters, and spaCy's
#: parser needs memory proportional to the text.
MAX_ARTICLE_CHARS = 1_000_000
#: Raw payloads kept in quarantine are cut to this size so a 20 MB binary cannot bloat the DB.
MAX_KEPT_RAW_CHARS = 100_000

SUPPORTED_SUFFIXES = {".jsonl", ".json", ".txt"}
TXT_HEADER = re.compile(r"^(title|published|date|url|source|id)\s*:\s*(.*)$", re.IGNORECASE)


class InputError(ValueError):
    """A record or file that cannot become an article; the message says why."""


@dataclass(frozen=True)
class Article:
    """One distinct article, identified by the hash of its normalised text."""

    article_id: str
    source_id: str | None
    title: str | None
    text: str
    published: dt.date | None
    published_source: str
    url: str | None
    source: str | None
    input_path: str | None = None
    input_line: int | None = None

    def to_dict(self) -> dict:
        """Return a JSON-friendly dict (dates as ISO strings)."""
        record = asdict(self)
        record["published"] = self.published.isoformat() if self.published else None
        return record


@dataclass(frozen=True)
class RejectedInput:
    """An input that could not be read as an article, kept with the reason."""

    input_path: str
    input_line: int | None
    reason: str
    raw: str
    source_id: str | None = None


@dataclass
class ReadResult:
    """What `read_inputs` found: articles in input order, and the rejects."""

    articles: list[Article]
    rejects: list[RejectedInput]
    duplicates: int = 0


def normalise_text(text: str) -> str:
    """Return the text as hashed for identity: NFC, whitespace runs collapsed, stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def article_id_for(text: str) -> str:
    """Return the article id: the first 16 hex digits of sha256 over the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def parse_published(value: object) -> dt.date | None:
    """Parse an ISO date or datetime ("2024-03-07", "2024-03-07T10:00:00Z"); None when absent.

    Raises InputError for a value that is present but not a date, so the caller can say so.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InputError(f"published must be an ISO date string, got {type(value).__name__}")
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise InputError(f"published {text!r} is not an ISO date (YYYY-MM-DD)") from exc


def _optional_str(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def article_from_record(
    record: dict, input_path: str | None = None, input_line: int | None = None
) -> Article:
    """Build an Article from a JSON record with id/title/text/published/url/source."""
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError("record has no 'text' string")
    if not text.strip():
        raise InputError("article text is empty or whitespace only")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"article text has {len(text):,} characters, over the limit of {MAX_ARTICLE_CHARS:,}"
        )
    if "\x00" in text:
        raise InputError("article text contains NUL bytes (binary data?)")
    published = parse_published(record.get("published"))
    published_source = "input" if published else "missing"
    if published is None:
        published = dateline_date(text)
        published_source = "dateline" if published else "missing"
    return Article(
        article_id=article_id_for(text),
        source_id=_optional_str(record, "id"),
        title=_optional_str(record, "title"),
        text=text,
        published=published,
        published_source=published_source,
        url=_optional_str(record, "url"),
        source=_optional_str(record, "source"),
        input_path=input_path,
        input_line=input_line,
    )


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{path.name} looks binary (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name} is not valid UTF-8 ({exc.reason} at byte {exc.start})")


def _records_from_txt(content: str) -> dict:
    """Split optional `Title:`/`Published:`/`URL:`/`Source:` header lines from the body."""
    record: dict = {}
    lines = content.splitlines(keepends=True)
    body_start = 0
    for index, line in enumerate(lines):
        match = TXT_HEADER.match(line.strip())
        if not match:
            break
        key = match.group(1).lower()
        record["published" if key == "date" else key] = match.group(2).strip()
        body_start = index + 1
    body = "".join(lines[body_start:])
    record["text"] = body.strip("\n") if body_start else body
    return record


def _read_file(path: Path) -> Iterator[Article | RejectedInput]:
    """Yield an Article or a RejectedInput for every record in one file."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield RejectedInput(where, None, f"cannot read file: {exc.strerror}", "")
        return
    if len(data) > MAX_ARTICLE_CHARS * 4 and path.suffix.lower() != ".jsonl":
        yield RejectedInput(
            where, None, f"file is {len(data):,} bytes, over the per-article limit", ""
        )
        return
    try:
        content = _decode(data, path)
    except InputError as exc:
        yield RejectedInput(where, None, str(exc), data[:MAX_KEPT_RAW_CHARS].decode("latin-1"))
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for line_no, line in enumerate(content.splitlines(), start=1):
            if line.strip():
                yield _parse_json_record(line, where, line_no)
    elif suffix == ".json":
        try:
            payload = json.loads(content)
        except json.JSONDecodeError as exc:
            yield RejectedInput(where, None, f"malformed JSON: {exc.msg} (line {exc.lineno})",
                                content[:MAX_KEPT_RAW_CHARS])
            return
        items = payload if isinstance(payload, list) else [payload]
        for index, item in enumerate(items, start=1):
            yield _article_or_reject(item, where, index, json.dumps(item, ensure_ascii=False))
    else:
        yield _article_or_reject(_records_from_txt(content), where, None, content)


def _parse_json_record(line: str, where: str, line_no: int) -> Article | RejectedInput:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return RejectedInput(where, line_no, f"malformed JSON line: {exc.msg}",
                             line[:MAX_KEPT_RAW_CHARS])
    return _article_or_reject(item, where, line_no, line)


def _article_or_reject(item: object, where: str, line: int | None, raw: str):
    try:
        return article_from_record(item, where, line)  # type: ignore[arg-type]
    except InputError as exc:
        source_id = item.get("id") if isinstance(item, dict) else None
        return RejectedInput(where, line, str(exc), raw[:MAX_KEPT_RAW_CHARS],
                             str(source_id) if source_id is not None else None)


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield the readable input files under the given files and folders, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield path


def read_inputs(paths: Iterable[str | Path]) -> ReadResult:
    """Read every article from the given paths; duplicates within the input are counted once."""
    result = ReadResult(articles=[], rejects=[])
    seen: set[str] = set()
    for path in iter_input_files(paths):
        if not path.exists():
            result.rejects.append(RejectedInput(str(path), None, "no such file or folder", ""))
            continue
        for item in _read_file(path):
            if isinstance(item, RejectedInput):
                result.rejects.append(item)
            elif item.article_id in seen:
                result.duplicates += 1
            else:
                seen.add(item.article_id)
                result.articles.append(item)
    return result
