"""Write the quality report: GX Data Docs for this process's validations, and a one-page summary."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

from expectations import gx_template_cache  # noqa: F401 - compiles GX's templates once
from expectations.suites import expectation_label
from expectations.validate import get_validator, suites_for

# Data Docs pages load Bootstrap, jQuery, fonts and logos from CDNs. The report must open
# offline and never fetch anything, so those tags are removed after each build.
_REMOTE_TAGS = re.compile(
    r"<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>"
    r"|<link\b[^>]*\bhref=[\"']https?://[^>]*>"
    r"|<img\b[^>]*\bsrc=[\"']https?://[^>]*>",
    re.IGNORECASE,
)
_REMOTE_CSS_URL = re.compile(r"url\(\s*[\"']?https?://[^)]*\)", re.IGNORECASE)
_OFFLINE_STYLE = """<style>
body{font-family:system-ui,sans-serif;margin:0 1rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top}.hide,.modal{display:none}
#newsdesk-offline-index li{margin:.15rem 0}
</style>"""


def build_data_docs(report_dir: Path, run_id: str | None = None) -> Path:
    """Write Data Docs for the batches validated in this process to `report_dir`; return index.html.

    With `run_id`, only that run's validation pages are (re)rendered (rendering costs ~0.1 s a
    page). Rendered results then leave GX's in-memory store: a long-lived `newsdesk serve` would
    otherwise hold every result it ever validated and re-index them all on each report (the
    report took 0.5 s more every 20 runs). index.html lists the pages on disk, so earlier
    runs stay linked. Only `report_dir` is written to. The pages work offline: remote
    scripts, stylesheets and images are stripped, and index.html gets a plain list of links
    (GX's own index table needs jQuery from a CDN).
    """
    build_started = time.time()
    report_dir = Path(report_dir).resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    validator = get_validator()
    with validator.lock:
        context = validator.context
        suites = {**suites_for(True, dt.date.today()), **validator.latest_suites}
        for name, suite in suites.items():
            if validator.registered_suites.get(name) is not suite:
                context.suites.add_or_update(suite)
                validator.registered_suites[name] = suite
        while validator.pending_results:
            key, outcome = validator.pending_results.pop(0)
            context.validation_results_store.set(key, outcome)
            validator.stored_results.append(key)
        site = "newsdesk_" + hashlib.sha1(str(report_dir).encode()).hexdigest()[:10]
        if site not in context.list_data_docs_sites():
            context.add_data_docs_site(
                site,
                {
                    "class_name": "SiteBuilder",
                    "show_how_to_buttons": False,
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(report_dir),
                    },
                    "site_index_builder": {
                        "class_name": "DefaultSiteIndexBuilder",
                        "show_cta_footer": False,
                    },
                },
            )
        # No GX index: building it deletes every page whose result is not in this process's
        # store, i.e. all earlier runs' pages (newsdesk writes its own index of the disk).
        if run_id is None:
            context.build_data_docs(site_names=[site], build_index=False)
            keys = list(validator.stored_results)
        else:
            keys = [k for k in validator.stored_results if k.run_id.run_name == run_id]
            rendered = validator.rendered_suites.setdefault(site, {})
            suite_keys = [ExpectationSuiteIdentifier(name=name)
                          for name, suite in suites.items()
                          if rendered.get(name) is not suite
                          or not (report_dir / "expectations" / f"{name}.html").exists()]
            context.build_data_docs(site_names=[site], resource_identifiers=[*suite_keys, *keys],
                                    build_index=False)
            rendered.update(suites)
        for key in keys:  # rendered: the pages on disk are the record from here on
            context.validation_results_store.remove_key(key)
            validator.stored_results.remove(key)
    for page in report_dir.rglob("*.html"):
        # Pages of earlier builds are already offline; rewriting them all grew with every run.
        if page.stat().st_mtime >= build_started - 2:
            _make_offline(page)
    return _write_index(report_dir)


def _write_index(report_dir: Path) -> Path:
    """Write index.html: links to every validation and suite page in `report_dir`."""
    index = report_dir / "index.html"
    index.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>newsdesk Data Docs</title>'
        f"{_OFFLINE_STYLE}<!-- newsdesk-offline --></head><body><h1>newsdesk Data Docs</h1>"
        f"<p>Great Expectations validation results of every run written here, newest first, "
        f"and the expectation suites.</p>{_offline_index(report_dir)}</body></html>",
        encoding="utf-8")
    return index


def _make_offline(page: Path) -> None:
    """Strip a GX page's remote scripts, stylesheets and images; add a local style."""
    text = page.read_text(encoding="utf-8")
    text = _REMOTE_TAGS.sub("", text)
    text = _REMOTE_CSS_URL.sub("none", text)
    if "newsdesk-offline" not in text:
        text = text.replace("</head>", f"{_OFFLINE_STYLE}<!-- newsdesk-offline --></head>", 1)
    page.write_text(text, encoding="utf-8")


def _offline_index(report_dir: Path) -> str:
    def links(folder: str) -> str:
        pages = sorted((report_dir / folder).rglob("*.html"), reverse=folder == "validations")
        items = [
            f'<li><a href="{html.escape(p.relative_to(report_dir).as_posix())}">'
            f"{html.escape(' / '.join(p.relative_to(report_dir / folder).with_suffix('').parts))}"
            "</a></li>"
            for p in pages
        ]
        return "<ul>" + "".join(items) + "</ul>" if items else "<p>None yet.</p>"

    return (
        '<section id="newsdesk-offline-index"><h2>Validation results</h2>'
        f"{links('validations')}<h2>Expectation suites</h2>{links('expectations')}</section>"
    )


def write_quality_summary(
    results: Iterable[dict[str, Any]], path: Path, data_docs_index: Path | None = None
) -> Path:
    """Write a self-contained HTML page listing each expectation's outcome; return `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    results = list(results)
    why = {
        expectation_label(e.configuration.type, e.configuration.kwargs): (e.meta or {}).get(
            "why", ""
        )
        for suite in suites_for(True, dt.date.today()).values()  # built once per day
        for e in suite.expectations
    }
    failed_errors = sum(1 for r in results if not r["success"] and r["severity"] == "error")
    failed_warnings = sum(1 for r in results if not r["success"] and r["severity"] != "error")
    runs = sorted({str(r.get("run_id")) for r in results})
    rows = []
    for r in results:
        status = "pass" if r["success"] else ("FAIL" if r["severity"] == "error" else "warn")
        cells = [
            r.get("suite"), r.get("expectation"), r.get("severity"), status,
            r.get("unexpected_count"), r.get("element_count"), r.get("observed_value"),
            why.get(str(r.get("expectation")), ""),
        ]  # fmt: skip
        rows.append(
            f'<tr class="{status.lower()}">'
            + "".join(f"<td>{html.escape('' if c is None else str(c))}</td>" for c in cells)
            + "</tr>"
        )
    link = ""
    if data_docs_index is not None:
        href = os.path.relpath(Path(data_docs_index).resolve(), path.resolve().parent)
        href = html.escape(Path(href).as_posix())
        link = f'<p><a href="{href}">Great Expectations Data Docs</a></p>'
    headers = (
        "suite",
        "expectation",
        "severity",
        "result",
        "unexpected",
        "rows",
        "observed",
        "why",
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newsdesk data quality</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}}
table{{border-collapse:collapse;font-size:.9rem}}
th,td{{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}}
tr.fail td{{background:#fde2e1}} tr.warn td{{background:#fff4d6}}
</style></head><body>
<h1>newsdesk data quality</h1>
<p>Runs: {html.escape(", ".join(runs)) or "none"}. {len(results)} expectation results;
{failed_errors} failed errors (rows quarantined), {failed_warnings} failed warnings
(rows published and flagged).</p>
{link}
<table><thead><tr>{"".join(f"<th>{h}</th>" for h in headers)}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path
