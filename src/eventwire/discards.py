"""Sentences the event coder leaves alone: sport, markets, entertainment, weather and obituaries.

"United attacked down the left", "Stocks plunged" and "the storm hit the coast" use the verbs of political
events without being any. The list is data (`data/events/discards.csv`) so that users can read and extend it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span

SUBJECTS = ("nsubj", "nsubjpass")


@dataclass(frozen=True, slots=True)
class Discards:
    """Subject lemmas and sentence words that mark a sentence as out of scope, with their category."""

    subjects: dict[str, str]
    words: re.Pattern[str] | None


@lru_cache(maxsize=1)
def shipped() -> Discards:
    """The shipped discard list."""
    text = resources.files("eventwire").joinpath("data/events/discards.csv").read_text(encoding="utf-8")
    subjects: dict[str, str] = {}
    words: list[str] = []
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    for row in rows:
        if row["kind"] == "subject":
            subjects[row["term"].lower()] = row["category"]
        else:
            words.append(re.escape(row["term"]))
    pattern = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I) if words else None
    return Discards(subjects, pattern)


def discarded(sent: Span, discards: Discards | None = None) -> str | None:
    """The category a sentence is discarded for, or None when it may hold political events."""
    d = discards or shipped()
    if d.words is not None:
        hit = d.words.search(sent.text)
        if hit:
            return "word: " + hit.group(0)
    root = sent.root
    for child in root.children:
        if child.dep_ in SUBJECTS and child.lemma_.lower() in d.subjects and not child.ent_type_:
            return d.subjects[child.lemma_.lower()]
    return None
