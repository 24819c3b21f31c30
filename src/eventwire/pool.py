"""The process pool: parsing spread over worker processes, one writer, the same rows as one process.

`ingest(..., workers=N)` (`eventwire ingest --workers N`) and `recode(..., workers=N)` run here. The parent reads,
cleans and de-duplicates documents exactly as the in-process ingest does, shares each batch of new articles among
N worker processes, and writes the annotated batches itself, in input order: DuckDB has a single writer, and a run
with N workers stores the same rows as a run with one. Each worker loads the model and the stages' data once.

Failures stay per document. A stage or the model failing on a document is that document's error row, as in
process. A worker that dies (a crash in native code, the out-of-memory killer) is replaced, and the batches that
were unfinished are parsed again one document at a time, alone in the pool, so that a document a worker dies on
becomes an error row and nothing else is lost. Interrupted, a run loses only the batches it had not written; the
next run parses those and stores nothing twice.

Workers are fresh interpreters (`spawn`): forking a parent that holds a DuckDB connection and threads is unsafe,
and a fresh interpreter costs little beside loading the model, which every worker does anyway.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from types import TracebackType
from typing import TYPE_CHECKING, Self

from .errors import NlpError
from .ingest import IngestSummary, finish_batch, outcomes, prepare_batch, sort_new, store_recoded
from .model import Article, Failure, Source
from .pipeline import Pipeline, freeze_loaded
from .readers import ReadOptions, read
from .store import Batch, Store

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier

LOGGER = logging.getLogger(__name__)

Outcome = Article | Failure

START_METHOD = "spawn"
# Batches handed out ahead of the writer, per worker: enough that no worker waits while the parent writes,
# few enough that memory stays flat whatever the corpus size.
AHEAD_PER_WORKER = 2
# Loading a model and the stages' data takes seconds; a worker silent for this long is taken as stuck.
START_TIMEOUT = 600.0
# A short article that goes through every stage, its date expression through dateparser too (which loads its
# data on first use).
_WARM_UP = Article(
    "warm-up",
    'PARIS, May 2 (AFP) - "We will talk," French President Emmanuel Macron said on Monday in Lyon. '
    "The talks ended at midday Tuesday.",
    None,
    dt.date(2024, 5, 2),
    None,
    0,
    Source("warm-up", "text"),
)

# What a worker process holds: its pipeline, and the error that stopped it from loading, if any.
_pipeline: Pipeline | None = None
_start_error: Exception | None = None


def _start_worker(pipeline: Pipeline, ready: Barrier) -> None:
    """A worker's start: load the model and every stage's data once, then wait until all workers have."""
    global _pipeline, _start_error
    # Ctrl-C reaches the whole process group; the parent decides what stops, and stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, name="eventwire-parent-watch", daemon=True).start()
    _pipeline = pipeline
    try:
        pipeline.annotate([_WARM_UP])
        freeze_loaded()
    except Exception as exc:  # a missing model is reported to the parent by the first task, not as a crash
        _start_error = exc
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait(START_TIMEOUT)


def _exit_with_parent() -> None:
    """End this worker as soon as its parent ends: a parent that was killed cannot stop its workers itself."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)


def _ready() -> None:
    """A worker's first task: nothing, or the error that kept it from loading."""
    if _start_error is not None:
        raise _start_error


def _annotate(articles: list[Article]) -> list[Outcome]:
    """A worker's task: a batch of prepared articles annotated, documents that failed as error rows."""
    _ready()
    assert _pipeline is not None, "a worker annotates only after _start_worker"
    return outcomes(_pipeline.annotate(articles))


@dataclass(slots=True)
class _Task:
    """A batch handed to the pool: its parts with the futures of their results, and the results once known."""

    parts: list[tuple[list[Article], Future[list[Outcome]]]]
    done: list[Outcome] | None = None

    def futures(self) -> list[Future[list[Outcome]]]:
        """The futures of the batch's parts."""
        return [future for _, future in self.parts]

    def collect(self) -> list[Outcome]:
        """The batch's results, the first failure of a part raised."""
        return [outcome for _, future in self.parts for outcome in future.result()]


class WorkerPool:
    """Worker processes that annotate batches of prepared articles; results come back in submission order."""

    def __init__(self, pipeline: Pipeline, workers: int, *, method: str = START_METHOD) -> None:
        """A pool of `workers` processes running `pipeline`, started with `method` when the block begins."""
        self.pipeline = pipeline
        self.workers = workers
        self._context = multiprocessing.get_context(method)
        self._tasks: deque[_Task] = deque()
        self._executor: ProcessPoolExecutor | None = None
        self._open = False

    def __enter__(self) -> Self:
        """The pool, its workers started and loaded."""
        self._open = True
        self._executor = self._start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Let the workers finish, or, when the block failed or was interrupted, stop them now."""
        self._open = False
        if self._executor is None:
            return
        if exc_type is None:
            self._executor.shutdown(wait=True)
        else:
            _kill(self._executor)
        self._executor = None

    def __len__(self) -> int:
        """Batches submitted and not yet collected."""
        return len(self._tasks)

    def submit(self, articles: list[Article]) -> None:
        """Hand a batch to the workers, shared among them so that none idles while another ends a run."""
        size = -(-len(articles) // self.workers)
        parts = [articles[i : i + size] for i in range(0, len(articles), size)] if articles else []
        executor = self._running()
        self._tasks.append(_Task([(part, executor.submit(_annotate, part)) for part in parts]))

    def next(self) -> list[Outcome]:
        """The results of the oldest batch not yet collected, in its order, waiting for them if need be."""
        task = self._tasks[0]
        if task.done is None:
            try:
                task.done = task.collect()
            except Exception as exc:  # a dead worker, or a task that failed outside the pipeline's own guard
                LOGGER.warning("a worker failed (%s: %s); parsing again one by one", type(exc).__name__, exc)
                self._recover()
        self._tasks.popleft()
        assert task.done is not None
        return task.done

    def _running(self) -> ProcessPoolExecutor:
        """The executor, started again if a dead worker took the last one down."""
        if not self._open:
            raise RuntimeError("a WorkerPool is used inside a `with` block")
        if self._executor is None:
            self._executor = self._start()
        return self._executor

    def _start(self) -> ProcessPoolExecutor:
        """Start the workers and return once every one has loaded the pipeline."""
        ready = self._context.Barrier(self.workers)
        executor = ProcessPoolExecutor(
            self.workers, mp_context=self._context, initializer=_start_worker, initargs=(self.pipeline, ready)
        )
        try:
            # One task per worker makes the executor start them all; each waits on the barrier, so the first
            # answer means every worker is ready.
            for future in [executor.submit(_ready) for _ in range(self.workers)]:
                future.result()
        except BaseException:
            _kill(executor)
            raise
        return executor

    def _recover(self) -> None:
        """After a failed task: settle every batch in flight, then parse the parts that failed one document at a
        time, alone in the pool, so that the document a worker dies on is the one reported."""
        wait([future for task in self._tasks if task.done is None for future in task.futures()])
        failed = [f.exception() for task in self._tasks if task.done is None for f in task.futures()]
        if any(isinstance(exc, BrokenProcessPool) for exc in failed):
            self._restart()
        for task in self._tasks:
            if task.done is None:
                task.done = [
                    outcome for part, future in task.parts for outcome in self._settled(part, future)
                ]

    def _settled(self, part: list[Article], future: Future[list[Outcome]]) -> list[Outcome]:
        """A part's results or, when its worker failed, its documents parsed again one at a time."""
        if future.exception() is None:
            return future.result()
        return [self._one(article) for article in part]

    def _one(self, article: Article) -> Outcome:
        """One article annotated on its own, or its error row; a worker that dies on it is replaced."""
        try:
            (done,) = self._running().submit(_annotate, [article]).result()
        except BrokenProcessPool:
            self._restart()
            return _failed(article, "the worker process died while parsing it")
        except Exception as exc:  # a task that failed outside the pipeline's own guard
            return _failed(article, f"the worker failed: {type(exc).__name__}: {exc}")
        return done

    def _restart(self) -> None:
        """Drop a pool whose worker died; fresh workers start when there is work for them."""
        if self._executor is not None:
            _kill(self._executor)
        self._executor = None


def _kill(executor: ProcessPoolExecutor) -> None:
    """Stop an executor's workers at once, dropping what they were doing."""
    # The executor has no public way to stop running tasks (before Python 3.14); terminating its processes is
    # what it does itself when one of them dies.
    for process in list((executor._processes or {}).values()):
        process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)


def _failed(article: Article, reason: str) -> Failure:
    """The error row of an article the worker could not parse."""
    return NlpError(reason, source=article.source.uri, line=article.source.line).failure()


@dataclass(slots=True)
class _Pending:
    """A batch read, prepared and sorted, waiting for its new articles to come back from the workers."""

    batch: Batch
    summary: IngestSummary
    fresh: list[Article]
    copies: list[Article]
    ids: frozenset[str]


@dataclass(slots=True)
class _Writer:
    """The parent's side of a pooled run: batches in flight, written in order, and the running summary."""

    store: Store
    pool: WorkerPool
    progress: Callable[[IngestSummary], None] | None
    summary: IngestSummary = dataclasses.field(default_factory=IngestSummary)
    pending: deque[_Pending] = dataclasses.field(default_factory=deque)
    started: float = dataclasses.field(default_factory=time.perf_counter)

    def write_oldest(self) -> None:
        """Write the oldest batch in flight once its articles are annotated, and count it."""
        item = self.pending.popleft()
        finish_batch(item.batch, item.summary, item.fresh, self.pool.next(), item.copies)
        self.store.write(item.batch)
        _add(self.summary, item.summary)
        self.tick()

    def tick(self) -> None:
        """Update the elapsed time and report progress."""
        self.summary.seconds = time.perf_counter() - self.started
        if self.progress:
            self.progress(self.summary)


def ingest_pooled(
    paths: Iterable[str],
    store: Store,
    pipeline: Pipeline,
    options: ReadOptions | None = None,
    *,
    workers: int,
    batch_size: int,
    progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """`ingest` with the parsing in `workers` processes: the same rows, written here in input order.

    The summary's `seconds` count from when the workers are ready, as an in-process run's count from when its
    model is loaded."""
    items = iter(read(paths, options))
    with WorkerPool(pipeline, workers) as pool:
        run = _Writer(store, pool, progress)
        while chunk := list(islice(items, batch_size)):
            part = IngestSummary()
            batch = Batch([], [], [])
            prepared = prepare_batch(chunk, pipeline, batch, part)
            ids = frozenset(a.id for a in prepared)
            # One process would have stored the earlier batches before looking these ids up: a text still in
            # flight in one of them is waited for, so that it is a duplicate here exactly when it would be.
            while any(p.ids & ids for p in run.pending):
                run.write_oldest()
            fresh, copies = sort_new(prepared, store.known_ids([a.id for a in prepared]), batch, part)
            pool.submit(fresh)
            run.pending.append(_Pending(batch, part, fresh, copies, frozenset(a.id for a in fresh)))
            while len(run.pending) >= AHEAD_PER_WORKER * workers:
                run.write_oldest()
        while run.pending:
            run.write_oldest()
        run.tick()  # before the workers exit: their teardown is not ingest time
    return run.summary


def recode_pooled(
    store: Store,
    pipeline: Pipeline,
    *,
    prefix: str = "",
    workers: int,
    batch_size: int,
    progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """`recode` with the parsing in `workers` processes, each batch's annotations replaced here in order."""
    with WorkerPool(pipeline, workers) as pool:
        run = _Writer(store, pool, progress)
        queue: deque[list[Article]] = deque()
        for articles in store.stored_articles(prefix, batch_size):
            pool.submit(articles)
            queue.append(articles)
            if len(queue) >= AHEAD_PER_WORKER * workers:
                store_recoded(store, run.summary, queue.popleft(), pool.next())
                run.tick()
        while queue:
            store_recoded(store, run.summary, queue.popleft(), pool.next())
            run.tick()
        run.tick()
    return run.summary


def _add(total: IngestSummary, part: IngestSummary) -> None:
    """Add one batch's counts and failures to the running summary (its time is the run's, not the batch's)."""
    for field in dataclasses.fields(IngestSummary):
        if field.name == "failures":
            total.failures.extend(part.failures)
        elif field.name != "seconds":
            setattr(total, field.name, getattr(total, field.name) + getattr(part, field.name))
