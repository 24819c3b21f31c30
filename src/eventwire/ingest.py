"""Ingest: read, prepare, parse what is new, and store, one transaction per batch.

An article already in the store is not parsed again: its new source is recorded and nothing else changes, so
re-running an ingest is cheap and never duplicates. A batch is written by a thread while the next one is parsed
(the database works outside Python's lock), so a process killed mid-run loses at most its last two batches, which
the next run redoes.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice

from .errors import WARNING_CODE, EventwireError
from .model import Article, Document, Failure, Source
from .pipeline import Pipeline, Result, freeze_loaded
from .readers import ReadOptions, read
from .store import Batch, Store

LOGGER = logging.getLogger(__name__)

DEFAULT_BATCH = 64


@dataclass(slots=True)
class IngestSummary:
    """What an ingest did: counts of documents by outcome, of what was extracted, and the failures."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    warnings: int = 0
    sentences: int = 0
    entities: int = 0
    actors: int = 0
    coded: int = 0
    events: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every document was stored."""
        return self.failed == 0


def ingest(
    paths: Iterable[str],
    store: Store,
    pipeline: Pipeline | None = None,
    options: ReadOptions | None = None,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[IngestSummary], None] | None = None,
    workers: int = 1,
) -> IngestSummary:
    """Read every document under `paths` into the store; failures become error rows and the rest goes on.

    With `workers` > 1 the parsing runs in that many processes (see `eventwire.pool`), storing the same rows.
    """
    pipeline = pipeline or Pipeline()
    if workers > 1:
        from .pool import ingest_pooled  # the pool module builds on this one

        return ingest_pooled(
            paths, store, pipeline, options, workers=workers, batch_size=batch_size, progress=progress
        )
    summary = IngestSummary()
    started = time.perf_counter()
    items = iter(read(paths, options))
    with BatchWriter(store) as writer:
        while chunk := list(islice(items, batch_size)):
            writer.put(_process(chunk, writer, pipeline, summary))
            freeze_loaded()  # the first batch has loaded every stage's data
            summary.seconds = time.perf_counter() - started
            if progress:
                progress(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _process(
    chunk: Sequence[Document | EventwireError],
    writer: BatchWriter,
    pipeline: Pipeline,
    summary: IngestSummary,
) -> Batch:
    """One batch of read items prepared, deduplicated against the store, parsed where new."""
    batch = Batch([], [], [])
    prepared = prepare_batch(chunk, pipeline, batch, summary)
    fresh, copies = sort_new(prepared, writer.known_ids([a.id for a in prepared]), batch, summary)
    finish_batch(batch, summary, fresh, outcomes(pipeline.annotate(fresh)), copies)
    return batch


class BatchWriter:
    """Writes batches to the store in a thread, one at a time and in order, while the caller parses the next.

    The queue holds one batch: parsing never runs more than a batch ahead of the database. Articles handed over
    but not yet committed count as stored for `known_ids`, so that a later copy of one is a duplicate, as it would
    be had its batch been written at once. An error of the writer stops the ingest at the next hand-over.
    """

    def __init__(self, store: Store) -> None:
        """Start the writing thread."""
        self.store = store
        self.reader = store.con.cursor()
        # The writer runs beside the parsing: DuckDB's own worker threads would take the cores the parser is on,
        # for statements that are small (one batch) anyway.
        store.con.execute("SET threads TO 1")
        self.queue: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self.lock = threading.Lock()
        self.pending: dict[str, int] = {}
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="eventwire-writer", daemon=True)
        self.thread.start()

    def __enter__(self) -> BatchWriter:
        """The writer."""
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """Write what was handed over and stop the thread; the writer's error, if any, is raised."""
        self.queue.put(None)
        self.thread.join()
        self.reader.close()
        self.store.con.execute("RESET threads")
        if self.error is not None and kind is None:
            raise self.error

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these article ids are stored or handed over for writing."""
        with self.lock:
            pending = {i for i in ids if i in self.pending}
        return pending | self.store.known_ids(ids, self.reader)

    def put(self, batch: Batch) -> None:
        """Hand a batch over for writing (waiting while the previous one is still queued)."""
        self._raise()
        with self.lock:
            for article in batch.articles:
                self.pending[article.id] = self.pending.get(article.id, 0) + 1
        self.queue.put(batch)
        self._raise()

    def _raise(self) -> None:
        """The writer's error, raised in the caller's thread."""
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        """Write batches until told to stop; after an error, take the rest without writing them."""
        while (batch := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.store.write(batch)
                    LOGGER.debug(
                        "committed batch: %d new articles, %d sources, %d problems",
                        len(batch.articles),
                        len(batch.sources),
                        len(batch.failures),
                    )
                except BaseException as exc:  # handed to the caller's thread, which stops the ingest
                    self.error = exc
            with self.lock:
                for article in batch.articles:
                    left = self.pending[article.id] - 1
                    if left:
                        self.pending[article.id] = left
                    else:
                        del self.pending[article.id]


def sort_new(
    prepared: Sequence[Article], known: set[str], batch: Batch, summary: IngestSummary
) -> tuple[list[Article], list[Article]]:
    """Prepared articles split into those to parse and later copies of them; stored ones recorded as sources."""
    fresh: dict[str, Article] = {}
    copies: list[Article] = []
    for article in prepared:
        if article.id in known:
            _duplicate(batch, summary, article)
        elif article.id in fresh:
            copies.append(article)
        else:
            fresh[article.id] = article
    return list(fresh.values()), copies


def outcomes(results: Sequence[Result]) -> list[Article | Failure]:
    """Annotated articles, and the error rows of those that failed (rows cross process boundaries whole)."""
    return [r.failure() if isinstance(r, EventwireError) else r for r in results]


def finish_batch(
    batch: Batch,
    summary: IngestSummary,
    fresh: Sequence[Article],
    done: Sequence[Article | Failure],
    copies: Sequence[Article],
) -> None:
    """Record the parsed articles (or their failures) and the copies of them in the batch and the summary."""
    failed: dict[str, Failure] = {}
    for article, result in zip(fresh, done, strict=True):
        if isinstance(result, Failure):
            failed[article.id] = result
            _fail(batch, summary, result)
            continue
        _count(summary, result)
        batch.articles.append(result)
        batch.sources.append((result.id, result.source))
        batch.failures.extend(warning_rows(result))
    for copy in copies:
        if copy.id in failed:
            # The same text read from another source fails the same way, and is reported where it was read.
            first = failed[copy.id]
            reason = f"{first.reason} (same text as {first.source}, which failed first)"
            _fail(
                batch, summary, replace(first, source=copy.source.uri, line=copy.source.line, reason=reason)
            )
        else:
            _duplicate(batch, summary, copy)
    summary.warnings += sum(1 for f in batch.failures if f.level == "warning")


def prepare_batch(
    chunk: Sequence[Document | EventwireError], pipeline: Pipeline, batch: Batch, summary: IngestSummary
) -> list[Article]:
    """The batch's documents cleaned and identified; read and cleaning errors recorded as failures."""
    prepared: list[Article] = []
    for item in chunk:
        summary.read += 1
        try:
            if isinstance(item, EventwireError):
                raise item
            prepared.append(pipeline.prepare(item))
        except EventwireError as exc:
            _fail(batch, summary, exc.failure())
    return prepared


def _duplicate(batch: Batch, summary: IngestSummary, article: Article) -> None:
    """Record another source of an article that is stored (or being stored in this batch)."""
    summary.duplicate += 1
    batch.sources.append((article.id, article.source))
    batch.failures.extend(warning_rows(article))


def _fail(batch: Batch, summary: IngestSummary, failure: Failure) -> None:
    """Record a failed document in the batch and the summary."""
    summary.failed += 1
    summary.failures.append(failure)
    batch.failures.append(failure)


def warning_rows(article: Article) -> list[Failure]:
    """An article's warnings as warning rows, located at the source they came from."""
    source: Source = article.source
    return [
        Failure(source.uri, source.line, "read", WARNING_CODE, reason, "warning", article.id)
        for reason in article.warnings
    ]


def recode(
    store: Store,
    pipeline: Pipeline | None = None,
    *,
    prefix: str = "",
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[IngestSummary], None] | None = None,
    workers: int = 1,
) -> IngestSummary:
    """Run the pipeline again over stored articles (after an upgrade, or with other dictionaries or lexicons)
    and replace what was extracted from them, one transaction per batch; the texts stay as they are.

    With `workers` > 1 the parsing runs in that many processes (see `eventwire.pool`)."""
    pipeline = pipeline or Pipeline()
    if workers > 1:
        from .pool import recode_pooled  # the pool module builds on this one

        return recode_pooled(
            store, pipeline, prefix=prefix, workers=workers, batch_size=batch_size, progress=progress
        )
    summary = IngestSummary()
    started = time.perf_counter()
    for articles in store.stored_articles(prefix, batch_size):
        store_recoded(store, summary, articles, outcomes(pipeline.annotate(articles)))
        freeze_loaded()
        summary.seconds = time.perf_counter() - started
        if progress:
            progress(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def store_recoded(
    store: Store, summary: IngestSummary, articles: Sequence[Article], done: Sequence[Article | Failure]
) -> None:
    """Replace the annotations of a batch of recoded articles; those that failed keep theirs and are reported."""
    recoded: list[Article] = []
    failed: list[Failure] = []
    for article, result in zip(articles, done, strict=True):
        summary.read += 1
        if isinstance(result, Failure):
            failed.append(_fail_recode(summary, article, result))
            continue
        _count(summary, result)
        recoded.append(result)
    store.replace_annotations(recoded)
    if failed:
        store.write(Batch([], [], failed))  # listed by `eventwire errors` like any other failure


def _fail_recode(summary: IngestSummary, article: Article, failure: Failure) -> Failure:
    """A stored article the pipeline now fails on: reported, and its earlier annotations kept."""
    summary.failed += 1
    failure = replace(failure, reason=f"article {article.id}: {failure.reason}")
    summary.failures.append(failure)
    return failure


def _count(summary: IngestSummary, article: Article) -> None:
    """Add an annotated article and what was extracted from it to the summary."""
    summary.new += 1
    summary.sentences += len(article.sentences)
    summary.entities += len(article.entities)
    summary.actors += len(article.actors)
    summary.coded += sum(1 for a in article.actors if a.code)
    summary.events += len(article.events)
