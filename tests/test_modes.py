"""Modes on real parses: which clause a time phrase makes history of, what prevents an act, what withholds
comment, which verb an act takes its tense from."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from conftest import annotated
from eventwire import modes
from eventwire.dates import HISTORY
from eventwire.model import EventMention
from eventwire.pipeline import Pipeline

if TYPE_CHECKING:
    from spacy.tokens import Token

SUNDAY = dt.date(2023, 12, 10)


def _event(pipeline: Pipeline, text: str, trigger: str) -> EventMention:
    """The one event of a text published on a Sunday whose trigger starts with a word."""
    (found,) = [e for e in annotated(pipeline, text, SUNDAY).events if e.trigger.text.startswith(trigger)]
    return found


@pytest.mark.parametrize(
    ("text", "trigger", "historical"),
    [
        # A time phrase that modifies the act itself, its light verb or its noun.
        ("Israel captured the Golan fifty years ago.", "captured", True),
        ("Israel launched an attack on Egypt decades ago.", "launched", True),
        ("Israel occupied the Sinai on June 5, 1967.", "occupied", True),
        ("Iraq invaded Kuwait in August 1990.", "invaded", True),
        ("Israel's invasion of Lebanon in 1982 was condemned by Syria.", "invasion", True),
        ("Hamas, which Israel fought decades ago, attacked Israel on Saturday.", "fought", True),
        ("Israel bombed the camp in Gaza, which Israel captured in 1967.", "captured", True),
        # One inside a participle, a relative clause, an apposition or another verb's clause times something else.
        ("Hamas, founded decades ago, attacked Israel on Saturday.", "attacked", False),
        ("Hamas, a group formed decades ago, attacked Israel on Saturday.", "attacked", False),
        ("Hamas, which Israel fought decades ago, attacked Israel on Saturday.", "attacked", False),
        ("Netanyahu, prime minister decades ago, met Putin on Monday.", "met", False),
        ("Syria condemned the attack on Gaza, recalling a war with Israel decades ago.", "condemned", False),
        ("Israel's invasion of Lebanon in 1982 was condemned by Syria.", "condemned", False),
        ("Israel bombed the camp in Gaza, which Israel captured in 1967.", "bombed", False),
        (
            "Israel struck Jenin in the West Bank, which it has occupied since 1967, on Monday.",
            "struck",
            False,
        ),
        # Weeks ago is news.
        ("Two weeks ago Israel struck Gaza.", "struck", False),
    ],
)
def test_history_is_what_the_time_phrase_modifies(
    pipeline: Pipeline, text: str, trigger: str, historical: bool
) -> None:
    """ "Decades ago" or "in 1967" makes history of the clause it modifies, not of every act of its sentence."""
    found = _event(pipeline, text, trigger)
    assert found.historical is historical
    if found.date_text is not None and found.date is not None:
        # the date stage, which dates the same clause, must tell the same story
        assert (found.date < SUNDAY - HISTORY) is historical, found.date_text


def _word(pipeline: Pipeline, text: str, word: str) -> Token:
    """The first token of a parsed text that is a word."""
    return next(t for t in pipeline.nlp(text) if t.text == word)


@pytest.mark.parametrize(
    ("text", "act", "frame", "failed"),
    [
        ("Troops were deployed to prevent an attack on the embassy.", "attack", "prevent", False),
        ("NATO moved troops to head off an invasion.", "invasion", "head", False),
        ("An invasion was averted.", "invasion", "averted", False),
        ("Israel failed to prevent the attack.", "attack", "prevent", True),
        ("Ukraine could not avert the war.", "war", "avert", True),
        # "headed" without its particle, "stopped", "repelled": no word of prevention.
        ("Israel headed the talks.", "talks", None, False),
        ("Troops stopped the attack.", "attack", None, False),
        ("Ukraine repelled the attack.", "attack", None, False),
    ],
)
def test_what_prevents_a_nominal_act(
    pipeline: Pipeline, text: str, act: str, frame: str | None, failed: bool
) -> None:
    """A nominal act whose preventing word is found (read with its particle), and whether the prevention failed."""
    found = modes.foreseen(_word(pipeline, text, act))
    assert (found.text if found is not None else None) == frame
    assert found is None or modes.failed_prevention(found) is failed


@pytest.mark.parametrize(
    ("text", "act", "kept"),
    [
        ("Police prevented protesters from marching.", "marching", True),
        ("Egypt barred Hamas from attacking Israel.", "attacking", True),
        ("Israel failed to stop Hamas from attacking.", "attacking", False),
        # "from" after a verb that keeps no one from anything.
        ("Russia withdrew from attacking Kyiv.", "attacking", False),
    ],
)
def test_kept_from_an_act(pipeline: Pipeline, text: str, act: str, kept: bool) -> None:
    """A verbal act someone is kept from, by a keeping that did not fail."""
    assert modes.kept_from(_word(pipeline, text, act)) is kept


@pytest.mark.parametrize(
    ("text", "withheld"),
    [
        ("The Kremlin would not comment.", True),
        ("The Kremlin won't comment.", True),
        ("The Kremlin said it would not comment.", True),
        ("The Kremlin did not comment.", False),
        ("The Kremlin would comment.", False),
        ("If asked, the Kremlin would not comment.", False),
        ("Would the Kremlin not comment?", False),
    ],
)
def test_withheld(pipeline: Pipeline, text: str, withheld: bool) -> None:
    """A negated "will" or "would" withholds what the verb says, outside questions and conditions."""
    assert modes.withheld(_word(pipeline, text, "comment")) is withheld


@pytest.mark.parametrize(
    ("text", "word", "future"),
    [
        ("The US will work with its partners to expel them.", "expel", True),
        ("He said the US would work with its partners to expel them.", "expel", True),
        ("Britain will deploy troops and impose sanctions.", "impose", True),
        ("Israel will send troops in order to attack Gaza.", "attack", True),
        ("He said Hamas would keep fighting.", "fighting", True),
        ("Putin is expected to meet Erdogan.", "meet", True),
        # Told in the past, or with a tense and subject of its own.
        ("The US worked with its partners to expel them.", "expel", False),
        ("Israel sent troops in order to attack Gaza.", "attack", False),
        ("Britain deployed troops and imposed sanctions.", "imposed", False),
        ("Britain will deploy troops, and France imposed sanctions.", "imposed", False),
        ("Britain will deploy troops and France will impose sanctions.", "deploy", True),
    ],
)
def test_future_through_purpose_and_coordination(
    pipeline: Pipeline, text: str, word: str, future: bool
) -> None:
    """An act takes the future of the verb it is the purpose, controlled infinitive or bare coordinate of."""
    assert modes.future(_word(pipeline, text, word)) is future


@pytest.mark.parametrize(
    ("text", "word", "governors"),
    [
        ("Israel will send troops in order to attack Gaza.", "attack", ["send"]),
        ("The US would use diplomacy and work with partners to expel them.", "expel", ["work", "use"]),
        ("Britain will deploy troops, and France imposed sanctions.", "imposed", []),
    ],
)
def test_tense_governors(pipeline: Pipeline, text: str, word: str, governors: list[str]) -> None:
    """The verbs an act takes its tense from, nearest first, and none for a clause with a tense of its own."""
    assert [t.text for t in modes.tense_governors(_word(pipeline, text, word))] == governors
