"""Scoring of predictions against gold: event levels, symmetric and compound actors, spans, gate."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwire.evaluation.evaluate import gate
from eventwire.evaluation.gold import (
    GoldActor,
    GoldDate,
    GoldEntity,
    GoldEvent,
    GoldItem,
    GoldPlace,
    GoldQuote,
)
from eventwire.evaluation.scoring import Counts, Scores, haversine_km, score_item
from eventwire.model import (
    ActorMention,
    Article,
    DateMention,
    Entity,
    EventMention,
    Place,
    Quote,
    Source,
    Span,
)

TEXT = "Israeli Prime Minister Benjamin Netanyahu spoke by phone with Russian President Vladimir Putin."


def _article(text: str = TEXT, **records: object) -> Article:
    """An article over `text` holding the given predicted records."""
    article = Article("a", text, None, None, None, 0, Source("t", "gold"))
    for name, value in records.items():
        setattr(article, name, value)
    return article


def _event(code: str, source: list[str], target: list[str], **flags: object) -> EventMention:
    """A predicted event."""
    return EventMention(0, 0, Span(0, 1, "I"), code, source, target, **flags)  # type: ignore[arg-type]


def _score_events(gold: list[GoldEvent], predicted: list[EventMention]) -> Scores:
    """Scores of one item's events."""
    scores = Scores()
    score_item(GoldItem("g", TEXT, events=gold), _article(events=predicted), scores)
    return scores


def test_exact_event_matches_at_every_level() -> None:
    """The same dyad and code is a true positive at every level."""
    scores = _score_events(
        [GoldEvent(["ISRGOV"], ["RUSGOV"], "041")], [_event("041", ["ISRGOV"], ["RUSGOV"])]
    )
    for level in ("root", "plover", "dyad", "triple", "quad"):
        assert (scores.events[level].tp, scores.events[level].fp, scores.events[level].fn) == (1, 0, 0), level


def test_reversed_dyad_matches_only_without_actors() -> None:
    """A criticism coded the wrong way round is right at root level and wrong at dyad and triple level."""
    scores = _score_events(
        [GoldEvent(["ISRGOV"], ["RUSGOV"], "111")], [_event("111", ["RUSGOV"], ["ISRGOV"])]
    )
    assert scores.events["root"].tp == 1
    assert scores.events["dyad"].tp == 0
    assert scores.events["triple"].tp == 0
    assert scores.events["triple"].fp == 1 and scores.events["triple"].fn == 1


def test_symmetric_event_ignores_direction_and_phrasing() -> None:
    """ "Russia and Ukraine held talks" equals "Russia held talks with Ukraine" (talks are symmetric)."""
    scores = _score_events([GoldEvent(["RUS", "UKR"], [], "046")], [_event("046", ["RUS"], ["UKR"])])
    assert scores.events["triple"].tp == 1
    scores = _score_events(
        [GoldEvent(["RUSGOV"], ["TURGOV"], "041")], [_event("041", ["TURGOV"], ["RUSGOV"])]
    )
    assert scores.events["triple"].tp == 1


def test_visits_and_other_directed_codes_keep_their_direction() -> None:
    """A visit (042), hosting (043) or an arms sale (062) reversed is wrong at triple level."""
    for code in ("042", "043", "062", "036"):
        scores = _score_events([GoldEvent(["INDGOV"], ["RUS"], code)], [_event(code, ["RUS"], ["INDGOV"])])
        assert scores.events["triple"].tp == 0, code


def test_joint_only_for_codes_that_allow_it() -> None:
    """Two critics with no target (111) are not a joint act: a prediction of one criticising the other is wrong."""
    scores = _score_events([GoldEvent(["RUS", "CHN"], [], "111")], [_event("111", ["RUS"], ["CHN"])])
    assert scores.events["triple"].tp == 0


def test_statements_without_plover_type_do_not_agree_at_plover_level() -> None:
    """010 and 012 both lack a PLOVER type; that is not agreement."""
    scores = _score_events([GoldEvent(["USA"], [], "010")], [_event("012", ["USA"], [])])
    assert scores.events["plover"].tp == 0
    assert scores.events["root"].tp == 1


def test_plover_records_are_scored_at_plover_level_only() -> None:
    """An imported PLOVER item counts only its PLOVER type, not the stand-in CAMEO code."""
    scores = Scores()
    item = GoldItem("p", TEXT, origin="plover", events=[GoldEvent(["ISR"], ["RUS"], "040")])
    score_item(item, _article(events=[_event("041", ["ISR"], ["RUS"])]), scores)
    assert scores.events["plover"].tp == 1
    assert scores.events["root"] == Counts()


def test_petrarch_codings_are_per_dyad() -> None:
    """A predicted compound event matches PETRARCH's one coding per source-target pair."""
    gold = [GoldEvent(["USA"], ["IRN"], "112"), GoldEvent(["GBR"], ["IRN"], "112")]
    scores = Scores()
    item = GoldItem("p", TEXT, origin="petrarch", events=gold)
    score_item(item, _article(events=[_event("112", ["USA", "GBR"], ["IRN"])]), scores)
    assert (scores.events["triple"].tp, scores.events["triple"].fp) == (2, 0)


def test_compound_actors_compare_as_sets() -> None:
    """Compound sources in another order are the same actors."""
    scores = _score_events(
        [GoldEvent(["USAGOV", "GBRGOV"], ["IRNGOV"], "112")],
        [_event("112", ["GBRGOV", "USAGOV"], ["IRNGOV"])],
    )
    assert scores.events["triple"].tp == 1


def test_old_cameo_country_codes_are_normalised() -> None:
    """PETRARCH's JAP is Japan's ISO code JPN."""
    scores = _score_events(
        [GoldEvent(["JAPGOV"], ["CHNGOV"], "036")], [_event("036", ["JPNGOV"], ["CHNGOV"])]
    )
    assert scores.events["triple"].tp == 1


def test_leaf_and_parent_differ_at_triple_level_only() -> None:
    """1124 (accuse of war crimes) against 112 (accuse): same root, same PLOVER type, different code."""
    scores = _score_events([GoldEvent(["RUSGOV"], ["ISR"], "1124")], [_event("112", ["RUSGOV"], ["ISR"])])
    assert scores.events["root"].tp == 1
    assert scores.events["plover"].tp == 1
    assert scores.events["dyad"].tp == 1
    assert scores.events["triple"].tp == 0


def test_event_on_a_no_event_item_is_a_false_positive() -> None:
    """An item annotated with no events makes every predicted event a false positive."""
    scores = _score_events([], [_event("190", ["MNU"], ["LIV"])])
    assert (scores.events["root"].tp, scores.events["root"].fp, scores.events["root"].fn) == (0, 1, 0)


def test_unannotated_events_are_not_scored() -> None:
    """An item whose events are null does not count predicted events at all."""
    scores = Scores()
    score_item(GoldItem("g", TEXT), _article(events=[_event("190", ["A"], ["B"])]), scores)
    assert scores.events["root"] == Counts()
    assert scores.annotated["events"] == 0


def test_modes_and_dates_compared_on_matched_events() -> None:
    """Mode flags and event dates are checked on triple matches."""
    gold = [GoldEvent(["ISR"], ["PSE"], "190", hypothetical=True, date=dt.date(2023, 12, 9))]
    scores = _score_events(gold, [_event("190", ["ISR"], ["PSE"], date=dt.date(2023, 12, 10))])
    assert scores.modes.total == 1 and scores.modes.correct == 0
    assert scores.event_dates.total == 1 and scores.event_dates.correct == 0


def test_confusion_matrix_pairs_events_by_actors() -> None:
    """A phone call coded as criticism is counted in the 04 → 11 cell; a missed event in 18 → -."""
    gold = [GoldEvent(["ISRGOV"], ["RUSGOV"], "041"), GoldEvent(["HAM"], ["ISR"], "180")]
    scores = _score_events(gold, [_event("111", ["ISRGOV"], ["RUSGOV"])])
    assert scores.confusion_root[("04", "11")] == 1
    assert scores.confusion_root[("18", "-")] == 1
    assert scores.confusion_plover[("CONSULT", "ACCUSE")] == 1


def test_actor_spans_and_codes() -> None:
    """Actors match by overlapping spans; codes are compared whole, by country and by sector."""
    gold = [GoldActor(0, 41, TEXT[0:41], "ISRGOV"), GoldActor(62, 95, TEXT[62:95], "RUSGOV")]
    predicted = [
        ActorMention(0, 0, Span(23, 41, TEXT[23:41]), "ISRGOV"),
        ActorMention(1, 0, Span(81, 95, TEXT[81:95]), "RUSMIL"),
    ]
    scores = Scores()
    score_item(GoldItem("g", TEXT, actors=gold), _article(actors=predicted), scores)
    assert scores.actors.tp == 2
    assert (scores.actor_code.correct, scores.actor_code.total) == (1, 2)
    assert (scores.actor_country.correct, scores.actor_sector.correct) == (2, 1)


def test_quotes_need_half_their_characters_and_the_right_speaker() -> None:
    """A quote matches with Jaccard >= 0.5; its speaker is compared by actor code."""
    text = '"War crimes are on the rise," the diplomat said. He added nothing.'
    gold = [
        GoldQuote(
            1, 27, text[1:27], speaker="the diplomat", speaker_start=30, speaker_end=42, speaker_code="RUSGOV"
        )
    ]
    good = Quote(0, Span(1, 28, text[1:28]), "direct", Span(30, 42, text[30:42]), "RUSGOV")
    scores = Scores()
    score_item(GoldItem("g", text, quotes=gold), _article(text, quotes=[good]), scores)
    assert scores.quotes.tp == 1 and scores.speakers.correct == 1
    short = Quote(0, Span(1, 6, text[1:6]), "direct", None, "RUSGOV")
    scores = Scores()
    score_item(GoldItem("g", text, quotes=gold), _article(text, quotes=[short]), scores)
    assert (scores.quotes.tp, scores.quotes.fp, scores.quotes.fn) == (0, 1, 1)


def test_places_within_161_km() -> None:
    """A matched toponym counts as well placed when within 161 km of the gold point."""
    text = "Shelling hit the Gaza Strip and Washington said it was concerned."
    gold = [GoldPlace(17, 27, "Gaza Strip", 31.42, 34.36, role="event")]
    near = Place(0, 0, Span(17, 27, "Gaza Strip"), "event", lat=31.5, lon=34.47)
    far = Place(0, 0, Span(17, 27, "Gaza Strip"), "event", lat=47.5, lon=-120.5)
    for place, ok in ((near, 1), (far, 0)):
        scores = Scores()
        score_item(GoldItem("g", text, places=gold), _article(text, places=[place]), scores)
        assert scores.places.tp == 1
        assert scores.places_near.correct == ok


def test_date_values() -> None:
    """Matched date expressions are right only with the gold value."""
    text = "The talks were held last week in Doha."
    gold = [GoldDate(20, 29, "last week", "2023-W48")]
    scores = Scores()
    score_item(
        GoldItem("g", text, dates=gold),
        _article(text, dates=[DateMention(0, 0, Span(20, 29, "last week"), "2023-W49")]),
        scores,
    )
    assert scores.dates.tp == 1 and scores.date_values.correct == 0


def test_entities_exact_with_conll_labels() -> None:
    """spaCy's GPE is CoNLL's LOC; a span off by one character is a miss and a false positive."""
    text = "Vladimir Putin met officials in Moscow."
    gold = [GoldEntity(0, 14, "Vladimir Putin", "PER"), GoldEntity(32, 38, "Moscow", "LOC")]
    predicted = [
        Entity(0, 0, "PERSON", Span(0, 14, "Vladimir Putin")),
        Entity(1, 0, "GPE", Span(31, 38, " Moscow")),
    ]
    scores = Scores()
    score_item(GoldItem("g", text, entities=gold), _article(text, entities=predicted), scores)
    assert (scores.entities.tp, scores.entities.fp, scores.entities.fn) == (1, 1, 1)
    assert scores.entity_types["PER"].f1 == 1.0


def test_counts_with_nothing_are_zero_not_errors() -> None:
    """Precision, recall and F1 are 0 when there is nothing to divide by."""
    assert (Counts().precision, Counts().recall, Counts().f1) == (0.0, 0.0, 0.0)


def test_haversine() -> None:
    """Paris to London is about 344 km."""
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.5, abs=2)


def test_gate_reports_figures_below_floor_and_missing_ones() -> None:
    """A floor is met at or above its value; a missing figure is a failure too."""
    metrics = {"events": {"root": {"f1": 0.5}}, "entities": {"f1": 0.8}}
    assert gate(metrics, {"events.root.f1": 0.5, "entities.f1": 0.7}) == []
    failures = gate(metrics, {"events.root.f1": 0.6, "quotes.f1": 0.1})
    assert len(failures) == 2
    assert "below its floor" in failures[0] and "no such figure" in failures[1]


def test_joint_act_agrees_with_either_direction() -> None:
    """ "Armenian and Azerbaijani forces clashed" (joint, no target) agrees with AZE→ARM and ARM→AZE fighting."""
    gold = [GoldEvent(["ARMMIL", "AZEMIL"], [], "190")]
    for predicted in (_event("190", ["AZEMIL"], ["ARMMIL"]), _event("190", ["ARMMIL"], ["AZEMIL"])):
        assert _score_events(gold, [predicted]).events["triple"].tp == 1
    assert _score_events(gold, [_event("190", ["AZEMIL"], ["IRNMIL"])]).events["triple"].tp == 0


def test_directed_event_still_needs_its_direction() -> None:
    """A directed gold attack is not matched by the reverse attack just because both have one actor a side."""
    gold = [GoldEvent(["RUSMIL"], ["UKRMIL"], "190")]
    assert _score_events(gold, [_event("190", ["UKRMIL"], ["RUSMIL"])]).events["triple"].tp == 0


def test_matching_finds_the_largest_set_of_pairs() -> None:
    """A joint clash and a directed attack are both matched, though the first fits either prediction."""
    gold = [GoldEvent(["ARMMIL", "AZEMIL"], [], "190"), GoldEvent(["ARMMIL"], ["AZEMIL"], "190")]
    predicted = [_event("190", ["ARMMIL"], ["AZEMIL"]), _event("190", ["AZEMIL"], ["ARMMIL"])]
    assert _score_events(gold, predicted).events["triple"].tp == 2


def test_quote_matched_without_a_speaker_counts_as_a_wrong_speaker() -> None:
    """A quote found but attributed to nobody is a speaker error, not left out of the speaker figure."""
    text = '"We will not leave," the minister said.'
    gold = [GoldQuote(1, 18, text[1:18], speaker="the minister", speaker_start=21, speaker_end=33)]
    scores = Scores()
    score_item(
        GoldItem("g", text, quotes=gold),
        _article(text, quotes=[Quote(0, Span(1, 18, text[1:18]), "direct")]),
        scores,
    )
    assert (scores.speakers.correct, scores.speakers.total) == (0, 1)
