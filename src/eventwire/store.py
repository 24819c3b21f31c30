"""The store: one DuckDB file with an explicit, versioned schema, written one transaction per batch.

Articles are keyed by the hash of their text, so writing an article again adds at most a new source. Failures and
warnings are rows keyed by (source, line, stage, code): seeing the same problem again updates its row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from . import grouping, ontology
from .clustering import MatchRule
from .errors import UsageError
from .model import (
    ActorMention,
    Article,
    DateMention,
    Entity,
    EventMention,
    Failure,
    Place,
    Quote,
    Sentence,
    Source,
    Span,
)

LOGGER = logging.getLogger(__name__)

DEFAULT_DB = "eventwire.duckdb"


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: applied once, in order, and recorded in `schema_migrations`."""

    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles, sources, sentences, entities, errors",
        """
        CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            title VARCHAR,
            pub_date DATE,
            date_source VARCHAR,
            text VARCHAR NOT NULL,
            body_start INTEGER NOT NULL,
            n_sentences INTEGER NOT NULL,
            n_entities INTEGER NOT NULL,
            metadata JSON NOT NULL,
            pipeline VARCHAR,
            ingested_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE sources (
            article_id VARCHAR NOT NULL,
            uri VARCHAR NOT NULL,
            line INTEGER NOT NULL,
            format VARCHAR NOT NULL,
            external_id VARCHAR,
            url VARCHAR,
            first_seen TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (article_id, uri, line)
        );
        CREATE TABLE sentences (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE entities (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            sentence_idx INTEGER NOT NULL,
            label VARCHAR NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE errors (
            id VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            line INTEGER,
            stage VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            level VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            article_id VARCHAR,
            first_seen TIMESTAMPTZ NOT NULL,
            last_seen TIMESTAMPTZ NOT NULL,
            attempts INTEGER NOT NULL,
            resolved_at TIMESTAMPTZ
        );
        """,
    ),
    Migration(
        2,
        "actors",
        """
        CREATE TABLE actors (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            sentence_idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            code VARCHAR,
            name VARCHAR,
            country VARCHAR,
            sectors VARCHAR[] NOT NULL,
            wikidata VARCHAR,
            head VARCHAR,
            via VARCHAR,
            coded BOOLEAN NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE INDEX actors_code ON actors (code);
        """,
    ),
    Migration(
        3,
        "event mentions",
        """
        CREATE TABLE event_mentions (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            sentence_idx INTEGER NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            trigger_text VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            root VARCHAR NOT NULL,
            plover_type VARCHAR,
            plover_mode VARCHAR,
            plover_context VARCHAR,
            goldstein DOUBLE,
            quad_class INTEGER,
            source VARCHAR[] NOT NULL,
            target VARCHAR[] NOT NULL,
            source_spans STRUCT(start_char INTEGER, end_char INTEGER, text VARCHAR)[] NOT NULL,
            target_spans STRUCT(start_char INTEGER, end_char INTEGER, text VARCHAR)[] NOT NULL,
            negated BOOLEAN NOT NULL,
            hypothetical BOOLEAN NOT NULL,
            future BOOLEAN NOT NULL,
            historical BOOLEAN NOT NULL,
            attributed_to VARCHAR,
            event_date DATE,
            location VARCHAR,
            confidence DOUBLE NOT NULL,
            decided_by VARCHAR NOT NULL,
            rule VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        CREATE INDEX event_mentions_code ON event_mentions (code);
        """,
    ),
    Migration(
        4,
        "quotes, places and dates",
        """
        -- Older DuckDB releases refuse to alter a table that has an index: drop it for the change.
        DROP INDEX event_mentions_code;
        ALTER TABLE event_mentions ADD COLUMN date_text VARCHAR;
        ALTER TABLE event_mentions ADD COLUMN place_idx INTEGER;
        ALTER TABLE event_mentions ADD COLUMN quote_idx INTEGER;
        CREATE INDEX event_mentions_code ON event_mentions (code);
        CREATE TABLE quotes (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            speaker_start INTEGER,
            speaker_end INTEGER,
            speaker_text VARCHAR,
            speaker_code VARCHAR,
            cue_start INTEGER,
            cue_end INTEGER,
            cue_text VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE places (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            sentence_idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            name VARCHAR,
            geonameid BIGINT,
            country VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            feature VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE dates (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            sentence_idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            value VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        """,
    ),
    Migration(
        5,
        "events and near copies",
        """
        CREATE TABLE article_copies (
            article_id VARCHAR PRIMARY KEY,
            outlet VARCHAR,
            minhash UBIGINT[] NOT NULL,
            copy_of VARCHAR NOT NULL,
            similarity DOUBLE
        );
        CREATE TABLE article_bands (
            band SMALLINT NOT NULL,
            hash BIGINT NOT NULL,
            article_id VARCHAR NOT NULL
        );
        CREATE TABLE events (
            id VARCHAR PRIMARY KEY,
            code VARCHAR NOT NULL,
            root VARCHAR NOT NULL,
            plover_type VARCHAR,
            plover_mode VARCHAR,
            goldstein DOUBLE,
            quad_class INTEGER,
            source VARCHAR[] NOT NULL,
            target VARCHAR[] NOT NULL,
            event_date DATE,
            location VARCHAR,
            geonameid BIGINT,
            country VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            num_mentions INTEGER NOT NULL,
            num_articles INTEGER NOT NULL,
            num_sources INTEGER NOT NULL,
            num_stories INTEGER NOT NULL,
            first_seen DATE,
            last_seen DATE,
            confidence DOUBLE NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE event_links (
            article_id VARCHAR NOT NULL,
            mention_idx INTEGER NOT NULL,
            event_id VARCHAR NOT NULL,
            PRIMARY KEY (article_id, mention_idx)
        );
        -- Settings the database keeps for every run, such as the rule that groups mentions into events.
        CREATE TABLE settings (
            key VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        );
        """,
    ),
    Migration(
        6,
        "corrections",
        """
        -- Analysts' verdicts on events (eventwire.corrections). IF NOT EXISTS: applying it again changes nothing.
        CREATE SEQUENCE IF NOT EXISTS corrections_id START 1;
        CREATE TABLE IF NOT EXISTS corrections (
            id BIGINT PRIMARY KEY DEFAULT nextval('corrections_id'),
            event_id VARCHAR NOT NULL,
            verdict VARCHAR NOT NULL,
            code VARCHAR,
            root VARCHAR,
            plover_type VARCHAR,
            plover_mode VARCHAR,
            goldstein DOUBLE,
            quad_class INTEGER,
            source VARCHAR[],
            target VARCHAR[],
            event_date DATE,
            machine_code VARCHAR,
            machine_source VARCHAR[],
            machine_target VARCHAR[],
            machine_date DATE,
            author VARCHAR NOT NULL,
            note VARCHAR,
            created_at TIMESTAMPTZ NOT NULL
        );
        """,
    ),
    Migration(
        7,
        "feeds watched, their items and hosts",
        """
        -- What `eventwire watch` knows of each feed: the validators of its last answer, and its backoff.
        CREATE TABLE IF NOT EXISTS feeds (
            url VARCHAR PRIMARY KEY,
            title VARCHAR,
            etag VARCHAR,
            last_modified VARCHAR,
            last_polled TIMESTAMPTZ,
            failures INTEGER NOT NULL DEFAULT 0,
            next_poll_after TIMESTAMPTZ,
            last_error VARCHAR
        );
        -- Every article URL a feed listed (normalised), fetched at most once: pending until it is stored or fails.
        CREATE TABLE IF NOT EXISTS feed_items (
            url VARCHAR PRIMARY KEY,
            feed_url VARCHAR NOT NULL,
            guid VARCHAR,
            title VARCHAR,
            published DATE,
            seen_at TIMESTAMPTZ NOT NULL,
            status VARCHAR NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_try_after TIMESTAMPTZ,
            last_error VARCHAR,
            article_id VARCHAR,
            done_at TIMESTAMPTZ
        );
        -- Hosts that failed (timeouts, 429, 5xx) are left alone until next_request_after.
        CREATE TABLE IF NOT EXISTS hosts (
            host VARCHAR PRIMARY KEY,
            failures INTEGER NOT NULL DEFAULT 0,
            next_request_after TIMESTAMPTZ,
            last_error VARCHAR
        );
        """,
    ),
)

_SPANS = pa.list_(pa.struct([("start_char", pa.int32()), ("end_char", pa.int32()), ("text", pa.string())]))

# Arrow schemas of the rows written per batch; column names and order match the tables above.
_ROW_SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("id", pa.string()),
            ("title", pa.string()),
            ("pub_date", pa.date32()),
            ("date_source", pa.string()),
            ("text", pa.string()),
            ("body_start", pa.int32()),
            ("n_sentences", pa.int32()),
            ("n_entities", pa.int32()),
            ("metadata", pa.string()),
            ("pipeline", pa.string()),
            ("ingested_at", pa.timestamp("us", tz="UTC")),
        ]
    ),
    "sources": pa.schema(
        [
            ("article_id", pa.string()),
            ("uri", pa.string()),
            ("line", pa.int32()),
            ("format", pa.string()),
            ("external_id", pa.string()),
            ("url", pa.string()),
            ("first_seen", pa.timestamp("us", tz="UTC")),
        ]
    ),
    "sentences": pa.schema(
        [
            ("article_id", pa.string()),
            ("idx", pa.int32()),
            ("paragraph", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("text", pa.string()),
        ]
    ),
    "entities": pa.schema(
        [
            ("article_id", pa.string()),
            ("idx", pa.int32()),
            ("sentence_idx", pa.int32()),
            ("label", pa.string()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("text", pa.string()),
        ]
    ),
    "actors": pa.schema(
        [
            ("article_id", pa.string()),
            ("idx", pa.int32()),
            ("sentence_idx", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("text", pa.string()),
            ("code", pa.string()),
            ("name", pa.string()),
            ("country", pa.string()),
            ("sectors", pa.list_(pa.string())),
            ("wikidata", pa.string()),
            ("head", pa.string()),
            ("via", pa.string()),
            ("coded", pa.bool_()),
        ]
    ),
    "event_mentions": pa.schema(
        [
            ("article_id", pa.string()),
            ("idx", pa.int32()),
            ("sentence_idx", pa.int32()),
            ("trigger_start", pa.int32()),
            ("trigger_end", pa.int32()),
            ("trigger_text", pa.string()),
            ("code", pa.string()),
            ("root", pa.string()),
            ("plover_type", pa.string()),
            ("plover_mode", pa.string()),
            ("plover_context", pa.string()),
            ("goldstein", pa.float64()),
            ("quad_class", pa.int32()),
            ("source", pa.list_(pa.string())),
            ("target", pa.list_(pa.string())),
            ("source_spans", _SPANS),
            ("target_spans", _SPANS),
            ("negated", pa.bool_()),
            ("hypothetical", pa.bool_()),
            ("future", pa.bool_()),
            ("historical", pa.bool_()),
            ("attributed_to", pa.string()),
            ("event_date", pa.date32()),
            ("location", pa.string()),
            ("confidence", pa.float64()),
            ("decided_by", pa.string()),
            ("rule", pa.string()),
            ("date_text", pa.string()),
            ("place_idx", pa.int32()),
            ("quote_idx", pa.int32()),
        ]
    ),
    "quotes": pa.schema(
        [
            ("article_id", pa.string()),
            ("idx", pa.int32()),
            ("kind", pa.string()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("text", pa.string()),
            ("speaker_start", pa.int32()),
            ("speaker_end", pa.int32()),
            ("speaker_text", pa.string()),
            ("speaker_code", pa.string()),
            ("cue_start", pa.int32()),
            ("cue_end", pa.int32()),
            ("cue_text", pa.string()),
        ]
    ),
    "places": pa.schema(
        [
            ("article_id", pa.string()),
            ("idx", pa.int32()),
            ("sentence_idx", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("text", pa.string()),
            ("role", pa.string()),
            ("name", pa.string()),
            ("geonameid", pa.int64()),
            ("country", pa.string()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("feature", pa.string()),
        ]
    ),
    "dates": pa.schema(
        [
            ("article_id", pa.string()),
            ("idx", pa.int32()),
            ("sentence_idx", pa.int32()),
            ("start_char", pa.int32()),
            ("end_char", pa.int32()),
            ("text", pa.string()),
            ("value", pa.string()),
        ]
    ),
}


@dataclass(slots=True)
class Batch:
    """What one transaction writes: new articles, sources of new and known articles, and problems."""

    articles: list[Article]
    sources: list[tuple[str, Source]]
    failures: list[Failure]


class Store:
    """A DuckDB file holding articles and everything extracted from them."""

    def __init__(
        self, path: str | Path = DEFAULT_DB, *, read_only: bool = False, match_rule: MatchRule | None = None
    ) -> None:
        """Open (and, unless read-only, create and migrate) the DuckDB file at `path`; new mentions are grouped
        into events by `match_rule`, by default the rule the database was last regrouped with."""
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise FileNotFoundError(
                f"no eventwire database at {self.path} (create one with `eventwire ingest`)"
            )
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            self.migrate()
        self.match_rule = match_rule or self._saved_rule()

    def _saved_rule(self) -> MatchRule:
        """The matching rule saved by the last regroup, or the default one."""
        if self.schema_version() < 5:
            return MatchRule()
        row = self.con.execute("SELECT value FROM settings WHERE key = 'match_rule'").fetchone()
        return MatchRule(**json.loads(row[0])) if row else MatchRule()

    def __enter__(self) -> Store:
        """The store, closed when the block ends."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the connection."""
        self.close()

    def close(self) -> None:
        """Close the connection; committed batches are already durable."""
        self.con.close()

    def migrate(self) -> list[int]:
        """Apply the migrations this file has not seen yet; the versions applied."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
        )
        done = {row[0] for row in self.con.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for migration in MIGRATIONS:
            if migration.version in done:
                continue
            with self.atomic():
                self.con.execute(migration.sql)
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [migration.version, migration.name, _now()],
                )
            applied.append(migration.version)
            LOGGER.info("applied schema migration %d: %s", migration.version, migration.name)
        return applied

    def schema_version(self) -> int:
        """The latest migration applied to this file."""
        row = self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        return int(row[0]) if row else 0

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction: everything inside is written, or nothing is."""
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    def known_ids(self, ids: Sequence[str], con: duckdb.DuckDBPyConnection | None = None) -> set[str]:
        """Which of these article ids are already stored (read through another cursor when one is given)."""
        if not ids:
            return set()
        # A join on the primary key, not `list_contains`, which would test every stored id against the whole list.
        rows = (
            (con or self.con)
            .execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)])
            .fetchall()
        )
        return {r[0] for r in rows}

    def write(self, batch: Batch, then: Callable[[], None] | None = None) -> None:
        """Write a batch in one transaction; rows already stored are left as they are. `then` runs inside the
        transaction, after the batch, so that what it writes (such as a fetched item marked done) commits with it."""
        now = _now()
        tables = {
            "articles": [_article_row(a, now) for a in batch.articles],
            "sources": [_source_row(i, s, now) for i, s in batch.sources],
            **_annotation_rows(batch.articles),
        }
        with self.atomic():
            # Only articles this write stores for the first time join copies and events (a batch written twice,
            # or one that repeats an article, changes nothing).
            known = self.known_ids([a.id for a in batch.articles])
            fresh = list({a.id: a for a in batch.articles if a.id not in known}.values())
            for name, rows in tables.items():
                self._insert(name, rows, known)
            grouping.link_copies(self.con, fresh)
            grouping.update_events(self.con, [a.id for a in fresh], self.match_rule)
            for failure in batch.failures:
                self._record_failure(failure, now)
            self._resolve_failures(tables["sources"], now)
            if then is not None:
                then()

    def resolve_errors(self, source: str) -> None:
        """Mark the open errors of a source (a feed polled successfully since) as resolved; they stay listed."""
        self.con.execute(
            "UPDATE errors SET resolved_at = ? WHERE source = ? AND level = 'error' AND resolved_at IS NULL",
            [_now(), source],
        )

    def replace_annotations(self, articles: Sequence[Article]) -> None:
        """Replace what was extracted from stored articles (sentences, entities, actors, events, quotes, places,
        dates) in one transaction: a recoded batch is written whole or not at all."""
        if not articles:
            return
        ids = [a.id for a in articles]
        tables = _annotation_rows(articles)
        with self.atomic():
            grouping.unlink(self.con, ids)
            for name, rows in tables.items():
                self.con.execute(f"DELETE FROM {name} WHERE list_contains(?, article_id)", [ids])
                self._insert(name, rows)
            grouping.update_events(self.con, ids, self.match_rule)
            for article in articles:
                self.con.execute(
                    "UPDATE articles SET n_sentences = ?, n_entities = ?, pipeline = ? WHERE id = ?",
                    [len(article.sentences), len(article.entities), article.pipeline, article.id],
                )

    def regroup(self, rule: MatchRule | None = None) -> int:
        """Group every stored mention into events again (after a change of rule, which the database keeps for
        later ingests), first linking the near copies of articles stored before events existed; the number of
        events."""
        if rule is not None:
            self.match_rule = rule
        with self.atomic():
            self.con.execute(
                "INSERT OR REPLACE INTO settings VALUES ('match_rule', ?)",
                [json.dumps(dataclasses.asdict(self.match_rule))],
            )
            unlinked = [
                r[0]
                for r in self.con.execute(
                    "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM article_copies) ORDER BY id"
                ).fetchall()
            ]
            for start in range(0, len(unlinked), 256):
                grouping.link_copies(self.con, list(self._articles(unlinked[start : start + 256])))
            return grouping.rebuild(self.con, self.match_rule)

    def stored_articles(self, prefix: str = "", batch_size: int = 64) -> Iterator[list[Article]]:
        """Stored articles as they were read (text, title, date, first source), in batches, for recoding."""
        ids = [
            r[0]
            for r in self.con.execute(
                "SELECT id FROM articles WHERE starts_with(id, ?) ORDER BY id", [prefix]
            ).fetchall()
        ]
        for start in range(0, len(ids), batch_size):
            yield list(self._articles(ids[start : start + batch_size]))

    def _articles(self, ids: list[str]) -> Iterator[Article]:
        """Stored articles as they were read (text, title, date, first source, metadata), in id order."""
        rows = self.con.execute(
            "SELECT id, title, pub_date, date_source, text, body_start, metadata FROM articles "
            "WHERE list_contains(?, id) ORDER BY id",
            [ids],
        ).fetchall()
        for r in rows:
            yield Article(
                id=r[0],
                title=r[1],
                date=r[2],
                date_source=r[3],
                text=r[4],
                body_start=r[5],
                source=(self.sources(r[0]) or [Source("<unknown>", "unknown")])[0],
                metadata=json.loads(r[6]),
            )

    def _insert(self, table: str, rows: list[dict[str, Any]], known: set[str] | None = None) -> None:
        """Insert rows through Arrow, skipping those whose key is already present (the first of a key wins).

        With the ids of the stored articles given (`known`), an article's or annotation's row of another article,
        whose key the batch has not given yet, cannot conflict (those rows are written with their article, in one
        transaction): it is inserted plainly, which costs a third of `ON CONFLICT DO NOTHING`.
        """
        if not rows:
            return
        plain: list[dict[str, Any]] = []
        checked = rows
        # Sources are also written for articles outside the batch's (copies, failures): always checked.
        if known is not None and table != "sources":
            plain, checked = _split_new(table, rows, known)
        # The plain rows go first: a later row of the same key is then skipped as a conflict, as it would be in
        # one statement.
        self._insert_rows(table, plain, "")
        self._insert_rows(table, checked, " ON CONFLICT DO NOTHING")

    def _insert_rows(self, table: str, rows: list[dict[str, Any]], conflict: str) -> None:
        """Insert rows through Arrow, with a conflict clause."""
        if not rows:
            return
        data = pa.Table.from_pylist(rows, schema=_ROW_SCHEMAS[table])
        columns = ", ".join(data.column_names)
        view = f"_new_{table}"
        self.con.register(view, data)
        try:
            self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view}{conflict}")
        finally:
            self.con.unregister(view)

    def _resolve_failures(self, sources: list[dict[str, Any]], now: dt.datetime) -> None:
        """Mark earlier errors of documents that have now been read and stored as resolved (they stay listed)."""
        if not sources:
            return
        self.con.register("_stored_sources", pa.Table.from_pylist(sources, schema=_ROW_SCHEMAS["sources"]))
        try:
            self.con.execute(
                "UPDATE errors SET resolved_at = ? WHERE level = 'error' AND resolved_at IS NULL AND EXISTS "
                "(SELECT 1 FROM _stored_sources s WHERE s.uri = errors.source AND s.line = coalesce(errors.line, 0))",
                [now],
            )
        finally:
            self.con.unregister("_stored_sources")

    def _record_failure(self, failure: Failure, now: dt.datetime) -> None:
        """Insert a problem row, or update the row of the same problem seen before."""
        self.con.execute(
            "INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL) ON CONFLICT (id) DO UPDATE SET "
            "reason = excluded.reason, last_seen = excluded.last_seen, attempts = errors.attempts + 1, "
            "resolved_at = NULL",
            [
                failure_id(failure),
                failure.source,
                failure.line,
                failure.stage,
                failure.code,
                failure.level,
                failure.reason,
                failure.article_id,
                now,
                now,
            ],
        )

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        out = {}
        for table in ("articles", "sources", *ANNOTATION_TABLES, "errors"):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    def article_ids(self, prefix: str) -> list[str]:
        """Ids of stored articles that start with `prefix` (a full id or its first characters)."""
        rows = self.con.execute(
            "SELECT id FROM articles WHERE starts_with(id, ?) ORDER BY id LIMIT 10", [prefix]
        ).fetchall()
        return [r[0] for r in rows]

    def list_articles(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        search: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[dict[str, Any]]:
        """Stored articles, newest publication first, filtered by text search and date range."""
        where: list[str] = ["TRUE"]
        params: list[Any] = []
        if search:
            where.append(f"(title {ILIKE} OR text {ILIKE})")
            params += [contains(search), contains(search)]
        if since:
            where.append("pub_date >= ?")
            params.append(since)
        if until:
            where.append("pub_date <= ?")
            params.append(until)
        sql = (
            "SELECT a.id, a.pub_date, a.title, a.n_sentences, a.n_entities, "
            "(SELECT count(*) FROM sources s WHERE s.article_id = a.id) AS n_sources, "
            "left(a.text, 120) AS preview FROM articles a "
            f"WHERE {' AND '.join(where)} ORDER BY a.pub_date DESC NULLS LAST, a.ingested_at DESC, a.id "
            "LIMIT ? OFFSET ?"
        )
        return self._dicts(sql, [*params, limit, offset])

    def get_article(self, article_id: str) -> Article | None:
        """A stored article with its sentences, entities, first source and warnings, or None."""
        row = self.con.execute(
            "SELECT id, title, pub_date, date_source, text, body_start, metadata, pipeline FROM articles "
            "WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            return None
        sources = self.sources(article_id)
        first = sources[0] if sources else Source("<unknown>", "unknown")
        article = Article(
            id=row[0],
            title=row[1],
            date=row[2],
            date_source=row[3],
            text=row[4],
            body_start=row[5],
            source=first,
            metadata=json.loads(row[6]),
            pipeline=row[7],
        )
        article.sentences = [
            Sentence(i, p, Span(s, e, t))
            for i, p, s, e, t in self.con.execute(
                "SELECT idx, paragraph, start_char, end_char, text FROM sentences WHERE article_id = ? "
                "ORDER BY idx",
                [article_id],
            ).fetchall()
        ]
        article.entities = [
            Entity(i, si, lab, Span(s, e, t))
            for i, si, lab, s, e, t in self.con.execute(
                "SELECT idx, sentence_idx, label, start_char, end_char, text FROM entities WHERE article_id = ? "
                "ORDER BY idx",
                [article_id],
            ).fetchall()
        ]
        article.actors = [
            ActorMention(i, si, Span(s, e, t), code, name, country, list(sectors), wikidata, head, via, coded)
            for i, si, s, e, t, code, name, country, sectors, wikidata, head, via, coded in self.con.execute(
                "SELECT idx, sentence_idx, start_char, end_char, text, code, name, country, sectors, wikidata, head, "
                "via, coded FROM actors WHERE article_id = ? ORDER BY idx",
                [article_id],
            ).fetchall()
        ]
        article.events = [
            _event(r) for r in self._dicts(EVENT_SELECT + " WHERE article_id = ? ORDER BY idx", [article_id])
        ]
        article.quotes = [
            _quote(r) for r in self._dicts(QUOTE_SELECT + " WHERE article_id = ? ORDER BY idx", [article_id])
        ]
        article.places = [
            Place(
                r["idx"],
                r["sentence_idx"],
                Span(r["start_char"], r["end_char"], r["text"]),
                r["role"],
                r["name"],
                r["geonameid"],
                r["country"],
                r["lat"],
                r["lon"],
                r["feature"],
            )
            for r in self._dicts("SELECT * FROM places WHERE article_id = ? ORDER BY idx", [article_id])
        ]
        article.dates = [
            DateMention(i, si, Span(s, e, t), v)
            for i, si, s, e, t, v in self.con.execute(
                "SELECT idx, sentence_idx, start_char, end_char, text, value FROM dates WHERE article_id = ? "
                "ORDER BY idx",
                [article_id],
            ).fetchall()
        ]
        article.warnings = [f.reason for f in self.failures(level="warning", article_id=article_id)]
        return article

    def list_quotes(self, filters: QuoteFilter) -> list[dict[str, Any]]:
        """Stored quotes matching the filters, newest article first, with the article's title and date."""
        where, params = filters.sql()
        return self._dicts(
            "SELECT q.*, a.title, a.pub_date FROM quotes q JOIN articles a ON a.id = q.article_id "
            f"WHERE {where} ORDER BY a.pub_date DESC NULLS LAST, q.article_id, q.idx LIMIT ?",
            [*params, filters.limit],
        )

    def list_events(self, filters: EventFilter) -> list[dict[str, Any]]:
        """Stored event mentions matching the filters, newest article first, with the sentence they came from."""
        where, params = filters.sql()
        return self._dicts(
            "SELECT e.*, a.title, a.pub_date, s.text AS sentence FROM event_mentions e "
            "JOIN articles a ON a.id = e.article_id "
            "JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence_idx "
            f"WHERE {where} ORDER BY a.pub_date DESC NULLS LAST, e.article_id, e.idx LIMIT ?",
            [*params, filters.limit],
        )

    def list_grouped_events(self, filters: EventFilter) -> list[dict[str, Any]]:
        """Stored events (mentions grouped), newest first then most reported, matching the filters; `article`
        selects the events an article reports. Events are asserted mentions, so a mode other than that is an
        error."""
        if filters.mode not in (None, "asserted"):
            raise UsageError("events are grouped from asserted mentions; list other modes as mentions")
        where, params = dataclasses.replace(filters, mode=None, article=None).sql()
        if filters.article:
            where += " AND EXISTS (SELECT 1 FROM event_links l WHERE l.event_id = e.id AND starts_with(l.article_id, ?))"
            params.append(filters.article)
        return self._dicts(
            f"SELECT e.* FROM events e WHERE {where} "
            "ORDER BY e.event_date DESC NULLS LAST, e.num_mentions DESC, e.id LIMIT ?",
            [*params, filters.limit],
        )

    def sources(self, article_id: str) -> list[Source]:
        """Every source an article was read from, first seen first."""
        rows = self.con.execute(
            "SELECT uri, format, line, external_id, url FROM sources WHERE article_id = ? "
            "ORDER BY first_seen, uri, line",
            [article_id],
        ).fetchall()
        return [Source(uri, fmt, line or None, ext, url) for uri, fmt, line, ext, url in rows]

    def failures(
        self,
        *,
        level: str | None = "error",
        article_id: str | None = None,
        limit: int | None = None,
        resolved: bool = False,
    ) -> list[Failure]:
        """Stored problems, most recent first: open errors by default; warnings, both (`level=None`) or resolved ones
        on request."""
        where: list[str] = ["TRUE" if resolved else "resolved_at IS NULL"]
        params: list[Any] = []
        if level:
            where.append("level = ?")
            params.append(level)
        if article_id:
            where.append("article_id = ?")
            params.append(article_id)
        sql = (
            f"SELECT source, line, stage, code, reason, level, article_id FROM errors WHERE {' AND '.join(where)} "
            "ORDER BY last_seen DESC, source, line"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [Failure(*row) for row in self.con.execute(sql, params).fetchall()]

    def _dicts(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        """Query results as dicts keyed by column name."""
        cursor = self.con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# The primary key of each table `_insert` writes plainly (every other one: article_id and idx).
_KEYS: dict[str, tuple[str, ...]] = {"articles": ("id",)}


def _split_new(
    table: str, rows: list[dict[str, Any]], known: set[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows that cannot conflict (of an article not stored, the first of their key in the batch), and the others
    in their order."""
    key_columns = _KEYS.get(table, ("article_id", "idx"))
    owner = key_columns[0]
    seen: set[tuple[Any, ...]] = set()
    plain, checked = [], []
    for row in rows:
        key = tuple(row[c] for c in key_columns)
        if row[owner] in known or key in seen:
            checked.append(row)
        else:
            seen.add(key)
            plain.append(row)
    return plain, checked


def _now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


# The tables filled from an article's annotations, which a recode replaces.
ANNOTATION_TABLES = ("sentences", "entities", "actors", "event_mentions", "quotes", "places", "dates")


def _annotation_rows(articles: Sequence[Article]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every annotation table for these articles."""
    return {
        "sentences": [_sentence_row(a.id, s) for a in articles for s in a.sentences],
        "entities": [_entity_row(a.id, e) for a in articles for e in a.entities],
        "actors": [_actor_row(a.id, m) for a in articles for m in a.actors],
        "event_mentions": [_event_row(a.id, e) for a in articles for e in a.events],
        "quotes": [_quote_row(a.id, q) for a in articles for q in a.quotes],
        "places": [_place_row(a.id, p) for a in articles for p in a.places],
        "dates": [_date_row(a.id, d) for a in articles for d in a.dates],
    }


def _article_row(article: Article, now: dt.datetime) -> dict[str, Any]:
    """An article as a row of `articles`."""
    return {
        "id": article.id,
        "title": article.title,
        "pub_date": article.date,
        "date_source": article.date_source,
        "text": article.text,
        "body_start": article.body_start,
        "n_sentences": len(article.sentences),
        "n_entities": len(article.entities),
        "metadata": json.dumps(article.metadata, ensure_ascii=False),
        "pipeline": article.pipeline,
        "ingested_at": now,
    }


def failure_id(failure: Failure) -> str:
    """The key of a problem's row: the same problem seen again is the same row."""
    # Warnings share one code, so their text tells them apart; an error's text may change between runs.
    parts = [failure.source, str(failure.line), failure.stage, failure.code]
    if failure.level == "warning":
        parts.append(failure.reason)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _error_row(failure: Failure, now: dt.datetime) -> dict[str, Any]:
    """A problem seen for the first time as a row of `errors` (what `_record_failure` inserts)."""
    return {
        "id": failure_id(failure),
        "source": failure.source,
        "line": failure.line,
        "stage": failure.stage,
        "code": failure.code,
        "level": failure.level,
        "reason": failure.reason,
        "article_id": failure.article_id,
        "first_seen": now,
        "last_seen": now,
        "attempts": 1,
        "resolved_at": None,
    }


def _source_row(article_id: str, source: Source, now: dt.datetime) -> dict[str, Any]:
    """A source as a row of `sources` (line 0 for whole-file sources, as key columns cannot be NULL)."""
    return {
        "article_id": article_id,
        "uri": source.uri,
        "line": source.line or 0,
        "format": source.format,
        "external_id": source.external_id,
        "url": source.url,
        "first_seen": now,
    }


def _sentence_row(article_id: str, sentence: Sentence) -> dict[str, Any]:
    """A sentence as a row of `sentences`."""
    return {
        "article_id": article_id,
        "idx": sentence.index,
        "paragraph": sentence.paragraph,
        "start_char": sentence.span.start,
        "end_char": sentence.span.end,
        "text": sentence.span.text,
    }


def _entity_row(article_id: str, entity: Entity) -> dict[str, Any]:
    """An entity as a row of `entities`."""
    return {
        "article_id": article_id,
        "idx": entity.index,
        "sentence_idx": entity.sentence,
        "label": entity.label,
        "start_char": entity.span.start,
        "end_char": entity.span.end,
        "text": entity.span.text,
    }


def _actor_row(article_id: str, actor: ActorMention) -> dict[str, Any]:
    """An actor mention as a row of `actors`."""
    return {
        "article_id": article_id,
        "idx": actor.index,
        "sentence_idx": actor.sentence,
        "start_char": actor.span.start,
        "end_char": actor.span.end,
        "text": actor.span.text,
        "code": actor.code,
        "name": actor.name,
        "country": actor.country,
        "sectors": actor.sectors,
        "wikidata": actor.wikidata,
        "head": actor.head,
        "via": actor.via,
        "coded": actor.coded,
    }


EVENT_SELECT = (
    "SELECT idx, sentence_idx, trigger_start, trigger_end, trigger_text, code, source, target, source_spans, "
    "target_spans, negated, hypothetical, future, historical, attributed_to, event_date, location, confidence, "
    "decided_by, rule, date_text, place_idx, quote_idx FROM event_mentions"
)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What `eventwire events` asks for: an actor code or prefix, a country, a CAMEO code prefix, dates, a mode."""

    actor: str | None = None
    country: str | None = None
    code: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    mode: str | None = None
    article: str | None = None
    limit: int = 100

    def sql(self) -> tuple[str, list[Any]]:
        """The WHERE clause and its parameters (always parameterised)."""
        clauses: list[str] = ["TRUE"]
        params: list[Any] = []
        if self.actor:
            clauses.append(_ANY_ACTOR)
            params.append(self.actor.upper())
        if self.country:
            clauses.append(_ANY_ACTOR)
            params.append(self.country.upper()[:3])
        if self.code:
            clauses.append("starts_with(e.code, ?)")
            params.append(self.code)
        if self.since:
            clauses.append("e.event_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.event_date <= ?")
            params.append(self.until)
        if self.mode:
            if self.mode not in _MODE_SQL:
                raise UsageError(f"unknown mode {self.mode!r}; one of {', '.join(_MODE_SQL)}")
            clauses.append(_MODE_SQL[self.mode])
        if self.article:
            clauses.append("starts_with(e.article_id, ?)")
            params.append(self.article)
        return " AND ".join(clauses), params


# An event whose source or target has a code starting with the parameter (a subquery: no lambda syntax, which
# changed between DuckDB versions).
_ANY_ACTOR = "EXISTS (SELECT 1 FROM (SELECT unnest(list_concat(e.source, e.target)) AS actor) WHERE starts_with(actor, ?))"
# Modes as SQL conditions; "asserted" is an event the text says happened, unqualified.
_MODE_SQL = {
    "asserted": "NOT (e.negated OR e.hypothetical OR e.future OR e.historical)",
    "negated": "e.negated",
    "hypothetical": "e.hypothetical",
    "future": "e.future",
    "historical": "e.historical",
}
MODES = tuple(_MODE_SQL)


# A case-insensitive match of `contains(text)`: the backslash escapes the wildcards a user's text may hold.
ILIKE = "ILIKE ? ESCAPE '\\'"


def contains(text: str) -> str:
    """The pattern of `ILIKE` that matches values containing the text as written: its `%`, `_` and `\\` are
    escaped, so that a search for `%` finds a percent sign, not every row."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


QUOTE_SELECT = (
    "SELECT idx, kind, start_char, end_char, text, speaker_start, speaker_end, speaker_text, speaker_code, "
    "cue_start, cue_end, cue_text FROM quotes"
)


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """What `eventwire quotes` asks for: a speaker (actor code prefix, or words of the speaker's mention), a kind,
    words of the quote, publication dates, an article."""

    speaker: str | None = None
    kind: str | None = None
    search: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    article: str | None = None
    limit: int = 100

    def sql(self) -> tuple[str, list[Any]]:
        """The WHERE clause and its parameters (always parameterised)."""
        clauses: list[str] = ["TRUE"]
        params: list[Any] = []
        if self.speaker:
            clauses.append(f"(starts_with(q.speaker_code, ?) OR q.speaker_text {ILIKE})")
            params += [self.speaker.upper(), contains(self.speaker)]
        if self.kind:
            if self.kind not in ("direct", "indirect"):
                raise UsageError(f"unknown quote kind {self.kind!r}; one of direct, indirect")
            clauses.append("q.kind = ?")
            params.append(self.kind)
        if self.search:
            clauses.append(f"q.text {ILIKE}")
            params.append(contains(self.search))
        if self.since:
            clauses.append("a.pub_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("a.pub_date <= ?")
            params.append(self.until)
        if self.article:
            clauses.append("starts_with(q.article_id, ?)")
            params.append(self.article)
        return " AND ".join(clauses), params


def _quote(row: dict[str, Any]) -> Quote:
    """A quote from a row of `quotes`."""
    return Quote(
        row["idx"],
        Span(row["start_char"], row["end_char"], row["text"]),
        row["kind"],
        _maybe_span(row, "speaker"),
        row["speaker_code"],
        _maybe_span(row, "cue"),
    )


def _maybe_span(row: dict[str, Any], prefix: str) -> Span | None:
    """A span stored as three prefixed columns, or None when missing."""
    if row[f"{prefix}_start"] is None:
        return None
    return Span(row[f"{prefix}_start"], row[f"{prefix}_end"], row[f"{prefix}_text"])


def _event_row(article_id: str, event: EventMention) -> dict[str, Any]:
    """An event mention as a row of `event_mentions`, with its PLOVER and Goldstein values from the codebook."""
    entry = ontology.cameo_codes().get(event.code)
    return {
        "article_id": article_id,
        "idx": event.index,
        "sentence_idx": event.sentence,
        "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "trigger_text": event.trigger.text,
        "code": event.code,
        "root": ontology.root(event.code),
        "plover_type": entry.plover_type if entry else None,
        "plover_mode": entry.plover_mode if entry else None,
        "plover_context": ";".join(entry.plover_context) if entry and entry.plover_context else None,
        "goldstein": entry.goldstein if entry else None,
        "quad_class": entry.quad_class if entry else None,
        "source": event.source,
        "target": event.target,
        "source_spans": [_span_row(s) for s in event.source_spans],
        "target_spans": [_span_row(s) for s in event.target_spans],
        "negated": event.negated,
        "hypothetical": event.hypothetical,
        "future": event.future,
        "historical": event.historical,
        "attributed_to": event.attributed_to,
        "event_date": event.date,
        "location": event.location,
        "confidence": event.confidence,
        "decided_by": event.decided_by,
        "rule": event.rule,
        "date_text": event.date_text,
        "place_idx": event.place,
        "quote_idx": event.quote,
    }


def _quote_row(article_id: str, quote: Quote) -> dict[str, Any]:
    """A quote as a row of `quotes`; a missing speaker or cue leaves its columns NULL."""
    return {
        "article_id": article_id,
        "idx": quote.index,
        "kind": quote.kind,
        "start_char": quote.span.start,
        "end_char": quote.span.end,
        "text": quote.span.text,
        **_optional_span("speaker", quote.speaker),
        "speaker_code": quote.speaker_code,
        **_optional_span("cue", quote.cue),
    }


def _optional_span(prefix: str, span: Span | None) -> dict[str, Any]:
    """A span that may be missing as three prefixed columns."""
    return {
        f"{prefix}_start": span.start if span else None,
        f"{prefix}_end": span.end if span else None,
        f"{prefix}_text": span.text if span else None,
    }


def _place_row(article_id: str, place: Place) -> dict[str, Any]:
    """A toponym as a row of `places`."""
    return {
        "article_id": article_id,
        "idx": place.index,
        "sentence_idx": place.sentence,
        "start_char": place.span.start,
        "end_char": place.span.end,
        "text": place.span.text,
        "role": place.role,
        "name": place.name,
        "geonameid": place.geonameid,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
        "feature": place.feature,
    }


def _date_row(article_id: str, date: DateMention) -> dict[str, Any]:
    """A date expression as a row of `dates`."""
    return {
        "article_id": article_id,
        "idx": date.index,
        "sentence_idx": date.sentence,
        "start_char": date.span.start,
        "end_char": date.span.end,
        "text": date.span.text,
        "value": date.value,
    }


def _span_row(span: Span) -> dict[str, Any]:
    """A span as a struct row."""
    return {"start_char": span.start, "end_char": span.end, "text": span.text}


def _span(row: dict[str, Any]) -> Span:
    """A span from a struct row."""
    return Span(row["start_char"], row["end_char"], row["text"])


def _event(row: dict[str, Any]) -> EventMention:
    """An event mention from a row of `event_mentions`."""
    return EventMention(
        row["idx"],
        row["sentence_idx"],
        Span(row["trigger_start"], row["trigger_end"], row["trigger_text"]),
        row["code"],
        list(row["source"]),
        list(row["target"]),
        negated=row["negated"],
        hypothetical=row["hypothetical"],
        future=row["future"],
        historical=row["historical"],
        attributed_to=row["attributed_to"],
        date=row["event_date"],
        location=row["location"],
        confidence=row["confidence"],
        source_spans=[_span(s) for s in row["source_spans"]],
        target_spans=[_span(s) for s in row["target_spans"]],
        decided_by=row["decided_by"],
        rule=row["rule"],
        date_text=row["date_text"],
        place=row["place_idx"],
        quote=row["quote_idx"],
    )
