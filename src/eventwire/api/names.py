"""Readable names of actor and event codes for the API: `ISRGOV` → "Israel government", `190` → its CAMEO name.

Names come from the shipped dictionaries (organisations by their code, countries by their ISO3 code, the
country-code table for older codes) and the CAMEO role codes; they are labels for people reading the data, never
used to select it.
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from importlib import resources

from .. import dictionaries, ontology

# CAMEO role codes after a country or actor type, as words (docs/gold-format.md lists the common ones).
ROLES = {
    "GOV": "government",
    "MIL": "military",
    "REB": "rebels",
    "OPP": "opposition",
    "COP": "police",
    "JUD": "judiciary",
    "LEG": "legislature",
    "MED": "media",
    "BUS": "business",
    "CVL": "civilians",
    "EDU": "education",
    "HLH": "health",
    "REF": "refugees",
    "ELI": "elites",
    "SPY": "intelligence",
    "UAF": "unidentified armed forces",
    "INS": "insurgents",
    "CRM": "criminals",
    "LAB": "labour",
    "AGR": "agriculture",
    "ENV": "environment",
    "HRI": "human rights",
    "RAD": "radicals",
    "MOD": "moderates",
    "IGO": "intergovernmental organisation",
    "NGO": "non-governmental organisation",
    "NGM": "non-governmental movement",
    "PTY": "party",
    "SET": "settlers",
    "IMG": "immigrants",
    "DEV": "development",
}


@functools.cache
def _organisations() -> dict[str, str]:
    """Organisation codes and the shortest name among the organisations coded so (the best-known form)."""
    names: dict[str, set[str]] = defaultdict(set)
    for entries in dictionaries.shipped().names.values():
        for entry in entries:
            if entry.kind != "organisation":
                continue
            for stint in entry.stints:
                names[stint.code].add(entry.name)
    return {code: min(found, key=lambda n: (len(n), n)) for code, found in names.items()}


@functools.cache
def _countries() -> dict[str, str]:
    """Codes that open an actor code and the name of the country or actor type they stand for."""
    text = (resources.files("eventwire") / "data" / "cameo_countries.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    names = {r["code"]: r["name"] for r in rows if r["name"]}
    names.update({iso3: c.name for iso3, c in dictionaries.shipped().countries.items()})
    return names


@functools.cache
def actor_name(code: str) -> str | None:
    """A label for an actor code: the organisation's name, else the country (or type) and its roles in words."""
    if not code:
        return None
    organisation = _organisations().get(code)
    if organisation:
        return organisation
    head = _countries().get(code[:3]) or ROLES.get(code[:3])
    parts = [ROLES.get(code[i : i + 3], code[i : i + 3]) for i in range(3, len(code), 3)]
    if head is None:
        return None
    return " ".join([head, *parts])


def warm() -> None:
    """Load the names now (they take seconds to read), rather than on the first request that shows one."""
    _organisations()
    _countries()
    ontology.cameo_codes()


def actor_names(codes: list[str] | None) -> list[str | None]:
    """Labels of a list of actor codes, in order."""
    return [actor_name(c) for c in codes or []]


def code_name(code: str | None) -> str | None:
    """The CAMEO name of an event code, or None when the code is not CAMEO's."""
    if not code:
        return None
    entry = ontology.cameo_codes().get(code)
    return entry.name if entry else None


def matching_codes(words: str) -> list[str]:
    """Actor codes whose label contains the words (case-insensitive): organisations and country codes."""
    needle = words.casefold().strip()
    if not needle:
        return []
    found = {code for code, name in _organisations().items() if needle in name.casefold()}
    found |= {code for code, name in _countries().items() if needle in name.casefold()}
    return sorted(found)
