"""newsdesk evaluation: score the project's extraction against the shared gold data.

    from evaluation import run_evaluation, format_scores
    print(format_scores(run_evaluation(Path("../shared/eval"), only=["entities"], limit=5)))
"""

from evaluation.entities import score_entities
from evaluation.events import ActorLookup, score_events
from evaluation.geoparsing import error_auc, haversine_km, score_geoparsing
from evaluation.gold import DEFAULT_EVAL_DIR, GoldDataMissing
from evaluation.headcounts import score_headcounts
from evaluation.report import format_scores
from evaluation.runner import DATASETS, TASKS, UnknownTask, run_evaluation
from evaluation.scores import Score, match_spans, score_from_counts
from evaluation.timexes import score_timexes

__all__ = [
    "DATASETS",
    "DEFAULT_EVAL_DIR",
    "TASKS",
    "ActorLookup",
    "GoldDataMissing",
    "Score",
    "UnknownTask",
    "error_auc",
    "format_scores",
    "haversine_km",
    "match_spans",
    "run_evaluation",
    "score_entities",
    "score_events",
    "score_from_counts",
    "score_geoparsing",
    "score_headcounts",
    "score_timexes",
]
