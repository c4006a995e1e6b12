"""Read gold files and run the project's own extraction on their texts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

__all__ = ["GoldDataMissing", "DEFAULT_EVAL_DIR", "predict", "read_jsonl"]

#: The shared gold data, relative to the project root (never copied into the project).
DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


class GoldDataMissing(FileNotFoundError):
    """A gold file the evaluation needs is not there; the message names it."""


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    """Return the first `limit` (default all) JSON objects of a JSON Lines file."""
    if not path.exists():
        raise GoldDataMissing(f"gold file {path} not found; pass the folder that holds "
                              "wikinews/, geoparsing/, muc4/ and petrarch2/")
    records: list[dict] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(records) >= limit:
                break
            if line.strip():
                records.append(json.loads(line))
    return records


def read_jsonl_files(paths: Iterable[Path], limit: int | None = None) -> list[dict]:
    """Return records from several JSONL files, `limit` applying to each file."""
    records: list[dict] = []
    for path in paths:
        records.extend(read_jsonl(path, limit))
    return records


def predict(gold: list[dict], date_field: str, nlp=None) -> list[dict]:
    """Run `transforms.extract.extract_records` on the gold texts; one record per gold record.

    Only `id`, `text` and the publication date are passed, so nothing gold leaks into extraction.
    """
    from transforms.extract import extract_records

    inputs = [{"id": str(record.get("id")), "text": record.get("text") or "",
               "published": record.get(date_field)} for record in gold]
    predicted = list(extract_records(inputs, nlp=nlp))
    if len(predicted) != len(gold):
        raise RuntimeError(f"extraction returned {len(predicted)} records for {len(gold)} inputs")
    return predicted
