"""Score records and span matching shared by every scorer: P/R/F1 counts and one-to-one matches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["MatchMode", "Score", "match_spans", "overlaps", "score_from_counts"]

#: "exact": same start and end; "overlap": the spans share at least one character.
MatchMode = str
MATCH_MODES: tuple[MatchMode, ...] = ("exact", "overlap")


@dataclass
class Score:
    """One line of the evaluation table: counts, P/R/F1 and task-specific extra metrics."""

    task: str
    metric: str
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    extra: dict = field(default_factory=dict)

    @property
    def support(self) -> int:
        """Return the number of gold items (true positives plus false negatives)."""
        return self.tp + self.fn

    def to_dict(self) -> dict:
        """Return a JSON-friendly dict including the support."""
        return {"task": self.task, "metric": self.metric, "tp": self.tp, "fp": self.fp,
                "fn": self.fn, "precision": self.precision, "recall": self.recall,
                "f1": self.f1, "support": self.support, "extra": dict(self.extra)}


def score_from_counts(task: str, metric: str, tp: int, fp: int, fn: int,
                      extra: dict | None = None) -> Score:
    """Build a Score from counts; an empty denominator gives 0.0, not an error."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(task, metric, tp, fp, fn, precision, recall, f1, dict(extra or {}))


def overlaps(a: dict, b: dict) -> int:
    """Return how many characters two spans (dicts with start/end) share."""
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def match_spans(
    gold: Sequence[dict],
    predicted: Sequence[dict],
    mode: MatchMode = "exact",
    compatible: Callable[[dict, dict], bool] | None = None,
) -> list[tuple[int, int]]:
    """Pair gold and predicted spans one to one; return (gold index, predicted index) pairs.

    Exact mode pairs identical offsets. Overlap mode gives each gold span, in order, the
    still-unpaired prediction sharing the most characters with it (ties: the earlier one).
    `compatible(gold, pred)` can further restrict pairs (e.g. to the same entity type).
    """
    if mode not in MATCH_MODES:
        raise ValueError(f"unknown match mode {mode!r}; use one of {', '.join(MATCH_MODES)}")
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for g_index, g in enumerate(gold):
        best, best_overlap = None, 0
        for p_index, p in enumerate(predicted):
            if p_index in used or (compatible is not None and not compatible(g, p)):
                continue
            if mode == "exact":
                if p["start"] == g["start"] and p["end"] == g["end"]:
                    best = p_index
                    break
            else:
                shared = overlaps(g, p)
                if shared > best_overlap:
                    best, best_overlap = p_index, shared
        if best is not None:
            used.add(best)
            pairs.append((g_index, best))
    return pairs
