"""Analysts' corrections of the machine coding: stored, folded into the coding in force, exported as gold data.

An analyst marks an event `right` or `wrong`, `fixed` with a new CAMEO code, source or target actors, or date, or
`reset` to go back to the machine's coding. Every correction is kept (table `corrections`, with who, when and
why), and the coding in force folds over an event's corrections in order: each value comes from the latest fix
that sets it, `wrong` hides the event until a later `right` or fix, `right` confirms the coding in force, and
`reset` undoes every earlier correction. `FOLDED` is that fold, and `events_sql` the one place where it is applied:
the API's queries and indexes, the file exports and the gold export read events through it, so an event marked
wrong is hidden and a fixed one shows its corrected coding everywhere, unless the machine coding is asked for.
This module needs no web framework.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import duckdb

from . import ontology
from .errors import UsageError
from .evaluation.gold import GoldEvent, GoldItem

Verdict = Literal["right", "wrong", "fixed", "reset"]
VERDICTS: tuple[Verdict, ...] = ("right", "wrong", "fixed", "reset")
# An actor code as the dictionaries write them: a country or actor type and role parts (ISRGOV, IGOUNO, +++).
ACTOR_CODE = re.compile(r"[A-Z0-9+-]{3,24}")
MAX_AUTHOR = 100
# The column `events_sql(row_key=True)` adds: the event's row number in the events table.
ROW_KEY = "event_row"
MAX_NOTE = 5_000

# A fixed code brings its own root, PLOVER type and mode, Goldstein score and QuadClass (stored with the correction).
_CODE_COLUMNS = ("code", "root", "plover_type", "plover_mode", "goldstein", "quad_class")
# The values a fix may set, as stored.
_FIXED = ("code", "source", "target", "event_date")
# Each value from the latest correction that sets it: a code's columns all come from the row of the latest code.
_LATEST_VALUES = ", ".join(
    [
        *(f"arg_max({c}, id) FILTER (WHERE code IS NOT NULL) AS {c}" for c in _CODE_COLUMNS),
        *(f"arg_max({c}, id) FILTER (WHERE {c} IS NOT NULL) AS {c}" for c in _FIXED[1:]),
    ]
)
_ANY_FIXED = " + ".join(f"count({c})" for c in _FIXED) + " > 0"
# The coding in force of every event with a correction since its last `reset` (a reset event has no row): the
# values fixed, the verdict (`wrong` while the latest right, wrong or fix says so, else `fixed` when a value is
# fixed, else `right`), the latest correction's id, and the notes of those corrections in order.
FOLDED = f"""(
    SELECT event_id, {_LATEST_VALUES},
           CASE WHEN arg_max(verdict, id) = 'wrong' THEN 'wrong'
                WHEN {_ANY_FIXED} THEN 'fixed'
                ELSE 'right' END AS verdict,
           max(id) AS correction_id,
           string_agg(author || coalesce(': ' || note, ''), '; ' ORDER BY id) AS notes
    FROM (SELECT *, max(CASE WHEN verdict = 'reset' THEN id END) OVER (PARTITION BY event_id) AS reset_id
          FROM corrections)
    WHERE reset_id IS NULL OR id > reset_id
    GROUP BY event_id
)"""
_OVERRIDES = {
    **{c: f"CASE WHEN c.code IS NOT NULL THEN c.{c} ELSE e.{c} END" for c in _CODE_COLUMNS},
    "source": "coalesce(c.source, e.source)",
    "target": "coalesce(c.target, e.target)",
    "event_date": "coalesce(c.event_date, e.event_date)",
}
# What every relation adds after the events' own columns: whether an analyst reviewed the event, the verdict in
# force, and the machine's coding (the same as the event's own when nothing was fixed).
_MACHINE = "e.code AS machine_code, e.source AS machine_source, e.target AS machine_target, e.event_date AS machine_date"
_UNREVIEWED = (
    f"false AS corrected, CAST(NULL AS VARCHAR) AS verdict, CAST(NULL AS BIGINT) AS correction_id, {_MACHINE}"
)
_REVIEWED = f"c.event_id IS NOT NULL AS corrected, c.verdict, c.correction_id, {_MACHINE}"


class UnknownEvent(LookupError):
    """A correction names an event the store does not hold."""


@dataclass(frozen=True, slots=True)
class Correction:
    """What an analyst says about an event: a verdict, the values it fixes (for `fixed`), who, and why."""

    verdict: str
    author: str
    code: str | None = None
    source: list[str] | None = None
    target: list[str] | None = None
    date: dt.date | None = None
    note: str | None = None

    def problems(self) -> list[str]:
        """What is wrong with the correction, if anything (nothing is stored then)."""
        problems = []
        if self.verdict not in VERDICTS:
            problems.append(f"unknown verdict {self.verdict!r}; one of {', '.join(VERDICTS)}")
        if not self.author.strip() or len(self.author) > MAX_AUTHOR:
            problems.append(f"author must be 1 to {MAX_AUTHOR} characters")
        if self.note is not None and len(self.note) > MAX_NOTE:
            problems.append(f"note longer than {MAX_NOTE} characters")
        fixes = [n for n in ("code", "source", "target", "date") if getattr(self, n) is not None]
        if self.verdict == "fixed" and not fixes:
            problems.append("a fix gives at least one of code, source, target, date")
        if self.verdict != "fixed" and fixes:
            problems.append(f"verdict {self.verdict!r} takes no {', '.join(fixes)}: use 'fixed'")
        if self.code is not None and self.code not in ontology.cameo_codes():
            problems.append(f"not a CAMEO event code: {self.code!r}")
        for side in ("source", "target"):
            bad = [c for c in getattr(self, side) or [] if not ACTOR_CODE.fullmatch(c)]
            if bad:
                problems.append(f"not actor codes in {side}: {', '.join(map(repr, bad))}")
        return problems

    def normalised(self) -> Correction:
        """The correction with its code's leading zeros restored and actor codes upper-cased."""
        code = self.code
        if code is not None:
            with contextlib.suppress(ValueError):  # an unknown code is reported by `problems`
                code = ontology.normalise_code(code)
        return dataclasses.replace(
            self,
            code=code,
            author=self.author.strip(),
            source=None if self.source is None else [c.strip().upper() for c in self.source],
            target=None if self.target is None else [c.strip().upper() for c in self.target],
        )


def has_table(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has the corrections table (a store opened read-only may predate it)."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'corrections'"
    ).fetchone()
    return bool(row and row[0])


def _any(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any correction is stored."""
    if not has_table(con):
        return False
    return con.execute("SELECT 1 FROM corrections LIMIT 1").fetchone() is not None


def events_sql(
    con: duckdb.DuckDBPyConnection, machine: bool = False, hide_wrong: bool = True, row_key: bool = False
) -> str:
    """The events as a parenthesised relation to alias (`FROM {events_sql(con)} e`), with the events table's
    columns followed by `corrected`, `verdict`, `correction_id` and the machine's `machine_code`,
    `machine_source`, `machine_target` and `machine_date`.

    By default corrections are applied, folded as `FOLDED` says: a fixed event has its corrected values, one whose
    verdict in force is wrong is left out (`hide_wrong=False` keeps it, flagged). With `machine`, every value is
    the machine's and no event is left out; `corrected` and `verdict` still say what analysts found. Without corrections this is the events table itself,
    so that queries cost what they did. With `row_key`, `event_row` follows: the event's row in the events table,
    for reading a page's rows whole once they are chosen (`pages.Late`).
    """
    extra = f", e.rowid AS {ROW_KEY}" if row_key else ""
    if not _any(con):
        return f"(SELECT e.*, {_UNREVIEWED}{extra} FROM events e)"
    columns = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' "
            "ORDER BY ordinal_position"
        ).fetchall()
    ]
    values = ", ".join(f"e.{c}" if machine else f"{_OVERRIDES.get(c, f'e.{c}')} AS {c}" for c in columns)
    where = "c.verdict IS DISTINCT FROM 'wrong'" if hide_wrong and not machine else "TRUE"
    return (
        f"(SELECT {values}, {_REVIEWED}{extra} FROM events e LEFT JOIN {FOLDED} c ON c.event_id = e.id "
        f"WHERE {where})"
    )


def add(
    con: duckdb.DuckDBPyConnection, event_id: str, correction: Correction, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Store a correction of an event, with the machine's coding at the time; the stored row.

    UsageError when the correction is not valid, UnknownEvent when the event is not stored.
    """
    correction = correction.normalised()
    problems = correction.problems()
    if problems:
        raise UsageError("; ".join(problems))
    machine = con.execute(
        "SELECT code, source, target, event_date FROM events WHERE id = ?", [event_id]
    ).fetchone()
    if machine is None:
        raise UnknownEvent(f"no event with id {event_id!r}")
    entry = ontology.cameo_codes().get(correction.code) if correction.code else None
    cursor = con.execute(
        "INSERT INTO corrections (event_id, verdict, code, root, plover_type, plover_mode, goldstein, quad_class, "
        "source, target, event_date, machine_code, machine_source, machine_target, machine_date, author, note, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
        [
            event_id,
            correction.verdict,
            correction.code,
            entry.root if entry else None,
            entry.plover_type if entry else None,
            entry.plover_mode if entry else None,
            entry.goldstein if entry else None,
            entry.quad_class if entry else None,
            correction.source,
            correction.target,
            correction.date,
            *machine,
            correction.author,
            correction.note,
            now or dt.datetime.now(dt.UTC),
        ],
    )
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    assert row is not None  # RETURNING gives the inserted row
    return dict(zip(names, row, strict=True))


def history(con: duckdb.DuckDBPyConnection, event_id: str) -> list[dict[str, Any]]:
    """Every correction of an event, oldest first (folded in this order into the coding in force)."""
    if not has_table(con):
        return []
    cursor = con.execute("SELECT * FROM corrections WHERE event_id = ? ORDER BY id", [event_id])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass(slots=True)
class GoldExport:
    """Gold items made from corrections, and the sentences left out because not all their events were reviewed."""

    items: list[GoldItem]
    skipped: int


# The mentions of every sentence that reports a reviewed event, with the event's coding in force and whether
# the event was reviewed; unlinked mentions (negated, hypothetical…) have no event and count as unreviewed.
_GOLD_SQL = """
WITH reviewed AS (
    SELECT l.article_id, l.mention_idx FROM event_links l JOIN {folded} c ON c.event_id = l.event_id
),
sentences_of AS (
    SELECT DISTINCT m.article_id, m.sentence_idx FROM event_mentions m
    JOIN reviewed r ON r.article_id = m.article_id AND r.mention_idx = m.idx
)
SELECT m.article_id, m.sentence_idx, m.idx, m.trigger_text, s.text AS sentence, a.pub_date, a.title,
       e.id AS event_id, e.verdict, e.code, e.source, e.target, e.event_date, f.notes
FROM sentences_of so
JOIN event_mentions m ON m.article_id = so.article_id AND m.sentence_idx = so.sentence_idx
JOIN sentences s ON s.article_id = m.article_id AND s.idx = m.sentence_idx
JOIN articles a ON a.id = m.article_id
LEFT JOIN event_links l ON l.article_id = m.article_id AND l.mention_idx = m.idx
LEFT JOIN {events} e ON e.id = l.event_id
LEFT JOIN {folded} f ON f.event_id = e.id
ORDER BY a.pub_date NULLS LAST, m.article_id, m.sentence_idx, m.idx
"""


def gold(con: duckdb.DuckDBPyConnection) -> GoldExport:
    """The reviewed sentences as gold items for `eventwire eval` (docs/gold-format.md).

    A sentence becomes an item when every event mention coded in it belongs to a reviewed event: its text is the
    sentence, its date the article's, and its events those of its mentions with the coding in force (corrected
    where fixed; events marked wrong left out, so that predicting them again counts as a false positive). A
    sentence with a mention nobody reviewed is skipped: its gold would be incomplete.
    """
    if not has_table(con):
        return GoldExport([], 0)
    events = events_sql(con, hide_wrong=False)
    cursor = con.execute(_GOLD_SQL.format(folded=FOLDED, events=events))
    names = [d[0] for d in cursor.description]
    by_sentence: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        by_sentence[(record["article_id"], record["sentence_idx"])].append(record)
    items, skipped = [], 0
    for (article_id, sentence_idx), mentions in by_sentence.items():
        if any(m["verdict"] is None for m in mentions):
            skipped += 1
            continue
        items.append(_gold_item(article_id, sentence_idx, mentions))
    return GoldExport(items, skipped)


def _gold_item(article_id: str, sentence_idx: int, mentions: Sequence[dict[str, Any]]) -> GoldItem:
    """One reviewed sentence as a gold item."""
    first = mentions[0]
    notes = sorted({m["notes"] for m in mentions if m["notes"]})
    return GoldItem(
        id=f"corr-{article_id}-{sentence_idx}",
        text=first["sentence"],
        date=first["pub_date"],
        title=first["title"],
        origin="corrections",
        tags=["correction"],
        events=[
            GoldEvent(
                list(m["source"]), list(m["target"]), m["code"], m["trigger_text"], date=m["event_date"]
            )
            for m in mentions
            if m["verdict"] != "wrong"
        ],
        notes="; ".join(notes) or None,
    )
