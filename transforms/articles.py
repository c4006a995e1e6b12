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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from transforms.dates import dateline_date
from transforms.input_checks import (
    future_date_problem,
    html_to_text,
    language_problem,
    looks_like_html,
)

__all__ = [
    "Article",
    "InputNote",
    "admit_record",
    "RejectedInput",
    "ReadResult",
    "article_id_for",
    "article_from_record",
    "parse_published",
    "read_inputs",
    "MAX_ARTICLE_CHARS",
    "MAX_RECORD_BYTES",
]

#: Articles longer than this are rejected: no news article is 2 million characters, and spaCy's
#: parser needs memory proportional to the text.
MAX_ARTICLE_CHARS = 1_000_000
#: Raw payloads kept in quarantine are cut to this size so a 20 MB binary cannot bloat the DB.
MAX_KEPT_RAW_CHARS = 100_000
#: A .txt/.json file or a JSONL line bigger than this is rejected without being read whole: an
#: article of MAX_ARTICLE_CHARS characters takes at most 6 bytes a character (JSON "\\uXXXX").
MAX_RECORD_BYTES = 6 * MAX_ARTICLE_CHARS + 4096
#: A file with a NUL byte in its first 8 KiB is binary, not text.
BINARY_SNIFF_BYTES = 8192

SUPPORTED_SUFFIXES = {".jsonl", ".json", ".txt"}
TXT_HEADER = re.compile(r"^(title|published|date|url|source|id|language)\s*:\s*(.*)$",
                        re.IGNORECASE)


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

    def __str__(self) -> str:
        return f"{_where(self.input_path, self.input_line)}: {self.reason}"


@dataclass(frozen=True)
class InputNote:
    """Something a reader should know about an input that was still read (or counted)."""

    input_path: str
    input_line: int | None
    message: str

    def __str__(self) -> str:
        return f"{_where(self.input_path, self.input_line)}: {self.message}"


@dataclass
class ReadResult:
    """What `read_inputs` found: articles in input order, the rejects, and notes."""

    articles: list[Article]
    rejects: list[RejectedInput]
    duplicates: int = 0
    notes: list[InputNote] = field(default_factory=list)


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


def _decode(data: bytes) -> str:
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise InputError("looks binary (contains NUL bytes); expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not valid UTF-8 ({exc.reason} at byte {exc.start}); "
                         "re-save it as UTF-8") from exc


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


def _head(path: Path) -> str:
    """Return the start of a file for the quarantine payload, read without loading it all."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_KEPT_RAW_CHARS).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _read_file(path: Path) -> Iterator[Article | RejectedInput | InputNote]:
    """Yield an Article, RejectedInput or InputNote for every record in one file."""
    where = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            sniff = handle.read(BINARY_SNIFF_BYTES)
    except OSError as exc:
        yield RejectedInput(where, None, f"cannot read file: {exc.strerror}", "")
        return
    if size == 0:
        yield RejectedInput(where, None, "file is empty (0 bytes)", "")
        return
    if b"\x00" in sniff:
        yield RejectedInput(where, None, "file looks binary (contains NUL bytes); expected "
                            "UTF-8 text", sniff[:MAX_KEPT_RAW_CHARS].decode("latin-1"))
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, where)
        return
    if size > MAX_RECORD_BYTES:
        # Checked before reading: a 20 MB file is never loaded into memory.
        yield RejectedInput(where, None, f"file is {size:,} bytes, over the limit of "
                            f"{MAX_RECORD_BYTES:,} for one {suffix} file (articles are at most "
                            f"{MAX_ARTICLE_CHARS:,} characters); not read. Put large collections "
                            "in a .jsonl file, one article per line", _head(path))
        return
    try:
        data = path.read_bytes()
        content = _decode(data)
    except OSError as exc:
        yield RejectedInput(where, None, f"cannot read file: {exc.strerror}", "")
        return
    except InputError as exc:
        yield RejectedInput(where, None, f"file {exc}",
                            data[:MAX_KEPT_RAW_CHARS].decode("utf-8", errors="replace"))
        return
    if suffix == ".json":
        try:
            payload = json.loads(content)
        except json.JSONDecodeError as exc:
            yield RejectedInput(where, None, f"malformed JSON: {exc.msg} (line {exc.lineno})",
                                content[:MAX_KEPT_RAW_CHARS])
            return
        items = payload if isinstance(payload, list) else [payload]
        for index, item in enumerate(items, start=1):
            yield from _admit(item, where, index, json.dumps(item, ensure_ascii=False))
    else:
        yield from _admit(_records_from_txt(content), where, None, content)


def _bounded_lines(handle: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """Yield (line, is_too_long); a line over MAX_RECORD_BYTES yields only its head."""
    while True:
        line = handle.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while True:  # skip the rest of the line in bounded chunks
                rest = handle.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield line[:MAX_KEPT_RAW_CHARS], True
        else:
            yield line, False


def _read_jsonl(path: Path, where: str) -> Iterator[Article | RejectedInput | InputNote]:
    """Stream a JSONL file line by line, so memory stays bounded by one line."""
    records = 0
    try:
        with path.open("rb") as handle:
            for line_no, (data, too_long) in enumerate(_bounded_lines(handle), start=1):
                if too_long:
                    records += 1
                    yield RejectedInput(where, line_no, f"line is over {MAX_RECORD_BYTES:,} bytes "
                                        f"(articles are at most {MAX_ARTICLE_CHARS:,} characters);"
                                        " not read", data.decode("utf-8", errors="replace"))
                    continue
                if not data.strip():
                    continue
                records += 1
                try:
                    line = data.decode("utf-8-sig" if line_no == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    yield RejectedInput(
                        where, line_no, f"line is not valid UTF-8 ({exc.reason} at byte "
                        f"{exc.start} of the line); re-save the file as UTF-8",
                        data[:MAX_KEPT_RAW_CHARS].decode("utf-8", errors="replace"))
                    continue
                yield from _parse_json_record(line, where, line_no)
    except OSError as exc:
        yield RejectedInput(where, None, f"cannot read file: {exc.strerror}", "")
        return
    if records == 0:
        yield RejectedInput(where, None, "file has no records (only blank lines)", "")


def _parse_json_record(line: str, where: str, line_no: int):
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        yield RejectedInput(where, line_no, f"malformed JSON line: {exc.msg}",
                            line[:MAX_KEPT_RAW_CHARS])
        return
    yield from _admit(item, where, line_no, line)


def _admit(item: object, where: str, line: int | None, raw: str):
    """Yield the Article for one record, or its RejectedInput; HTML text is converted first.

    Besides parsing (`article_from_record`), an article for the warehouse must have a
    publication date that is not in the future and be in English (the model is English-only).
    """
    try:
        if isinstance(item, dict) and isinstance(item.get("text"), str) \
                and looks_like_html(item["text"]):
            text = html_to_text(item["text"])
            if not text.strip():
                raise InputError("article text is HTML with no visible text")
            item = {**item, "text": text}
            yield InputNote(where, line, "HTML markup converted to text (tags, scripts and "
                            "styles removed)")
        article = article_from_record(item, where, line)  # type: ignore[arg-type]
        problem = future_date_problem(article.published) or language_problem(
            article.text, _optional_str(item, "language") or _optional_str(item, "lang"))
        if problem:
            raise InputError(problem)
        if article.published is None:
            yield InputNote(where, line, "no publication date (none given, no dateline): loaded,"
                            " but relative dates and event dates stay unresolved")
        yield article
    except InputError as exc:
        source_id = item.get("id") if isinstance(item, dict) else None
        yield RejectedInput(where, line, str(exc), raw[:MAX_KEPT_RAW_CHARS],
                            str(source_id) if source_id is not None else None)


def admit_record(item: object, where: str, line: int | None,
                 raw: str) -> Iterator[Article | RejectedInput | InputNote]:
    """Yield the Article (or RejectedInput) and notes for one record from any input.

    The same admission rules as files (HTML converted, English, no future date), for records
    that come from elsewhere (feed entries, pages).
    """
    yield from _admit(item, where, line, raw)


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
    first_seen: dict[str, str] = {}
    for path in iter_input_files(paths):
        if not path.exists():
            result.rejects.append(RejectedInput(str(path), None, "no such file or folder", ""))
            continue
        for item in _read_file(path):
            if isinstance(item, RejectedInput):
                result.rejects.append(item)
            elif isinstance(item, InputNote):
                result.notes.append(item)
            elif item.article_id in first_seen:
                result.duplicates += 1
                result.notes.append(InputNote(
                    item.input_path or "", item.input_line,
                    f"exact duplicate of {first_seen[item.article_id]} (same normalised text); "
                    "counted once"))
            else:
                first_seen[item.article_id] = _where(item.input_path, item.input_line)
                result.articles.append(item)
    return result


def _where(path: str | None, line: int | None) -> str:
    return f"{path}:{line}" if line is not None else str(path)
