"""Evaluation runs: gold items in, the pipeline run on their texts, scores, error listing and the quality gate."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DatasetMissing, EventwireError, RefMismatch, UsageError
from ..model import Article, Source, Span
from ..pipeline import Pipeline
from .datasets import documents, resolve
from .gold import GoldCluster, GoldItem
from .scoring import Mismatch, Scores, score_item

if TYPE_CHECKING:
    from .clusters import ClusterScores

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
    # Set when the gold is event clusters: pairwise clustering figures instead of extraction scores.
    clusters: ClusterScores | None = None
    cluster_splits: dict[str, ClusterScores] = field(default_factory=dict)

    def metrics(self) -> dict[str, Any]:
        """All figures, with per-split figures where the gold has splits."""
        if self.clusters is not None:
            return self._cluster_metrics()
        out = self.scores.metrics()
        if self.splits:
            out["splits"] = {name: s.metrics() for name, s in sorted(self.splits.items())}
        if self.skipped:
            out["skipped"] = dict(self.skipped)
        return out

    def _cluster_metrics(self) -> dict[str, Any]:
        """The clustering figures, per split too."""
        assert self.clusters is not None
        out: dict[str, Any] = {"clusters": self.clusters.metrics()}
        if self.cluster_splits:
            out["splits"] = {
                name: {"clusters": s.metrics()} for name, s in sorted(self.cluster_splits.items())
            }
        if self.skipped:
            out["skipped"] = dict(self.skipped)
        return out


def evaluate(items: Iterable[GoldItem | GoldCluster], pipeline: Pipeline, name: str = "gold") -> Evaluation:
    """Run the pipeline on every gold item's text and score it; items whose text is unavailable are counted.

    An item cut from a dataset document (a `ref`) is judged in its context: the whole document is parsed once and
    the records that fall inside the item are kept, as an actor or a date needs the article around it. Gold event
    clusters are scored for grouping instead (`clusters.evaluate_clusters`).
    """
    records = iter(items)
    first = next(records, None)
    if isinstance(first, GoldCluster):
        from .clusters import evaluate_clusters

        return evaluate_clusters(
            (c for c in chain([first], records) if isinstance(c, GoldCluster)), pipeline, name
        )
    result = Evaluation(name)
    gold = (i for i in chain([first] if first else [], records) if isinstance(i, GoldItem))
    iterator = iter(_resolved(gold, result))
    while batch := list(islice(iterator, BATCH)):
        for item, article in zip(batch, _predict(batch, pipeline), strict=True):
            if isinstance(article, EventwireError):
                _skip(result, f"pipeline failed: {article.reason}")
                continue
            result.texts[item.id] = item.text or ""
            result.mismatches += score_item(item, article, result.scores)
            if item.split:
                score_item(item, article, result.splits.setdefault(item.split, Scores()))
    return result


def _predict(batch: list[GoldItem], pipeline: Pipeline) -> list[Article | EventwireError]:
    """The pipeline's article for each item: of its own text, or of its document cut down to the item."""
    documents: dict[tuple[str, str], Article] = {}
    for item in batch:
        if item.ref is not None:
            key = (item.ref.dataset, item.ref.doc)
            if key not in documents:
                documents[key] = _document_article(item)
    parsed_docs = dict(zip(documents, pipeline.annotate(list(documents.values())), strict=True))
    own = [item for item in batch if item.ref is None]
    parsed_own = dict(zip((i.id for i in own), pipeline.annotate([_article(i) for i in own]), strict=True))
    out: list[Article | EventwireError] = []
    for item in batch:
        if item.ref is None:
            out.append(parsed_own[item.id])
            continue
        parsed = parsed_docs[(item.ref.dataset, item.ref.doc)]
        out.append(
            parsed if isinstance(parsed, EventwireError) else cut(parsed, item.ref.start, item.ref.end)
        )
    return out


def _document_article(item: GoldItem) -> Article:
    """An unparsed article holding the whole dataset document an item was cut from."""
    assert item.ref is not None
    text = documents(item.ref.dataset)[item.ref.doc].text
    return Article(
        id=item.ref.doc,
        text=text,
        title=None,
        date=item.date,
        date_source="gold",
        body_start=0,
        source=Source(item.ref.doc, "gold"),
    )


def cut(article: Article, start: int, end: int) -> Article:
    """The part of a parsed article between two offsets: its text, and the records inside it, offsets shifted."""
    part = Article(
        id=article.id,
        text=article.text[start:end],
        title=None,
        date=article.date,
        date_source=article.date_source,
        body_start=0,
        source=article.source,
        pipeline=article.pipeline,
    )
    part.entities = [
        replace(e, span=_shift(e.span, start)) for e in article.entities if _inside(e.span, start, end)
    ]
    part.actors = [
        replace(a, span=_shift(a.span, start)) for a in article.actors if _inside(a.span, start, end)
    ]
    part.places = [
        replace(p, span=_shift(p.span, start)) for p in article.places if _inside(p.span, start, end)
    ]
    part.dates = [
        replace(d, span=_shift(d.span, start)) for d in article.dates if _inside(d.span, start, end)
    ]
    part.events = [
        replace(e, trigger=_shift(e.trigger, start)) for e in article.events if _inside(e.trigger, start, end)
    ]
    part.quotes = [
        replace(
            q,
            span=_shift(q.span, start),
            speaker=_shift_inside(q.speaker, start, end),
            cue=_shift_inside(q.cue, start, end),
        )
        for q in article.quotes
        if _inside(q.span, start, end)
    ]
    return part


def _inside(span: Span, start: int, end: int) -> bool:
    """Whether a span lies between two offsets."""
    return start <= span.start and span.end <= end


def _shift(span: Span, start: int) -> Span:
    """A span moved to offsets counted from `start`."""
    return Span(span.start - start, span.end - start, span.text)


def _shift_inside(span: Span | None, start: int, end: int) -> Span | None:
    """A span moved to offsets counted from `start`, or None when it is absent or outside the cut."""
    return _shift(span, start) if span is not None and _inside(span, start, end) else None


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
