"""Agreement between two annotations of the same texts: how far a second annotator, coding the same items under
the same guidelines, agrees with the reference gold.

The figures are the evaluation's own event levels (CAMEO root, PLOVER type, root with countries, full triple,
QuadClass), with the second annotation in the place of the pipeline. Event F1 between two annotators is symmetric
(swapping them swaps precision and recall), so it reads as the share of events both found alike: the ceiling a
coder can be expected to reach against this gold, and the target that measuring against it can support.

Only events are compared, on the items both files hold and both annotated (`events` not null).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import UsageError
from .evaluate import Evaluation
from .gold import GoldItem
from .scoring import Scores, score_events


def agreement(
    reference: Iterable[GoldItem], second: Iterable[GoldItem], name: str = "agreement"
) -> Evaluation:
    """The second annotation scored against the reference, per split too, on the items both annotated."""
    by_id = {item.id: item for item in reference}
    result = Evaluation(name)
    for other in second:
        item = by_id.get(other.id)
        if item is None:
            raise UsageError(f"item {other.id} of the second annotation is not in the reference")
        if item.events is None or other.events is None:
            continue
        result.scores.items += 1
        result.scores.annotated["events"] += 1
        result.mismatches += score_events(item, other.events, result.scores)
        if item.split:
            scores = result.splits.setdefault(item.split, Scores())
            scores.items += 1
            scores.annotated["events"] += 1
            score_events(item, other.events, scores)
    return result
