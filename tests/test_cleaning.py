"""Tests for `eventwire.cleaning`: boilerplate out (and only boilerplate), credits kept, ids and stored text."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import pytest

from eventwire.cleaning import MAX_BOILERPLATE_CHARS, article_id, clean, find_boilerplate, strip_boilerplate
from eventwire.errors import CleanError
from eventwire.model import Article, Document, Source

PARAGRAPH_1 = (
    "Israeli Prime Minister Benjamin Netanyahu spoke by phone with Russian President Vladimir Putin on Sunday, "
    "leaving a cabinet meeting to take the call."
)
PARAGRAPH_2 = (
    "The two leaders discussed the situation in the Gaza Strip and the evacuation of Russian citizens."
)

MUST_REMOVE = [
    "Photo: Ahmed Zakot/Reuters",
    "(Photo: AFP)",
    "Image credit: Getty Images",
    "Photograph: Alamy",
    "Photo by John Smith/AP",
    "Picture courtesy of the Ministry of Defence",
    "Photo — EPA",
    "Image source: Getty Images",
    "Related materials:",
    "Related",
    "Read more: Gaza truce talks stall as Ramadan nears",
    "See also: Timeline of the war in Sudan",
    "Share this article",
    "Share on Facebook",
    "Share | Tweet | Email",
    "Follow us on Twitter",
    "Follow us on Telegram for the latest updates",
    "Subscribe to our newsletter",
    "Advertisement",
    "ADVERTISEMENT",
    "Click here to read the full report",
    "Continue reading below",
    "© 2024 Reuters. All rights reserved.",
    "All rights reserved.",
]

MUST_KEEP = [
    "Photo-journalists were arrested in Cairo on Monday.",
    "Shares in Gazprom fell 3% on Monday.",
    "Share prices in Moscow fell after the announcement.",
    "Read the full statement, the minister told reporters, and judge for yourselves.",
    "Copyright law was changed last year.",
    "Related parties met in Geneva.",
    "Advertisement spending fell sharply in Russia.",
    "Ad hoc talks began in Doha on Wednesday.",
    "Follow the money, the prosecutor told the court on Tuesday.",
    "Watch the border, the general told his troops.",
    "Pictures of the victims were shown in court.",
    "Print media were banned by the junta in 2021.",
    "Sponsored by the European Union, the talks began in Brussels.",
]

LONG_PHOTO_PARAGRAPH = (
    "Photo: the image that circulated on social media on Tuesday showed dozens of people queueing for bread "
    "outside a bakery in northern Gaza, and the army said it was investigating whether soldiers had fired "
    "warning shots near the crowd."
)


def make_doc(
    body: str,
    title: str | None = None,
    *,
    date: dt.date | None = None,
    date_source: str | None = None,
    metadata: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
) -> Document:
    """A document as a reader would give it."""
    return Document(
        Source("article.txt", "text"),
        body,
        title,
        date,
        date_source,
        dict(metadata or {}),
        list(warnings or []),
    )


def article_with(line: str) -> Article:
    """An article cleaned from two real paragraphs with the given line between them."""
    return clean(make_doc(f"{PARAGRAPH_1}\n\n{line}\n\n{PARAGRAPH_2}"))


@pytest.mark.parametrize("line", MUST_REMOVE)
def test_boilerplate_line_is_removed(line: str) -> None:
    """Each boilerplate line is taken out of the text and recorded in metadata; the paragraphs stay."""
    article = article_with(line)
    assert line not in article.text
    assert article.text == f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}"
    assert [entry["text"] for entry in article.metadata["boilerplate"]] == [line]


@pytest.mark.parametrize("line", MUST_KEEP)
def test_real_sentence_is_kept(line: str) -> None:
    """A real sentence that starts like boilerplate is kept in the text and nothing is recorded as removed."""
    article = article_with(line)
    assert article.text == f"{PARAGRAPH_1}\n\n{line}\n\n{PARAGRAPH_2}"
    assert "boilerplate" not in article.metadata
    assert "credits" not in article.metadata
    assert find_boilerplate(line) is None


def test_sentence_about_social_media_is_kept() -> None:
    """`Like many on Twitter, ...` is a sentence about reactions, not a follow-us prompt."""
    line = "Like many on Twitter, the minister mocked the proposal."
    assert find_boilerplate(line) is None
    assert line in article_with(line).text


def test_lettered_clause_is_kept() -> None:
    """Clause (c) of a quoted resolution is text, not a copyright notice."""
    clauses = [
        "(a) an immediate and lasting ceasefire;",
        "(b) unhindered humanitarian access throughout the country;",
        "(c) the release of all political prisoners held since 2021;",
    ]
    article = clean(make_doc(PARAGRAPH_1 + "\n\n" + "\n".join(clauses) + "\n\n" + PARAGRAPH_2))
    for clause in clauses:
        assert clause in article.text


@pytest.mark.parametrize(
    "line",
    [
        "Photos by activists showed tanks on the streets of Khartoum.",
        "Video by residents showed smoke rising over the port.",
    ],
)
def test_sentence_about_photos_by_witnesses_is_kept(line: str) -> None:
    """A sentence reporting what photos or videos by witnesses showed is text, not a credit."""
    article = article_with(line)
    assert line in article.text
    assert "credits" not in article.metadata


def test_long_paragraph_starting_like_a_credit_is_kept() -> None:
    """A paragraph over the boilerplate length limit is kept even when it starts with "Photo:"."""
    assert len(LONG_PHOTO_PARAGRAPH) > MAX_BOILERPLATE_CHARS
    article = article_with(LONG_PHOTO_PARAGRAPH)
    assert LONG_PHOTO_PARAGRAPH in article.text
    assert "credits" not in article.metadata


def test_credit_with_long_sentence_is_kept() -> None:
    """A short line after "Photo:" with more words than a credit has is a caption sentence and is kept."""
    line = "Photo: the crowd gathered in Tahrir Square on Friday to protest against rising bread prices."
    assert len(line) <= MAX_BOILERPLATE_CHARS
    assert line in article_with(line).text


def test_credits_kept_in_metadata() -> None:
    """Photo credits are kept, in order, in `metadata["credits"]`; every removed line in "boilerplate"."""
    body = "\n\n".join(
        [
            "Photo: Ahmed Zakot/Reuters",
            PARAGRAPH_1,
            "(Photo: AFP)",
            "Advertisement",
            PARAGRAPH_2,
            "Image credit: Getty Images",
            "Share this article",
        ]
    )
    article = clean(make_doc(body))
    assert article.metadata["credits"] == ["Ahmed Zakot/Reuters", "AFP", "Getty Images"]
    assert article.metadata["boilerplate"] == [
        {"rule": "credit", "text": "Photo: Ahmed Zakot/Reuters"},
        {"rule": "credit", "text": "(Photo: AFP)"},
        {"rule": "advert", "text": "Advertisement"},
        {"rule": "credit", "text": "Image credit: Getty Images"},
        {"rule": "share", "text": "Share this article"},
    ]
    assert article.text == f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}"


def test_boilerplate_with_surrounding_spaces() -> None:
    """Indented or trailing-space boilerplate lines are removed and recorded without the spaces."""
    text, removed = strip_boilerplate(f"{PARAGRAPH_1}\n   Advertisement   \n{PARAGRAPH_2}")
    assert text == f"{PARAGRAPH_1}\n{PARAGRAPH_2}"
    assert [(r.rule, r.text) for r in removed] == [("advert", "Advertisement")]


def test_removal_leaves_no_run_of_blank_lines() -> None:
    """Removing lines between paragraphs leaves one blank line, never more, and no leading blank lines."""
    body = f"Advertisement\n\n\n{PARAGRAPH_1}\n\nRead more: Talks stall\n\nShare this article\n\n{PARAGRAPH_2}\n\n"
    text, _ = strip_boilerplate(body)
    assert text == f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}"
    assert not re.search(r"\n{3,}", text)


def test_metadata_of_document_kept_and_not_mutated() -> None:
    """The document's metadata and warnings pass to the article; the document itself is not changed."""
    doc = make_doc(
        f"{PARAGRAPH_1}\n\n(Photo: AFP)", metadata={"lang": "en"}, warnings=["header line has no title"]
    )
    article = clean(doc)
    assert article.metadata["lang"] == "en"
    assert article.metadata["credits"] == ["AFP"]
    assert article.warnings == ["header line has no title"]
    assert doc.metadata == {"lang": "en"}
    assert doc.body == f"{PARAGRAPH_1}\n\n(Photo: AFP)"


# Ids


def test_id_is_stable_under_whitespace_and_unicode_form() -> None:
    """The id does not change with whitespace, line endings or the Unicode normal form of the body."""
    composed = "Recep Tayyip Erdoğan met José Manuel Albares in Ankara.\n\nTalks on Gaza followed."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    variants = [
        composed,
        decomposed,
        "  Recep Tayyip   Erdoğan met José Manuel Albares in Ankara.\r\n\r\n\r\nTalks on Gaza followed.  \n",
        composed.replace("\n\n", " "),
    ]
    ids = {clean(make_doc(v)).id for v in variants}
    assert len(ids) == 1
    (only,) = ids
    assert re.fullmatch(r"[0-9a-f]{16}", only)
    assert only == article_id(composed)


def test_id_differs_for_different_text() -> None:
    """Different bodies, even by one word or by case, have different ids."""
    bodies = [
        "Talks resumed in Cairo on Tuesday.",
        "Talks resumed in Doha on Tuesday.",
        "Talks resumed in Cairo on Tuesday, officials said.",
        "talks resumed in cairo on tuesday.",
    ]
    assert len({article_id(b) for b in bodies}) == len(bodies)


def test_id_ignores_title_and_boilerplate() -> None:
    """The same body read with another title or with boilerplate around it is the same article."""
    plain = clean(make_doc(f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}", title="Netanyahu spoke with Putin"))
    other = clean(
        make_doc(f"Advertisement\n{PARAGRAPH_1}\n\nPhoto: AFP\n\n{PARAGRAPH_2}\nShare this article")
    )
    assert plain.id == other.id


# Stored text


def test_title_blank_line_body() -> None:
    """The stored text is the title, a blank line, then the body; `body_start` points at the body."""
    doc = make_doc(
        f"{PARAGRAPH_1}\n\nAdvertisement\n\n{PARAGRAPH_2}",
        title="  Netanyahu   interrupted a cabinet\nmeeting for talks with Putin ",
        date=dt.date(2023, 12, 10),
        date_source="header",
    )
    article = clean(doc)
    title = "Netanyahu interrupted a cabinet meeting for talks with Putin"
    body = f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}"
    assert article.title == title
    assert article.text == f"{title}\n\n{body}"
    assert article.body_start == len(title) + 2
    assert article.text[article.body_start :] == body
    assert article.text[: article.body_start] == f"{title}\n\n"
    assert article.span(article.body_start, article.body_start + 7).text == "Israeli"
    assert article.date == dt.date(2023, 12, 10)
    assert article.date_source == "header"
    assert article.source == doc.source


def test_no_title_body_starts_at_zero() -> None:
    """Without a title the stored text is the body and `body_start` is 0."""
    article = clean(make_doc(f"\n\n{PARAGRAPH_1}\n\n"))
    assert article.title is None
    assert article.text == PARAGRAPH_1
    assert article.body_start == 0


def test_stored_text_is_nfc() -> None:
    """Decomposed letters in the title and body are stored composed, and offsets count composed letters."""
    title = unicodedata.normalize("NFD", "Erdoğan meets Macron")
    body = unicodedata.normalize("NFD", "Président Macron reçu Erdoğan à l'Élysée.")
    article = clean(make_doc(body, title=title))
    assert article.text == "Erdoğan meets Macron\n\nPrésident Macron reçu Erdoğan à l'Élysée."
    assert unicodedata.is_normalized("NFC", article.text)
    assert article.body_start == len("Erdoğan meets Macron\n\n")


def test_only_boilerplate_is_a_clean_error() -> None:
    """A document whose every line is boilerplate is a CleanError carrying its source and line."""
    doc = Document(
        Source("feed.jsonl", "jsonl", line=7),
        "Advertisement\n\nPhoto: Ahmed Zakot/Reuters\nShare this article\n\n© 2024 Reuters. All rights reserved.",
        title="Gaza",
    )
    with pytest.raises(CleanError) as info:
        clean(doc)
    assert info.value.code == "EW201"
    assert info.value.stage == "clean"
    assert info.value.source == "feed.jsonl"
    assert info.value.line == 7


def test_whitespace_only_is_a_clean_error() -> None:
    """A document with no text at all is a CleanError."""
    with pytest.raises(CleanError):
        clean(make_doc(" \n\n\t\n"))


def test_repeated_title_is_dropped_from_the_body() -> None:
    """A body whose first paragraph repeats the title keeps the title once; a different first line stays."""
    title = "Ceasefire talks resume in Cairo"
    body = "Ceasefire  talks resume in Cairo\n\nMediators met in Cairo on Tuesday."
    article = clean(Document(Source("a.jsonl", "jsonl", 1), body, title))
    assert article.text == f"{title}\n\nMediators met in Cairo on Tuesday."
    other = clean(Document(Source("b.jsonl", "jsonl", 1), "Cairo talks resume.\n\nMediators met.", title))
    assert other.text == f"{title}\n\nCairo talks resume.\n\nMediators met."


def test_title_alone_is_not_dropped() -> None:
    """A body that is only the title is kept (dropping it would leave nothing)."""
    article = clean(Document(Source("a.txt", "text"), "Rain in Oslo", "Rain in Oslo"))
    assert article.text == "Rain in Oslo\n\nRain in Oslo"
