"""The process pool: the same rows as one process, failures per document, interrupted and repeated runs."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from spacy.tokens import Doc

from eventwire import nlp
from eventwire.actors import ActorStage
from eventwire.ingest import IngestSummary, ingest, recode
from eventwire.model import Article
from eventwire.pipeline import Pipeline, PipelineConfig, default_stages
from eventwire.store import Store

FAIL_MARKER = "XQZFAILQZX"
DIE_MARKER = "XQZDIEQZX"
# Every table ingest writes, compared whole but for the times rows were written.
TABLES = (
    "articles",
    "sources",
    "sentences",
    "entities",
    "actors",
    "event_mentions",
    "quotes",
    "places",
    "dates",
    "events",
    "event_links",
    "article_copies",
    "article_bands",
    "errors",
)

BODIES = [
    "The foreign ministers of Egypt and Jordan met in Cairo on Tuesday to discuss the crisis in Gaza. "
    '"We want an immediate ceasefire," Ayman Safadi said.',
    "Protesters marched in Santiago on Friday. Police used water cannon against them.",
    "Joe Biden spoke with Benjamin Netanyahu by phone on Monday. They discussed the hostages.",
    "Russian forces shelled Kharkiv overnight, Ukrainian officials said on Sunday.",
    "Emmanuel Macron visited Dakar on Friday. He met President Macky Sall and praised the election.",
    "The United Nations convened in Geneva on Wednesday. Diplomats condemned the attack on the convoy.",
]


class FailOnMarker:
    """A pipeline stage that fails on any article containing the failure marker (a bug in one stage)."""

    def __call__(self, article: Article, doc: Doc) -> Article:
        """The article unchanged, or a failure."""
        if FAIL_MARKER in article.text:
            raise ValueError(f"refusing an article containing {FAIL_MARKER}")
        return article


class DieOnMarker:
    """A pipeline stage that kills its worker process on any article containing the death marker."""

    def __call__(self, article: Article, doc: Doc) -> Article:
        """The article unchanged, or the end of the worker (an error in the test process itself)."""
        if DIE_MARKER in article.text:
            if multiprocessing.parent_process() is None:
                raise RuntimeError("the death marker is for worker processes")
            os._exit(70)  # as a segfault in native code would: no exception, no cleanup
        return article


def _pipeline(*extra: Any) -> Pipeline:
    """The default pipeline with more stages after its own."""
    config = PipelineConfig()
    return Pipeline(config, stages=(*default_stages(config), *extra))


def _light(*extra: Any) -> Pipeline:
    """Sentences, entities and actors, and more stages: workers that start in a few seconds."""
    return Pipeline(PipelineConfig(), stages=(nlp.annotate, ActorStage(), *extra))


@pytest.fixture(scope="module")
def failing() -> Pipeline:
    """The default pipeline with a last stage that fails on the failure marker."""
    return _pipeline(FailOnMarker())


def _header(path: Path, day: int, title: str, body: str) -> None:
    """Write a document in the header format."""
    path.write_text(f"date 2024-05-{day:02d} {title}\n\n{body}\n", encoding="utf-8")


def _corpus(docs: Path) -> Path:
    """Good articles, bad documents, a document a stage fails on, and copies read in other batches."""
    docs.mkdir()
    for i, body in enumerate(BODIES):
        _header(docs / f"{i:02d}-report.txt", i + 1, f"Report {i}", body)
    (docs / "03-empty.txt").write_bytes(b"")
    _header(docs / "04-bad-date.txt", 45, "Title", "A body that is never read.")
    _header(
        docs / "05-fails.txt", 9, "Statement", f"The ministry in Ankara issued a statement on {FAIL_MARKER}."
    )
    # Copies of a stored text and of the failing one, read a few batches later (and with another date).
    _header(docs / "08-copy.txt", 20, "Report 0 again", BODIES[0])
    _header(
        docs / "09-copy-fails.txt",
        21,
        "Statement",
        f"The ministry in Ankara issued a statement on {FAIL_MARKER}.",
    )
    lines = [
        json.dumps({"id": "r1", "text": BODIES[1], "date": "2024-05-02"}),  # a copy within its batch's reach
        '{"id": "r2", "text": broken',
        json.dumps({"id": "r3", "text": "Angela Merkel visited Washington. She met the president."}),
    ]
    (docs / "10-records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return docs


def _contents(store: Store, *, attempts: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table ingest writes, sorted, without the times they were written."""
    contents = {}
    for table in TABLES:
        columns = [
            name
            for name, kind in store.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
            if "TIME" not in kind and (attempts or name != "attempts")
        ]
        contents[table] = store.con.execute(
            f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL"
        ).fetchall()
    return contents


def _counts(summary: IngestSummary) -> tuple[int, ...]:
    """A summary's counts (its time aside)."""
    s = summary
    return (s.read, s.new, s.duplicate, s.failed, s.warnings, s.sentences, s.entities, s.actors, s.events)


@pytest.fixture(scope="module")
def in_process(
    tmp_path_factory: pytest.TempPathFactory, failing: Pipeline
) -> tuple[Path, IngestSummary, Path]:
    """The corpus ingested by one process: its directory, the summary and the store's file."""
    root = tmp_path_factory.mktemp("one")
    docs = _corpus(root / "docs")
    with Store(root / "one.duckdb") as store:
        summary = ingest([str(docs)], store, failing, batch_size=2)
    return docs, summary, root / "one.duckdb"


def test_two_workers_store_the_same_rows(
    in_process: tuple[Path, IngestSummary, Path], failing: Pipeline, tmp_path: Path
) -> None:
    """Two workers store exactly the rows one process does, bad documents and copies included; a re-run adds
    nothing, with one worker or two."""
    docs, single, single_db = in_process
    with Store(single_db, read_only=True) as one:
        expected = _contents(one)
    assert all(expected[t] for t in TABLES if t not in ("article_copies",)), "a table the corpus leaves empty"
    with Store(tmp_path / "two.duckdb") as store:
        summary = ingest([str(docs)], store, failing, batch_size=2, workers=2)
        assert _contents(store) == expected
        assert _counts(summary) == _counts(single)
        assert summary.failures == single.failures
        stage_failures = [f for f in store.failures() if f.stage == "nlp"]
        assert {Path(f.source).name for f in stage_failures} == {"05-fails.txt", "09-copy-fails.txt"}
        assert all(f.reason.startswith("a pipeline stage failed: ValueError") for f in stage_failures)
        assert {Path(f.source).name for f in store.failures() if f.stage == "read"} == {
            "03-empty.txt",
            "04-bad-date.txt",
            "10-records.jsonl",
        }

        again = ingest([str(docs)], store, failing, batch_size=2, workers=2)
        assert _counts(again)[:4] == (single.read, 0, single.new + single.duplicate, single.failed)
        assert _contents(store, attempts=False) == _contents_without_attempts(single_db)


def _contents_without_attempts(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """A store file's rows, without how many times each error was seen."""
    with Store(path, read_only=True) as store:
        return _contents(store, attempts=False)


def test_interrupted_run_is_completed_by_the_next(
    in_process: tuple[Path, IngestSummary, Path], tmp_path: Path
) -> None:
    """A run stopped after its first batch keeps that batch; the next run stores the rest, nothing twice."""
    docs = in_process[0]
    pipeline = _light(FailOnMarker())
    with Store(tmp_path / "one.duckdb") as one:
        single = ingest([str(docs)], one, pipeline, batch_size=2)
        expected = _contents(one, attempts=False)
    written: list[int] = []

    def stop(summary: IngestSummary) -> None:
        """Interrupt the run once one batch is written, as Ctrl-C would."""
        written.append(summary.read)
        raise KeyboardInterrupt

    with Store(tmp_path / "two.duckdb") as store:
        with pytest.raises(KeyboardInterrupt):
            ingest([str(docs)], store, pipeline, batch_size=2, workers=2, progress=stop)
        assert written == [2]
        assert 0 < store.counts()["articles"] < single.new
        ingest([str(docs)], store, pipeline, batch_size=2, workers=2)
        assert _contents(store, attempts=False) == expected


def test_a_worker_that_dies_costs_one_document(tmp_path: Path) -> None:
    """A document that kills its worker becomes an error row; the workers are replaced and the rest is stored."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, body in enumerate(BODIES[:4]):
        _header(docs / f"{i}-report.txt", i + 1, f"Report {i}", body)
    _header(docs / "2-dies.txt", 9, "Statement", f"The ministry issued a statement on {DIE_MARKER}.")
    with Store(tmp_path / "pool.duckdb") as store:
        summary = ingest([str(docs)], store, _light(DieOnMarker()), batch_size=2, workers=2)
        assert (summary.read, summary.new, summary.failed) == (5, 4, 1)
        (failure,) = store.failures()
        assert (Path(failure.source).name, failure.stage, failure.code) == ("2-dies.txt", "nlp", "EW301")
        assert "worker process died" in failure.reason
        titles = {r[0] for r in store.con.execute("SELECT title FROM articles").fetchall()}
        assert titles == {f"Report {i}" for i in range(4)}


def test_recode_with_two_workers(
    in_process: tuple[Path, IngestSummary, Path], failing: Pipeline, tmp_path: Path
) -> None:
    """Recoding with two workers writes what recoding in one process writes."""
    _, single, single_db = in_process
    results = {}
    for workers in (1, 2):
        copy = tmp_path / f"recode-{workers}.duckdb"
        copy.write_bytes(single_db.read_bytes())
        with Store(copy) as store:
            summary = recode(store, failing, batch_size=2, workers=workers)
            assert (summary.read, summary.new, summary.failed) == (single.new, single.new, 0)
            results[workers] = _contents(store)
    assert results[2] == results[1]


@pytest.mark.slow
def test_cli_workers(tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]) -> None:
    """`eventwire ingest --workers 2` stores every document and prints the usual summary."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, body in enumerate(BODIES[:3]):
        _header(docs / f"{i}.txt", i + 1, f"Report {i}", body)
    db = tmp_path / "cli.duckdb"
    cmd = [*eventwire_cmd, "ingest", str(docs), "--db", str(db), "--workers", "2", "--batch-size", "1"]
    done = subprocess.run(cmd, env=cli_env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("read 3 · new 3 · duplicate 0 · failed 0")
