"""From mentions to events: mentions that report the same real-world event become one event.

A coded sentence is a *mention*. Mentions match when their CAMEO codes share a root (or, stricter, one code is the
other or its parent), their actors agree (order-insensitive for symmetric events such as consult and meet; compound
actors as sets; a less specific code such as `RUS` agrees with `RUSGOV`), their dates lie within a window, and
their places, when both are known, lie close. A mention joins the best matching event, else starts one; an event's
id comes from its first mention and never changes afterwards, so adding articles updates events in place.

Everything here is pure: the store loads the mentions and candidate events and writes the result back.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from . import ontology
from .geo import haversine_km


@dataclass(frozen=True, slots=True)
class MatchRule:
    """When two mentions report the same event; every threshold is a setting (see docs/events-and-mentions.md)."""

    window_days: int = 1
    max_km: float = 100.0
    # "root": the same root, or roots one story tells one act with (RELATED_ROOTS); "family": one code the other or
    # its parent.
    codes: Literal["root", "family"] = "root"
    # A mention that names one side only (the article said who, not to whom) may join an event that names both.
    partial_sides: bool = True
    # A mention that contradicts no side of an event may join it even naming nobody when its article reports the
    # event in the same or the next sentence: a story names the actors once, then says "a guard was killed".
    next_sentence: bool = True


@dataclass(frozen=True, slots=True)
class Mention:
    """A coded sentence as clustering sees it: code, the two sides, when, where, how sure, and from which outlet."""

    article_id: str
    idx: int
    code: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    date: dt.date | None
    confidence: float = 1.0
    place: Place | None = None
    outlet: str | None = None
    # The near-duplicate group of the article (its own id when it has no copies): copies are one source.
    copy_of: str | None = None
    # When the report appeared: the article's publication date.
    seen: dt.date | None = None
    # The sentence of the article it was coded from.
    sentence: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        """Which mention this is: article and index."""
        return (self.article_id, self.idx)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a mention happened, as far as matching needs: a GeoNames id, a country, coordinates."""

    geonameid: int | None
    country: str | None
    lat: float | None
    lon: float | None
    # A country or first-level region locates less precisely than a city: only its country is compared.
    broad: bool = False
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """What an event's mentions say together: the code, sides, date and place most of them give."""

    code: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    date: dt.date | None
    place: Place | None


@dataclass(slots=True)
class Event:
    """Mentions of one real-world event, and what they say about it together."""

    id: str
    mentions: list[Mention] = field(default_factory=list)
    _summary: Summary | None = None

    def add(self, mention: Mention) -> None:
        """Add a mention; the summary is worked out again when next asked for."""
        self.mentions.append(mention)
        self._summary = None

    @property
    def summary(self) -> Summary:
        """The event's code, sides, date and place, computed once per change of its mentions."""
        if self._summary is None:
            self._summary = _summarise(self.mentions)
        return self._summary

    @property
    def code(self) -> str:
        """The code most mentions give; among equals the most specific, then the most confident."""
        return self.summary.code

    @property
    def source(self) -> tuple[str, ...]:
        """The source side most mentions give, preferring mentions that name it."""
        return self.summary.source

    @property
    def target(self) -> tuple[str, ...]:
        """The target side most mentions give, preferring mentions that name it."""
        return self.summary.target

    @property
    def date(self) -> dt.date | None:
        """The date most mentions give; among equals the earliest."""
        return self.summary.date

    @property
    def place(self) -> Place | None:
        """The place most mentions give, a precise one before a broad one."""
        return self.summary.place

    @property
    def articles(self) -> set[str]:
        """The articles that mention the event."""
        return {m.article_id for m in self.mentions}

    @property
    def sources(self) -> set[str]:
        """The outlets that reported it; an article of unknown outlet counts as one of its own (per story)."""
        return {m.outlet or f"story:{_story(m)}" for m in self.mentions}

    @property
    def stories(self) -> set[str]:
        """The independent reports: articles, with the near copies of one story (syndicated wire copy) as one."""
        return {_story(m) for m in self.mentions}

    @property
    def confidence(self) -> float:
        """Noisy-or of the best mention of each independent report: several stories make it surer; one story
        repeated in a text, or copied by other outlets, does not."""
        best: dict[str, float] = {}
        for m in self.mentions:
            best[_story(m)] = max(best.get(_story(m), 0.0), m.confidence)
        return 1 - math.prod(1 - c for c in best.values())


def _story(mention: Mention) -> str:
    """The story a mention's article belongs to: the first article of its near copies, or itself."""
    return mention.copy_of or mention.article_id


def _summarise(mentions: Sequence[Mention]) -> Summary:
    """The code, sides, date and place most mentions give (ties broken so that the result is deterministic)."""
    codes = Counter(m.code for m in mentions)
    best = min(mentions, key=lambda m: (-codes[m.code], -len(m.code), -m.confidence, m.key))
    dates = Counter(m.date for m in mentions if m.date is not None)
    places = Counter(m.place for m in mentions if m.place is not None)
    if symmetric(best.code):
        parties = _most_supported_parties([_parties(m.source, m.target) for m in mentions])
        source, target = parties[:1], parties[1:]
    else:
        source = _most_common_side(m.source for m in mentions)
        target = _most_common_side(m.target for m in mentions)
    return Summary(
        best.code,
        source,
        target,
        min(dates, key=lambda d: (-dates[d], d)) if dates else None,
        max(places, key=lambda p: (places[p], not p.broad, -(p.geonameid or 0))) if places else None,
    )


def _most_supported_parties(sets: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The parties of a symmetric act: the named set that the most mentions fit within ("Netanyahu held talks"
    fits "Netanyahu and Putin"), the larger and then the more specific among equals."""
    named = sorted({s for s in sets if s})
    if not named:
        return ()

    def support(candidate: tuple[str, ...]) -> int:
        return sum(1 for s in sets if s and all(any(_same_actor(x, y) for y in candidate) for x in s))

    return min(named, key=lambda c: (-support(c), -len(c), -sum(map(len, c)), c))


def event_id(mention: Mention) -> str:
    """The id of the event a mention starts: stable, from the mention's identity."""
    digest = hashlib.sha1(f"{mention.article_id}\x1f{mention.idx}".encode()).hexdigest()
    return f"ev{digest[:16]}"


def symmetric(code: str) -> bool:
    """Whether the event's two sides play the same part (consult, meet, negotiate, sign an agreement)."""
    return code in ontology.SYMMETRIC_CODES


def _oriented(mention: Mention) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A mention's sides; a symmetric act's parties in one canonical form (the first in sorted order, then the
    others), so that "A met B", "B met A" and "A and B met" count as the same pair."""
    if not symmetric(mention.code):
        return (mention.source, mention.target)
    parties = _parties(mention.source, mention.target)
    return (parties[:1], parties[1:])


def _parties(*sides: Sequence[str]) -> tuple[str, ...]:
    """Everyone on either side, sorted, once each."""
    return tuple(sorted({actor for side in sides for actor in side}))


# Roots that reports of one act often differ on: a shooting is an assault (18) in one report, a fight (19) in the
# next, and mass violence (20) in a third.
RELATED_ROOTS = {"18": "18", "19": "18", "20": "18"}


def codes_match(a: str, b: str, rule: MatchRule) -> bool:
    """The same root group (RELATED_ROOTS); with `codes="family"` one code the other or its ancestor."""
    if rule.codes == "family":
        return a.startswith(b) or b.startswith(a)
    return group_of(a) == group_of(b)


@functools.lru_cache(maxsize=4096)
def group_of(code: str) -> str:
    """A code's root group: its root, or the root standing for related roots."""
    root = ontology.root(code)
    return RELATED_ROOTS.get(root, root)


def actors_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two sides agree when each actor of one has a counterpart in the other, one code the other's prefix."""
    return all(any(_same_actor(x, y) for y in b) for x in a) and all(
        any(_same_actor(y, x) for x in a) for y in b
    )


def _same_actor(a: str, b: str) -> bool:
    """One actor code the other or a more specific form of it (RUS and RUSGOV)."""
    return a.startswith(b) or b.startswith(a)


def sides_match(mention: Mention, event: Event, rule: MatchRule) -> bool:
    """Whether a mention's actors agree with an event's; for symmetric acts, whoever is on which side."""
    if symmetric(mention.code) and symmetric(event.code):
        return _parties_agree(
            _parties(mention.source, mention.target), _parties(event.source, event.target), rule
        )
    return _sides_agree(mention.source, mention.target, event.source, event.target, rule)


def _parties_agree(mine: Sequence[str], theirs: Sequence[str], rule: MatchRule) -> bool:
    """The parties of two symmetric acts agree as sets; with partial sides allowed, the parties one names may be
    some of those the other names ("Netanyahu held talks" and "Netanyahu and Putin held talks")."""
    if not mine or not theirs:
        return False
    if actors_agree(mine, theirs):
        return True
    if not rule.partial_sides:
        return False
    fewer, more = sorted((mine, theirs), key=len)
    return all(any(_same_actor(x, y) for y in more) for x in fewer)


def _sides_agree(
    source: Sequence[str],
    target: Sequence[str],
    e_source: Sequence[str],
    e_target: Sequence[str],
    rule: MatchRule,
) -> bool:
    """Both sides agree; with partial sides allowed, a side one of them leaves empty agrees with anything, as long
    as one named side is shared."""
    shared = 0
    for mine, theirs in ((source, e_source), (target, e_target)):
        if mine and theirs:
            if not actors_agree(mine, theirs):
                return False
            shared += 1
        elif (mine or theirs) and not rule.partial_sides:
            return False
    return shared > 0


def dates_match(a: dt.date | None, b: dt.date | None, rule: MatchRule) -> bool:
    """Within the window; an unknown date matches any."""
    return a is None or b is None or abs((a - b).days) <= rule.window_days


def places_match(a: Place | None, b: Place | None, rule: MatchRule) -> bool:
    """Close enough, or not both known: the same GeoNames id, the same country when one is broad, else within
    `max_km`."""
    if a is None or b is None:
        return True
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if a.broad or b.broad or None in (a.lat, a.lon, b.lat, b.lon):
        return a.country is None or b.country is None or a.country == b.country
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= rule.max_km


def matches(mention: Mention, event: Event, rule: MatchRule) -> bool:
    """Whether a mention reports the event: code, date and place agree, and the actors agree (within one story,
    do not disagree)."""
    if not (
        codes_match(mention.code, event.code, rule)
        and dates_match(mention.date, event.date, rule)
        and places_match(mention.place, event.place, rule)
    ):
        return False
    if sides_match(mention, event, rule):
        return True
    return rule.next_sentence and _told_next_to(mention, event) and not _contradicts(mention, event)


def _told_next_to(mention: Mention, event: Event) -> bool:
    """Whether the mention's article reports the event in the mention's sentence or the one before or after."""
    return mention.sentence is not None and any(
        m.article_id == mention.article_id
        and m.sentence is not None
        and abs(m.sentence - mention.sentence) <= 1
        for m in event.mentions
    )


def _contradicts(mention: Mention, event: Event) -> bool:
    """Whether a mention names, on a side the event also names, actors that do not agree with the event's."""
    if symmetric(mention.code) and symmetric(event.code):
        mine, theirs = _parties(mention.source, mention.target), _parties(event.source, event.target)
        return bool(mine and theirs) and not _parties_agree(mine, theirs, MatchRule())
    pairs = ((mention.source, event.source), (mention.target, event.target))
    return any(a and b and not actors_agree(a, b) for a, b in pairs)


def cluster(
    mentions: Iterable[Mention], events: Iterable[Event] = (), rule: MatchRule | None = None
) -> list[Event]:
    """Assign mentions to the given events or to new ones; the events touched (new or grown), in id order.

    Mentions are taken in (date, article, index) order, so the result does not depend on input order. Events are
    looked up by root code and by the dates of their mentions, so the work grows with the mentions, not with the
    events already known.
    """
    rule = rule or MatchRule()
    index = _Index(rule.window_days)
    for event in events:
        index.add(event)
    touched: dict[str, Event] = {}
    for mention in sorted(mentions, key=_order):
        candidates = [e for e in index.near(mention) if matches(mention, e, rule)]
        if candidates:
            event = min(candidates, key=lambda e: _affinity(mention, e))
        else:
            event = Event(event_id(mention))
        event.add(mention)
        index.add(event, mention)
        touched[event.id] = event
    return [touched[k] for k in sorted(touched)]


_Bucket = tuple[str, dt.date | None, str]


class _Index:
    """Events by root code, date and actor of one of their mentions: the candidates of a mention are the events in
    a few buckets, since matching needs the same root, a date in the window and a shared actor."""

    def __init__(self, window_days: int) -> None:
        """An empty index whose lookups span the matching window."""
        self.window = window_days
        self.buckets: dict[_Bucket, dict[str, Event]] = {}

    def add(self, event: Event, mention: Mention | None = None) -> None:
        """Index an event under its mentions (only the new one's buckets when one is given)."""
        for m in [mention] if mention else event.mentions:
            for bucket in _buckets(m, [m.date]):
                self.buckets.setdefault(bucket, {})[event.id] = event

    def near(self, mention: Mention) -> list[Event]:
        """Events sharing a bucket with the mention across the window (an undated mention: undated ones)."""
        if mention.date is None:
            days: list[dt.date | None] = [None]
        else:
            days = [mention.date + dt.timedelta(days=d) for d in range(-self.window, self.window + 1)]
        found: dict[str, Event] = {}
        for bucket in _buckets(mention, days):
            found.update(self.buckets.get(bucket, {}))
        return list(found.values())


def _buckets(mention: Mention, days: Sequence[dt.date | None]) -> list[_Bucket]:
    """A mention's index keys: its root group, each day, and the country part (first three letters) of each actor,
    since agreeing actors share it (RUS and RUSGOV), or its article, where mentions may join without a shared
    actor."""
    group = group_of(mention.code)
    keys = {a[:3] for a in (*mention.source, *mention.target)} | {f"article:{mention.article_id}"}
    return [(group, day, key) for day in days for key in keys]


def _affinity(mention: Mention, event: Event) -> tuple[int, int, int, str]:
    """How badly a mention fits an event (the least wins): same code first, sides named alike, nearest date, then
    the smaller id."""
    distance = abs((mention.date - event.date).days) if mention.date and event.date else 0
    named = int(bool(mention.source) == bool(event.source)) + int(bool(mention.target) == bool(event.target))
    return (-int(mention.code == event.code), -named, distance, event.id)


def _order(mention: Mention) -> tuple[dt.date, str, int]:
    """Clustering order: by date (unknown last), article, index."""
    return (mention.date or dt.date.max, mention.article_id, mention.idx)


def _most_common_side(sides: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """The most frequent non-empty side (as a set), the most specific among equals; empty when none is named."""
    counts = Counter(tuple(sorted(set(s))) for s in sides if s)
    if not counts:
        return ()
    return min(counts, key=lambda s: (-counts[s], -sum(map(len, s)), s))
