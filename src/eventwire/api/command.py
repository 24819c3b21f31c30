"""The `serve` and `corrections` commands: the HTTP API and web UI, and analysts' corrections from the shell."""

from __future__ import annotations

import ipaddress
import json
import sys
from pathlib import Path
from typing import Any

import click

from .. import corrections
from ..commandline import db_option
from ..store import Store
from .downloads import json_default


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option(
    "--token",
    envvar="EVENTWIRE_TOKEN",
    help="Enable writes (ingest, corrections) for requests that send it as a Bearer token; prefer the "
    "EVENTWIRE_TOKEN variable, which other users cannot read from the process list. Without it the database is "
    "opened read-only.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Let pages of this origin (https://example.org) call the API from a browser; repeatable. Off by default.",
)
@click.option(
    "--max-body",
    default=10 * 1024 * 1024,
    show_default=True,
    type=click.IntRange(1024),
    help="Largest request body accepted, in bytes.",
)
@click.option(
    "--model",
    default=None,
    envvar="EVENTWIRE_MODEL",
    help="spaCy pipeline that codes articles posted for ingest [default: the shipped one].",
)
def serve_command(
    db: Path,
    host: str,
    port: int,
    token: str | None,
    cors_origins: tuple[str, ...],
    max_body: int,
    model: str | None,
) -> None:
    """Serve the HTTP API (OpenAPI at /api/docs) and the web UI over the store (docs/api.md).

    Read-only unless a token is given; the server is then the one process writing to the database, and ingests
    posted to it run in the background while it answers.
    """
    import uvicorn

    from ..pipeline import Pipeline, PipelineConfig
    from .app import create_app

    if not token and not db.exists():
        raise click.UsageError(
            f"no eventwire database at {db} (create one with `eventwire ingest`, or give --token)"
        )
    if token and not _loopback(host):
        click.echo(
            f"warning: writes are enabled on {host}, reachable from other machines; use HTTPS in front",
            err=True,
        )

    def pipeline() -> Pipeline:
        """The pipeline that codes posted articles."""
        return Pipeline(PipelineConfig(model=model)) if model else Pipeline()

    try:
        app = create_app(db, token, cors_origins=cors_origins, max_body=max_body, pipeline=pipeline)
    except Exception as exc:  # a locked or unreadable file: say why and stop
        raise click.ClickException(str(exc).strip().split("\n")[0]) from exc
    mode = "read and write (with the token)" if token else "read-only"
    click.echo(f"eventwire serving {db} ({mode}) on http://{host}:{port}/ — API docs at /api/docs", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _loopback(host: str) -> bool:
    """Whether an address is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("corrections")
@db_option
@click.option(
    "--gold",
    "gold_path",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Write the reviewed sentences as gold data for `eventwire eval` to this JSON Lines file (- for stdout).",
)
@click.option("--event", "event_id", help="Only the corrections of this event.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1))
def corrections_command(db: Path, gold_path: Path | None, event_id: str | None, limit: int) -> None:
    """List analysts' corrections of events (newest first, as JSON Lines), or export them as gold data."""
    try:
        store = Store(db, read_only=True)
    except Exception as exc:  # a missing or locked file
        raise click.ClickException(str(exc).strip().split("\n")[0]) from exc
    with store:
        if gold_path is not None:
            found = corrections.gold(store.con)
            from ..serialize import to_json

            lines = "".join(to_json(item) + "\n" for item in found.items)
            if str(gold_path) == "-":
                sys.stdout.write(lines)
            else:
                gold_path.write_text(lines, encoding="utf-8")
            click.echo(
                f"{len(found.items)} gold items · {found.skipped} sentences skipped (not every event in them was "
                f"reviewed) → {gold_path}",
                err=True,
            )
            return
        rows = _listed(store, event_id, limit)
    for row in rows:
        click.echo(json.dumps(row, default=json_default, ensure_ascii=False))


def _listed(store: Store, event_id: str | None, limit: int) -> list[dict[str, Any]]:
    """The latest corrections, of one event or all: the first page of `GET /api/corrections`."""
    # Imported here: every command line loads this module, and only this command needs the query layer.
    from .pages import page
    from .queries import CorrectionQuery, corrections_listing

    listing = corrections_listing(store.con, CorrectionQuery(event=event_id))
    return page(store.con, listing, None, limit).items
