"""Tests for evaluation.headcounts: how MUC-4's number notation and total slot are read."""

from __future__ import annotations

from evaluation.headcounts import gold_headcounts, predicted_pairs, score_headcounts


def template(*counts, total=None, incident_type="ATTACK") -> dict:
    """A MUC-4 template: counts are (number as the key writes it, effects)."""
    return {"incident_type": incident_type, "hum_tgt_total_number": total,
            "hum_tgt_counts": [{"number": number, "number_alternatives": [number],
                                "number_int": int(number) if number.isdigit() else None,
                                "effects": effects} for number, effects in counts]}


def pairs_of(record: dict) -> list[tuple[set, set, bool]]:
    return [(set(p.numbers), set(p.categories), p.optional) for p in gold_headcounts(record)]


def test_range_notation_states_numbers():
    """MUC writes "at least two" as "2 -": the count is stated, not skipped like "PLURAL"."""
    record = {"templates": [template(("2 -", ["DEATH"]), ("5 - 10", ["INJURY"]),
                                     ("PLURAL", ["DEATH"]), ("~70", ["DEATH"]))]}
    assert pairs_of(record) == [({2}, {"killed"}, False), ({5, 10}, {"injured"}, False)]
    at_least_two = {"headcounts": [{"low": 2, "high": None, "category": "killed"}]}
    victims = score_headcounts([record], [at_least_two])[0]
    assert (victims.tp, victims.fp, victims.fn) == (1, 0, 1)


def test_total_number_is_an_optional_pair_with_the_shared_category():
    record = {"templates": [template(("12", ["DEATH"]), ("1", ["DEATH"]), ("1", ["DEATH"]),
                                     total="14")]}
    assert pairs_of(record) == [({12}, {"killed"}, False), ({1}, {"killed"}, True),
                                ({14}, {"killed"}, True)]
    mixed = {"templates": [template(("2", ["DEATH"]), ("3", ["INJURY"]), total="5")]}
    assert ({5}, set(), True) not in pairs_of(mixed) and len(pairs_of(mixed)) == 2  # no shared
    total_read = {"headcounts": [{"low": 12, "high": 12, "category": "killed"},
                                 {"low": 14, "high": 14, "category": "killed"}]}
    groups_only = {"headcounts": [{"low": 12, "high": 12, "category": "killed"}]}
    with_total, without = (score_headcounts([record], [p])[0] for p in (total_read, groups_only))
    assert (with_total.tp, with_total.fp, with_total.fn) == (2, 0, 0)
    assert (without.tp, without.fp, without.fn) == (1, 0, 0)  # a missed total is no miss


def test_disaster_and_accident_tolls_are_not_scored():
    headcounts = [{"low": 40, "high": 40, "category": "killed", "cause": "natural_disaster"},
                  {"low": 3, "high": 3, "category": "killed", "cause": "accident"},
                  {"low": 5, "high": 5, "category": "killed", "cause": None}]
    assert predicted_pairs(headcounts) == [(frozenset({5}), "killed")]
