"""The record model: typed dataclasses for what eventwire reads, extracts and stores.

Every position is a character offset into `Article.text`, the stored text, so any record can be traced back to the
characters it came from. The NLP stage fills sentences and entities; the actor, event, quote, place and date
stages fill the other lists. `serialize` turns any record into JSON and Arrow with one schema derived from these
definitions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of an article's stored text: `text == article.text[start:end]`."""

    start: int
    end: int
    text: str


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets narrowed so that the span of `text` neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(frozen=True, slots=True)
class Source:
    """Where a document was read from: a file (or stdin) and line, the id it had there, and its web address."""

    uri: str
    format: str
    line: int | None = None
    external_id: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Document:
    """A document as a reader found it, before cleaning: the body is the reader's text, unchanged."""

    source: Source
    body: str
    title: str | None = None
    date: dt.date | None = None
    date_source: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article, with the paragraph it belongs to (0 is the title when there is one)."""

    index: int
    paragraph: int
    span: Span


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity found by the NLP pipeline, with its label and the sentence it lies in."""

    index: int
    sentence: int
    label: str
    span: Span


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named or described in the text, with the coded actor it resolves to (`code` None when uncoded).

    `via` says how it was resolved (dictionary, role, metonymy, coreference…); `head` is the head noun, kept for
    actors that could not be coded; `coded` is False for those.
    """

    index: int
    sentence: int
    span: Span
    code: str | None
    name: str | None = None
    country: str | None = None
    sectors: list[str] = field(default_factory=list)
    wikidata: str | None = None
    head: str | None = None
    via: str | None = None
    coded: bool = False


@dataclass(slots=True)
class EventMention:
    """A sentence-level event: who (source actor codes) did what (CAMEO code) to whom (target actor codes).

    Mode flags say whether the text asserts it happened; `attributed_to` is the actor code of who reported it.
    The evidence: the trigger, the source and target actor spans, and what decided the code (`decided_by`:
    `lexicon`, `classifier`, or `lexicon+classifier` when the classifier settled a tie) with the `rule` used
    (a lexicon row as `file:line`, or the classifier's label). `date` is the event's date (the expression attached
    to its clause, else the publication date) and `date_text` that expression; `place` indexes `Article.places`
    where it happened (`location` is that place's name); `quote` indexes the `Article.quotes` it was coded from.
    """

    index: int
    sentence: int
    trigger: Span
    code: str
    source: list[str]
    target: list[str]
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False
    attributed_to: str | None = None
    date: dt.date | None = None
    location: str | None = None
    confidence: float = 1.0
    source_spans: list[Span] = field(default_factory=list)
    target_spans: list[Span] = field(default_factory=list)
    decided_by: str = "lexicon"
    rule: str | None = None
    date_text: str | None = None
    place: int | None = None
    quote: int | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """Direct or indirect speech: what was said (`span`), by whom (`speaker`, `speaker_code`) and the cue verb."""

    index: int
    span: Span
    kind: Literal["direct", "indirect"]
    speaker: Span | None = None
    speaker_code: str | None = None
    cue: Span | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A toponym, geocoded, and its role: where an event happened, a place merely mentioned, or a metonymic actor."""

    index: int
    sentence: int
    span: Span
    role: Literal["event", "mentioned", "actor"]
    name: str | None = None
    geonameid: int | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression and the ISO 8601 value it resolves to relative to the publication date."""

    index: int
    sentence: int
    span: Span
    value: str | None


@dataclass(slots=True)
class Article:
    """A cleaned, identified article: the unit eventwire stores and codes.

    `text` is the title (when known), a blank line, then the body; `body_start` is where the body begins.
    `id` is a hash of the normalised body, so the same article read twice is one article.
    """

    id: str
    text: str
    title: str | None
    date: dt.date | None
    date_source: str | None
    body_start: int
    source: Source
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    pipeline: str | None = None

    def span(self, start: int, end: int) -> Span:
        """The span of the stored text between two offsets."""
        return Span(start, end, self.text[start:end])


@dataclass(frozen=True, slots=True)
class Failure:
    """An error or warning row: which document, which stage, and why."""

    source: str
    line: int | None
    stage: str
    code: str
    reason: str
    level: Level = "error"
    article_id: str | None = None
