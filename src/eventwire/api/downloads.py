"""Downloads: any listing of the API streamed as CSV, Parquet or JSON Lines, batch by batch.

The items are those the JSON pages hold, flattened for tables: a nested object becomes columns named
`object.field`, a list of records (spans) JSON text; CSV joins lists of codes with `;` as the exports do. Only one
batch of rows is held at a time, so a download of a million events keeps the server's memory flat.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

Format = Literal["json", "csv", "parquet", "jsonl"]
FORMATS: tuple[Format, ...] = ("json", "csv", "parquet", "jsonl")
DOWNLOADS: tuple[Format, ...] = ("csv", "parquet", "jsonl")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "jsonl": "application/x-ndjson",
}
EXTENSIONS = {"csv": "csv", "parquet": "parquet", "jsonl": "jsonl"}
# Columns that hold lists of codes or names, whatever their first rows hold (often nothing).
_LISTS = {
    "source",
    "target",
    "source_names",
    "target_names",
    "machine.source",
    "machine.target",
    "machine_source",
    "machine_target",
    "roles",
}


def json_default(value: Any) -> Any:
    """What JSON cannot hold as it is: dates and times as ISO 8601, anything else as text."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def flat(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """An item as one table row: nested objects as `object.field` columns, lists of records as JSON text."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flat(value, f"{name}."))
        elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
            row[name] = json.dumps(value, default=json_default, ensure_ascii=False)
        else:
            row[name] = value
    return row


def stream(batches: Iterable[list[dict[str, Any]]], fmt: Format) -> Iterator[bytes]:
    """The bytes of a download, one chunk per batch of items."""
    if fmt == "csv":
        return _csv(batches)
    if fmt == "parquet":
        return _parquet(batches)
    return _jsonl(batches)


def _jsonl(batches: Iterable[list[dict[str, Any]]]) -> Iterator[bytes]:
    """JSON Lines: one item per line, as the JSON pages write it."""
    for items in batches:
        yield "".join(json.dumps(i, default=json_default, ensure_ascii=False) + "\n" for i in items).encode()


def _csv(batches: Iterable[list[dict[str, Any]]]) -> Iterator[bytes]:
    """CSV with a header row (the columns of the first batch; an empty result has none)."""
    columns: list[str] | None = None
    for items in batches:
        rows = [flat(i) for i in items]
        if not rows:
            continue
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if columns is None:
            columns = list(rows[0])
            writer.writerow(columns)
        writer.writerows([_cell(r.get(c)) for c in columns] for r in rows)
        yield buffer.getvalue().encode()


def _cell(value: Any) -> str:
    """A value as a CSV cell: lists joined with `;`, dates ISO 8601, booleans true/false, nothing empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join("" if v is None else str(v) for v in value)
    if isinstance(value, dt.date):
        return str(json_default(value))
    return str(value)


class _Sink(io.RawIOBase):
    """A write-only file that keeps what is written until it is taken: Parquet bytes sent as they are made."""

    def __init__(self) -> None:
        """Nothing written yet."""
        super().__init__()
        self.chunks: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        """It is written to."""
        return True

    def write(self, data: Any) -> int:
        """Keep the bytes."""
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        """Bytes written so far (Parquet records offsets)."""
        return self.position

    def take(self) -> bytes:
        """The bytes written since the last take."""
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


def _parquet(batches: Iterable[list[dict[str, Any]]]) -> Iterator[bytes]:
    """Parquet, one row group per batch, its schema taken from the first batch (`schema_of`)."""
    sink = _Sink()
    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None
    for items in batches:
        rows = [flat(i) for i in items]
        if not rows:
            continue
        if schema is None:
            schema = schema_of(rows)
            writer = pq.ParquetWriter(sink, schema)
        assert writer is not None
        writer.write_table(_table(rows, schema))
        yield sink.take()
    if writer is None:
        # An empty result is still a Parquet file, with no columns.
        writer = pq.ParquetWriter(sink, pa.schema([]))
    writer.close()
    yield sink.take()


def schema_of(rows: list[dict[str, Any]]) -> pa.Schema:
    """Column types from the first non-null value of each column; lists of codes are lists; text otherwise."""
    fields = []
    for name in rows[0]:
        if name in _LISTS:
            fields.append(pa.field(name, pa.list_(pa.string())))
            continue
        sample = next((r.get(name) for r in rows if r.get(name) is not None), None)
        fields.append(pa.field(name, _type_of(sample)))
    return pa.schema(fields)


def _type_of(value: Any) -> pa.DataType:
    """The Arrow type of a value (text when unknown or absent)."""
    if isinstance(value, bool):
        return pa.bool_()
    if isinstance(value, int):
        return pa.int64()
    if isinstance(value, float):
        return pa.float64()
    if isinstance(value, dt.datetime):
        return pa.timestamp("us", tz="UTC")
    if isinstance(value, dt.date):
        return pa.date32()
    return pa.string()


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Rows as a table of the schema; a value that does not fit its column's type is written as text, or
    dropped where the column is not text (types come from the first rows)."""
    columns = []
    for field in schema:
        values = [r.get(field.name) for r in rows]
        columns.append(_array(values, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _array(values: list[Any], kind: pa.DataType) -> pa.Array:
    """An Arrow array of a type from Python values, coercing the ones that do not fit."""
    if pa.types.is_string(kind):
        return pa.array([None if v is None else v if isinstance(v, str) else _cell(v) for v in values], kind)
    try:
        return pa.array(values, kind)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pa.array([v if _fits(v, kind) else None for v in values], kind)


def _fits(value: Any, kind: pa.DataType) -> bool:
    """Whether one value converts to an Arrow type."""
    try:
        pa.array([value], kind)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return False
    return True
