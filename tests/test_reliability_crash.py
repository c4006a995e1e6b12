"""Crashes and concurrent runs: real child processes, really killed; nothing half-published.

A child `newsdesk run` is stopped at a named point by the NEWSDESK_TEST_PAUSE_AT hook
(`warehouse/pause.py`), which writes a marker file when it gets there; the test waits for the
marker and SIGKILLs the child. No sleeps are timed against work. The children report to the test
session's Prefect API (`prefect_api`), so they do not each start a server of their own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import warehouse
from flows.ingest import run_ingest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BATCH_SIZE = 2
FACT_TABLES = ("fct_mentions", "fct_dates", "fct_headcounts", "fct_events")
ARTICLES = [
    "Rebels attacked an army convoy near Goma on Tuesday, killing at least 12 soldiers.",
    "Police in Nairobi arrested 40 protesters on Monday after a march against new taxes.",
    "Floods forced 3,000 residents of Porto Alegre from their homes on Sunday, officials said.",
    "Miners in Antofagasta went on strike on Friday, demanding higher wages from the company.",
]
CHILD_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """Four good articles: two batches of two."""
    folder = tmp_path_factory.mktemp("crash_inbox")
    lines = [json.dumps({"id": f"a{i}", "text": text, "published": "2024-03-08"})
             for i, text in enumerate(ARTICLES)]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(prefect_api, inbox, tmp_path_factory) -> dict[str, int]:
    """Row counts after one uninterrupted run: what every recovery must end with."""
    db = tmp_path_factory.mktemp("reference") / "newsdesk.duckdb"
    run_ingest([inbox], db_path=db, report_dir=db.parent / "reports", batch_size=BATCH_SIZE)
    return _row_counts(db)


def _row_counts(db: Path) -> dict[str, int]:
    with warehouse.connect(db, read_only=True) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
                for t in ("raw_articles", *FACT_TABLES)}


def _child_env(tmp: Path, **extra: str) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = {key: value for key, value in os.environ.items()
           if not key.startswith("NEWSDESK_TEST_")}
    return {**env, "PREFECT_API_URL": PREFECT_API_URL.value(),
            "PREFECT_HOME": str(tmp / "prefect_home"), **extra}


def _start_run(inbox: Path, db: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start `newsdesk run` (the CLI module) as a child process."""
    command = [sys.executable, "-m", "flows.cli", "run", str(inbox), "--db", str(db),
               "--report-dir", str(db.parent / "reports"), "--batch-size", str(BATCH_SIZE),
               "--json"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_for(marker: Path, child: subprocess.Popen) -> int:
    deadline = time.monotonic() + CHILD_TIMEOUT_S
    while not marker.exists():
        if child.poll() is not None:
            out, err = child.communicate()
            pytest.fail(f"child ended ({child.returncode}) before the pause point:\n{err[-3000:]}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("child never reached the pause point")
        time.sleep(0.2)
    while not (pid := marker.read_text(encoding="utf-8").strip()).isdigit():
        time.sleep(0.05)  # created but not yet written
    return int(pid)


def _assert_consistent(db: Path, expected_articles: int) -> None:
    """No partial batch: whole batches of articles, and every fact's article is there."""
    with warehouse.connect(db, read_only=True) as con:
        articles = con.execute("select count(*), count(distinct article_id) from raw_articles"
                               ).fetchall()[0]
        assert articles == (expected_articles, expected_articles)
        for table in FACT_TABLES:
            orphans = con.execute(f"select count(*) from {table} where article_id not in "
                                  "(select article_id from raw_articles)").fetchall()[0][0]
            assert orphans == 0, table
        runs = con.execute("select status from ops_runs").fetchall()
    assert runs == [("running",)]


@pytest.mark.parametrize("pause_at", ["extract:1", "publish:1"])
def test_sigkill_leaves_whole_batches_and_the_next_run_finishes(
        prefect_api, inbox, reference, tmp_path, pause_at):
    db = tmp_path / "newsdesk.duckdb"
    marker = tmp_path / "paused"
    child = _start_run(inbox, db, _child_env(tmp_path, NEWSDESK_TEST_PAUSE_AT=pause_at,
                                             NEWSDESK_TEST_PAUSE_MARKER=str(marker)))
    try:
        assert _wait_for(marker, child) == child.pid
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL

    # Batch 0 was committed; batch 1 was being extracted, or published but not committed.
    _assert_consistent(db, expected_articles=BATCH_SIZE)

    summary = run_ingest([inbox], db_path=db, report_dir=tmp_path / "reports",
                         batch_size=BATCH_SIZE)
    assert summary.status == "completed"
    assert (summary.articles_in, summary.articles_already_loaded, summary.articles_loaded) \
        == (4, 2, 2)
    assert _row_counts(db) == reference
    with warehouse.connect(db, read_only=True) as con:
        runs = con.execute("select status, error_message from ops_runs order by started_at"
                           ).fetchall()
    assert [status for status, _ in runs] == ["abandoned", "completed"]
    assert "killed or crashed" in runs[0][1]


def test_two_runs_at_once_load_every_article_exactly_once(prefect_api, inbox, reference,
                                                          tmp_path):
    db = tmp_path / "newsdesk.duckdb"
    children = [_start_run(inbox, db, _child_env(tmp_path / str(i),
                                                 NEWSDESK_LOCK_TIMEOUT_S="240"))
                for i in range(2)]
    outputs = [child.communicate(timeout=CHILD_TIMEOUT_S) for child in children]
    codes = [child.returncode for child in children]
    for code, (_, err) in zip(codes, outputs, strict=True):
        assert code in (0, 3), err[-3000:]
        if code == 3:
            assert "in use by another newsdesk process" in " ".join(err.split())
    assert 0 in codes
    assert _row_counts(db) == reference
    with warehouse.connect(db, read_only=True) as con:
        runs = con.execute("""
            select status, articles_in, articles_loaded, articles_quarantined,
                   articles_duplicate, articles_already_loaded
            from ops_runs where status = 'completed'""").fetchall()
    assert len(runs) == codes.count(0)
    for _, n_in, loaded, quarantined, duplicate, already in runs:
        assert n_in == loaded + quarantined + duplicate + already == len(ARTICLES)
    assert sum(run[2] for run in runs) == len(ARTICLES)


def test_a_locked_warehouse_exits_3_with_a_clear_message(prefect_api, inbox, tmp_path):
    db = tmp_path / "newsdesk.duckdb"
    with warehouse.connect(db):  # this process holds the write lock throughout
        child = _start_run(inbox, db, _child_env(tmp_path, NEWSDESK_LOCK_TIMEOUT_S="1"))
        _, err = child.communicate(timeout=CHILD_TIMEOUT_S)
    assert child.returncode == 3, err[-3000:]
    message = " ".join(err.split())
    assert "in use by another newsdesk process" in message
    assert "NEWSDESK_LOCK_TIMEOUT_S" in message
