"""The frames the checks read: a staged frame with dates normalised and helper columns added.

Great Expectations compares columns with values or sets; what a check needs to know about other
rows or other tables (is the article in the batch, is the event's place one of its article's
place mentions, is a point near its country, are counts whole) is computed here as a helper
column, once per batch, so each check stays a plain column expectation. `expectations.validate`
runs the checks on these frames and reports failing rows by `ROW_COLUMN`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from expectations.country_boxes import NEAR_DEGREES, REGION_DEGREES, is_near_country
from expectations.suites import DATE_COLUMNS, HELPER_COLUMNS, TABLE_COLUMNS

__all__ = ["ROW_COLUMN", "is_missing", "person_entities", "place_mentions", "prepare"]

ROW_COLUMN = "__row"  # position of the row in the staged frame; never a contract column
_NOT_A_DATE = dt.date(1, 1, 1)  # stands in for unparseable dates so the range check catches them


def _years_later(day: dt.date, years: int) -> dt.date:
    """The last day of the year `years` after `day`'s year."""
    return dt.date(day.year + years, 12, 31)


def _place_key(text: Any) -> str | None:
    return None if is_missing(text) else " ".join(str(text).split()).casefold()


def place_mentions(
    mentions: pd.DataFrame | None, article_ids: set | None
) -> tuple[set, set] | None:
    """Return ({(article_id, place text)}, {orphan place texts}) from staged mentions.

    A mention whose article is missing or not in the batch already fails its own check; its
    text counts for every article, so one broken mention is reported once, not twice.
    None when the batch has no mentions frame (the check then passes every row).
    """
    if mentions is None or "label" not in mentions.columns or "mention_text" not in mentions:
        return None
    places = mentions[mentions["label"] == "PLACE"]
    linked, orphans = set(), set()
    for article_id, text in zip(_column(places, "article_id"), places["mention_text"]):
        key = _place_key(text)
        if key is None:
            continue
        if is_missing(article_id) or (article_ids is not None and article_id not in article_ids):
            orphans.add(key)
        else:
            linked.add((article_id, key))
    return linked, orphans


def person_entities(mentions: pd.DataFrame | None) -> set | None:
    """Return the entity ids of the batch's PERSON mentions (None without a mentions frame)."""
    if mentions is None or "label" not in mentions.columns or "entity_id" not in mentions:
        return None
    people = mentions[mentions["label"] == "PERSON"]
    return {entity_id for entity_id in people["entity_id"] if not is_missing(entity_id)}


def prepare(
    table: str,
    frame: pd.DataFrame,
    today: dt.date,
    article_ids: set | None,
    place_mentions: tuple[set, set] | None = None,
    person_entities: set | None = None,
) -> pd.DataFrame:
    """Return a copy with dates normalised, nullable numbers as floats and helper columns added.

    Columns are gathered in a dict and made into one frame at the end: reading and setting
    frame columns one by one cost more than the work itself on small batches (55 ms of a
    one-article validation).
    """
    source = frame.reset_index(drop=True)
    size = len(source)
    columns: dict[str, Any] = {}
    for column, values in source.items():
        dtype = values.dtype
        if column in DATE_COLUMNS:
            values = pd.Series([_as_date(v) for v in values], index=values.index, dtype=object)
        elif isinstance(dtype, pd.api.extensions.ExtensionDtype) and (
            pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        ):
            values = values.astype("float64")
        elif isinstance(dtype, pd.StringDtype):
            # Arrow-backed strings (pandas 3's default) cost GX ~0.3 s of `take` per batch.
            values = values.astype(object)
        columns[column] = values
    for column in TABLE_COLUMNS[table]:
        if column not in columns and (size == 0 or not columns):  # as `DataFrame.empty`
            columns[column] = pd.Series(dtype=object)  # an empty frame may come without columns

    def column(name: str) -> Any:
        return columns[name] if name in columns else [None] * size

    def helper(values: list, dtype: Any) -> pd.Series:
        return pd.Series(values, index=source.index, dtype=dtype)

    helpers = HELPER_COLUMNS.get(table, {})
    if "max_plausible_date" in helpers:
        fallback = today + dt.timedelta(days=1)
        columns["max_plausible_date"] = helper([
            fallback if is_missing(p) or p == _NOT_A_DATE else p + dt.timedelta(days=1)
            for p in column("published_date")], object)
    if "max_possible_date" in helpers:
        columns["max_possible_date"] = helper([
            _years_later(today if is_missing(p) or p == _NOT_A_DATE else p, 5)
            for p in column("published_date")], object)
    if "is_article_in_batch" in helpers and article_ids is not None:
        columns["is_article_in_batch"] = helper(
            [is_missing(a) or a in article_ids for a in column("article_id")], bool
        )  # a null article_id fails its own not-null check instead
    if "are_counts_whole" in helpers:
        columns["are_counts_whole"] = helper([
            _is_whole(low) and _is_whole(high)
            for low, high in zip(column("low"), column("high"))], bool)
    if "is_place_mentioned" in helpers:
        linked, orphans = place_mentions or (set(), set())
        columns["is_place_mentioned"] = helper([
            place_mentions is None
            or (key := _place_key(place)) is None
            or key in orphans
            or (article_id, key) in linked
            for article_id, place in zip(column("article_id"), column("place"))], bool)
    if "is_person_mentioned" in helpers:
        columns["is_person_mentioned"] = helper(
            [person_entities is None or is_missing(p) or p in person_entities
             for p in column("person_entity_id")], bool
        )  # a null person fails its own not-null check instead
    for name, margin in (("is_near_country", NEAR_DEGREES),
                         ("is_in_country_region", REGION_DEGREES)):
        if name in helpers:
            columns[name] = helper(_near_flags(
                column("lat"), column("lon"), column("country_iso3"), margin), bool)
    columns[ROW_COLUMN] = range(size)
    # One block per dtype, not one per column: GX copies the whole frame (`dropna`) for every
    # metric of a column-pair check, and copying 40 one-column blocks each time was ~0.3 s of
    # a one-article validation.
    return pd.DataFrame(columns, index=source.index)


def _near_flags(lats: Any, lons: Any, countries: Any, margin: float) -> list[bool]:
    """`_is_near` of each row, worked out once per distinct point: places repeat across rows."""
    known: dict[tuple, bool] = {}
    flags = []
    for point in zip(lats, lons, countries):
        try:
            flag = known.get(point)
        except TypeError:  # an unhashable value: no memory for it
            flag = _is_near(*point, margin)
        else:
            if flag is None:
                flag = known[point] = _is_near(*point, margin)
        flags.append(flag)
    return flags


def _is_near(lat: Any, lon: Any, country: Any, margin: float) -> bool:
    """True unless a valid point lies outside its country's widened boxes (see country_boxes)."""
    if is_missing(lat) or is_missing(lon) or is_missing(country):
        return True
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return True  # a non-number fails the range checks instead
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return True  # out-of-range coordinates fail their own range checks
    return is_near_country(lat, lon, str(country), margin)


def _column(frame: pd.DataFrame, column: str) -> Any:
    return frame[column] if column in frame.columns else [None] * len(frame)


def _as_date(value: Any) -> Any:
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return _NOT_A_DATE
    return _NOT_A_DATE


def _is_whole(value: Any) -> bool:
    if is_missing(value):
        return True
    if isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value)) and float(value) == int(float(value))
    except (TypeError, ValueError, OverflowError):
        return False


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas NA (a value a check or a report must treat as empty)."""
    if value is None:
        return True
    kind = type(value)
    if kind is float:
        return value != value  # NaN only, as pd.isna
    if kind in _NEVER_MISSING:
        return False  # what pd.isna says, without its cost (called ~150,000 times a batch)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


#: Exact types pd.isna never calls missing (subclasses, such as NaT's, take the long way).
_NEVER_MISSING = frozenset({str, int, bool, dt.date, dt.datetime})
