"""Evaluation runs: gold items in, the pipeline run on their texts, scores, error listing and the quality gate."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import DatasetMissing, EventwireError, RefMismatch, UsageError
from ..model import Article, Source
from ..pipeline import Pipeline
from .datasets import resolve
from .gold import GoldItem
from .scoring import Mismatch, Scores, score_item

LOGGER = logging.getLogger(__name__)

BATCH = 64


@dataclass(slots=True)
class Evaluation:
    """The result of evaluating one gold source: scores, disagreements, and what could not be evaluated."""

    name: str
    scores: Scores = field(default_factory=Scores)
    mismatches: list[Mismatch] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    splits: dict[str, Scores] = field(default_factory=dict)

    def metrics(self) -> dict[str, Any]:
        """All figures, with per-split figures where the gold has splits."""
        out = self.scores.metrics()
        if self.splits:
            out["splits"] = {name: s.metrics() for name, s in sorted(self.splits.items())}
        if self.skipped:
            out["skipped"] = dict(self.skipped)
        return out


def evaluate(items: Iterable[GoldItem], pipeline: Pipeline, name: str = "gold") -> Evaluation:
    """Run the pipeline on every gold item's text and score it; items whose text is unavailable are counted."""
    result = Evaluation(name)
    iterator = iter(_resolved(items, result))
    while batch := list(islice(iterator, BATCH)):
        articles = pipeline.annotate([_article(item) for item in batch])
        for item, article in zip(batch, articles, strict=True):
            if isinstance(article, EventwireError):
                _skip(result, f"pipeline failed: {article.reason}")
                continue
            result.texts[item.id] = item.text or ""
            result.mismatches += score_item(item, article, result.scores)
            if item.split:
                score_item(item, article, result.splits.setdefault(item.split, Scores()))
    return result


def _resolved(items: Iterable[GoldItem], result: Evaluation) -> Iterator[GoldItem]:
    """Items with their text; those pointing into datasets missing here are counted as skipped, with the reason."""
    for item in items:
        try:
            yield resolve(item)
        except (DatasetMissing, RefMismatch) as exc:
            _skip(result, exc.reason)


def _skip(result: Evaluation, reason: str) -> None:
    """Count an item that could not be evaluated, by reason."""
    result.skipped[reason] = result.skipped.get(reason, 0) + 1


def _article(item: GoldItem) -> Article:
    """An unparsed article holding the item's text exactly, so that predicted offsets are gold offsets."""
    text = item.text or ""
    return Article(
        id=item.id,
        text=text,
        title=None,
        date=item.date,
        date_source="gold",
        body_start=0,
        source=Source(item.id, "gold"),
    )


def gate(metrics: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """The floors a run falls below, as messages; a floor names a metric by its dotted path (`events.root.f1`)."""
    failures = []
    for path, floor in sorted(floors.items()):
        value = _lookup(metrics, path)
        if value is None:
            failures.append(f"{path}: no such figure in this evaluation")
        elif value + 1e-9 < floor:
            failures.append(f"{path} = {value:.4f}, below its floor {floor:.4f}")
    return failures


def _lookup(metrics: dict[str, Any], path: str) -> float | None:
    """A figure by dotted path, or None."""
    node: Any = metrics
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, int | float) else None


def read_floors(path: str | Path, name: str) -> dict[str, float]:
    """The floors pinned for one gold source (by file name) in a baseline file; an error when there are none."""
    baseline: dict[str, dict[str, float]] = json.loads(Path(path).read_text(encoding="utf-8"))
    floors = baseline.get(name)
    if not floors:
        # A gate without floors would pass whatever happened: a renamed gold file must not switch it off.
        raise UsageError(f"{path} pins no floors for {name!r} (it has: {', '.join(baseline) or 'nothing'})")
    return floors
