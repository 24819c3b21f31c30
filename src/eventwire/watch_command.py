"""The `eventwire watch` command: a thin layer over `eventwire.watch`, with the signal handling a daemon needs."""

from __future__ import annotations

import datetime as dt
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import click
from rich.text import Text

from .commandline import (
    actors_option,
    build_pipeline,
    classifier_option,
    db_option,
    err,
    lexicon_option,
    model_option,
    out,
    usage_errors,
)
from .feeds import parse_interval, read_feeds_file
from .fetch import USER_AGENT
from .model import Failure
from .readers import DEFAULT_MAX_CHARS
from .watch import RoundSummary, WatchSettings, watch


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> float:
    """A duration option (30s, 15m, 1h) in seconds; a usage error when it is none (`--delay` may be 0)."""
    try:
        return parse_interval(value, zero=param.name == "delay")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command("watch")
@click.argument("feeds_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--interval",
    default="15m",
    show_default=True,
    callback=_duration,
    help="Time between two polling rounds: 30s, 15m, 1h, 1h30m.",
)
@click.option("--once", is_flag=True, help="Poll once, fetch and store what is new, and exit (for cron).")
@db_option
@click.option(
    "--delay",
    default="1s",
    show_default=True,
    callback=_duration,
    help="Least time between two requests to one host (a longer robots.txt Crawl-delay wins, up to 60s).",
)
@click.option(
    "--timeout", default="30s", show_default=True, callback=_duration, help="Give up on a request after this."
)
@click.option(
    "--user-agent",
    default=USER_AGENT,
    show_default=True,
    help="The User-Agent sent; add a contact (a URL or an address) for site operators.",
)
@click.option(
    "--max-chars",
    default=DEFAULT_MAX_CHARS,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse pages longer than this many characters (at most four bytes each are downloaded).",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Fetch links to private, loopback and link-local addresses from any feed, not only from a feed on such "
    "an address.",
)
@model_option
@actors_option
@lexicon_option
@classifier_option
def watch_command(
    feeds_file: Path,
    interval: float,
    once: bool,
    db: Path,
    delay: float,
    timeout: float,
    user_agent: str,
    max_chars: int,
    allow_private: bool,
    model: str,
    actor_files: tuple[str, ...],
    lexicon_files: tuple[str, ...],
    no_classifier: bool,
) -> None:
    """Poll the RSS and Atom feeds listed in FEEDS_FILE and ingest the articles they link to.

    FEEDS_FILE lists one feed URL per line (# starts a comment). Each article URL is fetched once, politely
    (robots.txt, a delay per host, backoff after errors), and stored like `eventwire ingest page.html`; what
    fails is kept as an error row. Links to private addresses are fetched only from a feed on such an address,
    or with --allow-private. Without --once, polls every --interval. SIGINT or SIGTERM stops after the
    current page, a second one at once; nothing stored is lost either way. docs/watch.md has the details.

    Exit status with --once: 0 when nothing failed, 1 when something did (kept as error rows), 2 on usage errors.
    """
    settings = WatchSettings(
        interval=interval,
        delay=delay,
        timeout=timeout,
        user_agent=user_agent,
        max_chars=max_chars,
        allow_private=allow_private,
    )
    pipeline = build_pipeline(model, actor_files, lexicon_files, not no_classifier)
    stop = threading.Event()
    with usage_errors():
        read_feeds_file(feeds_file)  # a broken feeds file is a usage error before the model loads
        pipeline.nlp  # noqa: B018 - load the model before the first request, so no fetch waits for it
        _stop_on_signals(stop)
        last = watch(feeds_file, db, pipeline, settings, once=once, stop=stop, on_round=_printer(db))
    if stop.is_set():
        err.print(Text("stopped; pending items are fetched by the next run"))
    sys.exit(0 if not once or last is None or last.ok else 1)


def _stop_on_signals(stop: threading.Event) -> None:
    """On SIGINT or SIGTERM, stop after the current item; on a second one, at once (its transaction is rolled
    back, and the item stays pending)."""

    def handle(signum: int, frame: FrameType | None) -> None:
        """Ask the watch to stop, or interrupt it when it was asked already."""
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)


def _printer(db: Path) -> Callable[[RoundSummary], None]:
    """A callback printing each round's summary line, then the round's failures on stderr."""

    def show(summary: RoundSummary) -> None:
        """Print one round's summary and failures."""
        out.print(summary_line(summary, db))
        for failure in summary.failures:
            err.print(Text(f"failed: {_where(failure)}: {failure.reason} [{failure.code}]"))

    return show


def summary_line(summary: RoundSummary, db: Path) -> str:
    """A round as one line: when, feeds, items, what was stored, what failed, what is left."""
    ingest = summary.ingest
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{when} round {summary.number} · feeds {summary.feeds} ({summary.unchanged} unchanged, "
        f"{summary.feed_errors} failed) · new items {summary.new_items} · fetched {summary.fetched} · "
        f"new {ingest.new} · duplicate {ingest.duplicate} · failed {ingest.failed + summary.given_up} · "
        f"retrying {summary.retrying} · disallowed {summary.disallowed} · pending {summary.pending} · "
        f"event mentions {ingest.events} · {summary.seconds:.1f} s"
        + (" · stopped" if summary.stopped else "")
        + f" → {db}"
    )


def _where(failure: Failure) -> str:
    """A failure's location as `source` or `source:line`."""
    return f"{failure.source}:{failure.line}" if failure.line else failure.source
