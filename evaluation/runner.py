"""Run the project's extraction over the gold data and score every task."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evaluation.entities import score_entities_against_baseline
from evaluation.events import ActorLookup, score_events
from evaluation.geoparsing import score_geoparsing
from evaluation.gold import (
    DEFAULT_EVAL_DIR,
    GoldDataMissing,
    predict,
    predict_raw_spacy,
    read_jsonl,
)
from evaluation.headcounts import score_headcounts
from evaluation.scores import Score
from evaluation.timexes import score_timexes

__all__ = ["DATASETS", "TASKS", "UnknownTask", "run_evaluation"]


class UnknownTask(ValueError):
    """A task name passed to `only` that the evaluation does not know."""


@dataclass(frozen=True)
class Dataset:
    """A gold file set and the field holding each record's publication date."""

    name: str
    files: tuple[str, ...]
    date_field: str


@dataclass(frozen=True)
class Task:
    """A scorer and the dataset it reads."""

    dataset: str
    scorer: Callable[[Path, list[dict], list[dict]], list[Score]]


DATASETS = {
    "wikinews": Dataset("wikinews", ("wikinews/corpus_airbus.doclevel.jsonl",
                                     "wikinews/corpus_apple.doclevel.jsonl"), "dct"),
    "geovirus": Dataset("geovirus", ("geoparsing/geovirus.jsonl",), "published"),
    "muc4": Dataset("muc4", ("muc4/tst4.dev.jsonl",), "date"),
    "petrarch2": Dataset("petrarch2", ("petrarch2/validation.dev.jsonl",), "date"),
}

TASKS = {
    # Entities are also scored for the raw trained pipeline, so newsdesk's gain shows.
    "entities": Task("wikinews", lambda _, g, p: score_entities_against_baseline(
        g, p, predict_raw_spacy(g))),
    "timexes": Task("wikinews", lambda _, g, p: score_timexes(g, p)),
    "geoparsing": Task("geovirus", lambda _, g, p: score_geoparsing(g, p)),
    "headcounts": Task("muc4", lambda _, g, p: score_headcounts(g, p)),
    "events": Task("petrarch2", lambda eval_dir, g, p: score_events(
        g, p, ActorLookup.from_file(eval_dir / "petrarch2" / "actors.json"))),
}


def selected_tasks(only: list[str] | None) -> list[str]:
    """Return the task names to run: all, or those named (a dataset name selects its tasks)."""
    if not only:
        return list(TASKS)
    chosen: list[str] = []
    for name in only:
        key = name.strip().lower()
        names = [key] if key in TASKS else [t for t, task in TASKS.items() if task.dataset == key]
        if not names:
            known = ", ".join([*TASKS, *DATASETS])
            raise UnknownTask(f"unknown evaluation task {name!r}; choose from: {known}")
        chosen.extend(n for n in names if n not in chosen)
    return chosen


def load_gold(eval_dir: Path, dataset: Dataset, limit: int | None) -> list[dict]:
    """Return the dataset's gold records, the first `limit` of each file."""
    records: list[dict] = []
    for relative in dataset.files:
        records.extend(read_jsonl(eval_dir / relative, limit))
    return records


def run_evaluation(eval_dir: Path | str = DEFAULT_EVAL_DIR, only: list[str] | None = None,
                   limit: int | None = None, nlp=None) -> list[Score]:
    """Extract from the gold texts in `eval_dir` and return one Score per table line.

    `only` names tasks (entities, timexes, geoparsing, headcounts, events) or datasets
    (wikinews, geovirus, muc4, petrarch2); `limit` keeps the first N records of each gold file.
    Each dataset is extracted once even when several tasks score it.
    """
    eval_dir = Path(eval_dir)
    if not eval_dir.is_dir():
        raise GoldDataMissing(f"gold data folder {eval_dir} not found")
    cache: dict[str, tuple[list[dict], list[dict]]] = {}
    scores: list[Score] = []
    for name in selected_tasks(only):
        task = TASKS[name]
        if task.dataset not in cache:
            dataset = DATASETS[task.dataset]
            gold = load_gold(eval_dir, dataset, limit)
            cache[task.dataset] = (gold, predict(gold, dataset.date_field, nlp=nlp))
        gold, predicted = cache[task.dataset]
        scores.extend(task.scorer(eval_dir, gold, predicted))
    return scores
