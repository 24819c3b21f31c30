"""A learned second opinion for the event coder: the CAMEO root of a sentence, or "none", with probabilities.

The verb lexicon codes most events transparently. This classifier is consulted when the lexicon finds no trigger in
a sentence that has actors, and to break ties between lexicon candidates. It predicts one of the twenty CAMEO roots
("01".."20") or "none" (no political event: sport, markets, weather, domestic scheduling, commentary, obituaries,
history and culture pieces, accidents), with probabilities that sum to one.

The model is a spaCy text classifier (`textcat`, exclusive classes) on a blank English pipeline, trained by
`train` from `data/events/examples.jsonl` and shipped in `data/classifier/`. Retrain it reproducibly with

    python -m eventwire.classifier train [--out DIR] [--seed N]

Texts are lower-cased before they reach the pipeline (`normalise`), so headlines in title case and sentences share
features; use `Classifier`, not `spacy.load`, to get the same input. The softmax of a model trained on a small,
partly synthetic example set is not calibrated, so a single temperature fitted on the heldout split is stored in
`calibration.json` beside the model and applied by `Classifier.predict`.

Origin of the examples: every sentence in `data/events/examples.jsonl` was written for eventwire; none is copied or
paraphrased from a dataset or an article. About 2,100 are whole sentences written by hand (at least 74 per root, about
400 "none"), as paraphrases of the CAMEO codebook's event categories (Schrodt 2012; only the code names in
`data/cameo.csv` were used, no descriptions or examples were copied) and as hard negatives (sport, markets, weather,
scheduling, commentary, obituaries, culture, accidents). The others were composed from hand-written sentence frames
whose slots were filled from short lists of countries, capitals, office titles and other actors; some of them were
wrapped in neutral news context (a day, an attribution such as "officials said", a background clause) so that
reporting verbs and context words do not signal a class. MIT, with eventwire. Each line holds `text`, `label` (a root
or "none"), `code` (the leaf CAMEO code the sentence was written for, absent for "none") and `split`: about 15% of
each label is "heldout", drawn once with a fixed seed by groups, so that the sentences of one frame, and texts that
share most of their words, are all on the same side.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

LABELS: tuple[str, ...] = (*(f"{n:02d}" for n in range(1, 21)), "none")
DATA_DIR = Path(__file__).parent / "data"
EXAMPLES = DATA_DIR / "events" / "examples.jsonl"
MODEL_DIR = DATA_DIR / "classifier"
CALIBRATION_FILE = "calibration.json"
DEFAULT_ARCHITECTURE = "bow"
DEFAULT_EPOCHS = 10
BATCH_SIZE = 16
DROPOUT = 0.2
ECE_BINS = 10
PIPE_BATCH = 256

_TOK2VEC: dict[str, Any] = {
    "@architectures": "spacy.HashEmbedCNN.v2",
    "pretrained_vectors": None,
    "width": 64,
    "depth": 2,
    "embed_size": 2000,
    "window_size": 1,
    "maxout_pieces": 3,
    "subword_features": True,
}
_BOW: dict[str, Any] = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": True,
    "ngram_size": 1,
    "no_output_layer": False,
    "length": 2**15,
}
ARCHITECTURES: dict[str, dict[str, Any]] = {
    "bow": _BOW,
    "cnn": {
        "@architectures": "spacy.TextCatReduce.v1",
        "exclusive_classes": True,
        "use_reduce_first": False,
        "use_reduce_last": False,
        "use_reduce_max": True,
        "use_reduce_mean": True,
        "tok2vec": _TOK2VEC,
    },
    "ensemble": {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "tok2vec": _TOK2VEC,
        "linear_model": _BOW,
    },
}
# Adam learning rates: the sparse bag-of-words layer needs a larger step than the CNN.
LEARN_RATES = {"bow": 0.01, "cnn": 0.002, "ensemble": 0.002}


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One training example: a sentence, its root (or "none"), the leaf code it was written for, its split."""

    text: str
    label: str
    code: str | None
    split: str


def read_examples(path: Path = EXAMPLES) -> list[LabelledText]:
    """The examples of a JSON Lines file, checked for known labels and splits."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            rows.append(_example(json.loads(line), f"{path}:{number}"))
    return rows


def _example(row: dict[str, Any], where: str) -> LabelledText:
    """One JSON object as a LabelledText, or ValueError naming the line."""
    if row.get("label") not in LABELS or row.get("split") not in ("train", "heldout"):
        raise ValueError(f"{where}: unknown label or split in {row!r}")
    return LabelledText(str(row["text"]), str(row["label"]), row.get("code"), str(row["split"]))


def normalise(text: str) -> str:
    """The text as the classifier sees it: lower-cased, so headlines and sentences share features."""
    return text.lower()


def build_pipeline(architecture: str = DEFAULT_ARCHITECTURE) -> Language:
    """A blank English pipeline with an exclusive `textcat` of the named architecture and all labels."""
    import spacy

    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": ARCHITECTURES[architecture]})
    for label in LABELS:
        textcat.add_label(label)  # type: ignore[attr-defined]
    return nlp


def _training_examples(nlp: Language, rows: Iterable[LabelledText]) -> list[Example]:
    """spaCy training examples with one-hot category scores."""
    from spacy.training import Example

    return [
        Example.from_dict(nlp.make_doc(normalise(row.text)), {"cats": _one_hot(row.label)}) for row in rows
    ]


def _one_hot(label: str) -> dict[str, float]:
    """Category scores with 1.0 for the label and 0.0 for every other."""
    return {name: float(name == label) for name in LABELS}


def fit(
    rows: Sequence[LabelledText],
    *,
    seed: int = 0,
    epochs: int = DEFAULT_EPOCHS,
    architecture: str = DEFAULT_ARCHITECTURE,
) -> Language:
    """A pipeline trained on the rows, deterministic for a seed (random, numpy and spaCy's own generators)."""
    from thinc.api import fix_random_seed  # the function spaCy exports as spacy.util.fix_random_seed

    fix_random_seed(seed)
    nlp = build_pipeline(architecture)
    examples = _training_examples(nlp, rows)
    optimizer = nlp.initialize(lambda: examples)
    optimizer.learn_rate = LEARN_RATES[architecture]
    order = random.Random(seed)
    for _ in range(epochs):
        order.shuffle(examples)
        for start in range(0, len(examples), BATCH_SIZE):
            nlp.update(examples[start : start + BATCH_SIZE], drop=DROPOUT, sgd=optimizer)
    return nlp


def probabilities(nlp: Language, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Uncalibrated class probabilities, one row per text, columns in LABELS order."""
    docs = nlp.pipe((normalise(t) for t in texts), batch_size=PIPE_BATCH)
    return np.array([[doc.cats[label] for label in LABELS] for doc in docs], dtype=np.float64).reshape(
        len(texts), len(LABELS)
    )


def scale(
    probs: np.ndarray[Any, np.dtype[np.float64]], temperature: float
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Probabilities softened (temperature > 1) or sharpened (< 1): softmax(log p / T)."""
    logits = np.log(np.clip(probs, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    result: np.ndarray[Any, np.dtype[np.float64]] = exp / exp.sum(axis=1, keepdims=True)
    return result


def _nll(probs: np.ndarray[Any, np.dtype[np.float64]], gold: np.ndarray[Any, np.dtype[np.intp]]) -> float:
    """Mean negative log-likelihood of the gold classes."""
    return float(-np.log(np.clip(probs[np.arange(len(gold)), gold], 1e-12, 1.0)).mean())


def fit_temperature(
    probs: np.ndarray[Any, np.dtype[np.float64]], gold: np.ndarray[Any, np.dtype[np.intp]]
) -> float:
    """The temperature in [0.1, 20] that minimises the negative log-likelihood (grid on a log scale)."""
    grid = np.exp(np.linspace(math.log(0.1), math.log(20.0), 401))
    losses = [_nll(scale(probs, float(t)), gold) for t in grid]
    return round(float(grid[int(np.argmin(losses))]), 4)


def expected_calibration_error(
    probs: np.ndarray[Any, np.dtype[np.float64]],
    gold: np.ndarray[Any, np.dtype[np.intp]],
    bins: int = ECE_BINS,
) -> float:
    """Expected calibration error of the top class over equal-width confidence bins."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        members = (confidence > low) & (confidence <= high)
        if members.any():
            total += members.mean() * abs(correct[members].mean() - confidence[members].mean())
    return float(total)


def macro_f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """F1 averaged over the labels that occur in the gold or the predictions."""
    scores = []
    for label in sorted(set(gold) | set(predicted)):
        tp = sum(p == g == label for p, g in zip(predicted, gold, strict=True))
        fp = sum(p == label != g for p, g in zip(predicted, gold, strict=True))
        fn = sum(g == label != p for p, g in zip(predicted, gold, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def _crossfit_ece(
    probs: np.ndarray[Any, np.dtype[np.float64]], gold: np.ndarray[Any, np.dtype[np.intp]]
) -> float:
    """ECE after temperature scaling, each half of the rows scaled with the temperature fitted on the other."""
    halves = [np.arange(len(gold)) % 2 == k for k in (0, 1)]
    errors = []
    for fit_rows, test_rows in (halves, halves[::-1]):
        t = fit_temperature(probs[fit_rows], gold[fit_rows])
        errors.append(expected_calibration_error(scale(probs[test_rows], t), gold[test_rows]))
    return float(np.mean(errors))


def evaluate(nlp: Language, rows: Sequence[LabelledText]) -> dict[str, float]:
    """Accuracy, macro-F1, calibration figures and the fitted temperature on the rows."""
    probs = probabilities(nlp, [row.text for row in rows])
    gold = np.array([LABELS.index(row.label) for row in rows], dtype=np.intp)
    predicted = [LABELS[i] for i in probs.argmax(axis=1)]
    temperature = fit_temperature(probs, gold)
    return {
        "accuracy": round(float((probs.argmax(axis=1) == gold).mean()), 4),
        "macro_f1": round(macro_f1(predicted, [row.label for row in rows]), 4),
        "ece": round(expected_calibration_error(probs, gold), 4),
        "temperature": temperature,
        "ece_calibrated": round(expected_calibration_error(scale(probs, temperature), gold), 4),
        "ece_calibrated_crossfit": round(_crossfit_ece(probs, gold), 4),
        "nll": round(_nll(probs, gold), 4),
        "nll_calibrated": round(_nll(scale(probs, temperature), gold), 4),
    }


def train(
    examples: Path = EXAMPLES,
    out: Path = MODEL_DIR,
    *,
    seed: int = 0,
    epochs: int = DEFAULT_EPOCHS,
    architecture: str = DEFAULT_ARCHITECTURE,
) -> dict[str, float]:
    """Train on the train split, score the heldout split, save model, calibration and README to `out`."""
    rows = read_examples(examples)
    train_rows = [row for row in rows if row.split == "train"]
    heldout = [row for row in rows if row.split == "heldout"]
    nlp = fit(train_rows, seed=seed, epochs=epochs, architecture=architecture)
    metrics = {**evaluate(nlp, heldout), "train_examples": len(train_rows), "heldout_examples": len(heldout)}
    _save(nlp, out, metrics, {"seed": seed, "epochs": epochs, "architecture": architecture})
    return metrics


def _save(nlp: Language, out: Path, metrics: dict[str, float], settings: dict[str, Any]) -> None:
    """Write the pipeline, its calibration and a README describing how it was made."""
    from . import __version__

    nlp.meta.update(
        name="event_root",
        version=__version__,
        description="eventwire: CAMEO root (01-20) or none for one sentence",
        license="MIT",
        author="eventwire developers",
        performance={k: v for k, v in metrics.items() if k in ("accuracy", "macro_f1")},
    )
    nlp.to_disk(out)
    calibration = {"temperature": metrics["temperature"], "ece_bins": ECE_BINS}
    (out / CALIBRATION_FILE).write_text(json.dumps(calibration, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_readme(metrics, settings), encoding="utf-8")


def _readme(metrics: dict[str, float], settings: dict[str, Any]) -> str:
    """The model directory's README: what the model is, how it was trained and how well it does."""
    lines = [
        "# eventwire event-root classifier",
        "",
        "A spaCy `textcat` (exclusive classes) on a blank English pipeline that gives, for one sentence, the CAMEO",
        'root code ("01".."20") or "none", with probabilities. Load it with `eventwire.classifier.Classifier.load()`,',
        "which lower-cases the input and applies the temperature in `calibration.json`.",
        "",
        "Trained by eventwire from `eventwire/data/events/examples.jsonl` (sentences written for eventwire) with:",
        "",
        f"    python -m eventwire.classifier train --seed {settings['seed']} --epochs {settings['epochs']}"
        f" --architecture {settings['architecture']}",
        "",
        f"- architecture: `{settings['architecture']}`; seed {settings['seed']}; {settings['epochs']} epochs",
        f"- examples: {metrics['train_examples']} train, {metrics['heldout_examples']} heldout",
        f"- heldout accuracy {metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f}",
        f"- heldout expected calibration error ({ECE_BINS} bins): {metrics['ece']:.3f} raw,"
        f" {metrics['ece_calibrated']:.3f} with temperature {metrics['temperature']}"
        f" ({metrics['ece_calibrated_crossfit']:.3f} cross-fitted on halves of the heldout split)",
        "",
        "Licence: MIT, the same as eventwire.",
        "",
    ]
    return "\n".join(lines)


class Classifier:
    """The trained event-root classifier with its calibration."""

    def __init__(self, nlp: Language, temperature: float = 1.0) -> None:
        """Wrap a loaded pipeline and the temperature applied to its probabilities."""
        self.nlp = nlp
        self.temperature = temperature

    @classmethod
    def load(cls, path: Path | None = None) -> Classifier:
        """The classifier saved in `path` (default: the shipped model), loaded once per process."""
        return _load(str((path or MODEL_DIR).resolve()))

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated probabilities of every label, one dict per text."""
        if not texts:
            return []
        probs = scale(probabilities(self.nlp, texts), self.temperature)
        return [dict(zip(LABELS, (float(p) for p in row), strict=True)) for row in probs]

    def best(self, text: str) -> tuple[str, float]:
        """The most probable label of one text and its probability."""
        scores = self.predict([text])[0]
        label = max(scores, key=scores.__getitem__)
        return label, scores[label]


@functools.cache
def _load(path: str) -> Classifier:
    """Load a model directory and its calibration (temperature 1 when the file is missing)."""
    import spacy

    folder = Path(path)
    calibration = folder / CALIBRATION_FILE
    temperature = 1.0
    if calibration.exists():
        temperature = float(json.loads(calibration.read_text(encoding="utf-8"))["temperature"])
    return Classifier(spacy.load(folder), temperature)


def _parser() -> argparse.ArgumentParser:
    """The command line: `train` and `predict`."""
    parser = argparse.ArgumentParser(
        prog="python -m eventwire.classifier", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    train_cmd = commands.add_parser("train", help="train the classifier and save it")
    train_cmd.add_argument("--examples", type=Path, default=EXAMPLES)
    train_cmd.add_argument("--out", type=Path, default=MODEL_DIR)
    train_cmd.add_argument("--seed", type=int, default=0)
    train_cmd.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS)
    train_cmd.add_argument("--architecture", choices=sorted(ARCHITECTURES), default=DEFAULT_ARCHITECTURE)
    predict_cmd = commands.add_parser("predict", help="print the best label of each text")
    predict_cmd.add_argument("texts", nargs="+")
    predict_cmd.add_argument("--model", type=Path, default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "train":
        metrics = train(
            args.examples, args.out, seed=args.seed, epochs=args.epochs, architecture=args.architecture
        )
        print(json.dumps(metrics, indent=2))
        return 0
    model = Classifier.load(args.model)
    for text in args.texts:
        label, probability = model.best(text)
        print(f"{label}\t{probability:.3f}\t{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
