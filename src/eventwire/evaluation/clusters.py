"""Scoring the grouping of mentions into events against hand-labelled event clusters.

A gold cluster is a set of mentions (spans of dataset documents) that report one real-world event. The pipeline
codes every referenced document; its eligible mentions are grouped into events exactly as the store groups them
(near copies linked, then `clustering.cluster` under the default `MatchRule`), in a throwaway in-memory store.
Each gold mention is aligned with at most one predicted mention of its document whose trigger overlaps the gold
span; over every pair of aligned gold mentions, a pair is gold-positive when both lie in one gold cluster and
predicted-positive when both lie in one predicted event. The share of gold mentions aligned is reported beside the
pairwise figures, so that extraction misses are not mistaken for grouping errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from .. import ontology
from ..errors import DatasetMissing, EventwireError, RefMismatch
from ..model import Article, EventMention, Source
from ..pipeline import Pipeline
from ..store import Batch, Store
from .datasets import documents
from .gold import ClusterMention, GoldCluster, text_sha1
from .scoring import Counts, Mismatch

if TYPE_CHECKING:
    from .evaluate import Evaluation

# Outlets of the wire services whose document ids start with these prefixes (TempEval-3 silver: AFP_ENG_…).
OUTLETS = {"AFP": "AFP", "XIN": "Xinhua", "APW": "AP", "NYT": "New York Times"}

# A predicted mention: article id and mention index; a gold mention: cluster and mention positions.
_Key = tuple[str, int]
_GoldKey = tuple[int, int]


@dataclass(slots=True)
class ClusterScores:
    """Pairwise clustering figures and how many gold mentions could be scored."""

    clusters: int = 0
    mentions: int = 0
    matched: int = 0
    same_root: int = 0
    gold_pairs: int = 0
    pairs: Counts = field(default_factory=Counts)

    def add(self, other: ClusterScores) -> None:
        """Add another group's counts (a split, a batch of documents)."""
        self.clusters += other.clusters
        self.mentions += other.mentions
        self.matched += other.matched
        self.same_root += other.same_root
        self.gold_pairs += other.gold_pairs
        self.pairs.add(other.pairs.tp, other.pairs.fp, other.pairs.fn)

    def metrics(self) -> dict[str, Any]:
        """The figures, rounded for reports."""
        return {
            "clusters": self.clusters,
            "mentions": self.mentions,
            "matched": self.matched,
            "matched_share": round(self.matched / self.mentions, 4) if self.mentions else 0.0,
            "matched_same_root": self.same_root,
            "gold_pairs": self.gold_pairs,
            "pairwise": self.pairs.as_dict(),
        }


def check_refs(clusters: Iterable[GoldCluster]) -> list[str]:
    """Why mentions do not resolve: unknown documents, or text that no longer matches its checksum."""
    problems = []
    for cluster in clusters:
        for mention in cluster.mentions:
            ref = mention.ref
            doc = documents(ref.dataset).get(ref.doc)
            if doc is None:
                problems.append(f"{cluster.id}: no document {ref.doc!r} in {ref.dataset}")
            elif text_sha1(doc.text[ref.start : ref.end]) != ref.sha1:
                problems.append(f"{cluster.id}: the text at {ref.doc}:{ref.start}-{ref.end} has changed")
    return problems


def evaluate_clusters(
    clusters: Iterable[GoldCluster], pipeline: Pipeline, name: str = "clusters"
) -> Evaluation:
    """Score the grouping of the pipeline's mentions against gold clusters; one grouping run per split."""
    # evaluate.py dispatches here and imports this module lazily: import it back the same way.
    from .evaluate import Evaluation

    result = Evaluation(name)
    result.clusters = ClusterScores()
    by_split: dict[str | None, list[GoldCluster]] = {}
    for cluster in clusters:
        by_split.setdefault(cluster.split, []).append(cluster)
    for split, group in sorted(by_split.items(), key=lambda kv: kv[0] or ""):
        try:
            problems = check_refs(group)
        except DatasetMissing as exc:
            result.skipped[exc.reason] = result.skipped.get(exc.reason, 0) + len(group)
            continue
        if problems:
            raise RefMismatch("; ".join(problems[:5]))
        predicted = predict_events(group, pipeline)
        for reason, n in predicted.failures.items():
            result.skipped[reason] = result.skipped.get(reason, 0) + n
        scores, mismatches = score_clusters(group, predicted)
        result.clusters.add(scores)
        result.mismatches += mismatches
        if split:
            result.cluster_splits[split] = scores
    return result


@dataclass(slots=True)
class Predicted:
    """The coded documents by id, and the event each grouped mention was put in (by article id and index)."""

    articles: dict[str, Article]
    events: dict[_Key, str]
    # Why documents could not be coded, with how many: their mentions stay unmatched.
    failures: dict[str, int] = field(default_factory=dict)


def predict_events(clusters: list[GoldCluster], pipeline: Pipeline) -> Predicted:
    """The referenced documents coded by the pipeline, and the events their eligible mentions are grouped into.

    Grouping is the store's own: the articles are written to an in-memory store, which links near copies and
    groups the eligible mentions under the default rule; ineligible mentions keep no event.
    """
    refs = sorted({(m.ref.dataset, m.ref.doc) for c in clusters for m in c.mentions})
    articles = [_article(dataset, doc) for dataset, doc in refs]
    results = pipeline.annotate(articles)
    parsed = [a for a in results if not isinstance(a, EventwireError)]
    failures: dict[str, int] = {}
    for failed in (r for r in results if isinstance(r, EventwireError)):
        reason = f"pipeline failed on a document: {failed.reason}"
        failures[reason] = failures.get(reason, 0) + 1
    store = Store(":memory:")
    try:
        store.write(Batch(parsed, [], []))
        links = store.con.execute("SELECT article_id, mention_idx, event_id FROM event_links").fetchall()
    finally:
        store.close()
    return Predicted({a.id: a for a in parsed}, {(a, int(i)): e for a, i, e in links}, failures)


def _article(dataset: str, doc: str) -> Article:
    """An unparsed article holding a dataset document, its id the document id and its outlet from the id."""
    source = documents(dataset)[doc]
    return Article(
        id=doc,
        text=source.text,
        title=None,
        date=dt.date.fromisoformat(source.date[:10]) if source.date else None,
        date_source="gold",
        body_start=0,
        source=Source(doc, "gold"),
        metadata={"outlet": outlet(doc)},
    )


def outlet(doc: str) -> str | None:
    """The wire service of a document, from its id's prefix."""
    return OUTLETS.get(doc.split("_", 1)[0])


def align(clusters: list[GoldCluster], predicted: Predicted) -> dict[_GoldKey, EventMention]:
    """Gold mentions (cluster index, mention index) matched one to one with grouped predicted mentions.

    A predicted mention is a candidate for a gold mention of its document when its trigger overlaps the gold
    span. Pairs are taken greedily, best first: the same CAMEO root as the gold code (when it has one), a trigger
    wholly inside the span, then the longer overlap; ties go to the earlier gold mention and predicted mention.
    """
    candidates = []
    for ci, cluster in enumerate(clusters):
        for mi, mention in enumerate(cluster.mentions):
            article = predicted.articles.get(mention.ref.doc)
            if article is None:
                continue
            for event in article.events:
                if (article.id, event.index) not in predicted.events:
                    continue
                overlap = min(event.trigger.end, mention.ref.end) - max(
                    event.trigger.start, mention.ref.start
                )
                if overlap <= 0:
                    continue
                inside = mention.ref.start <= event.trigger.start and event.trigger.end <= mention.ref.end
                key = (_same_root(mention, event), inside, overlap)
                candidates.append((key, (ci, mi), (mention.ref.doc, event.index), event))
    candidates.sort(key=lambda c: (tuple(-int(x) for x in c[0]), c[1], c[2]))
    taken: set[_Key] = set()
    out: dict[_GoldKey, EventMention] = {}
    for _, gold_key, predicted_key, event in candidates:
        if gold_key not in out and predicted_key not in taken:
            out[gold_key] = event
            taken.add(predicted_key)
    return out


def _same_root(mention: ClusterMention, event: EventMention) -> bool:
    """Whether a predicted mention's CAMEO root is the gold mention's (False when the gold has no code)."""
    return mention.code is not None and ontology.root(mention.code) == ontology.root(event.code)


def score_clusters(clusters: list[GoldCluster], predicted: Predicted) -> tuple[ClusterScores, list[Mismatch]]:
    """Pairwise precision and recall of the predicted grouping over aligned gold mentions, and the wrong pairs."""
    aligned = align(clusters, predicted)
    scores = ClusterScores(clusters=len(clusters), mentions=sum(len(c.mentions) for c in clusters))
    scores.matched = len(aligned)
    scores.same_root = sum(
        _same_root(clusters[ci].mentions[mi], event) for (ci, mi), event in aligned.items()
    )
    scores.gold_pairs = sum(len(c.mentions) * (len(c.mentions) - 1) // 2 for c in clusters)
    mismatches = []
    for (a, event_a), (b, event_b) in combinations(sorted(aligned.items()), 2):
        gold = a[0] == b[0]
        doc_a, doc_b = clusters[a[0]].mentions[a[1]].ref.doc, clusters[b[0]].mentions[b[1]].ref.doc
        same = predicted.events[(doc_a, event_a.index)] == predicted.events[(doc_b, event_b.index)]
        scores.pairs.add(int(gold and same), int(same and not gold), int(gold and not same))
        if gold != same:
            mismatches.append(
                Mismatch(
                    f"{clusters[a[0]].id}/{a[1]} {clusters[b[0]].id}/{b[1]}",
                    "cluster pair (over-merged)" if same else "cluster pair (split)",
                    _describe(clusters[a[0]], a[1]) + " | " + _describe(clusters[b[0]], b[1]),
                    f"{_predicted(event_a)} | {_predicted(event_b)}",
                )
            )
    return scores, mismatches


def _describe(cluster: GoldCluster, index: int) -> str:
    """A gold mention for the error listing: cluster summary, document and offsets."""
    ref = cluster.mentions[index].ref
    return f"{cluster.summary or cluster.id} @ {ref.doc}:{ref.start}-{ref.end}"


def _predicted(event: EventMention) -> str:
    """A predicted mention for the error listing: code, sides, date and trigger."""
    return (
        f"{event.code} {'+'.join(event.source) or '-'}→{'+'.join(event.target) or '-'} "
        f"{event.date or '?'} '{event.trigger.text}'"
    )
