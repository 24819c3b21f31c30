"""The actor index: events by actor and by dyad, held in memory by the server, for timelines, dyads and networks.

Events keep their actors in lists, and DuckDB reads a list column row by row: selecting the events of one actor or
one dyad among a million takes a tenth of a second or more, too slow for a server answering many people at once.
The index is the events unnested once into two Arrow tables sorted by actor code, `members` (one row per event
and actor on either side) and `pairs` (one row per event and source-target pair, so only events with both sides;
symmetric acts such as meetings also in the reverse direction, flagged), so that the rows of a code prefix are one
contiguous slice found by binary search. A query then aggregates only its slice.

The server is the only process that writes to its database while it runs (DuckDB allows one writing process per
file), so it knows when the events change: each write bumps a generation number and the index is rebuilt on its
next use, outside the lock a write takes to bump it, so that a write never waits for a rebuild. It is built from
the events with analysts' corrections applied, or as the machine coded them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import corrections, ontology

# The day of a row without a date: below every real one, so that no date range holds it.
NO_DAY = np.iinfo(np.int32).min
_MEMBERS_SQL = """
SELECT actor, hash(id) AS eid, event_date AS day, goldstein, quad_class
FROM (SELECT e.id, e.event_date, e.goldstein, e.quad_class,
             unnest(list_distinct(list_concat(e.source, e.target))) AS actor FROM {events} e)
ORDER BY actor, day
"""
# Directed pairs of events with both sides (an event with one side empty is no dyad), and for symmetric codes
# every ordered pair of distinct parties, the reverse direction flagged so that a network draws each meeting once.
_PAIRS_SQL = """
WITH ev AS (
    SELECT e.id, e.event_date, e.goldstein, e.quad_class, e.source, e.target,
           list_contains(?, e.code) AS sym FROM {events} e
),
directed AS (
    SELECT id, event_date, goldstein, quad_class, unnest(source) AS src, target
    FROM ev WHERE NOT sym AND len(target) > 0
),
parties AS (
    SELECT id, event_date, goldstein, quad_class, unnest(list_distinct(list_concat(source, target))) AS p
    FROM ev WHERE sym
)
SELECT src, tgt, eid, day, goldstein, quad_class, rev FROM (
    SELECT src, unnest(target) AS tgt, hash(id) AS eid, event_date AS day, goldstein, quad_class, false AS rev
    FROM directed
    UNION ALL
    SELECT a.p, b.p, hash(a.id), a.event_date, a.goldstein, a.quad_class, a.p > b.p
    FROM parties a JOIN parties b ON a.id = b.id AND a.p <> b.p
)
ORDER BY src, tgt, day
"""


@dataclass(frozen=True, slots=True)
class Columns:
    """The numbers a series adds up, as NumPy arrays beside the Arrow table: day (days since 1970, `NO_DAY` for
    none), event (a dense number, 0 to `events` - 1, so that counting each event once needs no sort), Goldstein
    score (NaN for none) and QuadClass (0 for none)."""

    day: np.ndarray
    event: np.ndarray
    goldstein: np.ndarray
    quad: np.ndarray
    events: int

    @classmethod
    def of(cls, table: pa.Table) -> Columns:
        """The columns of an index table, converted once."""
        day = pc.fill_null(table.column("day").cast(pa.int32()), NO_DAY)
        quad = pc.fill_null(table.column("quad_class").cast(pa.int8()), 0)
        goldstein = pc.fill_null(table.column("goldstein").cast(pa.float64()), float("nan"))
        _, event = np.unique(table.column("eid").to_numpy(), return_inverse=True)
        return cls(
            day.to_numpy(),
            event.astype(np.int32),
            goldstein.to_numpy(),
            quad.to_numpy(),
            int(event.max()) + 1 if len(event) else 0,
        )

    def take(self, rows: slice | np.ndarray) -> Columns:
        """The columns of some rows (a slice is a view)."""
        return Columns(self.day[rows], self.event[rows], self.goldstein[rows], self.quad[rows], self.events)

    def once(self) -> Columns:
        """One row of each event (a prefix may cover several of an event's actors): the last row written for an
        event's number is the one kept, found in linear time."""
        rows = np.arange(len(self.event), dtype=np.int32)
        # Only the slots of present events are written and read: the rest may stay uninitialised.
        last = np.empty(self.events, dtype=np.int32)
        last[self.event] = rows
        return self.take(last[self.event] == rows)


@dataclass(frozen=True, slots=True)
class Sorted:
    """An Arrow table sorted by its first column, with that column's values for binary search."""

    table: pa.Table
    keys: np.ndarray
    columns: Columns

    @classmethod
    def of(cls, table: pa.Table) -> Sorted:
        """Index a table sorted by its first column."""
        return cls(table, np.asarray(table.column(0).to_pylist(), dtype=object), Columns.of(table))

    def bounds(self, prefix: str) -> tuple[int, int]:
        """The first row whose first column starts with `prefix`, and the row after the last (all for '')."""
        if not prefix:
            return 0, self.table.num_rows
        lo = int(np.searchsorted(self.keys, prefix, side="left"))
        # Every string that starts with the prefix sorts before the prefix followed by the highest character.
        hi = int(np.searchsorted(self.keys, prefix + "\U0010ffff", side="left"))
        return lo, hi

    def prefixed(self, prefix: str) -> pa.Table:
        """The rows whose first column starts with `prefix` (every row for ''): one zero-copy slice."""
        lo, hi = self.bounds(prefix)
        return self.table.slice(lo, hi - lo)


@dataclass(frozen=True, slots=True)
class ActorIndex:
    """The events by actor (`members`) and by dyad (`pairs`), as of one generation of the database."""

    generation: int
    members: Sorted
    pairs: Sorted


def build(con: duckdb.DuckDBPyConnection, generation: int, machine: bool) -> ActorIndex:
    """Unnest the events (corrected, or as the machine coded them) into the index."""
    events = corrections.events_sql(con, machine=machine)
    members = con.sql(_MEMBERS_SQL.format(events=events)).to_arrow_table()
    pairs = con.sql(
        _PAIRS_SQL.format(events=events), params=[sorted(ontology.SYMMETRIC_CODES)]
    ).to_arrow_table()
    return ActorIndex(generation, Sorted.of(members), Sorted.of(pairs))


class Indexes:
    """The server's actor indexes (corrected and machine coding), rebuilt when the generation moves on.

    `_lock` guards the generation and the built indexes for an instant, never during a build: a write bumping the
    generation does not wait for a rebuild. `_building` lets one request per coding build while the others wait
    for its index instead of building the same one.
    """

    def __init__(self) -> None:
        """No index yet: each is built on first use."""
        self.generation = 0
        self._built: dict[bool, ActorIndex] = {}
        self._lock = threading.Lock()
        self._building = {False: threading.Lock(), True: threading.Lock()}

    def bump(self) -> None:
        """Mark the events as changed (after a write): indexes are rebuilt on their next use."""
        with self._lock:
            self.generation += 1

    def _current(self, machine: bool) -> tuple[int, ActorIndex | None]:
        """The generation, and the index built for it (None when there is none yet)."""
        with self._lock:
            found = self._built.get(machine)
            return (
                self.generation,
                found if found is not None and found.generation == self.generation else None,
            )

    def get(self, con: duckdb.DuckDBPyConnection, machine: bool = False) -> ActorIndex:
        """The current index, built now if the events changed since it was."""
        generation, found = self._current(machine)
        if found is not None:
            return found
        with self._building[machine]:
            # Another request may have built it while this one waited.
            generation, found = self._current(machine)
            if found is not None:
                return found
            # A write committed during the build bumps the generation past this one: the next use rebuilds.
            built = build(con, generation, machine)
            with self._lock:
                kept = self._built.get(machine)
                if kept is None or kept.generation < built.generation:
                    self._built[machine] = built
            return built


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[str]:
    """An Arrow table visible to the cursor's queries under a name, for the duration."""
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)
