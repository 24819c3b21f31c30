"""JSON and Arrow for the record model, with one schema derived from the dataclass definitions.

`to_dict` gives plain JSON-ready values; `to_arrow` gives a table whose schema `arrow_schema` derives from the same
type hints, so a record written either way reads back equal. Free-form `dict[str, Any]` fields (metadata) are
objects in JSON and JSON text in Arrow, because Arrow has no type for arbitrary nested values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import pyarrow as pa

T = TypeVar("T")

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
    dt.datetime: pa.timestamp("us", tz="UTC"),
}


def to_dict(record: Any) -> dict[str, Any]:
    """A dataclass record as a JSON-ready dict (dates as ISO 8601 strings)."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        raise TypeError(f"not a record: {record!r}")
    return {f.name: _plain(getattr(record, f.name)) for f in dataclasses.fields(record)}


def to_json(record: Any) -> str:
    """A record as one line of JSON."""
    return json.dumps(to_dict(record), ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any) -> Any:
    """A value converted to what JSON can hold."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_dict(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """A record of type `cls` rebuilt from `to_dict` output (or from an Arrow row)."""
    hints = _hints(typing.cast(type, cls))
    kwargs = {name: _typed(hints[name], data[name]) for name in hints if name in data}
    return cls(**kwargs)


def _typed(tp: Any, value: Any) -> Any:
    """A plain value converted back to the type `tp` declares."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _typed(inner[0], value)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_typed(item, v) for v in value]
    if origin is dict:
        return json.loads(value) if isinstance(value, str) else dict(value)
    if origin is typing.Literal:
        return value
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return from_dict(tp, value)
    if tp is dt.datetime and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if tp is dt.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a dataclass's fields, in field order."""
    resolved = typing.get_type_hints(cls)
    return {f.name: resolved[f.name] for f in dataclasses.fields(cls)}


@functools.cache
def arrow_schema(cls: type) -> pa.Schema:
    """The Arrow schema of a record type."""
    return pa.schema([_arrow_field(name, tp) for name, tp in _hints(cls).items()])


def _arrow_field(name: str, tp: Any) -> pa.Field:
    """The Arrow field for one dataclass field."""
    nullable = False
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = typing.get_args(tp)
        nullable = type(None) in args
        tp = next(a for a in args if a is not type(None))
    metadata = {"json": "true"} if typing.get_origin(tp) is dict else None
    return pa.field(name, _arrow_type(tp), nullable=nullable, metadata=metadata)


def _arrow_type(tp: Any) -> pa.DataType:
    """The Arrow type for a Python type hint."""
    origin = typing.get_origin(tp)
    if tp in _SCALARS:
        return _SCALARS[tp]
    if origin is typing.Literal:
        return pa.string()
    if origin is list:
        (item,) = typing.get_args(tp)
        return pa.list_(_arrow_field("item", item))
    if origin is dict:
        return pa.string()
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return pa.struct(list(arrow_schema(tp)))
    raise TypeError(f"no Arrow type for {tp!r}")


def to_arrow(records: Sequence[Any], cls: type | None = None) -> pa.Table:
    """Records of one type as an Arrow table with the type's schema."""
    if cls is None:
        if not records:
            raise ValueError("the type of an empty batch of records must be given")
        cls = type(records[0])
    rows = [_arrow_row(cls, to_dict(r)) for r in records]
    return pa.Table.from_pylist(rows, schema=arrow_schema(cls))


def _arrow_row(cls: type, row: dict[str, Any]) -> dict[str, Any]:
    """A `to_dict` row with free-form dicts turned into JSON text and nested records recursed into."""
    out = dict(row)
    for name, tp in _hints(cls).items():
        out[name] = _arrow_value(tp, row.get(name))
    return out


def _arrow_value(tp: Any, value: Any) -> Any:
    """One value of a `to_dict` row prepared for Arrow."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        inner = next(a for a in typing.get_args(tp) if a is not type(None))
        return _arrow_value(inner, value)
    if origin is dict:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_arrow_value(item, v) for v in value]
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _arrow_row(tp, value)
    if tp is dt.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if tp is dt.datetime and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def from_arrow(cls: type[T], table: pa.Table) -> list[T]:
    """Records rebuilt from an Arrow table written by `to_arrow`."""
    return [from_dict(cls, row) for row in table.to_pylist()]


def iter_json(records: Iterable[Any]) -> Iterable[str]:
    """Records as JSON Lines, one string per record."""
    return (to_json(r) for r in records)
