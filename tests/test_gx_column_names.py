"""GX's column-name matching is remembered per (names, columns): same answers, same errors."""

from __future__ import annotations

import pytest
from great_expectations.exceptions import InvalidMetricAccessorDomainKwargsKeyError
from great_expectations.expectations.metrics import util

from expectations import gx_column_names

MATCH = util._verify_column_names_exist_and_get_normalized_typed_column_names_map
COLUMNS = ["article_id", "Title", "published_date"]


def test_the_patch_is_installed_on_this_gx_version():
    assert gx_column_names.PATCHED
    assert MATCH.shipped is not MATCH


@pytest.mark.parametrize("names", ["article_id", "title", '"Title"', "[published_date]",
                                   ["title", "article_id"], ["published_date"]])
def test_a_remembered_match_is_gx_s_own_answer(names):
    expected = MATCH.shipped(names, COLUMNS)
    assert MATCH(names, COLUMNS) == expected  # first call: computed
    assert MATCH(names, COLUMNS) == expected  # second call: remembered
    assert util.get_dbms_compatible_column_names(names, COLUMNS) == (
        [typed for _, typed in expected] if isinstance(names, list) else expected[0][1])


def test_a_missing_column_raises_every_time_and_is_not_remembered():
    before = gx_column_names.remembered_matches()
    for _ in range(2):
        with pytest.raises(InvalidMetricAccessorDomainKwargsKeyError, match="no_such_column"):
            MATCH("no_such_column", COLUMNS)
    assert gx_column_names.remembered_matches() == before


def test_the_answer_follows_the_frame_columns():
    assert MATCH("body", ["article_id", "body"]) == [("body", "body")]
    with pytest.raises(InvalidMetricAccessorDomainKwargsKeyError):
        MATCH("body", ["article_id", "text"])  # same name, other frame: not the old answer


def test_str_subclasses_are_matched_by_gx_every_time():
    class Quoted(str):
        """Stands in for SQLAlchemy's quoted_name, which GX compares differently."""

    columns = [Quoted("Title"), "article_id"]
    before = gx_column_names.remembered_matches()
    assert MATCH("Title", columns) == MATCH.shipped("Title", columns)
    assert gx_column_names.remembered_matches() == before
