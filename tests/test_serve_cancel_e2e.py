"""Cancelling a run of `newsdesk serve` from the API, end to end: it stops between batches.

A real `prefect server` and `newsdesk serve` (tests/prefect_server.py) serve a deployment over
a folder of 20 articles in batches of 2, extracted by 2 forked workers. The test cancels a run
as the UI does (set_state CANCELLING) once two batches are published, then checks that the run
ended Cancelled with whole batches published, that ops_runs says 'cancelled', that the forked
workers are gone, and that the next run (in one batch) loads exactly the rest: 20 articles,
each once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import warehouse
from flows.cancellation import CANCELLED_MESSAGE
from tests.prefect_server import FINAL_STATES, PrefectServer, Serve, wait_for

pytestmark = pytest.mark.slow

ARTICLES = 20
BATCH_SIZE = 2
#: Generous for a loaded 2-core machine; a timeout fails with both processes' log tails.
START_TIMEOUT_S = 240
RUN_TIMEOUT_S = 180
SERVED = f"""\
deployments:
  - name: cancel-me
    entrypoint: flows/ingest.py:ingest_articles
    parameters:
      paths: ["inbox"]
      db_path: newsdesk.duckdb
      report_dir: reports
      run_label: cancel-test
      batch_size: {BATCH_SIZE}
      workers: 2
"""
TEXT = ("Police in Nairobi arrested {n} protesters on Monday after a march against new taxes "
        "turned violent, and the interior minister said they would appear in court.")


def _children(pid: int) -> set[int]:
    """Return the process ids of `pid`'s direct children (Linux /proc)."""
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.update(int(c) for c in (task / "children").read_text().split())
        except OSError:  # the thread ended meanwhile
            continue
    return children


def _published_batches(server: PrefectServer, flow_run_id: str) -> int:
    """Return how many publish_batch task runs of the flow run have completed."""
    response = server.request("POST", "/task_runs/filter", json={
        "flow_runs": {"id": {"any_": [flow_run_id]}},
        "task_runs": {"name": {"like_": "publish_batch"},
                      "state": {"type": {"any_": ["COMPLETED"]}}}})
    return len(response.json())


def _finished(server: PrefectServer, flow_run_id: str) -> dict | None:
    run = server.flow_run(flow_run_id)
    return run if run["state_type"] in FINAL_STATES else None


def test_cancelling_a_served_run_stops_it_between_batches(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "articles.jsonl").write_text("".join(
        json.dumps({"id": f"c{n}", "text": TEXT.format(n=n + 10), "published": "2024-03-04"})
        + "\n" for n in range(ARTICLES)), encoding="utf-8")
    config = tmp_path / "prefect.yaml"
    config.write_text(SERVED, encoding="utf-8")
    home = tmp_path / "prefect_home"
    home.mkdir()
    server = PrefectServer(home, tmp_path / "server.log")
    serve = Serve(server, config, tmp_path / "serve.log")
    processes = [server, serve]
    try:
        wait_for(server.is_healthy, START_TIMEOUT_S, "prefect server /api/health", processes)
        deployment_id = wait_for(lambda: server.deployment_id("ingest-articles", "cancel-me"),
                                 START_TIMEOUT_S, "newsdesk serve to register", processes)
        before = _children(serve.process.pid)
        run = server.create_flow_run(deployment_id)
        workers: set[int] = set()

        def two_batches_published() -> bool:
            workers.update(_children(serve.process.pid) - before)
            return _published_batches(server, run["id"]) >= 2

        wait_for(two_batches_published, RUN_TIMEOUT_S, "two published batches", processes,
                 interval_s=0.2)
        # what the UI's "Cancel" and `prefect flow-run cancel` do
        server.request("POST", f"/flow_runs/{run['id']}/set_state",
                       json={"state": {"type": "CANCELLING", "name": "Cancelling"}})
        cancelled = wait_for(lambda: _finished(server, run["id"]), RUN_TIMEOUT_S,
                             "the cancelled run to end", processes)
        left_over = workers & _children(serve.process.pid)
        with warehouse.connect(tmp_path / "newsdesk.duckdb", read_only=True) as con:
            first_loaded = con.execute("select count(*) from raw_articles").fetchall()[0][0]

        # one batch: a different batch size must not change which articles are left to load
        second = server.create_flow_run(deployment_id, {"batch_size": ARTICLES})
        completed = wait_for(lambda: _finished(server, second["id"]), RUN_TIMEOUT_S,
                             "the second run to end", processes)
        serve.check_alive()
    finally:
        serve.stop()
        server.stop()

    assert cancelled["state_type"] == "CANCELLED", cancelled["state"]
    assert cancelled["state"]["message"] == CANCELLED_MESSAGE
    assert len(workers) >= 2  # the forked extraction workers ran during the run ...
    assert not left_over  # ... and stopping early shut them down
    assert completed["state_type"] == "COMPLETED", completed["state"]
    with warehouse.connect(tmp_path / "newsdesk.duckdb", read_only=True) as con:
        runs = con.execute("""
            select flow_run_id, status, articles_new, articles_loaded, articles_already_loaded,
                   error_message
            from ops_runs order by started_at""").fetchall()
        total, distinct = con.execute(
            "select count(*), count(distinct article_id) from raw_articles").fetchall()[0]
    (first_id, first_status, first_new, first_done, _, first_error), second_run = runs
    assert (first_id, first_status, first_error) == (run["id"], "cancelled", CANCELLED_MESSAGE)
    # whole batches only: at least the two seen published, not all of them
    assert first_new == ARTICLES and first_done == first_loaded
    assert 2 * BATCH_SIZE <= first_loaded < ARTICLES and first_loaded % BATCH_SIZE == 0
    assert second_run == (second["id"], "completed", ARTICLES - first_loaded,
                          ARTICLES - first_loaded, first_loaded, None)
    assert total == distinct == ARTICLES
