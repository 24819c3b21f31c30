"""Aggregates for analysts: event counts, Goldstein sums and means, and QuadClass counts per period, by dyad or by
country (or actor): the inputs of conflict-cooperation time series.

Everything is computed in DuckDB over the `events` table (one row per real-world event, not per report), so the
work and the memory stay in the database; files are written with `COPY (query) TO`, which streams. What is
counted, and how symmetric acts and one-sided events are handled, is in `docs/aggregates.md`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

import duckdb
import pyarrow as pa

from . import ontology
from .errors import UsageError
from .store import EventFilter, Store

By = Literal["dyad", "country", "actor"]
Level = Literal["country", "actor"]
Period = Literal["day", "week", "month"]
Weight = Literal["events", "mentions"]
Format = Literal["csv", "parquet"]

BY: tuple[By, ...] = ("dyad", "country", "actor")
LEVELS: tuple[Level, ...] = ("country", "actor")
PERIODS: tuple[Period, ...] = ("day", "week", "month")
WEIGHTS: tuple[Weight, ...] = ("events", "mentions")
# The measures of every row, after its period and keys.
MEASURES = ("goldstein_sum", "goldstein_mean", "q1", "q2", "q3", "q4")
# Batches of the CSV written to a stream: large enough for throughput, small enough to keep memory flat.
BATCH_ROWS = 65_536


@dataclass(frozen=True, slots=True)
class AggregateQuery:
    """What to aggregate: the grouping, the level of actor codes, the period, the weight and the filters."""

    by: By = "dyad"
    # The unit of a dyad's sides; None means country. `by="country"` and `by="actor"` name their unit themselves.
    level: Level | None = None
    period: Period = "day"
    since: dt.date | None = None
    until: dt.date | None = None
    code: str | None = None
    actor: str | None = None
    country: str | None = None
    weight: Weight = "events"
    min_confidence: float | None = None

    def __post_init__(self) -> None:
        """Refuse unknown choices, and a level that contradicts the grouping."""
        for name, value, allowed in (
            ("by", self.by, BY),
            ("period", self.period, PERIODS),
            ("weight", self.weight, WEIGHTS),
        ):
            if value not in allowed:
                raise UsageError(f"unknown {name} {value!r}; one of {', '.join(allowed)}")
        if self.level is not None and self.level not in LEVELS:
            raise UsageError(f"unknown level {self.level!r}; one of {', '.join(LEVELS)}")
        if self.by != "dyad" and self.level not in (None, self.by):
            raise UsageError(f"the level applies to dyads; use by={self.level!r} instead of by={self.by!r}")

    @property
    def unit(self) -> Level:
        """The unit actor codes are counted in: their country (first three letters) or the full code."""
        if self.by == "dyad":
            return self.level or "country"
        return self.by

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns that name a row's group, after its period."""
        return ("source", "target") if self.by == "dyad" else (self.unit,)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column of the result, in order (the count is named after the weight)."""
        return ("period", *self.keys, self.weight, *MEASURES)

    def sql(self) -> tuple[str, list[Any]]:
        """The aggregate query and its parameters (always parameterised)."""
        where, params = self._where()
        weight = "1" if self.weight == "events" else "e.num_mentions"
        # Events without a date belong to no period; they are left out (docs/aggregates.md).
        selected = f"""
            SELECT e.id, e.goldstein, e.quad_class, e.source, e.target, {weight} AS w,
                   CAST(date_trunc('{self.period}', e.event_date) AS DATE) AS period,
                   list_contains(?, e.code) AS sym
            FROM events e WHERE e.event_date IS NOT NULL AND {where}
        """
        groups = _dyads(self.unit) if self.by == "dyad" else _parties(self.unit)
        keys = ", ".join(f"g.{k}" for k in self.keys)
        order = ", ".join(f"{k} NULLS LAST" for k in self.keys)
        sql = f"""
            WITH ev AS ({selected}), {groups}
            SELECT ev.period, {keys}, CAST(sum(ev.w) AS BIGINT) AS {self.weight}, {_measures()}
            FROM groups g JOIN ev ON ev.id = g.id
            GROUP BY ev.period, {keys}
            ORDER BY ev.period, {order}
        """
        return sql, [sorted(ontology.SYMMETRIC_CODES), *params]

    def _where(self) -> tuple[str, list[Any]]:
        """The filters on events as a WHERE clause and its parameters, as `eventwire events` reads them."""
        where, params = EventFilter(
            actor=self.actor, country=self.country, code=self.code, since=self.since, until=self.until
        ).sql()
        if self.min_confidence is not None:
            where += " AND e.confidence >= ?"
            params.append(self.min_confidence)
        return where, params


def _unit(column: str, unit: Level) -> str:
    """An actor code column in the unit counted: the country part is the code's first three letters."""
    return f"left({column}, 3)" if unit == "country" else column


def _dyads(unit: Level) -> str:
    """The `groups` of dyads: (event, source, target), once per event and distinct pair of the unit.

    A directed event pairs each source with each target; a side left empty is NULL, and an event naming neither
    side has no dyad. A symmetric act (consult, meet, negotiate…) pairs each two of its parties once, in sorted
    order, so that "A met B" and "B met A" land on one dyad; one party alone is paired with NULL.
    """
    src, tgt = _unit("s.a", unit), _unit("t.a", unit)
    lo, hi = _unit("a.p", unit), _unit("b.p", unit)
    return f"""
        sides AS (
            SELECT id, unnest(CASE WHEN len(source) = 0 THEN [NULL::VARCHAR] ELSE source END) AS a, 's' AS side
            FROM ev WHERE NOT sym
            UNION ALL
            SELECT id, unnest(CASE WHEN len(target) = 0 THEN [NULL::VARCHAR] ELSE target END), 't'
            FROM ev WHERE NOT sym
        ),
        members AS (
            SELECT id, unnest(list_distinct(list_concat(source, target))) AS p FROM ev WHERE sym
        ),
        groups AS (
            SELECT DISTINCT s.id, {src} AS source, {tgt} AS target
            FROM sides s JOIN sides t ON s.id = t.id AND s.side = 's' AND t.side = 't'
            WHERE s.a IS NOT NULL OR t.a IS NOT NULL
            UNION
            SELECT a.id, least({lo}, {hi}), greatest({lo}, {hi})
            FROM members a JOIN members b ON a.id = b.id AND a.p < b.p
            UNION
            SELECT id, {_unit("p", unit)}, NULL FROM members
            WHERE id IN (SELECT id FROM members GROUP BY id HAVING count(*) = 1)
        )
    """


def _parties(unit: Level) -> str:
    """The `groups` of parties: (event, party), once per event and distinct country (or actor) on either side."""
    return f"""
        groups AS (
            SELECT DISTINCT id, {_unit("a", unit)} AS {unit}
            FROM (SELECT id, unnest(list_concat(source, target)) AS a FROM ev)
        )
    """


def _measures() -> str:
    """Goldstein sum and mean and the four QuadClass counts, each event weighted by `w`; the mean is over the
    events whose code has a Goldstein score."""
    quads = ", ".join(
        f"CAST(sum(CASE WHEN ev.quad_class = {q} THEN ev.w ELSE 0 END) AS BIGINT) AS q{q}"
        for q in range(1, 5)
    )
    return (
        "sum(ev.goldstein * ev.w) AS goldstein_sum, "
        "sum(ev.goldstein * ev.w) / sum(CASE WHEN ev.goldstein IS NOT NULL THEN ev.w END) AS goldstein_mean, "
        + quads
    )


@contextmanager
def _opened(store_or_path: Store | str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the store given, or on the database at a path opened read-only for the duration; refuses a
    database without events."""
    store = store_or_path if isinstance(store_or_path, Store) else Store(store_or_path, read_only=True)
    try:
        if store.schema_version() < 5:
            raise UsageError(f"{store.path} has no events yet: run `eventwire regroup` to build them")
        # A cursor of its own: the store's connection may hold an unfinished result, which DuckDB refuses to mix
        # with a new query.
        with store.con.cursor() as cursor:
            yield cursor
    finally:
        if store is not store_or_path:
            store.close()


def aggregate(store_or_path: Store | str | Path, **options: Any) -> pa.Table:
    """Aggregate events by dyad, country or actor per period; options are the fields of `AggregateQuery`."""
    query = AggregateQuery(**options)
    sql, params = query.sql()
    with _opened(store_or_path) as con:
        return _arrow_table(con.sql(sql, params=params))


def write(store_or_path: Store | str | Path, path: str | Path, fmt: Format = "csv", **options: Any) -> int:
    """Write the aggregates to a CSV (with header) or Parquet file, streamed by DuckDB; the number of rows."""
    if fmt not in ("csv", "parquet"):
        raise UsageError(f"unknown format {fmt!r}; one of csv, parquet")
    query = AggregateQuery(**options)
    sql, params = query.sql()
    # COPY takes the file name as a literal, not a parameter: quote it as SQL does.
    target = str(path).replace("'", "''")
    copy_options = "FORMAT csv, HEADER" if fmt == "csv" else "FORMAT parquet"
    with _opened(store_or_path) as con:
        row = con.execute(f"COPY ({sql}) TO '{target}' ({copy_options})", params).fetchone()
    return int(row[0]) if row else 0


def write_csv(store_or_path: Store | str | Path, stream: TextIO, **options: Any) -> int:
    """Write the aggregates as CSV (with header) to a text stream such as stdout, batch by batch, formatted as the
    files `write` makes; the number of rows."""
    query = AggregateQuery(**options)
    sql, params = query.sql()
    out = csv.writer(stream, lineterminator="\n")
    out.writerow(query.columns)
    rows = 0
    with _opened(store_or_path) as con:
        for batch in _arrow_reader(con.sql(sql, params=params)):
            # The values are already aggregated: this loop only formats the rows.
            out.writerows(["" if v is None else v for v in row.values()] for row in batch.to_pylist())
            rows += batch.num_rows
    return rows


def _arrow_table(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """A query's result as an Arrow table."""
    table: pa.Table = relation.to_arrow_table()
    return table


def _arrow_reader(relation: duckdb.DuckDBPyRelation) -> pa.RecordBatchReader:
    """A query's result as a stream of Arrow record batches (`fetch_arrow_reader` before DuckDB 1.5)."""
    fetch = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
    reader: pa.RecordBatchReader = fetch(BATCH_ROWS)
    return reader
