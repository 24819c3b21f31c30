"""Reliability: a killed ingest resumes without loss or duplicates; spans and the header format hold."""

from __future__ import annotations

import datetime as dt
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.model import Article, Document, Source
from eventwire.pipeline import Pipeline
from eventwire.readers import ReadOptions, read_file
from eventwire.store import Store

N_ARTICLES = 300
BATCH = 8
KILL_DELAY = 0.12
CITIES = ["Paris", "Berlin", "Moscow", "Cairo", "Tokyo", "Lima", "Nairobi", "Ankara", "Hanoi", "Quito"]
LEADERS = ["Vladimir Putin", "Emmanuel Macron", "Olaf Scholz", "Xi Jinping", "Joe Biden", "Recep Erdogan"]


def _write_articles(docs: Path, n: int) -> list[Path]:
    """Write n distinct short articles in the header format, several sentences and two paragraphs each."""
    docs.mkdir()
    paths = []
    for i in range(n):
        city, host = CITIES[i % len(CITIES)], CITIES[(i * 7 + 3) % len(CITIES)]
        leader = LEADERS[i % len(LEADERS)]
        body = (
            f"A delegation of {i + 3} officials from {city} arrived in {host} on Monday for talks. "
            f"{leader} said meeting number {i} had lasted {i % 9 + 2} hours. "
            f"The foreign minister of {city} praised the hosts.\n\n"
            f"Protesters gathered outside the embassy in {host}. Police said {i * 7 + 11} people took part. "
            f"The talks resume on day {i % 5 + 1} of next week."
        )
        path = docs / f"article-{i:03d}.txt"
        header = f"date 2023-03-{i % 28 + 1:02d} Talks number {i} in {host}"
        path.write_text(f"{header}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def _check_consistent(db: Path) -> tuple[int, set[str]]:
    """Assert no article is half-written or duplicated; the number of articles and the source uris."""
    with Store(db) as store:
        con = store.con
        ((n_articles, n_ids),) = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchall()
        assert n_articles == n_ids
        ((n_sources, n_uris),) = con.execute("SELECT count(*), count(DISTINCT uri) FROM sources").fetchall()
        assert n_sources == n_uris == n_articles
        partial = con.execute(
            "SELECT count(*) FROM articles a WHERE n_sentences <> "
            "(SELECT count(*) FROM sentences s WHERE s.article_id = a.id) OR n_entities <> "
            "(SELECT count(*) FROM entities e WHERE e.article_id = a.id) OR n_sentences = 0"
        ).fetchone()
        assert partial == (0,)
        for table in ("sentences", "entities"):
            orphans = con.execute(
                f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
            ).fetchone()
            assert orphans == (0,), table
        assert con.execute(
            "SELECT count(*) FROM sources WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone() == (0,)
        assert store.counts()["errors"] == 0
        uris = {r[0] for r in con.execute("SELECT uri FROM sources").fetchall()}
    return n_articles, uris


@pytest.mark.slow
def test_killed_ingest_resumes(tmp_path: Path, cli_env: dict[str, str], eventwire_cmd: list[str]) -> None:
    """An ingest killed mid-run, run again, stores every article exactly once and none half-written."""
    paths = _write_articles(tmp_path / "docs", N_ARTICLES)
    cmd = [*eventwire_cmd, "-vv", "ingest", "docs", "--db", "ew.duckdb", "--batch-size", str(BATCH)]
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, env=cli_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    watchdog = threading.Timer(120, proc.kill)
    watchdog.start()
    seen: list[str] = []
    try:
        assert proc.stderr is not None
        committed = 0
        while committed < 2:
            line = proc.stderr.readline()
            if not line:
                break
            seen.append(line)
            committed += "committed batch" in line
        assert committed == 2, "".join(seen)
        # Kill somewhere inside the next batch rather than right after a commit.
        time.sleep(KILL_DELAY)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()

    # It really died mid-run: at least the two committed batches are stored, but not everything.
    stored, _ = _check_consistent(tmp_path / "ew.duckdb")
    assert 2 * BATCH <= stored < N_ARTICLES

    result = subprocess.run(
        cmd, cwd=tmp_path, env=cli_env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    summary = " ".join(result.stdout.split())
    assert f"read {N_ARTICLES} · new {N_ARTICLES - stored} · duplicate {stored} · failed 0" in summary
    total, uris = _check_consistent(tmp_path / "ew.duckdb")
    assert total == N_ARTICLES
    assert uris == {str(p.relative_to(tmp_path)) for p in paths}


NAMES = [
    "Paris",
    "Vladimir Putin",
    "Angela Merkel",
    "the United Nations",
    "Tel Aviv’s",
    "Russia's",
    "Kyiv",
    "Joe Biden",
    "NATO",
    "Xi Jinping",
    "Moscow",
    "the European Union",
    "Hamas",
    "Olaf Scholz",
]
_word = st.text(st.characters(categories=("L", "M", "N")), min_size=1, max_size=12)
_punct = st.sampled_from(
    [
        ",",
        ";",
        ":",
        "(",
        ")",
        "“",
        "”",
        '"',
        "'",
        "-",
        "–",
        "—",
        "%",
        "$",
        "3.5",
        "U.S.",
        "e.g.",
        "...",
        "?",
        "!",
        "#",
        "&",
        "/",
        "’s",
    ]
)
_token = st.one_of(_word, _word, st.sampled_from(NAMES), _punct)
_sentence = st.builds(
    lambda toks, end: " ".join(toks) + end,
    st.lists(_token, min_size=1, max_size=14),
    st.sampled_from([".", ".", "!", "?", "", "…", ".”"]),
)
_paragraph = st.builds(
    lambda sents, sep: sep.join(sents),
    st.lists(_sentence, min_size=1, max_size=4),
    st.sampled_from([" ", " ", "  ", "\n"]),
)
_body = st.builds(
    lambda paras, sep: sep.join(paras),
    st.lists(_paragraph, min_size=1, max_size=4),
    st.sampled_from(["\n\n", "\n\n", "\n \n", "\n\n\n", "\n"]),
)
_title = st.one_of(st.none(), st.lists(_token, min_size=1, max_size=8).map(" ".join))


def _assert_well_formed(article: Article) -> None:
    """Sentence and entity spans slice the text, lie inside it, and sentences are ordered and disjoint."""
    text = article.text
    assert [s.index for s in article.sentences] == list(range(len(article.sentences)))
    assert [e.index for e in article.entities] == list(range(len(article.entities)))
    previous_end = 0
    for sentence in article.sentences:
        span = sentence.span
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
        assert span.text == span.text.strip()
        assert span.start >= previous_end, "sentences overlap or are out of order"
        previous_end = span.end
    paragraphs = [s.paragraph for s in article.sentences]
    assert paragraphs == sorted(paragraphs)
    covered = [False] * len(text)
    for sentence in article.sentences:
        covered[sentence.span.start : sentence.span.end] = [True] * (sentence.span.end - sentence.span.start)
    assert all(c.isspace() for c, inside in zip(text, covered, strict=True) if not inside)
    for entity in article.entities:
        span = entity.span
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
        assert span.text.strip(), "an entity of nothing but whitespace"
        assert 0 <= entity.sentence < len(article.sentences)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(st.tuples(_title, _body), min_size=1, max_size=3))
def test_spans_slice_text(pipeline: Pipeline, bodies: list[tuple[str | None, str]]) -> None:
    """For generated articles, every sentence and entity span of the real pipeline slices the stored text."""
    lead = "Officials met in Geneva on Monday. "
    docs = [
        Document(Source(f"gen-{i}.txt", "text"), lead + body, title) for i, (title, body) in enumerate(bodies)
    ]
    results = list(pipeline.run(docs))
    assert len(results) == len(docs)
    for doc, result in zip(docs, results, strict=True):
        assert isinstance(result, Article), result
        assert result.source == doc.source
        assert result.text[result.body_start :].startswith(lead.strip())
        _assert_well_formed(result)


_title_text = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=60).filter(
    lambda t: t == t.strip() and t.splitlines() == [t]
)
_body_text = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n"), min_size=1, max_size=300
).filter(lambda b: b.strip() != "" and b == b.strip())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_title_text, date=st.dates(), body=_body_text, name=st.sampled_from(["article.txt", "article"]))
def test_header_format_round_trip(tmp_path: Path, title: str, date: dt.date, body: str, name: str) -> None:
    """A file `date YYYY-MM-DD Title`, a blank line and a body reads back as the same title, date and body."""
    path = tmp_path / name
    path.write_text(f"date {date.isoformat()} {title}\n\n{body}", encoding="utf-8")
    (doc,) = list(read_file(path, ReadOptions()))
    assert isinstance(doc, Document), doc
    assert (doc.title, doc.date, doc.body) == (title, date, body)
    assert doc.date_source == "header"
    assert doc.source == Source(str(path), "seed")
    assert doc.warnings == []
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.isoformat())


def test_spaced_possessive_leaves_no_trailing_space(pipeline: Pipeline) -> None:
    """An entity followed by a spaced possessive ending ("Tel Aviv ’s") ends at its last letter."""
    text = "Officials in Tel Aviv ’s government met Vladimir Putin ’s envoy in Moscow."
    (article,) = list(pipeline.run([Document(Source("p.txt", "text"), text)]))
    assert isinstance(article, Article), article
    names = [e.span.text for e in article.entities]
    assert all(name == name.strip() for name in names), names
    assert {"Tel Aviv", "Vladimir Putin", "Moscow"} <= set(names)
