"""The `eventwire spark` and `eventwire load` commands: a Spark job over a corpus, and its tables into DuckDB.

Spark is imported only when `eventwire spark` runs, so that eventwire works without it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

import click
import duckdb

from .commandline import db_option, max_chars_option
from .nlp import DEFAULT_MODEL
from .readers import ReadOptions
from .store import Store


@click.command("spark")
@click.option(
    "--input",
    "inputs",
    multiple=True,
    required=True,
    help="A path Spark can read (local, hdfs://, s3a://…); repeatable.",
)
@click.option(
    "--output", required=True, help="Directory of the Parquet tables, one per store table (replaced)."
)
@click.option(
    "--master", help="Spark master, such as local[4] or yarn (default: the session's, or local[*])."
)
@click.option(
    "--input-format",
    type=click.Choice(["auto", "files", "parquet"]),
    default="auto",
    show_default=True,
    help="Files of any format ingest reads, or Parquet records (auto: Parquet when the path ends in .parquet).",
)
@click.option(
    "--model",
    default=DEFAULT_MODEL,
    show_default=True,
    envvar="EVENTWIRE_MODEL",
    help="spaCy pipeline installed on every worker.",
)
@click.option(
    "--partitions",
    type=click.IntRange(1),
    help="Partitions the parsing is spread over (default: 2 per core).",
)
@click.option(
    "--date", type=click.DateTime(["%Y-%m-%d"]), help="Publication date for documents that carry none."
)
@max_chars_option
@click.option(
    "--as-of",
    type=click.DateTime(),
    help="The time the rows record (default: now); fixed, a re-run writes identical files.",
)
def spark_command(
    inputs: tuple[str, ...],
    output: str,
    master: str | None,
    input_format: str,
    model: str,
    partitions: int | None,
    date: dt.datetime | None,
    max_chars: int,
    as_of: dt.datetime | None,
) -> None:
    """Run the pipeline on Spark and write every table as Parquet (load it into DuckDB with `eventwire load`)."""
    try:
        from . import spark
    except ImportError as exc:
        click.echo(f"error: Spark is not installed ({exc}); pip install 'pyspark>=4,<5' pandas", err=True)
        sys.exit(2)
    from .pipeline import Pipeline, PipelineConfig

    # A time given on the command line is UTC, as every time eventwire stores.
    when = as_of.replace(tzinfo=dt.UTC) if as_of else dt.datetime.now(dt.UTC)
    job = spark.Job(
        Pipeline(PipelineConfig(model=model)),
        ReadOptions(date=date.date() if date else None, max_chars=max_chars),
        as_of=when,
        partitions=partitions,
    )
    parquet = None if input_format == "auto" else input_format == "parquet"
    session = spark.session(master or "local[*]")
    counts = spark.run(session, list(inputs), output, job, parquet=parquet)
    click.echo(" · ".join(f"{name} {n:,}" for name, n in counts.items()) + f" → {output}")


@click.command("load")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print what was loaded as JSON.")
def load_command(directory: Path, db: Path, as_json: bool) -> None:
    """Bring the Parquet tables of `eventwire spark` into the store; loading twice changes nothing."""
    from .spark_load import load

    try:
        with Store(db) as store:
            summary = load(directory, store)
    except (FileNotFoundError, duckdb.Error) as exc:
        click.echo(f"error: {str(exc).strip().splitlines()[0]}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(summary)))
        return
    how = "regrouped" if summary.regrouped else "loaded"
    click.echo(
        f"articles {summary.articles} new, {summary.known} known · sources {summary.sources} · problems "
        f"{summary.errors} · events {summary.events} ({how}) → {db}"
    )
