"""Keyset pagination: a listing's rows in a total order, a page after a cursor, and the cursor of the next page.

A cursor is the order keys of the last row of a page, as opaque URL-safe text. The next page asks for the rows
after those keys, which the database finds without counting the rows before (no OFFSET), so a page deep in a
large result costs what the first does, and a row added or removed meanwhile never shifts the pages: every row
present throughout the walk is listed exactly once. Keys sort NULLs last in both directions; the last key is
unique.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from ..errors import UsageError

# Turns a page of rows into the items the API returns (names added, fields renamed); may query for more.
Shape = Callable[[duckdb.DuckDBPyConnection, list[dict[str, Any]]], list[dict[str, Any]]]
# Rows fetched at a time for a download: large for throughput, small enough to keep the server's memory flat.
DOWNLOAD_BATCH = 10_000


class BadCursor(UsageError):
    """A cursor that this listing did not make, or that was altered."""


@dataclass(frozen=True, slots=True)
class Key:
    """One column of a listing's order (a column of its select list) and its direction."""

    column: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Late:
    """A page read in two steps: its rows found on narrow columns (filters, order keys and a row key), then read
    whole by row key. A page of wide rows (lists of actors) among a million then decodes only the rows it shows."""

    keys_sql: str
    rows_sql: str
    row_key: str


@dataclass(frozen=True, slots=True)
class Listing:
    """A result in a total order: its query (without ORDER BY and LIMIT), parameters, order keys and shaping;
    `late`, the same rows as a narrow query (with the parameters) and an unfiltered wide one, for pages."""

    name: str
    sql: str
    params: list[Any]
    keys: tuple[Key, ...]
    shape: Shape
    late: Late | None = None

    @property
    def signature(self) -> str:
        """What a cursor of this listing carries to be recognised: the listing's name and order."""
        order = ",".join(f"{k.column}{'-' if k.descending else '+'}" for k in self.keys)
        return hashlib.sha256(f"{self.name}|{order}".encode()).hexdigest()[:8]

    def ordered(self, after: list[Any] | None = None, limit: int | None = None) -> tuple[str, list[Any]]:
        """The query in order, from the row after the keys `after`, at most `limit` rows."""
        where, params = ("TRUE", []) if after is None else _after(self.keys, after, "q")
        if self.late is not None and limit is not None:
            late = self.late
            chosen = (
                f"SELECT q.{late.row_key} FROM ({late.keys_sql}) q WHERE {where} ORDER BY {self._order('q')} "
                "LIMIT ?"
            )
            sql = f"SELECT * FROM ({late.rows_sql}) w WHERE w.{late.row_key} IN ({chosen}) ORDER BY {self._order('w')}"
            return sql, [*self.params, *params, limit]
        sql = f"SELECT * FROM ({self.sql}) q WHERE {where} ORDER BY {self._order('q')}"
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, limit]
        return sql, [*self.params, *params]

    def _order(self, alias: str) -> str:
        """The ORDER BY list of the keys, on a relation's alias."""
        return ", ".join(
            f"{alias}.{k.column} {'DESC' if k.descending else 'ASC'} NULLS LAST" for k in self.keys
        )


def _after(keys: tuple[Key, ...], values: list[Any], alias: str) -> tuple[str, list[Any]]:
    """The condition that selects the rows after the key values in the order of `keys` (NULLs last)."""
    key, value = keys[0], values[0]
    column = f"{alias}.{key.column}"
    beyond = "<" if key.descending else ">"
    if len(keys) == 1:
        if value is None:
            return "FALSE", []
        return f"({column} {beyond} ? OR {column} IS NULL)", [value]
    rest, params = _after(keys[1:], values[1:], alias)
    if value is None:
        return f"({column} IS NULL AND {rest})", params
    return f"({column} {beyond} ? OR {column} IS NULL OR ({column} = ? AND {rest}))", [value, value, *params]


@dataclass(frozen=True, slots=True)
class Page:
    """One page of items and the cursor of the next one (None after the last)."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def page(con: duckdb.DuckDBPyConnection, listing: Listing, cursor: str | None, limit: int) -> Page:
    """The page of at most `limit` items after the cursor (from the first row without one)."""
    after = decode_cursor(listing, cursor) if cursor else None
    sql, params = listing.ordered(after, limit + 1)
    rows = dicts(con.execute(sql, params))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor(listing, [rows[-1][k.column] for k in listing.keys]) if more and rows else None
    )
    return Page(listing.shape(con, rows), next_cursor)


def batches(
    con: duckdb.DuckDBPyConnection,
    listing: Listing,
    cursor: str | None = None,
    limit: int | None = None,
    size: int = DOWNLOAD_BATCH,
) -> Iterator[list[dict[str, Any]]]:
    """Every item after the cursor (at most `limit`), shaped, in batches: what a download streams."""
    after = decode_cursor(listing, cursor) if cursor else None
    sql, params = listing.ordered(after, limit)
    result = con.execute(sql, params)
    names = [d[0] for d in result.description]
    while rows := result.fetchmany(size):
        yield listing.shape(con, [dict(zip(names, r, strict=True)) for r in rows])


def dicts(result: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """A query's rows as dicts keyed by column name."""
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def encode_cursor(listing: Listing, values: list[Any]) -> str:
    """The opaque cursor of a row's key values."""
    payload = json.dumps([listing.signature, [_plain(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(listing: Listing, cursor: str) -> list[Any]:
    """The key values a cursor carries; BadCursor when it is not one of this listing's."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        signature, values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError, UnicodeError, binascii.Error) as exc:
        raise BadCursor("not a cursor of this listing: pass next_cursor as it was returned") from exc
    if signature != listing.signature or not isinstance(values, list) or len(values) != len(listing.keys):
        raise BadCursor("not a cursor of this listing (another endpoint, sort or order)")
    return [_typed(v) for v in values]


def _plain(value: Any) -> Any:
    """A key value as JSON holds it: dates tagged, so that they come back as dates."""
    if isinstance(value, dt.datetime):
        return {"ts": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _typed(value: Any) -> Any:
    """A key value read back from a cursor."""
    try:
        if isinstance(value, dict) and "date" in value:
            return dt.date.fromisoformat(value["date"])
        if isinstance(value, dict) and "ts" in value:
            return dt.datetime.fromisoformat(value["ts"])
    except (TypeError, ValueError) as exc:
        raise BadCursor("a cursor with an invalid date") from exc
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise BadCursor("a cursor with an invalid value")
