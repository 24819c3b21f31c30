"""Who did it and to whom beyond subject and object: control by a verb's object or a decision's owner, the owner
of a rejected request, participles with a by-agent, "of" phrases, "pro-" and "anti-", and nominal attacks. Each
mechanism has sentences it must read and sentences it must leave alone."""

from __future__ import annotations

import pytest

from conftest import annotated
from eventwire.model import EventMention
from eventwire.pipeline import Pipeline


def _event(pipeline: Pipeline, text: str, prefix: str) -> EventMention:
    """The only event of a text whose code starts with a prefix."""
    events = annotated(pipeline, text).events
    found = [e for e in events if e.code.startswith(prefix)]
    assert len(found) == 1, [(e.code, e.source, e.target, e.trigger.text) for e in events]
    return found[0]


@pytest.mark.parametrize(
    ("text", "prefix", "source", "target"),
    [
        # The object of a verb of causing does the infinitive's act.
        ("The bombing prompted France to expel two Russian diplomats.", "16", ["FRA"], ["RUSGOV"]),
        ("The threats forced Turkey to close its border with Syria.", "191", ["TUR"], ["SYR"]),
        ("International pressure led Egypt to release the journalists.", "0841", ["EGY"], None),
        ("The war compelled Germany to impose sanctions on Russia.", "163", ["DEU"], ["RUS"]),
        # A decision's owner does what was decided, whoever comments on it.
        ("Israel condemned Turkey's decision to expel its ambassador.", "174", ["TUR"], None),
        ("The Chinese decision to impose sanctions on Lithuania angered Brussels.", "163", ["CHN"], ["LTU"]),
    ],
)
def test_control_by_object_or_owner(
    pipeline: Pipeline, text: str, prefix: str, source: list[str], target: list[str] | None
) -> None:
    """ "prompted France to expel", "Turkey's decision to expel": the object or the owner is the source."""
    event = _event(pipeline, text, prefix)
    assert event.source == source
    if target is not None:
        assert event.target == target


@pytest.mark.parametrize(
    ("text", "prefix", "source"),
    [
        # "use X to V": the subject acts through X, it is not control by the object.
        ("Iran used its navy to seize a British tanker.", "171", ["IRN"]),
        # No owner named: no source is made up.
        ("The decision to impose sanctions on Lithuania angered Brussels.", "163", []),
        # A promise is kept by whoever promised (subject control), not by the addressee.
        ("Russia promised Turkey to stop the shelling.", "03", ["RUS"]),
    ],
)
def test_no_control_by_object(pipeline: Pipeline, text: str, prefix: str, source: list[str]) -> None:
    """Other verbs with an object and an infinitive keep the subject as the source."""
    assert _event(pipeline, text, prefix).source == source


@pytest.mark.parametrize(
    ("text", "prefix", "source", "target"),
    [
        ("Russia rejected Japan's proposal for talks.", "12", ["RUS"], ["JPN"]),
        ("A Turkish court rejected Australia's request for an extradition.", "12", ["TURJUD"], ["AUS"]),
        # A pronoun owner is the subject's own: no target from it.
        ("Russia expressed its concern over the drills.", "012", ["RUS"], []),
        ("Israel launched its offensive at dawn.", "19", ["ISR"], []),
    ],
)
def test_owner_of_the_object(
    pipeline: Pipeline, text: str, prefix: str, source: list[str], target: list[str]
) -> None:
    """Rejecting someone's request is aimed at them; "its concern" is the speaker's own."""
    event = _event(pipeline, text, prefix)
    assert (event.source, event.target) == (source, target)


@pytest.mark.parametrize(
    ("text", "prefix", "target"),
    [
        ("The bombing prompted France to expel two Russian diplomats.", "16", ["RUSGOV"]),
        # One's own envoy or troops are not the target of recalling or sending them.
        ("France recalled its ambassador to Italy.", "16", ["ITA"]),
        ("Russia deployed Russian troops near the border.", "15", []),
        ("Russia sent Russian troops to Belarus.", "15", ["BLR"]),
    ],
)
def test_object_of_a_light_verb(pipeline: Pipeline, text: str, prefix: str, target: list[str]) -> None:
    """An object read with its verb ("expel diplomats") is the target only when it is another country's."""
    assert _event(pipeline, text, prefix).target == target


@pytest.mark.parametrize(
    ("text", "prefix", "source", "target"),
    [
        ("The ceasefire, brokered by Qatar, held overnight.", "045", ["QAT"], []),
        ("Two Georgian journalists detained by Russian troops were freed.", "173", ["RUSMIL"], ["GEOMED"]),
    ],
)
def test_participle_with_agent(
    pipeline: Pipeline, text: str, prefix: str, source: list[str], target: list[str]
) -> None:
    """A participle on a noun is passive: its by-agent is the source, the noun the target."""
    event = _event(pipeline, text, prefix)
    assert (event.source, event.target) == (source, target)


def test_participle_without_agent(pipeline: Pipeline) -> None:
    """Without a by-agent, a participle has no source: "the journalists detained on Friday"."""
    event = _event(pipeline, "Two Georgian journalists detained on Friday were freed.", "173")
    assert "RUSMIL" not in event.source
    assert event.target == ["GEOMED"]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Egypt expressed displeasure over the role of Qatar in the talks.", ["QAT"]),
        ("Egypt expressed displeasure over the situation.", []),
    ],
)
def test_target_inside_of_phrase(pipeline: Pipeline, text: str, target: list[str]) -> None:
    """A targeting preposition whose noun names no actor reaches the actor after "of"."""
    assert _event(pipeline, text, "111").target == target


def test_accused_parsed_on_the_object(pipeline: Pipeline) -> None:
    """ "accused Belarusian troops of shelling": the troops shelled, whatever "of" hangs on."""
    event = _event(pipeline, "Kyiv accused Belarusian troops of shelling its border villages.", "19")
    assert event.source == ["BLRMIL"]


@pytest.mark.parametrize(
    ("text", "prefix", "source", "target"),
    [
        ("The pro-Russian militia shelled the town.", "19", [], []),
        ("Anti-American protests erupted in Baghdad.", "14", [], ["USA"]),
        ("Russian troops shelled the town.", "19", ["RUSMIL"], []),
    ],
)
def test_pro_and_anti(
    pipeline: Pipeline, text: str, prefix: str, source: list[str], target: list[str]
) -> None:
    """ "pro-Russian" does not make Russia the actor; "anti-American" makes the United States the target."""
    event = _event(pipeline, text, prefix)
    assert (event.source, event.target) == (source, target)


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        ("Russian troops resumed their shelling of Kyiv.", ["RUSMIL"], ["UKRGOV"]),
        ("The bombardment of Kyiv resumed.", [], ["UKRGOV"]),
        ("US sanctions on Venezuela took effect.", ["USA"], ["VEN"]),
    ],
)
def test_nominal_attacks(pipeline: Pipeline, text: str, source: list[str], target: list[str]) -> None:
    """A force noun's "of" names its target; "their shelling" is the subject's; a country before the noun is
    the source."""
    event = next(e for e in annotated(pipeline, text).events if e.code[:2] in ("16", "19"))
    assert (event.source, event.target) == (source, target)


def test_of_phrase_of_a_statement_is_not_a_target(pipeline: Pipeline) -> None:
    """Only force nouns take their target from "of": "the statement of Iran" is not aimed at Iran."""
    events = annotated(pipeline, "The statement of Iran was read aloud.").events
    assert all("IRN" not in e.target for e in events)


@pytest.mark.parametrize(
    ("text", "prefix", "target"),
    [
        ("Kenyan police fired tear gas to disperse opposition supporters.", "17", ["KENOPP"]),
        ("Russian troops shelled the city to force Ukrainian soldiers out.", "19", ["UKRMIL"]),
        # A purpose that names nobody gives no target; a target already found is kept.
        ("Kenyan police fired tear gas to clear the road.", "17", []),
        ("Israel bombed Lebanon to push back Hezbollah.", "19", ["LBN"]),
    ],
)
def test_purpose_names_the_target(pipeline: Pipeline, text: str, prefix: str, target: list[str]) -> None:
    """Force without an object is aimed at whom its purpose names: "fired tear gas to disperse protesters"."""
    assert _event(pipeline, text, prefix).target == target


def test_force_to_repress_is_one_act(pipeline: Pipeline) -> None:
    """ "opened fire to disperse the crowd" is one act; "attacked the town and dispersed the crowd" two."""
    one = annotated(pipeline, "Kenyan police opened fire to disperse the crowd.").events
    assert len([e for e in one if e.code[:2] in ("17", "18", "19")]) == 1
    two = annotated(pipeline, "Kenyan police attacked the town and dispersed the crowd.").events
    assert len([e for e in two if e.code[:2] in ("17", "18", "19")]) == 2


@pytest.mark.parametrize(
    ("text", "prefix", "source"),
    [
        ("Hezbollah played an important role in fighting Israel.", "19", ["LBNREB"]),
        ("Iran took part in attacking the tanker.", "19", ["IRN"]),
        # The noun's own verb is not taken when the act hangs on a noun that is no object.
        ("The history of attacking Israel is long.", "19", []),
    ],
)
def test_act_under_the_object_of_a_verb(
    pipeline: Pipeline, text: str, prefix: str, source: list[str]
) -> None:
    """ "played a role in fighting Israel": the subject of the verb whose object the act hangs on."""
    assert _event(pipeline, text, prefix).source == source


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Ties were frayed by the US refusal to condemn Israel.", ["USA"]),
        ("Egypt criticized Israel's refusal to release the prisoners.", ["ISR"]),
        ("Russia explained its refusal to meet Ukraine.", ["RUS"]),
    ],
)
def test_a_refusal_is_its_owners(pipeline: Pipeline, text: str, source: list[str]) -> None:
    """The refusal is the one the noun names ("the US refusal"), else the subject's ("its refusal")."""
    assert _event(pipeline, text, "12").source == source


@pytest.mark.parametrize(
    ("text", "prefix", "source", "target"),
    [
        (
            "A suicide bombing claimed by the Islamic State killed four Americans.",
            "18",
            ["SYRINS"],
            ["USACVL"],
        ),
        ("An attack carried out by Hamas killed three Israelis.", "19", ["PSEREB"], ["ISRCVL"]),
    ],
)
def test_claimed_attack_and_its_victims(
    pipeline: Pipeline, text: str, prefix: str, source: list[str], target: list[str]
) -> None:
    """ "a bombing claimed by X killed Y" is X's act against Y, one event (the killing is its outcome)."""
    events = annotated(pipeline, text).events
    assert len(events) == 1, [(e.code, e.source, e.target) for e in events]
    assert (events[0].code[:2], events[0].source, events[0].target) == (prefix, source, target)


def test_a_claim_of_no_attack_is_no_source(pipeline: Pipeline) -> None:
    """A participle other than one of doing the act ("an attack condemned by Qatar") names no attacker."""
    events = annotated(pipeline, "An attack condemned by Qatar killed three Israelis.").events
    assert all("QAT" not in e.source for e in events if e.code[:2] in ("18", "19"))


@pytest.mark.parametrize(
    ("text", "code", "negated"),
    [
        ("Turkey decided not to extradite the suspect to Australia.", "1213", False),
        ("The court's decision not to extradite the suspect angered Australia.", "1213", False),
        # Agreeing not to act is an intent with the act negated, not a refusal.
        ("Russia agreed not to attack Ukrainian ports.", "1384", True),
    ],
)
def test_deciding_not_to_is_refusing(pipeline: Pipeline, text: str, code: str, negated: bool) -> None:
    """ "decided not to extradite" rejects the extradition (1213); "agreed not to attack" stays negated."""
    event = _event(pipeline, text, code)
    assert event.negated is negated


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("The Indian prime minister arrived in Moscow on Monday.", ["RUS"]),
        ("The Venezuelan foreign minister arrived in Spain on Sunday.", ["ESP"]),
        # A place that is not a country or capital gives no target of its own.
        ("The Venezuelan foreign minister arrived in the town on Sunday.", []),
    ],
)
def test_visit_to_a_place(pipeline: Pipeline, text: str, target: list[str]) -> None:
    """A visit's destination is its target, coded as the country it is or is the capital of."""
    assert _event(pipeline, text, "042").target == target


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Iran and Saudi Arabia agreed to restore relations after talks brokered by China.", ["IRN", "SAU"]),
        ("Talks between Israel and Hamas brokered by Qatar resumed.", ["ISR", "PSEREB"]),
        ("Qatar brokered the deal.", []),
    ],
)
def test_parties_of_mediation(pipeline: Pipeline, text: str, target: list[str]) -> None:
    """The target of mediation is the parties of what was brokered."""
    assert _event(pipeline, text, "045").target == target


def test_of_phrase_of_a_light_verb_object(pipeline: Pipeline) -> None:
    """ "cancelled the passports of six activists" is aimed at the activists."""
    event = _event(pipeline, "Hong Kong authorities cancelled the passports of six activists.", "172")
    assert event.target == ["HKGOPP"]


@pytest.mark.parametrize(
    ("text", "code", "target"),
    [
        ("An Israeli air strike destroyed Iran's consular building in Damascus.", "195", ["IRN"]),
        ("A Russian missile strike damaged a Ukrainian power plant.", "19", ["UKR"]),
    ],
)
def test_what_a_strike_destroyed_is_its_outcome(
    pipeline: Pipeline, text: str, code: str, target: list[str]
) -> None:
    """An attack that destroyed or damaged something is one event, aimed at whose it was."""
    events = annotated(pipeline, text).events
    assert len(events) == 1, [(e.code, e.source, e.target) for e in events]
    assert events[0].code.startswith(code) and events[0].target == target


def test_destroying_on_its_own_is_an_event(pipeline: Pipeline) -> None:
    """Without an attack as its subject, destroying property is its own act (1712)."""
    assert _event(pipeline, "Russian troops destroyed a Ukrainian power plant.", "17").source == ["RUSMIL"]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Russian forces shelled the city of Kherson overnight.", ["UKR"]),
        ("Russian drones struck Kharkiv on Tuesday.", ["UKR"]),
        ("Israel imposed a complete siege on the Gaza Strip.", ["PSE"]),
        # A place the gazetteer does not know, or no place at all, gives no target.
        ("Russian forces shelled the outskirts of the city overnight.", []),
        ("Russian forces shelled Smallville overnight.", []),
    ],
)
def test_places_aimed_at(pipeline: Pipeline, text: str, target: list[str]) -> None:
    """A city, region or territory a use of force is aimed at gives the country it lies in."""
    event = next(e for e in annotated(pipeline, text).events if e.code[:2] in ("17", "18", "19"))
    assert event.target == target


def test_place_of_a_nominal_visit(pipeline: Pipeline) -> None:
    """ "his visit to Kyiv": the visit is aimed at the country of its destination."""
    assert _event(pipeline, "The German chancellor praised his visit to Kyiv.", "042").target == ["UKR"]


@pytest.mark.parametrize(
    ("text", "code", "target"),
    [
        ("The West never recognised Crimea, which Russia seized in 2014.", "192", ["UKR"]),
        ("Sweden, which Turkey criticised, joined NATO.", "111", ["SWE"]),
        # A relative pronoun whose noun names no actor gives no target.
        ("The decision, which Russia criticised, took effect.", "111", []),
    ],
)
def test_relative_pronoun_objects(pipeline: Pipeline, text: str, code: str, target: list[str]) -> None:
    """ "Crimea, which Russia seized": the relative pronoun stands for the noun its clause hangs on."""
    assert _event(pipeline, text, code).target == target


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russian troops seized Kherson in March.", "192"),
        # Seizing a ship or goods stays the seizure of property.
        ("Iran seized a British tanker in the Gulf.", "171"),
    ],
)
def test_seizing_a_place_is_occupying_it(pipeline: Pipeline, text: str, code: str) -> None:
    """Seizing a city or region is occupying territory (192); seizing property stays 171x."""
    events = [e for e in annotated(pipeline, text).events if e.code[:2] in ("17", "19")]
    assert [e.code[: len(code)] for e in events] == [code]


@pytest.mark.parametrize(
    ("text", "prefix", "target"),
    [
        ("Taiwan put its forces on alert on Monday.", "15", []),
        # Acts that are not moving or readying forces keep an own-side object as their target.
        ("The Iraqi government arrested its own soldiers.", "173", ["IRQMIL"]),
    ],
)
def test_own_forces_are_not_a_target(pipeline: Pipeline, text: str, prefix: str, target: list[str]) -> None:
    """Readying or withdrawing one's own forces ("put its forces on alert") is aimed at no one."""
    assert _event(pipeline, text, prefix).target == target


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("The Israeli army withdrew from south Lebanon in 2000.", ["LBN"]),
        ("Russia withdrew its troops from Syria.", ["SYR"]),
        # Withdrawing from something that is no place names no country.
        ("Russia withdrew its troops from the front line.", []),
    ],
)
def test_the_country_a_withdrawal_leaves(pipeline: Pipeline, text: str, target: list[str]) -> None:
    """A withdrawal is aimed at the country it leaves ("withdrew from south Lebanon")."""
    assert _event(pipeline, text, "087").target == target


@pytest.mark.parametrize(
    ("text", "code", "source"),
    [
        ("Hezbollah fought Israel, which ended its occupation of south Lebanon in 2000.", "0874", ["ISR"]),
        ("The Kremlin, which condemned the strike, summoned the ambassador.", "111", ["RUSGOV"]),
    ],
)
def test_relative_pronoun_subjects(pipeline: Pipeline, text: str, code: str, source: list[str]) -> None:
    """ "Israel, which ended …": a relative pronoun subject is the noun its clause hangs on."""
    assert _event(pipeline, text, code).source == source


@pytest.mark.parametrize(
    ("text", "prefix", "target"),
    [
        (
            "The Iranian foreign minister criticised remarks made by the French president on Tuesday.",
            "11",
            ["FRAGOV"],
        ),
        ("Qatar rejected a proposal by Egypt for a new truce.", "12", ["EGY"]),
        ("The Iraqi president hit back at comments made by the Turkish foreign minister.", "11", ["TURGOV"]),
        ("Russia rejected the resolution adopted by the Security Council.", "12", ["IGOUNO"]),
    ],
)
def test_author_of_what_is_criticised(pipeline: Pipeline, text: str, prefix: str, target: list[str]) -> None:
    """Criticising or rejecting what someone made, said or proposed is aimed at its author."""
    assert _event(pipeline, text, prefix).target == target


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("The Iranian foreign minister criticised the remarks on Tuesday.", "11"),
        ("The Iranian foreign minister criticised remarks made in Paris on Tuesday.", "11"),
        ("Qatar rejected the proposal for a new truce.", "12"),
    ],
)
def test_no_author_no_target(pipeline: Pipeline, text: str, prefix: str) -> None:
    """Remarks or a proposal with no author named give the criticism no target."""
    assert _event(pipeline, text, prefix).target == []


@pytest.mark.parametrize(
    ("text", "prefix", "source", "noun"),
    [
        ("A rally planned by Kenyan opposition groups drew thousands.", "141", ["KENOPP"], "rally"),
        ("A protest organised by Kenyan students turned violent.", "141", ["KENEDU"], "protest"),
        ("A rally led by a Kenyan senator drew thousands.", "141", ["KENLEG"], "rally"),
        ("Talks held by the Russian and Turkish leaders ended.", "040", ["RUSGOV", "TURGOV"], "Talks"),
        (
            "An investigation initiated by the Kenyan police found nothing.",
            "090",
            ["KENCOP"],
            "investigation",
        ),
    ],
)
def test_organiser_of_a_nominal_act(
    pipeline: Pipeline, text: str, prefix: str, source: list[str], noun: str
) -> None:
    """ "a rally planned by X", "talks held by X": the by-agent did the act, told once, by the noun."""
    event = _event(pipeline, text, prefix)
    assert (event.source, event.trigger.text) == (source, noun)


@pytest.mark.parametrize(
    "text",
    [
        # Led, but no act: a delegation or a convoy is no event.
        "A delegation led by a Kenyan senator arrived in Nairobi.",
        "A convoy led by Kenyan police reached the border.",
    ],
)
def test_leading_what_is_no_act(pipeline: Pipeline, text: str) -> None:
    """ "led by" names an actor only of a noun that is an event."""
    events = annotated(pipeline, text).events
    assert not any(e.trigger.text in ("delegation", "convoy", "led") for e in events)


def test_calling_off_is_not_organising(pipeline: Pipeline) -> None:
    """ "a protest called off by X" is X's calling off (082), not X's protest."""
    events = annotated(pipeline, "A protest called off by Kenyan opposition groups was rescheduled.").events
    assert [(e.code, e.source) for e in events] == [("082", ["KENOPP"])]


def test_parties_of_a_joint_act_without_agent(pipeline: Pipeline) -> None:
    """ "an agreement reached between A and B": without a by-agent, the parties did it."""
    event = _event(pipeline, "An agreement reached on Tuesday between Israel and Jordan was welcomed.", "057")
    assert event.source == ["ISR", "JOR"]


def test_stance_preposition_standing_in_names_the_target(pipeline: Pipeline) -> None:
    """ "satisfied about Russia's stance" is aimed at Russia as "satisfied with" would be."""
    event = _event(pipeline, "Iran was satisfied about Russia's stance.", "051")
    assert (event.source, event.target) == (["IRN"], ["RUS"])
