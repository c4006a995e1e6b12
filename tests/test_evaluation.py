"""Tests for the evaluation scorers on tiny hand-made gold and predicted records."""

from __future__ import annotations

import math

import pytest

from evaluation import (
    ActorLookup,
    Score,
    UnknownTask,
    error_auc,
    format_scores,
    haversine_km,
    match_spans,
    run_evaluation,
    score_entities,
    score_events,
    score_from_counts,
    score_geoparsing,
    score_headcounts,
    score_timexes,
)
from evaluation.entities import gold_mentions, score_entities_against_baseline
from evaluation.headcounts import gold_headcounts
from evaluation.runner import selected_tasks

#: Micro exact F1 of the wikinews entity scorer on the first 5 docs of each file, measured
#: 0.646 when the scorer was written; the floor leaves room for extractor changes.
WIKINEWS_ENTITY_F1_FLOOR = 0.50
#: newsdesk over raw spaCy on the same documents (micro exact F1), measured +0.16 on those 10
#: docs with the product/event/people rules; the floor catches rules that stop helping.
WIKINEWS_ENTITY_GAIN_FLOOR = 0.05


def span(text: str, part: str, **fields) -> dict:
    start = text.index(part)
    return {"start": start, "end": start + len(part), "text": part, **fields}


def by_metric(scores: list[Score]) -> dict[str, Score]:
    return {score.metric: score for score in scores}


def test_score_from_counts_handles_empty_denominators():
    score = score_from_counts("t", "m", 0, 0, 0)
    assert (score.precision, score.recall, score.f1, score.support) == (0.0, 0.0, 0.0, 0)


def test_score_from_counts_computes_f1():
    score = score_from_counts("t", "m", 3, 1, 2)
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.6)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert score.support == 5


@pytest.mark.parametrize(
    ("gold", "pred", "mode", "expected"),
    [
        ([(0, 5)], [(0, 5)], "exact", [(0, 0)]),
        ([(0, 5)], [(0, 4)], "exact", []),
        ([(0, 5)], [(0, 4)], "overlap", [(0, 0)]),
        ([(0, 5)], [(5, 9)], "overlap", []),  # touching is not overlapping
        ([(0, 10)], [(0, 2), (2, 9)], "overlap", [(0, 1)]),  # the larger overlap wins
        ([(0, 5), (1, 6)], [(0, 6)], "overlap", [(0, 0)]),  # one to one
    ],
)
def test_match_spans(gold, pred, mode, expected):
    to_spans = lambda pairs: [{"start": s, "end": e} for s, e in pairs]  # noqa: E731
    assert match_spans(to_spans(gold), to_spans(pred), mode) == expected


def test_match_spans_rejects_unknown_mode():
    with pytest.raises(ValueError, match="unknown match mode"):
        match_spans([], [], "fuzzy")


ENTITY_TEXT = "Senator Ann Lee met the Acme Corporation in Springfield on Monday."


def entity_gold() -> dict:
    return {"text": ENTITY_TEXT, "doc_level_end": len(ENTITY_TEXT), "entities": [
        span(ENTITY_TEXT, "Senator Ann Lee", type="PERSON", syntactic_type="NAM"),
        span(ENTITY_TEXT, "the Acme Corporation", type="ORGANIZATION", syntactic_type="NAM"),
        span(ENTITY_TEXT, "Springfield", type="LOCATION", syntactic_type="NAM"),
        span(ENTITY_TEXT, "Monday", type="PRODUCT", syntactic_type="NAM"),  # not scored
        span(ENTITY_TEXT, "Senator", type="PERSON", syntactic_type="NOM"),  # not scored
    ]}


def test_entities_exact_and_overlap():
    pred = {"entities": [
        span(ENTITY_TEXT, "Ann Lee", label="PERSON"),  # overlap only
        span(ENTITY_TEXT, "Acme Corporation", label="ORG"),  # exact: gold "the" is dropped
        span(ENTITY_TEXT, "Springfield", label="ORG"),  # wrong type
        span(ENTITY_TEXT, "Monday", label="GROUP"),  # GROUP is not scored
    ]}
    scores = by_metric(score_entities([entity_gold()], [pred]))
    exact, overlap = scores["micro exact"], scores["micro overlap"]
    assert (exact.tp, exact.fp, exact.fn) == (1, 2, 2)
    assert (overlap.tp, overlap.fp, overlap.fn) == (2, 1, 1)
    assert (scores["PLACE exact"].tp, scores["PLACE exact"].fn) == (0, 1)
    assert scores["ORG exact"].fp == 1


def test_entities_prediction_on_unscored_gold_mention_is_ignored():
    pred = {"entities": [span(ENTITY_TEXT, "Senator", label="PERSON")]}
    scores = by_metric(score_entities([entity_gold()], [pred]))
    assert scores["PERSON exact"].fp == 0
    assert scores["PERSON exact"].extra["ignored"] == 1


def test_entities_outside_doc_level_text_are_not_counted():
    gold = dict(entity_gold(), doc_level_end=ENTITY_TEXT.index("Springfield"))
    gold["entities"] = gold["entities"][:2]
    pred = {"entities": [span(ENTITY_TEXT, "Springfield", label="PLACE")]}
    assert by_metric(score_entities([gold], [pred]))["micro exact"].fp == 0


CONVENTION_TEXT = ("Senator John McCain met aircraft manufacturer Boeing and Joe Leonard, "
                   "chairman of AirTran, in Long Beach, California.")


def convention_gold() -> dict:
    def named(part, kind, instance, name=None, **extra):
        return span(CONVENTION_TEXT, part, type=kind, syntactic_type="NAM", instance_id=instance,
                    entity_name=name or part, **extra)

    return {"text": CONVENTION_TEXT, "doc_level_end": len(CONVENTION_TEXT), "entities": [
        named("Senator John McCain", "PERSON", "p1", "John McCain"),
        named("aircraft manufacturer Boeing", "ORGANIZATION", "o1", "Boeing"),
        named("Joe Leonard, chairman of AirTran", "PERSON", "p2", "Joe Leonard"),
        named("Joe Leonard", "PERSON", "p2"),
        named("AirTran", "ORGANIZATION", "o2"),
        named("Long Beach, California", "LOCATION", "l1"),
        named("California", "LOCATION", "l2"),
    ]}


def test_gold_names_follow_the_flat_span_convention():
    scored, unscored = gold_mentions(convention_gold())
    assert sorted(m["text"] for m in scored) == [
        "AirTran", "Boeing", "California", "Joe Leonard", "John McCain", "Long Beach"]
    assert all(CONVENTION_TEXT[m["start"]:m["end"]] == m["text"] for m in scored)
    # The original spans stay as unscored gold: predicting them costs nothing.
    assert {"Senator John McCain", "aircraft manufacturer Boeing",
            "Long Beach, California"} <= {m["text"] for m in unscored}


def test_baseline_lines_and_gain_in_points():
    gold = [entity_gold()]
    ours = {"entities": [span(ENTITY_TEXT, "Acme Corporation", label="ORG"),
                         span(ENTITY_TEXT, "Springfield", label="PLACE")]}
    raw = {"entities": [span(ENTITY_TEXT, "the Acme Corporation", label="ORG")]}
    scores = by_metric(score_entities_against_baseline(gold, [ours], [raw]))
    assert scores["raw spaCy micro exact"].tp == 0 and scores["raw spaCy micro exact"].fp == 1
    mine = scores["micro exact"]
    assert mine.extra["raw_f1"] == 0.0
    assert mine.extra["gain_pts"] == pytest.approx(100 * mine.f1, abs=0.1)
    assert "gain_pts=+" in format_scores([mine])


def test_timexes_span_and_value_accuracy():
    text = "On Monday, two days ago, prices rose."
    gold = {"text": text, "timexes": [span(text, "Monday", value="2024-03-04"),
                                      span(text, "two days ago", value="2024-03-03")]}
    pred = {"dates": [span(text, "Monday", value="2024-03-04"),
                      span(text, "two days", value="P2D")]}
    scores = by_metric(score_timexes([gold], [pred]))
    assert (scores["span exact"].tp, scores["span exact"].fp) == (1, 1)
    assert scores["span exact"].extra["value_accuracy"] == 1.0
    assert scores["span overlap"].tp == 2
    assert scores["span overlap"].extra["value_accuracy"] == 0.5
    value = scores["value (overlap)"]
    assert (value.tp, value.fp, value.fn) == (1, 1, 1)


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((0.0, 0.0), (0.0, 0.0), 0.0),
        ((0.0, 0.0), (0.0, 1.0), 111.2),  # one degree of longitude on the equator
        ((51.5074, -0.1278), (48.8566, 2.3522), 343.6),  # London - Paris
        ((0.0, 0.0), (0.0, 180.0), 20015.1),  # antipodes: half the circumference
    ],
)
def test_haversine_km(a, b, km):
    assert haversine_km(*a, *b) == pytest.approx(km, abs=0.5)


def test_error_auc():
    assert error_auc([]) == 0.0
    assert error_auc([0.0, 0.0, 0.0]) == 0.0
    assert error_auc([20039.0, 20039.0]) == pytest.approx(1.0)
    assert error_auc([100.0]) == pytest.approx(math.log1p(100) / math.log1p(20039))
    # Three points on a unit x axis: trapezoids over [0, 0.5] and [0.5, 1].
    errors = [0.0, 100.0, 10000.0]
    y = [math.log1p(e) / math.log1p(20039) for e in errors]
    assert error_auc(errors) == pytest.approx(0.5 * (y[0] + y[1]) / 2 + 0.5 * (y[1] + y[2]) / 2)
    assert error_auc([10000.0, 0.0, 100.0]) == pytest.approx(error_auc(errors))  # order-free


def test_geoparsing_recognition_and_resolution():
    text = "Floods hit Lyon and Bordeaux, France."
    gold = {"text": text, "toponyms": [span(text, "Lyon", lat=45.76, lon=4.84),
                                       span(text, "Bordeaux", lat=44.84, lon=-0.58),
                                       span(text, "France", lat=46.0, lon=2.0)]}
    pred = {"places": [span(text, "Lyon", lat=45.76, lon=4.84),  # exact, 0 km
                       span(text, "Bordeaux, France", lat=48.85, lon=2.35),  # overlap, Paris
                       span(text, "Floods", lat=None, lon=None)]}  # false positive
    scores = by_metric(score_geoparsing([gold], [pred]))
    exact, overlap = scores["toponyms exact"], scores["toponyms overlap"]
    assert (exact.tp, exact.fp, exact.fn) == (1, 2, 2)
    assert exact.extra["acc@161"] == 1.0 and exact.extra["mean_error_km"] == pytest.approx(0.0)
    assert (overlap.tp, overlap.fp, overlap.fn) == (2, 1, 1)
    assert overlap.extra["resolved"] == 2
    assert overlap.extra["acc@161"] == 0.5
    bordeaux_to_paris = haversine_km(44.84, -0.58, 48.85, 2.35)
    assert overlap.extra["mean_error_km"] == pytest.approx(bordeaux_to_paris / 2)


def test_geoparsing_without_coordinates_reports_no_resolution():
    text = "Rain in Oslo."
    gold = {"text": text, "toponyms": [span(text, "Oslo", lat=59.9, lon=10.7)]}
    pred = {"places": [span(text, "Oslo", lat=None, lon=None)]}
    extra = score_geoparsing([gold], [pred])[0].extra
    assert extra["resolved"] == 0 and extra["auc"] is None


def muc_record(*counts, incident_type="ATTACK") -> dict:
    return {"templates": [{"incident_type": incident_type, "hum_tgt_counts": [
        {"number_int": number, "effects": effects} for number, effects in counts]}]}


def test_gold_headcounts_are_victim_pairs():
    record = muc_record((5, ["DEATH"]), (3, ["INJURY"]), (None, ["DEATH"]),
                        (2, ["DEATH", "INJURY"]), (5, ["DEATH"]), (4, []), (6, ["NO DEATH"]),
                        (1, ["DEATH"]))
    pairs = [(set(p.numbers), set(p.categories), p.optional) for p in gold_headcounts(record)]
    # no effect and "NO DEATH" name no victims; repeated counts are kept once; 1 is optional
    assert pairs == [({5}, {"killed"}, False), ({3}, {"injured"}, False),
                     ({2}, {"killed", "injured"}, False), ({1}, {"killed"}, True)]
    kidnapping = gold_headcounts(muc_record((2, []), incident_type="KIDNAPPING"))
    assert [(set(p.numbers), set(p.categories)) for p in kidnapping] == [({2}, {"kidnapped"})]


def test_headcounts_victim_pairs():
    gold = [muc_record((5, ["DEATH"]), (3, ["INJURY"]), (1, ["DEATH"]), (8, ["NO INJURY"])),
            {"templates": []}]
    pred = [{"headcounts": [{"low": 5, "high": None, "category": "killed"},
                            {"low": 5, "high": 5, "category": "killed"},   # same pair again
                            {"low": None, "high": 3, "category": "killed"},  # wrong category
                            {"low": 8, "high": 8, "category": "killed"},   # not a victim
                            {"low": 40, "high": 40, "category": "troops"},  # not scored
                            {"low": 24, "high": None, "category": "killed",
                             "qualifier": "vague"},                        # no stated number
                            {"low": 630, "high": 630, "category": "killed",
                             "is_tally": True}]},                          # a period's sum
            {"headcounts": [{"low": 7, "high": 7, "category": "killed"},   # irrelevant article
                            {"low": 7, "high": 7, "category": "other"}]}]
    victims, all_victim_types, everything = score_headcounts(gold, pred)
    assert (victims.tp, victims.fp, victims.fn) == (1, 3, 1)  # the optional 1 is no miss
    assert victims.extra == {"fp_irrelevant_articles": 1}
    assert (all_victim_types.tp, all_victim_types.fp) == (victims.tp, victims.fp)  # no sides
    assert everything.metric == "all counts (number)" and everything.fp > victims.fp


def test_headcounts_leave_out_combatants_muc4_does_not_template():
    """Soldiers and guerrillas killed in a clash are in no MUC-4 template; police are."""
    gold = [muc_record((9, ["DEATH"])), {"templates": []}]
    pred = [{"headcounts": [{"low": 9, "high": 9, "category": "killed",
                             "victim_type": "security_forces"},            # templated
                            {"low": 2, "high": 2, "category": "killed",
                             "victim_type": "military"},                   # army side
                            {"low": 3, "high": 3, "category": "injured",
                             "victim_type": "armed_group"}]},              # guerrilla side
            {"headcounts": [{"low": 1, "high": 1, "category": "killed",
                             "victim_type": "armed_group"},                # irrelevant article
                            {"low": 4, "high": 4, "category": "killed",
                             "victim_type": None}]}]                       # side unknown: kept
    victims, all_victim_types, _ = score_headcounts(gold, pred)
    assert (victims.tp, victims.fp, victims.fn) == (1, 1, 0)
    assert victims.extra == {"fp_irrelevant_articles": 1}
    assert all_victim_types.metric == "number+victim category, all victim types"
    assert (all_victim_types.tp, all_victim_types.fp, all_victim_types.fn) == (1, 4, 0)
    assert all_victim_types.extra == {"fp_irrelevant_articles": 2}


ACTORS = ActorLookup({"ARN": ["ARNOR"], "GON": ["GONDOR", "MINAS TIRITH"],
                      "ITHMIL": ["ITHILEN MILITARY"], "ITH": ["ITHILEN"]})


def test_actor_lookup():
    assert ACTORS.code_for("Arnor") == "ARN"
    assert ACTORS.code_for("the Ithilen military") == "ITHMIL"  # longest name wins
    assert ACTORS.code_for("officials in Minas Tirith") == "GON"
    assert ACTORS.code_for("Gondor and Ithilen leaders") == "GON"  # leftmost name wins
    assert ACTORS.code_for("Mordor") is None and ACTORS.code_for(None) is None


def test_events_root_and_actors():
    gold = [{"events": [{"source": "ARNGOV", "target": "GON", "code": "064"},
                        {"source": "GON", "target": "ARN", "code": "1721"}]},
            {"events": [], "noevents": True}]
    pred = [{"events": [{"cameo": "061", "actor1": "Arnor", "actor2": "Gondor"},
                        {"cameo": "173", "actor1": "Gondor", "actor2": None}]},
            {"events": [{"cameo": "042", "actor1": None, "actor2": None}]}]
    scores = by_metric(score_events(gold, pred, ACTORS))
    assert (scores["root"].tp, scores["root"].fp, scores["root"].fn) == (2, 1, 0)
    actors = scores["root+actors"]
    assert (actors.tp, actors.fp, actors.fn) == (1, 2, 1)


def test_a_gold_actor_of_unknown_country_matches_an_uncoded_prediction():
    """PETRARCH writes "---GOV" for a government whose country the sentence does not say."""
    lookup = ActorLookup({"ARN": ["ARNOR"], "---": ["BOROMIR"]})
    gold = [{"events": [{"source": "---GOV", "target": "ARN", "code": "010"}]}]
    for actor1 in ("the government", "Boromir"):
        pred = [{"events": [{"cameo": "010", "actor1": actor1, "actor2": "Arnor"}]}]
        headline = score_events(gold, pred, lookup)[0]
        assert (headline.tp, headline.fp, headline.fn) == (1, 0, 0), actor1


def test_events_with_no_predictions_still_score():
    gold = [{"events": [{"source": "ARN", "target": "GON", "code": "064"}]}]
    scores = score_events(gold, [{"events": []}])
    assert [s.metric for s in scores] == ["root+actors", "root", "actors"]  # headline first
    assert [(s.tp, s.fp, s.fn, s.f1) for s in scores] == [(0, 0, 1, 0.0)] * 3


def test_events_match_one_to_one_and_skip_error_records():
    gold = [{"events": [{"source": "ARN", "target": "GON", "code": "064"}]},
            {"events": [], "noevents": False, "error": "bad_input_parse"}]
    twice = {"cameo": "064", "actor1": "Arnor", "actor2": "Gondor"}
    pred = [{"events": [twice, twice]}, {"events": [twice]}]
    headline = by_metric(score_events(gold, pred, ACTORS))["root+actors"]
    # the second copy reproduces nothing; the error record counts neither way
    assert (headline.tp, headline.fp, headline.fn) == (1, 1, 0)
    assert headline.extra["skipped_error_records"] == 1


def test_gold_actors_actors_json_cannot_code_are_unknown():
    gold = [{"events": [{"source": "ZIMGOV", "target": "GON", "code": "064"},
                        {"source": "---GOV", "target": "---", "code": "023"}]}]
    pred = [{"events": [{"cameo": "064", "actor1": "Zimbabwe", "actor2": "Gondor"},
                        {"cameo": "023", "actor1": "a senior official", "actor2": None}]}]
    headline = by_metric(score_events(gold, pred, ACTORS))["root+actors"]
    assert (headline.tp, headline.fp, headline.fn) == (2, 0, 0)


def test_actor_lookup_word_ends_leading_the_and_multi_actor_codes():
    lookup = ActorLookup({"UNO": ["UN "], "IGOAFR": ["THE AU"], "FRO/BIL/SAM": ["THE SHIRE"],
                          "ARN": ["ARNOR"]})
    assert lookup.code_for("union leaders") is None and lookup.code_for("the UN") == "UNO"
    assert lookup.code_for("AU") == "IGOAFR"  # extracted actors never start with "the"
    assert lookup.code_for("Arnorian embassy spokesman") == "ARN"
    assert lookup.countries_for("Shire") == ["FRO", "BIL", "SAM"]
    gold = [{"events": [{"source": s, "target": "ARN", "code": "064"} for s in ("FRO", "SAM")]}]
    pred = [{"events": [{"cameo": "064", "actor1": "Shire", "actor2": "Arnor"}]}]
    headline = by_metric(score_events(gold, pred, lookup))["root+actors"]
    assert (headline.tp, headline.fp, headline.fn) == (2, 1, 0)  # one event per coded pair


def test_format_scores_is_a_table():
    table = format_scores([score_from_counts("geoparsing", "toponyms exact", 3, 1, 2,
                                             {"acc@161": 0.5, "auc": None})])
    header, rule, row = table.splitlines()
    assert header.split()[:6] == ["task", "metric", "P", "R", "F1", "support"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert "0.750" in row and "0.600" in row and "acc@161=0.500" in row and "auc=-" in row


def test_selected_tasks():
    assert selected_tasks(None) == ["entities", "timexes", "geoparsing", "headcounts", "events"]
    assert selected_tasks(["wikinews", "entities"]) == ["entities", "timexes"]
    with pytest.raises(UnknownTask, match="unknown evaluation task 'ner'"):
        selected_tasks(["ner"])


def test_wikinews_entities_on_gold_data(eval_dir, nlp):
    scores = by_metric(run_evaluation(eval_dir, only=["entities"], limit=5, nlp=nlp))
    exact, overlap = scores["micro exact"], scores["micro overlap"]
    assert exact.support > 30
    assert exact.f1 >= WIKINEWS_ENTITY_F1_FLOOR
    assert overlap.f1 >= exact.f1
    # The raw trained pipeline is scored in the same run, and newsdesk's rules must beat it.
    raw = scores["raw spaCy micro exact"]
    assert raw.support == exact.support
    assert exact.f1 - raw.f1 >= WIKINEWS_ENTITY_GAIN_FLOOR
    assert exact.extra["gain_pts"] == pytest.approx(100 * (exact.f1 - raw.f1), abs=0.1)
