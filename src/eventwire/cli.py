"""The command line: a thin layer over the Python API (readers, pipeline, store, ingest)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

import click
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import __version__, dictionaries, ontology, plover
from .api.command import corrections_command, serve_command
from .commandline import (
    actors_option,
    batch_option,
    build_pipeline,
    classifier_option,
    date_option,
    db_option,
    err,
    event_filter_options,
    format_option,
    json_option,
    lexicon_option,
    max_chars_option,
    model_option,
    out,
    usage_errors,
    workers_option,
)
from .errors import DictionaryError, EventwireError, UsageError
from .ingest import IngestSummary, ingest, recode
from .model import Article, Failure, Source
from .readers import ReadOptions, check_paths, read
from .serialize import to_dict, to_json
from .spark_commands import load_command, spark_command
from .store import MODES, EventFilter, QuoteFilter, Store
from .watch_command import watch_command

EXAMPLE = "seed-article.txt"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventwire")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """Political event data from news articles, traceable to the text it came from."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, stream=sys.stderr, format="eventwire: %(levelname)s: %(message)s")


@cli.command("ingest")
@click.argument("paths", nargs=-1)
@click.option("--example", is_flag=True, help="Ingest the example article that ships with eventwire.")
@db_option
@model_option
@actors_option
@lexicon_option
@classifier_option
@date_option
@format_option
@max_chars_option
@batch_option
@workers_option
def ingest_command(
    paths: tuple[str, ...],
    example: bool,
    db: Path,
    model: str,
    date: dt.datetime | None,
    fmt: str | None,
    max_chars: int,
    batch_size: int,
    workers: int,
    actor_files: tuple[str, ...],
    lexicon_files: tuple[str, ...],
    no_classifier: bool,
) -> None:
    """Read articles from files, directories, globs or stdin (-) into the store.

    Exit status: 0 when every document was stored, 1 when some failed (they are listed and kept as error rows),
    2 on usage errors.
    """
    with _example_paths(paths, example) as inputs:
        options = _read_options(date, fmt, max_chars)
        pipeline = build_pipeline(model, actor_files, lexicon_files, not no_classifier)
        with usage_errors(), Store(db) as store:
            if workers == 1:
                pipeline.nlp  # noqa: B018 - load the model before the progress bar starts (workers load their own)
            with _progress() as show:
                summary = ingest(
                    inputs, store, pipeline, options, batch_size=batch_size, progress=show, workers=workers
                )
        _print_summary(summary, db)
    sys.exit(0 if summary.ok else 1)


@cli.command("recode")
@db_option
@click.option("--article", "prefix", default="", help="Only articles whose id starts with this.")
@model_option
@actors_option
@lexicon_option
@classifier_option
@batch_option
@workers_option
def recode_command(
    db: Path,
    prefix: str,
    model: str,
    actor_files: tuple[str, ...],
    lexicon_files: tuple[str, ...],
    no_classifier: bool,
    batch_size: int,
    workers: int,
) -> None:
    """Code stored articles again (after an upgrade, or with other dictionaries or lexicons); texts stay.

    Exit status: 0, or 1 when some articles failed (their earlier annotations are kept).
    """
    pipeline = build_pipeline(model, actor_files, lexicon_files, not no_classifier)
    with usage_errors(), Store(db) as store:
        if workers == 1:
            pipeline.nlp  # noqa: B018 - load the model before the progress bar starts (workers load their own)
        with _progress() as show:
            summary = recode(
                store, pipeline, prefix=prefix, batch_size=batch_size, progress=show, workers=workers
            )
    out.print(
        f"recoded {summary.new} of {summary.read} articles · failed {summary.failed} · actors {summary.actors} "
        f"({summary.coded} coded) · event mentions {summary.events} · {summary.seconds:.1f} s → {db}"
    )
    for failure in summary.failures:
        err.print(Text(f"failed: {failure.reason} [{failure.code}]"))
    sys.exit(0 if summary.ok else 1)


@cli.command("regroup")
@db_option
@click.option(
    "--window-days",
    type=click.IntRange(0),
    help="Mentions dated this many days apart or less may report one event (default 1).",
)
@click.option(
    "--max-km", type=click.FloatRange(0), help="Places farther apart than this are two events (default 100)."
)
@click.option(
    "--codes",
    type=click.Choice(["root", "family"]),
    help="Codes that match: the same root, or one code the other or its parent (default root).",
)
@click.option(
    "--partial-sides/--full-sides",
    default=None,
    help="Whether a mention naming one side may join an event naming both (default: may).",
)
def regroup_command(
    db: Path, window_days: int | None, max_km: float | None, codes: str | None, partial_sides: bool | None
) -> None:
    """Group every stored mention into events again, with a changed matching rule that later ingests keep.

    Options not given keep the database's current rule (docs/events-and-mentions.md explains it).
    """
    with usage_errors(), Store(db) as store:
        given: dict[str, Any] = {
            "window_days": window_days,
            "max_km": max_km,
            "codes": codes,
            "partial_sides": partial_sides,
        }
        changes = {k: v for k, v in given.items() if v is not None}
        rule = dataclasses.replace(store.match_rule, **changes)
        count = store.regroup(rule)
        mentions = store.con.execute("SELECT count(*) FROM event_links").fetchone()
    rule_text = ", ".join(f"{k} {v}" for k, v in dataclasses.asdict(rule).items())
    out.print(f"{mentions[0] if mentions else 0} mentions → {count} events ({rule_text}) → {db}")


@cli.command("aggregate")
@db_option
@click.option(
    "--by",
    type=click.Choice(["dyad", "country", "actor"]),
    default="dyad",
    show_default=True,
    help="Rows per source → target dyad, or per country (or actor) on either side of an event.",
)
@click.option(
    "--level",
    type=click.Choice(["country", "actor"]),
    help="A dyad's sides as countries (first three letters of the actor codes) or full actor codes "
    "(default country).",
)
@click.option(
    "--period",
    type=click.Choice(["day", "week", "month"]),
    default="day",
    show_default=True,
    help="Days, weeks (from Monday) or calendar months, each named by its first day.",
)
@event_filter_options
@click.option(
    "--weight",
    type=click.Choice(["events", "mentions"]),
    default="events",
    show_default=True,
    help="Count each event once, or weight it by its number of mentions.",
)
@click.option("--min-confidence", type=click.FloatRange(0, 1), help="Only events at least this sure.")
@click.option("--csv", "csv_path", help="Write CSV with a header to this file (- for stdout).")
@click.option(
    "--parquet", "parquet_path", type=click.Path(dir_okay=False, path_type=Path), help="Write Parquet here."
)
@click.option(
    "--limit", default=100, show_default=True, type=click.IntRange(1), help="Rows shown in the table."
)
def aggregate_command(
    db: Path,
    csv_path: str | None,
    parquet_path: Path | None,
    limit: int,
    since: dt.datetime | None,
    until: dt.datetime | None,
    **options: Any,
) -> None:
    """Count events, sum and average their Goldstein scores and count their QuadClasses, per day, week or month,
    by dyad or by country: the inputs of conflict-cooperation time series.

    Prints a table, or writes every row to --csv and --parquet files (docs/aggregates.md says what is counted).
    """
    from . import aggregates

    options.update(since=since.date() if since else None, until=until.date() if until else None)
    with usage_errors():
        if csv_path == "-":
            rows = aggregates.write_csv(db, sys.stdout, **options)
            err.print(f"{rows} rows")
            return
        written = []
        if csv_path:
            written.append(f"{aggregates.write(db, csv_path, 'csv', **options)} rows → {csv_path}")
        if parquet_path:
            written.append(
                f"{aggregates.write(db, parquet_path, 'parquet', **options)} rows → {parquet_path}"
            )
        if written:
            out.print("\n".join(written))
            return
        table = aggregates.aggregate(db, **options)
    _print_aggregates(table, limit)


def _print_aggregates(data: Any, limit: int) -> None:
    """The first rows of an aggregate table (a pyarrow Table) in the terminal, and how many there are."""
    import pyarrow as pa
    from rich import box

    # No vertical rules and short headings, so that a dyad's row fits an 80-column terminal.
    table = Table(title="aggregates", box=box.SIMPLE_HEAD, pad_edge=False)
    for field in data.schema:
        table.add_column(
            _HEADINGS.get(field.name, field.name),
            no_wrap=True,
            justify="left" if pa.types.is_string(field.type) else "right",
        )
    for row in data.slice(0, limit).to_pylist():
        table.add_row(*[_cell(v) for v in row.values()])
    out.print(table)
    more = f" (the first {limit} shown; --csv FILE writes them all)" if data.num_rows > limit else ""
    out.print(f"{data.num_rows} rows{more}")


_HEADINGS = {"goldstein_sum": "goldstein", "goldstein_mean": "mean"}


def _cell(value: Any) -> str:
    """An aggregate value as table text: a missing side as a dash, means to two decimals."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@cli.command("train-classifier")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Model directory (default: the shipped one, replaced).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed; the same seed, the same model."
)
def train_classifier_command(out: Path | None, seed: int) -> None:
    """Retrain the event classifier (the learned second opinion) from the shipped examples, reproducibly."""
    from .classifier import MODEL_DIR, train

    metrics = train(out=out or MODEL_DIR, seed=seed)
    click.echo(json.dumps(metrics, indent=2))


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("--jsonl", is_flag=True, help="Inputs are JSON Lines records {id, text, date, title, url}.")
@click.option(
    "--events",
    "events_only",
    is_flag=True,
    help="Print one PLOVER-style event record per line, not articles.",
)
@model_option
@actors_option
@lexicon_option
@classifier_option
@date_option
@format_option
@max_chars_option
def extract_command(
    paths: tuple[str, ...],
    jsonl: bool,
    events_only: bool,
    model: str,
    date: dt.datetime | None,
    fmt: str | None,
    max_chars: int,
    actor_files: tuple[str, ...],
    lexicon_files: tuple[str, ...],
    no_classifier: bool,
) -> None:
    """Print one JSON object per article on stdout, without a database (use - for stdin)."""
    options = _read_options(date, "jsonl" if jsonl else fmt, max_chars)
    failed = 0
    pipeline = build_pipeline(model, actor_files, lexicon_files, not no_classifier)
    with usage_errors():
        for result in pipeline.run(read(check_paths(paths), options)):
            if isinstance(result, EventwireError):
                failed += 1
                err.print(f"[red]error[/red] {Text(str(result))}")
            elif events_only:
                for event in result.events:
                    click.echo(json.dumps(plover.record(result, event), ensure_ascii=False))
            else:
                click.echo(to_json(result))
    sys.exit(1 if failed else 0)


@cli.command("articles")
@db_option
@click.option("--search", help="Only articles whose title or text contains this (case-insensitive).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Published on or after (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Published on or before (YYYY-MM-DD).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1))
@click.option("--offset", default=0, type=click.IntRange(0))
@json_option
def articles_command(
    db: Path,
    search: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """List stored articles, newest first."""
    with usage_errors(), Store(db, read_only=True) as store:
        rows = store.list_articles(
            limit=limit,
            offset=offset,
            search=search,
            since=since.date() if since else None,
            until=until.date() if until else None,
        )
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, default=str, ensure_ascii=False))
        return
    table = Table("date", "title", "sentences", "entities", "sources")
    table.add_column("id", no_wrap=True)
    for row in rows:
        title = row["title"] or Text(row["preview"].split("\n")[0][:80], style="dim")
        table.add_row(
            str(row["pub_date"] or "unknown"),
            title,
            str(row["n_sentences"]),
            str(row["n_entities"]),
            str(row["n_sources"]),
            row["id"],
        )
    out.print(table)


@cli.command("show")
@click.argument("article_id")
@db_option
@json_option
def show_command(article_id: str, db: Path, as_json: bool) -> None:
    """Show one stored article: sources, sentences, entities, actors, events, quotes, places and dates (an id
    prefix is enough)."""
    with usage_errors(), Store(db, read_only=True) as store:
        article = _find_article(store, article_id)
        sources = store.sources(article.id)
    if as_json:
        data = to_dict(article)
        data["sources"] = [to_dict(s) for s in sources]
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    _print_article(article, [_source_label(s) for s in sources])


@cli.command("events")
@db_option
@event_filter_options
@click.option(
    "--mode",
    type=click.Choice(MODES),
    help="Only asserted events, or only negated, hypothetical, future or historical.",
)
@click.option("--article", help="Only events of this article (an id prefix is enough).")
@click.option(
    "--grouped",
    is_flag=True,
    help="List events (the mentions that report one event grouped) with how many mentions, articles and sources.",
)
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1))
@json_option
def events_command(
    db: Path,
    actor: str | None,
    country: str | None,
    code: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    mode: str | None,
    article: str | None,
    grouped: bool,
    limit: int,
    as_json: bool,
) -> None:
    """List stored event mentions, newest first, with the words that triggered them (or, with --grouped, the
    events they report)."""
    query = EventFilter(
        actor=actor,
        country=country,
        code=code,
        since=since.date() if since else None,
        until=until.date() if until else None,
        mode=mode,
        article=article,
        limit=limit,
    )
    with usage_errors(), Store(db, read_only=True) as store:
        rows = store.list_grouped_events(query) if grouped else store.list_events(query)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, default=str, ensure_ascii=False))
        return
    if grouped:
        _print_grouped(rows)
        return
    table = Table(title="event mentions")
    located = _who_what_whom_columns(table, rows)
    table.add_column("modes")
    table.add_column("trigger", min_width=12)
    table.add_column("article", no_wrap=True)
    for row in rows:
        table.add_row(
            *_who_what_whom(row, located),
            ", ".join(
                [m for m in ("negated", "hypothetical", "future", "historical") if row[m]]
                + ([f"by {row['attributed_to']}"] if row["attributed_to"] else [])
            ),
            Text(row["trigger_text"]),
            f"{row['article_id'][:8]}#{row['sentence_idx']}",
        )
    out.print(table)


def _who_what_whom_columns(table: Table, rows: list[dict[str, Any]]) -> bool:
    """Add the date, source, code and target columns of a table of events or mentions, and a place column when
    some row has a place; whether it has one."""
    # Codes and dates never wrap; the words do, so that the table fits an 80-column terminal (the code's name
    # is in the JSON output and in `eventwire show`).
    for name in ("date", "source", "code", "target"):
        table.add_column(name, no_wrap=True)
    # The place column only when some row has one: an 80-column terminal has no room to spare.
    located = any(row["location"] for row in rows)
    if located:
        table.add_column("where")
    return located


def _who_what_whom(row: dict[str, Any], located: bool) -> list[str]:
    """The date, source, code, target (and place) cells of an event or mention row."""
    cells = [
        str(row["event_date"] or "unknown"),
        " ".join(row["source"]) or "–",
        row["code"],
        " ".join(row["target"]) or "–",
    ]
    return [*cells, row["location"] or ""] if located else cells


def _print_grouped(rows: list[dict[str, Any]]) -> None:
    """Events as a table: when, who, what, whom, where, how widely reported, how sure, and the id (its first ten
    characters; --json gives it whole)."""
    table = Table(title="events")
    located = _who_what_whom_columns(table, rows)
    # Short headers: mentions, articles, sources (outlets) and confidence must fit an 80-column terminal.
    for name in ("men", "art", "src", "conf"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True)
    for row in rows:
        table.add_row(
            *_who_what_whom(row, located),
            str(row["num_mentions"]),
            str(row["num_articles"]),
            str(row["num_sources"]),
            f"{row['confidence']:.2f}",
            row["id"][:10],
        )
    out.print(table)


@cli.command("quotes")
@db_option
@click.option(
    "--speaker", help="Speaker's actor code or prefix (RUSGOV, RUS), or words of how the text names them."
)
@click.option(
    "--kind", type=click.Choice(["direct", "indirect"]), help="Only direct or only indirect speech."
)
@click.option("--search", help="Only quotes containing these words (case-insensitive).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Published on or after (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Published on or before (YYYY-MM-DD).")
@click.option("--article", help="Only quotes of this article (an id prefix is enough).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1))
@json_option
def quotes_command(
    db: Path,
    speaker: str | None,
    kind: str | None,
    search: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    article: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List stored quotes, newest article first: who said what, direct or reported."""
    query = QuoteFilter(
        speaker=speaker,
        kind=kind,
        search=search,
        since=since.date() if since else None,
        until=until.date() if until else None,
        article=article,
        limit=limit,
    )
    with usage_errors(), Store(db, read_only=True) as store:
        rows = store.list_quotes(query)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, default=str, ensure_ascii=False))
        return
    table = Table(title="quotes")
    for name in ("date", "speaker", "code", "kind"):
        table.add_column(name, no_wrap=True)
    table.add_column("quote", min_width=20)
    table.add_column("article", no_wrap=True)
    for row in rows:
        table.add_row(
            str(row["pub_date"] or "unknown"),
            row["speaker_text"] or "–",
            row["speaker_code"] or "",
            row["kind"],
            Text(row["text"]),
            f"{row['article_id'][:8]}",
        )
    out.print(table)


@cli.command("export")
@db_option
@click.option(
    "--format",
    "fmt",
    required=True,
    # exports.FORMATS, spelled out so that the module loads only when the command runs (a test keeps them equal).
    type=click.Choice(("gdelt", "gdelt-mentions", "plover", "csv", "parquet", "geojson")),
    help="GDELT 2.0 Events or Mentions (TSV), PLOVER JSON Lines, CSV, Parquet (a directory) or GeoJSON.",
)
@click.option(
    "--out",
    "target",
    help="File to write (- for stdout), or the directory of a Parquet export [default: eventwire-events.<ext>].",
)
@event_filter_options
@click.option(
    "--chunk-size", default=20_000, show_default=True, type=click.IntRange(1), help="Rows read at a time."
)
@click.option(
    "--machine-coding",
    is_flag=True,
    help="The machine's coding as stored: analysts' corrections not applied, events marked wrong kept.",
)
def export_command(
    db: Path,
    fmt: str,
    target: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    actor: str | None,
    country: str | None,
    code: str | None,
    chunk_size: int,
    machine_coding: bool,
) -> None:
    """Write the stored events in a file format for analysis, streaming them (docs/exports.md)."""
    from .exports import DEFAULT_OUT, ExportFilter, export

    filters = ExportFilter(
        since=since.date() if since else None,
        until=until.date() if until else None,
        actor=actor,
        country=country,
        code=code,
        machine=machine_coding,
    )
    to_stdout = target == "-"
    with usage_errors(), Store(db, read_only=True) as store:
        summary = export(
            store.con,
            fmt,
            sys.stdout.buffer if to_stdout else Path(target or DEFAULT_OUT[fmt]),
            filters,
            chunk_size,
        )
    counts = [f"{summary.rows} events"] if fmt != "gdelt-mentions" else []
    counts += [f"{summary.mentions} mentions"] if fmt in ("gdelt-mentions", "parquet") else []
    # With the data on stdout, the summary goes to stderr.
    (err if to_stdout else out).print(f"{' · '.join(counts)} · {summary.seconds:.1f} s → {summary.target}")


@cli.command("codebook")
@click.option(
    "--format", "fmt", type=click.Choice(("markdown", "json")), default="markdown", show_default=True
)
def codebook_command(fmt: str) -> None:
    """Print the codebook: every column of the stored tables and of every export, with its type and meaning."""
    from . import codebook

    rows = list(codebook.columns())
    click.echo(codebook.to_markdown(rows) if fmt == "markdown" else codebook.to_json(rows))


@cli.command("errors")
@db_option
@click.option("--warnings", "level", flag_value="warning", help="Show warnings instead of errors.")
@click.option("--all", "level", flag_value="all", help="Show errors and warnings.")
@click.option("--resolved", is_flag=True, help="Include errors of documents that were stored since.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1))
@json_option
def errors_command(db: Path, level: str | None, resolved: bool, limit: int, as_json: bool) -> None:
    """List documents that failed (and, on request, warnings), most recent first."""
    with usage_errors(), Store(db, read_only=True) as store:
        rows = store.failures(
            level=None if level == "all" else (level or "error"), limit=limit, resolved=resolved
        )
    if as_json:
        for failure in rows:
            click.echo(json.dumps(to_dict(failure), ensure_ascii=False))
        return
    table = Table("level", "source", "stage", "code", "reason")
    for f in rows:
        where = f"{f.source}:{f.line}" if f.line else f.source
        table.add_row(f.level, where, f.stage, f.code, f.reason)
    out.print(table if rows else "no problems recorded")


@cli.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    help="Gold format (eventwire, plover, petrarch, brat, conll, timeml, geoparsing); "
    "detected when not given.",
)
@click.option("--split", type=click.Choice(["dev", "test"]), help="Only items of this split.")
@click.option("--limit", type=click.IntRange(1), help="Only the first N items of each gold file.")
@click.option(
    "--markdown",
    "markdown_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the full Markdown report (confusion matrices and every disagreement) here.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON report (figures, confusion matrices, disagreements) here.",
)
@click.option(
    "--gate",
    "baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fail (exit 1) when a figure falls below the floors pinned for this gold file in BASELINE.",
)
@model_option
@actors_option
@lexicon_option
@classifier_option
def eval_command(
    gold: tuple[Path, ...],
    fmt: str | None,
    split: str | None,
    limit: int | None,
    markdown_path: Path | None,
    json_path: Path | None,
    baseline: Path | None,
    model: str,
    actor_files: tuple[str, ...],
    lexicon_files: tuple[str, ...],
    no_classifier: bool,
) -> None:
    """Score the pipeline against gold data: precision, recall, F1, accuracies, confusion and every error.

    Exit status: 0; 1 when --gate is given and a figure is below its floor; 2 when the gold cannot be read.
    """
    from .evaluation import report
    from .evaluation.evaluate import evaluate, gate, read_floors
    from .evaluation.importers import import_gold

    pipeline = build_pipeline(model, actor_files, lexicon_files, not no_classifier)
    failed: list[str] = []
    with usage_errors(EventwireError):
        for path in gold:
            items = (i for i in import_gold(path, fmt) if split is None or i.split == split)
            result = evaluate(islice(items, limit), pipeline, name=path.name)
            # The figures only; confusion matrices and disagreements go to --markdown and --json.
            out.print(report.to_markdown(result, max_errors=0).split("\n## ")[0], markup=False)
            if markdown_path:
                _write_report(markdown_path, path, gold, report.to_markdown(result))
            if json_path:
                _write_report(json_path, path, gold, report.to_json(result))
            if baseline:
                failed += [
                    f"{path.name}: {f}" for f in gate(result.metrics(), read_floors(baseline, path.name))
                ]
    for failure in failed:
        err.print(Text(f"below floor: {failure}"))
    sys.exit(1 if failed else 0)


@cli.command("agreement")
@click.argument("reference", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("second", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(["dev", "test"]), help="Only items of this split.")
@click.option(
    "--markdown",
    "markdown_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the full Markdown report (confusion matrices and every disagreement) here.",
)
def agreement_command(reference: Path, second: Path, split: str | None, markdown_path: Path | None) -> None:
    """Agreement of a SECOND annotation with the REFERENCE gold on the items both annotated: the event figures of
    `eventwire eval`, with the second annotator in the place of the pipeline.

    Exit status: 0; 2 when a file cannot be read or the second annotation holds an item the reference lacks.
    """
    from .evaluation import report
    from .evaluation.agreement import agreement
    from .evaluation.gold import read_gold

    with usage_errors(EventwireError):
        items = [i for i in read_gold(second) if split is None or i.split == split]
        result = agreement(read_gold(reference), items, name=f"{second.name} against {reference.name}")
    out.print(report.to_markdown(result, max_errors=0).split("\n## ")[0], markup=False)
    if markdown_path:
        markdown_path.write_text(report.to_markdown(result), encoding="utf-8")


def _write_report(target: Path, gold_path: Path, all_gold: tuple[Path, ...], content: str) -> None:
    """Write a report; with several gold files, one report each, named after the gold file."""
    if len(all_gold) > 1:
        target = target.with_name(f"{target.stem}-{gold_path.stem}{target.suffix}")
    target.write_text(content, encoding="utf-8")


@cli.group("dictionaries")
def dictionaries_group() -> None:
    """Actor dictionaries: check your own, import PETRARCH's actor, agent and verb dictionaries."""


@dictionaries_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def dictionaries_check(files: tuple[str, ...]) -> None:
    """Load the shipped dictionaries and FILES; print what they hold, or the first error with its file and line."""
    with usage_errors(DictionaryError):
        loaded = dictionaries.load(files)
    entries = {id(e): e for found in loaded.names.values() for e in found}
    kinds = Counter(e.kind for e in entries.values())
    out.print(
        f"{len(loaded.countries)} countries · {len(loaded.demonyms)} demonyms · {len(loaded.seats)} seats of "
        f"government · {len(loaded.roles)} role words · "
        + " · ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items()))
        + f" · {len(loaded.names)} names"
    )


@dictionaries_group.command("import-petrarch")
@click.argument("actors_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--agents",
    "agents_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A PETRARCH agents dictionary (role words) to convert too.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The eventwire YAML dictionary to write (use it with --actors).",
)
def dictionaries_import_petrarch(actors_file: Path, agents_file: Path | None, output: Path) -> None:
    """Convert a PETRARCH actor dictionary (and agents dictionary) into an eventwire YAML dictionary."""
    from . import petrarch

    skipped: list[str] = []
    with usage_errors(DictionaryError):
        actors = petrarch.read_actors(actors_file.read_text(encoding="utf-8"), str(actors_file), skipped)
        roles = (
            petrarch.read_agents(agents_file.read_text(encoding="utf-8"), str(agents_file))
            if agents_file
            else []
        )
        output.write_text(petrarch.to_yaml(actors, roles), encoding="utf-8")
        dictionaries.load([output])
    out.print(f"{len(actors)} actor code periods and {len(roles)} role words written to {output}")
    for reason in skipped:
        err.print(Text(f"skipped: {reason}"))


@dictionaries_group.command("import-petrarch-verbs")
@click.argument("verbs_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The eventwire lexicon CSV to write (use it with --lexicon).",
)
@model_option
def dictionaries_import_petrarch_verbs(verbs_file: Path, output: Path, model: str) -> None:
    """Convert a PETRARCH verb dictionary into an eventwire event lexicon CSV.

    Verbs are reduced to their lemma (with the pipeline's lemmatizer) and keep their default code; patterns
    that name an object, a preposition and its object, or a particle become rows of their own, synonym sets
    expanded. Everything else is left out: `[---]` (no event) is counted, the rest listed with file and line.
    """
    from . import petrarch
    from .lexicon import Lexicon

    with usage_errors(DictionaryError):
        found = petrarch.read_verbs(
            verbs_file.read_text(encoding="utf-8"), str(verbs_file), petrarch.english(model)
        )
        output.write_text(petrarch.to_lexicon_csv(found.rows, str(verbs_file)), encoding="utf-8")
        Lexicon.load([output])
    for note in found.notes:
        err.print(Text(f"note: {note}"))
    for reason in found.skipped:
        err.print(Text(f"skipped: {reason}"))
    out.print(
        f"{len(found.rows)} lexicon rows written to {output}, from {found.verbs} verbs and "
        f"{found.patterns} patterns"
        + (f"; {found.padded} codes read with a leading zero restored" if found.padded else "")
        + (f"; {found.reciprocal} reciprocal codes (A:B) kept as A" if found.reciprocal else "")
    )
    skipped = sum(found.reasons.values())
    out.print(f"skipped {skipped}" + "".join(f" · {reason} {n}" for reason, n in found.reasons.most_common()))


def _read_options(date: dt.datetime | None, fmt: str | None, max_chars: int) -> ReadOptions:
    """Reader options from the command-line values."""
    return ReadOptions(format=fmt, date=date.date() if date else None, max_chars=max_chars)


@contextmanager
def _example_paths(paths: tuple[str, ...], example: bool) -> Iterator[list[str]]:
    """The paths to read (the bundled example first with --example), checked to exist; a usage error when none."""
    if not paths and not example:
        raise click.UsageError("give at least one PATH (or - for stdin), or --example")
    try:
        checked = check_paths(paths)
    except UsageError as exc:
        raise click.UsageError(exc.reason) from exc
    if not example:
        yield checked
        return
    with resources.as_file(resources.files("eventwire") / "examples" / EXAMPLE) as path:
        yield [str(path), *checked]


@contextmanager
def _progress() -> Iterator[Callable[[IngestSummary], None]]:
    """A live progress line on stderr (only on a terminal) fed with the running summary."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("reading", total=None)

        def show(summary: IngestSummary) -> None:
            """Refresh the progress line from the running summary."""
            rate = summary.read / summary.seconds if summary.seconds else 0.0
            progress.update(
                task,
                description=f"{summary.read} documents · {summary.new} new · "
                f"{summary.failed} failed · {rate:.1f}/s",
            )

        yield show


def _print_summary(summary: IngestSummary, db: Path) -> None:
    """The summary line of an ingest, and the failed documents."""
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    out.print(
        f"read {summary.read} · new {summary.new} · duplicate {summary.duplicate} · failed {summary.failed} · "
        f"warnings {summary.warnings} · sentences {summary.sentences} · entities {summary.entities} · "
        f"actors {summary.actors} ({summary.coded} coded) · event mentions {summary.events} · "
        f"{summary.seconds:.1f} s ({rate:.1f} documents/s) → {db}"
    )
    for failure in summary.failures:
        err.print(Text(f"failed: {_where(failure)}: {failure.reason} [{failure.code}]"))
    if summary.failures:
        err.print(Text("(kept as error rows: eventwire errors)"))


def _source_label(source: Source) -> str:
    """A source as `file:line (url)`."""
    label = f"{source.uri}:{source.line}" if source.line else source.uri
    return f"{label} ({source.url})" if source.url else label


def _where(failure: Failure) -> str:
    """A failure's location as `source` or `source:line`."""
    return f"{failure.source}:{failure.line}" if failure.line else failure.source


def _find_article(store: Store, prefix: str) -> Article:
    """The stored article an id or id prefix names; a usage error when none or several match."""
    ids = store.article_ids(prefix)
    if not ids:
        raise UsageError(f"no article with id {prefix!r} in {store.path}")
    if len(ids) > 1 and prefix not in ids:
        raise UsageError(f"id prefix {prefix!r} is ambiguous: {', '.join(ids)}")
    article = store.get_article(prefix if prefix in ids else ids[0])
    assert article is not None  # the id was just listed
    return article


def _print_article(article: Article, sources: list[str]) -> None:
    """An article for reading in a terminal: header, numbered sentences, entities, actors, events."""
    out.print(Text(article.title or "(no title)", style="bold"))
    out.print(
        f"id {article.id} · date {article.date or 'unknown'}"
        f"{f' ({article.date_source})' if article.date_source else ''} · {article.pipeline}"
    )
    for source in sources:
        out.print(Text(f"source {source}", style="dim"))
    metadata: dict[str, Any] = article.metadata
    if metadata.get("credits"):
        out.print(Text(f"credits: {'; '.join(metadata['credits'])}", style="dim"))
    for warning in article.warnings:
        out.print(Text(f"warning: {warning}", style="yellow"))
    out.print()
    for sentence in article.sentences:
        out.print(Text(f"[{sentence.index}] ", style="dim") + Text(sentence.span.text))
    if article.entities:
        table = Table("sentence", "label", "text", "chars", title="entities")
        for entity in article.entities:
            table.add_row(
                str(entity.sentence), entity.label, entity.span.text, f"{entity.span.start}-{entity.span.end}"
            )
        out.print(table)
    if article.actors:
        table = Table("sentence", "text", "code", "actor", "how", "chars", title="actors")
        for actor in article.actors:
            code = Text(actor.code) if actor.code else Text("uncoded", style="yellow")
            table.add_row(
                str(actor.sentence),
                actor.span.text,
                code,
                actor.name or "",
                actor.via or "",
                f"{actor.span.start}-{actor.span.end}",
            )
        out.print(table)
    if article.events:
        _print_events(article)
    if article.quotes:
        _print_quotes(article)
    if article.places:
        table = Table("sentence", "text", "role", "place", "country", "geonames", "lat, lon", title="places")
        for place in article.places:
            table.add_row(
                str(place.sentence),
                place.span.text,
                place.role,
                place.name or "",
                place.country or "",
                f"{place.geonameid or ''} {place.feature or ''}".strip(),
                f"{place.lat:.2f}, {place.lon:.2f}"
                if place.lat is not None and place.lon is not None
                else "",
            )
        out.print(table)
    if article.dates:
        table = Table("sentence", "text", "value", title="dates")
        for date in article.dates:
            table.add_row(str(date.sentence), date.span.text, date.value or Text("vague", style="dim"))
        out.print(table)


def _print_quotes(article: Article) -> None:
    """The article's quotes as a table: who said it (and the code resolved), the cue and the words."""
    table = Table("kind", "speaker", "code", "cue", "quote", title="quotes")
    for quote in article.quotes:
        table.add_row(
            quote.kind,
            quote.speaker.text if quote.speaker else "–",
            quote.speaker_code or "",
            quote.cue.text if quote.cue else "",
            Text(quote.span.text),
        )
    out.print(table)


def _print_events(article: Article) -> None:
    """The article's event mentions as a table: who, what, whom, when, where, modes, trigger and what decided."""
    table = Table(
        "sentence",
        "source",
        "code",
        "target",
        "event",
        "date",
        "where",
        "modes",
        "trigger",
        "by",
        title="events",
    )
    for event in article.events:
        modes = [m for m in ("negated", "hypothetical", "future", "historical") if getattr(event, m)]
        if event.attributed_to:
            modes.append(f"reported by {event.attributed_to}")
        table.add_row(
            str(event.sentence),
            " ".join(event.source) or "–",
            event.code,
            " ".join(event.target) or "–",
            ontology.lookup(event.code).name,
            str(event.date or "unknown"),
            event.location or "",
            ", ".join(modes),
            Text(event.trigger.text),
            event.decided_by,
        )
    out.print(table)


cli.add_command(watch_command)
cli.add_command(spark_command)
cli.add_command(load_command)
cli.add_command(serve_command)
cli.add_command(corrections_command)


def main() -> None:
    """Entry point of the `eventwire` console script."""
    cli(prog_name="eventwire")
