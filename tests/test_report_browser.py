"""`newsdesk report` in a real browser: headless Chromium draws every chart, offline, without
console errors, and a screenshot is taken.

Needs Debian's `chromium` (scripts/test.sh installs it when it runs as root with apt); skipped
locally without it, but never in CI (CI=true), where a missing browser is a failure.
Set NEWSDESK_SCREENSHOT=path.png to keep the screenshot.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from headless import find_chromium, render_page
from quality_batch import RUN_BAD, plant_bad_rows, publish, sample_batch

import warehouse
from expectations import validate_batch
from expectations.report import write_report_page
from warehouse.report_queries import report_frames

pytestmark = pytest.mark.slow

# Null until the page says its charts are done, then what the DOM holds.
READY_JS = """(function () {
  var state = document.body && document.body.dataset.chartsRendered;
  if (!state || state === "pending") return null;
  var count = function (selector) { return document.querySelectorAll(selector).length; };
  return JSON.stringify({
    state: state, charts: count(".chart"), svgs: count(".chart svg"),
    failed: count(".chart-error"), countries: count("#map g.mark-shape path"),
    points: count("#map g.mark-symbol path"), bars: count("#timeline g.mark-rect path"),
    examples: count(".example")
  });
})()"""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI: scripts/test.sh should have installed it")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium); "
                    "CI installs it through scripts/test.sh")
    return found


@pytest.fixture(scope="module")
def report_page(nlp, tmp_path_factory) -> Path:
    """The report of a warehouse holding the sample with planted bad rows."""
    articles, records = sample_batch(nlp)
    frames = warehouse.stage_frames(articles, records, RUN_BAD)
    plant_bad_rows(frames, duplicate=False)
    validation = validate_batch(frames, RUN_BAD)
    folder = tmp_path_factory.mktemp("browser")
    with warehouse.connect(folder / "w.duckdb") as con:
        publish(con, RUN_BAD, 0, frames, validation)
        frames = report_frames(con)
    return write_report_page(frames, folder / "newsdesk.html")


def test_report_draws_every_chart_offline_without_console_errors(chromium, report_page):
    screenshot = report_page.with_suffix(".png")
    run = render_page(report_page, READY_JS, screenshot)
    assert run.value, "the page never finished drawing its charts"
    dom = json.loads(run.value)
    assert run.errors == []
    assert dom["state"] == str(dom["charts"]) and dom["failed"] == 0
    assert dom["charts"] == 6 and dom["svgs"] >= dom["charts"]
    assert dom["countries"] > 100, "world outline missing from the map"
    assert dom["points"] > 0, "no event places on the map"
    assert dom["bars"] > 0 and dom["examples"] >= 4
    offline = ("file:", "data:", "blob:", "about:")
    assert [url for url in run.requests if not url.startswith(offline)] == []
    assert screenshot.stat().st_size > 50_000  # a drawn page, not a blank one
    keep = os.environ.get("NEWSDESK_SCREENSHOT")
    if keep:
        shutil.copyfile(screenshot, keep)
