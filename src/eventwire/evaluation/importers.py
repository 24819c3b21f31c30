"""The field's gold formats read into eventwire's gold items, so every dataset is scored the same way.

Each importer is `(path) -> Iterator[GoldItem]` and sets `origin` to its own name; `IMPORTERS` lists them,
`detect_format` picks one (or eventwire's own format) from a file's extension and first bytes, and `import_gold`
reads a file whatever its format. Only what a format annotates is filled in: the other lists stay `None` (not
scored). Every span is checked to slice the item's text to what it says; input that cannot be read that way is a
`MalformedRecord` naming the file (and the line, where the format has lines).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import MalformedRecord, UsageError
from ..model import trimmed
from ..ontology import cameo_codes, normalise_code
from .gold import (
    GoldCluster,
    GoldDate,
    GoldEntity,
    GoldEvent,
    GoldItem,
    GoldPlace,
    GoldQuote,
    is_cluster_record,
    read_clusters,
    read_gold,
)

Importer = Callable[[str | Path], Iterator[GoldItem]]

# Characters a direct quote opens with; PolNeAR keeps the marks inside its Content spans.
QUOTE_MARKS = "\"“”„«»‘’'"
# TimeML values that name no point in time ("now", "in the past"): a date without a value.
VAGUE_TIMEX = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})
# Only points in time are dates; durations ("three months") and sets ("every week") are not.
DATE_TIMEX_TYPES = frozenset({"DATE", "TIME"})
# How far (in characters) a geoparsing toponym is looked for when its offsets miss its phrase.
TOPONYM_WINDOW = 50

_IOB = re.compile(r"O|[BI]-(PER|ORG|LOC|MISC)")
_BRAT_ID = re.compile(r"(?:[TERAMN]\d+|#\d*|\*)\t")
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def _error(reason: str, path: str | Path, line: int | None = None) -> MalformedRecord:
    """The error for input that cannot be read as its format says."""
    return MalformedRecord(reason, source=str(path), line=line)


def _date(value: str | None, path: str | Path, line: int | None = None) -> dt.date | None:
    """A date from `YYYY-MM-DD`, `YYYYMMDD` or an ISO timestamp; None for an empty value."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{8}", text):
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise _error(f"not a date: {value!r}", path, line) from exc


def _parse_xml(path: str | Path) -> ET.Element:
    """The root element of an XML file; a parse error names the line."""
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise _error(f"not well-formed XML: {exc}", path, exc.position[0]) from exc
    except OSError as exc:
        raise _error(f"cannot read: {exc}", path) from exc


def _files(path: str | Path, suffix: str) -> list[Path]:
    """The file itself, or every file with that suffix under a directory, in a stable order."""
    root = Path(path)
    if root.is_dir():
        return sorted(root.rglob(f"*{suffix}"))
    return [root]


def _spaced(text: str | None) -> str:
    """Text with every run of whitespace made one space, stripped."""
    return " ".join((text or "").split())


# --- PLOVER ------------------------------------------------------------------------------------------------------


@functools.cache
def plover_to_cameo() -> dict[str, str]:
    """The CAMEO code standing for each PLOVER event type: the general code of its main CAMEO root.

    The main root is the root that maps to the type and gives it most codes (ties: the lower root), and its
    general code is the `x0` code: CONSULT → `040`, ASSAULT → `180`, ACCUSE → `110` (not `090`, investigate),
    REQUEST → `020`. RETREAT owns no root and takes its shortest, lowest code, `084`.
    """
    codes = cameo_codes()
    counts = Counter((entry.plover_type, entry.root) for entry in codes.values() if entry.plover_type)
    table = {}
    for plover in sorted({plover for plover, _ in counts}):
        roots = [root for (p, root) in counts if p == plover and codes[root].plover_type == plover]
        if roots:
            main = max(roots, key=lambda root: (counts[plover, root], -int(root)))
            table[plover] = f"{main}0" if f"{main}0" in codes else main
        else:
            table[plover] = min(
                (c for c, e in codes.items() if e.plover_type == plover), key=lambda c: (len(c), c)
            )
    return table


def read_plover(path: str | Path) -> Iterator[GoldItem]:
    """PLOVER event records (a JSON array or JSON Lines), one item with one event per record.

    A PLOVER record carries a PLOVER event type, not a CAMEO code, while a gold event needs a CAMEO code: the
    event gets the general code of the type's main CAMEO root (`plover_to_cameo`: CONSULT → `040`), which maps
    back to the same type, and the item keeps the exact type as the tag `plover:<TYPE>` (with `plover-mode:` and
    `plover-context:` tags). Scoring at the PLOVER level is therefore exact; the CAMEO code only stands for the
    type and should not be scored below it. Actor fields (`source` or `actor`, `target` or `recipient`; a string
    or a list) are kept as given: codes are normalised when scored. An empty `event` means the text reports no
    event (`events=[]`).
    """
    for number, line, record in _json_records(path):
        yield _plover_item(record, path, line, f"{Path(path).stem}-{number}")


def _json_records(path: str | Path) -> Iterator[tuple[int, int | None, dict[str, Any]]]:
    """Objects from a JSON array or JSON Lines file: ordinal, line (JSON Lines only) and object."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(f"cannot read: {exc}", path) from exc
    if raw.lstrip().startswith("["):
        try:
            records = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _error(f"not valid JSON: {exc.msg}", path, exc.lineno) from exc
        for number, record in enumerate(records, start=1):
            yield number, None, _object(record, path, None, number)
        return
    number = 0
    for line, text in enumerate(raw.splitlines(), start=1):
        if not text.strip():
            continue
        number += 1
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _error(f"not valid JSON: {exc.msg}", path, line) from exc
        yield number, line, _object(record, path, line, number)


def _object(record: Any, path: str | Path, line: int | None, number: int) -> dict[str, Any]:
    """A record that must be a JSON object."""
    if not isinstance(record, dict):
        raise _error(f"record {number} is {type(record).__name__}, not an object", path, line)
    return record


def _plover_item(record: dict[str, Any], path: str | Path, line: int | None, default_id: str) -> GoldItem:
    """One PLOVER record as a gold item."""
    item_id = str(record.get("id") or default_id)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _error(f"record {item_id!r} has no text", path, line)
    if "event" not in record:
        raise _error(f"record {item_id!r} has no event", path, line)
    event_date = _date(record.get("date"), path, line)
    item = GoldItem(
        id=item_id,
        text=text,
        date=_date(record.get("publication_date"), path, line) or event_date,
        origin="plover",
        events=[],
    )
    plover = str(record.get("event") or "").strip().upper()
    if not plover:
        item.tags.append("no-event")
        return item
    table = plover_to_cameo()
    if plover not in table:
        raise _error(
            f"record {item_id!r}: {plover!r} is not a PLOVER event type ({', '.join(table)})", path, line
        )
    item.tags.append(f"plover:{plover}")
    if mode := str(record.get("mode") or "").strip():
        item.tags.append(f"plover-mode:{mode}")
    item.tags.extend(f"plover-context:{c}" for c in _list(record.get("context"), path, line, "context"))
    source = record.get("source", record.get("actor"))
    target = record.get("target", record.get("recipient"))
    item.events = [
        GoldEvent(
            source=_list(source, path, line, "source"),
            target=_list(target, path, line, "target"),
            code=table[plover],
            trigger=record.get("trigger") if isinstance(record.get("trigger"), str) else None,
            date=event_date,
        )
    ]
    return item


def _list(value: Any, path: str | Path, line: int | None, field: str) -> list[str]:
    """A field that may be absent, one string (several separated by `;` or `,` for contexts) or a list."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        parts = re.split(r"[;,]", value) if field == "context" else [value]
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise _error(f"{field} must be a string or a list of strings, not {value!r}", path, line)


# --- PETRARCH ----------------------------------------------------------------------------------------------------


def read_petrarch(path: str | Path) -> Iterator[GoldItem]:
    """PETRARCH validation records: one item per `<Sentence>`, one event per `<EventCoding>`.

    Compound actors are separate codings in this format (one per dyad), and stay separate events. A sentence
    marked `noevents="True"` (on itself or on a coding) or expected to be discarded (`<EventCoding error=...>`)
    has `events=[]`; a sentence with no coding at all was not annotated (`events=None`). CAMEO codes are
    normalised; codes outside CAMEO (the validation suite's own, such as `903`) are kept as given and the item
    is tagged `non-cameo-code`. The parse trees are ignored.
    """
    root = _parse_xml(path)
    for number, sentence in enumerate(root.iter("Sentence"), start=1):
        yield _petrarch_item(sentence, path, f"{Path(path).stem}-{number}")


def _petrarch_item(sentence: ET.Element, path: str | Path, default_id: str) -> GoldItem:
    """One `<Sentence>` as a gold item."""
    item_id = (sentence.get("id") or default_id).strip()
    text = _spaced(sentence.findtext("Text"))
    if not text:
        raise _error(f"Sentence {item_id!r} has no Text", path)
    item = GoldItem(id=item_id, text=text, date=_date(sentence.get("date"), path), origin="petrarch")
    if category := (sentence.get("category") or "").strip():
        item.tags.append(f"petrarch:{category}")
    codings = sentence.findall("EventCoding")
    if _true(sentence.get("noevents")) or any(_true(c.get("noevents")) for c in codings):
        item.events = []
        item.tags.append("no-event")
        return item
    errors = [c.get("error") for c in codings if c.get("error") is not None]
    if errors:
        item.events = []
        item.tags.extend(["no-event", *(f"petrarch-error:{e}" for e in errors)])
        return item
    if codings:
        item.events = [_petrarch_event(c, item, path) for c in codings]
    return item


def _petrarch_event(coding: ET.Element, item: GoldItem, path: str | Path) -> GoldEvent:
    """One `<EventCoding>` as a gold event."""
    values = {}
    for attribute in ("sourcecode", "targetcode", "eventcode"):
        value = (coding.get(attribute) or "").strip()
        if not value:
            raise _error(f"Sentence {item.id!r}: an EventCoding has no {attribute}", path)
        values[attribute] = value
    try:
        code = normalise_code(values["eventcode"])
    except ValueError:
        code = values["eventcode"]
        if "non-cameo-code" not in item.tags:
            item.tags.append("non-cameo-code")
    return GoldEvent(source=[values["sourcecode"]], target=[values["targetcode"]], code=code)


def _true(value: str | None) -> bool:
    """Whether an XML flag attribute says true."""
    return (value or "").strip().lower() == "true"


# --- brat standoff (PolNeAR attribution) --------------------------------------------------------------------------


def read_brat(path: str | Path) -> Iterator[GoldItem]:
    """Attributions in brat standoff (PolNeAR): one item per article, one quote per attributed content.

    `path` is an `.ann` file or a directory of them. The text is the `.txt` beside the `.ann`, or, as PolNeAR
    keeps them, in a sibling `text/` folder under the `.ann` name without its annotator suffix (`_ef2d`). Where
    several annotators annotated one article, a directory yields the first annotation (by name) only, so that no
    article counts twice. A content whose text opens with a quotation mark is a `direct` quote, its marks left
    out of the quote's span; any other is `indirect`. A discontinuous span is taken from its first start to its
    last end (the item's notes say how many were). Speaker and cue come from the `Source` and `Cue` arguments.
    """
    chosen: dict[Path, Path] = {}
    for ann in _files(path, ".ann"):
        text_path = _brat_text(ann)
        chosen.setdefault(text_path, ann)
    for text_path, ann in chosen.items():
        yield _brat_item(ann, text_path)


def _brat_text(ann: Path) -> Path:
    """The text file an `.ann` file annotates."""
    base = ann.stem.rsplit("_", 1)[0] if "_" in ann.stem else ann.stem
    for candidate in (
        ann.with_suffix(".txt"),
        ann.parent.parent / "text" / f"{ann.stem}.txt",
        ann.parent / f"{base}.txt",
        ann.parent.parent / "text" / f"{base}.txt",
    ):
        if candidate.is_file():
            return candidate
    raise _error("no .txt file found for this annotation (beside it or in a sibling text/ folder)", ann)


def _brat_entries(ann: Path) -> dict[str, tuple[int, str]]:
    """The annotation lines by id (`T3`, `E1`), with their line numbers; span texts may run over several lines."""
    entries: dict[str, tuple[int, str]] = {}
    last: str | None = None
    try:
        with ann.open(encoding="utf-8", newline="") as fh:
            lines = fh.read().split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(f"cannot read: {exc}", ann) from exc
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if _BRAT_ID.match(line):
            last = line.split("\t", 1)[0]
            entries[last] = (number, line)
        elif last is not None:
            # brat writes a newline inside a span's text as it is, so the text goes on on the next line.
            first, text = entries[last]
            entries[last] = (first, f"{text}\n{line}")
        elif line.strip():
            raise _error(f"not a brat annotation line: {line[:60]!r}", ann, number)
    return entries


def _brat_spans(entry: str, ann: Path, line: int, text: str) -> list[tuple[int, int]]:
    """A T line's fragments, checked against the text."""
    try:
        _, head, span_text = entry.split("\t", 2)
        _, offsets = head.split(" ", 1)
        spans = [(int(a), int(b)) for a, b in (part.split() for part in offsets.split(";"))]
    except ValueError as exc:
        raise _error(f"not a brat text-bound annotation: {entry[:60]!r}", ann, line) from exc
    if any(not 0 <= s <= e <= len(text) for s, e in spans):
        raise _error(f"span {offsets} lies outside the text ({len(text)} characters)", ann, line)
    # brat joins the fragments of a discontinuous span with one space in the annotation's text field.
    expected = " ".join(text[s:e] for s, e in spans)
    if expected.rstrip("\n") != span_text.rstrip("\n"):
        raise _error(f"span {offsets} is {expected[:40]!r} in the text, not {span_text[:40]!r}", ann, line)
    return spans


def _brat_item(ann: Path, text_path: Path) -> GoldItem:
    """One annotated article as a gold item with its quotes."""
    try:
        with text_path.open(encoding="utf-8", newline="") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(f"cannot read the text: {exc}", text_path) from exc
    entries = _brat_entries(ann)
    spans = {
        key: _brat_spans(entry, ann, line, text)
        for key, (line, entry) in entries.items()
        if key.startswith("T")
    }
    quotes: list[GoldQuote] = []
    merged = 0
    for key, (line, entry) in entries.items():
        if not key.startswith("E"):
            continue
        arguments = _brat_arguments(entry, spans, ann, line)
        speaker = arguments.get("Source")
        cue = arguments.get("Cue")
        for role, content in arguments.items():
            if not role.startswith("Content"):
                continue
            merged += len(content) > 1
            quote = _quote(text, content, speaker, cue)
            if quote is not None:
                quotes.append(quote)
    item = GoldItem(id=ann.stem, text=text, origin="brat", quotes=quotes)
    if match := _DATE_IN_NAME.search(text_path.stem):
        # PolNeAR names its files after the publication date; a name that only looks like one is no error.
        with contextlib.suppress(ValueError):
            item.date = dt.date.fromisoformat(match.group(1))
    if ann.stem != text_path.stem and ann.stem.startswith(text_path.stem):
        item.tags.append(f"annotator:{ann.stem[len(text_path.stem) :].lstrip('_')}")
    if merged:
        item.notes = f"{merged} discontinuous content span(s) taken from first start to last end"
    return item


def _brat_arguments(
    entry: str, spans: dict[str, list[tuple[int, int]]], ann: Path, line: int
) -> dict[str, list[tuple[int, int]]]:
    """An E line's arguments (`Content:T3 Cue:T2 Source:T1`) as role → fragments of the argument's span."""
    arguments = {}
    for part in entry.split("\t")[1].split():
        role, _, target = part.partition(":")
        if target not in spans:
            raise _error(f"{role} points to {target!r}, which is not a text-bound annotation", ann, line)
        arguments[role] = spans[target]
    return arguments


def _quote(
    text: str,
    content: list[tuple[int, int]],
    speaker: list[tuple[int, int]] | None,
    cue: list[tuple[int, int]] | None,
) -> GoldQuote | None:
    """A gold quote from the fragments of a content, speaker and cue span; None for an empty content."""
    start, end = trimmed(text, min(s for s, _ in content), max(e for _, e in content))
    kind = "direct" if start < end and text[start] in QUOTE_MARKS else "indirect"
    if kind == "direct":
        # A run, not one mark: some papers open and close quotes with two apostrophes ('').
        while start < end and text[start] in QUOTE_MARKS:
            start += 1
        while end > start and text[end - 1] in QUOTE_MARKS:
            end -= 1
        start, end = trimmed(text, start, end)
    if start >= end:
        return None
    s_start = min(s for s, _ in speaker) if speaker else None
    s_end = max(e for _, e in speaker) if speaker else None
    return GoldQuote(
        start=start,
        end=end,
        text=text[start:end],
        kind=kind,
        speaker=text[s_start:s_end] if s_start is not None else None,
        speaker_start=s_start,
        speaker_end=s_end,
        cue=" ".join(text[s:e] for s, e in cue) if cue else None,
    )


# --- CoNLL-2003 ---------------------------------------------------------------------------------------------------


def read_conll(path: str | Path) -> Iterator[GoldItem]:
    """CoNLL-2003 named entities: one item per sentence, its tokens joined by single spaces.

    Lines are `token POS chunk NER` (only the first and last columns are read); a blank line ends a sentence and
    `-DOCSTART-` lines are skipped. IOB1 and IOB2 both read right: an entity starts at `B-` or at an `I-` whose
    type differs from the previous token's.
    """
    sentence: list[tuple[str, str]] = []
    number = 0
    try:
        with Path(path).open(encoding="utf-8") as fh:
            for line_number, line in enumerate(fh, start=1):
                columns = line.split()
                if columns and columns[0] == "-DOCSTART-":
                    continue
                if not columns:
                    if sentence:
                        number += 1
                        yield _conll_item(sentence, f"{Path(path).stem}-{number}")
                    sentence = []
                    continue
                if len(columns) < 2 or not _IOB.fullmatch(columns[-1]):
                    raise _error(
                        f"expected 'token ... NER-tag' with an IOB tag, got {line.strip()[:60]!r}",
                        path,
                        line_number,
                    )
                sentence.append((columns[0], columns[-1]))
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(f"cannot read: {exc}", path) from exc
    if sentence:
        yield _conll_item(sentence, f"{Path(path).stem}-{number + 1}")


def _conll_item(tokens: list[tuple[str, str]], item_id: str) -> GoldItem:
    """One sentence's tokens and tags as a gold item with its entities."""
    spans: list[tuple[int, int, str]] = []  # start, end, label
    offset = 0
    previous = "O"
    for token, tag in tokens:
        start, offset = offset, offset + len(token)
        label = tag[2:]
        if tag.startswith("B-") or (tag.startswith("I-") and previous[2:] != label):
            spans.append((start, offset, label))
        elif tag != "O":
            spans[-1] = (spans[-1][0], offset, label)
        previous = tag
        offset += 1  # the space before the next token
    text = " ".join(token for token, _ in tokens)
    entities = [GoldEntity(start=s, end=e, text=text[s:e], label=label) for s, e, label in spans]
    return GoldItem(id=item_id, text=text, origin="conll", entities=entities)


# --- TimeML -------------------------------------------------------------------------------------------------------


def read_timeml(path: str | Path) -> Iterator[GoldItem]:
    """TimeML documents (`.tml`, a file or a directory): one item per document with its dated expressions.

    The text is the `TEXT` element with its tags removed and entities unescaped, stripped at both ends (as
    `eventwire.evaluation.datasets` reads TempEval documents); the item's date is the creation time (`DCT`).
    Only `TIMEX3`s of type DATE and TIME become dates: durations and sets are not dates. `PRESENT_REF` and the
    other reference values have no value (`None`); other values are kept as TimeML writes them.
    """
    for file in _files(path, ".tml"):
        yield _timeml_item(file)


def _timeml_item(path: Path) -> GoldItem:
    """One TimeML document as a gold item."""
    root = _parse_xml(path)
    body = root.find(".//TEXT")
    if body is None:
        raise _error("no TEXT element", path)
    raw, timexes = _flatten(body)
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    dates = []
    for start, end, timex in timexes:
        if timex.get("type") not in DATE_TIMEX_TYPES:
            continue
        start, end = trimmed(text, max(start - lead, 0), min(end - lead, len(text)))
        if start >= end:
            continue
        value = (timex.get("value") or "").strip()
        dates.append(
            GoldDate(start, end, text[start:end], None if not value or value in VAGUE_TIMEX else value)
        )
    creation = next((t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    return GoldItem(
        id=_spaced(root.findtext("DOCID")) or path.stem,
        text=text,
        date=_date(creation.get("value"), path) if creation is not None else None,
        title=_spaced(root.findtext("TITLE")) or None,
        origin="timeml",
        dates=dates,
    )


def _flatten(element: ET.Element) -> tuple[str, list[tuple[int, int, ET.Element]]]:
    """An element's text without its tags, and where each `TIMEX3` inside it starts and ends in that text."""
    parts: list[str] = []
    timexes: list[tuple[int, int, ET.Element]] = []
    length = 0

    def visit(node: ET.Element) -> None:
        """Append a node's text and its children, recording where each TIMEX3 starts and ends."""
        nonlocal length
        parts.append(node.text or "")
        length += len(node.text or "")
        for child in node:
            start = length
            visit(child)
            if child.tag == "TIMEX3":
                timexes.append((start, length, child))
            parts.append(child.tail or "")
            length += len(child.tail or "")

    visit(element)
    return "".join(parts), timexes


# --- geoparsing corpora (LGL, TR-News, GeoVirus) ------------------------------------------------------------------


def read_geoparsing(path: str | Path) -> Iterator[GoldItem]:
    """Toponym corpora in the geoparsing XML layout: one item per `<article>` with its places.

    LGL and TR-News give `<toponym>` elements (`start`, `end`, `phrase`, and a `gaztag` with the GeoNames id,
    `lat` and `lon`); GeoVirus gives `<location>` elements (`name`, `start`, `end`, `lat`, `lon`). Where a
    toponym's offsets do not slice its phrase out of the text (all of GeoVirus is one character late; TR-News
    drifts by a few characters in some articles), the nearest occurrence of the phrase within
    `TOPONYM_WINDOW` characters is taken instead, and a toponym without one is left out; the item's notes count
    both.
    """
    root = _parse_xml(path)
    for number, article in enumerate(root.iter("article"), start=1):
        yield _geo_item(article, path, f"{Path(path).stem}-{number}")


def _geo_item(article: ET.Element, path: str | Path, default_id: str) -> GoldItem:
    """One article as a gold item with its places."""
    item_id = article.get("docid") or default_id
    text = article.findtext("text")
    if text is None:
        raise _error(f"article {item_id!r} has no text", path)
    places: list[GoldPlace] = []
    moved = dropped = 0
    for toponym in [*article.iter("toponym"), *article.iter("location")]:
        start, end = _int(toponym, "start", item_id, path), _int(toponym, "end", item_id, path)
        place = _place(toponym, text, start, end, f"article {item_id!r}", path)
        if place is None:
            dropped += 1
            continue
        moved += (place.start, place.end) != (start, end)
        places.append(place)
    dltime = (article.findtext("dltime") or "").strip()
    item = GoldItem(
        id=item_id,
        text=text,
        date=_date(dltime[:10], path) if re.match(r"\d{4}-\d{2}-\d{2}", dltime) else None,
        title=_spaced(article.findtext("title")) or None,
        origin="geoparsing",
        places=places,
    )
    if moved or dropped:
        item.notes = (
            f"{moved} toponym(s) moved to the nearest occurrence of their phrase, {dropped} left out: "
            "their offsets did not slice the phrase from the text"
        )
    return item


def _place(
    toponym: ET.Element, text: str, start: int, end: int, where: str, path: str | Path
) -> GoldPlace | None:
    """A toponym as a gold place, realigned to its phrase if its offsets miss it; None if it cannot be found."""
    phrase = toponym.findtext("phrase") or toponym.findtext("name") or ""
    if not phrase:
        raise _error(f"{where}: a {toponym.tag} has no phrase or name", path)
    if text[start:end] != phrase:
        found = _nearest(text, phrase, start)
        if found is None:
            return None
        start, end = found, found + len(phrase)
    gaztag = toponym.find("gaztag")
    source = gaztag if gaztag is not None else toponym
    geonameid = (gaztag.get("geonameid") or "") if gaztag is not None else ""
    return GoldPlace(
        start=start,
        end=end,
        text=text[start:end],
        lat=_float(source.findtext("lat")),
        lon=_float(source.findtext("lon")),
        geonameid=int(geonameid) if geonameid.isdigit() else None,
    )


def _nearest(text: str, phrase: str, start: int) -> int | None:
    """Where the occurrence of `phrase` nearest to `start`, within `TOPONYM_WINDOW` characters, begins."""
    window = text[max(start - TOPONYM_WINDOW, 0) : start + TOPONYM_WINDOW + len(phrase)]
    base = max(start - TOPONYM_WINDOW, 0)
    hits = [base + m.start() for m in re.finditer(re.escape(phrase), window)]
    return min(hits, key=lambda hit: abs(hit - start)) if hits else None


def _int(element: ET.Element, tag: str, item_id: str, path: str | Path) -> int:
    """A child element's integer value."""
    value = (element.findtext(tag) or "").strip()
    if not value.isdigit():
        raise _error(f"article {item_id!r}: a {element.tag} has no integer <{tag}> ({value!r})", path)
    return int(value)


def _float(value: str | None) -> float | None:
    """A coordinate, or None when absent."""
    try:
        return float(value) if value and value.strip() else None
    except ValueError:
        return None


# --- registry and format detection -------------------------------------------------------------------------------

IMPORTERS: dict[str, Importer] = {
    "plover": read_plover,
    "petrarch": read_petrarch,
    "brat": read_brat,
    "conll": read_conll,
    "timeml": read_timeml,
    "geoparsing": read_geoparsing,
}

# The root element that tells the XML formats apart.
_XML_ROOTS = {"TimeML": "timeml", "Validation": "petrarch", "Sentences": "petrarch", "articles": "geoparsing"}


def detect_format(path: str | Path) -> str:
    """The format of a gold file or directory, from its extension and first bytes.

    One of the `IMPORTERS`, or `eventwire` for eventwire's own JSON Lines (`read_gold`): a JSON record with a
    PLOVER `event` field is PLOVER, one with `mentions` and no text of its own is event clusters (`clusters`),
    any other JSON Lines file is taken to be eventwire's.
    """
    target = Path(path)
    if target.is_dir():
        for suffix, name in ((".ann", "brat"), (".tml", "timeml")):
            if next(target.rglob(f"*{suffix}"), None) is not None:
                return name
        raise UsageError("no .ann or .tml files in this directory", source=str(path))
    suffix = target.suffix.lower()
    if suffix in (".ann", ".tml"):
        return "brat" if suffix == ".ann" else "timeml"
    try:
        with target.open(encoding="utf-8") as fh:
            head = fh.read(4096).lstrip("\ufeff \t\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read: {exc}", source=str(path)) from exc
    if suffix in (".json", ".jsonl", ".ndjson") or head.startswith(("[", "{", "//")):
        return _json_format(target, head)
    if head.startswith("<"):
        root = _xml_root(target)
        if root in _XML_ROOTS:
            return _XML_ROOTS[root]
        raise UsageError(
            f"an XML gold format with root <{root}> is not one eventwire reads", source=str(path)
        )
    first = next((line.split() for line in head.splitlines() if line.strip()), [])
    if first and (first[0] == "-DOCSTART-" or (len(first) >= 2 and _IOB.fullmatch(first[-1]))):
        return "conll"
    raise UsageError("cannot tell which gold format this file is in", source=str(path))


def _json_format(path: Path, head: str) -> str:
    """`plover` or `eventwire` for a JSON file, from its first record."""
    if head.startswith("["):
        # eventwire's gold is JSON Lines only; a JSON array is PLOVER's export.
        return "plover"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                # Not for detection to judge: eventwire's reader reports the broken line.
                return "eventwire"
            if is_cluster_record(record):
                return "clusters"
            return "plover" if isinstance(record, dict) and "event" in record else "eventwire"
    return "eventwire"


def _xml_root(path: Path) -> str | None:
    """The name of an XML file's root element, read without parsing the whole file."""
    try:
        with path.open("rb") as fh:
            for _, element in ET.iterparse(fh, events=("start",)):
                return str(element.tag)
    except ET.ParseError:
        return None
    return None


def import_gold(path: str | Path, fmt: str | None = None) -> Iterator[GoldItem | GoldCluster]:
    """Gold items from a file in any format eventwire reads (its own too), detected unless `fmt` names it; gold
    event clusters (`clusters`) are read as such."""
    name = fmt or detect_format(path)
    if name == "eventwire":
        return read_gold(path)
    if name == "clusters":
        return read_clusters(path)
    if name not in IMPORTERS:
        known = ", ".join(["eventwire", "clusters", *IMPORTERS])
        raise UsageError(f"unknown gold format {name!r} (one of {known})", source=str(path))
    return IMPORTERS[name](path)
