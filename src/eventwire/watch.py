"""Watch: poll feeds, fetch the articles they list, and ingest them with the same pipeline and store as `ingest`.

A round polls every feed that is not backing off (with a conditional GET), records the new entries as pending
items, then fetches the pending items host by host and stores each in one transaction with its item marked done.
A failure is an error row, and the item is tried again later (timeouts, 429, 5xx: with exponential backoff of
the item and its host) or never (404, an empty or binary page, a page robots.txt forbids, a link from a public
feed to a private address). Even an unexpected error is only an error row, so that one bad item cannot stop every
run that meets it. The store is open only during a round, so other commands can read it in between.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeGuard

import duckdb

from . import feeds
from .decoding import SNIFF_BYTES, binary_kind
from .errors import (
    WARNING_CODE,
    EventwireError,
    FeedError,
    FetchError,
    HttpStatusError,
    NetworkError,
    RobotsDisallowed,
)
from .feeds import FeedRow, Item, ParsedFeed
from .fetch import USER_AGENT, Fetcher, Response, Stopped, disallowed, host_of
from .ingest import IngestSummary, finish_batch, outcomes, prepare_batch, sort_new
from .model import Document, Failure
from .pipeline import Pipeline
from .readers import DEFAULT_MAX_CHARS, ReadItem, ReadOptions, read_stream
from .store import Batch, Store

LOGGER = logging.getLogger(__name__)

# Larger than any real feed; a feed is read whole before it is parsed.
FEED_MAX_BYTES = 10_000_000
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class WatchSettings:
    """How to watch: the time between rounds, politeness, limits, and the backoff after failures."""

    interval: float = 900.0
    delay: float = 1.0
    timeout: float = 30.0
    user_agent: str = USER_AGENT
    max_chars: int = DEFAULT_MAX_CHARS
    # The wait after a first failure, doubled after each further one up to `max_backoff`.
    backoff: float = 60.0
    max_backoff: float = 6 * 3600.0
    # Items failing for reasons that may pass (timeouts, 5xx) are given up after this many attempts.
    max_attempts: int = 5
    # Let every feed's links reach private, loopback and link-local addresses, not only an intranet feed's.
    allow_private: bool = False


@dataclass(slots=True)
class RoundSummary:
    """What a round did: feeds polled, items found and fetched, what was stored, and the failures."""

    number: int = 1
    feeds: int = 0
    unchanged: int = 0
    feed_errors: int = 0
    new_items: int = 0
    fetched: int = 0
    retrying: int = 0
    given_up: int = 0
    disallowed: int = 0
    pending: int = 0
    seconds: float = 0.0
    stopped: bool = False
    ingest: IngestSummary = field(default_factory=IngestSummary)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing failed in this round."""
        return not self.failures


def backoff_delay(failures: int, settings: WatchSettings, retry_after: float | None = None) -> float:
    """Seconds to wait after `failures` failures in a row: exponential, capped, never less than Retry-After."""
    exponential = min(settings.backoff * 2.0 ** max(failures - 1, 0), settings.max_backoff)
    return max(exponential, retry_after or 0.0)


def run_round(
    feed_urls: Sequence[str],
    store: Store,
    pipeline: Pipeline,
    fetcher: Fetcher,
    settings: WatchSettings,
    number: int = 1,
) -> RoundSummary:
    """One round: poll the feeds that are due, then fetch and store every pending item that is due."""
    started = time.perf_counter()
    work = _Round(store, pipeline, fetcher, settings, RoundSummary(number))
    try:
        work.run(feed_urls)
    except Stopped:
        work.summary.stopped = True
    work.summary.failures += work.summary.ingest.failures
    work.summary.pending = feeds.item_counts(store).get(feeds.PENDING, 0)
    work.summary.seconds = time.perf_counter() - started
    return work.summary


def watch(
    feeds_file: Path,
    db: Path,
    pipeline: Pipeline,
    settings: WatchSettings,
    *,
    once: bool = False,
    stop: threading.Event | None = None,
    on_round: Callable[[RoundSummary], None] | None = None,
) -> RoundSummary | None:
    """Poll the feeds of `feeds_file` into the store at `db`, once or every `settings.interval` until `stop` is
    set; the last round's summary. The feeds file is read again before each round, so edits need no restart."""
    stop = stop or threading.Event()
    fetcher = Fetcher(
        settings.user_agent, settings.timeout, settings.delay, stop=stop, allow_private=settings.allow_private
    )
    urls = feeds.read_feeds_file(feeds_file)
    summary: RoundSummary | None = None
    number = 0
    while not stop.is_set():
        number += 1
        started = time.monotonic()
        urls = _reread(feeds_file, urls)
        try:
            with Store(db) as store:
                summary = run_round(urls, store, pipeline, fetcher, settings, number)
        except duckdb.IOException as exc:
            if once:
                raise
            # Another process holds the database (a long ingest): this round is skipped, not the watch.
            LOGGER.warning("round %d skipped: %s", number, str(exc).split("\n")[0])
        else:
            if on_round:
                on_round(summary)
        if once:
            break
        stop.wait(max(0.0, settings.interval - (time.monotonic() - started)))
    return summary


def _reread(feeds_file: Path, urls: list[str]) -> list[str]:
    """The feeds file's URLs now, or the last good ones when it has been broken since."""
    try:
        return feeds.read_feeds_file(feeds_file)
    except EventwireError as exc:
        LOGGER.error("%s; polling the feeds it listed before", exc.reason)
        return urls


class _Round:
    """The work of one round, with the store, the pipeline, the fetcher and the running summary."""

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        fetcher: Fetcher,
        settings: WatchSettings,
        summary: RoundSummary,
    ) -> None:
        """A round over this store with these tools."""
        self.store = store
        self.pipeline = pipeline
        self.fetcher = fetcher
        self.settings = settings
        self.summary = summary
        self.blocked: set[str] = set()
        self.private_hosts: dict[str, bool] = {}

    def run(self, feed_urls: Sequence[str]) -> None:
        """Poll the due feeds, then fetch the due items, until done or asked to stop."""
        feeds.register_feeds(self.store, feed_urls)
        self.blocked = feeds.blocked_hosts(self.store, _now())
        for feed in feeds.due_feeds(self.store, feed_urls, _now()):
            self._stop_if_asked()
            if host_of(feed.url) not in self.blocked:
                self.poll(feed)
        for item in interleaved(feeds.pending_items(self.store, _now())):
            self._stop_if_asked()
            if host_of(item.url) not in self.blocked:
                self.fetch(item)

    def _stop_if_asked(self) -> None:
        """Stopped when the run was asked to stop: the next feed or item is left for the next run."""
        if self.fetcher.stop.is_set():
            raise Stopped("asked to stop")

    def private_ok(self, feed_url: str) -> bool:
        """Whether what a feed leads to may be at private addresses: when the feed's own host is on a private
        network (an intranet feed may list intranet pages); asked once per host and round."""
        host = host_of(feed_url)
        if host not in self.private_hosts:
            self.private_hosts[host] = self.fetcher.is_private_host(feed_url)
        return self.private_hosts[host]

    def poll(self, feed: FeedRow) -> None:
        """Poll one feed and record its new entries, or its failure (an unexpected one included)."""
        self.summary.feeds += 1
        _last_resort(feed.url, lambda: self._poll(feed), lambda exc: self._feed_failed(feed, exc))

    def _poll(self, feed: FeedRow) -> None:
        """Poll one feed and record its new entries, or its failure."""
        private_ok = self.private_ok(feed.url)
        try:
            if not self.fetcher.allowed(feed.url, private_ok=private_ok):
                raise disallowed(feed.url)
            response = self.fetcher.get(
                feed.url, max_bytes=FEED_MAX_BYTES, headers=_conditional(feed), private_ok=private_ok
            )
            if response.status == 304:
                self._unchanged(feed)
                return
            if len(response.body) > FEED_MAX_BYTES:
                raise FeedError(f"larger than {FEED_MAX_BYTES:,} bytes", source=feed.url)
            parsed = feeds.parse_feed(response.body, response.url, response.headers.get("content-type"))
        except (FetchError, FeedError) as exc:
            self._feed_failed(feed, exc)
            return
        self._feed_read(feed, response, parsed)

    def _unchanged(self, feed: FeedRow) -> None:
        """Record a feed answered by 304 Not Modified."""
        self.summary.unchanged += 1
        with self.store.atomic():
            feeds.feed_unchanged(self.store, feed.url, _now())
            self.store.resolve_errors(feed.url)
            feeds.host_ok(self.store, host_of(feed.url))

    def _feed_read(self, feed: FeedRow, response: Response, parsed: ParsedFeed) -> None:
        """Record a feed's new entries as pending items, with its validators, in one transaction."""
        now = _now()
        fresh = feeds.new_entries(self.store, parsed.entries)
        warnings = [Failure(feed.url, None, "feed", WARNING_CODE, p, "warning") for p in parsed.problems]

        def record() -> None:
            """The feed's state and new items, written with its warnings."""
            feeds.add_items(self.store, feed.url, fresh, now)
            etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
            feeds.feed_polled(self.store, feed.url, now, etag, modified, parsed.title)
            self.store.resolve_errors(feed.url)
            feeds.host_ok(self.store, host_of(feed.url))

        self.store.write(Batch([], [], warnings), then=record)
        self.summary.new_items += len(fresh)
        self.summary.ingest.warnings += len(warnings)
        LOGGER.info("%s: %d entries, %d new", feed.url, len(parsed.entries), len(fresh))

    def _feed_failed(self, feed: FeedRow, exc: EventwireError) -> None:
        """Record a feed's failure (an error row), back the feed off, and its host when the failure may pass."""
        now = _now()
        failure = exc.failure()
        retry = exc.retry_after if isinstance(exc, FetchError) else None

        def record() -> None:
            """The feed's and host's backoff, written with the error row."""
            feeds.feed_failed(
                self.store, feed.url, exc.reason, now, lambda n: backoff_delay(n, self.settings, retry)
            )
            if _host_at_fault(exc):
                self._host_failed(feed.url, exc, now)

        self.store.write(Batch([], [], [failure]), then=record)
        self.summary.feed_errors += 1
        self.summary.failures.append(failure)

    def fetch(self, item: Item) -> None:
        """Fetch one item and store what it holds, or record why it could not be (an unexpected error included)."""
        _last_resort(item.url, lambda: self._fetch(item), lambda exc: self._fetch_failed(item, exc))

    def _fetch(self, item: Item) -> None:
        """Fetch one item and store what it holds, or record why it could not be fetched."""
        private_ok = self.private_ok(item.feed_url)
        try:
            if not self.fetcher.allowed(item.url, private_ok=private_ok):
                raise disallowed(item.url)
            response = self.fetcher.get(
                item.url, max_bytes=self.settings.max_chars * 4, private_ok=private_ok
            )
        except FetchError as exc:
            self._fetch_failed(item, exc)
            return
        self.summary.fetched += 1
        self._store(item, read_page(response, item, self.settings.max_chars))

    def _store(self, item: Item, documents: Sequence[ReadItem]) -> None:
        """Ingest a page's documents like `ingest` does, and mark the item done (or failed) in the same
        transaction."""
        summary = self.summary.ingest
        batch = Batch([], [], [])
        prepared = prepare_batch(documents, self.pipeline, batch, summary)
        fresh, copies = sort_new(prepared, self.store.known_ids([a.id for a in prepared]), batch, summary)
        finish_batch(batch, summary, fresh, outcomes(self.pipeline.annotate(fresh)), copies)
        errors = [f for f in batch.failures if f.level == "error"]
        now = _now()

        def record() -> None:
            """The item's new status, written with its article or its error rows."""
            if batch.sources:
                feeds.item_done(self.store, item.url, batch.sources[0][0], now)
            else:
                reason = errors[0].reason if errors else "nothing could be read from the page"
                feeds.item_ended(self.store, item.url, feeds.FAILED, reason, item.attempts + 1, now)
            feeds.host_ok(self.store, host_of(item.url))

        self.store.write(batch, then=record)

    def _fetch_failed(self, item: Item, exc: FetchError) -> None:
        """Record why an item could not be fetched: tried again later when that may help, otherwise never."""
        now = _now()
        attempts = item.attempts + 1
        final = not exc.transient or attempts >= self.settings.max_attempts
        reason = exc.reason
        if exc.transient:
            reason += (
                f" (gave up after {attempts} attempts)"
                if final
                else f" (attempt {attempts} of {self.settings.max_attempts})"
            )
        failure = replace(exc.failure(), source=item.url, reason=reason)

        def record() -> None:
            """The item's new status, and its host's backoff, written with the error row."""
            if final:
                status = feeds.DISALLOWED if isinstance(exc, RobotsDisallowed) else feeds.FAILED
                feeds.item_ended(self.store, item.url, status, reason, attempts, now)
            else:
                wait = backoff_delay(attempts, self.settings, exc.retry_after)
                feeds.item_retry(self.store, item.url, reason, attempts, now + dt.timedelta(seconds=wait))
            if _host_at_fault(exc):
                self._host_failed(item.url, exc, now)

        self.store.write(Batch([], [], [failure]), then=record)
        self._count_failure(exc, final, failure)

    def _count_failure(self, exc: FetchError, final: bool, failure: Failure) -> None:
        """Add a fetch failure to the summary."""
        if isinstance(exc, RobotsDisallowed):
            self.summary.disallowed += 1
        elif not final:
            self.summary.retrying += 1
        else:
            self.summary.given_up += 1
        self.summary.failures.append(failure)

    def _host_failed(self, url: str, exc: FetchError, now: dt.datetime) -> None:
        """Back a host off after a failure that may pass: nothing more is asked of it this round."""
        host = host_of(url)
        feeds.host_failed(
            self.store, host, exc.reason, now, lambda n: backoff_delay(n, self.settings, exc.retry_after)
        )
        self.blocked.add(host)


def unexpected(exc: Exception, url: str) -> FetchError:
    """The error row of an exception nothing expected: tried again like a failure that may pass, so that a URL
    that keeps causing it is given up after the last attempt."""
    error = FetchError(f"unexpected error: {type(exc).__name__}: {exc}", source=url)
    error.transient = True
    return error


def _host_at_fault(exc: EventwireError) -> TypeGuard[NetworkError | HttpStatusError]:
    """Whether a failure says the host is struggling (a timeout, 429, 5xx), so that it is left alone a while."""
    return isinstance(exc, NetworkError | HttpStatusError) and exc.transient


def _last_resort(url: str, work: Callable[[], None], failed: Callable[[FetchError], None]) -> None:
    """Do the work for one feed or page; an error nobody foresaw is recorded as its failure, so that one URL
    stops neither the round nor every run after it (a stop request still stops)."""
    try:
        work()
    except Stopped:
        raise
    except Exception as exc:
        LOGGER.exception("%s: unexpected error", url)
        failed(unexpected(exc, url))


def read_page(response: Response, item: Item, max_chars: int) -> list[ReadItem]:
    """The documents of a fetched page, read as `ingest` reads a file; the feed gives the date and title a page
    does not declare, and the page's address is kept as the source's URL."""
    options = ReadOptions(date=item.published, max_chars=max_chars)
    named = "html" if response.media_type in _HTML_TYPES else None
    stream = io.BufferedReader(io.BytesIO(_utf8(response)))
    found = list(read_stream(stream, item.url, options, named))
    for doc in found:
        if isinstance(doc, Document):
            _from_feed(doc, item, response.url)
    return found


def _from_feed(doc: Document, item: Item, fetched_url: str) -> None:
    """Complete a page's document with what the feed and the fetch know."""
    doc.source = replace(doc.source, url=doc.source.url or fetched_url)
    if doc.date_source == "option":
        doc.date_source = "feed"
    doc.title = doc.title or item.title
    doc.metadata.setdefault("feed", item.feed_url)


def _utf8(response: Response) -> bytes:
    """The body in UTF-8 when it is not but the server declared a charset that decodes it; otherwise unchanged,
    and the reader detects the encoding (with a warning) as it does for files."""
    body = response.body
    charset = response.charset
    if not charset or binary_kind(body[:SNIFF_BYTES]) is not None:
        return body
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    try:
        return body.decode(codecs.lookup(charset).name).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return body


def interleaved(items: Sequence[Item]) -> Iterator[Item]:
    """Items taken host by host in turn, so that one host's delay is spent on the others' requests."""
    queues: dict[str, deque[Item]] = {}
    for item in items:
        queues.setdefault(host_of(item.url), deque()).append(item)
    while queues:
        for host in list(queues):
            yield queues[host].popleft()
            if not queues[host]:
                del queues[host]


def _conditional(feed: FeedRow) -> dict[str, str]:
    """The headers of a conditional GET: the feed's last ETag and Last-Modified."""
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def _now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)
