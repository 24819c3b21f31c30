"""Keeping the store's events up to date: near copies of articles linked, and mentions grouped into events.

Runs inside the transaction that writes (or recodes) a batch of articles, so that articles, mentions, copies and
events never disagree. Only the batch's mentions and the events they could join are read: the work grows with the
batch, not with the store. The matching rule is `clustering.MatchRule`; `docs/events-and-mentions.md` explains it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from . import copies, ontology
from .clustering import Event, MatchRule, Mention, Place, Summary, cluster, group_of, joinable
from .model import Article

CAMEO_ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
# Mentions that count as events: what the text says happened, not what was denied, imagined, announced for later
# or recalled from the past (those stay mentions, with their modes).
ELIGIBLE = "NOT (m.negated OR m.hypothetical OR m.future OR m.historical)"

MENTION_COLUMNS = """
    m.article_id, m.idx, m.code, m.source, m.target, coalesce(m.event_date, a.pub_date) AS date, m.confidence,
    p.geonameid, p.country, p.lat, p.lon, p.feature, p.name AS place_name, c.outlet, c.copy_of, a.pub_date AS seen,
    m.sentence_idx
"""
MENTION_JOINS = """
    JOIN articles a ON a.id = m.article_id
    LEFT JOIN places p ON p.article_id = m.article_id AND p.idx = m.place_idx
    LEFT JOIN article_copies c ON c.article_id = m.article_id
"""
# The mentions of a batch's articles (registered as `_batch_articles`).
BATCH_MENTIONS = f"""
    SELECT {MENTION_COLUMNS}
    FROM _batch_articles b
    JOIN event_mentions m ON m.article_id = b.id
    {MENTION_JOINS}
    WHERE {ELIGIBLE}
"""
# Stored events a batch's mentions could join: a root, a date and an actor's country of the event's in common with
# a key of the batch (registered as `_candidate_keys`). Only events dated within the keys' span (or undated) are
# unnested.
CANDIDATE_IDS = """
    SELECT DISTINCT e.id FROM (
        SELECT id, root, event_date, left(unnest(list_concat(source, target)), 3) AS country FROM events
        WHERE event_date IS NULL OR event_date BETWEEN $first AND $last
    ) e
    JOIN _candidate_keys k ON e.root = k.root AND e.country = k.country AND e.event_date IS NOT DISTINCT FROM k.day
"""


def _event_mentions(wanted: str) -> str:
    """The mentions of the events whose ids a query or table gives, each row ending with its event's id, in
    (event, article, index) order: the order an event's mentions are summarised in."""
    return f"""
        SELECT {MENTION_COLUMNS}, l.event_id
        FROM {wanted} w
        JOIN event_links l ON l.event_id = w.id
        JOIN event_mentions m ON m.article_id = l.article_id AND m.idx = l.mention_idx
        {MENTION_JOINS}
        WHERE {ELIGIBLE}
        ORDER BY l.event_id, m.article_id, m.idx
    """


EVENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("code", pa.string()),
        ("root", pa.string()),
        ("plover_type", pa.string()),
        ("plover_mode", pa.string()),
        ("goldstein", pa.float64()),
        ("quad_class", pa.int32()),
        ("source", pa.list_(pa.string())),
        ("target", pa.list_(pa.string())),
        ("event_date", pa.date32()),
        ("location", pa.string()),
        ("geonameid", pa.int64()),
        ("country", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("num_mentions", pa.int32()),
        ("num_articles", pa.int32()),
        ("num_sources", pa.int32()),
        ("num_stories", pa.int32()),
        ("first_seen", pa.date32()),
        ("last_seen", pa.date32()),
        ("confidence", pa.float64()),
        ("updated_at", pa.timestamp("us", tz="UTC")),
    ]
)
LINK_SCHEMA = pa.schema([("article_id", pa.string()), ("mention_idx", pa.int32()), ("event_id", pa.string())])
COPY_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("outlet", pa.string()),
        ("minhash", pa.list_(pa.uint64())),
        ("copy_of", pa.string()),
        ("similarity", pa.float64()),
    ]
)
BAND_SCHEMA = pa.schema([("band", pa.int16()), ("hash", pa.int64()), ("article_id", pa.string())])


class _CollectorPause:
    """The cyclic garbage collector paused while grouping runs, resumed (if it ran before) when the last of
    concurrent pauses ends.

    Grouping a batch makes and drops hundreds of thousands of small objects (rows, mentions, events), none in
    reference cycles: reference counting frees them all. Left running, the collector would count them as new
    objects and, every so often, scan the whole process heap: with a language model loaded, hundreds of
    milliseconds each time, more than the grouping itself.
    """

    def __init__(self) -> None:
        """Not paused."""
        self.lock = threading.Lock()
        self.depth = 0
        self.resume = False

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        """Pause the collector for the duration of a block."""
        with self.lock:
            if self.depth == 0:
                self.resume = gc.isenabled()
                gc.disable()
            self.depth += 1
        try:
            yield
        finally:
            with self.lock:
                self.depth -= 1
                if self.depth == 0 and self.resume:
                    gc.enable()


_collector_paused = _CollectorPause()


# A stored or batch article's signature, copy group and publication date.
_Signed = tuple[np.ndarray[Any, np.dtype[np.uint64]], str, dt.date | None]


def link_copies(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> None:
    """Record each new article's signature and outlet, and which earlier article it is a near copy of."""
    with _collector_paused():
        _link_copies(con, articles)


def _link_copies(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> None:
    """The work of `link_copies`."""
    ordered = sorted(articles, key=lambda a: a.id)
    values = {a.id: copies.signature(copies.body(a)) for a in ordered}
    bands = {i: copies.bands(v) for i, v in values.items()}
    # One query finds every stored article sharing a band with any of the batch, and one reads their signatures.
    stored = _stored_candidates(con, bands)
    known = _signatures(con, set().union(*stored.values()) if stored else set())
    local: dict[str, _Signed] = {}
    local_bands: dict[tuple[int, int], list[str]] = {}
    rows: list[tuple[Any, ...]] = []
    band_rows: list[tuple[int, int, str]] = []
    for article in ordered:
        mine = values[article.id]
        candidates = {other: known[other] for other in stored.get(article.id, set())} | {
            other: local[other]
            for i, h in enumerate(bands[article.id])
            for other in local_bands.get((i, h), [])
        }
        best = max(
            (
                (copies.similarity(mine, sig), root, other)
                for other, (sig, root, published) in sorted(candidates.items())
                if _close(article.date, published)
            ),
            default=None,
        )
        copy_of, similarity = article.id, None
        if best is not None and best[0] >= copies.THRESHOLD:
            similarity, copy_of = best[0], best[1]
        local[article.id] = (mine, copy_of, article.date)
        for i, h in enumerate(bands[article.id]):
            local_bands.setdefault((i, h), []).append(article.id)
            band_rows.append((i, h, article.id))
        outlet = copies.outlet(article.source, article.metadata)
        rows.append((article.id, outlet, mine, copy_of, similarity))
    _append_table(con, "article_copies", _columns(rows, COPY_SCHEMA))
    _append_table(con, "article_bands", _columns(band_rows, BAND_SCHEMA))


def _stored_candidates(con: duckdb.DuckDBPyConnection, bands: dict[str, list[int]]) -> dict[str, set[str]]:
    """For each new article, the stored articles that share a band with its signature."""
    query = pa.table(
        {
            "new_id": [i for i, hashes in bands.items() for _ in hashes],
            "band": [b for hashes in bands.values() for b in range(len(hashes))],
            "hash": [h for hashes in bands.values() for h in hashes],
        },
        schema=pa.schema([("new_id", pa.string()), ("band", pa.int16()), ("hash", pa.int64())]),
    )
    found: dict[str, set[str]] = {}
    for new_id, article_id in _with_table(
        con,
        "_batch_bands",
        query,
        "SELECT DISTINCT q.new_id, b.article_id FROM article_bands b "
        "JOIN _batch_bands q ON b.band = q.band AND b.hash = q.hash",
    ):
        found.setdefault(new_id, set()).add(article_id)
    return found


def _signatures(con: duckdb.DuckDBPyConnection, ids: set[str]) -> dict[str, _Signed]:
    """Signatures, copy groups and publication dates of stored articles."""
    if not ids:
        return {}
    wanted = pa.table({"article_id": sorted(ids)}, schema=pa.schema([("article_id", pa.string())]))
    rows = _with_table(
        con,
        "_wanted_articles",
        wanted,
        "SELECT c.article_id, c.minhash, c.copy_of, a.pub_date FROM article_copies c "
        "JOIN _wanted_articles w ON w.article_id = c.article_id JOIN articles a ON a.id = c.article_id",
    )
    return {r[0]: (np.array(r[1], dtype=np.uint64), r[2], r[3]) for r in rows}


def _with_table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    table: pa.Table,
    sql: str,
    params: dict[str, Any] | None = None,
) -> list[tuple[Any, ...]]:
    """The rows of a query that joins an Arrow table registered under a name for the query's duration."""
    con.register(name, table)
    try:
        return con.execute(sql, params).fetchall() if params else con.execute(sql).fetchall()
    finally:
        con.unregister(name)


def _close(a: dt.date | None, b: dt.date | None) -> bool:
    """Whether two publication dates allow one article to be a copy of the other (an unknown date allows it)."""
    return a is None or b is None or abs((a - b).days) <= copies.MAX_DAYS


def update_events(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], rule: MatchRule) -> None:
    """Group the eligible mentions of these (newly written) articles into the stored events, or new ones."""
    if not article_ids:
        return
    with _collector_paused():
        _update_events(con, article_ids, rule)


def _update_events(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], rule: MatchRule) -> None:
    """The work of `update_events`."""
    ids = list(dict.fromkeys(article_ids))
    batch = pa.table({"id": ids}, schema=pa.schema([("id", pa.string())]))
    mentions = [_mention(r) for r in _with_table(con, "_batch_articles", batch, BATCH_MENTIONS)]
    if not mentions:
        return
    events = _candidates(con, mentions, rule)
    touched = cluster(mentions, events, rule)
    _write_events(con, touched)
    new = set(ids)
    links = [(m.article_id, m.idx, e.id) for e in touched for m in e.mentions if m.article_id in new]
    _append_table(con, "event_links", _columns(links, LINK_SCHEMA))


def unlink(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Take these articles' mentions out of their events (before a recode): events left without mentions go,
    the others are summarised again from the mentions they keep."""
    ids = list(article_ids)
    touched = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT event_id FROM event_links WHERE list_contains(?, article_id) ORDER BY 1", [ids]
        ).fetchall()
    ]
    if not touched:
        return
    con.execute("DELETE FROM event_links WHERE list_contains(?, article_id)", [ids])
    kept = _events(con, touched)
    con.execute("DELETE FROM events WHERE list_contains(?, id)", [touched])
    _append_table(con, "events", _event_table(kept))


def rebuild(con: duckdb.DuckDBPyConnection, rule: MatchRule) -> int:
    """Group every stored mention again under a rule (after changing it); the number of events."""
    con.execute("DELETE FROM event_links")
    con.execute("DELETE FROM events")
    ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    update_events(con, ids, rule)
    row = con.execute("SELECT count(*) FROM events").fetchone()
    return int(row[0]) if row else 0


def _candidates(con: duckdb.DuckDBPyConnection, mentions: list[Mention], rule: MatchRule) -> list[Event]:
    """Stored events the mentions could join: for some mention, a root of its group, a date within its window and
    an actor's country in common (mentions that name nobody join only events of their own article, which are
    new; an undated mention, only undated events)."""
    window = range(-rule.window_days, rule.window_days + 1)
    keys: set[tuple[str, dt.date | None, str]] = set()
    for m in mentions:
        roots = _roots_of(group_of(m.code))
        days = [m.date + dt.timedelta(days=d) for d in window] if m.date else [None]
        countries = {a[:3] for a in (*m.source, *m.target)}
        keys.update((r, day, c) for r in roots for day in days for c in countries)
    if not keys:
        return []
    table = pa.table(
        {
            "root": [k[0] for k in keys],
            "day": [k[1] for k in keys],
            "country": [k[2] for k in keys],
        },
        schema=pa.schema([("root", pa.string()), ("day", pa.date32()), ("country", pa.string())]),
    )
    dated = [k[1] for k in keys if k[1] is not None]
    span = {"first": min(dated, default=None), "last": max(dated, default=None)}
    # The candidates' summaries first: most share a country with a mention but not on its side, or differ on the
    # code; only those a mention agrees with are read with their mentions (the others could not take one).
    sql = f"SELECT id, code, source, target, event_date FROM events WHERE id IN ({CANDIDATE_IDS})"
    summaries = [
        (r[0], Summary(r[1], tuple(r[2]), tuple(r[3]), r[4], None))
        for r in _with_table(con, "_candidate_keys", table, sql, span)
    ]
    return _events(con, sorted(joinable(mentions, summaries, rule)))


@functools.lru_cache(maxsize=64)
def _roots_of(group: str) -> tuple[str, ...]:
    """The CAMEO roots of a root group."""
    return tuple(r for r in CAMEO_ROOTS if group_of(r) == group)


def _events(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[Event]:
    """Stored events with their linked mentions, in id order."""
    if not ids:
        return []
    wanted = pa.table({"id": ids}, schema=pa.schema([("id", pa.string())]))
    return _grouped(_with_table(con, "_wanted_events", wanted, _event_mentions("_wanted_events")))


def _grouped(rows: list[tuple[Any, ...]]) -> list[Event]:
    """Events from rows of `_event_mentions` (sorted by event id), their mentions in the rows' order."""
    events: list[Event] = []
    last = None
    for row in rows:
        if row[-1] != last:
            last = row[-1]
            events.append(Event(last))
        events[-1].mentions.append(_mention(row))
    return events


def _mention(row: Sequence[Any]) -> Mention:
    """A mention from a row of MENTION_COLUMNS."""
    geonameid, country, lat, lon, feature = row[7], row[8], row[9], row[10], row[11]
    place = None
    if geonameid is not None or lat is not None or country is not None:
        # Countries, regions and territories locate only to their country; cities and sites to their point.
        broad = not (feature or "").startswith("P")
        place = Place(geonameid, country, lat, lon, broad, row[12])
    return Mention(
        row[0],
        row[1],
        row[2],
        tuple(row[3]),
        tuple(row[4]),
        row[5],
        row[6],
        place,
        row[13],
        row[14],
        row[15],
        row[16],
    )


def _write_events(con: duckdb.DuckDBPyConnection, events: list[Event]) -> None:
    """Replace the rows of these events with their new summaries."""
    if not events:
        return
    # A join with the ids, not `list_contains`, which would test every stored event against the whole list.
    ids = pa.table({"id": [e.id for e in events]}, schema=pa.schema([("id", pa.string())]))
    con.register("_rewritten_events", ids)
    try:
        con.execute("DELETE FROM events WHERE id IN (SELECT id FROM _rewritten_events)")
    finally:
        con.unregister("_rewritten_events")
    _append_table(con, "events", _event_table(events))


def _event_table(events: Sequence[Event]) -> pa.Table:
    """Events as rows of `events`, all updated now."""
    now = dt.datetime.now(dt.UTC)
    return _columns([_event_row(e, now) for e in events], EVENT_SCHEMA)


def _event_row(event: Event, now: dt.datetime) -> tuple[Any, ...]:
    """An event as a row of `events` (EVENT_SCHEMA's columns, in order)."""
    entry = ontology.cameo_codes().get(event.code)
    place = event.place
    seen = [m.seen for m in event.mentions if m.seen is not None]
    return (
        event.id,
        event.code,
        ontology.root(event.code),
        entry.plover_type if entry else None,
        entry.plover_mode if entry else None,
        entry.goldstein if entry else None,
        entry.quad_class if entry else None,
        list(event.source),
        list(event.target),
        event.date,
        place.name if place else None,
        place.geonameid if place else None,
        place.country if place else None,
        place.lat if place else None,
        place.lon if place else None,
        len(event.mentions),
        len(event.articles),
        len(event.sources),
        len(event.stories),
        min(seen, default=None),
        max(seen, default=None),
        round(event.confidence, 6),
        now,
    )


def _columns(rows: Sequence[tuple[Any, ...]], schema: pa.Schema) -> pa.Table:
    """Rows (tuples in the schema's column order) as an Arrow table."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)], schema=schema
    )


def _append_table(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    """Insert an Arrow table's rows."""
    if not data.num_rows:
        return
    view = f"_new_{table}"
    con.register(view, data)
    try:
        columns = ", ".join(data.column_names)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view}")
    finally:
        con.unregister(view)
