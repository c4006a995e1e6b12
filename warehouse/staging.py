"""Turn a batch of articles and their extraction records into typed staging DataFrames.

The frames are what Great Expectations validates and what `publish` loads in bulk; they carry
the helper columns the checks need (article length, publication date, exact-span flag).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from transforms.articles import Article

__all__ = ["STAGED_TABLES", "KEYS", "place_id_for", "stage_frames"]

STAGED_TABLES = ("stg_articles", "stg_mentions", "stg_dates", "stg_headcounts", "stg_events",
                 "stg_roles")
KEYS = {"stg_articles": "article_id", "stg_mentions": "mention_id", "stg_dates": "date_id",
        "stg_headcounts": "headcount_id", "stg_events": "event_id", "stg_roles": "role_id"}

COLUMNS = {
    "stg_articles": ["article_id", "source_id", "title", "text", "published_date",
                     "published_source", "url", "source", "input_path", "char_count",
                     "sentence_count", "run_id"],
    "stg_mentions": ["mention_id", "article_id", "sentence_index", "start_char", "end_char",
                     "mention_text", "label", "entity_id", "entity_name", "place_id",
                     "place_name", "country_iso3", "admin1", "lat", "lon", "geonames_id",
                     "place_feature", "place_precision", "sector", "article_char_count",
                     "is_span_text_exact", "run_id"],
    "stg_dates": ["date_id", "article_id", "sentence_index", "start_char", "end_char",
                  "date_text", "timex_type", "timex_value", "date_precision", "date_rule",
                  "resolved_date", "published_date", "article_char_count",
                  "is_span_text_exact", "run_id"],
    "stg_headcounts": ["headcount_id", "article_id", "sentence_index", "start_char", "end_char",
                       "headcount_text", "low", "high", "qualifier", "category", "unit", "actor",
                       "needs_review", "is_tally", "victim_type", "cause", "event_id",
                       "event_date", "place_name", "country_iso3", "article_char_count",
                       "is_span_text_exact", "run_id"],
    "stg_events": ["event_id", "article_id", "sentence_index", "start_char", "end_char",
                   "trigger_text", "event_type", "cameo_code", "actor1", "actor2", "place",
                   "date_text", "event_date", "event_date_precision", "event_date_rule",
                   "event_mode", "event_tense", "past_event_date", "place_name",
                   "country_iso3", "lat", "lon", "geonames_id", "place_rule", "published_date",
                   "sentence_text", "actor1_entity_id", "actor1_country_iso3", "actor1_sector",
                   "actor2_entity_id", "actor2_country_iso3", "actor2_sector", "reported_by",
                   "reported_by_entity_id", "article_char_count", "is_span_text_exact", "run_id"],
    "stg_roles": ["role_id", "article_id", "sentence_index", "start_char", "end_char",
                  "evidence_text", "person_entity_id", "person_name", "person_start_char",
                  "person_end_char", "title", "organization_entity_id", "organization_name",
                  "country_iso3", "sector", "role_rule", "organization_rule", "is_former",
                  "role_date", "article_char_count", "is_span_text_exact", "run_id"],
}
INTEGER_COLUMNS = ("sentence_index", "start_char", "end_char", "char_count", "sentence_count",
                   "article_char_count", "geonames_id", "low", "high", "person_start_char",
                   "person_end_char")
#: Event record fields staged as they are: the actors' entities, countries and sectors.
EVENT_ACTOR_COLUMNS = ("actor1_entity_id", "actor1_country_iso3", "actor1_sector",
                       "actor2_entity_id", "actor2_country_iso3", "actor2_sector", "reported_by",
                       "reported_by_entity_id")
DATE_COLUMNS = ("published_date", "resolved_date", "event_date", "past_event_date", "role_date")
#: Modes of a reported (not hypothetical) event, whose date cannot lie after publication.
REPORTED_MODES = ("asserted", "negated")


def place_id_for(place: dict) -> str:
    """Return a stable id for a place: its GeoNames id, else ISO code, else its name."""
    if place.get("geonames_id"):
        return f"gn:{int(place['geonames_id'])}"
    if place.get("feature") == "country" and place.get("country_iso3"):
        return f"iso:{place['country_iso3']}"
    name = (place.get("name") or place.get("text") or "").strip().lower()
    if place.get("lat") is not None:
        return f"name:{name}|{place.get('country_iso3') or ''}"
    return f"unresolved:{name}"


def _span(text: str, item: dict, text_key: str = "text") -> dict:
    start, end = item.get("start"), item.get("end")
    exact = (isinstance(start, int) and isinstance(end, int)
             and text[start:end] == item.get(text_key))
    return {"start_char": start, "end_char": end, "is_span_text_exact": bool(exact)}


def _row_id(article_id: str, kind: str, item: dict, seen: set[str]) -> str:
    """Return a deterministic row id, made unique within the article when spans repeat."""
    base = f"{article_id}:{kind}:{item.get('start')}-{item.get('end')}"
    row_id, n = base, 1
    while row_id in seen:
        n += 1
        row_id = f"{base}:{n}"
    seen.add(row_id)
    return row_id


def _event_ids(article_id: str, events: list[dict]) -> list[str]:
    """Return the event row ids `stg_events` will give the article's events, in order.

    Ids of other kinds never collide with `:v:` ids, so a fresh `seen` set yields the same ids.
    """
    seen: set[str] = set()
    return [_row_id(article_id, "v", item, seen) for item in events]


def _timex_date(value: str | None) -> dt.date | None:
    from transforms.dates import timex_to_date

    return timex_to_date(value) if value else None


def stage_frames(articles: Sequence[Article], records: Sequence[dict],
                 run_id: str) -> dict[str, pd.DataFrame]:
    """Build one DataFrame per staged table for a batch (records align with articles)."""
    rows: dict[str, list[dict]] = {table: [] for table in STAGED_TABLES}
    for article, record in zip(articles, records, strict=True):
        _stage_article(article, record, run_id, rows)
    return {table: _frame(table, rows[table]) for table in STAGED_TABLES}


def _stage_article(article: Article, record: dict, run_id: str,
                   rows: dict[str, list[dict]]) -> None:
    text, aid = article.text, article.article_id
    common = {"article_id": aid, "article_char_count": len(text), "run_id": run_id}
    rows["stg_articles"].append({
        "article_id": aid, "source_id": article.source_id, "title": article.title,
        "text": text, "published_date": article.published,
        "published_source": article.published_source, "url": article.url,
        "source": article.source, "input_path": article.input_path, "char_count": len(text),
        "sentence_count": record.get("sentence_count", 0), "run_id": run_id})

    names = _entity_names(record["entities"])
    places = {(p["start"], p["end"]): p for p in record["places"]}
    seen: set[str] = set()
    for ent in record["entities"]:
        place = places.get((ent["start"], ent["end"]), {}) if ent["label"] == "PLACE" else {}
        rows["stg_mentions"].append({
            **common, **_span(text, ent), "mention_id": _row_id(aid, "m", ent, seen),
            "sentence_index": ent["sentence"], "mention_text": ent["text"],
            "label": ent["label"], "entity_id": ent["entity_id"],
            "entity_name": names[ent["entity_id"]],
            "place_id": place_id_for(place) if place else None,
            "place_name": place.get("name"),
            "country_iso3": place.get("country_iso3") if place else ent.get("country_iso3"),
            "sector": ent.get("sector"), "admin1": place.get("admin1"), "lat": place.get("lat"), "lon": place.get("lon"),
            "geonames_id": place.get("geonames_id"), "place_feature": place.get("feature"),
            "place_precision": place.get("precision")})
    for item in record["dates"]:
        rows["stg_dates"].append({
            **common, **_span(text, item), "date_id": _row_id(aid, "d", item, seen),
            "sentence_index": item["sentence"], "date_text": item["text"],
            "timex_type": item.get("type"), "timex_value": item.get("value"),
            "date_precision": item.get("precision"), "date_rule": item.get("rule"),
            "resolved_date": _timex_date(item.get("value")) if item.get("type") == "DATE" else None,
            "published_date": article.published})
    event_ids = _event_ids(aid, record["events"])
    for item in record["headcounts"]:
        event_index = item.get("event_index")
        rows["stg_headcounts"].append({
            **common, **_span(text, item), "headcount_id": _row_id(aid, "h", item, seen),
            "sentence_index": item["sentence"], "headcount_text": item["text"],
            "low": item.get("low"), "high": item.get("high"), "qualifier": item.get("qualifier"),
            "category": item.get("category"), "unit": item.get("unit"),
            "actor": item.get("actor"), "needs_review": bool(item.get("needs_review")),
            "is_tally": bool(item.get("is_tally")), "victim_type": item.get("victim_type"),
            "cause": item.get("cause"),
            "event_id": event_ids[event_index] if event_index is not None
            and 0 <= event_index < len(event_ids) else None,
            "event_date": item.get("event_date"), "place_name": item.get("place_name"),
            "country_iso3": item.get("country_iso3")})
    sentences = record.get("sentences") or []
    for item in record["events"]:
        sentence = item.get("sentence")
        bounds = sentences[sentence] if sentence is not None and sentence < len(sentences) else None
        rows["stg_events"].append({
            **common, **_span(text, item, "trigger"), "event_id": _row_id(aid, "v", item, seen),
            "sentence_index": sentence, "trigger_text": item.get("trigger"),
            "event_type": item.get("type"), "cameo_code": item.get("cameo"),
            "actor1": item.get("actor1"), "actor2": item.get("actor2"),
            "place": item.get("place"), "date_text": item.get("date"),
            "event_date": item.get("event_date"),
            "event_date_precision": item.get("date_precision"),
            "event_date_rule": item.get("date_rule"), "event_mode": item.get("mode"),
            "event_tense": item.get("tense"), "place_name": item.get("place_name"),
            "country_iso3": item.get("country_iso3"), "lat": item.get("lat"),
            "lon": item.get("lon"), "geonames_id": item.get("geonames_id"),
            "place_rule": item.get("place_rule"),
            "past_event_date": item.get("event_date") if item.get("tense") == "past"
            and item.get("mode") in REPORTED_MODES else None,
            "published_date": article.published,
            "sentence_text": text[bounds[0]:bounds[1]].strip() if bounds else None,
            **{column: item.get(column) for column in EVENT_ACTOR_COLUMNS}})
    for item in record.get("roles") or []:
        rows["stg_roles"].append({
            **common, **_span(text, item), "role_id": _row_id(aid, "r", item, seen),
            "sentence_index": item["sentence"], "evidence_text": item["text"],
            "person_entity_id": item["person_entity_id"], "person_name": item["person"],
            "person_start_char": item.get("person_start"),
            "person_end_char": item.get("person_end"), "title": item["title"],
            "organization_entity_id": item.get("organization_entity_id"),
            "organization_name": item.get("organization"),
            "country_iso3": item.get("country_iso3"), "sector": item.get("sector"),
            "role_rule": item.get("rule"), "organization_rule": item.get("organization_rule"),
            "is_former": bool(item.get("is_former")), "role_date": article.published})


def _entity_names(entities: list[dict]) -> dict[str, str]:
    """Return each article entity's canonical name: its longest mention text."""
    names: dict[str, str] = {}
    for ent in entities:
        current = names.get(ent["entity_id"])
        if current is None or len(ent["text"]) > len(current):
            names[ent["entity_id"]] = ent["text"]
    return names


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS[table])
    for column in frame.columns:
        if column in INTEGER_COLUMNS:
            frame[column] = pd.array(frame[column], dtype="Int64")
        elif column in DATE_COLUMNS:
            frame[column] = pd.to_datetime(frame[column]).dt.date if len(frame) else frame[column]
        elif column in ("lat", "lon"):
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame
