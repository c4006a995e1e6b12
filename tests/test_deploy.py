"""`newsdesk deploy` refuses what cannot work before touching a server.

The deploy against a real `prefect server` and work pool is in tests/test_schedule_e2e.py.
"""

from __future__ import annotations

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.deploy import DeployError, deploy_deployments
from flows.serving import DeploymentConfigError
from tests.prefect_server import ROOT


def test_deploy_without_a_prefect_server_says_how_to_start_one():
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        with pytest.raises(DeployError, match="prefect server start"):
            deploy_deployments(ROOT / "prefect.yaml")


def test_deploy_refuses_an_unknown_flow_before_contacting_the_api(tmp_path):
    config = tmp_path / "prefect.yaml"
    config.write_text("deployments:\n  - name: x\n    entrypoint: flows/x.py:y\n", encoding="utf-8")
    with pytest.raises(DeploymentConfigError, match="known:"):
        deploy_deployments(config)
