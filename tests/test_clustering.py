"""Mentions to events: which mentions report the same real-world event, and what the event then says."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from eventwire.clustering import Event, MatchRule, Mention, Place, actors_agree, cluster, event_id

DAY = dt.date(2023, 12, 10)
KYIV = Place(703448, "UKR", 50.45, 30.52)
LVIV = Place(702550, "UKR", 49.84, 24.02)
UKRAINE = Place(690791, "UKR", 49.0, 32.0, broad=True)


def mention(
    article: str,
    idx: int,
    code: str,
    source: tuple[str, ...],
    target: tuple[str, ...],
    date: dt.date | None = DAY,
    **kw: object,
) -> Mention:
    """A mention with the defaults most tests share."""
    return Mention(article, idx, code, source, target, date, **kw)  # type: ignore[arg-type]


def groups(events: list[Event]) -> set[frozenset[tuple[str, int]]]:
    """The events as sets of mention keys, order-free."""
    return {frozenset(m.key for m in e.mentions) for e in events}


def test_one_call_reported_five_ways_is_one_event() -> None:
    """A phone call told with sides swapped, with one side missing, and with a less specific code is one event."""
    events = cluster(
        [
            mention("a", 0, "040", ("ISRGOV",), ("RUSGOV",)),
            mention("a", 3, "040", ("RUSGOV",), ("ISRGOV",)),
            mention("a", 5, "040", ("ISRGOV",), ()),
            mention("a", 7, "041", ("ISR",), ("RUS",)),
            mention("a", 9, "040", ("RUSGOV",), ("ISRGOV",), date=DAY + dt.timedelta(days=1)),
        ]
    )
    assert len(events) == 1
    (event,) = events
    assert (event.code, event.source, event.target, event.date) == ("040", ("ISRGOV",), ("RUSGOV",), DAY)
    assert len(event.mentions) == 5 and event.articles == {"a"}


def test_different_acts_and_directions_stay_apart() -> None:
    """Criticism in each direction is two events (not symmetric); a criticism and an attack are two more."""
    events = cluster(
        [
            mention("a", 0, "111", ("ISRGOV",), ("RUSGOV",)),
            mention("a", 1, "111", ("RUSGOV",), ("ISRGOV",)),
            mention("a", 2, "190", ("ISRGOV",), ("RUSGOV",)),
            mention("b", 0, "112", ("ISRGOV",), ("RUSGOV",)),
        ]
    )
    assert groups(events) == {
        frozenset({("a", 0), ("b", 0)}),
        frozenset({("a", 1)}),
        frozenset({("a", 2)}),
    }


def test_family_rule_is_stricter_than_root() -> None:
    """Under the family rule an accusation (112) is not a criticism (111); its parent (11) would be."""
    pair = [mention("a", 0, "111", ("ISR",), ("RUS",)), mention("b", 0, "112", ("ISR",), ("RUS",))]
    assert len(cluster(pair, rule=MatchRule(codes="family"))) == 2
    parent = [mention("a", 0, "111", ("ISR",), ("RUS",)), mention("b", 0, "11", ("ISR",), ("RUS",))]
    assert len(cluster(parent, rule=MatchRule(codes="family"))) == 1


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        (["RUS"], ["RUSGOV"], True),
        (["RUSGOV"], ["RUSMIL"], False),
        (["USA", "GBR"], ["GBRGOV", "USAGOV"], True),
        (["USA", "GBR"], ["USA"], False),
        (["IGOUNO"], ["IGO"], True),
    ],
)
def test_actors_agree(a: list[str], b: list[str], agree: bool) -> None:
    """Sides agree as sets, a code agreeing with a more specific form of it and nothing else."""
    assert actors_agree(a, b) is agree


def test_dates_outside_the_window_are_two_events() -> None:
    """Two days apart is two events by default; a wider window joins them."""
    pair = [
        mention("a", 0, "190", ("RUSMIL",), ("UKR",)),
        mention("b", 0, "190", ("RUSMIL",), ("UKR",), date=DAY + dt.timedelta(days=2)),
    ]
    assert len(cluster(pair)) == 2
    assert len(cluster(pair, rule=MatchRule(window_days=2))) == 1


def test_places_far_apart_are_two_events() -> None:
    """Shelling in Kyiv and in Lviv the same day are two events; Kyiv and "Ukraine", or an unknown place, agree."""
    far = [
        mention("a", 0, "195", ("RUSMIL",), ("UKR",), place=KYIV),
        mention("b", 0, "195", ("RUSMIL",), ("UKR",), place=LVIV),
    ]
    assert len(cluster(far)) == 2
    near = [
        mention("a", 0, "195", ("RUSMIL",), ("UKR",), place=KYIV),
        mention("b", 0, "195", ("RUSMIL",), ("UKR",), place=UKRAINE),
        mention("c", 0, "195", ("RUSMIL",), ("UKR",)),
    ]
    assert len(cluster(near)) == 1


def test_partial_sides() -> None:
    """A mention naming one side joins an event naming both, unless the rule forbids it; two mentions that share
    no named side never match."""
    pair = [mention("a", 0, "173", ("INDCOP",), ("INDOPP",)), mention("b", 0, "173", ("INDCOP",), ())]
    assert len(cluster(pair)) == 1
    assert len(cluster(pair, rule=MatchRule(partial_sides=False))) == 2
    disjoint = [mention("a", 0, "173", ("INDCOP",), ()), mention("b", 0, "173", (), ("INDOPP",))]
    assert len(cluster(disjoint)) == 2


def test_ids_are_stable_and_order_free() -> None:
    """The same mentions give the same events in any input order, and adding them in two steps gives what one
    step gives: existing events keep their ids."""
    mentions = [
        mention(f"art{i % 4}", i, code, src, tgt, date=DAY + dt.timedelta(days=i % 3))
        for i, (code, src, tgt) in enumerate(
            [("040", ("ISRGOV",), ("RUSGOV",)), ("190", ("RUSMIL",), ("UKR",)), ("111", ("ISR",), ("IRN",))]
            * 6
        )
    ]
    once = cluster(mentions)
    shuffled = mentions[:]
    random.Random(7).shuffle(shuffled)
    assert [(e.id, groups([e])) for e in cluster(shuffled)] == [(e.id, groups([e])) for e in once]
    first, later = mentions[:9], mentions[9:]
    step = cluster(first)
    grown = cluster(later, step)
    final = {e.id: e for e in step} | {e.id: e for e in grown}
    assert groups(list(final.values())) == groups(once)
    assert set(final) == {e.id for e in once}
    assert all(e.id == event_id(min(e.mentions, key=lambda m: (m.date, m.article_id, m.idx))) for e in once)


def test_sources_stories_and_confidence() -> None:
    """Outlets count once each, articles of unknown outlet each on their own (copies of one story once); copies
    are one story; confidence combines the best mention of each story."""
    events = cluster(
        [
            mention("a", 0, "190", ("RUSMIL",), ("UKR",), confidence=0.5, outlet="afp.com"),
            mention("a", 1, "190", ("RUSMIL",), ("UKR",), confidence=0.9, outlet="afp.com"),
            mention("b", 0, "190", ("RUSMIL",), ("UKR",), confidence=0.5, outlet="afp.com"),
            mention("c", 0, "190", ("RUSMIL",), ("UKR",), confidence=0.5, copy_of="d"),
            mention("d", 0, "190", ("RUSMIL",), ("UKR",), confidence=0.5, copy_of="d"),
            mention("e", 0, "190", ("RUSMIL",), ("UKR",), confidence=0.5, outlet="xinhua"),
        ]
    )
    (event,) = events
    assert event.articles == {"a", "b", "c", "d", "e"}
    assert event.sources == {"afp.com", "story:d", "xinhua"}
    assert event.stories == {"a", "b", "d", "e"}
    assert event.confidence == pytest.approx(1 - 0.1 * 0.5 * 0.5 * 0.5)


def test_joint_and_directed_forms_of_a_meeting_are_one_event() -> None:
    """ "A and B held talks" (two sources, no target), "A talked to B" and "B talked to A" are one meeting; the
    parties of a different meeting are not."""
    events = cluster(
        [
            mention("a", 0, "040", ("ISRGOV",), ("RUSGOV",)),
            mention("a", 1, "040", ("ISRGOV", "RUSGOV"), ()),
            mention("a", 2, "040", ("RUSGOV", "ISRGOV"), ()),
            mention("a", 3, "040", ("RUSGOV",), ("ISRGOV",)),
            mention("a", 4, "040", ("RUSGOV",), ("IRNGOV",)),
            mention("a", 5, "040", ("RUSGOV", "IRNGOV", "TURGOV"), ()),
        ]
    )
    assert groups(events) == {
        frozenset({("a", 0), ("a", 1), ("a", 2), ("a", 3)}),
        frozenset({("a", 4), ("a", 5)}),
    }
    (call,) = [e for e in events if ("a", 0) in {m.key for m in e.mentions}]
    assert (call.source, call.target) == (("ISRGOV",), ("RUSGOV",))
    strict = cluster(
        [
            mention("a", 4, "040", ("RUSGOV",), ("IRNGOV",)),
            mention("b", 5, "040", ("RUSGOV", "IRNGOV", "TURGOV"), ()),
        ],
        rule=MatchRule(partial_sides=False),
    )
    assert len(strict) == 2


def test_a_meetings_parties_are_the_set_most_mentions_fit() -> None:
    """ "China's minister met" and "Brazil met China" report one meeting of China and Brazil, not of China with
    itself."""
    (event,) = cluster(
        [mention("a", 0, "040", ("CHNGOV",), ()), mention("a", 1, "040", ("BRA",), ("CHNGOV",))]
    )
    assert (event.source, event.target) == (("BRA",), ("CHNGOV",))


def test_an_agentless_mention_joins_the_event_told_next_to_it() -> None:
    """ "Gunmen stormed the camp. A guard was killed." is one attack: a mention naming nobody joins the event its
    article reports in the same or an adjacent sentence, unless it names a side that disagrees; two sentences away,
    or in another article, it stays apart."""
    stormed = mention("a", 0, "190", ("PSEREB",), (), sentence=3)
    events = cluster(
        [
            stormed,
            mention("a", 1, "190", (), (), sentence=4),
            mention("a", 2, "193", (), ("PSEGOV",), sentence=4),
            mention("a", 3, "190", (), (), sentence=7),
            mention("b", 0, "190", (), (), sentence=4),
            mention("a", 4, "190", ("ISRMIL",), (), sentence=4),
        ]
    )
    assert groups(events) == {
        frozenset({("a", 0), ("a", 1), ("a", 2)}),
        frozenset({("a", 3)}),
        frozenset({("b", 0)}),
        frozenset({("a", 4)}),
    }
    assert (
        len(
            cluster(
                [stormed, mention("a", 1, "190", (), (), sentence=4)], rule=MatchRule(next_sentence=False)
            )
        )
        == 2
    )


def test_related_roots_of_violence() -> None:
    """A shooting reported as an assault (18) and as a fight (19) is one event; a fight and a protest are not."""
    assert (
        len(
            cluster(
                [
                    mention("a", 0, "180", ("LBNUAF",), ("LBNGOV",)),
                    mention("b", 0, "190", ("LBN",), ("LBNGOV",)),
                ]
            )
        )
        == 1
    )
    assert (
        len(
            cluster(
                [
                    mention("a", 0, "190", ("LBNUAF",), ("LBNGOV",)),
                    mention("b", 0, "141", ("LBN",), ("LBNGOV",)),
                ]
            )
        )
        == 2
    )


def _random_mention(rng: random.Random, article: str, idx: int) -> Mention:
    """A mention of random code, sides (short codes and empty sides among them) and date."""
    actors = ("USA", "USAGOV", "US", "U", "RUS", "RUSGOV", "RUSMIL", "ISR", "IGOUNO", "IGO")

    def side() -> tuple[str, ...]:
        return tuple(rng.sample(actors, rng.choice((0, 1, 1, 1, 2))))

    code = rng.choice(("040", "042", "036", "043", "111", "112", "190", "183", "010", "051"))
    date = None if rng.random() < 0.1 else DAY + dt.timedelta(days=rng.randint(-3, 3))
    return mention(article, idx, code, side(), side(), date, sentence=idx)


@pytest.mark.parametrize("seed", range(20))
def test_only_joinable_stored_events_can_take_a_batch(seed: int) -> None:
    """Grouping a batch with only the stored events `joinable` keeps gives the result grouping it with all does."""
    from eventwire.clustering import Summary, joinable

    rng = random.Random(seed)
    stored = [_random_mention(rng, f"s{i // 5}", i % 5) for i in range(200)]
    batch = [_random_mention(rng, f"n{i // 5}", i % 5) for i in range(60)]
    for rule in (MatchRule(), MatchRule(codes="family", partial_sides=False, window_days=0)):
        everything = cluster(stored, rule=rule)
        summaries = [(e.id, Summary(e.code, e.source, e.target, e.date, None)) for e in everything]
        kept = set(joinable(batch, summaries, rule))
        with_all = cluster(batch, cluster(stored, rule=rule), rule)
        with_kept = cluster(batch, [e for e in cluster(stored, rule=rule) if e.id in kept], rule)
        assert [(e.id, e.summary, groups([e])) for e in with_all] == [
            (e.id, e.summary, groups([e])) for e in with_kept
        ]
        assert len(kept) < len(everything)


def test_signatures_are_datasketch_minhash() -> None:
    """`copies.signature` gives the values of datasketch's MinHash over the text's shingles."""
    import numpy as np
    from datasketch import MinHash

    from eventwire import copies

    rng = random.Random(3)
    words = ("talks", "minister", "said", "Kyiv", "élection", "2006", "the", "of")
    for n in (0, 1, 5, 6, 40, 300):
        text = " ".join(rng.choice(words) for _ in range(n))
        reference = MinHash(num_perm=copies.NUM_PERM, seed=copies.SEED)
        reference.update_batch(sorted(copies.shingles(text)))
        assert np.array_equal(copies.signature(text), reference.hashvalues.astype(np.uint64))
