"""The Spark runner: the rows an in-process ingest stores, re-runs, bad documents, and loading into DuckDB.

One local Spark session (`local[2]`) for the module. Without Java or pyspark the tests are skipped, unless
EVENTWIRE_REQUIRE_SPARK=1, when they fail.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from spacy.tokens import Doc

from eventwire.ingest import ingest
from eventwire.model import Article
from eventwire.pipeline import Pipeline, PipelineConfig, default_stages
from eventwire.spark_rows import TABLES
from eventwire.store import Store


def _missing() -> str | None:
    """What keeps Spark from running here, or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed"
    if importlib.util.find_spec("pandas") is None:
        return "pandas (which pyspark's Arrow functions need) is not installed"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime"
    return None


if (_reason := _missing()) is not None:
    if os.environ.get("EVENTWIRE_REQUIRE_SPARK") == "1":
        pytest.fail(f"Spark is required (EVENTWIRE_REQUIRE_SPARK=1) but {_reason}", pytrace=False)
    pytest.skip(f"Spark tests skipped: {_reason}", allow_module_level=True)

from pyspark import cloudpickle  # noqa: E402 - only once Spark is known to be there
from pyspark.sql import SparkSession  # noqa: E402

from eventwire import spark  # noqa: E402

FAIL_MARKER = "XQZFAILQZX"
AS_OF = dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)
CALL = (
    "Joe Biden spoke with Benjamin Netanyahu by phone on Monday about the hostages held in Gaza, the White House "
    "said. The two leaders discussed a possible pause in the fighting and the delivery of aid to civilians in the "
    "south of the territory, officials in Washington said after the call ended late in the evening."
)
BODIES = [
    "The foreign ministers of Egypt and Jordan met in Cairo on Tuesday to discuss the crisis in Gaza. "
    '"We want an immediate ceasefire," Ayman Safadi said.',
    "Protesters marched in Santiago on Friday. Police used water cannon against them.",
    "Russian forces shelled Kharkiv overnight, Ukrainian officials said on Sunday.",
    "Emmanuel Macron visited Dakar on Friday. He met President Macky Sall and praised the election.",
]
# Columns compared apart from the time each row was written.
SKIP_TABLES = {"settings"}  # an ingest keeps no rule until a regroup saves one


class FailOnMarker:
    """A pipeline stage that fails on any article containing the failure marker (a bug in one stage)."""

    def __call__(self, article: Article, doc: Doc) -> Article:
        """The article unchanged, or a failure."""
        if FAIL_MARKER in article.text:
            raise ValueError(f"refusing an article containing {FAIL_MARKER}")
        return article


def _pipeline() -> Pipeline:
    """The default pipeline with a last stage that fails on the marker."""
    config = PipelineConfig()
    return Pipeline(config, stages=(*default_stages(config), FailOnMarker()))


def _corpus(docs: Path) -> None:
    """Good articles, reports of one call by several outlets (one a near copy), an exact copy, bad documents."""
    docs.mkdir()
    for i, body in enumerate(BODIES):
        (docs / f"{i:02d}-report.txt").write_text(f"date 2024-05-{i + 1:02d} Report {i}\n\n{body}\n")
    (docs / "05-empty.txt").write_bytes(b"")
    (docs / "06-bad-date.txt").write_text("date 2024-05-45 Title\n\nA body that is never read.\n")
    statement = f"The ministry in Ankara issued a statement on {FAIL_MARKER}."
    (docs / "07-fails.txt").write_text(f"date 2024-05-09 Statement\n\n{statement}\n")
    (docs / "08-copy.txt").write_text(f"date 2024-05-20 Report 0 again\n\n{BODIES[0]}\n")
    records = [
        {
            "id": "a1",
            "url": "https://apnews.com/call",
            "date": "2024-05-06",
            "title": "Biden calls",
            "text": CALL,
        },
        {
            "id": "a2",
            "url": "https://news.example.org/call",
            "date": "2024-05-06",
            "title": "Biden and Netanyahu talk",
            "text": CALL.replace("late in the evening", "on Monday night"),
        },
        {
            "id": "a3",
            "url": "https://reuters.com/x",
            "date": "2024-05-07",
            "text": "Benjamin Netanyahu spoke with Joe Biden by telephone on Monday, Israeli officials said.",
        },
        {"id": "a4", "date": "2024-05-09", "text": statement},
    ]
    lines = [json.dumps(r) for r in records]
    lines.insert(2, '{"id": "broken", "text": unquoted')
    (docs / "10-records.jsonl").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def session() -> Iterator[SparkSession]:
    """One local Spark session with two cores for the module."""
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the failing stage travels to the workers
    active = (
        SparkSession.builder.master("local[2]")
        .appName("eventwire-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
    )
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark_session = active.getOrCreate()
    spark_session.sparkContext.setLogLevel("ERROR")
    yield spark_session
    spark_session.stop()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus, and where the stores and outputs go."""
    root = tmp_path_factory.mktemp("spark")
    _corpus(root / "docs")
    return root


@pytest.fixture(scope="module")
def ingested(work: Path) -> Path:
    """The corpus ingested in process (one batch) into a DuckDB file."""
    db = work / "ingested.duckdb"
    with Store(db) as store:
        summary = ingest([str(work / "docs")], store, _pipeline())
    assert summary.failed == 5, (
        summary.failures
    )  # empty, bad date, broken line, the failing text and its copy
    return db


@pytest.fixture(scope="module")
def output(session: SparkSession, work: Path) -> Path:
    """The corpus through a Spark job."""
    out = work / "out"
    spark.run(session, [str(work / "docs")], str(out), spark.Job(_pipeline(), as_of=AS_OF))
    return out


def _rows(con: duckdb.DuckDBPyConnection, source: str, table: str, *, times: bool = False) -> list[Any]:
    """A table's rows in a stable order, without the columns saying when they were written (unless `times`)."""
    columns = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    kept = [name for name, kind, *_ in columns if times or not kind.startswith("TIMESTAMP")]
    listed = ", ".join(f'"{c}"' for c in kept)
    return con.execute(f"SELECT {listed} FROM {source} ORDER BY ALL").fetchall()


def _parquet(out: Path, table: str) -> str:
    """The SQL that reads one of the job's tables."""
    return f"read_parquet('{out / table}/*.parquet')"


def _job_rows(out: Path, *, times: bool = False) -> dict[str, list[Any]]:
    """Every table a job wrote, as rows."""
    con = duckdb.connect()
    return {t: _rows(con, _parquet(out, t), t, times=times) for t in TABLES}


def test_every_table_is_what_ingest_stores(ingested: Path, output: Path) -> None:
    """Articles, sources, every annotation, errors and warnings, near copies and events: the same rows."""
    con = duckdb.connect(str(ingested), read_only=True)
    job = _job_rows(output)
    for table in TABLES:
        if table in SKIP_TABLES:
            continue
        assert job[table] == _rows(con, table, table), table
    # The corpus exercises what is compared: events told by several articles, a near copy, parsed rows.
    assert con.execute("SELECT max(num_articles) FROM events").fetchone() >= (2,)
    assert con.execute("SELECT count(*) FROM article_copies WHERE copy_of <> article_id").fetchone() == (1,)
    assert len(job["event_mentions"]) > 5 and len(job["quotes"]) > 0 and len(job["places"]) > 0


def test_a_bad_document_is_an_error_row(output: Path) -> None:
    """Documents that cannot be read, or that a stage fails on, are error rows; the job goes on."""
    con = duckdb.connect()
    errors = con.execute(
        f"SELECT source, line, code, reason FROM {_parquet(output, 'errors')} WHERE level = 'error' ORDER BY ALL"
    ).fetchall()
    reasons = {(Path(source).name, line): reason for source, line, _, reason in errors}
    assert "refusing an article containing" in reasons[("07-fails.txt", None)]
    assert "which failed first" in reasons[("10-records.jsonl", 5)]
    assert "not valid JSON" in reasons[("10-records.jsonl", 3)]
    assert ("05-empty.txt", None) in reasons and ("06-bad-date.txt", None) in reasons
    articles = con.execute(f"SELECT count(*) FROM {_parquet(output, 'articles')}").fetchone()
    assert articles == (7,)


def test_a_second_run_writes_the_same_rows(session: SparkSession, work: Path, output: Path) -> None:
    """Running the job again over the same input, into the same directory, writes the same rows."""
    before = _job_rows(output, times=True)
    spark.run(session, [str(work / "docs")], str(output), spark.Job(_pipeline(), as_of=AS_OF))
    assert _job_rows(output, times=True) == before


def _cli(*args: str) -> str:
    """Run eventwire and return its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "eventwire", *args], check=True, capture_output=True, text=True, timeout=120
    )
    return done.stdout


def _timeless(lines: str) -> list[Any]:
    """Printed records without the time each was written (JSON Lines), or the printed lines."""
    if not lines.startswith("{"):
        return lines.splitlines()
    return [{k: v for k, v in json.loads(line).items() if k != "updated_at"} for line in lines.splitlines()]


def test_load_then_events_as_after_ingest(ingested: Path, output: Path, work: Path) -> None:
    """`eventwire load` brings the job into DuckDB: `events` lists what it lists after `ingest`; loading twice
    changes nothing."""
    db = work / "loaded.duckdb"
    _cli("load", str(output), "--db", str(db))
    for args in (["events", "--json"], ["events", "--grouped", "--json"], ["quotes", "--json"], ["errors"]):
        assert _timeless(_cli(*args, "--db", str(db))) == _timeless(_cli(*args, "--db", str(ingested))), args
    con = duckdb.connect(str(db))
    first = {t: _rows(con, t, t, times=True) for t in TABLES}
    con.close()
    again = json.loads(_cli("load", str(output), "--db", str(db), "--json"))
    assert again["articles"] == 0 and again["known"] == 7 and not again["regrouped"]
    con = duckdb.connect(str(db), read_only=True)
    assert {t: _rows(con, t, t, times=True) for t in TABLES} == first


def test_a_dataframe_in_notebook_style(session: SparkSession) -> None:
    """`extract` takes a DataFrame of records and returns the store's tables as DataFrames."""
    records = session.createDataFrame(
        [(BODIES[0], "2024-05-01", "x1"), (BODIES[2], "2024-05-03", "x2")],
        "text string, date string, id string",
    )
    found = spark.extract(records, job=spark.Job(as_of=AS_OF), source="notebook")
    assert set(found) == set(TABLES)
    sources = found["sources"].select("uri", "line", "external_id").orderBy("line").collect()
    assert [tuple(r) for r in sources] == [("notebook", 1, "x1"), ("notebook", 2, "x2")]
    assert found["event_mentions"].count() > 0
    with Store(":memory:") as store:
        stored = [r[0] for r in store.con.execute("DESCRIBE articles").fetchall()]
    assert found["articles"].columns == stored
