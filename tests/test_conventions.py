"""Coding conventions that depend on who the actors are (eval/GUIDELINES.md), on real parses."""

from __future__ import annotations

import pytest

from conftest import annotated
from eventwire.pipeline import Pipeline


def _events(pipeline: Pipeline, text: str) -> list[tuple[str, list[str], list[str]]]:
    """(code, source, target) of every event of a text, with the default pipeline."""
    return [(e.code, e.source, e.target) for e in annotated(pipeline, text).events]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two Iranian journalists were arrested on Monday.", ("173", ["IRNCOP"], ["IRNMED"])),
        ("Three Kenyan students were detained overnight.", ("173", ["KENCOP"], ["KENEDU"])),
        # An agent is named: it is the source, not the convention.
        ("Two Iranian journalists were arrested by Turkish police.", ("173", ["TURCOP"], ["IRNMED"])),
    ],
)
def test_agentless_arrests_are_by_the_police(
    pipeline: Pipeline, text: str, expected: tuple[str, list[str], list[str]]
) -> None:
    """An arrest in the passive without an agent is coded to the police of the arrested person's country."""
    assert expected in _events(pipeline, text)


def test_no_police_without_a_country(pipeline: Pipeline) -> None:
    """Without a country for the arrested person, the source stays empty."""
    assert all(
        source == [] for code, source, _ in _events(pipeline, "The journalist was arrested.") if code == "173"
    )


def test_police_of_the_country_the_story_is_about(pipeline: Pipeline) -> None:
    """When the arrested are not coded, the police are the home country's of a story clearly about one."""
    text = "NAIROBI: Kenyan police fired tear gas at protesters. Later, the organisers were arrested."
    assert ("173", ["KENCOP"], []) in _events(pipeline, text)


def test_no_home_police_for_a_story_about_several_countries(pipeline: Pipeline) -> None:
    """A story about no single country gives no police to an arrest of people it does not code."""
    text = "Police in Kenya and Uganda fired tear gas. Later, the organisers were arrested."
    assert all(source == [] for code, source, _ in _events(pipeline, text) if code == "173")


def test_crowds_clashing_with_forces(pipeline: Pipeline) -> None:
    """Protesters clashing with troops: a violent protest one way, repression the other."""
    found = _events(pipeline, "Hundreds of Palestinians clashed with Israeli troops on Wednesday.")
    assert ("145", ["PSECVL"], ["ISRMIL"]) in found
    assert ("175", ["ISRMIL"], ["PSECVL"]) in found


def test_clashes_between_a_crowd_and_forces(pipeline: Pipeline) -> None:
    """ "Clashes between protesters and troops" is the same pair of events as "protesters clashed with troops"."""
    found = _events(pipeline, "Clashes between Palestinian protesters and Israeli troops lasted hours.")
    assert ("145", ["PSECVL"], ["ISRMIL"]) in found
    assert ("175", ["ISRMIL"], ["PSECVL"]) in found


def test_forces_clashing_with_fighters_stay_a_fight(pipeline: Pipeline) -> None:
    """Two armed sides clashing is fighting, not protest and repression."""
    found = _events(pipeline, "Israeli troops clashed with Hezbollah fighters near the border.")
    assert found and all(code.startswith("19") for code, _, _ in found)
