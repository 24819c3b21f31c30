"""Time series of the actor index: the events of a slice counted per day, week or month in NumPy.

A series reads one slice of the index (an actor or code prefix), keeps the rows in the date range (and, for a dyad,
whose target starts with a prefix), counts each event once (a prefix may cover several of its actors) and adds up
its period's numbers. The slice is a view of arrays converted when the index was built, so that a series costs
what its rows do, not a query plan: under many concurrent clients the database's fixed cost per query dominated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pyarrow.compute as pc

from ..errors import UsageError
from .index import NO_DAY, Columns, Sorted

INTERVALS = ("day", "week", "month")
# 1970-01-01, day 0 of the index.
_EPOCH = dt.date(1970, 1, 1).toordinal()


def _day(value: dt.date) -> int:
    """A date as the index counts days."""
    return value.toordinal() - _EPOCH


def select(
    index: Sorted, prefix: str, target: str | None, since: dt.date | None, until: dt.date | None
) -> Columns:
    """The dated rows of the slice of `prefix` in the date range whose target (`tgt`) starts with `target`."""
    lo, hi = index.bounds(prefix)
    columns = index.columns.take(slice(lo, hi))
    keep = columns.day != NO_DAY
    if since:
        keep &= columns.day >= _day(since)
    if until:
        keep &= columns.day <= _day(until)
    if target:
        tgt = index.table.column("tgt").slice(lo, hi - lo)
        keep &= np.asarray(pc.starts_with(tgt, target), dtype=bool)
    return columns.take(keep)


def _periods(days: np.ndarray, interval: str) -> np.ndarray:
    """The first day of each day's period (weeks start on Monday, as DuckDB's date_trunc has them)."""
    days = days.astype(np.int64)
    if interval == "week":
        return np.asarray(days - (days + 3) % 7)  # day 0 was a Thursday
    if interval == "month":
        return days.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return days


def per_period(columns: Columns, interval: str) -> list[dict[str, Any]]:
    """Events, Goldstein sum and mean and QuadClass counts per period, oldest first; each event counted once."""
    if interval not in INTERVALS:
        raise UsageError(f"unknown interval {interval!r}; one of {', '.join(INTERVALS)}")
    columns = columns.once()
    if not len(columns.day):
        return []
    periods = _periods(columns.day, interval)
    first = int(periods.min())
    # Periods are days: counting by offset from the first is linear, with empty slots between them skipped.
    slot = periods - first
    size = int(slot.max()) + 1
    count = np.bincount(slot, minlength=size)
    known = ~np.isnan(columns.goldstein)
    scored = np.bincount(slot, weights=known, minlength=size)
    total = np.bincount(slot, weights=np.where(known, columns.goldstein, 0.0), minlength=size)
    quads = [np.bincount(slot, weights=columns.quad == q, minlength=size) for q in (1, 2, 3, 4)]
    return [
        {
            "period": dt.date.fromordinal(_EPOCH + first + i),
            "count": int(count[i]),
            "goldstein_sum": float(total[i]) if scored[i] else None,
            "goldstein_mean": float(total[i] / scored[i]) if scored[i] else None,
            **{f"quad{q}": int(quads[q - 1][i]) for q in (1, 2, 3, 4)},
        }
        for i in np.flatnonzero(count).tolist()
    ]
