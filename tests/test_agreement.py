"""Agreement between two annotations of the same items: the evaluation's event levels, per split, from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import cli
from eventwire.errors import UsageError
from eventwire.evaluation.agreement import agreement
from eventwire.evaluation.gold import GoldEvent, GoldItem


def _item(id_: str, events: list[GoldEvent] | None, split: str = "dev") -> GoldItem:
    """An annotated item with only events."""
    return GoldItem(id=id_, text="…", split=split, events=events)


REFERENCE = [
    _item("a", [GoldEvent(["RUSMIL"], ["UKR"], "195"), GoldEvent(["UKRGOV"], ["RUS"], "111")]),
    _item("b", [GoldEvent(["INDCOP"], ["INDCVL"], "173")], split="test"),
    _item("c", []),
    _item("d", None),
]


def test_identical_annotations_agree_fully() -> None:
    """An annotation scored against itself agrees at every level."""
    result = agreement(REFERENCE, REFERENCE)
    metrics = result.metrics()
    assert metrics["events"]["root"]["f1"] == 1.0
    assert metrics["events"]["triple"]["f1"] == 1.0
    assert result.scores.items == 3  # "d" has no events annotated
    assert set(metrics["splits"]) == {"dev", "test"}


def test_disagreements_count_at_their_level() -> None:
    """Same root, other leaf: agree on the root, not the triple; a missing event and an extra one count once."""
    second = [
        _item("a", [GoldEvent(["RUSMIL"], ["UKR"], "190")]),
        _item("b", [GoldEvent(["INDCOP"], ["INDCVL"], "173")], split="test"),
        _item("c", [GoldEvent(["PAK"], ["IND"], "130")]),
    ]
    metrics = agreement(REFERENCE, second).metrics()["events"]
    assert (metrics["root"]["tp"], metrics["root"]["fp"], metrics["root"]["fn"]) == (2, 1, 1)
    assert (metrics["triple"]["tp"], metrics["triple"]["fp"], metrics["triple"]["fn"]) == (1, 2, 2)


def test_swapping_annotators_keeps_f1() -> None:
    """Agreement F1 does not depend on which annotation is the reference."""
    second = [
        _item("a", [GoldEvent(["RUSMIL"], ["UKR"], "195")]),
        _item("c", [GoldEvent(["PAK"], ["IND"], "130")]),
    ]
    reference = [r for r in REFERENCE if r.id in {"a", "c"}]
    one = agreement(reference, second).metrics()["events"]["root"]["f1"]
    other = agreement(second, reference).metrics()["events"]["root"]["f1"]
    assert one == pytest.approx(other)
    assert 0 < one < 1


def test_item_missing_from_reference_is_an_error() -> None:
    """A second annotation of an item the reference does not hold is refused, naming it."""
    with pytest.raises(UsageError, match="item z"):
        agreement(REFERENCE, [_item("z", [])])


def _write(path: Path, items: list[dict[str, object]]) -> Path:
    """A gold file of these records."""
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def test_agreement_command(tmp_path: Path) -> None:
    """`eventwire agreement REFERENCE SECOND --split dev` prints the figures of that split."""
    event = {"source": ["RUSMIL"], "target": ["UKR"], "code": "195"}
    reference = _write(
        tmp_path / "ref.jsonl",
        [
            {"id": "a", "text": "Russia shelled Kharkiv.", "split": "dev", "events": [event]},
            {"id": "b", "text": "Police arrested him.", "split": "test", "events": []},
        ],
    )
    second = _write(
        tmp_path / "second.jsonl",
        [
            {
                "id": "a",
                "text": "Russia shelled Kharkiv.",
                "split": "dev",
                "events": [{**event, "code": "190"}],
            },
            {"id": "b", "text": "Police arrested him.", "split": "test", "events": [event]},
        ],
    )
    result = CliRunner().invoke(cli, ["agreement", str(reference), str(second), "--split", "dev"])
    assert result.exit_code == 0, result.output
    assert "1 items scored" in result.output
    assert "| events: CAMEO root | 1.000 | 1.000 | 1.000 | 1 | 0 | 0 |" in result.output
    assert "| events: source, target, code | 0.000 | 0.000 | 0.000 | 0 | 1 | 1 |" in result.output
    unknown = _write(tmp_path / "unknown.jsonl", [{"id": "x", "text": "Nothing.", "events": []}])
    refused = CliRunner().invoke(cli, ["agreement", str(reference), str(unknown)])
    assert refused.exit_code == 2
    assert "item x" in refused.output


def test_shipped_second_annotation_is_valid_and_blind_to_the_test_half() -> None:
    """The second annotation of the real-article gold: valid items, events only, dev items of the reference."""
    from eventwire.evaluation.gold import check_item, read_gold

    gold = Path(__file__).parents[1] / "eval" / "gold"
    reference = {item.id: item for item in read_gold(gold / "real-events.jsonl")}
    second = list(read_gold(gold / "real-events-second.jsonl"))
    assert len(second) >= 100
    for item in second:
        assert not check_item(item), item.id
        assert item.id in reference and reference[item.id].split == item.split == "dev"
        assert item.events is not None and item.actors is None
    result = agreement(reference.values(), second).metrics()["events"]
    assert 0.5 < result["root"]["f1"] < 1.0
