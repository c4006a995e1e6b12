"""`newsdesk quarantine list|show|release`: look at rejected rows and re-submit them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

import warehouse
from warehouse.quarantine import list_quarantine, release_quarantine, show_quarantine

quarantine_app = typer.Typer(help="Inspect and release quarantined inputs and rows.",
                             no_args_is_help=True)
DB_OPTION = typer.Option(warehouse.DEFAULT_DB_PATH, "--db", help="DuckDB warehouse file.")


def _require(db: Path) -> None:
    """Exit 2 with a clear message when the warehouse file does not exist."""
    if not db.exists():
        Console(stderr=True).print(f"[red]error:[/red] no warehouse at {db}; run `newsdesk run` first")
        raise typer.Exit(2)


@quarantine_app.command("list")
def list_command(
    db: Path = DB_OPTION,
    all_rows: bool = typer.Option(False, "--all", help="Include released rows."),
    table: str = typer.Option(None, help="Only rows from this staged table (e.g. stg_mentions)."),
    limit: int = typer.Option(100, help="At most this many rows."),
) -> None:
    """List quarantined rows, newest first.

    Example: newsdesk quarantine list --table stg_articles
    """
    _require(db)
    with warehouse.connect(db, read_only=True) as con:
        frame = list_quarantine(con, all_rows, table, limit)
    out = Table("quarantine_id", "stage", "table", "check", "reason", "input", "released")
    for row in frame.itertuples(index=False):
        line = "" if pd.isna(row.input_line) else f":{int(row.input_line)}"
        released = "" if pd.isna(row.released_at) else str(row.released_at)
        out.add_row(row.quarantine_id, row.stage, row.table_name, row.check_name, row.reason,
                    f"{row.input_path or ''}{line}", released)
    Console().print(out)


@quarantine_app.command("show")
def show_command(quarantine_id: str = typer.Argument(..., help="Id from `quarantine list`."),
                 db: Path = DB_OPTION) -> None:
    """Show one quarantined row with its payload.

    Example: newsdesk quarantine show input:1a2b3c4d5e6f7a8b
    """
    _require(db)
    with warehouse.connect(db, read_only=True) as con:
        row = show_quarantine(con, quarantine_id)
    if row is None:
        Console(stderr=True).print(f"[red]error:[/red] no quarantined row {quarantine_id!r}")
        raise typer.Exit(2)
    typer.echo(json.dumps(row, indent=2, default=str, ensure_ascii=False))


@quarantine_app.command("release")
def release_command(quarantine_ids: list[str] = typer.Argument(..., help="Ids to release."),
                    db: Path = DB_OPTION) -> None:
    """Release rows so the next run re-submits their articles (after fixing input or rules).

    Example: newsdesk quarantine release stg_articles:0123abcd4567ef89:expect_column_values_to_be_between(published_date)
    """
    _require(db)
    with warehouse.connect(db) as con:
        count = release_quarantine(con, quarantine_ids)
    Console().print(f"released {count} row(s); rerun `newsdesk run` on the same input to re-submit")
