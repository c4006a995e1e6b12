"""A one-off `newsdesk run` with no Prefect API boots its own temporary one early, and stops it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.early_api import start_early_api

ROOT = Path(__file__).resolve().parents[1]
NEWSDESK = Path(sys.executable).with_name("newsdesk")
SEED = ROOT.parent / "shared" / "seed" / "000_688d9387eddea9ae.txt"


def test_a_configured_api_is_used_as_it_is(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert start_early_api() is None


def test_a_test_harness_api_is_used_as_it_is(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        assert start_early_api() is None


def _cold_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key != "PREFECT_API_URL" and not key.startswith("NEWSDESK_TEST_")}
    return {**env, "PREFECT_HOME": str(tmp_path / "prefect-home")}


def _seed_run(tmp_path: Path) -> list[str]:
    """`newsdesk run` of the seed article into a fresh warehouse under tmp_path."""
    return [str(NEWSDESK), "run", str(SEED), "--db", str(tmp_path / "w.duckdb"), "--report-dir",
            str(tmp_path / "reports")]


def _servers_of(prefect_home: Path) -> list[int]:
    """Pids of uvicorn servers running with this PREFECT_HOME (read from /proc)."""
    marker = f"PREFECT_HOME={prefect_home}".encode()
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"uvicorn" in (proc / "cmdline").read_bytes() \
                    and marker in (proc / "environ").read_bytes().split(b"\0"):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc (Linux)")
def test_a_cold_run_loads_through_its_own_api_and_leaves_no_server(tmp_path):
    result = subprocess.run([*_seed_run(tmp_path), "--json"], cwd=ROOT, env=_cold_env(tmp_path),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)  # stdout is the summary alone, no server output
    assert summary["articles_loaded"] == 1 and summary["status"] == "completed"
    assert summary["published"]["fct_events"] > 0
    assert _servers_of(tmp_path / "prefect-home") == []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc (Linux)")
def test_a_killed_run_takes_its_api_server_down(tmp_path):
    child = subprocess.Popen(_seed_run(tmp_path), cwd=ROOT, env=_cold_env(tmp_path),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    home = tmp_path / "prefect-home"
    deadline = time.monotonic() + 60
    while not _servers_of(home) and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.1)
    servers = _servers_of(home)
    assert servers, "the run never started its temporary API server"
    child.send_signal(signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 20
    while _servers_of(home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _servers_of(home) == []
