"""Start a one-off command's temporary Prefect API first, so it boots while the pipeline loads.

With no Prefect API configured, Prefect starts a temporary API server at a flow's first call:
it imports `prefect.server` in the command's own process (about 6 s of CPU here) and only then
boots the server in a subprocess (7 s or more), after the imports and the model load the run
needs anyway, one after the other. A cold `newsdesk run` took 28 s that way, 4.8 times its
imports and model load.

`newsdesk run` instead starts the same server (Prefect's own uvicorn command, environment and
database) as its first step, without importing `prefect.server` itself, and points the run at
it: the server boots on the second core while this process imports spaCy and Great
Expectations and loads the model. The server is stopped when the command exits, as Prefect's
is, and is killed with it if the command is killed outright.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.util
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["EarlyApi", "EarlyApiError", "start_early_api", "using_api"]

PORTS = range(8000, 9000)  # Prefect's own range for its temporary server
PORT_IN_USE_EXIT = 3  # uvicorn's exit status when it cannot bind its port
PR_SET_PDEATHSIG = 1


class EarlyApiError(RuntimeError):
    """The temporary API server exited or never answered; the message says what to do."""


class EarlyApi:
    """A temporary Prefect API server started by this process, stopped when it exits."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self.port = _free_port()
        self.process = _start_server(self.port)
        atexit.register(self.stop)

    @property
    def api_url(self) -> str:
        """The server's API URL, for PREFECT_API_URL."""
        return f"http://127.0.0.1:{self.port}/api"

    def wait_until_ready(self) -> None:
        """Block until the server answers its health check; raise EarlyApiError if it never does."""
        import httpx

        deadline = time.monotonic() + self.timeout_s
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                status = self.process.poll()
                if status == PORT_IN_USE_EXIT:  # taken since we picked it: try another
                    self.port = _free_port()
                    self.process = _start_server(self.port)
                    continue
                if status is not None:
                    raise EarlyApiError(f"the temporary Prefect API server exited with status "
                                       f"{status} before it was ready")
                with contextlib.suppress(httpx.TransportError):
                    if client.get(f"{self.api_url}/health").status_code == 200:
                        return
                time.sleep(0.1)
        self.stop()
        raise EarlyApiError(f"the temporary Prefect API server was not ready after "
                           f"{self.timeout_s:.0f} s (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_"
                           f"SECONDS); start one with `prefect server start` and set "
                           f"PREFECT_API_URL")

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 5 s); safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_early_api() -> EarlyApi | None:
    """Start a temporary API server now, unless a Prefect API is configured (then None).

    A configured API (PREFECT_API_URL from the environment, a Prefect profile, or a test
    harness's settings) is always used as it is. Importing Prefect to read its settings takes
    a second or more, so the server is started first and stopped again in the rare case that
    a profile names an API.
    """
    if os.environ.get("PREFECT_API_URL") or ("prefect" in sys.modules and _configured_api()):
        return None  # (Prefect already imported, as in tests: its settings cost nothing)
    api = EarlyApi(float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 20)))
    if _configured_api():
        api.stop()
        return None
    return api


def _configured_api() -> bool:
    """Whether Prefect's settings (environment, profile, or a test harness) name an API."""
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url)


@contextlib.contextmanager
def using_api(api: EarlyApi | None) -> Iterator[None]:
    """Run the block against `api` (waiting until it is ready), or unchanged when None."""
    if api is None:
        yield
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api.wait_until_ready()
    with temporary_settings(updates={PREFECT_API_URL: api.api_url}):
        yield


def _free_port() -> int:
    """Return a port in Prefect's range that is free on 127.0.0.1 now."""
    for _ in range(20):
        port = random.choice(PORTS)
        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1} for a temporary "
                       f"Prefect API server")


def _start_server(port: int) -> subprocess.Popen:
    """Start Prefect's temporary-server command on `port` (as SubprocessASGIServer does).

    The server reads the same environment and Prefect profile as this process, so it gets the
    same settings and database without Prefect being imported here first.
    """
    prefect_dir = Path(importlib.util.find_spec("prefect").origin).parent
    environment = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                   "PREFECT__SERVER_FINAL": "1"}
    command = [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent),
               "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "error", "--lifespan", "on"]
    # stdout stays clean for `newsdesk run --json`; the server's errors still reach stderr.
    # preexec_fn is POSIX only (and PR_SET_PDEATHSIG Linux only): elsewhere, atexit alone.
    return subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                            preexec_fn=_die_with_parent if os.name == "posix" else None)


def _die_with_parent() -> None:
    """In the server process: be killed when the command that started it dies (Linux).

    Linux ties this to the thread that started the server, so it is started from the
    command's main thread (`newsdesk run`), which lives as long as the command.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
