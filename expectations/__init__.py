"""newsdesk expectations: one Great Expectations suite per staged table, validation, reports."""

from expectations.docs import build_data_docs, write_quality_summary
from expectations.suites import (
    HELPER_COLUMNS,
    SUITE_BUILDERS,
    TABLE_COLUMNS,
    TABLE_KEYS,
    articles_suite,
    build_suites,
    dates_suite,
    events_suite,
    headcounts_suite,
    mentions_suite,
)
from expectations.validate import BatchValidation, UnknownTableError, validate_batch

__all__ = [
    "HELPER_COLUMNS",
    "SUITE_BUILDERS",
    "TABLE_COLUMNS",
    "TABLE_KEYS",
    "BatchValidation",
    "UnknownTableError",
    "articles_suite",
    "build_data_docs",
    "build_suites",
    "dates_suite",
    "events_suite",
    "headcounts_suite",
    "mentions_suite",
    "validate_batch",
    "write_quality_summary",
]
