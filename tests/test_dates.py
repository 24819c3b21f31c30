"""The dates stage: finding date expressions, resolving them against the publication date, dating events."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import annotated
from eventwire.dates import FUTURE, PAST, period, resolve
from eventwire.model import Article
from eventwire.pipeline import Pipeline

SUNDAY = dt.date(2023, 12, 10)
WEDNESDAY = dt.date(2024, 1, 10)


def values(article: Article) -> dict[str, str | None]:
    """The article's date expressions and their values."""
    return {d.span.text: d.value for d in article.dates}


def event(article: Article, trigger: str) -> tuple[dt.date | None, str | None, bool]:
    """The date, date text and historical flag of the event whose trigger starts with a word."""
    (found,) = [e for e in article.events if e.trigger.text.startswith(trigger)]
    return found.date, found.date_text, found.historical


# --- resolution -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("Sunday", "2023-12-10"),  # the publication day is a Sunday: "on Sunday" is that day
        ("last Sunday", "2023-12-03"),
        ("Friday", "2023-12-08"),
        ("this coming Tuesday", "2023-12-12"),
        ("yesterday", "2023-12-09"),
        ("the day before yesterday", "2023-12-08"),
        ("today", "2023-12-10"),
        ("two days ago", "2023-12-08"),
        ("December 7", "2023-12-07"),
        ("Dec. 7", "2023-12-07"),
        ("7 December 2021", "2021-12-07"),
        ("December 23 last year", "2022-12-23"),
        ("last week", "2023-W48"),
        ("this week", "2023-W49"),
        ("the weekend", "2023-W49-WE"),
        ("last month", "2023-11"),
        ("earlier this month", "2023-12"),
        ("March 2022", "2022-03"),
        ("mid-November", "2023-11"),
        ("last June", "2023-06"),
        ("last year", "2022"),
        ("next year", "2024"),
        ("1967", "1967"),
        ("the end of 1990", "1990"),
        ("fifty years ago", "1973"),
        ("three months ago", "2023-09"),
        ("the 1990s", "199"),
        ("the late 1970s", "197"),
        ("the third quarter", "2023-Q3"),
        ("last summer", "2023-SU"),
    ],
)
def test_expressions_resolve_against_the_publication_date(expression: str, value: str) -> None:
    """Common expressions resolve without dateparser, as fine as they are said."""
    assert resolve(expression, SUNDAY) == value


def test_last_on_the_weekday_of_publication_means_the_week_before() -> None:
    """On a Wednesday, "Wednesday" is that day and "last Wednesday" the one a week earlier."""
    assert resolve("Wednesday", WEDNESDAY) == "2024-01-10"
    assert resolve("last Wednesday", WEDNESDAY) == "2024-01-03"
    assert resolve("Tuesday", WEDNESDAY) == "2024-01-09"


def test_a_future_clause_moves_weekdays_and_dates_ahead() -> None:
    """ "will meet on Friday" is the coming Friday; in a past clause the last one."""
    assert resolve("Friday", WEDNESDAY, FUTURE) == "2024-01-12"
    assert resolve("Friday", WEDNESDAY, PAST) == "2024-01-05"
    assert resolve("January 15", SUNDAY, FUTURE) == "2024-01-15"
    assert resolve("November 15", SUNDAY, PAST) == "2023-11-15"


def test_a_day_or_month_without_a_year_is_the_nearest_one() -> None:
    """Without a year or a tense, "January 15" in December is next month's, "December 20" in January last
    month's; a tense farther than nine months away does not win over the nearest reading."""
    assert resolve("January 15", SUNDAY) == "2024-01-15"
    assert resolve("December 20", WEDNESDAY) == "2023-12-20"
    assert resolve("March", dt.date(2024, 2, 1)) == "2024-03"
    assert resolve("December 12", SUNDAY, PAST) == "2023-12-12"


@pytest.mark.parametrize(
    "expression",
    [
        "recent days",
        "recently",
        "now",
        "currently",
        "the past year",
        "several years ago",
        "the year",
        "a year earlier",
    ],
)
def test_vague_expressions_resolve_to_no_date(expression: str) -> None:
    """Vague or anaphoric expressions have no value, and dateparser is not asked about them."""
    assert resolve(expression, SUNDAY) is None


def test_ranges_are_not_read_as_one_date() -> None:
    """ "between 1991 and 1996" is no single date (dateparser would pick one)."""
    assert resolve("between 1991 and 1996", SUNDAY) is None


def test_rare_forms_fall_back_to_dateparser() -> None:
    """What the rules do not read but names a month goes to dateparser."""
    assert resolve("midnight June 30", SUNDAY) == "2023-06-30"


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2023-12-10", dt.date(2023, 12, 10), dt.date(2023, 12, 10)),
        ("2023-W49", dt.date(2023, 12, 4), dt.date(2023, 12, 10)),
        ("2023-W49-WE", dt.date(2023, 12, 9), dt.date(2023, 12, 10)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2023-Q4", dt.date(2023, 10, 1), dt.date(2023, 12, 31)),
        ("2023-WI", dt.date(2023, 12, 1), dt.date(2024, 2, 29)),
        ("1967", dt.date(1967, 1, 1), dt.date(1967, 12, 31)),
        ("196", dt.date(1960, 1, 1), dt.date(1969, 12, 31)),
    ],
)
def test_values_cover_their_period(value: str, first: dt.date, last: dt.date) -> None:
    """A value's first and last day, used to date events and to tell history."""
    assert period(value) == (first, last)


def test_a_value_that_is_no_period_has_none() -> None:
    """TimeML's reference values are not periods of the calendar."""
    assert period("PAST_REF") is None


# --- finding expressions in text --------------------------------------------------------------------------------


def test_expressions_are_found_with_offsets(pipeline: Pipeline) -> None:
    """Patterns catch what the small model misses; spans are exact, without the preposition before them."""
    text = "Troops withdrew on Sunday. The ceasefire began two days ago. Israel occupied the area in 1967."
    article = annotated(pipeline, text, SUNDAY)
    assert values(article) == {"Sunday": "2023-12-10", "two days ago": "2023-12-08", "1967": "1967"}
    for mention in article.dates:
        assert article.text[mention.span.start : mention.span.end] == mention.span.text
    assert [d.sentence for d in article.dates] == [0, 1, 2]


def test_durations_ages_and_frequencies_are_not_dates(pipeline: Pipeline) -> None:
    """ "for three years", "42 years old", "annual" are no points in time, and a lone number is no year."""
    text = "The 42-year-old minister has served for three years. The annual summit drew 58 delegates."
    assert annotated(pipeline, text, SUNDAY).dates == []


def test_names_in_lower_case_are_not_dates(pipeline: Pipeline) -> None:
    """ "may" the verb and "march" the noun are not months."""
    text = "The protesters may march to the parliament."
    assert annotated(pipeline, text, SUNDAY).dates == []


def test_a_span_that_does_not_resolve_gives_way_to_the_day_inside_it(pipeline: Pipeline) -> None:
    """ "the quarter ended Sept. 30" is kept as the day it names."""
    text = "Profits rose in the quarter ended Sept. 30, the company said."
    assert values(annotated(pipeline, text, dt.date(1989, 10, 27))) == {"Sept. 30": "1989-09-30"}


def test_without_a_publication_date_nothing_resolves(pipeline: Pipeline) -> None:
    """Relative expressions need the publication date: without it they are found but have no value."""
    article = annotated(pipeline, "Putin met Netanyahu yesterday.", None)  # type: ignore[arg-type]
    assert values(article) == {"yesterday": None}
    assert all(e.date is None and e.date_text is None for e in article.events)


# --- event dates ------------------------------------------------------------------------------------------------


def test_an_event_takes_the_date_of_its_clause(pipeline: Pipeline) -> None:
    """The expression attached to the trigger's clause dates the event, and is kept as its date text."""
    article = annotated(pipeline, "Putin met Netanyahu on Friday.", SUNDAY)
    assert event(article, "met") == (dt.date(2023, 12, 8), "Friday", False)


def test_an_undated_event_takes_the_publication_date(pipeline: Pipeline) -> None:
    """No expression in the clause: the publication date, no date text."""
    article = annotated(pipeline, "Putin met Netanyahu.", SUNDAY)
    assert event(article, "met") == (SUNDAY, None, False)


def test_a_date_in_another_clause_does_not_date_the_event(pipeline: Pipeline) -> None:
    """In "After Israel struck Gaza on Saturday, Hamas fired rockets", Saturday dates the strike, not the rockets;
    a relative clause's date belongs to it alone."""
    article = annotated(
        pipeline, "After Israel struck Gaza on Saturday, Hamas fired rockets at Tel Aviv.", SUNDAY
    )
    assert event(article, "struck")[:2] == (dt.date(2023, 12, 9), "Saturday")
    assert event(article, "fired")[:2] == (SUNDAY, None)
    text = "Russia criticized Israel, which occupied the West Bank in 1967."
    relative = annotated(pipeline, text, SUNDAY)
    assert event(relative, "criticized") == (SUNDAY, None, False)
    assert event(relative, "occupied") == (dt.date(1967, 1, 1), "1967", True)


def test_a_date_inside_the_subject_does_not_date_the_verb(pipeline: Pipeline) -> None:
    """ "The attack on Tuesday was condemned": Tuesday is the attack's, not the condemnation's."""
    article = annotated(pipeline, "The attack on Tuesday was condemned by Iran.", SUNDAY)
    assert event(article, "condemned")[:2] == (SUNDAY, None)


def test_reported_events_take_the_date_of_the_report_when_they_have_none(pipeline: Pipeline) -> None:
    """ "said on Monday that Russia had condemned": the clause that governs the act dates it."""
    article = annotated(pipeline, "The Kremlin said on Monday that Russia had condemned Israel.", WEDNESDAY)
    assert event(article, "condemned")[:2] == (dt.date(2024, 1, 8), "Monday")


def test_vague_expressions_do_not_move_the_event(pipeline: Pipeline) -> None:
    """ "in recent days" leaves the publication date."""
    article = annotated(pipeline, "In recent days, Russia criticized Israel.", SUNDAY)
    assert values(article) == {"recent days": None}
    assert event(article, "criticized") == (SUNDAY, None, False)


def test_a_period_that_holds_the_publication_date_keeps_it(pipeline: Pipeline) -> None:
    """ "this week" says no more than the publication date; "last week" dates the event to its first day."""
    this = annotated(pipeline, "Putin met Netanyahu this week.", SUNDAY)
    assert event(this, "met") == (SUNDAY, "this week", False)
    last = annotated(pipeline, "Putin met Netanyahu last week.", SUNDAY)
    assert event(last, "met") == (dt.date(2023, 11, 27), "last week", False)


def test_future_clauses_date_events_ahead(pipeline: Pipeline) -> None:
    """ "will meet on Tuesday" in a Sunday article is two days later."""
    article = annotated(pipeline, "Putin will meet Netanyahu on Tuesday.", SUNDAY)
    assert event(article, "meet")[:2] == (dt.date(2023, 12, 12), "Tuesday")


@pytest.mark.parametrize(
    ("text", "historical"),
    [
        ("Egypt signed a peace treaty with Israel fifty years ago.", True),
        ("Russia and Ukraine held talks in Istanbul in March 2022.", True),
        ("Putin met Netanyahu in 2022.", False),  # less than a year before the end of 2022
        ("Putin met Netanyahu last month.", False),
    ],
)
def test_dates_over_a_year_old_mark_the_event_historical(
    pipeline: Pipeline, text: str, historical: bool
) -> None:
    """An event whose date ends more than a year before publication is history, not news."""
    article = annotated(pipeline, text, SUNDAY)
    (found,) = article.events
    assert found.historical is historical
    assert found.date_text is not None
