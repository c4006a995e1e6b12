"""Publish reports the rows it wrote, stages only what may publish, and marks re-submissions."""

from __future__ import annotations

import pandas as pd

import warehouse
from transforms.articles import article_from_record

TEXTS = ["Police met Lina Haddad in Paris.", "Reuters said Omar Khan left Cairo."]


def _entity(article_id: str, text: str, word: str, label: str, n: int) -> dict:
    start = text.index(word)
    return {"start": start, "end": start + len(word), "text": word, "label": label,
            "entity_id": f"{article_id}:e{n}", "sentence": 0}


def _batch(run_id: str) -> dict[str, pd.DataFrame]:
    articles, records = [], []
    for i, text in enumerate(TEXTS):
        article = article_from_record({"id": f"a{i}", "text": text, "published": "2024-04-02"})
        aid = article.article_id
        words = [("Police", "ORG"), ("Lina Haddad", "PERSON")] if i == 0 else [
            ("Reuters", "ORG"), ("Omar Khan", "PERSON")]
        entities = [_entity(aid, text, w, label, n) for n, (w, label) in enumerate(words)]
        articles.append(article)
        records.append({"entities": entities, "places": [], "dates": [], "headcounts": [],
                        "events": [], "roles": [], "sentence_count": 1})
    return warehouse.stage_frames(articles, records, run_id)


def _count(con, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def test_counts_are_the_rows_written_and_only_passing_rows_are_staged(con):
    frames = _batch("run-1")
    mentions = frames["stg_mentions"]
    bad_mention = mentions["mention_id"].iloc[0]  # article 0's first mention fails alone
    bad_article = frames["stg_articles"]["article_id"].iloc[1]  # article 1 fails whole
    failed = {
        "stg_mentions": pd.DataFrame([{"mention_id": bad_mention, "row_number": 0,
                                       "expectation": "check_m", "severity": "error",
                                       "offending": "{}"}]),
        "stg_articles": pd.DataFrame([{"article_id": bad_article, "row_number": 1,
                                       "expectation": "check_a", "severity": "error",
                                       "offending": "{}"}]),
    }
    before = {t: _count(con, t) for t in ("raw_articles", "fct_mentions", "quarantine_rows")}
    counts = warehouse.publish_batch(con, "run-1", 0, frames, failed, [], "test")

    assert counts.published["raw_articles"] == _count(con, "raw_articles") - before[
        "raw_articles"] == 1
    assert counts.published["fct_mentions"] == _count(con, "fct_mentions") - before[
        "fct_mentions"] == 1
    assert counts.quarantined_rows == _count(con, "quarantine_rows") - before[
        "quarantine_rows"] == 2
    staged = {row[0] for row in con.execute("select mention_id from stg_mentions").fetchall()}
    expected = set(mentions.loc[(mentions["mention_id"] != bad_mention)
                                & (mentions["article_id"] != bad_article), "mention_id"])
    assert staged == expected and len(staged) == 1
    assert _count(con, "stg_articles") == 2  # articles are staged whole, failing or not

    mentions_before = _count(con, "fct_mentions")
    again = warehouse.publish_batch(con, "run-2", 0, _batch("run-2"), {}, [], "test")
    assert again.published["raw_articles"] == 1  # the article that failed before
    # its two mentions and the one held back before; the published one is ignored, not counted
    assert again.published["fct_mentions"] == _count(con, "fct_mentions") - mentions_before == 3
    assert again.resubmitted_articles == 0  # nothing was released


def test_a_warning_publishes_with_its_flag_and_counts(con):
    frames = _batch("run-1")
    warned = frames["stg_mentions"]["mention_id"].iloc[2]
    failed = {"stg_mentions": pd.DataFrame([{"mention_id": warned, "row_number": 2,
                                             "expectation": "check_w", "severity": "warning",
                                             "offending": "{}"}])}
    counts = warehouse.publish_batch(con, "run-1", 0, frames, failed, [], "test")
    assert counts.published["fct_mentions"] == 4 and counts.quarantined_rows == 0
    flags = dict(con.execute("select mention_id, has_dq_warning from fct_mentions").fetchall())
    assert flags.pop(warned) is True and not any(flags.values())
