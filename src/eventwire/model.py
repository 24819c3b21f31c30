"""The record model: typed dataclasses for what eventwire reads, extracts and stores.

Every position is a character offset into `Article.text`, the stored text, so any record can be traced back to the
characters it came from. Later stages add their records here (actor mentions, event mentions, quotes, places);
`serialize` turns any of them into JSON and Arrow with one schema derived from these definitions.
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


@dataclass(frozen=True, slots=True)
class Source:
    """Where a document was read from: a file, a line of a JSON Lines file, a URL or stdin."""

    uri: str
    format: str
    line: int | None = None
    external_id: str | None = None


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
