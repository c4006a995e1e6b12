"""Serve the deployments declared in prefect.yaml, so schedules live in one place."""

from __future__ import annotations

from pathlib import Path

import yaml
from prefect import serve
from prefect.schedules import Cron

from flows.ingest import ingest_articles

__all__ = ["DeploymentConfigError", "load_deployments", "serve_deployments"]

FLOWS = {"flows/ingest.py:ingest_articles": ingest_articles}


class DeploymentConfigError(ValueError):
    """prefect.yaml names a flow newsdesk does not have, or lacks a needed field."""


def load_deployments(config: Path) -> list:
    """Build a RunnerDeployment for each deployment in prefect.yaml."""
    spec = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    deployments = []
    for item in spec.get("deployments") or []:
        flow = FLOWS.get(item.get("entrypoint", ""))
        if flow is None:
            raise DeploymentConfigError(
                f"{config}: deployment {item.get('name')!r} has entrypoint "
                f"{item.get('entrypoint')!r}; known: {', '.join(FLOWS)}")
        schedules = []
        for schedule in item.get("schedules") or []:
            if "cron" not in schedule:
                raise DeploymentConfigError(
                    f"{config}: deployment {item.get('name')!r} has a schedule without 'cron'")
            schedules.append(Cron(schedule["cron"], timezone=schedule.get("timezone")))
        deployments.append(flow.to_deployment(
            name=item["name"], schedules=schedules,
            parameters=item.get("parameters") or {}, tags=item.get("tags") or [],
            description=item.get("description")))
    return deployments


def serve_deployments(config: Path) -> None:
    """Serve every deployment of the config until interrupted (Ctrl-C)."""
    serve(*load_deployments(config))
