"""PLOVER-style records: where and from which quote an event was coded, besides who did what to whom."""

from __future__ import annotations

import datetime as dt

from eventwire import plover
from eventwire.model import Article, EventMention, Place, Quote, Sentence, Source, Span

TEXT = 'Lavrov said: "Russian forces shelled Kharkiv on Monday."'


def _article() -> Article:
    """An article with one quoted shelling, located in Kharkiv and dated by its expression."""
    article = Article("abc", TEXT, None, dt.date(2024, 5, 15), None, 0, Source("a.txt", "text"))
    article.sentences = [Sentence(0, 0, Span(0, len(TEXT), TEXT))]
    article.quotes = [
        Quote(0, Span(13, 56, TEXT[13:56]), "direct", Span(0, 6, "Lavrov"), "RUSGOV", Span(7, 11, "said"))
    ]
    article.places = [
        Place(0, 0, Span(37, 44, "Kharkiv"), "event", "Kharkiv", 706483, "UKR", 50.0, 36.25, "PPLA")
    ]
    return article


def test_record_carries_location_date_text_and_quote() -> None:
    """The record names the geocoded place with its span, the date's words, and the quote it came from."""
    article = _article()
    event = EventMention(
        0,
        0,
        Span(29, 36, "shelled"),
        "195",
        ["RUSMIL"],
        ["UKR"],
        date=dt.date(2024, 5, 13),
        date_text="on Monday",
        place=0,
        location="Kharkiv",
        quote=0,
    )
    record = plover.record(article, event)
    assert record["date"] == "2024-05-13" and record["date_text"] == "on Monday"
    assert record["location"] == {
        "name": "Kharkiv",
        "country": "UKR",
        "geonameid": 706483,
        "lat": 50.0,
        "lon": 36.25,
        "feature": "PPLA",
        "span": {"start": 37, "end": 44, "text": "Kharkiv"},
    }
    assert record["evidence"]["quote"] == {
        "kind": "direct",
        "speaker": "Lavrov",
        "speaker_code": "RUSGOV",
        "span": {"start": 13, "end": 56, "text": TEXT[13:56]},
    }


def test_record_without_place_or_quote() -> None:
    """An event with no place and outside any quote has neither, rather than a guess."""
    event = EventMention(0, 0, Span(29, 36, "shelled"), "195", ["RUSMIL"], ["UKR"], date=dt.date(2024, 5, 15))
    record = plover.record(_article(), event)
    assert record["location"] is None
    assert record["evidence"]["quote"] is None
    assert record["date_text"] is None
