"""Thin Prefect tasks: each body is one call into transforms, warehouse or expectations.

One task per batch of articles, never one per article (per-task overhead is 25-75 ms on the
ephemeral API). Tasks take paths and plain data, never connections or `nlp` objects. Caching is
off: inputs are whole batches of text, and hashing them for a cache key buys nothing.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NONE

import warehouse
from sources import SourcesFetch, SourceState, collect_sources, load_sources
from transforms.articles import Article, ReadResult, read_inputs
from warehouse.sources import record_source_outcomes, source_states
from flows.fork_pool import extract_in_worker
from transforms.extract import EXTRACTOR_VERSION, extract_batch as extract_articles

if TYPE_CHECKING:  # Great Expectations takes ~6 s to import: only the writer needs it,
    import expectations  # never an extraction worker, nor a rerun with nothing new.

__all__ = ["extract_batch", "fetch_sources", "publish_batch", "read_articles",
           "record_sources", "select_new_articles", "validate_batch", "write_report"]


@task(name="read_articles", cache_policy=NONE, retries=3, retry_delay_seconds=[2, 5, 15])
def read_articles(paths: list[str]) -> ReadResult:
    """Read every input file into articles and rejects (I/O: retried)."""
    return read_inputs(paths)


@task(name="fetch_sources", cache_policy=NONE)
def fetch_sources(config_path: str, db_path: str) -> SourcesFetch:
    """Fetch the configured sources' new entries, given what earlier runs saw.

    No task retries: each request retries its own I/O errors with backoff, and a source that
    still fails is reported in the result while the others load.
    """
    config = load_sources(config_path)
    with warehouse.connect(db_path) as con:
        rows = source_states(con, [source.name for source in config.sources])
    states = {name: SourceState(**{**row, "seen_ids": frozenset(row["seen_ids"])})
              for name, row in rows.items()}
    return collect_sources(config, states)


@task(name="record_sources", cache_policy=NONE)
def record_sources(db_path: str, run_id: str, fetched: SourcesFetch) -> None:
    """Remember each source's validators, new entry ids and errors (after publishing)."""
    with warehouse.connect(db_path) as con:
        record_source_outcomes(con, run_id, [asdict(o) for o in fetched.outcomes])


@task(name="select_new_articles", cache_policy=NONE)
def select_new_articles(db_path: str, run_id: str, read: ReadResult) -> list[Article]:
    """Quarantine unreadable inputs and return only articles the warehouse has not seen."""
    with warehouse.connect(db_path) as con:
        warehouse.quarantine_inputs(con, run_id, read.rejects)
        known = warehouse.known_article_ids(con, [a.article_id for a in read.articles])
    return [article for article in read.articles if article.article_id not in known]


@task(name="extract_batch", cache_policy=NONE, task_run_name="extract_batch-{batch_index}")
def extract_batch(articles: list[Article], batch_index: int) -> list[dict]:
    """Run the spaCy pipeline and the newsdesk extractors over one batch.

    Runs wherever the flow's runner puts it (a thread, a pool process, a Dask worker); the
    pipeline is loaded once per process (`load_nlp` is cached), never per batch.
    `batch_index` numbers the extraction chunk within the run.
    """
    forked = extract_in_worker(articles)  # a forked worker of `--workers N`, if one is active
    return forked if forked is not None else extract_articles(articles)


@task(name="validate_batch", cache_policy=NONE, task_run_name="validate_batch-{batch_index}")
def validate_batch(articles: list[Article], records: list[dict], run_id: str,
                   batch_index: int) -> tuple[dict, expectations.BatchValidation]:
    """Stage the batch as typed frames and validate them with Great Expectations."""
    import expectations

    frames = warehouse.stage_frames(articles, records, run_id)
    return frames, expectations.validate_batch(frames, run_id)


@task(name="publish_batch", cache_policy=NONE, task_run_name="publish_batch-{batch_index}")
def publish_batch(db_path: str, run_id: str, batch_index: int, frames: dict,
                  validation: expectations.BatchValidation) -> warehouse.PublishCounts:
    """Publish what passed and quarantine what failed, in one transaction."""
    with warehouse.connect(db_path) as con:
        return warehouse.publish_batch(con, run_id, batch_index, frames, validation.failed_rows,
                                       validation.results, EXTRACTOR_VERSION)


@task(name="write_report", cache_policy=NONE)
def write_report(report_dir: str, run_id: str, results: list[dict]) -> str:
    """Write GX Data Docs and the run's quality summary page; return the summary's path.

    Only this run's validation pages are rendered (GX re-renders every page of the process
    otherwise), and a run that validated nothing (a rerun over known articles) keeps the
    existing Data Docs: rebuilding them was 7 of a rerun's 9.6 s.
    """
    import expectations

    docs_dir = Path(report_dir) / "data_docs"
    if results:
        index = expectations.build_data_docs(docs_dir, run_id=run_id)
    else:
        index = docs_dir / "index.html" if (docs_dir / "index.html").exists() else None
    summary = Path(report_dir) / "runs" / f"{run_id}.html"
    expectations.write_quality_summary(results, summary, data_docs_index=index)
    latest = Path(report_dir) / "quality.html"
    expectations.write_quality_summary(results, latest, data_docs_index=index)
    return str(latest.resolve())
