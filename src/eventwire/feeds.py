"""Feeds: the feeds file, RSS and Atom read with feedparser, and what `eventwire watch` keeps of them in the store
(the tables `feeds`, `feed_items` and `hosts` of schema migration 7).

An item is a URL a feed listed, normalised: it is fetched at most once. It stays `pending` until it is stored
(`done`), fails for good (`failed`) or is forbidden by robots.txt (`disallowed`); each of these changes is
written in the transaction that stores the article or the error row, so a killed run leaves nothing half-done.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser

from .errors import FeedError, UsageError
from .fetch import is_web_url, normalise_url
from .store import Store

# Statuses of a feed item.
PENDING, DONE, FAILED, DISALLOWED = "pending", "done", "failed", "disallowed"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
# Harmless bozo reasons: a charset the server declared differently, a feed served as text/html.
_BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass(frozen=True, slots=True)
class Entry:
    """An entry of a feed: the article's URL (normalised), its id in the feed, title and publication date."""

    url: str
    guid: str | None
    title: str | None
    published: dt.date | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed read: its title, its entries with a link, and what was wrong with it (but not fatal)."""

    title: str | None
    entries: list[Entry]
    problems: list[str]


@dataclass(frozen=True, slots=True)
class FeedRow:
    """What the store knows of a feed: the validators of its last answer and its failures in a row."""

    url: str
    etag: str | None
    last_modified: str | None
    failures: int


@dataclass(frozen=True, slots=True)
class Item:
    """A pending feed item: its URL, the feed that listed it, the entry's title and date, attempts so far."""

    url: str
    feed_url: str
    title: str | None
    published: dt.date | None
    attempts: int


def read_feeds_file(path: Path) -> list[str]:
    """The feed URLs a feeds file lists, one per line (blank lines, `#` comments and repeats skipped); a
    UsageError naming the line of anything else."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the feeds file {path}: {exc}") from exc
    urls: dict[str, None] = {}
    for number, line in enumerate(lines, start=1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if not is_web_url(words[0]):
            raise UsageError(f"{path}:{number}: not an http or https URL: {words[0]!r}")
        if len(words) > 1 and not words[1].startswith("#"):
            raise UsageError(
                f"{path}:{number}: one feed URL per line, then only a # comment: {line.strip()!r}"
            )
        urls[normalise_url(words[0])] = None
    if not urls:
        raise UsageError(f"{path} lists no feed URL (one per line)")
    return list(urls)


def parse_interval(text: str, *, zero: bool = False) -> float:
    """The seconds a duration such as `30s`, `15m`, `1h`, `1h30m` or `90` (seconds) stands for; ValueError when it
    is none, or is not positive (zero allowed with `zero`)."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    elif re.fullmatch(r"(?:\d+(?:\.\d+)?[smhd])+", value):
        seconds = sum(float(n) * _UNITS[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)([smhd])", value))
    else:
        raise ValueError(f"not a duration: {text!r} (write 30s, 15m, 1h or 1h30m)")
    if seconds < 0 or (seconds == 0 and not zero):
        raise ValueError(f"not a positive duration: {text!r}")
    return seconds


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """The entries of an RSS or Atom document; FeedError when it is neither or nothing can be read from it."""
    if not body.strip():
        raise FeedError("empty answer: no feed", source=url)
    parsed = feedparser.parse(
        body, response_headers={"content-location": url, "content-type": content_type or "application/xml"}
    )
    raw_entries: list[Any] = list(parsed.get("entries") or [])
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and isinstance(problem, _BENIGN):
        problem = None
    if not raw_entries and (problem is not None or not parsed.get("version")):
        why = f" ({problem})" if problem is not None else ""
        raise FeedError(f"not an RSS or Atom feed, or too broken to read any entry from{why}", source=url)
    problems: list[str] = []
    if problem is not None:
        problems.append(f"the feed is not well-formed ({problem}); {len(raw_entries)} entries read anyway")
    entries: list[Entry] = []
    for raw in raw_entries:
        entry = _entry(raw, url)
        if entry is None:
            problems.append(f"an entry without an http(s) link was left out: {raw.get('title')!r}")
        else:
            entries.append(entry)
    feed: Any = parsed.get("feed") or {}
    return ParsedFeed(feed.get("title"), entries, problems)


def _entry(raw: Any, feed_url: str) -> Entry | None:
    """A feed entry with a web link (its guid when that is a permalink), or None."""
    guid = raw.get("id")
    link = raw.get("link") or (guid if raw.get("guidislink") else None)
    if not isinstance(link, str):
        return None
    try:
        url = normalise_url(link, feed_url)
    except ValueError:  # a link that is no URL at all (`http://[oops/`)
        return None
    if not is_web_url(url):
        return None
    return Entry(
        url,
        guid if isinstance(guid, str) else None,
        raw.get("title") or None,
        _date(raw.get("published_parsed") or raw.get("updated_parsed")),
    )


def _date(parsed: time.struct_time | None) -> dt.date | None:
    """The date of a feedparser time (UTC), or None."""
    if parsed is None:
        return None
    try:
        return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    except (ValueError, AttributeError):
        return None


def register_feeds(store: Store, urls: Iterable[str]) -> None:
    """Add the feeds not known yet to the store."""
    for url in urls:
        store.con.execute("INSERT INTO feeds (url) VALUES (?) ON CONFLICT DO NOTHING", [url])


def due_feeds(store: Store, urls: Sequence[str], now: dt.datetime) -> list[FeedRow]:
    """The listed feeds that are not backing off after a failure, in the order listed."""
    rows = store.con.execute(
        "SELECT url, etag, last_modified, failures FROM feeds WHERE list_contains(?, url) "
        "AND (next_poll_after IS NULL OR next_poll_after <= ?)",
        [list(urls), now],
    ).fetchall()
    found = {r[0]: FeedRow(*r) for r in rows}
    return [found[u] for u in urls if u in found]


def new_entries(store: Store, entries: Sequence[Entry]) -> list[Entry]:
    """The entries whose URL no feed has listed before (the first of each URL)."""
    fresh: dict[str, Entry] = {}
    for entry in entries:
        fresh.setdefault(entry.url, entry)
    if not fresh:
        return []
    known = {
        r[0]
        for r in store.con.execute(
            "SELECT url FROM feed_items WHERE url IN (SELECT unnest(?))", [list(fresh)]
        ).fetchall()
    }
    return [e for e in fresh.values() if e.url not in known]


def add_items(store: Store, feed_url: str, entries: Sequence[Entry], now: dt.datetime) -> None:
    """Record new entries as pending items of a feed."""
    for e in entries:
        store.con.execute(
            "INSERT INTO feed_items (url, feed_url, guid, title, published, seen_at, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [e.url, feed_url, e.guid, e.title, e.published, now, PENDING],
        )


def feed_polled(
    store: Store, url: str, now: dt.datetime, etag: str | None, last_modified: str | None, title: str | None
) -> None:
    """Record a successful poll of a feed: its validators (for the next conditional GET), no failures."""
    store.con.execute(
        "UPDATE feeds SET etag = ?, last_modified = ?, title = coalesce(?, title), last_polled = ?, failures = 0, "
        "next_poll_after = NULL, last_error = NULL WHERE url = ?",
        [etag, last_modified, title, now, url],
    )


def feed_unchanged(store: Store, url: str, now: dt.datetime) -> None:
    """Record a poll answered by 304 Not Modified."""
    store.con.execute(
        "UPDATE feeds SET last_polled = ?, failures = 0, next_poll_after = NULL, last_error = NULL WHERE url = ?",
        [now, url],
    )


def feed_failed(store: Store, url: str, reason: str, now: dt.datetime, wait: Callable[[int], float]) -> None:
    """Record a failed poll: one more failure in a row, and no poll before `wait(failures)` seconds."""
    row = store.con.execute("SELECT failures FROM feeds WHERE url = ?", [url]).fetchone()
    failures = (int(row[0]) if row else 0) + 1
    store.con.execute(
        "UPDATE feeds SET last_polled = ?, failures = ?, next_poll_after = ?, last_error = ? WHERE url = ?",
        [now, failures, now + dt.timedelta(seconds=wait(failures)), reason, url],
    )


def pending_items(store: Store, now: dt.datetime) -> list[Item]:
    """The items to fetch now, first seen first: pending, and not waiting for a retry."""
    rows = store.con.execute(
        "SELECT url, feed_url, title, published, attempts FROM feed_items WHERE status = ? "
        "AND (next_try_after IS NULL OR next_try_after <= ?) ORDER BY seen_at, url",
        [PENDING, now],
    ).fetchall()
    return [Item(*r) for r in rows]


def item_done(store: Store, url: str, article_id: str, now: dt.datetime) -> None:
    """Record an item stored as (or as a new source of) an article."""
    store.con.execute(
        "UPDATE feed_items SET status = ?, article_id = ?, done_at = ?, next_try_after = NULL, last_error = NULL "
        "WHERE url = ?",
        [DONE, article_id, now, url],
    )


def item_ended(store: Store, url: str, status: str, reason: str, attempts: int, now: dt.datetime) -> None:
    """Record an item that will not be fetched again: failed for good, or forbidden by robots.txt."""
    store.con.execute(
        "UPDATE feed_items SET status = ?, attempts = ?, last_error = ?, done_at = ?, next_try_after = NULL "
        "WHERE url = ?",
        [status, attempts, reason, now, url],
    )


def item_retry(store: Store, url: str, reason: str, attempts: int, after: dt.datetime) -> None:
    """Record an item that failed for a reason that may pass: pending again after a wait."""
    store.con.execute(
        "UPDATE feed_items SET attempts = ?, last_error = ?, next_try_after = ? WHERE url = ?",
        [attempts, reason, after, url],
    )


def blocked_hosts(store: Store, now: dt.datetime) -> set[str]:
    """Hosts backing off after failures: nothing is requested from them now."""
    rows = store.con.execute("SELECT host FROM hosts WHERE next_request_after > ?", [now]).fetchall()
    return {r[0] for r in rows}


def host_failed(store: Store, host: str, reason: str, now: dt.datetime, wait: Callable[[int], float]) -> None:
    """Record a host's failure (a timeout, 429, 5xx): one more in a row, and a wait of `wait(failures)` seconds."""
    row = store.con.execute("SELECT failures FROM hosts WHERE host = ?", [host]).fetchone()
    failures = (int(row[0]) if row else 0) + 1
    store.con.execute(
        "INSERT INTO hosts VALUES (?, ?, ?, ?) ON CONFLICT (host) DO UPDATE SET failures = excluded.failures, "
        "next_request_after = excluded.next_request_after, last_error = excluded.last_error",
        [host, failures, now + dt.timedelta(seconds=wait(failures)), reason],
    )


def host_ok(store: Store, host: str) -> None:
    """Forget a host's failures once it answers."""
    store.con.execute(
        "UPDATE hosts SET failures = 0, next_request_after = NULL, last_error = NULL "
        "WHERE host = ? AND failures > 0",
        [host],
    )


def item_counts(store: Store) -> dict[str, int]:
    """How many feed items are in each status."""
    rows = store.con.execute("SELECT status, count(*) FROM feed_items GROUP BY status").fetchall()
    return {str(status): int(n) for status, n in rows}
