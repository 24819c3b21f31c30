"""Modes on real parses: which clause a time phrase makes history of."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import annotated
from eventwire.dates import HISTORY
from eventwire.model import EventMention
from eventwire.pipeline import Pipeline

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
