"""Shared fixtures: the real spaCy pipeline (loaded once), stores in temporary files, sample articles."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from eventwire.model import Article, Source
from eventwire.pipeline import Pipeline
from eventwire.store import Store


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The default pipeline with its real model, loaded once for the whole test run."""
    pipe = Pipeline()
    pipe.nlp  # noqa: B018 - load now so tests measure nothing but themselves
    return pipe


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store in a fresh DuckDB file."""
    with Store(tmp_path / "test.duckdb") as s:
        yield s


@pytest.fixture(scope="session")
def seed_path() -> Iterator[Path]:
    """The example article that ships with the package."""
    with resources.as_file(resources.files("eventwire") / "examples" / "seed-article.txt") as path:
        yield path


@pytest.fixture
def cli_env() -> dict[str, str]:
    """Environment for running the `eventwire` command in a subprocess."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("EVENTWIRE_DB", None)
    return env


@pytest.fixture(scope="session")
def eventwire_cmd() -> list[str]:
    """The command line that runs eventwire with this interpreter."""
    return [sys.executable, "-m", "eventwire"]


def annotated(pipeline: Pipeline, text: str, date: dt.date = dt.date(2024, 1, 10)) -> Article:
    """A text run through a pipeline as one article published on a date (tests of what is extracted)."""
    article = Article("a", text, None, date, None, 0, Source("t", "text"))
    (result,) = pipeline.annotate([article])
    assert isinstance(result, Article)
    return result
