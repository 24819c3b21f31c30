"""Speed of the event-root classifier against bare spaCy tokenisation, and a comparison of architectures.

`python bench/classifier.py` times `Classifier.predict` on N sentences (the examples file repeated) and, in the same
run, `spacy.blank("en")` tokenising the same texts, the floor any spaCy pipeline pays. It prints ms/sentence of each
(median of the runs) and their ratio. The process is pinned to one CPU where the platform allows it.

`python bench/classifier.py --compare` first trains every architecture of `eventwire.classifier.ARCHITECTURES` on
the train split into a temporary directory and reports heldout accuracy, macro-F1, calibration, model size and speed,
so the choice of the shipped architecture can be checked.

    python bench/classifier.py [--sentences 20000] [--repeat 5] [--model DIR] [--compare]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import spacy

from eventwire import classifier


def pin_to_one_cpu() -> str:
    """Restrict the process to one CPU (Linux); say which, or why not."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def sentences(n: int, examples: Path = classifier.EXAMPLES) -> list[str]:
    """N texts: the examples file repeated and cut to length."""
    texts = [row.text for row in classifier.read_examples(examples)]
    return (texts * (n // len(texts) + 1))[:n]


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls, after one untimed warm-up call."""
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_model(model: classifier.Classifier, texts: Sequence[str], repeat: int) -> dict[str, float]:
    """ms/sentence of `predict` and of bare tokenisation of the same texts, and their ratio."""
    bare = spacy.blank("en")
    lowered = [classifier.normalise(t) for t in texts]
    tokenise = median_seconds(lambda: list(bare.pipe(lowered, batch_size=classifier.PIPE_BATCH)), repeat)
    predict = median_seconds(lambda: model.predict(texts), repeat)
    single = median_seconds(lambda: [model.best(t) for t in texts[:2000]], 1) / min(len(texts), 2000)
    return {
        "predict_ms": 1000 * predict / len(texts),
        "best_one_at_a_time_ms": 1000 * single,
        "tokenise_ms": 1000 * tokenise / len(texts),
        "ratio": predict / tokenise,
    }


def directory_size(path: Path) -> int:
    """Total size in bytes of the files under a directory."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def compare(texts: Sequence[str], repeat: int, examples: Path) -> list[dict[str, Any]]:
    """Train every architecture into a temporary directory and measure quality, size and speed."""
    rows = []
    for name in classifier.ARCHITECTURES:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / name
            start = time.perf_counter()
            metrics = classifier.train(examples, out, architecture=name)
            seconds = time.perf_counter() - start
            model = classifier.Classifier.load(out)
            speed = time_model(model, texts, repeat)
            rows.append(
                {"architecture": name, "train_s": round(seconds, 1), "size_mb": directory_size(out) / 1e6}
                | metrics
                | speed
            )
    return rows


def _print_speed(label: str, speed: dict[str, float]) -> None:
    """One line of timing results."""
    print(
        f"{label}: predict {speed['predict_ms']:.4f} ms/sentence (batched), "
        f"{speed['best_one_at_a_time_ms']:.4f} ms one at a time; "
        f"bare tokenisation {speed['tokenise_ms']:.4f} ms/sentence; ratio {speed['ratio']:.2f}"
    )


def _parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20000, help="number of sentences to time")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs; the median is reported")
    parser.add_argument("--model", type=Path, default=None, help="model directory (default: the shipped one)")
    parser.add_argument("--examples", type=Path, default=classifier.EXAMPLES)
    parser.add_argument("--compare", action="store_true", help="train and compare all architectures first")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the results."""
    args = _parser().parse_args(argv)
    print(
        pin_to_one_cpu(),
        f"spaCy {importlib.metadata.version('spacy')}, {args.sentences} sentences, median of {args.repeat}",
    )
    texts = sentences(args.sentences, args.examples)
    if args.compare:
        for row in compare(texts, args.repeat, args.examples):
            print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}))
    model = classifier.Classifier.load(args.model)
    _print_speed(
        "shipped model" if args.model is None else str(args.model), time_model(model, texts, args.repeat)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
