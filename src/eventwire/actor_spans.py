"""Spans for the actor stage: a document's noun chunks and entities, cached once; a phrase's bounds; and where a
word stands, as an actor that acts or is acted upon or as a place ("Moscow said", "missiles at Iran", "in Iran").
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from .model import trimmed

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Where a place name stands as a place, not as the government it may stand for.
PLACE_PREPOSITIONS = frozenset(
    {
        "in",
        "at",
        "near",
        "from",
        "into",
        "across",
        "outside",
        "inside",
        "around",
        "through",
        "toward",
        "towards",
        "throughout",
        "within",
        "over",
        "via",
        "off",
        "to",
        "onto",
        "along",
        "beyond",
        "north",
        "south",
    }
)
# Prepositions after which even a country name is where something happens, not who is acted upon.
LOCATIVE_PREPOSITIONS = frozenset(
    {
        "in",
        "inside",
        "within",
        "throughout",
        "across",
        "near",
        "around",
        "outside",
        "into",
        "over",
        "along",
        "via",
        "through",
        "beyond",
        "off",
    }
)
# Argument positions in which a place name acts or is acted upon.
ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "dobj", "dative", "agent", "attr", "appos"})
# Verbs of travel: their object is a destination ("visited Beijing"), not a government.
MOVEMENT_VERBS = frozenset({"visit", "tour", "leave", "reach", "enter", "arrive", "fly", "travel", "return"})
# "Hezbollah-led", "Iran-backed": a name joined to these modifies the noun after it and is not the actor.
HYPHEN_MODIFIERS = frozenset(
    {
        "led",
        "backed",
        "allied",
        "aligned",
        "sponsored",
        "funded",
        "supported",
        "run",
        "controlled",
        "held",
        "linked",
    }
)


def doc_cache(doc: Doc, what: str) -> list[Span]:
    """A document's noun chunks or entities, computed once: spaCy recomputes them for every span asking."""
    key = f"eventwire_{what}"
    if key not in doc.user_data:
        doc.user_data[key] = list(doc.noun_chunks) if what == "chunks" else list(doc.ents)
        doc.user_data[f"{key}_starts"] = [s.start for s in doc.user_data[key]]
    cached: list[Span] = doc.user_data[key]
    return cached


def starting_in(doc: Doc, what: str, start: int, end: int) -> list[Span]:
    """The cached noun chunks or entities that start between two token positions (both lists are in text order,
    so a bisection finds them without scanning the document)."""
    spans = doc_cache(doc, what)
    starts: list[int] = doc.user_data[f"eventwire_{what}_starts"]
    return spans[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def span_ents(span: Span) -> list[Span]:
    """The named entities inside a span."""
    return [e for e in starting_in(span.doc, "ents", span.start, span.end) if e.end <= span.end]


def bounds(phrase: Span, text: str) -> tuple[int, int]:
    """A phrase's offsets without a leading article or a trailing possessive."""
    tokens = list(phrase)
    while tokens and tokens[0].lower_ in ("the", "a", "an", "its", "their"):
        tokens = tokens[1:]
    while tokens and tokens[-1].tag_ == "POS":
        tokens = tokens[:-1]
    if not tokens:
        return 0, 0
    return trimmed(text, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))


def acts(token: Token, role: bool = False, country: bool = False) -> bool:
    """Whether a noun stands where an actor acts or is acted upon, not where a place is.

    A capital after any place preposition is a place (`to Moscow`); a country only after the purely locative ones
    (`in Iran`, not `missiles at Iran`); a role noun after any preposition is an actor (`fired at protesters`).
    """
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ in ACTOR_DEPS:
        return True
    if token.dep_ == "pobj":
        if role:
            return True
        return token.head.lower_ not in (LOCATIVE_PREPOSITIONS if country else PLACE_PREPOSITIONS)
    return False


def visited(token: Token) -> bool:
    """Whether a place name is the destination of a travel verb ("visited Beijing")."""
    return token.dep_ == "dobj" and token.head.lemma_.lower() in MOVEMENT_VERBS


def hyphenated(token: Token) -> bool:
    """Whether a word is joined to a modifier like "-led" or "-backed" ("Hezbollah-led opposition")."""
    doc = token.doc
    return (
        token.i + 2 < len(doc)
        and doc[token.i + 1].text == "-"
        and doc[token.i + 2].lower_ in HYPHEN_MODIFIERS
    )
