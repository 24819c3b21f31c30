"""Evaluation runs end to end: gold files, dataset references, reports, the CLI and its quality gate."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.errors import DatasetMissing, MalformedRecord, RefMismatch, UsageError
from eventwire.evaluation import datasets, report
from eventwire.evaluation.evaluate import evaluate, read_floors
from eventwire.evaluation.gold import GoldEntity, GoldItem, Ref, check_item, read_gold, text_sha1, write_gold
from eventwire.evaluation.importers import import_gold
from eventwire.pipeline import Pipeline

SENTENCE = "Vladimir Putin met Recep Tayyip Erdogan in Sochi on Monday."
DOC_TEXT = "Talks in Sochi\n\n" + SENTENCE + " Nothing else happened."


def _entities(text: str, *spans: tuple[str, str]) -> list[GoldEntity]:
    """Gold entities located in `text`."""
    out = []
    for surface, label in spans:
        start = text.index(surface)
        out.append(GoldEntity(start, start + len(surface), surface, label))
    return out


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    """A gold file with entities on two sentences."""
    other = "The United Nations met in Geneva."
    items = [
        GoldItem(
            "s1",
            SENTENCE,
            entities=_entities(
                SENTENCE, ("Vladimir Putin", "PER"), ("Recep Tayyip Erdogan", "PER"), ("Sochi", "LOC")
            ),
        ),
        GoldItem("s2", other, entities=_entities(other, ("United Nations", "ORG"), ("Geneva", "LOC"))),
    ]
    path = tmp_path / "gold.jsonl"
    write_gold(items, path)
    return path


@pytest.fixture
def fake_datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A datasets folder with one TempEval-style document, found through EVENTWIRE_DATASETS."""
    folder = tmp_path / "datasets" / "te3-silver-news" / "part"
    folder.mkdir(parents=True)
    (folder / "DOC_1.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" value="2019-10-22" functionInDocument="CREATION_TIME">x</TIMEX3></DCT>'
        f"<TITLE>Talks</TITLE><TEXT>{DOC_TEXT.replace('Monday', '<TIMEX3>Monday</TIMEX3>')}</TEXT></TimeML>",
        encoding="utf-8",
    )
    monkeypatch.setenv("EVENTWIRE_DATASETS", str(tmp_path / "datasets"))
    datasets.documents.cache_clear()
    yield tmp_path / "datasets"
    datasets.documents.cache_clear()


def test_entity_scores_from_the_real_pipeline(gold_file: Path, pipeline: Pipeline) -> None:
    """Running the pipeline on gold entities gives real, non-trivial figures and lists disagreements."""
    result = evaluate(import_gold(gold_file), pipeline, name=gold_file.name)
    metrics = result.metrics()
    assert metrics["items"] == 2
    assert metrics["annotated"] == {"entities": 2}
    assert metrics["entities"]["tp"] >= 3
    assert 0.5 <= metrics["entities"]["f1"] <= 1.0
    assert "events" not in metrics["annotated"]
    markdown = report.to_markdown(result)
    assert "| entities |" in markdown and "events: CAMEO root" not in markdown
    data = json.loads(report.to_json(result))
    assert data["metrics"]["entities"]["f1"] == metrics["entities"]["f1"]


def test_reference_is_resolved_from_the_dataset(fake_datasets: Path, pipeline: Pipeline) -> None:
    """An item without text is read from its dataset by offsets, checked by checksum, dated by the document."""
    start = DOC_TEXT.index(SENTENCE)
    ref = Ref("te3-silver-news", "DOC_1", start, start + len(SENTENCE), text_sha1(SENTENCE))
    item = GoldItem("r1", ref=ref, entities=_entities(SENTENCE, ("Sochi", "LOC")))
    resolved = datasets.resolve(item)
    assert resolved.text == SENTENCE
    assert str(resolved.date) == "2019-10-22"
    result = evaluate([item], pipeline)
    assert result.metrics()["entities"]["tp"] == 1


def test_changed_reference_text_is_refused(fake_datasets: Path) -> None:
    """A checksum that does not match the dataset text is an error naming the item."""
    item = GoldItem("r2", ref=Ref("te3-silver-news", "DOC_1", 0, 5, "000000000000"))
    with pytest.raises(RefMismatch, match="r2"):
        datasets.resolve(item)


def test_missing_dataset_is_reported_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pipeline: Pipeline
) -> None:
    """Items pointing into an absent dataset are skipped with a clear reason; the others are scored."""
    monkeypatch.setenv("EVENTWIRE_DATASETS", str(tmp_path / "nowhere"))
    datasets.documents.cache_clear()
    items = [
        GoldItem("r", ref=Ref("guardian-syria-2019", "3", 0, 10, "abc")),
        GoldItem("t", SENTENCE, entities=_entities(SENTENCE, ("Sochi", "LOC"))),
    ]
    result = evaluate(items, pipeline)
    datasets.documents.cache_clear()
    assert result.metrics()["items"] == 1
    (reason,) = result.skipped
    assert "guardian-syria-2019" in reason and "not found" in reason


def test_gold_file_errors_name_the_line(tmp_path: Path) -> None:
    """A gold line whose span does not slice its text is refused with the file and line."""
    path = tmp_path / "bad.jsonl"
    good = {
        "id": "a",
        "text": "Rain in Oslo.",
        "entities": [{"start": 8, "end": 12, "text": "Oslo", "label": "LOC"}],
    }
    bad = {
        "id": "b",
        "text": "Rain in Oslo.",
        "entities": [{"start": 0, "end": 4, "text": "Oslo", "label": "LOC"}],
    }
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(MalformedRecord) as info:
        list(read_gold(path))
    assert info.value.line == 2
    assert "'Rain', not 'Oslo'" in info.value.reason


@pytest.mark.slow
def test_cli_eval_reports_and_gates(gold_file: Path, tmp_path: Path, eventwire_cmd: list[str]) -> None:
    """`eventwire eval` prints figures, writes reports, and exits 1 only when a floor is not met."""
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({gold_file.name: {"entities.f1": 0.3}}), encoding="utf-8")
    cmd = [
        *eventwire_cmd,
        "eval",
        str(gold_file),
        "--gate",
        str(baseline),
        "--markdown",
        str(tmp_path / "r.md"),
        "--json",
        str(tmp_path / "r.json"),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "| entities |" in done.stdout
    assert json.loads((tmp_path / "r.json").read_text())["gold"] == gold_file.name
    assert "# Evaluation" in (tmp_path / "r.md").read_text()
    baseline.write_text(json.dumps({gold_file.name: {"entities.f1": 0.99, "events.root.f1": 0.1}}))
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "below floor" in done.stderr and "events.root.f1" in done.stderr


def test_changed_reference_text_is_skipped_in_a_run(fake_datasets: Path, pipeline: Pipeline) -> None:
    """In a run, an item whose dataset text changed is counted as skipped with its reason; the rest is scored."""
    items = [
        GoldItem("changed", ref=Ref("te3-silver-news", "DOC_1", 0, 5, "000000000000")),
        GoldItem("ok", SENTENCE, entities=_entities(SENTENCE, ("Sochi", "LOC"))),
    ]
    result = evaluate(items, pipeline)
    assert result.metrics()["items"] == 1
    (reason,) = result.skipped
    assert "changed" in reason and "has changed" in reason


def test_gate_without_floors_for_the_gold_is_an_error(tmp_path: Path) -> None:
    """A baseline that pins nothing for this gold file (a renamed file) is refused, not silently passed."""
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"old-name.jsonl": {"entities.f1": 0.5}}), encoding="utf-8")
    with pytest.raises(UsageError, match=r"pins no floors for 'new-name\.jsonl'"):
        read_floors(baseline, "new-name.jsonl")
    assert read_floors(baseline, "old-name.jsonl") == {"entities.f1": 0.5}


@pytest.mark.slow
def test_cli_eval_split_and_broken_gold(tmp_path: Path, eventwire_cmd: list[str]) -> None:
    """`--split` keeps only that split's items; a broken gold file exits 2 naming its line."""
    items = [
        GoldItem("d", SENTENCE, split="dev", entities=_entities(SENTENCE, ("Sochi", "LOC"))),
        GoldItem("t", SENTENCE, split="test", entities=_entities(SENTENCE, ("Sochi", "LOC"))),
        GoldItem("t2", SENTENCE, split="test", entities=_entities(SENTENCE, ("Sochi", "LOC"))),
    ]
    gold = tmp_path / "gold.jsonl"
    write_gold(items, gold)
    done = subprocess.run(
        [*eventwire_cmd, "eval", str(gold), "--split", "test"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "2 items scored" in done.stdout
    broken = tmp_path / "broken.jsonl"
    broken.write_text(
        '{"id": "x", "text": "Rain.", "entities": [{"start": 0, "end": 9, "text": "Snow", '
        '"label": "LOC"}]}\n',
        encoding="utf-8",
    )
    done = subprocess.run([*eventwire_cmd, "eval", str(broken)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "broken.jsonl:1" in done.stderr


REAL_GOLD = sorted((Path(__file__).resolve().parents[1] / "eval" / "gold").glob("real-*.jsonl"))


@pytest.mark.parametrize("path", REAL_GOLD, ids=[p.name for p in REAL_GOLD])
def test_real_article_gold_still_matches_its_datasets(path: Path) -> None:
    """Every reference of the real-article gold resolves to unchanged text (when the corpora are on this machine)."""
    datasets.documents.cache_clear()
    items = list(read_gold(path))
    assert items and all(item.text is None and item.ref is not None for item in items)
    try:
        resolved = [datasets.resolve(item) for item in items]
    except DatasetMissing as exc:
        pytest.skip(f"third-party corpora not available: {exc.reason}")
    assert all(not check_item(item) for item in resolved)


def test_cut_keeps_records_inside_and_shifts_them() -> None:
    """Cutting a parsed article to an item keeps the records inside it, with offsets counted from the cut."""
    from eventwire.evaluation.evaluate import cut
    from eventwire.model import ActorMention, Article, Entity, Quote, Source, Span

    text = "Moscow said no. Kyiv said yes. Paris was silent."
    article = Article("d", text, None, None, None, 0, Source("d", "gold"))
    article.entities = [Entity(0, 0, "GPE", Span(0, 6, "Moscow")), Entity(1, 1, "GPE", Span(16, 20, "Kyiv"))]
    article.actors = [ActorMention(0, 1, Span(16, 20, "Kyiv"), "UKRGOV")]
    article.quotes = [
        Quote(0, Span(26, 29, "yes"), "indirect", Span(16, 20, "Kyiv"), "UKRGOV", Span(0, 4, "Mosc"))
    ]
    part = cut(article, 16, 30)
    assert part.text == "Kyiv said yes."
    assert [(e.span.start, e.span.text) for e in part.entities] == [(0, "Kyiv")]
    assert part.actors[0].span == Span(0, 4, "Kyiv")
    assert part.quotes[0].span == Span(10, 13, "yes")
    assert part.quotes[0].speaker == Span(0, 4, "Kyiv")
    assert part.quotes[0].cue is None
    for record in [*part.entities, *part.actors]:
        assert part.text[record.span.start : record.span.end] == record.span.text
