"""The report's charts: Vega-Lite specs built with Altair, compiled to Vega for the page.

Specs carry their data inline (no URLs), and are compiled to Vega here so the page only
needs the Vega runtime, which `vl_convert` bundles offline (see expectations.report).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

__all__ = ["compile_chart", "events_timeline_chart", "headcounts_chart", "map_chart",
           "run_history_chart", "top_actors_chart", "top_dyads_chart"]

WIDTH = 760
MUTED = "#5b6770"
# Tableau10 reordered so "quarantined" and "failed" read as red next to "new" and "passed".
RUN_COLORS = {"articles in": "#4c78a8", "new": "#54a24b", "quarantined": "#e45756"}


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Return JSON-safe records: dates as ISO strings, missing values as None."""
    out = []
    for row in frame[columns].itertuples(index=False):
        record = {}
        for column, value in zip(columns, row):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                record[column] = None
            elif hasattr(value, "isoformat"):
                record[column] = value.isoformat()
            elif hasattr(value, "item"):
                record[column] = value.item()
            else:
                record[column] = value
        out.append(record)
    return out


def _data(frame: pd.DataFrame, columns: list[str]) -> alt.Data:
    return alt.Data(values=_records(frame, columns))


def run_history_chart(runs: pd.DataFrame) -> alt.TopLevelMixin:
    """Articles in / new / quarantined per run, and checks passed out of evaluated, over time."""
    articles = runs.rename(columns={"articles_in": "articles in", "articles_new": "new",
                                    "articles_quarantined": "quarantined"})
    long = articles.melt(id_vars=["run_id", "started_at"],
                         value_vars=list(RUN_COLORS), var_name="measure", value_name="articles")
    long = long.dropna(subset=["articles"])
    x = alt.X("started_at:T", title="run started (UTC)",
              axis=alt.Axis(format="%Y-%m-%d %H:%M", labelAngle=0, tickCount=6))
    counts = alt.Chart(_data(long, ["run_id", "started_at", "measure", "articles"])).mark_line(
        point=alt.OverlayMarkDef(size=70)).encode(
        x=x,
        y=alt.Y("articles:Q", title="articles"),
        color=alt.Color("measure:N", title=None,
                        scale=alt.Scale(domain=list(RUN_COLORS), range=list(RUN_COLORS.values())),
                        legend=alt.Legend(orient="top")),
        tooltip=["run_id:N", "measure:N", "articles:Q",
                 alt.Tooltip("started_at:T", format="%Y-%m-%d %H:%M")],
    ).properties(width=WIDTH, height=160, title="Articles per run")
    checks = runs.assign(share=runs["checks_passed"] / runs["checks_evaluated"].where(
        runs["checks_evaluated"] > 0))
    passed = alt.Chart(_data(checks, ["run_id", "started_at", "checks_passed", "checks_evaluated",
                                      "errors_failed", "warnings_failed", "share"])).mark_line(
        point=alt.OverlayMarkDef(size=70), color="#72b7b2").encode(
        x=x,
        y=alt.Y("share:Q", title="checks passed", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=["run_id:N", "checks_passed:Q", "checks_evaluated:Q", "errors_failed:Q",
                 "warnings_failed:Q"],
    ).properties(width=WIDTH, height=110, title="Share of checks passed per run")
    return alt.vconcat(counts, passed) if len(long) else passed


def events_timeline_chart(timeline: pd.DataFrame) -> alt.TopLevelMixin:
    """Events per month, stacked by PLOVER type."""
    return alt.Chart(_data(timeline, ["event_date", "event_type", "events"])).mark_bar().encode(
        x=alt.X("yearmonth(event_date):T", title="event month"),
        y=alt.Y("sum(events):Q", title="events"),
        color=alt.Color("event_type:N", title="event type",
                        scale=alt.Scale(scheme="tableau20")),
        tooltip=[alt.Tooltip("yearmonth(event_date):T", title="month"), "event_type:N",
                 alt.Tooltip("sum(events):Q", title="events")],
    ).properties(width=WIDTH - 120, height=220)


@lru_cache(maxsize=1)
def world_topology() -> dict:
    """Return the shipped Natural Earth 1:110m country outlines (TopoJSON)."""
    path = resources.files("expectations") / "data" / "countries-110m.json"
    return json.loads(path.read_text(encoding="utf-8"))


def map_chart(places: pd.DataFrame) -> alt.TopLevelMixin:
    """Event places as circles sized by event count on a world outline."""
    world = alt.Data(values=world_topology(),
                     format=alt.DataFormat(type="topojson", feature="countries"))
    outline = alt.Chart(world).mark_geoshape(fill="#e8ecef", stroke="#b5bec6",
                                             strokeWidth=0.5).project(type="equalEarth")
    points = alt.Chart(_data(places, ["place_name", "country_iso3", "lat", "lon", "events",
                                      "main_event_type", "event_types"])).mark_circle(
        opacity=0.75, stroke="white", strokeWidth=0.8).encode(
        longitude="lon:Q",
        latitude="lat:Q",
        size=alt.Size("events:Q", title="events", scale=alt.Scale(range=[40, 900])),
        color=alt.Color("main_event_type:N", title="main event type",
                        scale=alt.Scale(scheme="tableau20")),
        tooltip=["place_name:N", "country_iso3:N", "events:Q", "event_types:N"],
    ).project(type="equalEarth")
    return alt.layer(outline, points).properties(width=WIDTH, height=400)


def top_actors_chart(actors: pd.DataFrame) -> alt.TopLevelMixin:
    """Events per actor, split into source (actor1) and target (actor2) roles."""
    long = actors.melt(id_vars=["actor", "events"], value_vars=["as_source", "as_target"],
                       var_name="role", value_name="count")
    long["role"] = long["role"].map({"as_source": "source (actor1)",
                                     "as_target": "target (actor2)"})
    order = list(actors.sort_values(["events", "actor"], ascending=[False, True])["actor"])
    return alt.Chart(_data(long, ["actor", "role", "count", "events"])).mark_bar().encode(
        y=alt.Y("actor:N", sort=order, title=None),
        x=alt.X("count:Q", title="events", stack="zero"),
        color=alt.Color("role:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(range=["#4c78a8", "#f58518"])),
        tooltip=["actor:N", "role:N", "count:Q", "events:Q"],
    ).properties(width=320, height=alt.Step(16), title="Top actors")


def top_dyads_chart(dyads: pd.DataFrame) -> alt.TopLevelMixin:
    """Events per actor1 → actor2 pair."""
    frame = dyads.assign(dyad=dyads["actor1"] + " → " + dyads["actor2"])
    return alt.Chart(_data(frame, ["dyad", "events", "event_types"])).mark_bar(
        color="#54a24b").encode(
        y=alt.Y("dyad:N", sort="-x", title=None),
        x=alt.X("events:Q", title="events", axis=alt.Axis(tickMinStep=1)),
        tooltip=["dyad:N", "events:Q", "event_types:N"],
    ).properties(width=240, height=alt.Step(16), title="Top dyads (actor1 → actor2)")


def headcounts_chart(headcounts: pd.DataFrame) -> alt.TopLevelMixin:
    """Headcounts reported per category."""
    return alt.Chart(_data(headcounts, ["category", "headcounts", "people_low", "people_high",
                                        "largest"])).mark_bar(color="#b279a2").encode(
        y=alt.Y("category:N", sort="-x", title=None),
        x=alt.X("headcounts:Q", title="headcounts reported", axis=alt.Axis(tickMinStep=1)),
        tooltip=["category:N", "headcounts:Q", "people_low:Q", "people_high:Q", "largest:Q"],
    ).properties(width=WIDTH - 200, height=alt.Step(18))


def compile_chart(chart: alt.TopLevelMixin) -> dict:
    """Compile an Altair chart to a Vega spec (dict) with its data inline."""
    spec = chart.configure_view(stroke=None).configure_axis(
        labelColor=MUTED, titleColor=MUTED, labelLimit=260).to_dict()
    spec.pop("$schema", None)
    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]  # "v6.4.1" -> "6.4"
    vega = vl_convert.vegalite_to_vega(spec, vl_version=version)
    vega.pop("$schema", None)
    return vega
