"""Benchmark an English spaCy pipeline on the CoNLL-2003 validation split.

Usage::

    python bench/models.py --model NAME [--limit N]

``NAME`` is either an installed spaCy model package (``spacy.load(NAME)``), an installed
package that exposes ``model_path()`` returning a model directory, or a model directory.

The script prints one JSON object with:

* entity precision / recall / F1 (micro-averaged, exact span match on the gold tokens,
  in the style of conlleval) for all four CoNLL types and for PER/ORG/LOC only, plus
  per-type scores;
* throughput in words/s of the full pipeline (tokenizer included) with
  ``nlp.pipe(texts, batch_size=32)`` over the same sentences, median of 3 runs;
* model load time and peak resident set size of the process.

Label mapping from spaCy (OntoNotes) to CoNLL-2003 types:

==========================================================  =========
spaCy label                                                 CoNLL
==========================================================  =========
PERSON                                                      PER
ORG                                                         ORG
GPE, LOC                                                    LOC
NORP, FAC, EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE       MISC
DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL     (ignored)
==========================================================  =========

Ignored labels are dropped from the predictions before scoring. "PER/ORG/LOC only"
drops MISC from both gold and predictions.

Evaluation builds each ``Doc`` from the gold tokens (``Doc(nlp.vocab, words=...,
spaces=...)``) and runs the pipeline components on it, so predicted and gold spans
share one tokenisation. Sentences are processed one at a time, without document
context, as the data set ships them.

The data set (CoNLL-2003, research use only) is read from
``<project root>/../shared/datasets/conll2003``; it is never copied into the project.
When it is absent the script prints a message on stderr and exits with status 0.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import json
import platform
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "conll2003"
SPLIT_FILE = "valid.txt"
BATCH_SIZE = 32
THROUGHPUT_RUNS = 3

LABEL_MAP: dict[str, str] = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "NORP": "MISC",
    "FAC": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
ALL_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
CORE_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC")

Span = tuple[int, int, str]


@dataclass(frozen=True)
class Sentence:
    """One gold sentence: its tokens and entity spans (start, end-exclusive, type)."""

    words: list[str]
    spans: frozenset[Span]


def read_conll(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Yield (tokens, NER tags) per sentence from a 'token POS chunk NER' file."""
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if not fields or fields[0] == "-DOCSTART-":
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            words.append(fields[0])
            tags.append(fields[-1])
    if words:
        yield words, tags


def iob_to_spans(tags: list[str]) -> frozenset[Span]:
    """Convert IOB1/IOB2 tags to entity spans, conlleval-style (a stray I- starts an entity)."""
    spans: set[Span] = set()
    start, kind = -1, ""
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == kind
        if kind and not continues:
            spans.add((start, index, kind))
            kind = ""
        if prefix == "B" or (prefix == "I" and not continues):
            start, kind = index, label
    return frozenset(spans)


def load_sentences(path: Path, limit: int | None) -> list[Sentence]:
    """Read up to `limit` gold sentences from a CoNLL file."""
    sentences: list[Sentence] = []
    for words, tags in read_conll(path):
        if limit is not None and len(sentences) >= limit:
            break
        sentences.append(Sentence(words=words, spans=iob_to_spans(tags)))
    return sentences


def load_pipeline(name: str) -> Language:
    """Load a pipeline by package name, by a package's `model_path()`, or from a directory."""
    if Path(name).is_dir() or importlib.util.find_spec(name) is None:
        return spacy.load(name)
    module = importlib.import_module(name)
    if hasattr(module, "load"):
        return spacy.load(name)
    model_path = getattr(module, "model_path", None)
    if callable(model_path):
        return spacy.load(model_path())
    return spacy.load(name)


def gold_doc(nlp: Language, words: list[str]) -> Doc:
    """Build a Doc over the gold tokens, single spaces between them."""
    spaces = [True] * (len(words) - 1) + [False]
    return Doc(nlp.vocab, words=words, spaces=spaces)


def predicted_spans(doc: Doc) -> frozenset[Span]:
    """Map a Doc's entities to CoNLL-typed token spans, dropping unmapped labels."""
    return frozenset(
        (ent.start, ent.end, LABEL_MAP[ent.label_]) for ent in doc.ents if ent.label_ in LABEL_MAP
    )


def predict(nlp: Language, sentences: list[Sentence]) -> list[frozenset[Span]]:
    """Run the pipeline over gold-tokenised Docs and return predicted spans per sentence."""
    docs = (gold_doc(nlp, sentence.words) for sentence in sentences)
    return [predicted_spans(doc) for doc in nlp.pipe(docs, batch_size=BATCH_SIZE)]


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    """Precision, recall and F1 from counts."""
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
    }


def score(
    golds: Iterable[frozenset[Span]], preds: Iterable[frozenset[Span]], types: tuple[str, ...]
) -> dict[str, object]:
    """Micro-averaged and per-type exact-match scores restricted to `types`."""
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    for gold_all, pred_all in zip(golds, preds, strict=True):
        gold = frozenset(span for span in gold_all if span[2] in types)
        pred = frozenset(span for span in pred_all if span[2] in types)
        tp.update(span[2] for span in gold & pred)
        n_pred.update(span[2] for span in pred)
        n_gold.update(span[2] for span in gold)
    result: dict[str, object] = dict(prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())))
    result["per_type"] = {kind: prf(tp[kind], n_pred[kind], n_gold[kind]) for kind in types}
    return result


def throughput(nlp: Language, texts: list[str], n_words: int) -> dict[str, object]:
    """Words/s of the full pipeline over raw texts, median of several timed runs."""
    seconds: list[float] = []
    for _ in range(THROUGHPUT_RUNS):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
            pass
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    return {
        "words_per_s": round(n_words / median, 1),
        "median_s": round(median, 3),
        "runs_s": [round(value, 3) for value in seconds],
        "batch_size": BATCH_SIZE,
    }


def peak_rss_mib() -> float:
    """Peak resident set size of this process in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    divisor = 1024 * 1024 if sys.platform == "darwin" else 1024
    return round(peak / divisor, 1)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description="Benchmark a spaCy pipeline on CoNLL-2003 (validation).")
    parser.add_argument("--model", required=True, help="model package, package with model_path(), or dir")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N sentences")
    return parser.parse_args(argv)


def run(model: str, limit: int | None) -> dict[str, object]:
    """Load the pipeline, evaluate it and time it; return the results."""
    sentences = load_sentences(DATA_DIR / SPLIT_FILE, limit)
    n_words = sum(len(sentence.words) for sentence in sentences)
    started = time.perf_counter()
    nlp = load_pipeline(model)
    load_s = time.perf_counter() - started
    rss_after_load = peak_rss_mib()
    preds = predict(nlp, sentences)
    golds = [sentence.spans for sentence in sentences]
    texts = [" ".join(sentence.words) for sentence in sentences]
    return {
        "model": model,
        "pipeline": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}",
        "pipeline_version": nlp.meta.get("version"),
        "components": nlp.pipe_names,
        "vectors": {"rows": nlp.vocab.vectors.shape[0], "width": nlp.vocab.vectors.shape[1]},
        "spacy": importlib.metadata.version("spacy"),
        "python": platform.python_version(),
        "split": "validation",
        "sentences": len(sentences),
        "words": n_words,
        "scores_all_types": score(golds, preds, ALL_TYPES),
        "scores_per_org_loc": score(golds, preds, CORE_TYPES),
        "throughput": throughput(nlp, texts, n_words),
        "load_s": round(load_s, 3),
        "peak_rss_after_load_mib": rss_after_load,
        "peak_rss_mib": peak_rss_mib(),
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point: check the data set is present, run the benchmark, print JSON."""
    args = parse_args(argv)
    if not (DATA_DIR / SPLIT_FILE).is_file():
        print(
            f"CoNLL-2003 data not found ({SPLIT_FILE} under ../shared/datasets/conll2003 "
            "next to the project root); skipping the benchmark.",
            file=sys.stderr,
        )
        return 0
    print(json.dumps(run(args.model, args.limit), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
