"""`--workers N` on one Linux machine: extraction in worker processes forked from the flow.

Prefect's `ProcessPoolTaskRunner` spawns fresh interpreters, and each re-imports Prefect and
spaCy and reloads the model before its first batch: 12-15 s per run here, which made
`--workers 2` slower than one worker on a 1,000-article corpus. This runner loads the pipeline
once in the flow process and forks the workers from it, so they start in milliseconds with
the model already in (copy-on-write) memory.

Prefect still sees one task run per extraction chunk: the tasks run in threads of the flow
process (a `ThreadPoolTaskRunner` of N threads) and each hands its chunk to the process pool
and waits. The forked workers only run `transforms.extract.extract_batch` (no Prefect, no
DuckDB, no logging to the API), which is what makes forking a multi-threaded process safe
here: nothing they call needs a lock or a thread of the parent. Where `fork` is unavailable
or unsafe (macOS, Windows) `make_task_runner` keeps Prefect's spawning pool.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from prefect.task_runners import ThreadPoolTaskRunner

__all__ = ["FORK_AVAILABLE", "ForkedProcessTaskRunner", "extract_in_worker"]

FORK_AVAILABLE = sys.platform.startswith("linux")
#: prctl(2) option: the signal a process gets when the thread that forked it dies.
PR_SET_PDEATHSIG = 1

_active_pool: ProcessPoolExecutor | None = None
_active_lock = threading.Lock()


def extract_in_worker(articles: list) -> list[dict] | None:
    """Extract `articles` in a forked worker of the active pool; None when no pool is active.

    Called by the `extract_batch` task wherever it runs: in a thread of a flow that entered a
    `ForkedProcessTaskRunner` it ships the chunk to a worker; anywhere else (one worker, a Dask
    worker) the caller extracts in its own process.
    """
    pool = _active_pool
    if pool is None:
        return None
    return pool.submit(_extract, articles).result()


def _extract(articles: list) -> list[dict]:
    from transforms.extract import extract_batch

    return extract_batch(articles)


def _ready() -> bool:
    return True


def _die_with_flow(flow_pid: int) -> None:
    """Pool initializer: end this worker when the flow process that forked it dies.

    A flow killed outright (SIGKILL, the OOM killer, a crashed host process) cannot shut its
    pool down, and a forked worker holds its own copies of the pool's pipes, so it would wait
    for work forever, holding memory and the killed command's output pipes. Linux delivers
    SIGKILL to the worker when its parent dies (`PR_SET_PDEATHSIG`); a worker whose parent died
    before that was set exits at once.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != flow_pid:
        os._exit(1)


class ForkedProcessTaskRunner(ThreadPoolTaskRunner):
    """A thread per worker for Prefect's task runs; a forked process per worker for the work."""

    def __init__(self, max_workers: int | None = None) -> None:
        super().__init__(max_workers=max_workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ForkedProcessTaskRunner:
        global _active_pool
        from flows.runners import warm_worker

        warm_worker()  # before the fork: every worker inherits the pipeline and its data
        super().__enter__()
        self._pool = ProcessPoolExecutor(max_workers=self._max_workers,
                                         mp_context=multiprocessing.get_context("fork"),
                                         initializer=_die_with_flow, initargs=(os.getpid(),))
        # Fork every worker now, while the flow is between steps, not in the first tasks.
        waits: list[Future[Any]] = [self._pool.submit(_ready) for _ in range(self._max_workers)]
        for wait in waits:
            wait.result()
        with _active_lock:
            if _active_pool is not None:
                self._pool.shutdown()
                raise RuntimeError("another forked extraction pool is active in this process")
            _active_pool = self._pool
        return self

    def __exit__(self, *exc_info: Any) -> None:
        global _active_pool
        try:
            super().__exit__(*exc_info)
        finally:
            with _active_lock:
                if _active_pool is self._pool:
                    _active_pool = None
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
