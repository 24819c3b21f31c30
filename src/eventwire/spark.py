"""eventwire on Spark: the same pipeline over corpora that do not fit one machine, written as Parquet tables.

`eventwire spark --input PATH --output DIR` (or this file under `spark-submit`, or `python -m eventwire.spark`)
reads JSON Lines, text, HTML (gzip or not) or Parquet from any path Spark can read, runs the pipeline in the Python
workers (the model loaded once per worker process), and writes one Parquet dataset per store table: the rows an
`eventwire ingest` of the same input stores, then the near copies and the events grouped from the mentions
(identical to the in-process grouping; docs/scaling.md says how). A document that fails is an error row. Running a
job again over the same input writes the same rows (ids are content hashes; datasets are overwritten); the time
columns are the job's time, or `--as-of`.

In a notebook, `extract(df)` takes a DataFrame of records (`text`, and `id`, `url`, `title`, `date`…) and returns
the tables as DataFrames.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import json
import logging
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
from pyspark import StorageLevel, cloudpickle  # type: ignore[import-not-found,unused-ignore]
from pyspark.sql import Column, DataFrame, SparkSession, Window  # type: ignore[import-not-found,unused-ignore]
from pyspark.sql import functions as F  # type: ignore[import-not-found,unused-ignore]  # noqa: N812
from pyspark.sql.pandas.types import from_arrow_schema  # type: ignore[import-not-found,unused-ignore]
from pyspark.sql.types import IntegerType, StringType, StructType  # type: ignore[import-not-found,unused-ignore]

from eventwire import copies, grouping, spark_rows
from eventwire.clustering import MatchRule
from eventwire.pipeline import Pipeline, PipelineConfig
from eventwire.readers import DEFAULT_MAX_CHARS, ReadOptions

LOGGER = logging.getLogger("eventwire.spark")

# Blocking converges in as many rounds as the longest chain of keys; far more than news produces.
MAX_ROUNDS = 100
# Tables written at once.
WRITERS = 4


@dataclasses.dataclass(frozen=True)
class Job:
    """What a job runs: the pipeline, how documents are read, the rule grouping mentions, the time rows carry, and
    how many partitions the parsing is spread over (by default twice the cores)."""

    pipeline: Pipeline = dataclasses.field(default_factory=Pipeline)
    options: ReadOptions = dataclasses.field(default_factory=ReadOptions)
    rule: MatchRule = dataclasses.field(default_factory=MatchRule)
    as_of: dt.datetime = dataclasses.field(default_factory=lambda: dt.datetime.now(dt.UTC))
    partitions: int | None = None

    @functools.cached_property
    def frozen(self) -> bytes:
        """The pipeline as its tasks carry it: its config and stages, the model loaded by each worker."""
        # Spark's cloudpickle, so that stages defined in a notebook or a script travel with the job.
        frozen: bytes = cloudpickle.dumps(self.pipeline)  # type: ignore[no-untyped-call,unused-ignore]
        return frozen


def session(master: str | None = None, app: str = "eventwire") -> SparkSession:
    """A Spark session (local or the cluster's) in UTC whose local Python workers run this interpreter."""
    # Local workers must find eventwire and its model; a cluster's are set up by its own configuration.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app).config("spark.sql.session.timeZone", "UTC")
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        # Spark's default of 200 shuffle partitions is made for clusters: on one machine, tasks cost more than rows.
        builder = builder.config("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 1)))
    return builder.getOrCreate()


def _spark_schema(schema: pa.Schema) -> StructType:
    """An Arrow schema as Spark's."""
    return from_arrow_schema(schema)


def read(spark: SparkSession, paths: Sequence[str], job: Job, *, parquet: bool | None = None) -> DataFrame:
    """The documents under the paths, read and prepared (one row each, or its error): Parquet datasets of records,
    or files of any format `eventwire ingest` reads (`parquet=None` decides by the first path's name)."""
    if parquet is None:
        parquet = paths[0].rstrip("/").endswith(".parquet")
    if parquet:
        records = spark.read.parquet(*paths).select(
            "*",
            F.col("_metadata.file_path").alias("uri"),
            (F.col("_metadata.row_index") + 1).cast("int").alias("line"),
        )
        return _records(records.withColumn("uri", _local(F.col("uri"))), job)
    files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(list(paths))
    reader = functools.partial(spark_rows.read_files, frozen=job.frozen, options=job.options)
    return _with_empty(files).mapInArrow(reader, _spark_schema(spark_rows.item_schema()))


def _with_empty(files: DataFrame) -> DataFrame:
    """The files' paths and contents, empty files included: Spark's scan leaves them out, an ingest reports
    them (from the listing the driver holds anyway)."""
    listed = files.sparkSession.createDataFrame([(p,) for p in files.inputFiles()], "path string")
    read = files.select(_local(F.col("path")).alias("name"))
    empty = listed.join(read, _local(F.col("path")) == F.col("name"), "left_anti").select(
        "path", F.lit(b"").cast("binary").alias("content")
    )
    return files.select("path", "content").unionByName(empty)


def _local(uri: Column) -> Column:
    """A file name without its `file:` scheme, as `spark_rows.local_uri` writes it."""
    return F.regexp_replace(uri, r"^file:(//)?", "")


def _records(df: DataFrame, job: Job) -> DataFrame:
    """Records with `uri` and `line` columns read and prepared as JSON Lines records are."""
    reader = functools.partial(spark_rows.read_records, frozen=job.frozen, options=job.options)
    return df.mapInArrow(reader, _spark_schema(spark_rows.item_schema()))


def extract(
    df: DataFrame,
    *,
    job: Job | None = None,
    source: str = "dataframe",
) -> dict[str, DataFrame]:
    """Every store table (DataFrames, the store's columns) for a DataFrame of records: `text`, and optionally
    `id`, `url`, `title`, `date` and other fields (kept as metadata), `uri` and `line` (where each was read; by
    default `source` and the row's position)."""
    job = job or Job()
    if "uri" not in df.columns or "line" not in df.columns:
        df = _numbered(df, source)
    return tables(_records(df, job), job)


def _numbered(df: DataFrame, source: str) -> DataFrame:
    """Records given a `uri` (the source's name) and a `line` (their position, from 1)."""
    fields = [f for f in df.schema.fields if f.name not in ("uri", "line")]
    indexed = df.select([f.name for f in fields]).rdd.zipWithIndex()
    rows = indexed.map(lambda pair: (*pair[0], source, pair[1] + 1))
    schema = StructType(fields).add("uri", StringType()).add("line", IntegerType())
    return df.sparkSession.createDataFrame(rows, schema)


def tables(items: DataFrame, job: Job) -> dict[str, DataFrame]:
    """Every store table from read items: articles parsed once each (the first copy in reading order), their
    rows, sources, errors and warnings, then their near copies and events."""
    items = items.persist(StorageLevel.MEMORY_AND_DISK)
    first = Window.partitionBy("id").orderBy(*spark_rows.ORDER)
    ranked = items.filter(F.col("id").isNotNull()).withColumn("rank", F.row_number().over(first))
    fresh = ranked.filter("rank = 1").select("article")
    partitions = job.partitions or 2 * items.sparkSession.sparkContext.defaultParallelism
    annotate = functools.partial(spark_rows.annotate, frozen=job.frozen)
    wide = (
        fresh.repartition(partitions)
        .mapInArrow(annotate, _spark_schema(spark_rows.annotated_schema()))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    outcome = wide.select("id", "ok", F.get("errors", 0).alias("first_error"))
    later = (
        ranked.filter("rank > 1")
        .join(outcome, "id")
        .select("article", "ok", "first_error")
        .mapInArrow(spark_rows.later_copies, _spark_schema(spark_rows.copy_schema()))
    )
    ok = wide.filter("ok")
    found: dict[str, DataFrame] = {
        "articles": ok.select("article.*"),
        "sources": ok.select("source.*").unionByName(later.filter("source IS NOT NULL").select("source.*")),
        **{name: _exploded(wide, name) for name in spark_rows.ANNOTATIONS},
        "errors": _errors(
            items.filter(F.col("id").isNull()).select("error.*"),
            _exploded(wide, "errors"),
            _exploded(later, "errors"),
        ),
    }
    found.update(group(found, ok, job))
    return {name: _finished(name, df, job.as_of) for name, df in found.items()}


def _exploded(df: DataFrame, column: str) -> DataFrame:
    """The rows of a list column, one per element, as columns."""
    return df.select(F.explode(column).alias("row")).select("row.*")


def _errors(*parts: DataFrame) -> DataFrame:
    """Error and warning rows, one per problem: a problem seen twice is one row with two attempts (as stored)."""
    union = functools.reduce(DataFrame.unionByName, parts)
    columns = [c for c in union.columns if c != "attempts"]
    grouped = union.groupBy("id").agg(
        F.min(F.struct(*columns)).alias("row"), F.count("*").cast("int").alias("attempts")
    )
    return grouped.select("row.*", "attempts")


def _finished(name: str, df: DataFrame, as_of: dt.datetime) -> DataFrame:
    """A table's columns in the store's order and types, its time columns the job's time."""
    columns = []
    for field in _spark_schema(spark_rows.table_schemas()[name]).fields:
        if field.name == "resolved_at":
            value = F.lit(None)
        elif field.name in spark_rows.time_columns(name):
            value = F.lit(as_of)
        else:
            value = F.col(field.name)
        columns.append(value.cast(field.dataType).alias(field.name))
    return df.select(columns)


def group(found: dict[str, DataFrame], ok: DataFrame, job: Job) -> dict[str, DataFrame]:
    """The near copies of the articles and the events of their mentions, as the store groups them."""
    spark = ok.sparkSession
    signed = ok.select(
        F.col("id").alias("article_id"),
        F.col("article.pub_date").alias("pub_date"),
        "outlet",
        "minhash",
        "bands",
    )
    bands = signed.select(F.posexplode("bands").alias("band", "hash"), "article_id").withColumn(
        "band", F.col("band").cast("short")
    )
    article_copies = _copies(spark, signed, bands)
    mentions = spark.sql(
        _parameterised(
            f"SELECT {grouping.MENTION_COLUMNS} FROM event_mentions m {grouping.MENTION_JOINS} "
            f"WHERE {grouping.ELIGIBLE}"
        ),
        event_mentions=found["event_mentions"],
        articles=found["articles"],
        places=found["places"],
        article_copies=article_copies,
    )
    events = _events(mentions, job.rule).persist(StorageLevel.MEMORY_AND_DISK)
    links = events.select(F.explode("links").alias("link"), F.col("id").alias("event_id"))
    settings = spark.createDataFrame(
        [("match_rule", json.dumps(dataclasses.asdict(job.rule)))], "key string, value string"
    )
    return {
        "article_copies": article_copies,
        "article_bands": bands,
        "events": events.drop("links"),
        "event_links": links.select("link.article_id", "link.mention_idx", "event_id"),
        "settings": settings,
    }


def _parameterised(sql: str) -> str:
    """The store's SQL over its tables with each table a DataFrame parameter (`{name}`) instead."""
    for table in ("event_mentions", "articles", "places", "article_copies"):
        sql = sql.replace(f"JOIN {table} ", f"JOIN {{{table}}} ").replace(
            f"FROM {table} ", f"FROM {{{table}}} "
        )
    return sql


def _copies(spark: SparkSession, signed: DataFrame, bands: DataFrame) -> DataFrame:
    """Each article's near-copy group: pairs sharing a band found by a join, their similarity on the whole
    signature, then the groups resolved in id order on the driver (only pairs above the threshold travel)."""
    a, b = bands.alias("a"), bands.alias("b")
    pairs = (
        a.join(b, (F.col("a.band") == F.col("b.band")) & (F.col("a.hash") == F.col("b.hash")))
        .where(F.col("b.article_id") < F.col("a.article_id"))
        .select(F.col("a.article_id").alias("article"), F.col("b.article_id").alias("other"))
        .distinct()
    )
    left, right = signed.alias("l"), signed.alias("r")
    scored = (
        pairs.join(left, F.col("article") == F.col("l.article_id"))
        .join(right, F.col("other") == F.col("r.article_id"))
        .where(
            F.col("l.pub_date").isNull()
            | F.col("r.pub_date").isNull()
            | (F.abs(F.datediff("l.pub_date", "r.pub_date")) <= copies.MAX_DAYS)
        )
        .select(
            "article",
            "other",
            (
                F.expr(
                    "aggregate(zip_with(l.minhash, r.minhash, (x, y) -> IF(x = y, 1, 0)), 0, (n, v) -> n + v)"
                )
                / F.size("l.minhash")
            ).alias("similarity"),
        )
        .where(F.col("similarity") >= copies.THRESHOLD)
    )
    found = spark_rows.resolve_copies((r["article"], r["other"], r["similarity"]) for r in scored.collect())
    resolved = spark.createDataFrame(
        [(k, root, score) for k, (root, score) in sorted(found.items())],
        "article_id string, copy_of string, similarity double",
    )
    return signed.join(resolved, "article_id", "left").select(
        "article_id", "outlet", "minhash", F.coalesce("copy_of", "article_id").alias("copy_of"), "similarity"
    )


def _events(mentions: DataFrame, rule: MatchRule) -> DataFrame:
    """Events (with their links) grouped block by block: a block holds every mention clustering could compare
    with one of its mentions, so each block grouped alone gives what grouping all of them at once gives."""
    names = mentions.columns
    keys = mentions.mapInArrow(
        functools.partial(spark_rows.mention_keys, names=names), "mention string, key string"
    ).distinct()
    blocks = _components(keys)
    named = mentions.withColumn(
        "mention", F.concat(F.col("article_id"), F.lit("#"), F.col("idx").cast("string"))
    ).join(blocks, "mention")
    return named.groupBy("block").applyInArrow(
        spark_rows.grouper(names, rule), _spark_schema(spark_rows.event_schema())
    )


def _components(edges: DataFrame) -> DataFrame:
    """Each mention's block: the connected components of the mention-key graph, by label propagation (each
    mention takes the least label among its keys', each key the least among its mentions')."""
    edges = edges.persist(StorageLevel.MEMORY_AND_DISK)
    labels = edges.groupBy("mention").agg(F.min("key").alias("block")).localCheckpoint()
    for _ in range(MAX_ROUNDS):
        by_key = edges.join(labels, "mention").groupBy("key").agg(F.min("block").alias("block"))
        spread = (
            edges.join(by_key, "key").groupBy("mention").agg(F.min("block").alias("block")).localCheckpoint()
        )
        changed = spread.join(labels.withColumnRenamed("block", "before"), "mention").where("block <> before")
        labels = spread
        if changed.isEmpty():
            return labels
    raise RuntimeError(f"mention blocks did not settle in {MAX_ROUNDS} rounds")


def write(found: dict[str, DataFrame], output: str) -> None:
    """Each table as a Parquet dataset under `output`, replacing what a previous run wrote."""
    spark = next(iter(found.values())).sparkSession
    # Plain microsecond timestamps (not Spark's legacy INT96), which DuckDB reads as TIMESTAMPTZ.
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    target = output.rstrip("/")

    def save(name: str) -> None:
        """One table written."""
        found[name].write.mode("overwrite").parquet(f"{target}/{name}")

    # Most tables are small beside their fixed cost per Spark job: several jobs at once keep the cores busy.
    with ThreadPoolExecutor(WRITERS) as writers:
        list(writers.map(save, found))


def run(
    spark: SparkSession,
    inputs: Sequence[str],
    output: str,
    job: Job | None = None,
    *,
    parquet: bool | None = None,
) -> dict[str, int]:
    """Read the inputs, extract and group everything, write the tables under `output`; rows per table."""
    job = job or Job()
    found = tables(read(spark, inputs, job, parquet=parquet), job)
    write(found, output)
    written = spark.read.parquet
    return {name: written(f"{output.rstrip('/')}/{name}").count() for name in found}


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The options of a job run as a script (`spark-submit eventwire/spark.py` or `python -m eventwire.spark`)."""
    parser = argparse.ArgumentParser(prog="eventwire.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", action="append", required=True, help="A path Spark can read; repeatable.")
    parser.add_argument("--output", required=True, help="Directory of the Parquet tables (replaced).")
    parser.add_argument("--master", help="Spark master (spark-submit's own by default).")
    parser.add_argument("--input-format", choices=("auto", "files", "parquet"), default="auto")
    parser.add_argument("--model", default=PipelineConfig().model)
    parser.add_argument("--partitions", type=int, help="Partitions the parsing is spread over.")
    parser.add_argument("--date", type=dt.date.fromisoformat, help="Publication date of undated documents.")
    parser.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS)
    parser.add_argument("--as-of", type=dt.datetime.fromisoformat, help="The time rows carry (default: now).")
    return parser.parse_args(argv)


def job_of(args: argparse.Namespace) -> Job:
    """The job the script's options describe."""
    as_of = args.as_of or dt.datetime.now(dt.UTC)
    return Job(
        Pipeline(PipelineConfig(model=args.model)),
        ReadOptions(date=args.date, max_chars=args.max_chars),
        as_of=as_of if as_of.tzinfo else as_of.replace(tzinfo=dt.UTC),
        partitions=args.partitions,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Run one job from the command line and print the rows written per table."""
    args = arguments(argv)
    spark = session(args.master)
    parquet = None if args.input_format == "auto" else args.input_format == "parquet"
    counts = run(spark, args.input, args.output, job_of(args), parquet=parquet)
    print(json.dumps(counts))


if __name__ == "__main__":
    # Under spark-submit this file runs as a script: the job runs from the installed module, so that the
    # workers import the functions it ships instead of receiving copies of this file's.
    from eventwire.spark import main as installed_main

    installed_main()
