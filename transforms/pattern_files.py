"""Read the rule and lexicon data files shipped in `transforms/patterns/` (JSONL, one row a line).

One reader for every extractor, so each module states only which file and which field it wants.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["PATTERNS", "pattern_rows", "pattern_values"]

PATTERNS = Path(__file__).parent / "patterns"


def pattern_rows(name: str) -> list[dict]:
    """Return the rows of `patterns/<name>`, skipping blank lines."""
    lines = (PATTERNS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def pattern_values(name: str, key: str) -> frozenset:
    """Return the set of one field's values over the rows of `patterns/<name>`."""
    return frozenset(row[key] for row in pattern_rows(name))
