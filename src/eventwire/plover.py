"""Event mentions as PLOVER-style records: the shape `eventwire extract --events` prints and exports reuse.

PLOVER names the two sides `actor` and `recipient` and the act `event` (a PLOVER type) with a `mode` and
`context`; eventwire adds the CAMEO code with its Goldstein score and QuadClass, its own mode flags, and the
evidence that makes every record traceable: the sentence, the trigger and argument spans, and what decided it.
"""

from __future__ import annotations

from typing import Any

from . import ontology
from .model import Article, EventMention, Span


def record(article: Article, event: EventMention) -> dict[str, Any]:
    """One event mention of an article as a PLOVER-style dictionary (JSON-ready)."""
    entry = ontology.cameo_codes().get(event.code)
    sentence = article.sentences[event.sentence].span if event.sentence < len(article.sentences) else None
    return {
        "id": f"{article.id}-{event.index}",
        "date": event.date.isoformat() if event.date else None,
        "date_text": event.date_text,
        "actor": event.source,
        "recipient": event.target,
        "event": entry.plover_type if entry else None,
        "mode": entry.plover_mode if entry else None,
        "context": list(entry.plover_context) if entry else [],
        "event_text": sentence.text if sentence else None,
        "cameo": event.code,
        "cameo_name": entry.name if entry else None,
        "goldstein": entry.goldstein if entry else None,
        "quad_class": entry.quad_class if entry else None,
        "modes": {
            "negated": event.negated,
            "hypothetical": event.hypothetical,
            "future": event.future,
            "historical": event.historical,
        },
        "attributed_to": event.attributed_to,
        "location": _location(article, event),
        "confidence": event.confidence,
        "evidence": {
            "article": article.id,
            "title": article.title,
            "source": article.source.uri,
            "url": article.source.url,
            "sentence": event.sentence,
            "sentence_span": _span(sentence) if sentence else None,
            "trigger": _span(event.trigger),
            "actor_spans": [_span(s) for s in event.source_spans],
            "recipient_spans": [_span(s) for s in event.target_spans],
            "decided_by": event.decided_by,
            "rule": event.rule,
            "quote": _quote(article, event.quote),
        },
    }


def _location(article: Article, event: EventMention) -> dict[str, Any] | None:
    """Where the event happened: the geocoded place with the span that names it, or None when not said."""
    if event.place is None or event.place >= len(article.places):
        return {"name": event.location} if event.location else None
    place = article.places[event.place]
    return {
        "name": place.name,
        "country": place.country,
        "geonameid": place.geonameid,
        "lat": place.lat,
        "lon": place.lon,
        "feature": place.feature,
        "span": _span(place.span),
    }


def _quote(article: Article, index: int | None) -> dict[str, Any] | None:
    """The quote an event was coded from: who said it, and the quoted words' span."""
    if index is None or index >= len(article.quotes):
        return None
    quote = article.quotes[index]
    return {
        "kind": quote.kind,
        "speaker": quote.speaker.text if quote.speaker else None,
        "speaker_code": quote.speaker_code,
        "span": _span(quote.span),
    }


def _span(span: Span) -> dict[str, Any]:
    """A span as start, end and text."""
    return {"start": span.start, "end": span.end, "text": span.text}
