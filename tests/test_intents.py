"""Codes of announced acts: intent, appeal, demand, refusal and threat, computed from the embedded act."""

from __future__ import annotations

import pytest

from eventwire import ontology
from eventwire.intents import announced, refusable


@pytest.mark.parametrize(
    ("family", "act", "expected"),
    [
        ("intent", "073", "0333"),  # agreed to provide humanitarian aid
        ("intent", "070", "033"),  # offered aid of no stated kind
        ("intent", "040", "036"),  # plans to meet
        ("intent", "042", "036"),  # will visit
        ("intent", "045", "039"),  # offered to mediate
        ("intent", "057", "037"),  # agreed to sign a peace deal
        ("intent", "062", "0312"),  # pledged military cooperation
        ("intent", "0841", "0353"),  # promised to release the hostages
        ("intent", "0871", "0356"),  # agreed to a ceasefire
        ("intent", "010", "030"),  # nothing more specific: intent to cooperate
        ("intent", "190", "1384"),  # vowed to fight: a threat of attack, not an intent to cooperate
        ("intent", "195", "1384"),  # committed to ongoing airstrikes: a threat of conventional attack
        ("intent", "173", "137"),  # plans to arrest: threat of repression
        ("intent", "150", "150"),  # decided to hold drills: the show of force itself
        ("threaten", "150", "138"),  # threatened a show of force
        ("appeal", "0841", "0253"),  # urged them to release
        ("appeal", "040", "026"),  # called on both sides to talk
        ("appeal", "073", "0233"),  # appealed for humanitarian aid
        ("appeal", "111", "020"),  # an appeal with no cooperative content is the generic one
        ("demand", "087", "1056"),  # demanded de-escalation
        ("demand", "040", "106"),
        ("refuse", "040", "125"),  # refused to meet
        ("refuse", "0841", "1243"),  # refused to release
        ("refuse", "057", "127"),  # rejected the agreement
        ("refuse", "063", "1213"),  # refused to extradite: rejects judicial cooperation
        ("refuse", "061", "1211"),  # refused economic cooperation
        ("refuse", "060", "121"),  # refused material cooperation of no stated kind
        ("refuse", "190", "120"),
        ("threaten", "190", "1384"),  # threatened to attack: conventional attack
        ("threaten", "183", "1383"),  # threatened a bombing: unconventional violence
        ("threaten", "2041", "1385"),  # threatened chemical weapons: weapons of mass destruction
        ("threaten", "191", "1381"),  # threatened a blockade
        ("threaten", "163", "1312"),  # threatened sanctions
        ("threaten", "161", "1313"),  # threatened to cut ties
        ("threaten", "164", "134"),  # threatened to walk out of talks
        ("threaten", "141", "133"),  # threatened protests
        ("threaten", "010", "130"),
    ],
)
def test_announced_codes(family: str, act: str, expected: str) -> None:
    """Each family puts the embedded act where the codebook does."""
    assert announced(family, act) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("family", ["intent", "appeal", "demand", "refuse", "threaten"])
def test_every_announced_code_exists(family: str) -> None:
    """Whatever the embedded act, the result is a code of the codebook, never an invented one."""
    codes = ontology.cameo_codes()
    for act in codes:
        if len(act) >= 3:
            assert announced(family, act) in codes, (family, act)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("act", "expected"),
    [
        ("0841", True),  # release: refuse to release persons, 1243
        ("040", True),  # meet: reject a proposal to meet, 125
        ("063", True),  # extradite: reject judicial cooperation, 1213
        ("073", True),  # provide aid: reject a request for aid, 122
        ("057", True),  # sign an agreement: reject the agreement, 127
        ("0874", True),  # withdraw: refuse to de-escalate, 1246
        ("190", False),  # attack: CAMEO has no refusal to attack
        ("173", False),  # arrest
        ("111", False),  # criticise
        ("010", False),  # make a statement
        ("0353", False),  # an intent already announces
    ],
)
def test_refusable(act: str, expected: bool) -> None:
    """An act has a refusal of its own when the codebook's 12x lays one out for it."""
    assert refusable(act) is expected
