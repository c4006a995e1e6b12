"""Does publishing slow down as the warehouse grows? Time `refresh_dims` against warehouse size.

Builds one warehouse file that grows through the sizes asked for (default 1,000, 5,000 and
20,000 articles) and, at each size, times small publishes (default 1 and 50 articles) through
`warehouse.publish_batch`, once with the incremental dimension refresh publishing uses and once
with the full recompute (`refresh_dims(con)` without article ids, what every publish paid
before), split into the refresh's phases (`warehouse.dims.LAST_REFRESH_SECONDS`). Ratios are
against the smallest size, measured in the same run.

The articles are synthesised, not extracted: the bundled sample (data/sample) is extracted once,
then copied under new article ids with most person and organisation name words swapped for
made-up ones (a quarter of the words are kept, so actors recur across articles, acronyms meet
new expansions and first names meet new surnames, as in a real feed), and dates moved on.
Building the warehouse bypasses the dimension refresh (facts only), then one full refresh runs.

    python bench/dims_scaling.py                          # 1k, 5k, 20k; batches of 1 and 50
    python bench/dims_scaling.py --sizes 1000,5000 --batches 1 --repeat 5
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import warehouse  # noqa: E402
import warehouse.publish  # noqa: E402
from warehouse import dims  # noqa: E402

#: Columns holding ids derived from the article id ("<article_id>:m:12-18"), per staged table.
ID_SUFFIX = "_id"
NOT_ARTICLE_IDS = {"place_id", "source_id", "geonames_id", "run_id"}
#: Columns holding person/organisation names, per staged table.
NAME_COLUMNS = {"stg_mentions": ("mention_text", "entity_name"),
                "stg_events": ("actor1", "actor2", "reported_by"),
                "stg_roles": ("person_name", "organization_name"),
                "stg_headcounts": ("actor",)}
KEEP_ONE_IN = 4  # a name word survives into a copy with probability 1/KEEP_ONE_IN
BUILD_CHUNK = 2000
WORD = re.compile(r"[^\W\d_]+")
CONSONANTS, VOWELS = "bcdfghklmnprstvz", "aeiou"


def _made_up(word: str, copy_no: int) -> str:
    """A deterministic made-up word of the same length and case pattern as `word`."""
    digest = hashlib.md5(f"{word}|{copy_no}".encode()).digest()
    letters = [word[0]] + [(CONSONANTS if i % 2 else VOWELS)[digest[i % 16] % (16 if i % 2 else 5)]
                           for i in range(1, len(word))]
    made = "".join(letters)
    if word.isupper():
        return made.upper()
    return made[0].upper() + made[1:] if word[0].isupper() else made


def _renamer(copy_no: int):
    """Return name → name for one copy: each word kept (1 in KEEP_ONE_IN) or made up."""
    cache: dict[str, str] = {}

    def word(match: re.Match) -> str:
        text = match.group(0)
        if text not in cache:
            keep = hashlib.md5(f"{text}|{copy_no}|keep".encode()).digest()[0] % KEEP_ONE_IN == 0
            cache[text] = text if keep or copy_no == 0 else _made_up(text, copy_no)
        return cache[text]

    return lambda name: name if not isinstance(name, str) else WORD.sub(word, name)


def template_frames() -> dict[str, pd.DataFrame]:
    """Extract the bundled sample once and stage it (the model loads here)."""
    from bench.corpus import sample_articles
    from transforms.extract import extract_batch

    articles = sample_articles()
    return warehouse.stage_frames(articles, extract_batch(articles), "bench-template")


def copies(template: dict[str, pd.DataFrame], first: int, count: int,
           run_id: str) -> dict[str, pd.DataFrame]:
    """Stage `count` synthetic copies of the template, numbered from `first`."""
    parts: dict[str, list[pd.DataFrame]] = {table: [] for table in template}
    for copy_no in range(first, first + count):
        rename = _renamer(copy_no)
        prefix = f"c{copy_no:06d}."
        for table, frame in template.items():
            frame = frame.copy()
            for column in frame.columns:
                if column.endswith(ID_SUFFIX) and column not in NOT_ARTICLE_IDS:
                    frame[column] = frame[column].map(
                        lambda v, p=prefix: p + v if isinstance(v, str) else v)
            if table == "stg_mentions":
                actors = frame["label"].isin(["PERSON", "ORG"])
                for column in NAME_COLUMNS[table]:
                    frame.loc[actors, column] = frame.loc[actors, column].map(rename)
            else:
                for column in NAME_COLUMNS.get(table, ()):
                    frame[column] = frame[column].map(rename)
            for column in ("published_date", "resolved_date", "event_date"):
                if column in frame:
                    frame[column] = frame[column] + pd.Timedelta(days=copy_no % 3650)
            frame["run_id"] = run_id
            parts[table].append(frame)
    return {table: pd.concat(frames, ignore_index=True) for table, frames in parts.items()}


def articles_in(template: dict[str, pd.DataFrame], articles: int) -> int:
    """How many template copies make `articles` articles (rounded up)."""
    per_copy = len(template["stg_articles"])
    return -(-articles // per_copy)


def grow(con, template, first_copy: int, copies_needed: int) -> int:
    """Publish facts only (no dimension refresh) until `copies_needed` more copies are in."""
    real = warehouse.publish.refresh_dims
    warehouse.publish.refresh_dims = lambda *args, **kwargs: None
    try:
        per_chunk = max(1, BUILD_CHUNK // len(template["stg_articles"]))
        done = 0
        while done < copies_needed:
            count = min(per_chunk, copies_needed - done)
            frames = copies(template, first_copy + done, count, f"build-{first_copy + done}")
            warehouse.publish_batch(con, "build", 0, frames, {}, [], "bench")
            done += count
    finally:
        warehouse.publish.refresh_dims = real
    return first_copy + copies_needed


def publish_timed(con, frames: dict[str, pd.DataFrame], full: bool) -> dict[str, float]:
    """Publish one batch with the chosen refresh; return total and per-phase seconds."""
    real = warehouse.publish.refresh_dims
    if full:
        warehouse.publish.refresh_dims = lambda c, *args, **kwargs: dims.refresh_dims(c)
    try:
        start = time.perf_counter()
        warehouse.publish_batch(con, "bench", 0, frames, {}, [], "bench")
        total = time.perf_counter() - start
    finally:
        warehouse.publish.refresh_dims = real
    return {"publish": total, **dims.LAST_REFRESH_SECONDS,
            "refresh": sum(dims.LAST_REFRESH_SECONDS.values())}


def single_articles(frames: dict[str, pd.DataFrame], count: int) -> dict[str, pd.DataFrame]:
    """The first `count` articles of a staged batch."""
    keep = set(frames["stg_articles"]["article_id"].iloc[:count])
    return {table: frame[frame["article_id"].isin(keep)].reset_index(drop=True)
            for table, frame in frames.items()}


def heavy_processes() -> list[str]:
    """Other processes using > 20 % CPU right now (the machine is shared)."""
    out = subprocess.run(["ps", "-eo", "pid,pcpu,etime,args", "--sort=-pcpu"],
                         capture_output=True, text=True, check=False).stdout.splitlines()[1:]
    mine = {str(os.getpid())}
    return [line.strip()[:110] for line in out
            if line.split() and line.split()[0] not in mine and float(line.split()[1]) > 20]


def main(argv: list[str] | None = None) -> int:
    """Grow a warehouse through the sizes and print the refresh cost at each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000",
                        help="warehouse sizes in articles, ascending (default 1000,5000,20000)")
    parser.add_argument("--batches", default="1,50", help="publish sizes to time (default 1,50)")
    parser.add_argument("--repeat", type=int, default=3, help="timed publishes per cell (median)")
    parser.add_argument("--modes", default="incremental,full",
                        help="refreshes to time: incremental, full (default both)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    batches = [int(b) for b in args.batches.split(",")]
    modes = args.modes.split(",")
    for line in heavy_processes():
        print(f"note: busy process: {line}")
    template = template_frames()
    results: dict[tuple, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="dims-scaling-") as folder:
        con = warehouse.connect(Path(folder) / "w.duckdb")
        next_copy, articles = 0, 0
        for size in sizes:
            needed = articles_in(template, size) - next_copy
            started = time.perf_counter()
            next_copy = grow(con, template, next_copy, needed)
            articles = next_copy * len(template["stg_articles"])
            build_s = time.perf_counter() - started
            started = time.perf_counter()
            warehouse.sql.run_sql(con, "begin transaction")
            dims.refresh_dims(con)
            warehouse.sql.run_sql(con, "commit")
            full_s = time.perf_counter() - started
            counts = con.execute("""
                select (select count(*) from fct_mentions),
                       (select count(*) from dim_actor_entities),
                       (select count(*) from dim_people) + (select count(*) from dim_organizations)
            """).fetchall()[0]
            print(f"size {articles}: built in {build_s:.1f} s, full refresh {full_s:.2f} s; "
                  f"{counts[0]} mentions, {counts[1]} entities, {counts[2]} actors", flush=True)
            for batch in batches:
                for mode in modes:
                    runs = []
                    for _ in range(args.repeat):
                        count = articles_in(template, batch)
                        frames = single_articles(
                            copies(template, next_copy, count, f"timed-{next_copy}"), batch)
                        next_copy += count
                        runs.append(publish_timed(con, frames, full=(mode == "full")))
                    results[(size, batch, mode)] = {
                        key: statistics.median(run.get(key, 0.0) for run in runs)
                        for key in sorted({k for run in runs for k in run})}
                    cell = results[(size, batch, mode)]
                    print(f"  {mode:<11} batch {batch:>3}: publish {cell['publish']:.3f} s, "
                          + ", ".join(f"{k} {v:.3f}" for k, v in cell.items()
                                      if k not in ("publish",)), flush=True)
        con.close()
    print()
    print(format_table(results, sizes, batches, modes))
    return 0


def format_table(results: dict[tuple, dict[str, float]], sizes: list[int], batches: list[int],
                 modes: list[str]) -> str:
    """One row per (mode, batch, phase): seconds at each size and the ratio to the smallest."""
    phases = sorted({k for cell in results.values() for k in cell},
                    key=lambda k: (k not in ("publish", "refresh"), k))
    header = ["refresh", "batch", "phase"] + [f"{s} art." for s in sizes] + \
             [f"x{s}/{sizes[0]}" for s in sizes[1:]]
    rows = [header]
    for mode in modes:
        for batch in batches:
            for phase in phases:
                seconds = [results.get((s, batch, mode), {}).get(phase) for s in sizes]
                if all(v is None for v in seconds):
                    continue
                base = seconds[0]
                rows.append([mode, str(batch), phase]
                            + [f"{v:.3f}" if v is not None else "-" for v in seconds]
                            + [f"{v / base:.1f}x" if v is not None and base else "-"
                               for v in seconds[1:]])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.rjust(w) if i > 2 else cell.ljust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
                     for row in rows)


if __name__ == "__main__":
    raise SystemExit(main())
