"""`newsdesk export`: the warehouse as Parquet for DuckDB/Spark/Trino, or ACLED/GDELT-style CSV."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

import warehouse
from warehouse.export import CSV_FORMATS, export_csv, export_parquet

__all__ = ["export"]


def export(
    parquet: Path = typer.Option(None, "--parquet", help="Folder for Hive-partitioned Parquet "
                                 "(events by event_year/event_month, other tables whole)."),
    fmt: str = typer.Option(None, "--format", help="CSV convention: acled or gdelt."),
    output: Path = typer.Option(None, "-o", "--output", help="CSV file for --format."),
    db: Path = typer.Option(warehouse.DEFAULT_DB_PATH, "--db", help="DuckDB warehouse file."),
) -> None:
    """Export the warehouse: Parquet for other engines, or events as ACLED/GDELT-style CSV.

    Example: newsdesk export --parquet exports/ ; newsdesk export --format acled -o acled.csv
    """
    err = Console(stderr=True)
    if not db.exists():
        err.print(f"[red]error:[/red] no warehouse at {db}; run `newsdesk run` first")
        raise typer.Exit(2)
    if parquet is None and fmt is None:
        err.print("[red]error:[/red] give --parquet DIR and/or --format acled|gdelt -o FILE")
        raise typer.Exit(2)
    if fmt is not None and (fmt not in CSV_FORMATS or output is None):
        err.print(f"[red]error:[/red] --format takes one of {', '.join(CSV_FORMATS)} "
                  "and needs -o FILE")
        raise typer.Exit(2)
    with warehouse.connect(db, read_only=True) as con:
        if parquet is not None:
            for table, rows in export_parquet(con, parquet).items():
                Console().print(f"{parquet / table}: {rows} rows")
        if fmt is not None:
            rows = export_csv(con, output, fmt)
            Console().print(f"{output}: {rows} {fmt.upper()}-style event rows")
