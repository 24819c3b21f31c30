"""Scoring: predicted records against gold, per item, summed into precision, recall and F1.

Events are compared at four levels: (1) the event alone — its CAMEO root, and its PLOVER type; (2) the root with
the source and target countries; (3) the full triple of source codes, target codes and CAMEO code; (4) its
QuadClass. Actor lists are compared as sets (compound actors); for symmetric events (meetings, calls, talks,
signing) source and target are one set, so "A and B met" equals "A met B"; and a joint act of a code that allows one
(several sources, no target: "A and B clashed") agrees with A→B and B→A alike. Events are paired by maximum
bipartite matching, so each gold event and each prediction counts once. Spans (actors, quotes, places,
dates) match when they overlap; entities must match exactly, with labels mapped to CoNLL types.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .. import ontology
from ..geo import haversine_km
from ..model import Article, EventMention
from .codes import normalise_actor
from .gold import GoldEvent, GoldItem

# Events whose sides play the same part whatever the syntax (meetings, calls, talks, signing): who met whom is a
# matter of phrasing. Other codes keep their direction (eval/GUIDELINES.md, section 4).
# Codes the guidelines allow as joint acts ("A and B agreed", "exchanged fire"): several sources and no target.
JOINT_CODES = frozenset(
    {"019", "032", "036", "037", "0311", "054", "061", "062", "0871", "145", "190", "193", "194"}
)
# spaCy (OntoNotes) entity labels as CoNLL-2003 types; the others (dates, numbers…) are not CoNLL entities.
CONLL_LABELS = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "MISC": "MISC",
}
EVENT_LEVELS = ("root", "plover", "dyad", "triple", "quad")
# What the event scorer compares with the gold: the pipeline's mentions, or another annotator's gold events.
Event = GoldEvent | EventMention
NEAR_KM = 161.0


@dataclass(slots=True)
class Counts:
    """True positives, false positives and false negatives, and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        """Add one item's counts."""
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    @property
    def precision(self) -> float:
        """Share of predictions that are right (0 when nothing was predicted)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Share of gold records found (0 when there is no gold)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """The counts and scores, rounded for reports."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class Accuracy:
    """Correct out of compared."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        """Count one comparison."""
        self.correct += ok
        self.total += 1

    @property
    def value(self) -> float:
        """The share correct (0 when nothing was compared)."""
        return self.correct / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """The accuracy and its counts."""
        return {"accuracy": round(self.value, 4), "correct": self.correct, "total": self.total}


@dataclass(slots=True)
class Scores:
    """Every figure of an evaluation run, filled item by item."""

    items: int = 0
    events: dict[str, Counts] = field(default_factory=lambda: {level: Counts() for level in EVENT_LEVELS})
    modes: Accuracy = field(default_factory=Accuracy)
    event_dates: Accuracy = field(default_factory=Accuracy)
    confusion_root: Counter[tuple[str, str]] = field(default_factory=Counter)
    confusion_plover: Counter[tuple[str, str]] = field(default_factory=Counter)
    actors: Counts = field(default_factory=Counts)
    actor_code: Accuracy = field(default_factory=Accuracy)
    actor_country: Accuracy = field(default_factory=Accuracy)
    actor_sector: Accuracy = field(default_factory=Accuracy)
    quotes: Counts = field(default_factory=Counts)
    speakers: Accuracy = field(default_factory=Accuracy)
    places: Counts = field(default_factory=Counts)
    places_near: Accuracy = field(default_factory=Accuracy)
    dates: Counts = field(default_factory=Counts)
    date_values: Accuracy = field(default_factory=Accuracy)
    entities: Counts = field(default_factory=Counts)
    entity_types: dict[str, Counts] = field(default_factory=dict)
    unknown_codes: Counter[str] = field(default_factory=Counter)
    annotated: Counter[str] = field(default_factory=Counter)

    def metrics(self) -> dict[str, Any]:
        """Every figure as nested dicts: the names the quality gate and the reports use."""
        return {
            "items": self.items,
            "annotated": dict(self.annotated),
            "events": {level: c.as_dict() for level, c in self.events.items()}
            | {"modes": self.modes.as_dict(), "dates": self.event_dates.as_dict()},
            "actors": self.actors.as_dict()
            | {
                "code": self.actor_code.as_dict(),
                "country": self.actor_country.as_dict(),
                "sector": self.actor_sector.as_dict(),
            },
            "quotes": self.quotes.as_dict() | {"speaker": self.speakers.as_dict()},
            "places": self.places.as_dict() | {"within_161km": self.places_near.as_dict()},
            "dates": self.dates.as_dict() | {"value": self.date_values.as_dict()},
            "entities": self.entities.as_dict()
            | {t: c.as_dict() for t, c in sorted(self.entity_types.items())},
            "unnormalised_actor_codes": dict(self.unknown_codes.most_common()),
        }


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One disagreement between gold and prediction, for the error listing."""

    item: str
    aspect: str
    gold: str
    predicted: str


def score_item(item: GoldItem, article: Article, scores: Scores) -> list[Mismatch]:
    """Add one item's comparison to the scores; the disagreements found."""
    scores.items += 1
    errors: list[Mismatch] = []
    scorers: dict[str, Callable[[], list[Mismatch]]] = {
        "events": lambda: score_events(item, article.events, scores),
        "actors": lambda: _score_actors(item, article, scores),
        "quotes": lambda: _score_quotes(item, article, scores),
        "places": lambda: _score_places(item, article, scores),
        "dates": lambda: _score_dates(item, article, scores),
        "entities": lambda: _score_entities(item, article, scores),
    }
    # Only what the gold annotated is scored: a null list says "not annotated", an empty one "nothing to find".
    for aspect, score in scorers.items():
        if getattr(item, aspect) is not None:
            scores.annotated[aspect] += 1
            errors += score()
    return errors


def _codes(codes: Iterable[str], scores: Scores | None = None) -> frozenset[str]:
    """Actor codes normalised (old CAMEO country codes to ISO3), unknown country parts counted."""
    out = set()
    for code in codes:
        actor = normalise_actor(code)
        if not actor.known and scores is not None:
            scores.unknown_codes[code] += 1
        out.add(actor.code)
    return frozenset(out)


def _countries(codes: Iterable[str]) -> frozenset[str]:
    """The countries (or organisations) of actor codes."""
    return frozenset(normalise_actor(c).country or normalise_actor(c).code for c in codes)


def _sides(
    code: str, source: Iterable[str], target: Iterable[str], key: Callable[[Iterable[str]], Hashable]
) -> tuple[Hashable, ...]:
    """The two sides of an event as comparable keys; one combined side for symmetric events."""
    if _symmetric(code):
        return (key([*source, *target]),)
    return (key(source), key(target))


def _symmetric(code: str) -> bool:
    """Whether the event's two sides play the same part (consult, meet, cooperate)."""
    try:
        canonical = ontology.normalise_code(code)
    except ValueError:
        return False
    return canonical in ontology.SYMMETRIC_CODES


def event_key(level: str, code: str, source: Sequence[str], target: Sequence[str]) -> Hashable:
    """What must agree for two events to match at a level."""
    entry = _entry(code)
    if level == "root":
        return entry.root if entry else code
    if level == "plover":
        # Public statements (01x) have no PLOVER type: they must not all agree with one another.
        return (entry.plover_type or f"no PLOVER type ({entry.code})") if entry else code
    if level == "quad":
        return entry.quad_class if entry else code
    if level == "dyad":
        return (entry.root if entry else code, *_sides(code, source, target, _countries))
    return (entry.code if entry else code, *_sides(code, source, target, _codes))


def _entry(code: str) -> ontology.CameoCode | None:
    """The CAMEO entry of a code, or None when it is not one."""
    try:
        return ontology.lookup(code)
    except ValueError:
        return None


def score_events(
    item: GoldItem, predicted: Sequence[GoldEvent] | Sequence[EventMention], scores: Scores
) -> list[Mismatch]:
    """Compare events at every level, modes and dates on triple matches, and fill the confusion matrices; the
    predictions may be another annotator's gold events (`agreement`)."""
    gold = item.events or []
    events: list[Event] = list(predicted)
    _codes([c for g in gold for c in (*g.source, *g.target)], scores)
    if item.origin == "petrarch":
        events = per_dyad(events)
    triples: list[tuple[int, int]] = []
    for level in _levels(item):
        matched = _match_events(level, gold, events)
        scores.events[level].add(len(matched), len(events) - len(matched), len(gold) - len(matched))
        if level == "triple":
            triples = matched
    for i, j in triples:
        scores.modes.add(_modes(gold[i]) == _modes(events[j]))
        if gold[i].date is not None:
            scores.event_dates.add(gold[i].date == events[j].date)
    pairs, lost, extra = _align_events(gold, events)
    cells: list[tuple[GoldEvent | None, Event | None]] = [*pairs]
    cells += [(g, None) for g in lost] + [(None, p) for p in extra]
    for gold_event, predicted_event in cells:
        for level, matrix in (("root", scores.confusion_root), ("plover", scores.confusion_plover)):
            matrix[(_label(gold_event, level), _label(predicted_event, level))] += 1
    found = {i for i, _ in triples}
    right = {j for _, j in triples}
    errors = [Mismatch(item.id, "event", _describe(g), "-") for i, g in enumerate(gold) if i not in found]
    errors += [Mismatch(item.id, "event", "-", _describe(p)) for j, p in enumerate(events) if j not in right]
    return errors


def _levels(item: GoldItem) -> tuple[str, ...]:
    """The event levels an item can be scored at: PLOVER records carry a PLOVER type, not a CAMEO code."""
    return ("plover",) if item.origin == "plover" else EVENT_LEVELS


def per_dyad(events: list[Event]) -> list[Event]:
    """Events split into one per source-target pair, the way PETRARCH records code compound actors."""
    out = []
    for event in events:
        sources, targets = event.source or [""], event.target or [""]
        for source in sources:
            for target in targets:
                out.append(
                    replace(event, source=[source] if source else [], target=[target] if target else [])
                )
    return out


def _match_events(level: str, gold: list[GoldEvent], predicted: Sequence[Event]) -> list[tuple[int, int]]:
    """A largest set of (gold index, predicted index) pairs of events that agree at a level, each used once."""
    agree = [[j for j, p in enumerate(predicted) if events_agree(level, g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        """Find predicted event for gold event i, moving earlier pairs along (bipartite matching)."""
        for j in agree[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def events_agree(level: str, gold: Event, predicted: Event) -> bool:
    """Whether two events agree at a level; a joint act ("A and B fought") agrees with A→B and B→A alike."""
    if event_key(level, gold.code, gold.source, gold.target) == event_key(
        level, predicted.code, predicted.source, predicted.target
    ):
        return True
    if level in ("dyad", "triple") and (_joint(gold) or _joint(predicted)):
        merged = [*gold.source, *gold.target]
        other = [*predicted.source, *predicted.target]
        return event_key(level, gold.code, merged, []) == event_key(level, predicted.code, other, [])
    return False


def _joint(event: GoldEvent | EventMention) -> bool:
    """Whether an event is a joint act: a code that allows one, several sources and no target."""
    entry = _entry(event.code)
    return entry is not None and entry.code in JOINT_CODES and not event.target and len(event.source) > 1


def _modes(event: GoldEvent | EventMention) -> tuple[bool, bool, bool, bool]:
    """The mode flags of an event."""
    return (event.negated, event.hypothetical, event.future, event.historical)


def _label(event: GoldEvent | EventMention | None, level: str) -> str:
    """An event's CAMEO root or PLOVER type for a confusion matrix; `-` for no event."""
    if event is None:
        return "-"
    key = event_key(level, event.code, event.source, event.target)
    return str(key)


def _align_events(
    gold: list[GoldEvent], predicted: list[Event]
) -> tuple[list[tuple[GoldEvent, Event]], list[GoldEvent], list[Event]]:
    """Pair gold and predicted events of one item, most similar first; the unpaired of each side."""
    candidates = sorted(
        ((_similarity(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted)), reverse=True
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for similarity, i, j in candidates:
        if similarity > 0 and i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((gold[i], predicted[j]))
    lost = [g for i, g in enumerate(gold) if i not in used_g]
    extra = [p for j, p in enumerate(predicted) if j not in used_p]
    return pairs, lost, extra


def _similarity(gold: GoldEvent, predicted: Event) -> int:
    """How alike two events are: shared actors first, then the same root, then the same code."""
    shared = len(_codes([*gold.source, *gold.target]) & _codes([*predicted.source, *predicted.target]))
    same_root = event_key("root", gold.code, [], []) == event_key("root", predicted.code, [], [])
    return shared * 4 + same_root * 2 + (gold.code == predicted.code)


def _describe(event: GoldEvent | EventMention) -> str:
    """An event in one line: `ISRGOV → RUSGOV 041 (Discuss by telephone) [negated]`."""
    entry = _entry(event.code)
    flags = [
        name
        for name, on in zip(("negated", "hypothetical", "future", "historical"), _modes(event), strict=True)
        if on
    ]
    name = f" ({entry.name})" if entry else ""
    suffix = f" [{', '.join(flags)}]" if flags else ""
    return f"{'+'.join(event.source) or '?'} → {'+'.join(event.target) or '-'} {event.code}{name}{suffix}"


def _overlap_pairs(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]], min_jaccard: float = 0.0
) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) of overlapping spans, largest overlap first, each span used once."""
    candidates = []
    for i, (gs, ge) in enumerate(gold):
        for j, (ps, pe) in enumerate(predicted):
            inter = min(ge, pe) - max(gs, ps)
            union = max(ge, pe) - min(gs, ps)
            if inter > 0 and union > 0 and inter / union > min_jaccard:
                candidates.append((inter / union, i, j))
    pairs, used_g, used_p = [], set(), set()
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def _score_spans(
    item: GoldItem,
    aspect: str,
    gold: Sequence[Any],
    predicted: Sequence[Any],
    counts: Counts,
    min_jaccard: float = 0.0,
) -> tuple[list[tuple[int, int]], list[Mismatch]]:
    """Match spans by overlap, count them, and list the unmatched; the matched pairs."""
    gold_spans = [(g.start, g.end) for g in gold]
    pred_spans = [(p.span.start, p.span.end) for p in predicted]
    pairs = _overlap_pairs(gold_spans, pred_spans, min_jaccard)
    counts.add(len(pairs), len(predicted) - len(pairs), len(gold) - len(pairs))
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    errors = [Mismatch(item.id, aspect, g.text, "-") for i, g in enumerate(gold) if i not in matched_g]
    errors += [
        Mismatch(item.id, aspect, "-", p.span.text) for j, p in enumerate(predicted) if j not in matched_p
    ]
    return pairs, errors


def _score_actors(item: GoldItem, article: Article, scores: Scores) -> list[Mismatch]:
    """Actor mentions found, and how well matched ones are coded (code, country, sector)."""
    gold = item.actors or []
    pairs, errors = _score_spans(item, "actor", gold, article.actors, scores.actors)
    for i, j in pairs:
        g, p = gold[i], article.actors[j]
        if g.code is None:
            continue
        want, got = normalise_actor(g.code), normalise_actor(p.code or "")
        scores.actor_code.add(want.code == got.code)
        scores.actor_country.add(want.country == got.country)
        scores.actor_sector.add(want.sectors == got.sectors)
        if want.code != got.code:
            errors.append(Mismatch(item.id, "actor code", f"{g.text}: {g.code}", f"{p.span.text}: {p.code}"))
    return errors


def _score_quotes(item: GoldItem, article: Article, scores: Scores) -> list[Mismatch]:
    """Quotes found (half their characters shared), and whether matched quotes have the right speaker."""
    gold = item.quotes or []
    pairs, errors = _score_spans(item, "quote", gold, article.quotes, scores.quotes, min_jaccard=0.5)
    for i, j in pairs:
        g, p = gold[i], article.quotes[j]
        if g.speaker_code is not None:
            ok = (
                p.speaker_code is not None
                and normalise_actor(g.speaker_code).code == normalise_actor(p.speaker_code).code
            )
        elif g.speaker_start is not None and g.speaker_end is not None:
            ok = p.speaker is not None and min(g.speaker_end, p.speaker.end) > max(
                g.speaker_start, p.speaker.start
            )
        else:
            continue
        scores.speakers.add(ok)
        if not ok:
            errors.append(
                Mismatch(
                    item.id,
                    "speaker",
                    f"{g.speaker} {g.speaker_code or ''}".strip(),
                    f"{p.speaker.text if p.speaker else '-'} {p.speaker_code or ''}".strip(),
                )
            )
    return errors


def _score_places(item: GoldItem, article: Article, scores: Scores) -> list[Mismatch]:
    """Toponyms found, and whether matched ones are placed within 161 km of the gold coordinates."""
    gold = item.places or []
    pairs, errors = _score_spans(item, "place", gold, article.places, scores.places)
    for i, j in pairs:
        g, p = gold[i], article.places[j]
        if g.lat is None or g.lon is None:
            continue
        near = p.lat is not None and p.lon is not None and haversine_km(g.lat, g.lon, p.lat, p.lon) <= NEAR_KM
        scores.places_near.add(near)
        if not near:
            errors.append(
                Mismatch(
                    item.id,
                    "place location",
                    f"{g.text} ({g.lat}, {g.lon})",
                    f"{p.span.text} ({p.lat}, {p.lon})",
                )
            )
    return errors


def _score_dates(item: GoldItem, article: Article, scores: Scores) -> list[Mismatch]:
    """Date expressions found, and whether matched ones resolve to the gold value."""
    gold = item.dates or []
    pairs, errors = _score_spans(item, "date", gold, article.dates, scores.dates)
    for i, j in pairs:
        g, p = gold[i], article.dates[j]
        scores.date_values.add(g.value == p.value)
        if g.value != p.value:
            errors.append(
                Mismatch(item.id, "date value", f"{g.text}: {g.value}", f"{p.span.text}: {p.value}")
            )
    return errors


def _score_entities(item: GoldItem, article: Article, scores: Scores) -> list[Mismatch]:
    """Named entities with exact spans and CoNLL types."""
    gold = Counter((g.start, g.end, CONLL_LABELS.get(g.label, g.label)) for g in item.entities or [])
    predicted = Counter(
        (e.span.start, e.span.end, CONLL_LABELS[e.label]) for e in article.entities if e.label in CONLL_LABELS
    )
    hits = gold & predicted
    tp = sum(hits.values())
    scores.entities.add(tp, sum(predicted.values()) - tp, sum(gold.values()) - tp)
    for label in {k[2] for k in gold} | {k[2] for k in predicted}:
        counts = scores.entity_types.setdefault(label, Counts())
        t = sum(n for k, n in hits.items() if k[2] == label)
        counts.add(
            t,
            sum(n for k, n in predicted.items() if k[2] == label) - t,
            sum(n for k, n in gold.items() if k[2] == label) - t,
        )
    text = item.text or ""
    errors = [Mismatch(item.id, "entity", f"{text[s:e]} {lab}", "-") for (s, e, lab) in gold - predicted]
    errors += [Mismatch(item.id, "entity", "-", f"{text[s:e]} {lab}") for (s, e, lab) in predicted - gold]
    return errors
