"""`newsdesk deploy`: register prefect.yaml's deployments with a Prefect server and work pool.

The alternative to `newsdesk serve` when runs should be picked up by Prefect workers (`prefect
worker start --pool newsdesk`) on one or more machines. Each run then starts in a fresh process
on a worker (cold: imports and model load every run), from the project folder given as the
work pool's `working_dir`. Same deployments, schedules and parameters as `newsdesk serve`,
read from the same prefect.yaml; `prefect deploy --all` does the same from Prefect's own CLI.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import typer

__all__ = ["DeployError", "deploy", "deploy_deployments"]

EXIT_INPUT_ERROR = 2
EXIT_API_ERROR = 4


class DeployError(RuntimeError):
    """No Prefect server to deploy to, or a work pool that is missing and may not be created."""


def _api_url() -> str:
    """Return the configured Prefect API URL; refuse the ephemeral one (nothing would run)."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise DeployError("PREFECT_API_URL is not set: start a server (`prefect server start`) "
                          "and `prefect config set PREFECT_API_URL=http://HOST:4200/api`")
    return url


def _ensure_work_pool(client, name: str, create: bool) -> None:
    """Create a process work pool called `name` unless it exists (or `create` is False)."""
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    try:
        client.read_work_pool(name)
    except ObjectNotFound:
        if not create:
            raise DeployError(f"work pool {name!r} does not exist; create it with `prefect "
                              f"work-pool create {name} --type process` or drop "
                              "--no-create-pool") from None
        client.create_work_pool(WorkPoolCreate(
            name=name, type="process",
            base_job_template=ProcessWorker.get_default_base_job_template(),
            description="newsdesk runs (created by `newsdesk deploy`)"))


def deploy_deployments(config: Path, work_pool: str | None = None,
                       create_pool: bool = True) -> list[dict[str, Any]]:
    """Register every deployment of prefect.yaml with its work pool; return what was made.

    The pool is `work_pool` if given, else the deployment's `work_pool.name`. Parameters'
    relative paths resolve against the project folder (the one holding prefect.yaml), which
    becomes the runs' `working_dir` unless the deployment's `work_pool.job_variables` sets one.
    """
    from prefect import get_client

    from flows.serving import (
        FLOWS,
        DeploymentConfigError,
        load_deployments,
        read_deployment_specs,
    )

    config = Path(config).resolve()
    specs, deployments = read_deployment_specs(config), load_deployments(config)
    api_url = _api_url()
    made: list[dict[str, Any]] = []
    checked: set[str] = set()
    with get_client(sync_client=True) as client:
        for item, deployment in zip(specs, deployments, strict=True):
            declared = item.get("work_pool") or {}
            pool = work_pool or declared.get("name")
            if not pool:
                raise DeploymentConfigError(f"{config}: deployment {item['name']!r} has no "
                                            "work_pool.name; give --pool")
            if pool not in checked:
                _ensure_work_pool(client, pool, create_pool)
                checked.add(pool)
            flow = FLOWS[item["entrypoint"]]
            # a module path: workers import the installed package, from any working_dir
            deployment.entrypoint = f"{flow.fn.__module__}:{flow.fn.__name__}"
            deployment.job_variables = {"working_dir": str(config.parent),
                                        **(declared.get("job_variables") or {})}
            deployment_id = deployment.apply(work_pool_name=pool)
            made.append({"name": item["name"], "id": str(deployment_id), "work_pool": pool,
                         "entrypoint": deployment.entrypoint, "api_url": api_url,
                         "schedules": item.get("schedules") or []})
    return made


def deploy(
    config: Path = typer.Option(Path("prefect.yaml"), help="prefect.yaml with the deployments."),
    pool: str = typer.Option(None, "--pool", help="Work pool for every deployment (default: "
                             "each deployment's work_pool.name in prefect.yaml)."),
    create_pool: bool = typer.Option(True, "--create-pool/--no-create-pool",
                                     help="Create a missing work pool (type process)."),
    as_json: bool = typer.Option(False, "--json", help="Print the deployments as JSON."),
) -> None:
    """Register prefect.yaml's deployments with the Prefect server at PREFECT_API_URL.

    Runs are then executed by workers: `prefect worker start --pool newsdesk` on each machine
    that has the project installed at the same path.

    Example: PREFECT_API_URL=http://127.0.0.1:4200/api newsdesk deploy
    """
    from flows.serving import DeploymentConfigError  # imports the flows: not at CLI start

    try:
        made = deploy_deployments(config, work_pool=pool, create_pool=create_pool)
    except DeploymentConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from exc
    except (DeployError, httpx.TransportError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_API_ERROR) from exc
    if as_json:
        typer.echo(json.dumps(made, indent=2))
        return
    for item in made:
        schedules = ", ".join(s.get("cron") or f"every {s.get('interval')} s"
                              for s in item["schedules"]) or "no schedule"
        typer.echo(f"deployed {item['name']} ({item['id']}) to pool {item['work_pool']}: "
                   f"{schedules}")
    pools = sorted({item["work_pool"] for item in made})
    typer.echo(f"start a worker: prefect worker start --pool {pools[0] if pools else 'newsdesk'}")
