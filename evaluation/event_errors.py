"""Print where the event extractor and PETRARCH2's gold disagree, one sentence at a time.

    .venv/bin/python -m evaluation.event_errors            # every sentence with an error
    .venv/bin/python -m evaluation.event_errors --limit 20

For reading in a terminal while working on `transforms/patterns/event_triggers.jsonl`: gold
code and actors, each emitted event with its trigger and lexicon row, and the headline items
missed and extra. Nothing is written to disk, so no gold text enters the project.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from evaluation.events import ActorLookup, cameo_root, is_cameo_root, sentence_errors
from evaluation.gold import DEFAULT_EVAL_DIR, predict
from evaluation.runner import DATASETS, load_gold

__all__ = ["format_sentence_errors", "main"]


def format_sentence_errors(rows: Sequence[dict]) -> str:
    """Return the rows of `sentence_errors` as plain text, gold codes outside CAMEO flagged."""
    lines = []
    for row in rows:
        lines.append(f"{row['id']} | {row['text']}")
        for code, source, target in row["gold"]:
            flag = "" if is_cameo_root(cameo_root(code)) else "  (not a CAMEO code)"
            lines.append(f"  gold    {code} {source} -> {target}{flag}")
        for cameo, trigger, trigger_id, mode, actor1, actor2 in row["emitted"]:
            lines.append(f"  emitted {cameo} {trigger!r} {trigger_id} {mode} | "
                         f"{actor1} -> {actor2}")
        lines.append(f"  missed {row['missed']}  extra {row['extra']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the extractor on the PETRARCH2 gold sentences and print the disagreements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR,
                        help="folder holding petrarch2/ (default: ../shared/eval)")
    parser.add_argument("--limit", type=int, default=None,
                        help="read only the first N gold sentences")
    args = parser.parse_args(argv)
    dataset = DATASETS["petrarch2"]
    gold = load_gold(args.eval_dir, dataset, args.limit)
    rows = sentence_errors(gold, predict(gold, dataset.date_field),
                           ActorLookup.from_file(args.eval_dir / "petrarch2" / "actors.json"))
    print(format_sentence_errors(rows))
    print(f"{len(rows)} sentences with an error")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
