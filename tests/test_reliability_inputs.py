"""Bad inputs through the real flow: each is named in the log, the rest loads, counts add up.

One flow run over a folder holding every case plus two good articles (a run of the ephemeral
Prefect API costs seconds), then one parametrized check per case.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass

import pytest

import warehouse
from flows.ingest import run_ingest

pytestmark = pytest.mark.slow

GOOD_1 = ("Rebels attacked an army convoy near Goma on Tuesday, killing at least 12 soldiers, the "
          "provincial governor said. The army said it had pushed the fighters back into the hills "
          "north of the city and that the road to the border was open again by the evening.")
GOOD_2 = ("Police in Nairobi arrested 40 protesters on Monday after a march against new taxes "
          "turned violent. Officers fired tear gas as the crowd moved towards parliament, and "
          "the interior minister said the arrested would appear in court later in the week.")
FRENCH = ("Les manifestants ont défilé mardi à Paris contre la réforme des retraites, a indiqué "
          "la préfecture de police. Selon les syndicats, plus de deux millions de personnes ont "
          "participé aux rassemblements dans toute la France, un chiffre contesté par le "
          "ministère de l'Intérieur qui en a compté huit cent mille.")
HTML_PAGE = ("<!DOCTYPE html><html><head><title>Floods</title><style>p {color: red}</style>"
             "<script>track('x')</script></head><body><h1>Floods in Porto Alegre</h1>"
             "<p>Rescuers evacuated 3,000 residents from flooded districts of Porto Alegre on "
             "Sunday &amp; more rain is expected, the state governor said.</p>"
             "<p>At least 29 people have died since the storms began last week.</p></body></html>")
TWENTY_MB = 20 * 1024 * 1024


def _line(**record) -> str:
    return json.dumps(record, ensure_ascii=False)


@dataclass(frozen=True)
class Case:
    """One bad (or odd) input: the file it is in, and what must happen to it."""

    name: str
    file: str
    line: int | None
    outcome: str  # "quarantined", "loaded" or "duplicate"
    message: str  # fragment of the log message that names the input


CASES = [
    Case("empty file", "empty.txt", None, "quarantined", "file is empty"),
    Case("empty JSONL file", "empty.jsonl", None, "quarantined", "file is empty"),
    Case("whitespace only", "blank.txt", None, "quarantined", "empty or whitespace only"),
    Case("binary file", "scan.txt", None, "quarantined", "looks binary"),
    Case("invalid UTF-8", "latin1.jsonl", 1, "quarantined", "not valid UTF-8"),
    Case("20 MB .txt article", "huge.txt", None, "quarantined", "not read"),
    Case("20 MB JSONL line", "huge.jsonl", 2, "quarantined", "not read"),
    Case("malformed JSON line", "wire.jsonl", 2, "quarantined", "malformed JSON line"),
    Case("HTML given as text", "page.txt", None, "loaded", "HTML markup converted to text"),
    Case("missing publication date", "undated.jsonl", 1, "loaded", "no publication date"),
    Case("unparseable publication date", "baddate.jsonl", 1, "quarantined", "not an ISO date"),
    Case("publication date in the future", "future.jsonl", 1, "quarantined", "in the future"),
    Case("non-English article", "french.jsonl", 1, "quarantined", "looks non-English"),
    Case("exact duplicate", "wire2-copy.txt", None, "duplicate", "exact duplicate of"),
]


def _write_inbox(inbox) -> None:
    (inbox / "wire.jsonl").write_text("\n".join([
        _line(id="good-1", text=GOOD_1, published="2024-03-08"),
        '{"id": "broken", "text": "unterminated',
        _line(id="good-2", text=GOOD_2, published="2024-03-11"),
    ]) + "\n", encoding="utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "empty.jsonl").write_bytes(b"")
    (inbox / "blank.txt").write_text("  \n\t  \n", encoding="utf-8")
    (inbox / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (inbox / "latin1.jsonl").write_bytes(
        _line(id="latin1", text="Le ministre a parl\u00e9 " * 5).encode("latin-1") + b"\n")
    with (inbox / "huge.txt").open("w", encoding="utf-8") as handle:
        for _ in range(TWENTY_MB // (1024 * 1024)):
            handle.write("word " * (1024 * 1024 // 5))
    with (inbox / "huge.jsonl").open("w", encoding="utf-8") as handle:
        handle.write(_line(id="small", text="Fine, but short.", published="2024-03-01") + "\n")
        handle.write('{"id": "huge", "text": "' + "word " * (TWENTY_MB // 5) + '"}\n')
    (inbox / "page.txt").write_text(HTML_PAGE, encoding="utf-8")
    (inbox / "undated.jsonl").write_text(_line(
        id="undated", text="Farmers blocked roads around Lyon with tractors to protest against "
        "fuel prices.") + "\n", encoding="utf-8")
    (inbox / "baddate.jsonl").write_text(_line(
        id="baddate", text="Troops moved north.", published="last Tuesday-ish") + "\n",
        encoding="utf-8")
    (inbox / "future.jsonl").write_text(_line(
        id="future", text="Rain fell on the capital.", published="2999-01-01") + "\n",
        encoding="utf-8")
    (inbox / "french.jsonl").write_text(_line(id="fr", text=FRENCH, published="2023-03-07")
                                        + "\n", encoding="utf-8")
    (inbox / "wire2-copy.txt").write_text(
        "Published: 2024-03-08\n\n" + GOOD_1.replace(" ", "  "), encoding="utf-8")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def inputs_run(prefect_api, tmp_path_factory):
    """Run the flow once over every case, from an empty working directory."""
    inbox = tmp_path_factory.mktemp("inbox")
    _write_inbox(inbox)
    db = tmp_path_factory.mktemp("db") / "deeper" / "newsdesk.duckdb"
    reports = tmp_path_factory.mktemp("reports") / "out"
    cwd = tmp_path_factory.mktemp("cwd")
    collector = _Collect()
    run_logger = logging.getLogger("prefect.flow_runs")
    run_logger.addHandler(collector)
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        summary = run_ingest([inbox], db_path=db, report_dir=reports)
    finally:
        os.chdir(previous)
        run_logger.removeHandler(collector)
    return summary, inbox, db, reports, cwd, collector.messages


def _case_counts(db, path: str, line: int | None) -> tuple[int, int]:
    """Return (rows in raw_articles, input-stage quarantine rows) for one input."""
    with warehouse.connect(db, read_only=True) as con:
        loaded = con.execute(  # the good records sharing a file with a case are not the case
            "select count(*) from raw_articles where input_path = ?"
            " and coalesce(source_id, '') not in ('good-1', 'good-2', 'small')",
            [path]).fetchall()[0][0]
        quarantined = con.execute(
            "select count(*) from quarantine_rows where stage = 'input' and input_path = ?"
            " and input_line is not distinct from ?", [path, line]).fetchall()[0][0]
    return loaded, quarantined


def _ops_counts(db) -> dict:
    with warehouse.connect(db, read_only=True) as con:
        row = con.execute("""
            select articles_in, articles_loaded, articles_quarantined, articles_duplicate,
                   articles_already_loaded, status
            from ops_runs""").fetchall()
    assert len(row) == 1
    keys = ("in", "loaded", "quarantined", "duplicate", "already_loaded", "status")
    return dict(zip(keys, row[0], strict=True))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_bad_input_is_named_and_accounted_for(inputs_run, case):
    summary, inbox, db, _, _, messages = inputs_run
    path = str(inbox / case.file)
    where = f"{path}:{case.line}" if case.line is not None else path
    named = [m for m in messages if where in m and case.message in m]
    assert named, f"no log message names {where} with {case.message!r}"
    loaded, quarantined = _case_counts(db, path, case.line)
    assert (loaded, quarantined) == {"loaded": (1, 0), "quarantined": (0, 1),
                                     "duplicate": (0, 0)}[case.outcome]
    ops = _ops_counts(db)
    assert ops["status"] == "completed"
    assert ops["in"] == ops["loaded"] + ops["quarantined"] + ops["duplicate"] \
        + ops["already_loaded"]


def test_run_totals(inputs_run):
    summary, _, db, *_ = inputs_run
    ops = _ops_counts(db)
    # 14 cases + 2 good articles + the short article before the 20 MB JSONL line
    assert ops["in"] == 17
    assert (ops["loaded"], ops["quarantined"], ops["duplicate"]) == (5, 11, 1)
    assert ops["already_loaded"] == 0
    assert summary.articles_in == ops["in"]


def test_html_is_stored_as_its_visible_text(inputs_run):
    _, inbox, db, _, _, _ = inputs_run
    with warehouse.connect(db, read_only=True) as con:
        text = con.execute("select text from raw_articles where input_path = ?",
                           [str(inbox / "page.txt")]).fetchall()[0][0]
    assert "Rescuers evacuated 3,000 residents" in text and "& more rain" in text
    assert "<" not in text and "track(" not in text and "color: red" not in text


def test_files_are_written_only_where_asked(inputs_run):
    _, _, db, reports, cwd, _ = inputs_run
    assert list(cwd.iterdir()) == []
    assert {p.name for p in db.parent.iterdir()} <= {db.name, db.name + ".wal",
                                                    db.name + ".runlock"}
    assert (reports / "quality.html").exists()
