"""A real `prefect server` and `newsdesk serve` as subprocesses, for end-to-end tests and benches.

Each process runs in its own process group with a throwaway PREFECT_HOME, on 127.0.0.1, and is
stopped with SIGTERM then SIGKILL to the whole group. The API is read over plain HTTP (httpx),
not through Prefect's client, so the test process's own Prefect settings (the in-process test
harness other tests use) are never involved.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: Final state types: a run in one of these will not change again.
FINAL_STATES = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


class ProcessFailed(AssertionError):
    """A subprocess exited early or a wait timed out; the message ends with its log's tail."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 40) -> str:
    """Return the last lines of a log file (for failure messages)."""
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def prefect_env(home: Path, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """Environment for a Prefect process: own home, no telemetry, no UI, this API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_UI_ENABLED="false", PREFECT_LOGGING_LEVEL="INFO", **extra)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


class Background:
    """A subprocess in its own process group, logging to a file, stopped group-wide."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, log: Path) -> None:
        self.log = log
        self.args = args
        self._log_handle = log.open("wb")
        self.process = subprocess.Popen(args, env=env, cwd=cwd, stdout=self._log_handle,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def check_alive(self) -> None:
        """Raise ProcessFailed if the process has exited."""
        if self.process.poll() is not None:
            raise ProcessFailed(f"{' '.join(self.args[:3])} exited with code "
                                f"{self.process.returncode}:\n{log_tail(self.log)}")

    def stop(self, grace_s: float = 20.0) -> int | None:
        """SIGTERM the process group, then SIGKILL it after `grace_s`; return the exit code."""
        try:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(grace_s)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(10)
            try:  # children the leader left behind (uvicorn workers, flow subprocesses)
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        finally:
            self._log_handle.close()
        return self.process.returncode


def wait_for(condition: Callable[[], Any], timeout_s: float, what: str,
             alive: list[Background] = (), interval_s: float = 0.5) -> Any:
    """Poll `condition` until it returns something truthy; fail clearly on timeout or a death."""
    deadline = time.monotonic() + timeout_s
    while True:
        for process in alive:
            process.check_alive()
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {p.log.name}:\n{log_tail(p.log)}" for p in alive)
            raise ProcessFailed(f"timed out after {timeout_s:.0f} s waiting for {what}\n{logs}")
        time.sleep(interval_s)


class PrefectServer(Background):
    """`prefect server start` on 127.0.0.1:<free port> with its own home and database."""

    def __init__(self, home: Path, log: Path, scheduler_loop_s: float = 2.0) -> None:
        self.home = home
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        env = prefect_env(home, PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS=str(
            scheduler_loop_s))
        super().__init__([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                          "--port", str(self.port)], env, home, log)
        self.http = httpx.Client(base_url=self.api_url, timeout=30)

    def request(self, method: str, path: str, allow_404: bool = False,
                **kwargs) -> httpx.Response:
        """Send a request; retry a 503 (SQLite busy under load) a few times, then raise."""
        for attempt in range(6):
            response = self.http.request(method, path, **kwargs)
            if response.status_code != 503:
                break
            time.sleep(0.5 * (attempt + 1))
        if not (allow_404 and response.status_code == 404):
            response.raise_for_status()
        return response

    def is_healthy(self) -> bool:
        """Return True when /api/health answers."""
        try:
            return self.http.get("/health").status_code == 200
        except httpx.TransportError:
            return False

    def deployment_id(self, flow_name: str, deployment_name: str) -> str | None:
        """Return the deployment's id, or None if it is not registered (yet)."""
        response = self.request("GET", f"/deployments/name/{flow_name}/{deployment_name}",
                                allow_404=True)
        return response.json()["id"] if response.status_code == 200 else None

    def deployment(self, deployment_id: str) -> dict:
        """Return the deployment as the API stores it."""
        response = self.request("GET", f"/deployments/{deployment_id}")
        return response.json()

    def flow_runs(self, deployment_id: str, state_types: tuple[str, ...] = ()) -> list[dict]:
        """Return the deployment's flow runs (optionally only these state types), oldest first."""
        body: dict[str, Any] = {"deployments": {"id": {"any_": [deployment_id]}},
                                "sort": "EXPECTED_START_TIME_ASC", "limit": 200}
        if state_types:
            body["flow_runs"] = {"state": {"type": {"any_": list(state_types)}}}
        response = self.request("POST", "/flow_runs/filter", json=body)
        return response.json()

    def create_flow_run(self, deployment_id: str, parameters: dict | None = None) -> dict:
        """Ask for a run of the deployment now (as the UI's "Quick run" does)."""
        response = self.request("POST", f"/deployments/{deployment_id}/create_flow_run",
                                json={"parameters": parameters or {}})
        return response.json()

    def flow_run(self, flow_run_id: str) -> dict:
        """Return one flow run."""
        response = self.request("GET", f"/flow_runs/{flow_run_id}")
        return response.json()

    def stop(self, grace_s: float = 20.0) -> int | None:
        """Close the HTTP client and stop the server's process group."""
        self.http.close()
        return super().stop(grace_s)


class Serve(Background):
    """`newsdesk serve --config CONFIG` against a PrefectServer, working in CONFIG's folder."""

    def __init__(self, server: PrefectServer, config: Path, log: Path,
                 poll_s: float | None = 0.5) -> None:
        extra = {"NEWSDESK_SERVE_POLL_S": str(poll_s)} if poll_s is not None else {}
        env = prefect_env(server.home, server.api_url, **extra)
        super().__init__([str(BIN / "newsdesk"), "serve", "--config", str(config)], env,
                         config.parent, log)
