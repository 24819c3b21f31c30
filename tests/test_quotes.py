"""Quotes: quotation marks in every style, cues before, after and inside, speakers resolved, indirect speech,
and events linked to the quotes they were coded from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import annotated
from eventwire.model import Article, Quote
from eventwire.pipeline import Pipeline
from eventwire.quotes import quoted_stretches

SEED_DATE = dt.date(2023, 12, 10)


def contents(text: str) -> list[str]:
    """The quoted contents the mark scanner finds in a text."""
    return [text[q.start : q.end] for q in quoted_stretches(text)]


def only(article: Article, kind: str | None = None) -> Quote:
    """The article's one quote (of a kind)."""
    found = [q for q in article.quotes if kind is None or q.kind == kind]
    assert len(found) == 1, [(q.kind, q.span.text) for q in article.quotes]
    return found[0]


def spoken(article: Article) -> list[tuple[str, str, str | None, str | None]]:
    """Each quote as (kind, content, speaker text, speaker code)."""
    return [
        (q.kind, q.span.text, q.speaker.text if q.speaker else None, q.speaker_code) for q in article.quotes
    ]


# --- quotation marks ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will win,” he said.", ["We will win,"]),
        ('"We will win," he said.', ["We will win,"]),
        ("«Nous gagnerons», a-t-il dit.", ["Nous gagnerons"]),
        ("‘We will win,’ he said.", ["We will win,"]),
        ("„Wir schaffen das“, sagte sie.", ["Wir schaffen das"]),
        ("''We will win,'' he said.", ["We will win,"]),
    ],
)
def test_every_quotation_style_is_read(text: str, expected: list[str]) -> None:
    assert contents(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Russia's position and the voters' choice did not change.",
        "In the '90s the country's leaders weren't strong.",
        "Tel Aviv’s actions and Moscow’s position were discussed.",
    ],
)
def test_apostrophes_are_not_quotation_marks(text: str) -> None:
    assert contents(text) == []


def test_a_quote_nested_in_another_belongs_to_its_content() -> None:
    text = "“He told me ‘never again’ and left,” she said."
    assert contents(text) == ["He told me ‘never again’ and left,"]


def test_a_quote_goes_on_in_a_paragraph_that_opens_with_a_mark() -> None:
    text = "“The first paragraph does not close.\n\n“The second one does,” he said.\n\nAfter that, nothing."
    assert contents(text) == ["The first paragraph does not close.\n\n“The second one does,"]


def test_an_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "“This paragraph never closes.\n\nThe next one is narration."
    assert contents(text) == ["This paragraph never closes."]


# --- direct quotes and their cues -----------------------------------------------------------------------------------


def test_cue_after_a_quote(pipeline: Pipeline) -> None:
    article = annotated(pipeline, "“We will not give up the fight,” the minister told reporters on Monday.")
    quote = only(article)
    assert (quote.kind, quote.span.text) == ("direct", "We will not give up the fight,")
    assert quote.cue is not None and quote.cue.text == "told"
    assert quote.speaker is not None and quote.speaker.text == "the minister"


def test_inverted_cue_names_the_speaker_after_it(pipeline: Pipeline) -> None:
    text = '"The sanctions have failed completely," said Russian Foreign Minister Sergei Lavrov.'
    quote = only(annotated(pipeline, text))
    assert quote.speaker is not None and "Lavrov" in quote.speaker.text
    assert quote.speaker_code == "RUSGOV"


@pytest.mark.parametrize(
    "text",
    [
        'The president said: "This is a day of mourning for the whole nation."',
        'The president told the crowd, "This is a day of mourning for the whole nation."',
    ],
)
def test_cue_before_a_quote(pipeline: Pipeline, text: str) -> None:
    quote = only(annotated(pipeline, text))
    assert quote.span.text == "This is a day of mourning for the whole nation."
    assert quote.speaker is not None and quote.speaker.text == "The president"


def test_cue_inside_a_quote_joins_its_two_parts(pipeline: Pipeline) -> None:
    text = '"We are ready to talk," the spokesman said, "but not under the threat of more strikes."'
    quote = only(annotated(pipeline, text))
    assert quote.span.text.startswith("We are ready to talk")
    assert quote.span.text.endswith("not under the threat of more strikes.")
    assert quote.cue is not None and quote.cue.text == "said"


def test_a_quote_across_its_attribution_sentence_is_one_quote(pipeline: Pipeline) -> None:
    text = "“We will rebuild,” she said. “It will take years, and it will cost billions.”"
    quote = only(annotated(pipeline, text))
    assert quote.span.text.endswith("it will cost billions.")


def test_separately_attributed_quotes_stay_apart(pipeline: Pipeline) -> None:
    text = '"The talks failed," the envoy said. "They did not fail at all," the minister replied.'
    article = annotated(pipeline, text)
    assert [s for _, _, s, _ in spoken(article)] == ["the envoy", "the minister"]


def test_a_short_reply_with_its_cue_is_a_quote(pipeline: Pipeline) -> None:
    quote = only(annotated(pipeline, 'Asked whether he would resign, the minister paused. "No," he said.'))
    assert quote.span.text == "No,"


def test_partial_quote_inside_a_sentence(pipeline: Pipeline) -> None:
    text = "The Israeli Prime Minister also criticized the “dangerous cooperation between Russia and Iran.”"
    quote = only(annotated(pipeline, text, SEED_DATE))
    assert quote.span.text == "dangerous cooperation between Russia and Iran."
    assert quote.speaker_code == "ISRGOV"


@pytest.mark.parametrize(
    "text",
    [
        'The minister called the plan a "disaster" and left the room.',
        'The so-called "war on terror" has cost trillions of dollars.',
        'The song "American Skin (41 Shots)" was written by Springsteen.',
        'Officials described the talks as "constructive," the agency reported.',
    ],
)
def test_scare_quotes_and_titles_are_not_speech(pipeline: Pipeline, text: str) -> None:
    assert [q for q in annotated(pipeline, text).quotes if q.kind == "direct"] == []


def test_a_quote_multiple_paragraphs_long(pipeline: Pipeline) -> None:
    text = (
        "The foreign minister spoke at length.\n\n"
        "“We have done everything to avoid this war.\n\n"
        "“Now the other side must choose peace,” he said.\n\n"
        "The talks end on Friday."
    )
    quote = only(annotated(pipeline, text), "direct")
    assert quote.span.text.startswith("We have done everything")
    assert quote.span.text.endswith("must choose peace,")


def test_an_unattributed_quote_after_an_attributed_one_keeps_its_speaker(pipeline: Pipeline) -> None:
    text = (
        "“The ceasefire is holding,” Antony Blinken said on Tuesday.\n\n"
        "“We expect both sides to honour every part of the agreement.”"
    )
    article = annotated(pipeline, text)
    assert [code for _, _, _, code in spoken(article)] == ["USAGOV", "USAGOV"]


# --- speakers --------------------------------------------------------------------------------------------------------


def test_pronoun_speaker_resolves_to_the_named_person(pipeline: Pipeline) -> None:
    text = 'Vladimir Putin met the governors on Friday. "The economy has adapted to the sanctions," he said.'
    quote = only(annotated(pipeline, text, SEED_DATE))
    assert quote.speaker is not None and quote.speaker.text == "he"
    assert quote.speaker_code == "RUSGOV"


def test_a_statement_speaks_for_whoever_issued_it(pipeline: Pipeline) -> None:
    text = (
        "The Kremlin said the two leaders had discussed the war. "
        "“Both sides agreed to keep in touch,” the statement said."
    )
    quote = only(annotated(pipeline, text, SEED_DATE), "direct")
    assert quote.speaker is not None and quote.speaker.text == "the statement"
    assert quote.speaker_code == "RUSGOV"


def test_an_unknown_speaker_is_kept_uncoded(pipeline: Pipeline) -> None:
    quote = only(annotated(pipeline, '"The shelling went on all night," a local resident said.'))
    assert quote.speaker is not None and quote.speaker.text == "a local resident"
    assert quote.speaker_code is None


# --- indirect speech -------------------------------------------------------------------------------------------------


def test_said_that(pipeline: Pipeline) -> None:
    article = annotated(
        pipeline, "Sergei Lavrov said that Moscow would not accept the new proposal.", SEED_DATE
    )
    quote = only(article)
    assert quote.kind == "indirect"
    assert quote.span.text == "that Moscow would not accept the new proposal"
    assert quote.cue is not None and quote.cue.text == "said"
    assert quote.speaker_code == "RUSGOV"


def test_announced_reports_its_object(pipeline: Pipeline) -> None:
    quote = only(
        annotated(pipeline, "The Kremlin announced new sanctions against Ukraine on Monday.", SEED_DATE)
    )
    assert (quote.kind, quote.span.text, quote.speaker_code) == (
        "indirect",
        "new sanctions against Ukraine",
        "RUSGOV",
    )


@pytest.mark.parametrize(
    "text",
    [
        "According to local officials, three people were killed in the attack.",
        "Three people were killed in the attack, according to local officials.",
    ],
)
def test_according_to(pipeline: Pipeline, text: str) -> None:
    quote = only(annotated(pipeline, text))
    assert quote.span.text.lower() == "three people were killed in the attack"
    assert quote.speaker is not None and quote.speaker.text == "local officials"
    assert quote.cue is not None and quote.cue.text.lower() == "according to"


def test_cue_after_the_reported_clause(pipeline: Pipeline) -> None:
    text = "The talks focused on the humanitarian situation in Gaza, the Kremlin said."
    quote = only(annotated(pipeline, text, SEED_DATE))
    assert quote.span.text == "The talks focused on the humanitarian situation in Gaza"
    assert quote.speaker_code == "RUSGOV"


def test_a_report_with_nobody_named_has_no_speaker(pipeline: Pipeline) -> None:
    quote = only(annotated(pipeline, "It was noted that the delegation left Geneva early."))
    assert quote.kind == "indirect" and quote.speaker is None


@pytest.mark.parametrize(
    "text",
    [
        "He said so on Monday.",
        "The minister did not say when the troops would leave.",
        "As the minister said, the meeting ended.",
        "The spokesman told reporters.",
    ],
)
def test_a_speech_verb_without_content_is_no_quote(pipeline: Pipeline, text: str) -> None:
    assert annotated(pipeline, text).quotes == []


# --- events ------------------------------------------------------------------------------------------------------------


def test_events_inside_a_quote_point_to_it(pipeline: Pipeline) -> None:
    text = (
        "Israeli troops raided the camp on Monday. "
        '"Hamas fighters attacked our soldiers near the border," the Israeli army said.'
    )
    article = annotated(pipeline, text, SEED_DATE)
    quote = only(article, "direct")
    inside = [e for e in article.events if quote.span.start <= e.trigger.start < quote.span.end]
    outside = [e for e in article.events if e.trigger.end <= quote.span.start]
    assert inside and outside
    assert all(e.quote == quote.index for e in inside)
    assert all(e.attributed_to == quote.speaker_code for e in inside)
    assert all(e.quote is None for e in outside)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ('"We arrested two suspects on Monday," the Kenyan police said.', ["KENCOP"]),
        # Only the first person is the speaker: "they" is someone else, left uncoded.
        ('"They arrested two suspects on Monday," the Kenyan police said.', []),
        # Outside quotation marks "we" is not resolved from a cue.
        ("Residents said we arrested two suspects on Monday.", []),
    ],
)
def test_we_in_direct_speech_is_the_speaker(pipeline: Pipeline, text: str, source: list[str]) -> None:
    """In direct speech "we" or "I" doing the act is the speaker."""
    (event,) = [e for e in annotated(pipeline, text, SEED_DATE).events if e.code == "173"]
    assert event.source == source


# --- the example article -----------------------------------------------------------------------------------------------


def test_the_seed_article_quotes(pipeline: Pipeline, seed_path: Path) -> None:
    body = seed_path.read_text(encoding="utf-8").split("\n", 1)[1]
    article = annotated(pipeline, body, SEED_DATE)
    found = spoken(article)
    for kind, start, code in [
        ("direct", "dangerous cooperation between Russia and Iran", "ISRGOV"),
        ("direct", "War crimes are on the rise", "RUSGOV"),
        ("direct", "In addition, mutual interest was expressed", "RUSGOV"),
        ("direct", "for the purpose of alleviating the suffering", "RUSGOV"),
        ("indirect", "an increase in the number of Israeli war crimes", "RUSGOV"),
    ]:
        assert any(k == kind and t.startswith(start) and c == code for k, t, _, c in found), (start, found)
    diplomat = next(q for q in article.quotes if q.span.text.startswith("War crimes"))
    assert diplomat.speaker is not None and diplomat.speaker.text == "the diplomat"
    statement = next(q for q in article.quotes if q.span.text.startswith("In addition, mutual"))
    assert statement.speaker is not None and statement.speaker.text == "the statement"


def test_a_country_speaks_through_its_government(pipeline: Pipeline) -> None:
    """ "Turkey said" is the Turkish government speaking; a ministry or an army keeps its own code."""
    country = only(annotated(pipeline, "Turkey said that the operation would continue.", SEED_DATE))
    assert country.speaker_code == "TURGOV"
    army = only(annotated(pipeline, "The Turkish army said that the operation would continue.", SEED_DATE))
    assert army.speaker_code == "TURMIL"


def test_a_relative_pronoun_speaker_is_its_antecedent(pipeline: Pipeline) -> None:
    """ "Macron, who said that…" is Macron speaking; a "who" that does not speak changes nothing."""
    text = "The talks were praised by Emmanuel Macron, who said that Europe must stay united."
    quote = only(annotated(pipeline, text, SEED_DATE))
    assert quote.speaker is not None and quote.speaker.text == "Emmanuel Macron"
    assert quote.speaker_code == "FRAGOV"
    plain = "Emmanuel Macron, who met Scholz on Monday, said that Europe must stay united."
    quote = only(annotated(pipeline, plain, SEED_DATE))
    assert quote.speaker is not None and quote.speaker.text == "Emmanuel Macron"
