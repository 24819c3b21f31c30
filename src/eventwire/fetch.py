"""Fetching over HTTP, politely: a User-Agent, timeouts, a size limit, robots.txt, and a delay between two requests
to one host.

Problems are raised as `FetchError`s that say whether asking again later may succeed (`transient`) and how long
the server asked to wait; what to do about them (backoff, giving up) is the caller's decision.

Feeds list third parties' links, so a URL is asked for only over http(s), and only from a public address unless
the caller says private ones are fine (a feed on an intranet, `--allow-private`); redirects are checked the same
way, robots.txt of their target included.
"""

from __future__ import annotations

import datetime as dt
import email.message
import email.utils
import http.client
import ipaddress
import logging
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from . import __version__
from .errors import AddressRefused, FetchError, HttpStatusError, NetworkError, RobotsDisallowed

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
# What RFC 3986 lets a path or a query hold as it is; anything else (spaces, non-ASCII letters) is percent-encoded,
# and a `%` already starting an escape is kept so that an encoded URL stays the same.
_PATH_SAFE = "/:@!$&'()*+,;=%"
_QUERY_SAFE = _PATH_SAFE + "?"
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")

# The addresses a host name stands for; tests pass their own to make a name public or private.
Resolver = Callable[[str], Sequence[str]]


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
    """The URL an article is known by: absolute, scheme and host in lower case (an internationalised host in its
    ASCII form), path and query percent-encoded, without default port, fragment or tracking parameters; ValueError
    when it cannot be parsed."""
    parts = urllib.parse.urlsplit(urllib.parse.urljoin(base, url.strip()) if base else url.strip())
    scheme = parts.scheme.lower()
    host = _ascii_host(parts.hostname or "")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = "&".join(_quote(p, _QUERY_SAFE) for p in parts.query.split("&") if p and not _tracking(p))
    return urllib.parse.urlunsplit((scheme, netloc, _quote(parts.path or "/", _PATH_SAFE), query, ""))


def _ascii_host(host: str) -> str:
    """A host name in the ASCII form DNS and HTTP use (IDNA); unchanged when it has no such form, so that the
    fetch, not the normalisation, reports it."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _valid_host(host: str) -> bool:
    """Whether a host can be looked up: ASCII, its labels neither empty nor longer than DNS allows."""
    if not host.isascii():
        return False  # `normalise_url` found no ASCII form for it
    try:
        host.encode("idna")
    except UnicodeError:
        return False
    return True


def _quote(text: str, safe: str) -> str:
    """A path or query with what a URL cannot hold percent-encoded (UTF-8), existing escapes kept."""
    return urllib.parse.quote(_BARE_PERCENT.sub("%25", text), safe=safe)


def _tracking(pair: str) -> bool:
    """Whether a `key=value` query pair is a tracking parameter."""
    return _TRACKING.fullmatch(urllib.parse.unquote_plus(pair.split("=", 1)[0])) is not None


def is_web_url(url: str) -> bool:
    """Whether a URL is absolute http or https with a host."""
    try:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)
    except ValueError:
        return False  # a broken IPv6 address, a netloc that changes under Unicode normalisation


def host_of(url: str) -> str:
    """The host (and port, when not the default) a URL is fetched from: the unit of politeness and backoff."""
    return urllib.parse.urlsplit(normalise_url(url)).netloc


def resolve(host: str) -> list[str]:
    """The IPv4 and IPv6 addresses a host name stands for (an address stands for itself); OSError when it has
    none."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)]


def address_kind(address: str) -> str | None:
    """Why an address is not public (`loopback`, `link-local`, `private`…), or None when it is."""
    # An IPv6 zone (`fe80::1%eth0`) says nothing of the kind of address.
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 reaches 127.0.0.1
    kinds = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private or not ip.is_global),
    )
    return next((kind for kind, applies in kinds if applies), None)


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
    """HTTP GET for one run of `eventwire watch`: it waits between two requests to a host, keeps each host's
    robots.txt for an hour, and asks only public addresses unless told otherwise."""

    def __init__(
        self,
        user_agent: str = USER_AGENT,
        timeout: float = DEFAULT_TIMEOUT,
        delay: float = DEFAULT_DELAY,
        *,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
        allow_private: bool = False,
        resolver: Resolver = resolve,
    ) -> None:
        """A fetcher sending `user_agent`, giving up on a request after `timeout` seconds and waiting `delay`
        seconds (or the host's Crawl-delay) between two requests to a host; setting `stop` ends the waiting.
        `allow_private` lets every request reach private, loopback and link-local addresses."""
        self.user_agent = user_agent
        self.timeout = timeout
        self.delay = delay
        self.stop = stop or threading.Event()
        self.allow_private = allow_private
        self._resolver = resolver
        self._clock = clock
        self._last: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = {}
        self._opener = _web_opener(self)

    def get(
        self,
        url: str,
        *,
        max_bytes: int,
        headers: Mapping[str, str] | None = None,
        private_ok: bool = False,
    ) -> Response:
        """GET a URL once the host's delay has passed; at most `max_bytes` + 1 bytes of the body are read, so that
        the caller can tell a body that is too long. `private_ok` lets it (and its redirects) reach a private
        address."""
        self.check(url, private_ok=private_ok)
        # Requested as normalised, so that a URL stored before it would have been encoded is still asked right.
        target = normalise_url(url)
        host = host_of(target)
        self._wait(host)
        try:
            return self._get(target, max_bytes, headers or {}, private_ok)
        finally:
            self._last[host] = self._clock()

    def allowed(self, url: str, *, private_ok: bool = False) -> bool:
        """Whether the site's robots.txt lets eventwire fetch the URL (read first when not known, or old); a
        FetchError first when the URL may not be requested at all (see `check`)."""
        self.check(url, private_ok=private_ok)
        return self._robots_for(url, private_ok).can_fetch(AGENT, url)

    def check(self, url: str, *, private_ok: bool = False) -> None:
        """FetchError when a URL may not be requested: not http(s), a host that is no domain name, one that does
        not resolve (NetworkError), or one at an address that is not public (AddressRefused) unless `private_ok`
        or `allow_private`."""
        if not is_web_url(url):
            raise FetchError("not an http or https URL", source=url)
        host = urllib.parse.urlsplit(normalise_url(url)).hostname or ""
        if not _valid_host(host):
            raise FetchError(f"the host {host!r} is not a valid domain name: not requested", source=url)
        if private_ok or self.allow_private:
            return
        for address in self._addresses(host, url):
            kind = address_kind(address)
            if kind is not None:
                where = (
                    f"{host} is a {kind} address"
                    if host == address
                    else f"{host} is at {address}, a {kind} address"
                )
                raise AddressRefused(
                    f"{where}: not requested (a link from a feed on a public host may not reach a private network)",
                    source=url,
                )

    def is_private_host(self, url: str) -> bool:
        """Whether the URL's host is on a private network: every address it resolves to is not public (a host
        that does not resolve is not)."""
        host = urllib.parse.urlsplit(normalise_url(url)).hostname or ""
        try:
            addresses = self._resolver(host)
        except (OSError, ValueError):
            return False
        return bool(addresses) and all(address_kind(a) is not None for a in addresses)

    def _addresses(self, host: str, url: str) -> Sequence[str]:
        """The addresses of a host; NetworkError when it has none (which may pass), FetchError when the name can
        never resolve."""
        try:
            addresses = self._resolver(host)
        except ValueError as exc:  # UnicodeError: a label too long, an empty one
            raise FetchError(f"the host {host!r} is not a valid domain name: {exc}", source=url) from None
        except OSError as exc:
            raise NetworkError(f"cannot resolve {host}: {self._why(exc)}", source=url) from None
        if not addresses:
            raise NetworkError(f"cannot resolve {host}: no IPv4 or IPv6 address", source=url)
        return addresses

    def _wait(self, host: str) -> None:
        """Sleep until the host's delay since its last request has passed; Stopped when asked to stop."""
        last = self._last.get(host)
        if last is None:
            return
        remaining = last + max(self.delay, self._crawl_delay.get(host, 0.0)) - self._clock()
        if remaining > 0 and self.stop.wait(remaining):
            raise Stopped(f"stopped while waiting for {host}")

    def _get(self, url: str, max_bytes: int, headers: Mapping[str, str], private_ok: bool) -> Response:
        """One GET, its problems turned into FetchErrors."""
        deadline = self._clock() + self.timeout
        try:
            request = _Request(url, {"User-Agent": self.user_agent, "Accept": _ACCEPT, **headers}, private_ok)
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
        except (ValueError, http.client.InvalidURL) as exc:
            # A URL http.client cannot send (UnicodeEncodeError is a ValueError): asking again will not help.
            raise FetchError(f"cannot be requested: {self._why(exc)}", source=url) from None
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

    def _robots_for(self, url: str, private_ok: bool) -> urllib.robotparser.RobotFileParser:
        """The robots.txt rules of the URL's site, read when not known or older than an hour."""
        parts = urllib.parse.urlsplit(normalise_url(url))
        origin = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(origin)
        if cached is not None and self._clock() - cached[0] < ROBOTS_TTL:
            return cached[1]
        try:
            rules = self._read_robots(origin, private_ok)
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

    def _read_robots(self, origin: str, private_ok: bool) -> urllib.robotparser.RobotFileParser:
        """A site's robots.txt rules: none when it has no file, everything forbidden when it refuses access."""
        rules = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            response = self.get(f"{origin}/robots.txt", max_bytes=ROBOTS_MAX_BYTES, private_ok=private_ok)
        except HttpStatusError as exc:
            if exc.transient:
                raise
            # The robots.txt convention: 401 and 403 forbid the whole site, other client errors allow it.
            rules.parse(["User-agent: *", "Disallow: /"] if exc.status in (401, 403) else [])
            return rules
        rules.parse(response.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        return rules


class _Request(urllib.request.Request):
    """A GET that knows whether it, and the redirects it leads to, may reach a private address."""

    def __init__(self, url: str, headers: Mapping[str, str], private_ok: bool) -> None:
        """A request for a URL with these headers."""
        super().__init__(url, headers=dict(headers))
        self.private_ok = private_ok


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects followed only where the first URL could have gone: http(s), an address the request may reach,
    a path the target's robots.txt allows."""

    def __init__(self, fetcher: Fetcher) -> None:
        """Redirects checked by this fetcher."""
        self._fetcher = fetcher

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: email.message.Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        """The request for the redirect's target, or a FetchError saying why it is not followed."""
        private_ok = isinstance(req, _Request) and req.private_ok
        try:
            self._check(newurl, private_ok)
        except FetchError as exc:
            fp.close()
            exc.reason = f"redirected to {newurl}: {exc.reason}"
            exc.args = (exc.reason,)
            raise
        new = super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]
        return None if new is None else _Request(new.full_url, new.headers, private_ok)

    def _check(self, url: str, private_ok: bool) -> None:
        """FetchError when a redirect's target may not be requested, RobotsDisallowed when its robots.txt says
        so."""
        if not is_web_url(url):
            raise FetchError("only http and https URLs are fetched")
        if not self._fetcher.allowed(url, private_ok=private_ok):
            raise disallowed(url)


def _web_opener(fetcher: Fetcher) -> urllib.request.OpenerDirector:
    """An opener that speaks only HTTP and HTTPS (no file:, ftp: or data: handlers), with checked redirects."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _Redirects(fetcher),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


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
