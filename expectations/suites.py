"""One Great Expectations suite per staged table, each expectation saying why and how bad.

Every expectation carries ``meta = {"why": <sentence>, "severity": "error" | "warning"}``.
``error`` rows are quarantined; ``warning`` rows are published but listed in the report.

A few expectations read helper columns that ``expectations.validate`` derives from the staged
columns before validating (the stager does not provide them), see ``HELPER_COLUMNS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import great_expectations as gx
import great_expectations.expectations as gxe
import pycountry

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)

MIN_DATE = dt.date(1900, 1, 1)
MAX_HEADCOUNT = 99_999_999  # "< 100,000,000"

MENTION_LABELS = ("PERSON", "ORG", "PLACE", "GROUP")
PLACE_FEATURES = ("country", "admin1", "city", "region", "continent", "other")
PLACE_PRECISIONS = ("country", "admin1", "city", "region", "continent", "unresolved")
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
DATE_PRECISIONS = (
    "day", "week", "month", "season", "quarter", "year", "decade", "century",
    "time", "duration", "set", "vague", "unknown",
)  # fmt: skip
HEADCOUNT_QUALIFIERS = (
    "exact", "approx", "at_least", "more_than", "up_to", "less_than", "range", "vague",
)  # fmt: skip
#: The fixed vocabulary of transforms.headcount_lexicon.CATEGORIES (tests keep them equal).
HEADCOUNT_CATEGORIES = (
    "killed", "injured", "kidnapped", "arrested", "displaced", "missing", "members",
    "fighters", "troops", "protesters", "other",
)  # fmt: skip
#: The fixed vocabulary of transforms.headcount_victims.VICTIM_TYPES (null: the text names no side).
HEADCOUNT_VICTIM_TYPES = ("civilians", "security_forces", "military", "armed_group")
#: The fixed vocabulary of transforms.headcount_cause.CAUSES (null: violence, or not said).
HEADCOUNT_CAUSES = ("natural_disaster", "disease", "accident")
PUBLISHED_SOURCES = ("input", "missing", "dateline")
COUNTRY_ISO3 = tuple(sorted(country.alpha_3 for country in pycountry.countries))

TABLE_KEYS: dict[str, str] = {
    "stg_articles": "article_id",
    "stg_mentions": "mention_id",
    "stg_dates": "date_id",
    "stg_headcounts": "headcount_id",
    "stg_events": "event_id",
    "stg_roles": "role_id",
}

_SPAN = ["article_id", "sentence_index", "start_char", "end_char"]
_SPAN_TAIL = ["article_char_count", "is_span_text_exact", "run_id"]

#: The columns the stager provides, per table (docs/architecture.md), key first.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "stg_articles": (
        "article_id", "source_id", "title", "text", "published_date", "published_source", "url",
        "source", "input_path", "char_count", "sentence_count", "run_id",
    ),
    "stg_mentions": (
        "mention_id", *_SPAN, "mention_text", "label", "entity_id", "place_name", "country_iso3",
        "admin1", "lat", "lon", "geonames_id", "place_feature", "place_precision", "sector",
        *_SPAN_TAIL,
    ),
    "stg_dates": (
        "date_id", *_SPAN, "date_text", "timex_type", "timex_value", "date_precision",
        "date_rule", "resolved_date", "published_date", *_SPAN_TAIL,
    ),
    "stg_headcounts": (
        "headcount_id", *_SPAN, "headcount_text", "low", "high", "qualifier", "category", "unit",
        "actor", "needs_review", "is_tally", "victim_type", "cause", "event_id", "event_date",
        "place_name", "country_iso3",
        *_SPAN_TAIL,
    ),
    "stg_events": (
        "event_id", *_SPAN, "trigger_text", "event_type", "cameo_code", "actor1", "actor2",
        "place", "date_text", "event_date", "event_date_precision", "event_date_rule",
        "event_mode", "event_tense", "past_event_date", "place_name", "country_iso3", "lat",
        "lon", "geonames_id", "place_rule", "published_date", "actor1_entity_id",
        "actor1_country_iso3", "actor1_sector", "actor2_entity_id", "actor2_country_iso3",
        "actor2_sector", "reported_by", "reported_by_entity_id", *_SPAN_TAIL,
    ),
    "stg_roles": (
        "role_id", *_SPAN, "evidence_text", "person_entity_id", "person_name",
        "person_start_char", "person_end_char", "title", "organization_entity_id",
        "organization_name", "country_iso3", "sector", "role_rule", "organization_rule",
        "is_former", "role_date", *_SPAN_TAIL,
    ),
}  # fmt: skip

#: Columns holding dates; validate.py normalises them to ``datetime.date`` before validating.
DATE_COLUMNS = ("published_date", "resolved_date", "event_date", "past_event_date", "role_date")
EVENT_DATE_RULES = ("clause", "sentence", "publication", "unresolved")

_IN_BATCH = "True when article_id is one of the batch's stg_articles ids"
_MAX_DATE = "published_date + 1 day, or today + 1 day when published_date is unknown"
_MAX_YEAR = "31 Dec of the publication year + 5 (or of this year + 5 when it is unknown)"
_PLACE_MENTIONED = ("True when place is null, or is the text of a PLACE mention of the same"
                    " article in this batch (true for every row when stg_mentions is absent)")
_PERSON_MENTIONED = ("True when person_entity_id is the entity_id of a PERSON mention in this"
                     " batch (true for every row when stg_mentions is absent)")
#: CAMEO-like actor sectors (transforms.actors.SECTORS) and how a role was read from the text.
ACTOR_SECTORS = ("government", "military", "rebel", "international", "media", "business",
                 "civil_society")
ROLE_RULES = ("prenominal", "prenominal_comma", "apposition")
ROLE_ORGANIZATION_RULES = ("modifier", "possessive", "of", "for", "at", "anaphora")

_NEAR_COUNTRY = ("True when lat/lon lie inside or within 1.5 degrees of a box around country_iso3"
                 " (its map outline, its cities, its overseas territories), or any is null")
_IN_COUNTRY_REGION = ("True when lat/lon lie within 10 degrees of a box around country_iso3,"
                      " or any is null")

#: Columns validate.py derives before validating (never provided by the stager).
HELPER_COLUMNS: dict[str, dict[str, str]] = {
    "stg_articles": {},
    "stg_mentions": {"is_article_in_batch": _IN_BATCH, "is_near_country": _NEAR_COUNTRY,
                     "is_in_country_region": _IN_COUNTRY_REGION},
    "stg_dates": {"is_article_in_batch": _IN_BATCH, "max_plausible_date": _MAX_DATE,
                  "max_possible_date": _MAX_YEAR},
    "stg_headcounts": {
        "is_article_in_batch": _IN_BATCH,
        "are_counts_whole": "True when low and high are each null or a whole number",
    },
    "stg_events": {"is_article_in_batch": _IN_BATCH, "max_plausible_date": _MAX_DATE,
                   "max_possible_date": _MAX_YEAR, "is_place_mentioned": _PLACE_MENTIONED,
                   "is_near_country": _NEAR_COUNTRY, "is_in_country_region": _IN_COUNTRY_REGION},
    "stg_roles": {"is_article_in_batch": _IN_BATCH, "is_person_mentioned": _PERSON_MENTIONED},
}


def _meta(why: str, severity: str) -> dict[str, str]:
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
    return {"why": why, "severity": severity}


def _suite(table: str, expectations: Iterable[gxe.Expectation]) -> gx.ExpectationSuite:
    # Passed to the constructor: add_expectation() would look for a Data Context to save to.
    return gx.ExpectationSuite(
        name=table,
        expectations=list(expectations),
        notes=f"newsdesk quality gate for `{table}` (key `{TABLE_KEYS[table]}`).",
    )


def _columns_exist(table: str) -> gxe.Expectation:
    return gxe.ExpectTableColumnsToMatchSet(
        column_set=list(TABLE_COLUMNS[table]),
        exact_match=False,
        meta=_meta("The stager must deliver every contract column; a missing one is a bug.", ERROR),
    )


def _key(table: str) -> list[gxe.Expectation]:
    key = TABLE_KEYS[table]
    return [
        gxe.ExpectColumnValuesToNotBeNull(
            column=key,
            meta=_meta(f"Every row needs a `{key}` to be published or quarantined.", ERROR),
        ),
        gxe.ExpectColumnValuesToBeUnique(
            column=key,
            meta=_meta(
                f"`{key}` is deterministic, so a duplicate means a row was staged twice.", ERROR
            ),
        ),
    ]


def _article_ref(check_parent: bool) -> list[gxe.Expectation]:
    checks: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToNotBeNull(
            column="article_id",
            meta=_meta("Every extracted item must point back to its article.", ERROR),
        )
    ]
    if check_parent:
        # A helper column rather than value_set=<ids>: GX re-serialises a value set for every
        # metric it plans, which made this one check cost a quarter of a second per table.
        checks.append(
            gxe.ExpectColumnValuesToBeInSet(
                column="is_article_in_batch",
                value_set=[True],
                meta=_meta("An item whose article is not in this batch would be an orphan.", ERROR),
            )
        )
    return checks


def _span() -> list[gxe.Expectation]:
    """Provenance checks shared by every table extracted from article text."""
    return [
        gxe.ExpectColumnValuesToNotBeNull(
            column="start_char", meta=_meta("Every item keeps its character offsets.", ERROR)
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="end_char", meta=_meta("Every item keeps its character offsets.", ERROR)
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="start_char",
            min_value=0,
            meta=_meta("Offsets index into the article text, so they cannot be negative.", ERROR),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end_char",
            column_B="start_char",
            or_equal=False,
            ignore_row_if="either_value_is_missing",
            meta=_meta("Offsets are end-exclusive, so an empty or reversed span is a bug.", ERROR),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="article_char_count",
            column_B="end_char",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta("A span cannot end beyond the end of its article text.", ERROR),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="is_span_text_exact",
            meta=_meta("The stager checks every span against the article text.", ERROR),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="is_span_text_exact",
            value_set=[True],
            meta=_meta("The stored text must equal text[start:end], or the offsets lie.", ERROR),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="sentence_index",
            min_value=0,
            meta=_meta("Sentence indexes are 0-based; a negative one breaks provenance.", WARNING),
        ),
    ]


def _dates_in_range(column: str, why: str, severity: str) -> list[gxe.Expectation]:
    """Range checks for a resolved date column.

    Before 1900 or after the publication year + 5 is a resolution error (`severity`). A date
    after the publication date is only a warning: "next week" or "talks in June" legitimately
    point ahead, so such rows are published with a flag and listed in the report.
    """
    return [
        gxe.ExpectColumnValuesToBeBetween(
            column=column,
            min_value=MIN_DATE,
            meta=_meta(f"{why} Dates before 1900 are mis-resolved (or not dates).", severity),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="max_possible_date",
            column_B=column,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta(
                f"{why} News rarely reports a date more than five years after the year it was"
                " published; such a date is mis-resolved.",
                severity,
            ),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="max_plausible_date",
            column_B=column,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta(
                f"{why} A date after the publication date (1 day of slack for time zones) is"
                " either a future reference or a mis-resolved relative date.",
                WARNING,
            ),
        ),
    ]


def articles_suite(today: dt.date | None = None) -> gx.ExpectationSuite:
    """Return the suite for `stg_articles`; `today` bounds `published_date` (default: today)."""
    latest = (today or dt.date.today()) + dt.timedelta(days=1)
    return _suite(
        "stg_articles",
        [
            _columns_exist("stg_articles"),
            *_key("stg_articles"),
            gxe.ExpectColumnValuesToNotBeNull(
                column="text", meta=_meta("An article without text has nothing to extract.", ERROR)
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="char_count",
                min_value=1,
                meta=_meta("An article must have at least one character of text.", ERROR),
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="sentence_count",
                min_value=1,
                meta=_meta("An article with text yields at least one sentence.", ERROR),
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="published_date",
                min_value=MIN_DATE,
                max_value=latest,
                meta=_meta(
                    "Publication dates anchor relative dates; one before 1900 or after tomorrow"
                    " is a parse error.",
                    ERROR,
                ),
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="published_date",
                meta=_meta(
                    "Without a publication date, relative dates (\"on Thursday\") and event"
                    " dates stay unresolved; the article loads, flagged.",
                    WARNING,
                ),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="published_source",
                value_set=list(PUBLISHED_SOURCES),
                meta=_meta("Readers need to know where the publication date came from.", ERROR),
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="title",
                meta=_meta(
                    "Reports list articles by title; an untitled one is harder to find.", WARNING
                ),
            ),
        ],
    )


def _country_code(
    column: str, why: str = "Countries join on ISO 3166-1 alpha-3 codes (null when unknown)."
) -> gxe.Expectation:
    """An ISO 3166-1 alpha-3 country code column (null allowed)."""
    return gxe.ExpectColumnValuesToBeInSet(
        column=column, value_set=list(COUNTRY_ISO3), meta=_meta(why, ERROR)
    )


def _sector(column: str) -> gxe.Expectation:
    """An actor sector column, in the closed sector vocabulary (null allowed)."""
    return gxe.ExpectColumnValuesToBeInSet(
        column=column,
        value_set=list(ACTOR_SECTORS),
        meta=_meta("Sectors are a closed vocabulary events are summarised by.", ERROR),
    )


def _coordinates() -> list[gxe.Expectation]:
    """Latitude, longitude and country code checks shared by mentions and events."""
    return [
        gxe.ExpectColumnValuesToBeBetween(
            column="lat",
            min_value=-90,
            max_value=90,
            meta=_meta("Latitude outside [-90, 90] is not a place on Earth.", ERROR),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="lon",
            min_value=-180,
            max_value=180,
            meta=_meta("Longitude outside [-180, 180] is not a place on Earth.", ERROR),
        ),
        _country_code("country_iso3"),
        gxe.ExpectColumnValuesToBeInSet(
            column="is_in_country_region",
            value_set=[True],
            meta=_meta(
                "Coordinates in another part of the world than their country (swapped or"
                " mis-signed, or a name resolved in the wrong country) would put the row on the"
                " wrong continent of every map.",
                ERROR,
            ),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="is_near_country",
            value_set=[True],
            meta=_meta(
                "Coordinates should lie in or near their country; a point some hundreds of km"
                " out is usually a wrong namesake, but remote islands can land here too.",
                WARNING,
            ),
        ),
    ]


def mentions_suite(check_parent: bool = True) -> gx.ExpectationSuite:
    """Return the suite for `stg_mentions`; `check_parent` checks article_id against the batch."""
    return _suite(
        "stg_mentions",
        [
            _columns_exist("stg_mentions"),
            *_key("stg_mentions"),
            *_article_ref(check_parent),
            *_span(),
            gxe.ExpectColumnValuesToBeInSet(
                column="label",
                value_set=list(MENTION_LABELS),
                meta=_meta("Dimensions are built per label; an unknown label has no home.", ERROR),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="place_feature",
                value_set=list(PLACE_FEATURES),
                meta=_meta("Place features are a closed vocabulary used to filter maps.", ERROR),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="place_precision",
                value_set=list(PLACE_PRECISIONS),
                meta=_meta("Place precision is a closed vocabulary used to filter maps.", ERROR),
            ),
            *_coordinates(),
            gxe.ExpectColumnValuesToBeBetween(
                column="geonames_id",
                min_value=1,
                meta=_meta(
                    "GeoNames ids are positive; anything else will not join to GeoNames.", WARNING
                ),
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="entity_id",
                meta=_meta(
                    "Without an entity id, mentions of one entity cannot be grouped.", WARNING
                ),
            ),
            _sector("sector"),
        ],
    )


def dates_suite(check_parent: bool = True) -> gx.ExpectationSuite:
    """Return the suite for `stg_dates`; `check_parent` checks article_id against the batch."""
    return _suite(
        "stg_dates",
        [
            _columns_exist("stg_dates"),
            *_key("stg_dates"),
            *_article_ref(check_parent),
            *_span(),
            gxe.ExpectColumnValuesToBeInSet(
                column="timex_type",
                value_set=list(TIMEX_TYPES),
                meta=_meta("TIMEX3 types are DATE, TIME, DURATION or SET.", ERROR),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="date_precision",
                value_set=list(DATE_PRECISIONS),
                meta=_meta("Date precision is a closed vocabulary analysts filter on.", ERROR),
            ),
            *_dates_in_range("resolved_date", "Resolved dates place events in time.", ERROR),
            gxe.ExpectColumnValuesToNotBeNull(
                column="date_rule",
                meta=_meta(
                    "Every resolved date names the rule that fired, for debugging.", WARNING
                ),
            ),
        ],
    )


def headcounts_suite(check_parent: bool = True) -> gx.ExpectationSuite:
    """Return the suite for `stg_headcounts`; `check_parent` checks article_id against the batch."""
    count_range = "Counts are positive whole numbers below 100 million; others are misparses."
    return _suite(
        "stg_headcounts",
        [
            _columns_exist("stg_headcounts"),
            *_key("stg_headcounts"),
            *_article_ref(check_parent),
            *_span(),
            gxe.ExpectColumnValuesToBeBetween(
                column="low", min_value=1, max_value=MAX_HEADCOUNT, meta=_meta(count_range, ERROR)
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="high", min_value=1, max_value=MAX_HEADCOUNT, meta=_meta(count_range, ERROR)
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="are_counts_whole",
                value_set=[True],
                meta=_meta("People are counted in whole numbers.", ERROR),
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="high",
                column_B="low",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=_meta("A range's low end cannot exceed its high end.", ERROR),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="qualifier",
                value_set=list(HEADCOUNT_QUALIFIERS),
                meta=_meta(
                    "Qualifiers are a closed vocabulary that says how to read low/high.", ERROR
                ),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="category",
                value_set=list(HEADCOUNT_CATEGORIES),
                meta=_meta("An unknown category will not appear in per-category reports.", WARNING),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="victim_type",
                value_set=list(HEADCOUNT_VICTIM_TYPES),
                meta=_meta(
                    "Civilian-vs-combatant tolls sum by victim_type; an unknown side (null is"
                    " allowed: the text names none) would fall out of every total.",
                    WARNING,
                ),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="cause",
                value_set=list(HEADCOUNT_CAUSES),
                meta=_meta(
                    "Violence tolls leave out disaster, disease and accident tolls by cause; an"
                    " unknown cause (null is allowed: violence, or not said) would be counted"
                    " as violence.",
                    WARNING,
                ),
            ),
        ],
    )


def events_suite(check_parent: bool = True) -> gx.ExpectationSuite:
    """Return the suite for `stg_events`; `check_parent` checks article_id against the batch."""
    return _suite(
        "stg_events",
        [
            _columns_exist("stg_events"),
            *_key("stg_events"),
            *_article_ref(check_parent),
            *_span(),
            *_coordinates(),
            *[_country_code(f"{actor}_country_iso3",
                            "Events are summarised by their actors' ISO alpha-3 countries.")
              for actor in ("actor1", "actor2")],
            *[_sector(f"{actor}_sector") for actor in ("actor1", "actor2")],
            gxe.ExpectColumnValuesToBeInSet(
                column="place_rule",
                value_set=["clause", "dateline", "article"],
                meta=_meta("Analysts weigh an event's place by how it was found.", ERROR),
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="event_type",
                meta=_meta("An event without a PLOVER type cannot be counted by type.", ERROR),
            ),
            *_dates_in_range("event_date", "Event dates are what analysts chart.", ERROR),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="max_plausible_date",
                column_B="past_event_date",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=_meta(
                    "An event reported in the past tense cannot have happened after the article"
                    " was published (1 day of slack for time zones): its date is mis-resolved.",
                    ERROR,
                ),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="event_date_rule",
                value_set=list(EVENT_DATE_RULES),
                meta=_meta("Analysts filter on how an event got its date.", ERROR),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="event_date_precision",
                value_set=[*DATE_PRECISIONS, "publication"],
                meta=_meta("Precision says how exact the event date is.", ERROR),
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="actor1",
                meta=_meta("An event without a source actor is much less useful.", WARNING),
            ),
            # The events -> places foreign key. Actors get no such check: by contract actor1
            # and actor2 may be plain noun phrases ("union leaders") that are not mentions.
            gxe.ExpectColumnValuesToBeInSet(
                column="is_place_mentioned",
                value_set=[True],
                meta=_meta(
                    "An event's place should be one of its article's place mentions; one that is"
                    " not was linked to the wrong text and will not join to the map.",
                    WARNING,
                ),
            ),
        ],
    )


def roles_suite(check_parent: bool = True) -> gx.ExpectationSuite:
    """Return the suite for `stg_roles`; `check_parent` checks article_id against the batch."""
    return _suite(
        "stg_roles",
        [
            _columns_exist("stg_roles"),
            *_key("stg_roles"),
            *_article_ref(check_parent),
            *_span(),
            gxe.ExpectColumnValuesToNotBeNull(
                column="person_entity_id",
                meta=_meta("A role belongs to a person; without one it says nothing.", ERROR),
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="title",
                meta=_meta("A role without a title cannot be listed or compared.", ERROR),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="is_person_mentioned",
                value_set=[True],
                meta=_meta(
                    "The role's person must be a PERSON mention of the batch, or the role cannot"
                    " be joined to the people it describes.",
                    ERROR,
                ),
            ),
            _country_code("country_iso3"),
            _sector("sector"),
            gxe.ExpectColumnValuesToBeInSet(
                column="role_rule",
                value_set=list(ROLE_RULES),
                meta=_meta("Analysts weigh a role by the construction it was read from.", ERROR),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="organization_rule",
                value_set=list(ROLE_ORGANIZATION_RULES),
                meta=_meta("Analysts weigh a role's organisation by how it was found.", ERROR),
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="role_date",
                meta=_meta(
                    "Roles change over time; a role without its article's publication date"
                    " cannot be placed in time.",
                    WARNING,
                ),
            ),
        ],
    )


#: Suite builder per table; each takes ``check_parent`` except ``stg_articles`` (``today``).
SUITE_BUILDERS: dict[str, Callable[..., gx.ExpectationSuite]] = {
    "stg_articles": articles_suite,
    "stg_mentions": mentions_suite,
    "stg_dates": dates_suite,
    "stg_headcounts": headcounts_suite,
    "stg_events": events_suite,
    "stg_roles": roles_suite,
}


def build_suites(
    check_parent: bool = True, today: dt.date | None = None
) -> dict[str, gx.ExpectationSuite]:
    """Return every staged table's suite, keyed by table name."""
    suites = {"stg_articles": articles_suite(today)}
    for table, builder in SUITE_BUILDERS.items():
        if table != "stg_articles":
            suites[table] = builder(check_parent)
    return suites


def expectation_label(expectation_type: str, kwargs: dict) -> str:
    """Return "type(column)" ("type(a, b)" for column pairs): the name rows are flagged with."""
    columns = expectation_columns(kwargs)
    return f"{expectation_type}({', '.join(columns)})" if columns else expectation_type


def expectation_columns(kwargs: dict) -> list[str]:
    """Return the columns an expectation's kwargs name, in order."""
    if kwargs.get("column"):
        return [kwargs["column"]]
    if kwargs.get("column_A"):
        return [kwargs["column_A"], kwargs["column_B"]]
    return list(kwargs.get("column_list") or [])
