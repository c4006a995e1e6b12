"""Sources without the flow: config validation, fetch limits, safe feed parsing, per-source state.

Every request goes to a server on 127.0.0.1 started here; any other address fails the test.
"""

from __future__ import annotations

import dataclasses
import time
import tracemalloc

import pytest

import warehouse
from sources import (
    FetchSettings,
    ResponseTooLargeError,
    SourceConfigError,
    SourceFetchError,
    SourceState,
    UnsafeFeedError,
    collect_sources,
    fetch_url,
    load_sources,
    parse_feed,
    parse_sources,
)
from tests.feed_server import (
    FeedServer,
    allow_only_localhost,
    endless,
    slow,
    static,
    status,
    with_etag,
)
from warehouse.sources import record_source_outcomes, source_states

FAST = FetchSettings(timeout_s=0.3, total_timeout_s=2.0, max_bytes=200_000, retries=1,
                     backoff_s=(0.0,))

STORY_1 = ("Rebels attacked an army convoy near Goma on Tuesday, killing at least 12 soldiers, "
           "the provincial governor said. The army said it had pushed the fighters back into the "
           "hills north of the city.")
STORY_2 = ("Police in Nairobi arrested 40 protesters on Monday after a march against new taxes "
           "turned violent, and the interior minister said they would appear in court.")
STORY_3 = ("Rescuers evacuated 3,000 residents from flooded districts of Porto Alegre on Sunday "
           "as more rain fell, and the state governor said at least 29 people had died.")


def rss(*items: tuple[str, str, str]) -> bytes:
    """An RSS 2.0 feed of (guid, title, html description) items."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>/story/{guid}</link>"
        f"<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>"
        f"<description><![CDATA[<p>{text}</p>]]></description></item>"
        for guid, title, text in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Wire</title>{body}</channel></rss>").encode()


def billion_laughs(levels: int = 10) -> bytes:
    """The classic XML bomb: 10^levels "lol"s (about 3 GB) from under 1 KB."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, levels))
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
            f"<title>t</title><item><title>&lol{levels - 1};</title></item></channel></rss>"
            ).encode()


XXE = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>')


@pytest.fixture(autouse=True)
def _local_network_only(monkeypatch):
    allow_only_localhost(monkeypatch)


# --- config ---------------------------------------------------------------------------------

def test_config_loads_sources_and_resolves_paths(tmp_path):
    config = tmp_path / "newsdesk.toml"
    config.write_text("""
[settings]
timeout_s = 5
[[sources]]
name = "wire"
kind = "feed"
url = "https://example.org/feed.xml"
fetch_pages = true
retries = 0
[[sources]]
name = "inbox"
kind = "folder"
path = "inbox"
""", encoding="utf-8")
    loaded = load_sources(config)
    wire, inbox = loaded.sources
    assert (wire.kind, wire.fetch_pages, wire.settings.timeout_s, wire.settings.retries) == (
        "feed", True, 5.0, 0)
    assert inbox.path == str(tmp_path / "inbox")


@pytest.mark.parametrize(("sources", "message"), [
    ([{"name": "a", "kind": "rss", "url": "https://x.org/f"}], "kind 'rss' is not one of"),
    ([{"name": "a", "kind": "feed"}], "needs a 'url'"),
    ([{"name": "a", "kind": "feed", "url": "ftp://x.org/f"}], "must start with http"),
    ([{"name": "a", "kind": "feed", "url": "file:///etc/passwd"}], "must start with http"),
    ([{"name": "a", "kind": "page", "url": "https://"}], "has no host"),
    ([{"name": "a", "kind": "folder", "url": "https://x.org"}], "give 'path', not 'url'"),
    ([{"name": "a", "kind": "feed", "url": "https://x.org/f"},
      {"name": "a", "kind": "page", "url": "https://x.org/p"}], "two sources are named 'a'"),
    ([{"name": "a", "kind": "feed", "url": "https://x.org/f", "timeout": 3}],
     "unknown key(s) ['timeout']"),
    ([{"kind": "feed", "url": "https://x.org/f"}], "needs a non-empty 'name'"),
    ([{"name": "a", "kind": "feed", "url": "https://x.org/f", "max_bytes": 0}],
     "max_bytes must be an integer >= 1"),
    ([], "declares no sources"),
])
def test_config_errors_name_the_source_and_key(sources, message):
    with pytest.raises(SourceConfigError) as error:
        parse_sources({"sources": sources}, "newsdesk.toml")
    assert message in str(error.value)
    assert "newsdesk.toml" in str(error.value)


def test_config_file_missing_or_not_toml(tmp_path):
    with pytest.raises(SourceConfigError, match="no such config file"):
        load_sources(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[sources]\nname=", encoding="utf-8")
    with pytest.raises(SourceConfigError, match="not valid TOML"):
        load_sources(bad)


# --- fetching -------------------------------------------------------------------------------

def test_conditional_get_gets_304_with_the_etag():
    feed = rss(("a", "A", STORY_1))
    with FeedServer({"/feed": with_etag(feed, '"v1"')}) as server:
        first = fetch_url(server.base + "/feed", FAST)
        second = fetch_url(server.base + "/feed", FAST, etag=first.etag)
    assert (first.status, first.content, first.etag) == (200, feed, '"v1"')
    assert second.not_modified and second.content is None
    assert server.hits("/feed")[1]["If-None-Match"] == '"v1"'


def test_5xx_is_retried_then_reported_with_the_url():
    with FeedServer({"/down": status(500)}) as server:
        with pytest.raises(SourceFetchError) as error:
            fetch_url(server.base + "/down", FAST)
    assert len(server.hits("/down")) == 2  # one retry
    assert server.base + "/down" in str(error.value) and "HTTP 500" in str(error.value)


def test_4xx_is_not_retried():
    with FeedServer({"/gone": status(404)}) as server:
        with pytest.raises(SourceFetchError, match="HTTP 404 .*not retried"):
            fetch_url(server.base + "/gone", FAST)
    assert len(server.hits("/gone")) == 1


def test_slow_source_times_out_and_names_the_url():
    with FeedServer({"/slow": slow(1.5)}) as server:
        started = time.monotonic()
        with pytest.raises(SourceFetchError) as error:
            fetch_url(server.base + "/slow", FAST)
        elapsed = time.monotonic() - started
    assert "timed out" in str(error.value) and "/slow" in str(error.value)
    assert elapsed < 1.4  # two attempts of 0.3 s, not two waits of 1.5 s


def test_connection_refused_is_reported():
    with FeedServer({}) as server:
        url = server.base + "/feed"
    with pytest.raises(SourceFetchError, match="tried 2 times"):
        fetch_url(url, FAST)


def test_oversized_streamed_response_is_cut_off():
    with FeedServer({"/huge": endless()}) as server:
        with pytest.raises(ResponseTooLargeError, match="over the limit of 200,000 bytes; cut"):
            fetch_url(server.base + "/huge", FAST)


def test_oversized_declared_response_is_not_read():
    with FeedServer({"/big": static(b"x" * 300_000)}) as server:
        with pytest.raises(ResponseTooLargeError, match="300,000 bytes, over the limit"):
            fetch_url(server.base + "/big", FAST)


# --- parsing --------------------------------------------------------------------------------

def test_feed_entries_become_records_with_text_not_html():
    entries = parse_feed(rss(("a-1", "A &amp; B", f"{STORY_1} <b>Bold</b>")))
    [entry] = entries
    assert entry.entry_id == "a-1"
    assert entry.record["title"] == "A & B"
    assert entry.record["text"] == f"{STORY_1} Bold"
    assert entry.record["published"] == "2024-03-05"


def test_billion_laughs_is_rejected_without_expansion():
    bomb = billion_laughs()
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(UnsafeFeedError, match="entities"):
        parse_feed(bomb)
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 0.5 and peak < 5_000_000  # expanded, it would be about 3 GB


def test_external_entity_is_rejected_and_no_file_is_read():
    with pytest.raises(UnsafeFeedError):
        parse_feed(XXE)


def test_malformed_feed_with_entity_declaration_is_rejected():
    with pytest.raises(UnsafeFeedError, match="ENTITY"):
        parse_feed(b'<rss><channel></chan><!DOCTYPE rss [<!ENTITY a "aaaa">]><item><title>&a;'
                   b"</title></item></rss>")


def test_bytes_naming_a_local_file_are_parsed_not_opened(tmp_path):
    """feedparser opens a path given as str or bytes; we hand it a stream, so never."""
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(("s", "secret", STORY_1)))
    with pytest.raises(UnsafeFeedError, match="not an RSS or Atom feed"):
        parse_feed(str(secret).encode())


# --- collecting and state -------------------------------------------------------------------

def _config(server: FeedServer, *sources: tuple[str, str, str], **extra) -> dict:
    return {"sources": [{"name": name, "kind": kind, "url": server.base + path, **extra}
                        for name, kind, path in sources]}


def _states_after(outcomes) -> dict[str, SourceState]:
    return {o.source_name: SourceState(o.source_name, o.etag, o.last_modified,
                                       o.content_sha256, frozenset(o.new_entry_ids))
            for o in outcomes if not o.failed}


def _fast(config: dict):
    loaded = parse_sources(config)
    return dataclasses.replace(loaded, sources=tuple(
        dataclasses.replace(s, settings=FAST) for s in loaded.sources))


def test_failing_sources_are_reported_and_the_others_load():
    routes = {"/feed": with_etag(rss(("a", "A", STORY_1), ("b", "B", STORY_2)), '"v1"'),
              "/down": status(503), "/slow": slow(1.5), "/huge": endless(),
              "/bomb": static(billion_laughs(), "application/rss+xml")}
    with FeedServer(routes) as server:
        config = _fast(_config(server, ("wire", "feed", "/feed"), ("down", "feed", "/down"),
                               ("slow", "feed", "/slow"), ("huge", "feed", "/huge"),
                               ("bomb", "feed", "/bomb")))
        fetched = collect_sources(config, {})
    assert [a.source_id for a in fetched.read.articles] == ["a", "b"]
    assert {a.source for a in fetched.read.articles} == {"wire"}
    by_name = {o.source_name: o for o in fetched.outcomes}
    assert by_name["wire"].status == "fetched" and by_name["wire"].etag == '"v1"'
    assert {n for n, o in by_name.items() if o.failed} == {"down", "slow", "huge"}
    assert "HTTP 503" in str(by_name["down"]) and server.base + "/down" in str(by_name["down"])
    assert "timed out" in str(by_name["slow"]) and "cut off" in str(by_name["huge"])
    assert by_name["bomb"].status == "rejected"
    [reject] = fetched.read.rejects
    assert reject.input_path == server.base + "/bomb" and "entities" in reject.reason


def test_second_collect_fetches_with_etag_and_reads_only_new_entries():
    feed_v1 = rss(("a", "A", STORY_1))
    feed_v2 = rss(("b", "B", STORY_2), ("a", "A", STORY_1))
    routes = {"/feed": with_etag(feed_v1, '"v1"'), "/plain": static(feed_v1)}
    with FeedServer(routes) as server:
        config = _fast(_config(server, ("wire", "feed", "/feed"), ("plain", "feed", "/plain")))
        first = collect_sources(config, {})
        states = _states_after(first.outcomes)
        second = collect_sources(config, states)
        server.routes["/plain"] = static(feed_v2)
        third = collect_sources(config, states)
    assert len(first.read.articles) == 1 and first.read.duplicates == 1  # same feed twice
    assert [o.status for o in second.outcomes] == ["not_modified", "unchanged"]
    assert second.read.articles == [] and second.read.rejects == []
    assert [a.source_id for a in third.read.articles] == ["b"]
    assert third.outcomes[1].entries_seen_before == 1


def test_page_source_and_feed_with_linked_pages(tmp_path):
    page = (f"<html><head><title>Floods</title><meta property='article:published_time' "
            f"content='2024-05-05'></head><body><nav>Home | World | Sport</nav><article>"
            f"<h1>Floods in Porto Alegre</h1><p>{STORY_3}</p><p>{STORY_1}</p></article>"
            f"<footer>Copyright Wire</footer></body></html>").encode()
    saved = tmp_path / "saved.html"
    saved.write_bytes(page)
    linked = page.replace(STORY_1.encode(), STORY_2.encode())
    routes = {"/story/a": static(linked), "/feed": static(rss(("a", "A", "Short teaser."))),
              "/page": static(page)}
    with FeedServer(routes) as server:
        config = _config(server, ("wire", "feed", "/feed"), fetch_pages=True)
        config["sources"] += [{"name": "one", "kind": "page", "url": server.base + "/page"},
                              {"name": "saved", "kind": "page", "path": str(saved)}]
        fetched = collect_sources(_fast(config), {})
    wire = fetched.read.articles[0]
    assert STORY_3 in wire.text and "Copyright" not in wire.text and wire.title == "A"
    # the page source and the saved copy have the same text: one article, one duplicate
    assert len(fetched.read.articles) == 2 and fetched.read.duplicates == 1
    page_article = fetched.read.articles[1]
    assert page_article.source == "one" and page_article.url == server.base + "/page"
    assert str(page_article.published) == "2024-05-05" and "Home | World" not in page_article.text


def test_state_round_trips_through_the_warehouse(tmp_path):
    from sources.state import SourceOutcome

    with warehouse.connect(tmp_path / "w.duckdb") as con:
        ok = SourceOutcome("wire", "feed", "http://127.0.0.1/feed", "fetched", 200, '"v1"',
                           None, "abc", ["a", "b"])
        down = SourceOutcome("down", "feed", "http://127.0.0.1/down", "error",
                             error="HTTP 503 Service Unavailable (tried 2 times)")
        for run in ("r1", "r2"):
            record_source_outcomes(con, run, [dataclasses.asdict(ok), dataclasses.asdict(down)])
        states = source_states(con, ["wire", "down", "new"])
        errors = con.execute("select run_id, location from ops_source_errors").fetchall()
        failures = con.execute("select consecutive_failures from ops_source_state "
                               "where source_name = 'down'").fetchall()[0][0]
        quarantined = con.execute("select count(*) from quarantine_rows").fetchall()[0][0]
    assert states["wire"]["etag"] == '"v1"' and states["wire"]["seen_ids"] == {"a", "b"}
    assert states["down"]["etag"] is None and "new" not in states
    assert errors == [("r1", "http://127.0.0.1/down"), ("r2", "http://127.0.0.1/down")]
    assert failures == 2 and quarantined == 0


def test_cli_refuses_a_bad_config_before_running(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    config = tmp_path / "newsdesk.toml"
    config.write_text('[[sources]]\nname = "x"\nkind = "feed"\nurl = "ftp://x.org/f"\n',
                      encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--config", str(config), "--db",
                                      str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2
    assert "must start with http" in result.output
    assert not (tmp_path / "w.duckdb").exists()
