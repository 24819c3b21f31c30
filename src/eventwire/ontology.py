"""The CAMEO event ontology with its PLOVER equivalents, Goldstein scores and QuadClasses, loaded from data.

CAMEO codes are strings with their leading zeros (`"041"`, `"0333"`); `normalise_code` restores zeros that
spreadsheets dropped. The table is `data/cameo.csv`; `data/SOURCES.md` says where its facts come from.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

# Codes whose two sides play the same part: "A met B" and "B met A" report one act (consult, meet, negotiate,
# mediate, sign a formal agreement).
SYMMETRIC_CODES = frozenset({"040", "041", "044", "046", "057"})

QUAD_CLASSES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code and what it maps to."""

    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    plover_type: str | None
    plover_mode: str | None
    plover_context: tuple[str, ...]


@functools.cache
def cameo_codes() -> dict[str, CameoCode]:
    """Every CAMEO code by its string, from the shipped table."""
    table = resources.files("eventwire") / "data" / "cameo.csv"
    rows = csv.DictReader(table.read_text(encoding="utf-8").splitlines())
    return {row["code"]: _code(row) for row in rows}


def _code(row: dict[str, str]) -> CameoCode:
    """One table row as a CameoCode."""
    return CameoCode(
        code=row["code"],
        root=row["root"],
        name=row["name"],
        goldstein=float(row["goldstein"]),
        quad_class=int(row["quad_class"]),
        plover_type=row["plover_type"] or None,
        plover_mode=row["plover_mode"] or None,
        plover_context=tuple(c for c in row["plover_context"].split(";") if c),
    )


def normalise_code(raw: str | int) -> str:
    """A CAMEO code as its canonical string, restoring a leading zero lost in a spreadsheet (`41` → `041`).

    Raises ValueError for anything that is not a CAMEO code.
    """
    text = str(raw).strip()
    codes = cameo_codes()
    if text in codes:
        return text
    # Roots run 01-20, so one digit, or two leading digits above 20, can only mean a leading zero was lost.
    padded = f"0{text}"
    if text.isdigit() and padded in codes and (len(text) == 1 or int(text[:2]) > 20):
        return padded
    raise ValueError(f"not a CAMEO event code: {raw!r}")


def lookup(code: str | int) -> CameoCode:
    """The CAMEO entry of a code (normalised first); ValueError for unknown codes."""
    return cameo_codes()[normalise_code(code)]


def root(code: str | int) -> str:
    """The two-digit root of a CAMEO code (`"0333"` → `"03"`)."""
    return lookup(code).root


def plover_type(code: str | int) -> str | None:
    """The PLOVER event type of a CAMEO code, or None for public statements (01x), which PLOVER does not code."""
    return lookup(code).plover_type


def quad_class(code: str | int) -> int:
    """The QuadClass (1-4) of a CAMEO code."""
    return lookup(code).quad_class
