"""spaCy and pure-Python transforms: article text in, plain records out (no Prefect, no DuckDB)."""

from __future__ import annotations

from transforms.articles import Article, ReadResult, RejectedInput, article_id_for, read_inputs

__all__ = ["Article", "ReadResult", "RejectedInput", "article_id_for", "read_inputs"]
