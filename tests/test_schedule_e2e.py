"""Schedules end to end: a real `prefect server`, `newsdesk serve` on a short interval, a feed.

Everything runs on 127.0.0.1: the Prefect API, the feed and its linked pages (tests/feed_server),
and the serving process. The test adds a story to the feed between scheduled runs and checks,
in the Prefect API and in the warehouse, that the scheduled runs loaded every article exactly
once: the first run the first three, a later run only the new one, the others nothing.
Then `newsdesk deploy` registers prefect.yaml's deployments with a work pool on the same server.
"""

from __future__ import annotations

import json
import subprocess

import pytest

import warehouse
from tests.feed_server import FeedServer, live, static
from tests.prefect_server import BIN, ROOT, PrefectServer, Serve, prefect_env, wait_for
from tests.test_sources import STORY_1, STORY_2, STORY_3, rss

pytestmark = pytest.mark.slow

INTERVAL_S = 4
#: Generous for a loaded 2-core machine; a timeout fails with both processes' log tails.
START_TIMEOUT_S = 240
RUNS_TIMEOUT_S = 180
STORY_4 = ("Health workers vaccinated 12,000 children in three districts of Kasai province over "
           "the weekend, the provincial health minister said on Monday.")
PAGE_TAIL = "The agency's correspondent at the scene confirmed the account."
SERVED = """\
deployments:
  - name: ingest-feeds
    entrypoint: flows/ingest.py:ingest_articles
    parameters:
      config_path: newsdesk.toml
      db_path: newsdesk.duckdb
      report_dir: reports
      run_label: scheduled
    schedules:
      - interval: {interval}
        timezone: Europe/Paris
"""


def page(title: str, text: str) -> bytes:
    """An article page with site chrome around it; its main text is longer than the teaser."""
    return (f"<html><head><title>{title}</title></head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>{title}</h1><p>{text}</p><p>{PAGE_TAIL}</p></article>"
            f"<footer>Copyright Wire</footer></body></html>").encode()


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """A `prefect server` on a free port of 127.0.0.1 with its own home and database."""
    home = tmp_path_factory.mktemp("prefect_server")
    server = PrefectServer(home, home / "server.log")
    try:
        yield server
    finally:
        server.stop()


def _settled(server: PrefectServer, deployment_id: str) -> bool:
    """True when no run of the deployment is scheduled, pending or running."""
    return not server.flow_runs(deployment_id, ("SCHEDULED", "PENDING", "RUNNING"))


def test_scheduled_runs_load_new_articles_exactly_once(prefect_server, tmp_path):
    server = prefect_server
    items = [("a", "Convoy attacked", "Short teaser."), ("b", "Protesters arrested", "Teaser.")]
    routes = {"/feed": live(lambda: rss(*items)),
              "/story/a": static(page("Convoy attacked", STORY_1)),
              "/story/b": static(page("Protesters arrested", STORY_2)),
              "/page": static(page("Vaccination drive", STORY_4))}
    with FeedServer(routes) as feeds:
        (tmp_path / "newsdesk.toml").write_text(
            "[settings]\ntimeout_s = 30\nretries = 1\nbackoff_s = [0]\n"
            f'[[sources]]\nname = "wire"\nkind = "feed"\nurl = "{feeds.base}/feed"\n'
            "fetch_pages = true\n"
            f'[[sources]]\nname = "health"\nkind = "page"\nurl = "{feeds.base}/page"\n',
            encoding="utf-8")
        config = tmp_path / "prefect.yaml"
        config.write_text(SERVED.format(interval=INTERVAL_S), encoding="utf-8")
        # Started together: serve loads the pipeline while the server starts, then waits for it.
        serve = Serve(server, config, tmp_path / "serve.log")
        processes = [server, serve]
        try:
            wait_for(server.is_healthy, START_TIMEOUT_S, "prefect server /api/health", processes)
            deployment_id = wait_for(
                lambda: server.deployment_id("ingest-articles", "ingest-feeds"),
                START_TIMEOUT_S, "newsdesk serve to register its deployment", processes)
            completed = lambda: server.flow_runs(deployment_id, ("COMPLETED",))  # noqa: E731
            before = len(wait_for(completed, START_TIMEOUT_S, "the first scheduled run",
                                  processes))
            routes["/story/c"] = static(page("Floods", STORY_3))
            items.append(("c", "Floods", "Teaser."))
            # a run in flight may have read the feed before "c": wait for two more to finish
            wait_for(lambda: len(completed()) >= before + 2, RUNS_TIMEOUT_S,
                     "two more scheduled runs after the feed changed", processes)
            # pausing deletes the scheduled runs; a run already claimed finishes
            server.request("POST", f"/deployments/{deployment_id}/pause_deployment")
            wait_for(lambda: _settled(server, deployment_id), RUNS_TIMEOUT_S,
                     "the last run to finish", processes)
            serve.check_alive()
        finally:
            serve.stop()
        deployment = server.deployment(deployment_id)
        runs = server.flow_runs(deployment_id)
    schedule = deployment["schedules"][0]["schedule"]
    assert schedule["interval"] == INTERVAL_S and schedule["timezone"] == "Europe/Paris"
    finished = runs  # settled: none scheduled, pending or running
    assert {run["state_type"] for run in finished} <= {"COMPLETED", "CANCELLED"}, \
        [(run["name"], run["state_name"], run["state"]["message"]) for run in finished]
    completed_ids = {run["id"] for run in finished if run["state_type"] == "COMPLETED"}
    assert len(completed_ids) >= 3
    assert all(run["auto_scheduled"] for run in finished)  # the schedule made them, not us

    with warehouse.connect(tmp_path / "newsdesk.duckdb", read_only=True) as con:
        articles = con.execute("select source, source_id, text from raw_articles "
                               "order by source_id").fetchall()
        distinct = con.execute("select count(distinct article_id) from raw_articles"
                               ).fetchall()[0][0]
        loads = con.execute("select flow_run_id, status, articles_loaded, articles_quarantined "
                            "from ops_runs order by started_at").fetchall()
        entries = con.execute("select source_name, count(*), count(distinct entry_id) "
                              "from ops_source_entries group by 1 order by 1").fetchall()
    # each article once: three feed entries (text from their linked pages) and the page source
    assert sorted((source, source_id) for source, source_id, _ in articles) == sorted(
        [("wire", "a"), ("wire", "b"), ("wire", "c"), ("health", f"{feeds.base}/page")])
    assert distinct == len(articles) == 4
    texts = {source_id: text for _, source_id, text in articles}
    assert STORY_1 in texts["a"] and PAGE_TAIL in texts["a"] and "Copyright" not in texts["a"]
    assert STORY_3 in texts["c"]
    # the warehouse's runs are Prefect's scheduled runs; the first loaded 3, one later run 1
    assert [status for _, status, _, _ in loads] == ["completed"] * len(loads)
    assert {flow_run_id for flow_run_id, *_ in loads} == completed_ids
    loaded = [n for _, _, n, _ in loads]
    assert loaded[0] == 3 and sorted(loaded[1:]) == [0] * (len(loaded) - 2) + [1]
    assert sum(loaded) == 4 and sum(q for *_, q in loads) == 0
    assert entries == [("health", 1, 1), ("wire", 3, 3)]
    # unchanged sources were not downloaded again: the feed answered 304 to its ETag
    feed_hits = feeds.hits("/feed")
    assert len(feed_hits) == len(loads) and "If-None-Match" in feed_hits[-1]


def test_deploy_registers_prefect_yaml_with_a_work_pool(prefect_server, tmp_path):
    server = prefect_server
    wait_for(server.is_healthy, START_TIMEOUT_S, "prefect server /api/health", [server])
    env = prefect_env(server.home, server.api_url)
    result = subprocess.run(
        [str(BIN / "newsdesk"), "deploy", "--config",
         str(ROOT / "prefect.yaml"), "--pool", "newsdesk-test", "--json"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    registered = {item["name"]: item for item in json.loads(result.stdout)}
    assert set(registered) >= {"ingest-inbox", "report-daily"}
    pool = server.request("GET", "/work_pools/newsdesk-test").json()
    assert pool["type"] == "process"
    inbox = server.deployment(registered["ingest-inbox"]["id"])
    assert inbox["work_pool_name"] == "newsdesk-test"
    assert inbox["entrypoint"] == "flows.ingest:ingest_articles"  # the installed package
    assert inbox["job_variables"]["working_dir"] == str(ROOT)
    schedule = inbox["schedules"][0]["schedule"]
    assert schedule["cron"] == "*/15 * * * *" and schedule["timezone"] == "UTC"
    assert inbox["parameters"]["paths"] == ["data/inbox"]
    assert not inbox["paused"]


def test_newsdesk_run_hands_off_to_a_running_serve(prefect_server, tmp_path):
    """With a serve polling, `newsdesk run` is executed by it (warm), incrementally as ever."""
    from flows.handoff import HANDOFF_DEPLOYMENT, HandoffUnavailable, served_deployment_id

    server = prefect_server
    config = tmp_path / "serve" / "prefect.yaml"
    config.parent.mkdir()
    config.write_text("deployments: []\n", encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "one.jsonl").write_text(json.dumps(
        {"id": "k1", "text": STORY_4, "published": "2024-03-04"}) + "\n", encoding="utf-8")
    serve = Serve(server, config, tmp_path / "serve.log")
    processes = [server, serve]
    env = prefect_env(server.home, server.api_url)
    command = [str(BIN / "newsdesk"), "run", str(inbox), "--db", str(tmp_path / "w.duckdb"),
               "--report-dir", str(tmp_path / "reports"), "--json"]
    try:
        wait_for(server.is_healthy, START_TIMEOUT_S, "prefect server /api/health", processes)
        deployment_id = wait_for(
            lambda: server.deployment_id("ingest-articles", HANDOFF_DEPLOYMENT),
            START_TIMEOUT_S, "newsdesk serve to register its hand-off deployment", processes)
        wait_for(lambda: _ready(server.api_url), START_TIMEOUT_S, "the serve to poll", processes)
        outcomes = []
        for _ in range(2):
            done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True,
                                  timeout=RUNS_TIMEOUT_S, check=False)
            assert done.returncode == 0, done.stderr[-2000:]
            outcomes.append(json.loads(done.stdout))
            assert "handing the run to newsdesk serve" in done.stderr
        serve.check_alive()
    finally:
        serve.stop()
    first, second = outcomes
    assert first["handed_to"] == "newsdesk serve" and first["status"] == "completed"
    assert first["articles_loaded"] == 1 and first["published"]["fct_mentions"] > 0
    assert second["articles_loaded"] == 0 and second["articles_already_loaded"] == 1
    assert first["run_id"] != second["run_id"]
    for outcome in outcomes:
        run = server.flow_run(outcome["flow_run_id"])
        assert run["deployment_id"] == deployment_id and run["name"] == "ingest-cli"
        assert not run["auto_scheduled"]
    with warehouse.connect(tmp_path / "w.duckdb", read_only=True) as con:
        assert con.execute("select count(*) from raw_articles").fetchall()[0][0] == 1
    # a stopped serve pauses its deployments: the next `newsdesk run` runs in its own process
    with pytest.raises(HandoffUnavailable):
        served_deployment_id(server.api_url)


def _ready(api_url: str) -> bool:
    from flows.handoff import HandoffUnavailable, served_deployment_id

    try:
        served_deployment_id(api_url)
    except HandoffUnavailable:
        return False
    return True
