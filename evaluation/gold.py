"""Read gold files and run the project's own extraction on their texts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["GoldDataMissing", "DEFAULT_EVAL_DIR", "RAW_LABELS", "predict", "predict_raw_spacy",
           "read_jsonl"]

#: The raw pipeline's entity labels and the contract labels they are scored as.
RAW_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}

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


@lru_cache(maxsize=2)
def _raw_pipeline(name: str):
    import spacy

    return spacy.load(name)


def predict_raw_spacy(gold: list[dict], model: str | None = None) -> list[dict]:
    """Return the trained spaCy pipeline's own entities, no newsdesk component, per gold record.

    The baseline newsdesk is measured against: `spacy.load(model)` as shipped (default: the
    model newsdesk loads), PERSON/ORG kept, GPE/LOC/FAC scored as PLACE, spans untouched.
    """
    from transforms.nlp import model_name

    nlp = _raw_pipeline(model_name(model))
    texts = [record.get("text") or "" for record in gold]
    return [{"id": str(record.get("id")),
             "entities": [{"start": ent.start_char, "end": ent.end_char, "text": ent.text,
                           "label": RAW_LABELS[ent.label_]}
                          for ent in doc.ents if ent.label_ in RAW_LABELS]}
            for record, doc in zip(gold, nlp.pipe(texts, batch_size=32), strict=True)]
