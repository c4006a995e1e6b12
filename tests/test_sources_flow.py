"""Configured sources through the real flow, twice: new entries load exactly once.

A feed with an ETag, a source answering 500, a slow one, an oversized one and an XML bomb,
served from 127.0.0.1; plus a JSONL file source. Issue 9's feed cases, end to end.
"""

from __future__ import annotations

import json

import pytest

import warehouse
from flows.ingest import run_ingest
from tests.feed_server import FeedServer, allow_only_localhost, endless, slow, static, status
from tests.feed_server import with_etag
from tests.test_sources import STORY_1, STORY_2, STORY_3, billion_laughs, rss

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_runs(prefect_api, tmp_path_factory):
    """Run the flow over the configured sources twice; return both summaries and the server."""
    monkeypatch = pytest.MonkeyPatch()
    allow_only_localhost(monkeypatch)
    root = tmp_path_factory.mktemp("sources")
    (root / "wire.jsonl").write_text(json.dumps(
        {"id": "j-1", "text": STORY_3, "published": "2024-05-05"}) + "\n", encoding="utf-8")
    routes = {"/feed": with_etag(rss(("a", "Convoy attacked", STORY_1),
                                     ("b", "Protesters arrested", STORY_2)), '"v1"'),
              "/down": status(500), "/slow": slow(1.5), "/huge": endless(),
              "/bomb": static(billion_laughs(), "application/rss+xml")}
    with FeedServer(routes) as server:
        sources = "".join(
            f'[[sources]]\nname = "{name}"\nkind = "feed"\nurl = "{server.base}/{name}"\n'
            for name in ("feed", "down", "slow", "huge", "bomb"))
        config = root / "newsdesk.toml"
        config.write_text(
            "[settings]\ntimeout_s = 0.3\nretries = 1\nbackoff_s = [0]\nmax_bytes = 200000\n"
            + sources + '[[sources]]\nname = "file"\nkind = "jsonl"\npath = "wire.jsonl"\n',
            encoding="utf-8")
        db, reports = root / "newsdesk.duckdb", root / "reports"
        first = run_ingest([], db_path=db, report_dir=reports, config_path=config)
        with warehouse.connect(db, read_only=True) as con:
            quarantined_after_first = con.execute(
                "select count(*) from quarantine_rows").fetchall()[0][0]
        second = run_ingest([], db_path=db, report_dir=reports, config_path=config)
    monkeypatch.undo()
    return first, second, server, db, quarantined_after_first


def test_first_run_loads_the_good_sources_and_reports_the_bad(two_runs):
    first, _, server, db, _ = two_runs
    assert first.status == "completed"
    # in: 2 feed entries + 1 JSONL record + the bomb feed (quarantined)
    assert (first.articles_in, first.articles_loaded, first.articles_quarantined) == (4, 3, 1)
    errors = "\n".join(first.source_errors)
    for name, reason in (("down", "HTTP 500"), ("slow", "timed out"), ("huge", "cut off")):
        assert f"{server.base}/{name}" in errors and reason in errors
    with warehouse.connect(db, read_only=True) as con:
        sources = dict(con.execute("select source, count(*) from raw_articles group by 1"
                                   ).fetchall())
        [(path, reason)] = con.execute("select input_path, reason from quarantine_rows "
                                       "where stage = 'input'").fetchall()
    assert sources == {"feed": 2, "file": 1}
    assert path == f"{server.base}/bomb" and "entities" in reason


def test_second_run_uses_the_etag_and_loads_nothing_new(two_runs):
    _, second, server, db, quarantined_after_first = two_runs
    assert second.status == "completed"
    assert second.articles_loaded == 0 and second.articles_quarantined == 0
    assert second.articles_already_loaded == 1  # the JSONL record; feed entries not re-read
    assert server.hits("/feed")[-1].get("If-None-Match") == '"v1"'
    assert len(second.source_errors) == 3
    with warehouse.connect(db, read_only=True) as con:
        assert con.execute("select count(*) from raw_articles").fetchall()[0][0] == 3
        # the bomb is the same bytes: not quarantined again; failing sources never are
        assert con.execute("select count(*) from quarantine_rows").fetchall()[0][0] == \
            quarantined_after_first
        state = dict(con.execute("select source_name, last_status from ops_source_state"
                                 ).fetchall())
        failures = con.execute("select consecutive_failures from ops_source_state "
                               "where source_name = 'down'").fetchall()[0][0]
        errors = con.execute("select count(*) from ops_source_errors").fetchall()[0][0]
    assert state == {"feed": "not_modified", "down": "error", "slow": "error",
                     "huge": "error", "bomb": "unchanged", "file": "read"}
    assert failures == 2 and errors == 6
