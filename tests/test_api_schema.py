"""The API against its own OpenAPI document, with schemathesis: `st run` with every check, over real HTTP, against
`eventwire serve` on a store of ingested articles with writes enabled. Whatever request the schema allows, the
server must not fail and must answer with a documented status, media type, headers and body; requests it forbids
must be refused; resources it creates must be there (the stateful phase follows the document's links)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.pipeline import Pipeline
from test_api import build_store
from test_api_server import TOKEN, serving

HOOKS = Path(__file__).with_name("test_api_schema_hooks.py")
# Examples per operation and phase: enough to reach every parameter, few enough to run in about a minute.
EXAMPLES = 25
SEED = 20240513
# The stateful phase follows the document's links and the Location headers. Links guessed from field names are
# left out: they take the ingest job that `POST /api/articles` answers with for the article it creates.
CONFIG = """
[phases.stateful.inference]
algorithms = ["location-headers"]
"""


@pytest.fixture(scope="module")
def served_for_schema(
    pipeline: Pipeline, seed_path: Path, tmp_path_factory: pytest.TempPathFactory, eventwire_cmd: list[str]
) -> Iterator[str]:
    """`eventwire serve` over a store of the example articles, writes enabled by the token: its URL."""
    db = build_store(tmp_path_factory.mktemp("schema") / "schema.duckdb", pipeline, seed_path)
    with serving(db, eventwire_cmd) as base:
        yield base


def schemathesis_run(base: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """`st run` against the server's OpenAPI document: every check, every phase, a bounded number of examples."""
    config = folder / "schemathesis.toml"
    config.write_text(CONFIG, encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{base}/api/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--header",
        f"Authorization: Bearer {TOKEN}",
        # An ingest posted with `wait` may load the model first: give it the time.
        "--request-timeout",
        "120",
        "--report",
        "junit",
        "--report-junit-path",
        str(folder / "schemathesis.xml"),
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS), "NO_COLOR": "1"}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.slow
def test_every_endpoint_keeps_its_schema(served_for_schema: str, tmp_path: Path) -> None:
    """No request the schema allows makes the server fail or answer outside what it documents, every operation
    tested in every phase (examples, coverage, fuzzing, stateful)."""
    result = schemathesis_run(served_for_schema, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Operations:       18 selected / 18 total" in output, output
    assert "No issues found" in output or " passed" in output, output
    assert (tmp_path / "schemathesis.xml").exists()
