"""Extraction runners: the Dask and process-pool runners load exactly what the default one does."""

from __future__ import annotations

from pathlib import Path

import pytest

import warehouse
from flows.fork_pool import FORK_AVAILABLE, ForkedProcessTaskRunner, extract_in_worker
from flows import runners
from flows.runners import RunnerConfigError, check_runner, extract_in_order, make_task_runner

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
FACT_TABLES = ("raw_articles", "fct_mentions", "fct_dates", "fct_headcounts", "fct_events")
#: Columns that differ between two runs of the same input by design.
RUN_COLUMNS = {"run_id", "_run_id", "_loaded_at", "loaded_at", "published_at"}
#: Small batches so the sample (17 articles) spans several batches and the order matters.
BATCH_SIZE = 5


@pytest.mark.parametrize(("runner", "workers", "address", "message"), [
    ("spark", 1, None, "unknown runner"),
    ("local", 0, None, "at least 1"),
    ("local", 2, "tcp://127.0.0.1:8786", "needs --runner dask"),
    ("dask", 2, "127.0.0.1:8786", "not a Dask scheduler address"),
])
def test_check_runner_refuses_bad_configurations(runner, workers, address, message):
    with pytest.raises(RunnerConfigError, match=message):
        check_runner(runner, workers, address)


@pytest.mark.parametrize(("runner", "asked", "chunks", "cores", "fork", "expected"), [
    ("local", 3, 1, 2, True, 3),      # asked for: as asked, however small the run
    ("local", None, 1, 2, True, 1),   # one chunk (a feed poll, one article): no fork
    ("local", None, 8, 2, True, 2),   # a large run: one worker per core
    ("local", None, 3, 16, True, 3),  # never more workers than chunks
    ("local", None, 64, 16, True, runners.MAX_AUTO_WORKERS),
    ("local", None, 8, 2, False, 1),  # spawning workers reload the model: not on its own
    ("dask", None, 1, 2, True, 2),    # a LocalCluster of one worker per core
])
def test_workers_not_asked_for_follow_the_cores_and_the_run_size(
        monkeypatch, runner, asked, chunks, cores, fork, expected):
    monkeypatch.setattr(runners, "usable_cores", lambda: cores)
    monkeypatch.setattr(runners, "FORK_AVAILABLE", fork)
    assert runners.resolve_workers(runner, asked, chunks) == expected


def test_make_task_runner_picks_the_runner_for_the_options():
    assert type(make_task_runner("local", 1)).__name__ == "ThreadPoolTaskRunner"
    pool = make_task_runner("local", 3)
    assert type(pool).__name__ == "ForkedProcessTaskRunner" and pool._max_workers == 3
    cluster = make_task_runner("dask", 2)
    assert cluster.cluster_kwargs["n_workers"] == 2
    assert cluster.cluster_kwargs["threads_per_worker"] == 1
    assert make_task_runner("dask", 1, "tcp://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def test_extract_in_order_keeps_order_and_bounds_batches_in_flight():
    submitted: list[int] = []
    taken: list[int] = []

    def submit(batch, index):
        submitted.append(index)
        assert len(submitted) - len(taken) <= 3, "more batches in flight than allowed"
        return _Done([x * 10 for x in batch])

    out = []
    for index, batch, records in extract_in_order(submit, [[1], [2], [3], [4], [5]], 3):
        taken.append(index)
        out.append((index, batch, records))
    assert out == [(0, [1], [10]), (1, [2], [20]), (2, [3], [30]), (3, [4], [40]),
                   (4, [5], [50])]
    assert submitted == [0, 1, 2, 3, 4]


def _fact_rows(db: Path) -> dict[str, list[tuple]]:
    """Every fct_* / raw_articles row, without the columns a run sets, sorted."""
    rows = {}
    with warehouse.connect(db, read_only=True) as con:
        for table in FACT_TABLES:
            columns = [row[0] for row in con.execute(f"describe {table}").fetchall()
                       if row[0] not in RUN_COLUMNS]
            rows[table] = sorted(con.execute(
                f"select {', '.join(columns)} from {table}").fetchall(), key=repr)
    return rows


@pytest.fixture(scope="module")
def default_rows(prefect_api, tmp_path_factory):
    """The warehouse rows the default runner loads from data/sample."""
    from flows.ingest import run_ingest

    folder = tmp_path_factory.mktemp("default")
    summary = run_ingest([SAMPLE_DIR], db_path=folder / "w.duckdb",
                         report_dir=folder / "reports", batch_size=BATCH_SIZE, workers=1)
    assert summary.articles_loaded > BATCH_SIZE * 2
    return _fact_rows(folder / "w.duckdb")


@pytest.mark.slow
@pytest.mark.parametrize(("runner", "workers", "expected_workers"),
                         [("dask", 2, 2), ("local", 2, 2), ("local", None, 2)])
def test_parallel_runners_load_the_same_rows_as_the_default(
        prefect_api, default_rows, tmp_path, monkeypatch, runner, workers, expected_workers):
    import flows.ingest
    from flows.ingest import run_ingest

    monkeypatch.setattr(runners, "usable_cores", lambda: 2)  # workers None: as on 2 cores
    used = []
    make = flows.ingest.make_task_runner
    monkeypatch.setattr(flows.ingest, "make_task_runner",
                        lambda *args: used.append(args[1]) or make(*args))
    summary = run_ingest([SAMPLE_DIR], db_path=tmp_path / "w.duckdb",
                         report_dir=tmp_path / "reports", batch_size=BATCH_SIZE,
                         runner=runner, workers=workers)
    assert summary.status == "completed"
    assert used == [expected_workers]
    rows = _fact_rows(tmp_path / "w.duckdb")
    for table in FACT_TABLES:
        assert rows[table] == default_rows[table], f"{table} differs under --runner {runner}"
    assert len(rows["fct_events"]) > 0


@pytest.mark.slow
def test_dask_workers_load_the_pipeline_once_per_process(prefect_api, tmp_path):
    """Many batches on a 2-worker cluster: each worker process builds `nlp` exactly once."""
    from distributed import Client, LocalCluster

    from flows.ingest import run_ingest

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        summary = run_ingest([SAMPLE_DIR], db_path=tmp_path / "w.duckdb",
                             report_dir=tmp_path / "reports", batch_size=2, runner="dask",
                             workers=2, dask_address=cluster.scheduler_address)
        assert summary.articles_loaded > 8  # more batches than workers

        def pipeline_loads() -> tuple[int, int]:
            from transforms.nlp import load_nlp

            info = load_nlp.cache_info()
            return info.misses, info.hits

        loads = client.run(pipeline_loads)
    assert len(loads) == 2
    assert all(misses == 1 for misses, _ in loads.values()), loads
    assert sum(hits for _, hits in loads.values()) >= 8, loads


def _worker_facts() -> tuple[int, int]:
    import os

    from transforms.nlp import load_nlp

    return os.getpid(), load_nlp.cache_info().misses


@pytest.mark.skipif(not FORK_AVAILABLE, reason="forked workers are Linux only")
def test_forked_workers_extract_what_the_flow_process_does_without_reloading(nlp):
    import os

    from transforms.articles import read_inputs
    from transforms.extract import extract_batch

    articles = read_inputs([SAMPLE_DIR]).articles[:3]
    expected = extract_batch(articles)
    with ForkedProcessTaskRunner(max_workers=2) as runner:
        assert extract_in_worker(articles) == expected
        pid, loads = runner._pool.submit(_worker_facts).result()
    assert pid != os.getpid()
    assert loads == 1  # the parent's one load, inherited: the worker never loaded again
    assert extract_in_worker(articles) is None  # no pool once the runner has exited


_HOLD_A_POOL = """
import sys, time
import flows.runners
flows.runners.warm_worker = lambda: "no model needed"
from flows.fork_pool import ForkedProcessTaskRunner
with ForkedProcessTaskRunner(max_workers=2) as runner:
    print(" ".join(str(pid) for pid in runner._pool._processes), flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(not FORK_AVAILABLE, reason="forked workers are Linux-only")
def test_forked_workers_die_with_a_killed_flow_process():
    import os
    import signal
    import subprocess
    import sys
    import time

    flow = subprocess.Popen([sys.executable, "-c", _HOLD_A_POOL], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in flow.stdout.readline().split()]
        assert len(workers) == 2
    finally:
        flow.send_signal(signal.SIGKILL)  # as the OOM killer would: no cleanup runs
        flow.wait()

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return not Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].startswith("Z")

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
