"""Plausibility: flag headcounts too large to publish unseen ("2,000,000 killed" in one attack).

A count above its category's threshold is still published (it may be true: a war's toll, a
national party's membership), but with `needs_review` set, and the report lists it. A misread
number ("1989 killed" from a year, "6,500,000" from a money amount) is far more likely there.

Thresholds per category (people, inclusive bound: a count above it is flagged):

| category | default | why |
|---|---|---|
| killed, injured | 1,000,000 | above the largest single-conflict tolls news reports as one figure |
| kidnapped | 10,000 | mass abductions are counted in hundreds, rarely thousands |
| arrested, missing | 100,000 | mass arrests and disappearances stay below this |
| fighters | 1,000,000 | the largest armed groups field tens to hundreds of thousands |
| troops | 5,000,000 | the largest armies are about 2 million active |
| protesters | 10,000,000 | the largest protests reported are a few million |
| displaced | 20,000,000 | the largest displacement crises are about 10 million |
| members, other | none | parties, unions and "other" counts (people, houses) can be huge |

Override with `NEWSDESK_HEADCOUNT_REVIEW_ABOVE`: a number for every category ("500000") or
`category=number` pairs ("killed=100000,kidnapped=500"), which replace those defaults only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from transforms.headcount_lexicon import CATEGORIES

__all__ = ["DEFAULT_REVIEW_ABOVE", "REVIEW_ENV", "ReviewConfigError", "needs_review",
           "review_thresholds"]

REVIEW_ENV = "NEWSDESK_HEADCOUNT_REVIEW_ABOVE"
DEFAULT_REVIEW_ABOVE: dict[str, int | None] = {
    "killed": 1_000_000, "injured": 1_000_000, "kidnapped": 10_000, "arrested": 100_000,
    "missing": 100_000, "fighters": 1_000_000, "troops": 5_000_000, "protesters": 10_000_000,
    "displaced": 20_000_000, "members": None, "other": None,
}


class ReviewConfigError(ValueError):
    """Raised when NEWSDESK_HEADCOUNT_REVIEW_ABOVE cannot be read; the message shows the form."""


def _positive(text: str, setting: str) -> int:
    try:
        value = int(text.strip().replace(",", "").replace("_", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise ReviewConfigError(f"{REVIEW_ENV}={setting!r}: {text.strip()!r} is not a positive "
                                "whole number; use e.g. 500000 or killed=100000,kidnapped=500")
    return value


def review_thresholds(setting: str | None = None) -> dict[str, int | None]:
    """Return the threshold per category: the defaults, overridden by `setting` or the env var."""
    setting = os.environ.get(REVIEW_ENV, "") if setting is None else setting
    thresholds = dict(DEFAULT_REVIEW_ABOVE)
    if not setting.strip():
        return thresholds
    if "=" not in setting:
        value = _positive(setting, setting)
        return dict.fromkeys(CATEGORIES, value)
    for part in setting.split(","):
        if not part.strip():
            continue
        category, _, number = part.partition("=")
        category = category.strip().lower()
        if category not in CATEGORIES:
            raise ReviewConfigError(f"{REVIEW_ENV}={setting!r}: unknown category {category!r}; "
                                    f"choose from {', '.join(CATEGORIES)}")
        thresholds[category] = _positive(number, setting)
    return thresholds


def needs_review(headcount: Mapping, thresholds: Mapping[str, int | None] | None = None) -> bool:
    """Return True when the count's larger bound is above its category's threshold."""
    thresholds = review_thresholds() if thresholds is None else thresholds
    limit = thresholds.get(headcount.get("category") or "other")
    bounds = [b for b in (headcount.get("low"), headcount.get("high")) if b is not None]
    return limit is not None and bool(bounds) and max(bounds) > limit
