"""The CLI's public contract: `newsdesk extract` output fields, `sql`, clear errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()
ITEM_FIELDS = {
    "entities": {"start", "end", "text", "label", "entity_id"},
    "places": {"start", "end", "text", "name", "country_iso3", "admin1", "lat", "lon",
               "geonames_id", "feature", "precision"},
    "dates": {"start", "end", "text", "type", "value", "precision", "rule"},
    "headcounts": {"start", "end", "text", "low", "high", "qualifier", "category", "unit", "actor"},
    "events": {"start", "end", "trigger", "type", "cameo", "actor1", "actor2", "place", "date",
               "sentence"},
}


def test_extract_writes_the_documented_record_for_the_seed(tmp_path, seed_text, nlp):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "seed-1", "text": seed_text}) + "\n"
                      + '{"id": "bad", "text": ""}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["seed-1", "bad"]
    seed = records[0]
    assert seed["published"] is None
    for key, fields in ITEM_FIELDS.items():
        assert seed[key], key
        for item in seed[key]:
            assert fields <= set(item), (key, fields - set(item))
            if "text" in item:
                assert seed_text[item["start"]:item["end"]] == item["text"]
                assert not item["text"].lower().startswith("the ")
    assert "error" in records[1] and records[1]["entities"] == []


def test_sql_without_a_warehouse_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["sql", "select 1", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "newsdesk run" in " ".join(result.output.split())


def test_quarantine_commands_without_a_warehouse_are_clear_errors(tmp_path):
    missing = str(tmp_path / "none.duckdb")
    for args in (["quarantine", "list", "--db", missing],
                 ["quarantine", "show", "x", "--db", missing],
                 ["quarantine", "release", "x", "--db", missing]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert "newsdesk run" in " ".join(result.output.split())
    assert not (tmp_path / "none.duckdb").exists()
