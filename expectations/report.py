"""Write `newsdesk report`: one self-contained HTML page on the state of the warehouse.

The page inlines everything it needs (the Vega runtime bundled offline by `vl_convert`, the
chart specs with their data, the world outline, the styles), so it opens from a file or an
e-mail attachment with no network. Article text is HTML-escaped wherever it appears.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import vl_convert

from expectations import report_charts as charts
from expectations.suites import build_suites, expectation_label
from expectations.validation_frames import is_missing

__all__ = ["REMOTE_REFERENCE", "render_report", "write_report_page"]

#: A reference the browser would fetch: src/href/url()/@import pointing at http(s).
REMOTE_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*https?:"""
    r"""|url\(\s*["']?\s*https?:|@import\s+["']?\s*(?:url\()?\s*["']?https?:)""",
    re.IGNORECASE,
)
SNIPPET_CHARS = 220
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+|\n\s*\n")

_STYLE = """
:root{--ink:#1f2a30;--muted:#5b6770;--line:#d9dee2;--bad:#c0392b;--warn:#b7791f;--ok:#2f855a}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
margin:0;background:#f6f7f8}
header{background:#1f2a30;color:#fff;padding:1.2rem 2rem}
header h1{margin:0 0 .2rem;font-size:1.5rem}header p{margin:0;color:#c9d1d6}
nav{padding:.5rem 2rem;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0}
nav a{margin-right:1rem;color:#2b6cb0;text-decoration:none}
main{padding:1rem 2rem 3rem;max-width:1100px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem 1.2rem;
margin:1rem 0}
h2{margin:.1rem 0 .6rem;font-size:1.2rem}h3{font-size:1rem;margin:1rem 0 .4rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.6rem 1rem;
min-width:9rem}
.card b{display:block;font-size:1.4rem}.card span{color:var(--muted);font-size:.85rem}
.row{display:flex;flex-wrap:wrap;gap:1.5rem}
.note{color:var(--muted);font-size:.88rem}
table{border-collapse:collapse;font-size:.86rem;margin:.4rem 0;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.25rem .45rem;text-align:left;
vertical-align:top}
th{color:var(--muted);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.sev-error{color:var(--bad);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}
.ok{color:var(--ok)}
.example{border-left:3px solid var(--line);padding:.3rem .7rem;margin:.5rem 0}
.example.error{border-color:var(--bad)}.example.warning{border-color:var(--warn)}
.example .title{font-weight:600}.example blockquote{margin:.25rem 0;font-style:italic}
mark{background:#ffe58a;padding:0 .1rem}
code{font-size:.82rem;background:#f0f2f4;padding:0 .2rem;border-radius:3px;word-break:break-all}
.chart{min-height:60px;overflow-x:auto}
.chart-error{color:var(--bad)}
details summary{cursor:pointer;color:#2b6cb0}
"""

# Renders every chart with vega-embed (bundled with Vega; it adds tooltips); sets
# body[data-charts-rendered] to the number drawn (or "error") so a headless browser can tell
# when the page is done.
_RENDER_JS = """
(function () {
  var done = [];
  document.querySelectorAll(".chart[data-spec]").forEach(function (el) {
    try {
      var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
      done.push(vegaEmbed(el, spec, {mode: "vega", renderer: "svg", actions: false})
        .then(function () { el.dataset.rendered = "true"; }));
    } catch (err) {
      console.error("newsdesk: chart " + el.id + " failed: " + err);
      el.className += " chart-error";
      el.textContent = "This chart could not be drawn: " + err;
      done.push(Promise.reject(err));
    }
  });
  Promise.all(done).then(function () {
    document.body.dataset.chartsRendered = String(done.length);
  }, function (err) {
    console.error("newsdesk: " + err);
    document.body.dataset.chartsRendered = "error";
  });
})();
"""


@lru_cache(maxsize=1)
def vega_runtime() -> str:
    """Return Vega and vega-embed as one offline script (bundled by vl_convert, ~0.9 MB).

    vega-embed, not bare Vega: the bundler exposes no usable `vega` global on its own.
    """
    bundle = vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")
    return bundle.replace("</script", "<\\/script")


def write_report_page(frames: Mapping[str, pd.DataFrame], path: Path,
                      source: str | None = None) -> Path:
    """Render the report from `frames` (warehouse.report_queries) to `path`; return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(frames, source), encoding="utf-8")
    return path


def render_report(frames: Mapping[str, pd.DataFrame], source: str | None = None) -> str:
    """Return the report page as one HTML string."""
    page = _Page()
    overview = frames["overview"].iloc[0].to_dict() if len(frames["overview"]) else {}
    sections = [
        ("runs", "Run history", _runs_section(page, frames["run_history"])),
        ("timeline", "Events over time", _timeline_section(page, frames["events_timeline"],
                                                           overview)),
        ("map", "Where events happened", _map_section(page, frames["event_places"], overview)),
        ("actors", "Actors and dyads", _actors_section(page, frames["top_actors"],
                                                      frames["top_dyads"])),
        ("headcounts", "Headcounts by category", _headcounts_section(page,
                                                                     frames["headcounts"])
         + _victims_section(frames.get("victims_by_side"))
         + _review_section(frames.get("headcounts_for_review"))),
        ("checks", "Failing checks", _checks_section(frames)),
    ]
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    nav = "".join(f'<a href="#{anchor}">{html.escape(title)}</a>' for anchor, title, _ in sections)
    body = "".join(f'<section id="{anchor}"><h2>{html.escape(title)}</h2>{content}</section>'
                   for anchor, title, content in sections)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsdesk report</title><style>{_STYLE}</style></head>
<body data-charts-rendered="pending">
<header><h1>newsdesk report</h1>
<p>Generated {html.escape(generated)}{' from ' + html.escape(source) if source else ''}.</p>
</header>
<nav>{nav}</nav>
<main>{_cards(overview)}{body}</main>
{page.specs()}
<script>{vega_runtime()}</script>
<script>{_RENDER_JS}</script>
</body></html>
"""


class _Page:
    """Collects the chart specs of one page, each embedded once as inline JSON."""

    def __init__(self) -> None:
        self._specs: list[str] = []

    def chart(self, chart: Any, label: str) -> str:
        """Return a chart placeholder and keep its compiled spec for the page."""
        index = len(self._specs)
        self._specs.append(_json_script(f"spec-{index}", charts.compile_chart(chart)))
        return (f'<div class="chart" id="chart-{index}" data-spec="spec-{index}" role="img" '
                f'aria-label="{html.escape(label)}"></div>')

    def specs(self) -> str:
        """Return the script tags holding every spec."""
        return "\n".join(self._specs)


def _json_script(element_id: str, data: Any) -> str:
    # "<" escaped so no string in the data can close the script element.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _cards(overview: dict) -> str:
    def fmt(value: Any) -> str:
        return "–" if is_missing(value) else f"{value:,}" if isinstance(value, int) else str(value)

    span = ""
    if not is_missing(overview.get("first_event_date")):
        span = (f"{_text(overview['first_event_date'])} – "
                f"{_text(overview['last_event_date'])}")
    cards = [("articles", overview.get("articles")), ("events", overview.get("events")),
             ("events on the map", overview.get("located_events")),
             ("event dates", span or None),
             ("rows in quarantine", overview.get("quarantined_open")),
             ("released from quarantine", overview.get("quarantined_released")),
             ("runs", overview.get("runs"))]
    items = "".join(f'<div class="card"><b>{html.escape(fmt(_py(v)))}</b>'
                    f'<span>{html.escape(label)}</span></div>' for label, v in cards)
    return f'<div class="cards">{items}</div>'


def _runs_section(page: _Page, runs: pd.DataFrame) -> str:
    if runs.empty:
        return _empty("No runs yet: run `newsdesk run PATH`.")
    recent = runs.tail(20).iloc[::-1]
    table = _table(recent, [("run", "run_id"), ("started (UTC)", "started_at"),
                            ("status", "status"), ("articles in", "articles_in"),
                            ("new", "articles_new"), ("quarantined", "articles_quarantined"),
                            ("rows quarantined", "rows_quarantined"),
                            ("checks passed", "checks_passed"),
                            ("checks evaluated", "checks_evaluated"),
                            ("errors failed", "errors_failed"),
                            ("warnings failed", "warnings_failed")])
    return (page.chart(charts.run_history_chart(runs), "Articles and checks per run")
            + f"<details><summary>Last {len(recent)} runs</summary>{table}</details>")


def _timeline_section(page: _Page, timeline: pd.DataFrame, overview: dict) -> str:
    if timeline.empty:
        return _empty("No dated events yet.")
    undated = int(_py(overview.get("events")) or 0) - int(timeline["events"].sum())
    note = (f'<p class="note">{undated:,} events without a date are not shown.</p>'
            if undated > 0 else "")
    return page.chart(charts.events_timeline_chart(timeline), "Events per month by type") + note


def _map_section(page: _Page, places: pd.DataFrame, overview: dict) -> str:
    if places.empty:
        return _empty("No located events yet.")
    unlocated = int(_py(overview.get("events")) or 0) - int(places["events"].sum())
    note = (f'<p class="note">{unlocated:,} events without a resolved place are not shown. '
            "World outline: Natural Earth 1:110m.</p>")
    table = _table(places.head(15), [("place", "place_name"), ("country", "country_iso3"),
                                     ("events", "events"), ("event types", "event_types")])
    return (page.chart(charts.map_chart(places), "Map of event places") + note
            + f"<details><summary>Top places</summary>{table}</details>")


def _actors_section(page: _Page, actors: pd.DataFrame, dyads: pd.DataFrame) -> str:
    if actors.empty:
        return _empty("No events with actors yet.")
    parts = [page.chart(charts.top_actors_chart(actors), "Top actors")]
    if not dyads.empty:
        parts.append(page.chart(charts.top_dyads_chart(dyads), "Top dyads"))
    table = _table(dyads, [("actor1", "actor1"), ("actor2", "actor2"), ("events", "events"),
                           ("event types", "event_types")])
    return (f'<div class="row">{"".join(parts)}</div>'
            f"<details><summary>Dyads table</summary>{table}</details>")


def _headcounts_section(page: _Page, headcounts: pd.DataFrame) -> str:
    if headcounts.empty:
        return _empty("No headcounts yet.")
    table = _table(headcounts, [("category", "category"), ("headcounts", "headcounts"),
                                ("people (low)", "people_low"), ("people (high)", "people_high"),
                                ("largest", "largest")])
    return (page.chart(charts.headcounts_chart(headcounts), "Headcounts by category") + table
            + '<p class="note">Sums add counts from different articles, which may report the '
              "same people: read them as scale, not a toll.</p>")


def _victims_section(victims: pd.DataFrame | None) -> str:
    """Victim counts by side (`victim_type`): civilians, security forces, military, armed group."""
    if victims is None or victims.empty:
        return ""
    return ("<h3>Victims by side</h3>"
            + _table(victims, [("side", "side"), ("category", "category"),
                               ("headcounts", "headcounts"), ("people (low)", "people_low"),
                               ("people (high)", "people_high")])
            + '<p class="note">The side is what the text says of the counted people '
              "(victim_type; unknown when it says nothing); tallies of a period and tolls of a "
              "disaster, disease or accident (cause) are left out.</p>")


def _review_section(flagged: pd.DataFrame | None) -> str:
    """List the headcounts above their category's plausibility threshold (`needs_review`)."""
    if flagged is None or flagged.empty:
        return ""
    table = _table(flagged, [("headcount", "headcount_text"), ("category", "category"),
                             ("largest", "largest"), ("article", "article_title"),
                             ("article id", "article_id")])
    return ("<h3>Headcounts flagged for review</h3>"
            '<p class="note">Above the plausibility threshold of their category '
            "(NEWSDESK_HEADCOUNT_REVIEW_ABOVE): published, but check them against the article "
            "before use.</p>" + table)


def _checks_section(frames: Mapping[str, pd.DataFrame]) -> str:
    checks = frames["failing_checks"]
    why = _why_by_expectation()
    parts = []
    if checks.empty:
        parts.append('<p class="ok">Every check has passed in every run.</p>')
    else:
        checks = checks.assign(
            why=[why.get(label, "") for label in checks["expectation"]],
            now=["passes" if bool(p) else "failing" for p in checks["passed_last_time"]])
        parts.append(_table(checks, [
            ("severity", "severity"), ("table", "suite"), ("expectation and why", "expectation"),
            ("runs failed", "runs_failed"), ("rows failed", "rows_failed"),
            ("last observed", "last_observed_value"), ("last run", "now")], notes="why"))
        parts.append('<p class="note"><b>error</b> rows are quarantined (listed below, and in '
                     "<code>newsdesk quarantine list</code>); <b>warning</b> rows are "
                     "published with <code>has_dq_warning</code>.</p>")
    parts.append("<h3>Quarantined rows</h3>")
    examples = frames["failing_examples"]
    if examples.empty:
        parts.append(_empty("No rows were quarantined by a check."))
    for row in examples.to_dict("records"):
        parts.append(_example(row, row["check_name"], row["severity"]))
    parts.append("<h3>Published rows flagged by a warning</h3>")
    flagged = frames["flagged_examples"]
    if flagged.empty:
        parts.append(_empty("No published row carries a warning."))
    for row in flagged.to_dict("records"):
        parts.append(_example(row, "a warning check of " + row["table_name"], "warning"))
    rejected = frames["rejected_inputs"]
    if not rejected.empty:
        parts.append("<h3>Inputs that could not be read</h3>")
        parts.append(_table(rejected, [("input", "input_path"), ("line", "input_line"),
                                       ("reason", "reason"), ("id", "quarantine_id"),
                                       ("released", "released_at")]))
    return "".join(parts)


def _example(row: dict, check: str, severity: str) -> str:
    """One failing row: its article title, the sentence with the span marked, the values."""
    title = _py(row.get("article_title")) or "(untitled article)"
    snippet = _snippet(_py(row.get("article_text")), _py(row.get("start_char")),
                       _py(row.get("end_char")), _py(row.get("sentence_text")),
                       _py(row.get("item_text")))
    details = [f"check <code>{html.escape(check)}</code>",
               f"row <code>{html.escape(str(row.get('row_id')))}</code>"]
    if not is_missing(row.get("quarantine_id")):
        status = ("released " + str(row["released_at"])[:19]
                  if not is_missing(row.get("released_at")) else "in quarantine")
        details.append(f"{html.escape(status)} as <code>{html.escape(row['quarantine_id'])}</code>")
    offending = _py(row.get("offending_values"))
    values = (f"<div>offending values: <code>{html.escape(offending)}</code></div>"
              if offending else "")
    return (f'<div class="example {html.escape(severity)}">'
            f'<div class="title">{html.escape(str(title))}</div>'
            f"<blockquote>{snippet}</blockquote>{values}"
            f'<div class="note">{" · ".join(details)}</div></div>')


def _snippet(text: str | None, start: int | None, end: int | None,
             sentence: str | None = None, item: str | None = None) -> str:
    """Return the escaped sentence around text[start:end], the span marked with <mark>."""
    if sentence:
        if item and item in sentence:
            before, _, after = sentence.partition(item)
            return (html.escape(before) + f"<mark>{html.escape(item)}</mark>"
                    + html.escape(after))
        return html.escape(sentence)
    if not text or start is None or end is None:
        return '<span class="note">(no text available for this row)</span>'
    if start < 0 or end > len(text) or start >= end:
        tail = text[max(0, min(start, len(text)) - 80):min(start, len(text))]
        return (f"…{html.escape(tail)}" f' <span class="note">(offsets {start}–{end} are '
                f"outside the article's {len(text):,} characters)</span>")
    boundary = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    left = max(boundary, start - SNIPPET_CHARS)
    found = _SENTENCE_END.search(text, end)
    sentence_end = found.end() if found else len(text)
    right = min(sentence_end, end + SNIPPET_CHARS)
    prefix = "…" if left > boundary else ""
    suffix = "…" if right < sentence_end else ""
    return (prefix + html.escape(text[left:start]) + f"<mark>{html.escape(text[start:end])}</mark>"
            + html.escape(text[end:right].rstrip()) + suffix)


@lru_cache(maxsize=1)
def _why_by_expectation() -> dict[str, str]:
    return {expectation_label(e.configuration.type, e.configuration.kwargs):
            (e.meta or {}).get("why", "")
            for suite in build_suites().values() for e in suite.expectations}


def _table(frame: pd.DataFrame, columns: list[tuple[str, str]], notes: str | None = None) -> str:
    """Return an HTML table of `columns` (label, column); `notes` is shown under the third."""
    head = "".join(f"<th>{html.escape(label)}</th>" for label, _ in columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for label, column in columns:
            value = _py(record.get(column))
            if column == "severity":
                cells.append(f'<td class="sev-{html.escape(str(value))}">'
                             f"{html.escape(str(value))}</td>")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(f'<td class="num">{_number(value)}</td>')
            elif notes and column == columns[2][1]:
                cells.append(f"<td><code>{html.escape(_text(value))}</code><div class=\"note\">"
                             f"{html.escape(_text(record.get(notes)))}</div></td>")
            else:
                cells.append(f"<td>{html.escape(_text(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3f}"


def _text(value: Any) -> str:
    """Return a cell's text: blank when missing, timestamps to the second, dates as ISO."""
    if is_missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else str(value)[:19]
    if isinstance(value, dt.datetime):
        return str(value)[:19]
    return str(value)


def _empty(message: str) -> str:
    return f'<p class="note">{html.escape(message)}</p>'


def _py(value: Any) -> Any:
    """Return a plain Python value (numpy scalars unwrapped, missing values as None)."""
    if is_missing(value):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


