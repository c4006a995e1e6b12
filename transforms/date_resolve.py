"""Resolve matched date expressions to TIMEX3 values against an anchor (the publication date).

Direction for underspecified dates ("Thursday", "February", "June 18", "summer"):
- tense "past" → the nearest matching date on or before the anchor;
- tense "future" → the nearest on or after the anchor;
- "present" or unknown → whichever is nearer (ties go to the past, as news mostly reports
  what happened); "last"/"next" in the expression override the tense and exclude the anchor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from transforms.date_grammar import MONTHS, SEASONS, UNITS, WEEKDAYS, Candidate, vague_row
from transforms.numbers import NumberParseError, parse_number

__all__ = ["Resolution", "UnresolvableDate", "resolve", "season_of", "two_digit_year"]

_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_PART = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_QORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
         "4th": 4}
_SET_ADVERB = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
               "quarterly": "P3M", "annually": "P1Y", "annual": "P1Y", "yearly": "P1Y",
               "hourly": "PT1H", "biannual": "P6M", "biennial": "P2Y"}
_TZ_UTC = {"utc", "gmt"}


class UnresolvableDate(ValueError):
    """Raised when a candidate's fields do not form a real date (e.g. "February 30")."""


@dataclass(frozen=True)
class Resolution:
    """TIMEX3 type, value, precision and the rule that produced them."""

    type: str
    value: str | None
    precision: str
    rule: str


def two_digit_year(yy: int, anchor: dt.date | None) -> int:
    """Expand "88" to 1988: the century that puts the year at most 10 years after the anchor."""
    ref = anchor.year if anchor else dt.date.today().year
    year = (ref // 100) * 100 + yy
    return year - 100 if year > ref + 10 else year


def season_of(day: dt.date) -> tuple[int, str]:
    """Return (year, code) of the meteorological season holding day; winter belongs to December."""
    if day.month == 12:
        return day.year, "WI"
    if day.month <= 2:
        return day.year - 1, "WI"
    return day.year, ("SP", "SU", "FA")[(day.month - 3) // 3]


def _pick(before: dt.date, after: dt.date, anchor: dt.date, tense: str | None) -> tuple[dt.date, str]:
    if tense == "past":
        return before, "past"
    if tense == "future":
        return after, "future"
    if (anchor - before) <= (after - anchor):
        return before, "nearest"
    return after, "nearest"


def _month_day(month: int, day: int, anchor: dt.date, tense: str | None) -> tuple[dt.date, str]:
    # Search up to 8 years each way so that "February 29" finds a leap year.
    days = []
    for year in range(anchor.year - 8, anchor.year + 9):
        try:
            days.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not days:
        raise UnresolvableDate(f"no such day: {month}-{day}")
    before = max((d for d in days if d <= anchor), default=min(days))
    after = min((d for d in days if d >= anchor), default=max(days))
    return _pick(before, after, anchor, tense)


def _month(month: int, anchor: dt.date, tense: str | None) -> tuple[int, str]:
    this = dt.date(anchor.year, month, 1)
    start = anchor.replace(day=1)
    before = this if this <= start else dt.date(anchor.year - 1, month, 1)
    after = this if this >= start else dt.date(anchor.year + 1, month, 1)
    chosen, how = _pick(before, after, start, tense)
    return chosen.year, how


def _weekday(weekday: int, anchor: dt.date, tense: str | None, rel: str) -> tuple[dt.date, str]:
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if rel in ("last", "past", "previous"):
        return anchor - dt.timedelta(days=back or 7), "past"
    if rel in ("next", "coming", "following"):
        return anchor + dt.timedelta(days=ahead or 7), "future"
    if rel == "this":
        tense = tense if tense in ("past", "future") else None
    return _pick(anchor - dt.timedelta(days=back), anchor + dt.timedelta(days=ahead), anchor, tense)


def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _unit_value(unit: str, anchor: dt.date, offset: int) -> tuple[str, str]:
    """Return (value, precision) for the calendar unit `offset` steps from the anchor's."""
    if unit == "day":
        return (anchor + dt.timedelta(days=offset)).isoformat(), "day"
    if unit in ("week", "weekend"):
        value = _week(anchor + dt.timedelta(weeks=offset))
        return (value + "-WE", "week") if unit == "weekend" else (value, "week")
    if unit == "month":
        return _shift_months(anchor, offset).strftime("%Y-%m"), "month"
    if unit == "quarter":
        first = _shift_months(anchor.replace(month=(anchor.month - 1) // 3 * 3 + 1), 3 * offset)
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}", "quarter"
    if unit == "year":
        return str(anchor.year + offset), "year"
    if unit == "decade":
        return str(anchor.year // 10 + offset), "decade"
    if unit in ("century", "centurie"):
        return f"{anchor.year // 100 + offset:02d}", "century"
    raise UnresolvableDate(f"unknown unit {unit!r}")


def _number(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return parse_number(text)
    except NumberParseError:
        return None


def _duration(num: float | None, unit: str) -> str:
    letter = UNITS[unit.rstrip("s").lower().replace("centurie", "century")]
    amount = "X" if num is None else (f"{num:g}")
    if letter == "DE":
        return f"P{amount}DE" if num is None else f"P{num * 10:g}Y"
    if letter == "CE":
        return f"P{amount}CE" if num is None else f"P{num * 100:g}Y"
    if letter.startswith("T"):
        return f"PT{amount}{letter[1]}"
    return f"P{amount}{letter}"


def resolve(cand: Candidate, anchor: dt.date | None, tense: str | None) -> Resolution:
    """Return the TIMEX3 reading of a candidate; relative ones need an anchor."""
    g = {k: v.lower() if isinstance(v, str) else v for k, v in cand.groups.items()}
    kind = cand.kind
    if kind in ("iso", "numeric", "mdy", "dmy", "my", "year", "decade", "century", "fiscal"):
        return _absolute(kind, g, anchor)
    if kind == "quarter" and g.get("qnum"):
        if g.get("year"):
            return Resolution("DATE", f"{g['year']}-Q{g['qnum']}", "quarter", "absolute")
    if kind == "quarter" and g.get("qord") in _QORD and g.get("year"):
        return Resolution("DATE", f"{g['year']}-Q{_QORD[g['qord']]}", "quarter", "absolute")
    if kind == "season" and g.get("year"):
        return Resolution("DATE", f"{g['year']}-{SEASONS[g['season']]}", "season", "absolute")
    if kind == "duration":
        return _duration_resolution(g)
    if kind == "set":
        return _set_resolution(g)
    if kind == "vague":
        row = vague_row(cand.groups) or {}
        value = row.get("value")
        if value is None and row.get("type") == "DURATION":
            value = _duration(None, g[next(k for k in g if k.startswith("vague_"))].split()[-1])
        return Resolution(row.get("type", "DATE"), value, "vague" if row.get("type") != "DURATION"
                          else "duration", row.get("rule", "vague"))
    if kind == "ago" and g.get("vaguenum"):
        return Resolution("DATE", "PAST_REF", "vague", "vague_past")
    if anchor is None:
        type_ = "TIME" if kind == "time" or g.get("part") else "DATE"
        return Resolution(type_, None, "unknown", "no_anchor")
    return _relative(kind, g, anchor, tense)


def _absolute(kind: str, g: dict, anchor: dt.date | None) -> Resolution:
    if kind == "decade":
        decade = g.get("decade") or f"19{g['dec2']}"
        return Resolution("DATE", decade[:3], "decade", "absolute")
    if kind == "century":
        return Resolution("DATE", f"{int(g['century']) - 1:02d}", "century", "absolute")
    if kind in ("year", "fiscal"):
        return Resolution("DATE", g["year"], "year", "absolute")
    if kind == "my":
        return Resolution("DATE", f"{g['year']}-{MONTHS[g['month'].rstrip('.')]:02d}", "month",
                          "absolute")
    year = int(g["year"])
    if year < 100:
        year = two_digit_year(year, anchor)
    if kind == "iso":
        month, day = int(g["mnum"]), int(g["day"])
    elif kind == "numeric":
        month, day = int(g["a"]), int(g["b"])
        if month > 12:
            month, day = day, month
    else:
        month, day = MONTHS[g["month"].rstrip(".")], int(g["day"])
    try:
        value = dt.date(year, month, day).isoformat()
    except ValueError as exc:
        raise UnresolvableDate(f"no such day: {year}-{month}-{day}") from exc
    return Resolution("DATE", value, "day", "absolute")


def _duration_resolution(g: dict) -> Resolution:
    num = 1.0 if g.get("lead") and not g.get("num") else _number(g.get("num"))
    return Resolution("DURATION", _duration(num, g["unit"]), "duration", "duration")


def _set_resolution(g: dict) -> Resolution:
    if g.get("adverb"):
        return Resolution("SET", _SET_ADVERB[g["adverb"]], "set", "set")
    if g.get("weekday"):
        return Resolution("SET", f"XXXX-WXX-{WEEKDAYS[g['weekday']] + 1}", "set", "set")
    if g.get("part"):
        return Resolution("SET", f"TXX{_PART[g['part']]}", "set", "set")
    num = 2.0 if g.get("other") else (_number(g.get("num")) or 1.0)
    return Resolution("SET", _duration(num, g["unit"]), "set", "set")


def _relative(kind: str, g: dict, anchor: dt.date, tense: str | None) -> Resolution:
    rel = g.get("rel", "")
    part = _PART.get(g.get("part", ""), "")
    if kind == "weekday":
        if g.get("plural"):
            return Resolution("SET", f"XXXX-WXX-{WEEKDAYS[g['weekday']] + 1}", "set", "set")
        day, how = _weekday(WEEKDAYS[g["weekday"]], anchor, tense, rel)
        if part:
            return Resolution("TIME", f"{day.isoformat()}T{part}", "time", f"weekday_{how}")
        return Resolution("DATE", day.isoformat(), "day", f"weekday_{how}")
    if kind in ("md", "dm"):
        day, how = _month_day(MONTHS[g["month"].rstrip(".")], int(g["day"]), anchor, tense)
        return Resolution("DATE", day.isoformat(), "day", f"month_day_{how}")
    if kind == "month":
        year, how = _month(MONTHS[g["month"].rstrip(".")], anchor, tense)
        value = f"{year}-{MONTHS[g['month'].rstrip('.')]:02d}"
        return Resolution("DATE", value, "month", f"month_{how}")
    if kind == "season":
        return _season(g, anchor, tense)
    if kind == "quarter":
        offset = {"last": -1, "past": -1, "next": 1}.get(g.get("qord", ""), 0)
        if g.get("qord") in _QORD:
            return Resolution("DATE", f"{anchor.year}-Q{_QORD[g['qord']]}", "quarter",
                              "relative_unit")
        value, precision = _unit_value("quarter", anchor, offset)
        return Resolution("DATE", value, precision, "relative_unit")
    if kind == "relday":
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}[g["relday"]]
        offset += {"day before": -1, "day after": 1}.get(g.get("dayrel", ""), 0)
        value = (anchor + dt.timedelta(days=offset)).isoformat()
        part = part or _PART.get(g["relday"], "")
        if part:
            return Resolution("TIME", f"{value}T{part}", "time", "relative_day")
        return Resolution("DATE", value, "day", "relative_day")
    if kind == "daypart":
        offset = -1 if rel == "last" and part in ("NI", "EV") else 0
        value = (anchor + dt.timedelta(days=offset)).isoformat()
        return Resolution("TIME", f"{value}T{part}", "time", "relative_day")
    if kind == "partof":
        value, precision = _unit_value(g["unit"], anchor, 0)
        return Resolution("DATE", value, precision, "relative_unit")
    if kind == "relunit":
        if rel == "past":
            return Resolution("DURATION", _duration(1.0, g["unit"]), "duration", "duration")
        offset = {"last": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(rel, 0)
        value, precision = _unit_value(g["unit"], anchor, offset)
        return Resolution("DATE", value, precision, "relative_unit")
    if kind == "ago":
        num = _number(g.get("num"))
        unit = g["unit"].rstrip("s").replace("centurie", "century")
        if num is None or num != int(num):
            return Resolution("DATE", "PAST_REF", "vague", "vague_past")
        if unit in ("second", "minute", "hour"):
            return Resolution("DATE", anchor.isoformat(), "day", "ago")
        if unit == "day":
            return Resolution("DATE", (anchor - dt.timedelta(days=int(num))).isoformat(), "day", "ago")
        value, precision = _unit_value(unit, anchor, -int(num))
        return Resolution("DATE", value, precision, "ago")
    if kind == "time":
        return Resolution("TIME", f"{anchor.isoformat()}{time_suffix(g)}", "time", "time")
    raise UnresolvableDate(f"no rule for {kind!r}")


def _season(g: dict, anchor: dt.date, tense: str | None) -> Resolution:
    code = SEASONS[g["season"]]
    rel = g.get("rel", "")
    cur_year, cur_code = season_of(anchor)
    current = dt.date(cur_year, _SEASON_START[cur_code], 1)
    starts = [dt.date(y, _SEASON_START[code], 1) for y in range(anchor.year - 2, anchor.year + 2)]
    if rel in ("last", "past", "previous"):
        chosen, how = max(s for s in starts if s < current), "past"
    elif rel in ("next", "coming", "following"):
        chosen, how = min(s for s in starts if s > current), "future"
    elif rel in ("this", "current") and code == cur_code:
        chosen, how = current, "nearest"
    else:
        before = max(s for s in starts if s <= current)
        after = min(s for s in starts if s >= current)
        chosen, how = _pick(before, after, current, tense)
    return Resolution("DATE", f"{chosen.year}-{code}", "season", f"season_{how}")


def time_suffix(g: dict) -> str:
    """Return the "THH:MM[Z]" part of a clock time candidate's groups."""
    if g.get("named"):
        return "T12:00" if g["named"] in ("noon", "midday") else "T24:00"
    hour, minute = int(g["hour"]), int(g.get("minute") or 0)
    ampm = g.get("ampm", "")
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    if hour > 24:
        raise UnresolvableDate(f"no such hour: {hour}")
    zone = "Z" if g.get("tz", "") in _TZ_UTC or g.get("mil", "") in _TZ_UTC else ""
    return f"T{hour:02d}:{minute:02d}{zone}"
