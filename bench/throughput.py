"""Measure articles per second: raw spaCy vs newsdesk extraction vs validation vs ingest.

All three run in one process over the same texts, after a warm-up, and are reported as ratios
against the raw `nlp.pipe` baseline, so the figures are comparable across machines.

Also prices place resolution: extraction with the `newsdesk_places` component switched off.

    python bench/throughput.py                    # 200 synthetic articles from data/sample
    python bench/throughput.py --articles 100
    python bench/throughput.py --corpus my.jsonl  # your own JSONL (id, text, published, ...)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from bench.corpus import write_corpus  # noqa: E402
from transforms.articles import Article, read_inputs  # noqa: E402
from transforms.extract import PIPE_BATCH_SIZE, extract_batch  # noqa: E402
from transforms.nlp import load_nlp, model_name  # noqa: E402

WARMUP_ARTICLES = PIPE_BATCH_SIZE
NOTE_CHARS = 160


@dataclass
class Timing:
    """One line of the result table."""

    step: str
    articles: int
    seconds: float | None
    note: str = ""

    @property
    def rate(self) -> float | None:
        """Return articles per second, or None when the step did not run."""
        return self.articles / self.seconds if self.seconds else None


def synthetic_corpus(count: int, folder: Path) -> Path:
    """Write `count` distinct articles varied from data/sample to folder/articles.jsonl."""
    return write_corpus(count, folder / "articles.jsonl")


def timed(step: str, count: int, run: Callable[[], object], repeat: int = 1) -> Timing:
    """Run `repeat` times and return the best wall-clock timing (the least disturbed run)."""
    best = None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    note = f"best of {repeat}" if repeat > 1 else ""
    return Timing(step, count, best, note)


def bench_raw(texts: list[str], name: str, repeat: int) -> Timing:
    """Time the trained pipeline alone: spacy.load(model) and nlp.pipe, consuming every doc."""
    nlp = spacy.load(name)
    for _ in nlp.pipe(texts[:WARMUP_ARTICLES], batch_size=PIPE_BATCH_SIZE):
        pass

    def run() -> None:
        for _ in nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE):
            pass

    return timed(f"(a) raw nlp.pipe [{name}]", len(texts), run, repeat)


def bench_extract(articles: list[Article], repeat: int) -> Timing:
    """Time newsdesk extraction (pipeline + newsdesk components + post-pipeline extractors)."""
    nlp = load_nlp()
    extract_batch(articles[:WARMUP_ARTICLES], nlp)
    return timed("(b) newsdesk extract_batch", len(articles),
                 lambda: extract_batch(articles, nlp), repeat)


def bench_without_places(articles: list[Article], repeat: int) -> Timing:
    """Time extraction with the `newsdesk_places` component (recognition repair, gazetteer
    resolution, geocoding) switched off, to price place resolution (issue 3: at most 10 %)."""
    nlp = load_nlp()
    with nlp.select_pipes(disable=["newsdesk_places"]):
        extract_batch(articles[:WARMUP_ARTICLES], nlp)
        return timed("(p) extract_batch without newsdesk_places", len(articles),
                     lambda: extract_batch(articles, nlp), repeat)


def bench_validate(articles: list[Article], repeat: int) -> Timing:
    """Time the quality gate alone: validate_batch on the staged frames of the same articles.

    One call, as the flow makes one per batch (its default batch holds 256 articles).
    """
    import expectations
    import warehouse

    records = extract_batch(articles, load_nlp())
    frames = warehouse.stage_frames(articles, records, "bench")
    warm = warehouse.stage_frames(articles[:8], records[:8], "warm-up")
    expectations.validate_batch(warm, "warm-up")  # builds the GX context once
    return timed("(v) validate_batch (GX)", len(articles),
                 lambda: expectations.validate_batch(frames, "bench"), repeat)


def bench_ingest(paths: list[Path], warmup: list[Article], count: int, folder: Path) -> Timing:
    """Time the end-to-end ingest flow into a fresh DuckDB file, if the flow exists yet.

    A warm-up run over a few articles (own database) first starts Prefect's temporary server
    and loads the model, so the timed run measures steady-state cost, not start-up.
    """
    step = "(c) end-to-end run_ingest"
    try:
        from flows.ingest import run_ingest
    except ImportError as exc:
        return Timing(step, count, None, f"skipped (flows.ingest not importable: {exc})")
    warmup_path = folder / "warmup" / "articles.jsonl"
    warmup_path.parent.mkdir()
    with warmup_path.open("w", encoding="utf-8") as out:
        for article in warmup:
            record = {"id": article.source_id, "text": article.text,
                      "published": article.published.isoformat() if article.published else None}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    try:
        run_ingest([warmup_path], db_path=folder / "warmup.duckdb",
                   report_dir=folder / "warmup-reports")
        return timed(step, count, lambda: run_ingest(
            paths, db_path=folder / "bench.duckdb", report_dir=folder / "reports"))
    except Exception as exc:  # noqa: BLE001 - a benchmark reports a failing step and goes on
        message = " ".join(f"failed: {type(exc).__name__}: {exc}".split())
        return Timing(step, count, None, message[:NOTE_CHARS])


def format_table(timings: list[Timing], baseline: Timing) -> str:
    """Return the result table with each step's ratio to the raw baseline."""
    rows = [("step", "articles", "seconds", "articles/s", "vs (a)", "note")]
    for timing in timings:
        ratio = (timing.rate / baseline.rate) if timing.rate and baseline.rate else None
        rows.append((timing.step, str(timing.articles),
                     f"{timing.seconds:.2f}" if timing.seconds else "-",
                     f"{timing.rate:.1f}" if timing.rate else "-",
                     f"{ratio:.2f}x" if ratio else "-", timing.note))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in range(1, 5)]
        lines.append("  ".join(cells + [row[5]]).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build or read the corpus, time the three steps and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="JSONL corpus to time (default: synthetic)")
    parser.add_argument("--articles", type=int, default=200,
                        help="synthetic corpus size, varied from data/sample (default 200)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="time (a) and (b) this many times and keep the best (default 3)")
    parser.add_argument("--model", default=None,
                        help="spaCy model (default: $NEWSDESK_SPACY_MODEL or the project default)")
    args = parser.parse_args(argv)
    if args.model:
        import os
        os.environ["NEWSDESK_SPACY_MODEL"] = args.model
    name = model_name(args.model)

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        folder = Path(tmp)
        corpus = args.corpus if args.corpus else synthetic_corpus(args.articles, folder)
        read = read_inputs([corpus])
        articles = read.articles
        if not articles:
            print(f"no articles in {corpus}", file=sys.stderr)
            return 1
        texts = [article.text for article in articles]
        chars = sum(len(text) for text in texts)
        print(f"corpus: {corpus if args.corpus else 'synthetic from data/sample'}: "
              f"{len(articles)} articles, {chars:,} characters "
              f"(avg {chars // len(articles)}), {len(read.rejects)} rejected")
        print(f"model: {name}; batch_size={PIPE_BATCH_SIZE}; warm-up {WARMUP_ARTICLES} articles "
              "before each step\n")
        raw = bench_raw(texts, name, args.repeat)
        extract = bench_extract(articles, args.repeat)
        no_places = bench_without_places(articles, args.repeat)
        validate = bench_validate(articles, args.repeat)
        ingest = bench_ingest([corpus], articles[:WARMUP_ARTICLES // 4], len(articles), folder)
        print(format_table([raw, extract, no_places, validate, ingest], raw))
        for timing, label in ((extract, "(b)/(a)"), (ingest, "(c)/(a)")):
            ratio = f"{timing.rate / raw.rate:.2f}" if timing.rate and raw.rate else "n/a"
            print(f"{label} throughput ratio: {ratio}")
        if no_places.seconds and extract.seconds:
            share = 1 - no_places.seconds / extract.seconds
            print(f"place resolution share of extraction time: {share:.1%} (target <= 10%; "
                  f"(p) {no_places.seconds:.2f} s vs (b) {extract.seconds:.2f} s)")
        if validate.seconds and extract.seconds:
            print(f"validation/extraction time ratio: {validate.seconds / extract.seconds:.2f} "
                  f"(validate_batch {validate.seconds:.2f} s, extract_batch "
                  f"{extract.seconds:.2f} s, same {len(articles)} articles)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
