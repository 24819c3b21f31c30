"""Gold data: what a correct extraction of a text contains, in eventwire's own JSON Lines format.

One line is one item: a sentence, a paragraph or a whole article, with its text (or, for third-party text that may
not be shipped, a `ref` to a dataset document and character offsets) and the expected records. Offsets are into the
item's text. A list that is absent (`null`) was not annotated and is not scored; an empty list says there is
nothing to find, so anything predicted there is a false positive. `docs/gold-format.md` documents every field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import MalformedRecord
from ..serialize import from_dict, to_json


@dataclass(frozen=True, slots=True)
class Ref:
    """Where an item's text lies in a third-party dataset: document id, offsets and a checksum of the text."""

    dataset: str
    doc: str
    start: int
    end: int
    sha1: str


@dataclass(slots=True)
class GoldEvent:
    """An expected event: source and target actor codes (several for compound actors) and the CAMEO code."""

    source: list[str]
    target: list[str]
    code: str
    trigger: str | None = None
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False
    attributed_to: str | None = None
    date: dt.date | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class GoldActor:
    """An expected actor mention: its span in the item's text and its code (None: an actor that has no code)."""

    start: int
    end: int
    text: str
    code: str | None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """An expected quote: the quoted content's span, and who said it (span in the text and/or actor code)."""

    start: int
    end: int
    text: str
    kind: str = "direct"
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_code: str | None = None
    cue: str | None = None


@dataclass(frozen=True, slots=True)
class GoldPlace:
    """An expected toponym with its location (coordinates and/or GeoNames id) and role."""

    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    country: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class GoldDate:
    """An expected date expression and its ISO 8601 value."""

    start: int
    end: int
    text: str
    value: str | None


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """An expected named entity: span and CoNLL-style label (PER, ORG, LOC, MISC)."""

    start: int
    end: int
    text: str
    label: str


@dataclass(slots=True)
class GoldItem:
    """One annotated text and everything expected of it; `None` lists were not annotated."""

    id: str
    text: str | None = None
    ref: Ref | None = None
    date: dt.date | None = None
    title: str | None = None
    split: str | None = None
    origin: str = "eventwire"
    tags: list[str] = field(default_factory=list)
    events: list[GoldEvent] | None = None
    actors: list[GoldActor] | None = None
    quotes: list[GoldQuote] | None = None
    places: list[GoldPlace] | None = None
    dates: list[GoldDate] | None = None
    entities: list[GoldEntity] | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class ClusterMention:
    """A gold report of an event: a span of a dataset document (sentence or trigger words), optionally coded."""

    ref: Ref
    code: str | None = None
    source: list[str] | None = None
    target: list[str] | None = None


@dataclass(slots=True)
class GoldCluster:
    """The gold mentions that report one real-world event (`docs/gold-format.md`, event clusters)."""

    id: str
    mentions: list[ClusterMention]
    split: str | None = None
    topic: str | None = None
    date: dt.date | None = None
    summary: str | None = None
    notes: str | None = None


def text_sha1(text: str) -> str:
    """The checksum a `Ref` keeps of the text it points to (first 12 hex digits of SHA-1)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def read_gold(path: str | Path) -> Iterator[GoldItem]:
    """Gold items from a JSON Lines file; a malformed line is an error naming the file and line."""
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                item = from_dict(GoldItem, json.loads(line))
            except (json.JSONDecodeError, TypeError, KeyError, ValueError) as exc:
                raise MalformedRecord(f"not a gold item: {exc}", source=str(path), line=number) from exc
            problems = check_item(item)
            if problems:
                raise MalformedRecord(
                    f"gold item {item.id!r}: {'; '.join(problems)}", source=str(path), line=number
                )
            yield item


def read_clusters(path: str | Path) -> Iterator[GoldCluster]:
    """Gold clusters from a JSON Lines file; a malformed line is an error naming the file and line."""
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                cluster = from_dict(GoldCluster, json.loads(line))
            except (json.JSONDecodeError, TypeError, KeyError, ValueError) as exc:
                raise MalformedRecord(f"not a gold cluster: {exc}", source=str(path), line=number) from exc
            if not cluster.mentions:
                raise MalformedRecord(
                    f"gold cluster {cluster.id!r} has no mentions", source=str(path), line=number
                )
            yield cluster


def is_cluster_record(record: object) -> bool:
    """Whether a JSON record is a gold cluster (mentions, no text of its own) rather than a gold item."""
    return isinstance(record, dict) and "mentions" in record and "text" not in record and "ref" not in record


def write_gold(items: Iterable[GoldItem], path: str | Path) -> int:
    """Write gold items as JSON Lines; the number written."""
    count = 0
    with Path(path).open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(to_json(item) + "\n")
            count += 1
    return count


def check_item(item: GoldItem) -> list[str]:
    """What is wrong with a gold item: missing text, spans outside the text or not slicing it to what they say.

    A span whose `text` is empty is checked for its bounds only: gold on third-party text keeps long spans (quotes)
    as offsets alone, and `fill_spans` recovers their text from the resolved item.
    """
    if item.text is None:
        return [] if item.ref is not None else ["neither text nor ref"]
    problems = []
    for kind in ("actors", "quotes", "places", "dates", "entities"):
        for record in getattr(item, kind) or []:
            problems.extend(_span_problems(item.text, kind, record.start, record.end, record.text))
    for quote in item.quotes or []:
        if quote.speaker_start is not None and quote.speaker_end is not None:
            problems.extend(
                _span_problems(
                    item.text, "speaker", quote.speaker_start, quote.speaker_end, quote.speaker or ""
                )
            )
    return problems


def _span_problems(text: str, kind: str, start: int, end: int, expected: str) -> list[str]:
    """Why a span does not fit the text, if it does not."""
    if not 0 <= start <= end <= len(text):
        return [f"{kind} span {start}-{end} lies outside the text ({len(text)} characters)"]
    if expected and text[start:end] != expected:
        return [f"{kind} span {start}-{end} is {text[start:end]!r}, not {expected!r}"]
    return []


def fill_spans(item: GoldItem) -> GoldItem:
    """The item with empty span texts filled in from its text (see `check_item`)."""
    if item.text is None:
        return item
    text = item.text
    filled = replace(item)
    for kind in ("actors", "quotes", "places", "dates", "entities"):
        records = getattr(item, kind)
        if records:
            setattr(filled, kind, [r if r.text else replace(r, text=text[r.start : r.end]) for r in records])
    return filled
