"""The `newsdesk` command line: run, extract, sql, report, eval, serve, quarantine."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

import warehouse
from flows.deploy import deploy
from flows.export_cli import export
from flows.quarantine_cli import quarantine_app

app = typer.Typer(help="newsdesk: news articles in, an analyst-ready event warehouse out.",
                  no_args_is_help=True, add_completion=False)
app.add_typer(quarantine_app, name="quarantine")
console = Console(stderr=True)

DB_HELP = "DuckDB warehouse file."
EXIT_INPUT_ERROR = 2
EXIT_LOCKED = 3


@app.command()
def run(
    paths: list[Path] = typer.Argument(None, help="Files (.jsonl, .json, .txt) or folders."),
    db: Path = typer.Option(warehouse.DEFAULT_DB_PATH, "--db", help=DB_HELP),
    report_dir: Path = typer.Option(Path("data/reports"), help="Where the data-quality report goes."),
    batch_size: int = typer.Option(1024, min=1, help="Articles validated and published per "
                                   "transaction (extracted in tasks of up to 128)."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
    config: Path = typer.Option(None, "--config", help="Sources file (newsdesk.toml): feeds, "
                                "pages, folders and JSONL files to ingest besides PATHs."),
    runner: str = typer.Option("local", "--runner", help="Where extraction runs: local "
                               "(this machine) or dask (a Dask cluster; see --dask-address)."),
    workers: int = typer.Option(None, "--workers", min=1, help="Extraction workers: local, N > 1 "
                                "starts N processes; dask, a LocalCluster of N workers. "
                                "Default: one per core (at most 4) for a run of more than 128 "
                                "new articles, else 1."),
    dask_address: str = typer.Option(None, "--dask-address", help="Scheduler of a running "
                                     "Dask cluster (tcp://host:8786), with --runner dask."),
    here: bool = typer.Option(False, "--here", help="Run the pipeline in this process even "
                              "when a `newsdesk serve` behind PREFECT_API_URL could run it."),
) -> None:
    """Load articles into the warehouse: extract, validate, publish, report.

    With PREFECT_API_URL set and a `newsdesk serve` polling that server, the run is handed
    to the serve process, which has the pipeline loaded (seconds instead of a cold start).

    Example: newsdesk run data/sample --db data/newsdesk.duckdb
    Example: newsdesk run --config newsdesk.toml   (only what is new in each source)
    Example: newsdesk run big/ --workers 2   (or --runner dask --dask-address tcp://sched:8786)
    """
    if not paths and config is None:
        console.print("[red]error:[/red] give files or folders to load, or --config newsdesk.toml")
        raise typer.Exit(EXIT_INPUT_ERROR)
    from flows.early_api import EarlyApiError, start_early_api, using_api

    # No Prefect API configured: boot a temporary one now, while the run loads what it needs.
    early_api = start_early_api()
    if early_api is not None:
        console.print(f"[dim]no PREFECT_API_URL: a temporary Prefect API for this run at "
                      f"{early_api.api_url} (a running server or `newsdesk serve` is faster; "
                      f"docs/operations.md)[/dim]")
    from flows.runners import RunnerConfigError, check_runner

    try:
        check_runner(runner, workers, dask_address)
    except RunnerConfigError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_INPUT_ERROR) from exc
    if config is not None:
        from sources import SourceConfigError, load_sources

        try:
            load_sources(config)  # refuse a wrong config before a run is recorded
        except SourceConfigError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(EXIT_INPUT_ERROR) from exc

    handed = None if here else _run_in_serve(paths or [], db, report_dir, batch_size, config,
                                             runner, workers, dask_address)
    if handed is not None:
        _print_outcome(handed, as_json)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from flows.ingest import preload_in_background, run_ingest, set_progress

    preload_in_background(runner)
    with Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as progress:
        bar = progress.add_task("articles", total=None)
        set_progress(lambda done, total: progress.update(bar, completed=done, total=total))
        try:
            with using_api(early_api):
                summary = run_ingest(paths or [], db_path=db, report_dir=report_dir,
                                     batch_size=batch_size, config_path=config, runner=runner,
                                     workers=workers, dask_address=dask_address)
        except warehouse.WarehouseLockedError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(EXIT_LOCKED) from exc
        except EarlyApiError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
        finally:
            set_progress(None)  # the early API stops at exit, once Prefect has sent its logs
    _print_outcome(summary.to_dict(), as_json)


def _run_in_serve(paths: list[Path], db: Path, report_dir: Path, batch_size: int,
                  config: Path | None, runner: str, workers: int | None,
                  dask_address: str | None) -> dict | None:
    """Hand the run to a ready `newsdesk serve`; None when there is none (run it here)."""
    from flows.handoff import (
        HandoffUnavailable,
        api_url_from_environment,
        hand_off,
        served_deployment_id,
    )

    api_url = api_url_from_environment()
    if api_url is None:
        return None
    try:
        deployment_id = served_deployment_id(api_url)
    except HandoffUnavailable as exc:
        console.print(f"[dim]{exc}; running here[/dim]")
        return None
    console.print(f"[dim]handing the run to newsdesk serve via {api_url}[/dim]")
    parameters = {"paths": [str(p.resolve()) for p in paths], "db_path": str(db.resolve()),
                  "report_dir": str(report_dir.resolve()), "batch_size": batch_size,
                  "run_label": "cli", "config_path": str(config.resolve()) if config else None,
                  "runner": runner, "workers": workers, "dask_address": dask_address}
    parameters = {k: v for k, v in parameters.items() if v is not None}  # the flow's defaults
    try:
        return hand_off(api_url, deployment_id, parameters)
    except (RuntimeError, TimeoutError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


def _print_outcome(summary: dict, as_json: bool) -> None:
    for error in summary["source_errors"]:
        console.print(f"[yellow]source failed (tried again next run):[/yellow] {error}")
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    _print_summary(summary)


def _print_summary(summary: dict) -> None:
    published = summary["published"]
    table = Table(title=f"newsdesk run {summary['run_id']}", show_header=False)
    rows = [
        ("articles read", summary["articles_in"]),
        ("  new", summary["articles_new"]),
        ("  already loaded", summary["articles_already_loaded"]),
        ("  duplicates in input", summary["articles_duplicate"]),
        ("  loaded", summary["articles_loaded"]),
        ("  quarantined", summary["articles_quarantined"]),
        ("mentions published", published.get("fct_mentions", 0)),
        ("events", published.get("fct_events", 0)),
        ("dates", published.get("fct_dates", 0)),
        ("headcounts", published.get("fct_headcounts", 0)),
        ("rows quarantined", summary["rows_quarantined"]),
        ("checks passed", f"{summary['checks_passed']}/{summary['checks_evaluated']}"),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    Console().print(table)
    with warehouse.connect(summary["db_path"], read_only=True) as con:
        people, orgs, places = (con.execute(f"select count(*) from {t}").fetchall()[0][0]
                                for t in ("dim_people", "dim_organizations", "dim_places"))
    Console().print(f"people {people} · organizations {orgs} · places {places}")
    Console().print(f"warehouse: {summary['db_path']}")
    Console().print(f"data-quality report: {summary['report_path']}")


@app.command()
def extract(
    input_path: Path = typer.Argument(..., help="JSONL file of articles (id, text, published, ...)."),
    output: Path = typer.Option(..., "-o", "--output", help="JSONL file to write, one record per input line."),
) -> None:
    """Extract entities, places, dates, headcounts and events without the warehouse.

    Example: newsdesk extract articles.jsonl -o extracted.jsonl
    """
    from transforms.extract import extract_records

    def records():
        with input_path.open(encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    console.print(f"[yellow]warning:[/yellow] {input_path}:{line_no}: {exc.msg}")
                    yield {"id": None, "text": None, "_error": f"line {line_no}: {exc.msg}"}

    count = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as out:
        for record in extract_records(records()):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    console.print(f"wrote {count} records to {output}")


@app.command()
def sql(
    query: str = typer.Argument(..., help="SQL to run against the warehouse (read-only)."),
    db: Path = typer.Option(warehouse.DEFAULT_DB_PATH, "--db", help=DB_HELP),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
) -> None:
    """Run a read-only SQL query against the warehouse.

    Example: newsdesk sql "select event_type, count(*) from events group by all"
    """
    if not db.exists():
        console.print(f"[red]error:[/red] no warehouse at {db}; run `newsdesk run` first")
        raise typer.Exit(EXIT_INPUT_ERROR)
    import duckdb

    with warehouse.connect(db, read_only=True) as con:
        try:
            result = con.execute(query)
            columns = [d[0] for d in result.description or []]
            rows = result.fetchall()
        except duckdb.Error as exc:
            console.print(f"[red]SQL error:[/red] {exc}")
            raise typer.Exit(EXIT_INPUT_ERROR) from exc
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    Console().print(table)


@app.command()
def report(
    db: Path = typer.Option(warehouse.DEFAULT_DB_PATH, "--db", help=DB_HELP),
    output: Path = typer.Option(Path("data/reports/newsdesk.html"), "-o", "--output",
                                help="HTML file to write (one self-contained page)."),
) -> None:
    """Write one self-contained HTML report: runs, events, map, actors, headcounts, checks.

    The page needs no network to open: scripts, styles, data and the world map are inlined.

    Example: newsdesk report --db data/newsdesk.duckdb -o data/reports/newsdesk.html
    """
    if not db.exists():
        console.print(f"[red]error:[/red] no warehouse at {db}; run `newsdesk run` first")
        raise typer.Exit(EXIT_INPUT_ERROR)
    from expectations.report import write_report_page
    from warehouse.report_queries import report_frames

    with warehouse.connect(db, read_only=True) as con:
        frames = report_frames(con)
    path = write_report_page(frames, output, source=str(db))
    Console().print(f"report: {path}")


@app.command("eval")
def evaluate(
    eval_dir: Path = typer.Option(Path(__file__).resolve().parents[1].parent / "shared" / "eval",
                                  help="Folder of gold data (../shared/eval)."),
    only: list[str] = typer.Option(None, help="Only these tasks or datasets (repeatable): "
                                   "entities, timexes, geoparsing, headcounts, events, wikinews, "
                                   "geovirus, muc4, petrarch2."),
    limit: int = typer.Option(None, help="At most this many documents per dataset."),
    as_json: bool = typer.Option(False, "--json", help="Print scores as JSON."),
) -> None:
    """Score extraction against gold data and print precision, recall and F1.

    Example: newsdesk eval --only wikinews --limit 10
    """
    from evaluation import GoldDataMissing, UnknownTask, format_scores, run_evaluation

    try:
        scores = run_evaluation(eval_dir, only=only or None, limit=limit)
    except (GoldDataMissing, UnknownTask) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_INPUT_ERROR) from exc
    if as_json:
        typer.echo(json.dumps([score.to_dict() for score in scores], indent=2))
        return
    typer.echo(format_scores(scores))


@app.command()
def serve(
    config: Path = typer.Option(Path("prefect.yaml"), help="prefect.yaml with the deployments."),
) -> None:
    """Serve the deployments of prefect.yaml (cron schedules) until interrupted.

    Example: newsdesk serve
    """
    from flows.serving import serve_deployments

    serve_deployments(config)


app.command("export")(export)
app.command("deploy")(deploy)


def main() -> None:
    """Entry point for `python -m flows.cli`."""
    app()


if __name__ == "__main__":
    main()
