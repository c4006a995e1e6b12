"""Score predicted headcounts against MUC-4 human-target counts and their effects."""

from __future__ import annotations

from collections.abc import Sequence

from evaluation.scores import Score, score_from_counts

__all__ = ["EFFECT_CATEGORIES", "gold_headcounts", "score_headcounts"]

TASK = "muc4 headcounts"
#: MUC-4 "effect of incident" values and the contract `category` they correspond to.
EFFECT_CATEGORIES = {
    "DEATH": "killed",
    "INJURY": "injured",
    "NO DEATH": "people",
    "NO INJURY": "people",
    "NO INJURY OR DEATH": "people",
}
#: With no effect given, the incident type says what happened to the targets.
INCIDENT_CATEGORIES = {"KIDNAPPING": "kidnapped"}


def _categories(effects: Sequence[str], incident_type: str | None) -> frozenset[str]:
    """Return the categories a predicted count may carry to describe this gold group."""
    categories = {EFFECT_CATEGORIES.get(effect.strip().upper(), "other") for effect in effects}
    if not categories:
        categories = {INCIDENT_CATEGORIES.get((incident_type or "").upper(), "people")}
    return frozenset(categories)


def gold_headcounts(record: dict) -> list[tuple[int, frozenset[str]]]:
    """Return one (number, accepted categories) pair per distinct integer count in the article.

    Counts repeated across an article's templates (one incident coded twice) are kept once;
    counts that are not integers ("PLURAL", "~70") are skipped.
    """
    seen: dict[tuple[int, frozenset[str]], None] = {}
    for template in record.get("templates") or []:
        for count in template.get("hum_tgt_counts") or []:
            number = count.get("number_int")
            if not isinstance(number, int) or isinstance(number, bool):
                continue
            key = (number, _categories(count.get("effects") or [], template.get("incident_type")))
            seen.setdefault(key, None)
    return list(seen)


def _numbers(headcount: dict) -> set[int]:
    return {value for value in (headcount.get("low"), headcount.get("high")) if value is not None}


def _match(gold: list[tuple[int, frozenset[str]]], predicted: list[dict],
           with_category: bool) -> set[int]:
    """Return the indexes of the predicted counts paired one to one with gold counts."""
    used: set[int] = set()
    for number, categories in gold:
        for index, headcount in enumerate(predicted):
            if index in used or number not in _numbers(headcount):
                continue
            if with_category and headcount.get("category") not in categories:
                continue
            used.add(index)
            break
    return used


def score_headcounts(gold: Sequence[dict], predicted: Sequence[dict]) -> list[Score]:
    """Return P/R/F1 of number matches, then of number plus category matches.

    A predicted count matches a gold count when its `low` or `high` equals the gold number.
    Articles without templates have no gold counts, so every count predicted there is a
    false positive (MUC-4's irrelevant articles test precision).
    """
    scores: list[Score] = []
    for with_category, metric in ((False, "number"), (True, "number+category")):
        tp = fp = fn = fp_other = 0
        for gold_record, pred_record in zip(gold, predicted, strict=True):
            g = gold_headcounts(gold_record)
            p = list(pred_record.get("headcounts", []))
            matched = _match(g, p, with_category)
            tp += len(matched)
            fp += len(p) - len(matched)
            fn += len(g) - len(matched)
            fp_other += sum(1 for i, h in enumerate(p)
                            if i not in matched and h.get("category") == "other")
        # How many false positives the extractor itself labelled "other" (not people).
        scores.append(score_from_counts(TASK, metric, tp, fp, fn, {"fp_category_other": fp_other}))
    return scores
