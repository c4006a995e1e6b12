"""prefect.yaml is the one place schedules live; `newsdesk serve` builds its deployments from it."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest

from flows.serving import SKIPPED_MESSAGE, DeploymentConfigError, _due_runs, load_deployments
from tests.prefect_server import ROOT


def test_prefect_yaml_deployments_have_cron_schedules_and_parameters():
    deployments = {d.name: d for d in load_deployments(ROOT / "prefect.yaml")}
    inbox = deployments["ingest-inbox"]
    schedule = inbox.schedules[0].schedule
    assert schedule.cron == "*/15 * * * *" and schedule.timezone == "UTC"
    assert inbox.parameters["paths"] == ["data/inbox"]
    assert (ROOT / "data" / "inbox").is_dir()
    report = deployments["report-daily"]
    assert report.flow_name == "write-report"
    assert report.schedules[0].schedule.timezone == "Europe/Paris"
    assert all(d.paused is False for d in deployments.values())  # serving resumes paused ones


def test_interval_schedules_with_a_timezone(tmp_path):
    config = tmp_path / "prefect.yaml"
    config.write_text("deployments:\n  - name: quick\n"
                      "    entrypoint: flows/ingest.py:ingest_articles\n"
                      "    schedules:\n      - interval: 4\n        timezone: Europe/Paris\n"
                      "        anchor_date: '2024-01-01T00:00:00'\n", encoding="utf-8")
    [deployment] = load_deployments(config)
    schedule = deployment.schedules[0].schedule
    assert schedule.interval == dt.timedelta(seconds=4) and schedule.timezone == "Europe/Paris"


@pytest.mark.parametrize(("deployment", "message"), [
    ("  - name: x\n    entrypoint: flows/nope.py:missing\n",
     "known: flows/ingest.py:ingest_articles, flows/reporting.py:write_warehouse_report"),
    ("  - name: x\n    entrypoint: flows/ingest.py:ingest_articles\n    schedules:\n"
     "      - rrule: FREQ=DAILY\n", "schedule without 'cron' or 'interval'"),
    ("  - name: x\n    entrypoint: flows/ingest.py:ingest_articles\n    schedules:\n"
     "      - interval: 0\n", "give seconds > 0"),
    ("  - entrypoint: flows/ingest.py:ingest_articles\n", "has no 'name'"),
])
def test_config_mistakes_are_clear_errors(tmp_path, deployment, message):
    config = tmp_path / "prefect.yaml"
    config.write_text("deployments:\n" + deployment, encoding="utf-8")
    with pytest.raises(DeploymentConfigError, match=message):
        load_deployments(config)


class FakeClient:
    """The two Prefect client calls `_due_runs` makes, recorded."""

    def __init__(self, runs):
        self.runs, self.states = runs, []

    def get_scheduled_flow_runs_for_deployments(self, deployment_ids, scheduled_before):
        return self.runs

    def set_flow_run_state(self, flow_run_id, state, force):
        self.states.append((flow_run_id, state.type.value, state.message))


def _run(deployment_id, minutes_ago, parameters=None, auto_scheduled=True):
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)
    return SimpleNamespace(id=uuid.uuid4(), deployment_id=deployment_id,
                           expected_start_time=start, parameters=parameters or {"p": 1},
                           auto_scheduled=auto_scheduled)


def test_a_backlog_of_due_runs_collapses_to_the_latest_per_deployment():
    ingest, report = uuid.uuid4(), uuid.uuid4()
    old, older, latest = _run(ingest, 30), _run(ingest, 45), _run(ingest, 15)
    other_params, daily = _run(ingest, 40, {"p": 2}), _run(report, 50)
    client = FakeClient([latest, old, daily, other_params, older])
    due = _due_runs(client, {ingest: None, report: None})
    assert due == [daily, other_params, latest]  # oldest first, one per deployment+parameters
    assert {(i, t) for i, t, _ in client.states} == {(older.id, "CANCELLED"),
                                                      (old.id, "CANCELLED")}
    assert {m for *_, m in client.states} == {SKIPPED_MESSAGE}


def test_runs_someone_asked_for_are_never_skipped_as_duplicates():
    handoff = uuid.uuid4()
    first, second = _run(handoff, 2, auto_scheduled=False), _run(handoff, 1, auto_scheduled=False)
    scheduled_old, scheduled_new = _run(handoff, 3), _run(handoff, 0.5)
    client = FakeClient([second, scheduled_new, first, scheduled_old])
    due = _due_runs(client, {handoff: None})
    assert due == [first, second, scheduled_new]  # same parameters, both asked-for runs run
    assert [(i, t) for i, t, _ in client.states] == [(scheduled_old.id, "CANCELLED")]
