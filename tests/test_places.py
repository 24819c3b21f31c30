"""The places stage: toponyms geocoded, disambiguated by context, their roles, and where each event happened."""

from __future__ import annotations

import pytest

from conftest import annotated
from eventwire.model import Article, Place
from eventwire.pipeline import Pipeline
from eventwire.places import gazetteer


def place(article: Article, text: str) -> Place:
    """The one place whose span reads `text`."""
    (found,) = [p for p in article.places if p.span.text == text]
    return found


def test_every_place_span_slices_the_text(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "Talks in Geneva and Vienna failed. Protests spread across France.")
    assert [p.span.text for p in article.places] == ["Geneva", "Vienna", "France"]
    for p in article.places:
        assert article.text[p.span.start : p.span.end] == p.span.text
        assert p.index == article.places.index(p)
        assert article.sentences[p.sentence].span.start <= p.span.start


def test_country_city_and_region_are_geocoded(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "Floods hit Kenya. Rescuers worked in Mombasa and in the Gaza Strip.")
    kenya, mombasa, strip = place(article, "Kenya"), place(article, "Mombasa"), place(article, "Gaza Strip")
    assert (kenya.country, kenya.feature, kenya.geonameid) == ("KEN", "PCLI", 192950)
    assert mombasa.country == "KEN" and mombasa.feature == "P" and mombasa.geonameid == 186301
    assert mombasa.lat == pytest.approx(-4.05, abs=0.1) and mombasa.lon == pytest.approx(39.66, abs=0.1)
    assert (strip.name, strip.country, strip.feature) == ("Gaza Strip", "PSE", "TERR")


def test_demonyms_are_not_places(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "Israeli and Russian diplomats met Egyptian officials.")
    assert article.places == []


def test_a_name_nobody_knows_is_not_a_place(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "Residents of Zorblatt Heights were evacuated.")
    assert all("Zorblatt" not in p.span.text for p in article.places)


def test_washington_is_the_capital_unless_the_state_is_said(pipeline: Pipeline) -> None:
    capital = place(annotated(pipeline, "Officials in Washington announced new sanctions."), "Washington")
    assert capital.feature == "PPLC" and capital.lat == pytest.approx(38.9, abs=0.1)
    state = annotated(pipeline, "Wildfires burned across Washington state this week.")
    assert place(state, "Washington").feature == "ADM1"


def test_georgia_by_context(pipeline: Pipeline) -> None:
    caucasus = annotated(pipeline, "Russia moved troops toward Georgia. Residents of Tbilisi fled.")
    assert place(caucasus, "Georgia").country == "GEO"
    south = annotated(pipeline, "Storms hit Georgia. Roads near Atlanta and Savannah were closed.")
    georgia = place(south, "Georgia")
    assert (georgia.country, georgia.feature) == ("USA", "ADM1")


def test_city_comma_state_is_that_city(pipeline: Pipeline) -> None:
    idaho = annotated(pipeline, "Students in Moscow, Idaho, held a vigil.")
    assert place(idaho, "Moscow").country == "USA"
    assert place(idaho, "Idaho").feature == "ADM1"
    russia = annotated(pipeline, "Students in Moscow held a vigil.")
    assert place(russia, "Moscow").country == "RUS"


def test_state_abbreviation_after_a_comma(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "The fire broke out in Athens, Ga., on Monday.")
    athens = place(article, "Athens")
    assert athens.country == "USA" and athens.lat == pytest.approx(33.96, abs=0.1)


def test_gaza_is_the_strip_unless_gaza_city(pipeline: Pipeline) -> None:
    strip = annotated(pipeline, "Aid trucks entered Gaza on Tuesday.")
    assert place(strip, "Gaza").name == "Gaza Strip"
    city = annotated(pipeline, "Aid trucks reached Gaza City on Tuesday.")
    gaza_city = place(city, "Gaza City")
    assert gaza_city.feature == "P" and gaza_city.country == "PSE"


def test_a_county_names_the_state_of_a_town(pipeline: Pipeline) -> None:
    local = annotated(pipeline, "Deputies from Rapides Parish searched a home in Alexandria.")
    assert place(local, "Alexandria").country == "USA"
    egypt = annotated(pipeline, "Protesters gathered in Alexandria and Port Said.")
    assert place(egypt, "Alexandria").country == "EGY"


def test_capital_speaking_for_its_government_is_an_actor(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "Moscow said the talks had failed. Tel Aviv’s position was criticised.")
    assert place(article, "Moscow").role == "actor"
    assert place(article, "Tel Aviv").role == "actor"
    visited = annotated(pipeline, "The minister arrived in Moscow on Monday.")
    assert place(visited, "Moscow").role != "actor"


def test_event_happens_where_its_clause_says(pipeline: Pipeline) -> None:
    article = annotated(
        pipeline, "Police arrested ten protesters in Nairobi. Kenya and Uganda discussed trade."
    )
    (arrest,) = [e for e in article.events if e.code.startswith("17")]
    nairobi = place(article, "Nairobi")
    assert arrest.place == nairobi.index and arrest.location == nairobi.name
    assert nairobi.role == "event"


def test_a_place_merely_mentioned_is_not_the_location(pipeline: Pipeline) -> None:
    article = annotated(
        pipeline, "Egypt condemned the bombing, its foreign minister said after returning from Paris."
    )
    assert place(article, "Paris").role == "mentioned"
    assert all(e.place is None for e in article.events)


def test_an_attack_on_a_place_happened_there(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "Israeli jets struck Gaza overnight.")
    (strike,) = article.events
    assert strike.location == "Gaza Strip"


def test_an_attack_from_a_place_happened_there(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "Militants fired rockets at Israel from southern Lebanon.")
    (attack,) = [e for e in article.events if e.code.startswith("19")]
    assert attack.location == "Lebanon"
    assert place(article, "Israel").role != "event"


def test_dateline_places_events_without_a_closer_place(pipeline: Pipeline) -> None:
    text = "Talks stall\n\nMOSCOW, Dec. 10 — Russia and China signed a trade agreement. Troops clashed in Donetsk."
    article = annotated(pipeline, text.replace("Talks stall\n\n", ""))
    moscow = place(article, "MOSCOW")
    assert moscow.role == "event" and moscow.country == "RUS"
    signed = next(e for e in article.events if e.code.startswith("05"))
    assert signed.place == moscow.index
    clashed = next(e for e in article.events if e.code.startswith("19"))
    assert clashed.location == "Donetsk"


def test_no_dateline_no_default_location(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "Russia and China signed a trade agreement.")
    assert all(e.place is None and e.location is None for e in article.events)


def test_gazetteer_loads_once() -> None:
    assert gazetteer() is gazetteer()
    assert gazetteer().load_seconds > 0


def test_what_a_verbal_act_is_about_is_not_where_it_happened(pipeline: Pipeline) -> None:
    """A place inside the topic of talks or criticism does not locate them; a phrase on the act itself does, and a
    place inside the target of a material act does too."""
    talks = annotated(pipeline, "Lavrov and Blinken discussed the situation in Gaza.")
    assert [e.place for e in talks.events if e.code.startswith("04")] == [None]
    met = annotated(pipeline, "Lavrov met Blinken in Geneva on Monday.")
    (meeting,) = [e for e in met.events if e.code.startswith("04")]
    assert meeting.location == "Geneva"
    bombed = annotated(pipeline, "Russian jets bombed a market in Idlib.")
    (strike,) = [e for e in bombed.events if e.code.startswith(("18", "19"))]
    assert strike.location == "Idlib"


def test_a_province_and_its_towns_support_each_other(pipeline: Pipeline) -> None:
    canada = annotated(pipeline, "Flooding closed roads in London and Sarnia on Monday.")
    assert place(canada, "London").country == "CAN"
    said = annotated(pipeline, "Police in London, Ontario, made an arrest.")
    assert place(said, "London").country == "CAN"
    england = annotated(pipeline, "Flooding closed roads in London on Monday.")
    assert place(england, "London").country == "GBR"


def test_a_town_named_like_a_division_does_not_take_its_neighbours_region(pipeline: Pipeline) -> None:
    uk = annotated(pipeline, "Snow fell on Sheffield and Leeds, and on Wales.")
    assert place(uk, "Wales").feature == "ADM1"
    mexico = annotated(pipeline, "Crowds in Mexico celebrated. Fireworks lit up Guadalajara.")
    assert place(mexico, "Mexico").feature == "PCLI"
    town = annotated(
        pipeline, "Volunteers live in Lebanon. The Pennsylvania Department of Agriculture approved the fair."
    )
    assert place(town, "Lebanon").country == "USA"


def test_a_state_named_by_an_organisation_places_its_towns(pipeline: Pipeline) -> None:
    texas = annotated(pipeline, "An Athens man was arrested by the Texas Department of Public Safety.")
    assert place(texas, "Athens").country == "USA"
    greece = annotated(pipeline, "An Athens man was arrested on Monday.")
    assert place(greece, "Athens").country == "GRC"


def test_a_town_near_another_of_the_article_is_preferred(pipeline: Pipeline) -> None:
    # Both Columbuses are American and neither shares Phenix City's state: only the distance tells them apart.
    near = annotated(pipeline, "Police in Columbus and Phenix City searched for the driver.")
    assert place(near, "Columbus").lat == pytest.approx(32.46, abs=0.1)
    far = annotated(pipeline, "Police in Columbus and Tucson searched for the driver.")
    assert place(far, "Columbus").lat == pytest.approx(39.96, abs=0.1)
    alone = annotated(pipeline, "Police in Columbus searched for the driver.")
    assert place(alone, "Columbus").lat == pytest.approx(39.96, abs=0.1)


def test_a_name_qualified_once_keeps_its_reading(pipeline: Pipeline) -> None:
    later = annotated(
        pipeline,
        "The Fairfield, Conn., police chief resigned. Fairfield officials said a search would begin.",
    )
    assert {(p.country, round(p.lat)) for p in later.places if p.span.text == "Fairfield"} == {("USA", 41)}
    bare = annotated(pipeline, "Fairfield officials said a search would begin.")
    assert place(bare, "Fairfield").lat == pytest.approx(38.25, abs=0.1)


def test_countries_in_a_row_are_a_list_not_a_qualifier(pipeline: Pipeline) -> None:
    listed = annotated(
        pipeline, "Leaders of China, Japan and India met in Bangkok. China said it wanted peace."
    )
    assert {p.country for p in listed.places if p.span.text == "China"} == {"CHN"}
    town = annotated(pipeline, "Protesters gathered in Lebanon, Pennsylvania.")
    assert place(town, "Lebanon").country == "USA"


def test_a_bare_dateline_is_the_place_its_body_qualifies(pipeline: Pipeline) -> None:
    georgia = annotated(
        pipeline, "ATHENS - The mayor spoke on Monday. He grew up in Athens, Ga., and moved away."
    )
    assert place(georgia, "ATHENS").country == "USA"
    greece = annotated(pipeline, "ATHENS - The mayor spoke on Monday.")
    assert place(greece, "ATHENS").country == "GRC"


def test_only_unambiguous_divisions_are_read_in_organisations() -> None:
    divisions = gazetteer().divisions
    assert divisions["Ohio"] == "USA.OH" and divisions["Ontario"] == "CAN.08"
    # "Georgia" is also a country, "Washington" mostly the capital: an organisation's name settles neither.
    assert "Georgia" not in divisions and "Washington" not in divisions


@pytest.mark.parametrize(
    "text",
    [
        "Storm of protest\n\nMIAMI — Police arrested ten protesters on Sunday.",
        "Storm of protest\n\nBy Jane Doe\n\nMiami, Dec. 10 (AP) — Police arrested ten protesters on Sunday.",
    ],
)
def test_a_dateline_after_a_headline_or_byline(pipeline: Pipeline, text: str) -> None:
    """A dateline may open the second or third paragraph (after a headline or a byline); it places the events."""
    article = annotated(pipeline, text)
    (arrest,) = [e for e in article.events if e.code.startswith("17")]
    assert arrest.location == "Miami"


def test_a_capitalised_word_later_in_the_story_is_no_dateline(pipeline: Pipeline) -> None:
    """A fourth paragraph opening in capitals is not the story's dateline."""
    text = "One\n\nTwo.\n\nThree.\n\nMIAMI — Police arrested ten protesters on Sunday."
    (arrest,) = [e for e in annotated(pipeline, text).events if e.code.startswith("17")]
    assert arrest.location is None
