"""Score named people, organisations and places against MEANTIME (Wikinews) mentions."""

from __future__ import annotations

from collections.abc import Sequence

from evaluation.scores import Score, match_spans, score_from_counts

__all__ = ["GOLD_TO_LABEL", "score_entities", "without_leading_the"]

TASK = "wikinews entities"
#: Gold MEANTIME types and the contract label each is compared with.
GOLD_TO_LABEL = {"PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "PLACE"}
LABEL_NAMES = {"PERSON": "PERSON", "ORG": "ORG", "PLACE": "PLACE"}


def without_leading_the(mention: dict) -> dict:
    """Return the mention without a leading "the " (MEANTIME keeps it; the contract never does)."""
    text = mention["text"]
    if text[:4].lower() == "the " and len(text) > 4:
        return dict(mention, start=mention["start"] + 4, text=text[4:])
    return mention


def _scored_gold(record: dict) -> list[dict]:
    """Return the gold proper-name mentions (NAM) of the three scored types, with labels."""
    return [dict(without_leading_the(mention), label=GOLD_TO_LABEL[mention["type"]])
            for mention in record.get("entities", [])
            if mention.get("syntactic_type") == "NAM" and mention.get("type") in GOLD_TO_LABEL]


def _unscored_gold(record: dict) -> list[dict]:
    """Return gold mentions that are annotated but not scored (NOM, PRE.NAM parts, untyped).

    A prediction landing on one of these is neither right nor wrong: MEANTIME annotates
    "Boeing-Air Force" as a pre-modifier name and "Force" as an organisation part, so a
    tagger finding either should not be charged a false positive.
    """
    return [dict(without_leading_the(mention), label=GOLD_TO_LABEL.get(mention.get("type")))
            for mention in record.get("entities", [])
            if not (mention.get("syntactic_type") == "NAM" and mention.get("type") in GOLD_TO_LABEL)
            and mention.get("type") in (*GOLD_TO_LABEL, None)]


def _predicted(record: dict, limit_chars: int | None) -> list[dict]:
    """Return predicted PERSON/ORG/PLACE entities inside the scored (doc-level) text."""
    return [entity for entity in record.get("entities", [])
            if entity.get("label") in LABEL_NAMES
            and (limit_chars is None or entity["end"] <= limit_chars)]


def score_entities(gold: Sequence[dict], predicted: Sequence[dict]) -> list[Score]:
    """Return per-type and micro-averaged P/R/F1, exact spans then overlapping spans.

    `gold` are MEANTIME doc-level records; `predicted` the contract records in the same order.
    """
    scores: list[Score] = []
    for mode in ("exact", "overlap"):
        counts = {label: [0, 0, 0, 0] for label in LABEL_NAMES}  # tp, fp, fn, ignored
        for gold_record, pred_record in zip(gold, predicted, strict=True):
            limit = gold_record.get("doc_level_end") or len(gold_record.get("text") or "")
            scored = _scored_gold(gold_record)
            unscored = _unscored_gold(gold_record)
            for label in LABEL_NAMES:
                g = [m for m in scored if m["label"] == label]
                p = [e for e in _predicted(pred_record, limit) if e["label"] == label]
                pairs = match_spans(g, p, mode)
                matched = {p_index for _, p_index in pairs}
                rest = [e for i, e in enumerate(p) if i not in matched]
                neutral = match_spans(
                    rest, [m for m in unscored if m["label"] in (label, None)], mode)
                counts[label][0] += len(pairs)
                counts[label][1] += len(rest) - len(neutral)
                counts[label][2] += len(g) - len(pairs)
                counts[label][3] += len(neutral)
        for label, (tp, fp, fn, ignored) in counts.items():
            scores.append(score_from_counts(TASK, f"{label} {mode}", tp, fp, fn,
                                            {"ignored": ignored}))
        total = [sum(c[i] for c in counts.values()) for i in range(4)]
        scores.append(score_from_counts(TASK, f"micro {mode}", *total[:3],
                                        {"ignored": total[3]}))
    return scores
