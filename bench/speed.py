"""Issue 8's speed figures in one run: throughput ratios, scale-out, rerun, memory, cold start.

Every figure is a ratio against a baseline measured in the same run on the same machine:

- (a) raw `nlp.pipe` of the trained pipeline over the corpus texts: the baseline;
- (a2) `nlp.pipe` of newsdesk's own pipeline (the same trained components plus the newsdesk
  components), the baseline "with the same components" read literally;
- (a3) the machine's own ceiling for two processes: raw `nlp.pipe` over half the texts in each of
  two processes forked with the model loaded, against (a). Two vCPUs of a shared host rarely give
  2.0x (hyperthread siblings, memory bandwidth); `--workers 2` is judged against 1.7x and this
  line says how much of that the hardware allows;
- (b) newsdesk extraction only (`transforms.extract.extract_batch`);
- (c) end-to-end `run_ingest` (read → extract → validate → publish → report) into a fresh
  DuckDB file, with 1 worker, with `--workers 2` (local process pool) and with
  `--runner dask --workers 2` (a LocalCluster started by the run) and with
  `--dask-address` of a 2-worker cluster started (and its pipelines loaded) beforehand;
- a rerun over the unchanged corpus against the first run;
- peak RSS of a child process ingesting 10× a corpus against 1×, with a batch the size of
  the 1× corpus, so the 10× run streams through ten batches;
- a cold one-off `newsdesk run` of one article against the sum of the imports and model load,
  each timed in a fresh interpreter.

    python bench/speed.py                                 # 1,000 articles, memory 100 vs 1,000
    python bench/speed.py --articles 2000 --memory-articles 200
    python bench/speed.py --articles 1000 --skip dask,memory
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
NEWSDESK = str(Path(PYTHON).with_name("newsdesk"))
STEPS = ("extract", "workers", "dask", "rerun", "memory", "cold")
WARMUP_ARTICLES = 32


def child_imports() -> dict:
    """Time, in this fresh interpreter, each import a run needs and the model load."""
    timings = {}
    for label, statement in (("prefect", "import prefect, prefect.flows, prefect.tasks"),
                             ("great_expectations", "import great_expectations"),
                             ("spacy", "import spacy"),
                             ("duckdb+pandas", "import duckdb, pandas")):
        start = time.perf_counter()
        exec(statement, {})  # noqa: S102 - fixed statements above
        timings[label] = time.perf_counter() - start
    import spacy

    from transforms.nlp import model_name

    # The trained model alone: `load_nlp` also loads newsdesk's own word lists and gazetteer
    # (its warm-up), which is part of the run being measured, not of the baseline.
    start = time.perf_counter()
    spacy.load(model_name())
    timings["model load"] = time.perf_counter() - start
    return timings


def child_ingest(corpus: Path, db: Path, runner: str, workers: int, batch_size: int) -> dict:
    """Ingest `corpus` into `db` in this process; return seconds, articles and peak RSS."""
    from flows.ingest import run_ingest

    start = time.perf_counter()
    summary = run_ingest([corpus], db_path=db, report_dir=db.parent / f"{db.stem}-reports",
                         runner=runner, workers=workers, batch_size=batch_size)
    return {"seconds": time.perf_counter() - start, "loaded": summary.articles_loaded,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(args: list[str], env: dict) -> dict:
    """Run this script as a child and return the JSON it prints last."""
    done = subprocess.run([PYTHON, __file__, *args], env=env, capture_output=True, text=True,
                          check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed(run) -> tuple[float, object]:
    """Return (seconds, result) of one call."""
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


class Report:
    """Collects the result lines and the target checks, and prints them as it goes."""

    def __init__(self) -> None:
        self.targets: list[tuple[str, str, str, bool | None]] = []

    def line(self, text: str) -> None:
        """Print one result line now (a long bench shows progress)."""
        print(text, flush=True)

    def target(self, name: str, value: str, goal: str, met: bool | None) -> None:
        """Record a figure against its target."""
        self.targets.append((name, value, goal, met))

    def summary(self) -> None:
        """Print the targets table."""
        print("\ntargets")
        width = max(len(t[0]) for t in self.targets)
        for name, value, goal, met in self.targets:
            verdict = "n/a" if met is None else ("met" if met else "MISSED")
            print(f"  {name.ljust(width)}  {value:>10}  target {goal:<8}  {verdict}")


def main(argv: list[str] | None = None) -> int:
    """Time every step and print the figures and targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000,
                        help="corpus size for the throughput steps (default 1000)")
    parser.add_argument("--memory-articles", type=int, default=100,
                        help="1x corpus size of the memory step; 10x is ten times it (default 100)")
    parser.add_argument("--skip", default="", help=f"comma-separated steps to skip: {STEPS}")
    parser.add_argument("--child", choices=("imports", "ingest"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--runner", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, default=1024, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "imports":
        print(json.dumps(child_imports()))
        return 0
    if args.child == "ingest":
        print(json.dumps(child_ingest(args.corpus, args.db, args.runner, args.workers,
                                      args.batch_size)))
        return 0
    skip = {step.strip() for step in args.skip.split(",") if step.strip()}
    with tempfile.TemporaryDirectory(prefix="newsdesk-speed-") as tmp:
        return _bench(Path(tmp), args.articles, args.memory_articles, skip)


@contextlib.contextmanager
def cluster_in_subprocess(workers: int):
    """Run a Dask `LocalCluster` of `workers` processes in a child process; yield its address."""
    code = ("import sys, time\n"
            "from distributed import LocalCluster\n"
            f"cluster = LocalCluster(n_workers={workers}, threads_per_worker=1, processes=True,"
            " dashboard_address=None)\n"
            "print(cluster.scheduler_address, flush=True)\n"
            "sys.stdin.read()\n"  # until the bench closes our stdin
            "cluster.close()\n")
    child = subprocess.Popen([PYTHON, "-c", code], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        address = child.stdout.readline().strip()
        if not address.startswith("tcp://"):
            raise RuntimeError(f"the Dask cluster process did not start (got {address!r})")
        yield address
    finally:
        child.stdin.close()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def raw_pipe_in_two_processes(nlp, texts: list[str], batch_size: int) -> float:
    """Return the wall time of raw `nlp.pipe` over `texts` split between two forked processes.

    The processes are forked with the pipeline loaded (as `--workers 2` forks its workers), so
    the time is parsing only; it is the most two processes can gain on this machine.
    """
    halves = [texts[0::2], texts[1::2]]
    start = time.perf_counter()
    children = []
    for half in halves:
        pid = os.fork()
        if pid == 0:  # child: parse its half, then leave without running any parent cleanup
            status = 1
            try:
                for _ in nlp.pipe(half, batch_size=batch_size):
                    pass
                status = 0
            finally:
                os._exit(status)
        children.append(pid)
    failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        raise RuntimeError(f"a raw nlp.pipe child process failed: {failed}")
    return time.perf_counter() - start


def _bench(folder: Path, count: int, memory_count: int, skip: set[str]) -> int:
    # A private Prefect home, set before Prefect is imported: the bench never touches ~/.prefect.
    os.environ["PREFECT_HOME"] = str(folder / "prefect-home")
    os.environ.pop("PREFECT_API_URL", None)
    import flows  # noqa: F401  (Prefect environment defaults)
    from bench.corpus import write_corpus
    from transforms.articles import read_inputs
    from transforms.extract import PIPE_BATCH_SIZE, extract_batch
    from transforms.nlp import load_nlp, model_name

    report = Report()
    corpus = write_corpus(count, folder / "corpus.jsonl")
    articles = read_inputs([corpus]).articles
    texts = [article.text for article in articles]
    chars = sum(map(len, texts))
    report.line(f"corpus: {len(articles)} distinct articles varied from data/sample, "
                f"{chars:,} characters (avg {chars // max(1, len(articles))}); "
                f"model {model_name()}; {os.cpu_count()} CPUs")

    imports = None
    if "cold" not in skip:  # before anything else runs, in fresh interpreters
        imports = run_child(["--child", "imports"], dict(os.environ))

    import spacy

    nlp_raw = spacy.load(model_name())
    for _ in nlp_raw.pipe(texts[:PIPE_BATCH_SIZE], batch_size=PIPE_BATCH_SIZE):
        pass
    raw_s, _ = timed(lambda: [None for _ in nlp_raw.pipe(texts, batch_size=PIPE_BATCH_SIZE)])
    raw_rate = len(texts) / raw_s
    report.line(f"(a) raw nlp.pipe {nlp_raw.pipe_names}: {raw_s:.1f} s, "
                f"{raw_rate:.1f} articles/s  (baseline)")
    ceiling = None
    if "workers" not in skip:
        # Best of two: one disturbed run would understate what the machine allows.
        two_raw_s = min(raw_pipe_in_two_processes(nlp_raw, texts, PIPE_BATCH_SIZE)
                        for _ in range(2))
        ceiling = raw_s / two_raw_s
        report.line(f"(a3) raw nlp.pipe, half the texts in each of 2 forked processes: "
                    f"{two_raw_s:.1f} s = {ceiling:.2f}x (a), this machine's ceiling for "
                    f"--workers 2")
    del nlp_raw

    def ratio_line(label: str, seconds: float, extra: str = "") -> float:
        rate = len(texts) / seconds
        report.line(f"{label}: {seconds:.1f} s, {rate:.1f} articles/s, "
                    f"{rate / raw_rate:.2f}x raw{extra}")
        return rate

    pipeline_rate = None
    if "extract" not in skip:
        nlp = load_nlp()
        extract_batch(articles[:PIPE_BATCH_SIZE], nlp)
        # The same texts through newsdesk's own pipeline (the trained components plus
        # newsdesk_line_breaks, newsdesk_entities, newsdesk_places), without the extractors.
        pipe_s, _ = timed(lambda: [None for _ in nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE)])
        pipeline_rate = ratio_line(f"(a2) nlp.pipe of newsdesk's pipeline {nlp.pipe_names}",
                                   pipe_s)
        extract_s, _ = timed(lambda: extract_batch(articles, nlp))
        ratio_line("(b) extraction only (extract_batch)", extract_s)

    from flows.ingest import run_ingest

    warm = write_corpus(WARMUP_ARTICLES, folder / "warmup" / "warm.jsonl")
    # Starts Prefect's temporary server and loads the model: the timed runs are steady state.
    run_ingest([warm], db_path=folder / "warm.duckdb", report_dir=folder / "warm-reports")

    def ingest(name: str, **options):
        db = folder / f"{name}.duckdb"
        return timed(lambda: run_ingest([corpus], db_path=db,
                                        report_dir=folder / f"{name}-reports", **options))

    one_s, one = ingest("w1", workers=1)
    assert one.articles_loaded == len(articles), one
    one_rate = ratio_line("(c1) end-to-end run_ingest, 1 worker", one_s)
    report.target("end-to-end / raw nlp.pipe (1 worker)", f"{one_rate / raw_rate:.2f}x",
                  ">= 0.90x", one_rate / raw_rate >= 0.90)
    if pipeline_rate is not None:
        report.target("end-to-end / nlp.pipe of newsdesk's pipeline (1 worker)",
                      f"{one_rate / pipeline_rate:.2f}x", ">= 0.90x",
                      one_rate / pipeline_rate >= 0.90)
    best_rate = one_rate
    if "workers" not in skip:
        from flows.ingest import DEFAULT_BATCH_SIZE, split_for_extraction
        from flows.runners import resolve_workers

        _, chunks = split_for_extraction(articles, DEFAULT_BATCH_SIZE)
        auto = resolve_workers("local", None, len(chunks))
        # Without --workers a run of this size forks `auto` workers: on 2 cores, the same run
        # as --workers 2, so it is timed once and stands for both.
        two_s, _ = ingest("w2", workers=None if auto == 2 else 2)
        two_rate = ratio_line("(c2) end-to-end, --workers 2 (processes forked with the model)"
                              + (", = default options here" if auto == 2 else ""), two_s,
                              f"; {one_s / two_s:.2f}x 1 worker")
        report.target("--workers 2 / 1 worker (forked processes)", f"{one_s / two_s:.2f}x",
                      ">= 1.7x", one_s / two_s >= 1.7)
        if ceiling:
            report.line(f"--workers 2 speed-up as a share of the machine's ceiling (a3): "
                        f"{one_s / two_s / ceiling:.0%}")
        best_rate = max(best_rate, two_rate)
        default_s = two_s if auto == 2 else ingest("default", workers=None)[0]
        if auto != 2:
            ratio_line(f"(c0) end-to-end, default options ({auto} workers here)", default_s)
        report.target(f"end-to-end / raw nlp.pipe (default options: {auto} workers)",
                      f"{len(texts) / default_s / raw_rate:.2f}x", ">= 0.90x",
                      len(texts) / default_s / raw_rate >= 0.90)
        best_rate = max(best_rate, len(texts) / default_s)
    if "dask" not in skip:
        dask_s, _ = ingest("dask2", runner="dask", workers=2)
        dask_rate = ratio_line("(c3) end-to-end, --runner dask --workers 2 (LocalCluster)",
                               dask_s, f"; {one_s / dask_s:.2f}x 1 worker")
        report.target("--runner dask --workers 2 / 1 worker", f"{one_s / dask_s:.2f}x",
                      ">= 1.7x", one_s / dask_s >= 1.7)
        best_rate = max(best_rate, dask_rate)
        from distributed import Client

        from flows.runners import warm_worker

        # A long-lived cluster (what --dask-address points at), in a process of its own as a
        # real one is (its scheduler's event loop never shares this flow process's GIL),
        # started and warmed untimed.
        with cluster_in_subprocess(2) as address, Client(address) as client:
            client.run(warm_worker)
            warm_s, _ = ingest("dask-warm", runner="dask", workers=2, dask_address=address)
            warm_rate = ratio_line("(c4) end-to-end, --runner dask --dask-address (2 workers "
                                   "already running)", warm_s, f"; {one_s / warm_s:.2f}x 1 worker")
        report.target("running 2-worker Dask cluster / 1 worker", f"{one_s / warm_s:.2f}x",
                      ">= 1.7x", one_s / warm_s >= 1.7)
        best_rate = max(best_rate, warm_rate)
    if "rerun" not in skip:
        rerun_s, rerun = ingest("w1")
        assert rerun.articles_loaded == 0 and rerun.articles_already_loaded == len(articles)
        report.line(f"rerun over the unchanged corpus: {rerun_s:.2f} s = "
                    f"{rerun_s / one_s:.1%} of the first run ({one_s:.1f} s)")
        report.target("rerun / first run", f"{rerun_s / one_s:.1%}", "<= 5%",
                      rerun_s / one_s <= 0.05)
    from prefect.server.api.server import SubprocessASGIServer

    api_env = {**os.environ, "PREFECT_API_URL": SubprocessASGIServer().api_url}
    if "memory" not in skip:
        small = write_corpus(memory_count, folder / "mem1.jsonl")
        large = write_corpus(memory_count * 10, folder / "mem10.jsonl")
        peaks = {}
        # One batch holds the whole 1x corpus, so 10x streams through ten batches.
        for label, path in (("1x", small), ("10x", large)):
            result = run_child(["--child", "ingest", "--corpus", str(path), "--db",
                                str(folder / f"mem{label}.duckdb"), "--batch-size",
                                str(memory_count)], api_env)
            peaks[label] = result["max_rss_mb"]
            report.line(f"peak RSS ingesting {result['loaded']} articles ({label}): "
                        f"{result['max_rss_mb']:.0f} MB in {result['seconds']:.1f} s")
        growth = peaks["10x"] / peaks["1x"]
        report.line(f"peak memory 10x / 1x: {growth:.2f}x")
        report.target("peak memory 10x / 1x corpus", f"{growth:.2f}x", "<= 1.2x", growth <= 1.2)
    if imports is not None:
        one_article = write_corpus(1, folder / "one" / "one.jsonl")
        fixed = sum(imports.values())
        parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in imports.items())
        report.line(f"imports + model load, fresh interpreter: {fixed:.1f} s ({parts})")
        cold_env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
        for label, env in (("cold one-off CLI run, 1 article (temporary Prefect server)",
                            cold_env),
                           ("one-off CLI run, 1 article, Prefect API already running", api_env)):
            db = folder / f"one-{len(label)}.duckdb"
            seconds, _ = timed(lambda env=env, db=db: subprocess.run(
                [NEWSDESK, "run", str(one_article), "--db", str(db), "--report-dir",
                 str(folder / "one-reports"), "--json"], env=env, cwd=ROOT,
                capture_output=True, check=True))
            report.line(f"{label}: {seconds:.1f} s = {seconds / fixed:.2f}x imports + model")
            if env is cold_env:
                report.target("cold CLI run / (imports + model load)",
                              f"{seconds / fixed:.2f}x", "<= 1.3x", seconds / fixed <= 1.3)
    report.line(f"articles/hour on this machine (best end-to-end): {best_rate * 3600:,.0f}")
    report.summary()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
