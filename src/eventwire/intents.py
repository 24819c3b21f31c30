"""Codes for acts that are announced rather than done: intent, appeal, demand, refusal and threat.

CAMEO codes "Russia agreed to provide aid" as an intent (033), not as aid delivered (07x); "urged Israel to release
the hostages" as an appeal (0253), "refused to meet" as a rejection (125) and "threatened to strike" as a threat
(138). The five families share a layout in the codebook: the third digit says what is intended, appealed for,
demanded or refused (1 material cooperation, 2 diplomatic cooperation, 3 aid, 4 political reform, 5 yielding,
6 meeting, 7 settling a dispute, 8 mediation), and the fourth digit repeats the leaf of the act. This module turns
a family and the code of the embedded act into the code of the announcement, falling back to the most specific
code the codebook has.
"""

from __future__ import annotations

from typing import Literal

from . import ontology

Family = Literal["intent", "appeal", "demand", "refuse", "threaten"]

# The root of each family in the codebook.
ROOTS: dict[Family, str] = {"intent": "03", "appeal": "02", "demand": "10", "refuse": "12"}

# Embedded act (code prefix) → third digit of the family code; the longest matching prefix wins.
SLOTS: dict[str, str] = {
    "06": "1",
    "05": "2",
    "057": "7",
    "07": "3",
    "083": "4",
    "08": "5",
    "04": "6",
    "045": "8",
}

# Leaves of yielding (08x) → fourth digit under "yield" in the intent, appeal, demand and refusal families.
YIELD_LEAVES: dict[str, str] = {"081": "1", "082": "2", "084": "3", "085": "4", "086": "5", "087": "6"}

# Refusals do not follow the shared layout after 121: the codebook's own order.
REFUSALS: dict[str, str] = {
    "06": "121",
    "07": "122",
    "083": "123",
    "08": "124",
    "04": "125",
    "045": "126",
    "057": "127",
}

# Threats by what is threatened, longest prefix first.
THREATS: dict[str, str] = {
    "18": "1383",
    "19": "1384",
    "191": "1381",
    "192": "1382",
    "20": "1385",
    "15": "138",
    "17": "137",
    "14": "133",
    "16": "131",
    "161": "1313",
    "162": "1311",
    "163": "1312",
    "164": "134",
    "165": "135",
    "166": "136",
}


def announced(family: Family, act: str) -> str:
    """The code of announcing `act` (a CAMEO code) in a family: `announced("intent", "073") == "0333"`."""
    if family == "intent" and act[:2] == "15":
        return act  # deciding to hold drills or a flag march is the show of force itself, not a threat
    if family == "threaten" or (family == "intent" and _conflictual(act)):
        return _existing(_longest(THREATS, act) or "130")
    if family == "refuse":
        return _refusal(act)
    if family == "intent" and act[:3] == "045":
        return "039"  # offering to mediate is its own intent; 038 is accepting mediation
    root = ROOTS[family]
    slot = _longest(SLOTS, act)
    if slot is None:
        return root + "0"
    return _existing(root + slot + _leaf(act, slot))


def refusable(act: str) -> bool:
    """Whether CAMEO has a refusal of its own for an act (cooperation, aid, yielding, meeting, mediation,
    settling): declaring one will not do it is that refusal ("will not free the hostages" → 1243); acts
    without one, such as force, stay negated ("will not attack")."""
    return _longest(REFUSALS, act) is not None


def _refusal(act: str) -> str:
    """The rejection code for refusing an act; refusing to yield keeps the kind of yielding (1243 release), and
    refusing cooperation its kind (1213 judicial)."""
    code = _longest(REFUSALS, act) or "120"
    if code == "124":
        return _existing(code + YIELD_LEAVES.get(act[:3], ""))
    if code == "121" and len(act) >= 3 and act[2] != "0":
        return _existing(code + act[2])  # refusing extradition (063) is rejecting judicial cooperation, 1213
    return code


def _leaf(act: str, slot: str) -> str:
    """The fourth digit that carries the embedded act's leaf over (aid kind, cooperation kind, yield kind)."""
    if slot in ("1", "3") and len(act) >= 3 and act[2] != "0":
        return act[2]
    if slot == "5":
        return YIELD_LEAVES.get(act[:3], "")
    return ""


def _conflictual(act: str) -> bool:
    """Whether an act is conflict (roots 10–20): intending it is a threat, not an intent to cooperate."""
    return ontology.root(act) >= "10"


def _longest(table: dict[str, str], act: str) -> str | None:
    """The value of the longest key that prefixes the act's code."""
    for size in (4, 3, 2):
        if act[:size] in table and len(act) >= size:
            return table[act[:size]]
    return None


def _existing(code: str) -> str:
    """The code itself when the codebook has it, else its nearest ancestor that it has."""
    codes = ontology.cameo_codes()
    while len(code) > 3 and code not in codes:
        code = code[:-1]
    return code
