"""`newsdesk sql` cannot write, filters bind parameters, and paths stay where they point."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

import warehouse
from flows.cli import app
from transforms.articles import RejectedInput
from warehouse.quarantine import list_quarantine, show_quarantine

runner = CliRunner()


@pytest.fixture()
def db(tmp_path):
    """A migrated warehouse with one quarantined input."""
    path = tmp_path / "wh" / "newsdesk.duckdb"
    with warehouse.connect(path) as con:
        warehouse.quarantine_inputs(con, "run-1", [
            RejectedInput(str(tmp_path / "in.jsonl"), 2, "malformed JSON line: x", "{")])
    return path


@pytest.mark.parametrize("statement", [
    "delete from quarantine_rows",
    "insert into ops_runs (run_id, started_at, status) values ('x', now(), 'x')",
    "drop view events",
    "create table evil as select 1",
])
def test_sql_refuses_writes_to_the_warehouse(db, statement):
    result = runner.invoke(app, ["sql", statement, "--db", str(db)])
    assert result.exit_code == 2
    assert "read-only" in " ".join(result.output.split())
    with warehouse.connect(db, read_only=True) as con:
        assert con.execute("select count(*) from quarantine_rows").fetchall()[0][0] == 1


@pytest.mark.parametrize("statement", [
    "copy (select * from quarantine_rows) to '{out}'",
    "attach '{out}' as other",
    "select * from read_csv('{out}')",
])
def test_sql_cannot_touch_other_files(db, tmp_path, statement):
    out = tmp_path / "elsewhere" / "leak.csv"
    out.parent.mkdir()
    result = runner.invoke(app, ["sql", statement.format(out=out), "--db", str(db)])
    assert result.exit_code == 2
    assert "disabled by configuration" in " ".join(result.output.split())
    assert list(out.parent.iterdir()) == []


def test_quarantine_filters_are_bound_not_spliced(db):
    with warehouse.connect(db, read_only=True) as con:
        assert len(list_quarantine(con, table_name="raw_articles")) == 1
        assert list_quarantine(con, table_name="x' or '1'='1").empty
        assert list_quarantine(con, table_name="raw_articles'; drop table ops_runs; --").empty
        assert show_quarantine(con, "' or 1=1 --") is None
        assert con.execute("select count(*) from ops_runs").fetchall()[0][0] == 0


def test_read_only_open_creates_nothing(tmp_path):
    missing = tmp_path / "no" / "such" / "newsdesk.duckdb"
    with pytest.raises(duckdb.IOException):
        warehouse.connect(missing, read_only=True)
    result = runner.invoke(app, ["sql", "select 1", "--db", str(missing)])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_lock_timeout_comes_from_the_environment(monkeypatch):
    from warehouse.connection import default_lock_timeout_s

    monkeypatch.setenv("NEWSDESK_LOCK_TIMEOUT_S", "2.5")
    assert default_lock_timeout_s() == 2.5
    monkeypatch.setenv("NEWSDESK_LOCK_TIMEOUT_S", "soon")
    with pytest.raises(ValueError, match="NEWSDESK_LOCK_TIMEOUT_S"):
        default_lock_timeout_s()
