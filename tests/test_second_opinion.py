"""The classifier as the event coder's second opinion: where the lexicon is silent or torn, and only there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from eventwire import events
from eventwire.actors import ActorStage
from eventwire.event_record import Event
from eventwire.events import EventStage, find_events
from eventwire.model import Article, EventMention, Source
from eventwire.nlp import annotate
from eventwire.pipeline import Pipeline


class FixedOpinion:
    """A stand-in classifier that gives every text the same scores (the real one is tested on its own)."""

    def __init__(self, scores: dict[str, float]) -> None:
        """Remember the scores to give."""
        self.scores = scores
        self.asked: list[str] = []

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """The fixed scores for each text, recording what was asked."""
        self.asked.extend(texts)
        return [dict(self.scores) for _ in texts]


def _coded(pipeline: Pipeline, text: str, opinion: object | None) -> list[EventMention]:
    """The events of a text with the real parse, actors and lexicon, and a given second opinion."""
    article = Article("a", text, None, dt.date(2024, 1, 10), None, 0, Source("t", "text"))
    doc = pipeline.nlp(text)
    article = ActorStage()(annotate(article, doc), doc)
    stage = EventStage()
    return find_events(article, doc, stage.lexicon, opinion)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "root", "source", "target"),
    [
        ("Russian troops pounded Ukrainian positions near Bakhmut.", "19", "RUSMIL", "UKR"),
        ("Israeli jets pummelled Hamas targets in Gaza overnight.", "19", "ISRMIL", "PSEREB"),
    ],
)
def test_the_shipped_classifier_codes_what_the_lexicon_misses(
    pipeline: Pipeline, text: str, root: str, source: str, target: str
) -> None:
    """A verb the lexicon lacks, between two actors, is coded by the classifier, which says so."""
    stage = EventStage()
    found = _coded(pipeline, text, stage.classifier)
    assert [(e.code[:2], e.source, e.target, e.decided_by) for e in found] == [
        (root, [source], [target], "classifier")
    ]
    assert found[0].rule is not None and found[0].rule.startswith("classifier: root")
    assert _coded(pipeline, text, None) == []


def test_no_opinion_where_the_lexicon_spoke(pipeline: Pipeline) -> None:
    """A sentence the lexicon codes unambiguously is not sent to the classifier."""
    opinion = FixedOpinion({"19": 0.99})
    found = _coded(pipeline, "Egypt condemned Israel on Monday.", opinion)
    assert [(e.code, e.decided_by) for e in found] == [("111", "lexicon")]
    assert opinion.asked == []


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"19": 0.95, "none": 0.05}, ["190"]),
        ({"19": 0.55, "none": 0.45}, []),  # below the threshold
        ({"none": 0.9, "19": 0.1}, []),  # "none" is never proposed
        ({"01": 0.9, "none": 0.1}, []),  # nor a bare statement
    ],
)
def test_proposals_need_confidence(pipeline: Pipeline, scores: dict[str, float], expected: list[str]) -> None:
    """The classifier proposes an event only above the threshold, and neither "none" nor a statement."""
    found = _coded(pipeline, "Russian troops pounded Ukrainian positions.", FixedOpinion(scores))
    assert [e.code for e in found] == expected


def test_no_proposal_without_actors(pipeline: Pipeline) -> None:
    """A sentence with no actor is not read by the classifier at all."""
    opinion = FixedOpinion({"19": 0.99})
    assert _coded(pipeline, "The weather pounded the coast for days.", opinion) == []
    assert opinion.asked == []


def test_settle_picks_the_likelier_root() -> None:
    """Of two equally specific lexicon readings with different roots, the classifier's likelier root wins."""
    event = Event([0], "190", [], [], "lexicon.csv:10", 0, alternatives=["111"])
    events._settle(event, {"11": 0.7, "19": 0.2})
    assert (event.code, event.decided_by, event.alternatives) == ("111", "lexicon+classifier", [])
    same = Event([0], "190", [], [], "lexicon.csv:10", 0, alternatives=["193"])
    events._settle(same, {"11": 0.7})
    assert (same.code, same.decided_by) == ("190", "lexicon")  # same root: not torn, left alone
