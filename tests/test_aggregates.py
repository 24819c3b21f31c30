"""Aggregates over hand-made events rows: exact counts, Goldstein sums and means, QuadClass counts per period."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from eventwire import aggregates
from eventwire.aggregates import AggregateQuery, aggregate
from eventwire.cli import cli
from eventwire.errors import UsageError
from eventwire.store import Store

D = dt.date
NOW = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
# (id, code, goldstein, quad, source, target, event_date, num_mentions, confidence)
ROWS: list[tuple[Any, ...]] = [
    # Monday 1 January 2024: an Israeli strike on Gaza, reported three times.
    ("e1", "190", -10.0, 4, ["ISRMIL"], ["PSE"], D(2024, 1, 1), 3, 0.9),
    # Tuesday 2 January: Russia praises Israel, and cooperates diplomatically (043: directed, not symmetric).
    ("e2", "051", 3.4, 1, ["RUSGOV"], ["ISRGOV"], D(2024, 1, 2), 2, 0.8),
    ("e3", "043", 2.8, 1, ["RUSGOV"], ["ISRGOV"], D(2024, 1, 2), 1, 0.5),
    # Sunday 7 January (the week of the 1st): Israel cooperates diplomatically with Russia.
    ("e4", "043", 2.8, 1, ["ISRGOV"], ["RUSGOV"], D(2024, 1, 7), 1, 0.95),
    # Monday 8 January (next week): Israel criticises, no target named.
    ("e5", "111", -2.0, 3, ["ISRGOV"], [], D(2024, 1, 8), 4, 0.7),
    # 3 February: material help from the US and the UN to Gaza; Israeli domestic arrest.
    ("e6", "070", 7.0, 2, ["USAGOV", "IGOUNO"], ["PSE"], D(2024, 2, 3), 1, 0.6),
    ("e7", "173", -5.0, 4, ["ISRPOL"], ["ISRREB"], D(2024, 2, 3), 2, 0.9),
    # No date: in no period.
    ("e8", "190", -10.0, 4, ["RUSMIL"], ["UKR"], None, 5, 0.9),
    # Saturday 10 February: a three-party consultation (040, symmetric).
    ("e9", "040", 1.0, 1, ["EGY"], ["JOR", "PSE"], D(2024, 2, 10), 1, 1.0),
]


def _insert(store: Store, rows: list[tuple[Any, ...]]) -> None:
    """Insert events rows with the given values (counts other than mentions are 1)."""
    for i, code, goldstein, quad, source, target, date, mentions, confidence in rows:
        store.con.execute(
            "INSERT INTO events (id, code, root, goldstein, quad_class, source, target, event_date, num_mentions, "
            "num_articles, num_sources, num_stories, confidence, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, 1, ?, ?)",
            [i, code, code[:2], goldstein, quad, source, target, date, mentions, confidence, NOW],
        )


@pytest.fixture
def events_store(tmp_path: Path) -> Any:
    """A store whose `events` table holds ROWS."""
    with Store(tmp_path / "agg.duckdb") as store:
        _insert(store, ROWS)
        yield store


def _rows(store: Store, **options: Any) -> list[tuple[Any, ...]]:
    """The aggregate as tuples: period, keys, count, goldstein sum and mean (rounded), q1..q4."""
    out = []
    for row in aggregate(store, **options).to_pylist():
        values = list(row.values())
        values[-6] = round(values[-6], 6)
        values[-5] = round(values[-5], 6)
        out.append(tuple(values))
    return out


def test_symmetric_codes_of_the_fixture() -> None:
    """The fixture's assumptions about which codes are symmetric hold."""
    from eventwire.ontology import SYMMETRIC_CODES

    assert "040" in SYMMETRIC_CODES and "043" not in SYMMETRIC_CODES and "051" not in SYMMETRIC_CODES


def test_dyads_by_day(events_store: Store) -> None:
    """Each event once per country dyad and day; an empty side is None; undated events are left out."""
    assert _rows(events_store, period="day") == [
        (D(2024, 1, 1), "ISR", "PSE", 1, -10.0, -10.0, 0, 0, 0, 1),
        (D(2024, 1, 2), "RUS", "ISR", 2, 6.2, 3.1, 2, 0, 0, 0),
        (D(2024, 1, 7), "ISR", "RUS", 1, 2.8, 2.8, 1, 0, 0, 0),
        (D(2024, 1, 8), "ISR", None, 1, -2.0, -2.0, 0, 0, 1, 0),
        (D(2024, 2, 3), "IGO", "PSE", 1, 7.0, 7.0, 0, 1, 0, 0),
        (D(2024, 2, 3), "ISR", "ISR", 1, -5.0, -5.0, 0, 0, 0, 1),
        (D(2024, 2, 3), "USA", "PSE", 1, 7.0, 7.0, 0, 1, 0, 0),
        (D(2024, 2, 10), "EGY", "JOR", 1, 1.0, 1.0, 1, 0, 0, 0),
        (D(2024, 2, 10), "EGY", "PSE", 1, 1.0, 1.0, 1, 0, 0, 0),
        (D(2024, 2, 10), "JOR", "PSE", 1, 1.0, 1.0, 1, 0, 0, 0),
    ]


def test_weeks_start_on_monday_and_months_on_the_first(events_store: Store) -> None:
    """The 1st and the 7th of January 2024 are one week; the 8th the next; months are calendar months."""
    weeks = {(r[0], r[1], r[2]): r[3] for r in _rows(events_store, period="week")}
    assert weeks[(D(2024, 1, 1), "ISR", "RUS")] == 1
    assert weeks[(D(2024, 1, 1), "RUS", "ISR")] == 2
    assert weeks[(D(2024, 1, 8), "ISR", None)] == 1
    assert {r[0] for r in _rows(events_store, period="week")} == {
        D(2024, 1, 1),
        D(2024, 1, 8),
        D(2024, 1, 29),
        D(2024, 2, 5),
    }
    months = _rows(events_store, period="month", by="country")
    # January for Israel: -10 + 3.4 + 2.8 + 2.8 - 2 over five events.
    assert months[0] == (D(2024, 1, 1), "ISR", 5, -3.0, -0.6, 3, 0, 1, 1)
    assert months[1] == (D(2024, 1, 1), "PSE", 1, -10.0, -10.0, 0, 0, 0, 1)
    assert months[2] == (D(2024, 1, 1), "RUS", 3, 9.0, 3.0, 3, 0, 0, 0)


def test_countries_count_each_event_once_per_country(events_store: Store) -> None:
    """By country, an event counts once for each country on either side: ISR → ISR once, USA and IGO each once."""
    february = [r for r in _rows(events_store, by="country", period="month") if r[0] == D(2024, 2, 1)]
    assert february == [
        (D(2024, 2, 1), "EGY", 1, 1.0, 1.0, 1, 0, 0, 0),
        (D(2024, 2, 1), "IGO", 1, 7.0, 7.0, 0, 1, 0, 0),
        (D(2024, 2, 1), "ISR", 1, -5.0, -5.0, 0, 0, 0, 1),
        (D(2024, 2, 1), "JOR", 1, 1.0, 1.0, 1, 0, 0, 0),
        (D(2024, 2, 1), "PSE", 2, 8.0, 4.0, 1, 1, 0, 0),
        (D(2024, 2, 1), "USA", 1, 7.0, 7.0, 0, 1, 0, 0),
    ]


def test_actor_level(events_store: Store) -> None:
    """By actor, full codes; dyads at the actor level keep ISRPOL → ISRREB apart from other Israeli actors."""
    actors = {(r[0], r[1]): r[2] for r in _rows(events_store, by="actor", period="month")}
    assert actors[(D(2024, 1, 1), "ISRGOV")] == 4
    assert actors[(D(2024, 1, 1), "ISRMIL")] == 1
    assert actors[(D(2024, 2, 1), "IGOUNO")] == 1
    dyads = _rows(events_store, level="actor", period="month", since=D(2024, 2, 1))
    assert [(r[1], r[2]) for r in dyads] == [
        ("EGY", "JOR"),
        ("EGY", "PSE"),
        ("IGOUNO", "PSE"),
        ("ISRPOL", "ISRREB"),
        ("JOR", "PSE"),
        ("USAGOV", "PSE"),
    ]


def test_symmetric_acts_count_once_per_unordered_pair(tmp_path: Path) -> None:
    """ "A met B" and "B met A" are one dyad (sorted); directed acts keep their direction."""
    with Store(tmp_path / "sym.duckdb") as store:
        _insert(
            store,
            [
                ("m1", "040", 1.0, 1, ["RUSGOV"], ["ISRGOV"], D(2024, 5, 1), 1, 1.0),
                ("m2", "040", 1.0, 1, ["ISRGOV"], ["RUSGOV"], D(2024, 5, 2), 1, 1.0),
                ("m3", "040", 1.0, 1, ["ISRGOV", "RUSGOV"], [], D(2024, 5, 3), 1, 1.0),
                ("m4", "040", 1.0, 1, ["ISRGOV"], [], D(2024, 5, 4), 1, 1.0),
                ("d1", "051", 3.4, 1, ["RUSGOV"], ["ISRGOV"], D(2024, 5, 1), 1, 1.0),
            ],
        )
        rows = _rows(store, period="month")
    assert rows == [
        (D(2024, 5, 1), "ISR", "RUS", 3, 3.0, 1.0, 3, 0, 0, 0),
        (D(2024, 5, 1), "ISR", None, 1, 1.0, 1.0, 1, 0, 0, 0),
        (D(2024, 5, 1), "RUS", "ISR", 1, 3.4, 3.4, 1, 0, 0, 0),
    ]


def test_weighting_by_mentions(events_store: Store) -> None:
    """With weight mentions, counts, sums, means and QuadClasses are weighted by num_mentions."""
    rows = _rows(events_store, period="day", weight="mentions", until=D(2024, 1, 2))
    assert rows == [
        (D(2024, 1, 1), "ISR", "PSE", 3, -30.0, -10.0, 0, 0, 0, 3),
        # 2 x 3.4 + 1 x 2.8 = 9.6 over 3 mentions.
        (D(2024, 1, 2), "RUS", "ISR", 3, 9.6, 3.2, 3, 0, 0, 0),
    ]
    assert aggregate(events_store, weight="mentions").column_names[3] == "mentions"


def test_filters(events_store: Store) -> None:
    """Filters select events like `eventwire events`: actor and country prefixes, code prefix, dates,
    confidence."""
    assert [(r[1], r[2]) for r in _rows(events_store, actor="IGOUNO")] == [("IGO", "PSE"), ("USA", "PSE")]
    assert {r[0] for r in _rows(events_store, country="rus")} == {D(2024, 1, 2), D(2024, 1, 7)}
    assert [r[0] for r in _rows(events_store, code="19")] == [D(2024, 1, 1)]
    assert [r[0] for r in _rows(events_store, since=D(2024, 1, 7), until=D(2024, 1, 8))] == [
        D(2024, 1, 7),
        D(2024, 1, 8),
    ]
    high = _rows(events_store, min_confidence=0.9)
    assert [(r[0], r[1], r[2]) for r in high] == [
        (D(2024, 1, 1), "ISR", "PSE"),
        (D(2024, 1, 7), "ISR", "RUS"),
        (D(2024, 2, 3), "ISR", "ISR"),
        (D(2024, 2, 10), "EGY", "JOR"),
        (D(2024, 2, 10), "EGY", "PSE"),
        (D(2024, 2, 10), "JOR", "PSE"),
    ]


def test_empty_results_keep_their_columns(events_store: Store, tmp_path: Path) -> None:
    """No matching event: an empty table with every column, and a CSV file with its header only."""
    table = aggregate(events_store, by="country", code="20")
    assert table.num_rows == 0
    assert table.column_names == list(AggregateQuery(by="country").columns)
    target = tmp_path / "empty.csv"
    assert aggregates.write(events_store, target, "csv", code="20") == 0
    assert target.read_text(encoding="utf-8").splitlines() == [",".join(AggregateQuery().columns)]


def test_an_empty_store(tmp_path: Path) -> None:
    """A store without events aggregates to nothing."""
    with Store(tmp_path / "none.duckdb") as store:
        assert aggregate(store, period="month").num_rows == 0


def test_bad_options_are_usage_errors(events_store: Store) -> None:
    """Unknown choices, and a level that contradicts the grouping, are refused with a clear reason."""
    with pytest.raises(UsageError, match="period"):
        aggregate(events_store, period="year")
    with pytest.raises(UsageError, match="by='actor'"):
        aggregate(events_store, by="country", level="actor")
    with pytest.raises(UsageError, match="format"):
        aggregates.write(events_store, "x.json", "json")  # type: ignore[arg-type]


def test_parquet_reads_back(events_store: Store, tmp_path: Path) -> None:
    """A Parquet file holds the same rows and types as the Arrow table."""
    target = tmp_path / "agg.parquet"
    rows = aggregates.write(events_store, target, "parquet", by="country", period="week")
    expected = aggregate(events_store, by="country", period="week")
    assert rows == expected.num_rows > 0
    back = pq.read_table(target)
    assert [(f.name, f.type) for f in back.schema] == [(f.name, f.type) for f in expected.schema]
    assert back.to_pylist() == expected.to_pylist()


def test_csv_stream_matches_the_file(events_store: Store, tmp_path: Path) -> None:
    """CSV written to a stream is the CSV file DuckDB writes, byte for byte."""
    target = tmp_path / "agg.csv"
    aggregates.write(events_store, target, "csv", period="month")
    stream = io.StringIO()
    aggregates.write_csv(events_store, stream, period="month")
    assert stream.getvalue() == target.read_text(encoding="utf-8")


def test_cli_writes_csv_and_prints_a_table(tmp_path: Path) -> None:
    """`eventwire aggregate --csv FILE` writes every row, read back with csv; without a file, a table."""
    db = tmp_path / "cli.duckdb"
    with Store(db) as store:
        _insert(store, ROWS)
    target = tmp_path / "out.csv"
    runner = CliRunner()
    args = ["aggregate", "--db", str(db), "--by", "country", "--period", "month"]
    result = runner.invoke(cli, [*args, "--csv", str(target)])
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    first = {k: v for k, v in rows[0].items() if not k.startswith("goldstein")}
    assert first == {
        "period": "2024-01-01",
        "country": "ISR",
        "events": "5",
        "q1": "3",
        "q2": "0",
        "q3": "1",
        "q4": "1",
    }
    assert float(rows[0]["goldstein_sum"]) == pytest.approx(-3.0)
    assert float(rows[0]["goldstein_mean"]) == pytest.approx(-0.6)
    assert len(rows) == 9
    table = runner.invoke(cli, [*args, "--limit", "2"])
    assert table.exit_code == 0, table.output
    assert "ISR" in table.output and "9 rows (the first 2 shown" in table.output
    stdout = runner.invoke(cli, [*args, "--csv", "-"])
    assert stdout.exit_code == 0
    assert stdout.stdout == target.read_text(encoding="utf-8")
    bad = runner.invoke(cli, [*args, "--level", "actor"])
    assert bad.exit_code == 2
