"""Ingest: the bundled example, re-runs, duplicates across files, bad inputs and NLP failures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.ingest import IngestSummary, ingest
from eventwire.model import Article, Failure, Source
from eventwire.pipeline import Pipeline
from eventwire.store import Store

SEED_TITLE = "Netanyahu interrupted a cabinet meeting for talks with Russian President Putin"
MARKER = "XQZMARKERQZX"
FAIL_COMPONENT = "eventwire_test_fail_on_marker"

BODY = (
    "The foreign ministers of Egypt and Jordan met in Cairo on Tuesday to discuss the crisis in Gaza. "
    "They called for an immediate ceasefire.\n\n"
    "Ayman Safadi said Jordan would keep sending aid convoys across the border."
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def _header(path: Path, date: str, title: str, body: str) -> Path:
    """Write a document in the header format."""
    path.write_text(f"date {date} {title}\n\n{body}\n", encoding="utf-8")
    return path


def _span_mismatches(store: Store) -> int:
    """Sentence and entity rows whose offsets do not slice the article's stored text to the row's text."""
    total = 0
    for table in ("sentences", "entities"):
        row = store.con.execute(
            f"SELECT count(*) FROM {table} t JOIN articles a ON a.id = t.article_id "
            "WHERE t.start_char < 0 OR t.end_char > length(a.text) OR t.start_char >= t.end_char "
            "OR substring(a.text, t.start_char + 1, t.end_char - t.start_char) <> t.text"
        ).fetchone()
        assert row is not None
        total += int(row[0])
    return total


def _assert_spans(article: Article) -> None:
    """Every sentence and entity span of an article slices its text to the span's text."""
    for span in [s.span for s in article.sentences] + [e.span for e in article.entities]:
        assert 0 <= span.start < span.end <= len(article.text)
        assert article.text[span.start : span.end] == span.text


def test_ingest_example(seed_path: Path, store: Store, pipeline: Pipeline) -> None:
    """The bundled example is stored with its title, date, credit, clean text, sentences and entities."""
    summary = ingest([str(seed_path)], store, pipeline)
    assert (summary.read, summary.new, summary.duplicate, summary.failed) == (1, 1, 0, 0)
    assert summary.ok
    (article_id,) = [r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()]
    article = store.get_article(article_id)
    assert article is not None
    assert article.title == SEED_TITLE
    assert article.date == dt.date(2023, 12, 10)
    assert article.metadata["credits"] == ["Ahmed Zakot/Reuters"]
    assert "Photo:" not in article.text
    assert "Related materials" not in article.text
    assert "Ahmed Zakot" not in article.text
    assert article.text.startswith(SEED_TITLE + "\n\n")
    assert article.text[article.body_start :].startswith("Israeli Prime Minister Benjamin Netanyahu")
    assert len(article.sentences) >= 10
    assert len(article.entities) >= 10
    assert {"Netanyahu", "Vladimir Putin", "Tel Aviv", "Russia"} <= {e.span.text for e in article.entities}
    _assert_spans(article)
    assert _span_mismatches(store) == 0
    row = store.con.execute("SELECT n_sentences, n_entities FROM articles").fetchone()
    assert row == (len(article.sentences), len(article.entities))
    assert store.counts()["sentences"] == summary.sentences == len(article.sentences)
    assert store.counts()["entities"] == summary.entities == len(article.entities)
    assert store.failures(level=None) == []


def test_ingest_twice(seed_path: Path, tmp_path: Path, store: Store, pipeline: Pipeline) -> None:
    """Ingesting the same inputs twice leaves identical counts; the second run finds only duplicates."""
    docs = tmp_path / "docs"
    docs.mkdir()
    _header(docs / "one.txt", "2024-01-02", "Ministers meet", BODY)
    (docs / "two.txt").write_text("Vladimir Putin met Xi Jinping in Beijing. They signed a trade deal.\n")
    paths = [str(seed_path), str(docs)]
    first = ingest(paths, store, pipeline)
    assert (first.read, first.new, first.duplicate, first.failed) == (3, 3, 0, 0)
    counts = store.counts()
    second = ingest(paths, store, pipeline)
    assert (second.read, second.new, second.duplicate, second.failed) == (3, 0, 3, 0)
    assert (second.sentences, second.entities) == (0, 0)
    assert second.ok
    assert store.counts() == counts
    # The undated plain-text file's warning is one row seen twice.
    assert store.con.execute("SELECT level, attempts FROM errors").fetchall() == [("warning", 2)]


def test_same_article_in_two_files(tmp_path: Path, store: Store, pipeline: Pipeline) -> None:
    """The same body in a header-format file and a JSON Lines line is one article with two sources."""
    docs = tmp_path / "docs"
    docs.mkdir()
    _header(docs / "a.txt", "2024-03-04", "Ministers meet in Cairo", BODY)
    record = {"id": "rec-1", "text": BODY, "date": "2024-03-04"}
    (docs / "b.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    summary = ingest([str(docs)], store, pipeline)
    assert (summary.read, summary.new, summary.duplicate, summary.failed) == (2, 1, 1, 0)
    counts = store.counts()
    assert (counts["articles"], counts["sources"]) == (1, 2)
    (article_id,) = [r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()]
    sources = store.sources(article_id)
    assert sorted(sources, key=lambda s: s.uri) == [
        Source(str(docs / "a.txt"), "seed"),
        Source(str(docs / "b.jsonl"), "jsonl", 1, "rec-1"),
    ]
    article = store.get_article(article_id)
    assert article is not None
    assert article.title == "Ministers meet in Cairo"
    # A later run reading the JSON Lines file alone adds nothing.
    again = ingest([str(docs / "b.jsonl")], store, pipeline)
    assert (again.new, again.duplicate) == (0, 1)
    assert store.counts() == counts


def test_a_copy_in_the_next_batch_is_a_duplicate(tmp_path: Path, store: Store, pipeline: Pipeline) -> None:
    """A text read again one batch later, while its first batch may still be being written, is a duplicate
    source of the same article, not parsed again."""
    docs = tmp_path / "docs"
    docs.mkdir()
    _header(docs / "a.txt", "2024-03-04", "Ministers meet in Cairo", BODY)
    _header(docs / "b.txt", "2024-03-04", "Ministers meet in Cairo", BODY)
    _header(docs / "c.txt", "2024-03-05", "Aid convoys", "Jordan sent aid convoys to Gaza on Wednesday.")
    summary = ingest([str(docs)], store, pipeline, batch_size=1)
    assert (summary.read, summary.new, summary.duplicate, summary.failed) == (3, 2, 1, 0)
    assert (store.counts()["articles"], store.counts()["sources"]) == (2, 3)


def test_a_failed_write_stops_the_ingest(
    tmp_path: Path, store: Store, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the database refuses a batch, the ingest stops with that error; the batches before it stay stored
    and a later run stores the rest."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, town in enumerate(("Cairo", "Amman", "Doha")):
        _header(docs / f"{i}.txt", "2024-03-04", f"Ministers meet in {town}", BODY.replace("Cairo", town))
    write = Store.write
    calls = []

    def refuse_second(self: Store, batch: object) -> None:
        calls.append(batch)
        if len(calls) == 2:
            raise OSError("No space left on device")
        write(self, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "write", refuse_second)
    with pytest.raises(OSError, match="No space left"):
        ingest([str(docs)], store, pipeline, batch_size=1)
    assert store.counts()["articles"] == 1
    monkeypatch.setattr(Store, "write", write)
    summary = ingest([str(docs)], store, pipeline, batch_size=1)
    assert (summary.new, summary.duplicate) == (2, 1)
    assert store.counts()["articles"] == 3


def _bad_inputs(docs: Path) -> dict[tuple[str, int | None], str]:
    """Write good and bad inputs; the expected error code of each bad one by (source, line)."""
    docs.mkdir()
    (docs / "a-empty.txt").write_bytes(b"")
    (docs / "b-image.png").write_bytes(PNG)
    _header(docs / "c-bad-date.txt", "2023-13-45", "Title", "Some body text that is never read.")
    (docs / "d-no-body.txt").write_text("date 2023-05-01 Only a title\n\n   \n", encoding="utf-8")
    (docs / "e-no-main.html").write_text(
        "<!DOCTYPE html><html><head><title>Menu</title></head>"
        "<body><script>var a = 1;</script></body></html>",
        encoding="utf-8",
    )
    lines = [
        json.dumps(
            {
                "id": "r1",
                "text": "The mayor of Paris met Vladimir Putin in Moscow. They talked.",
                "date": "2024-01-05",
            }
        ),
        '{"id": "r2", "text": broken',
        json.dumps({"id": "r3", "text": "Angela Merkel visited Washington. She met the president."}),
    ]
    (docs / "f-records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _header(docs / "g-good.txt", "2024-02-01", "Talks in Berlin", BODY)
    _header(
        docs / "h-good.txt",
        "2024-02-02",
        "Summit in Rome",
        "Leaders of the European Union gathered in Rome. Giorgia Meloni hosted the summit.",
    )
    return {
        (str(docs / "a-empty.txt"), None): "EW101",
        (str(docs / "b-image.png"), None): "EW102",
        (str(docs / "c-bad-date.txt"), None): "EW105",
        (str(docs / "d-no-body.txt"), None): "EW106",
        (str(docs / "e-no-main.html"), None): "EW107",
        (str(docs / "f-records.jsonl"), 2): "EW108",
    }


def test_mixed_batch_with_bad_inputs(tmp_path: Path, store: Store, pipeline: Pipeline) -> None:
    """Good documents are stored and every bad one becomes an error row with source, stage and reason."""
    expected = _bad_inputs(tmp_path / "docs")
    summary = ingest([str(tmp_path / "docs")], store, pipeline, batch_size=64)
    assert not summary.ok
    assert (summary.read, summary.new, summary.duplicate, summary.failed) == (10, 4, 0, 6)
    assert summary.warnings == 1  # record r3 has no date
    assert {(f.source, f.line): f.code for f in summary.failures} == expected
    rows = store.failures()
    assert {(f.source, f.line): f.code for f in rows} == expected
    for failure in rows:
        assert failure.stage == "read"
        assert failure.level == "error"
        assert failure.reason.strip()
    by_source = {f.source: f for f in rows}
    assert "2023-13-45" in by_source[str(tmp_path / "docs" / "c-bad-date.txt")].reason
    assert "PNG" in by_source[str(tmp_path / "docs" / "b-image.png")].reason
    titles = {r[0] for r in store.con.execute("SELECT title FROM articles").fetchall()}
    assert titles == {"Talks in Berlin", "Summit in Rome", None}
    external = {r[0] for r in store.con.execute("SELECT external_id FROM sources").fetchall()}
    assert external == {None, "r1", "r3"}
    assert store.counts()["articles"] == 4
    assert store.counts()["sentences"] == summary.sentences
    assert _span_mismatches(store) == 0
    warnings = store.failures(level="warning")
    assert [(w.line, w.reason.startswith("publication date unknown")) for w in warnings] == [(3, True)]


def test_mixed_batch_again_counts_attempts(tmp_path: Path, store: Store, pipeline: Pipeline) -> None:
    """Re-running an ingest with bad inputs updates their error rows instead of adding new ones."""
    expected = _bad_inputs(tmp_path / "docs")
    ingest([str(tmp_path / "docs")], store, pipeline, batch_size=3)
    counts = store.counts()
    summary = ingest([str(tmp_path / "docs")], store, pipeline, batch_size=3)
    assert (summary.new, summary.duplicate, summary.failed) == (0, 4, 6)
    assert store.counts() == counts
    attempts = store.con.execute("SELECT source, line, attempts FROM errors WHERE level = 'error'").fetchall()
    assert {(s, line): n for s, line, n in attempts} == dict.fromkeys(expected, 2)


def _fail_on_marker(doc: Doc) -> Doc:
    """A spaCy component that fails on any text containing the marker."""
    if MARKER in doc.text:
        raise ValueError(f"refusing a document containing {MARKER}")
    return doc


@pytest.fixture(scope="module")
def failing_pipeline() -> Iterator[Pipeline]:
    """The real pipeline with one more real spaCy component that raises on documents with the marker."""
    if not Language.has_factory(FAIL_COMPONENT):
        Language.component(FAIL_COMPONENT, func=_fail_on_marker)
    pipe = Pipeline()
    pipe.nlp.add_pipe(FAIL_COMPONENT, last=True)
    yield pipe


def test_nlp_failure_keeps_rest_of_batch(tmp_path: Path, store: Store, failing_pipeline: Pipeline) -> None:
    """A document the NLP stage fails on becomes an error row; the other documents of its batch are stored."""
    docs = tmp_path / "docs"
    docs.mkdir()
    bodies = [
        "Emmanuel Macron visited Dakar on Friday. He met President Macky Sall.",
        "Protesters marched in Santiago. Police used water cannon against them.",
        f"The ministry in Ankara issued a statement. {MARKER} was mentioned in it.",
        "Joe Biden spoke with Benjamin Netanyahu by phone. They discussed hostages.",
        "The United Nations convened in Geneva. Diplomats debated sanctions.",
    ]
    for i, body in enumerate(bodies):
        _header(docs / f"doc-{i}.txt", "2024-04-0" + str(i + 1), f"Report {i}", body)
    summary: IngestSummary = ingest([str(docs)], store, failing_pipeline, batch_size=8)
    assert (summary.read, summary.new, summary.failed) == (5, 4, 1)
    assert not summary.ok
    assert store.counts()["articles"] == 4
    stored = {r[0] for r in store.con.execute("SELECT title FROM articles").fetchall()}
    assert stored == {"Report 0", "Report 1", "Report 3", "Report 4"}
    (failure,) = store.failures()
    assert failure == Failure(str(docs / "doc-2.txt"), None, "nlp", "EW301", failure.reason)
    assert failure.reason.startswith("spaCy failed: ValueError")
    assert MARKER in failure.reason
    assert store.con.execute("SELECT count(*) FROM sources").fetchone() == (4,)
    assert _span_mismatches(store) == 0


def test_copy_of_a_document_that_fails_nlp_is_reported_too(
    tmp_path: Path, store: Store, failing_pipeline: Pipeline
) -> None:
    """A second copy (same text, other file) of a document the NLP stage fails on is an error where it was read."""
    docs = tmp_path / "docs"
    docs.mkdir()
    body = f"The ministry in Ankara issued a statement. {MARKER} was mentioned in it."
    _header(docs / "a.txt", "2024-04-01", "Report", body)
    _header(docs / "b.txt", "2024-04-01", "Report", body)
    summary = ingest([str(docs)], store, failing_pipeline, batch_size=8)
    assert (summary.read, summary.new, summary.duplicate, summary.failed) == (2, 0, 0, 2)
    failures = {f.source: f for f in store.failures()}
    assert set(failures) == {str(docs / "a.txt"), str(docs / "b.txt")}
    assert "same text as" in failures[str(docs / "b.txt")].reason
    assert store.counts()["sources"] == 0
