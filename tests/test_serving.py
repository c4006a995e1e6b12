"""prefect.yaml is the one place schedules live; `newsdesk serve` builds its deployments from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.serving import DeploymentConfigError, load_deployments

ROOT = Path(__file__).resolve().parents[1]


def test_prefect_yaml_deployments_have_cron_schedules_and_parameters():
    deployments = load_deployments(ROOT / "prefect.yaml")
    inbox = next(d for d in deployments if d.name == "ingest-inbox")
    schedule = inbox.schedules[0].schedule
    assert schedule.cron == "*/15 * * * *" and schedule.timezone == "UTC"
    assert inbox.parameters["paths"] == ["data/inbox"]
    assert (ROOT / "data" / "inbox").is_dir()


def test_unknown_entrypoint_is_a_clear_error(tmp_path):
    config = tmp_path / "prefect.yaml"
    config.write_text("deployments:\n  - name: x\n    entrypoint: flows/nope.py:missing\n",
                      encoding="utf-8")
    with pytest.raises(DeploymentConfigError, match="known: flows/ingest.py:ingest_articles"):
        load_deployments(config)
