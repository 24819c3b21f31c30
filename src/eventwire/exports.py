"""Exports: the store's events as GDELT 2.0 Events and Mentions tables, PLOVER JSON Lines, CSV, Parquet, GeoJSON.

Each format is one SQL query over the events a filter selects (the filter of `eventwire events`, on event dates),
run on one slice of those events after another in export order, read in Arrow record batches of a bounded size and
written batch by batch: exporting a million events never holds them all in memory, neither in Python nor in
DuckDB's joins and sorts. Text lines (TSV, JSON) are built by DuckDB; Python only moves batches to the file. What
every column means is in `codebook.py`; what differs from GDELT, and why, in docs/exports.md.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import corrections, ontology
from .errors import UsageError
from .store import EventFilter

FORMATS = ("gdelt", "gdelt-mentions", "plover", "csv", "parquet", "geojson")
# The formats written as one file, which may go to stdout.
TEXT_FORMATS = tuple(f for f in FORMATS if f != "parquet")
DEFAULT_OUT = {
    "gdelt": "eventwire-events.tsv",
    "gdelt-mentions": "eventwire-mentions.tsv",
    "plover": "eventwire-events.jsonl",
    "csv": "eventwire-events.csv",
    "parquet": "eventwire-parquet",
    "geojson": "eventwire-events.geojson",
}
# Rows per Arrow batch: large enough for DuckDB and Arrow to work in bulk, small enough to keep memory flat.
DEFAULT_CHUNK = 20_000
# Parquet partitions of events whose date is unknown (the name Hive, Spark, pyarrow and DuckDB read as NULL).
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

# GDELT 2.0 Events columns in file order with their GDELT types: facts of the public format, shipped so that the
# export does not depend on the reference files.
GDELT_EVENTS: tuple[tuple[str, str], ...] = (
    ("GLOBALEVENTID", "INTEGER"),
    ("SQLDATE", "INTEGER"),
    ("MonthYear", "INTEGER"),
    ("Year", "INTEGER"),
    ("FractionDate", "FLOAT"),
    *(
        (f"Actor{n}{part}", "STRING")
        for n in (1, 2)
        for part in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    ),
    ("IsRootEvent", "INTEGER"),
    ("EventCode", "STRING"),
    ("EventBaseCode", "STRING"),
    ("EventRootCode", "STRING"),
    ("QuadClass", "INTEGER"),
    ("GoldsteinScale", "FLOAT"),
    ("NumMentions", "INTEGER"),
    ("NumSources", "INTEGER"),
    ("NumArticles", "INTEGER"),
    ("AvgTone", "FLOAT"),
    *(
        (f"{geo}_{part}", kind)
        for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo")
        for part, kind in (
            ("Type", "INTEGER"),
            ("FullName", "STRING"),
            ("CountryCode", "STRING"),
            ("ADM1Code", "STRING"),
            ("ADM2Code", "STRING"),
            ("Lat", "FLOAT"),
            ("Long", "FLOAT"),
            ("FeatureID", "STRING"),
        )
    ),
    ("DATEADDED", "INTEGER"),
    ("SOURCEURL", "STRING"),
)

GDELT_MENTIONS: tuple[tuple[str, str], ...] = (
    ("GLOBALEVENTID", "INTEGER"),
    ("EventTimeDate", "INTEGER"),
    ("MentionTimeDate", "INTEGER"),
    ("MentionType", "INTEGER"),
    ("MentionSourceName", "STRING"),
    ("MentionIdentifier", "STRING"),
    ("SentenceID", "INTEGER"),
    ("Actor1CharOffset", "INTEGER"),
    ("Actor2CharOffset", "INTEGER"),
    ("ActionCharOffset", "INTEGER"),
    ("InRawText", "INTEGER"),
    ("Confidence", "INTEGER"),
    ("MentionDocLen", "INTEGER"),
    ("MentionDocTone", "FLOAT"),
    ("MentionDocTranslationInfo", "STRING"),
    ("Extras", "STRING"),
)

_SQL_TYPES = {"INTEGER": "BIGINT", "FLOAT": "DOUBLE", "STRING": "VARCHAR"}

# The GlobalEventID: the first 15 hex digits of the event id's SHA-1 part (`ev` + 16 hex digits), a positive
# 60-bit integer that never changes while the event id does not.
_GLOBAL_ID = "CAST('0x' || substr({}, 3, 15) AS BIGINT)"
_DAY = "CAST(strftime({}, '%Y%m%d') AS BIGINT)"
# GDELT's 14-digit timestamps; eventwire knows days only, so the time is 000000.
_STAMP = "CAST(strftime({}, '%Y%m%d') || '000000' AS BIGINT)"


def global_event_id(event_id: str) -> int:
    """The GDELT GlobalEventID of an eventwire event id (the same integer the SQL computes)."""
    return int(event_id[2:17], 16)


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which events to export: event dates, an actor code or prefix, a country, a CAMEO code prefix."""

    since: dt.date | None = None
    until: dt.date | None = None
    actor: str | None = None
    country: str | None = None
    code: str | None = None
    # The machine's coding as stored, without analysts' corrections (events marked wrong included).
    machine: bool = False
    # What events are read from: `export` sets the relation with corrections applied (corrections.py).
    relation: str = "events"

    def sql(self) -> tuple[str, list[Any]]:
        """The WHERE clause over events aliased `e` and its parameters: the semantics of `eventwire events`."""
        query = EventFilter(
            actor=self.actor, country=self.country, code=self.code, since=self.since, until=self.until
        )
        return query.sql()


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: the format, where, how many rows of each kind, and how long it took."""

    format: str
    target: str
    rows: int
    mentions: int
    seconds: float


# Query pieces -------------------------------------------------------------------------------------------------

# Rows (events plus their linked mentions) a query reads at most, unless one event date alone has more: each
# export runs one query per slice of the selected events in export order, so that DuckDB joins and sorts one slice
# at a time and its memory does not grow with the store. Larger slices scan the joined tables fewer times.
SLICE_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class Slice:
    """A run of consecutive events in export order: a condition on events `e` and its parameters."""

    where: str = "TRUE"
    params: tuple[Any, ...] = ()


def _selection(filters: ExportFilter, located: bool = False) -> tuple[str, list[Any]]:
    """The condition on events `e` that selects the exported events, and its parameters."""
    where, params = filters.sql()
    if located:
        where += " AND e.lat IS NOT NULL AND e.lon IS NOT NULL"
    return where, params


def slices(
    con: duckdb.DuckDBPyConnection, filters: ExportFilter, located: bool, weight: str, size: int
) -> list[Slice]:
    """The selected events cut into slices of about `size` rows, in export order: runs of whole dates, and a date
    with more rows cut by event id. `weight` is what an event `e` weighs in rows."""
    where, params = _selection(filters, located)
    days = con.execute(
        f"SELECT e.event_date, sum({weight}), count(*) FROM {filters.relation} e WHERE {where} GROUP BY 1 "
        "ORDER BY 1 NULLS LAST",
        params,
    ).fetchall()
    cut: list[Slice] = []
    run: list[dt.date] = []
    rows = 0
    for day, weight_of_day, events in days:
        if run and (day is None or rows + weight_of_day > size):
            cut.append(Slice("e.event_date BETWEEN ? AND ?", (run[0], run[-1])))
            run, rows = [], 0
        if day is None or weight_of_day > size:
            pieces = -(-weight_of_day // size)
            cut += _by_id(con, filters, located, day, -(-events // pieces))
        else:
            run.append(day)
            rows += weight_of_day
    if run:
        cut.append(Slice("e.event_date BETWEEN ? AND ?", (run[0], run[-1])))
    # No events: one empty slice, so that every writer still sees the query's columns.
    return cut or [Slice("FALSE")]


def _by_id(
    con: duckdb.DuckDBPyConnection, filters: ExportFilter, located: bool, day: dt.date | None, step: int
) -> list[Slice]:
    """The events of one date (or of none) cut by id into slices of `step` events."""
    where, params = _selection(filters, located)
    on_day = "e.event_date IS NULL" if day is None else "e.event_date = ?"
    day_params = () if day is None else (day,)
    # Only every step-th id leaves DuckDB: the bounds, not the date's events.
    bounds = [
        row[0]
        for row in con.execute(
            f"""SELECT id FROM (SELECT e.id, row_number() OVER (ORDER BY e.id) - 1 AS n FROM {filters.relation} e
                WHERE {where} AND {on_day}) WHERE n > 0 AND n % ? = 0 ORDER BY id""",
            [*params, *day_params, step],
        ).fetchall()
    ]
    edges = [None, *bounds, None]
    cut = []
    for low, high in itertools.pairwise(edges):
        condition, values = on_day, list(day_params)
        if low is not None:
            condition, values = f"{condition} AND e.id >= ?", [*values, low]
        if high is not None:
            condition, values = f"{condition} AND e.id < ?", [*values, high]
        cut.append(Slice(condition, tuple(values)))
    return cut


# The first source of each article (as `Store.sources` orders them): its web address, else where it was read.
# Only the slice's articles are grouped: the aggregate's memory follows the slice, not the store.
_FIRST_SOURCE = """
    SELECT article_id,
           arg_min(url, (first_seen, uri, line)) FILTER (WHERE url IS NOT NULL) AS url,
           arg_min(uri, (first_seen, uri, line)) AS uri
    FROM sources WHERE article_id IN (SELECT article_id FROM links) GROUP BY article_id
"""
# The joins a mention export may ask for, each giving a few columns: the text of sentences and articles is read
# only where it is written out.
_JOINS = {
    "source": "LEFT JOIN first_source s ON s.article_id = m.article_id",
    "copy": "LEFT JOIN article_copies c ON c.article_id = m.article_id",
    "sentence": "LEFT JOIN sentences t ON t.article_id = m.article_id AND t.idx = m.sentence_idx",
    "place": "LEFT JOIN places p ON p.article_id = m.article_id AND p.idx = m.place_idx",
}
# A mention's place in the order of reports: earliest publication first.
_MENTION_ORDER = "pub_date NULLS LAST, article_id, idx"
_EVENT_ORDER = "e.event_date NULLS LAST, e.id"


def _with(
    filters: ExportFilter,
    part: Slice,
    columns: str = "",
    joins: tuple[str, ...] = (),
    located: bool = False,
) -> tuple[str, list[Any]]:
    """The common table expressions an export starts from, and their parameters: the selected events of a slice
    (`selected`), and when `columns` are asked for, their linked mentions (`mentions`: the event's keys, the
    mention's and article's `columns`, the `joins`' columns)."""
    where, params = _selection(filters, located)
    head = f"WITH selected AS (SELECT e.* FROM {filters.relation} e WHERE {where} AND {part.where})"
    if not columns:
        return head, [*params, *part.params]
    mentions = f"""
        SELECT l.event_id, l.event_day, l.event_first_seen, l.event_lat, l.event_lon, m.article_id, m.idx,
               a.pub_date, {columns}
        FROM links l
        JOIN event_mentions m ON m.article_id = l.article_id AND m.idx = l.mention_idx
        JOIN articles a ON a.id = m.article_id
        {" ".join(_JOINS[j] for j in joins)}"""
    links = """
        SELECT e.id AS event_id, e.event_date AS event_day, e.first_seen AS event_first_seen, e.lat AS event_lat,
               e.lon AS event_lon, l.article_id, l.mention_idx
        FROM selected e JOIN event_links l ON l.event_id = e.id"""
    head += f", links AS ({links}), first_source AS ({_FIRST_SOURCE}), mentions AS ({mentions})"
    return head, [*params, *part.params]


def _actor(n: int, side: str) -> dict[str, str]:
    """GDELT's columns of one actor from the first code of an event side (country, type codes, country name)."""
    code, c = f"{side}[1]", f"c{n}"
    national = f"coalesce({c}.kind, '') <> 'transnational'"
    return {
        f"Actor{n}Code": code,
        f"Actor{n}Name": f"{c}.name",
        f"Actor{n}CountryCode": f"{c}.iso3",
        # The role parts after a country (RUSGOV → GOV); the kind of an international actor (IGOUNO → IGO).
        f"Actor{n}Type1Code": f"CASE WHEN {national} THEN nullif(substr({code}, 4, 3), '') ELSE left({code}, 3) END",
        f"Actor{n}Type2Code": f"CASE WHEN {national} THEN nullif(substr({code}, 7, 3), '') END",
        f"Actor{n}Type3Code": f"CASE WHEN {national} THEN nullif(substr({code}, 10, 3), '') END",
    }


# GDELT's feature classes: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (first-level region).
_GEO_TYPE = """CASE
    WHEN f.feature LIKE 'PCL%' OR f.feature = 'TERR' THEN 1
    WHEN f.feature LIKE 'ADM1%' THEN CASE WHEN e.country = 'USA' THEN 2 ELSE 5 END
    WHEN f.feature LIKE 'P%' THEN CASE WHEN e.country = 'USA' THEN 3 ELSE 4 END
END"""

_GDELT_EVENT_SQL: dict[str, str] = {
    "GLOBALEVENTID": _GLOBAL_ID.format("e.id"),
    "SQLDATE": _DAY.format("e.event_date"),
    "MonthYear": "year(e.event_date) * 100 + month(e.event_date)",
    "Year": "year(e.event_date)",
    "FractionDate": "round(year(e.event_date) + (dayofyear(e.event_date) - 1) "
    "/ dayofyear(make_date(year(e.event_date), 12, 31)), 4)",
    **_actor(1, "e.source"),
    **_actor(2, "e.target"),
    "IsRootEvent": "CAST(f.lead AS INTEGER)",
    "EventCode": "e.code",
    "EventBaseCode": "left(e.code, 3)",
    "EventRootCode": "e.root",
    "QuadClass": "e.quad_class",
    "GoldsteinScale": "e.goldstein",
    "NumMentions": "e.num_mentions",
    "NumSources": "e.num_sources",
    "NumArticles": "e.num_articles",
    "ActionGeo_Type": _GEO_TYPE,
    "ActionGeo_FullName": "e.location",
    "ActionGeo_CountryCode": "e.country",
    "ActionGeo_Lat": "e.lat",
    "ActionGeo_Long": "e.lon",
    "ActionGeo_FeatureID": "e.geonameid",
    "DATEADDED": _STAMP.format("e.first_seen"),
    "SOURCEURL": "f.cite",
}

_GDELT_MENTION_SQL: dict[str, str] = {
    "GLOBALEVENTID": _GLOBAL_ID.format("m.event_id"),
    "EventTimeDate": _STAMP.format("m.event_first_seen"),
    "MentionTimeDate": _STAMP.format("m.pub_date"),
    # 1 WEB (a URL), 2 CITATIONONLY (a file or feed without an address).
    "MentionType": "CASE WHEN m.url IS NOT NULL THEN 1 ELSE 2 END",
    "MentionSourceName": "m.outlet",
    "MentionIdentifier": "m.cite",
    "SentenceID": "m.sentence_idx + 1",
    # GDELT's -1: the actor is not named in the text.
    "Actor1CharOffset": "coalesce(m.source_spans[1].start_char, -1)",
    "Actor2CharOffset": "coalesce(m.target_spans[1].start_char, -1)",
    "ActionCharOffset": "m.trigger_start",
    "Confidence": "CAST(round(m.confidence * 100) AS BIGINT)",
    "MentionDocLen": "m.doc_len",
}


def _typed(columns: tuple[tuple[str, str], ...], exprs: dict[str, str]) -> str:
    """A select list of GDELT columns, each cast to its type; NULL where eventwire has nothing to say."""
    return ", ".join(
        f'CAST({exprs.get(name, "NULL")} AS {_SQL_TYPES[kind]}) AS "{name}"' for name, kind in columns
    )


# The citation of a mention's article: its first source's web address, else where it was read.
_CITE = "coalesce(s.url, s.uri) AS cite"
# A mention's columns and texts as the PLOVER and Parquet exports write them.
_MENTION_FIELDS = (
    f"m.sentence_idx, m.code, m.source, m.target, m.trigger_start, m.trigger_end, m.trigger_text, m.source_spans, "
    f"m.target_spans, m.event_date, m.date_text, m.location, m.attributed_to, m.confidence, m.decided_by, m.rule, "
    f"t.text AS sentence, a.title, s.url, {_CITE}, c.outlet, c.copy_of"
)
_MENTION_JOINS = ("source", "copy", "sentence")


def _gdelt_sql(filters: ExportFilter, part: Slice) -> tuple[str, list[Any]]:
    """GDELT 2.0 Events: one row per event, in date order."""
    # Per event: the first report's address, whether any report is in a title or lead, the place's feature class.
    head, params = _with(
        filters,
        part,
        f"{_CITE}, t.paragraph, p.feature, p.lat AS place_lat, p.lon AS place_lon",
        ("source", "sentence", "place"),
    )
    firsts = """
        SELECT event_id, arg_min(cite, (pub_date, article_id, idx)) AS cite, bool_or(paragraph <= 1) AS lead,
               min(feature) FILTER (WHERE place_lat = event_lat AND place_lon = event_lon) AS feature
        FROM mentions GROUP BY event_id
    """
    sql = f"""{head}, firsts AS ({firsts})
        SELECT {_typed(GDELT_EVENTS, _GDELT_EVENT_SQL)}
        FROM selected e
        LEFT JOIN firsts f ON f.event_id = e.id
        LEFT JOIN _ew_countries c1 ON c1.code = left(e.source[1], 3)
        LEFT JOIN _ew_countries c2 ON c2.code = left(e.target[1], 3)
        ORDER BY {_EVENT_ORDER}"""
    return sql, params


def _gdelt_mentions_sql(filters: ExportFilter, part: Slice) -> tuple[str, list[Any]]:
    """GDELT 2.0 Mentions: one row per mention linked to an exported event, events in date order."""
    # The text's length, not the text, goes into the join: a slice's article texts need not fit in memory.
    columns = (
        f"m.sentence_idx, m.trigger_start, m.confidence, m.source_spans, m.target_spans, s.url, {_CITE}, "
        "c.outlet, length(a.text) AS doc_len"
    )
    head, params = _with(filters, part, columns, ("source", "copy"))
    sql = f"""{head}
        SELECT {_typed(GDELT_MENTIONS, _GDELT_MENTION_SQL)}
        FROM mentions m
        ORDER BY m.event_day NULLS LAST, m.event_id, m.pub_date NULLS LAST, m.article_id, m.idx"""
    return sql, params


def _event_columns(con: duckdb.DuckDBPyConnection, joined: bool) -> list[tuple[str, str]]:
    """The events table's columns and their select expressions, lists joined with `;` when `joined` (CSV,
    GeoJSON), read from the table so that the exports follow the schema."""
    rows = con.execute("DESCRIBE events").fetchall()
    return [
        (name, f"array_to_string(e.{name}, ';')" if joined and str(kind).endswith("[]") else f"e.{name}")
        for name, kind, *_ in rows
    ]


def _csv_sql(con: duckdb.DuckDBPyConnection, filters: ExportFilter, part: Slice) -> tuple[str, list[Any]]:
    """The events table as it is stored, lists joined with `;`."""
    head, params = _with(filters, part)
    columns = ", ".join(f"{expr} AS {name}" for name, expr in _event_columns(con, True))
    return f"{head} SELECT {columns} FROM selected e ORDER BY {_EVENT_ORDER}", params


def _geojson_sql(con: duckdb.DuckDBPyConnection, filters: ExportFilter, part: Slice) -> tuple[str, list[Any]]:
    """Located events as GeoJSON features: a point and the CSV columns as properties."""
    head, params = _with(filters, part, located=True)
    properties = ", ".join(f"'{name}': {expr}" for name, expr in _event_columns(con, True))
    sql = f"""{head}
        SELECT 'Feature' AS type, e.id, {{'type': 'Point', 'coordinates': [e.lon, e.lat]}} AS geometry,
               {{{properties}}} AS properties
        FROM selected e ORDER BY {_EVENT_ORDER}"""
    return sql, params


# A PLOVER record's fields (events `e`, CAMEO table `k`), and those of each of its mentions (`m`).
_PLOVER_EVENT = """{
    'id': e.id, 'date': e.event_date, 'actor': e.source, 'recipient': e.target, 'event': e.plover_type,
    'mode': e.plover_mode, 'context': k.context, 'cameo': e.code, 'cameo_name': k.name, 'goldstein': e.goldstein,
    'quad_class': e.quad_class,
    'location': CASE WHEN e.location IS NOT NULL OR e.lat IS NOT NULL THEN {'name': e.location,
        'country': e.country, 'geonameid': e.geonameid, 'lat': e.lat, 'lon': e.lon} END,
    'num_mentions': e.num_mentions, 'num_articles': e.num_articles, 'num_sources': e.num_sources,
    'num_stories': e.num_stories, 'first_seen': e.first_seen, 'last_seen': e.last_seen,
    'confidence': e.confidence
}"""
_PLOVER_MENTION = """{
    'article': m.article_id, 'title': m.title, 'published': m.pub_date, 'url': m.url, 'source': m.cite,
    'outlet': m.outlet, 'copy_of': m.copy_of, 'sentence': m.sentence_idx, 'event_text': m.sentence,
    'trigger': {'start_char': m.trigger_start, 'end_char': m.trigger_end, 'text': m.trigger_text},
    'actor_spans': m.source_spans, 'recipient_spans': m.target_spans, 'cameo': m.code, 'date_text': m.date_text,
    'attributed_to': m.attributed_to, 'confidence': m.confidence, 'decided_by': m.decided_by, 'rule': m.rule
}"""
_PLOVER_FROM = """FROM selected e LEFT JOIN _ew_cameo k ON k.code = e.code
    LEFT JOIN mentions m ON m.event_id = e.id"""


def _plover_sql(filters: ExportFilter, part: Slice) -> tuple[str, list[Any]]:
    """PLOVER-style records as one row per mention (event first, then its mentions, earliest report first), each
    part serialised by DuckDB; the writer joins an event's rows into one line. (A list aggregate per event would
    hold a slice's mentions twice, as lists and as text.)"""
    head, params = _with(filters, part, _MENTION_FIELDS, _MENTION_JOINS)
    sql = f"""{head}
        SELECT e.id AS event_id, to_json({_PLOVER_EVENT}) AS event,
               CASE WHEN m.event_id IS NOT NULL THEN to_json({_PLOVER_MENTION}) END AS mention
        {_PLOVER_FROM}
        ORDER BY {_EVENT_ORDER}, m.pub_date NULLS LAST, m.article_id, m.idx"""
    return sql, params


def _plover_shape_sql(filters: ExportFilter) -> tuple[str, list[Any]]:
    """The fields of a PLOVER record with their types (what the codebook lists), `mentions` a list of records."""
    head, params = _with(filters, Slice(), _MENTION_FIELDS, _MENTION_JOINS)
    sql = f"""{head}
        SELECT ev.*, [mn] AS mentions FROM (SELECT {_PLOVER_EVENT} AS ev, {_PLOVER_MENTION} AS mn {_PLOVER_FROM})"""
    return sql, params


def _parquet_sql(con: duckdb.DuckDBPyConnection, filters: ExportFilter, part: Slice) -> tuple[str, list[Any]]:
    """Events as stored, with their partition keys (the year and month of the event date)."""
    head, params = _with(filters, part)
    columns = ", ".join(expr for _, expr in _event_columns(con, False))
    sql = f"""{head} SELECT {columns}, year(e.event_date) AS year, month(e.event_date) AS month
        FROM selected e ORDER BY {_EVENT_ORDER}"""
    return sql, params


_PARQUET_MENTION_COLUMNS = (
    "event_id, article_id, idx AS mention_idx, sentence_idx, code, source, target, trigger_start, trigger_end, "
    "trigger_text, source_spans, target_spans, event_date AS mention_date, date_text, location, attributed_to, "
    "confidence, decided_by, rule, sentence, title, pub_date, url, outlet, copy_of"
)


def _parquet_mentions_sql(filters: ExportFilter, part: Slice) -> tuple[str, list[Any]]:
    """Every linked mention of the exported events, partitioned like its event (by the event's date)."""
    head, params = _with(filters, part, _MENTION_FIELDS, _MENTION_JOINS)
    sql = f"""{head} SELECT {_PARQUET_MENTION_COLUMNS}, year(event_day) AS year, month(event_day) AS month
        FROM mentions ORDER BY event_day NULLS LAST, event_id, {_MENTION_ORDER}"""
    return sql, params


# The parts of each format: the part a query fills and what a row of it weighs when the events are sliced (an
# event's mentions count too where the query joins them; a PLOVER mention row carries its event's and its own texts
# as JSON, about twice a GDELT row's bytes).
_PARTS: dict[str, tuple[tuple[str, str], ...]] = {
    "gdelt": (("events", "1 + e.num_mentions"),),
    "gdelt-mentions": (("mentions", "1 + e.num_mentions"),),
    "plover": (("events", "1 + 2 * e.num_mentions"),),
    "csv": (("events", "1"),),
    "geojson": (("events", "1"),),
    "parquet": (("events", "1"), ("mentions", "1 + e.num_mentions")),
}


def query(
    con: duckdb.DuckDBPyConnection, fmt: str, part: str, filters: ExportFilter, where: Slice | None = None
) -> tuple[str, list[Any]]:
    """The query of a format's part (`events`, `mentions`) over a slice of the selected events (all of them by
    default): typed, named columns."""
    where = where or Slice()
    if fmt == "gdelt":
        return _gdelt_sql(filters, where)
    if fmt == "gdelt-mentions":
        return _gdelt_mentions_sql(filters, where)
    if fmt == "plover":
        return _plover_sql(filters, where)
    if fmt == "csv":
        return _csv_sql(con, filters, where)
    if fmt == "geojson":
        return _geojson_sql(con, filters, where)
    if fmt == "parquet":
        return (
            _parquet_sql(con, filters, where) if part == "events" else _parquet_mentions_sql(filters, where)
        )
    raise UsageError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")


def schema(con: duckdb.DuckDBPyConnection, fmt: str, part: str) -> pa.Schema:
    """The Arrow schema of a format's part (what the codebook lists), from its query run on no rows."""
    if fmt == "plover":
        sql, params = _plover_shape_sql(ExportFilter())
    else:
        sql, params = query(con, fmt, part, ExportFilter())
    with lookups(con):
        reader = _reader(con, f"SELECT * FROM ({sql}) LIMIT 0", params, 1)
        reader.read_all()
        return reader.schema


# Lookup tables ------------------------------------------------------------------------------------------------


@functools.cache
def _countries() -> pa.Table:
    """Codes that open an actor code, with the ISO3 country, its name and the kind of code (shipped table)."""
    text = (resources.files("eventwire") / "data" / "cameo_countries.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    return pa.table(
        {
            "code": [r["code"] for r in rows],
            "iso3": [r["iso3"] or None for r in rows],
            "name": [r["name"] if r["iso3"] else None for r in rows],
            "kind": [r["kind"] for r in rows],
        }
    )


@functools.cache
def _cameo() -> pa.Table:
    """CAMEO codes with their names and PLOVER contexts (the ontology table)."""
    codes = ontology.cameo_codes().values()
    return pa.table(
        {
            "code": [c.code for c in codes],
            "name": [c.name for c in codes],
            "context": pa.array([list(c.plover_context) for c in codes], pa.list_(pa.string())),
        }
    )


@contextmanager
def lookups(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The shipped lookup tables registered on the connection for the queries' joins (read-only stores too)."""
    con.register("_ew_countries", _countries())
    con.register("_ew_cameo", _cameo())
    try:
        yield
    finally:
        con.unregister("_ew_countries")
        con.unregister("_ew_cameo")


# Streaming ----------------------------------------------------------------------------------------------------


def read_batches(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], chunk_size: int
) -> Iterator[pa.RecordBatch]:
    """A query's rows as Arrow record batches of at most `chunk_size` rows, fetched one at a time."""
    reader = _reader(con, sql, params, chunk_size)
    try:
        yield from reader
    finally:
        # A reader left unfinished (an error while writing) must go before the connection runs anything else.
        del reader


def _reader(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], chunk_size: int
) -> pa.RecordBatchReader:
    """A streaming Arrow reader over a query (DuckDB 2 renamed it; 1.x has only the old name)."""
    relation = con.sql(sql, params=params)
    to_reader = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
    return to_reader(chunk_size)


# The queries of an export's part: one per slice of the selected events, in export order.
Queries = list[tuple[str, list[Any]]]


def _batches(
    con: duckdb.DuckDBPyConnection, queries: Queries, chunk_size: int, line_sql: str | None = None
) -> Iterator[pa.RecordBatch]:
    """The batches of every query in turn, one reader open at a time; with `line_sql`, batches of one text column,
    each row a serialised record built by DuckDB from a row `q` of the query."""
    for sql, params in queries:
        if line_sql is not None:
            sql = f"SELECT {line_sql} AS line FROM ({sql}) q"
        yield from read_batches(con, sql, params, chunk_size)


def _tsv_line(columns: tuple[tuple[str, str], ...]) -> str:
    """SQL that writes a row as tab-separated values: NULL empty, tabs and line breaks in text made spaces."""
    cells = []
    for name, kind in columns:
        cell = f'CAST(q."{name}" AS VARCHAR)'
        if kind == "STRING":
            cell = f"regexp_replace({cell}, '[\\t\\r\\n]+', ' ', 'g')"
        cells.append(f"coalesce({cell}, '')")
    return f"concat_ws(chr(9), {', '.join(cells)})"


def _write_lines(batches: Iterator[pa.RecordBatch], stream: BinaryIO, separator: bytes = b"\n") -> int:
    """Write the text column of each batch, one row per line (or separated by `separator`); the rows written."""
    count = 0
    for batch in batches:
        lines = batch.column(0).to_pylist()
        if not lines:
            continue
        if count:
            stream.write(separator)
        stream.write(separator.join(line.encode("utf-8") for line in lines))
        count += len(lines)
    return count


def _write_tsv(
    con: duckdb.DuckDBPyConnection,
    queries: Queries,
    columns: tuple[tuple[str, str], ...],
    stream: BinaryIO,
    chunk_size: int,
) -> int:
    """A GDELT table: a header row of the column names, then one tab-separated line per row."""
    stream.write(("\t".join(name for name, _ in columns) + "\n").encode())
    count = _write_lines(_batches(con, queries, chunk_size, _tsv_line(columns)), stream)
    if count:
        stream.write(b"\n")
    return count


def _write_csv(con: duckdb.DuckDBPyConnection, queries: Queries, stream: BinaryIO, chunk: int) -> int:
    """CSV with a header row (names unquoted, values quoted where needed)."""
    count = 0
    writer: pacsv.CSVWriter | None = None
    for batch in _batches(con, queries, chunk):
        if writer is None:
            stream.write((",".join(batch.schema.names) + "\n").encode())
            writer = pacsv.CSVWriter(
                stream, batch.schema, write_options=pacsv.WriteOptions(include_header=False)
            )
        writer.write_batch(batch)
        count += batch.num_rows
    if writer is not None:
        writer.close()
    return count


def _write_geojson(con: duckdb.DuckDBPyConnection, queries: Queries, stream: BinaryIO, chunk: int) -> int:
    """A FeatureCollection written feature by feature (one per line, for readers that diff or grep)."""
    stream.write(b'{"type": "FeatureCollection", "features": [\n')
    count = _write_lines(_batches(con, queries, chunk, "to_json(q)"), stream, b",\n")
    stream.write(b"\n]}\n" if count else b"]}\n")
    return count


def _write_plover(batches: Iterator[pa.RecordBatch], stream: BinaryIO) -> int:
    """JSON Lines of events with their mentions, from rows of (event id, event JSON, mention JSON) in event
    order: only the current event's mentions are held."""
    count, current, event = 0, None, ""
    mentions: list[str] = []
    for batch in batches:
        ids, events, found = (batch.column(i).to_pylist() for i in range(3))
        for event_id, record, mention in zip(ids, events, found, strict=True):
            if event_id != current:
                if current is not None:
                    stream.write(_plover_line(event, mentions))
                    count += 1
                current, event, mentions = event_id, record, []
            if mention is not None:
                mentions.append(mention)
    if current is not None:
        stream.write(_plover_line(event, mentions))
        count += 1
    return count


def _plover_line(event: str, mentions: list[str]) -> bytes:
    """An event's JSON object with its mentions added as the last field, and a line break."""
    return f'{event[:-1]},"mentions":[{",".join(mentions)}]}}\n'.encode()


def _partitions(batch: pa.RecordBatch) -> Iterator[tuple[tuple[Any, Any], pa.RecordBatch]]:
    """A batch sorted by date cut into runs of one (year, month), without the key columns."""
    keys = list(zip(batch.column("year").to_pylist(), batch.column("month").to_pylist(), strict=True))
    data = batch.drop_columns(["year", "month"])
    start = 0
    for key, run in itertools.groupby(keys):
        length = sum(1 for _ in run)
        yield key, data.slice(start, length)
        start += length


def _partition_dir(root: Path, key: tuple[Any, Any]) -> Path:
    """The Hive-style directory of a (year, month) partition."""
    year, month = (NULL_PARTITION if v is None else str(v) for v in key)
    return root / f"year={year}" / f"month={month}"


def _write_partitioned(batches: Iterator[pa.RecordBatch], root: Path) -> int:
    """Parquet files under `year=/month=` directories, one writer open at a time (the rows come in date order)."""
    count, files = 0, 0
    current: tuple[tuple[Any, Any], pq.ParquetWriter] | None = None
    try:
        for batch in batches:
            for key, part in _partitions(batch):
                if current is None or current[0] != key:
                    if current is not None:
                        current[1].close()
                    folder = _partition_dir(root, key)
                    folder.mkdir(parents=True, exist_ok=True)
                    # A running number keeps every file new, even if a partition were ever met twice.
                    current = (key, pq.ParquetWriter(folder / f"part-{files}.parquet", part.schema))
                    files += 1
                current[1].write_batch(part)
                count += part.num_rows
    finally:
        if current is not None:
            current[1].close()
    return count


# Entry point --------------------------------------------------------------------------------------------------


def export(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    out: Path | BinaryIO,
    filters: ExportFilter | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> ExportSummary:
    """Export the events a filter selects in a format, to a file, a directory (Parquet) or a binary stream."""
    start = time.perf_counter()
    # DuckDB draws a progress bar on stdout for long queries, which would corrupt an export written there.
    con.execute("SET enable_progress_bar = false")
    filters = filters or ExportFilter()
    filters = dataclasses.replace(filters, relation=corrections.events_sql(con, machine=filters.machine))
    parts = _queries(con, fmt, filters)
    target = str(out) if isinstance(out, Path) else "<stream>"
    with lookups(con):
        if fmt == "parquet":
            if not isinstance(out, Path):
                raise UsageError("Parquet exports are a directory: give --out DIR, not -")
            rows, mentions = _export_parquet(con, parts, out, chunk_size)
        elif isinstance(out, Path):
            with out.open("wb") as stream:
                rows, mentions = _export_text(con, fmt, parts, stream, chunk_size)
        else:
            rows, mentions = _export_text(con, fmt, parts, out, chunk_size)
            out.flush()
    return ExportSummary(fmt, target, rows, mentions, time.perf_counter() - start)


def _queries(con: duckdb.DuckDBPyConnection, fmt: str, filters: ExportFilter) -> dict[str, Queries]:
    """The queries of each part of a format, one per slice of the selected events."""
    if fmt not in _PARTS:
        raise UsageError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    located = fmt == "geojson"
    return {
        part: [query(con, fmt, part, filters, s) for s in slices(con, filters, located, weight, SLICE_ROWS)]
        for part, weight in _PARTS[fmt]
    }


def _export_text(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    parts: dict[str, Queries],
    stream: BinaryIO,
    chunk: int,
) -> tuple[int, int]:
    """Write a one-file format; the events and mentions written."""
    if fmt == "gdelt":
        return _write_tsv(con, parts["events"], GDELT_EVENTS, stream, chunk), 0
    if fmt == "gdelt-mentions":
        return 0, _write_tsv(con, parts["mentions"], GDELT_MENTIONS, stream, chunk)
    if fmt == "plover":
        return _write_plover(_batches(con, parts["events"], chunk), stream), 0
    if fmt == "csv":
        return _write_csv(con, parts["events"], stream, chunk), 0
    return _write_geojson(con, parts["events"], stream, chunk), 0


def _export_parquet(
    con: duckdb.DuckDBPyConnection, parts: dict[str, Queries], root: Path, chunk: int
) -> tuple[int, int]:
    """Events and mentions as two Hive-partitioned Parquet datasets under `root`; the rows of each."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UsageError(f"{root} exists and is not an empty directory: Parquet exports need a new one")
    events = _write_partitioned(_batches(con, parts["events"], chunk), root / "events")
    mentions = _write_partitioned(_batches(con, parts["mentions"], chunk), root / "mentions")
    return events, mentions
