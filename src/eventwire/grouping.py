"""Keeping the store's events up to date: near copies of articles linked, and mentions grouped into events.

Runs inside the transaction that writes (or recodes) a batch of articles, so that articles, mentions, copies and
events never disagree. Only the batch's mentions and the events they could join are read: the work grows with the
batch, not with the store. The matching rule is `clustering.MatchRule`; `docs/events-and-mentions.md` explains it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from . import copies, ontology
from .clustering import Event, MatchRule, Mention, Place, cluster, group_of
from .model import Article

CAMEO_ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
# Mentions that count as events: what the text says happened, not what was denied, imagined, announced for later
# or recalled from the past (those stay mentions, with their modes).
ELIGIBLE = "NOT (m.negated OR m.hypothetical OR m.future OR m.historical)"

MENTION_SELECT = f"""
    SELECT m.article_id, m.idx, m.code, m.source, m.target, coalesce(m.event_date, a.pub_date) AS date,
           m.confidence, p.geonameid, p.country, p.lat, p.lon, p.feature, p.name AS place_name, c.outlet,
           c.copy_of, a.pub_date AS seen, m.sentence_idx
    FROM event_mentions m
    JOIN articles a ON a.id = m.article_id
    LEFT JOIN places p ON p.article_id = m.article_id AND p.idx = m.place_idx
    LEFT JOIN article_copies c ON c.article_id = m.article_id
    WHERE {ELIGIBLE}
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


# A stored or batch article's signature, copy group and publication date.
_Signed = tuple[np.ndarray[Any, np.dtype[np.uint64]], str, dt.date | None]


def link_copies(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> None:
    """Record each new article's signature and outlet, and which earlier article it is a near copy of."""
    ordered = sorted(articles, key=lambda a: a.id)
    values = {a.id: copies.signature(copies.body(a)) for a in ordered}
    bands = {i: copies.bands(v) for i, v in values.items()}
    # One query finds every stored article sharing a band with any of the batch, and one reads their signatures.
    stored = _stored_candidates(con, bands)
    known = _signatures(con, set().union(*stored.values()) if stored else set())
    local: dict[str, _Signed] = {}
    local_bands: dict[tuple[int, int], list[str]] = {}
    rows, band_rows = [], []
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
            band_rows.append({"band": i, "hash": h, "article_id": article.id})
        rows.append(
            {
                "article_id": article.id,
                "outlet": copies.outlet(article.source, article.metadata),
                "minhash": mine.tolist(),
                "copy_of": copy_of,
                "similarity": similarity,
            }
        )
    _append(con, "article_copies", rows, COPY_SCHEMA)
    _append(con, "article_bands", band_rows, BAND_SCHEMA)


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
    con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, sql: str
) -> list[tuple[Any, ...]]:
    """The rows of a query that joins an Arrow table registered under a name for the query's duration."""
    con.register(name, table)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.unregister(name)


def _close(a: dt.date | None, b: dt.date | None) -> bool:
    """Whether two publication dates allow one article to be a copy of the other (an unknown date allows it)."""
    return a is None or b is None or abs((a - b).days) <= copies.MAX_DAYS


def update_events(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], rule: MatchRule) -> None:
    """Group the eligible mentions of these (newly written) articles into the stored events, or new ones."""
    if not article_ids:
        return
    mentions = [
        _mention(r)
        for r in _rows(con, MENTION_SELECT + " AND list_contains(?, m.article_id)", [list(article_ids)])
    ]
    if not mentions:
        return
    events = _candidates(con, mentions, rule)
    touched = cluster(mentions, events, rule)
    _write_events(con, touched)
    links = [
        {"article_id": m.article_id, "mention_idx": m.idx, "event_id": e.id}
        for e in touched
        for m in e.mentions
        if m.article_id in set(article_ids)
    ]
    _append(con, "event_links", links, LINK_SCHEMA)


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
    _append(con, "events", [_event_row(e) for e in kept], EVENT_SCHEMA)


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
        roots = [r for r in CAMEO_ROOTS if group_of(r) == group_of(m.code)]
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
    rows = _with_table(
        con,
        "_candidate_keys",
        table,
        "SELECT DISTINCT e.id FROM (SELECT id, root, event_date, left(unnest(list_concat(source, target)), 3) "
        "AS country FROM events) e JOIN _candidate_keys k ON e.root = k.root AND e.country = k.country "
        "AND e.event_date IS NOT DISTINCT FROM k.day ORDER BY e.id",
    )
    return _events(con, [r[0] for r in rows])


def _events(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[Event]:
    """Stored events with their linked mentions."""
    if not ids:
        return []
    events = {i: Event(i) for i in ids}
    sql = (
        MENTION_SELECT.replace(
            "FROM event_mentions m",
            "FROM _wanted_events w JOIN event_links l ON l.event_id = w.id JOIN event_mentions m "
            "ON m.article_id = l.article_id AND m.idx = l.mention_idx",
        ).replace("SELECT m.article_id", "SELECT l.event_id, m.article_id")
        + " ORDER BY l.event_id, m.article_id, m.idx"
    )
    con.register("_wanted_events", pa.table({"id": ids}, schema=pa.schema([("id", pa.string())])))
    try:
        rows = _rows(con, sql, [])
    finally:
        con.unregister("_wanted_events")
    for row in rows:
        events[row.pop("event_id")].add(_mention(row))
    return [e for e in events.values() if e.mentions]


def _mention(row: dict[str, Any]) -> Mention:
    """A mention from a row of MENTION_SELECT."""
    place = None
    if row["geonameid"] is not None or row["lat"] is not None or row["country"] is not None:
        # Countries, regions and territories locate only to their country; cities and sites to their point.
        broad = not (row["feature"] or "").startswith("P")
        place = Place(row["geonameid"], row["country"], row["lat"], row["lon"], broad, row["place_name"])
    return Mention(
        row["article_id"],
        row["idx"],
        row["code"],
        tuple(row["source"]),
        tuple(row["target"]),
        row["date"],
        row["confidence"],
        place,
        row["outlet"],
        row["copy_of"],
        row["seen"],
        row["sentence_idx"],
    )


def _write_events(con: duckdb.DuckDBPyConnection, events: list[Event]) -> None:
    """Replace the rows of these events with their new summaries."""
    if not events:
        return
    con.execute("DELETE FROM events WHERE list_contains(?, id)", [[e.id for e in events]])
    _append(con, "events", [_event_row(e) for e in events], EVENT_SCHEMA)


def _event_row(event: Event) -> dict[str, Any]:
    """An event as a row of `events`."""
    entry = ontology.cameo_codes().get(event.code)
    place = event.place
    seen = [m.seen for m in event.mentions if m.seen is not None]
    return {
        "id": event.id,
        "code": event.code,
        "root": ontology.root(event.code),
        "plover_type": entry.plover_type if entry else None,
        "plover_mode": entry.plover_mode if entry else None,
        "goldstein": entry.goldstein if entry else None,
        "quad_class": entry.quad_class if entry else None,
        "source": list(event.source),
        "target": list(event.target),
        "event_date": event.date,
        "location": place.name if place else None,
        "geonameid": place.geonameid if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "num_mentions": len(event.mentions),
        "num_articles": len(event.articles),
        "num_sources": len(event.sources),
        "num_stories": len(event.stories),
        "first_seen": min(seen, default=None),
        "last_seen": max(seen, default=None),
        "confidence": round(event.confidence, 6),
        "updated_at": dt.datetime.now(dt.UTC),
    }


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Query results as dicts keyed by column name."""
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _append(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], schema: pa.Schema
) -> None:
    """Insert rows through Arrow."""
    if not rows:
        return
    data = pa.Table.from_pylist(rows, schema=schema)
    view = f"_new_{table}"
    con.register(view, data)
    try:
        columns = ", ".join(data.column_names)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view}")
    finally:
        con.unregister(view)
