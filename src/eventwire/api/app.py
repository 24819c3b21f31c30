"""The FastAPI application of `eventwire serve`: JSON endpoints over the query layer, downloads, and writes.

The app owns the one DuckDB connection of its process; every request works on a cursor of its own, so reads go on
while an ingest posted to the API writes in a background thread (docs/api.md). Without a token the database is
opened read-only and every write endpoint answers 403.
"""

from __future__ import annotations

import gc
import hmac
import importlib
import itertools
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
import duckdb
import orjson
from fastapi import Depends, FastAPI, Query
from fastapi import Path as PathParam
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field, StringConstraints
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__, aggregates, corrections
from ..pipeline import Pipeline
from ..store import QuoteFilter, Store
from . import downloads, names, queries, schemas
from .index import ActorIndex, Indexes
from .jobs import Ingests, Submitted
from .pages import Listing, batches, page
from .problems import MEDIA_TYPE, ApiError, BodyLimit, install

LOGGER = logging.getLogger(__name__)

QUERY_THREADS = 1
# Requests carry filters and corrections; articles posted for ingest are the largest bodies.
MAX_BODY = 10 * 1024 * 1024
DEFAULT_PAGE = 50
MAX_PAGE = 1_000
# Ids as eventwire makes them; anything else in a path is refused before it reaches a query.
EVENT_ID = r"^ev[0-9a-f]{16}$"
ARTICLE_ID = r"^[0-9A-Za-z_-]{4,64}$"
ACTOR_CODE = r"^[A-Z0-9+-]{1,24}$"
COUNTRY = r"^[A-Za-z]{3}$"
# Four decimal numbers; their ranges (and the order of the latitudes) are checked by `queries.BBox.parse`.
# Items of list filters: a value outside them is a 422, not a filter that matches nothing.
RootValue = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-9]|20)$")]
PloverValue = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3,12}$")]
QuadValue = Annotated[int, Field(ge=1, le=4)]
BBOX_PATTERN = r"^-?[0-9]+(\.[0-9]+)?(,-?[0-9]+(\.[0-9]+)?){3}$"
MAX_CURSOR = 2048


@dataclass(slots=True)
class Server:
    """What the app holds: the store (its one connection), the settings, the actor indexes, the ingest queue."""

    store: Store
    token: str | None
    indexes: Indexes = field(default_factory=Indexes)
    ingests: Ingests | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _relations: dict[tuple[int, bool, bool], str] = field(default_factory=dict)
    _open: int = 0

    @property
    def writable(self) -> bool:
        """Whether writes are enabled (a token is configured)."""
        return self.token is not None

    @property
    def open_cursors(self) -> int:
        """How many cursors requests hold now (each is closed when its request or download ends)."""
        with self._lock:
            return self._open

    def open_cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the server's connection, to give back with `close_cursor`."""
        with self._lock:
            self._open += 1
            return self.store.con.cursor()

    def close_cursor(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Close a cursor of `open_cursor` (and the result it may still be reading)."""
        cursor.close()
        with self._lock:
            self._open -= 1

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of the server's connection for one request, closed after it."""
        cursor = self.open_cursor()
        try:
            yield cursor
        finally:
            self.close_cursor(cursor)

    def index(self, cursor: duckdb.DuckDBPyConnection, machine: bool = False) -> ActorIndex:
        """The actor index of the current events."""
        return self.indexes.get(cursor, machine)

    def relation(
        self, cursor: duckdb.DuckDBPyConnection, machine: bool = False, hide_wrong: bool = True
    ) -> str:
        """`corrections.events_sql` for a coding, remembered until the next write (it reads the catalog)."""
        key = (self.indexes.generation, machine, hide_wrong)
        found = self._relations.get(key)
        if found is None:
            found = corrections.events_sql(cursor, machine, hide_wrong, row_key=True)
            current = {k: v for k, v in self._relations.items() if k[0] == key[0]}
            self._relations = {**current, key: found}
        return found


def create_app(
    db: str | Path,
    token: str | None = None,
    *,
    cors_origins: tuple[str, ...] = (),
    max_body: int = MAX_BODY,
    pipeline: Pipeline | Callable[[], Pipeline] | None = None,
) -> FastAPI:
    """The API over the database at `db`: read-only unless a `token` is given, which write requests must send as
    `Authorization: Bearer <token>`. `pipeline` codes posted articles (the default one, loaded on first use)."""
    path = Path(db)
    store = Store(path, read_only=token is None)
    # Requests run side by side, each on its own cursor: one thread per query serves many clients better than
    # queries that split themselves over the cores other requests need (bench/api_load.py measures it).
    store.con.execute(f"SET threads = {QUERY_THREADS}")
    server = Server(store, token or None)
    if server.writable:
        server.ingests = Ingests(path, _pipeline_factory(pipeline), server.indexes.bump)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Load the names before the first request; when the server stops, let the running ingest finish,
        cancel the queued ones, then close the database (nothing writes to it any more)."""
        _settle()
        yield
        if server.ingests is not None:
            server.ingests.close()
        store.close()

    app = FastAPI(
        title="eventwire",
        version=__version__,
        summary="Political event data from news articles, traceable to the text it came from.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.server = server
    install(app)
    _routes(app, server)
    _document_empty_params(app)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(NoSniff)
    app.add_middleware(DropEmptyParams)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    _mount_webui(app)
    return app


def _settle() -> None:
    """Load what every event page reads (the dictionaries behind actor and code names, seconds of work a first
    request would wait for), then exempt what is loaded from garbage collection: the dictionaries are millions of
    objects that live as long as the process, and every full collection under load walked them all."""
    names.warm()
    gc.freeze()


def _document_empty_params(app: FastAPI) -> None:
    """Say in the OpenAPI document what `DropEmptyParams` does: an optional query parameter may be sent empty."""
    make = app.openapi

    def openapi() -> dict[str, Any]:
        """The framework's document, every optional query parameter allowing an empty value."""
        if app.openapi_schema is None:
            document = make()
            for operations in document.get("paths", {}).values():
                for operation in operations.values():
                    for parameter in operation.get("parameters", []):
                        if parameter.get("in") == "query" and not parameter.get("required"):
                            parameter["allowEmptyValue"] = True
        return app.openapi_schema or make()

    app.openapi = openapi  # type: ignore[method-assign]


def _pipeline_factory(pipeline: Pipeline | Callable[[], Pipeline] | None) -> Callable[[], Pipeline]:
    """What makes the ingest pipeline: the one given, or the default (its model loads on first use)."""
    if pipeline is None:
        return Pipeline
    if isinstance(pipeline, Pipeline):
        return lambda: pipeline
    return pipeline


def _mount_webui(app: FastAPI) -> None:
    """Serve the web UI next to the API when it is installed (`eventwire.webui.mount`)."""
    try:
        webui = importlib.import_module("eventwire.webui")
    except ImportError:
        LOGGER.info("no web UI installed: serving the API alone")
        return
    webui.mount(app)


class DropEmptyParams:
    """ASGI middleware: a query parameter given empty (`code=`, as forms send an empty field) is one not given."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap an app."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on without its empty query parameters."""
        query: bytes = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if query:
            kept = [part for part in query.split(b"&") if part and not part.endswith(b"=")]
            scope = {**scope, "query_string": b"&".join(kept)}
        await self.app(scope, receive, send)


class NoSniff:
    """ASGI middleware: every response keeps its declared content type (no MIME sniffing by browsers)."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap an app."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the header to the start of every HTTP response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            """The response start with the header added."""
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-content-type-options"]
                message = {**message, "headers": [*headers, (b"x-content-type-options", b"nosniff")]}
            await send(message)

        await self.app(scope, receive, send_with_header)


# Parameters shared by the endpoints -----------------------------------------------------------------------------

Since = Annotated[schemas.IsoDate | None, Query(description="on or after (YYYY-MM-DD)")]
Until = Annotated[schemas.IsoDate | None, Query(description="on or before (YYYY-MM-DD)")]
Limit = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_PAGE,
        description=f"items per page (default {DEFAULT_PAGE}); a download has every item unless given",
    ),
]
Cursor = Annotated[str | None, Query(max_length=MAX_CURSOR, description="next_cursor of the previous page")]
Format = Annotated[
    Literal["json", "csv", "parquet", "jsonl"],
    Query(description="json (a page), or a download of every item after the cursor: csv, parquet, jsonl"),
]
Machine = Annotated[bool, Query(description="the machine's coding: analysts' corrections not applied")]
Interval = Annotated[Literal["day", "week", "month"], Query(description="length of a period")]
CodeParam = Annotated[str | None, Query(max_length=64)]
BBoxParam = Annotated[
    str | None,
    Query(
        max_length=100,
        pattern=BBOX_PATTERN,
        description="minlon,minlat,maxlon,maxlat in degrees (minlon > maxlon crosses the antimeridian)",
    ),
]
TextParam = Annotated[str | None, Query(max_length=500)]

DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
        "description": "a page as JSON, or a download in the format asked for",
    },
}
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": schemas.Problem, "description": text, "content": {MEDIA_TYPE: {}}}
    for status, text in ((404, "not found"), (413, "request body too large"), (422, "invalid parameters"))
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    400: {"model": schemas.Problem, "description": "a body that is not JSON", "content": {MEDIA_TYPE: {}}},
    401: {"model": schemas.Problem, "description": "token missing or wrong", "content": {MEDIA_TYPE: {}}},
    403: {"model": schemas.Problem, "description": "writes are disabled", "content": {MEDIA_TYPE: {}}},
}
# What a write makes, for clients (and the stateful tests) to follow: the job, the articles, the corrected event.
INGEST_LINKS = {
    "job": {
        "operationRef": "#/paths/~1api~1ingests~1{job_id}/get",
        "parameters": {"job_id": "$response.body#/id"},
        "description": "how the ingest goes",
    },
    "first_article": {
        "operationRef": "#/paths/~1api~1articles~1{article_id}/get",
        "parameters": {"article_id": "$response.body#/article_ids/0"},
        "description": "the first article stored (once stored)",
    },
}
CORRECTION_LINKS = {
    "event": {
        "operationRef": "#/paths/~1api~1events~1{event_id}/get",
        "parameters": {"event_id": "$request.path.event_id"},
        "description": "the event with its corrections",
    },
}
_bearer = HTTPBearer(auto_error=False, description="the token the server was started with")


def _listing_response(
    server: Server,
    make: Callable[[duckdb.DuckDBPyConnection], Listing],
    fmt: str,
    cursor: str | None,
    limit: int | None,
    name: str,
    extra: dict[str, Any] | None = None,
) -> Any:
    """A page of a listing as JSON, or every item after the cursor as a streamed download."""
    if fmt == "json":
        with server.cursor() as cur:
            found = page(cur, make(cur), cursor, limit or DEFAULT_PAGE)
        return fast_json({**(extra or {}), "items": found.items, "next_cursor": found.next_cursor})
    cur = server.open_cursor()
    try:
        # The first batch is read before the response starts: an error in the request (filters, cursor) is still
        # a problem document.
        rows = batches(cur, make(cur), cursor, limit)
        first = next(rows, [])
    except BaseException:
        server.close_cursor(cur)
        raise
    body = downloads.stream(itertools.chain([first], rows), fmt)  # type: ignore[arg-type]
    return _download(body, fmt, name, lambda: server.close_cursor(cur))


def fast_json(body: dict[str, Any]) -> Response:
    """A JSON response written directly: pages are built to their documented models (the schema tests check
    that), and validating each again would cost more than the query under load. Times go through
    `json_default` (UTC, as the downloads write them); dates are ISO 8601 either way."""
    return Response(
        orjson.dumps(body, default=downloads.json_default, option=orjson.OPT_PASSTHROUGH_DATETIME),
        media_type="application/json",
    )


def _download(
    body: Iterator[bytes], fmt: str, name: str, release: Callable[[], None] = lambda: None
) -> StreamingResponse:
    """A streamed file of a format, named for saving; `release` frees what the body reads from once it ends."""
    filename = f"{name}.{downloads.EXTENSIONS[fmt]}"
    return ClosingStream(
        body,
        release,
        media_type=downloads.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class ClosingStream(StreamingResponse):
    """A streamed response that closes its body and releases what the body reads from when it ends in any way:
    sent whole, failed, or cut short by a client that went away (which would otherwise leave the body suspended,
    its database cursor open, until the garbage collector found it)."""

    def __init__(self, body: Iterator[bytes], release: Callable[[], None], **kwargs: Any) -> None:
        """Stream `body`; call `release` after it."""
        super().__init__(body, **kwargs)
        self._body = body
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the response, then close the body and release, even when the sending was cancelled."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Shielded: a cancelled request must still give its cursor back. The worker thread that read the last
            # chunk has returned by now (the thread pool finishes a call before a cancellation takes effect).
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self._close)

    def _close(self) -> None:
        """Close the body's generators, then release."""
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._release()


def _series_response(rows: list[dict[str, Any]], fmt: str, name: str) -> Any:
    """A time series as JSON, or as a download."""
    if fmt == "json":
        return fast_json({"series": rows})
    return _download(downloads.stream([rows], fmt), fmt, name)  # type: ignore[arg-type]


# The tables whose rows `/api/health` counts (besides corrections, when the store has them).
COUNTED = ("articles", "event_mentions", "events", "actors", "quotes", "places", "errors")


def _count(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    """The rows of a table (one of `COUNTED`, or corrections)."""
    row = cur.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _routes(app: FastAPI, server: Server) -> None:
    """Every endpoint of the API."""
    _read_routes(app, server)
    _series_routes(app, server)
    _write_routes(app, server)


def _read_routes(app: FastAPI, server: Server) -> None:
    """Health, events, mentions, articles, quotes, places."""

    @app.get("/api/health", response_model=schemas.Health, tags=["server"])
    def health() -> dict[str, Any]:
        """The server is up: the store's schema version and row counts, and whether writes are enabled."""
        with server.cursor() as cur:
            # A store opened read-only may predate the corrections table.
            tables = [*COUNTED, *(["corrections"] if corrections.has_table(cur) else [])]
            counts = {table: _count(cur, table) for table in tables}
            version = cur.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        return {
            "status": "ok",
            "version": __version__,
            "schema_version": int(version[0]) if version else 0,
            "writable": server.writable,
            "counts": counts,
        }

    @app.get(
        "/api/events",
        response_model=schemas.EventPage,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["events"],
    )
    def list_events(
        since: Since = None,
        until: Until = None,
        actor: Annotated[
            str | None,
            Query(max_length=100, description="actor code or prefix (ISR, ISRGOV), or words of a name"),
        ] = None,
        source: Annotated[
            str | None, Query(pattern=ACTOR_CODE, description="source actor code or prefix")
        ] = None,
        target: Annotated[
            str | None, Query(pattern=ACTOR_CODE, description="target actor code or prefix")
        ] = None,
        country: Annotated[
            str | None, Query(pattern=COUNTRY, description="an actor's country (ISO3) on either side")
        ] = None,
        place_country: Annotated[
            str | None, Query(pattern=COUNTRY, description="ISO3 country of the place")
        ] = None,
        code: Annotated[
            str | None, Query(pattern=r"^[0-9]{1,4}$", description="CAMEO code or prefix")
        ] = None,
        root: Annotated[list[RootValue], Query(max_length=20, description="CAMEO roots (01-20)")] = [],  # noqa: B006
        plover: Annotated[list[PloverValue], Query(max_length=30, description="PLOVER event types")] = [],  # noqa: B006
        quad_class: Annotated[list[QuadValue], Query(max_length=4, description="QuadClasses 1-4")] = [],  # noqa: B006
        mode: Annotated[
            Literal["asserted"] | None,
            Query(description="events are grouped from asserted mentions; other modes: /api/mentions"),
        ] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        min_mentions: Annotated[int | None, Query(ge=1)] = None,
        bbox: BBoxParam = None,
        article: Annotated[str | None, Query(max_length=64, description="events an article reports")] = None,
        corrected: Annotated[bool | None, Query(description="only events analysts reviewed, or not")] = None,
        include_wrong: Annotated[bool, Query(description="also events analysts marked wrong")] = False,
        sort: Annotated[Literal["date", "goldstein", "mentions", "confidence"], Query()] = "date",
        order: Annotated[Literal["asc", "desc"], Query()] = "desc",
        machine: Machine = False,
        limit: Limit = None,
        cursor: Cursor = None,
        format: Format = "json",
    ) -> Any:
        """Events (mentions grouped), filtered, newest first by default; corrections applied unless `machine`."""
        query = queries.EventQuery(
            since=since,
            until=until,
            actor=actor,
            source=source,
            target=target,
            country=country,
            place_country=place_country,
            code=code,
            root=tuple(root),
            plover=tuple(plover),
            quad_class=tuple(quad_class),
            mode=mode,
            min_confidence=min_confidence,
            min_mentions=min_mentions,
            bbox=queries.BBox.parse(bbox) if bbox else None,
            article=article,
            corrected=corrected,
            machine=machine,
            include_wrong=include_wrong,
            sort=sort,
            order=order,
        )
        return _listing_response(
            server,
            lambda cur: queries.events(cur, query, server.relation(cur, machine, not include_wrong)),
            format,
            cursor,
            limit,
            "events",
        )

    @app.get(
        "/api/events/{event_id}",
        response_model=schemas.EventDetail,
        responses={404: ERRORS[404], 422: ERRORS[422]},
        tags=["events"],
    )
    def get_event(
        event_id: Annotated[str, PathParam(pattern=EVENT_ID)],
        machine: Machine = False,
    ) -> dict[str, Any]:
        """An event (also one marked wrong) with every mention that reports it, their evidence, and its
        corrections."""
        with server.cursor() as cur:
            found = queries.event(cur, event_id, machine)
        if found is None:
            raise ApiError(404, f"no event with id {event_id!r}")
        return found

    @app.get(
        "/api/mentions",
        response_model=schemas.MentionPage,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["events"],
    )
    def list_mentions(
        since: Since = None,
        until: Until = None,
        actor: Annotated[str | None, Query(max_length=100)] = None,
        country: Annotated[str | None, Query(pattern=COUNTRY)] = None,
        code: Annotated[str | None, Query(max_length=4)] = None,
        mode: Annotated[
            Literal["asserted", "negated", "hypothetical", "future", "historical"] | None, Query()
        ] = None,
        article: Annotated[str | None, Query(max_length=64)] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        limit: Limit = None,
        cursor: Cursor = None,
        format: Format = "json",
    ) -> Any:
        """Event mentions (one per sentence that reports an act, in every mode), newest article first."""
        query = queries.MentionQuery(since, until, actor, country, code, mode, article, min_confidence)
        return _listing_response(
            server, lambda cur: queries.mentions(cur, query), format, cursor, limit, "mentions"
        )

    @app.get(
        "/api/articles",
        response_model=schemas.ArticlePage,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["articles"],
    )
    def list_articles(
        q: Annotated[
            str | None, Query(max_length=500, description='words, or "a phrase", all of them')
        ] = None,
        since: Since = None,
        until: Until = None,
        source: Annotated[
            str | None, Query(max_length=200, description="outlet, web address or file")
        ] = None,
        limit: Limit = None,
        cursor: Cursor = None,
        format: Format = "json",
    ) -> Any:
        """Stored articles, newest first, searched in their titles and texts."""
        query = queries.ArticleQuery(q, since, until, source)
        return _listing_response(
            server, lambda cur: queries.articles(cur, query), format, cursor, limit, "articles"
        )

    @app.get(
        "/api/articles/{article_id}",
        response_model=schemas.ArticleDetail,
        responses={404: ERRORS[404], 422: ERRORS[422]},
        tags=["articles"],
    )
    def get_article(
        article_id: Annotated[
            str, PathParam(pattern=ARTICLE_ID, description="an id, or its first characters")
        ],
    ) -> dict[str, Any]:
        """An article with its text, sentences and every item extracted from it (offsets into its text)."""
        with server.cursor() as cur:
            found_id = queries.resolve_article(cur, article_id)
            found = queries.article(cur, found_id) if found_id else None
        if found is None:
            raise ApiError(404, f"no article with id {article_id!r}")
        return found

    @app.get(
        "/api/quotes",
        response_model=schemas.QuotePage,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["quotes"],
    )
    def list_quotes(
        speaker: Annotated[
            str | None, Query(max_length=100, description="speaker's code prefix or words")
        ] = None,
        search: Annotated[str | None, Query(max_length=500, description="words of the quote")] = None,
        kind: Annotated[Literal["direct", "indirect"] | None, Query()] = None,
        since: Since = None,
        until: Until = None,
        article: Annotated[str | None, Query(max_length=64)] = None,
        limit: Limit = None,
        cursor: Cursor = None,
        format: Format = "json",
    ) -> Any:
        """Who said what: direct and reported speech with speakers, newest article first."""
        query = QuoteFilter(speaker, kind, search, since, until, article)
        return _listing_response(
            server, lambda cur: queries.quotes(cur, query), format, cursor, limit, "quotes"
        )

    @app.get(
        "/api/places",
        response_model=schemas.PlacePage,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["places"],
    )
    def list_places(
        q: Annotated[str | None, Query(max_length=200, description="words of the name")] = None,
        country: Annotated[str | None, Query(pattern=COUNTRY)] = None,
        role: Annotated[Literal["event", "mentioned", "actor"] | None, Query()] = None,
        bbox: BBoxParam = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = None,
        cursor: Cursor = None,
        format: Format = "json",
    ) -> Any:
        """Places named in articles, most named first."""
        query = queries.PlaceQuery(q, country, role, queries.BBox.parse(bbox) if bbox else None, since, until)
        return _listing_response(
            server, lambda cur: queries.places(cur, query), format, cursor, limit, "places"
        )

    @app.get(
        "/api/corrections",
        response_model=schemas.CorrectionPage,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["corrections"],
    )
    def list_corrections(
        event: Annotated[str | None, Query(pattern=EVENT_ID)] = None,
        author: Annotated[str | None, Query(max_length=100)] = None,
        verdict: Annotated[Literal["right", "wrong", "fixed", "reset"] | None, Query()] = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = None,
        cursor: Cursor = None,
        format: Format = "json",
    ) -> Any:
        """Analysts' corrections, newest first."""
        query = queries.CorrectionQuery(event, author, verdict, since, until)
        return _listing_response(
            server, lambda cur: queries.corrections_listing(cur, query), format, cursor, limit, "corrections"
        )

    @app.get(
        "/api/corrections/gold",
        response_class=StreamingResponse,
        responses={200: {"content": {"application/x-ndjson": {"schema": {"type": "string"}}}}},
        tags=["corrections"],
    )
    def gold() -> StreamingResponse:
        """The reviewed sentences as gold data for `eventwire eval` (JSON Lines, docs/gold-format.md)."""
        from ..serialize import to_json

        with server.cursor() as cur:
            found = corrections.gold(cur)
        lines = (to_json(item) + "\n" for item in found.items)
        return StreamingResponse(
            (line.encode() for line in lines),
            media_type="application/x-ndjson",
            headers={
                "Content-Disposition": 'attachment; filename="eventwire-corrections-gold.jsonl"',
                "X-Eventwire-Skipped-Sentences": str(found.skipped),
            },
        )


def _series_routes(app: FastAPI, server: Server) -> None:
    """Actors, timelines, dyads, networks, aggregates."""

    @app.get(
        "/api/actors",
        response_model=schemas.ActorPage,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["actors"],
    )
    def list_actors(
        q: Annotated[str | None, Query(max_length=100, description="code prefix, or words of a name")] = None,
        machine: Machine = False,
        limit: Limit = None,
        cursor: Cursor = None,
        format: Format = "json",
    ) -> Any:
        """Actor codes with the number of events they take part in, most active first."""

        def make(cur: duckdb.DuckDBPyConnection) -> Listing:
            """The listing over the current index."""
            return queries.actors(cur, server.index(cur, machine), q)

        return _listing_response(server, make, format, cursor, limit, "actors")

    @app.get(
        "/api/actors/{code}/timeline",
        response_model=schemas.Series,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["actors"],
    )
    def actor_timeline(
        code: Annotated[str, PathParam(pattern=ACTOR_CODE, description="actor code or prefix")],
        interval: Interval = "day",
        since: Since = None,
        until: Until = None,
        machine: Machine = False,
        format: Format = "json",
    ) -> Any:
        """The events an actor takes part in (either side) per period: counts, Goldstein, QuadClasses."""
        with server.cursor() as cur:
            rows = queries.timeline(cur, server.index(cur, machine), code, interval, since, until)
        return _series_response(rows, format, f"timeline-{code}")

    @app.get(
        "/api/dyads",
        response_model=schemas.Series,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["actors"],
    )
    def dyad_series(
        source: Annotated[str | None, Query(pattern=ACTOR_CODE, description="source code or prefix")] = None,
        target: Annotated[str | None, Query(pattern=ACTOR_CODE, description="target code or prefix")] = None,
        interval: Interval = "day",
        since: Since = None,
        until: Until = None,
        machine: Machine = False,
        format: Format = "json",
    ) -> Any:
        """The events from a source to a target per period (symmetric acts such as meetings either way); a side
        not given is any actor. Only events with both a source and a target count, as in the network."""
        with server.cursor() as cur:
            rows = queries.dyad(cur, server.index(cur, machine), source, target, interval, since, until)
        return _series_response(rows, format, "dyad")

    @app.get("/api/network", response_model=schemas.Network, responses=ERRORS, tags=["actors"])
    def network(
        since: Since = None,
        until: Until = None,
        min_count: Annotated[int, Query(ge=1)] = 1,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="edges, strongest first")] = 200,
        level: Annotated[Literal["actor", "country"], Query()] = "actor",
        machine: Machine = False,
    ) -> dict[str, Any]:
        """The strongest dyads as a graph of actors."""
        with server.cursor() as cur:
            return queries.network(cur, server.index(cur, machine), since, until, min_count, limit, level)

    @app.get(
        "/api/aggregates",
        response_model=schemas.AggregatePage,
        responses={**DOWNLOAD_RESPONSES, **ERRORS},
        tags=["aggregates"],
    )
    def aggregate(
        by: Annotated[Literal["dyad", "country", "actor"], Query()] = "dyad",
        level: Annotated[
            Literal["country", "actor"] | None, Query(description="unit of a dyad's sides")
        ] = None,
        period: Interval = "day",
        since: Since = None,
        until: Until = None,
        code: CodeParam = None,
        actor: CodeParam = None,
        country: Annotated[str | None, Query(pattern=COUNTRY)] = None,
        weight: Annotated[Literal["events", "mentions"], Query()] = "events",
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        machine: Machine = False,
        limit: Limit = None,
        cursor: Cursor = None,
        format: Format = "json",
    ) -> Any:
        """Events, Goldstein sums and means and QuadClass counts per period and dyad, country or actor (the rows of
        `eventwire aggregate`, docs/aggregates.md)."""
        # The level is the unit of a dyad's sides; grouping by country or actor names its unit itself.
        level = level if by == "dyad" else None
        query = aggregates.AggregateQuery(
            by, level, period, since, until, code, actor, country, weight, min_confidence
        )
        return _listing_response(
            server,
            lambda cur: queries.aggregate_listing(cur, query, machine, server.relation(cur, machine)),
            format,
            cursor,
            limit,
            "aggregates",
            {"columns": list(query.columns)},
        )


def _write_routes(app: FastAPI, server: Server) -> None:
    """Corrections and ingest: only with the server's token."""

    def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        """Refuse a write unless the server has a token and the request sends it."""
        if server.token is None:
            raise ApiError(403, "writes are disabled: start the server with --token (or EVENTWIRE_TOKEN)")
        sent = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(sent.encode(), server.token.encode()):
            raise ApiError(
                401,
                "send the server's token as Authorization: Bearer <token>",
                {"WWW-Authenticate": 'Bearer realm="eventwire"'},
            )

    @app.post(
        "/api/events/{event_id}/corrections",
        status_code=201,
        response_model=schemas.CorrectionOut,
        responses={201: {"description": "stored", "links": CORRECTION_LINKS}, **WRITE_ERRORS},
        dependencies=[Depends(require_token)],
        tags=["corrections"],
    )
    def correct_event(
        event_id: Annotated[str, PathParam(pattern=EVENT_ID)], body: schemas.CorrectionIn
    ) -> JSONResponse:
        """Say an event's coding is right or wrong, fix its CAMEO code, actors or date, or reset it to the
        machine's; the event's corrections fold in order into the coding in force in every query and export."""
        fix = body if isinstance(body, schemas.Fix) else None
        correction = corrections.Correction(
            verdict=body.verdict,
            author=body.author,
            code=fix.code if fix else None,
            source=fix.source if fix else None,
            target=fix.target if fix else None,
            date=fix.date if fix else None,
            note=body.note,
        )
        with server.cursor() as cur:
            stored = corrections.add(cur, event_id, correction)
        server.indexes.bump()
        out = schemas.CorrectionOut.model_validate(stored)
        return JSONResponse(
            out.model_dump(mode="json"),
            status_code=201,
            headers={"Location": f"/api/corrections?event={event_id}"},
        )

    @app.post(
        "/api/articles",
        status_code=202,
        response_model=schemas.IngestJob,
        responses={
            200: {"model": schemas.IngestJob, "description": "done (with wait)", "links": INGEST_LINKS},
            202: {"description": "queued or running", "links": {"job": INGEST_LINKS["job"]}},
            **WRITE_ERRORS,
        },
        dependencies=[Depends(require_token)],
        tags=["articles"],
    )
    def post_articles(
        body: schemas.ArticleIn | Annotated[list[schemas.ArticleIn], Field(min_length=1)],
        wait: Annotated[
            float,
            Query(ge=0, le=600, description="seconds to wait for the ingest to finish (0: return at once)"),
        ] = 0,
    ) -> JSONResponse:
        """Ingest one article or a list: the server parses and stores them in the background, one transaction per
        batch, while it goes on answering; the job's page says how it went."""
        items = body if isinstance(body, list) else [body]
        assert server.ingests is not None  # writes need a token, and a token makes the queue
        job = server.ingests.submit([Submitted(a.text, a.title, a.url, a.date, a.id) for a in items])
        if wait:
            job.done.wait(wait)
        status = 200 if job.done.is_set() else 202
        return JSONResponse(
            schemas.IngestJob.model_validate(job.as_dict()).model_dump(mode="json"),
            status_code=status,
            headers={"Location": f"/api/ingests/{job.id}"},
        )

    @app.get(
        "/api/ingests/{job_id}",
        response_model=schemas.IngestJob,
        responses={404: ERRORS[404], 422: ERRORS[422]},
        tags=["articles"],
    )
    def get_ingest(job_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{16}$")]) -> dict[str, Any]:
        """How an ingest posted to the API went (jobs are remembered while the server runs)."""
        job = server.ingests.get(job_id) if server.ingests is not None else None
        if job is None:
            raise ApiError(404, f"no ingest job {job_id!r}")
        return job.as_dict()
