"""The DuckDB store: migrations, atomic batches, idempotent writes, round trips and problem rows."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import duckdb
import pytest

from eventwire.errors import UsageError
from eventwire.model import Article, Document, Failure, Source
from eventwire.pipeline import Pipeline
from eventwire.store import MIGRATIONS, Batch, Store

BODY_A = (
    "French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Monday. "
    "The two leaders discussed aid to Ukraine.\n\n"
    "Officials in Paris said the talks lasted three hours."
)
BODY_B = (
    "Vladimir Putin spoke by phone with Recep Tayyip Erdogan. They discussed grain exports through Istanbul."
)


def _article(
    pipeline: Pipeline, body: str, uri: str = "a.txt", *, title: str | None = "Leaders meet"
) -> Article:
    """A real article: read as a document, cleaned and parsed by the real pipeline."""
    doc = Document(Source(uri, "seed"), body, title, dt.date(2024, 2, 5), "header", metadata={"k": [1, "x"]})
    (result,) = list(pipeline.run([doc]))
    assert isinstance(result, Article), result
    return result


def _batch(*articles: Article) -> Batch:
    """A batch writing these articles with their own sources and no problems."""
    return Batch(list(articles), [(a.id, a.source) for a in articles], [])


def test_migrations_recorded_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A new file records every migration in schema_migrations; re-opening it applies nothing."""
    path = tmp_path / "m.duckdb"
    with caplog.at_level(logging.INFO, logger="eventwire.store"), Store(path) as store:
        rows = store.con.execute(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        ).fetchall()
        assert [(v, n) for v, n, _ in rows] == [(m.version, m.name) for m in MIGRATIONS]
        assert store.schema_version() == MIGRATIONS[-1].version
    assert sum("applied schema migration" in r.getMessage() for r in caplog.records) == len(MIGRATIONS)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="eventwire.store"), Store(path) as again:
        assert again.migrate() == []
        assert (
            again.con.execute(
                "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
            ).fetchall()
            == rows
        )
        assert again.schema_version() == MIGRATIONS[-1].version
    assert not any("applied schema migration" in r.getMessage() for r in caplog.records)


def test_schema_version_of_read_only_open(tmp_path: Path) -> None:
    """A read-only open of an existing store reports its schema version and its tables."""
    path = tmp_path / "v.duckdb"
    Store(path).close()
    with Store(path, read_only=True) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert store.counts() == {
            "articles": 0,
            "sources": 0,
            "sentences": 0,
            "entities": 0,
            "actors": 0,
            "event_mentions": 0,
            "quotes": 0,
            "places": 0,
            "dates": 0,
            "errors": 0,
        }


def test_atomic_block_rolls_back_on_exception(store: Store) -> None:
    """An exception inside `store.atomic()` leaves nothing the block wrote; the store still works."""
    with pytest.raises(RuntimeError, match="boom"), store.atomic():
        store.con.execute(
            "INSERT INTO articles VALUES ('x', 't', NULL, NULL, 'text', 0, 0, 0, '{}', NULL, now())"
        )
        store.con.execute("INSERT INTO sentences VALUES ('x', 0, 0, 0, 4, 'text')")
        assert store.counts()["articles"] == 1
        raise RuntimeError("boom")
    assert store.counts() == {
        "articles": 0,
        "sources": 0,
        "sentences": 0,
        "entities": 0,
        "actors": 0,
        "event_mentions": 0,
        "quotes": 0,
        "places": 0,
        "dates": 0,
        "errors": 0,
    }
    with store.atomic():
        store.con.execute("INSERT INTO sentences VALUES ('y', 0, 0, 0, 4, 'text')")
    assert store.counts()["sentences"] == 1


def test_write_is_atomic(store: Store, pipeline: Pipeline) -> None:
    """A batch whose last row cannot be written leaves none of its articles, sentences or entities."""
    article = _article(pipeline, BODY_A)
    assert article.sentences and article.entities
    bad = Failure("bad.txt", 2**40, "read", "EW100", "a line number no INTEGER column holds")
    batch = Batch(
        [article], [(article.id, article.source)], [Failure("ok.txt", None, "read", "EW101", "x"), bad]
    )
    with pytest.raises(duckdb.Error):
        store.write(batch)
    assert store.counts() == {
        "articles": 0,
        "sources": 0,
        "sentences": 0,
        "entities": 0,
        "actors": 0,
        "event_mentions": 0,
        "quotes": 0,
        "places": 0,
        "dates": 0,
        "errors": 0,
    }
    assert store.known_ids([article.id]) == set()


def test_write_same_batch_twice(store: Store, pipeline: Pipeline) -> None:
    """Writing the same batch twice leaves the row counts of writing it once."""
    a, b = _article(pipeline, BODY_A), _article(pipeline, BODY_B, "b.txt", title=None)
    batch = _batch(a, b)
    store.write(batch)
    once = store.counts()
    assert once["articles"] == 2
    assert once["sentences"] == len(a.sentences) + len(b.sentences)
    assert once["entities"] == len(a.entities) + len(b.entities)
    assert once["sources"] == 2
    store.write(batch)
    assert store.counts() == once


def test_known_ids(store: Store, pipeline: Pipeline) -> None:
    """`known_ids` returns exactly the stored ids among those asked about."""
    a, b = _article(pipeline, BODY_A), _article(pipeline, BODY_B, "b.txt")
    assert store.known_ids([]) == set()
    assert store.known_ids([a.id, b.id]) == set()
    store.write(_batch(a))
    assert store.known_ids([a.id, b.id, "0" * 16]) == {a.id}
    assert store.known_ids([a.id[:8]]) == set()


def test_get_article_round_trip(store: Store, pipeline: Pipeline) -> None:
    """An article read back equals what was written: text, title, date, sentences, entities and the rest."""
    article = _article(pipeline, BODY_A)
    store.write(_batch(article))
    got = store.get_article(article.id)
    assert got is not None
    assert got.text == article.text
    assert got.title == article.title == "Leaders meet"
    assert got.date == dt.date(2024, 2, 5)
    assert got.date_source == "header"
    assert got.body_start == article.body_start
    assert got.sentences == article.sentences
    assert got.entities == article.entities
    assert got.metadata == {"k": [1, "x"]}
    assert got.pipeline == article.pipeline is not None
    assert got.source == article.source
    assert {e.span.text for e in got.entities} >= {"Emmanuel Macron", "Berlin"}
    assert store.get_article("0" * 16) is None


def test_sources_from_two_files(store: Store, pipeline: Pipeline) -> None:
    """One article read from two files has one row and both sources, first seen first."""
    article = _article(pipeline, BODY_A, "z-first.txt")
    store.write(_batch(article))
    second = Source("a-second.jsonl", "jsonl", 3, "rec-7")
    store.write(Batch([], [(article.id, second)], []))
    assert store.counts()["articles"] == 1
    assert store.sources(article.id) == [Source("z-first.txt", "seed"), second]
    got = store.get_article(article.id)
    assert got is not None
    assert got.source == Source("z-first.txt", "seed")


def test_same_failure_twice_is_one_row(store: Store) -> None:
    """The same failure seen twice is one error row with attempts 2, and its reason is the latest."""
    store.write(Batch([], [], [Failure("bad.txt", None, "read", "EW105", "invalid date '2023-13-45'")]))
    store.write(Batch([], [], [Failure("bad.txt", None, "read", "EW105", "invalid date '2023-13-46'")]))
    rows = store.con.execute("SELECT source, stage, code, reason, attempts FROM errors").fetchall()
    assert rows == [("bad.txt", "read", "EW105", "invalid date '2023-13-46'", 2)]
    assert store.failures() == [Failure("bad.txt", None, "read", "EW105", "invalid date '2023-13-46'")]


def test_same_failure_twice_in_one_batch(store: Store) -> None:
    """The same failure twice in one batch is also one row with attempts 2."""
    failure = Failure("recs.jsonl", 4, "read", "EW108", "not valid JSON")
    store.write(Batch([], [], [failure, failure]))
    assert store.con.execute("SELECT line, attempts FROM errors").fetchall() == [(4, 2)]


def test_two_warnings_same_source(store: Store) -> None:
    """Two different warnings for the same source are two rows; errors and warnings are listed apart."""
    w1 = Failure("a.txt", None, "read", "EW900", "publication date unknown", "warning", "abc")
    w2 = Failure("a.txt", None, "read", "EW900", "invalid UTF-8 at byte 3", "warning", "abc")
    store.write(Batch([], [], [w1, w2]))
    store.write(Batch([], [], [w1]))
    rows = store.con.execute("SELECT reason, attempts FROM errors ORDER BY reason").fetchall()
    assert rows == [("invalid UTF-8 at byte 3", 1), ("publication date unknown", 2)]
    assert store.failures() == []
    assert sorted(f.reason for f in store.failures(level="warning")) == [w2.reason, w1.reason]
    assert len(store.failures(level=None, article_id="abc")) == 2


def test_read_only_missing_file(tmp_path: Path) -> None:
    """A read-only open of a missing file raises a FileNotFoundError naming it, and creates nothing."""
    path = tmp_path / "missing.duckdb"
    with pytest.raises(FileNotFoundError, match=r"no eventwire database at .*missing\.duckdb"):
        Store(path, read_only=True)
    assert not path.exists()


def test_error_of_a_document_stored_later_is_resolved(store: Store) -> None:
    """A source that failed and is stored on a later run has its error marked resolved, and it reopens if it fails again."""
    failure = Failure("docs/a.txt", None, "read", "EW105", "invalid date '2023-13-45'")
    store.write(Batch([], [], [failure]))
    assert store.failures() == [failure]
    article = Article("0123456789abcdef", "Rain in Oslo.", None, None, None, 0, Source("docs/a.txt", "text"))
    store.write(Batch([article], [(article.id, article.source)], []))
    assert store.failures() == []
    assert store.failures(resolved=True) == [failure]
    store.write(Batch([], [], [failure]))
    assert store.failures() == [failure]


def test_migrations_upgrade_a_version_1_file(tmp_path: Path) -> None:
    """A store made before the actors and event tables existed gains them on open, keeping its rows; the
    upgrades are recorded."""
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMPTZ NOT NULL)"
    )
    con.execute(MIGRATIONS[0].sql)
    con.execute("INSERT INTO schema_migrations VALUES (1, 'v1', now())")
    con.execute(
        "INSERT INTO errors VALUES ('k', 'a.txt', NULL, 'read', 'EW101', 'error', 'empty', NULL, now(), now(), "
        "1, NULL)"
    )
    con.close()
    with Store(path) as store:
        assert store.schema_version() == MIGRATIONS[-1].version == len(MIGRATIONS)
        assert store.counts()["actors"] == 0
        assert store.counts()["quotes"] == 0
        assert store.counts()["event_mentions"] == 0
        assert store.counts()["errors"] == 1


def test_actors_round_trip(store: Store) -> None:
    """Actor mentions written with their article read back equal."""
    from eventwire.model import ActorMention, Span

    text = "Moscow said no."
    article = Article("0123456789abcdef", text, None, None, None, 0, Source("a.txt", "text"))
    article.actors = [
        ActorMention(
            0, 0, Span(0, 6, "Moscow"), "RUSGOV", "Moscow", "RUS", ["GOV"], None, "Moscow", "metonymy"
        )
    ]
    store.write(Batch([article], [(article.id, article.source)], []))
    stored = store.get_article(article.id)
    assert stored is not None
    assert stored.actors == article.actors


def test_migration_4_keeps_event_rows_of_a_version_3_file(tmp_path: Path) -> None:
    """Event mentions stored before quotes, places and dates existed read back after the upgrade, their new
    fields empty."""
    import duckdb

    from eventwire.model import EventMention, Span

    path = tmp_path / "v3.duckdb"
    with Store(path) as store:
        store.con.execute("DELETE FROM schema_migrations WHERE version >= 4")
        store.con.execute(
            "DROP TABLE article_copies; DROP TABLE article_bands; DROP TABLE events; DROP TABLE event_links; DROP TABLE settings"
        )
        store.con.execute("DROP TABLE quotes; DROP TABLE places; DROP TABLE dates")
        store.con.execute(
            "DROP INDEX event_mentions_code; ALTER TABLE event_mentions DROP COLUMN date_text; "
            "ALTER TABLE event_mentions DROP COLUMN place_idx; ALTER TABLE event_mentions DROP COLUMN quote_idx; "
            "CREATE INDEX event_mentions_code ON event_mentions (code)"
        )
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO articles (id, text, body_start, n_sentences, n_entities, metadata, ingested_at) "
        "VALUES ('a1', 'Iran hit Iraq.', 0, 1, 0, '{}', now())"
    )
    con.execute(
        "INSERT INTO event_mentions (article_id, idx, sentence_idx, trigger_start, trigger_end, trigger_text, code, "
        "root, source, target, source_spans, target_spans, negated, hypothetical, future, historical, confidence, "
        "decided_by) VALUES ('a1', 0, 0, 5, 8, 'hit', '190', '19', ['IRN'], ['IRQ'], [], [], false, false, false, "
        "false, 0.9, 'lexicon')"
    )
    con.close()
    with Store(path) as store:
        assert store.schema_version() == MIGRATIONS[-1].version
        stored = store.get_article("a1")
        # Events did not exist then: regrouping links the old article's copies and groups its mentions.
        assert store.con.execute("SELECT count(*) FROM events").fetchone() == (0,)
        assert store.regroup() == 1
        assert store.con.execute("SELECT copy_of FROM article_copies").fetchall() == [("a1",)]
    assert stored is not None
    assert stored.events == [EventMention(0, 0, Span(5, 8, "hit"), "190", ["IRN"], ["IRQ"], confidence=0.9)]


def test_quotes_places_dates_round_trip(store: Store) -> None:
    """Quotes, places, dates and the event fields that point at them read back equal."""
    from eventwire.model import DateMention, EventMention, Place, Quote, Span

    text = 'Putin said on Sunday: "We will strike Kyiv."'
    article = Article("fedcba9876543210", text, None, None, None, 0, Source("q.txt", "text"))
    article.quotes = [
        Quote(0, Span(22, 43, text[22:43]), "direct", Span(0, 5, "Putin"), "RUSGOV", Span(6, 10, "said")),
        Quote(1, Span(14, 20, text[14:20]), "indirect"),
    ]
    article.places = [Place(0, 0, Span(38, 42, "Kyiv"), "event", "Kyiv", 703448, "UKR", 50.45, 30.52, "PPLC")]
    article.dates = [
        DateMention(0, 0, Span(14, 20, "Sunday"), "2024-01-07"),
        DateMention(1, 0, Span(0, 0, ""), None),
    ]
    article.events = [
        EventMention(
            0,
            0,
            Span(31, 37, "strike"),
            "138",
            ["RUSGOV"],
            ["UKR"],
            future=True,
            date=dt.date(2024, 1, 7),
            date_text="on Sunday",
            place=0,
            location="Kyiv",
            quote=0,
        )
    ]
    store.write(Batch([article], [(article.id, article.source)], []))
    stored = store.get_article(article.id)
    assert stored is not None
    assert (stored.quotes, stored.places, stored.dates, stored.events) == (
        article.quotes,
        article.places,
        article.dates,
        article.events,
    )


def test_quote_filter_by_speaker_kind_and_words(store: Store) -> None:
    """Quotes are found by speaker code prefix or speaker words, by kind and by words of the quote."""
    from eventwire.model import Quote, Span
    from eventwire.store import QuoteFilter

    text = '"No talks," Lavrov said. Blinken said that talks would resume.'
    article = Article("0a0b0c0d0e0f0a0b", text, None, dt.date(2024, 3, 1), None, 0, Source("q.txt", "text"))
    article.quotes = [
        Quote(
            0, Span(0, 11, '"No talks,"'), "direct", Span(12, 18, "Lavrov"), "RUSGOV", Span(19, 23, "said")
        ),
        Quote(
            1, Span(42, 61, text[42:61]), "indirect", Span(25, 32, "Blinken"), "USAGOV", Span(33, 37, "said")
        ),
    ]
    store.write(Batch([article], [(article.id, article.source)], []))

    def texts(**kw: object) -> list[str]:
        return [r["text"] for r in store.list_quotes(QuoteFilter(**kw))]  # type: ignore[arg-type]

    assert texts(speaker="RUS") == ['"No talks,"']
    assert texts(speaker="blinken") == [text[42:61]]
    assert texts(kind="direct") == ['"No talks,"']
    assert texts(search="resume") == [text[42:61]]
    assert texts(speaker="CHN") == []
    assert texts(since=dt.date(2024, 3, 2)) == []
    # Words are matched as written: LIKE's wildcards in them match only themselves.
    assert texts(search="%") == []
    assert texts(speaker="_") == []
    assert texts(search="No talks,") == ['"No talks,"']
    with pytest.raises(UsageError):
        QuoteFilter(kind="partial").sql()


def test_article_search_matches_wildcards_as_written(store: Store) -> None:
    """A search for `%` or `_` finds articles holding that character, not every article."""
    plain = Article(
        "1a1b1c1d1e1f1a1b", "Talks resumed in Doha.", None, None, None, 0, Source("a.txt", "text")
    )
    percent = Article(
        "2a2b2c2d2e2f2a2b", "Prices rose 5% in May.", None, None, None, 0, Source("b.txt", "text")
    )
    store.write(Batch([plain, percent], [(a.id, a.source) for a in (plain, percent)], []))
    assert [a["id"] for a in store.list_articles(search="%")] == [percent.id]
    assert store.list_articles(search="_") == []
    assert len(store.list_articles(search="in")) == 2
