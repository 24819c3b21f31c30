"""Third-party corpora that gold annotations point into, read the same way every time.

Gold items annotated on third-party news keep no text, only a `Ref` (dataset, document id, offsets, checksum). This
module defines each dataset's canonical document text, so that annotators and the evaluation agree on offsets.
The corpora are looked for in `../shared/datasets` beside the project, or wherever `EVENTWIRE_DATASETS` points.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import DatasetMissing, RefMismatch
from .gold import GoldItem, fill_spans, text_sha1

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A dataset document: its canonical text and publication date."""

    doc: str
    text: str
    date: str | None
    title: str | None = None


def datasets_dir() -> Path:
    """Where the third-party corpora are: `EVENTWIRE_DATASETS`, else `../shared/datasets` from the project root."""
    if env := os.environ.get("EVENTWIRE_DATASETS"):
        return Path(env)
    return Path.cwd().parent / "shared" / "datasets"


def _te3(root: Path) -> dict[str, SourceDocument]:
    """TempEval-3 silver newswire: the TEXT element with its tags stripped, DCT as the date."""
    docs = {}
    for path in sorted((root / "te3-silver-news").rglob("*.tml")):
        raw = path.read_text(encoding="utf-8")
        body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
        if body is None:
            continue
        date = re.search(r'value="(\d{4}-\d{2}-\d{2})"[^>]*functionInDocument="CREATION_TIME"', raw)
        title = re.search(r"<TITLE>(.*?)</TITLE>", raw, re.S)
        docs[path.stem] = SourceDocument(
            path.stem,
            html.unescape(_TAG.sub("", body.group(1))).strip(),
            date.group(1) if date else None,
            html.unescape(_TAG.sub("", title.group(1))).strip() if title else None,
        )
    return docs


def _guardian(root: Path) -> dict[str, SourceDocument]:
    """Guardian Syria 2019 sample: the CSV's text column as is; the row's index column is the document id."""
    archive = zipfile.ZipFile(root / "guardian-syria-2019" / "Guardian_SDF_sample.csv.zip")
    with archive.open(archive.namelist()[0]) as raw:
        rows = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
        return {row[""]: SourceDocument(row[""], row["text"], row["date"]) for row in rows}


def _india_police(root: Path) -> dict[str, SourceDocument]:
    """India Police Events: `doc_text` of docs.jsonl as is (lower-cased, with its mojibake), dates from metadata."""
    folder = root / "india-police-events"
    dates = {}
    with (folder / "metadata.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            dates[str(record["doc_id"])] = record.get("date")
    docs = {}
    with (folder / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            doc = str(record["doc_id"])
            docs[doc] = SourceDocument(doc, record["doc_text"], dates.get(doc))
    return docs


LOADERS: dict[str, Callable[[Path], dict[str, SourceDocument]]] = {
    "te3-silver-news": _te3,
    "guardian-syria-2019": _guardian,
    "india-police-events": _india_police,
}


@functools.cache
def documents(dataset: str, root: Path | None = None) -> dict[str, SourceDocument]:
    """Every document of a dataset by id; DatasetMissing when the dataset is not on this machine."""
    if dataset not in LOADERS:
        raise DatasetMissing(f"unknown dataset {dataset!r}; known: {', '.join(LOADERS)}")
    base = root or datasets_dir()
    if not (base / dataset).exists():
        raise DatasetMissing(f"dataset {dataset!r} not found under {base} (set EVENTWIRE_DATASETS)")
    return LOADERS[dataset](base)


def resolve(item: GoldItem, root: Path | None = None) -> GoldItem:
    """A gold item with its text filled in from the dataset its `ref` points to, checked against the checksum."""
    if item.text is not None or item.ref is None:
        return item
    ref = item.ref
    doc = documents(ref.dataset, root).get(ref.doc)
    if doc is None:
        raise RefMismatch(f"gold item {item.id!r}: no document {ref.doc!r} in {ref.dataset}")
    text = doc.text[ref.start : ref.end]
    if text_sha1(text) != ref.sha1:
        raise RefMismatch(f"gold item {item.id!r}: the text at {ref.doc}:{ref.start}-{ref.end} has changed")
    date = item.date or (dt.date.fromisoformat(doc.date[:10]) if doc.date else None)
    return fill_spans(replace(item, text=text, date=date))
