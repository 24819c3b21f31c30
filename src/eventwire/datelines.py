"""Wire-story datelines: the place a story was filed from, at the start of a paragraph ("MOSCOW, Dec. 10 (Reuters) -").

A dateline names where the reporter was, not who acted: the actor stage must not take its capital for the
government, and the places stage reads it as the story's default location. Stages don't import each other, so the
rule lives here for both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer

# How many paragraphs of a story's opening may hold its dateline (a headline or byline may come first).
OPENING_PARAGRAPHS = 3

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_QUALIFIER = r"(?:, (?P<qualifier>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,2}))?"
_DASH = r"(?:—|–|--?(?= ))"

# In capitals the place alone makes a dateline: nothing else opens a paragraph so ("GAZA CITY, Dec 10 -",
# "WASHINGTON (AP) —", "ATHENS, Ga., Dec. 10 —").
CAPITALS = re.compile(
    r"\s*(?P<place>[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,3})" + _QUALIFIER + r"\s*(?:,|\(|" + _DASH + ")"
)
# In title case only a date or an agency, then a dash, tells it from a sentence ("Moscow, the capital, was quiet").
TITLED = re.compile(
    r"\s*(?P<place>[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){0,3})"
    + _QUALIFIER
    + rf"(?:,? (?P<date>{_MONTH} \d{{1,2}}|\d{{1,2}} {_MONTH}))?"
    + r"\s*(?P<agency>\([A-Z][A-Za-z&.\- ]{0,30}\))?"
    + r"\s*"
    + _DASH
)


# With a colon, as Indian and other agencies write it ("NEW DELHI: The government…", "lucknow: police…"): any
# case, but only a city the gazetteer knows, since "However: …" or "Update: …" open paragraphs too.
COLON = re.compile(r"\s*(?P<place>[A-Za-z][A-Za-z'.\-]+(?: [A-Za-z][A-Za-z'.\-]+){0,2})\s*:\s")


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline's place (character offsets into the text) and the region or state qualifying it ("Ga.")."""

    start: int
    end: int
    place: str
    qualifier: str | None


def at(text: str, pos: int) -> Dateline | None:
    """The dateline opening the paragraph that starts at a position, if there is one."""
    match = CAPITALS.match(text, pos)
    if match is None:
        match = TITLED.match(text, pos)
        if match is not None and not (match["date"] or match["agency"]):
            match = None
    if match is not None:
        return Dateline(match.start("place"), match.end("place"), match["place"], match["qualifier"])
    match = COLON.match(text, pos)
    if match is not None and gazetteer.city_country(match["place"]) is not None:
        return Dateline(match.start("place"), match.end("place"), match["place"], None)
    return None


def country(text: str, body_start: int) -> str | None:
    """The country of the city a story is filed from, by the dateline of one of its first paragraphs."""
    for start in paragraph_starts(text, body_start)[:OPENING_PARAGRAPHS]:
        found = at(text, start)
        if found is not None:
            return gazetteer.city_country(found.place)
    return None


def paragraph_start(text: str, body_start: int, pos: int) -> int | None:
    """Where the paragraph of the body begins when only blank space precedes a position in it, else None."""
    if pos < body_start:
        return None
    start = max(text.rfind("\n", body_start, pos) + 1, body_start)
    return start if not text[start:pos].strip() else None


def is_dateline(text: str, body_start: int, start: int, end: int) -> bool:
    """Whether a span of an article's text is the place of a dateline opening one of its body's paragraphs."""
    opening = paragraph_start(text, body_start, start)
    if opening is None:
        return False
    found = at(text, opening)
    return found is not None and found.start == start and end <= found.end


# What may stand between a dateline's place and its dash: a region, a date, an agency in parentheses.
_HEADER = re.compile(r"[A-Za-z0-9.,()&' ]{0,60}?" + _DASH)


def headers(text: str, body_start: int) -> list[tuple[int, int]]:
    """The whole dateline of each body paragraph that opens with one, from its place to its dash ("MOSCOW, Dec.
    10 (Reuters) -"): words of a dateline are no actors (the agency is not a source of the story's events)."""
    found = []
    for start in paragraph_starts(text, body_start):
        dateline = at(text, start)
        if dateline is None:
            continue
        tail = _HEADER.match(text, dateline.end)
        found.append((dateline.start, tail.end() if tail else dateline.end))
    return found


def paragraph_starts(text: str, body_start: int) -> list[int]:
    """Where each paragraph (each non-blank line) of the body begins."""
    starts = [body_start]
    pos = text.find("\n", body_start)
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return [s for s in starts if text[s : text.find("\n", s) if "\n" in text[s:] else len(text)].strip()]
