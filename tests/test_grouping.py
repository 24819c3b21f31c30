"""Events in the store: mentions grouped as articles arrive, near copies linked, recodes and re-runs consistent."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from eventwire.clustering import MatchRule
from eventwire.ingest import ingest
from eventwire.pipeline import Pipeline
from eventwire.store import Store

WIRE = (
    "Russian forces shelled Kharkiv on Monday, regional officials said. Ukrainian President Volodymyr Zelensky "
    "condemned the attack and called on Western allies to send more air defence systems. Moscow did not comment "
    "on the strike, which damaged a school and several apartment blocks in the city's northern districts, while "
    "emergency crews searched the rubble for survivors well into the night."
)
EDITED = WIRE.replace("several apartment blocks", "three apartment blocks").replace(
    "well into the night", "until late at night"
)
OTHER = (
    "Chinese Foreign Minister Wang Yi met his Brazilian counterpart in Beijing on Monday. The two ministers signed "
    "an agreement on trade in farm products and discussed the war in Ukraine."
)


def _document(text: str, url: str, day: dt.date = dt.date(2024, 5, 13)) -> dict[str, Any]:
    """A dated article published at a web address, as a JSON Lines record."""
    return {"url": url, "title": "Wire story", "date": day.isoformat(), "text": text}


def _feed(folder: Path, *records: dict[str, Any]) -> str:
    """The records written to a new JSON Lines file in the folder; its path."""
    path = folder / f"feed-{len(list(folder.glob('feed-*.jsonl')))}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _events(store: Store) -> list[dict[str, Any]]:
    """The events table, in id order."""
    cursor = store.con.execute("SELECT * EXCLUDE (updated_at) FROM events ORDER BY id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_seed_article_reports_one_call_and_one_criticism(
    pipeline: Pipeline, store: Store, seed_path: Path
) -> None:
    """The example article's phone call is one event with at least four mentions, and the two expressions of
    dissatisfaction are one criticism event with two mentions."""
    ingest([str(seed_path)], store, pipeline)
    events = _events(store)
    calls = [e for e in events if e["root"] == "04"]
    assert len(calls) == 1 and calls[0]["num_mentions"] >= 4
    assert set(calls[0]["source"]) | set(calls[0]["target"]) == {"ISRGOV", "RUSGOV"}
    criticisms = [e for e in events if e["code"] == "111" and e["num_mentions"] == 2]
    assert len(criticisms) == 1 and criticisms[0]["source"] == ["ISRGOV"]
    linked = store.con.execute("SELECT count(*) FROM event_links").fetchone()
    eligible = store.con.execute(
        "SELECT count(*) FROM event_mentions WHERE NOT (negated OR hypothetical OR future OR historical)"
    ).fetchone()
    assert linked == eligible and sum(e["num_mentions"] for e in events) == eligible[0]  # type: ignore[index]


def test_wire_copies_are_one_story_from_two_outlets(pipeline: Pipeline, store: Store, tmp_path: Path) -> None:
    """Two copies of a wire story with small edits, from two outlets: one set of events, each with two articles
    from two sources but one independent story; an unrelated article is no copy."""
    docs = [
        _document(WIRE, "https://www.apnews.example/kharkiv"),
        _document(EDITED, "https://news.example.org/world/kharkiv-shelling"),
        _document(OTHER, "https://www.apnews.example/wang-yi"),
    ]
    ingest([_feed(tmp_path, *docs)], store, pipeline)
    copies = dict(store.con.execute("SELECT outlet, copy_of FROM article_copies ORDER BY outlet").fetchall())
    first, second, other = (
        store.con.execute(
            "SELECT copy_of FROM article_copies c JOIN sources s USING (article_id) WHERE s.url = ?",
            [d["url"]],
        ).fetchone()
        for d in docs
    )
    assert first == second and other != first
    assert set(copies) == {"apnews.example", "news.example.org"}
    shelling = [e for e in _events(store) if e["root"] in ("18", "19", "20")]
    assert shelling, _events(store)
    for event in shelling:
        assert (event["num_articles"], event["num_sources"], event["num_stories"]) == (2, 2, 1), event


def test_adding_articles_updates_events_and_rerunning_changes_nothing(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    """Ingesting a second report joins the first's events in place (same ids); ingesting both again, or
    recoding them, leaves the events as they were."""
    with Store(tmp_path / "a.duckdb") as store:
        first = _feed(tmp_path, _document(WIRE, "https://a.example/1"))
        ingest([first], store, pipeline)
        before = {e["id"]: e for e in _events(store)}
        later = WIRE.replace(
            "Russian forces shelled Kharkiv on Monday", "Russian troops shelled Kharkiv on Monday"
        )
        ingest(
            [_feed(tmp_path, _document(later + " The toll could rise.", "https://b.example/2"))],
            store,
            pipeline,
        )
        after = {e["id"]: e for e in _events(store)}
        assert set(before) <= set(after)
        grown = [i for i in before if after[i]["num_articles"] == 2]
        assert grown, after
        ingest([first], store, pipeline)
        assert {e["id"]: e for e in _events(store)} == after
        for batch in store.stored_articles():
            recoded = pipeline.annotate(batch)
            store.replace_annotations([a for a in recoded if not isinstance(a, Exception)])  # type: ignore[misc]
        assert {e["id"]: e for e in _events(store)} == after


def test_regroup_with_a_wider_window(pipeline: Pipeline, store: Store, tmp_path: Path) -> None:
    """Reports of one shelling two days apart are two events under the default window and one after regrouping
    with a three-day window; regrouping with the default rule restores the first grouping."""
    feed = _feed(
        tmp_path,
        _document(WIRE, "https://a.example/1", dt.date(2024, 5, 13)),
        _document(OTHER + " " + WIRE.replace(" on Monday", ""), "https://c.example/3", dt.date(2024, 5, 16)),
    )
    ingest([feed], store, pipeline)
    default = _events(store)

    def shelling() -> list[int]:
        return [e["num_articles"] for e in _events(store) if e["root"] in ("18", "19", "20")]

    assert shelling() == [1, 1]
    assert store.regroup(MatchRule(window_days=3)) < len(default)
    assert shelling() == [2]
    assert store.regroup(MatchRule()) == len(default)
    assert _events(store) == default
