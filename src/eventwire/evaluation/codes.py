"""CAMEO-style actor codes normalised for scoring: ISO 3166-1 alpha-3 country first, then the role codes.

A CAMEO actor code is a run of three-letter parts: a country (`ISR`), a region (`AFR`) or a transnational actor
type (`IGO`, `NGO`…) opens it, and role or organisation codes follow (`ISRGOV`, `IGOUNO`, `USAGOVMIL`); a code may
also be a bare role (`COP`, `REB`). Records coded with older dictionaries use country codes ISO has withdrawn or
never had (`ROM`, `JAP`, `UAR`), so gold and predictions are compared after mapping them to ISO3 (`JAPMIL` →
`JPNMIL`). The table is `data/cameo_countries.csv`; a code whose first part is none of these (PETRARCH's
fictional `ARN`, `GON`) is reported as unknown rather than guessed at.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

# CAMEO's domestic role codes (primary and secondary roles of the actor codebook, Schrodt 2012), which may open a
# code that names no country. Organisation, religion and ethnic codes only ever follow another part, so the
# parser does not need them.
ROLE_CODES = frozenset(
    {
        "AGR", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "HLH", "HRI", "INS", "JUD", "LAB",
        "LEG", "MED", "MIL", "MOD", "OPP", "PTY", "RAD", "REB", "REF", "REL", "SEP", "SPY", "UAF",
    }
)  # fmt: skip

# PETRARCH writes `---` where an actor's country is unknown (`---GOV`): a known placeholder, not a country.
NO_COUNTRY = "---"

_CODE = re.compile(r"---[A-Z]*|[A-Z]+")


@dataclass(frozen=True, slots=True)
class CountryCode:
    """One row of the country table: a code that may open an actor code and what it normalises to."""

    code: str
    iso3: str | None
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class NormalisedActor:
    """An actor code split into its ISO3 country (or CAMEO region) and the role codes after it.

    `code` is the normalised code to compare (`JAPMIL` → `JPNMIL`); `known` is False when the code's first part
    is neither a country, a region, a transnational type nor a role, so its country could not be normalised.
    """

    country: str | None
    sectors: tuple[str, ...]
    code: str
    known: bool
    region: str | None = None


@functools.cache
def country_codes() -> dict[str, CountryCode]:
    """Every code the table knows, by code."""
    table = resources.files("eventwire") / "data" / "cameo_countries.csv"
    lines = [line for line in table.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {
        row["code"]: CountryCode(row["code"], row["iso3"] or None, row["name"], row["kind"])
        for row in csv.DictReader(lines)
    }


@functools.cache
def iso3_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-3 codes (and XKX, Kosovo) a normalised country can be."""
    return frozenset(c.code for c in country_codes().values() if c.kind in ("iso", "iso-user"))


def normalise_actor(code: str) -> NormalisedActor:
    """A CAMEO-style actor code split and normalised (`ISRGOV` → ISR + GOV, `JAPMIL` → JPN + MIL)."""
    raw = code.strip().upper()
    if not _CODE.fullmatch(raw):
        return NormalisedActor(None, (), raw, known=False)
    if raw.startswith(NO_COUNTRY):
        sectors = _chunks(raw[len(NO_COUNTRY) :])
        return NormalisedActor(None, sectors, NO_COUNTRY + "".join(sectors), known=True)
    head = _head(raw)
    if head is None:
        if raw[:3] in ROLE_CODES:
            return NormalisedActor(None, _chunks(raw), raw, known=True)
        # Keep the unknown part out of `country` (it is no ISO3) but still split off the roles after it.
        return NormalisedActor(None, _chunks(raw[3:]), raw, known=False)
    sectors = _chunks(raw[len(head.code) :])
    if head.kind == "transnational":
        return NormalisedActor(None, (head.code, *sectors), raw, known=True)
    if head.kind == "region":
        return NormalisedActor(None, sectors, raw, known=True, region=head.code)
    country = head.iso3 or head.code
    return NormalisedActor(country, sectors, country + "".join(sectors), known=True)


def unknown_countries(codes: Iterable[str]) -> set[str]:
    """The first parts of the codes that could not be normalised (`ARNGOV` → `ARN`; a malformed code whole)."""
    unknown = set()
    for code in codes:
        if not code.strip():
            continue
        actor = normalise_actor(code)
        if not actor.known:
            unknown.add(actor.code[:3] if _CODE.fullmatch(actor.code) else actor.code)
    return unknown


def _head(code: str) -> CountryCode | None:
    """The table entry that opens a code: three letters, or a two-letter legacy code such as `UK`."""
    table = country_codes()
    if code[:3] in table:
        return table[code[:3]]
    # Two-letter codes only where what follows still splits into whole three-letter parts (`UKGOV`).
    if code[:2] in table and len(code[2:]) % 3 == 0:
        return table[code[:2]]
    return None


def _chunks(rest: str) -> tuple[str, ...]:
    """The three-letter parts of what follows the first part; a shorter tail is kept as its own part."""
    return tuple(rest[i : i + 3] for i in range(0, len(rest), 3))
