"""Recoding stored articles: after an upgrade or with other lexicons, annotations are replaced, never duplicated."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from eventwire.ingest import ingest, recode
from eventwire.model import Article
from eventwire.pipeline import Pipeline, PipelineConfig
from eventwire.store import Store


@pytest.fixture()
def stored(tmp_path: Path, pipeline: Pipeline) -> Path:
    """A store with one article ingested by the default pipeline."""
    article = tmp_path / "a.txt"
    article.write_text("Russia criticized Ukraine on Monday. Egypt condemned Israel.\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        summary = ingest([str(article)], store, pipeline)
    assert summary.new == 1
    return db


def _events(db: Path) -> list[tuple[str, str, list[str]]]:
    """The stored event mentions as (code, trigger, source)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT code, trigger_text, source FROM event_mentions ORDER BY idx").fetchall()
    finally:
        con.close()
    return [(r[0], r[1], list(r[2])) for r in rows]


def test_recode_restores_what_an_older_version_lacked(stored: Path, pipeline: Pipeline) -> None:
    """A store written before events existed (no event rows) gains them; texts and ids do not change."""
    before = _events(stored)
    assert {code for code, _, _ in before} == {"111"}
    con = duckdb.connect(str(stored))
    con.execute("DELETE FROM event_mentions")
    text = con.execute("SELECT id, text FROM articles").fetchall()
    con.close()
    with Store(stored) as store:
        summary = recode(store, pipeline)
    assert (summary.read, summary.new, summary.failed) == (1, 1, 0)
    assert _events(stored) == before
    con = duckdb.connect(str(stored), read_only=True)
    assert con.execute("SELECT id, text FROM articles").fetchall() == text
    con.close()


def test_recode_twice_changes_nothing(stored: Path, pipeline: Pipeline) -> None:
    """Recoding replaces rows: running it twice leaves the same rows, none duplicated."""
    with Store(stored) as store:
        recode(store, pipeline)
        first = store.counts()
        recode(store, pipeline)
        assert store.counts() == first
    assert len(_events(stored)) == 2


def test_recode_with_a_user_lexicon(stored: Path, pipeline: Pipeline, tmp_path: Path) -> None:
    """A user lexicon row replacing a shipped one changes the stored codes of every article on recode."""
    lexicon = tmp_path / "mine.csv"
    lexicon.write_text(
        "trigger,pos,object,prep,prep_object,particle,code,example\ncondemn,VERB,,,,,112,\n", encoding="utf-8"
    )
    custom = Pipeline(PipelineConfig(lexicons=(str(lexicon),)))
    custom._nlp = pipeline.nlp  # share the loaded model
    with Store(stored) as store:
        recode(store, custom, prefix="")
    codes = {trigger: code for code, trigger, _ in _events(stored)}
    assert codes == {"criticized": "111", "condemned": "112"}


def test_recode_only_a_prefix(stored: Path, pipeline: Pipeline) -> None:
    """`prefix` limits recoding to matching article ids; an unknown prefix recodes nothing."""
    with Store(stored) as store:
        assert recode(store, pipeline, prefix="zzzz").read == 0


def test_a_failing_article_is_recorded_and_keeps_its_annotations(stored: Path, pipeline: Pipeline) -> None:
    """An article the new pipeline fails on is an error row, and its earlier events stay."""
    before = _events(stored)

    def broken(article: Article, doc: object) -> Article:
        """A stage that fails on every article."""
        raise RuntimeError("this stage is broken")

    failing = Pipeline(pipeline.config, stages=(*pipeline.stages, broken))
    failing._nlp = pipeline.nlp
    with Store(stored) as store:
        summary = recode(store, failing)
        errors = store.failures(level="error")
    assert (summary.read, summary.failed) == (1, 1)
    assert any("this stage is broken" in f.reason for f in errors)
    assert _events(stored) == before
