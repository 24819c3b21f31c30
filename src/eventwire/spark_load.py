"""Loading a Spark job's Parquet tables into a DuckDB store, so that every other command works on them.

Loading is idempotent: articles already stored are skipped with everything extracted from them, sources and
problems already recorded are kept as they are, and loading the same output twice changes nothing. Into an empty
store, the job's near copies and events are loaded as they are (they are what grouping the store would give);
into a store that holds articles already, the new articles are linked to their near copies and every mention is
grouped again under the store's rule, as `eventwire regroup` does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .store import ANNOTATION_TABLES, Store

LOGGER = logging.getLogger(__name__)

# Tables grouping fills; loaded as they are into an empty store only.
GROUPED = ("article_copies", "article_bands", "events", "event_links")


@dataclass(slots=True)
class LoadSummary:
    """What a load did: articles new and already stored, sources and problems added, and the events after."""

    articles: int = 0
    known: int = 0
    sources: int = 0
    errors: int = 0
    events: int = 0
    regrouped: bool = False


def load(directory: str | Path, store: Store) -> LoadSummary:
    """Bring the tables a Spark job wrote under `directory` into the store; what was added."""
    root = Path(directory)
    if not (root / "articles").is_dir():
        raise FileNotFoundError(f"no eventwire Spark output at {root} (no articles dataset)")
    summary = LoadSummary()
    empty = _count(store, "SELECT count(*) FROM articles") == 0
    before = {t: _count(store, f"SELECT count(*) FROM {t}") for t in ("sources", "errors")}
    with store.atomic():
        store.con.execute(
            f"CREATE TEMP TABLE _loaded_ids AS SELECT id FROM {_scan(root, 'articles')} "
            "WHERE id NOT IN (SELECT id FROM articles)"
        )
        try:
            summary.articles = _count(store, "SELECT count(*) FROM _loaded_ids")
            summary.known = (
                _count(store, f"SELECT count(*) FROM {_scan(root, 'articles')}") - summary.articles
            )
            _insert(store, root, "articles", "WHERE id IN (SELECT id FROM _loaded_ids)")
            for table in ANNOTATION_TABLES:
                _insert(store, root, table, "WHERE article_id IN (SELECT id FROM _loaded_ids)")
        finally:
            store.con.execute("DROP TABLE _loaded_ids")
        _insert(store, root, "sources", "", conflict=True)
        _insert(store, root, "errors", "", conflict=True)
        _resolve(store, root)
        if empty:
            for table in GROUPED:
                _insert(store, root, table, "")
            _insert(store, root, "settings", "", conflict=True)
    summary.sources = _count(store, "SELECT count(*) FROM sources") - before["sources"]
    summary.errors = _count(store, "SELECT count(*) FROM errors") - before["errors"]
    if not empty and summary.articles:
        store.regroup()
        summary.regrouped = True
    summary.events = _count(store, "SELECT count(*) FROM events")
    return summary


def _scan(root: Path, table: str) -> str:
    """The SQL that reads one of the job's datasets (its part files; Spark's markers are not Parquet)."""
    pattern = str(root / table / "*.parquet").replace("'", "''")
    return f"read_parquet('{pattern}')"


def _columns(store: Store, table: str) -> list[str]:
    """A store table's columns, in order."""
    rows = store.con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main' "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def _insert(store: Store, root: Path, table: str, where: str, *, conflict: bool = False) -> None:
    """Insert a dataset's rows into the table of its name, columns matched by name (cast to the store's types)."""
    if not any((root / table).glob("*.parquet")):
        return
    columns = ", ".join(f'"{c}"' for c in _columns(store, table))
    clause = " ON CONFLICT DO NOTHING" if conflict else ""
    store.con.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_scan(root, table)} {where}{clause}"
    )


def _resolve(store: Store, root: Path) -> None:
    """Mark the open errors of documents the job stored as resolved, as an ingest that stores them does."""
    store.con.execute(
        "UPDATE errors SET resolved_at = now() WHERE level = 'error' AND resolved_at IS NULL AND EXISTS "
        f"(SELECT 1 FROM {_scan(root, 'sources')} s WHERE s.uri = errors.source AND s.line = coalesce(errors.line, 0))"
    )


def _count(store: Store, sql: str) -> int:
    """The number a counting query gives."""
    row = store.con.execute(sql).fetchone()
    return int(row[0]) if row else 0
