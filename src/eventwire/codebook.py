"""The codebook: every column of the stored tables and of every export format, with its type and meaning.

Names and types are read from the schema itself (a fresh store's tables, each export query run on no rows), and
meanings from `MEANINGS` below, written once: a column without a meaning, or a meaning without a column, fails the
tests, so the codebook cannot drift from the schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import pyarrow as pa

from . import exports
from .store import Store

# Each export part and where meanings it shares with others are written (first match wins).
EXPORTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "gdelt": ("gdelt", "events", ()),
    "gdelt-mentions": ("gdelt-mentions", "mentions", ()),
    "plover": ("plover", "events", ()),
    "csv": ("csv", "events", ("events",)),
    "parquet/events": ("parquet", "events", ("events",)),
    "parquet/mentions": ("parquet", "mentions", ("event_mentions", "plover.mentions[]")),
    "geojson": ("geojson", "events", ("events",)),
}

_SPAN = "start_char, end_char and text of"
_EMPTY = "empty: eventwire does not"

# Meanings: `scope.column` for one table or export, a bare name for a column every table means the same by.
MEANINGS: dict[str, str] = {
    # Shared by the annotation tables.
    "article_id": "id of the article (articles.id)",
    "idx": "position of the row among the article's rows of this table, from 0",
    "sentence_idx": "sentence (sentences.idx) the row lies in",
    "start_char": "offset of the first character in the article's stored text",
    "end_char": "offset just past the last character in the article's stored text",
    "text": "the characters between start_char and end_char",
    # Tables.
    "articles.id": "hash of the normalised body: the same text read twice is one article",
    "articles.title": "headline, when the input gave one",
    "articles.pub_date": "publication date",
    "articles.date_source": "where pub_date came from (header, metadata, --date…)",
    "articles.text": "stored text: title, a blank line, the cleaned body; every offset points into it",
    "articles.body_start": "offset where the body starts",
    "articles.n_sentences": "sentences found",
    "articles.n_entities": "named entities found",
    "articles.metadata": "JSON: other fields of the input, photo credits, removed boilerplate",
    "articles.pipeline": "pipeline and version that coded the article",
    "articles.ingested_at": "when the article was first stored",
    "sources.uri": "file (or <stdin>) the article was read from",
    "sources.line": "line of a JSON Lines file (0 for a whole file)",
    "sources.format": "input format detected or forced",
    "sources.external_id": "the input's own id",
    "sources.url": "web address given by the input",
    "sources.first_seen": "when this source was first read",
    "sentences.paragraph": "paragraph of the sentence (0 is the title)",
    "entities.label": "spaCy entity label (PERSON, GPE, ORG…)",
    "errors.id": "hash of source, line, stage and code (and a warning's text)",
    "errors.source": "file the document came from",
    "errors.line": "line of the document in the file",
    "errors.stage": "pipeline stage that failed",
    "errors.code": "error code (docs/errors.md)",
    "errors.level": "error or warning",
    "errors.reason": "what went wrong",
    "errors.article_id": "article concerned, when it was stored",
    "errors.first_seen": "first time the problem was seen",
    "errors.last_seen": "latest time the problem was seen",
    "errors.attempts": "times the problem was seen",
    "errors.resolved_at": "when a later run stored the document",
    "actors.code": "CAMEO-style actor code on the article's date (docs/actor-codes.md); null when uncoded",
    "actors.name": "canonical name of the coded actor",
    "actors.country": "ISO3 country of the actor",
    "actors.sectors": "role codes found (GOV, MIL…)",
    "actors.wikidata": "Wikidata id, when known",
    "actors.head": "head noun of the mention",
    "actors.via": "how the code was found (dictionary, role, metonymy, country, coreference…)",
    "actors.coded": "whether a code was found",
    "event_mentions.idx": "position of the mention among the article's mentions, from 0",
    "event_mentions.trigger_start": "offset of the trigger's first character",
    "event_mentions.trigger_end": "offset just past the trigger",
    "event_mentions.trigger_text": "the trigger words",
    "event_mentions.code": "CAMEO event code",
    "event_mentions.root": "two-digit CAMEO root",
    "event_mentions.plover_type": "PLOVER event type of the code",
    "event_mentions.plover_mode": "PLOVER mode of the code",
    "event_mentions.plover_context": "PLOVER contexts of the code, joined with ;",
    "event_mentions.goldstein": "Goldstein score of the code (-10 conflict to +10 cooperation)",
    "event_mentions.quad_class": "QuadClass: 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict",
    "event_mentions.source": "actor codes of the source side",
    "event_mentions.target": "actor codes of the target side",
    "event_mentions.source_spans": f"{_SPAN} each source actor mention",
    "event_mentions.target_spans": f"{_SPAN} each target actor mention",
    "event_mentions.negated": "the text says it did not happen",
    "event_mentions.hypothetical": "the text says it might happen",
    "event_mentions.future": "announced for later",
    "event_mentions.historical": "recalled from the past",
    "event_mentions.attributed_to": "actor code of who the text says reported it",
    "event_mentions.event_date": "date of the act (its date expression, else the publication date)",
    "event_mentions.location": "name of where it happened",
    "event_mentions.confidence": "confidence of the coding, 0 to 1",
    "event_mentions.decided_by": "what decided the code (lexicon, classifier…)",
    "event_mentions.rule": "lexicon row (file:line) that decided it",
    "event_mentions.date_text": "the date expression the date came from",
    "event_mentions.place_idx": "place (places.idx) of the act",
    "event_mentions.quote_idx": "quote (quotes.idx) the act was coded from",
    "quotes.kind": "direct or indirect speech",
    "quotes.speaker_start": "offset of the speaker's mention",
    "quotes.speaker_end": "offset just past the speaker's mention",
    "quotes.speaker_text": "the speaker's mention",
    "quotes.speaker_code": "actor code of the speaker",
    "quotes.cue_start": "offset of the speech verb",
    "quotes.cue_end": "offset just past the speech verb",
    "quotes.cue_text": "the speech verb",
    "places.role": "what the place is in the sentence (event place, actor, mentioned…)",
    "places.name": "gazetteer name",
    "places.geonameid": "GeoNames feature id",
    "places.country": "ISO3 country",
    "places.lat": "latitude, decimal degrees",
    "places.lon": "longitude, decimal degrees",
    "places.feature": "GeoNames feature code (PCLI country, ADM1 region, PPL… city)",
    "dates.value": "normalised date (ISO 8601), null when vague",
    "article_copies.outlet": "publisher, from metadata or the web address",
    "article_copies.minhash": "MinHash signature of the body",
    "article_copies.copy_of": "first article of its near-copy group (itself when none)",
    "article_copies.similarity": "estimated Jaccard similarity to copy_of",
    "article_bands.band": "band of the MinHash signature",
    "article_bands.hash": "hash of the band's values (near copies share one)",
    "events.id": "event id: ev + 16 hex digits of its first mention's hash; never changes",
    "events.code": "CAMEO code most of its mentions give",
    "events.root": "two-digit CAMEO root",
    "events.plover_type": "PLOVER event type",
    "events.plover_mode": "PLOVER mode",
    "events.goldstein": "Goldstein score of the code",
    "events.quad_class": "QuadClass: 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict",
    "events.source": "actor codes of the source side most mentions give",
    "events.target": "actor codes of the target side most mentions give",
    "events.event_date": "date of the event",
    "events.location": "name of the event's place",
    "events.geonameid": "GeoNames id of the place",
    "events.country": "ISO3 country of the place",
    "events.lat": "latitude of the place",
    "events.lon": "longitude of the place",
    "events.num_mentions": "mentions linked to the event",
    "events.num_articles": "distinct articles among them",
    "events.num_sources": "distinct outlets (near copies of a story count once)",
    "events.num_stories": "independent reports: articles, near copies counted once",
    "events.first_seen": "earliest publication date of its articles",
    "events.last_seen": "latest publication date of its articles",
    "events.confidence": "1 − Π(1 − best confidence of each story)",
    "events.updated_at": "when the event row was last recomputed",
    "event_links.mention_idx": "mention (event_mentions.idx)",
    "event_links.event_id": "event (events.id) the mention reports",
    "settings.key": "setting name (match_rule…)",
    "settings.value": "its value, JSON",
    "corrections.id": "correction number, in the order stored; an event's corrections apply in this order",
    "corrections.event_id": "event (events.id) corrected",
    "corrections.verdict": (
        "right (the coding in force confirmed), wrong (the event hidden until a later right or fix), fixed (the "
        "values given replace those in force) or reset (back to the machine's coding)"
    ),
    "corrections.code": "corrected CAMEO code (fixed only)",
    "corrections.root": "root of the corrected code",
    "corrections.plover_type": "PLOVER type of the corrected code",
    "corrections.plover_mode": "PLOVER mode of the corrected code",
    "corrections.goldstein": "Goldstein score of the corrected code",
    "corrections.quad_class": "QuadClass of the corrected code",
    "corrections.source": "corrected source actor codes (fixed only)",
    "corrections.target": "corrected target actor codes (fixed only)",
    "corrections.event_date": "corrected event date (fixed only)",
    "corrections.machine_code": "the event's machine code when the correction was made",
    "corrections.machine_source": "the event's machine source actors then",
    "corrections.machine_target": "the event's machine target actors then",
    "corrections.machine_date": "the event's machine date then",
    "corrections.author": "who made the correction",
    "corrections.note": "why, in the analyst's words",
    "corrections.created_at": "when the correction was stored",
    "schema_migrations.version": "migration number",
    "schema_migrations.name": "what it changed",
    "schema_migrations.applied_at": "when it was applied",
    # eventwire watch (docs/watch.md).
    "feeds.url": "feed address as listed in the feeds file (normalised)",
    "feeds.title": "the feed's own title",
    "feeds.etag": "ETag of the feed's last answer, sent back as If-None-Match",
    "feeds.last_modified": "Last-Modified of the feed's last answer, sent back as If-Modified-Since",
    "feeds.last_polled": "when the feed was last asked for",
    "feeds.failures": "failed polls in a row (0 once it answers)",
    "feeds.next_poll_after": "no poll before this time (backoff after failures)",
    "feeds.last_error": "why the last poll failed",
    "feed_items.url": "article address a feed listed, normalised (no fragment, no utm_* …): fetched at most once",
    "feed_items.feed_url": "feed (feeds.url) that listed it first",
    "feed_items.guid": "the entry's id in the feed",
    "feed_items.title": "the entry's title",
    "feed_items.published": "the entry's date, used when the page declares none",
    "feed_items.seen_at": "when a feed first listed it",
    "feed_items.status": "pending, done (stored), failed or disallowed (robots.txt)",
    "feed_items.attempts": "fetches that failed",
    "feed_items.next_try_after": "no fetch before this time (backoff after failures)",
    "feed_items.last_error": "why the last fetch failed",
    "feed_items.article_id": "article (articles.id) stored from it",
    "feed_items.done_at": "when it was stored, or given up",
    "hosts.host": "host (and port) requests go to",
    "hosts.failures": "failed requests in a row (timeouts, 429, 5xx)",
    "hosts.next_request_after": "no request to the host before this time",
    "hosts.last_error": "why its last request failed",
    # CSV, GeoJSON, Parquet.
    "csv.source": "actor codes of the source side, joined with ;",
    "csv.target": "actor codes of the target side, joined with ;",
    "geojson.type": "always Feature",
    "geojson.id": "event id",
    "geojson.geometry": "where: a GeoJSON Point",
    "geojson.geometry.type": "always Point",
    "geojson.geometry.coordinates": "[longitude, latitude]",
    "geojson.properties": "the columns of the csv export",
    "geojson.properties.source": "actor codes of the source side, joined with ;",
    "geojson.properties.target": "actor codes of the target side, joined with ;",
    "parquet/events.year": "partition: year of the event date (directory year=…)",
    "parquet/events.month": "partition: month of the event date (directory month=…)",
    **{
        f"parquet/mentions.{side}_spans[].{part}": meaning
        for side in ("source", "target")
        for part, meaning in (
            ("start_char", "offset of the actor mention"),
            ("end_char", "offset just past it"),
            ("text", "its words"),
        )
    },
    "parquet/mentions.year": "partition: year of the event's date (directory year=…)",
    "parquet/mentions.month": "partition: month of the event's date (directory month=…)",
    "parquet/mentions.event_id": "event (events.id) the mention reports",
    "parquet/mentions.mention_idx": "mention (event_mentions.idx)",
    "parquet/mentions.mention_date": "the mention's own event date",
    "parquet/mentions.sentence": "text of the sentence",
    "parquet/mentions.title": "the article's title",
    "parquet/mentions.pub_date": "the article's publication date",
    "parquet/mentions.url": "the article's web address (first source that has one)",
    "parquet/mentions.outlet": "the article's publisher",
    "parquet/mentions.copy_of": "first article of the article's near-copy group",
    # PLOVER.
    "plover.id": "event id",
    "plover.date": "date of the event",
    "plover.actor": "actor codes of the source side",
    "plover.recipient": "actor codes of the target side",
    "plover.event": "PLOVER event type",
    "plover.mode": "PLOVER mode",
    "plover.context": "PLOVER contexts",
    "plover.cameo": "CAMEO code",
    "plover.cameo_name": "name of the CAMEO code",
    "plover.goldstein": "Goldstein score",
    "plover.quad_class": "QuadClass (1-4)",
    "plover.location": "where: null when not said",
    "plover.location.name": "name of the place",
    "plover.location.country": "ISO3 country",
    "plover.location.geonameid": "GeoNames id",
    "plover.location.lat": "latitude",
    "plover.location.lon": "longitude",
    "plover.num_mentions": "mentions of the event",
    "plover.num_articles": "articles reporting it",
    "plover.num_sources": "distinct outlets reporting it",
    "plover.num_stories": "independent reports",
    "plover.first_seen": "first publication date",
    "plover.last_seen": "last publication date",
    "plover.confidence": "the event's confidence, 0 to 1",
    "plover.mentions": "every mention of the event, earliest report first",
    "plover.mentions[].article": "article id",
    "plover.mentions[].title": "article title",
    "plover.mentions[].published": "article publication date",
    "plover.mentions[].url": "article web address",
    "plover.mentions[].source": "web address, else the file the article was read from",
    "plover.mentions[].outlet": "publisher",
    "plover.mentions[].copy_of": "first article of its near-copy group",
    "plover.mentions[].sentence": "sentence index (from 0)",
    "plover.mentions[].event_text": "text of the sentence",
    "plover.mentions[].trigger": f"{_SPAN} the trigger words",
    "plover.mentions[].actor_spans": f"{_SPAN} each source actor mention",
    "plover.mentions[].recipient_spans": f"{_SPAN} each target actor mention",
    "plover.mentions[].cameo": "CAMEO code of this mention",
    "plover.mentions[].date_text": "date expression the date came from",
    "plover.mentions[].attributed_to": "actor code of who the text says reported it",
    "plover.mentions[].confidence": "confidence of this mention, 0 to 1",
    "plover.mentions[].decided_by": "what decided the code",
    "plover.mentions[].rule": "lexicon row that decided it",
    # GDELT 2.0 Events.
    "gdelt.GLOBALEVENTID": "first 15 hex digits of the event id as an integer (stable)",
    "gdelt.SQLDATE": "event date, YYYYMMDD",
    "gdelt.MonthYear": "YYYYMM",
    "gdelt.Year": "YYYY",
    "gdelt.FractionDate": "year + share of the year before the event day, 4 decimals",
    **{
        f"gdelt.Actor{n}{part}": meaning
        for n, side in ((1, "source"), (2, "target"))
        for part, meaning in (
            ("Code", f"first actor code of the {side} side (all of them: csv, plover, parquet)"),
            ("Name", "name of the code's country (ISO 3166 short name); empty for international actors"),
            ("CountryCode", "ISO3 country of the code (GDELT: CAMEO country codes)"),
            ("KnownGroupCode", f"{_EMPTY} code known groups separately"),
            ("EthnicCode", f"{_EMPTY} code ethnicity"),
            ("Religion1Code", f"{_EMPTY} code religion"),
            ("Religion2Code", f"{_EMPTY} code religion"),
            (
                "Type1Code",
                "first role part after the country (GOV, MIL…), or the kind of an international actor (IGO…)",
            ),
            ("Type2Code", "second role part"),
            ("Type3Code", "third role part"),
        )
    },
    "gdelt.IsRootEvent": "1 when a mention is in a title or first paragraph",
    "gdelt.EventCode": "CAMEO code",
    "gdelt.EventBaseCode": "CAMEO code at level 2 (3 digits)",
    "gdelt.EventRootCode": "CAMEO root (2 digits)",
    "gdelt.QuadClass": "QuadClass (1-4)",
    "gdelt.GoldsteinScale": "Goldstein score of the code",
    "gdelt.NumMentions": "mentions of the event",
    "gdelt.NumSources": "distinct outlets",
    "gdelt.NumArticles": "distinct articles",
    "gdelt.AvgTone": f"{_EMPTY} compute tone",
    **{
        f"gdelt.Actor{n}Geo_{part}": f"{_EMPTY} locate actors"
        for n in (1, 2)
        for part in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
    },
    "gdelt.ActionGeo_Type": "1 country, 2 US state, 3 US city, 4 world city, 5 world region (from the GeoNames feature)",
    "gdelt.ActionGeo_FullName": "name of the event's place",
    "gdelt.ActionGeo_CountryCode": "ISO3 country of the place (GDELT: FIPS 10-4)",
    "gdelt.ActionGeo_ADM1Code": f"{_EMPTY} keep region codes with events",
    "gdelt.ActionGeo_ADM2Code": f"{_EMPTY} keep region codes with events",
    "gdelt.ActionGeo_Lat": "latitude of the place",
    "gdelt.ActionGeo_Long": "longitude of the place",
    "gdelt.ActionGeo_FeatureID": "GeoNames id of the place",
    "gdelt.DATEADDED": "first publication date of its reports, YYYYMMDD000000",
    "gdelt.SOURCEURL": "web address of the first report, else the file it was read from",
    # GDELT 2.0 Mentions.
    "gdelt-mentions.GLOBALEVENTID": "the event's GlobalEventID",
    "gdelt-mentions.EventTimeDate": "the event's DATEADDED",
    "gdelt-mentions.MentionTimeDate": "publication date of the article, YYYYMMDD000000",
    "gdelt-mentions.MentionType": "1 web address, 2 citation only (a file without an address)",
    "gdelt-mentions.MentionSourceName": "outlet of the article",
    "gdelt-mentions.MentionIdentifier": "web address, else the file the article was read from",
    "gdelt-mentions.SentenceID": "sentence of the mention, from 1",
    "gdelt-mentions.Actor1CharOffset": "offset of the first source actor mention; -1 when not named",
    "gdelt-mentions.Actor2CharOffset": "offset of the first target actor mention; -1 when not named",
    "gdelt-mentions.ActionCharOffset": "offset of the trigger",
    "gdelt-mentions.InRawText": f"{_EMPTY} record it",
    "gdelt-mentions.Confidence": "confidence of the mention, 0-100",
    "gdelt-mentions.MentionDocLen": "characters of the stored article text",
    "gdelt-mentions.MentionDocTone": f"{_EMPTY} compute tone",
    "gdelt-mentions.MentionDocTranslationInfo": f"{_EMPTY} translate",
    "gdelt-mentions.Extras": f"{_EMPTY} fill it",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One codebook row: where the column is, its name, type and meaning (None when none is written)."""

    scope: str
    name: str
    type: str
    meaning: str | None


def meaning(scope: str, name: str, shared: tuple[str, ...] = ()) -> str | None:
    """A column's meaning: its own, else the one of a scope it shares, else the meaning of its bare name."""
    leaf = name.removeprefix("properties.")
    keys = [f"{scope}.{name}", *(f"{other}.{leaf}" for other in shared)]
    if "." not in name and "[" not in name:
        keys.append(name)
    return next((MEANINGS[k] for k in keys if k in MEANINGS), None)


def columns() -> Iterator[Column]:
    """Every column of every stored table, then of every export, read from a fresh in-memory store."""
    with Store(":memory:") as store:
        rows = store.con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "ORDER BY table_name, ordinal_position"
        ).fetchall()
        for table, name, kind in rows:
            yield Column(table, name, kind, meaning(table, name))
        for scope, (fmt, part, shared) in EXPORTS.items():
            for name, kind in _flatten(exports.schema(store.con, fmt, part)):
                yield Column(scope, name, kind, meaning(scope, name, shared))


def _flatten(schema: pa.Schema) -> Iterator[tuple[str, str]]:
    """Top-level fields, then the fields of structs (`a.b`) and lists of structs (`a[].b`), one level down."""
    for field in schema:
        inner, suffix = field.type, "."
        if pa.types.is_list(inner) and pa.types.is_struct(inner.value_type):
            inner, suffix = inner.value_type, "[]."
        if not pa.types.is_struct(inner):
            yield field.name, _type(field.type)
            continue
        # The fields are listed below their parent, which is named for what it is.
        yield field.name, "STRUCT[]" if suffix == "[]." else "STRUCT"
        for child in inner:
            yield f"{field.name}{suffix}{child.name}", _type(child.type)


def _type(kind: pa.DataType) -> str:
    """An Arrow type in the store's SQL words."""
    if pa.types.is_list(kind):
        return f"{_type(kind.value_type)}[]"
    if pa.types.is_struct(kind):
        return "STRUCT(" + ", ".join(f"{c.name} {_type(c.type)}" for c in kind) + ")"
    simple = {
        pa.string(): "VARCHAR",
        pa.large_string(): "VARCHAR",
        pa.int16(): "SMALLINT",
        pa.int32(): "INTEGER",
        pa.int64(): "BIGINT",
        pa.float64(): "DOUBLE",
        pa.bool_(): "BOOLEAN",
        pa.date32(): "DATE",
    }
    if pa.types.is_timestamp(kind):
        return "TIMESTAMPTZ" if kind.tz else "TIMESTAMP"
    return simple.get(kind, str(kind).upper())


def to_markdown(rows: list[Column]) -> str:
    """The codebook as Markdown: one table per stored table and export."""
    out = ["# eventwire codebook", ""]
    for scope in dict.fromkeys(r.scope for r in rows):
        title = f"Export `{scope}`" if scope in EXPORTS else f"Table `{scope}`"
        out += [f"## {title}", "", "| column | type | meaning |", "|---|---|---|"]
        out += [f"| `{r.name}` | {r.type} | {r.meaning or ''} |" for r in rows if r.scope == scope]
        out.append("")
    return "\n".join(out)


def to_json(rows: list[Column]) -> str:
    """The codebook as a JSON list of {scope, name, type, meaning}."""
    return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1)
