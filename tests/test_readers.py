"""Tests for `eventwire.readers`: every format and input kind, and every read error as a value."""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from eventwire.cleaning import clean
from eventwire.errors import (
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
from eventwire.model import Document
from eventwire.readers import DEFAULT_MAX_CHARS, ReadItem, ReadOptions, check_paths, read

BODY = (
    "Egyptian and Qatari mediators resumed talks in Cairo on Tuesday in an effort to secure a ceasefire "
    "in the Gaza Strip before the start of Ramadan, officials said.\n\n"
    "A Hamas delegation arrived in the Egyptian capital on Sunday, while Israel declined to send negotiators."
)
TITLE = "Ceasefire talks resume in Cairo"

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ceasefire talks resume in Cairo | The Daily Ledger</title>
  <meta property="og:title" content="Ceasefire talks resume in Cairo">
  <meta property="article:published_time" content="2024-03-05T09:30:00+00:00">
  <meta name="author" content="Layla Haddad">
</head>
<body>
  <header>
    <nav>
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/world">World</a></li>
        <li><a href="/business">Business</a></li>
        <li><a href="/opinion">Opinion and Analysis</a></li>
        <li><a href="/subscribe">Subscribe to our newsletter today</a></li>
      </ul>
    </nav>
  </header>
  <main>
    <article>
      <h1>Ceasefire talks resume in Cairo</h1>
      <p>Egyptian and Qatari mediators resumed talks in Cairo on Tuesday in an effort to secure a ceasefire
      in the Gaza Strip before the start of Ramadan, officials said.</p>
      <p>A Hamas delegation arrived in the Egyptian capital on Sunday, while Israel declined to send
      negotiators, according to two Egyptian security sources who spoke on condition of anonymity.</p>
      <p>United States Secretary of State Antony Blinken said on Monday that an agreement was still
      possible, and urged both sides to make the compromises needed to reach a deal within days.</p>
    </article>
  </main>
  <aside><h2>Most read</h2><ul><li><a href="/x">Celebrity chef opens new bistro</a></li></ul></aside>
  <footer>
    <p>Contact the newsroom | Terms of use | Privacy policy | Cookie settings</p>
    <p>Copyright 2024 The Daily Ledger Media Group Limited, registered in England and Wales.</p>
  </footer>
</body>
</html>
"""
NAV_TEXTS = (
    "Home",
    "Business",
    "Opinion and Analysis",
    "Subscribe to our newsletter",
    "Cookie settings",
    "Terms of use",
    "Daily Ledger Media Group",
)


def documents(items: list[ReadItem]) -> list[Document]:
    """The documents among read items."""
    return [item for item in items if isinstance(item, Document)]


def errors(items: list[ReadItem]) -> list[ReadError]:
    """The errors among read items."""
    return [item for item in items if isinstance(item, ReadError)]


def read_all(*paths: Path | str, options: ReadOptions | None = None) -> list[ReadItem]:
    """Every item read from the given paths."""
    return list(read([str(p) for p in paths], options))


def read_one(path: Path | str, options: ReadOptions | None = None) -> ReadItem:
    """The single item read from a path."""
    items = read_all(path, options=options)
    assert len(items) == 1, items
    return items[0]


def only_document(path: Path | str, options: ReadOptions | None = None) -> Document:
    """The single document read from a path."""
    item = read_one(path, options)
    assert isinstance(item, Document), item
    return item


def jsonl(*records: dict[str, object] | str) -> bytes:
    """JSON Lines bytes: dicts are serialised, strings written as they are."""
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
    ).encode()


def fake_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Replace stdin with one whose buffer is a real buffered reader over the given bytes."""
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BufferedReader(io.BytesIO(data))))


# Header format


def test_header_format(tmp_path: Path) -> None:
    """`date YYYY-MM-DD Title` then a body gives the date, the title and the body."""
    path = tmp_path / "article.txt"
    path.write_text(f"date 2024-03-05 {TITLE}\n\n{BODY}\n", encoding="utf-8")
    doc = only_document(path)
    assert doc.date == dt.date(2024, 3, 5)
    assert doc.date_source == "header"
    assert doc.title == TITLE
    assert doc.body == BODY
    assert doc.source.uri == str(path)
    assert doc.source.format == "seed"
    assert doc.warnings == []


@pytest.mark.parametrize(
    "prefix",
    [b" ", b"\t  ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"  "],
    ids=["space", "tab-and-spaces", "bom", "bom-and-spaces"],
)
def test_header_after_leading_space_or_bom(tmp_path: Path, prefix: bytes) -> None:
    """Spaces or a UTF-8 byte-order mark before `date` do not hide the header."""
    path = tmp_path / "article.txt"
    path.write_bytes(prefix + f"date 2024-03-05 {TITLE}\n\n{BODY}\n".encode())
    doc = only_document(path)
    assert doc.date == dt.date(2024, 3, 5)
    assert doc.title == TITLE
    assert doc.body == BODY


def test_header_with_windows_line_endings(tmp_path: Path) -> None:
    """CRLF line endings are normalised and the header still parses."""
    path = tmp_path / "article.txt"
    path.write_bytes(f"date 2024-03-05 {TITLE}\n\n{BODY}\n".replace("\n", "\r\n").encode())
    doc = only_document(path)
    assert doc.title == TITLE
    assert doc.body == BODY
    assert "\r" not in doc.body


def test_header_in_utf16_file(tmp_path: Path) -> None:
    """A header-format file saved as UTF-16 with a byte-order mark is still read in the header format."""
    path = tmp_path / "article.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + f"date 2024-03-05 {TITLE}\n\n{BODY}\n".encode("utf-16-le"))
    doc = only_document(path)
    assert doc.date == dt.date(2024, 3, 5)
    assert doc.title == TITLE
    assert doc.body == BODY


def test_header_without_title_warns(tmp_path: Path) -> None:
    """A header line with a date but no title gives no title and a warning."""
    path = tmp_path / "article.txt"
    path.write_text(f"date 2024-03-05\n\n{BODY}\n", encoding="utf-8")
    doc = only_document(path)
    assert doc.title is None
    assert doc.date == dt.date(2024, 3, 5)
    assert doc.body == BODY
    assert any("no title" in w for w in doc.warnings)


def test_header_with_invalid_date(tmp_path: Path) -> None:
    """`date 2023-13-45 Title` is an InvalidDate error whose message names the bad date."""
    path = tmp_path / "article.txt"
    path.write_text(f"date 2023-13-45 {TITLE}\n\n{BODY}\n", encoding="utf-8")
    err = read_one(path)
    assert isinstance(err, InvalidDate)
    assert err.code == "EW105"
    assert "2023-13-45" in err.reason
    assert "2023-13-45" in str(err)
    assert err.source == str(path)


def test_header_with_impossible_day(tmp_path: Path) -> None:
    """A day that does not exist in its month (30 February) is an InvalidDate error."""
    path = tmp_path / "article.txt"
    path.write_text(f"date 2023-02-30 {TITLE}\n\n{BODY}\n", encoding="utf-8")
    err = read_one(path)
    assert isinstance(err, InvalidDate)
    assert "2023-02-30" in err.reason


def test_header_without_body(tmp_path: Path) -> None:
    """A header line followed by nothing but blank lines is a NoBody error."""
    path = tmp_path / "article.txt"
    path.write_text(f"date 2024-03-05 {TITLE}\n\n   \n\n", encoding="utf-8")
    err = read_one(path)
    assert isinstance(err, NoBody)
    assert err.code == "EW106"
    assert err.source == str(path)


# Plain text


def test_plain_text_without_date_warns(tmp_path: Path) -> None:
    """Plain text has no date unless one is given, and says so in a warning."""
    path = tmp_path / "article.txt"
    path.write_text(f"\n{BODY}\n\n", encoding="utf-8")
    doc = only_document(path)
    assert doc.body == BODY
    assert doc.title is None
    assert doc.date is None
    assert doc.date_source is None
    assert doc.source.format == "text"
    assert any("date unknown" in w for w in doc.warnings)


def test_plain_text_with_date_option(tmp_path: Path) -> None:
    """`ReadOptions(date=...)` dates plain text, with date source "option" and no warning."""
    path = tmp_path / "article.txt"
    path.write_text(BODY, encoding="utf-8")
    doc = only_document(path, ReadOptions(date=dt.date(2024, 1, 15)))
    assert doc.date == dt.date(2024, 1, 15)
    assert doc.date_source == "option"
    assert doc.warnings == []


def test_date_option_does_not_override_header(tmp_path: Path) -> None:
    """A date in the header wins over the `--date` option."""
    path = tmp_path / "article.txt"
    path.write_text(f"date 2024-03-05 {TITLE}\n\n{BODY}\n", encoding="utf-8")
    doc = only_document(path, ReadOptions(date=dt.date(2020, 1, 1)))
    assert doc.date == dt.date(2024, 3, 5)
    assert doc.date_source == "header"


def test_forced_text_format_keeps_header_line(tmp_path: Path) -> None:
    """`ReadOptions(format="text")` reads a header-format file as plain text."""
    path = tmp_path / "article.txt"
    path.write_text(f"date 2024-03-05 {TITLE}\n\n{BODY}\n", encoding="utf-8")
    doc = only_document(path, ReadOptions(format="text"))
    assert doc.date is None
    assert doc.body.startswith(f"date 2024-03-05 {TITLE}")


def test_latin1_text_file_is_decoded_with_warning(tmp_path: Path) -> None:
    """A Latin-1 text file is decoded correctly and the document carries the encoding warning first."""
    text = (
        "Le président Emmanuel Macron a reçu jeudi à l'Élysée le Premier ministre François Bayrou et la "
        "ministre Agnès Pannier-Runacher pour évoquer la réforme des retraites, a indiqué Hélène Déchaux."
    )
    path = tmp_path / "article.txt"
    path.write_bytes(f"date 2024-03-05 Réforme des retraites\n\n{text}\n".encode("latin-1"))
    doc = only_document(path)
    assert doc.body == text
    assert doc.title == "Réforme des retraites"
    assert doc.warnings
    assert "not valid UTF-8" in doc.warnings[0]


# HTML


def test_html_news_page(tmp_path: Path) -> None:
    """A news page gives its title, its published date and its main text, without navigation or footer."""
    path = tmp_path / "page.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    doc = only_document(path)
    assert doc.source.format == "html"
    assert doc.title == TITLE
    assert doc.date == dt.date(2024, 3, 5)
    assert doc.date_source == "html"
    assert "Egyptian and Qatari mediators resumed talks in Cairo on Tuesday" in doc.body
    assert "A Hamas delegation arrived in the Egyptian capital on Sunday" in doc.body
    assert "Antony Blinken said on Monday" in doc.body
    for boilerplate in NAV_TEXTS:
        assert boilerplate not in doc.body
    assert "\n\n" in doc.body  # paragraphs separated by blank lines
    assert "\n\n\n" not in doc.body
    assert doc.metadata.get("author") == "Layla Haddad"
    assert doc.warnings == []


def test_html_body_does_not_repeat_title(tmp_path: Path) -> None:
    """The stored text of an HTML page holds its headline once, though the page repeats it in the body."""
    path = tmp_path / "page.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    article = clean(only_document(path))
    assert article.title == TITLE
    assert article.text.count(TITLE) == 1
    assert article.text.startswith(f"{TITLE}\n\nEgyptian and Qatari mediators")


def test_html_is_sniffed_without_extension(tmp_path: Path) -> None:
    """A file with no extension that starts like HTML is read as HTML."""
    path = tmp_path / "page"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    doc = only_document(path)
    assert doc.source.format == "html"
    assert "<p>" not in doc.body
    assert "Antony Blinken" in doc.body


def test_html_without_date_takes_option(tmp_path: Path) -> None:
    """An HTML page that declares no date takes the `--date` date."""
    page = NEWS_PAGE.replace(
        '<meta property="article:published_time" content="2024-03-05T09:30:00+00:00">', ""
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = only_document(path, ReadOptions(date=dt.date(2024, 2, 1)))
    assert doc.date == dt.date(2024, 2, 1)
    assert doc.date_source == "option"


def test_html_without_main_text(tmp_path: Path) -> None:
    """An HTML page with an empty body is a NoMainText error."""
    path = tmp_path / "empty.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>Page</title><script>var x = 1;</script></head>"
        "<body><script>document.write('x')</script><img src='logo.png' alt=''></body></html>",
        encoding="utf-8",
    )
    err = read_one(path)
    assert isinstance(err, NoMainText)
    assert err.code == "EW107"
    assert err.source == str(path)


def test_html_short_menu_only_page_has_no_main_text(tmp_path: Path) -> None:
    """A page with nothing but a three-link menu is a NoMainText error."""
    path = tmp_path / "nav.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>The Daily Ledger</title></head><body><nav><ul>"
        "<li><a href='/'>Home</a></li><li><a href='/world'>World</a></li><li><a href='/sport'>Sport</a></li>"
        "</ul></nav></body></html>",
        encoding="utf-8",
    )
    err = read_one(path)
    assert isinstance(err, NoMainText)
    assert err.source == str(path)


def test_html_navigation_only_page_has_no_main_text(tmp_path: Path) -> None:
    """A page with a full navigation bar and a footer but no article is a NoMainText error."""
    links = ["Home", "World", "Business", "Politics", "Sport", "Culture", "Opinion", "Weather", "Podcasts"]
    menu = "".join(f"<li><a href='/{link.lower()}'>{link}</a></li>" for link in links)
    path = tmp_path / "nav.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>The Daily Ledger</title></head><body>"
        f"<header><nav><ul>{menu}</ul></nav></header>"
        "<footer><p>Contact us | Terms of use | Privacy policy | Cookie settings</p></footer></body></html>",
        encoding="utf-8",
    )
    item = read_one(path)
    assert isinstance(item, NoMainText), item


# JSON Lines


def test_jsonl_records(tmp_path: Path) -> None:
    """Each JSON line is a document: id, url, title, date and text read; other fields become metadata."""
    path = tmp_path / "articles.jsonl"
    path.write_bytes(
        jsonl(
            {
                "id": "a1",
                "url": "https://news.example/cairo",
                "title": TITLE,
                "date": "2024-03-05",
                "text": BODY,
                "lang": "en",
                "section": "world",
            },
            {
                "id": 2,
                "title": "Talks in Doha",
                "date": "2024-03-06T08:00:00Z",
                "text": "Talks began in Doha.",
            },
        )
    )
    first, second = read_all(path)
    assert isinstance(first, Document)
    assert isinstance(second, Document)
    assert first.source.uri == str(path)
    assert first.source.url == "https://news.example/cairo"
    assert first.source.format == "jsonl"
    assert first.source.line == 1
    assert first.source.external_id == "a1"
    assert first.title == TITLE
    assert first.body == BODY
    assert first.date == dt.date(2024, 3, 5)
    assert first.date_source == "jsonl"
    assert first.metadata["lang"] == "en"
    assert first.metadata["section"] == "world"
    assert not {"id", "url", "title", "date", "text"} & first.metadata.keys()
    assert second.source.uri == str(path)
    assert second.source.line == 2
    assert second.source.external_id == "2"
    assert second.date == dt.date(2024, 3, 6)


def test_jsonl_broken_line_in_the_middle(tmp_path: Path) -> None:
    """A broken line is an error naming its line number; the lines around it are still read."""
    path = tmp_path / "articles.jsonl"
    path.write_bytes(
        jsonl(
            {"id": "1", "text": "Mediators met in Cairo."},
            {"id": "2", "text": "Talks began in Doha."},
            '{"id": "3", "text": "Unterminated',
            {"id": "4", "text": "Ministers met in Geneva."},
        )
    )
    items = read_all(path)
    assert [d.source.external_id for d in documents(items)] == ["1", "2", "4"]
    (err,) = errors(items)
    assert isinstance(err, MalformedRecord)
    assert err.code == "EW108"
    assert err.line == 3
    assert err.source == str(path)
    assert f"{path}:3" in str(err)
    assert isinstance(items[2], MalformedRecord)  # in file order


def test_jsonl_line_without_text(tmp_path: Path) -> None:
    """A record with no text (missing, empty or not a string) is an error for that line only."""
    path = tmp_path / "articles.jsonl"
    path.write_bytes(
        jsonl(
            {"id": "1", "title": "No text here"},
            {"id": "2", "text": "   "},
            {"id": "3", "text": 42},
            {"id": "4", "text": "Ministers met in Geneva."},
            "[1, 2, 3]",
        )
    )
    items = read_all(path)
    errs = errors(items)
    assert [e.line for e in errs] == [1, 2, 3, 5]
    assert all(isinstance(e, MalformedRecord) and e.source == str(path) for e in errs)
    assert "text" in errs[0].reason
    assert [d.body for d in documents(items)] == ["Ministers met in Geneva."]


def test_jsonl_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    """Blank lines are skipped but still counted, so line numbers are those of the file."""
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b"\n" + jsonl({"text": "First."}) + b"\n   \n" + jsonl({"text": "Second."}))
    docs = documents(read_all(path))
    assert [(d.body, d.source.line) for d in docs] == [("First.", 2), ("Second.", 5)]


def test_jsonl_invalid_date_names_line(tmp_path: Path) -> None:
    """A record with an impossible date is an InvalidDate error naming its line and the date."""
    path = tmp_path / "articles.jsonl"
    path.write_bytes(jsonl({"text": "Talks began.", "date": "2024-02-31"}, {"text": "Talks ended."}))
    items = read_all(path)
    err = items[0]
    assert isinstance(err, InvalidDate)
    assert err.line == 1
    assert "2024-02-31" in err.reason
    assert isinstance(items[1], Document)


def test_jsonl_without_date_takes_option(tmp_path: Path) -> None:
    """A record with no date takes the `--date` date."""
    path = tmp_path / "articles.jsonl"
    path.write_bytes(jsonl({"text": "Talks began."}))
    doc = only_document(path, ReadOptions(date=dt.date(2024, 1, 2)))
    assert doc.date == dt.date(2024, 1, 2)
    assert doc.date_source == "option"


def test_json_array_file(tmp_path: Path) -> None:
    """A JSON array of records is read one document per element, errors naming the element's position."""
    path = tmp_path / "articles.json"
    path.write_text(
        json.dumps(
            [
                {"id": "x", "title": TITLE, "date": "2024-03-05", "text": BODY, "agency": "AFP"},
                {"id": "y"},
                {"id": "z", "text": "Ministers met in Geneva."},
            ],
            indent=2,
        ),
        encoding="utf-8",
    )
    items = read_all(path)
    assert len(items) == 3
    first, broken, third = items
    assert isinstance(first, Document)
    assert first.title == TITLE
    assert first.body == BODY
    assert first.metadata["agency"] == "AFP"
    assert isinstance(broken, MalformedRecord)
    assert broken.line == 2
    assert broken.source == str(path)
    assert isinstance(third, Document)
    assert third.source.external_id == "z"


def test_json_array_that_is_not_valid_json(tmp_path: Path) -> None:
    """A JSON array file that does not parse is one MalformedRecord error for the file."""
    path = tmp_path / "articles.json"
    path.write_text('[{"text": "Talks began."},\n {"text": ', encoding="utf-8")
    err = read_one(path)
    assert isinstance(err, MalformedRecord)
    assert err.source == str(path)


def test_jsonl_is_sniffed_without_extension(tmp_path: Path) -> None:
    """A file with no extension whose first character is `{` is read as JSON Lines."""
    path = tmp_path / "dump"
    path.write_bytes(jsonl({"text": "First."}, {"text": "Second."}))
    assert [d.body for d in documents(read_all(path))] == ["First.", "Second."]


# gzip


def test_gzip_text(tmp_path: Path) -> None:
    """A `.txt.gz` file is decompressed and read in the header format."""
    path = tmp_path / "article.txt.gz"
    path.write_bytes(gzip.compress(f"date 2024-03-05 {TITLE}\n\n{BODY}\n".encode()))
    doc = only_document(path)
    assert doc.title == TITLE
    assert doc.body == BODY
    assert doc.date == dt.date(2024, 3, 5)
    assert doc.source.uri == str(path)


def test_gzip_jsonl(tmp_path: Path) -> None:
    """A `.jsonl.gz` file is decompressed and read line by line, with line numbers."""
    path = tmp_path / "articles.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl({"text": "First."}, "not json", {"text": "Third."})))
    items = read_all(path)
    assert [d.body for d in documents(items)] == ["First.", "Third."]
    (err,) = errors(items)
    assert err.line == 2
    assert err.source == str(path)


def test_corrupt_gzip_is_an_error(tmp_path: Path) -> None:
    """A file with the gzip signature but a corrupt stream is a read error, not a crash."""
    path = tmp_path / "article.txt.gz"
    path.write_bytes(b"\x1f\x8b" + b"definitely not deflate data" * 3)
    err = read_one(path)
    assert isinstance(err, ReadError)
    assert err.source == str(path)
    assert err.code.startswith("EW1")


# Directories and globs


def test_directory_recursive_sorted_hidden_skipped(tmp_path: Path) -> None:
    """A directory is read recursively in sorted order; hidden files and directories are skipped."""
    root = tmp_path / "corpus"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    names = [
        "10.txt",
        "02.txt",
        "01.txt",
        "sub/b.txt",
        "sub/a.txt",
        "sub/deeper/c.txt",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.DS_Store",
    ]
    for name in names:
        (root / name).write_text(f"Text of {name}.", encoding="utf-8")
    expected = ["01.txt", "02.txt", "10.txt", "sub/a.txt", "sub/b.txt", "sub/deeper/c.txt"]
    items = read_all(root)
    assert all(isinstance(item, Document) for item in items)
    assert [d.source.uri for d in documents(items)] == [str(root / name) for name in expected]
    assert [d.source.uri for d in documents(read_all(root))] == [str(root / name) for name in expected]


def test_directory_mixed_formats(tmp_path: Path) -> None:
    """Files of different formats in one directory are each read in their own format."""
    (tmp_path / "a.txt").write_text(f"date 2024-03-05 {TITLE}\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "b.html").write_text(NEWS_PAGE, encoding="utf-8")
    (tmp_path / "c.jsonl").write_bytes(jsonl({"text": "First."}, {"text": "Second."}))
    docs = documents(read_all(tmp_path))
    assert [d.source.format for d in docs] == ["seed", "html", "jsonl", "jsonl"]


def test_glob(tmp_path: Path) -> None:
    """A glob reads the matching files in sorted order and nothing else."""
    for name in ("b.txt", "a.txt", "c.html", "sub/d.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    docs = documents(read_all(tmp_path / "*.txt"))
    assert [d.source.uri for d in docs] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


def test_recursive_glob(tmp_path: Path) -> None:
    """A `**` glob matches files in subdirectories too."""
    for name in ("a.txt", "sub/d.txt", "sub/e.html"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    docs = documents(read_all(tmp_path / "**" / "*.txt"))
    assert sorted(d.source.uri for d in docs) == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "d.txt")]


# stdin


def test_stdin_header(monkeypatch: pytest.MonkeyPatch) -> None:
    """`-` reads stdin, sniffing the header format, with `<stdin>` as the source."""
    fake_stdin(monkeypatch, f"date 2024-03-05 {TITLE}\n\n{BODY}\n".encode())
    (doc,) = read(["-"])
    assert isinstance(doc, Document)
    assert doc.source.uri == "<stdin>"
    assert doc.title == TITLE
    assert doc.body == BODY
    assert doc.date == dt.date(2024, 3, 5)


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON Lines on stdin is read line by line; errors name `<stdin>` and the line."""
    fake_stdin(monkeypatch, jsonl({"text": "First."}, "{broken", {"text": "Third."}))
    items = list(read(["-"]))
    assert [d.body for d in documents(items)] == ["First.", "Third."]
    (err,) = errors(items)
    assert err.source == "<stdin>"
    assert err.line == 2


def test_stdin_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Binary data on stdin is a BinaryInput error."""
    fake_stdin(monkeypatch, b"\x89PNG\r\n\x1a\n" + bytes(100))
    (err,) = read(["-"])
    assert isinstance(err, BinaryInput)
    assert err.source == "<stdin>"


def test_stdin_text_starting_with_bracket(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain-text article on stdin that starts with `[UPDATED ...]` is read as text."""
    text = "[UPDATED 14:05] Mediators resumed talks in Cairo on Tuesday, officials said."
    fake_stdin(monkeypatch, text.encode() + b"\n")
    (doc,) = read(["-"])
    assert isinstance(doc, Document)
    assert doc.body == text


@pytest.mark.slow
def test_stdin_through_subprocess(tmp_path: Path) -> None:
    """A real pipe on stdin is read with `-`."""
    script = (
        "from eventwire.readers import read\n"
        "for item in read(['-']):\n"
        "    print(type(item).__name__, item.source.uri, item.date, item.title, sep='|')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=f"date 2024-03-05 {TITLE}\n\n{BODY}\n".encode(),
        capture_output=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.stdout.decode().strip() == f"Document|<stdin>|2024-03-05|{TITLE}"


# Error values


def test_empty_file(tmp_path: Path) -> None:
    """An empty file, or one of whitespace only, is an EmptyInput error."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\r\n\t\n")
    for path in (empty, blank):
        err = read_one(path)
        assert isinstance(err, EmptyInput)
        assert err.code == "EW101"
        assert err.source == str(path)


def test_empty_jsonl_file(tmp_path: Path) -> None:
    """An empty JSON Lines file is an EmptyInput error, not a silent skip."""
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    err = read_one(path)
    assert isinstance(err, EmptyInput)


def test_binary_file_in_directory(tmp_path: Path) -> None:
    """A PNG in a directory is a BinaryInput error naming it; the other files are still read."""
    (tmp_path / "a.txt").write_text("Mediators met in Cairo.", encoding="utf-8")
    (tmp_path / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (tmp_path / "c.txt").write_text("Ministers met in Geneva.", encoding="utf-8")
    items = read_all(tmp_path)
    assert [d.body for d in documents(items)] == ["Mediators met in Cairo.", "Ministers met in Geneva."]
    (err,) = errors(items)
    assert isinstance(err, BinaryInput)
    assert err.code == "EW102"
    assert err.source == str(tmp_path / "b.png")
    assert "PNG" in err.reason
    assert isinstance(items[1], BinaryInput)


def test_binary_file_with_text_extension(tmp_path: Path) -> None:
    """A PDF saved with a `.txt` name is still refused as binary."""
    path = tmp_path / "report.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    err = read_one(path)
    assert isinstance(err, BinaryInput)
    assert "PDF" in err.reason


def test_too_large_in_bytes(tmp_path: Path) -> None:
    """A file with more bytes than four per allowed character is TooLarge."""
    path = tmp_path / "big.txt"
    path.write_text("Talks went on. " * 100, encoding="utf-8")  # 1,500 bytes
    err = read_one(path, ReadOptions(max_chars=100))
    assert isinstance(err, TooLarge)
    assert err.code == "EW104"
    assert err.source == str(path)
    assert "--max-chars" in err.reason


def test_too_large_in_characters(tmp_path: Path) -> None:
    """A file within the byte bound but with more characters than allowed is TooLarge."""
    path = tmp_path / "big.txt"
    path.write_text("a" * 101, encoding="utf-8")
    err = read_one(path, ReadOptions(max_chars=100))
    assert isinstance(err, TooLarge)
    assert "101" in err.reason


def test_limit_counts_characters_not_bytes(tmp_path: Path) -> None:
    """A text of exactly the limit in multibyte characters is accepted."""
    path = tmp_path / "cyrillic.txt"
    path.write_text("ж" * 100, encoding="utf-8")  # 200 bytes, 100 characters
    doc = only_document(path, ReadOptions(max_chars=100))
    assert doc.body == "ж" * 100


def test_too_large_jsonl_record(tmp_path: Path) -> None:
    """A JSON Lines record over the limit is TooLarge for its line; the other lines are read."""
    path = tmp_path / "articles.jsonl"
    path.write_bytes(
        jsonl({"text": "Short."}, {"text": "x" * 150}, {"text": "y" * 1000}, {"text": "Also short."})
    )
    items = read_all(path, options=ReadOptions(max_chars=100))
    assert [d.body for d in documents(items)] == ["Short.", "Also short."]
    errs = errors(items)
    assert [(type(e), e.line) for e in errs] == [(TooLarge, 2), (TooLarge, 3)]


@pytest.mark.slow
def test_twenty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    """A 20 MB text file at the default limit is TooLarge, quickly and without loading it into memory."""
    path = tmp_path / "huge.txt"
    line = "Mediators resumed talks in Cairo on Tuesday in an effort to secure a ceasefire.\n"
    with path.open("w", encoding="utf-8") as out:
        for _ in range(20_000_000 // len(line) + 1):
            out.write(line)
    assert path.stat().st_size >= 20_000_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        items = read_all(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(items) == 1
    assert isinstance(items[0], TooLarge)
    assert items[0].source == str(path)
    assert f"{DEFAULT_MAX_CHARS:,}" in items[0].reason
    assert elapsed < 2.0
    assert peak < 5_000_000  # reading the whole file would need at least 20 MB


def test_dangling_symlink(tmp_path: Path) -> None:
    """A symlink to nothing is an Unreadable error; check_paths lets it through so it can be reported."""
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    assert check_paths([str(link)]) == [str(link)]
    err = read_one(link)
    assert isinstance(err, Unreadable)
    assert err.code == "EW109"
    assert err.source == str(link)


def test_dangling_symlink_in_directory(tmp_path: Path) -> None:
    """A dangling symlink in a directory is an error while the other files are read."""
    (tmp_path / "a.txt").write_text("Mediators met in Cairo.", encoding="utf-8")
    (tmp_path / "b.txt").symlink_to(tmp_path / "missing.txt")
    items = read_all(tmp_path)
    assert [type(item) for item in items] == [Document, Unreadable]
    assert items[1].source == str(tmp_path / "b.txt")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_file_without_read_permission(tmp_path: Path) -> None:
    """A file that may not be read is an Unreadable error."""
    path = tmp_path / "secret.txt"
    path.write_text("Mediators met in Cairo.", encoding="utf-8")
    path.chmod(0)
    try:
        err = read_one(path)
    finally:
        path.chmod(0o644)
    assert isinstance(err, Unreadable)
    assert err.source == str(path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can list any directory")
def test_directory_without_permission(tmp_path: Path) -> None:
    """A subdirectory that cannot be listed is an Unreadable error; the rest is read."""
    (tmp_path / "a.txt").write_text("Mediators met in Cairo.", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("Hidden away.", encoding="utf-8")
    locked.chmod(0)
    try:
        items = read_all(tmp_path)
    finally:
        locked.chmod(0o755)
    assert [d.body for d in documents(items)] == ["Mediators met in Cairo."]
    (err,) = errors(items)
    assert isinstance(err, Unreadable)
    assert err.source == str(locked)


def test_error_items_carry_source_and_code(tmp_path: Path) -> None:
    """Every error from a batch has its file as source, a stable code, and a `failure()` row to match."""
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_bad_date.txt").write_text(f"date 2023-13-45 {TITLE}\n\nBody.\n", encoding="utf-8")
    (tmp_path / "c_no_body.txt").write_text(f"date 2024-03-05 {TITLE}\n", encoding="utf-8")
    (tmp_path / "d_image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "e_records.jsonl").write_bytes(jsonl({"text": "Fine."}, "{"))
    expected = {
        "a_empty.txt": ("EW101", None),
        "b_bad_date.txt": ("EW105", None),
        "c_no_body.txt": ("EW106", None),
        "d_image.txt": ("EW102", None),
        "e_records.jsonl": ("EW108", 2),
    }
    errs = errors(read_all(tmp_path))
    assert {Path(e.source or "").name: (e.code, e.line) for e in errs} == expected
    for err in errs:
        row = err.failure()
        assert row.stage == "read"
        assert row.code == err.code
        assert row.source == err.source
        assert row.line == err.line


# check_paths


def test_check_paths_missing(tmp_path: Path) -> None:
    """A path that does not exist is a UsageError naming it."""
    missing = str(tmp_path / "nowhere.txt")
    with pytest.raises(UsageError) as info:
        check_paths([missing])
    assert missing in str(info.value)
    assert info.value.code == "EW001"


def test_check_paths_accepts_files_directories_globs_and_stdin(tmp_path: Path) -> None:
    """Existing files, directories, matching globs and `-` are accepted and returned in order."""
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    paths = [str(tmp_path / "a.txt"), str(tmp_path), str(tmp_path / "*.txt"), "-"]
    assert check_paths(paths) == paths


def test_check_paths_glob_without_match(tmp_path: Path) -> None:
    """A glob that matches nothing is a UsageError."""
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    with pytest.raises(UsageError):
        check_paths([str(tmp_path / "*.html")])


def test_check_paths_reports_missing_after_good(tmp_path: Path) -> None:
    """A missing path after good ones is still refused."""
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    missing = str(tmp_path / "b.txt")
    with pytest.raises(UsageError, match=r"b\.txt"):
        check_paths([str(tmp_path / "a.txt"), missing])


def test_json_file_with_one_pretty_printed_object(tmp_path: Path) -> None:
    """A `.json` file holding one indented object is one document, not a series of broken lines."""
    path = tmp_path / "article.json"
    record = {"id": "x9", "title": TITLE, "date": "2024-03-05", "text": BODY}
    path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    doc = only_document(path)
    assert doc.source.external_id == "x9"
    assert doc.body == BODY
    assert doc.date == dt.date(2024, 3, 5)


def test_glob_matching_nothing_is_an_error_not_silence(tmp_path: Path) -> None:
    """`read()` given a glob that matches no file yields an error naming the pattern."""
    pattern = str(tmp_path / "*.nothing")
    items = list(read([pattern]))
    assert len(items) == 1
    assert isinstance(items[0], Unreadable)
    assert items[0].source == pattern


def test_text_starting_with_brace_but_not_json_is_text(tmp_path: Path) -> None:
    """A file without extension starting `{Updated}` is plain text; one starting `{"` is JSON Lines."""
    prose = tmp_path / "prose"
    prose.write_text("{Updated} " + BODY, encoding="utf-8")
    assert only_document(prose).source.format == "text"
    records = tmp_path / "records"
    records.write_bytes(jsonl({"id": "1", "text": BODY}))
    assert only_document(records).source.format == "jsonl"


def test_json_lines_saved_as_json_are_read_line_by_line(tmp_path: Path) -> None:
    """A `.json` file holding JSON Lines is read record by record; a broken line is an error naming it."""
    path = tmp_path / "feed.json"
    path.write_bytes(jsonl({"id": "1", "text": BODY}, "{broken", {"id": "3", "text": BODY + " More."}))
    items = list(read([str(path)]))
    assert [type(i).__name__ for i in items] == ["Document", "MalformedRecord", "Document"]
    assert items[1].line == 2
    assert [i.source.external_id for i in items if isinstance(i, Document)] == ["1", "3"]


def test_permission_denied_file_in_directory_as_root_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The operating system refusing one file (simulated, so it also runs as root) is an error; the rest is read."""
    (tmp_path / "a.txt").write_text("Mediators met in Cairo.", encoding="utf-8")
    secret = tmp_path / "b.txt"
    secret.write_text("Hidden away.", encoding="utf-8")
    real_open = Path.open

    def refusing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        """Path.open that refuses the secret file as the OS would."""
        if self == secret:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    items = read_all(tmp_path)
    assert [d.body for d in documents(items)] == ["Mediators met in Cairo."]
    (err,) = errors(items)
    assert isinstance(err, Unreadable)
    assert err.source == str(secret)
    assert "Permission denied" in err.reason


def test_unlistable_directory_as_root_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A subdirectory the OS refuses to list (simulated) is an error naming it; the other files are read."""
    (tmp_path / "a.txt").write_text("Mediators met in Cairo.", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("Hidden away.", encoding="utf-8")
    real_scandir = os.scandir

    def refusing_scandir(path: Any = ".") -> Any:
        """os.scandir that refuses the locked directory as the OS would."""
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    items = read_all(tmp_path)
    assert [d.body for d in documents(items)] == ["Mediators met in Cairo."]
    (err,) = errors(items)
    assert isinstance(err, Unreadable)
    assert err.source == str(locked)
