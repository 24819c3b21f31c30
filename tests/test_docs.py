"""The documentation tells the truth: README commands, CI, error codes, command help."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from eventwire import errors
from eventwire.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    """The shell commands in the README's first two code blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    return [b.strip() for b in blocks[:2]]


def test_readme_starts_with_install_and_test_commands() -> None:
    """The README's first two blocks install-and-run the example, then run the tests."""
    install, tests = _readme_commands()
    assert "pip install ." in install
    assert "eventwire ingest --example" in install
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    """`.ci/run` runs the README's test command, plus ruff and mypy."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _readme_commands()[1].split("&&")[-1].strip()
    assert test_command in ci.splitlines()
    assert "ruff check" in ci
    assert "mypy" in ci


def test_every_error_code_is_documented() -> None:
    """Each error class's code appears in docs/errors.md, with its class name."""
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    classes = [
        c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.EventwireError)
    ]
    classes.remove(errors.EventwireError)
    assert len(classes) > 10
    for cls in classes:
        assert f"| {cls.code} | {cls.stage} | {cls.__name__} |" in doc, cls.__name__
    assert f"| {errors.WARNING_CODE} |" in doc


def test_error_codes_are_unique() -> None:
    """No two error classes share a code."""
    classes = [
        c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.EventwireError)
    ]
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes))


def test_every_command_is_in_the_readme_tour() -> None:
    """Each command of the CLI has help text and appears in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"eventwire {name}" in readme, name


def test_ci_gates_the_in_repository_gold_set() -> None:
    """`.ci/run` runs `eventwire eval` with `--gate` on the in-repository gold, which has floors pinned."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "eventwire eval eval/gold/eventwire-gold.jsonl --gate eval/baseline.json" in ci
    floors = json.loads((ROOT / "eval" / "baseline.json").read_text(encoding="utf-8"))
    assert floors["eventwire-gold.jsonl"]
    assert all(0 < value <= 1 for value in floors["eventwire-gold.jsonl"].values())


def test_every_data_file_ships_with_the_package() -> None:
    """Each non-Python file under the package matches a package-data pattern, so a plain install has it."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["eventwire"]
    package = ROOT / "src" / "eventwire"
    files = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert files
    for name in files:
        assert any(
            fnmatch.fnmatchcase(name, pattern) and name.count("/") == pattern.count("/")
            for pattern in patterns
        ), name
