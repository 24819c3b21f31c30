"""Actors: recognition, dated roles, metonymy, coreference, uncoded actors and user dictionaries, on real parses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eventwire import datelines
from eventwire.actors import ActorStage
from eventwire.model import ActorMention, Article, Source
from eventwire.pipeline import Pipeline

PEOPLE = """name,aliases,country,code,role,start,end,kind
Benjamin Netanyahu,Netanyahu,ISR,ISRGOV,Prime Minister,2009-03-31,2021-06-13,person
Benjamin Netanyahu,Netanyahu,ISR,ISROPP,Leader of the Opposition,2021-06-13,2022-12-29,person
Benjamin Netanyahu,Netanyahu,ISR,ISRGOV,Prime Minister,2022-12-29,,person
Dmitry Medvedev,Medvedev,RUS,RUSGOV,President,2008-05-07,2012-05-07,person
Dmitry Medvedev,Medvedev,RUS,RUSGOV,Prime Minister,2012-05-08,2020-01-15,person
"""


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small user dictionary of people with dated roles (independent of the shipped tables)."""
    path = tmp_path_factory.mktemp("dicts") / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    return path


def _actors(
    pipeline: Pipeline, text: str, date: str | None = "2023-12-10", extra: tuple[Path, ...] = ()
) -> list[ActorMention]:
    """The actors the real pipeline finds in a text published on a date, with optional user dictionaries."""
    stage = ActorStage([str(p) for p in extra])
    custom = Pipeline(pipeline.config, stages=(pipeline.stages[0], stage))
    custom._nlp = pipeline.nlp  # share the loaded model
    article = Article(
        "a", text, None, dt.date.fromisoformat(date) if date else None, None, 0, Source("t", "text")
    )
    (result,) = custom.annotate([article])
    assert isinstance(result, Article)
    for actor in result.actors:
        assert text[actor.span.start : actor.span.end] == actor.span.text
    return result.actors


def _codes(actors: list[ActorMention]) -> dict[str, str | None]:
    """Mention text → code."""
    return {a.span.text: a.code for a in actors}


@pytest.mark.parametrize(
    ("date", "code"),
    [("2023-12-10", "ISRGOV"), ("2022-07-01", "ISROPP"), ("2015-01-01", "ISRGOV"), ("2005-06-01", "ISRELI")],
)
def test_dated_roles(pipeline: Pipeline, people: Path, date: str, code: str) -> None:
    """The article's date decides Netanyahu's code: PM, opposition leader, PM again; an elite before office."""
    actors = _actors(pipeline, "Netanyahu met the French foreign minister in Paris.", date, (people,))
    assert _codes(actors)["Netanyahu"] == code


def test_medvedev_in_2010(pipeline: Pipeline, people: Path) -> None:
    """Medvedev is Russia's government (as president) in 2010."""
    assert (
        _codes(_actors(pipeline, "Dmitry Medvedev criticised NATO.", "2010-04-01", (people,)))[
            "Dmitry Medvedev"
        ]
        == "RUSGOV"
    )


@pytest.mark.parametrize(
    ("text", "mention", "code"),
    [
        ("Moscow said the sanctions were illegal.", "Moscow", "RUSGOV"),
        ("Washington imposed new sanctions on Tehran.", "Washington", "USAGOV"),
        ("The Kremlin rejected the proposal on Monday.", "Kremlin", "RUSGOV"),
        ("He criticised Tel Aviv’s actions in Gaza.", "Tel Aviv", "ISRGOV"),
        ("Downing Street declined to comment.", "Downing Street", "GBRGOV"),
    ],
)
def test_metonymy(pipeline: Pipeline, text: str, mention: str, code: str) -> None:
    """A capital or seat of government that acts or is acted upon is that country's government."""
    assert _codes(_actors(pipeline, text))[mention] == code


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Thousands of people marched in Moscow on Saturday.", "Moscow"),
        ("The delegation flew from Washington to Brussels overnight.", "Washington"),
        ("Talks were held in Tehran last week.", "Tehran"),
    ],
)
def test_places_are_not_metonyms(pipeline: Pipeline, text: str, place: str) -> None:
    """A capital named as where something happened is a place, not an actor."""
    assert place not in _codes(_actors(pipeline, text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jordan scored twice in the second half as the hosts won 3-1.", "Jordan"),
        ("France beat England 2-1 in the cup final on Sunday.", "France"),
        ("Officials in Atlanta said Georgia would certify the county results.", "Georgia"),
        ("Washington state officials said the wildfire was contained.", "Washington"),
    ],
)
def test_names_that_are_not_those_actors(pipeline: Pipeline, text: str, name: str) -> None:
    """Sports teams and US states named like countries or capitals are not those countries' actors."""
    codes = _codes(_actors(pipeline, text))
    assert not any(
        name in mention and code and code[:3] in ("JOR", "FRA", "GEO", "USA")
        for mention, code in codes.items()
    ), codes


def test_country_named_as_an_actor(pipeline: Pipeline) -> None:
    """Georgia the country, acting, is GEO; Jordan acting in politics is JOR."""
    codes = _codes(
        _actors(pipeline, "Georgia accused Russia of occupying its territory, and Jordan condemned it.")
    )
    assert codes["Georgia"] == "GEO"
    assert codes["Russia"] == "RUS"
    assert codes["Jordan"] == "JOR"


@pytest.mark.parametrize(
    ("text", "mention", "code"),
    [
        ("Israeli media reported the talks.", "Israeli media", "ISRMED"),
        ("The Russian side expressed its readiness to help.", "Russian side", "RUSGOV"),
        ("Syrian troops shelled the town.", "Syrian troops", "SYRMIL"),
        ("Iraqi security forces arrested four men.", "Iraqi security forces", "IRQCOP"),
        (
            "The first deputy permanent representative of Russia to the UN spoke.",
            "first deputy permanent representative",
            "RUSGOV",
        ),
    ],
)
def test_country_and_role_words(pipeline: Pipeline, text: str, mention: str, code: str) -> None:
    """A role word with a country word (a demonym, or "of Russia") codes country and sector."""
    assert _codes(_actors(pipeline, text))[mention] == code


def test_unknown_actor_is_kept_uncoded(pipeline: Pipeline) -> None:
    """An actor that cannot be coded is still emitted, with its head noun and whatever role the text gives."""
    actors = _actors(pipeline, "Protesters blocked the road, and Zorvan Kettle praised them.")
    by_text = {a.span.text: a for a in actors}
    assert by_text["Protesters"].code is None and not by_text["Protesters"].coded
    assert by_text["Protesters"].sectors == ["CVL"]
    assert by_text["Zorvan Kettle"].code is None
    assert by_text["Zorvan Kettle"].via == "uncoded"
    assert by_text["Zorvan Kettle"].head == "Zorvan Kettle"


def test_coreference_in_the_seed_style(pipeline: Pipeline) -> None:
    """Surnames, pronouns, "the diplomat" and "the two leaders" take the codes of the actors they refer to."""
    text = (
        "Israeli Prime Minister Yair Dalet spoke by phone with Russian President Ivan Korin. "
        "The conversation between the two leaders focused on Gaza. "
        "Dalet later criticised Moscow. "
        "The envoy of Russia to the UN, Oleg Sarin, condemned Israel. He announced new measures. "
        "The diplomat added that the talks would continue."
    )
    actors = _actors(pipeline, text)
    assert all(a.coded == (a.code is not None) for a in actors)
    codes = [(a.span.text, a.code) for a in actors]
    assert ("Israeli Prime Minister Yair Dalet", "ISRGOV") in codes
    assert ("Russian President Ivan Korin", "RUSGOV") in codes
    assert {c for t, c in codes if t == "two leaders"} == {"ISRGOV", "RUSGOV"}
    assert ("Dalet", "ISRGOV") in codes
    assert ("Oleg Sarin", "RUSGOV") in codes
    assert ("He", "RUSGOV") in codes
    assert ("diplomat", "RUSGOV") in codes


def test_shared_surname_of_unknown_people_stays_apart(pipeline: Pipeline) -> None:
    """A surname refers back only to a person whose full name ends with it."""
    text = "Russian President Ivan Korin met Mark Dalet. Korin said little."
    codes = [(a.span.text, a.code) for a in _actors(pipeline, text)]
    assert ("Korin", "RUSGOV") in codes
    assert ("Mark Dalet", None) in codes


def test_user_dictionary_overrides_and_extends(pipeline: Pipeline, tmp_path: Path) -> None:
    """A user YAML dictionary adds actors and role words and overrides shipped meanings."""
    path = tmp_path / "mine.yaml"
    path.write_text(
        "actors:\n"
        "  - name: Northern Alliance of Testland\n    aliases: [NATL]\n    code: TSTREB\n"
        "  - name: Kremlin\n    code: RUSSPY\n"
        "roles:\n  - phrase: frobnicator\n    code: BUS\n",
        encoding="utf-8",
    )
    codes = _codes(
        _actors(
            pipeline,
            "NATL attacked a convoy. The Kremlin denied it. Russian frobnicators objected.",
            extra=(path,),
        )
    )
    assert codes["NATL"] == "TSTREB"
    assert codes["Kremlin"] == "RUSSPY"
    assert codes["Russian frobnicators"] == "RUSBUS"


def test_actor_stage_pickles_without_dictionaries() -> None:
    """The stage crosses process boundaries as its dictionary paths and reloads them lazily."""
    import pickle

    stage = ActorStage(["mine.csv"])
    copy = pickle.loads(pickle.dumps(stage))
    assert copy.extra == ("mine.csv",)
    assert copy._dictionaries is None


@pytest.mark.parametrize(
    ("text", "mention", "code"),
    [
        ("A Syrian opposition figure said the talks had failed.", "Syrian opposition figure", "SYROPP"),
        ("Police sources in Kenya said two men were held.", "Police sources", "KENCOP"),
        ("An Iraqi police source said the blast killed four.", "Iraqi police source", "IRQCOP"),
    ],
)
def test_role_in_the_modifier_of_a_member_noun(
    pipeline: Pipeline, text: str, mention: str, code: str | None
) -> None:
    """ "An opposition figure", "a police source": the role word modifies a noun for a member or voice."""
    actors = {a.span.text: a for a in _actors(pipeline, text)}
    assert actors[mention].code == code
    assert actors[mention].sectors


def test_domestic_actors_take_the_country_of_the_article(pipeline: Pipeline) -> None:
    """ "Police" and "the government" without a country word take the country the article is about."""
    text = (
        "Madagascar's capital was calm on Tuesday. Police fired tear gas at protesters near the stadium, "
        "and the government imposed a curfew. Malagasy officials blamed the opposition."
    )
    codes = [(a.span.text, a.code, a.via) for a in _actors(pipeline, text)]
    assert ("Police", "MDGCOP", "context") in codes
    assert ("protesters", "MDGCVL", "context") in codes
    assert ("government", "MDGGOV", "context") in codes
    assert ("Malagasy officials", "MDGGOV", "role") in codes


def test_domestic_actors_take_the_country_of_the_dateline(pipeline: Pipeline) -> None:
    """A story filed from a city is about its country when nothing else says otherwise, even in lower case."""
    codes = _codes(_actors(pipeline, "lucknow: police arrested 20 activists near the station on sunday."))
    assert codes["police"] == "INDCOP"
    abroad = _codes(
        _actors(pipeline, "NAIROBI: Police in Uganda and Uganda's army said rebels crossed from Congo.")
    )
    assert abroad["Police"] != "KENCOP"


def test_no_country_no_guess(pipeline: Pipeline) -> None:
    """Without any country in the article, domestic actors stay uncoded (vague ones are not emitted)."""
    codes = [
        (a.span.text, a.code)
        for a in _actors(pipeline, "Police fired tear gas at protesters. Officials said.")
    ]
    assert ("Police", None) in codes and ("protesters", None) in codes
    assert not any(text == "Officials" for text, _ in codes)


@pytest.mark.parametrize(
    ("text", "mention", "code"),
    [
        ("The Arab League condemned Israel on Monday.", "Israel", "ISR"),
        ("The Security Council voted 13-2 to condemn Russia.", "Russia", "RUS"),
        ("Iran defended the death penalty for the protesters.", "Iran", "IRN"),
        ("Russia sold drones to Iran last year.", "Iran", "IRN"),
        ("Iran fired missiles at Israel overnight.", "Israel", "ISR"),
        ("South Sudan troops clashed with rebels.", "South Sudan troops", "SSDMIL"),
        ("Russia's President Vladimir Putin met Xi Jinping.", "Russia's President Vladimir Putin", "RUSGOV"),
        ("A former Russian president criticised the Kremlin.", "former Russian president", "RUSELI"),
    ],
)
def test_findings_that_must_code(pipeline: Pipeline, text: str, mention: str, code: str) -> None:
    """Targets after prepositions, votes with numbers, multi-word countries, possessive titles, former officials."""
    assert _codes(_actors(pipeline, text, "2024-03-01"))[mention] == code


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Americans eat turkey at Thanksgiving.", "turkey"),
        ("Secretary of State Antony Blinken visited Beijing.", "Beijing"),
        ("New Mexico police arrested two men.", "MEX"),
        ("Market forces pushed prices up in London.", "MIL"),
    ],
)
def test_findings_that_must_not_code(pipeline: Pipeline, text: str, absent: str) -> None:
    """Common nouns like country names, destinations of visits, and one word of a longer place name give no actor."""
    actors = _actors(pipeline, text, "2024-03-01")
    assert not any(
        absent in (a.span.text, a.code or "", a.country or "") or (a.code or "").endswith(absent)
        for a in actors
    ), [(a.span.text, a.code) for a in actors]


def test_description_does_not_fall_back_to_the_subject(pipeline: Pipeline) -> None:
    """ "Netanyahu met the envoy": without an earlier envoy, the envoy is not Netanyahu."""
    actors = _actors(pipeline, "Benjamin Netanyahu met the envoy in Jerusalem.", "2024-03-01")
    assert {a.span.text: a.code for a in actors}.get("envoy") != "ISRGOV"


def test_pronoun_after_a_title_refers_to_the_title(pipeline: Pipeline) -> None:
    """ "The German chancellor said he…": he is the chancellor, not the earlier French president."""
    text = "French President Emmanuel Macron spoke with the German chancellor. The German chancellor said he was ready."
    codes = [(a.span.text, a.code) for a in _actors(pipeline, text, "2024-03-01")]
    assert ("he", "DEUGOV") in codes


def test_soviet_union_is_its_own_actor(pipeline: Pipeline) -> None:
    """Historical reports code the Soviet Union as SUN, not as a union (LAB) of the article's country."""
    codes = _codes(
        _actors(pipeline, "The Soviet Union invaded Afghanistan. Soviet troops withdrew.", "1989-02-15")
    )
    assert codes["Soviet Union"] == "SUN"
    assert codes["Soviet troops"] == "SUNMIL"


@pytest.mark.parametrize(
    ("text", "kept"),
    [("He spoke from Rostov on Sunday.", False), ("The letter was sent to Zorvan Kettle.", True)],
)
def test_one_word_person_after_a_place_preposition_is_a_place(
    pipeline: Pipeline, text: str, kept: bool
) -> None:
    """An unknown one-word "person" after "from" or "in" is a mistagged place; a full name after "to" is a person."""
    actors = _actors(pipeline, text)
    assert bool(actors) is kept, [(a.span.text, a.code) for a in actors]


@pytest.mark.parametrize(
    ("text", "mention", "code"),
    [
        ("Hundreds of Palestinians clashed with police.", "Palestinians", "PSECVL"),
        ("Two Iraqis were wounded in the blast.", "Two Iraqis", "IRQCVL"),
        ("A Syrian man was arrested at the border.", "Syrian man", "SYRCVL"),
        ("Thousands of Ukrainians fled west.", "Ukrainians", "UKRCVL"),
        ("The Palestinians rejected the proposal.", "Palestinians", "PSECVL"),
        ("Iranians marked the anniversary with rallies.", "Iranians", "IRNCVL"),
    ],
)
def test_people_by_nationality(pipeline: Pipeline, text: str, mention: str, code: str) -> None:
    """People named by nationality, plural, counted or single, are the country's civilians."""
    assert _codes(_actors(pipeline, text)).get(mention) == code


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Palestinian negotiators rejected the plan.", "plan"),
        ("The plan was approved by the cabinet in Kenya.", "plan"),
        ("He lives in a Palestinian village.", "village"),
    ],
)
def test_not_people_or_acronyms(pipeline: Pipeline, text: str, word: str) -> None:
    """A lower-case word is not a capitalised acronym ("plan" is not PLAN, the Chinese navy), and a place is not
    its people."""
    assert not any(word in a.span.text for a in _actors(pipeline, text))


@pytest.mark.parametrize(
    ("text", "date", "mention", "code"),
    [
        ("King Hussein met the envoy in Aqaba.", "1997-04-01", "King Hussein", "JORGOV"),
        ("Syrian President Assad received the envoy.", "2010-04-01", "Syrian President Assad", "SYRGOV"),
        ("Syrian President Assad received the envoy.", "1995-04-01", "Syrian President Assad", "SYRGOV"),
        ("Gingrich criticised the White House.", "1997-04-01", "Gingrich", "USALEG"),
    ],
)
def test_titles_and_namesakes(pipeline: Pipeline, text: str, date: str, mention: str, code: str) -> None:
    """A title the tagger leaves out of the name still finds it; among namesakes of one country, whoever held
    office on the article's date is meant (Bashar in 2010, Hafez in 1995)."""
    assert _codes(_actors(pipeline, text, date)).get(mention) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Police arrested 20 protesters in Lucknow on Sunday.", "INDCOP"),
        ("Police detained two students in Hebron after the rally.", "PSECOP"),
        # A capital says nothing of where a story is (it stands for governments too often).
        ("Police in Washington detained two men.", None),
        # A named country outweighs a foreign city.
        ("Police said the suspects had travelled to Kenya, Kenya and then Mumbai.", "KENCOP"),
    ],
)
def test_cities_tell_where_local_news_is(pipeline: Pipeline, text: str, code: str | None) -> None:
    """Local news names its cities, not its country: a city gives "police" its country, a capital does not."""
    assert _codes(_actors(pipeline, text)).get("Police") == code


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("MOSCOW, Dec. 10 (Reuters) - Russia said it would expel two British diplomats.", "MOSCOW"),
        ("GAZA CITY, Dec 10 — Hamas said Israeli jets struck a school.", "GAZA CITY"),
        ("Moscow, Dec. 10 (Reuters) - Russia condemned the sanctions.", "Moscow"),
        ("Israel struck Gaza.\n\nKYIV (AP) — Ukraine condemned Russia.", "KYIV"),
    ],
)
def test_dateline_capital_is_not_an_actor(pipeline: Pipeline, text: str, place: str) -> None:
    """The capital of a wire story's dateline says where the story was filed, not that the government acted."""
    actors = _actors(pipeline, text)
    assert place not in _codes(actors)
    assert not any(a.via == "metonymy" for a in actors)


@pytest.mark.parametrize(
    "text",
    [
        "Moscow said on Monday it would expel two British diplomats.",
        "Israel struck Gaza.\n\nMoscow said on Monday it would expel two British diplomats.",
    ],
)
def test_capital_opening_a_paragraph_still_acts(pipeline: Pipeline, text: str) -> None:
    """A capital that opens a paragraph as the subject of a sentence is the government, not a dateline."""
    assert _codes(_actors(pipeline, text))["Moscow"] == "RUSGOV"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("MOSCOW, Dec. 10 (Reuters) - Russia said", "MOSCOW"),
        ("GAZA CITY, Dec 10 — Hamas said", "GAZA CITY"),
        ("WASHINGTON (AP) — The United States", "WASHINGTON"),
        ("ATHENS, Ga., Dec. 10 — Police said", "ATHENS"),
        ("Moscow, Dec. 10 (Reuters) - Russia said", "Moscow"),
        ("Gaza City (AFP) – Hamas said", "Gaza City"),
        ("Moscow, Dec 10 - Russia said", "Moscow"),
        ("Moscow, the capital, was quiet.", None),
        ("Moscow said on Monday it would respond.", None),
        ("Moscow - the capital - was quiet.", None),
        ("NEW DELHI: The government said", "NEW DELHI"),
        ("lucknow: police said", "lucknow"),
        ("However: the talks failed", None),
        ("Update: Russia said", None),
        ("Police said: the talks failed", None),
    ],
)
def test_datelines(text: str, place: str | None) -> None:
    """A place in capitals opening a paragraph before a comma, an agency or a dash is a dateline; in title case
    it takes a date or an agency, then a dash; a city the gazetteer knows, in any case, before a colon."""
    found = datelines.at(text, 0)
    assert (found.place if found else None) == place


def test_dateline_only_opens_a_paragraph() -> None:
    """A dateline-like phrase inside a paragraph, or in the title before the body, is not a dateline."""
    text = "MOSCOW, Dec 10 (Reuters) - title\n\nRussia said. MOSCOW, Dec 10 (Reuters) - Russia said."
    body = text.index("Russia")
    later = text.index("MOSCOW", body)
    assert not datelines.is_dateline(text, body, 0, 6)
    assert not datelines.is_dateline(text, body, later, later + 6)
    assert datelines.is_dateline(text, 0, 0, 6)


def test_a_title_in_the_text_beats_a_tables_gap(pipeline: Pipeline, people: Path) -> None:
    """A known person out of every tabled office on the date, whom the text gives a current title, takes that
    title's role; "former" keeps the elite code; the tabled office wins when it covers the date."""
    titled = _codes(
        _actors(pipeline, "Israeli Foreign Minister Benjamin Netanyahu arrived.", "2005-06-01", (people,))
    )
    assert titled["Israeli Foreign Minister Benjamin Netanyahu"] == "ISRGOV"
    former = _codes(_actors(pipeline, "Former minister Benjamin Netanyahu arrived.", "2005-06-01", (people,)))
    assert former["Former minister Benjamin Netanyahu"] == "ISRELI"
    tabled = _codes(_actors(pipeline, "Opposition leader Benjamin Netanyahu spoke.", "2022-07-01", (people,)))
    assert tabled["Opposition leader Benjamin Netanyahu"] == "ISROPP"


def test_family_name_first(pipeline: Pipeline) -> None:
    """A Chinese or Korean family name alone refers back to the full name it begins; a Western given name alone
    does not refer back to the full name it begins."""
    chinese = _codes(
        _actors(
            pipeline,
            "Chinese Foreign Ministry spokesman Liu Jianchao spoke on Tuesday. Liu said Beijing objected.",
            "2005-03-12",
        )
    )
    assert chinese["Liu"] == chinese["Chinese Foreign Ministry spokesman Liu Jianchao"] == "CHNGOV"
    western = _codes(
        _actors(
            pipeline,
            "US Trade Representative Rob Portman spoke on Tuesday. Rob said nothing.",
            "2005-03-12",
        )
    )
    assert western["US Trade Representative Rob Portman"] == "USAGOV"
    assert western.get("Rob") is None


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("KYIV (AP) — Ukraine condemned Russia for the strike.", ["Ukraine", "Russia"]),
        ("BEIRUT, Dec 10 - Israel struck Lebanon on Sunday.", ["Israel", "Lebanon"]),
        ("MOSCOW, Dec. 10 (Reuters) - Russia said it would respond.", ["Russia"]),
        # Not a dateline: the agency is the one reporting, and is an actor.
        ("AP reported that Ukraine condemned Russia.", ["AP", "Ukraine", "Russia"]),
    ],
)
def test_words_of_a_dateline_are_no_actors(pipeline: Pipeline, text: str, actors: list[str]) -> None:
    """The agency and date of a dateline are neither actors nor part of one; what follows the dash is read."""
    assert [a.span.text for a in _actors(pipeline, text)] == actors


def test_dateline_headers() -> None:
    """A dateline's header runs from its place to its dash, in any paragraph of the body; other openings have
    none."""
    text = "Title\n\nMOSCOW, Dec. 10 (Reuters) - Russia said.\nKYIV (AP) — Ukraine said.\nMoscow, the capital, was quiet."
    headers = datelines.headers(text, 7)
    assert [text[s:e] for s, e in headers] == ["MOSCOW, Dec. 10 (Reuters) -", "KYIV (AP) —"]
