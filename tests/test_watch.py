"""`eventwire watch`: feeds polled from a real web server on loopback, pages ingested with the real pipeline into a
real DuckDB file, and every way a feed or a page can fail; then the command killed and restarted."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest

from eventwire import errors
from eventwire.feeds import parse_feed, parse_interval, read_feeds_file
from eventwire.fetch import Fetcher, host_of, normalise_url, retry_after
from eventwire.pipeline import Pipeline
from eventwire.store import Store
from eventwire.watch import RoundSummary, WatchSettings, backoff_delay, interleaved, run_round

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)

# Short news stories, each a different article (the store keys articles by their text).
STORIES = {
    "lavrov": (
        "Lavrov meets Guterres in Geneva",
        "Russian Foreign Minister Sergei Lavrov met United Nations Secretary-General Antonio Guterres in Geneva "
        "on Tuesday to discuss the humanitarian situation in Gaza.",
    ),
    "netanyahu": (
        "Netanyahu speaks to Putin",
        "Israeli Prime Minister Benjamin Netanyahu spoke by phone with Russian President Vladimir Putin on Sunday "
        "and expressed dissatisfaction with the positions of Russian representatives at the United Nations.",
    ),
    "sanctions": (
        "EU adopts new sanctions",
        "The European Union imposed new sanctions on Iran on Monday over its supply of drones to Russia, "
        "the bloc's foreign policy chief said in Brussels.",
    ),
    "talks": (
        "Talks in Cairo",
        "Egyptian mediators hosted a delegation from Qatar in Cairo on Wednesday to discuss a ceasefire "
        "and the exchange of hostages and prisoners.",
    ),
    "protest": (
        "Protest in Belgrade",
        "Thousands of protesters marched through Belgrade on Saturday to demand the resignation of the "
        "government after the disputed election.",
    ),
    "aid": (
        "Aid convoy reaches Khartoum",
        "A United Nations aid convoy reached Khartoum on Thursday after the army and the paramilitary forces "
        "agreed to a short truce.",
    ),
}


def page(story: str, *, date: str | None = "2024-03-05", canonical: str | None = None) -> bytes:
    """An article page: title, publication date and canonical address in the head, the story as paragraphs."""
    title, text = STORIES[story]
    head = f"<title>{title}</title>"
    if date:
        head += f'<meta property="article:published_time" content="{date}">'
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    body = (
        f"<h1>{title}</h1><p>{text}</p><p>Officials did not say when the next meeting would take place.</p>"
    )
    return f"<!doctype html><html><head>{head}</head><body><article>{body}</article></body></html>".encode()


def rss(links: list[str], *, dates: bool = True) -> bytes:
    """An RSS 2.0 feed listing these links."""
    items = "".join(
        f"<item><title>Item {i}</title><link>{link.replace('&', '&amp;')}</link><guid>g{i}</guid>"
        + ("<pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>" if dates else "")
        + "</item>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>http://example.org/</link><description>news</description>{items}</channel></rss>"
    ).encode()


def atom(links: list[str]) -> bytes:
    """An Atom feed listing these links."""
    entries = "".join(
        f'<entry><title>Entry {i}</title><link rel="alternate" href="{link}"/><id>urn:e{i}</id>'
        "<updated>2024-03-07T08:00:00Z</updated></entry>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom wire</title>'
        f"<id>urn:feed</id><updated>2024-03-07T08:00:00Z</updated>{entries}</feed>"
    ).encode()


@dataclass
class Answer:
    """A canned HTTP answer, sent after `delay` seconds."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Route = Answer | list[Answer] | Callable[[dict[str, str]], Answer]


class Site:
    """A web site on loopback: canned answers by path (a list answers in turn, its last one repeated) and a log
    of every request with its headers."""

    def __init__(self) -> None:
        """An empty site; `start` serves it."""
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True

    def url(self, path: str) -> str:
        """The address of a path on the site."""
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def hits(self, path: str) -> int:
        """How many times a path was requested."""
        return sum(1 for p, _ in self.log if p == path)

    def answer(self, path: str, headers: dict[str, str]) -> Answer:
        """The answer to a request, logged."""
        with self._lock:
            self.log.append((path, headers))
            route = self.routes.get(path, Answer(404, b"not found"))
            if isinstance(route, list):
                return route.pop(0) if len(route) > 1 else route[0]
        return route(headers) if callable(route) else route

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        """A request handler class answering from this site."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            """Answers GET requests from the site's routes."""

            def do_GET(self) -> None:
                """Send the route's answer."""
                answer = site.answer(self.path, {k.lower(): v for k, v in self.headers.items()})
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:
                    pass  # the client gave up (a timeout, a killed process)

            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

        return Handler

    def __enter__(self) -> Site:
        """Serve the site in a thread."""
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/rss+xml"}
# Waits long enough that no round of a test outlasts them: tests move the clock forward instead (`time_travel`).
SETTINGS = WatchSettings(delay=0.0, timeout=2.0, backoff=30.0, max_backoff=600.0, max_attempts=3)


@pytest.fixture
def site() -> Iterator[Site]:
    """A fresh site, served for the test."""
    with Site() as served:
        yield served


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The path of a fresh store."""
    return tmp_path / "watch.duckdb"


def poll(
    feeds: list[str], db: Path, pipeline: Pipeline, settings: WatchSettings = SETTINGS, number: int = 1
) -> RoundSummary:
    """One round of watching, the store opened for it."""
    fetcher = Fetcher(timeout=settings.timeout, delay=settings.delay)
    with Store(db) as store:
        return run_round(feeds, store, pipeline, fetcher, settings, number)


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of a query on a store."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def time_travel(db: Path, seconds: float) -> None:
    """Bring every backoff in a store `seconds` closer, as if that time had passed."""
    with Store(db) as store:
        for table, column in (
            ("feeds", "next_poll_after"),
            ("feed_items", "next_try_after"),
            ("hosts", "next_request_after"),
        ):
            store.con.execute(
                f"UPDATE {table} SET {column} = {column} - to_microseconds(?)", [int(seconds * 1e6)]
            )


def statuses(db: Path) -> dict[str, str]:
    """Each feed item's status, by path."""
    return {url.split("/", 3)[3]: status for url, status in rows(db, "SELECT url, status FROM feed_items")}


def errors_by_source(db: Path) -> dict[str, tuple[str, str, Any]]:
    """Each error row's code, reason and resolution time, by path."""
    found = rows(db, "SELECT source, code, reason, resolved_at FROM errors WHERE level = 'error'")
    return {s.split("/", 3)[3]: (c, r, t) for s, c, r, t in found}


# Units: URLs, durations, feeds files, feeds.


def test_urls_are_normalised() -> None:
    """Fragments, tracking parameters, default ports and the case of scheme and host do not make another URL."""
    assert normalise_url("HTTPS://News.Example.org:443/a/b?id=3&utm_source=rss&fbclid=x#top") == (
        "https://news.example.org/a/b?id=3"
    )
    assert normalise_url("http://example.org") == "http://example.org/"
    assert normalise_url("/x?utm_medium=feed", "http://example.org:8080/feed") == "http://example.org:8080/x"
    assert normalise_url("http://example.org/?q=a&ref=b") == "http://example.org/?q=a&ref=b"
    assert host_of("http://Example.org:80/x") == "example.org"


def test_durations_and_retry_after() -> None:
    """Intervals read as 30s, 15m, 1h, 1h30m or seconds; Retry-After as seconds or an HTTP date."""
    assert [parse_interval(t) for t in ("30s", "15m", "1h", "1h30m", "90", "0.5s")] == [
        30,
        900,
        3600,
        5400,
        90,
        0.5,
    ]
    for bad in ("", "15x", "m", "0s", "-1"):
        with pytest.raises(ValueError):
            parse_interval(bad)
    assert parse_interval("0s", zero=True) == 0
    now = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert retry_after("120") == 120
    assert retry_after("Fri, 01 Mar 2024 12:02:00 GMT", now) == 120
    assert retry_after("soon") is None


def test_backoff_doubles_up_to_a_cap_and_respects_retry_after() -> None:
    """The wait after failures in a row doubles, is capped, and is never shorter than what the server asked."""
    settings = WatchSettings(backoff=60, max_backoff=300)
    assert [backoff_delay(n, settings) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 300, 300]
    assert backoff_delay(1, settings, retry_after=900) == 900


def test_feeds_file(tmp_path: Path) -> None:
    """One URL per line, with comments and blank lines; anything else is a usage error naming its line."""
    good = tmp_path / "feeds.txt"
    good.write_text(
        "# world news\n\nhttps://example.org/rss.xml  # the wire\nhttps://example.org/rss.xml\nhttp://b.example/atom\n"
    )
    assert read_feeds_file(good) == ["https://example.org/rss.xml", "http://b.example/atom"]
    for text, message in (
        ("ftp://example.org/feed\n", ":1: not an http or https URL"),
        ("# nothing\n", "lists no feed URL"),
        ("https://example.org/a interval=1h\n", ":1: one feed URL per line"),
    ):
        bad = tmp_path / "bad.txt"
        bad.write_text(text)
        with pytest.raises(errors.UsageError, match=message):
            read_feeds_file(bad)


def test_feeds_are_parsed_and_broken_ones_refused() -> None:
    """RSS and Atom entries with normalised links and dates; a document that is no feed is a FeedError."""
    parsed = parse_feed(rss(["/a?utm_source=x", "http://example.org/b#c"]), "http://example.org/feed")
    assert [e.url for e in parsed.entries] == ["http://example.org/a", "http://example.org/b"]
    assert parsed.entries[0].published == dt.date(2024, 3, 6)
    assert parse_feed(atom(["http://example.org/c"]), "http://example.org/atom").title == "Atom wire"
    broken = parse_feed(rss(["http://example.org/a"])[:-20], "http://example.org/feed")
    assert len(broken.entries) == 1
    assert "not well-formed" in broken.problems[0]
    for body in (b"", b"this is not xml <<<", b"<html><body>Hello</body></html>"):
        with pytest.raises(errors.FeedError):
            parse_feed(body, "http://example.org/feed")


def test_items_are_interleaved_by_host() -> None:
    """Items are fetched host by host in turn, so that one host's delay overlaps another's requests."""
    from eventwire.feeds import Item

    items = [Item(u, "f", None, None, 0) for u in ("http://a/1", "http://a/2", "http://a/3", "http://b/1")]
    assert [i.url for i in interleaved(items)] == ["http://a/1", "http://b/1", "http://a/2", "http://a/3"]


# Rounds against the local site, with the real pipeline.


def test_rss_and_atom_articles_are_stored_once_and_feeds_polled_conditionally(
    site: Site, db: Path, pipeline: Pipeline
) -> None:
    """Both kinds of feed are read, each article URL fetched once however it is tagged or listed, pages read as
    `ingest` reads them, and a feed that has not changed is answered 304 and costs nothing else."""
    etag, modified = '"v1"', "Wed, 06 Mar 2024 10:00:00 GMT"

    def conditional(headers: dict[str, str]) -> Answer:
        """The RSS feed, or 304 when the client has it."""
        if headers.get("if-none-match") == etag:
            return Answer(304)
        links = [
            site.url("/news/1?utm_source=rss#top"),
            site.url("/news/2"),
            site.url("/news/1?utm_medium=x"),
        ]
        return Answer(200, rss(links), {**XML, "ETag": etag, "Last-Modified": modified})

    site.routes |= {
        "/rss.xml": conditional,
        "/atom.xml": Answer(
            200, atom([site.url("/news/3"), site.url("/news/2")]), {"Content-Type": "text/xml"}
        ),
        "/news/1": Answer(200, page("lavrov", canonical="https://wire.example/lavrov"), HTML),
        "/news/2": Answer(200, page("netanyahu", date=None), HTML),
        "/news/3": Answer(200, page("sanctions"), HTML),
    }
    feeds = [site.url("/rss.xml"), site.url("/atom.xml")]
    first = poll(feeds, db, pipeline)
    assert (first.feeds, first.new_items, first.fetched, first.ingest.new, first.ok) == (2, 3, 3, 3, True)
    assert statuses(db) == {"news/1": "done", "news/2": "done", "news/3": "done"}
    assert [site.hits(p) for p in ("/news/1", "/news/2", "/news/3", "/robots.txt")] == [1, 1, 1, 1]
    stored = rows(
        db,
        "SELECT s.uri, s.url, s.format, a.pub_date, a.date_source, a.title, json_extract_string(a.metadata, '$.feed') "
        "FROM sources s JOIN articles a ON a.id = s.article_id ORDER BY s.uri",
    )
    assert stored == [
        (site.url("/news/1"), "https://wire.example/lavrov", "html", dt.date(2024, 3, 5), "html", STORIES["lavrov"][0], feeds[0]),
        (site.url("/news/2"), site.url("/news/2"), "html", dt.date(2024, 3, 6), "feed", STORIES["netanyahu"][0], feeds[0]),
        (site.url("/news/3"), site.url("/news/3"), "html", dt.date(2024, 3, 5), "html", STORIES["sanctions"][0], feeds[1]),
    ]  # fmt: skip
    assert rows(db, "SELECT count(*) FROM event_mentions")[0][0] > 0
    assert (
        rows(db, "SELECT count(*) FROM feed_items WHERE article_id IN (SELECT id FROM articles)")[0][0] == 3
    )
    assert all(h["user-agent"].startswith("eventwire/") for _, h in site.log)

    second = poll(feeds, db, pipeline, number=2)
    assert (second.feeds, second.unchanged, second.new_items, second.fetched) == (2, 1, 0, 0)
    rss_requests = [h for p, h in site.log if p == "/rss.xml"]
    assert rss_requests[1]["if-none-match"] == etag
    assert rss_requests[1]["if-modified-since"] == modified
    # The Atom feed has no validators and lists its entries again: seen URLs are not fetched again.
    assert site.hits("/atom.xml") == 2
    assert [site.hits(p) for p in ("/news/1", "/news/2", "/news/3")] == [1, 1, 1]
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 3
    assert rows(db, "SELECT count(*) FROM sources")[0][0] == 3


def test_broken_pages_are_recorded_and_the_rest_goes_on(site: Site, db: Path, pipeline: Pipeline) -> None:
    """A 404 and a 410 page, an empty, a binary and a menu-only page become error rows with the URL and the
    reason, and items that end there; a mis-encoded page is stored with a warning; a good page is stored."""
    # Windows-1252 bytes served as UTF-8: decoded by detection, as `ingest` does for files.
    cp1252 = page("talks").replace(b"Cairo on", "Cairo’s “ceasefire talks” on".encode("cp1252"))
    menu = b"<html><body><ul><li><a href='/'>Home</a></li><li>World</li></ul></body></html>"
    declared = page("sanctions").replace(b"in Brussels", "in Brussels’ “strongest” terms".encode("cp1252"))
    paths = ["/ok", "/missing", "/gone", "/empty", "/binary", "/mis-encoded", "/declared", "/menu"]
    site.routes |= {
        "/feed": Answer(200, rss([site.url(p) for p in paths]), XML),
        "/ok": Answer(200, page("protest"), HTML),
        "/gone": Answer(410, b"gone"),
        "/empty": Answer(200, b"", HTML),
        "/binary": Answer(200, PNG, {"Content-Type": "image/png"}),
        "/mis-encoded": Answer(200, cp1252, HTML),
        "/declared": Answer(200, declared, {"Content-Type": "text/html; charset=windows-1252"}),
        "/menu": Answer(200, menu, HTML),
    }
    summary = poll([site.url("/feed")], db, pipeline)
    assert not summary.ok
    assert (summary.ingest.new, summary.ingest.failed, summary.given_up, summary.retrying) == (3, 3, 2, 0)
    assert statuses(db) == {
        "ok": "done",
        "mis-encoded": "done",
        "declared": "done",
        "missing": "failed",
        "gone": "failed",
        "empty": "failed",
        "binary": "failed",
        "menu": "failed",
    }
    found = errors_by_source(db)
    assert {path: code for path, (code, _, _) in found.items()} == {
        "missing": errors.HttpStatusError.code,
        "gone": errors.HttpStatusError.code,
        "empty": errors.EmptyInput.code,
        "binary": errors.BinaryInput.code,
        "menu": errors.NoMainText.code,
    }
    assert found["missing"][1] == "HTTP 404 Not Found"
    assert "PNG image" in found["binary"][1]
    assert rows(db, "SELECT last_error FROM feed_items WHERE url = ?", [site.url("/gone")]) == [
        ("HTTP 410 Gone",)
    ]
    warnings = rows(db, "SELECT source, reason FROM errors WHERE level = 'warning'")
    assert [(s.rsplit("/", 1)[1], r) for s, r in warnings] == [
        ("mis-encoded", "not valid UTF-8; decoded as cp1252 (detected)")
    ]
    text = dict(rows(db, "SELECT s.uri, text FROM articles a JOIN sources s ON s.article_id = a.id"))
    assert "Cairo’s “ceasefire talks”" in text[site.url("/mis-encoded")]
    assert "Brussels’ “strongest” terms" in text[site.url("/declared")]
    # Nothing that failed for good is asked for again.
    poll([site.url("/feed")], db, pipeline, number=2)
    assert all(site.hits(p) == 1 for p in paths)


def test_a_malformed_feed_backs_off_and_recovers(site: Site, db: Path, pipeline: Pipeline) -> None:
    """A feed that is not a feed is an error row and is polled again only after a wait that doubles; the other
    feed goes on; once it is a feed again, its error is resolved."""
    site.routes |= {
        "/bad.xml": [
            Answer(200, b"<rss><channel><title>oops"),
            Answer(200, b"<<<", XML),
            Answer(200, rss([]), XML),
        ],
        "/good.xml": Answer(200, rss([site.url("/a")]), XML),
        "/a": Answer(200, page("aid"), HTML),
    }
    feeds = [site.url("/bad.xml"), site.url("/good.xml")]
    first = poll(feeds, db, pipeline)
    assert (first.feed_errors, first.ingest.new) == (1, 1)
    code, reason, resolved = errors_by_source(db)["bad.xml"]
    assert (code, resolved) == (errors.FeedError.code, None)
    assert "not an RSS or Atom feed" in reason
    wait = "SELECT failures, epoch(next_poll_after) - epoch(last_polled) FROM feeds WHERE url = ?"
    assert rows(db, wait, [feeds[0]]) == [(1, SETTINGS.backoff)]
    poll(feeds, db, pipeline)
    assert site.hits("/bad.xml") == 1  # backing off
    time_travel(db, SETTINGS.backoff)
    poll(feeds, db, pipeline)
    assert site.hits("/bad.xml") == 2
    assert rows(db, wait, [feeds[0]]) == [(2, SETTINGS.backoff * 2)]  # the second wait is twice the first
    time_travel(db, SETTINGS.backoff)
    poll(feeds, db, pipeline)
    assert site.hits("/bad.xml") == 2
    time_travel(db, SETTINGS.backoff)
    assert poll(feeds, db, pipeline).feed_errors == 0
    assert rows(db, "SELECT failures, last_error FROM feeds WHERE url = ?", [feeds[0]]) == [(0, None)]
    assert errors_by_source(db)["bad.xml"][2] is not None
    assert site.hits("/good.xml") == 5


def test_server_errors_are_retried_with_backoff_of_item_and_host(
    site: Site, db: Path, pipeline: Pipeline
) -> None:
    """A 500 leaves the item pending and its host alone for a while (its other items wait too); then the item
    is stored and its error resolved."""
    site.routes |= {
        "/feed": Answer(200, rss([site.url("/flaky"), site.url("/later")]), XML),
        "/flaky": [Answer(500, b"oops"), Answer(200, page("talks"), HTML)],
        "/later": Answer(200, page("aid"), HTML),
    }
    first = poll([site.url("/feed")], db, pipeline)
    assert (first.retrying, first.fetched, first.pending) == (1, 0, 2)
    code, reason, _ = errors_by_source(db)["flaky"]
    assert (code, reason) == (errors.HttpStatusError.code, "HTTP 500 Internal Server Error (attempt 1 of 3)")
    assert site.hits("/later") == 0  # its host is backing off
    assert rows(db, "SELECT failures, last_error FROM hosts") == [(1, "HTTP 500 Internal Server Error")]
    poll([site.url("/feed")], db, pipeline)
    assert (site.hits("/flaky"), site.hits("/feed")) == (1, 1)
    time_travel(db, SETTINGS.backoff)
    third = poll([site.url("/feed")], db, pipeline)
    assert (third.ingest.new, third.pending, third.ok) == (2, 0, True)
    assert statuses(db) == {"flaky": "done", "later": "done"}
    assert errors_by_source(db)["flaky"][2] is not None  # resolved
    assert rows(db, "SELECT failures FROM hosts") == [(0,)]


def test_429_waits_as_long_as_retry_after_says(site: Site, db: Path, pipeline: Pipeline) -> None:
    """A 429 with Retry-After: the item and its host wait that long, longer than the backoff would."""
    site.routes |= {
        "/feed": Answer(200, rss([site.url("/busy")]), XML),
        "/busy": [Answer(429, b"slow down", {"Retry-After": "2"}), Answer(200, page("sanctions"), HTML)],
    }
    settings = WatchSettings(delay=0.0, timeout=2.0, backoff=0.3)
    assert poll([site.url("/feed")], db, pipeline, settings).retrying == 1
    wait = rows(db, "SELECT epoch(next_try_after) - epoch(now()) FROM feed_items")[0][0]
    assert 1.5 < wait <= 2.1
    assert "Retry-After 2 s" in errors_by_source(db)["busy"][1]
    time.sleep(1.0)  # well past the backoff (0.3 s), not past Retry-After
    poll([site.url("/feed")], db, pipeline, settings)
    assert site.hits("/busy") == 1
    time.sleep(1.2)
    assert poll([site.url("/feed")], db, pipeline, settings).ingest.new == 1
    assert site.hits("/busy") == 2


def test_slow_pages_time_out_and_are_given_up_after_the_last_attempt(
    site: Site, db: Path, pipeline: Pipeline
) -> None:
    """A page slower than the timeout is a network error, tried again until the attempts run out."""
    settings = WatchSettings(delay=0.0, timeout=0.4, backoff=0.1, max_backoff=0.2, max_attempts=2)
    site.routes |= {
        "/feed": Answer(200, rss([site.url("/slow")]), XML),
        "/slow": Answer(200, page("protest"), HTML, delay=1.5),
    }
    assert poll([site.url("/feed")], db, pipeline, settings).retrying == 1
    code, reason, _ = errors_by_source(db)["slow"]
    assert code == errors.NetworkError.code
    assert "timed out after 0.4 s" in reason
    time.sleep(0.3)
    summary = poll([site.url("/feed")], db, pipeline, settings)
    assert (summary.given_up, statuses(db)) == (1, {"slow": "failed"})
    assert "gave up after 2 attempts" in errors_by_source(db)["slow"][1]


def test_pages_robots_txt_forbids_are_recorded_and_never_requested(
    site: Site, db: Path, pipeline: Pipeline
) -> None:
    """A page under a path robots.txt disallows is recorded as disallowed with an error row, never requested;
    robots.txt itself is read once per run."""
    site.routes |= {
        "/robots.txt": Answer(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}),
        "/feed": Answer(200, rss([site.url("/private/secret"), site.url("/public/story")]), XML),
        "/private/secret": Answer(200, page("lavrov"), HTML),
        "/public/story": Answer(200, page("netanyahu"), HTML),
    }
    summary = poll([site.url("/feed")], db, pipeline)
    assert (summary.disallowed, summary.ingest.new) == (1, 1)
    assert statuses(db) == {"private/secret": "disallowed", "public/story": "done"}
    assert errors_by_source(db)["private/secret"][0] == errors.RobotsDisallowed.code
    assert site.hits("/private/secret") == 0
    assert site.hits("/robots.txt") == 1


def test_the_command_refuses_bad_arguments_before_loading_anything(
    tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]
) -> None:
    """A broken feeds file or interval is a usage error (exit 2) naming the problem."""
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("not a url\n")
    done = subprocess.run(
        [*eventwire_cmd, "watch", str(feeds), "--once"],
        capture_output=True,
        text=True,
        env=cli_env,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "feeds.txt:1: not an http or https URL" in done.stderr
    feeds.write_text("http://127.0.0.1:9/feed\n")
    done = subprocess.run([*eventwire_cmd, "watch", str(feeds), "--interval", "soon"], capture_output=True, text=True, env=cli_env, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert "not a duration" in done.stderr


# The command, killed and restarted.


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[str], timeout: float = 60.0) -> None:
    """Wait until a condition holds while a process runs; fail with its output when it ends first or after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"gave up waiting: exit {process.returncode}; {process.communicate()}")
        time.sleep(0.05)


@pytest.mark.slow
def test_killed_mid_fetch_and_restarted_stores_every_article_exactly_once(
    site: Site, tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]
) -> None:
    """SIGKILL while a slow page is being fetched loses nothing and duplicates nothing: the next run fetches the
    pending items and not the stored ones; SIGTERM while fetching finishes the page, stores it, and exits 0."""
    paths = ["/a", "/b-slow", "/c"]
    site.routes |= {
        "/feed": Answer(200, rss([site.url(p) for p in paths]), XML),
        "/a": Answer(200, page("talks"), HTML),
        "/b-slow": Answer(200, page("aid"), HTML, delay=2.0),
        "/c": Answer(200, page("protest"), HTML),
    }
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# local\n{site.url('/feed')}\n")
    db = tmp_path / "watch.duckdb"
    command = [*eventwire_cmd, "watch", str(feeds), "--db", str(db), "--delay", "0s"]

    def start(*extra: str) -> subprocess.Popen[str]:
        """The command started in the background."""
        return subprocess.Popen(
            [*command, *extra],
            env=cli_env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    killed = start("--once")
    _wait_for(lambda: site.hits("/b-slow") == 1, killed)
    killed.kill()
    killed.communicate()
    assert statuses(db) == {"a": "done", "b-slow": "pending", "c": "pending"}

    stopped = start("--interval", "1h")
    _wait_for(lambda: site.hits("/b-slow") == 2, stopped)
    stopped.send_signal(signal.SIGTERM)
    out, err = stopped.communicate(timeout=30)
    assert stopped.returncode == 0, err
    assert "round 1" in out and "stopped" in out
    assert "pending items are fetched by the next run" in err
    assert statuses(db) == {"a": "done", "b-slow": "done", "c": "pending"}

    last = subprocess.run([*command, "--once"], env=cli_env, cwd=tmp_path, capture_output=True, text=True)
    assert last.returncode == 0, last.stderr
    assert "new 1 · duplicate 0 · failed 0" in last.stdout
    assert statuses(db) == {"a": "done", "b-slow": "done", "c": "done"}
    assert [site.hits(p) for p in paths] == [1, 2, 1]
    assert rows(db, "SELECT count(*), count(DISTINCT article_id) FROM sources") == [(3, 3)]
    assert rows(db, "SELECT count(*) FROM articles") == [(3,)]
    assert rows(db, "SELECT max(version) >= 7 FROM schema_migrations") == [(True,)]
