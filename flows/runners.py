"""Where extraction batches run: a thread, a local process pool, or a Dask cluster.

The flow process is always the single writer: it validates and publishes batch k (in order)
while the runner extracts the next batches. Extraction is the step worth spreading out (the
spaCy pipeline and extractors are most of a large run's time), and DuckDB takes one writer per
file anyway.

| runner | workers | extraction runs in |
|---|---|---|
| `local` | 1 | one thread of the flow process (`ThreadPoolTaskRunner`), one batch ahead |
| `local` | N > 1 | N processes forked from the flow, model loaded (`flows.fork_pool`) |
| `dask` | N | a Dask `LocalCluster` of N single-threaded worker processes (`prefect-dask`) |
| `dask` + address | - | the workers of an existing cluster (`tcp://scheduler:8786`) |

Without `--workers` (`resolve_workers`), a run with more than one extraction chunk uses one
forked worker per usable core, at most `MAX_AUTO_WORKERS`, and a smaller run (a scheduled
feed poll, one article through `newsdesk serve`) its single thread: on 2 cores that took the
end-to-end rate from 0.6x to about 1x raw `nlp.pipe`, while a one-article run forks nothing.

Where fork is unavailable (macOS, Windows), `local` with N > 1 uses Prefect's spawning
`ProcessPoolTaskRunner` instead. Every worker process loads the spaCy pipeline once
(`transforms.nlp.load_nlp` is cached per process) and keeps it for every batch it is given;
`warm_worker` loads it, and the extractors' data, up front so the first batches do not queue
behind model loads (forked workers inherit them from the flow).
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from flows.fork_pool import FORK_AVAILABLE, ForkedProcessTaskRunner

__all__ = ["RUNNERS", "RunnerConfigError", "api_for_workers", "check_runner", "extract_in_order",
           "make_task_runner", "resolve_workers", "runner_label", "usable_cores",
           "warm_extractors", "warm_up", "warm_worker"]

RUNNERS = ("local", "dask")
#: Most workers a run starts on its own: beyond the cores extraction gains nothing, and every
#: worker process holds its own copy-on-write share of the pipeline's memory.
MAX_AUTO_WORKERS = 4


class RunnerConfigError(ValueError):
    """An unknown runner, a worker count below 1, or an address without `--runner dask`."""


def check_runner(runner: str, workers: int | None, dask_address: str | None) -> None:
    """Refuse a runner configuration before a run is recorded (`workers` None: automatic)."""
    if runner not in RUNNERS:
        raise RunnerConfigError(f"unknown runner {runner!r}; use one of: {', '.join(RUNNERS)}")
    if workers is not None and workers < 1:
        raise RunnerConfigError(f"--workers must be at least 1, not {workers}")
    if dask_address and runner != "dask":
        raise RunnerConfigError("--dask-address needs --runner dask")
    if dask_address and not dask_address.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise RunnerConfigError(f"--dask-address {dask_address!r} is not a Dask scheduler "
                                "address such as tcp://10.0.0.5:8786")


def usable_cores() -> int:
    """The CPUs this process may run on (its affinity, e.g. a container's share)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_workers(runner: str, workers: int | None, chunk_count: int) -> int:
    """The workers a run uses: as asked, else chosen from the cores and the run's size.

    Automatic: a Dask `LocalCluster` gets one worker per usable core (at most
    `MAX_AUTO_WORKERS`); a local run with more than one extraction chunk as many forked
    workers, never more than it has chunks; one chunk, or no fork (macOS, Windows, where a
    spawned worker reloads the model for 12-15 s), stays in the flow's thread.
    """
    if workers is not None:
        return workers
    cores = min(usable_cores(), MAX_AUTO_WORKERS)
    if runner == "dask":
        return cores
    if chunk_count < 2 or not FORK_AVAILABLE:
        return 1
    return max(1, min(cores, chunk_count))


#: A short article that exercises every extractor: warming up on it loads their data.
def warm_extractors() -> tuple:
    """Load the pipeline (which warms the extractors: `transforms.nlp`) and extract a short
    article with it; return (article, records).

    Every Dask worker paid about 2 s beyond the model load on its first chunk while warming up
    only loaded the model. `newsdesk serve` stages and validates the returned records to warm
    Great Expectations too.
    """
    from transforms.articles import article_from_record
    from transforms.extract import extract_batch
    from transforms.nlp import WARM_UP_PUBLISHED, WARM_UP_TEXT

    article = article_from_record({"id": "warm-up", "text": WARM_UP_TEXT,
                                   "published": WARM_UP_PUBLISHED})
    return article, extract_batch([article])


def warm_worker() -> str:
    """Warm this worker process (`warm_extractors`) and return its model name.

    Also imports `flows.tasks`, which every task unpickles from.
    """
    import flows.tasks  # noqa: F401
    from transforms.nlp import model_name

    warm_extractors()
    return model_name()


def make_task_runner(runner: str = "local", workers: int = 1,
                     dask_address: str | None = None) -> TaskRunner:
    """Return the Prefect task runner that will execute extraction batches."""
    check_runner(runner, workers, dask_address)
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        # One thread per worker process: spaCy holds the GIL for most of a batch, so more
        # threads would only contend; processes give real parallelism.
        return DaskTaskRunner(cluster_kwargs={
            "n_workers": workers, "threads_per_worker": 1, "processes": True,
            "dashboard_address": None})
    if workers > 1:
        if FORK_AVAILABLE:
            return ForkedProcessTaskRunner(max_workers=workers)
        return ProcessPoolTaskRunner(max_workers=workers, initializer=warm_worker)
    return ThreadPoolTaskRunner(max_workers=1)


@contextlib.contextmanager
def api_for_workers(runner: str) -> Iterator[None]:
    """Point Dask workers' task runs at this flow's temporary Prefect API, if it uses one.

    Task runs on Dask workers report to the API named in the settings the flow sends along.
    With no PREFECT_API_URL the flow talks to a temporary server that those settings do not
    name, so each worker process started its own temporary server on its first task: 13-20 s,
    which made a running 2-worker cluster slower than one local worker. A configured API (what
    a cluster on other machines needs, see docs/operations.md) is left as it is.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if runner != "dask" or PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the running singleton the flow's own client uses
    if not server.running:
        yield
        return
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield


def warm_up(task_runner: TaskRunner) -> None:
    """Load the pipeline on every Dask worker now, in parallel, instead of in their first task.

    (Forked workers inherit the flow's pipeline, spawned pool processes load it in their
    initializer, and the thread runner shares the flow's.)
    Checked by name so that local runs never import prefect_dask.
    """
    if type(task_runner).__name__ == "DaskTaskRunner":
        task_runner.client.run(warm_worker)


def runner_label(runner: str, workers: int, dask_address: str | None) -> str:
    """Describe the runner for the run log ("dask (2 local workers)")."""
    if runner == "dask":
        return f"dask ({dask_address})" if dask_address else f"dask ({workers} local workers)"
    return "local (1 extraction thread)" if workers == 1 else f"local ({workers} processes)"


def extract_in_order(submit: Callable[[Any, int], Any], batches: Sequence[Any],
                     in_flight: int) -> Iterator[tuple[int, Any, Any]]:
    """Yield (batch_index, batch, records) in input order, keeping `in_flight` batches submitted.

    `submit(batch, batch_index)` returns a future with `.result()`. Bounding the batches in
    flight bounds memory (a run streams through its input), while keeping every worker busy
    as the writer consumes the oldest batch.
    """
    pending: deque[tuple[int, Any, Any]] = deque()
    next_index = 0
    while next_index < len(batches) or pending:
        while next_index < len(batches) and len(pending) < max(1, in_flight):
            pending.append((next_index, batches[next_index],
                            submit(batches[next_index], next_index)))
            next_index += 1
        batch_index, batch, future = pending.popleft()
        yield batch_index, batch, future.result()
