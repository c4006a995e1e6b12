"""The ingest flow stops between batches when its run is asked to stop (flows/cancellation.py).

In process, with Prefect's test API: the flow run is created and executed as `newsdesk serve`
does (`run_flow` on a Pending run, inside `cancellation.watching`), and the stop is requested
from the progress callback once the first batch is published. tests/test_serve_cancel_e2e.py
covers the same through a real server, the UI's cancel request and the serve's listeners.
"""

from __future__ import annotations

import json

import pytest

import warehouse
from flows import cancellation
from flows.ingest import ingest_articles, run_ingest, set_progress

pytestmark = pytest.mark.slow

TEXT = ("Rebels attacked an army convoy near Goma on day {n} of the offensive, killing at least "
        "{n} soldiers, a military spokesman said.")


def test_a_stop_request_ends_the_run_cancelled_after_whole_batches(prefect_api, tmp_path):
    from prefect import get_client
    from prefect.flow_engine import run_flow

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "wire.jsonl").write_text("".join(
        json.dumps({"id": f"g{n}", "text": TEXT.format(n=n + 3), "published": "2024-03-08"})
        + "\n" for n in range(6)), encoding="utf-8")
    db, reports = tmp_path / "newsdesk.duckdb", tmp_path / "reports"
    parameters = {"paths": [str(inbox)], "db_path": str(db), "report_dir": str(reports),
                  "batch_size": 2}
    with get_client(sync_client=True) as client:
        flow_run = client.create_flow_run(ingest_articles, parameters=parameters)
    set_progress(lambda done, total: cancellation.request(flow_run.id))
    try:
        with cancellation.watching(flow_run.id):
            state = run_flow(ingest_articles, flow_run=flow_run, parameters=parameters,
                             return_type="state")
    finally:
        set_progress(None)
    assert state.is_cancelled() and state.message == cancellation.CANCELLED_MESSAGE
    summary = state.result(raise_on_failure=False)
    assert (summary["status"], summary["articles_new"], summary["articles_loaded"]) == (
        "cancelled", 6, 2)
    assert summary["checks_evaluated"] > 0 and summary["report_path"]  # the batch it published

    rest = run_ingest([inbox], db_path=db, report_dir=reports)  # `run --here`: nobody watches
    assert (rest.status, rest.articles_loaded, rest.articles_already_loaded) == ("completed", 4, 2)
    with warehouse.connect(db, read_only=True) as con:
        runs = con.execute("select flow_run_id, status, articles_loaded, error_message "
                           "from ops_runs order by started_at").fetchall()
        total, distinct = con.execute(
            "select count(*), count(distinct article_id) from raw_articles").fetchall()[0]
    assert runs[0] == (str(flow_run.id), "cancelled", 2, cancellation.CANCELLED_MESSAGE)
    assert [status for _, status, *_ in runs[1:]] == ["completed"]
    assert total == distinct == 6
