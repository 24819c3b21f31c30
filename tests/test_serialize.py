"""JSON and Arrow round trips of the record model, with one schema."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pytest

from eventwire.model import Article, Entity, Failure, Sentence, Source, Span
from eventwire.serialize import arrow_schema, from_arrow, from_dict, to_arrow, to_dict, to_json


def _article() -> Article:
    """A small article with every kind of field filled."""
    text = "Talks in Geneva\n\nRussia and Ukraine met in Geneva on Monday."
    return Article(
        id="0123456789abcdef",
        text=text,
        title="Talks in Geneva",
        date=dt.date(2024, 3, 1),
        date_source="header",
        body_start=17,
        source=Source("news/a.jsonl", "jsonl", 3, "wire-17"),
        metadata={"credits": ["Jane Roe/AFP"], "nested": {"k": [1, 2]}},
        warnings=["header line has no title"],
        sentences=[Sentence(0, 0, Span(0, 15, "Talks in Geneva")), Sentence(1, 1, Span(17, 61, text[17:61]))],
        entities=[Entity(0, 0, "GPE", Span(9, 15, "Geneva")), Entity(1, 1, "GPE", Span(17, 23, "Russia"))],
        pipeline="eventwire 0.1.0; en_core_web_sm 3.8.0",
    )


def test_json_round_trip() -> None:
    """An article written as JSON reads back equal, dates as ISO strings in between."""
    article = _article()
    data = json.loads(to_json(article))
    assert data["date"] == "2024-03-01"
    assert data["source"]["external_id"] == "wire-17"
    assert from_dict(Article, data) == article


def test_arrow_round_trip() -> None:
    """An article written as an Arrow table reads back equal."""
    article = _article()
    table = to_arrow([article])
    assert table.schema == arrow_schema(Article)
    assert from_arrow(Article, table) == [article]


def test_arrow_schema_types() -> None:
    """The derived schema has the types the conventions require (dates as dates, optional fields nullable)."""
    schema = arrow_schema(Article)
    assert schema.field("date").type == pa.date32()
    assert schema.field("date").nullable
    assert not schema.field("id").nullable
    assert schema.field("metadata").type == pa.string()
    assert schema.field("metadata").metadata == {b"json": b"true"}
    span = schema.field("entities").type.value_type.field("span").type
    assert [span.field(i).name for i in range(span.num_fields)] == ["start", "end", "text"]


def test_arrow_metadata_is_json_text() -> None:
    """Free-form metadata is JSON text in Arrow and an object again when read back."""
    table = to_arrow([_article()])
    assert json.loads(table.column("metadata")[0].as_py()) == {
        "credits": ["Jane Roe/AFP"],
        "nested": {"k": [1, 2]},
    }


def test_unknown_date_round_trips_as_null() -> None:
    """An unknown publication date stays unknown in JSON and in Arrow."""
    article = _article()
    article.date = None
    assert to_dict(article)["date"] is None
    assert from_arrow(Article, to_arrow([article]))[0].date is None


def test_empty_batch_needs_its_type() -> None:
    """An empty batch gives an empty table of the right schema, or a clear error without a type."""
    assert to_arrow([], Failure).num_rows == 0
    assert to_arrow([], Failure).schema == arrow_schema(Failure)
    with pytest.raises(ValueError, match="type of an empty batch"):
        to_arrow([])


def test_to_dict_rejects_non_records() -> None:
    """Only dataclass instances are records."""
    with pytest.raises(TypeError):
        to_dict({"id": 1})
