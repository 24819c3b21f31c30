"""Event coding on sentences that tripped earlier versions: negated announcements, whose plan, orders, denials,
questions, forecasts, accusations, political sentences that mention sport words, what "of" names on a nominal act,
the tense of purpose clauses, acts announced as nouns, and fighting reported by a party to it."""

from __future__ import annotations

import pytest

from conftest import annotated
from eventwire import gazetteer
from eventwire.errors import UsageError
from eventwire.model import EventMention
from eventwire.pipeline import Pipeline
from eventwire.store import EventFilter


def _events(pipeline: Pipeline, text: str) -> list[EventMention]:
    """The events of a text dated 2024-01-10, with the default pipeline."""
    return annotated(pipeline, text).events


def _one(events: list[EventMention], prefix: str) -> EventMention:
    """The only event whose code starts with a prefix."""
    found = [e for e in events if e.code.startswith(prefix)]
    assert len(found) == 1, [(e.code, e.source, e.target, e.trigger.text) for e in events]
    return found[0]


@pytest.mark.parametrize(
    "text",
    ["Russia agreed not to attack Ukrainian ports.", "China has no plans to invade Taiwan."],
)
def test_negated_announcements(pipeline: Pipeline, text: str) -> None:
    """A "not" on the announced act, or "no plans", negates the announcement."""
    assert _one(_events(pipeline, text), "13").negated


def test_announcements_not_negated(pipeline: Pipeline) -> None:
    """Without a negation the announcement stands."""
    assert not _one(_events(pipeline, "China plans to invade Taiwan."), "13").negated


def test_a_plan_is_its_owners_not_its_critics(pipeline: Pipeline) -> None:
    """ "Egypt criticized Israel's plan to attack Rafah": Egypt criticises, the plan is Israel's."""
    events = _events(pipeline, "Egypt criticized Israel's plan to attack Rafah.")
    assert _one(events, "11").source == ["EGY"]
    assert _one(events, "13").source == ["ISR"]


def test_the_accused_did_it(pipeline: Pipeline) -> None:
    """ "Ukraine accused Russia of shelling Kherson": the shelling is Russia's, the accusation Ukraine's."""
    events = _events(pipeline, "Ukraine accused Russia of shelling Kherson.")
    assert _one(events, "11").source == ["UKR"]
    assert _one(events, "19").source == ["RUS"]


def test_an_order_is_not_aimed_at_the_target_of_the_act(pipeline: Pipeline) -> None:
    """ "Putin ordered troops to attack Kyiv" is not a demand made of Ukraine."""
    order = _one(_events(pipeline, "Putin ordered troops to attack Kyiv."), "10")
    assert not any(code.startswith("UKR") for code in order.target)


@pytest.mark.parametrize(
    ("text", "prefix", "mode"),
    [
        ("The Kremlin denied that Russia attacked Ukraine.", "19", "negated"),
        ("Did Russia bomb the hospital in Kyiv?", "19", "hypothetical"),
        ("The Turkish president is expected to meet Putin in Sochi.", "03", "future"),
        ("Iran said it would respond to any Israeli attack.", "19", "hypothetical"),
    ],
)
def test_acts_that_are_not_asserted(pipeline: Pipeline, text: str, prefix: str, mode: str) -> None:
    """Denied, asked about, forecast or merely possible acts carry their mode."""
    assert getattr(_one(_events(pipeline, text), prefix), mode)


def test_asserted_acts_stay_asserted(pipeline: Pipeline) -> None:
    """The plain statement of the same act has no mode."""
    event = _one(_events(pipeline, "Russia bombed the hospital in Kyiv."), "19")
    assert not (event.negated or event.hypothetical or event.future or event.historical)


@pytest.mark.parametrize(
    "text",
    [
        "Israel detained a Palestinian hunger striker again on Monday.",
        "President Oscar Arias met Nicaraguan leaders in San Jose.",
    ],
)
def test_sport_words_do_not_discard_politics(pipeline: Pipeline, text: str) -> None:
    """Words that are also sport or entertainment words do not throw a political sentence away."""
    assert _events(pipeline, text)


def test_a_statement_needs_a_speaker(pipeline: Pipeline) -> None:
    """A statement with no coded speaker is not kept, even when it names whom it is about."""
    assert not [e for e in _events(pipeline, "It was said that Iran would reply.") if e.code.startswith("01")]


def test_unknown_mode_is_a_usage_error() -> None:
    """A mode filter outside the documented ones is refused with a clear error."""
    with pytest.raises(UsageError, match="unknown mode"):
        EventFilter(mode="bogus").sql()


@pytest.mark.parametrize(("city", "country"), [("Lucknow", "IND"), ("Kherson", "UKR"), ("Hebron", "PSE")])
def test_cities_with_one_meaning(city: str, country: str) -> None:
    """A city name that means one city gives its country."""
    assert gazetteer.city_country(city) == country


@pytest.mark.parametrize("city", ["Bethlehem", "Victoria", "Hyderabad"])
def test_cities_shared_by_countries_give_none(city: str) -> None:
    """A name shared by comparable cities of several countries gives no country."""
    assert gazetteer.city_country(city) is None


@pytest.mark.parametrize(
    ("text", "historical"),
    [
        ("Iraq invaded Kuwait in August 1990.", True),
        ("Serb forces killed thousands of men in Srebrenica decades ago.", True),
        ("On the anniversary of the war, Israeli jets struck Gaza.", False),  # the strike is today's
        ("Israeli jets struck Gaza on Tuesday.", False),
    ],
)
def test_history(pipeline: Pipeline, text: str, historical: bool) -> None:
    """A year in a dated phrase or "decades ago" makes an act history; an anniversary only what it marks."""
    events = [e for e in _events(pipeline, text) if e.code[:2] in ("18", "19")]
    assert events and all(e.historical is historical for e in events)


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("Clashes broke out in the capital on Friday.", "19"),
        ("Heavy fighting continues around the airport.", "19"),
        ("The verdict sparked protests across the country.", "14"),
        ("Voters went to the polls amid protests in the capital.", "14"),
    ],
)
def test_unrest_told_as_happening(pipeline: Pipeline, text: str, root: str) -> None:
    """A nominal act of unrest or force that the sentence says happened is an event, even with no actor named."""
    event = _one(_events(pipeline, text), root)
    assert event.source == [] and event.target == []


@pytest.mark.parametrize(
    "text",
    [
        "The attack was the deadliest in years.",
        "The protests were larger than last year's.",
        "Officials discussed the fighting at length.",
        "The talks broke down on Friday.",
        "Officials spoke about protests in the capital.",
    ],
)
def test_bare_nominal_acts_are_not_events(pipeline: Pipeline, text: str) -> None:
    """A nominal act with no actor that is only described, discussed, or is no act of unrest is no event."""
    assert not [e for e in _events(pipeline, text) if e.code[:2] in ("14", "17", "18", "19", "20")]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The group vowed to keep fighting Israel.", "138"),
        ("Iran threatened to continue attacking ships in the Gulf.", "138"),
        ("Russia promised to start withdrawing troops from Ukraine.", "0356"),
    ],
)
def test_announced_through_a_verb_of_phase(pipeline: Pipeline, text: str, code: str) -> None:
    """ "vowed to keep fighting" announces the fighting: verbs of phase pass the announcement on."""
    _one(_events(pipeline, text), code)


def test_a_verb_of_phase_alone_announces_nothing(pipeline: Pipeline) -> None:
    """ "vowed to keep quiet" is no threat: the phase verb's complement is no act."""
    events = _events(pipeline, "The group vowed to keep quiet.")
    assert not [e for e in events if e.code.startswith("13")]


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("Angolan troops are attacking Zaire for no reason.", "19"),
        ("Hamas militants attacked Israel for its blockade.", "19"),
        # Without armed actors the lexicon's reading of "attacked X for" stands: criticism.
        ("The Russian foreign minister attacked Britain for its sanctions.", "11"),
    ],
)
def test_armed_actors_attack_with_force(pipeline: Pipeline, text: str, root: str) -> None:
    """Troops or militants who "attack" use force, even in the wording of criticism ("attacked X for")."""
    events = [e for e in _events(pipeline, text) if e.trigger.text.startswith("attack")]
    assert [e.code[:2] for e in events] == [root]


@pytest.mark.parametrize(
    ("text", "code", "source"),
    [
        # The speaker speaks for the state the clause names: the threat is the speaker's (speech act).
        ("Netanyahu said Israel would keep fighting Hamas.", "138", ["ISRGOV"]),
        ("Russia condemned the strike on Kyiv, the Kremlin said.", "111", ["RUSGOV"]),
        # A speaker of another country only reports: the act stays the clause actor's.
        ("Blinken said Russia would keep attacking Ukraine.", "138", ["RUS"]),
        # Acts that are not speech acts keep their actor, even told by its own government.
        ("The Kremlin said Russia attacked Ukraine.", "190", ["RUS"]),
    ],
)
def test_speech_acts_are_the_speakers(pipeline: Pipeline, text: str, code: str, source: list[str]) -> None:
    """A reported threat, criticism or appeal is made by the speaker when the speaker speaks for the clause's
    actor; otherwise the clause's actor stays the source."""
    assert _one(_events(pipeline, text), code).source == source


def test_tense_of_a_phase_verb_is_the_acts(pipeline: Pipeline) -> None:
    """ "will keep fighting" lies ahead: the auxiliary on the phase verb makes the fighting future."""
    assert _one(_events(pipeline, "Hamas will keep fighting Israel."), "13").future
    assert not _one(_events(pipeline, "Hamas kept fighting Israel."), "19").future


@pytest.mark.parametrize(
    ("text", "code", "source", "target"),
    [
        # A that-clause in the future is what a warning threatens: one threat, aimed at the act's target.
        ("Iran warned on Sunday that it would strike Israeli nuclear facilities.", "1384", ["IRN"], ["ISR"]),
        # An infinitive the parser hangs after a time phrase is still the announced act.
        (
            "Turkey offered on Friday to host peace talks between Russia and Ukraine.",
            "039",
            ["TUR"],
            ["RUS", "UKR"],
        ),
        # An act the lexicon does not code still tells whom a threat or demand is aimed at.
        ("Kim Jong Un threatened to use nuclear weapons against South Korea.", "130", ["PRKGOV"], ["KOR"]),
        ("Washington demanded that Moscow release the reporter.", "100", ["USAGOV"], ["RUSGOV"]),
    ],
)
def test_what_is_announced_and_to_whom(
    pipeline: Pipeline, text: str, code: str, source: list[str], target: list[str]
) -> None:
    """Warnings, offers, threats and demands: the announced act and whom it is aimed at."""
    event = _one(_events(pipeline, text), code[:2])
    assert (event.code, event.source, event.target) == (code, source, target)


@pytest.mark.parametrize(
    "text",
    [
        # A warning about what no one will do is no threat against anyone.
        "Iran warned that the weather would be cold.",
        # A past that-clause is a report, not a threat.
        "Iran warned that Israel had struck its nuclear facilities.",
    ],
)
def test_warnings_that_threaten_nothing(pipeline: Pipeline, text: str) -> None:
    """A warning whose clause is no future act of the speaker's is not a threat of that act (no 138)."""
    assert not [e for e in _events(pipeline, text) if e.code.startswith("138")]


def test_a_future_statement_stays_a_statement(pipeline: Pipeline) -> None:
    """ "will address the nation" is a statement (010) to come, not an intent to cooperate."""
    event = _one(_events(pipeline, "The Kenyan president will address the nation on Friday."), "01")
    assert event.code == "010" and event.future


@pytest.mark.parametrize(
    ("text", "denier"),
    [
        (
            "The Israeli military said on Wednesday it had not carried out the strike on the hospital.",
            ["ISRMIL"],
        ),
        ("Russia's defence ministry said its forces had not shelled the nuclear plant.", ["RUSGOV"]),
    ],
)
def test_saying_ones_side_did_not_act_is_a_denial(pipeline: Pipeline, text: str, denier: list[str]) -> None:
    """ "X said it had not carried out the strike": a denial (016) by X, and the strike negated."""
    events = _events(pipeline, text)
    assert _one(events, "016").source == denier
    assert _one(events, "19").negated


@pytest.mark.parametrize(
    "text",
    [
        # Saying that another side did not act is no denial of one's own.
        "Hamas said Israel had not attacked the hospital.",
        # Saying one's side did act is no denial.
        "The Israeli military said on Wednesday it had carried out the strike on the hospital.",
    ],
)
def test_not_a_denial(pipeline: Pipeline, text: str) -> None:
    """Only a statement that one's own side did not commit a hostile act is a denial."""
    assert not [e for e in _events(pipeline, text) if e.code == "016"]


def test_accusing_each_other_is_two_accusations(pipeline: Pipeline) -> None:
    """ "A and B accused each other of X": A → B and B → A, and X once by each side against the other."""
    events = _events(
        pipeline, "Armenia and Azerbaijan accused each other on Monday of violating the ceasefire."
    )
    accusations = sorted((e.source, e.target) for e in events if e.code.startswith("112"))
    assert accusations == [(["ARM"], ["AZE"]), (["AZE"], ["ARM"])]
    violations = sorted((e.source, e.target) for e in events if e.code == "196")
    assert violations == [(["ARM"], ["AZE"]), (["AZE"], ["ARM"])]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("India and Pakistan criticised one another.", 2),
        # Two sources acting on a third are one event, and a joint act stays joint.
        ("India and Pakistan criticised China.", 1),
        ("Russia and Ukraine met in Istanbul.", 1),
    ],
)
def test_only_each_other_splits_an_event(pipeline: Pipeline, text: str, count: int) -> None:
    """Only a reciprocal object ("each other", "one another") makes one event each way."""
    assert len(_events(pipeline, text)) == count


def _modes(event: EventMention) -> set[str]:
    """The modes an event is flagged with."""
    return {m for m in ("negated", "hypothetical", "future", "historical") if getattr(event, m)}


def _by_trigger(events: list[EventMention], word: str) -> EventMention:
    """The only event whose trigger starts with a word."""
    found = [e for e in events if e.trigger.text.startswith(word)]
    assert len(found) == 1, [(e.code, e.source, e.target, e.trigger.text) for e in events]
    return found[0]


@pytest.mark.parametrize(
    ("text", "act", "source"),
    [
        ("Russia warned of a nuclear attack by NATO.", "attack", ["IGOWSTNAT"]),
        ("Officials warned of Russian airstrikes on Kyiv.", "airstrikes", ["RUS"]),
        ("Iran feared a crackdown by the Israeli army.", "crackdown", ["ISRMIL"]),
        ("The United States fears an Israeli invasion of Rafah.", "invasion", ["ISR"]),
        ("Residents fled, fearing airstrikes by the Syrian army.", "airstrikes", ["SYRMIL"]),
        ("China raised the spectre of an invasion of Taiwan.", "invasion", []),
        ("Europe faces the threat of a Russian invasion.", "invasion", ["RUS"]),
        ("Kyiv dismissed fears of a Russian invasion.", "invasion", ["RUS"]),
        # The threatener is the one who would do what it threatens.
        ("Israel threatened Hamas with a ground invasion of Gaza.", "invasion", ["ISR"]),
        # Through a noun of quantity or kind: the wave is threatened, and the attacks with it.
        ("Hamas threatened a new wave of attacks on Israel.", "attacks", ["PSEREB"]),
        ("Russia warned of a wave of Ukrainian attacks on Crimea.", "attacks", ["UKR"]),
        ("Germany cautioned against an Israeli assault on Rafah.", "assault", ["ISR"]),
    ],
)
def test_a_nominal_act_warned_of_is_not_asserted(
    pipeline: Pipeline, text: str, act: str, source: list[str]
) -> None:
    """A nominal act that a warning, fear or threat is of is only possible: hypothetical, never asserted."""
    event = _by_trigger(_events(pipeline, text), act)
    assert _modes(event) == {"hypothetical"}
    assert event.source == source


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("Russia warned of a nuclear attack by NATO.", "012"),
        ("Russia warned against an invasion of Ukraine by NATO.", "130"),
    ],
)
def test_the_warning_itself_stays(pipeline: Pipeline, text: str, warning: str) -> None:
    """The warning is coded as before, asserted and by the one who warns; the act warned of is not theirs."""
    events = _events(pipeline, text)
    event = _one(events, warning[:2])
    assert (event.code, event.source, _modes(event)) == (warning, ["RUS"], set())
    assert not [e for e in events if e.code.startswith("19") and e.source == ["RUS"]]


@pytest.mark.parametrize(
    "text",
    [
        # Who warns against an act or fears it does not do it.
        "Egypt warned against an assault on Rafah.",
        "Russia warned against an invasion of Ukraine by NATO.",
    ],
)
def test_the_one_who_warns_is_not_the_source(pipeline: Pipeline, text: str) -> None:
    """The subject of a warning is not taken for the source of the act it warns against."""
    warner = _events(pipeline, text)[0].source
    assert not [e for e in _events(pipeline, text) if e.code.startswith("19") and e.source == warner]


@pytest.mark.parametrize(
    ("text", "act", "source"),
    [
        # Criticism of an act that happened.
        ("Russia condemned Ukraine's attack on the embassy.", "attack", ["UKR"]),
        # A warning told after an act: the act is news, the warning is about something else.
        (
            "Zelensky warned after the Russian attack on Kyiv that Russia would strike again.",
            "attack",
            ["RUS"],
        ),
        ("Russia warned of retaliation after Ukraine's attack on Crimea.", "attack", ["UKR"]),
        # The act raised fears; it is not what is feared.
        ("The Russian strike on Kyiv raised fears of a wider war with NATO.", "strike", ["RUS"]),
        # A plan or threat warned of or feared is real: only what it announces lies ahead.
        ("Egypt warned of Israel's plan to attack Rafah.", "plan", ["ISR"]),
        ("Europe fears Russia's threat to invade Ukraine.", "threat", ["RUS"]),
    ],
)
def test_a_nominal_act_reported_in_a_frame_stays_asserted(
    pipeline: Pipeline, text: str, act: str, source: list[str]
) -> None:
    """An act that did happen, told in a criticism or next to a warning, is asserted."""
    event = _by_trigger(_events(pipeline, text), act)
    assert (event.source, _modes(event)) == (source, set())


@pytest.mark.parametrize(
    ("text", "code", "source"),
    [
        ("Hamas said it would not free any more hostages.", "1243", ["PSEREB"]),
        ("Hamas will not release the hostages.", "1243", ["PSEREB"]),
        ("Hamas won't release the hostages.", "1243", ["PSEREB"]),
        ("Hamas will never release the hostages.", "1243", ["PSEREB"]),
        ("Hamas is not going to release the hostages.", "1243", ["PSEREB"]),
        ("Iran said it would not negotiate with the United States.", "125", ["IRN"]),
        ("Iran said it would not extradite the suspects.", "1213", ["IRN"]),
        ("Russia will not sign the agreement with Ukraine.", "127", ["RUS"]),
        # A refusal is a speech act: the speaker who speaks for the actor makes it.
        ("Netanyahu said Israel would not withdraw from Gaza.", "1246", ["ISRGOV"]),
        # Declaring one will not agree to an act refuses the act.
        ("Hamas will not agree to release the hostages.", "1243", ["PSEREB"]),
        ("Israel will not agree to a ceasefire.", "1246", ["ISR"]),
    ],
)
def test_saying_one_will_not_act_is_a_refusal(
    pipeline: Pipeline, text: str, code: str, source: list[str]
) -> None:
    """An actor's "will not" / "would not" of an act CAMEO has a refusal for is that refusal, announced for the
    future like an intent, and not negated: the "not" is what it refuses."""
    event = _one(_events(pipeline, text), "12")
    assert (event.code, event.source, _modes(event)) == (code, source, {"future"})


@pytest.mark.parametrize(
    ("text", "code", "modes"),
    [
        # Past negation: the act did not happen, no one refused it.
        ("Hamas did not free any hostages.", "0841", {"negated"}),
        ("Hamas has not released the hostages.", "0841", {"negated"}),
        ("Hamas said it had not freed the hostages.", "0841", {"negated"}),
        # CAMEO has no refusal to attack: a negated threat, as before.
        ("Russia will not attack Ukraine.", "1384", {"negated", "future"}),
        # Conditions and questions state no refusal.
        ("If Israel attacked, Hamas would not free the hostages.", "0841", {"negated", "hypothetical"}),
        (
            "Hamas said it would not release the hostages unless Israel stopped the offensive.",
            "0841",
            {"negated", "hypothetical", "future"},
        ),
        ("Will Hamas not free the hostages?", "0841", {"negated", "hypothetical", "future"}),
        # A forecast is not the actor's decision; a passive names no one who refuses.
        ("Hamas is not expected to release the hostages.", "0353", {"negated", "future"}),
        ("The hostages will not be released.", "0353", {"negated", "future"}),
        # Without a "not" the future is an intent.
        ("Hamas will release the hostages.", "0353", {"future"}),
    ],
)
def test_negations_that_are_not_refusals(pipeline: Pipeline, text: str, code: str, modes: set[str]) -> None:
    """Past negation, acts without a refusal, conditions, questions, forecasts and agentless passives keep their
    code and modes; none is a refusal."""
    events = _events(pipeline, text)
    assert not [e for e in events if e.code.startswith("12")]
    event = _one(events, code[:2])
    assert (event.code, _modes(event)) == (code, modes)


def test_a_question_about_a_refusal_is_none(pipeline: Pipeline) -> None:
    """A refusal reported inside a question is asked about, not stated."""
    events = _events(pipeline, "Does Hamas say it will not free the hostages?")
    assert not [e for e in events if e.code.startswith("12")]


@pytest.mark.parametrize(
    ("text", "denier", "act"),
    [
        ("Israel denied that its forces had shelled the hospital.", ["ISR"], "shelled"),
        ("The Israeli army said its troops did not fire on protesters.", ["ISRMIL"], "fire"),
        ("The Israeli army said its soldiers have not fired on protesters.", ["ISRMIL"], "fired"),
        ("The Israeli army said its troops are not firing on protesters.", ["ISRMIL"], "firing"),
    ],
)
def test_a_denial_is_of_an_act_done_or_going_on(
    pipeline: Pipeline, text: str, denier: list[str], act: str
) -> None:
    """A denial is of an act in the past, the perfect or the present: 016 by the speaker, the act negated."""
    events = _events(pipeline, text)
    assert _one(events, "016").source == denier
    assert _modes(_by_trigger(events, act)) == {"negated"}


@pytest.mark.parametrize(
    ("text", "act", "modes"),
    [
        # What one says one will not do is no denial: a negated act to come (or a refusal, where CAMEO has one).
        ("Israel said it would not send troops to Ukraine.", "send", {"negated", "future"}),
        ("Israel said it will not send troops to Ukraine.", "send", {"negated", "future"}),
        ("The Israeli army said it will not strike the hospital.", "strike", {"negated", "future"}),
        ("Russia said it was not going to attack Ukraine.", "attack", {"negated", "future"}),
        # Nor is what one might not have done, or would not do on a condition.
        ("Russia said it could not have shelled the plant.", "shelled", {"negated", "hypothetical"}),
        (
            "Russia said it would not attack Ukraine if talks continued.",
            "attack",
            {"negated", "hypothetical", "future"},
        ),
    ],
)
def test_a_negated_act_to_come_or_possible_is_no_denial(
    pipeline: Pipeline, text: str, act: str, modes: set[str]
) -> None:
    """Only an act told as done can be denied: "would not send", "will not strike", "could not have shelled"
    make no 016, and the act keeps its modes."""
    events = _events(pipeline, text)
    assert not [e for e in events if e.code == "016"]
    assert _modes(_by_trigger(events, act)) == modes


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The Kremlin would not comment on the report.", ["RUSGOV"]),
        ("The Kremlin will not comment on the report.", ["RUSGOV"]),
        ("The Kremlin won't comment on the report.", ["RUSGOV"]),
        ("The Russian defence ministry said it would not comment on the strike.", ["RUSGOV"]),
        ("The Kremlin declined to comment.", ["RUSGOV"]),
        ("The Kremlin refused to comment on the attack.", ["RUSGOV"]),
        ("The Kremlin had no comment.", ["RUSGOV"]),
        ("The Kremlin offered no comment on the report.", ["RUSGOV"]),
        ("The US State Department did not respond to requests for comment.", ["USA"]),
        ("The Israeli military did not immediately respond to a Reuters request for comment.", ["ISRMIL"]),
        ("The Pentagon did not return calls seeking comment.", ["USAGOV"]),
        # Neither confirming nor denying is one non-answer, not a negated denial.
        ("Israel would not confirm or deny the strike.", ["ISR"]),
    ],
)
def test_declining_comment(pipeline: Pipeline, text: str, source: list[str]) -> None:
    """ "would not comment", "declined to comment", "had no comment", "did not respond to requests for comment":
    one 011 by whoever declines, asserted, and no negated act beside it."""
    events = _events(pipeline, text)
    assert [(e.code, e.source, _modes(e)) for e in events] == [("011", source, set())]


@pytest.mark.parametrize(
    "text",
    [
        "The Kremlin commented on the talks.",
        # Not having commented tells what was not said, not that comment was asked for and declined.
        "Russia did not comment on the talks until Tuesday.",
        "The Kremlin has not commented on the report.",
        # A condition or a question declines nothing.
        "If asked, the Kremlin would not comment.",
        "Would the Kremlin not comment on the report?",
        # Not responding to an attack is no silence; a hedge in direct speech is no refusal.
        "Israel did not respond to the Iranian attack.",
        '"I would not say it is a crisis," Putin said.',
        "The Kremlin had no choice.",
    ],
)
def test_not_declining_comment(pipeline: Pipeline, text: str) -> None:
    """Only an explicit refusal of comment is 011."""
    assert not [e for e in _events(pipeline, text) if e.code == "011"]


@pytest.mark.parametrize(
    ("text", "act", "source"),
    [
        ("NATO deployed troops to prevent a Russian attack on Poland.", "attack", ["RUS"]),
        ("NATO troops prevented a Russian attack on Poland.", "attack", ["RUS"]),
        ("Qatar mediated to avert an Israeli offensive in Rafah.", "offensive", ["ISR"]),
        ("NATO moved troops to head off a Russian invasion.", "invasion", ["RUS"]),
        ("The government sought to forestall a strike by Israel.", "strike", ["ISR"]),
        ("NATO sent troops to stave off a Russian attack on Poland.", "attack", ["RUS"]),
        ("Ukraine sought to ward off a Russian offensive.", "offensive", ["RUS"]),
        ("The United States deployed warships to deter an Iranian attack on Israel.", "attack", ["IRN"]),
        ("Egypt brokered a truce to prevent an Israeli assault on Rafah.", "assault", ["ISR"]),
        ("A Russian invasion of Ukraine was averted.", "invasion", ["RUS"]),
        # A verbal act one is kept from: who is kept from it would have done it.
        ("The United Nations worked to prevent Russia from attacking Ukraine.", "attacking", ["RUS"]),
        ("Egypt prevented Hamas from carrying out an attack on Israel.", "carrying", ["PSEREB"]),
        ("Egypt barred Hamas from attacking Israel.", "attacking", ["PSEREB"]),
        ("Hamas was prevented from attacking Israel.", "attacking", ["PSEREB"]),
        ("Police prevented protesters from marching to parliament.", "marching", []),
    ],
)
def test_a_prevented_act_is_not_asserted(pipeline: Pipeline, text: str, act: str, source: list[str]) -> None:
    """An act prevented, averted, forestalled or headed off did not happen: it is only possible, and the one
    who prevents it is not its source."""
    event = _by_trigger(_events(pipeline, text), act)
    assert (event.source, _modes(event)) == (source, {"hypothetical"})


@pytest.mark.parametrize(
    ("text", "act", "source"),
    [
        # Stopping, repelling or ending an act tells that it happened.
        ("Ukrainian troops stopped the Russian attack on Kyiv.", "attack", ["RUS"]),
        ("Ukraine repelled the Russian attack.", "attack", ["RUS"]),
        ("Israel ended its offensive in Gaza.", "offensive", ["ISR"]),
        # A prevention that failed: the act happened.
        ("Israel failed to prevent the Iranian attack on Israel.", "attack", ["IRN"]),
        ("Ukraine could not prevent the Russian attack on Kyiv.", "attack", ["RUS"]),
        ("Egypt was unable to prevent an Israeli assault on Rafah.", "assault", ["ISR"]),
        ("The Israeli army failed to stop Hamas from attacking Israel.", "attacking", ["PSEREB"]),
        # "headed" without "off" prevents nothing.
        ("Israel headed the talks with Egypt.", "talks", ["ISR"]),
    ],
)
def test_an_act_not_prevented_stays_asserted(
    pipeline: Pipeline, text: str, act: str, source: list[str]
) -> None:
    """An act stopped, repelled, ended or not prevented happened: asserted, with its own source."""
    event = _by_trigger(_events(pipeline, text), act)
    assert (event.source, _modes(event)) == (source, set())


def _triple(event: EventMention) -> tuple[str, list[str], list[str]]:
    """An event's code, source and target."""
    return event.code, event.source, event.target


@pytest.mark.parametrize(
    ("text", "code", "source", "target"),
    [
        (
            "President George W. Bush digressed from a critique of Damascus and Iran at a news conference.",
            "111",
            ["USAGOV"],
            ["SYRGOV", "IRN"],
        ),
        ("The Arab League issued a condemnation of Israel.", "111", ["IGOMEAARL"], ["ISR"]),
        ("Turkey voiced its rejection of Israel's proposal.", "120", ["TUR"], ["ISR"]),
        # Of an act: who did it.
        ("Jordan voiced its condemnation of the Russian shelling of Kyiv.", "111", ["JOR"], ["RUS"]),
    ],
)
def test_of_names_whom_criticism_is_aimed_at(
    pipeline: Pipeline, text: str, code: str, source: list[str], target: list[str]
) -> None:
    """A criticism or rejection noun is aimed at the actor its "of" names, or at the doer of the act it names."""
    assert _triple(_one(_events(pipeline, text), code)) == (code, source, target)


@pytest.mark.parametrize(
    "text",
    [
        "Egypt voiced its condemnation of the attack.",
        "Jordan voiced its condemnation of the shelling of Kyiv.",
    ],
)
def test_of_an_act_without_actors_aims_criticism_at_no_one(pipeline: Pipeline, text: str) -> None:
    """ "The condemnation of the attack" names no one condemned (not the attack's target), and the critic is not
    the source of the act criticised."""
    events = _events(pipeline, text)
    assert _one(events, "11").target == []
    assert not [e for e in events if e.code.startswith("19") and e.source]


@pytest.mark.parametrize(
    ("text", "code", "source", "target"),
    [
        ("Britain welcomed the withdrawal of Russian troops from Kherson.", "0874", ["RUSMIL"], ["UKR"]),
        ("The deployment of Russian troops in Belarus alarmed Poland.", "154", ["RUSMIL"], []),
        ("Egypt welcomed a visit of the Chinese president.", "042", ["CHNGOV"], []),
    ],
)
def test_of_names_who_withdraws_deploys_or_visits(
    pipeline: Pipeline, text: str, code: str, source: list[str], target: list[str]
) -> None:
    """A withdrawal, deployment or visit is done by the actor its "of" names, not aimed at it."""
    assert _triple(_one(_events(pipeline, text), code)) == (code, source, target)


@pytest.mark.parametrize(
    "text",
    [
        "Hamas announced the withdrawal of support for the talks.",
        "Qatar warned against the withdrawal of US support.",
        "Pompeo defended the withdrawal from Syria.",
    ],
)
def test_a_withdrawal_of_no_actor_is_no_event(pipeline: Pipeline, text: str) -> None:
    """Withdrawing support is no retreat, and a withdrawal no one is named doing is a second mention."""
    assert not [e for e in _events(pipeline, text) if e.code.startswith("087")]


@pytest.mark.parametrize(
    ("text", "act", "code", "modes"),
    [
        (
            "Pompeo said the US would work with its partners to expel every last Iranian soldier from Syria.",
            "expel",
            "137",
            {"future"},
        ),
        ("Britain will deploy troops and impose sanctions on Russia.", "impose", "1312", {"future"}),
        ("Israel will send troops in order to attack Gaza.", "attack", "1384", {"future"}),
        ("Israel will not send troops to attack Gaza.", "attack", "1384", {"negated", "future"}),
        ("Israel could send troops to attack Gaza.", "attack", "190", {"hypothetical"}),
        # Told in the past, or with a tense of its own: asserted.
        ("The US worked with its partners to expel Iranian diplomats.", "expel", "161", set()),
        ("Israel deployed troops in order to attack Gaza.", "attack", "190", set()),
        ("Russia will attack Ukraine, and China imposed sanctions on Taiwan.", "imposed", "163", set()),
        # Only the nearest verb's "not" negates: not ruling out the use of force leaves the taking possible.
        (
            "President-elect Donald Trump said he would not rule out using military force to take control of "
            "Greenland.",
            "take",
            "1382",
            {"future"},
        ),
    ],
)
def test_purpose_and_coordinate_take_the_governors_tense(
    pipeline: Pipeline, text: str, act: str, code: str, modes: set[str]
) -> None:
    """An act of purpose or a bare coordinate lies ahead, is possible or is negated as the verb it shares its
    tense with; an act to come is coded as its intent or threat."""
    event = _by_trigger(_events(pipeline, text), act)
    assert (event.code, _modes(event)) == (code, modes)


@pytest.mark.parametrize(
    ("text", "code", "source", "target"),
    [
        ("The US committed to ongoing airstrikes against Isis.", "1384", ["USA"], ["SYRINS"]),
        ("Russia agreed to talks with Ukraine.", "036", ["RUS"], ["UKR"]),
        ("Russia committed itself to talks with Ukraine.", "036", ["RUS"], ["UKR"]),
        ("Hamas committed to a ceasefire with Israel.", "0356", ["PSEREB"], ["ISR"]),
        # The verb's own row reads the noun.
        ("Both sides agreed to a ceasefire in Sudan.", "0871", [], []),
        # Not committing to an act CAMEO has a refusal for is that refusal.
        ("Hamas will not commit to talks with Israel.", "125", ["PSEREB"], ["ISR"]),
    ],
)
def test_a_noun_after_to_is_the_act_announced(
    pipeline: Pipeline, text: str, code: str, source: list[str], target: list[str]
) -> None:
    """A verb of intent or threat announces the act a noun after "to" names, coded in its family."""
    events = _events(pipeline, text)
    assert [_triple(e) for e in events] == [(code, source, target)]


@pytest.mark.parametrize(
    "text",
    [
        "Israel agreed to Hamas's demands.",  # a demand is said, not done
        "Britain committed 500 troops to the offensive against Isis.",  # taking part, not announcing
    ],
)
def test_a_noun_after_to_that_announces_nothing(pipeline: Pipeline, text: str) -> None:
    """No threat or intent is read from a noun that names no act to do, nor after a verb with an object (what the
    verb's own row codes stays)."""
    assert not [e for e in _events(pipeline, text) if " via " in (e.rule or "") or e.code.startswith("13")]


@pytest.mark.parametrize(
    ("text", "trigger", "source", "target"),
    [
        (
            "A spokesman for the Syrian Democratic Forces said that clashes continued with Isis fighters.",
            "clashes",
            ["SYRREB"],
            ["SYRINS"],
        ),
        (
            "A Houthi spokesman said clashes broke out with Saudi-led forces.",
            "clashes",
            ["YEMREB"],
            ["SAUMIL"],
        ),
        (
            "“Heavy fighting continues around Bakhmut,” a spokesman for the Ukrainian army tweeted.",
            "fighting",
            ["UKRMIL"],
            [],
        ),
        (
            "Clashes continued with Isis fighters, according to the Iraqi army.",
            "Clashes",
            ["IRQMIL"],
            ["SYRINS"],
        ),
    ],
)
def test_fighting_reported_by_a_combatant_is_its_own(
    pipeline: Pipeline, text: str, trigger: str, source: list[str], target: list[str]
) -> None:
    """Fighting an armed party reports without naming who fights is the party's, against whom it names."""
    event = _by_trigger(_events(pipeline, text), trigger)
    assert (event.code, event.source, event.target) == ("190", source, target)


@pytest.mark.parametrize(
    ("text", "trigger", "source"),
    [
        # A reporter who is not armed: the UN, a government, a human rights group, the press, witnesses.
        ("The UN said fighting continued in Darfur.", "fighting", []),
        ("The Sudanese government said fighting continued with the RSF.", "fighting", []),
        ("Human Rights Watch said fighting continued in Darfur.", "fighting", []),
        ("Al Jazeera reported that clashes continued with Israeli forces.", "clashes", []),
        ("Witnesses said heavy fighting continued in the city.", "fighting", []),
        # Not fighting between two sides: the army reports its losses, not what it did.
        ("The Israeli army said two soldiers were killed.", "killed", []),
        # The fighting has its own sides.
        ("The Israeli army said clashes between Hamas and Islamic Jihad continued.", "clashes", ["PSEREB"]),
    ],
)
def test_fighting_reported_by_others_keeps_its_source(
    pipeline: Pipeline, text: str, trigger: str, source: list[str]
) -> None:
    """The reporter is not made a party to fighting it is not armed for, to losses, or to others' fighting."""
    assert _by_trigger(_events(pipeline, text), trigger).source == source
