"""Format scores as a plain-text table."""

from __future__ import annotations

from collections.abc import Sequence

from evaluation.scores import Score

__all__ = ["format_scores"]

HEADERS = ("task", "metric", "P", "R", "F1", "support", "tp", "fp", "fn", "extra")


def _value(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def format_extra(extra: dict) -> str:
    """Return extra metrics as `name=value` pairs, floats to three decimals, points signed."""
    return "  ".join(f"{key}={value:+.1f}" if key.endswith("_pts") and isinstance(value, float)
                     else f"{key}={_value(value)}" for key, value in extra.items())


def format_scores(scores: Sequence[Score]) -> str:
    """Return a plain-text table: task, metric, precision, recall, F1, support, counts, extras."""
    rows = [HEADERS] + [
        (s.task, s.metric, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
         str(s.support), str(s.tp), str(s.fp), str(s.fn), format_extra(s.extra))
        for s in scores
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS) - 1)]
    numeric = {2, 3, 4, 5, 6, 7, 8}
    lines = []
    for index, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
                 for i, cell in enumerate(row[:-1])]
        lines.append("  ".join(cells + [row[-1]]).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths) + "  -----")
    return "\n".join(lines)
