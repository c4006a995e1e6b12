"""Warehouse: schema, staging frames, one-transaction publish, quarantine, idempotence."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import warehouse
from transforms.articles import article_from_record
from transforms.extract import extract_batch
from warehouse.quarantine import list_quarantine, release_quarantine


@pytest.fixture(scope="module")
def batch(nlp):
    articles = [article_from_record({"id": f"a{i}", "text": text, "published": "2024-04-02"})
                for i, text in enumerate([
                    "Police arrested 12 protesters in Nairobi on Monday, officials said.",
                    "Foreign Minister Lina Haddad met envoys from Jordan in Amman.",
                ])]
    return articles, extract_batch(articles, nlp)


def _no_failures() -> dict[str, pd.DataFrame]:
    return {}


def test_schema_has_every_table_and_view(con):
    names = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    assert set(warehouse.TABLES) <= names
    assert set(warehouse.VIEWS) <= names


def test_migrate_is_idempotent(tmp_path):
    path = tmp_path / "again.duckdb"
    warehouse.connect(path).close()
    with warehouse.connect(path) as con:
        versions = con.execute("select count(*) from ops_schema_migrations").fetchall()[0][0]
    assert versions == warehouse.SCHEMA_VERSION


def test_views_are_recreated_only_when_their_sql_changed(tmp_path):
    path = tmp_path / "views.duckdb"
    warehouse.connect(path).close()

    def views_created_at():
        with warehouse.connect(path) as con:
            return con.execute("select created_at from ops_view_definitions").fetchall()

    first = views_created_at()
    assert views_created_at() == first  # an ordinary connection leaves the views alone
    with warehouse.connect(path) as con:  # as after an upgrade that changed a view's SQL
        con.execute("update ops_view_definitions set fingerprint = 'from an older newsdesk'")
        con.execute("drop view headcounts")
    recreated = views_created_at()
    assert recreated != first
    with warehouse.connect(path, read_only=True) as con:
        assert con.execute("select count(*) from headcounts").fetchall() == [(0,)]


def test_stage_frames_have_exact_spans_and_keys(batch):
    articles, records = batch
    frames = warehouse.stage_frames(articles, records, "run-1")
    assert set(frames) == set(warehouse.STAGED_TABLES)
    mentions = frames["stg_mentions"]
    assert len(mentions) > 0 and mentions["is_span_text_exact"].all()
    assert mentions["mention_id"].is_unique
    assert frames["stg_articles"]["sentence_count"].min() >= 1


def test_publish_loads_once_and_rerun_adds_nothing(con, batch):
    articles, records = batch
    frames = warehouse.stage_frames(articles, records, "run-1")
    counts = warehouse.publish_batch(con, "run-1", 0, frames, _no_failures(), [], "test")
    assert counts.published["raw_articles"] == 2
    totals = con.execute("select count(*) from fct_mentions").fetchall()[0][0]
    assert totals == counts.published["fct_mentions"] > 0
    again = warehouse.publish_batch(con, "run-2", 0, warehouse.stage_frames(articles, records, "run-2"),
                                    _no_failures(), [], "test")
    assert again.published == {k: 0 for k in again.published}
    assert warehouse.known_article_ids(con, [a.article_id for a in articles]) == {
        a.article_id for a in articles}


def test_failed_rows_are_quarantined_not_published(con, batch):
    articles, records = batch
    frames = warehouse.stage_frames(articles, records, "run-1")
    bad_article = articles[0].article_id
    bad_mention = frames["stg_mentions"].query("article_id != @bad_article")["mention_id"].iloc[0]
    failed = {
        "stg_articles": pd.DataFrame([{"article_id": bad_article, "expectation": "check_a",
                                       "severity": "error", "offending": '{"x": 1}'}]),
        "stg_mentions": pd.DataFrame([{"mention_id": bad_mention, "expectation": "check_m",
                                       "severity": "error", "offending": "{}"}]),
    }
    counts = warehouse.publish_batch(con, "run-1", 0, frames, failed, [], "test")
    assert counts.published["raw_articles"] == 1
    assert con.execute("select count(*) from fct_mentions where article_id = ?", [bad_article]).fetchall()[0][0] == 0
    assert con.execute("select count(*) from fct_mentions where mention_id = ?", [bad_mention]).fetchall()[0][0] == 0
    quarantined = list_quarantine(con)
    assert set(quarantined["check_name"]) == {"check_a", "check_m"}
    # The quarantined article is not re-processed until released.
    assert bad_article in warehouse.known_article_ids(con, [bad_article])
    qid = quarantined.query("check_name == 'check_a'")["quarantine_id"].iloc[0]
    assert release_quarantine(con, [qid]) == 1
    assert bad_article not in warehouse.known_article_ids(con, [bad_article])
    assert len(list_quarantine(con, include_released=True)) == 2


def test_a_failing_publish_leaves_the_warehouse_unchanged(con, batch):
    articles, records = batch
    frames = warehouse.stage_frames(articles, records, "run-1")
    broken = dict(frames)
    broken["stg_events"] = frames["stg_events"].drop(columns=["trigger_text"])
    with pytest.raises(Exception):
        warehouse.publish_batch(con, "run-1", 0, broken, _no_failures(), [], "test")
    assert con.execute("select count(*) from raw_articles").fetchall()[0][0] == 0
    assert con.execute("select count(*) from fct_mentions").fetchall()[0][0] == 0


def test_views_read_published_rows(con, batch):
    articles, records = batch
    warehouse.publish_batch(con, "run-1", 0, warehouse.stage_frames(articles, records, "run-1"),
                            _no_failures(), [], "test")
    events = con.execute("select event_type, actor1, place, country_iso3, place_rule, "
                         "event_date, event_date_rule from events").fetchall()
    assert ("COERCE", "Police", "Nairobi", "KEN", "clause", dt.date(2024, 4, 1), "clause") in events
    people = {row[0] for row in con.execute("select name from people").fetchall()}
    assert "Lina Haddad" in people


def test_headcounts_keep_their_side_and_cause(con, nlp):
    """A disaster toll is stored as one (cause), so violence tolls can leave it out in SQL."""
    articles = [article_from_record({"id": "h", "published": "2024-04-02", "text": (
        "The earthquake killed 40 villagers in the north. "
        "On Monday gunmen killed 7 soldiers at a checkpoint.")})]
    records = extract_batch(articles, nlp)
    warehouse.publish_batch(con, "run-h", 0, warehouse.stage_frames(articles, records, "run-h"),
                            _no_failures(), [], "test")
    rows = con.execute("select low, category, victim_type, cause from headcounts "
                       "order by start_char").fetchall()
    assert rows == [(40, "killed", "civilians", "natural_disaster"),
                    (7, "killed", "military", None)]


def test_reading_an_older_warehouse_migrates_it_first(tmp_path):
    import duckdb

    from warehouse.schema import MIGRATIONS

    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as old:
        old.execute("create table ops_schema_migrations (version integer primary key, "
                    "applied_at timestamp not null)").fetchall()
        old.execute(MIGRATIONS[0]).fetchall()
        old.execute("insert into ops_schema_migrations values (1, now())").fetchall()
    with warehouse.connect(path, read_only=True) as con:
        columns = {row[0] for row in con.execute("describe events").fetchall()}
    assert {"event_date_rule", "country_iso3", "place_rule"} <= columns


def test_a_released_row_is_resubmitted_once_and_requarantined_if_it_fails_again(con, batch):
    articles, records = batch
    frames = warehouse.stage_frames(articles, records, "run-1")
    mention = frames["stg_mentions"]["mention_id"].iloc[0]
    article = frames["stg_mentions"]["article_id"].iloc[0]
    failed = {"stg_mentions": pd.DataFrame([{"mention_id": mention, "expectation": "check_m",
                                             "severity": "error", "offending": "{}"}])}
    warehouse.publish_batch(con, "run-1", 0, frames, failed, [], "test")
    assert article in warehouse.known_article_ids(con, [article])
    qid = list_quarantine(con)["quarantine_id"].iloc[0]
    release_quarantine(con, [qid])
    # Released: the next run processes the article again ...
    assert article not in warehouse.known_article_ids(con, [article])
    pairs = [(a, r) for a, r in zip(articles, records) if a.article_id == article]
    again = warehouse.stage_frames([a for a, _ in pairs], [r for _, r in pairs], "run-2")
    counts = warehouse.publish_batch(con, "run-2", 0, again, {}, [], "test")
    # ... adding exactly the row that was held back, and only once.
    assert counts.published["fct_mentions"] == 1 and counts.resubmitted_articles == 1
    assert con.execute("select count(*) from fct_mentions where mention_id = ?",
                       [mention]).fetchall()[0][0] == 1
    assert article in warehouse.known_article_ids(con, [article])
    row = con.execute("select resubmitted_run_id, released_at is not null from quarantine_rows "
                      "where quarantine_id = ?", [qid]).fetchall()[0]
    assert row == ("run-2", True)


def test_a_resubmitted_row_that_fails_again_goes_back_into_quarantine(con, batch):
    articles, records = batch
    frames = warehouse.stage_frames(articles, records, "run-1")
    mention = frames["stg_mentions"]["mention_id"].iloc[0]
    failed = {"stg_mentions": pd.DataFrame([{"mention_id": mention, "expectation": "check_m",
                                             "severity": "error", "offending": "{}"}])}
    warehouse.publish_batch(con, "run-1", 0, frames, failed, [], "test")
    qid = list_quarantine(con)["quarantine_id"].iloc[0]
    release_quarantine(con, [qid])
    warehouse.publish_batch(con, "run-2", 0, warehouse.stage_frames(articles, records, "run-2"),
                            failed, [], "test")
    assert qid in set(list_quarantine(con)["quarantine_id"])  # open again, not released
    assert con.execute("select count(*) from fct_mentions where mention_id = ?",
                       [mention]).fetchall()[0][0] == 0


def test_two_articles_about_one_event_share_a_cluster(con, nlp):
    texts = [("Police arrested 40 protesters in Nairobi on Monday, officials said.", "Desk A"),
             ("On Monday police arrested dozens of protesters in Nairobi.", "Desk B"),
             ("Police arrested 12 protesters in Lagos on Monday.", "Desk A")]
    articles = [article_from_record({"id": f"c{i}", "text": t, "published": "2024-04-02",
                                     "source": source})
                for i, (t, source) in enumerate(texts)]
    records = extract_batch(articles, nlp)
    warehouse.publish_batch(con, "run-1", 0, warehouse.stage_frames(articles, records, "run-1"),
                            _no_failures(), [], "test")
    rows = con.execute("""
        select place_name, event_cluster_id from events where event_type = 'COERCE'
    """).fetchall()
    nairobi = {cluster for place, cluster in rows if place == "Nairobi"}
    lagos = {cluster for place, cluster in rows if place == "Lagos"}
    assert len(nairobi) == 1 and len(lagos) == 1 and nairobi != lagos
    cluster = con.execute("select num_articles, num_sources from event_clusters "
                          "where event_cluster_id = ?", [nairobi.pop()]).fetchall()[0]
    assert cluster == (2, 2)
