"""The `eventwire` command, run for real in subprocesses: exit statuses, output and every command's help."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from eventwire.cli import cli

pytestmark = pytest.mark.slow

SEED_TITLE = "Netanyahu interrupted a cabinet meeting for talks with Russian President Putin"
BODY = (
    "The foreign ministers of Egypt and Jordan met in Cairo on Tuesday to discuss the war in Gaza. "
    "They called for a ceasefire.\n\nAyman Safadi said Jordan would keep sending aid convoys."
)
TIMEOUT = 120


def _run(
    cmd: list[str], cwd: Path, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion, capturing its output as text."""
    return subprocess.run(
        cmd, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def _flat(text: str) -> str:
    """Text with all whitespace removed, so that lines wrapped by the terminal renderer still match."""
    return "".join(text.split())


def _spans_ok(record: dict[str, Any]) -> bool:
    """Whether every sentence and entity span of a JSON article slices its text to the span's text."""
    text = record["text"]
    spans = [s["span"] for s in record["sentences"]] + [e["span"] for e in record["entities"]]
    return all(
        0 <= s["start"] < s["end"] <= len(text) and text[s["start"] : s["end"]] == s["text"] for s in spans
    )


def _env() -> dict[str, str]:
    """The subprocess environment of `cli_env`, for module-scoped fixtures, with no terminal width set."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    for name in ("EVENTWIRE_DB", "COLUMNS", "LINES"):
        env.pop(name, None)
    return env


def _write_docs(docs: Path) -> None:
    """Two good documents, an undated one (a warning) and two bad ones in a directory."""
    docs.mkdir()
    (docs / "a-good.txt").write_text(f"date 2024-02-01 Ministers meet in Cairo\n\n{BODY}\n", encoding="utf-8")
    (docs / "b-undated.txt").write_text(
        "Vladimir Putin met Xi Jinping in Beijing. They signed a deal.\n", encoding="utf-8"
    )
    (docs / "c-empty.txt").write_bytes(b"")
    (docs / "d-bad-date.txt").write_text("date 2023-13-45 Title\n\nSome text.\n", encoding="utf-8")


@dataclass(frozen=True)
class Populated:
    """A store filled by `ingest --example` then `ingest docs` (with bad documents), and both runs."""

    cwd: Path
    env: dict[str, str]
    example: subprocess.CompletedProcess[str]
    mixed: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory, eventwire_cmd: list[str]) -> Populated:
    """Run the two ingests once for the tests that read the store."""
    cwd = tmp_path_factory.mktemp("cli")
    env = _env()
    _write_docs(cwd / "docs")
    example = _run([*eventwire_cmd, "ingest", "--example", "--db", "ew.duckdb"], cwd, env)
    mixed = _run([*eventwire_cmd, "ingest", "docs", "--db", "ew.duckdb"], cwd, env)
    return Populated(cwd, env, example, mixed)


def _article_rows(p: Populated, eventwire_cmd: list[str]) -> list[dict[str, Any]]:
    """`articles --json` of the populated store, parsed."""
    result = _run([*eventwire_cmd, "articles", "--json", "--db", "ew.duckdb"], p.cwd, p.env)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_ingest_example(populated: Populated) -> None:
    """`ingest --example` exits 0 and prints its summary line."""
    result = populated.example
    assert result.returncode == 0, result.stderr
    summary = " ".join(result.stdout.split())
    assert re.search(
        r"read 1 · new 1 · duplicate 0 · failed 0 · warnings 0 · sentences \d+ · entities \d+ ", summary
    ), summary
    assert summary.endswith("→ ew.duckdb")
    assert (populated.cwd / "ew.duckdb").exists()


def test_ingest_summary_is_one_line(populated: Populated) -> None:
    """The ingest summary is one line on stdout even when stdout is a pipe."""
    lines = populated.example.stdout.splitlines()
    assert len(lines) == 1, lines
    assert re.fullmatch(r"read 1 · new 1 · .* → ew\.duckdb", lines[0])


def test_ingest_with_bad_documents(populated: Populated) -> None:
    """An ingest with bad documents exits 1 and lists each failure on stderr."""
    result = populated.mixed
    assert result.returncode == 1, result.stderr
    summary = " ".join(result.stdout.split())
    assert "read 4 · new 2 · duplicate 0 · failed 2 · warnings 1 ·" in summary
    stderr = _flat(result.stderr)
    assert _flat("failed: docs/c-empty.txt: empty: no text [EW101]") in stderr
    assert _flat("failed: docs/d-bad-date.txt: invalid date '2023-13-45'") in stderr
    assert "[EW105]" in stderr
    assert "a-good.txt" not in stderr
    assert "b-undated.txt" not in stderr


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "missing.txt", "--db", "new.duckdb"],
        ["ingest", "--db", "new.duckdb"],
        ["ingest", "--no-such-option", "--db", "new.duckdb"],
        ["extract"],
        ["extract", "missing.txt"],
        ["articles", "--db", "new.duckdb"],
        ["show", "abc", "--db", "new.duckdb"],
        ["errors", "--db", "new.duckdb"],
        ["no-such-command"],
        ["ingest", "--example", "missing.txt", "--db", "new.duckdb"],
        ["eval", "missing.jsonl"],
    ],
    ids=[
        "ingest-missing-path",
        "ingest-no-path",
        "ingest-unknown-option",
        "extract-no-path",
        "extract-missing-path",
        "articles-no-db",
        "show-no-db",
        "errors-no-db",
        "unknown-command",
        "ingest-example-and-missing-path",
        "eval-missing-gold",
    ],
)
def test_usage_errors(
    args: list[str], tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]
) -> None:
    """Usage errors exit 2 with a message on stderr, nothing on stdout, and create no database."""
    result = _run([*eventwire_cmd, *args], tmp_path, cli_env)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "error" in result.stderr.lower()
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "new.duckdb").exists()


def test_show_unknown_id(populated: Populated, eventwire_cmd: list[str]) -> None:
    """`show` with an id no article has exits 2 and says so."""
    result = _run([*eventwire_cmd, "show", "zzzz", "--db", "ew.duckdb"], populated.cwd, populated.env)
    assert result.returncode == 2
    assert "no article with id 'zzzz'" in " ".join(result.stderr.split())


def test_extract_files(tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]) -> None:
    """`extract` prints one JSON object per article with title, date, sentences and entities."""
    _write_docs(tmp_path / "docs")
    (tmp_path / "docs" / "c-empty.txt").unlink()
    (tmp_path / "docs" / "d-bad-date.txt").unlink()
    result = _run([*eventwire_cmd, "extract", "docs"], tmp_path, cli_env)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    first, second = records
    assert first["title"] == "Ministers meet in Cairo"
    assert first["date"] == "2024-02-01"
    assert first["source"]["uri"] == "docs/a-good.txt"
    assert second["title"] is None and second["date"] is None
    for record in records:
        assert record["sentences"] and record["entities"]
        assert _spans_ok(record)
    assert {"Cairo", "Jordan"} <= {e["span"]["text"] for e in first["entities"]}
    assert not (tmp_path / "eventwire.duckdb").exists()


def test_extract_jsonl_keeps_ids(tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]) -> None:
    """`extract --jsonl` keeps each record's id in `source.external_id`, in input order."""
    records = [
        {"id": "wire-17", "text": "Olaf Scholz arrived in Warsaw. He met Donald Tusk.", "date": "2024-05-06"},
        {"id": 42, "text": "Protests spread across Kenya. Police fired tear gas in Nairobi."},
        {"id": "wire-3", "text": "The Kremlin said Vladimir Putin would visit Beijing.", "title": "Visit"},
    ]
    (tmp_path / "in.data").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = _run([*eventwire_cmd, "extract", "--jsonl", "in.data"], tmp_path, cli_env)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"]["external_id"] for r in out] == ["wire-17", "42", "wire-3"]
    assert [r["source"]["line"] for r in out] == [1, 2, 3]
    assert [r["date"] for r in out] == ["2024-05-06", None, None]
    assert out[2]["title"] == "Visit"
    assert all(_spans_ok(r) for r in out)


def test_extract_stdin(tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]) -> None:
    """`extract -` reads a document from stdin."""
    text = f"date 2024-06-07 Ministers meet in Cairo\n\n{BODY}\n"
    result = _run([*eventwire_cmd, "extract", "-"], tmp_path, cli_env, stdin=text)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["source"]["uri"] == "<stdin>"
    assert (record["title"], record["date"]) == ("Ministers meet in Cairo", "2024-06-07")
    assert record["text"].endswith("aid convoys.")
    assert record["sentences"] and record["entities"]
    assert _spans_ok(record)


def test_extract_reports_failures(tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]) -> None:
    """`extract` still prints the good articles when some inputs fail, lists the failures and exits 1."""
    _write_docs(tmp_path / "docs")
    result = _run([*eventwire_cmd, "extract", "docs"], tmp_path, cli_env)
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"]["uri"] for r in records] == ["docs/a-good.txt", "docs/b-undated.txt"]
    stderr = _flat(result.stderr)
    assert _flat("docs/c-empty.txt: empty: no text [EW101]") in stderr
    assert "docs/d-bad-date.txt" in stderr and "[EW105]" in stderr


def test_articles_json(populated: Populated, eventwire_cmd: list[str]) -> None:
    """`articles --json` prints one object per stored article, newest publication first."""
    rows = _article_rows(populated, eventwire_cmd)
    assert [(r["pub_date"], r["title"]) for r in rows] == [
        ("2024-02-01", "Ministers meet in Cairo"),
        ("2023-12-10", SEED_TITLE),
        (None, None),
    ]
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{16}", row["id"])
        assert row["n_sentences"] > 0
        assert row["n_sources"] == 1


def test_articles_table(populated: Populated, eventwire_cmd: list[str]) -> None:
    """`articles` prints a table with every stored article's id and date."""
    result = _run([*eventwire_cmd, "articles", "--db", "ew.duckdb"], populated.cwd, populated.env)
    assert result.returncode == 0, result.stderr
    for row in _article_rows(populated, eventwire_cmd):
        assert row["id"] in result.stdout
    assert "2023-12-10" in result.stdout and "2024-02-01" in result.stdout and "unknown" in result.stdout
    assert "Ministers" in result.stdout


def test_show_by_prefix(populated: Populated, eventwire_cmd: list[str]) -> None:
    """`show ID_PREFIX` prints the article's title, id, source, credits and numbered sentences."""
    seed = next(r for r in _article_rows(populated, eventwire_cmd) if r["title"] == SEED_TITLE)
    result = _run([*eventwire_cmd, "show", seed["id"][:6], "--db", "ew.duckdb"], populated.cwd, populated.env)
    assert result.returncode == 0, result.stderr
    flat = _flat(result.stdout)
    assert _flat(SEED_TITLE) in flat
    assert _flat(f"id {seed['id']} · date 2023-12-10") in flat
    assert _flat("credits: Ahmed Zakot/Reuters") in flat
    assert "seed-article.txt" in flat
    assert "[0]" in result.stdout and f"[{seed['n_sentences'] - 1}]" in result.stdout


def test_show_json(populated: Populated, eventwire_cmd: list[str]) -> None:
    """`show --json` prints the stored article with its sentences, entities and sources."""
    seed = next(r for r in _article_rows(populated, eventwire_cmd) if r["title"] == SEED_TITLE)
    args = ["show", seed["id"], "--json", "--db", "ew.duckdb"]
    result = _run([*eventwire_cmd, *args], populated.cwd, populated.env)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == seed["id"]
    assert record["title"] == SEED_TITLE and record["date"] == "2023-12-10"
    assert len(record["sentences"]) == seed["n_sentences"]
    assert len(record["entities"]) == seed["n_entities"]
    assert record["metadata"]["credits"] == ["Ahmed Zakot/Reuters"]
    assert [s["uri"].endswith("seed-article.txt") for s in record["sources"]] == [True]
    assert _spans_ok(record)


def test_errors(populated: Populated, eventwire_cmd: list[str]) -> None:
    """`errors` lists the failed documents and no warnings; `--json` gives their fields."""
    result = _run([*eventwire_cmd, "errors", "--db", "ew.duckdb"], populated.cwd, populated.env)
    assert result.returncode == 0, result.stderr
    assert "EW101" in result.stdout and "EW105" in result.stdout
    assert "c-empty.txt" in result.stdout and "d-bad-date.txt" in result.stdout
    assert "warning" not in result.stdout and "EW900" not in result.stdout
    as_json = _run([*eventwire_cmd, "errors", "--json", "--db", "ew.duckdb"], populated.cwd, populated.env)
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert sorted((r["source"], r["stage"], r["code"], r["level"]) for r in rows) == [
        ("docs/c-empty.txt", "read", "EW101", "error"),
        ("docs/d-bad-date.txt", "read", "EW105", "error"),
    ]


def test_errors_all(populated: Populated, eventwire_cmd: list[str]) -> None:
    """`errors --all` lists warnings as well as errors."""
    result = _run([*eventwire_cmd, "errors", "--all", "--db", "ew.duckdb"], populated.cwd, populated.env)
    assert result.returncode == 0, result.stderr
    assert "EW101" in result.stdout and "EW105" in result.stdout
    assert "warning" in result.stdout and "EW900" in result.stdout and "b-undated.txt" in result.stdout


def test_help_lists_every_command(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """`python -m eventwire --help` exits 0 and lists every command."""
    result = _run([sys.executable, "-m", "eventwire", "--help"], tmp_path, cli_env)
    assert result.returncode == 0, result.stderr
    listed = re.findall(r"^  (\S+)\s", result.stdout.split("Commands:", 1)[1], flags=re.M)
    assert sorted(listed) == sorted(cli.commands)
    assert set(cli.commands) >= {"ingest", "extract", "articles", "show", "errors"}


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_help(name: str, tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]) -> None:
    """Every command has a docstring, and `COMMAND --help` shows it."""
    command = cli.commands[name]
    assert command.callback is not None and command.callback.__doc__
    assert command.help and command.help.strip()
    result = _run([*eventwire_cmd, name, "--help"], tmp_path, cli_env)
    assert result.returncode == 0, result.stderr
    first_paragraph = command.help.split("\n\n")[0]
    assert " ".join(first_paragraph.split()) in " ".join(result.stdout.split())
    assert result.stdout.startswith(f"Usage: eventwire {name} ")


def test_locked_database_is_a_clear_error(populated: Populated, eventwire_cmd: list[str]) -> None:
    """Reading a database another process is writing to exits 2 with DuckDB's reason, not a traceback."""
    import duckdb

    holder = duckdb.connect(str(populated.cwd / "ew.duckdb"))
    try:
        result = _run([*eventwire_cmd, "articles", "--db", "ew.duckdb"], populated.cwd, populated.env)
    finally:
        holder.close()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "lock" in result.stderr.lower()


def test_quotes_by_speaker(populated: Populated, eventwire_cmd: list[str]) -> None:
    """`quotes --speaker` lists the example's Russian quotes, the diplomat's among them, and no Israeli one."""
    result = _run(
        [*eventwire_cmd, "quotes", "--speaker", "RUSGOV", "--json", "--db", "ew.duckdb"],
        populated.cwd,
        populated.env,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(r["speaker_code"] == "RUSGOV" for r in rows)
    assert any(r["text"].startswith("War crimes are on the rise") for r in rows)
    table = _run(
        [*eventwire_cmd, "quotes", "--kind", "direct", "--db", "ew.duckdb"], populated.cwd, populated.env
    )
    assert table.returncode == 0 and "the diplomat" in table.stdout


def test_regroup_keeps_the_rule(populated: Populated, eventwire_cmd: list[str], tmp_path: Path) -> None:
    """`regroup` with a stricter rule groups fewer mentions together, and the database keeps that rule."""
    import shutil

    shutil.copy(populated.cwd / "ew.duckdb", tmp_path / "copy.duckdb")
    default = _run([*eventwire_cmd, "regroup", "--db", "copy.duckdb"], tmp_path, populated.env)
    assert default.returncode == 0, default.stderr
    strict = _run(
        [*eventwire_cmd, "regroup", "--db", "copy.duckdb", "--codes", "family", "--full-sides"],
        tmp_path,
        populated.env,
    )
    again = _run([*eventwire_cmd, "regroup", "--db", "copy.duckdb"], tmp_path, populated.env)

    def events(out: str) -> int:
        return int(re.search(r"→ (\d+) events", out).group(1))  # type: ignore[union-attr]

    assert events(strict.stdout) > events(default.stdout)
    assert "codes family" in again.stdout and events(again.stdout) == events(strict.stdout)


def test_events_grouped(populated: Populated, eventwire_cmd: list[str]) -> None:
    """`events --grouped` lists the example's phone call once with its mentions counted; other modes than asserted
    are refused; the article filter selects the events an article reports."""
    result = _run(
        [*eventwire_cmd, "events", "--grouped", "--code", "04", "--json", "--db", "ew.duckdb"],
        populated.cwd,
        populated.env,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    calls = [r for r in rows if {"ISRGOV", "RUSGOV"} <= set(r["source"]) | set(r["target"])]
    assert len(calls) == 1 and calls[0]["num_mentions"] >= 4
    table = _run([*eventwire_cmd, "events", "--grouped", "--db", "ew.duckdb"], populated.cwd, populated.env)
    assert table.returncode == 0 and calls[0]["id"][:10] in table.stdout
    refused = _run(
        [*eventwire_cmd, "events", "--grouped", "--mode", "negated", "--db", "ew.duckdb"],
        populated.cwd,
        populated.env,
    )
    assert refused.returncode == 2 and "asserted" in refused.stderr
    none = _run(
        [*eventwire_cmd, "events", "--grouped", "--article", "ffffffff", "--json", "--db", "ew.duckdb"],
        populated.cwd,
        populated.env,
    )
    assert none.returncode == 0 and none.stdout == ""
