"""`eventwire watch`: feeds polled from a real web server on loopback, pages ingested with the real pipeline into a
real DuckDB file, and every way a feed or a page can fail; then the command killed and restarted."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from eventwire import errors
from eventwire.cli import cli
from eventwire.feeds import Entry, add_items, parse_feed, parse_interval, read_feeds_file, register_feeds
from eventwire.fetch import Fetcher, Resolver, address_kind, host_of, normalise_url, resolve, retry_after
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

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The address of a path on the site, under another name of loopback when `host` is given."""
        return f"http://{host}:{self.server.server_address[1]}{path}"

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
    feeds: list[str],
    db: Path,
    pipeline: Pipeline,
    settings: WatchSettings = SETTINGS,
    number: int = 1,
    resolver: Resolver = resolve,
) -> RoundSummary:
    """One round of watching, the store opened for it (a new fetcher, as in a new run)."""
    fetcher = Fetcher(
        timeout=settings.timeout,
        delay=settings.delay,
        allow_private=settings.allow_private,
        resolver=resolver,
    )
    with Store(db) as store:
        return run_round(feeds, store, pipeline, fetcher, settings, number)


# A public address, never connected to: the resolvers below only make a name look public to the address check.
PUBLIC = "93.184.216.34"


def public_localhost(host: str) -> Sequence[str]:
    """Addresses as the system resolves them, except that `localhost` looks public: a feed served from loopback
    under that name stands for a feed on the internet (the connection itself still goes to loopback)."""
    return [PUBLIC] if host == "localhost" else resolve(host)


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


def test_non_ascii_urls_are_made_requestable() -> None:
    """A non-ASCII path or query is percent-encoded as UTF-8 (escapes already there kept, so normalising twice
    changes nothing) and an internationalised host takes its ASCII form; a host without one is left for the fetch
    to refuse, and what is no URL at all is a ValueError."""
    iri = "http://Example.org/politik/über-die-wahl?q=wahl ergebnis&ort=%C3%BCberall&anteil=5%"
    assert normalise_url(iri) == (
        "http://example.org/politik/%C3%BCber-die-wahl?q=wahl%20ergebnis&ort=%C3%BCberall&anteil=5%25"
    )
    assert normalise_url(normalise_url(iri)) == normalise_url(iri)
    assert normalise_url("https://Bücher.example:8443/ä") == "https://xn--bcher-kva.example:8443/%C3%A4"
    assert (
        normalise_url("/wahl/ä", "http://Zürich.example/feed") == "http://xn--zrich-kva.example/wahl/%C3%A4"
    )
    assert normalise_url("http://example.org/a/b;c?x=1&y=a,b") == "http://example.org/a/b;c?x=1&y=a,b"
    too_long = "ü" + "x" * 70
    assert normalise_url(f"http://{too_long}.example/") == f"http://{too_long}.example/"
    with pytest.raises(ValueError):
        normalise_url("http://[oops/")


def test_addresses_are_classified() -> None:
    """Public addresses pass; loopback, private, link-local, multicast, reserved ones (IPv4 inside IPv6 too) do
    not."""
    assert [address_kind(a) for a in (PUBLIC, "2606:4700::1")] == [None, None]
    assert {
        a: address_kind(a)
        for a in ("127.0.0.1", "::1", "::ffff:127.0.0.1", "10.1.2.3", "192.168.0.1", "100.64.0.1", "fc00::1")
    } == dict.fromkeys(("10.1.2.3", "192.168.0.1", "100.64.0.1", "fc00::1"), "private") | {
        "127.0.0.1": "loopback",
        "::1": "loopback",
        "::ffff:127.0.0.1": "loopback",
    }
    assert [
        address_kind(a) for a in ("169.254.169.254", "fe80::1%eth0", "224.0.0.1", "0.0.0.0", "240.0.0.1")
    ] == [
        "link-local",
        "link-local",
        "multicast",
        "unspecified",
        "reserved",
    ]


def test_the_fetcher_refuses_what_it_may_not_or_cannot_request() -> None:
    """Without leave, a host at a non-public address is refused (a name too, when any of its addresses is one);
    with it, only URLs that cannot be requested at all are; nothing here reaches the network."""
    names = {"wire.test": [PUBLIC], "mixed.test": [PUBLIC, "10.0.0.7"], "intranet.test": ["10.0.0.8"]}

    def resolver(host: str) -> Sequence[str]:
        """The test's names; other names (addresses) as the system resolves them."""
        return names.get(host) or resolve(host)

    fetcher = Fetcher(resolver=resolver)
    fetcher.check("http://wire.test/a")
    for url, kind in (
        ("http://127.0.0.1:9/a", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/a", "loopback"),
        ("http://mixed.test/a", "private"),
    ):
        with pytest.raises(errors.AddressRefused, match=f"is (at [^ ]+, )?a {kind} address: not requested"):
            fetcher.check(url)
    fetcher.check("http://127.0.0.1:9/a", private_ok=True)
    assert fetcher.is_private_host("http://intranet.test/feed")
    assert not fetcher.is_private_host("http://mixed.test/feed")
    assert not fetcher.is_private_host("http://wire.test/feed")
    for url in ("ftp://wire.test/a", "file:///etc/passwd", "http://0..test/a", f"http://ü{'x' * 70}.test/"):
        with pytest.raises(errors.FetchError) as refused:
            fetcher.check(url, private_ok=True)
        assert type(refused.value) is errors.FetchError
    # A host name http.client refuses to send: a final error, not a network problem to try again.
    with pytest.raises(errors.FetchError, match="cannot be requested") as refused:
        Fetcher(allow_private=True).get("http://bad host.test/", max_bytes=10)
    assert not refused.value.transient


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
        ("# a broken IPv6 address\nhttp://[oops/feed\n", ":2: not an http or https URL"),
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
    unparsable = parse_feed(rss(["http://[oops/x", "http://example.org/ok"]), "http://example.org/feed")
    assert [e.url for e in unparsable.entries] == ["http://example.org/ok"]
    assert unparsable.problems == ["an entry without an http(s) link was left out: 'Item 0'"]
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
        "/busy": [Answer(429, b"slow down", {"Retry-After": "120"}), Answer(200, page("sanctions"), HTML)],
    }
    assert poll([site.url("/feed")], db, pipeline).retrying == 1
    wait = rows(db, "SELECT epoch(next_try_after) - epoch(now()) FROM feed_items")[0][0]
    assert 115 < wait <= 120
    assert "Retry-After 120 s" in errors_by_source(db)["busy"][1]
    time_travel(db, 2 * SETTINGS.backoff)  # well past the backoff (30 s), not past Retry-After
    poll([site.url("/feed")], db, pipeline)
    assert site.hits("/busy") == 1
    time_travel(db, 120 - 2 * SETTINGS.backoff)
    assert poll([site.url("/feed")], db, pipeline).ingest.new == 1
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


def test_non_ascii_feeds_and_pages_are_fetched_and_stored(
    site: Site, db: Path, pipeline: Pipeline, tmp_path: Path
) -> None:
    """A feeds file and a feed with non-ASCII URLs: both are requested percent-encoded and the page is stored;
    an item stored unencoded by an older version is fetched all the same, and nothing is asked twice."""
    site.routes |= {
        "/flux/actualit%C3%A9s.xml": Answer(200, rss([site.url("/politik/über-die-wahl")]), XML),
        "/politik/%C3%BCber-die-wahl": Answer(200, page("protest"), HTML),
        "/wahl/ergebnis-f%C3%BCr-berlin": Answer(200, page("aid"), HTML),
    }
    feeds_file = tmp_path / "feeds.txt"
    feeds_file.write_text(f"{site.url('/flux/actualités.xml')}  # französisch\n", encoding="utf-8")
    feeds = read_feeds_file(feeds_file)
    assert feeds == [site.url("/flux/actualit%C3%A9s.xml")]
    legacy = site.url("/wahl/ergebnis-für-berlin")
    with Store(db) as store:
        register_feeds(store, feeds)
        add_items(store, feeds[0], [Entry(legacy, None, "Legacy", None)], dt.datetime.now(dt.UTC))
    summary = poll(feeds, db, pipeline)
    assert (summary.ok, summary.fetched, summary.ingest.new) == (True, 2, 2)
    assert statuses(db) == {
        "politik/%C3%BCber-die-wahl": "done",
        "wahl/ergebnis-für-berlin": "done",
    }
    assert rows(db, "SELECT uri FROM sources ORDER BY uri") == [
        (site.url("/politik/%C3%BCber-die-wahl"),),
        (legacy,),
    ]
    poll(feeds, db, pipeline, number=2)
    assert [site.hits(p) for p in site.routes] == [2, 1, 1]


def test_a_url_that_cannot_be_requested_is_an_error_row_and_the_round_goes_on(
    site: Site, db: Path, pipeline: Pipeline
) -> None:
    """Links whose host has no valid form end as error rows with the URL and the reason, the item after them is
    stored, and the next run (a restart) asks for nothing again."""
    too_long = f"http://ü{'x' * 70}.test/a"
    site.routes |= {
        "/feed": Answer(200, rss(["http://0..test/a", site.url("/ok"), too_long]), XML),
        "/ok": Answer(200, page("talks"), HTML),
    }
    summary = poll([site.url("/feed")], db, pipeline)
    assert (summary.given_up, summary.ingest.new, summary.pending) == (2, 1, 0)
    found = rows(db, "SELECT source, code, reason FROM errors WHERE level = 'error' ORDER BY source")
    assert found == [
        ("http://0..test/a", "EW800", "the host '0..test' is not a valid domain name: not requested"),
        (too_long, "EW800", f"the host {too_long[7:-2]!r} is not a valid domain name: not requested"),
    ]
    assert rows(db, "SELECT url, status, attempts FROM feed_items ORDER BY url") == [
        ("http://0..test/a", "failed", 1),
        (site.url("/ok"), "done", 0),
        (too_long, "failed", 1),
    ]
    again = poll([site.url("/feed")], db, pipeline, number=2)
    assert (again.ok, again.fetched, again.pending) == (True, 0, 0)
    assert site.hits("/ok") == 1


def test_an_unexpected_error_is_an_error_row_and_a_repeat_offender_is_given_up(
    site: Site, db: Path, pipeline: Pipeline
) -> None:
    """An exception nothing expected (here from the resolver) is an error row with the URL and the reason, for a
    feed and for a page; the rest of the round goes on, the page is tried again, and given up after the last
    attempt."""

    def broken(host: str) -> Sequence[str]:
        """A resolver with a bug for the `boom.test` names."""
        if host.endswith("boom.test"):
            raise RuntimeError(f"resolver bug for {host}")
        return public_localhost(host)

    feed = site.url("/feed", host="localhost")
    site.routes |= {
        "/feed": Answer(200, rss(["http://boom.test/a", site.url("/ok", host="localhost")]), XML),
        "/ok": Answer(200, page("sanctions"), HTML),
    }
    feeds = ["http://feed.boom.test/rss", feed]
    first = poll(feeds, db, pipeline, resolver=broken)
    assert (first.feed_errors, first.retrying, first.ingest.new) == (1, 1, 1)
    found = errors_by_source(db)
    assert found["rss"][:2] == ("EW800", "unexpected error: RuntimeError: resolver bug for feed.boom.test")
    assert found["a"][:2] == (
        "EW800",
        "unexpected error: RuntimeError: resolver bug for boom.test (attempt 1 of 3)",
    )
    assert rows(db, "SELECT failures FROM feeds WHERE url = ?", [feeds[0]]) == [(1,)]
    assert rows(db, "SELECT count(*) FROM hosts WHERE failures > 0") == [(0,)]  # no host is to blame
    for number in (2, 3):
        time_travel(db, SETTINGS.max_backoff)
        poll(feeds, db, pipeline, number=number, resolver=broken)
    assert statuses(db)["a"] == "failed"
    assert "gave up after 3 attempts" in errors_by_source(db)["a"][1]
    time_travel(db, SETTINGS.max_backoff)
    assert poll(feeds, db, pipeline, number=4, resolver=broken).retrying == 0
    assert rows(db, "SELECT attempts FROM feed_items WHERE url = 'http://boom.test/a'") == [(3,)]


def test_a_feed_on_a_public_host_may_not_lead_to_private_addresses(
    site: Site, db: Path, pipeline: Pipeline, tmp_path: Path
) -> None:
    """Links from a public feed to loopback, link-local and private addresses, directly or by a redirect, are
    EW805 error rows and are never requested; a redirect to ftp is not followed; its public pages are stored;
    `allow_private` (`--allow-private`) lets the loopback pages through."""
    paths = ["/story", "/jump", "/to-ftp"]
    links = [
        site.url("/secret"),
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/admin",
        *(site.url(p, host="localhost") for p in paths),
    ]
    site.routes |= {
        "/feed": Answer(200, rss(links), XML),
        "/story": Answer(200, page("lavrov"), HTML),
        "/jump": Answer(302, b"", {"Location": site.url("/secret")}),
        "/to-ftp": Answer(301, b"", {"Location": "ftp://localhost/pub/secret.txt"}),
        "/secret": Answer(200, page("netanyahu"), HTML),
    }
    feed = site.url("/feed", host="localhost")
    summary = poll([feed], db, pipeline, resolver=public_localhost)
    assert (summary.ingest.new, summary.given_up, summary.pending) == (1, 5, 0)
    found = rows(db, "SELECT source, code, reason FROM errors WHERE level = 'error'")
    by_url = {source: (code, reason) for source, code, reason in found}
    assert {url: code for url, (code, _) in by_url.items()} == {
        links[0]: "EW805",
        links[1]: "EW805",
        links[2]: "EW805",
        links[4]: "EW805",
        links[5]: "EW800",
    }
    assert "127.0.0.1 is a loopback address: not requested" in by_url[links[0]][1]
    assert "169.254.169.254 is a link-local address" in by_url[links[1]][1]
    assert "10.1.2.3 is a private address" in by_url[links[2]][1]
    assert by_url[links[4]][1].startswith(
        f"redirected to {site.url('/secret')}: 127.0.0.1 is a loopback address"
    )
    assert by_url[links[5]][1] == (
        "redirected to ftp://localhost/pub/secret.txt: only http and https URLs are fetched"
    )
    assert site.hits("/secret") == 0
    assert site.hits("/robots.txt") == 1  # of localhost only: nothing at all was asked of 127.0.0.1
    assert statuses(db)["story"] == "done"

    # With leave, the same public feed's loopback links are fetched (only those: nothing here leaves the machine).
    site.routes["/loopback-feed"] = Answer(200, rss([links[0], links[4]]), XML)
    settings = replace(SETTINGS, allow_private=True)
    loopback_feed = site.url("/loopback-feed", host="localhost")
    allowed = poll(
        [loopback_feed], tmp_path / "allowed.duckdb", pipeline, settings, resolver=public_localhost
    )
    assert (allowed.ok, allowed.ingest.new, allowed.ingest.duplicate) == (True, 1, 1)
    assert site.hits("/secret") == 2  # directly and by the redirect


def test_redirects_are_checked_like_the_first_url(site: Site, db: Path, pipeline: Pipeline) -> None:
    """From a feed on loopback (an intranet feed), a redirect within it is followed and the page stored under the
    item's URL; a redirect to another host is checked against that host's robots.txt; one to ftp is refused."""
    site.routes |= {
        "/robots.txt": Answer(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}),
        "/feed": Answer(200, rss([site.url("/moved"), site.url("/hop"), site.url("/to-ftp")]), XML),
        "/moved": Answer(301, b"", {"Location": "/news/moved-here"}),
        "/news/moved-here": Answer(200, page("aid"), HTML),
        "/hop": Answer(302, b"", {"Location": site.url("/private/page", host="localhost")}),
        "/private/page": Answer(200, page("talks"), HTML),
        "/to-ftp": Answer(302, b"", {"Location": "ftp://127.0.0.1/pub/file.txt"}),
    }
    summary = poll([site.url("/feed")], db, pipeline)
    assert (summary.ingest.new, summary.disallowed, summary.given_up) == (1, 1, 1)
    assert statuses(db) == {"moved": "done", "hop": "disallowed", "to-ftp": "failed"}
    assert rows(db, "SELECT uri, url FROM sources") == [(site.url("/moved"), site.url("/news/moved-here"))]
    found = errors_by_source(db)
    assert found["hop"][0] == errors.RobotsDisallowed.code
    assert found["hop"][1].startswith(
        f"redirected to {site.url('/private/page', host='localhost')}: robots.txt"
    )
    assert found["to-ftp"][:2] == (
        "EW800",
        "redirected to ftp://127.0.0.1/pub/file.txt: only http and https URLs are fetched",
    )
    assert site.hits("/private/page") == 0
    assert site.hits("/robots.txt") == 2  # of 127.0.0.1, then of localhost


def test_the_command_refuses_bad_arguments_before_loading_anything(tmp_path: Path) -> None:
    """A broken feeds file or interval is a usage error (exit 2) naming the problem, and nothing is stored."""
    feeds = tmp_path / "feeds.txt"
    db = tmp_path / "watch.duckdb"
    feeds.write_text("not a url\n")
    runner = CliRunner()
    done = runner.invoke(cli, ["watch", str(feeds), "--once", "--db", str(db)])
    assert done.exit_code == 2, done.output
    assert "feeds.txt:1: not an http or https URL" in done.stderr
    feeds.write_text("http://127.0.0.1:9/feed\n")
    done = runner.invoke(cli, ["watch", str(feeds), "--interval", "soon", "--db", str(db)])
    assert done.exit_code == 2, done.output
    assert "not a duration" in done.stderr
    assert not db.exists()


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
