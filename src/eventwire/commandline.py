"""What the commands share: their options, the consoles they print on, the pipeline their options describe, and
usage errors turned into a message and exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import duckdb
from rich.console import Console
from rich.text import Text

from . import dictionaries
from .errors import DictionaryError, EventwireError, UsageError
from .ingest import DEFAULT_BATCH
from .nlp import DEFAULT_MODEL
from .pipeline import Pipeline, PipelineConfig
from .readers import DEFAULT_MAX_CHARS, FORMATS
from .store import DEFAULT_DB

# soft_wrap: lines are never broken at the terminal width, so piped output stays one record per line.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

db_option = click.option(
    "--db",
    "db",
    default=DEFAULT_DB,
    show_default=True,
    envvar="EVENTWIRE_DB",
    type=click.Path(dir_okay=False, path_type=Path),
    help="DuckDB file of the store.",
)
model_option = click.option(
    "--model",
    default=DEFAULT_MODEL,
    show_default=True,
    envvar="EVENTWIRE_MODEL",
    help="Installed spaCy pipeline (package name or path).",
)
date_option = click.option(
    "--date",
    "date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Publication date for documents that carry none (YYYY-MM-DD).",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Read every input in this format instead of detecting it.",
)
max_chars_option = click.option(
    "--max-chars",
    default=DEFAULT_MAX_CHARS,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse documents longer than this many characters.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON Lines instead of a table.")


def event_filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that select events, the same for `events`, `export` and `aggregate` (`--actor`, `--country`,
    `--code`, `--since`, `--until`)."""
    for option in reversed(
        (
            click.option("--actor", help="Source or target actor code, or its prefix (ISRGOV, ISR, IGOUNO)."),
            click.option("--country", help="Source or target country (ISO 3166-1 alpha-3)."),
            click.option("--code", help="CAMEO code or prefix (19 is every fight, 111 criticism)."),
            click.option(
                "--since", type=click.DateTime(["%Y-%m-%d"]), help="Events on or after (YYYY-MM-DD)."
            ),
            click.option(
                "--until", type=click.DateTime(["%Y-%m-%d"]), help="Events on or before (YYYY-MM-DD)."
            ),
        )
    ):
        command = option(command)
    return command


actors_option = click.option(
    "--actors",
    "actor_files",
    multiple=True,
    envvar="EVENTWIRE_ACTORS",
    type=click.Path(exists=True, dir_okay=False),
    help="A user actor dictionary (CSV or YAML) that extends and overrides the shipped ones; repeatable. "
    "EVENTWIRE_ACTORS may list them, separated by the path separator (':').",
)
batch_option = click.option(
    "--batch-size",
    default=DEFAULT_BATCH,
    show_default=True,
    type=click.IntRange(1),
    help="Articles per transaction.",
)
workers_option = click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Parse in this many processes (each loads the model); the same rows are stored as with one.",
)
classifier_option = click.option(
    "--no-classifier",
    "no_classifier",
    is_flag=True,
    help="Code events with the lexicon alone, without the classifier's second opinion.",
)
lexicon_option = click.option(
    "--lexicon",
    "lexicon_files",
    multiple=True,
    envvar="EVENTWIRE_LEXICON",
    type=click.Path(exists=True, dir_okay=False),
    help="A user event lexicon (CSV, the columns of the shipped one) that extends and overrides it; repeatable.",
)


def build_pipeline(
    model: str, actor_files: tuple[str, ...], lexicon_files: tuple[str, ...] = (), classifier: bool = True
) -> Pipeline:
    """The pipeline the options describe, its user dictionaries and lexicons checked now (a bad entry is exit 2,
    file:line)."""
    with usage_errors(DictionaryError):
        if actor_files:
            dictionaries.load(actor_files)
        if lexicon_files:
            from .lexicon import Lexicon

            Lexicon.load(lexicon_files)
        config = PipelineConfig(
            model=model, dictionaries=actor_files, lexicons=lexicon_files, classifier=classifier
        )
        return Pipeline(config)


@contextmanager
def usage_errors(*also: type[EventwireError]) -> Iterator[None]:
    """Turn configuration problems, missing or locked files (and the given errors) into a message and exit 2."""
    try:
        yield
    except UsageError as exc:
        err.print(Text("error: ", style="red") + Text(exc.reason))
        sys.exit(2)
    except also as exc:
        err.print(Text("error: ", style="red") + Text(str(exc)))
        sys.exit(2)
    except (FileNotFoundError, duckdb.Error) as exc:
        err.print(Text("error: ", style="red") + Text(first_line(exc)))
        sys.exit(2)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (DuckDB adds pages of context)."""
    return str(exc).strip().split("\n")[0]
