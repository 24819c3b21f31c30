"""What the Spark runner's Python workers do, in plain Python and Arrow: read, prepare, annotate, group.

Nothing here imports Spark: each function takes and returns Arrow record batches or plain values, so that the
runner (`eventwire.spark`) only wires them into `mapInArrow` and `applyInArrow`, and the tests can call them alone.
Rows are built by the store's own row builders and typed by the Arrow schemas of the store's DuckDB tables, so the
Parquet a job writes and the DuckDB file an ingest writes cannot drift apart. The columns that say when a row was
written (the timestamps `ingested_at`, `first_seen`, `last_seen`, `resolved_at`, `updated_at`) are left to the runner, which sets
them to one time for the whole job.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import io
import json
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa

from . import copies, grouping, readers
from .clustering import MatchRule, cluster, index_keys
from .errors import EventwireError, NlpError, ReadError, Unreadable
from .ingest import warning_rows
from .model import Article, Document, Failure
from .pipeline import Pipeline
from .store import (
    Store,
    _annotation_rows,
    _article_row,
    _error_row,
    _source_row,
)

# The tables a job writes, in the store's names; the first ten come from extraction, the others from grouping.
EXTRACTED = (
    "articles",
    "sources",
    "sentences",
    "entities",
    "actors",
    "event_mentions",
    "quotes",
    "places",
    "dates",
    "errors",
)
GROUPED = ("article_copies", "article_bands", "events", "event_links", "settings")
TABLES = EXTRACTED + GROUPED
ANNOTATIONS = ("sentences", "entities", "actors", "event_mentions", "quotes", "places", "dates")
# The key that orders a job's documents as an ingest reads them: file (or dataset), then position in it.
ORDER = ("uri", "seq")


@functools.cache
def table_schemas() -> dict[str, pa.Schema]:
    """The Arrow schemas of the store's tables, read from a fresh, migrated in-memory store.

    Spark has no unsigned integers: `article_copies.minhash` (UBIGINT[], values below 2**32) is BIGINT[] here,
    and loading casts it back. Times are UTC.
    """
    with Store(":memory:") as store:
        return {name: _portable(_empty(store, name).schema) for name in TABLES}


def _empty(store: Store, table: str) -> pa.Table:
    """A table's columns as an empty Arrow table."""
    relation = store.con.sql(f"SELECT * FROM {table} LIMIT 0")
    to_table = getattr(relation, "to_arrow_table", None) or relation.arrow  # `arrow` before DuckDB 1.4
    result: pa.Table = to_table()
    return result


def _portable(schema: pa.Schema) -> pa.Schema:
    """A schema with the types Spark reads and writes: signed integers, UTC times, plain strings."""
    return pa.schema([pa.field(f.name, _portable_type(f.type)) for f in schema])


def _portable_type(kind: pa.DataType) -> pa.DataType:
    """One column type as Spark can hold it."""
    if pa.types.is_uint64(kind):
        return pa.int64()
    if pa.types.is_timestamp(kind):
        return pa.timestamp("us", tz="UTC")
    if pa.types.is_large_string(kind) or pa.types.is_string(kind):
        return pa.string()
    if pa.types.is_list(kind):
        return pa.list_(_portable_type(kind.value_type))
    if pa.types.is_struct(kind):
        return pa.struct([pa.field(f.name, _portable_type(f.type)) for f in kind])
    return kind


def time_columns(table: str) -> frozenset[str]:
    """The columns of a table that record when a row was written (its timestamps): one time for a whole job,
    set by the runner."""
    return frozenset(f.name for f in table_schemas()[table] if pa.types.is_timestamp(f.type))


def worker_schema(table: str) -> pa.Schema:
    """A table's schema without its time columns: what a worker writes."""
    return pa.schema([f for f in table_schemas()[table] if f.name not in time_columns(table)])


# What the reading step yields per document: where it was read (and in which order), and the prepared article
# (pickled, to be parsed later) or the error row of a document that could not be read or prepared.
ITEM_SCHEMA = pa.schema(
    [
        ("uri", pa.string()),
        ("seq", pa.int64()),
        ("id", pa.string()),
        ("article", pa.binary()),
    ]
)


def item_schema() -> pa.Schema:
    """ITEM_SCHEMA with the error row of a document that failed before parsing."""
    return ITEM_SCHEMA.append(pa.field("error", pa.struct(list(worker_schema("errors")))))


def annotated_schema() -> pa.Schema:
    """What the parsing step yields per new article: every row extracted from it, or its error."""
    struct = functools.partial(_struct_of)
    return pa.schema(
        [
            ("id", pa.string()),
            ("ok", pa.bool_()),
            ("article", struct("articles")),
            ("source", struct("sources")),
            *[(name, pa.list_(struct(name))) for name in ANNOTATIONS],
            ("errors", pa.list_(struct("errors"))),
            ("outlet", pa.string()),
            ("minhash", pa.list_(pa.int64())),
            ("bands", pa.list_(pa.int64())),
        ]
    )


def copy_schema() -> pa.Schema:
    """What the step for later copies of an article yields: its source, or its error rows and warnings."""
    return pa.schema([("source", _struct_of("sources")), ("errors", pa.list_(_struct_of("errors")))])


def _struct_of(table: str) -> pa.DataType:
    """A worker row of a table as one struct."""
    return pa.struct(list(worker_schema(table)))


# A worker process's pipelines, by their pickled form: each loads its model once and serves every task after.
_PIPELINES: dict[bytes, Pipeline] = {}


def pipeline_of(frozen: bytes) -> Pipeline:
    """The pipeline a task names (pickled), loaded once per worker process."""
    found = _PIPELINES.get(frozen)
    if found is None:
        found = _PIPELINES[frozen] = pickle.loads(frozen)
    return found


def read_files(
    batches: Iterable[pa.RecordBatch], frozen: bytes, options: readers.ReadOptions
) -> Iterator[pa.RecordBatch]:
    """Whole files (`path`, `content`) in, their documents out, prepared and ordered as an ingest reads them."""
    pipeline = pipeline_of(frozen)
    for batch in batches:
        rows: list[dict[str, Any]] = []
        for path, content in zip(
            batch.column("path").to_pylist(), batch.column("content").to_pylist(), strict=True
        ):
            uri = local_uri(path)
            rows.extend(
                _item(pipeline, uri, seq, doc) for seq, doc in enumerate(_documents(uri, content, options))
            )
        yield pa.RecordBatch.from_pylist(rows, schema=item_schema())


def read_records(
    batches: Iterable[pa.RecordBatch], frozen: bytes, options: readers.ReadOptions
) -> Iterator[pa.RecordBatch]:
    """Records (`uri`, `line` and the JSON Lines fields) in, their documents out, prepared, as JSON Lines reads them."""
    pipeline = pipeline_of(frozen)
    for batch in batches:
        rows = []
        for record in batch.to_pylist():
            uri, line = str(record.pop("uri")), int(record.pop("line"))
            raw = json.dumps(record, default=str, ensure_ascii=False).encode()
            try:
                doc: Document | ReadError = readers._parse_record(raw, line, uri, options)
            except ReadError as exc:
                doc = exc.located(uri, line)
            rows.append(_item(pipeline, uri, line, doc))
        yield pa.RecordBatch.from_pylist(rows, schema=item_schema())


def local_uri(path: str) -> str:
    """A file's name as an ingest of it records it: a local path without its `file:` scheme."""
    if path.startswith("file://"):
        return path.removeprefix("file://")
    return path.removeprefix("file:")


def _documents(uri: str, content: bytes, options: readers.ReadOptions) -> Iterator[Document | ReadError]:
    """The documents in one file's bytes, decompressed when gzip-compressed, as `readers.read_file` yields them."""
    try:
        stream: io.BufferedReader = io.BufferedReader(io.BytesIO(content))
        if content[:2] == b"\x1f\x8b":
            stream = io.BufferedReader(gzip.GzipFile(fileobj=io.BytesIO(content), mode="rb"))
        yield from readers.read_stream(stream, uri, options, readers.format_from_name(Path(uri)))
    except OSError as exc:
        yield Unreadable(f"cannot read: {exc.strerror or exc}", source=uri)


def _item(pipeline: Pipeline, uri: str, seq: int, doc: Document | ReadError) -> dict[str, Any]:
    """One read document as an item: prepared and pickled, or its error row."""
    try:
        if isinstance(doc, EventwireError):
            raise doc
        article = pipeline.prepare(doc)
    except EventwireError as exc:
        return {"uri": uri, "seq": seq, "id": None, "article": None, "error": _error_row(exc.failure(), _NOW)}
    return {"uri": uri, "seq": seq, "id": article.id, "article": pickle.dumps(article), "error": None}


# Row builders stamp rows with a time; the runner replaces every time column with the job's.
_NOW = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def annotate(batches: Iterable[pa.RecordBatch], frozen: bytes) -> Iterator[pa.RecordBatch]:
    """New articles (pickled items) in, every row extracted from each out; a document that fails is its error."""
    pipeline = pipeline_of(frozen)
    schema = annotated_schema()
    for batch in batches:
        articles = [pickle.loads(b) for b in batch.column("article").to_pylist()]
        done = pipeline.annotate(articles) if articles else []
        rows = [_annotated(a, r) for a, r in zip(articles, done, strict=True)]
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _annotated(article: Article, result: Article | EventwireError) -> dict[str, Any]:
    """One article's rows, or the error row of the document it came from."""
    if isinstance(result, EventwireError):
        return _failed(article.id, result.failure())
    try:
        return _rows(result)
    except Exception as exc:  # a value no row can hold fails this document, not the job
        error = NlpError(
            f"its rows could not be built: {type(exc).__name__}: {exc}", source=article.source.uri
        )
        return _failed(article.id, replace(error.failure(), line=article.source.line))


def _rows(article: Article) -> dict[str, Any]:
    """Every row of one annotated article, as the store would write them."""
    values = copies.signature(copies.body(article))
    return {
        "id": article.id,
        "ok": True,
        "article": _article_row(article, _NOW),
        "source": _source_row(article.id, article.source, _NOW),
        **_annotation_rows([article]),
        "errors": [_error_row(f, _NOW) for f in warning_rows(article)],
        "outlet": copies.outlet(article.source, article.metadata),
        "minhash": [int(v) for v in values],
        "bands": copies.bands(values),
    }


def _failed(article_id: str, failure: Failure) -> dict[str, Any]:
    """The rows of an article that failed: its error row alone."""
    empty: dict[str, Any] = {name: [] for name in ANNOTATIONS}
    return {"id": article_id, "ok": False, **empty, "errors": [_error_row(failure, _NOW)], "minhash": None}


def later_copies(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Later copies of new articles (items, with `ok` and `first_error` of the first copy's outcome) in; their
    sources and warnings out, or, when the first copy failed, the same error where each copy was read."""
    schema = copy_schema()
    for batch in batches:
        rows: list[dict[str, Any]] = []
        for item in batch.to_pylist():
            copy: Article = pickle.loads(item["article"])
            if item["ok"]:
                rows.append(
                    {
                        "source": _source_row(copy.id, copy.source, _NOW),
                        "errors": [_error_row(f, _NOW) for f in warning_rows(copy)],
                    }
                )
            else:
                rows.append(
                    {"source": None, "errors": [_error_row(_same_failure(item["first_error"], copy), _NOW)]}
                )
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _same_failure(first: dict[str, Any], copy: Article) -> Failure:
    """The error of a copy whose first reading failed, reported where the copy was read (as an ingest does)."""
    reason = f"{first['reason']} (same text as {first['source']}, which failed first)"
    return Failure(copy.source.uri, copy.source.line, first["stage"], first["code"], reason, "error", None)


def resolve_copies(
    pairs: Iterable[tuple[str, str, float]], roots: dict[str, str] | None = None
) -> dict[str, tuple[str, float]]:
    """Which article each article is a near copy of, from the pairs (article, earlier article, similarity) that
    reach the threshold: articles taken in id order, as the store links a batch, each a copy of the copy group of
    its most similar earlier article (ties to the greater group, then the greater id, as `grouping` breaks them)."""
    by_article: dict[str, list[tuple[str, float]]] = {}
    for article, other, score in pairs:
        by_article.setdefault(article, []).append((other, score))
    group = dict(roots or {})
    found: dict[str, tuple[str, float]] = {}
    for article in sorted(by_article):
        score, root, _ = max((s, group.get(o, o), o) for o, s in by_article[article])
        group[article] = root
        found[article] = (root, score)
    return found


def mention_keys(batches: Iterable[pa.RecordBatch], names: Sequence[str]) -> Iterator[pa.RecordBatch]:
    """Mentions (rows of `grouping.MENTION_COLUMNS`) in; out, one row per key under which clustering could look a
    mention up (its root group with an actor's country or its article, dated or not): mentions that share no key,
    even through others, never meet, and are grouped apart."""
    schema = pa.schema([("mention", pa.string()), ("key", pa.string())])
    for batch in batches:
        rows: list[dict[str, str]] = []
        for values in _tuples(batch, names):
            mention = grouping._mention(values)
            dated = "dated" if mention.date is not None else "undated"
            rows.extend(
                {
                    "mention": mention_id(mention.article_id, mention.idx),
                    "key": f"{group}\x1f{key}\x1f{dated}",
                }
                for group, key in index_keys(mention)
            )
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def mention_id(article_id: str, idx: int) -> str:
    """A mention's name in the blocking graph."""
    return f"{article_id}#{idx}"


def _tuples(data: pa.RecordBatch | pa.Table, names: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """Rows as tuples of the named columns, in that order (what `grouping._mention` reads)."""
    columns = [data.column(name).to_pylist() for name in names]
    return zip(*columns, strict=True)


def event_schema() -> pa.Schema:
    """What grouping a block yields: each event's row, with the mentions linked to it."""
    link = pa.struct([("article_id", pa.string()), ("mention_idx", pa.int32())])
    return worker_schema("events").append(pa.field("links", pa.list_(link)))


def group_block(table: pa.Table, names: Sequence[str], rule: MatchRule) -> pa.Table:
    """One block's mentions grouped into events exactly as `grouping` groups a store's (pure clustering)."""
    mentions = [grouping._mention(values) for values in _tuples(table, names)]
    schema = event_schema()
    rows = []
    for event in cluster(mentions, (), rule):
        values = dict(zip(grouping.EVENT_SCHEMA.names, grouping._event_row(event, _NOW), strict=True))
        values["links"] = [{"article_id": m.article_id, "mention_idx": m.idx} for m in event.mentions]
        rows.append(values)
    return pa.Table.from_pylist(rows, schema=schema)


def grouper(names: Sequence[str], rule: MatchRule) -> Callable[[pa.Table], pa.Table]:
    """`group_block` for one set of columns and one rule, as `applyInArrow` calls it (typed: Spark reads the
    hints to tell a whole-group function from a batch-by-batch one)."""
    fixed = tuple(names)

    def group(table: pa.Table) -> pa.Table:
        """One block's events."""
        return group_block(table, fixed, rule)

    return group
