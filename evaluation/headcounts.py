"""Score predicted victim headcounts against MUC-4 human-target counts and their effects.

The issue's measure: precision/recall/F1 of (number, killed/injured/kidnapped) pairs.

Gold pairs, per article (deduplicated: one incident is often coded in several templates):
- every `hum_tgt_counts` entry with a stated number: an integer (any alternative the
  annotators allowed, "12" or "15", matches) or an open or closed range of MUC's notation
  ("2 -" is how the keys write "at least two"; "- 12", "5 - 10"), whose stated numbers match;
  "PLURAL" and "~70" state no number and are skipped;
- its category from the effects: DEATH → killed, INJURY → injured (a group with both accepts
  either); a target of a KIDNAPPING incident → kidnapped. "NO DEATH", "NO INJURY",
  "REGAINED FREEDOM", … and no effect at all say nothing was done to the group: no pair, so a
  killed count predicted for them is a false positive;
- optional: counts of 1 (a single victim, "a policeman", "Msgr Romero", is named or described,
  rarely counted in the text) and counts in templates the annotators marked optional. A
  predicted pair matching an optional gold pair is a true positive; an unmatched optional pair
  is no false negative (MUC's own rule for optional slots);
- optional too: the template's "HUM TGT: TOTAL NUMBER" (slot 24 of MUC-4's template), which
  the keys fill with the stated total of the incident's target groups ("nine people were
  killed, among them two named judges": groups 7 and two 1s, total 9), with the category its
  groups share. A count of that total is a correct reading of the text, not a false positive;
  its groups stay the required pairs.

Predicted pairs, per article (deduplicated): headcounts whose category is killed, injured or
kidnapped and whose number is stated (vague "dozens" is not, just as gold's "PLURAL"), except
tallies (`is_tally`: "630 killed in November", "since 1980"): MUC-4 templates count one
incident's victims, and a tally sums many; and except counts of soldiers or of guerrillas
(`victim_type` `military` or `armed_group`, `transforms.headcount_victims`). That is MUC-4's
convention: its task definition ("what constitutes a relevant incident", template-doc part 1)
templates terrorist acts, whose targets may be almost anyone except a member of another
guerrilla group, or a military/police force of the perpetrator's own country, or one of its
members: a clash between the army and guerrillas is "a purely guerrilla act", not relevant,
and the soldiers and guerrillas it killed are in no template. Police (`security_forces`) stay
counted: the annotators templated attacks on police posts and patrols ("nine policemen"), and
the definition brings military targets back in when the same incident also hits civilians or
infrastructure, which a per-count filter cannot see (such counts are lost, a known cost).
Also left out: the toll of a natural disaster, a disease or an accident (`cause`,
`transforms.headcount_cause`): MUC-4 templates terrorist acts only, so a hurricane's dead
are in no template, whatever their number. Articles without templates are irrelevant to
terrorism: every victim count predicted there is a false positive. Two diagnostic lines
follow: the same pairs with every victim type (the figure before the filter), and every
predicted count by its number alone (all categories).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evaluation.scores import Score, score_from_counts

__all__ = ["EFFECT_CATEGORIES", "NOT_TEMPLATED_VICTIM_TYPES", "VICTIM_CATEGORIES", "GoldPair",
           "gold_headcounts", "predicted_pairs", "score_headcounts"]

TASK = "muc4 headcounts"
VICTIM_CATEGORIES = frozenset({"killed", "injured", "kidnapped"})
#: MUC-4 "effect of incident" values naming a victim category; the others ("NO DEATH", …) none.
EFFECT_CATEGORIES = {"DEATH": "killed", "INJURY": "injured"}
#: The incident type that makes every target a victim of that category.
INCIDENT_CATEGORIES = {"KIDNAPPING": "kidnapped"}
#: Victims MUC-4 never templates on their own: combatants of an army-guerrilla clash.
NOT_TEMPLATED_VICTIM_TYPES = frozenset({"military", "armed_group"})


@dataclass(frozen=True)
class GoldPair:
    """One gold count: the numbers it may be written as, the categories it accepts."""

    numbers: frozenset[int]
    categories: frozenset[str]
    optional: bool


#: MUC's number notation: "12", an open range "2 -" / "- 12", or a range "5 - 10".
_MUC_NUMBER = re.compile(r"^(\d+)?\s*(-)?\s*(\d+)?$")


def _stated_numbers(text: str) -> set[int]:
    """Return the numbers a MUC number fill states: "4", "2 -" (at least 2), "5 - 10"."""
    match = _MUC_NUMBER.match(text.strip())
    if match is None or not (match.group(1) or match.group(3)) \
            or (match.group(1) and match.group(3) and not match.group(2)):
        return set()
    return {int(g) for g in (match.group(1), match.group(3)) if g}


def _integers(count: dict) -> frozenset[int]:
    numbers = {count.get("number_int")}
    for alternative in [count.get("number"), *(count.get("number_alternatives") or [])]:
        if alternative is not None:
            numbers |= _stated_numbers(str(alternative))
    return frozenset(n for n in numbers if isinstance(n, int) and not isinstance(n, bool) and n > 0)


def _categories(effects: Sequence[str], incident_type: str | None) -> frozenset[str]:
    """Return the victim categories a gold group's effects and incident type name."""
    categories = {EFFECT_CATEGORIES[e.strip().upper()] for e in effects
                  if e.strip().upper() in EFFECT_CATEGORIES}
    if (incident := INCIDENT_CATEGORIES.get((incident_type or "").strip().upper())):
        categories.add(incident)
    return frozenset(categories)


def _total_pair(template: dict) -> tuple[frozenset[int], frozenset[str]] | None:
    """Return the template's stated total of targets (slot 24) with its groups' shared category."""
    total = template.get("hum_tgt_total_number")
    numbers = frozenset(_stated_numbers(str(total))) if total is not None else frozenset()
    groups = [_categories(count.get("effects") or [], template.get("incident_type"))
              for count in template.get("hum_tgt_counts") or []]
    if not numbers or not groups:
        return None
    shared = frozenset.intersection(*groups)
    return (numbers, shared) if shared else None


def gold_headcounts(record: dict) -> list[GoldPair]:
    """Return the article's distinct gold victim pairs (see the module docstring)."""
    seen: dict[tuple[frozenset[int], frozenset[str]], bool] = {}
    for template in record.get("templates") or []:
        for count in template.get("hum_tgt_counts") or []:
            numbers = _integers(count)
            categories = _categories(count.get("effects") or [], template.get("incident_type"))
            if not numbers or not categories:
                continue
            optional = bool(template.get("optional") or count.get("optional")) \
                or count.get("number_int") == 1 or numbers == {1}
            key = (numbers, categories)
            seen[key] = seen.get(key, True) and optional  # required once → required
        if (total := _total_pair(template)) is not None:
            seen[total] = seen.get(total, True)  # a total alone is optional
    return [GoldPair(numbers, categories, optional)
            for (numbers, categories), optional in seen.items()]


def _numbers(headcount: dict) -> frozenset[int]:
    return frozenset(v for v in (headcount.get("low"), headcount.get("high")) if v is not None)


def predicted_pairs(headcounts: Sequence[dict],
                    excluded_victim_types: frozenset[str] = NOT_TEMPLATED_VICTIM_TYPES,
                    ) -> list[tuple[frozenset[int], str]]:
    """Return the distinct (numbers, category) victim pairs of an article's headcounts.

    Tallies, disaster and accident tolls, and counts whose `victim_type` is in
    `excluded_victim_types` are left out (pass an empty set for every victim type).
    """
    pairs: dict[tuple[frozenset[int], str], None] = {}
    for headcount in headcounts:
        category = headcount.get("category")
        numbers = _numbers(headcount)
        if category in VICTIM_CATEGORIES and numbers and headcount.get("qualifier") != "vague" \
                and not headcount.get("is_tally") and headcount.get("cause") is None \
                and headcount.get("victim_type") not in excluded_victim_types:
            pairs.setdefault((numbers, category), None)
    return list(pairs)


def _score_pairs(gold: list[GoldPair], predicted: list[tuple[frozenset[int], str]]
                 ) -> tuple[int, int, int]:
    """Return (tp, fp, fn), matching pairs one to one; required gold pairs are tried first."""
    used: set[int] = set()
    tp = fn = 0
    for pair in sorted(gold, key=lambda p: p.optional):
        match = next((i for i, (numbers, category) in enumerate(predicted)
                      if i not in used and numbers & pair.numbers
                      and category in pair.categories), None)
        if match is not None:
            used.add(match)
            tp += 1
        elif not pair.optional:
            fn += 1
    return tp, len(predicted) - len(used), fn


def _score_all_numbers(gold_records: Sequence[dict], predicted: Sequence[dict]) -> Score:
    """Diagnostic: every predicted count (any category) against every gold integer count."""
    tp = fp = fn = 0
    for gold_record, pred_record in zip(gold_records, predicted, strict=True):
        gold_numbers = {c["number_int"] for t in gold_record.get("templates") or []
                        for c in t.get("hum_tgt_counts") or []
                        if isinstance(c.get("number_int"), int)}
        found = [_numbers(h) for h in pred_record.get("headcounts", [])]
        hit = {n for n in gold_numbers if any(n in numbers for numbers in found)}
        tp += len(hit)
        fn += len(gold_numbers) - len(hit)
        fp += sum(1 for numbers in found if not numbers & hit)
    return score_from_counts(TASK, "all counts (number)", tp, fp, fn)


def _score_victims(gold: Sequence[dict], predicted: Sequence[dict], metric: str,
                   excluded_victim_types: frozenset[str]) -> Score:
    tp = fp = fn = fp_irrelevant = 0
    for gold_record, pred_record in zip(gold, predicted, strict=True):
        pairs = predicted_pairs(pred_record.get("headcounts", []), excluded_victim_types)
        t, f, n = _score_pairs(gold_headcounts(gold_record), pairs)
        tp, fp, fn = tp + t, fp + f, fn + n
        if not gold_record.get("templates"):
            fp_irrelevant += f
    return score_from_counts(TASK, metric, tp, fp, fn, {"fp_irrelevant_articles": fp_irrelevant})


def score_headcounts(gold: Sequence[dict], predicted: Sequence[dict]) -> list[Score]:
    """Return P/R/F1 of (number, victim category) pairs, then the two diagnostics."""
    return [
        _score_victims(gold, predicted, "number+victim category", NOT_TEMPLATED_VICTIM_TYPES),
        _score_victims(gold, predicted, "number+victim category, all victim types", frozenset()),
        _score_all_numbers(gold, predicted),
    ]
