"""Ingests submitted through the API, run one after another by a worker thread of the server.

DuckDB lets one process write to a database file, so the server does its own writing: the articles a client posts
are queued, and a single thread parses and stores them through the ingest code of `eventwire ingest` (one
transaction per batch) while the server goes on answering reads, each on its own cursor. Every committed batch
moves the server's generation on, so that what it keeps in memory about the events is rebuilt.

Jobs live in the server's memory only: when the server stops, the running job finishes and the queued ones are
cancelled (their page says so until the process exits). What a job stored stays stored, and posting the same
articles again stores nothing twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import queue
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from ..ingest import DEFAULT_BATCH, IngestSummary, finish_batch, outcomes, prepare_batch, sort_new
from ..model import Document, Failure, Source
from ..pipeline import Pipeline
from ..readers import normalise_newlines
from ..store import Batch, Store

LOGGER = logging.getLogger(__name__)

Status = Literal["queued", "running", "done", "failed", "cancelled"]
# Statuses of jobs the worker will not touch again.
FINISHED: frozenset[Status] = frozenset({"done", "failed", "cancelled"})
# Finished jobs remembered for their status page, the oldest forgotten first.
KEEP_JOBS = 500


@dataclass(frozen=True, slots=True)
class Submitted:
    """One article as a client posted it."""

    text: str
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    id: str | None = None


@dataclass(slots=True)
class Job:
    """An ingest the server runs: its articles, status, and summary when done."""

    id: str
    articles: list[Submitted]
    submitted: dt.datetime
    status: Status = "queued"
    finished: dt.datetime | None = None
    summary: IngestSummary | None = None
    article_ids: list[str] = field(default_factory=list)
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def as_dict(self) -> dict[str, Any]:
        """The job as the API shows it."""
        summary = None
        if self.summary is not None:
            summary = {
                f.name: getattr(self.summary, f.name)
                for f in dataclasses.fields(self.summary)
                if f.name != "failures"
            }
            summary["failures"] = [dataclasses.asdict(f) for f in self.summary.failures]
        return {
            "id": self.id,
            "status": self.status,
            "submitted": self.submitted,
            "finished": self.finished,
            "documents": len(self.articles),
            "article_ids": self.article_ids,
            "summary": summary,
            "error": self.error,
        }


def documents(job: Job) -> list[Document]:
    """A job's articles as documents read from the API (source `api:<job>`, line = position in the request)."""
    docs = []
    for line, article in enumerate(job.articles, start=1):
        doc = Document(
            source=Source(f"api:{job.id}", "api", line, article.id, article.url),
            body=normalise_newlines(article.text).strip(),
            title=(article.title or "").strip() or None,
            date=article.date,
            date_source="api" if article.date else None,
        )
        if article.date is None:
            doc.warnings.append("publication date unknown (give it as date); stored as unknown")
        docs.append(doc)
    return docs


class Ingests:
    """The server's ingest queue and its worker thread (started on the first job)."""

    def __init__(
        self, db: Path, pipeline: Callable[[], Pipeline], on_write: Callable[[], None] = lambda: None
    ) -> None:
        """A queue writing to the database at `db`; `pipeline` makes the pipeline (loaded once, on first use) and
        `on_write` is called after each committed batch."""
        self.db = db
        self._make_pipeline = pipeline
        self._pipeline: Pipeline | None = None
        self._on_write = on_write
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closing = False

    def submit(self, articles: Sequence[Submitted]) -> Job:
        """Queue articles for ingest; the job, to follow (cancelled at once when the queue is closing)."""
        job = Job(uuid.uuid4().hex[:16], list(articles), dt.datetime.now(dt.UTC))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].status not in FINISHED:
                    break
                self._jobs.popitem(last=False)
            if self._closing:
                _cancel(job)
                return job
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="eventwire-ingest", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        """A job by id, if it is remembered."""
        with self._lock:
            return self._jobs.get(job_id)

    def close(self) -> None:
        """Cancel the queued jobs, let the running one finish, and stop the worker: when this returns, nothing
        writes to the database any more."""
        with self._lock:
            self._closing = True
            thread = self._thread
            for job in self._jobs.values():
                if job.status == "queued":
                    _cancel(job)
        if thread is None:
            return
        self._queue.put(None)
        # No timeout: the store closes after this, and must not close under a batch being written.
        thread.join()

    def _start(self, job: Job) -> bool:
        """Mark a job running, unless it was cancelled (the queue is closing)."""
        with self._lock:
            if job.status != "queued":
                return False
            job.status = "running"
            return True

    def _work(self) -> None:
        """Run queued jobs one after another until told to stop."""
        while (job := self._queue.get()) is not None:
            if not self._start(job):
                continue
            try:
                job.summary = self._run(job)
                job.status = "done"
            except Exception as exc:  # a job that fails is reported on its page; the worker goes on
                LOGGER.exception("ingest job %s failed", job.id)
                job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
            job.finished = dt.datetime.now(dt.UTC)
            job.done.set()

    def _run(self, job: Job) -> IngestSummary:
        """Parse and store a job's articles, one transaction per batch, as `eventwire ingest` does."""
        if self._pipeline is None:
            self._pipeline = self._make_pipeline()
        pipeline = self._pipeline
        summary = IngestSummary()
        started = dt.datetime.now(dt.UTC)
        items = iter(documents(job))
        # A second connection to the server's database instance (DuckDB shares it within a process).
        with Store(self.db) as store:
            while chunk := list(islice(items, DEFAULT_BATCH)):
                batch = Batch([], [], [])
                prepared = prepare_batch(chunk, pipeline, batch, summary)
                fresh, copies = sort_new(prepared, store.known_ids([a.id for a in prepared]), batch, summary)
                results = outcomes(pipeline.annotate(fresh))
                finish_batch(batch, summary, fresh, results, copies)
                store.write(batch)
                self._on_write()
                # Listed once stored, so that a client can read each at once; failures are in the summary.
                failed = {a.id for a, r in zip(fresh, results, strict=True) if isinstance(r, Failure)}
                job.article_ids += [a.id for a in prepared if a.id not in failed]
        summary.seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
        return summary


def _cancel(job: Job) -> None:
    """Mark a queued job cancelled: it will not run, and whoever waits for it stops waiting."""
    job.status = "cancelled"
    job.error = "cancelled: the server stopped before the job ran; post the articles again"
    job.finished = dt.datetime.now(dt.UTC)
    job.done.set()
