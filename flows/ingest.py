"""The `ingest-articles` flow: read → skip known → extract → validate → publish → report."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.states import Cancelled, State
from prefect.utilities.annotations import quote

import warehouse
from flows import cancellation, heartbeat_exit  # noqa: F401 - heartbeat_exit: see its docstring
from flows.tasks import (
    extract_batch,
    fetch_sources,
    publish_batch,
    read_articles,
    record_sources,
    select_new_articles,
    validate_batch,
    write_report,
)
from flows.runners import (
    api_for_workers,
    check_runner,
    extract_in_order,
    make_task_runner,
    resolve_workers,
    runner_label,
    warm_up,
)
from sources import merge_reads
from transforms.articles import ReadResult
from transforms.extract import EXTRACTOR_VERSION
from transforms.nlp import load_nlp, model_name

__all__ = ["DEFAULT_BATCH_SIZE", "RunSummary", "ingest_articles", "preload_in_background",
           "run_ingest", "set_progress", "split_for_extraction"]

#: Articles per batch: validated and published together, in one transaction.
DEFAULT_BATCH_SIZE = 1024
#: Articles per extraction task: small enough to spread a batch over the workers, large
#: enough that Prefect's per-task overhead (25-75 ms) stays under 1 %.
EXTRACT_CHUNK_SIZE = 128
DEFAULT_REPORT_DIR = "data/reports"
#: Rejected inputs and notes named one by one in the run log before a summary line.
MAX_LOGGED_INPUTS = 100

#: Called with (articles_done, articles_total) after each batch; the CLI sets a progress bar.
_progress: Callable[[int, int], None] | None = None


def set_progress(callback: Callable[[int, int], None] | None) -> None:
    """Install (or clear) the progress callback the flow calls after each batch."""
    global _progress
    _progress = callback


@dataclass
class RunSummary:
    """What one run did, as printed by the CLI and stored in ops_runs."""

    run_id: str
    db_path: str
    articles_in: int = 0
    articles_new: int = 0
    articles_already_loaded: int = 0
    articles_duplicate: int = 0
    articles_loaded: int = 0
    articles_quarantined: int = 0
    published: dict[str, int] = field(default_factory=dict)
    rows_quarantined: int = 0
    checks_evaluated: int = 0
    checks_passed: int = 0
    report_path: str | None = None
    status: str = "running"
    #: Configured sources (`--config`) that could not be fetched: "source 'x' (url): error: ..."
    source_errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return a JSON-friendly dict."""
        return asdict(self)


def _versions() -> dict[str, str]:
    return {"extractor": EXTRACTOR_VERSION, "model": model_name(),
            "model_version": _model_version()}


def _model_version() -> str:
    """Return the model's version without loading it here when it is an installed package.

    With worker processes or a Dask cluster the writer never runs the pipeline, so loading
    it just to read its version would cost seconds and ~200 MB.
    """
    try:
        return importlib.metadata.version(model_name())
    except importlib.metadata.PackageNotFoundError:  # a model given as a path
        return str(load_nlp().meta.get("version"))


def _run_counts(summary: RunSummary) -> dict:
    return {
        "articles_in": summary.articles_in, "articles_new": summary.articles_new,
        "articles_already_loaded": summary.articles_already_loaded,
        "articles_duplicate": summary.articles_duplicate,
        "articles_loaded": summary.articles_loaded,
        "articles_quarantined": summary.articles_quarantined,
        "mentions_published": summary.published.get("fct_mentions", 0),
        "events_published": summary.published.get("fct_events", 0),
        "dates_published": summary.published.get("fct_dates", 0),
        "headcounts_published": summary.published.get("fct_headcounts", 0),
        "rows_quarantined": summary.rows_quarantined,
        "checks_evaluated": summary.checks_evaluated, "checks_passed": summary.checks_passed,
        "report_path": summary.report_path,
    }


@flow(name="ingest-articles", flow_run_name="ingest-{run_label}", log_prints=False)
def ingest_articles(paths: list[str] | None = None,
                    db_path: str = str(warehouse.DEFAULT_DB_PATH),
                    report_dir: str = DEFAULT_REPORT_DIR, batch_size: int = DEFAULT_BATCH_SIZE,
                    run_label: str = "manual", config_path: str | None = None,
                    runner: str = "local", workers: int | None = None,
                    dask_address: str | None = None) -> dict | State:
    """Load new articles from files, folders and configured sources, validated, incrementally.

    `config_path` names a sources file (`newsdesk.toml`): its feeds, pages, folders and JSONL
    files are read besides `paths`. `runner`/`workers`/`dask_address` say where extraction
    batches run (`flows.runners`; `workers` None: chosen from the cores and the run's size);
    validation and publishing stay in this process, in order. A run `newsdesk serve` was
    asked to cancel stops between batches and returns a Cancelled state (Prefect makes a
    returned state the run's final state), its summary as the data.
    """
    paths = list(paths or [])
    check_runner(runner, workers, dask_address)
    execution = {"runner": runner, "workers": workers, "dask_address": dask_address}
    logger = get_run_logger()
    run_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    summary = RunSummary(run_id=run_id, db_path=db_path)
    versions = _versions()
    # Held from before this run is recorded as 'running' until its outcome is recorded, so a
    # run that finds no other holder knows leftover 'running' rows are from killed processes.
    with warehouse.hold_run_lock(db_path) as run_lock:
        with warehouse.connect(db_path) as con:
            abandoned = warehouse.abandon_stale_runs(con) if run_lock.no_other_runs else []
            inputs = [str(p) for p in paths] + ([f"config:{config_path}"] if config_path else [])
            warehouse.start_run(con, run_id, inputs, flow_run.get_id(), versions)
        if abandoned:
            logger.warning("marked %d run(s) left 'running' by a killed process as abandoned: "
                           "%s; their articles load now", len(abandoned), ", ".join(abandoned))
        try:
            summary.status = _ingest(summary, paths, db_path, report_dir, batch_size,
                                     config_path, execution)
        except BaseException as exc:
            summary.status = "failed"
            with warehouse.connect(db_path) as con:
                warehouse.finish_run(con, run_id, "failed",
                                     {**_run_counts(summary), "error_message": str(exc)[:2000]})
            raise
        counts = _run_counts(summary)
        if summary.status == "cancelled":
            counts["error_message"] = cancellation.CANCELLED_MESSAGE
        with warehouse.connect(db_path) as con:
            warehouse.finish_run(con, run_id, summary.status, counts)
    if summary.status == "cancelled":
        logger.warning("cancelled after %d of %d new articles; %s", summary.articles_loaded,
                       summary.articles_new, cancellation.CANCELLED_MESSAGE)
        return Cancelled(message=cancellation.CANCELLED_MESSAGE, data=summary.to_dict())
    return summary.to_dict()


def _log_inputs(logger, read) -> None:
    """Name every rejected input and every note (duplicate, HTML converted), up to a cap."""
    messages = [(logger.warning, "input rejected (quarantined): %s", r) for r in read.rejects]
    messages += [(logger.info, "input note: %s", note) for note in read.notes]
    for log, template, item in messages[:MAX_LOGGED_INPUTS]:
        log(template, item)
    if len(messages) > MAX_LOGGED_INPUTS:
        logger.warning("... and %d more input messages; see `newsdesk quarantine list`",
                       len(messages) - MAX_LOGGED_INPUTS)


def _ingest(summary: RunSummary, paths: list[str], db_path: str, report_dir: str,
            batch_size: int, config_path: str | None = None,
            execution: dict | None = None) -> str:
    """Read, skip known, then extract, validate and publish batch by batch, filling `summary`.

    Return the run's status: "completed", or "cancelled" when a stop was requested for this flow
    run (flows/cancellation.py): then the loop stops at a batch boundary, so every published
    batch is whole and the unpublished ones are left to the next run, and the sources' state
    (ETags, entries seen) is not recorded, so the next run reads them in full again.

    Batches, records, frames and results are passed to tasks wrapped in `quote`: Prefect
    otherwise walks every nested element of a task's inputs looking for futures, which cost
    about 8 s per 1,000 articles on validate_batch alone.
    """
    logger = get_run_logger()
    run_id = summary.run_id
    flow_run_id = flow_run.get_id()
    read = read_articles(paths) if paths else ReadResult(articles=[], rejects=[])
    fetched = None
    if config_path:
        fetched = fetch_sources(config_path, db_path)
        read = merge_reads([read, fetched.read])
        for outcome in fetched.outcomes:
            log = logger.warning if outcome.failed else logger.info
            log("%s%s", outcome, " (not quarantined; tried again next run)"
                if outcome.failed else "")
        summary.source_errors = [str(outcome) for outcome in fetched.errors]
    _log_inputs(logger, read)
    rejected_inputs = len(read.rejects)
    summary.articles_in = len(read.articles) + rejected_inputs + read.duplicates
    summary.articles_duplicate = read.duplicates
    new = select_new_articles(db_path, run_id, quote(read))
    summary.articles_new = len(new)
    summary.articles_already_loaded = len(read.articles) - len(new)
    summary.articles_quarantined = rejected_inputs
    logger.info("%d articles in (%d new, %d already loaded, %d duplicates, %d unreadable)",
                summary.articles_in, len(new), summary.articles_already_loaded,
                read.duplicates, rejected_inputs)
    results: list[dict] = []
    last_batch = (len(new) - 1) // batch_size if new else -1
    report = None
    status = "completed"
    # closing(): a stop between batches shuts the extraction runner and its workers down here
    # (tasks running finish their chunk, queued ones are cancelled), not at garbage collection.
    with contextlib.closing(_extracted_batches(new, batch_size, execution or {})) as extracted:
        for batch_index, batch, records in extracted:
            if cancellation.is_requested(flow_run_id):  # extracted, not validated: dropped
                status = "cancelled"
                break
            # Crash tests only (inert unless set): the writer stops with batch `batch_index`
            # extracted but not validated, every earlier batch committed. Here rather than in
            # the extraction task, which may run ahead, in another process or on another machine.
            warehouse.pause_point("extract", batch_index)
            frames, validation = validate_batch(quote(batch), quote(records), run_id,
                                                batch_index)
            if cancellation.is_requested(flow_run_id):  # validated, not published: dropped
                status = "cancelled"
                break
            results.extend(validation.results)
            if batch_index == last_batch:
                # The report needs only the validation results: it renders (Python) in a thread
                # while DuckDB publishes the last batch, instead of after it (~1 s a run saved).
                report = write_report.submit(report_dir, run_id, quote(list(results)))
            counts = publish_batch(db_path, run_id, batch_index, quote(frames),
                                   quote(validation))
            for table, n in counts.published.items():
                summary.published[table] = summary.published.get(table, 0) + n
            loaded = counts.published.get("raw_articles", 0) + counts.resubmitted_articles
            # Neither loaded nor quarantined: another run published them since we selected them.
            raced = len(batch) - loaded - counts.quarantined_articles
            if raced > 0:
                summary.articles_new -= raced
                summary.articles_already_loaded += raced
                logger.info("batch %d: %d articles were loaded by a concurrent run meanwhile",
                            batch_index, raced)
            summary.articles_loaded += loaded
            summary.articles_quarantined += counts.quarantined_articles
            summary.rows_quarantined += counts.quarantined_rows
            logger.info("batch %d: %d articles, %d rows quarantined", batch_index, len(batch),
                        counts.quarantined_rows)
            done = min((batch_index + 1) * batch_size, len(new))
            if _progress:
                _progress(done, len(new))
            if batch_index != last_batch and cancellation.is_requested(flow_run_id):
                status = "cancelled"  # now, rather than after extracting the next batch
                break
    if fetched is not None and status == "completed":
        record_sources(db_path, run_id, quote(fetched))
    summary.rows_quarantined += rejected_inputs
    summary.checks_evaluated = len(results)
    summary.checks_passed = sum(1 for r in results if r["success"])
    summary.report_path = (report.result() if report is not None
                           else write_report(report_dir, run_id, quote(results)))
    return status


def split_for_extraction(new: list, batch_size: int) -> tuple[list[list], list[tuple[int, list]]]:
    """Return the run's batches and its extraction chunks, (batch_index, articles) each.

    A batch is validated and published in one transaction; each of its chunks (at most
    EXTRACT_CHUNK_SIZE articles) is one extraction task.
    """
    batches = [new[start:start + batch_size] for start in range(0, len(new), batch_size)]
    chunk_size = min(batch_size, EXTRACT_CHUNK_SIZE)
    chunks = [(batch_index, batch[start:start + chunk_size])
              for batch_index, batch in enumerate(batches)
              for start in range(0, len(batch), chunk_size)]
    return batches, chunks


def _extracted_batches(new: list, batch_size: int, execution: dict):
    """Yield (batch_index, batch, records) in order, extracted by the configured runner.

    A batch (validated and published in one transaction) is extracted as chunks of at most
    EXTRACT_CHUNK_SIZE articles, one task each, so a large batch still spreads over the
    workers while Great Expectations' fixed cost per validation (~1-4 s) is paid once per
    batch. Nothing is started for a run with no new articles (a rerun over a known corpus).
    """
    batches, chunks = split_for_extraction(new, batch_size)
    if not batches:
        return
    chunk_size = min(batch_size, EXTRACT_CHUNK_SIZE)
    runner = execution.get("runner", "local")
    workers = resolve_workers(runner, execution.get("workers"), len(chunks))
    address = execution.get("dask_address")
    get_run_logger().info("extraction runner: %s; %d batches of up to %d articles in %d "
                          "extraction tasks", runner_label(runner, workers, address),
                          len(batches), batch_size, len(chunks))
    with api_for_workers(runner), make_task_runner(runner, workers, address) as task_runner:
        warm_up(task_runner)

        def submit(chunk, chunk_index):
            return task_runner.submit(extract_batch, {"articles": chunk[1],
                                                      "batch_index": chunk_index})

        records: list[dict] = []
        # A batch's chunks plus one per worker in flight: the workers extract the next batch
        # while the writer validates and publishes this one, and memory stays bounded by about
        # two batches. With an address, --workers is the cluster's size for this queuing.
        in_flight = -(-batch_size // chunk_size) + workers
        for _, (batch_index, _chunk), chunk_records in extract_in_order(submit, chunks,
                                                                          in_flight):
            records.extend(chunk_records)
            if len(records) == len(batches[batch_index]):
                yield batch_index, batches[batch_index], records
                records = []


_preload_started = threading.Event()


def preload_in_background(runner: str = "local") -> None:
    """Load the model, then Great Expectations and its context, while Prefect starts the run.

    A cold one-off run otherwise pays these one after the other: the Prefect API (a temporary
    server takes 5-20 s to start here; a running one still costs a few calls per task), the
    model load with the extractors' data (~2.5 s, needed first: extraction waits for it) and
    GX's import plus context (~5 s, needed only at validation) overlap where either side waits
    on I/O. Later uses simply find the
    pipeline cached and the module imported. The CLI calls it before it waits for its
    temporary API (`flows.early_api`); `run_ingest` calls it again, which then does nothing.
    Forked workers inherit the flow process's pipeline: a local run loads it here either way.
    """
    in_process_extraction = runner == "local"
    if "great_expectations" in sys.modules or _preload_started.is_set():
        return
    _preload_started.set()

    def preload() -> None:
        if in_process_extraction:
            load_nlp()  # with the extractors' own data (transforms.nlp warms them)
        from expectations.country_boxes import country_boxes
        from expectations.validate import get_validator

        get_validator()
        country_boxes()  # the coordinate checks' outlines and cities: 0.6 s on first use

    threading.Thread(target=preload, name="newsdesk-preload", daemon=True).start()


def run_ingest(paths: list[str | Path], db_path: str | Path = warehouse.DEFAULT_DB_PATH,
               report_dir: str | Path = DEFAULT_REPORT_DIR,
               batch_size: int = DEFAULT_BATCH_SIZE,
               config_path: str | Path | None = None, runner: str = "local",
               workers: int | None = None, dask_address: str | None = None) -> RunSummary:
    """Run the ingest flow and return its summary (the function the CLI and benches call)."""
    preload_in_background(runner)
    result = ingest_articles(paths=[str(p) for p in paths], db_path=str(db_path),
                             report_dir=str(report_dir), batch_size=batch_size,
                             config_path=str(config_path) if config_path else None,
                             runner=runner, workers=workers, dask_address=dask_address)
    published = result.pop("published")
    summary = RunSummary(**{k: v for k, v in result.items()})
    summary.published = published
    return summary
