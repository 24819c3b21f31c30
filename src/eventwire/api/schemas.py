"""The API's request and response bodies as Pydantic models: validation at the edge, and the OpenAPI schema."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .. import ontology
from ..corrections import MAX_AUTHOR, MAX_NOTE

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    """A date given as text must be written YYYY-MM-DD (a number is not a date here, as it would be a timestamp
    to Pydantic)."""
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


# A date in a request: text as the OpenAPI document says (format date), never a number.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class Problem(BaseModel):
    """An error as RFC 9457 problem details (`application/problem+json`)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


class MachineCoding(BaseModel):
    """The machine's coding of an event an analyst fixed."""

    code: str | None
    source: list[str]
    target: list[str]
    date: dt.date | None


class EventItem(BaseModel):
    """An event: who did what to whom, when and where, how widely reported, and what analysts said of it."""

    id: str
    date: dt.date | None
    source: list[str]
    source_names: list[str | None]
    target: list[str]
    target_names: list[str | None]
    code: str
    code_name: str | None
    root: str
    plover: str | None
    plover_mode: str | None
    quad_class: int | None
    goldstein: float | None
    confidence: float
    num_mentions: int
    num_sources: int
    num_articles: int
    num_stories: int
    first_seen: dt.date | None
    last_seen: dt.date | None
    place_name: str | None
    place_country: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    corrected: bool = Field(description="an analyst reviewed the event (see verdict)")
    verdict: Literal["right", "wrong", "fixed"] | None = Field(
        description="the verdict in force: wrong (hidden unless asked for), fixed (a fix sets values in force), "
        "right; none when unreviewed or reset"
    )
    machine: MachineCoding = Field(description="the machine's coding (what a fix replaced)")


class EventPage(BaseModel):
    """A page of events and the cursor of the next one."""

    items: list[EventItem]
    next_cursor: str | None


class Span(BaseModel):
    """Characters of the article's text."""

    start: int
    end: int
    text: str


class Modes(BaseModel):
    """How a mention's text qualifies the act."""

    negated: bool
    hypothetical: bool
    future: bool
    historical: bool
    attributed_to: str | None


class MentionItem(BaseModel):
    """A sentence that reports an event, with offsets into the article's text (`sentence_start` makes them
    relative to the sentence)."""

    id: str
    event_id: str | None
    article_id: str
    article_title: str | None
    pub_date: dt.date | None
    url: str | None
    outlet: str | None
    sentence_idx: int
    sentence_text: str | None
    sentence_start: int | None
    sentence_end: int | None
    trigger_start: int
    trigger_end: int
    trigger_text: str
    source_start: int | None
    source_end: int | None
    target_start: int | None
    target_end: int | None
    source_spans: list[Span]
    target_spans: list[Span]
    source: list[str]
    target: list[str]
    code: str
    code_name: str | None
    date: dt.date | None
    date_text: str | None
    location: str | None
    rule: str | None
    decided_by: str
    confidence: float
    modes: Modes


class MentionPage(BaseModel):
    """A page of mentions and the cursor of the next one."""

    items: list[MentionItem]
    next_cursor: str | None


class CorrectionOut(BaseModel):
    """A stored correction of an event."""

    id: int
    event_id: str
    verdict: Literal["right", "wrong", "fixed", "reset"]
    code: str | None
    root: str | None
    plover_type: str | None
    plover_mode: str | None
    goldstein: float | None
    quad_class: int | None
    source: list[str] | None
    target: list[str] | None
    event_date: dt.date | None
    machine_code: str | None
    machine_source: list[str] | None
    machine_target: list[str] | None
    machine_date: dt.date | None
    author: str
    note: str | None
    created_at: dt.datetime


class CorrectionPage(BaseModel):
    """A page of corrections, newest first."""

    items: list[CorrectionOut]
    next_cursor: str | None


class EventDetail(BaseModel):
    """An event with every mention that reports it and its corrections, oldest first."""

    event: EventItem
    mentions: list[MentionItem]
    corrections: list[CorrectionOut]


def _code_forms() -> list[str]:
    """The CAMEO codes a correction may give: each code, and the form without its leading zero that
    `ontology.normalise_code` restores (`42` for `042`)."""
    forms: set[str] = set()
    for code in ontology.cameo_codes():
        forms.add(code)
        with contextlib.suppress(ValueError):
            if ontology.normalise_code(code[1:]) == code:
                forms.add(code[1:])
    return sorted(forms)


# An actor code as a correction may write it (capitalised when stored); a name needs a character other than spaces
# (the control characters Python strips as spaces included).
ActorCodeIn = Annotated[str, Field(pattern=r"^[A-Za-z0-9+-]{3,24}$")]
CODE_FORMS = frozenset(_code_forms())


def _cameo(code: str) -> str:
    """A code a correction may give, or the reason it may not."""
    if code not in CODE_FORMS:
        raise ValueError(f"not a CAMEO event code: {code!r}")
    return code


# Validated against the codes, which the schema lists (an enum of a few hundred).
CodeIn = Annotated[str, AfterValidator(_cameo), Field(json_schema_extra={"enum": sorted(CODE_FORMS)})]
Author = Annotated[str, Field(min_length=1, max_length=MAX_AUTHOR, pattern=r"[^\s\x1c-\x1f]")]
Note = Annotated[str | None, Field(max_length=MAX_NOTE)]


class Verdict(BaseModel):
    """An analyst's verdict on an event's coding in force: right (earlier fixes kept), wrong (hidden until a later
    right or fix), or reset (every earlier correction undone: the machine's coding again)."""

    model_config = ConfigDict(extra="forbid")

    verdict: Literal["right", "wrong", "reset"]
    author: Author
    note: Note = None


# A fix gives at least one value; the schema says so, and the model checks it.
_ONE_FIX = ("code", "source", "target", "date")


class Fix(BaseModel):
    """An analyst's fix of an event: the values it replaces, at least one of them; values it leaves out keep
    their earlier fixes."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"not": {"type": "null"}}}} for name in _ONE_FIX
            ]
        },
    )

    verdict: Literal["fixed"]
    code: CodeIn | None = Field(None, description="CAMEO code")
    source: list[ActorCodeIn] | None = Field(None, max_length=32, description="source actor codes")
    target: list[ActorCodeIn] | None = Field(None, max_length=32, description="target actor codes")
    date: IsoDate | None = Field(None, description="event date")
    author: Author
    note: Note = None

    @model_validator(mode="after")
    def _fixes_something(self) -> Fix:
        """Refuse a fix without a value (it would say nothing)."""
        if all(getattr(self, name) is None for name in _ONE_FIX):
            raise ValueError("a fix gives at least one of code, source, target, date")
        return self


CorrectionIn = Annotated[Verdict | Fix, Field(discriminator="verdict")]


class ArticleItem(BaseModel):
    """A stored article in a list."""

    id: str
    title: str | None
    url: str | None
    outlet: str | None
    pub_date: dt.date | None
    n_sentences: int
    n_events: int
    n_mentions: int
    snippet: str | None


class ArticlePage(BaseModel):
    """A page of articles and the cursor of the next one."""

    items: list[ArticleItem]
    next_cursor: str | None


class ArticleHead(BaseModel):
    """An article's text and what is known of it."""

    id: str
    title: str | None
    url: str | None
    pub_date: dt.date | None
    date_source: str | None
    text: str
    body_start: int
    pipeline: str | None
    metadata: Any


class SourceOut(BaseModel):
    """Where an article was read from."""

    uri: str
    line: int
    format: str
    external_id: str | None
    url: str | None


class SentenceOut(BaseModel):
    """A sentence's place in the text."""

    idx: int
    paragraph: int
    start: int
    end: int


class EntityOut(BaseModel):
    """A named entity."""

    idx: int
    sentence_idx: int
    label: str
    start: int
    end: int
    text: str


class ActorOut(BaseModel):
    """An actor mention and its code."""

    idx: int
    sentence_idx: int
    start: int
    end: int
    text: str
    code: str | None
    name: str | None
    country: str | None
    via: str | None
    coded: bool


class ArticleMention(BaseModel):
    """An event mention of the article: its trigger and its event."""

    id: str
    event_id: str | None
    start: int
    end: int
    text: str
    code: str
    code_name: str | None
    sentence_idx: int
    source: list[str]
    target: list[str]
    confidence: float
    modes: Modes


class QuoteOut(BaseModel):
    """A quote of the article and who said it."""

    idx: int
    kind: str
    start: int
    end: int
    text: str
    speaker_start: int | None
    speaker_end: int | None
    speaker_text: str | None
    speaker_code: str | None
    cue_start: int | None
    cue_end: int | None
    cue_text: str | None


class PlaceOut(BaseModel):
    """A toponym of the article, geocoded."""

    idx: int
    sentence_idx: int
    start: int
    end: int
    text: str
    role: str
    name: str | None
    geonameid: int | None
    country: str | None
    lat: float | None
    lon: float | None
    feature: str | None


class DateOut(BaseModel):
    """A date expression of the article and its value."""

    idx: int
    sentence_idx: int
    start: int
    end: int
    text: str
    value: str | None


class ArticleDetail(BaseModel):
    """An article with its sentences and every item extracted from it; offsets into `article.text`."""

    article: ArticleHead
    sources: list[SourceOut]
    sentences: list[SentenceOut]
    entities: list[EntityOut]
    actors: list[ActorOut]
    mentions: list[ArticleMention]
    quotes: list[QuoteOut]
    places: list[PlaceOut]
    dates: list[DateOut]


class ActorItem(BaseModel):
    """An actor code and the events it takes part in."""

    code: str
    name: str | None
    count: int


class ActorPage(BaseModel):
    """A page of actors, most active first."""

    items: list[ActorItem]
    next_cursor: str | None


class SeriesPoint(BaseModel):
    """Events of one period: their number, Goldstein sum and mean, and their number in each QuadClass."""

    period: dt.date
    count: int
    goldstein_sum: float | None
    goldstein_mean: float | None
    quad1: int
    quad2: int
    quad3: int
    quad4: int


class Series(BaseModel):
    """A time series, oldest period first."""

    series: list[SeriesPoint]


class Node(BaseModel):
    """An actor in the network."""

    id: str
    label: str
    count: int


class Edge(BaseModel):
    """A dyad: events from source to target, their mean Goldstein score and most frequent QuadClass."""

    source: str
    target: str
    count: int
    goldstein_mean: float | None
    quad_class: int | None


class Network(BaseModel):
    """The strongest dyads and the actors they join."""

    nodes: list[Node]
    edges: list[Edge]


class QuoteItem(BaseModel):
    """A quote with its article and speaker."""

    id: str
    article_id: str
    article_title: str | None
    pub_date: dt.date | None
    kind: str
    start: int
    end: int
    text: str
    speaker_start: int | None
    speaker_end: int | None
    speaker_text: str | None
    speaker_code: str | None
    speaker_name: str | None
    cue_text: str | None


class QuotePage(BaseModel):
    """A page of quotes, newest article first."""

    items: list[QuoteItem]
    next_cursor: str | None


class PlaceItem(BaseModel):
    """A place named in articles (a GeoNames feature, or a name not geocoded) and how often."""

    key: str
    geonameid: int | None
    name: str | None
    country: str | None
    lat: float | None
    lon: float | None
    feature: str | None
    mentions: int
    articles: int
    roles: list[str]


class PlacePage(BaseModel):
    """A page of places, most named first."""

    items: list[PlaceItem]
    next_cursor: str | None


class AggregatePage(BaseModel):
    """Rows of `eventwire aggregate`: period, keys, count, Goldstein sum and mean, QuadClass counts q1-q4."""

    columns: list[str]
    items: list[dict[str, Any]]
    next_cursor: str | None


class ArticleIn(BaseModel):
    """An article to ingest: its text, and what is known of it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    title: str | None = None
    url: str | None = None
    date: IsoDate | None = None
    id: str | None = Field(None, description="the article's id in your own collection (kept as external_id)")


class IngestSummaryOut(BaseModel):
    """What an ingest did (the summary `eventwire ingest` prints)."""

    read: int
    new: int
    duplicate: int
    failed: int
    warnings: int
    sentences: int
    entities: int
    actors: int
    coded: int
    events: int
    seconds: float
    failures: list[dict[str, Any]]


class IngestJob(BaseModel):
    """An ingest submitted through the API, run by the server in the background."""

    id: str
    status: Literal["queued", "running", "done", "failed", "cancelled"] = Field(
        description="cancelled: the server stopped before the job ran (jobs do not outlive the server)"
    )
    submitted: dt.datetime
    finished: dt.datetime | None
    documents: int
    article_ids: list[str] = Field(
        description="ids of the articles stored so far (new or known), in the order posted"
    )
    summary: IngestSummaryOut | None
    error: str | None


class Health(BaseModel):
    """The server is up: the store's schema version and row counts, and whether it accepts writes."""

    status: Literal["ok"]
    version: str
    schema_version: int
    writable: bool
    counts: dict[str, int]
