"""Fetching over HTTP, politely: a User-Agent, timeouts, a size limit, robots.txt, and a delay between two requests
to one host.

Problems are raised as `FetchError`s that say whether asking again later may succeed (`transient`) and how long
the server asked to wait; what to do about them (backoff, giving up) is the caller's decision.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import __version__
from .errors import FetchError, HttpStatusError, NetworkError, RobotsDisallowed

LOGGER = logging.getLogger(__name__)

# The name robots.txt files address eventwire by; the User-Agent starts with it (--user-agent can add a contact).
AGENT = "eventwire"
USER_AGENT = f"{AGENT}/{__version__} (political event data from news articles)"
DEFAULT_TIMEOUT = 30.0
DEFAULT_DELAY = 1.0
# A robots.txt Crawl-delay longer than this would stall every round: such sites get this one.
MAX_CRAWL_DELAY = 60.0
# robots.txt files are read again after an hour, so that a long-running watch sees their changes.
ROBOTS_TTL = 3600.0
# What Google reads of a robots.txt file; the rest is ignored.
ROBOTS_MAX_BYTES = 512_000
# A Retry-After further away than a day is taken as a day: the host is tried again then.
MAX_RETRY_AFTER = 86_400.0
_CHUNK = 65_536
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
)
# Query parameters that follow the reader rather than select the page: an article under any of them is one URL.
_TRACKING = re.compile(
    r"utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|ocid|cmpid|xtor|"
    r"at_medium|at_campaign|smid|ncid",
    re.I,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Stopped(Exception):
    """The run was asked to stop while waiting for a host: the request was not made."""


@dataclass(frozen=True, slots=True)
class Response:
    """An HTTP answer: the URL after redirects, the status (200, or 304: not modified), headers and body."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        """The media type of the body (`text/html`), lower case, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the server declared for the body, if any."""
        match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", self.headers.get("content-type", ""), re.I)
        return match.group(1) if match else None


def normalise_url(url: str, base: str | None = None) -> str:
    """The URL an article is known by: absolute, scheme and host in lower case, without default port, fragment or
    tracking parameters."""
    parts = urllib.parse.urlsplit(urllib.parse.urljoin(base, url.strip()) if base else url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = "&".join(p for p in parts.query.split("&") if p and not _tracking(p))
    return urllib.parse.urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _tracking(pair: str) -> bool:
    """Whether a `key=value` query pair is a tracking parameter."""
    return _TRACKING.fullmatch(urllib.parse.unquote_plus(pair.split("=", 1)[0])) is not None


def is_web_url(url: str) -> bool:
    """Whether a URL is absolute http or https with a host."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)


def host_of(url: str) -> str:
    """The host (and port, when not the default) a URL is fetched from: the unit of politeness and backoff."""
    return urllib.parse.urlsplit(normalise_url(url)).netloc


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """The seconds a Retry-After header asks to wait (it gives seconds or an HTTP date), or None."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    seconds = (when - (now or dt.datetime.now(dt.UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class Fetcher:
    """HTTP GET for one run of `eventwire watch`: it waits between two requests to a host and keeps each host's
    robots.txt for an hour."""

    def __init__(
        self,
        user_agent: str = USER_AGENT,
        timeout: float = DEFAULT_TIMEOUT,
        delay: float = DEFAULT_DELAY,
        *,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """A fetcher sending `user_agent`, giving up on a request after `timeout` seconds and waiting `delay`
        seconds (or the host's Crawl-delay) between two requests to a host; setting `stop` ends the waiting."""
        self.user_agent = user_agent
        self.timeout = timeout
        self.delay = delay
        self.stop = stop or threading.Event()
        self._clock = clock
        self._last: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = {}
        self._opener = urllib.request.build_opener()

    def get(self, url: str, *, max_bytes: int, headers: Mapping[str, str] | None = None) -> Response:
        """GET a URL once the host's delay has passed; at most `max_bytes` + 1 bytes of the body are read, so that
        the caller can tell a body that is too long."""
        if not is_web_url(url):
            raise FetchError("not an http or https URL", source=url)
        host = host_of(url)
        self._wait(host)
        try:
            return self._get(url, max_bytes, headers or {})
        finally:
            self._last[host] = self._clock()

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets eventwire fetch the URL (read first when not known, or old)."""
        return self._robots_for(url).can_fetch(AGENT, url)

    def _wait(self, host: str) -> None:
        """Sleep until the host's delay since its last request has passed; Stopped when asked to stop."""
        last = self._last.get(host)
        if last is None:
            return
        remaining = last + max(self.delay, self._crawl_delay.get(host, 0.0)) - self._clock()
        if remaining > 0 and self.stop.wait(remaining):
            raise Stopped(f"stopped while waiting for {host}")

    def _get(self, url: str, max_bytes: int, headers: Mapping[str, str]) -> Response:
        """One GET, its problems turned into FetchErrors."""
        request = urllib.request.Request(
            url, headers={"User-Agent": self.user_agent, "Accept": _ACCEPT, **headers}
        )
        deadline = self._clock() + self.timeout
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                body = self._read(answer, max_bytes, deadline, url)
                return Response(answer.geturl(), answer.status, _lower(answer.headers), body)
        except urllib.error.HTTPError as exc:
            with exc:
                if exc.code == 304:
                    return Response(url, 304, _lower(exc.headers), b"")
                raise _status_error(exc, url) from None
        except urllib.error.URLError as exc:
            raise NetworkError(f"cannot connect: {self._why(exc.reason)}", source=url) from None
        except (OSError, http.client.HTTPException) as exc:
            raise NetworkError(f"connection failed: {self._why(exc)}", source=url) from None

    def _why(self, reason: object) -> str:
        """A readable reason for a network problem (a timeout says how long it waited)."""
        if isinstance(reason, TimeoutError):
            return f"timed out after {self.timeout:g} s"
        return str(reason) or type(reason).__name__

    def _read(self, answer: Any, max_bytes: int, deadline: float, url: str) -> bytes:
        """At most `max_bytes` + 1 bytes of a body, as they arrive; NetworkError once the time is up."""
        chunks: list[bytes] = []
        size = 0
        # read1 returns what has arrived, so that a server trickling bytes cannot hold a read past the deadline.
        read = getattr(answer, "read1", answer.read)
        while size <= max_bytes:
            chunk = read(min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if self._clock() > deadline:
                raise NetworkError(f"timed out: the body took longer than {self.timeout:g} s", source=url)
        return b"".join(chunks)

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser:
        """The robots.txt rules of the URL's site, read when not known or older than an hour."""
        parts = urllib.parse.urlsplit(normalise_url(url))
        origin = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(origin)
        if cached is not None and self._clock() - cached[0] < ROBOTS_TTL:
            return cached[1]
        try:
            rules = self._read_robots(origin)
        except FetchError as exc:
            # Reported where it matters, at the page that could not be fetched because of it.
            error = NetworkError(f"robots.txt could not be read: {exc.reason}", source=url)
            error.retry_after = exc.retry_after
            raise error from None
        self._robots[origin] = (self._clock(), rules)
        delay = rules.crawl_delay(AGENT)
        if delay is not None:
            self._crawl_delay[parts.netloc] = min(float(delay), MAX_CRAWL_DELAY)
        return rules

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """A site's robots.txt rules: none when it has no file, everything forbidden when it refuses access."""
        rules = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            response = self.get(f"{origin}/robots.txt", max_bytes=ROBOTS_MAX_BYTES)
        except HttpStatusError as exc:
            if exc.transient:
                raise
            # The robots.txt convention: 401 and 403 forbid the whole site, other client errors allow it.
            rules.parse(["User-agent: *", "Disallow: /"] if exc.status in (401, 403) else [])
            return rules
        rules.parse(response.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        return rules


def disallowed(url: str) -> RobotsDisallowed:
    """The error of a URL the site's robots.txt does not let eventwire fetch."""
    return RobotsDisallowed(f"robots.txt does not allow {AGENT} to fetch this URL: not requested", source=url)


def _status_error(exc: urllib.error.HTTPError, url: str) -> FetchError:
    """The error an HTTP error status becomes (a redirect status here means a loop or no Location)."""
    if 300 <= exc.code < 400:
        return FetchError(
            f"HTTP {exc.code}: too many redirects, or a redirect without a location", source=url
        )
    wait = retry_after(exc.headers.get("Retry-After"))
    reason = f"HTTP {exc.code} {exc.reason}".rstrip()
    if wait is not None:
        reason += f", Retry-After {wait:g} s"
    return HttpStatusError(exc.code, reason, retry_after=wait, source=url)


def _lower(headers: Any) -> dict[str, str]:
    """Response headers keyed by lower-case name (the last of a repeated header wins)."""
    return {str(k).lower(): str(v) for k, v in headers.items()} if headers is not None else {}
