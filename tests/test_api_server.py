"""The real server: `eventwire serve` started in a subprocess on a free loopback port, driven over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from eventwire.pipeline import Pipeline
from test_api import build_store

TOKEN = "real-server-token"


def free_port() -> int:
    """A port nobody listens on at the moment, on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(db: Path, command: list[str], token: str | None = TOKEN) -> Iterator[str]:
    """`eventwire serve` over a store on a free loopback port (writes enabled by `token`), answering: its URL."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("EVENTWIRE_DB", None)
    env.pop("EVENTWIRE_TOKEN", None)
    if token:
        env["EVENTWIRE_TOKEN"] = token
    process = subprocess.Popen(
        [*command, "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                raise AssertionError(f"the server stopped: {output}")
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def served(
    pipeline: Pipeline, seed_path: Path, tmp_path_factory: pytest.TempPathFactory, eventwire_cmd: list[str]
) -> Iterator[str]:
    """The base URL of `eventwire serve` running over a coded store, with writes enabled by a token."""
    db = build_store(tmp_path_factory.mktemp("served") / "served.duckdb", pipeline, seed_path, [])
    with serving(db, eventwire_cmd) as base:
        yield base


@pytest.mark.slow
def test_the_real_server_answers_reads(served: str) -> None:
    """Health, events and an event's evidence over real HTTP; errors as problem details."""
    health = httpx.get(f"{served}/api/health").json()
    assert health["writable"] is True and health["counts"]["events"] >= 1
    events = httpx.get(f"{served}/api/events").json()["items"]
    detail = httpx.get(f"{served}/api/events/{events[0]['id']}").json()
    assert detail["mentions"]
    missing = httpx.get(f"{served}/api/events/ev0000000000000000")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    csv = httpx.get(f"{served}/api/events", params={"format": "csv"})
    assert csv.text.count("\n") == len(events) + 1


@pytest.mark.slow
def test_the_real_server_takes_writes_with_its_token(served: str) -> None:
    """A correction without the token is 401; with it, 201, and the event shows the verdict."""
    event_id = httpx.get(f"{served}/api/events").json()["items"][0]["id"]
    url = f"{served}/api/events/{event_id}/corrections"
    body = {"verdict": "right", "author": "ana", "note": "checked against the source"}
    assert httpx.post(url, json=body).status_code == 401
    stored = httpx.post(url, json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert stored.status_code == 201, stored.text
    event = httpx.get(f"{served}/api/events/{event_id}").json()["event"]
    assert event["corrected"] is True and event["verdict"] == "right"
