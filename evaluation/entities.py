"""Score named people, organisations and places against MEANTIME (Wikinews) mentions.

newsdesk and the raw trained spaCy pipeline are scored on the same gold in the same run, so the
gain of newsdesk's rules over the model it starts from is visible line by line.
"""

from __future__ import annotations

from collections.abc import Sequence

from evaluation.entity_conventions import name_core_mentions
from evaluation.scores import Score, match_spans, score_from_counts

__all__ = ["GOLD_TO_LABEL", "RAW_PREFIX", "gold_mentions", "score_entities",
           "score_entities_against_baseline", "without_leading_the"]

TASK = "wikinews entities"
#: Metric prefix of the raw spaCy lines ("raw spaCy micro exact").
RAW_PREFIX = "raw spaCy"
#: Lines scored on MEANTIME's unmodified name spans (titles, descriptors kept inside).
STRICT_PREFIX = "meantime-span"
#: Gold MEANTIME types and the contract label each is compared with.
GOLD_TO_LABEL = {"PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "PLACE"}
LABEL_NAMES = {"PERSON": "PERSON", "ORG": "ORG", "PLACE": "PLACE"}
MODES = ("exact", "overlap")


def without_leading_the(mention: dict) -> dict:
    """Return the mention without a leading "the " (MEANTIME keeps it; the contract never does)."""
    text = mention["text"]
    if text[:4].lower() == "the " and len(text) > 4:
        return dict(mention, start=mention["start"] + 4, text=text[4:])
    return mention


def gold_mentions(record: dict, core_names: bool = True) -> tuple[list[dict], list[dict]]:
    """Return (scored, unscored) gold mentions of a MEANTIME record, with contract labels.

    Scored: proper names (NAM) of the three types, reduced to the flat news-NER span
    convention (no "the", title, descriptor, owner or apposition; see entity_conventions).
    Unscored: everything else annotated — NOM, PRE.NAM parts, untyped spans, and the original
    spans the convention changed. A prediction landing on one of these is neither right nor
    wrong: MEANTIME annotates "Boeing-Air Force" as a pre-modifier name and "Force" as an
    organisation part, so a tagger finding either should not be charged a false positive.
    """
    named, unscored = [], []
    for mention in record.get("entities", []):
        typed = mention.get("type") in GOLD_TO_LABEL
        labelled = dict(without_leading_the(mention), label=GOLD_TO_LABEL.get(mention.get("type")))
        if typed and mention.get("syntactic_type") == "NAM":
            named.append(labelled)
        elif typed or mention.get("type") is None:
            unscored.append(labelled)
    if not core_names:
        return named, unscored
    scored, changed = name_core_mentions(named)
    return scored, unscored + changed


def _predicted(record: dict, limit_chars: int | None) -> list[dict]:
    """Return predicted PERSON/ORG/PLACE entities inside the scored (doc-level) text."""
    return [entity for entity in record.get("entities", [])
            if entity.get("label") in LABEL_NAMES
            and (limit_chars is None or entity["end"] <= limit_chars)]


def score_entities(gold: Sequence[dict], predicted: Sequence[dict],
                   prefix: str = "", core_names: bool = True) -> list[Score]:
    """Return per-type and micro-averaged P/R/F1, exact spans then overlapping spans.

    `gold` are MEANTIME doc-level records; `predicted` the contract records in the same order;
    `prefix` starts every metric name (the raw spaCy lines use RAW_PREFIX); `core_names`
    False scores MEANTIME's own spans (titles and descriptors inside names) instead.
    """
    lead = f"{prefix} " if prefix else ""
    scores: list[Score] = []
    golds = [gold_mentions(record, core_names) for record in gold]
    for mode in MODES:
        counts = {label: [0, 0, 0, 0] for label in LABEL_NAMES}  # tp, fp, fn, ignored
        for gold_record, (scored, unscored), pred_record in zip(gold, golds, predicted,
                                                                strict=True):
            limit = gold_record.get("doc_level_end") or len(gold_record.get("text") or "")
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
            scores.append(score_from_counts(TASK, f"{lead}{label} {mode}", tp, fp, fn,
                                            {"ignored": ignored}))
        total = [sum(c[i] for c in counts.values()) for i in range(4)]
        scores.append(score_from_counts(TASK, f"{lead}micro {mode}", *total[:3],
                                        {"ignored": total[3]}))
    return scores


def score_entities_against_baseline(gold: Sequence[dict], predicted: Sequence[dict],
                                    baseline: Sequence[dict]) -> list[Score]:
    """Score newsdesk and the raw spaCy baseline; newsdesk lines carry the F1 gain in points.

    Each newsdesk line gets `raw_f1` (the baseline's F1 on the same line) and `gain_pts`
    (100 × the F1 difference); the baseline's own lines follow, prefixed RAW_PREFIX.
    """
    ours = score_entities(gold, predicted)
    raw = score_entities(gold, baseline, prefix=RAW_PREFIX)
    # The same micro figures on MEANTIME's own spans, so the convention's effect stays visible.
    ours += [s for s in score_entities(gold, predicted, prefix=STRICT_PREFIX, core_names=False)
             if "micro" in s.metric]
    raw += [s for s in score_entities(gold, baseline, prefix=f"{RAW_PREFIX} {STRICT_PREFIX}",
                                      core_names=False) if "micro" in s.metric]
    for mine, theirs in zip(ours, raw, strict=True):
        mine.extra["raw_f1"] = theirs.f1
        mine.extra["gain_pts"] = round(100 * (mine.f1 - theirs.f1), 1)
    return ours + raw
