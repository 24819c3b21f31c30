"""Scoring the grouping of mentions into events against gold event clusters, on a tiny synthetic dataset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.evaluation import clusters, datasets, report
from eventwire.evaluation.evaluate import evaluate
from eventwire.evaluation.gold import ClusterMention, GoldCluster, Ref, read_clusters, text_sha1
from eventwire.evaluation.importers import detect_format, import_gold
from eventwire.model import Article, EventMention, Source, Span
from eventwire.pipeline import Pipeline
from eventwire.serialize import to_json

# Written for this test: two reports of one attack, a second attack the same day, and a meeting.
DOC_A = "Rebels shelled the town of Arden on Monday. Later the rebels shelled Arden again, officials said."
DOC_B = "Rebel forces shelled Arden on Monday, killing two. The defence minister met the envoy on Monday."


def _mention(doc: str, text: str, needle: str, code: str | None = None) -> ClusterMention:
    """A gold mention of the sentence of `text` that holds `needle`."""
    at = text.index(needle)
    start = text.rfind(". ", 0, at) + 2 if ". " in text[:at] else 0
    end = text.index(".", at) + 1
    return ClusterMention(Ref("synthetic", doc, start, end, text_sha1(text[start:end])), code)


def _event(text: str, index: int, trigger: str, code: str = "190") -> EventMention:
    """A predicted mention whose trigger is the first occurrence of `trigger` after the previous index."""
    start = text.index(trigger) if index == 0 else text.index(trigger, text.index(".") + 1)
    return EventMention(index, 0, Span(start, start + len(trigger), trigger), code, ["REB"], ["XYZ"])


def _article(doc: str, text: str, events: list[EventMention]) -> Article:
    """A coded article."""
    article = Article(doc, text, None, None, None, 0, Source(doc, "test"))
    article.events = events
    return article


@pytest.fixture
def gold() -> list[GoldCluster]:
    """The first attack reported twice (A, B), the second attack once (A), the meeting once (B)."""
    return [
        GoldCluster(
            "c1",
            [_mention("A", DOC_A, "Rebels shelled", "190"), _mention("B", DOC_B, "Rebel forces", "190")],
        ),
        GoldCluster("c2", [_mention("A", DOC_A, "again", "190")]),
        GoldCluster("c3", [_mention("B", DOC_B, "met the envoy", "040")]),
    ]


def test_pairwise_figures_of_a_known_grouping(gold: list[GoldCluster]) -> None:
    """One right pair, one over-merge (the two attacks in one event), one split and an unmatched mention."""
    articles = {
        "A": _article("A", DOC_A, [_event(DOC_A, 0, "shelled"), _event(DOC_A, 1, "shelled")]),
        "B": _article("B", DOC_B, [_event(DOC_B, 0, "shelled")]),
    }
    # A's two attacks are grouped together (wrong), B's report of the first is left alone (a split).
    predicted = clusters.Predicted(articles, {("A", 0): "e1", ("A", 1): "e1", ("B", 0): "e2"})
    scores, mismatches = clusters.score_clusters(gold, predicted)
    assert (scores.mentions, scores.matched, scores.same_root, scores.gold_pairs) == (4, 3, 3, 1)
    # Pairs over the matched mentions: (c1-A, c1-B) gold+, split; (c1-A, c2) gold-, merged; (c1-B, c2) both -.
    assert (scores.pairs.tp, scores.pairs.fp, scores.pairs.fn) == (0, 1, 1)
    assert scores.pairs.precision == 0.0 and scores.pairs.recall == 0.0
    assert sorted(m.aspect for m in mismatches) == ["cluster pair (over-merged)", "cluster pair (split)"]

    right = clusters.Predicted(articles, {("A", 0): "e1", ("A", 1): "e3", ("B", 0): "e1"})
    scores, mismatches = clusters.score_clusters(gold, right)
    assert (scores.pairs.tp, scores.pairs.fp, scores.pairs.fn) == (1, 0, 0)
    assert scores.pairs.f1 == 1.0 and mismatches == []


def test_alignment_is_one_to_one_and_skips_ungrouped_mentions(gold: list[GoldCluster]) -> None:
    """A predicted mention serves one gold mention; a mention the store did not group (ineligible) matches none."""
    both_in_one = _article("A", DOC_A, [_event(DOC_A, 0, "shelled"), _event(DOC_A, 1, "Arden", "111")])
    predicted = clusters.Predicted({"A": both_in_one}, {("A", 0): "e1"})
    aligned = clusters.align(gold, predicted)
    assert set(aligned) == {(0, 0)}


@pytest.fixture
def synthetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A gold cluster file on a one-document TempEval-style dataset found through EVENTWIRE_DATASETS."""
    text = "Vladimir Putin met Recep Tayyip Erdogan in Sochi on Monday. The two leaders held talks in Sochi."
    folder = tmp_path / "datasets" / "te3-silver-news" / "part"
    folder.mkdir(parents=True)
    (folder / "AFP_ENG_20191022.0001.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" value="2019-10-22" functionInDocument="CREATION_TIME">x</TIMEX3></DCT>'
        f"<TEXT>{text}</TEXT></TimeML>",
        encoding="utf-8",
    )
    monkeypatch.setenv("EVENTWIRE_DATASETS", str(tmp_path / "datasets"))
    datasets.documents.cache_clear()
    first, second = text.index(" The") + 1, len(text)
    mentions = [
        ClusterMention(Ref("te3-silver-news", "AFP_ENG_20191022.0001", s, e, text_sha1(text[s:e])), "040")
        for s, e in ((0, first - 1), (first, second))
    ]
    path = tmp_path / "clusters.jsonl"
    path.write_text(to_json(GoldCluster("c1", mentions, split="dev")) + "\n", encoding="utf-8")
    yield path
    datasets.documents.cache_clear()


def test_cluster_gold_runs_through_eval(synthetic: Path, pipeline: Pipeline) -> None:
    """A cluster file is detected, read, run through the pipeline and the store's grouping, and reported."""
    assert detect_format(synthetic) == "clusters"
    assert [c.id for c in read_clusters(synthetic)] == ["c1"]
    result = evaluate(import_gold(synthetic), pipeline, name=synthetic.name)
    metrics = result.metrics()
    assert metrics["clusters"]["clusters"] == 1 and metrics["clusters"]["mentions"] == 2
    assert metrics["clusters"]["gold_pairs"] == 1
    assert set(metrics["splits"]) == {"dev"}
    assert "pairwise precision" in report.to_markdown(result)
    assert clusters.outlet("AFP_ENG_20191022.0001") == "AFP"
