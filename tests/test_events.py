"""Event mentions on real parses: arguments, light verbs, coordination, nominal and announced events, modes,
statements, discards, evidence, the example article, the store and the command line."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eventwire import discards, ontology
from eventwire import nlp as ew_nlp
from eventwire.cli import cli
from eventwire.model import Article, Document, EventMention, Source
from eventwire.pipeline import Pipeline
from eventwire.readers import read
from eventwire.store import Batch, EventFilter, Store

DATE = dt.date(2023, 12, 10)
RULE = re.compile(r"(?:^|/)lexicon\.csv:(\d+)(?P<how> via \w+| \+ charge '[^']+')?(?:; .+)?$")
MODES = ("negated", "hypothetical", "future", "historical")


@dataclass(frozen=True)
class Ev:
    """An expected event: its CAMEO code (or a prefix ending in '*'), source and target codes."""

    code: str
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()

    def fits(self, event: EventMention) -> bool:
        """Whether an extracted event is this one."""
        code = event.code.startswith(self.code[:-1]) if self.code.endswith("*") else event.code == self.code
        return code and tuple(event.source) == self.source and tuple(event.target) == self.target


# A case is a sentence and what it must (or must not) give; a sentence named here is a known bug.
XFAIL: dict[str, str] = {}


def _params(cases: Iterable[tuple[Any, ...]]) -> list[Any]:
    """Cases as pytest parameters named by their sentence, known bugs marked as strict expected failures."""
    out = []
    for case in cases:
        text = case[0]
        marks = [pytest.mark.xfail(strict=True, reason=XFAIL[text])] if text in XFAIL else []
        out.append(pytest.param(*case, id=text, marks=marks))
    return out


ACTIVE = [
    ("Turkey condemned Sweden on Monday.", Ev("111", ("TUR",), ("SWE",))),
    ("Germany criticized Hungary over its veto.", Ev("111", ("DEU",), ("HUN",))),
    ("The United States sanctioned Iran.", Ev("163", ("USA",), ("IRN",))),
    (
        "Egyptian President Abdel Fattah el-Sisi met Jordan's King Abdullah in Cairo.",
        Ev("040", ("EGYGOV",), ("JOR",)),
    ),
    ("India accused Pakistan of sponsoring terrorism.", Ev("112", ("IND",), ("PAK",))),
    ("Ukraine attacked Russia.", Ev("190", ("UKR",), ("RUS",))),
    ("Turkey is larger than Sweden.", None),
    ("Germany and Hungary are members of the European Union.", None),
]
PASSIVE_AGENT = [
    ("Gaza was shelled by Israeli artillery.", Ev("194", ("ISR",), ())),
    ("Kyiv was attacked by Russian drones.", Ev("190", ("RUS",), ("UKRGOV",))),
    ("Lebanon was bombed by Israel.", Ev("195", ("ISR",), ("LBN",))),
    ("The Iranian ambassador was expelled by Canada.", Ev("174", ("CAN",), ("IRNGOV",))),
]
PASSIVE_NO_AGENT = [
    ("The Iranian ambassador was expelled.", Ev("174", (), ("IRNGOV",))),
    ("Two Ukrainian soldiers were captured.", Ev("173", (), ("UKRMIL",))),
    ("Kyiv was attacked overnight.", Ev("190", (), ("UKRGOV",))),
]
LIGHT_VERBS = [
    ("France expressed dissatisfaction with Italy's migration policy.", Ev("111", ("FRA",), ("ITA",))),
    ("China held talks with Vietnam in Hanoi.", Ev("040", ("CHN",), ("VNM",))),
    ("The European Union imposed sanctions on Belarus.", Ev("163", ("IGOEU",), ("BLR",))),
    (
        "Turkish President Recep Tayyip Erdogan spoke by phone with Vladimir Putin.",
        Ev("041", ("TURGOV",), ("RUSGOV",)),
    ),
    ("Brazil expressed concern over Venezuela's election.", Ev("012", ("BRA",), ("VEN",))),
    ("The Mexican minister held a press conference.", None),
    ("She spoke about the weather at length.", None),
]
COORDINATED = [
    ("Russia and China criticized the United States.", [Ev("111", ("RUS", "CHN"), ("USA",))]),
    ("France and Germany imposed sanctions on Iran.", [Ev("163", ("FRA", "DEU"), ("IRN",))]),
    ("Egypt, Qatar and Jordan condemned Israel.", [Ev("111", ("EGY", "QAT", "JOR"), ("ISR",))]),
    ("Poland criticized Russia and Belarus.", [Ev("111", ("POL",), ("RUS", "BLR"))]),
    ("The United States sanctioned Iran and Syria.", [Ev("163", ("USA",), ("IRN", "SYR"))]),
    # Coordinated verbs share their subject; coordinated clauses keep their own.
    (
        "Russia criticized Japan and praised Iran.",
        [Ev("111", ("RUS",), ("JPN",)), Ev("051", ("RUS",), ("IRN",))],
    ),
    (
        "Russia criticized the United States, and China praised Iran.",
        [Ev("111", ("RUS",), ("USA",)), Ev("051", ("CHN",), ("IRN",))],
    ),
]
NOMINAL = [
    ("Israel's strikes on Lebanon continued overnight.", Ev("190", ("ISR",), ("LBN",))),
    ("Russian strikes on Ukraine intensified.", Ev("190", ("RUS",), ("UKR",))),
    ("Talks between Russia and Ukraine resumed in Istanbul.", Ev("040", ("RUS", "UKR"), ())),
    ("Pakistan's talks with India collapsed.", Ev("040", ("PAK",), ("IND",))),
    ("Negotiations between Armenia and Azerbaijan stalled.", Ev("046", ("ARM", "AZE"), ())),
]
NOT_NOMINAL = [
    ("The talk show host laughed.", "talk"),
    ("The Russian talk show host mocked Ukraine.", "talk"),
    ("A Turkish talk show host praised Greece.", "talk"),
    ("The talks ended late at night.", "talks"),
    ("Strikes continued overnight.", "Strikes"),
]
# What a criticism is about is an event of its own when it names its actors, but never the critic's act.
CRITICISED = [
    ("Egypt condemned Israel's strikes on Lebanon.", "strikes", ("ISR",)),
    ("Russia condemned the attack on Kyiv.", "attack", ()),
    ("China criticised the Japanese drills near Taiwan.", "drills", ("JPN",)),
]
ANNOUNCED = [
    ("Japan agreed to provide humanitarian aid to Ukraine.", Ev("0333", ("JPN",), ("UKR",))),
    ("Saudi Arabia pledged to provide humanitarian aid to Sudan.", Ev("0333", ("SAU",), ("SDN",))),
    ("The Iraqi government is ready to talk with Kuwait.", Ev("036", ("IRQGOV",), ("KWT",))),
    ("The United States urged Iran to release the sailors.", Ev("0253", ("USA",), ("IRN",))),
    ("Britain urged Iran to release the prisoners.", Ev("0253", ("GBR",), ("IRN",))),
    ("Germany urged Russia to release the hostages.", Ev("0253", ("DEU",), ("RUS",))),
    ("France called on Israel to release the prisoners.", Ev("0253", ("FRA",), ("ISR",))),
    ("Venezuela refused to meet Colombia's envoy.", Ev("125", ("VEN",), ("COLGOV",))),
    ("North Korea refused to meet South Korean officials.", Ev("125", ("PRK",), ("KORGOV",))),
    ("Iran threatened to strike Israel.", Ev("1384", ("IRN",), ("ISR",))),
    ("North Korea threatened to attack South Korea.", Ev("1384", ("PRK",), ("KOR",))),
    ("Israel threatened to impose sanctions on Norway.", Ev("1312", ("ISR",), ("NOR",))),
    ("Qatar expressed its readiness to provide assistance to Lebanon.", Ev("033*", ("QAT",), ("LBN",))),
    ("Turkey expressed willingness to provide humanitarian aid to Syria.", Ev("0333", ("TUR",), ("SYR",))),
]
READINESS = [
    "China expressed readiness to provide assistance to Pakistan.",
    "Qatar expressed its readiness to provide assistance to Lebanon.",
    "Turkey expressed willingness to provide humanitarian aid to Syria.",
]
NO_COMMENT = [
    ("The Kremlin declined to comment.",),
    ("Israel declined to comment on the report.",),
    ("Spain declined to comment on Morocco.",),
    ("Kenya refused to comment on Somalia.",),
    ("The Kremlin promised to say more.",),
]
NEGATION = [
    ("Russia did not attack Ukraine.", "190", True),
    ("India never met Pakistan's envoy.", "040", True),
    ("Syria did not condemn Iran.", "111", True),
    ("Egypt has not imposed sanctions on Israel.", "163", True),
    ("Egypt imposed sanctions on Israel.", "163", False),
    ("Ukraine attacked Russia.", "190", False),
]
HYPOTHETICAL = [
    ("Israel could strike Iran.", "190", True),
    ("If Israel attacks Lebanon, Hezbollah will respond.", "190", True),
    ("China might impose sanctions on Taiwan.", "163", True),
    ("Turkey may expel the Swedish ambassador.", "174", True),
    ("Russia would attack Poland if NATO intervened.", "190", True),
    ("Israel struck Iran.", "190", False),
    ("China imposed sanctions on Taiwan.", "163", False),
    ("Jordan said it would provide humanitarian aid to Sudan.", "0333", False),  # reported "would": future
]
FUTURE = [
    ("Putin will meet Erdogan next week.", "036", True),
    ("Japan will meet South Korea in Tokyo.", "036", True),
    ("The Indian prime minister will visit Nepal next month.", "036", True),
    ("Egypt is going to meet Qatar on Friday.", "036", True),
    ("Jordan said it would provide humanitarian aid to Sudan.", "0333", True),
    ("Russia will attack Poland.", "1384", True),  # a future attack is a threat of attack
    ("Putin met Erdogan last week.", "040", False),
    ("Israel struck Iran.", "190", False),
]
HISTORICAL = [
    ("Iraq invaded Kuwait in 1990.", "190", True),
    ("Argentina invaded the Falklands in 1982.", "190", True),
    ("Israel occupied the Sinai in 1967.", "192", True),
    ("China criticized Japan decades ago.", "111", True),
    # Commemorating is an act of today; only what an anniversary marks is history (the guidelines code it so).
    ("Armenia commemorated the anniversary of the war with Azerbaijan.", "017", False),
    ("Russia attacked Ukraine in 2023.", "190", False),
    ("Armenia attacked Azerbaijan in 2022.", "190", False),  # one year before the article is not history
    ("Ukraine attacked Russia.", "190", False),
]
ATTRIBUTION = [
    ("The Kremlin said that Ukraine attacked Russia.", Ev("190", ("UKR",), ("RUS",)), "RUSGOV"),
    ("Iran said Israel attacked Syria.", Ev("190", ("ISR",), ("SYR",)), "IRN"),
    (
        "Ukraine shelled Russia overnight, the Russian defence ministry said.",
        Ev("194", ("UKR",), ("RUS",)),
        "RUSGOV",
    ),
    ("Israel bombed Lebanon, according to Hezbollah.", Ev("195", ("ISR",), ("LBN",)), "LBNREB"),
    ("According to the Syrian government, Turkey shelled Syria.", Ev("194", ("TUR",), ("SYR",)), "SYRGOV"),
    ("Ukraine attacked Russia.", Ev("190", ("UKR",), ("RUS",)), None),
]
BARE_STATEMENTS = [
    ("The minister said the border would stay open.",),
    ("The Egyptian foreign minister said the crossing would remain closed.",),
    ("Putin said the weather was cold.",),
    ("The Chinese spokesman stated that the talks were useful.",),
    ("The Russian envoy announced an increase in wheat exports.",),
]
CHARGES = [
    ("The Russian envoy announced an increase in Israeli war crimes.", Ev("1124", ("RUSGOV",), ("ISR",))),
    ("The Syrian government announced an increase in Turkish war crimes.", Ev("1124", ("SYRGOV",), ("TUR",))),
    ("The Indian minister announced a rise in Chinese war crimes.", Ev("1124", ("INDGOV",), ("CHN",))),
    ("Ukraine reported a rise in Russian war crimes.", Ev("1124", ("UKR",), ("RUS",))),
    ("The Indian minister announced a rise in war crimes.", None),  # nobody accused
    ("The Russian envoy announced an increase in Israeli grain exports.", None),  # no crime
]
DISCARDED = [
    ("Stocks plunged.", "markets"),
    ("The dollar attacked its highs against the yen.", "markets"),
    ("The Russian rouble attacked its record low against the dollar.", "markets"),
    ("Manchester United attacked down the left and scored twice.", "word: scored"),
    ("Brazil scored twice against France in the World Cup.", "word: scored"),
    ("The French striker attacked Argentina's defence.", "sport"),
    ("The storm hit the coast.", "weather"),
    ("The hurricane battered Cuba.", "weather"),
    ("The earthquake struck Turkey on Monday.", "weather"),
]
MARKET_POLITICS = [
    ("Russia attacked the market in Kharkiv.", Ev("190", ("RUS",), ())),
    ("Israel bombed a market in Gaza.", Ev("195", ("ISR",), ())),
    ("The United States imposed sanctions on Iran's oil market.", Ev("163", ("USA",), ("IRN",))),
    ("India criticized Pakistan over the market closure.", Ev("111", ("IND",), ("PAK",))),
]
CONFIDENCE = [
    ("Turkey condemned Sweden on Monday.", "111", 0.9),
    ("The Iranian ambassador was expelled.", "174", 0.7),
    ("Russia did not attack Ukraine.", "190", 0.81),
    ("Israel could strike Iran.", "190", 0.81),
]

CASES: tuple[Sequence[tuple[Any, ...]], ...] = (
    ACTIVE,
    PASSIVE_AGENT,
    PASSIVE_NO_AGENT,
    LIGHT_VERBS,
    COORDINATED,
    NOMINAL,
    NOT_NOMINAL,
    CRITICISED,
    ANNOUNCED,
    [(t,) for t in READINESS],
    NO_COMMENT,
    NEGATION,
    HYPOTHETICAL,
    FUTURE,
    HISTORICAL,
    ATTRIBUTION,
    BARE_STATEMENTS,
    CHARGES,
    DISCARDED,
    MARKET_POLITICS,
    CONFIDENCE,
)
TEXTS = sorted({case[0] for cases in CASES for case in cases})


@pytest.fixture(scope="module")
def articles(pipeline: Pipeline) -> dict[str, Article]:
    """Every sentence of this module as its own article dated 2023-12-10, parsed once by the real pipeline."""
    docs = [Document(Source(f"s{i}.txt", "text"), t, None, DATE, "header") for i, t in enumerate(TEXTS)]
    parsed: dict[str, Article] = {}
    for text, result in zip(TEXTS, pipeline.run(docs), strict=True):
        assert isinstance(result, Article), result
        parsed[text] = result
    return parsed


@pytest.fixture(scope="module")
def seed(pipeline: Pipeline, seed_path: Path) -> Article:
    """The example article that ships with the package, read and parsed as `ingest --example` does."""
    (result,) = list(pipeline.run(read([str(seed_path)])))
    assert isinstance(result, Article), result
    return result


@pytest.fixture
def shared_model(monkeypatch: pytest.MonkeyPatch, pipeline: Pipeline) -> None:
    """Commands run in-process reuse the loaded spaCy model instead of loading their own."""
    model = pipeline.nlp
    monkeypatch.setattr(ew_nlp, "load", lambda name=ew_nlp.DEFAULT_MODEL: model)


def _show(events: Iterable[EventMention]) -> str:
    """Events in one line each, for assertion messages."""
    lines = []
    for e in events:
        modes = [m for m in MODES if getattr(e, m)]
        by = f" said by {e.attributed_to}" if e.attributed_to else ""
        lines.append(f"{e.code} {e.source}→{e.target} {modes}{by} {e.trigger.text!r}")
    return "; ".join(lines) or "no events"


def _event(article: Article, code: str) -> EventMention:
    """The one event of an article with this code."""
    found = [e for e in article.events if e.code == code]
    assert len(found) == 1, f"expected one {code} event in {article.text!r}, got: {_show(article.events)}"
    return found[0]


@pytest.mark.parametrize(("text", "expected"), _params(ACTIVE))
def test_active_voice(articles: dict[str, Article], text: str, expected: Ev | None) -> None:
    """In the active voice the subject is the source and the object the target, never the other way round; a
    verb the lexicon does not know is no event."""
    events = articles[text].events
    if expected is None:
        assert events == [], _show(events)
        return
    assert any(expected.fits(e) for e in events), _show(events)
    swapped = Ev(expected.code, expected.target, expected.source)
    assert not any(swapped.fits(e) for e in events), _show(events)


@pytest.mark.parametrize(("text", "expected"), _params(PASSIVE_AGENT))
def test_passive_with_agent(articles: dict[str, Article], text: str, expected: Ev) -> None:
    """A passive's by-agent is the source and its subject the target: "Gaza was shelled by Israeli artillery"."""
    events = articles[text].events
    assert any(expected.fits(e) for e in events), _show(events)
    for event in events:
        assert not set(event.source) & set(expected.target), f"the target became a source: {_show(events)}"
        assert not set(event.target) & set(expected.source), f"the agent became a target: {_show(events)}"


@pytest.mark.parametrize(("text", "expected"), _params(PASSIVE_NO_AGENT))
def test_passive_without_agent(articles: dict[str, Article], text: str, expected: Ev) -> None:
    """A passive without a by-agent has no source; its subject is the target, not the source."""
    events = articles[text].events
    assert [e for e in events if expected.fits(e)], _show(events)
    assert all(not e.source for e in events), _show(events)


@pytest.mark.parametrize(("text", "expected"), _params(LIGHT_VERBS))
def test_light_verbs(articles: dict[str, Article], text: str, expected: Ev | None) -> None:
    """A light verb with its noun is one event ("held talks with", "imposed sanctions on"); without it, none."""
    events = articles[text].events
    if expected is None:
        assert events == [], _show(events)
        return
    assert len(events) == 1 and expected.fits(events[0]), _show(events)
    assert " " in events[0].trigger.text, f"the trigger should span verb and noun: {events[0].trigger.text!r}"


@pytest.mark.parametrize(("text", "expected"), _params(COORDINATED))
def test_coordination(articles: dict[str, Article], text: str, expected: list[Ev]) -> None:
    """Coordinated subjects make a compound source, coordinated objects a compound target; clauses stay apart."""
    events = articles[text].events
    assert len(events) == len(expected), _show(events)
    for want in expected:
        assert any(want.fits(e) for e in events), f"missing {want}: {_show(events)}"


@pytest.mark.parametrize(("text", "expected"), _params(NOMINAL))
def test_nominal_events(articles: dict[str, Article], text: str, expected: Ev) -> None:
    """A noun with its own actors is an event: "Israel's strikes on Lebanon", "talks between Russia and Ukraine"."""
    events = articles[text].events
    assert len(events) == 1 and expected.fits(events[0]), _show(events)
    assert events[0].trigger.text.lower() in text.lower()


@pytest.mark.parametrize(("text", "word"), _params(NOT_NOMINAL))
def test_nouns_that_are_not_events(articles: dict[str, Article], text: str, word: str) -> None:
    """A noun modifying a noun ("talk show") or a noun without actors is not an event of its own."""
    events = articles[text].events
    assert not any(word in e.trigger.text for e in events), _show(events)


@pytest.mark.parametrize(("text", "word", "source"), _params(CRITICISED))
def test_criticised_acts_keep_their_own_actors(
    articles: dict[str, Article], text: str, word: str, source: tuple[str, ...]
) -> None:
    """The act a criticism is about is coded with its own actors (the guidelines code both), never with the
    critic as its source."""
    events = articles[text].events
    assert any(e.code.startswith("11") for e in events), _show(events)
    about = [e for e in events if word in e.trigger.text]
    assert all(tuple(e.source) == source for e in about), _show(events)
    assert about or not source, _show(events)


@pytest.mark.parametrize(("text", "expected"), _params(ANNOUNCED))
def test_announced_acts(articles: dict[str, Article], text: str, expected: Ev) -> None:
    """Intent, appeal, refusal and threat make one event in the announcing family; the act is not coded again."""
    events = articles[text].events
    assert len(events) == 1, _show(events)
    assert expected.fits(events[0]), _show(events)
    assert events[0].rule is not None and " via " in events[0].rule


@pytest.mark.parametrize("text", _params((t,) for t in READINESS))
def test_expressed_readiness(articles: dict[str, Article], text: str) -> None:
    """ "Expressed (its) readiness / willingness to provide assistance" is an intent to give aid (033x) by the
    subject, not aid given."""
    events = articles[text].events
    assert len(events) == 1, _show(events)
    (event,) = events
    assert event.code.startswith("033") and len(event.source) == 1, _show(events)
    assert "readiness" in event.trigger.text or "willingness" in event.trigger.text
    assert not event.code.startswith("07"), _show(events)


@pytest.mark.parametrize("text", _params(NO_COMMENT))
def test_declining_to_comment_is_not_a_refusal(articles: dict[str, Article], text: str) -> None:
    """ "Declined to comment" and "promised to say more" announce speech, which is no refusal (12x), threat or
    intent to cooperate."""
    events = articles[text].events
    assert not any(e.code[:2] in ("12", "13") for e in events), _show(events)
    assert not any(e.code.startswith("03") and e.code != "030" for e in events), _show(events)


@pytest.mark.parametrize(("text", "code", "negated"), _params(NEGATION))
def test_negation(articles: dict[str, Article], text: str, code: str, negated: bool) -> None:
    """ "Did not attack", "never met" keep the event with negated set; a plain statement is not negated."""
    event = _event(articles[text], code)
    assert event.negated is negated, _show([event])


@pytest.mark.parametrize(("text", "code", "hypothetical"), _params(HYPOTHETICAL))
def test_hypothetical(articles: dict[str, Article], text: str, code: str, hypothetical: bool) -> None:
    """A modal ("could strike") or a condition ("if Israel attacks") makes an event hypothetical; reported
    "would" does not."""
    event = _event(articles[text], code)
    assert event.hypothetical is hypothetical, _show([event])


@pytest.mark.parametrize(("text", "code", "future"), _params(FUTURE))
def test_future(articles: dict[str, Article], text: str, code: str, future: bool) -> None:
    """ "Will meet" is coded as the intent to meet (036) with future set; a future attack as a threat (13x)."""
    event = _event(articles[text], code)
    assert event.future is future, _show([event])
    assert not event.hypothetical, _show([event])


@pytest.mark.parametrize(("text", "code", "historical"), _params(HISTORICAL))
def test_historical(articles: dict[str, Article], text: str, code: str, historical: bool) -> None:
    """A year two or more years before the article, "decades ago" or an anniversary make an event historical."""
    event = _event(articles[text], code)
    assert event.historical is historical, _show([event])


@pytest.mark.parametrize(("text", "expected", "speaker"), _params(ATTRIBUTION))
def test_attribution(articles: dict[str, Article], text: str, expected: Ev, speaker: str | None) -> None:
    """ "X said (that) …", "…, X said" and "according to X" attribute the event to X; the speech is not coded."""
    events = articles[text].events
    assert len(events) == 1 and expected.fits(events[0]), _show(events)
    assert events[0].attributed_to == speaker, _show(events)


@pytest.mark.parametrize("text", _params(BARE_STATEMENTS))
def test_bare_statements_are_not_events(articles: dict[str, Article], text: str) -> None:
    """Someone saying something that codes as nothing else is not an event (no 010)."""
    events = articles[text].events
    assert events == [], _show(events)


@pytest.mark.parametrize(("text", "expected"), _params(CHARGES))
def test_statement_of_charges(articles: dict[str, Article], text: str, expected: Ev | None) -> None:
    """A statement reporting someone's war crimes accuses them (1124), the accused named by the crimes; without
    an accused or without a crime it is no accusation."""
    events = articles[text].events
    if expected is None:
        assert not any(e.code.startswith("11") for e in events), _show(events)
        return
    assert len(events) == 1 and expected.fits(events[0]), _show(events)
    assert "war crimes" in events[0].trigger.text


@pytest.mark.parametrize(("text", "category"), _params(DISCARDED))
def test_discarded_sentences(
    pipeline: Pipeline, articles: dict[str, Article], text: str, category: str
) -> None:
    """Markets, sport and weather use the verbs of conflict without being events: the sentence is discarded."""
    events = articles[text].events
    assert events == [], _show(events)
    (sent,) = list(pipeline.nlp(text).sents)
    assert discards.discarded(sent) == category


@pytest.mark.parametrize(("text", "expected"), _params(MARKET_POLITICS))
def test_market_in_an_object_still_codes(articles: dict[str, Article], text: str, expected: Ev) -> None:
    """A political sentence that mentions a market outside its subject is coded as usual."""
    events = articles[text].events
    assert any(expected.fits(e) for e in events), _show(events)


@pytest.mark.parametrize(("text", "code", "confidence"), _params(CONFIDENCE))
def test_confidence(articles: dict[str, Article], text: str, code: str, confidence: float) -> None:
    """0.9 with both sides, 0.7 with one, × 0.9 when negated or hypothetical."""
    assert _event(articles[text], code).confidence == pytest.approx(confidence)


@lru_cache(maxsize=1)
def _lexicon_lines() -> list[str]:
    """The lines of the shipped lexicon, as rules number them (from 1)."""
    path = resources.files("eventwire").joinpath("data/events/lexicon.csv")
    return path.read_text(encoding="utf-8").splitlines()


def _check_evidence(article: Article, event: EventMention) -> None:
    """Assert that an event's evidence is traceable to the article's text and to a lexicon row."""
    text = article.text
    trigger = event.trigger
    assert 0 <= trigger.start < trigger.end <= len(text)
    assert text[trigger.start : trigger.end] == trigger.text
    sentence = article.sentences[event.sentence].span
    assert sentence.start <= trigger.start and trigger.end <= sentence.end, (sentence, trigger)
    for span in [*event.source_spans, *event.target_spans]:
        assert text[span.start : span.end] == span.text, span
    assert bool(event.source_spans) == bool(event.source) and bool(event.target_spans) == bool(event.target)
    assert event.rule is not None
    rule = RULE.search(event.rule)
    if rule is None:
        # Rules of the extractor itself (docs/events.md), not of a lexicon row.
        assert event.rule.startswith(("refusal to speak", "speech verb", "classifier: root")), event.rule
        return
    line = int(rule.group(1))
    lines = _lexicon_lines()
    assert 1 <= line <= len(lines), event.rule
    row = lines[line - 1]
    assert row.strip() and not row.startswith("#") and not row.startswith("trigger,"), (event.rule, row)
    if rule.group("how") is None and not event.future:
        assert row.split(",")[6] == event.code, (event.rule, row, event.code)
    assert 0 < event.confidence <= 1
    assert event.decided_by.startswith("lexicon")
    assert event.code in ontology.cameo_codes(), event.code
    # The publication date, unless an expression of the event's clause dates it (docs/dates.md).
    if event.date_text is None:
        assert event.date == article.date
    else:
        assert event.date is not None and event.date_text in text[sentence.start : sentence.end]


def test_evidence(articles: dict[str, Article], seed: Article) -> None:
    """Every event's trigger, source and target spans slice the stored text; its rule names a lexicon row;
    its confidence lies in (0, 1]."""
    checked = 0
    for article in [*articles.values(), seed]:
        for event in article.events:
            _check_evidence(article, event)
            checked += 1
    assert checked > 50


def test_seed_article(seed: Article) -> None:
    """Acceptance on the example article: the call, the criticism, the charge and the offer of assistance are
    coded; the plan to flood the tunnels is not an asserted attack; there are no more events than that."""
    events = seed.events
    shown = _show(events)

    def found(code: str, source: str, target: str | None = None) -> list[EventMention]:
        """Asserted events with this code (a prefix when it ends in '*') from this source (and target prefix)."""
        prefix = code.rstrip("*")
        return [
            e
            for e in events
            if (e.code.startswith(prefix) if code.endswith("*") else e.code == code)
            and source in e.source
            and (target is None or any(t.startswith(target) for t in e.target))
            and not (e.negated or e.hypothetical or e.future)
        ]

    assert found("041", "ISRGOV", "RUSGOV"), f"the phone call (041 ISRGOV → RUSGOV) is missing: {shown}"
    assert found("111", "ISRGOV", "RUS"), f"Netanyahu's criticism (111 ISRGOV → RUS…) is missing: {shown}"
    assert found("1124", "RUSGOV", "ISR"), (
        f"Polyansky's charge of war crimes (1124 RUSGOV → ISR) is missing: {shown}"
    )
    assert found("033*", "RUSGOV"), (
        f"the Russian readiness to provide assistance (033x RUSGOV) is missing: {shown}"
    )
    flooding = [e for e in events if "flood" in seed.sentences[e.sentence].span.text]
    for event in flooding:
        entry = ontology.cameo_codes()[event.code]
        asserted = not (event.negated or event.hypothetical or event.future or event.historical)
        assert not (asserted and entry.quad_class == 4), (
            f"flooding the tunnels coded as done: {_show([event])}"
        )
    per_sentence = [e.sentence for e in events]
    assert len(per_sentence) == len(set(per_sentence)), f"a sentence was coded twice: {shown}"
    assert len(events) <= 12, f"{len(events)} events in the example article, expected at most 12: {shown}"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, articles: dict[str, Article], seed: Article) -> Path:
    """A DuckDB file holding every article of this module and the example article."""
    path = tmp_path_factory.mktemp("events") / "events.duckdb"
    every = [*articles.values(), seed]
    with Store(path) as store:
        store.write(Batch(every, [(a.id, a.source) for a in every], []))
    return path


def test_store_round_trip(stored: Path, articles: dict[str, Article], seed: Article) -> None:
    """Events written to the store come back from `get_article` exactly as extracted."""
    with Store(stored, read_only=True) as store:
        for article in [*articles.values(), seed]:
            back = store.get_article(article.id)
            assert back is not None
            assert back.events == article.events, article.text


def _asserted(e: EventMention) -> bool:
    """Whether the text says an event happened, unqualified."""
    return not (e.negated or e.hypothetical or e.future or e.historical)


def _involves(e: EventMention, prefix: str) -> bool:
    """Whether a source or target code starts with this prefix."""
    return any(c.startswith(prefix) for c in [*e.source, *e.target])


STORE_FILTERS = [
    pytest.param(EventFilter(code="19"), lambda e: e.code.startswith("19"), id="code-root"),
    pytest.param(EventFilter(code="111"), lambda e: e.code.startswith("111"), id="code"),
    pytest.param(EventFilter(mode="negated"), lambda e: e.negated, id="negated"),
    pytest.param(EventFilter(mode="hypothetical"), lambda e: e.hypothetical, id="hypothetical"),
    pytest.param(EventFilter(mode="future"), lambda e: e.future, id="future"),
    pytest.param(EventFilter(mode="historical"), lambda e: e.historical, id="historical"),
    pytest.param(EventFilter(mode="asserted"), _asserted, id="asserted"),
    pytest.param(
        EventFilter(code="0", mode="future"), lambda e: e.code < "1" and e.future, id="code-and-mode"
    ),
    pytest.param(EventFilter(actor="ISR"), lambda e: _involves(e, "ISR"), id="actor"),
    pytest.param(EventFilter(actor="rusgov"), lambda e: _involves(e, "RUSGOV"), id="actor-lowercase"),
    pytest.param(EventFilter(country="UKR"), lambda e: _involves(e, "UKR"), id="country"),
    pytest.param(
        EventFilter(actor="RUS", code="19", mode="asserted"),
        lambda e: e.code.startswith("19") and _involves(e, "RUS") and _asserted(e),
        id="actor-code-and-mode",
    ),
]


@pytest.mark.parametrize(("query", "keep"), STORE_FILTERS)
def test_store_filters(
    stored: Path,
    articles: dict[str, Article],
    seed: Article,
    query: EventFilter,
    keep: Callable[[EventMention], bool],
) -> None:
    """`list_events` returns exactly the stored events an actor, code prefix or mode filter selects."""
    expected = sorted((a.id, e.index) for a in [*articles.values(), seed] for e in a.events if keep(e))
    assert expected, "the filter should select something"
    with Store(stored, read_only=True) as store:
        rows = store.list_events(replace(query, limit=100_000))
    assert sorted((r["article_id"], r["idx"]) for r in rows) == expected
    for row in rows:
        assert row["trigger_text"] in row["sentence"]


def test_cli_extract_events(tmp_path: Path, shared_model: None) -> None:
    """`extract --events` prints one PLOVER-style record per event, with CAMEO, Goldstein, modes and evidence."""
    news = tmp_path / "news.txt"
    news.write_text(
        "France and Germany imposed sanctions on Iran.\n\nVenezuela did not attack Colombia.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["extract", "--events", "--date", "2023-12-10", str(news)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2, result.stdout
    keys = {
        "actor",
        "recipient",
        "event",
        "mode",
        "context",
        "event_text",
        "cameo",
        "goldstein",
        "quad_class",
    }
    keys |= {"date", "modes", "evidence"}
    for record in records:
        assert keys <= record.keys(), sorted(record)
        entry = ontology.cameo_codes()[record["cameo"]]
        assert record["goldstein"] == entry.goldstein
        assert record["quad_class"] == entry.quad_class
        assert record["event"] == entry.plover_type
        assert record["date"] == "2023-12-10"
        assert set(record["modes"]) == set(MODES)
        trigger = record["evidence"]["trigger"]
        assert trigger["text"] in record["event_text"]
        assert RULE.search(record["evidence"]["rule"])
    sanctions, attack = records
    assert (sanctions["actor"], sanctions["recipient"], sanctions["cameo"]) == (
        ["FRA", "DEU"],
        ["IRN"],
        "163",
    )
    assert sanctions["evidence"]["trigger"]["text"] == "imposed sanctions"
    assert [s["text"] for s in sanctions["evidence"]["actor_spans"]] == ["France", "Germany"]
    assert sanctions["modes"] == dict.fromkeys(MODES, False)
    assert (attack["actor"], attack["recipient"], attack["cameo"]) == (["VEN"], ["COL"], "190")
    assert attack["modes"]["negated"] is True


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Iterator[Path]:
    """A store filled by `eventwire ingest --example`, run in-process with the loaded model."""
    db = tmp_path_factory.mktemp("cli") / "ew.duckdb"
    model = pipeline.nlp
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ew_nlp, "load", lambda name=ew_nlp.DEFAULT_MODEL: model)
        result = CliRunner().invoke(cli, ["ingest", "--example", "--db", str(db)])
    assert result.exit_code == 0, result.output
    yield db


def _events_json(db: Path, *options: str) -> list[dict[str, Any]]:
    """The rows `eventwire events --json` prints with these options."""
    result = CliRunner().invoke(cli, ["events", "--json", "--db", str(db), *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_cli_events_lists_ingested(ingested: Path) -> None:
    """`events --json` lists the events `ingest --example` stored, with their evidence and codebook values."""
    rows = _events_json(ingested)
    assert {"041", "111", "1124"} <= {r["code"] for r in rows}, rows
    for row in rows:
        assert row["event_date"] == "2023-12-10"
        assert row["trigger_text"] in row["sentence"]
        assert row["goldstein"] == ontology.cameo_codes()[row["code"]].goldstein
    assert len(_events_json(ingested, "--limit", "2")) == 2


CLI_FILTERS = [
    pytest.param(("--code", "111"), lambda r: r["code"].startswith("111"), id="code"),
    pytest.param(("--code", "04"), lambda r: r["code"].startswith("04"), id="code-prefix"),
    pytest.param(("--mode", "asserted"), lambda r: not any(r[m] for m in MODES), id="asserted"),
    pytest.param(("--code", "19", "--mode", "asserted"), lambda r: False, id="no-asserted-fight"),
    pytest.param(
        ("--actor", "RUSGOV"),
        lambda r: "RUSGOV" in [*r["source"], *r["target"]],
        id="actor",
    ),
    pytest.param(
        ("--country", "ISR"),
        lambda r: any(c.startswith("ISR") for c in [*r["source"], *r["target"]]),
        id="country",
    ),
]


@pytest.mark.parametrize(("options", "keep"), CLI_FILTERS)
def test_cli_events_filters(
    ingested: Path, options: tuple[str, ...], keep: Callable[[dict[str, Any]], bool]
) -> None:
    """`events --json` with a filter prints exactly the stored events the filter selects."""
    every = _events_json(ingested)
    assert _events_json(ingested, *options) == [r for r in every if keep(r)]
