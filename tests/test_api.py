"""The HTTP API in-process: the UI's contract, pagination, downloads, tokens, problem details, corrections and
their gold export, and reads answering while an ingest posted to the API runs."""

from __future__ import annotations

import io
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from eventwire import exports
from eventwire.api.app import create_app
from eventwire.api.index import Indexes
from eventwire.api.jobs import Job
from eventwire.cli import cli
from eventwire.evaluation.gold import read_gold
from eventwire.ingest import ingest
from eventwire.pipeline import Pipeline
from eventwire.store import MIGRATIONS, Store

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

ARTICLES = [
    {
        "url": "https://wire.example/strike",
        "title": "Strike on Kharkiv",
        "date": "2024-05-13",
        "text": "Russian forces shelled Kharkiv on Monday, regional officials said. Ukrainian President Volodymyr "
        "Zelensky condemned the attack and called on Western allies to send more air defence systems. Moscow did "
        "not comment on the strike.",
    },
    {
        "url": "https://paper.example/talks",
        "title": "Talks in Beijing",
        "date": "2024-06-04",
        "text": "Chinese Foreign Minister Wang Yi met his Brazilian counterpart in Beijing on Tuesday. The two "
        "ministers signed an agreement on trade in farm products.\n\nIsrael criticised Iran on Wednesday.",
    },
    {
        "url": "https://news.example/sanctions",
        "title": "Sanctions",
        "date": "2024-07-01",
        "text": "The European Union imposed sanctions on Iran on Monday. Iran condemned the decision. Turkey did "
        "not attack Syria.",
    },
]


def build_store(path: Path, pipeline: Pipeline, seed: Path, records: list[dict[str, Any]] = ARTICLES) -> Path:
    """A store filled by the real pipeline with the example article and `records`; closed, ready to serve."""
    feed = path.parent / f"{path.stem}-feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Store(path) as store:
        ingest([str(seed), str(feed)], store, pipeline)
    return path


@pytest.fixture(scope="module")
def coded(pipeline: Pipeline, seed_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A coded store on disk, shared by the module's read-only tests."""
    return build_store(tmp_path_factory.mktemp("api") / "coded.duckdb", pipeline, seed_path)


@pytest.fixture(scope="module")
def client(coded: Path) -> Iterator[TestClient]:
    """A read-only server (no token) over the coded store."""
    with TestClient(create_app(coded)) as c:
        yield c


@pytest.fixture
def writable(coded: Path, tmp_path: Path, pipeline: Pipeline) -> Iterator[tuple[TestClient, Path]]:
    """A server with a token over a copy of the coded store (its writes stay in the test), and the copy's path."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(coded, copy)
    with TestClient(create_app(copy, TOKEN, pipeline=pipeline)) as c:
        yield c, copy


def walk(client: TestClient, path: str, limit: int = 2, **params: Any) -> list[dict[str, Any]]:
    """Every item of a listing, page by page through the cursors."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the cursors never ended")


def stop(server: TestClient) -> None:
    """Stop a server (its lifespan ends: the database is closed), before the fixture would."""
    server.__exit__(None, None, None)


def problem(response: Any, status: int) -> dict[str, Any]:
    """A problem details body, checked for its status and media type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"]
    return body


# The UI's contract ------------------------------------------------------------------------------------------

EVENT_FIELDS = {
    "id", "date", "source", "source_names", "target", "target_names", "code", "code_name", "root", "plover",
    "quad_class", "goldstein", "confidence", "num_mentions", "num_sources", "num_articles", "place_name", "lat",
    "lon", "corrected", "verdict",
}  # fmt: skip
MENTION_FIELDS = {
    "id", "article_id", "article_title", "sentence_idx", "sentence_text", "sentence_start", "trigger_start",
    "trigger_end", "source_start", "source_end", "target_start", "target_end", "code", "rule", "confidence", "modes",
}  # fmt: skip


def test_health_gives_schema_and_counts(client: TestClient) -> None:
    """Health: ok, the schema version of every migration, row counts, read-only without a token."""
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["schema_version"] == max(m.version for m in MIGRATIONS)
    assert body["counts"]["articles"] == 4 and body["counts"]["events"] > 3
    assert body["writable"] is False


def test_event_list_and_detail_keep_the_contract(client: TestClient, coded: Path) -> None:
    """Events carry the UI's fields; an event's mentions point at their trigger in the article's text."""
    items = client.get("/api/events").json()["items"]
    assert items and set(items[0]) >= EVENT_FIELDS
    with_target = next(i for i in items if i["target"])
    assert with_target["target_names"][0]
    detail = client.get(f"/api/events/{with_target['id']}").json()
    assert detail["event"]["id"] == with_target["id"] and detail["corrections"] == []
    mention = detail["mentions"][0]
    assert set(mention) >= MENTION_FIELDS
    article = client.get(f"/api/articles/{mention['article_id']}").json()
    text = article["article"]["text"]
    assert text[mention["trigger_start"] : mention["trigger_end"]] == mention["trigger_text"]
    relative = mention["trigger_start"] - mention["sentence_start"]
    assert mention["sentence_text"][relative:].startswith(mention["trigger_text"])


def test_article_detail_has_every_extracted_item(client: TestClient) -> None:
    """An article gives its text, sentences, actors, mentions, quotes, places and dates, offsets into the text."""
    listed = client.get("/api/articles", params={"q": "Netanyahu"}).json()["items"]
    assert len(listed) == 1 and {"id", "title", "url", "outlet", "pub_date", "n_events"} <= set(listed[0])
    body = client.get(f"/api/articles/{listed[0]['id'][:8]}").json()
    text = body["article"]["text"]
    for kind in ("sentences", "actors", "mentions", "quotes", "places", "dates"):
        assert body[kind], kind
    for kind in ("actors", "places", "dates"):
        for item in body[kind]:
            assert text[item["start"] : item["end"]] == item["text"], kind
    assert {"start", "end", "code", "name", "text"} <= set(body["actors"][0])
    assert {"id", "event_id", "start", "end", "code", "code_name", "sentence_idx"} <= set(body["mentions"][0])


def test_filters_select_events(client: TestClient) -> None:
    """Actor codes and names, codes, roots, QuadClasses, dates and boxes select the events they name."""
    everything = walk(client, "/api/events", limit=100)
    israel = client.get("/api/events", params={"actor": "ISR", "limit": 100}).json()["items"]
    assert israel and all(any(c.startswith("ISR") for c in e["source"] + e["target"]) for e in israel)
    by_name = client.get("/api/events", params={"actor": "Israel", "limit": 100}).json()["items"]
    assert {e["id"] for e in israel} <= {e["id"] for e in by_name}
    conflict = client.get("/api/events", params={"quad_class": [3, 4], "limit": 100}).json()["items"]
    assert {e["id"] for e in conflict} == {e["id"] for e in everything if e["quad_class"] in (3, 4)}
    root = everything[0]["root"]
    assert {e["id"] for e in client.get("/api/events", params={"root": root}).json()["items"]} == {
        e["id"] for e in everything if e["root"] == root
    }
    june = client.get("/api/events", params={"since": "2024-06-01", "until": "2024-06-30"}).json()["items"]
    assert june and all(e["date"].startswith("2024-06") for e in june)
    located = [e for e in everything if e["lat"] is not None]
    if located:
        e = located[0]
        box = f"{e['lon'] - 1},{e['lat'] - 1},{e['lon'] + 1},{e['lat'] + 1}"
        assert e["id"] in {i["id"] for i in client.get("/api/events", params={"bbox": box}).json()["items"]}
    assert client.get("/api/events", params={"actor": "Atlantis"}).json()["items"] == []


@pytest.mark.parametrize(
    "path,params",
    [
        ("/api/events", {}),
        ("/api/events", {"sort": "goldstein", "order": "asc"}),
        ("/api/events", {"sort": "mentions"}),
        ("/api/events", {"sort": "confidence", "order": "asc"}),
        ("/api/mentions", {}),
        ("/api/articles", {}),
        ("/api/quotes", {}),
        ("/api/places", {}),
        ("/api/actors", {}),
        ("/api/aggregates", {"by": "actor"}),
    ],
)
def test_pagination_walks_every_row_exactly_once(
    client: TestClient, path: str, params: dict[str, Any]
) -> None:
    """Walking the cursors two items at a time gives every item of one big page, once, in the same order."""
    whole = client.get(path, params={**params, "limit": 1000}).json()["items"]
    walked = walk(client, path, limit=2, **params)
    assert len(whole) > 2
    assert walked == whole


def test_events_sort_in_the_order_asked(client: TestClient) -> None:
    """Sorted by Goldstein descending, scores never rise (unknown scores last)."""
    scores = [e["goldstein"] for e in walk(client, "/api/events", sort="goldstein")]
    known = [s for s in scores if s is not None]
    assert known == sorted(known, reverse=True)
    assert scores[: len(known)] == known


def test_a_cursor_of_another_listing_is_refused(client: TestClient) -> None:
    """A cursor is only good for the listing and order that made it."""
    cursor = client.get("/api/events", params={"limit": 1}).json()["next_cursor"]
    problem(client.get("/api/events", params={"cursor": cursor, "sort": "goldstein"}), 422)
    problem(client.get("/api/articles", params={"cursor": cursor}), 422)
    problem(client.get("/api/events", params={"cursor": "!!not-base64!!"}), 422)


# Downloads --------------------------------------------------------------------------------------------------


def test_csv_download_reads_back_as_the_items(client: TestClient, tmp_path: Path) -> None:
    """`format=csv` streams every event with a header; DuckDB reads it back with the JSON's ids and codes."""
    response = client.get("/api/events", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    target = tmp_path / "events.csv"
    target.write_bytes(response.content)
    rows = duckdb.sql(f"SELECT id, code, source FROM read_csv('{target}', header = true, all_varchar = true)")
    items = walk(client, "/api/events", limit=100)
    assert [(r[0], r[1], r[2] or "") for r in rows.fetchall()] == [
        (i["id"], i["code"], ";".join(i["source"])) for i in items
    ]


def test_parquet_and_jsonl_downloads_read_back(client: TestClient) -> None:
    """Parquet reads back with pyarrow (lists as lists), JSON Lines line by line, both equal to the pages."""
    items = walk(client, "/api/events", limit=100)
    table = pq.read_table(io.BytesIO(client.get("/api/events", params={"format": "parquet"}).content))
    assert table.column("id").to_pylist() == [i["id"] for i in items]
    assert table.column("source").to_pylist() == [i["source"] for i in items]
    lines = client.get("/api/events", params={"format": "jsonl"}).text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [i["id"] for i in items]
    quotes = pq.read_table(io.BytesIO(client.get("/api/quotes", params={"format": "parquet"}).content))
    assert quotes.num_rows == len(walk(client, "/api/quotes", limit=100))


def test_downloads_start_after_the_cursor_and_stop_at_the_limit(client: TestClient) -> None:
    """A download with a cursor and a limit has the items a page with them would have."""
    first = client.get("/api/events", params={"limit": 1}).json()
    rest = client.get("/api/events", params={"cursor": first["next_cursor"], "limit": 2}).json()["items"]
    lines = client.get(
        "/api/events", params={"cursor": first["next_cursor"], "limit": 2, "format": "jsonl"}
    ).text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [i["id"] for i in rest]


def test_series_and_network(client: TestClient) -> None:
    """An actor's timeline, a dyad's series and the network count events per period and dyad."""
    timeline = client.get("/api/actors/ISR/timeline", params={"interval": "month"}).json()["series"]
    israel = walk(client, "/api/events", limit=100, actor="ISR")
    assert sum(p["count"] for p in timeline) == len([e for e in israel if e["date"]])
    assert {"period", "count", "goldstein_sum", "goldstein_mean", "quad1", "quad2", "quad3", "quad4"} <= set(
        timeline[0]
    )
    dyad = client.get("/api/dyads", params={"source": "ISR", "target": "RUS", "interval": "week"}).json()
    assert dyad["series"] and all(p["count"] >= 1 for p in dyad["series"])
    network = client.get("/api/network").json()
    assert network["edges"] and {e["source"] for e in network["edges"]} <= {n["id"] for n in network["nodes"]}
    csv_text = client.get("/api/dyads", params={"source": "ISR", "format": "csv"}).text
    assert csv_text.startswith("period,count,goldstein_sum")


# Security ---------------------------------------------------------------------------------------------------


def test_writes_need_the_token(writable: tuple[TestClient, Path], client: TestClient) -> None:
    """Without a token writes are disabled (403); with one, a request must send it (401 otherwise)."""
    event_id = client.get("/api/events").json()["items"][0]["id"]
    body = {"verdict": "right", "author": "ana"}
    problem(client.post(f"/api/events/{event_id}/corrections", json=body), 403)
    problem(client.post("/api/articles", json={"text": "Iran hit Iraq."}), 403)
    server, _ = writable
    missing = problem(server.post(f"/api/events/{event_id}/corrections", json=body), 401)
    assert "Bearer" in missing["detail"]
    wrong = server.post(
        f"/api/events/{event_id}/corrections", json=body, headers={"Authorization": "Bearer nope"}
    )
    assert problem(wrong, 401) and wrong.headers["www-authenticate"].startswith("Bearer")
    assert server.post(f"/api/events/{event_id}/corrections", json=body, headers=AUTH).status_code == 201


def test_errors_are_problem_details(client: TestClient) -> None:
    """Unknown paths and ids are 404, invalid values 422, wrong methods 405: all problem details."""
    problem(client.get("/api/nowhere"), 404)
    problem(client.get("/api/events/ev0000000000000000"), 404)
    problem(client.get("/api/events/not-an-id"), 422)
    problem(client.get("/api/articles/ffffffffffffffff"), 404)
    body = problem(client.get("/api/events", params={"limit": 100_000}), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]
    problem(client.get("/api/events", params={"bbox": "1,2,3"}), 422)
    problem(client.get("/api/events", params={"mode": "negated"}), 422)
    problem(client.get("/api/events", params={"root": "21"}), 422)  # list filters check each value
    problem(client.get("/api/events", params={"quad_class": "5"}), 422)
    problem(client.get("/api/events", params={"plover": "ASSAULT\x00"}), 422)
    assert client.get("/api/events", params={"root": ["19", "04"], "plover": "assault"}).status_code == 200
    problem(client.get("/api/dyads", params={"source": "isr"}), 422)
    problem(client.delete("/api/events"), 405)
    assert client.get("/api/events?code=&since=&actor=").status_code == 200  # empty fields are absent
    problem(client.get("/api/events", params={"until": "0"}), 422)  # a number is not a date
    problem(client.get("/api/events", params={"bbox": "0,91,1,92"}), 422)
    wrong_method = problem(client.request("OPTIONS", "/api/articles"), 405)
    assert wrong_method["status"] == 405
    assert client.request("OPTIONS", "/api/articles").headers["allow"] == "GET, POST"


def test_large_bodies_are_refused(coded: Path, tmp_path: Path) -> None:
    """A body over the limit is refused with 413 before it is read, declared or streamed in chunks."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(coded, copy)
    with TestClient(create_app(copy, TOKEN, max_body=2048)) as server:
        big = {"text": "Iran hit Iraq. " * 500}
        problem(server.post("/api/articles", json=big, headers=AUTH), 413)

        def chunks() -> Iterator[bytes]:
            """A body sent without a declared length."""
            yield b'{"text": "'
            for _ in range(100):
                yield b"Iran hit Iraq. " * 10
            yield b'"}'

        problem(
            server.post(
                "/api/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
            ),
            413,
        )


def test_paths_cannot_escape(client: TestClient) -> None:
    """Encoded dots and slashes in ids, codes and static paths never reach a file or a query."""
    for path in (
        "/api/articles/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/articles/%2e%2e",
        "/api/actors/..%2F..%2Fetc/timeline",
        "/api/events/..%2Fhealth",
        "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    ):
        response = client.get(path)
        assert response.status_code in (404, 422), path
        assert "root:" not in response.text


def test_cors_is_off_unless_asked(coded: Path, client: TestClient) -> None:
    """No CORS headers by default; an allowed origin gets them."""
    origin = {"Origin": "https://analyst.example"}
    assert "access-control-allow-origin" not in client.get("/api/health", headers=origin).headers
    with TestClient(create_app(coded, cors_origins=("https://analyst.example",))) as other:
        allowed = other.get("/api/health", headers=origin).headers
        assert allowed["access-control-allow-origin"] == "https://analyst.example"


def test_openapi_lists_the_contract(client: TestClient) -> None:
    """The OpenAPI document has every endpoint the UI calls."""
    spec = client.get("/api/openapi.json").json()
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/events/{event_id}/corrections",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/actors",
        "/api/actors/{code}/timeline",
        "/api/dyads",
        "/api/network",
        "/api/quotes",
        "/api/places",
        "/api/aggregates",
        "/api/health",
        "/api/corrections/gold",
    ):
        assert path in spec["paths"], path


# Corrections ------------------------------------------------------------------------------------------------


def _export_csv(db: Path, *args: str) -> list[dict[str, str]]:
    """The events CSV export of a store, through the command line."""
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "csv", "--out", "-", *args])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    import csv

    return list(csv.DictReader(lines))


def test_corrections_override_queries_and_exports(writable: tuple[TestClient, Path]) -> None:
    """An event marked wrong disappears from lists, aggregates and exports; a fixed one shows its new code and
    actors; the machine's coding stays available."""
    server, db = writable
    events = walk(server, "/api/events", limit=100)
    wrong, fixed = events[0], events[1]
    assert (
        server.post(
            f"/api/events/{wrong['id']}/corrections", json={"verdict": "wrong", "author": "ana"}, headers=AUTH
        ).status_code
        == 201
    )
    stored = server.post(
        f"/api/events/{fixed['id']}/corrections",
        json={"verdict": "fixed", "code": "42", "source": ["usagov"], "author": "ben", "note": "a visit"},
        headers=AUTH,
    )
    assert stored.status_code == 201, stored.text
    assert stored.json()["code"] == "042" and stored.json()["machine_code"] == fixed["code"]

    listed = {e["id"]: e for e in walk(server, "/api/events", limit=100)}
    assert wrong["id"] not in listed
    assert listed[fixed["id"]]["code"] == "042" and listed[fixed["id"]]["source"] == ["USAGOV"]
    assert listed[fixed["id"]]["corrected"] and listed[fixed["id"]]["verdict"] == "fixed"
    assert listed[fixed["id"]]["machine"]["code"] == fixed["code"]
    assert listed[fixed["id"]]["quad_class"] == 1  # 042, a visit, is verbal cooperation
    machine = {e["id"]: e for e in walk(server, "/api/events", limit=100, machine="true")}
    assert machine[wrong["id"]]["verdict"] == "wrong" and machine[fixed["id"]]["code"] == fixed["code"]
    with_wrong = server.get("/api/events", params={"include_wrong": "true", "limit": 100}).json()["items"]
    assert wrong["id"] in {e["id"] for e in with_wrong}
    detail = server.get(f"/api/events/{fixed['id']}").json()
    assert [c["author"] for c in detail["corrections"]] == ["ben"]
    usa = server.get("/api/actors/USA/timeline").json()["series"]
    assert sum(p["count"] for p in usa) >= 1
    rows = server.get("/api/aggregates", params={"by": "actor", "limit": 1000}).json()["items"]
    assert any(r["actor"] == "USAGOV" for r in rows)

    stop(server)  # the export opens the file itself
    exported = {r["id"]: r for r in _export_csv(db)}
    assert wrong["id"] not in exported and exported[fixed["id"]]["code"] == "042"
    assert exported[fixed["id"]]["source"] == "USAGOV"
    raw = {r["id"]: r for r in _export_csv(db, "--machine-coding")}
    assert wrong["id"] in raw and raw[fixed["id"]]["code"] == fixed["code"]
    with Store(db, read_only=True) as store:
        stream = io.BytesIO()
        exports.export(store.con, "plover", stream)
        records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert {r["id"]: r["cameo"] for r in records}[fixed["id"]] == "042"


def test_invalid_corrections_are_refused(writable: tuple[TestClient, Path]) -> None:
    """Unknown events are 404; unknown codes, fixes without values and verdicts with values are 422."""
    server, _ = writable
    event_id = server.get("/api/events").json()["items"][0]["id"]
    url = f"/api/events/{event_id}/corrections"
    problem(
        server.post(
            "/api/events/ev0000000000000000/corrections",
            json={"verdict": "right", "author": "a"},
            headers=AUTH,
        ),
        404,
    )
    problem(server.post(url, json={"verdict": "fixed", "code": "999", "author": "a"}, headers=AUTH), 422)
    problem(server.post(url, json={"verdict": "fixed", "author": "a"}, headers=AUTH), 422)
    problem(server.post(url, json={"verdict": "wrong", "code": "042", "author": "a"}, headers=AUTH), 422)
    problem(server.post(url, json={"verdict": "right", "author": ""}, headers=AUTH), 422)
    problem(
        server.post(url, json={"verdict": "fixed", "source": ["not a code"], "author": "a"}, headers=AUTH),
        422,
    )
    problem(server.post(url, json={"verdict": "maybe", "author": "a"}, headers=AUTH), 422)
    problem(server.post(url, json={"verdict": "right", "author": " \x1f"}, headers=AUTH), 422)
    problem(server.post(url, json={"verdict": "fixed", "date": 0, "author": "a"}, headers=AUTH), 422)
    problem(server.post(url, content=b"\x89PNG", headers={**AUTH, "Content-Type": "application/json"}), 400)
    problem(server.post("/api/articles", json=[], headers=AUTH), 422)


def test_gold_export_is_read_by_the_evaluation(writable: tuple[TestClient, Path], tmp_path: Path) -> None:
    """With every event reviewed, the reviewed sentences come out as gold items `eventwire eval` reads: fixed
    codes in force, events marked wrong left out; the command line writes the same file."""
    server, db = writable
    events = walk(server, "/api/events", limit=100)
    verdicts = [{"verdict": "wrong", "author": "a"}, {"verdict": "fixed", "code": "0233", "author": "a"}]
    for event, body in zip(
        events, verdicts + [{"verdict": "right", "author": "a"}] * len(events), strict=False
    ):
        assert (
            server.post(f"/api/events/{event['id']}/corrections", json=body, headers=AUTH).status_code == 201
        )
    response = server.get("/api/corrections/gold")
    assert response.status_code == 200
    target = tmp_path / "gold.jsonl"
    target.write_bytes(response.content)
    items = list(read_gold(target))
    assert items and all(i.text and i.date and i.origin == "corrections" for i in items)
    codes = [e.code for i in items for e in i.events or []]
    assert "0233" in codes
    listed = server.get("/api/corrections", params={"limit": 1000}).json()["items"]
    assert len(listed) == len(events)
    stop(server)
    # Every event is reviewed: a sentence is skipped only for a mention that belongs to no event beside one that
    # does (a negated act next to an asserted one).
    assert int(response.headers["x-eventwire-skipped-sentences"]) == _incomplete_sentences(db, [])
    from_cli = tmp_path / "cli-gold.jsonl"
    result = CliRunner().invoke(cli, ["corrections", "--db", str(db), "--gold", str(from_cli)])
    assert result.exit_code == 0, result.output
    assert from_cli.read_bytes() == response.content


def _incomplete_sentences(db: Path, unreviewed: list[str]) -> int:
    """Sentences that report a reviewed event beside a mention of an event not reviewed (every event but
    `unreviewed` is) or of no event at all (a negated or hypothetical act): the gold export skips them."""
    with Store(db, read_only=True) as store:
        row = store.con.execute(
            "SELECT count(*) FROM (SELECT m.article_id, m.sentence_idx FROM event_mentions m "
            "LEFT JOIN event_links l ON l.article_id = m.article_id AND l.mention_idx = m.idx GROUP BY ALL "
            "HAVING count(*) FILTER (l.event_id IS NOT NULL AND NOT list_contains($1, l.event_id)) > 0 "
            "AND count(*) FILTER (l.event_id IS NULL OR list_contains($1, l.event_id)) > 0)",
            [unreviewed],
        ).fetchone()
    assert row is not None
    return int(row[0])


def _correct(server: TestClient, event_id: str, verdict: str, **values: Any) -> dict[str, Any]:
    """Store a correction of an event; the stored row."""
    body = {"verdict": verdict, "author": "ana", **values}
    response = server.post(f"/api/events/{event_id}/corrections", json=body, headers=AUTH)
    assert response.status_code == 201, response.text
    stored: dict[str, Any] = response.json()
    return stored


def _listed(server: TestClient) -> dict[str, dict[str, Any]]:
    """The events the list shows (corrections applied), by id."""
    return {e["id"]: e for e in walk(server, "/api/events", limit=100)}


def _sentences(server: TestClient, event_id: str) -> set[tuple[str, int]]:
    """The sentences (article, index) that report an event."""
    detail = server.get(f"/api/events/{event_id}").json()
    return {(m["article_id"], m["sentence_idx"]) for m in detail["mentions"]}


def _sharing(server: TestClient, events: list[dict[str, Any]]) -> dict[str, Any]:
    """An event reported in a sentence that reports another event too."""
    by_sentence: dict[tuple[str, int], set[str]] = {}
    for event in events:
        for sentence in _sentences(server, event["id"]):
            by_sentence.setdefault(sentence, set()).add(event["id"])
    shared = sorted(min(ids) for ids in by_sentence.values() if len(ids) > 1)
    assert shared, "the store has no sentence with two events"
    return next(e for e in events if e["id"] == shared[0])


def test_corrections_add_up_in_order(writable: tuple[TestClient, Path], tmp_path: Path) -> None:
    """The coding in force folds over an event's corrections: a second fix keeps the first, `right` keeps the
    fixes, `wrong` hides until a later `right`, `reset` restores the machine's coding; the list, the actor index,
    the exports and the gold export agree."""
    server, db = writable
    events = walk(server, "/api/events", limit=100)
    reset = _sharing(server, events)
    rest = [e for e in events if e["id"] != reset["id"]]
    both = next(e for e in rest if e["target"])  # fixed twice: code, then target
    confirmed = next(e for e in rest if e["id"] != both["id"])  # fixed, right, wrong, right
    revived = next(e for e in rest if e["id"] not in (both["id"], confirmed["id"]))  # wrong, then right
    code = "042" if both["code"] != "042" else "043"

    _correct(server, both["id"], "fixed", code=code)
    _correct(server, both["id"], "fixed", target=["USAGOV"])
    _correct(server, confirmed["id"], "fixed", code="0233")
    _correct(server, confirmed["id"], "right")
    assert _listed(server)[confirmed["id"]]["code"] == "0233"
    _correct(server, confirmed["id"], "wrong")
    _correct(server, revived["id"], "wrong")
    hidden = _listed(server)
    assert confirmed["id"] not in hidden and revived["id"] not in hidden
    _correct(server, confirmed["id"], "right")
    _correct(server, revived["id"], "right")
    _correct(server, reset["id"], "fixed", code="0233", source=["USAGOV"])
    _correct(server, reset["id"], "reset")

    listed = _listed(server)
    assert (listed[both["id"]]["code"], listed[both["id"]]["target"]) == (code, ["USAGOV"])
    assert listed[both["id"]]["source"] == both["source"] and listed[both["id"]]["verdict"] == "fixed"
    assert (listed[confirmed["id"]]["code"], listed[confirmed["id"]]["verdict"]) == ("0233", "fixed")
    assert listed[revived["id"]]["code"] == revived["code"] and listed[revived["id"]]["verdict"] == "right"
    assert listed[reset["id"]] == reset  # as the machine coded it, and not reviewed
    assert [c["verdict"] for c in server.get(f"/api/events/{reset['id']}").json()["corrections"]] == [
        "fixed",
        "reset",
    ]
    resets = server.get("/api/corrections", params={"verdict": "reset"}).json()["items"]
    assert [c["event_id"] for c in resets] == [reset["id"]]
    # The actor index reads the same coding: the dyad of the two fixes, and nothing of the fix undone.
    dyad = {"source": both["source"][0], "target": "USAGOV"}
    assert sum(p["count"] for p in server.get("/api/dyads", params=dyad).json()["series"]) == 1
    actors = server.get("/api/actors", params={"q": "USAGOV"}).json()["items"]
    assert [(a["code"], a["count"]) for a in actors] == [("USAGOV", 1)]

    # Gold: every other event reviewed; the sentences of the reset event are no longer reviewed whole.
    for event in rest:
        if event["id"] not in (both["id"], confirmed["id"], revived["id"]):
            _correct(server, event["id"], "right")
    gold_file = tmp_path / "gold.jsonl"
    response = server.get("/api/corrections/gold")
    gold_file.write_bytes(response.content)
    items = {i.id: i for i in read_gold(gold_file)}
    gold_events = [e for i in items.values() for e in i.events or []]
    assert any(e.code == code and e.target == ["USAGOV"] and e.source == both["source"] for e in gold_events)
    assert any(e.code == "0233" and e.source == confirmed["source"] for e in gold_events)
    assert not any(e.source == ["USAGOV"] for e in gold_events)
    undone = _sentences(server, reset["id"])
    assert not {f"corr-{article}-{sentence}" for article, sentence in undone} & set(items)

    stop(server)  # the export opens the file itself
    # The reset event shares a sentence with a reviewed one: that sentence is skipped now.
    skipped = _incomplete_sentences(db, [reset["id"]])
    assert skipped >= 1 and int(response.headers["x-eventwire-skipped-sentences"]) == skipped
    exported = {r["id"]: r for r in _export_csv(db)}
    assert (exported[both["id"]]["code"], exported[both["id"]]["target"]) == (code, "USAGOV")
    assert exported[confirmed["id"]]["code"] == "0233"
    assert exported[revived["id"]]["code"] == revived["code"]
    assert exported[reset["id"]]["code"] == reset["code"]
    assert exported[reset["id"]]["source"] == ";".join(reset["source"])


def test_dyads_count_only_events_with_both_sides(client: TestClient) -> None:
    """Without a side, or with the source only, the dyad series counts events that have a source and a target
    (as the network does), never those with one side empty."""
    events = walk(client, "/api/events", limit=100)
    dyadic = [e for e in events if e["source"] and e["target"] and e["date"]]
    assert len(dyadic) < len([e for e in events if e["date"]])  # the store has one-sided events
    everything = client.get("/api/dyads").json()["series"]
    assert sum(p["count"] for p in everything) == len(dyadic)
    sided = {c for e in events for c in e["target"]}
    lone = sorted({c for e in events if not e["target"] for c in e["source"]} - sided)
    lone = [c for c in lone if not any(c in e["source"] and e["target"] for e in events)]
    assert lone, "the store has no actor acting on nobody"
    assert client.get("/api/dyads", params={"source": lone[0]}).json()["series"] == []


def test_searches_match_wildcards_as_written(client: TestClient) -> None:
    """`%`, `_` and `\\` in a search are characters to find, not LIKE wildcards matching everything."""
    for wildcard in ("%", "_", "\\", "%%"):
        assert client.get("/api/events", params={"actor": wildcard}).json()["items"] == [], wildcard
        assert client.get("/api/articles", params={"q": wildcard}).json()["items"] == [], wildcard
        assert client.get("/api/articles", params={"source": wildcard}).json()["items"] == [], wildcard
        assert client.get("/api/places", params={"q": wildcard}).json()["items"] == [], wildcard
        assert client.get("/api/actors", params={"q": wildcard}).json()["items"] == [], wildcard
    assert client.get("/api/articles", params={"q": "Netanyahu"}).json()["items"]
    assert client.get("/api/articles", params={"source": "wire.example"}).json()["items"]


# Ingest through the API -------------------------------------------------------------------------------------


class Gate:
    """The pipeline factory of a server whose first ingest the test holds: the job is running (its status says so)
    but parses nothing until the test opens the gate, when the factory hands over the real pipeline."""

    def __init__(self, pipeline: Pipeline) -> None:
        """A closed gate in front of a pipeline."""
        self.pipeline = pipeline
        self.reached = threading.Event()
        self.open = threading.Event()

    def __call__(self) -> Pipeline:
        """Wait at the gate (the worker thread calls this once, at its first job), then give the pipeline."""
        self.reached.set()
        if not self.open.wait(120):
            raise TimeoutError("the test never opened the gate")
        return self.pipeline


POSTED = [
    {"text": f"Iran criticised Israel over the strikes on day {i}. Israel accused Iran of arming militias.",
     "title": f"Day {i}", "date": f"2024-08-0{1 + i % 9}", "url": f"https://x.example/{i}"}
    for i in range(12)
]  # fmt: skip


@pytest.fixture
def gated(coded: Path, tmp_path: Path, pipeline: Pipeline) -> Iterator[tuple[TestClient, Gate, Path]]:
    """A server with a token over a copy of the coded store whose first ingest waits at a gate, the gate, and the
    copy's path; the gate is opened when the test ends, so that the server can stop."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(coded, copy)
    gate = Gate(pipeline)
    server = TestClient(create_app(copy, TOKEN, pipeline=gate))
    with server:
        try:
            yield server, gate, copy
        finally:
            gate.open.set()


def _job(server: TestClient, job_id: str) -> Job:
    """An ingest job as the server holds it (to wait for it without polling)."""
    ingests = server.app.state.server.ingests  # type: ignore[attr-defined]
    found: Job | None = ingests.get(job_id)
    assert found is not None
    return found


def test_reads_answer_while_an_api_ingest_runs(gated: tuple[TestClient, Gate, Path]) -> None:
    """Articles posted with the token are ingested in the background; reads keep answering while the job runs,
    and the new events appear when it is done."""
    server, gate, _ = gated
    before = server.get("/api/health").json()["counts"]
    response = server.post("/api/articles", json=POSTED, headers=AUTH)
    assert response.status_code == 202, response.text
    job_url = response.headers["location"]
    assert gate.reached.wait(60)
    # The job is running and held at the gate: every read answers meanwhile, before anything is written.
    assert server.get(job_url).json()["status"] == "running"
    assert server.get("/api/events", params={"limit": 5}).status_code == 200
    assert server.get("/api/actors/IRN/timeline").status_code == 200
    assert server.get("/api/health").json()["counts"] == before
    gate.open.set()
    assert _job(server, job_url.rsplit("/", 1)[1]).done.wait(120)
    job = server.get(job_url).json()
    assert job["status"] == "done", job
    assert job["summary"]["new"] == 12 and len(job["article_ids"]) == 12
    after = server.get("/api/health").json()["counts"]
    assert after["articles"] == before["articles"] + 12 and after["events"] > before["events"]
    iran = server.get("/api/actors/IRN/timeline").json()["series"]
    assert any(p["period"].startswith("2024-08") for p in iran)  # the actor index was rebuilt
    one = server.post("/api/articles", params={"wait": 60}, json={"text": POSTED[0]["text"]}, headers=AUTH)
    assert one.status_code == 200 and one.json()["summary"]["duplicate"] == 1
    # The ids a job lists are of stored articles: each can be read at once.
    for article_id in job["article_ids"] + one.json()["article_ids"]:
        assert server.get(f"/api/articles/{article_id}").status_code == 200


def test_shutdown_finishes_the_running_ingest_and_cancels_the_queued(
    gated: tuple[TestClient, Gate, Path],
) -> None:
    """When the server stops, the running job finishes before the database closes, and the jobs queued behind it
    are cancelled at once (their page says so); only the running job's articles are stored."""
    server, gate, db = gated
    running = server.post("/api/articles", json=POSTED[:2], headers=AUTH).json()
    assert gate.reached.wait(60)
    queued = server.post("/api/articles", json=POSTED[2:4], headers=AUTH).json()
    assert queued["status"] == "queued"
    stopping = threading.Thread(target=stop, args=(server,))
    stopping.start()
    try:
        assert _job(server, queued["id"]).done.wait(30), "the queued job was not cancelled"
        assert _job(server, queued["id"]).status == "cancelled"
        assert _job(server, running["id"]).status == "running"
        assert stopping.is_alive()  # the server waits for the running job
    finally:
        gate.open.set()
        stopping.join(120)
    assert not stopping.is_alive()
    assert _job(server, running["id"]).status == "done"
    # The server is stopped; the jobs' pages still answer from memory while the process lives.
    page = server.get(f"/api/ingests/{queued['id']}").json()
    assert page["status"] == "cancelled" and page["article_ids"] == [] and page["finished"]
    with Store(db, read_only=True) as store:
        titles = {r[0] for r in store.con.execute("SELECT title FROM articles").fetchall()}
    assert {"Day 0", "Day 1"} <= titles and not {"Day 2", "Day 3"} & titles


# The server's resources -------------------------------------------------------------------------------------


def test_a_write_does_not_wait_for_an_index_rebuild(coded: Path, tmp_path: Path) -> None:
    """While the actor index is being built, a write bumps the generation at once; the index built meanwhile is
    replaced on the next use."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(coded, copy)
    reading, go_on = threading.Event(), threading.Event()

    def held(event_id: str) -> bool:
        """Let the build read events only once the test says so."""
        reading.set()
        return go_on.wait(60)

    con = duckdb.connect(str(copy))
    # The events as a view that calls back into the test: a build in progress, held where the test wants it.
    con.create_function("held", held, ["VARCHAR"], "BOOLEAN", side_effects=True)
    con.execute("ALTER TABLE events RENAME TO stored_events")
    con.execute("CREATE VIEW events AS SELECT * FROM stored_events WHERE held(id)")
    indexes = Indexes()
    built: list[int] = []
    builder = threading.Thread(target=lambda: built.append(indexes.get(con).generation))
    builder.start()
    try:
        assert reading.wait(60)
        bumper = threading.Thread(target=indexes.bump)
        bumper.start()
        bumper.join(5)
        assert not bumper.is_alive(), "the write waited for the rebuild"
    finally:
        go_on.set()
        builder.join(60)
    assert built == [0] and indexes.generation == 1
    assert indexes.get(con).generation == 1  # rebuilt for the write
    con.close()


@contextmanager
def uvicorn_serving(app: Any) -> Iterator[tuple[str, int]]:
    """An app served by uvicorn on a free loopback port, in a thread of the test process: its host and port."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(30)


def test_a_download_cut_short_gives_its_cursor_back(coded: Path, tmp_path: Path) -> None:
    """A client that leaves in the middle of a download does not leave its database cursor open."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(coded, copy)
    with Store(copy) as store:
        # Tens of megabytes of events: more than the sockets buffer, so the download is still streaming when the
        # client stops reading.
        store.con.execute(
            "INSERT INTO events SELECT e.* REPLACE (printf('ev%016x', hash(e.id, r.range)) AS id) "
            "FROM events e, range(4000) r"
        )
    app = create_app(copy)
    server = app.state.server
    with uvicorn_serving(app) as (host, port), socket.create_connection((host, port), timeout=30) as client:
        client.sendall(f"GET /api/events?format=jsonl HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert client.recv(65536).startswith(b"HTTP/1.1 200")
        assert server.open_cursors == 1  # the download reads on its cursor
        client.shutdown(socket.SHUT_RDWR)
        client.close()
        deadline = time.monotonic() + 30
        while server.open_cursors and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.open_cursors == 0
