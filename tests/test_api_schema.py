"""Property-based tests of the API against its own OpenAPI document (schemathesis): whatever valid request is
made, the server does not fail, and answers with a documented status, media type and body."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from eventwire.api.app import create_app
from eventwire.pipeline import Pipeline
from test_api import build_store


@pytest.fixture(scope="module")
def api_app(pipeline: Pipeline, seed_path: Path, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """A read-only API over the example article."""
    return create_app(
        build_store(tmp_path_factory.mktemp("schema") / "schema.duckdb", pipeline, seed_path, [])
    )


@pytest.fixture(scope="module")
def api_schema(api_app: FastAPI) -> schemathesis.BaseSchema:
    """The API's OpenAPI document, loaded from the app itself."""
    return schemathesis.openapi.from_asgi("/api/openapi.json", api_app)


# Examples per operation: enough to reach every parameter, few enough to run in about a minute.
EXAMPLES = 12


@pytest.mark.slow
def test_every_endpoint_keeps_its_schema(api_schema: schemathesis.BaseSchema) -> None:
    """No request the schema allows makes the server fail or answer outside what it documents (every operation,
    a bounded number of generated requests each)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            """One generated request, validated against the schema."""
            # Cursors are opaque and boxes have bounds a schema cannot state: tests/test_api.py covers them.
            for name in ("cursor", "bbox"):
                (case.query or {}).pop(name, None)
            case.call_and_validate()

        check()
