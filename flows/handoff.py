"""Hand a `newsdesk run` to a running `newsdesk serve` instead of starting the pipeline here.

A one-off run in a fresh process pays the imports (Great Expectations, Prefect, spaCy), the
model load and Great Expectations' first validation before its own work: 15-20 s for one
article. A `newsdesk serve` process has all of that loaded. When `PREFECT_API_URL` names a
Prefect server on which a serve process is polling, `newsdesk run` creates a flow run of the
serve's `ingest-articles/newsdesk-run` deployment with the command's options as parameters,
waits for it and prints the summary that run recorded in `ops_runs`. This module therefore
imports only httpx and DuckDB: the CLI process loads neither Prefect, Great Expectations
nor the model.

The serve process runs one flow run at a time, so a handed-off run also queues behind a
scheduled one instead of contending with it for the warehouse's write lock.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx

__all__ = ["HANDOFF_DEPLOYMENT", "HandoffUnavailable", "api_url_from_environment", "hand_off",
           "recorded_summary", "served_deployment_id"]

#: The unscheduled deployment every `newsdesk serve` registers for handed-off runs.
HANDOFF_DEPLOYMENT = "newsdesk-run"
FLOW_NAME = "ingest-articles"
FINAL_STATES = {"COMPLETED", "FAILED", "CANCELLED", "CRASHED"}
POLL_S = 0.1
#: Answers of a busy Prefect server worth retrying, and the pauses between attempts (~15 s).
RETRY_STATUSES = {429, 502, 503}
RETRY_PAUSES_S = (0.5, 1.0, 2.0, 4.0, 8.0)


class HandoffUnavailable(RuntimeError):
    """No ready `newsdesk serve` behind the API (the caller then runs the pipeline itself)."""


def served_deployment_id(api_url: str, timeout_s: float = 2.0) -> str:
    """Return the id of a ready serve's hand-off deployment, or raise HandoffUnavailable.

    Ready means the Prefect server has seen the serve process poll for runs lately (Prefect's
    deployment status READY) and the deployment is not paused (a stopped serve pauses it).
    """
    try:
        response = httpx.get(f"{api_url}/deployments/name/{FLOW_NAME}/{HANDOFF_DEPLOYMENT}",
                             timeout=timeout_s)
    except httpx.HTTPError as exc:
        raise HandoffUnavailable(f"no Prefect API at {api_url}: {exc}") from exc
    if response.status_code == 404:
        raise HandoffUnavailable(f"no `newsdesk serve` has registered {FLOW_NAME}/"
                                 f"{HANDOFF_DEPLOYMENT} on {api_url}")
    response.raise_for_status()
    deployment = response.json()
    if deployment.get("paused") or deployment.get("status") != "READY":
        raise HandoffUnavailable(f"the `newsdesk serve` behind {api_url} is not polling "
                                 f"(deployment status {deployment.get('status')})")
    return deployment["id"]


def hand_off(api_url: str, deployment_id: str, parameters: dict[str, Any],
             timeout_s: float | None = None) -> dict[str, Any]:
    """Create a run of the serve's deployment, wait for it; return the summary it recorded.

    Paths in `parameters` must be absolute: the serve process works in its own folder.
    Raises RuntimeError when the run does not complete (its state message says why).
    """
    with httpx.Client(base_url=api_url, timeout=30) as client:
        created = _request(client, "POST", f"/deployments/{deployment_id}/create_flow_run",
                           json={"parameters": parameters})
        run_id = created.json()["id"]
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            run = _request(client, "GET", f"/flow_runs/{run_id}").json()
            state = run.get("state") or {}
            if state.get("type") in FINAL_STATES:
                break
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"flow run {run_id} still {state.get('name')} after "
                                   f"{timeout_s:.0f} s; it goes on in `newsdesk serve`")
            time.sleep(POLL_S)
    if state["type"] != "COMPLETED":
        raise RuntimeError(f"flow run {run['name']} ({run_id}) ended {state.get('name')}: "
                           f"{state.get('message') or 'see the serve log'}")
    return recorded_summary(Path(parameters["db_path"]), run_id)


def _request(client: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Send a request, retrying what a busy Prefect server answers: 503 (its SQLite database
    locked), 502, 429 and dropped connections, as Prefect's own client does; then raise.

    A 503 means the server rolled the request back, so retrying a create is safe.
    """
    for pause in (*RETRY_PAUSES_S, None):
        try:
            response = client.request(method, path, **kwargs)
        except httpx.TransportError:
            if pause is None:
                raise
        else:
            if response.status_code not in RETRY_STATUSES or pause is None:
                response.raise_for_status()
                return response
        time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover - the last attempt returns or raises


def recorded_summary(db_path: Path, flow_run_id: str) -> dict[str, Any]:
    """Return the run's ops_runs row shaped like `flows.ingest.RunSummary.to_dict()`."""
    import duckdb

    for attempt in range(20):  # the serve may be opening the file for its next run
        try:
            with duckdb.connect(str(db_path), read_only=True) as con:
                cursor = con.execute("select * from ops_runs where flow_run_id = ?",
                                     [flow_run_id])
                columns = [d[0] for d in cursor.description]
                rows = cursor.fetchall()
            break
        except duckdb.IOException:
            if attempt == 19:
                raise
            time.sleep(0.25)
    if not rows:
        raise RuntimeError(f"flow run {flow_run_id} completed but recorded no run in {db_path}")
    row = dict(zip(columns, rows[0], strict=True))
    return {
        "run_id": row["run_id"], "db_path": str(db_path),
        **{key: row[key] or 0 for key in (
            "articles_in", "articles_new", "articles_already_loaded", "articles_duplicate",
            "articles_loaded", "articles_quarantined")},
        "published": {"fct_mentions": row["mentions_published"] or 0,
                      "fct_events": row["events_published"] or 0,
                      "fct_dates": row["dates_published"] or 0,
                      "fct_headcounts": row["headcounts_published"] or 0},
        "rows_quarantined": row["rows_quarantined"] or 0,
        "checks_evaluated": row["checks_evaluated"] or 0,
        "checks_passed": row["checks_passed"] or 0,
        "report_path": row["report_path"], "status": row["status"], "source_errors": [],
        "flow_run_id": flow_run_id, "handed_to": "newsdesk serve",
    }


def api_url_from_environment() -> str | None:
    """The Prefect API the CLI would report to, from PREFECT_API_URL (profiles not read)."""
    return os.environ.get("PREFECT_API_URL") or None
