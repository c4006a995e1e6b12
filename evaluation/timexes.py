"""Score predicted date expressions against TIMEX3 annotations (MEANTIME / Wikinews)."""

from __future__ import annotations

from collections.abc import Sequence

from evaluation.scores import Score, match_spans, score_from_counts

__all__ = ["score_timexes"]

TASK = "wikinews timexes"


def score_timexes(gold: Sequence[dict], predicted: Sequence[dict]) -> list[Score]:
    """Return span P/R/F1 (exact, overlap), value accuracy over matched spans, and value F1.

    Value accuracy is the share of matched pairs whose predicted TIMEX3 `value` equals the
    gold `value` ("2004-11-24", "P1W", "PRESENT_REF").
    """
    scores: list[Score] = []
    for mode in ("exact", "overlap"):
        tp = fp = fn = same_value = 0
        for gold_record, pred_record in zip(gold, predicted, strict=True):
            limit = gold_record.get("doc_level_end") or len(gold_record.get("text") or "")
            g = list(gold_record.get("timexes", []))
            p = [d for d in pred_record.get("dates", []) if d["end"] <= limit]
            pairs = match_spans(g, p, mode)
            tp += len(pairs)
            fp += len(p) - len(pairs)
            fn += len(g) - len(pairs)
            same_value += sum(1 for gi, pi in pairs if p[pi].get("value") == g[gi].get("value"))
        extra = {"value_accuracy": same_value / tp if tp else 0.0, "value_correct": same_value}
        scores.append(score_from_counts(TASK, f"span {mode}", tp, fp, fn, extra))
        if mode == "overlap":
            # Value F1 (TempEval-3 style): a hit is an overlapping span with the gold value;
            # every other prediction is a false positive, every other gold timex a miss.
            predicted_total, gold_total = tp + fp, tp + fn
            scores.append(score_from_counts(TASK, "value (overlap)", same_value,
                                            predicted_total - same_value,
                                            gold_total - same_value))
    return scores
