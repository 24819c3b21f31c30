"""Evaluation reports: Markdown for people, JSON for machines, with the per-item error listing."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .evaluate import Evaluation


def to_json(evaluation: Evaluation) -> str:
    """The figures, confusion matrices and error listing as JSON."""
    if evaluation.clusters is not None:
        return json.dumps(
            {"gold": evaluation.name, "metrics": evaluation.metrics(), "errors": _errors(evaluation)},
            ensure_ascii=False,
            indent=1,
        )
    data: dict[str, Any] = {
        "gold": evaluation.name,
        "metrics": evaluation.metrics(),
        "confusion": {
            "cameo_root": _matrix(evaluation.scores.confusion_root),
            "plover": _matrix(evaluation.scores.confusion_plover),
        },
        "errors": _errors(evaluation),
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def _errors(evaluation: Evaluation) -> list[dict[str, str]]:
    """The disagreements as JSON records."""
    return [
        {
            "item": m.item,
            "aspect": m.aspect,
            "gold": m.gold,
            "predicted": m.predicted,
            "text": evaluation.texts.get(m.item, ""),
        }
        for m in evaluation.mismatches
    ]


def _matrix(counter: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """A confusion counter as {gold: {predicted: count}}."""
    out: dict[str, dict[str, int]] = {}
    for (gold, predicted), n in sorted(counter.items()):
        out.setdefault(gold, {})[predicted] = n
    return out


def to_markdown(evaluation: Evaluation, max_errors: int | None = None) -> str:
    """A readable report: headline figures, events by level, other aspects, confusion, then every error."""
    if evaluation.clusters is not None:
        return _clusters_markdown(evaluation, max_errors)
    m = evaluation.metrics()
    lines = [f"# Evaluation: {evaluation.name}", "", f"{m['items']} items scored."]
    if evaluation.skipped:
        lines += ["", "Not evaluated:"] + [
            f"- {n} items: {reason}" for reason, n in evaluation.skipped.items()
        ]
    lines += ["", "| figure | precision | recall | F1 | tp | fp | fn |", "|---|---|---|---|---|---|---|"]
    for name, counts in _prf_rows(m):
        lines.append(
            f"| {name} | {counts['precision']:.3f} | {counts['recall']:.3f} | {counts['f1']:.3f} | "
            f"{counts['tp']} | {counts['fp']} | {counts['fn']} |"
        )
    accuracies = _accuracy_rows(m)
    if accuracies:
        lines += ["", "| accuracy | value | correct / compared |", "|---|---|---|"]
    for name, acc in accuracies:
        # Nothing compared is not an accuracy of zero: say so.
        value = f"{acc['accuracy']:.3f}" if acc["total"] else "n/a"
        lines.append(f"| {name} | {value} | {acc['correct']} / {acc['total']} |")
    if m["unnormalised_actor_codes"]:
        codes = ", ".join(f"{c} ({n})" for c, n in m["unnormalised_actor_codes"].items())
        lines += ["", f"Actor codes whose country could not be normalised to ISO 3166-1 alpha-3: {codes}"]
    for split, figures in m.get("splits", {}).items():
        lines += [
            "",
            f"Split `{split}`: " + ", ".join(f"{name} F1 {c['f1']:.3f}" for name, c in _prf_rows(figures)),
        ]
    lines += _confusion_markdown("CAMEO root", evaluation.scores.confusion_root)
    lines += _confusion_markdown("PLOVER type", evaluation.scores.confusion_plover)
    lines += _errors_markdown(evaluation, max_errors)
    return "\n".join(lines) + "\n"


def _prf_rows(m: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The precision/recall figures worth a row, for annotated aspects only."""
    rows = []
    if m["annotated"].get("events"):
        labels = {
            "root": "events: CAMEO root",
            "plover": "events: PLOVER type",
            "dyad": "events: root + countries",
            "triple": "events: source, target, code",
            "quad": "events: QuadClass",
        }
        rows += [(label, m["events"][level]) for level, label in labels.items()]
    for aspect in ("actors", "quotes", "places", "dates", "entities"):
        if m["annotated"].get(aspect):
            rows.append((aspect, m[aspect]))
    return rows


def _accuracy_rows(m: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The accuracy figures of annotated aspects."""
    candidates = [
        ("events", "event modes (on matched triples)", m["events"]["modes"]),
        ("events", "event dates (on matched triples)", m["events"]["dates"]),
        ("actors", "actor code", m["actors"]["code"]),
        ("actors", "actor country", m["actors"]["country"]),
        ("actors", "actor sector", m["actors"]["sector"]),
        ("quotes", "quote speaker (matched quotes)", m["quotes"]["speaker"]),
        ("places", "places within 161 km (matched)", m["places"]["within_161km"]),
        ("dates", "date values (matched)", m["dates"]["value"]),
    ]
    return [(name, acc) for aspect, name, acc in candidates if m["annotated"].get(aspect)]


def _confusion_markdown(title: str, counter: Counter[tuple[str, str]]) -> list[str]:
    """A confusion matrix as a Markdown table (rows gold, columns predicted, `-` for none)."""
    if not counter:
        return []
    labels = sorted({g for g, _ in counter} | {p for _, p in counter}, key=lambda s: (s == "-", s))
    lines = [
        "",
        f"## Confusion by {title} (rows gold, columns predicted)",
        "",
        "| gold \\ predicted | " + " | ".join(labels) + " |",
        "|---" * (len(labels) + 1) + "|",
    ]
    for gold in labels:
        row = [str(counter.get((gold, p), "")) for p in labels]
        if any(row):
            lines.append(f"| {gold} | " + " | ".join(row) + " |")
    return lines


def _errors_markdown(evaluation: Evaluation, max_errors: int | None) -> list[str]:
    """The disagreements grouped by item, with the item's text."""
    if not evaluation.mismatches:
        return ["", "No disagreements."]
    shown = evaluation.mismatches if max_errors is None else evaluation.mismatches[:max_errors]
    heading = f"## Disagreements ({len(evaluation.mismatches)}"
    heading += ")" if len(shown) == len(evaluation.mismatches) else f"; first {len(shown)} listed)"
    lines = ["", heading]
    current = None
    for mismatch in shown:
        if mismatch.item != current:
            current = mismatch.item
            text = " ".join(evaluation.texts.get(current, "").split())
            lines += ["", f"**{current}** — {text[:300]}"]
        lines.append(f"- {mismatch.aspect}: gold `{mismatch.gold}` · predicted `{mismatch.predicted}`")
    return lines


def _clusters_markdown(evaluation: Evaluation, max_errors: int | None) -> str:
    """The report on gold event clusters: how many gold mentions were found, then pairwise clustering figures."""
    m = evaluation.metrics()
    rows = [("all", m["clusters"])] + [(name, f["clusters"]) for name, f in m.get("splits", {}).items()]
    lines = [
        f"# Evaluation: {evaluation.name}",
        "",
        f"{m['clusters']['clusters']} gold event clusters scored.",
    ]
    if evaluation.skipped:
        lines += ["", "Not evaluated:"] + [f"- {n}: {reason}" for reason, n in evaluation.skipped.items()]
    lines += [
        "",
        "| split | clusters | gold mentions | matched | same root | pairwise precision | recall | F1 | tp | fp "
        "| fn | gold pairs |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, c in rows:
        p = c["pairwise"]
        lines.append(
            f"| {name} | {c['clusters']} | {c['mentions']} | {c['matched']} ({c['matched_share']:.1%}) | "
            f"{c['matched_same_root']} | {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} | {p['tp']} | "
            f"{p['fp']} | {p['fn']} | {c['gold_pairs']} |"
        )
    lines += [
        "",
        "Pairs are counted over gold mentions matched to a grouped (eligible) predicted mention; gold pairs counts",
        "every same-cluster pair, matched or not.",
    ]
    lines += _errors_markdown(evaluation, max_errors)
    return "\n".join(lines) + "\n"
