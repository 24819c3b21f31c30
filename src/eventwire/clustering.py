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
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

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
    # Running counts of what the mentions say (kept from _TALLY_FROM mentions on, or once an event summarised
    # before has grown: an event grown by one mention then costs no pass over all of them), and the summary as
    # matching reads it.
    _tally: _Tally | None = field(default=None, repr=False, compare=False)
    _profile: _Facts | None = field(default=None, repr=False, compare=False)
    _grown: bool = field(default=False, repr=False, compare=False)

    def add(self, mention: Mention) -> None:
        """Add a mention; the summary is worked out again when next asked for."""
        self.mentions.append(mention)
        if self._summary is not None:
            # An event that grows once (a stored one a new article reports) tends to grow again.
            self._grown = True
        self._summary = None
        self._profile = None

    @property
    def summary(self) -> Summary:
        """The event's code, sides, date and place, computed once per change of its mentions."""
        if self._summary is None:
            if self._tally is None and not self._grown and len(self.mentions) < _TALLY_FROM:
                self._summary = _summarise(self.mentions)
            else:
                self._summary = self._counts().summary()
        return self._summary

    def _counts(self) -> _Tally:
        """The running counts, brought up to date with the mentions (counted afresh if some were taken away)."""
        tally = self._tally
        if tally is None or tally.counted > len(self.mentions):
            tally = self._tally = _Tally()
        while tally.counted < len(self.mentions):
            tally.add(self.mentions[tally.counted])
        return tally

    def _matching_view(self) -> _Facts:
        """The summary as matching reads it, computed once per change of the mentions."""
        if self._profile is None:
            s = self.summary
            self._profile = _Facts.of(s.code, s.source, s.target, s.date, s.place)
        return self._profile

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


_T = TypeVar("_T")
# Summarising fewer mentions afresh costs less than keeping counts for every event.
_TALLY_FROM = 8


class _Tally:
    """What an event's mentions say, counted as they are added (in mention order, so that ties among places fall
    as a pass over the mentions would break them)."""

    __slots__ = ("best", "codes", "counted", "dates", "parties", "places", "sources", "targets")

    def __init__(self) -> None:
        """Nothing counted yet."""
        self.counted = 0
        self.codes: dict[str, int] = {}
        # Per code, its most confident mention (then the first by key): (-confidence, key).
        self.best: dict[str, tuple[float, tuple[str, int]]] = {}
        self.dates: dict[dt.date, int] = {}
        self.places: dict[Place, int] = {}
        # Named sides as sets (sorted, once each), and the parties of the mentions that name any.
        self.sources: dict[tuple[str, ...], int] = {}
        self.targets: dict[tuple[str, ...], int] = {}
        self.parties: dict[tuple[str, ...], int] = {}

    def add(self, m: Mention) -> None:
        """Count one more mention."""
        self.counted += 1
        code = m.code
        self.codes[code] = self.codes.get(code, 0) + 1
        rank = (-m.confidence, m.key)
        best = self.best.get(code)
        if best is None or rank < best:
            self.best[code] = rank
        if m.date is not None:
            self.dates[m.date] = self.dates.get(m.date, 0) + 1
        if m.place is not None:
            self.places[m.place] = self.places.get(m.place, 0) + 1
        if m.source:
            key = _as_set(m.source)
            self.sources[key] = self.sources.get(key, 0) + 1
        if m.target:
            key = _as_set(m.target)
            self.targets[key] = self.targets.get(key, 0) + 1
        if m.source or m.target:
            parties = _pair_parties(m.source, m.target)
            self.parties[parties] = self.parties.get(parties, 0) + 1

    def summary(self) -> Summary:
        """The code, sides, date and place most mentions give (ties broken so that the result is deterministic):
        the most frequent code, the most specific among equals, then the one of the most confident mention."""
        codes, best, dates, places = self.codes, self.best, self.dates, self.places
        code = _first(codes) if len(codes) == 1 else min(codes, key=lambda c: (-codes[c], -len(c), *best[c]))
        if symmetric(code):
            parties = _most_supported_parties(self.parties)
            source, target = parties[:1], parties[1:]
        else:
            source, target = _most_common_side(self.sources), _most_common_side(self.targets)
        if len(dates) <= 1:
            date = _first(dates) if dates else None
        else:
            date = min(dates, key=lambda d: (-dates[d], d))
        if len(places) <= 1:
            place = _first(places) if places else None
        else:
            place = max(places, key=lambda p: (places[p], not p.broad, -(p.geonameid or 0)))
        return Summary(code, source, target, date, place)


def _first(counts: dict[_T, int]) -> _T:
    """The first key counted."""
    return next(iter(counts))


@functools.lru_cache(maxsize=1 << 14)
def _pair_parties(source: tuple[str, ...], target: tuple[str, ...]) -> tuple[str, ...]:
    """`_parties` of a source and a target, remembered (few distinct pairs recur)."""
    return _parties(source, target)


@functools.lru_cache(maxsize=4096)
def _as_set(side: tuple[str, ...]) -> tuple[str, ...]:
    """A side as a set: its actors sorted, once each."""
    return tuple(sorted(set(side)))


def _most_supported_parties(counts: dict[tuple[str, ...], int]) -> tuple[str, ...]:
    """The parties of a symmetric act: the named set that the most mentions fit within ("Netanyahu held talks"
    fits "Netanyahu and Putin"), the larger and then the more specific among equals."""
    if len(counts) <= 1:
        return _first(counts) if counts else ()

    def support(candidate: tuple[str, ...]) -> int:
        return sum(n for s, n in counts.items() if _within(s, candidate))

    return min(sorted(counts), key=lambda c: (-support(c), -len(c), -sum(map(len, c)), c))


@functools.lru_cache(maxsize=1 << 16)
def _within(fewer: tuple[str, ...], more: tuple[str, ...]) -> bool:
    """Whether every actor of one set has a counterpart (one code the other's prefix) in another."""
    return all(any(_same_actor(x, y) for y in more) for x in fewer)


def _most_common_side(counts: dict[tuple[str, ...], int]) -> tuple[str, ...]:
    """The most frequent named side (as a set), the most specific among equals; empty when none is named."""
    if len(counts) <= 1:
        return _first(counts) if counts else ()
    return min(counts, key=lambda s: (-counts[s], -sum(map(len, s)), s))


def _summarise(mentions: Sequence[Mention]) -> Summary:
    """The code, sides, date and place most mentions give (ties broken so that the result is deterministic)."""
    if len(mentions) == 1:
        # What most events of a batch are: one mention, whose code, sides, date and place are the event's.
        m = mentions[0]
        if symmetric(m.code):
            parties = _pair_parties(m.source, m.target)
            return Summary(m.code, parties[:1], parties[1:], m.date, m.place)
        source = _as_set(m.source) if m.source else ()
        return Summary(m.code, source, _as_set(m.target) if m.target else (), m.date, m.place)
    tally = _Tally()
    for m in mentions:
        tally.add(m)
    return tally.summary()


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
    return bool(_Matcher(rule).matching(mention, [event]))


# A mention's or an event's (source, target).
_Sides = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(slots=True)
class _Facts:
    """What matching reads of a mention or of an event's summary, worked out once however many comparisons
    follow: the code's root group, the day as a number, symmetric or not, the sides and the parties (with ids
    that stand for them in remembered verdicts)."""

    code: str
    group: str
    day: int | None
    place: Place | None
    symmetric: bool
    sides: _Sides
    parties: tuple[str, ...]
    sides_id: int
    parties_id: int

    @classmethod
    def of(
        cls,
        code: str,
        source: tuple[str, ...],
        target: tuple[str, ...],
        date: dt.date | None,
        place: Place | None,
    ) -> _Facts:
        """The facts of a code, sides, date and place."""
        sides = (source, target)
        parties = _parties(source, target)
        return cls(
            code,
            group_of(code),
            date.toordinal() if date is not None else None,
            place,
            symmetric(code),
            sides,
            parties,
            _interned(sides),
            _interned(parties),
        )


# A number for each distinct side or set of parties seen, so that verdicts are remembered under pairs of small
# integers. Numbers are never reused: when the table is emptied (it is bounded), a value seen again gets a new one.
_IDS: dict[object, int] = {}
_NEXT_ID = itertools.count()
_MAX_IDS = 1 << 18


def _interned(value: object) -> int:
    """The number standing for a side or set of parties."""
    found = _IDS.get(value)
    if found is None:
        if len(_IDS) >= _MAX_IDS:
            _IDS.clear()
        found = _IDS[value] = next(_NEXT_ID)
    return found


# Verdicts on actors, by kind (parties when both acts are symmetric, else sides), whether partial sides are
# allowed, and the mention's id; then by the event's id. Bounded: emptied when it has grown large.
_VERDICTS: dict[tuple[bool, bool, int], dict[int, str]] = {}
_MAX_VERDICTS = 1 << 14


def _verdicts_of(parties: bool, partial: bool, mine: int) -> dict[int, str]:
    """The verdicts remembered for a mention's sides (or parties) against events', by the events' ids."""
    key = (parties, partial, mine)
    seen = _VERDICTS.get(key)
    if seen is None:
        if len(_VERDICTS) >= _MAX_VERDICTS:
            _VERDICTS.clear()
        seen = _VERDICTS[key] = {}
    return seen


class _Matcher:
    """`matches` for one mention against many events: the mention's facts worked out once, the cheapest tests
    first, and the verdicts on actors met before remembered (few distinct sides meet again and again)."""

    def __init__(self, rule: MatchRule) -> None:
        """A matcher for one rule."""
        self.rule = rule

    def matching(self, mention: Mention, events: Iterable[Event]) -> list[Event]:
        """The events the mention reports (`matches`), in the given order."""
        rule = self.rule
        family, window, partial = rule.codes == "family", rule.window_days, rule.partial_sides
        mine = _Facts.of(mention.code, mention.source, mention.target, mention.date, mention.place)
        code, group, day, place = mine.code, mine.group, mine.day, mine.place
        sides_seen = _verdicts_of(False, partial, mine.sides_id)
        parties_seen = _verdicts_of(True, partial, mine.parties_id)
        found = []
        for event in events:
            theirs = event._profile or event._matching_view()
            if family:
                if not (code.startswith(theirs.code) or theirs.code.startswith(code)):
                    continue
            elif group != theirs.group:
                continue
            if day is not None and theirs.day is not None and abs(day - theirs.day) > window:
                continue
            if place is not None and theirs.place is not None and not places_match(place, theirs.place, rule):
                continue
            if mine.symmetric and theirs.symmetric:
                verdict = parties_seen.get(theirs.parties_id)
                if verdict is None:
                    verdict = parties_seen[theirs.parties_id] = _parties_verdict(
                        mine.parties, theirs.parties, rule
                    )
            else:
                verdict = sides_seen.get(theirs.sides_id)
                if verdict is None:
                    verdict = sides_seen[theirs.sides_id] = _sides_verdict(mine.sides, theirs.sides, partial)
            if verdict is _AGREE or (
                verdict is _NEUTRAL and rule.next_sentence and _told_next_to(mention, event)
            ):
                found.append(event)
        return found


# What the actors of a mention and an event say: the same event, a different one, or neither.
_AGREE, _CONTRADICT, _NEUTRAL = "agree", "contradict", "neutral"


def _parties_verdict(mine: tuple[str, ...], theirs: tuple[str, ...], rule: MatchRule) -> str:
    """The verdict on the parties of two symmetric acts: they agree under the rule, or contradict each other
    (both named, and not agreeing even as some of the other's)."""
    if _parties_agree(mine, theirs, rule):
        return _AGREE
    if mine and theirs and not _parties_agree(mine, theirs, MatchRule()):
        return _CONTRADICT
    return _NEUTRAL


def _sides_verdict(mine: _Sides, theirs: _Sides, partial_sides: bool) -> str:
    """The verdict on a mention's and an event's (source, target): they contradict each other when a side both
    name disagrees; else they agree when one named side is shared and (unless partial sides are allowed) neither
    names a side the other leaves empty (`_sides_agree`)."""
    shared = False
    complete = True
    for a, b in zip(mine, theirs, strict=True):
        if a and b:
            if not _sides_same(a, b):
                return _CONTRADICT
            shared = True
        elif a or b:
            complete = False
    return _AGREE if shared and (complete or partial_sides) else _NEUTRAL


def _sides_same(a: Sequence[str], b: Sequence[str]) -> bool:
    """`actors_agree`, quick for the usual sides of one actor each."""
    if len(a) == 1 and len(b) == 1:
        x, y = a[0], b[0]
        return x.startswith(y) or y.startswith(x)
    return actors_agree(a, b)


def _told_next_to(mention: Mention, event: Event) -> bool:
    """Whether the mention's article reports the event in the mention's sentence or the one before or after."""
    sentence = mention.sentence
    return sentence is not None and any(
        m.article_id == mention.article_id and m.sentence is not None and abs(m.sentence - sentence) <= 1
        for m in event.mentions
    )


def joinable(
    mentions: Iterable[Mention], summaries: Iterable[tuple[str, Summary]], rule: MatchRule | None = None
) -> list[str]:
    """The ids of the stored events, given by their summaries, that one of the mentions agrees with: code, date
    and actors (`_Matcher` with its verdict "agree"; places are not compared). Only these can take a mention.

    An untouched event is matched on its summary, and the "next sentence" rule only joins a mention to an event
    that already holds a mention of its article: a stored event holds none of a new batch's articles, so it must
    first agree with a mention on its summary, as given here.
    """
    rule = rule or MatchRule()
    family, window, partial = rule.codes == "family", rule.window_days, rule.partial_sides
    # (root group, day, role) → the distinct facts of the mentions filed there (many mentions say the same).
    index: dict[tuple[str, int | None, str], list[_Facts]] = {}
    said: set[tuple[str, tuple[str, ...], tuple[str, ...], dt.date | None]] = set()
    for m in mentions:
        if (m.code, m.source, m.target, m.date) in said:
            continue
        said.add((m.code, m.source, m.target, m.date))
        facts = _Facts.of(m.code, m.source, m.target, m.date, None)
        for role in _roles(facts.symmetric, m.source, m.target, False):
            index.setdefault((facts.group, facts.day, role), []).append(facts)
    group_days: dict[str, set[int | None]] = {}
    for group, day, _ in index:
        group_days.setdefault(group, set()).add(day)
    found = []
    for event_id_, summary in summaries:
        group = group_of(summary.code)
        if group not in group_days:
            continue
        date = summary.date
        # An undated event: any mention's date is within its window; an undated mention, within any event's.
        days = (
            group_days[group] if date is None else [date.toordinal() + o for o in range(-window, window + 1)]
        )
        near = [
            facts
            for role in _roles(symmetric(summary.code), summary.source, summary.target, True)
            for day in (*days, None)
            for facts in index.get((group, day, role), ())
        ]
        if not near:
            continue
        theirs = _Facts.of(summary.code, summary.source, summary.target, date, None)
        if any(_agrees(mine, theirs, family, partial, rule) for mine in near):
            found.append(event_id_)
    return found


@functools.lru_cache(maxsize=1 << 14)
def _roles(symmetric_: bool, source: tuple[str, ...], target: tuple[str, ...], event: bool) -> frozenset[str]:
    """Where `joinable` files a mention, or where an event looks for mentions that could agree with it.

    Agreeing sides have the same country parts (first three letters: RUS agrees with RUSGOV, each actor of one
    side with one of the other), and a mention agrees with an event naming both sides only if it names one or
    both alike; with one naming a side alone, only that side is compared. Symmetric acts compare parties, some of
    which may agree: by each party's country part. A code shorter than three letters agrees across country parts
    ("US" and "USA"): a mention naming one is filed where every event looks ("short"), an event naming one looks
    where every mention is filed ("all").
    """
    short = any(len(a) < 3 for a in (*source, *target))
    if event and short:
        return frozenset({"all"})
    roles = {"short"} if event else {"all"}
    if short:
        roles.add("short")
        return frozenset(roles)
    s = "|".join(sorted({a[:3] for a in source}))
    t = "|".join(sorted({a[:3] for a in target}))
    if event:
        if source and target:
            roles.update((f"st:{s}/{t}", f"s0:{s}", f"0t:{t}"))
        elif source:
            roles.add(f"s:{s}")
        elif target:
            roles.add(f"t:{t}")
    else:
        if source:
            roles.add(f"s:{s}")
        if target:
            roles.add(f"t:{t}")
        if source and target:
            roles.add(f"st:{s}/{t}")
        elif source:
            roles.add(f"s0:{s}")
        elif target:
            roles.add(f"0t:{t}")
    if symmetric_:
        roles.update(f"p:{a[:3]}" for a in (*source, *target))
    return frozenset(roles)


def _agrees(mine: _Facts, theirs: _Facts, family: bool, partial: bool, rule: MatchRule) -> bool:
    """Whether a mention's code and actors agree with an event's summary (dates already compared), as
    `_Matcher.matching` decides it."""
    if family and not (mine.code.startswith(theirs.code) or theirs.code.startswith(mine.code)):
        return False
    if mine.symmetric and theirs.symmetric:
        seen = _verdicts_of(True, partial, mine.parties_id)
        verdict = seen.get(theirs.parties_id)
        if verdict is None:
            verdict = seen[theirs.parties_id] = _parties_verdict(mine.parties, theirs.parties, rule)
    else:
        seen = _verdicts_of(False, partial, mine.sides_id)
        verdict = seen.get(theirs.sides_id)
        if verdict is None:
            verdict = seen[theirs.sides_id] = _sides_verdict(mine.sides, theirs.sides, partial)
    return verdict is _AGREE


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
    matcher = _Matcher(rule)
    for event in events:
        index.add(event)
    touched: dict[str, Event] = {}
    for mention in sorted(mentions, key=_order):
        candidates = matcher.matching(mention, index.near(mention))
        if candidates:
            event = min(candidates, key=lambda e: _affinity(mention, e))
        else:
            event = Event(event_id(mention))
        event.add(mention)
        index.add(event, mention)
        touched[event.id] = event
    return [touched[k] for k in sorted(touched)]


class _Index:
    """Events by root code, actor and date of one of their mentions: the candidates of a mention are the events in
    a few buckets, since matching needs the same root, a date in the window and a shared actor."""

    def __init__(self, window_days: int) -> None:
        """An empty index whose lookups span the matching window."""
        self.offsets = [dt.timedelta(days=d) for d in range(-window_days, window_days + 1)]
        # (root group, key) → day → events by id.
        self.buckets: dict[tuple[str, str], dict[dt.date | None, dict[str, Event]]] = {}

    def add(self, event: Event, mention: Mention | None = None) -> None:
        """Index an event under its mentions (only the new one's buckets when one is given)."""
        for m in (mention,) if mention else event.mentions:
            for key in index_keys(m):
                days = self.buckets.get(key)
                if days is None:
                    days = self.buckets[key] = {}
                bucket = days.get(m.date)
                if bucket is None:
                    bucket = days[m.date] = {}
                bucket[event.id] = event

    def near(self, mention: Mention) -> list[Event]:
        """Events sharing a bucket with the mention across the window (an undated mention: undated ones)."""
        date = mention.date
        days = [None] if date is None else [date + offset for offset in self.offsets]
        found: dict[str, Event] = {}
        for key in index_keys(mention):
            by_day = self.buckets.get(key)
            if by_day:
                for day in days:
                    bucket = by_day.get(day)
                    if bucket:
                        found.update(bucket)
        return list(found.values())


def index_keys(mention: Mention) -> list[tuple[str, str]]:
    """A mention's index keys (with each day): its root group, and the country part (first three letters) of each
    actor, since agreeing actors share it (RUS and RUSGOV), or its article, where mentions may join without a
    shared actor."""
    group = group_of(mention.code)
    keys = {a[:3] for a in mention.source}
    keys.update(a[:3] for a in mention.target)
    keys.add(f"article:{mention.article_id}")
    return [(group, key) for key in keys]


def _affinity(mention: Mention, event: Event) -> tuple[int, int, int, str]:
    """How badly a mention fits an event (the least wins): same code first, sides named alike, nearest date, then
    the smaller id."""
    distance = abs((mention.date - event.date).days) if mention.date and event.date else 0
    named = int(bool(mention.source) == bool(event.source)) + int(bool(mention.target) == bool(event.target))
    return (-int(mention.code == event.code), -named, distance, event.id)


def _order(mention: Mention) -> tuple[dt.date, str, int]:
    """Clustering order: by date (unknown last), article, index."""
    return (mention.date or dt.date.max, mention.article_id, mention.idx)
