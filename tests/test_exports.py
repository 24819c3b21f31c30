"""Exports read back with the rows and values of the events table, filter like `eventwire events`, and stream."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from click.testing import CliRunner

from eventwire import codebook, exports
from eventwire.cli import cli
from eventwire.exports import ExportFilter, export, global_event_id
from eventwire.ingest import ingest
from eventwire.pipeline import Pipeline
from eventwire.store import Store

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"

WIRE = (
    "Russian forces shelled Kharkiv on Monday, regional officials said. Ukrainian President Volodymyr Zelensky "
    "condemned the attack and called on Western allies to send more air defence systems. Moscow did not comment "
    "on the strike, which damaged a school and several apartment blocks in the city's northern districts."
)
EDITED = WIRE.replace("several apartment blocks", "three apartment blocks")
OTHER = (
    "Chinese Foreign Minister Wang Yi met his Brazilian counterpart in Beijing on Tuesday. The two ministers "
    "signed an agreement on trade in farm products.\n\nIsrael criticised Iran on Wednesday."
)


@pytest.fixture(scope="module")
def coded(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store filled by the real pipeline: a wire story, an edited copy from another outlet, another story."""
    folder = tmp_path_factory.mktemp("coded")
    records = [
        {"url": "https://wire.example/a", "title": "Strike", "date": "2024-05-13", "text": WIRE},
        {"url": "https://paper.example/b", "title": "Strike", "date": "2024-05-13", "text": EDITED},
        {"url": "https://news.example/c", "title": "Talks", "date": "2024-06-04", "text": OTHER},
    ]
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Store(folder / "coded.duckdb") as store:
        ingest([str(feed)], store, pipeline)
        yield store


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Query results as dicts."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _events(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The events table in export order."""
    return _rows(con, "SELECT * FROM events ORDER BY event_date NULLS LAST, id")


def synthesise(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """Insert n synthetic events, each with one article, source, sentence, mention and link; a third located."""
    con.execute(
        f"""
        INSERT INTO articles SELECT 'a' || i, 'Title ' || i, DATE '2020-01-01' + CAST(i % 900 AS INTEGER), 'header',
            'Israel criticised Iran ' || i, 0, 1, 0, '{{}}', 'synthetic', TIMESTAMPTZ '2024-01-01 00:00:00+00'
            FROM range({n}) t(i);
        INSERT INTO sources SELECT 'a' || i, 'feed.jsonl', i + 1, 'jsonl', NULL, 'https://example.org/' || i,
            TIMESTAMPTZ '2024-01-01 00:00:00+00' FROM range({n}) t(i);
        INSERT INTO sentences SELECT 'a' || i, 0, 0, 0, 22, 'Israel criticised Iran' FROM range({n}) t(i);
        INSERT INTO event_mentions (article_id, idx, sentence_idx, trigger_start, trigger_end, trigger_text, code,
            root, source, target, source_spans, target_spans, negated, hypothetical, future, historical,
            event_date, confidence, decided_by)
            SELECT 'a' || i, 0, 0, 7, 17, 'criticised', '111', '11', ['ISRGOV'], ['IRN'],
            [{{'start_char': 0, 'end_char': 6, 'text': 'Israel'}}], [{{'start_char': 18, 'end_char': 22, 'text': 'Iran'}}],
            false, false, false, false, DATE '2020-01-01' + CAST(i % 900 AS INTEGER), 0.8, 'lexicon'
            FROM range({n}) t(i);
        INSERT INTO events SELECT 'ev' || left(md5(CAST(i AS VARCHAR)), 16), '111', '11', 'ACCUSE', 'disapprove',
            -2.0, 3, ['ISRGOV'], ['IRN'], DATE '2020-01-01' + CAST(i % 900 AS INTEGER),
            CASE WHEN i % 3 = 0 THEN 'Jerusalem' END, CASE WHEN i % 3 = 0 THEN 281184 END,
            CASE WHEN i % 3 = 0 THEN 'ISR' END, CASE WHEN i % 3 = 0 THEN 31.77 END,
            CASE WHEN i % 3 = 0 THEN 35.21 END, 1, 1, 1, 1, DATE '2020-01-01' + CAST(i % 900 AS INTEGER),
            DATE '2020-01-01' + CAST(i % 900 AS INTEGER), 0.8, TIMESTAMPTZ '2024-01-01 00:00:00+00'
            FROM range({n}) t(i);
        INSERT INTO event_links SELECT 'a' || i, 0, 'ev' || left(md5(CAST(i AS VARCHAR)), 16) FROM range({n}) t(i);
        """
    )


def _to_bytes(
    con: duckdb.DuckDBPyConnection, fmt: str, filters: ExportFilter | None = None, **kw: Any
) -> str:
    """A text export as a string."""
    stream = io.BytesIO()
    export(con, fmt, stream, filters, **kw)
    return stream.getvalue().decode("utf-8")


def _comparable(event: dict[str, Any], joined: bool = False) -> dict[str, Any]:
    """An events row with lists joined as in CSV and timestamps dropped (their text form is the writer's)."""
    row = {k: v for k, v in event.items() if k != "updated_at"}
    if joined:
        row["source"], row["target"] = ";".join(row["source"]), ";".join(row["target"])
    return row


def test_the_pipeline_store_has_events(coded: Store) -> None:
    """The fixture codes events, some located, and links copies across outlets."""
    events = _events(coded.con)
    assert len(events) >= 3
    assert any(e["lat"] is not None for e in events)


def test_csv_reads_back_as_the_events_table(coded: Store, tmp_path: Path) -> None:
    """CSV rows equal the events table (lists joined with ;) when read with the table's types."""
    target = tmp_path / "events.csv"
    export(coded.con, "csv", target)
    types = {n: str(t) for n, t, *_ in coded.con.execute("DESCRIBE events").fetchall()}
    types.update(source="VARCHAR", target="VARCHAR")
    back = _rows(
        duckdb.connect(),
        "SELECT * EXCLUDE (updated_at) FROM read_csv(?, header = true, columns = ?)",
        [str(target), types],
    )
    expected = [_comparable(e, joined=True) for e in _events(coded.con)]
    assert [{**r, "source": r["source"] or "", "target": r["target"] or ""} for r in back] == expected


def test_parquet_reads_back_partitioned_by_month(coded: Store, tmp_path: Path) -> None:
    """Parquet events equal the events table; mentions equal the links; directories are year=/month=."""
    summary = export(coded.con, "parquet", tmp_path / "out")
    events = _events(coded.con)
    back = _rows(
        duckdb.connect(),
        "SELECT * EXCLUDE (year, month) FROM read_parquet(?, hive_partitioning = true) "
        "ORDER BY event_date NULLS LAST, id",
        [str(tmp_path / "out" / "events" / "**" / "*.parquet")],
    )
    assert back == events
    day = events[0]["event_date"]
    assert (tmp_path / "out" / "events" / f"year={day.year}" / f"month={day.month}").is_dir()
    mentions = _rows(
        duckdb.connect(),
        "SELECT event_id, article_id, mention_idx FROM read_parquet(?, hive_partitioning = true) ORDER BY ALL",
        [str(tmp_path / "out" / "mentions" / "**" / "*.parquet")],
    )
    links = _rows(coded.con, "SELECT event_id, article_id, mention_idx FROM event_links ORDER BY ALL")
    assert mentions == links and summary.mentions == len(links)


def test_parquet_refuses_a_directory_with_files(coded: Store, tmp_path: Path) -> None:
    """Old partitions would mix with new ones: a non-empty directory is refused."""
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    with pytest.raises(exports.UsageError):
        export(coded.con, "parquet", tmp_path)


def test_plover_reads_back_with_every_mention(coded: Store) -> None:
    """One JSON record per event, with its values, and its mentions' texts and citations."""
    records = [json.loads(line) for line in _to_bytes(coded.con, "plover").splitlines()]
    events = _events(coded.con)
    assert [r["id"] for r in records] == [e["id"] for e in events]
    for record, event in zip(records, events, strict=True):
        assert (record["actor"], record["recipient"], record["cameo"]) == (
            event["source"],
            event["target"],
            event["code"],
        )
        assert record["num_mentions"] == event["num_mentions"] == len(record["mentions"])
        assert record["date"] == (event["event_date"].isoformat() if event["event_date"] else None)
        for mention in record["mentions"]:
            trigger = mention["trigger"]
            assert trigger["text"] in mention["event_text"]
            assert mention["url"].startswith("https://")
        if event["lat"] is not None:
            assert record["location"]["lat"] == event["lat"]


def test_plover_reads_back_with_duckdb(coded: Store, tmp_path: Path) -> None:
    """DuckDB's JSON reader reads the file with one row per event."""
    target = tmp_path / "events.jsonl"
    export(coded.con, "plover", target)
    back = (
        duckdb.connect().execute("SELECT id, cameo FROM read_json(?) ORDER BY id", [str(target)]).fetchall()
    )
    assert back == sorted((e["id"], e["code"]) for e in _events(coded.con))


def test_geojson_has_every_located_event(coded: Store) -> None:
    """A FeatureCollection of the located events: points at their coordinates, CSV columns as properties."""
    collection = json.loads(_to_bytes(coded.con, "geojson"))
    located = [e for e in _events(coded.con) if e["lat"] is not None and e["lon"] is not None]
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == [e["id"] for e in located]
    for feature, event in zip(collection["features"], located, strict=True):
        assert feature["geometry"] == {"type": "Point", "coordinates": [event["lon"], event["lat"]]}
        assert feature["properties"]["source"] == ";".join(event["source"])
        assert feature["properties"]["num_sources"] == event["num_sources"]


def test_gdelt_header_is_the_reference_column_list(coded: Store) -> None:
    """The header row is GDELT 2.0's Events columns, in order (the reference file when it is at hand)."""
    names = [name for name, _ in exports.GDELT_EVENTS]
    reference = REFERENCE / "GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv"
    if reference.exists():
        with reference.open(encoding="utf-8") as handle:
            assert [row["tableId"] for row in csv.DictReader(handle)] == names
    assert len(names) == 61
    header = _to_bytes(coded.con, "gdelt").split("\n")[0]
    assert header.split("\t") == names


def test_gdelt_mentions_header_is_the_reference_column_list(coded: Store) -> None:
    """The Mentions header is GDELT 2.0's Mentions columns, in order."""
    names = [name for name, _ in exports.GDELT_MENTIONS]
    reference = REFERENCE / "GDELT_2.0_eventMentions_Column_Labels_Header_Row_Sep2016.tsv"
    if reference.exists():
        rows = [line.split("\t") for line in reference.read_text(encoding="utf-8").splitlines()[1:]]
        assert [r[1] for r in rows if r[2]] == names
    assert _to_bytes(coded.con, "gdelt-mentions").split("\n")[0].split("\t") == names


def _read_tsv(text: str, tmp_path: Path) -> list[dict[str, Any]]:
    """A TSV export read back by DuckDB, every column as text."""
    path = tmp_path / "export.tsv"
    path.write_text(text, encoding="utf-8")
    return _rows(
        duckdb.connect(),
        "SELECT * FROM read_csv(?, delim = '\t', header = true, all_varchar = true, quote = '')",
        [str(path)],
    )


def test_gdelt_events_read_back(coded: Store, tmp_path: Path) -> None:
    """GDELT rows carry each event's id, date, codes, counts and place; what eventwire lacks is empty."""
    back = _read_tsv(_to_bytes(coded.con, "gdelt"), tmp_path)
    events = _events(coded.con)
    assert len(back) == len(events)
    for row, event in zip(back, events, strict=True):
        assert int(row["GLOBALEVENTID"]) == global_event_id(event["id"])
        assert row["SQLDATE"] == event["event_date"].strftime("%Y%m%d")
        assert row["EventCode"] == event["code"] and row["EventRootCode"] == event["root"]
        assert row["Actor1Code"] == (event["source"][0] if event["source"] else None)
        assert int(row["NumMentions"]) == event["num_mentions"]
        assert int(row["NumSources"]) == event["num_sources"]
        assert row["AvgTone"] is None and row["Actor1Geo_Lat"] is None
        assert row["SOURCEURL"].startswith("https://")
        if event["lat"] is not None:
            assert float(row["ActionGeo_Lat"]) == event["lat"]
            assert row["ActionGeo_CountryCode"] == event["country"]
        if event["source"] and len(event["source"][0]) == 6 and row["Actor1CountryCode"]:
            assert row["Actor1CountryCode"] == event["source"][0][:3]
            assert row["Actor1Type1Code"] == event["source"][0][3:]


def test_gdelt_mentions_point_into_the_text(coded: Store, tmp_path: Path) -> None:
    """One row per linked mention; the action offset points at the trigger in the article's text."""
    back = _read_tsv(_to_bytes(coded.con, "gdelt-mentions"), tmp_path)
    links = _rows(
        coded.con,
        "SELECT l.event_id, m.trigger_start, m.trigger_text, a.text FROM event_links l "
        "JOIN event_mentions m ON m.article_id = l.article_id AND m.idx = l.mention_idx "
        "JOIN articles a ON a.id = l.article_id",
    )
    assert len(back) == len(links)
    assert all(x["text"][x["trigger_start"] :].startswith(x["trigger_text"]) for x in links)
    expected = sorted((global_event_id(x["event_id"]), x["trigger_start"], len(x["text"])) for x in links)
    got = sorted((int(r["GLOBALEVENTID"]), int(r["ActionCharOffset"]), int(r["MentionDocLen"])) for r in back)
    assert got == expected
    for row in back:
        assert row["MentionType"] == "1" and row["MentionIdentifier"].startswith("https://")
        assert 0 <= int(row["Confidence"]) <= 100


@pytest.mark.parametrize(
    "filters",
    [
        ExportFilter(since=dt.date(2020, 6, 1), until=dt.date(2020, 6, 30)),
        ExportFilter(actor="ISR"),
        ExportFilter(actor="RUSGOV"),
        ExportFilter(country="irn"),
        ExportFilter(code="11"),
        ExportFilter(code="19"),
    ],
)
def test_filters_select_like_eventwire_events(store: Store, filters: ExportFilter) -> None:
    """Dates, actor and country prefixes and code prefixes select the same events as the events filter."""
    synthesise(store.con, 300)
    store.con.execute(
        "UPDATE events SET source = ['RUSGOV'], code = '190', root = '19' WHERE id IN "
        "(SELECT id FROM events ORDER BY id LIMIT 40)"
    )

    def keep(e: dict[str, Any]) -> bool:
        """The filter, in Python."""
        actors = [*e["source"], *e["target"]]
        return (
            (filters.since is None or e["event_date"] >= filters.since)
            and (filters.until is None or e["event_date"] <= filters.until)
            and (filters.actor is None or any(a.startswith(filters.actor) for a in actors))
            and (filters.country is None or any(a.startswith(filters.country.upper()) for a in actors))
            and (filters.code is None or e["code"].startswith(filters.code))
        )

    expected = [e["id"] for e in _events(store.con) if keep(e)]
    assert expected
    lines = _to_bytes(store.con, "csv", filters).splitlines()[1:]
    assert [line.split(",")[0].strip('"') for line in lines] == expected


def test_exports_stream_in_chunks(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every format reads the database in batches of at most the chunk size, and writes them all."""
    synthesise(store.con, 2500)
    seen: list[int] = []
    real = exports.read_batches

    def spy(
        con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], chunk: int
    ) -> Iterator[pa.RecordBatch]:
        """The real reader, recording each batch's size."""
        for batch in real(con, sql, params, chunk):
            seen.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(exports, "read_batches", spy)
    for fmt in exports.FORMATS:
        seen.clear()
        target = tmp_path / fmt
        summary = export(store.con, fmt, target, chunk_size=100)
        assert seen and max(seen) <= 100, fmt
        expected = 2500 if fmt in ("gdelt-mentions", "parquet") else 834 if fmt == "geojson" else 2500
        assert sum(seen) >= expected and len(seen) >= expected // 100, fmt
        assert (summary.mentions if fmt == "gdelt-mentions" else summary.rows) == expected, fmt


def _export_all(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, Any]:
    """Every format exported into a folder: text files as bytes, Parquet parts as rows in file order."""
    got: dict[str, Any] = {}
    folder.mkdir()
    for fmt in exports.FORMATS:
        target = folder / fmt
        export(con, fmt, target, chunk_size=7)
        if fmt != "parquet":
            got[fmt] = target.read_bytes()
            continue
        for part in ("events", "mentions"):
            files = sorted(
                (target / part).rglob("*.parquet"), key=lambda f: (f.parent.as_posix(), int(f.stem[5:]))
            )
            got[part] = [
                (f.parent.relative_to(target).as_posix(), _rows(con, "FROM read_parquet(?)", [str(f)]))
                for f in files
            ]
    return got


def test_slices_write_what_one_query_writes(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exports read in slices of a few events (runs of dates, one crowded date and undated events cut by id) write
    the same bytes and Parquet rows as one query over all events."""
    synthesise(store.con, 120)
    store.con.execute("UPDATE events SET event_date = NULL WHERE id < 'ev2'")
    store.con.execute("UPDATE events SET event_date = DATE '2020-03-01' WHERE id > 'evd'")
    monkeypatch.setattr(exports, "SLICE_ROWS", 10**9)
    whole = _export_all(store.con, tmp_path / "whole")
    monkeypatch.setattr(exports, "SLICE_ROWS", 9)
    cut = exports.slices(store.con, ExportFilter(), False, "1 + e.num_mentions", 9)
    assert len(cut) > 10
    assert any("e.event_date IS NULL AND e.id >= ?" in s.where for s in cut)
    assert any("e.event_date = ? AND e.id >= ? AND e.id < ?" in s.where for s in cut)
    assert _export_all(store.con, tmp_path / "sliced") == whole


def test_export_to_stdout_from_the_command_line(coded: Store, tmp_path: Path) -> None:
    """`--out -` writes the data to stdout; the summary line goes elsewhere."""
    path = coded.path
    coded.con.execute("CHECKPOINT")
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(path.read_bytes())
    result = CliRunner().invoke(cli, ["export", "--db", str(copy), "--format", "plover", "--out", "-"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(_events(coded.con))


def test_the_command_offers_every_format() -> None:
    """The command's choices are the module's formats."""
    command = cli.commands["export"]
    option = next(p for p in command.params if p.name == "fmt")
    assert tuple(option.type.choices) == exports.FORMATS  # type: ignore[attr-defined]


def test_every_column_has_a_meaning_and_every_meaning_a_column() -> None:
    """The codebook covers every stored and exported column, and says nothing of columns that do not exist."""
    rows = list(codebook.columns())
    assert not [f"{r.scope}.{r.name}" for r in rows if not r.meaning]
    scopes = {r.scope for r in rows}
    assert {"events", "event_links", "settings", *codebook.EXPORTS} <= scopes
    used = set()
    for r in rows:
        shared = codebook.EXPORTS.get(r.scope, ("", "", ()))[2]
        leaf = r.name.removeprefix("properties.")
        keys = [f"{r.scope}.{r.name}", *(f"{s}.{leaf}" for s in shared)]
        keys += [r.name] if "." not in r.name and "[" not in r.name else []
        used.add(next(k for k in keys if k in codebook.MEANINGS))
    assert set(codebook.MEANINGS) - used == set()


def test_codebook_command_prints_markdown_and_json() -> None:
    """`eventwire codebook` prints every export's columns; `--format json` the same rows as data."""
    runner = CliRunner()
    markdown = runner.invoke(cli, ["codebook"])
    assert markdown.exit_code == 0 and "| `GLOBALEVENTID` |" in markdown.output
    data = json.loads(runner.invoke(cli, ["codebook", "--format", "json"]).output)
    assert {"scope": "gdelt", "name": "AvgTone", "type": "DOUBLE"}.items() <= data[
        [d["name"] for d in data].index("AvgTone")
    ].items()
