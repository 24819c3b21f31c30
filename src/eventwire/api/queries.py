"""The one query layer of the HTTP API: filters in, parameterised SQL out, rows and the next cursor back.

Every endpoint, in JSON and as a download, calls these functions; they take a DuckDB cursor and plain values, and
know nothing of HTTP. Values only ever reach SQL as parameters; the few names spliced into SQL text (columns to
sort by, periods) come from fixed tables here, never from a request. Events are read through
`corrections.events_sql`, so analysts' corrections apply unless the machine coding is asked for.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

import duckdb
import pyarrow as pa

from .. import aggregates, corrections
from ..corrections import ROW_KEY
from ..errors import UsageError
from ..store import ILIKE, MODES, QuoteFilter, contains
from . import names, series
from .index import ActorIndex, registered
from .pages import Key, Late, Listing, dicts

Interval = Literal["day", "week", "month"]
INTERVALS: tuple[Interval, ...] = ("day", "week", "month")
Order = Literal["asc", "desc"]
EventSort = Literal["date", "goldstein", "mentions", "confidence"]
EVENT_SORTS: dict[str, str] = {
    "date": "event_date",
    "goldstein": "goldstein",
    "mentions": "num_mentions",
    "confidence": "confidence",
}
# A value of `actor` written in capitals is a code (or its prefix); anything else is words of an actor's name.
_CODE = re.compile(r"[A-Z0-9+-]{1,24}")
# Code prefixes a name may stand for, at most (a name matching more is too vague to be useful).
MAX_NAME_CODES = 64


def is_code(value: str) -> bool:
    """Whether a value of `actor`, `source` or `target` is an actor code or prefix (capitals, digits, + and -)."""
    return bool(_CODE.fullmatch(value))


def check_code(value: str, what: str) -> str:
    """An actor code or prefix as given; UsageError when it is not one."""
    if not is_code(value):
        raise UsageError(
            f"{what} must be an actor code or its prefix in capitals (ISR, ISRGOV, IGOUNO), not {value!r}"
        )
    return value


@dataclass(frozen=True, slots=True)
class BBox:
    """A bounding box in degrees; `min_lon` > `max_lon` is a box across the antimeridian."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """A box from `minlon,minlat,maxlon,maxlat`; UsageError when it is not one."""
        try:
            values = [float(v) for v in text.split(",")]
        except ValueError:
            values = []
        if len(values) != 4 or any(v != v for v in values):
            raise UsageError(f"bbox must be minlon,minlat,maxlon,maxlat in degrees, not {text!r}")
        box = cls(*values)
        if not (-180 <= box.min_lon <= 180 and -180 <= box.max_lon <= 180):
            raise UsageError("bbox longitudes must lie in [-180, 180]")
        if not (-90 <= box.min_lat <= box.max_lat <= 90):
            raise UsageError("bbox latitudes must lie in [-90, 90], the minimum first")
        return box

    def sql(self, alias: str) -> tuple[str, list[Any]]:
        """The condition that a row's `lat` and `lon` lie in the box."""
        lat = f"{alias}.lat BETWEEN ? AND ?"
        if self.min_lon <= self.max_lon:
            return f"({lat} AND {alias}.lon BETWEEN ? AND ?)", [
                self.min_lat,
                self.max_lat,
                self.min_lon,
                self.max_lon,
            ]
        return f"({lat} AND ({alias}.lon >= ? OR {alias}.lon <= ?))", [
            self.min_lat,
            self.max_lat,
            self.min_lon,
            self.max_lon,
        ]


class Where:
    """A conjunction of SQL conditions and their parameters, built clause by clause."""

    def __init__(self) -> None:
        """No condition yet (everything matches)."""
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        """Require a condition with its parameters."""
        self.clauses.append(clause)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        """The conditions joined with AND."""
        return " AND ".join(self.clauses) or "TRUE"


def _side(alias: str, side: str) -> str:
    """SQL that tests whether an actor code of one side starts with the parameter: the side's codes as one string
    `,A,B`, searched for `,prefix` (codes hold no comma or LIKE wildcard; ten times faster than unnesting)."""
    return f"(',' || array_to_string({alias}.{side}, ',')) LIKE ('%,' || ? || '%')"


def actor_prefixes(con: duckdb.DuckDBPyConnection, value: str) -> list[str]:
    """The code prefixes `actor` stands for: itself when it is a code, else the codes of actors whose name or
    words in articles contain it (countries, organisations, people stored)."""
    if is_code(value):
        return [value]
    found = set(names.matching_codes(value))
    rows = con.execute(
        f"SELECT DISTINCT code FROM actors WHERE code IS NOT NULL AND (name {ILIKE} OR text {ILIKE}) LIMIT ?",
        [contains(value), contains(value), MAX_NAME_CODES],
    ).fetchall()
    found |= {r[0] for r in rows if is_code(r[0])}
    return sorted(found)[:MAX_NAME_CODES]


def _any_side(where: Where, alias: str, prefixes: list[str]) -> None:
    """Require an actor starting with one of the prefixes on either side (nothing matches without prefixes)."""
    if not prefixes:
        where.add("FALSE")
        return
    tests = " OR ".join(f"{_side(alias, 'source')} OR {_side(alias, 'target')}" for _ in prefixes)
    where.add(f"({tests})", *[p for p in prefixes for _ in range(2)])


# Events -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventQuery:
    """What `/api/events` asks for: dates, actors, codes, modes, confidence, place, corrections, order."""

    since: dt.date | None = None
    until: dt.date | None = None
    actor: str | None = None
    source: str | None = None
    target: str | None = None
    country: str | None = None
    place_country: str | None = None
    code: str | None = None
    root: tuple[str, ...] = ()
    plover: tuple[str, ...] = ()
    quad_class: tuple[int, ...] = ()
    mode: str | None = None
    min_confidence: float | None = None
    min_mentions: int | None = None
    bbox: BBox | None = None
    article: str | None = None
    corrected: bool | None = None
    machine: bool = False
    include_wrong: bool = False
    sort: str = "date"
    order: str = "desc"

    def where(self, con: duckdb.DuckDBPyConnection) -> Where:
        """The conditions on events `e`."""
        if self.mode is not None and self.mode not in MODES:
            raise UsageError(f"unknown mode {self.mode!r}; one of {', '.join(MODES)}")
        if self.mode not in (None, "asserted"):
            raise UsageError(
                "events are grouped from asserted mentions only; list other modes with /api/mentions?mode=…"
            )
        w = Where()
        if self.since:
            w.add("e.event_date >= ?", self.since)
        if self.until:
            w.add("e.event_date <= ?", self.until)
        if self.actor:
            _any_side(w, "e", actor_prefixes(con, self.actor))
        if self.country:
            _any_side(w, "e", [check_code(self.country.upper()[:3], "country")])
        for side in ("source", "target"):
            value = getattr(self, side)
            if value:
                w.add(_side("e", side), check_code(value, side))
        self._coding(w)
        return w

    def _coding(self, w: Where) -> None:
        """The conditions on codes, confidence, place, article and corrections."""
        if self.code:
            w.add("starts_with(e.code, ?)", self.code)
        if self.root:
            w.add("list_contains(?, e.root)", [r.zfill(2) for r in self.root])
        if self.plover:
            w.add("list_contains(?, upper(e.plover_type))", [p.upper() for p in self.plover])
        if self.quad_class:
            w.add("list_contains(?, e.quad_class)", list(self.quad_class))
        if self.min_confidence is not None:
            w.add("e.confidence >= ?", self.min_confidence)
        if self.min_mentions is not None:
            w.add("e.num_mentions >= ?", self.min_mentions)
        if self.place_country:
            w.add("e.country = ?", self.place_country.upper())
        if self.bbox:
            clause, params = self.bbox.sql("e")
            w.add(clause, *params)
        if self.article:
            w.add("e.id IN (SELECT event_id FROM event_links WHERE starts_with(article_id, ?))", self.article)
        if self.corrected is not None:
            w.add("e.corrected = ?", self.corrected)


_EVENT_COLUMNS = (
    "e.id, e.event_date, e.source, e.target, e.code, e.root, e.plover_type, e.plover_mode, e.quad_class, "
    "e.goldstein, e.confidence, e.num_mentions, e.num_sources, e.num_articles, e.num_stories, e.first_seen, "
    "e.last_seen, e.location, e.country, e.geonameid, e.lat, e.lon, e.corrected, e.verdict, e.machine_code, "
    "e.machine_source, e.machine_target, e.machine_date"
)


def events(con: duckdb.DuckDBPyConnection, query: EventQuery, relation: str | None = None) -> Listing:
    """The events a query selects, in its order (ties broken by id); `relation` is `corrections.events_sql` for
    the query's coding with its row key, when the caller keeps it."""
    if query.sort not in EVENT_SORTS:
        raise UsageError(f"unknown sort {query.sort!r}; one of {', '.join(EVENT_SORTS)}")
    if query.order not in ("asc", "desc"):
        raise UsageError(f"unknown order {query.order!r}; one of asc, desc")
    where = query.where(con)
    relation = relation or corrections.events_sql(
        con, machine=query.machine, hide_wrong=not query.include_wrong, row_key=True
    )
    descending = query.order == "desc"
    column = EVENT_SORTS[query.sort]
    # A page finds its rows on the filters and keys alone, then reads those whole (docs/api.md, Load).
    late = Late(
        f"SELECT e.{ROW_KEY}, e.{column}, e.id FROM {relation} e WHERE {where.sql}",
        f"SELECT {_EVENT_COLUMNS}, e.{ROW_KEY} FROM {relation} e",
        ROW_KEY,
    )
    return Listing(
        "events",
        f"SELECT {_EVENT_COLUMNS} FROM {relation} e WHERE {where.sql}",
        where.params,
        (Key(column, descending), Key("id", descending)),
        _event_items,
        late,
    )


def event_item(row: dict[str, Any]) -> dict[str, Any]:
    """An event row as the API gives it: the UI's field names, names of its codes, the machine's coding."""
    source, target = list(row["source"] or []), list(row["target"] or [])
    return {
        "id": row["id"],
        "date": row["event_date"],
        "source": source,
        "source_names": names.actor_names(source),
        "target": target,
        "target_names": names.actor_names(target),
        "code": row["code"],
        "code_name": names.code_name(row["code"]),
        "root": row["root"],
        "plover": row["plover_type"],
        "plover_mode": row["plover_mode"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "confidence": row["confidence"],
        "num_mentions": row["num_mentions"],
        "num_sources": row["num_sources"],
        "num_articles": row["num_articles"],
        "num_stories": row["num_stories"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "place_name": row["location"],
        "place_country": row["country"],
        "geonameid": row["geonameid"],
        "lat": row["lat"],
        "lon": row["lon"],
        "corrected": bool(row["corrected"]),
        "verdict": row["verdict"],
        "machine": {
            "code": row["machine_code"],
            "source": list(row["machine_source"] or []),
            "target": list(row["machine_target"] or []),
            "date": row["machine_date"],
        },
    }


def _event_items(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Event rows as items."""
    return [event_item(r) for r in rows]


def event(con: duckdb.DuckDBPyConnection, event_id: str, machine: bool = False) -> dict[str, Any] | None:
    """One event (also one marked wrong) with its mentions, their evidence, and its corrections; None if unknown."""
    relation = corrections.events_sql(con, machine=machine, hide_wrong=False)
    rows = dicts(con.execute(f"SELECT {_EVENT_COLUMNS} FROM {relation} e WHERE e.id = ?", [event_id]))
    if not rows:
        return None
    return {
        "event": event_item(rows[0]),
        "mentions": [_mention_item(r) for r in dicts(con.execute(_EVENT_MENTIONS, [event_id]))],
        "corrections": corrections.history(con, event_id),
    }


# A mention with its sentence, article and first source, as evidence.
_MENTION_COLUMNS = """
    m.article_id, m.idx, m.sentence_idx, m.trigger_start, m.trigger_end, m.trigger_text, m.code, m.source,
    m.target, m.source_spans, m.target_spans, m.negated, m.hypothetical, m.future, m.historical, m.attributed_to,
    m.event_date, m.date_text, m.location, m.confidence, m.decided_by, m.rule, a.title AS article_title,
    a.pub_date, s.text AS sentence_text, s.start_char AS sentence_start, s.end_char AS sentence_end,
    (SELECT first(src.url ORDER BY src.first_seen, src.uri, src.line) FROM sources src
     WHERE src.article_id = m.article_id AND src.url IS NOT NULL) AS url,
    (SELECT c.outlet FROM article_copies c WHERE c.article_id = m.article_id) AS outlet
"""
_MENTION_FROM = """
    FROM event_mentions m JOIN articles a ON a.id = m.article_id
    LEFT JOIN sentences s ON s.article_id = m.article_id AND s.idx = m.sentence_idx
"""
_EVENT_MENTIONS = f"""
    SELECT {_MENTION_COLUMNS}, l.event_id FROM event_links l
    JOIN event_mentions m ON m.article_id = l.article_id AND m.idx = l.mention_idx
    JOIN articles a ON a.id = m.article_id
    LEFT JOIN sentences s ON s.article_id = m.article_id AND s.idx = m.sentence_idx
    WHERE l.event_id = ? ORDER BY a.pub_date NULLS LAST, m.article_id, m.idx
"""


def _span_bounds(spans: list[dict[str, Any]] | None) -> tuple[int | None, int | None]:
    """The first and last character of a side's spans, or None when the side is not named."""
    if not spans:
        return None, None
    return min(s["start_char"] for s in spans), max(s["end_char"] for s in spans)


def _mention_item(row: dict[str, Any]) -> dict[str, Any]:
    """A mention row as evidence: offsets in the article text, and the sentence's start to make them relative."""
    source_start, source_end = _span_bounds(row["source_spans"])
    target_start, target_end = _span_bounds(row["target_spans"])
    return {
        "id": f"{row['article_id']}:{row['idx']}",
        "event_id": row.get("event_id"),
        "article_id": row["article_id"],
        "article_title": row["article_title"],
        "pub_date": row["pub_date"],
        "url": row["url"],
        "outlet": row["outlet"],
        "sentence_idx": row["sentence_idx"],
        "sentence_text": row["sentence_text"],
        "sentence_start": row["sentence_start"],
        "sentence_end": row["sentence_end"],
        "trigger_start": row["trigger_start"],
        "trigger_end": row["trigger_end"],
        "trigger_text": row["trigger_text"],
        "source_start": source_start,
        "source_end": source_end,
        "target_start": target_start,
        "target_end": target_end,
        "source_spans": [_span(s) for s in row["source_spans"] or []],
        "target_spans": [_span(s) for s in row["target_spans"] or []],
        "source": list(row["source"] or []),
        "target": list(row["target"] or []),
        "code": row["code"],
        "code_name": names.code_name(row["code"]),
        "date": row["event_date"],
        "date_text": row["date_text"],
        "location": row["location"],
        "rule": row["rule"],
        "decided_by": row["decided_by"],
        "confidence": row["confidence"],
        "modes": {
            "negated": row["negated"],
            "hypothetical": row["hypothetical"],
            "future": row["future"],
            "historical": row["historical"],
            "attributed_to": row["attributed_to"],
        },
    }


def _span(span: dict[str, Any]) -> dict[str, Any]:
    """A stored span as the API writes spans."""
    return {"start": span["start_char"], "end": span["end_char"], "text": span["text"]}


# Mentions -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MentionQuery:
    """What `/api/mentions` asks for: the filters of `eventwire events`, modes included."""

    since: dt.date | None = None
    until: dt.date | None = None
    actor: str | None = None
    country: str | None = None
    code: str | None = None
    mode: str | None = None
    article: str | None = None
    min_confidence: float | None = None


def mentions(con: duckdb.DuckDBPyConnection, query: MentionQuery) -> Listing:
    """Event mentions, newest article first, with their evidence and event."""
    w = Where()
    if query.since:
        w.add("m.event_date >= ?", query.since)
    if query.until:
        w.add("m.event_date <= ?", query.until)
    if query.actor:
        _any_side(w, "m", actor_prefixes(con, query.actor))
    if query.country:
        _any_side(w, "m", [check_code(query.country.upper()[:3], "country")])
    if query.code:
        w.add("starts_with(m.code, ?)", query.code)
    if query.mode:
        modes = {
            "asserted": "NOT (m.negated OR m.hypothetical OR m.future OR m.historical)",
            **{mode: f"m.{mode}" for mode in ("negated", "hypothetical", "future", "historical")},
        }
        if query.mode not in modes:
            raise UsageError(f"unknown mode {query.mode!r}; one of {', '.join(modes)}")
        w.add(modes[query.mode])
    if query.article:
        w.add("starts_with(m.article_id, ?)", query.article)
    if query.min_confidence is not None:
        w.add("m.confidence >= ?", query.min_confidence)
    sql = f"""SELECT {_MENTION_COLUMNS},
        (SELECT l.event_id FROM event_links l WHERE l.article_id = m.article_id AND l.mention_idx = m.idx) AS event_id
        {_MENTION_FROM} WHERE {w.sql}"""
    keys = (Key("pub_date", True), Key("article_id"), Key("idx"))
    return Listing("mentions", sql, w.params, keys, lambda con, rows: [_mention_item(r) for r in rows])


# Articles -----------------------------------------------------------------------------------------------------


def search_terms(q: str) -> list[str]:
    """The terms of a search: words, and phrases in double quotes; every term must occur."""
    return [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', q) if (a or b).strip()]


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """What `/api/articles` asks for: words of the title or text, publication dates, a source or outlet."""

    q: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None


def articles(con: duckdb.DuckDBPyConnection, query: ArticleQuery) -> Listing:
    """Stored articles, newest publication first."""
    w = Where()
    terms = search_terms(query.q or "")
    for term in terms:
        w.add(f"(a.title {ILIKE} OR a.text {ILIKE})", contains(term), contains(term))
    if query.since:
        w.add("a.pub_date >= ?", query.since)
    if query.until:
        w.add("a.pub_date <= ?", query.until)
    if query.source:
        w.add(
            f"(a.id IN (SELECT article_id FROM sources WHERE url {ILIKE} OR uri {ILIKE}) "
            f"OR a.id IN (SELECT article_id FROM article_copies WHERE outlet {ILIKE}))",
            *[contains(query.source)] * 3,
        )
    sql = f"SELECT a.id, a.title, a.pub_date, a.n_sentences, a.ingested_at FROM articles a WHERE {w.sql}"
    first = terms[0] if terms else None
    return Listing(
        "articles",
        sql,
        w.params,
        (Key("pub_date", True), Key("id", True)),
        lambda con, rows: _article_items(con, rows, first),
    )


_ARTICLE_EXTRAS = """
WITH ids AS (SELECT unnest(?) AS id)
SELECT ids.id,
       (SELECT first(s.url ORDER BY s.first_seen, s.uri, s.line) FROM sources s
        WHERE s.article_id = ids.id AND s.url IS NOT NULL) AS url,
       (SELECT c.outlet FROM article_copies c WHERE c.article_id = ids.id) AS outlet,
       (SELECT count(DISTINCT l.event_id) FROM event_links l WHERE l.article_id = ids.id) AS n_events,
       (SELECT count(*) FROM event_mentions m WHERE m.article_id = ids.id) AS n_mentions,
       CASE WHEN ? IS NULL THEN NULL ELSE
           (SELECT substr(a.text, greatest(1, instr(lower(a.text), lower(?)) - 80), 240) FROM articles a
            WHERE a.id = ids.id) END AS snippet
FROM ids
"""


def _article_items(
    con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], term: str | None
) -> list[dict[str, Any]]:
    """Article rows with their web address, outlet, counts of events and mentions, and a snippet of the search."""
    if not rows:
        return []
    extras = {r["id"]: r for r in dicts(con.execute(_ARTICLE_EXTRAS, [[r["id"] for r in rows], term, term]))}
    return [
        {
            "id": r["id"],
            "title": r["title"],
            "url": extras[r["id"]]["url"],
            "outlet": extras[r["id"]]["outlet"],
            "pub_date": r["pub_date"],
            "n_sentences": r["n_sentences"],
            "n_events": extras[r["id"]]["n_events"],
            "n_mentions": extras[r["id"]]["n_mentions"],
            "snippet": extras[r["id"]]["snippet"],
        }
        for r in rows
    ]


def resolve_article(con: duckdb.DuckDBPyConnection, prefix: str) -> str | None:
    """The id of the article an id or unique id prefix names; None when none; UsageError when ambiguous."""
    ids = [
        r[0]
        for r in con.execute(
            "SELECT id FROM articles WHERE starts_with(id, ?) ORDER BY id LIMIT 5", [prefix]
        ).fetchall()
    ]
    if prefix in ids:
        return prefix
    if len(ids) > 1:
        raise UsageError(f"id prefix {prefix!r} is ambiguous: {', '.join(ids)}…")
    return ids[0] if ids else None


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """An article with its text, sources, sentences and everything extracted from it; None when unknown."""
    found = dicts(
        con.execute(
            "SELECT id, title, pub_date, date_source, text, body_start, metadata, pipeline FROM articles "
            "WHERE id = ?",
            [article_id],
        )
    )
    if not found:
        return None
    head = found[0]
    sources = dicts(
        con.execute(
            "SELECT uri, line, format, external_id, url FROM sources WHERE article_id = ? "
            "ORDER BY first_seen, uri, line",
            [article_id],
        )
    )
    return {
        "article": {
            **{
                k: head[k]
                for k in ("id", "title", "pub_date", "date_source", "text", "body_start", "pipeline")
            },
            "url": next((s["url"] for s in sources if s["url"]), None),
            "metadata": head["metadata"],
        },
        "sources": sources,
        **_annotations(con, article_id),
    }


_ANNOTATIONS = {
    "sentences": 'SELECT idx, paragraph, start_char AS start, end_char AS "end" FROM sentences',
    "entities": 'SELECT idx, sentence_idx, label, start_char AS start, end_char AS "end", text FROM entities',
    "actors": 'SELECT idx, sentence_idx, start_char AS start, end_char AS "end", text, code, name, country, '
    "via, coded FROM actors",
    "quotes": 'SELECT idx, kind, start_char AS start, end_char AS "end", text, speaker_start, speaker_end, '
    "speaker_text, speaker_code, cue_start, cue_end, cue_text FROM quotes",
    "places": 'SELECT idx, sentence_idx, start_char AS start, end_char AS "end", text, role, name, geonameid, '
    "country, lat, lon, feature FROM places",
    "dates": 'SELECT idx, sentence_idx, start_char AS start, end_char AS "end", text, value FROM dates',
}


def _annotations(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """Everything extracted from an article, each kind in its order, offsets into the article's text."""
    out = {
        kind: dicts(con.execute(f"{sql} WHERE article_id = ? ORDER BY idx", [article_id]))
        for kind, sql in _ANNOTATIONS.items()
    }
    for actor in out["actors"]:
        actor["name"] = actor["name"] or names.actor_name(actor["code"] or "")
    mentions = dicts(
        con.execute(
            "SELECT m.idx, m.sentence_idx, m.trigger_start, m.trigger_end, m.trigger_text, m.code, m.source, "
            "m.target, m.negated, m.hypothetical, m.future, m.historical, m.attributed_to, m.confidence, "
            "l.event_id FROM event_mentions m LEFT JOIN event_links l "
            "ON l.article_id = m.article_id AND l.mention_idx = m.idx WHERE m.article_id = ? ORDER BY m.idx",
            [article_id],
        )
    )
    out["mentions"] = [
        {
            "id": f"{article_id}:{m['idx']}",
            "event_id": m["event_id"],
            "start": m["trigger_start"],
            "end": m["trigger_end"],
            "text": m["trigger_text"],
            "code": m["code"],
            "code_name": names.code_name(m["code"]),
            "sentence_idx": m["sentence_idx"],
            "source": list(m["source"] or []),
            "target": list(m["target"] or []),
            "confidence": m["confidence"],
            "modes": {k: m[k] for k in ("negated", "hypothetical", "future", "historical", "attributed_to")},
        }
        for m in mentions
    ]
    return out


# Quotes and places --------------------------------------------------------------------------------------------


def quotes(con: duckdb.DuckDBPyConnection, query: QuoteFilter) -> Listing:
    """Quotes, newest article first, with their speakers (the filter of `eventwire quotes`)."""
    where, params = query.sql()
    sql = (
        "SELECT q.article_id, q.idx, q.kind, q.start_char, q.end_char, q.text, q.speaker_start, q.speaker_end, "
        "q.speaker_text, q.speaker_code, q.cue_text, a.title, a.pub_date FROM quotes q "
        f"JOIN articles a ON a.id = q.article_id WHERE {where}"
    )
    keys = (Key("pub_date", True), Key("article_id"), Key("idx"))
    return Listing("quotes", sql, params, keys, lambda con, rows: [_quote_item(r) for r in rows])


def _quote_item(row: dict[str, Any]) -> dict[str, Any]:
    """A quote row as the API gives it."""
    return {
        "id": f"{row['article_id']}:{row['idx']}",
        "article_id": row["article_id"],
        "article_title": row["title"],
        "pub_date": row["pub_date"],
        "kind": row["kind"],
        "start": row["start_char"],
        "end": row["end_char"],
        "text": row["text"],
        "speaker_start": row["speaker_start"],
        "speaker_end": row["speaker_end"],
        "speaker_text": row["speaker_text"],
        "speaker_code": row["speaker_code"],
        "speaker_name": names.actor_name(row["speaker_code"] or ""),
        "cue_text": row["cue_text"],
    }


@dataclass(frozen=True, slots=True)
class PlaceQuery:
    """What `/api/places` asks for: words of the name, a country, a role, a box, publication dates."""

    q: str | None = None
    country: str | None = None
    role: str | None = None
    bbox: BBox | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def places(con: duckdb.DuckDBPyConnection, query: PlaceQuery) -> Listing:
    """Places named in articles, one row per place (GeoNames feature, or name when not geocoded), most named
    first."""
    w = Where()
    if query.q:
        w.add(f"(p.name {ILIKE} OR p.text {ILIKE})", contains(query.q), contains(query.q))
    if query.country:
        w.add("p.country = ?", query.country.upper())
    if query.role:
        w.add("p.role = ?", query.role)
    if query.bbox:
        clause, params = query.bbox.sql("p")
        w.add(clause, *params)
    if query.since:
        w.add("a.pub_date >= ?", query.since)
    if query.until:
        w.add("a.pub_date <= ?", query.until)
    sql = f"""
        SELECT coalesce('g' || CAST(p.geonameid AS VARCHAR), 't' || lower(coalesce(p.name, p.text))) AS key,
               any_value(p.geonameid) AS geonameid, mode(coalesce(p.name, p.text)) AS name,
               any_value(p.country) AS country, any_value(p.lat) AS lat, any_value(p.lon) AS lon,
               any_value(p.feature) AS feature, count(*) AS mentions, count(DISTINCT p.article_id) AS articles,
               list_sort(list_distinct(list(p.role))) AS roles
        FROM places p JOIN articles a ON a.id = p.article_id WHERE {w.sql} GROUP BY 1"""
    keys = (Key("mentions", True), Key("key"))
    return Listing("places", sql, w.params, keys, lambda con, rows: [_place_item(r) for r in rows])


def _place_item(row: dict[str, Any]) -> dict[str, Any]:
    """A place row as the API gives it."""
    return {
        k: row[k]
        for k in (
            "key",
            "geonameid",
            "name",
            "country",
            "lat",
            "lon",
            "feature",
            "mentions",
            "articles",
            "roles",
        )
    }


# Actors, timelines, dyads, networks ---------------------------------------------------------------------------


def actors(con: duckdb.DuckDBPyConnection, index: ActorIndex, q: str | None) -> Listing:
    """Actor codes with the number of events they take part in, most active first; `q` is a code prefix or
    words of a name."""
    prefixes = actor_prefixes(con, q) if q else [""]
    tables = [index.members.prefixed(p) for p in prefixes]
    found = pa.concat_tables(tables) if tables else index.members.table.slice(0, 0)
    # The slices are registered on this cursor for the listing's queries, which run before it is closed.
    con.register("_ew_actor_rows", found)
    sql = "SELECT actor AS code, count(DISTINCT eid) AS count FROM _ew_actor_rows GROUP BY actor"
    keys = (Key("count", True), Key("code"))
    return Listing(
        "actors",
        sql,
        [],
        keys,
        lambda con, rows: [{**r, "name": names.actor_name(r["code"])} for r in rows],
    )


def timeline(
    con: duckdb.DuckDBPyConnection,
    index: ActorIndex,
    code: str,
    interval: str = "day",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The events an actor (a code or its prefix) takes part in, on either side, per period."""
    rows = series.select(index.members, check_code(code, "actor"), None, since, until)
    return series.per_period(rows, interval)


def dyad(
    con: duckdb.DuckDBPyConnection,
    index: ActorIndex,
    source: str | None,
    target: str | None,
    interval: str = "day",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The events from a source to a target (codes or prefixes; symmetric acts either way) per period; a side not
    given is any actor, but only events with both sides count (the dyads of the index)."""
    source = check_code(source, "source") if source else ""
    target = check_code(target, "target") if target else None
    return series.per_period(series.select(index.pairs, source, target, since, until), interval)


def network(
    con: duckdb.DuckDBPyConnection,
    index: ActorIndex,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_count: int = 1,
    limit: int = 200,
    level: str = "actor",
) -> dict[str, list[dict[str, Any]]]:
    """The strongest dyads as a graph: edges (directed; a symmetric act once) and the actors they join."""
    if level not in ("actor", "country"):
        raise UsageError(f"unknown level {level!r}; one of actor, country")
    w = Where()
    w.add("NOT rev")
    if since:
        w.add("day >= ?", since)
    if until:
        w.add("day <= ?", until)
    unit = "left({}, 3)" if level == "country" else "{}"
    sql = f"""
        SELECT source, target, count(*) AS count, avg(goldstein) AS goldstein_mean,
               mode(quad_class) AS quad_class
        FROM (SELECT DISTINCT eid, {unit.format("src")} AS source, {unit.format("tgt")} AS target, goldstein,
                     quad_class FROM _ew_pairs WHERE {w.sql})
        WHERE source <> target GROUP BY 1, 2 HAVING count(*) >= ? ORDER BY count DESC, source, target LIMIT ?"""
    with registered(con, "_ew_pairs", index.pairs.table):
        edges = dicts(con.execute(sql, [*w.params, min_count, limit]))
    weight: dict[str, int] = {}
    for edge in edges:
        for end in (edge["source"], edge["target"]):
            weight[end] = weight.get(end, 0) + edge["count"]
    nodes = [
        {"id": code, "label": names.actor_name(code) or code, "count": count}
        for code, count in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return {"nodes": nodes, "edges": edges}


# Aggregates and corrections -----------------------------------------------------------------------------------


def aggregate_listing(
    con: duckdb.DuckDBPyConnection,
    query: aggregates.AggregateQuery,
    machine: bool = False,
    relation: str | None = None,
) -> Listing:
    """The aggregates of `eventwire aggregate` over the events as corrected (or as the machine coded them)."""
    sql, params = query.sql()
    # The aggregate reads `events e`; the API reads the same events through the corrections.
    plain = "FROM events e WHERE"
    if sql.count(plain) != 1:
        raise RuntimeError("the aggregate query no longer reads `FROM events e` once")
    relation = relation or corrections.events_sql(con, machine=machine)
    sql = sql.replace(plain, f"FROM {relation} e WHERE")
    # The query's own ORDER BY stays inside: the listing orders (and pages) by the period and keys.
    keys = (Key("period"), *(Key(k) for k in query.keys))
    return Listing("aggregates", sql, params, keys, lambda con, rows: rows)


@dataclass(frozen=True, slots=True)
class CorrectionQuery:
    """What `/api/corrections` asks for: an event, an author, a verdict, a time range."""

    event: str | None = None
    author: str | None = None
    verdict: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def corrections_listing(con: duckdb.DuckDBPyConnection, query: CorrectionQuery) -> Listing:
    """Stored corrections, newest first."""
    if not corrections.has_table(con):
        return Listing("corrections", "SELECT NULL AS id WHERE FALSE", [], (Key("id", True),), lambda c, r: r)
    w = Where()
    if query.event:
        w.add("c.event_id = ?", query.event)
    if query.author:
        w.add("c.author = ?", query.author)
    if query.verdict:
        w.add("c.verdict = ?", query.verdict)
    if query.since:
        w.add("c.created_at >= ?", query.since)
    if query.until:
        w.add("CAST(c.created_at AS DATE) <= ?", query.until)
    return Listing(
        "corrections",
        f"SELECT c.* FROM corrections c WHERE {w.sql}",
        w.params,
        (Key("id", True),),
        lambda con, rows: rows,
    )
