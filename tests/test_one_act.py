"""One act, one event: what an attack did, and the purpose of an act, are not events of their own."""

from __future__ import annotations

import pytest

from conftest import annotated
from eventwire.pipeline import Pipeline


def _codes(pipeline: Pipeline, text: str) -> list[str]:
    """The codes of the events of a text (default pipeline, lexicon alone)."""
    return [e.code for e in annotated(pipeline, text).events if e.decided_by != "classifier"]


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces shelled Kherson overnight, killing two civilians.",
        "A Russian missile strike on Kharkiv killed seven people.",
        "Sixteen Syrian soldiers were killed in the attack on the base.",
        "Al Shabaab claimed responsibility for a car bomb that killed five people in Mogadishu.",
    ],
)
def test_the_harm_an_attack_did_is_not_a_second_event(pipeline: Pipeline, text: str) -> None:
    """The killing an attack caused is part of the attack: no killing code beside it."""
    codes = _codes(pipeline, text)
    assert codes, text
    assert not any(c.startswith("182") for c in codes), codes
    assert len([c for c in codes if c[:2] in ("18", "19")]) == 1, codes


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Gunmen killed two Kenyan police officers near the border.", 1),  # a killing alone is an event
        ("Kenyan police killed two suspects after they attacked a patrol.", 2),  # two acts, two events
    ],
)
def test_killings_of_their_own_stay(pipeline: Pipeline, text: str, count: int) -> None:
    """A killing that is not the outcome of another coded act stays an event."""
    assert len([c for c in _codes(pipeline, text) if c[:2] in ("18", "19")]) == count


def test_a_purpose_of_the_same_kind_is_one_event(pipeline: Pipeline) -> None:
    """ "fired tear gas to disperse the protesters" is one act of repression, not two."""
    codes = _codes(pipeline, "Indian police fired tear gas to disperse the protesters.")
    assert codes.count("175") == 1, codes
