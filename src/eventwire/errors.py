"""Errors: one base class, typed subclasses carrying the document, the stage and a stable code.

A failed document becomes an error row in the store (see `Failure`), never a crashed batch or a silent skip.
Codes are stable so users can filter and search for them; `docs/errors.md` lists them all.
"""

from __future__ import annotations

from typing import Self

from .model import Failure

# Warnings (a document stored with a caveat) share one code; their text says what the caveat is.
WARNING_CODE = "EW900"


class EventwireError(Exception):
    """Base class of every error eventwire reports about a document, a file or the configuration."""

    code = "EW000"
    stage = "unknown"

    def __init__(self, reason: str, *, source: str | None = None, line: int | None = None) -> None:
        """An error with its reason and, when known, the document and line it concerns."""
        super().__init__(reason)
        self.reason = reason
        self.source = source
        self.line = line

    def located(self, source: str, line: int | None = None) -> Self:
        """Attach the document's location, keeping an existing one."""
        self.source = self.source or source
        self.line = self.line if self.line is not None else line
        return self

    def failure(self, article_id: str | None = None) -> Failure:
        """The error row this error becomes in the store."""
        return Failure(
            source=self.source or "<unknown>",
            line=self.line,
            stage=self.stage,
            code=self.code,
            reason=self.reason,
            level="error",
            article_id=article_id,
        )

    def __str__(self) -> str:
        """The error as `source:line: reason [code]`."""
        where = self.source or "<unknown>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.reason} [{self.code}]"


class UsageError(EventwireError):
    """A problem with how eventwire was called: not about any one document."""

    code = "EW001"
    stage = "usage"


class ModelNotFound(UsageError):
    """The configured spaCy pipeline is not installed."""

    code = "EW002"


class ReadError(EventwireError):
    """A document could not be read."""

    code = "EW100"
    stage = "read"


class EmptyInput(ReadError):
    """The file or record holds no text at all."""

    code = "EW101"


class BinaryInput(ReadError):
    """The file is an image, an archive or other binary data, not text."""

    code = "EW102"


class UndecodableInput(ReadError):
    """The bytes are not UTF-8 and no other encoding could be detected."""

    code = "EW103"


class TooLarge(ReadError):
    """The document is larger than the configured limit."""

    code = "EW104"


class InvalidDate(ReadError):
    """A date given in the document (header line, JSON field) is not a real calendar date."""

    code = "EW105"


class NoBody(ReadError):
    """A header line was found but no body text follows it."""

    code = "EW106"


class NoMainText(ReadError):
    """An HTML page in which no main text could be found."""

    code = "EW107"


class MalformedRecord(ReadError):
    """A JSON Lines record that is not valid JSON or lacks a usable `text` field."""

    code = "EW108"


class Unreadable(ReadError):
    """The operating system refused to open or read the file."""

    code = "EW109"


class CleanError(EventwireError):
    """Nothing was left of a document once boilerplate was removed."""

    code = "EW201"
    stage = "clean"


class NlpError(EventwireError):
    """The spaCy pipeline failed on a document."""

    code = "EW301"
    stage = "nlp"


class EvalError(EventwireError):
    """A gold item that cannot be evaluated."""

    code = "EW600"
    stage = "eval"


class DatasetMissing(EvalError):
    """A gold item points into a third-party dataset that is not on this machine."""

    code = "EW601"


class RefMismatch(EvalError):
    """A gold item's reference no longer matches the dataset's text (another copy or version of the corpus)."""

    code = "EW602"


class DictionaryError(EventwireError):
    """An actor dictionary or event lexicon (shipped or the user's) with a malformed entry; file and line given."""

    code = "EW701"
    stage = "dictionaries"


class FetchError(EventwireError):
    """A page or feed could not be fetched over HTTP (a URL that is not http or https, a redirect loop)."""

    code = "EW800"
    stage = "fetch"
    # Whether asking again later may succeed (a timeout, a server error), and the least wait the server asked for.
    transient = False
    retry_after: float | None = None


class HttpStatusError(FetchError):
    """The server answered with an error status: 404 and 410 are final, 429 and 5xx are tried again later."""

    code = "EW801"

    def __init__(
        self, status: int, reason: str, *, retry_after: float | None = None, source: str | None = None
    ) -> None:
        """An error status with the server's reason and, for 429 and 503, its Retry-After in seconds."""
        super().__init__(reason, source=source)
        self.status = status
        self.transient = status in (408, 425, 429) or status >= 500
        self.retry_after = retry_after


class NetworkError(FetchError):
    """The connection failed or timed out: tried again later."""

    code = "EW802"
    transient = True


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow eventwire to fetch this URL, so it was not requested."""

    code = "EW803"


class AddressRefused(FetchError):
    """A URL at a private, loopback or link-local address that a feed on a public host listed: not requested."""

    code = "EW805"


class FeedError(EventwireError):
    """A feed that is not RSS or Atom, or too broken to read any entry from."""

    code = "EW804"
    stage = "feed"
