"""Write a deterministic bench corpus of N distinct articles varied from data/sample.

Only the project's own sample articles are used (never the gold data). Each copy beyond the
first round shifts every number, rotates weekdays, moves the publication date and names its
edition, so every article has its own text (and article id) and the extractors do real work.

    python bench/corpus.py --articles 1000 -o /tmp/bench.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.articles import Article, read_inputs  # noqa: E402

__all__ = ["SAMPLE_DIR", "sample_articles", "vary", "write_corpus"]

SAMPLE_DIR = ROOT / "data" / "sample"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")


def vary(text: str, round_no: int) -> str:
    """Return a deterministic variant of an article: numbers shifted, weekdays rotated."""
    if round_no == 0:
        return text

    def shift_number(match: re.Match) -> str:
        value = int(match.group(0).replace(",", "")) + round_no
        return f"{value:,}" if "," in match.group(0) else str(value)

    varied = NUMBER.sub(shift_number, text)
    return WEEKDAY.sub(lambda m: WEEKDAYS[(WEEKDAYS.index(m.group(1)) + round_no) % 7], varied)


def sample_articles() -> list[Article]:
    """Return the readable articles of data/sample, in a stable order."""
    articles = sorted(read_inputs([SAMPLE_DIR]).articles, key=lambda a: a.article_id)
    if not articles:
        raise SystemExit(f"no sample articles found in {SAMPLE_DIR}")
    return articles


def write_corpus(count: int, path: Path) -> Path:
    """Write `count` distinct articles to `path` (JSONL), streaming; return the path."""
    base = sample_articles()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            article = base[index % len(base)]
            round_no = index // len(base)
            text = vary(article.text, round_no)
            if round_no:  # distinct even when an article has no numbers or weekdays
                text = f"{text}\n\n(Edition {round_no}.)"
            published = article.published and article.published + dt.timedelta(days=round_no)
            out.write(json.dumps({
                "id": f"bench-{index:06d}", "title": article.title, "text": text,
                "published": published.isoformat() if published else None,
                "url": article.url, "source": article.source}, ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    """Write the corpus named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="how many (default 1000)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="JSONL file to write")
    args = parser.parse_args(argv)
    write_corpus(args.articles, args.output)
    print(f"wrote {args.articles} articles to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
