"""Readers: files, directories, globs, gzip and stdin in, `Document`s (or errors) out.

Formats: the header format (`date YYYY-MM-DD Title`, then the body), plain text, HTML (main text by trafilatura)
and JSON Lines (`id, url, title, date, text`; other fields become metadata). Every problem is yielded as an error
value instead of raised, so one bad file never stops a batch.
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from .decoding import BOMS, SNIFF_BYTES, binary_kind, decode
from .errors import (
    BinaryInput,
    EmptyInput,
    InvalidDate,
    MalformedRecord,
    NoBody,
    NoMainText,
    ReadError,
    TooLarge,
    Unreadable,
    UsageError,
)
from .model import Document, Source

LOGGER = logging.getLogger(__name__)

FORMATS = ("seed", "text", "html", "jsonl")
STDIN = "-"
# Longer than any news article; a parse needs memory in proportion to the text.
DEFAULT_MAX_CHARS = 200_000
# What trafilatura finds on a page without an article is menu entries and link lists: an article has at least
# one paragraph of running text.
MIN_PARAGRAPH_WORDS = 8
_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
}
_HEADER = re.compile(r"\A\ufeff?[ \t]*date[ \t]+(\S+)[ \t]*(.*)\Z")
_HEADER_SNIFF = re.compile(r"\A\ufeff?[ \t]*date[ \t]+\d{4}-\d{1,2}-\d{1,2}\b")
_HTML_SNIFF = re.compile(r"\A\ufeff?\s*<(?:!doctype\s+html|html|head|body|article|div|p|meta)\b", re.I)
# A JSON object starts with a key (or is empty); an array of records with an object. "[UPDATED] …" is text.
_JSON_SNIFF = re.compile(r'\A\ufeff?\s*(?:\{\s*["}]|\[\s*[{\]])')
_JSON_KEYS = frozenset({"id", "url", "title", "date", "text"})

ReadItem = Document | ReadError


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read: a forced format, a publication date for undated documents, and the size limit."""

    format: str | None = None
    date: dt.date | None = None
    max_chars: int = DEFAULT_MAX_CHARS


def check_paths(paths: Iterable[str]) -> list[str]:
    """The given paths, or a UsageError naming the first that is neither a file, a directory nor a matching glob."""
    checked = list(paths)
    for path in checked:
        if path == STDIN or Path(path).exists() or Path(path).is_symlink():
            continue
        if glob.has_magic(path) and any(True for _ in glob.iglob(path, recursive=True)):
            continue
        raise UsageError(f"no such file, directory or matching glob: {path}")
    return checked


def read(paths: Iterable[str], options: ReadOptions | None = None) -> Iterator[ReadItem]:
    """Every document under the given paths, in a stable order, as documents or read errors."""
    options = options or ReadOptions()
    for item in _expand(paths):
        if isinstance(item, ReadError):
            yield item
        elif item == STDIN:
            yield from read_stream(sys.stdin.buffer, "<stdin>", options)
        else:
            yield from read_file(Path(item), options)


def _expand(paths: Iterable[str]) -> Iterator[str | ReadError]:
    """Files named, found under directories (recursively, hidden ones skipped) or matched by globs."""
    for path in paths:
        if path == STDIN:
            yield path
        elif Path(path).is_dir():
            yield from _walk(path)
        elif not Path(path).exists() and not Path(path).is_symlink() and glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield Unreadable("no file matches this pattern", source=path)
            for match in matches:
                yield from _walk(match) if Path(match).is_dir() else iter([match])
        else:
            yield path


def _walk(directory: str) -> Iterator[str | ReadError]:
    """Files under a directory in sorted order; directories that cannot be listed become errors."""
    errors: list[OSError] = []
    for root, dirs, files in os.walk(directory, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield str(Path(root) / name)
        while errors:
            exc = errors.pop()
            yield Unreadable(f"cannot list directory: {exc.strerror}", source=str(exc.filename or directory))
    for exc in errors:
        yield Unreadable(f"cannot list directory: {exc.strerror}", source=str(exc.filename or directory))


def read_file(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    """The documents in one file (one, or one per line for JSON Lines)."""
    source = str(path)
    try:
        with _open(path) as stream:
            yield from read_stream(stream, source, options, format_from_name(path))
    except OSError as exc:
        yield Unreadable(f"cannot read: {exc.strerror or exc}", source=source)


def _open(path: Path) -> IO[bytes]:
    """A binary stream of the file's content, decompressed when gzip-compressed."""
    raw = path.open("rb")
    if raw.peek(2)[:2] == b"\x1f\x8b":
        # A buffered reader over the gzip stream, so that the format can be sniffed with peek().
        return io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb"))
    return raw


def format_from_name(path: Path) -> str | None:
    """The format an extension names (`.txt.gz` counts as `.txt`), or None when it does not say."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return _EXTENSIONS.get(suffixes[-1]) if suffixes else None


def read_stream(
    stream: IO[bytes], source: str, options: ReadOptions, named: str | None = None
) -> Iterator[ReadItem]:
    """The documents in one byte stream, in the forced, named or sniffed format."""
    try:
        head = _peek(stream)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Unreadable(f"cannot read: {exc}", source=source)
        return
    kind = binary_kind(head)
    if kind is not None:
        yield BinaryInput(f"{kind}, not text", source=source)
        return
    fmt = options.format or sniff_format(head, named)
    try:
        if fmt == "jsonl":
            yield from _read_jsonl(stream, source, options)
        elif fmt == "json":
            yield from _read_json_document(stream, source, options)
        else:
            yield _read_single(stream, source, fmt, options)
    except ReadError as exc:
        yield exc.located(source)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Unreadable(f"cannot read: {exc}", source=source)


def _peek(stream: IO[bytes]) -> bytes:
    """The first bytes of a stream, without consuming them when the stream allows it."""
    if isinstance(stream, io.BufferedReader):
        return stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if stream.seekable():
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
        return head
    raise OSError("stream cannot be peeked")


def sniff_format(head: bytes, named: str | None = None) -> str:
    """The format of a document from its first bytes and, when it has one, its extension."""
    if named in ("html", "jsonl", "json"):
        return named
    text = head_text(head)
    if named is None and _HTML_SNIFF.match(text):
        return "html"
    if named is None and _JSON_SNIFF.match(text):
        return "jsonl"
    if _HEADER_SNIFF.match(text):
        return "seed"
    return "text"


def head_text(head: bytes) -> str:
    """The first bytes of a file as text for sniffing, whatever its encoding (a partial character is dropped)."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _read_single(stream: IO[bytes], source: str, fmt: str, options: ReadOptions) -> Document:
    """One document from a whole stream, refused when larger than the limit."""
    # Four bytes per character is the most UTF-8 needs, so reading beyond that cannot yield an acceptable text.
    limit = options.max_chars * 4
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(
            f"larger than {limit:,} bytes; the limit is {options.max_chars:,} characters (--max-chars)"
        )
    text, warning = decode(data)
    text = normalise_newlines(text)
    if len(text) > options.max_chars:
        raise TooLarge(f"{len(text):,} characters; the limit is {options.max_chars:,} (--max-chars)")
    if not text.strip():
        raise EmptyInput("empty: no text")
    doc = _PARSERS[fmt](text, Source(uri=source, format=fmt), options)
    if warning:
        doc.warnings.insert(0, warning)
    return doc


def normalise_newlines(text: str) -> str:
    """Text with Windows and old Mac line endings turned into `\\n`."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_seed(text: str, source: Source, options: ReadOptions) -> Document:
    """A document in the header format: `date YYYY-MM-DD Title` on the first line, then the body."""
    first, _, rest = text.partition("\n")
    match = _HEADER.match(first)
    if match is None:
        raise ReadError("first line is not a header of the form 'date YYYY-MM-DD Title'")
    date = parse_date(match.group(1), "in the header line")
    title = match.group(2).strip() or None
    body = rest.strip()
    if not body:
        raise NoBody("a header line but no body text")
    warnings = [] if title else ["header line has no title"]
    return Document(source, body, title, date, "header", warnings=warnings)


def parse_text(text: str, source: Source, options: ReadOptions) -> Document:
    """A plain-text document: all of it is the body; the date comes from `--date` or stays unknown."""
    body = text.strip()
    if not body:
        raise EmptyInput("empty: no text")
    return _dated(Document(source, body), options)


def parse_html(text: str, source: Source, options: ReadOptions) -> Document:
    """An HTML page's main text, title and date, extracted by trafilatura."""
    import trafilatura

    # Only dates the page itself declares: no guessing from the URL or the running text.
    found = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (getattr(found, "text", None) or "").strip() if found is not None else ""
    if not any(len(line.split()) >= MIN_PARAGRAPH_WORDS for line in body.split("\n")):
        shown = f" (only {body[:60]!r}…)" if body else ""
        raise NoMainText(f"HTML page with no main text: no paragraph of running text{shown}")
    # trafilatura puts one paragraph per line; a blank line between paragraphs is eventwire's convention.
    body = re.sub(r"\n+", "\n\n", body)
    metadata = {
        key: value
        for key in ("author", "sitename", "hostname", "description", "categories", "tags")
        if (value := getattr(found, key, None))
    }
    published = getattr(found, "date", None)
    date = parse_date(published, "in the page metadata") if published else None
    url = getattr(found, "url", None)
    source = replace(source, url=url) if isinstance(url, str) else source
    doc = Document(source, body, getattr(found, "title", None), date, "html" if date else None, metadata)
    return _dated(doc, options)


def _dated(doc: Document, options: ReadOptions) -> Document:
    """A document given the `--date` date when it has none, or a warning that its date is unknown."""
    if doc.date is None and options.date is not None:
        doc.date, doc.date_source = options.date, "option"
    elif doc.date is None:
        doc.warnings.append("publication date unknown (give it with --date); stored as unknown")
    return doc


def parse_date(value: Any, where: str) -> dt.date:
    """A calendar date from `YYYY-MM-DD` or an ISO 8601 timestamp; InvalidDate for anything else."""
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    try:
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise InvalidDate(f"invalid date {text!r} {where}: {exc}") from exc


def _read_jsonl(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[ReadItem]:
    """One document per line of a JSON Lines stream; a broken line is an error naming its number."""
    limit = options.max_chars * 4
    if head_text(_peek(stream)).lstrip("\ufeff \t\r\n").startswith("["):
        yield from _read_json_document(stream, source, options)
        return
    records = 0
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        records += 1
        try:
            if len(raw) > limit:
                raise TooLarge(f"line longer than {limit:,} bytes (--max-chars)")
            yield _parse_record(raw, number, source, options)
        except ReadError as exc:
            yield exc.located(source, number)
    if not records:
        raise EmptyInput("empty: no JSON Lines records")


def _read_json_document(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[ReadItem]:
    """The records of a whole JSON file: one object, or an array whose positions stand in for line numbers."""
    text, _ = decode(stream.read())
    if not text.strip():
        raise EmptyInput("empty: no text")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise MalformedRecord(f"not valid JSON: {exc.msg} at line {exc.lineno}") from exc
        # More than one value: JSON Lines saved under a .json name, read line by line so each line counts alone.
        yield from _read_jsonl(io.BufferedReader(io.BytesIO(text.encode("utf-8"))), source, options)
        return
    records = parsed if isinstance(parsed, list) else [parsed]
    if not records:
        raise EmptyInput("empty: a JSON array with no records")
    for number, record in enumerate(records, start=1):
        try:
            yield _parse_record(json.dumps(record).encode(), number, source, options)
        except ReadError as exc:
            yield exc.located(source, number)


def _parse_record(raw: bytes, number: int, source: str, options: ReadOptions) -> Document:
    """One JSON Lines record as a document."""
    line, warning = decode(raw)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedRecord(f"not valid JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise MalformedRecord(f"a JSON {type(record).__name__}, not an object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MalformedRecord("no 'text' field with text in it")
    if len(text) > options.max_chars:
        raise TooLarge(f"{len(text):,} characters; the limit is {options.max_chars:,} (--max-chars)")
    external_id = record.get("id")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    date = parse_date(record["date"], "in field 'date'") if record.get("date") else None
    title = record.get("title") if isinstance(record.get("title"), str) else None
    doc = Document(
        source=Source(source, "jsonl", number, None if external_id is None else str(external_id), url),
        body=normalise_newlines(text).strip(),
        title=title.strip() or None if title else None,
        date=date,
        date_source="jsonl" if date else None,
        metadata={k: v for k, v in record.items() if k not in _JSON_KEYS},
    )
    if warning:
        doc.warnings.append(warning)
    return _dated(doc, options)


_PARSERS = {"seed": parse_seed, "text": parse_text, "html": parse_html}
