"""Measure the fixed overhead of a one-article run through a running `newsdesk serve`.

Starts `prefect server` on 127.0.0.1 and `newsdesk serve` on a deployment over a folder, then
for each trial drops one new article in the folder, asks the API for a run of the deployment
(`create_flow_run`, what the UI's "Quick run" or another system would do) and times it until
the run is Completed. The first run is reported apart: it is the serve process's first
validation. The issue's target: ≤ 2 s.

Then it times `newsdesk run FILE` from a fresh shell against the same serve (the CLI hands the
run over: `flows/handoff.py`) and compares it with the sum of the imports and the model load
in a fresh interpreter (`bench/speed.py --child imports`), the issue's cold one-off target
(≤ 1.3×).

    python bench/serve_overhead.py               # 5 timed runs after one warm-up run
    python bench/serve_overhead.py --runs 10
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.prefect_server import (  # noqa: E402
    BIN,
    FINAL_STATES,
    PrefectServer,
    Serve,
    prefect_env,
    wait_for,
)

TARGET_S = 2.0
DEPLOYMENT = """\
deployments:
  - name: overhead
    entrypoint: flows/ingest.py:ingest_articles
    parameters:
      paths: ["inbox"]
      db_path: newsdesk.duckdb
      report_dir: reports
      run_label: bench
"""
TEXT = ("Police in Nairobi arrested {n} protesters on Monday after a march against new taxes "
        "turned violent, and the interior minister said they would appear in court.")


def _seconds(run: dict, start: str, end: str) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(run[end]) - datetime.fromisoformat(run[start])
            ).total_seconds()


def timed_run(server: PrefectServer, deployment_id: str, inbox: Path, n: int) -> dict:
    """Add one new article, create a run, wait for it; return its timings."""
    (inbox / f"article-{n}.jsonl").write_text(json.dumps(
        {"id": f"a{n}", "text": TEXT.format(n=n + 10), "published": "2024-03-04"}) + "\n",
        encoding="utf-8")
    started = time.perf_counter()
    run = server.create_flow_run(deployment_id)
    run = wait_for(lambda: (r := server.flow_run(run["id"]))["state_type"] in FINAL_STATES
                   and r, 120, f"flow run {run['id']}", interval_s=0.25)
    total = time.perf_counter() - started
    if run["state_type"] != "COMPLETED":
        raise SystemExit(f"run {run['name']} ended {run['state_name']}")
    states = server.request("GET", "/flow_run_states/", params={"flow_run_id": run["id"]}).json()
    claimed = min((s["timestamp"] for s in states if s["type"] == "PENDING"), default=None)
    return {"total_s": total, "pickup_s": _seconds(run, "expected_start_time", "start_time"),
            "claim_s": _seconds({**run, "claimed": claimed}, "expected_start_time", "claimed")
            if claimed else float("nan"),
            "flow_s": _seconds(run, "start_time", "end_time"),
            "tasks": task_seconds(server, run["id"])}


def task_seconds(server: PrefectServer, flow_run_id: str) -> dict[str, float]:
    """Return seconds per task name (prefix before the '-') in one flow run."""
    response = server.request("POST", "/task_runs/filter", json={
        "flow_runs": {"id": {"any_": [flow_run_id]}}, "limit": 200})
    seconds: dict[str, float] = {}
    for task_run in response.json():
        if task_run.get("start_time") and task_run.get("end_time"):
            name = task_run["name"].rsplit("-", 1)[0]
            seconds[name] = seconds.get(name, 0.0) + _seconds(task_run, "start_time", "end_time")
    return seconds


def timed_cli_run(server: PrefectServer, root: Path, n: int) -> float:
    """Time `newsdesk run` of one new article in a fresh process while the serve is up."""
    path = root / "cli" / f"article-{n}.jsonl"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"id": f"c{n}", "text": TEXT.format(n=n),
                                "published": "2024-03-04"}) + "\n", encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "newsdesk"), "run", str(path), "--db",
                           str(root / "newsdesk.duckdb"), "--report-dir", str(root / "reports"),
                           "--json"], env=prefect_env(server.home, server.api_url),
                          capture_output=True, text=True, check=False, cwd=root)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or json.loads(done.stdout).get("handed_to") is None:
        raise SystemExit(f"`newsdesk run` was not handed to the serve:\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    """Print the one-article overhead through `newsdesk serve` against the 2 s target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the warm-up run")
    parser.add_argument("--poll", type=float, default=None,
                        help="NEWSDESK_SERVE_POLL_S for serve (default: its own, 0.5 s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsdesk-serve-bench-") as tmp:
        root = Path(tmp)
        (root / "home").mkdir()
        (root / "inbox").mkdir()
        config = root / "prefect.yaml"
        config.write_text(DEPLOYMENT, encoding="utf-8")
        server = PrefectServer(root / "home", root / "server.log")
        serve = Serve(server, config, root / "serve.log", poll_s=args.poll)
        try:
            wait_for(server.is_healthy, 180, "prefect server", [server])
            deployment_id = wait_for(lambda: server.deployment_id("ingest-articles", "overhead"),
                                     180, "newsdesk serve to register", [server, serve])
            first = timed_run(server, deployment_id, root / "inbox", 0)
            timings = [timed_run(server, deployment_id, root / "inbox", n)
                       for n in range(1, args.runs + 1)]
            cli = [timed_cli_run(server, root, n) for n in range(100, 100 + args.runs)]
        finally:
            serve.stop()
            server.stop()
    totals = sorted(t["total_s"] for t in timings)
    median = statistics.median(totals)
    print(f"first run (serve's first validation): {first['total_s']:.2f} s")
    for i, t in enumerate(timings, start=1):
        tasks = ", ".join(f"{name} {s:.2f}" for name, s in t["tasks"].items())
        print(f"run {i}: {t['total_s']:.2f} s  (pickup {t['pickup_s']:.2f} s, "
              f"of which claiming {t['claim_s']:.2f} s, "
              f"flow {t['flow_s']:.2f} s: {tasks}; outside tasks "
              f"{t['flow_s'] - sum(t['tasks'].values()):.2f} s)")
    print(f"one-article run through newsdesk serve: median {median:.2f} s, max {totals[-1]:.2f} s"
          f" (target <= {TARGET_S:.1f} s; ratio {median / TARGET_S:.2f})")
    imports = json.loads(subprocess.run(
        [sys.executable, str(ROOT / "bench" / "speed.py"), "--child", "imports"], cwd=ROOT,
        capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
    fixed = sum(imports.values())
    cli_median = statistics.median(cli)
    print(f"imports + model load, fresh interpreter: {fixed:.1f} s")
    print(f"`newsdesk run` of one article from a fresh process, handed to the serve: median "
          f"{cli_median:.2f} s ({', '.join(f'{s:.2f}' for s in cli)}) = "
          f"{cli_median / fixed:.2f}x imports + model (target <= 1.3x)")


if __name__ == "__main__":
    main()
