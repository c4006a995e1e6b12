"""Serve the deployments declared in prefect.yaml, warm, so schedules live in one place.

Why not `prefect.serve`: its runner starts every flow run in a fresh interpreter, which pays
the imports (Great Expectations ~6 s, Prefect ~3 s, spaCy ~2 s) and the model load on each run.
`newsdesk serve` registers the same deployments with the Prefect API, loads the pipeline once,
then polls the API for due runs of its deployments and executes them in this process, one at a
time: one process is the warehouse's one writer, and a run's fixed cost is its own work.

Runs still go through Prefect's engine (states, logs, task runs in the UI). Cancelling a run
from the UI cannot kill a child process (there is none): the serve watches the run it executes
and the ingest flow stops cooperatively at its next batch boundary, ending Cancelled with its
published batches kept (flows/cancellation.py, flows/serve_wake.py). Stopping `newsdesk serve`
interrupts a run at once instead (Crashed, failed in ops_runs; the next run finishes its work).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from prefect import Flow
from prefect.schedules import Cron, Interval

from flows.handoff import HANDOFF_DEPLOYMENT
from flows.ingest import ingest_articles
from flows.serve_wake import wake_on_new_runs, watch_for_cancelling
from flows.reporting import write_warehouse_report

__all__ = ["DEFAULT_POLL_S", "DeploymentConfigError", "ServeError", "load_deployments",
           "read_deployment_specs", "serve_deployments"]

FLOWS: dict[str, Flow] = {
    "flows/ingest.py:ingest_articles": ingest_articles,
    "flows/reporting.py:write_warehouse_report": write_warehouse_report,
}
HANDOFF_ENTRYPOINT = "flows/ingest.py:ingest_articles"
#: Seconds between polls for due runs; also the worst-case delay before a due run starts when
#: the API's events do not wake the serve earlier (flows/serve_wake.py).
DEFAULT_POLL_S = float(os.environ.get("NEWSDESK_SERVE_POLL_S", "0.5"))
#: How long `serve` waits for the Prefect API to answer at start (a server starting alongside).
API_WAIT_S = float(os.environ.get("NEWSDESK_SERVE_API_WAIT_S", "120"))
#: Pause after a failed call to the API before polling again.
API_RETRY_S = 10.0
SKIPPED_MESSAGE = ("skipped: a later scheduled run of this deployment was also due, and one "
                   "run loads everything new")


class DeploymentConfigError(ValueError):
    """prefect.yaml names a flow newsdesk does not have, or lacks a needed field."""


class ServeError(RuntimeError):
    """The Prefect API could not be reached or refused the deployments."""


def read_deployment_specs(config: Path) -> list[dict[str, Any]]:
    """Return the `deployments:` entries of prefect.yaml, checked for name and entrypoint."""
    spec = yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}
    items = spec.get("deployments") or []
    for item in items:
        if not item.get("name"):
            raise DeploymentConfigError(f"{config}: a deployment has no 'name'")
        if item.get("entrypoint", "") not in FLOWS:
            raise DeploymentConfigError(
                f"{config}: deployment {item.get('name')!r} has entrypoint "
                f"{item.get('entrypoint')!r}; known: {', '.join(FLOWS)}")
    return items


def _schedule(config: Path, name: str, schedule: dict[str, Any]):
    """Build a Cron or Interval schedule from one `schedules:` entry of prefect.yaml."""
    timezone = schedule.get("timezone")
    active = schedule.get("active", True)
    if "cron" in schedule:
        return Cron(schedule["cron"], timezone=timezone, active=active)
    if "interval" in schedule:
        seconds = schedule["interval"]
        if not isinstance(seconds, int | float) or seconds <= 0:
            raise DeploymentConfigError(
                f"{config}: deployment {name!r} has interval {seconds!r}; give seconds > 0")
        anchor = schedule.get("anchor_date")
        anchor = dt.datetime.fromisoformat(str(anchor)) if anchor else None
        return Interval(seconds, anchor_date=anchor, timezone=timezone, active=active)
    raise DeploymentConfigError(
        f"{config}: deployment {name!r} has a schedule without 'cron' or 'interval'")


def load_deployments(config: Path) -> list:
    """Build a RunnerDeployment for each deployment in prefect.yaml."""
    deployments = []
    for item in read_deployment_specs(config):
        schedules = [_schedule(config, item["name"], s) for s in item.get("schedules") or []]
        deployments.append(FLOWS[item["entrypoint"]].to_deployment(
            name=item["name"], schedules=schedules, paused=False,
            parameters=item.get("parameters") or {}, tags=item.get("tags") or [],
            description=item.get("description"),
            concurrency_limit=item.get("concurrency_limit")))
    return deployments


def _handoff_deployment():
    """The unscheduled deployment `newsdesk run` hands its runs to (see flows.handoff)."""
    return FLOWS[HANDOFF_ENTRYPOINT].to_deployment(
        name=HANDOFF_DEPLOYMENT, paused=False,
        description="Runs handed over by `newsdesk run` while this serve process is up.")


def _logger():
    from prefect.logging import get_logger

    return get_logger("newsdesk.serve")


def _warm_up() -> None:
    """Extract, stage and validate one article in memory, so the first run pays no start-up.

    Loads the spaCy pipeline and builds Great Expectations' context and suites (together
    15-20 s on the first batch of a process). Nothing is written: the warm-up's validation
    results are dropped before any Data Docs are built.
    """
    import expectations
    import warehouse
    from expectations.validate import get_validator
    from flows.runners import warm_extractors

    article, records = warm_extractors()
    validator = get_validator()
    with validator.lock:
        kept = len(validator.pending_results)
        frames = warehouse.stage_frames([article], records, "warm-up")
        expectations.validate_batch(frames, "warm-up")
        del validator.pending_results[kept:]


def _wait_for_api(timeout_s: float) -> None:
    """Wait until the Prefect API answers /health (it may be starting alongside)."""
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL

    deadline = time.monotonic() + timeout_s
    error: Exception | None = None
    while time.monotonic() < deadline:
        with get_client(sync_client=True) as client:
            error = client.api_healthcheck()
        if error is None:
            return
        time.sleep(0.5)
    raise ServeError(f"no Prefect API at {PREFECT_API_URL.value() or '(ephemeral)'} after "
                     f"{timeout_s:.0f} s: {error}; start one with `prefect server start` and "
                     "set PREFECT_API_URL")


def _due_runs(client, flows_by_deployment: dict) -> list:
    """Return the runs to execute now, oldest first; older duplicates of a due run are skipped.

    Each ingest run loads everything new, so after downtime one run catches up: of several due
    runs of a deployment with the same parameters only the latest runs, the rest are cancelled
    with a message saying why.
    """
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Cancelled

    now = dt.datetime.now(dt.UTC)
    runs = client.get_scheduled_flow_runs_for_deployments(
        deployment_ids=list(flows_by_deployment), scheduled_before=now)
    latest: dict[tuple, Any] = {}
    for run in sorted(runs, key=lambda r: r.expected_start_time or now):
        if not run.auto_scheduled:  # asked for (a UI "Quick run", `newsdesk run`): never skipped
            latest[("asked", run.id)] = run
            continue
        key = (run.deployment_id, json.dumps(run.parameters, sort_keys=True, default=str))
        if key in latest:
            with contextlib.suppress(ObjectNotFound):  # deleted meanwhile: nothing to skip
                client.set_flow_run_state(latest[key].id, Cancelled(message=SKIPPED_MESSAGE),
                                          force=True)
        latest[key] = run
    return sorted(latest.values(), key=lambda r: r.expected_start_time or now)


def _execute(client, run, flow: Flow) -> str | None:
    """Claim a scheduled run (Pending) and run it here; return its final state's name.

    The run is watched from before the claim, so a cancel that arrives at any point of it
    (event or state read) asks the flow to stop at its next batch boundary.
    """
    from prefect.client.schemas.responses import SetStateStatus
    from prefect.exceptions import ObjectNotFound
    from prefect.flow_engine import run_flow
    from prefect.states import Pending

    with watch_for_cancelling(run.id):
        try:
            claim = client.set_flow_run_state(run.id, Pending(), force=False)
            if claim.status != SetStateStatus.ACCEPT:
                return None  # another process claimed it, or it was cancelled meanwhile
            run = client.read_flow_run(run.id)
        except ObjectNotFound:
            return None  # deleted meanwhile (pausing a deployment deletes its scheduled runs)
        state = run_flow(flow, flow_run=run, return_type="state")
    return getattr(state, "name", None)


def _stop_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt, so a stop pauses schedules like Ctrl-C does."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def serve_deployments(config: Path, poll_s: float = DEFAULT_POLL_S,
                      api_wait_s: float = API_WAIT_S) -> None:
    """Serve every deployment of the config until interrupted (Ctrl-C or SIGTERM).

    Parameters' relative paths are relative to the folder holding the config, as with
    `prefect deploy`; the process works from there. On stop the deployments' schedules are
    paused (as `prefect.serve` does), so runs do not pile up while nothing serves them.
    """
    from prefect import get_client
    from prefect.exceptions import TerminationSignal

    config = Path(config).resolve()
    specs, deployments = read_deployment_specs(config), load_deployments(config)
    if not any(item["name"] == HANDOFF_DEPLOYMENT for item in specs):
        specs.append({"name": HANDOFF_DEPLOYMENT, "entrypoint": HANDOFF_ENTRYPOINT})
        deployments.append(_handoff_deployment())
    os.chdir(config.parent)
    _stop_on_sigterm()
    logger = _logger()
    started = time.monotonic()
    try:
        _warm_up()
        logger.info("pipeline loaded in %.1f s", time.monotonic() - started)
    except Exception:  # the runs will fail the same way, visibly, in Prefect and ops_runs
        logger.exception("warm-up failed; serving anyway, runs will report the error")
    _wait_for_api(api_wait_s)
    flows_by_deployment = {deployment.apply(): FLOWS[item["entrypoint"]]
                           for item, deployment in zip(specs, deployments, strict=True)}
    logger.info("serving %s from %s (polling every %.1f s); Ctrl-C to stop",
                ", ".join(d.name for d in deployments), config, poll_s)
    wake = wake_on_new_runs(flows_by_deployment)
    try:
        with get_client(sync_client=True) as client:
            while True:
                try:
                    for run in _due_runs(client, flows_by_deployment):
                        logger.info("starting flow run %s (%s)", run.name, run.id)
                        outcome = _execute(client, run, flows_by_deployment[run.deployment_id])
                        logger.info("flow run %s: %s", run.name, outcome or "claimed elsewhere")
                except httpx.HTTPError as exc:  # the API restarting or busy: keep serving
                    logger.warning("Prefect API error (%s); trying again in %.0f s", exc,
                                   API_RETRY_S)
                    time.sleep(API_RETRY_S)
                wake.wait(poll_s)  # the next poll, or at once when a run is created
                wake.clear()
    except (KeyboardInterrupt, TerminationSignal):  # Ctrl-C; SIGTERM (inside a run: Prefect's)
        logger.info("stopping; pausing the deployments' schedules")
    finally:
        _pause(flows_by_deployment, logger)


def _pause(deployment_ids, logger) -> None:
    """Pause the served deployments' schedules (best effort: the API may be gone)."""
    from prefect import get_client

    try:
        with get_client(sync_client=True) as client:
            for deployment_id in deployment_ids:
                client.pause_deployment(deployment_id)
    except httpx.HTTPError as exc:
        logger.warning("could not pause the deployments' schedules: %s", exc)

