"""Case restored for parsing texts written in one case: which texts, which words, offsets kept."""

from __future__ import annotations

import pytest
from spacy.language import Language

from eventwire import casing
from eventwire import nlp as ew_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The default spaCy pipeline, loaded once for this module."""
    return ew_nlp.load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("police fired in the air to disperse the mob in the old city of hyderabad on friday.", "lower"),
        ("THE FMLN ATTACKED AN ARMY POST IN CHALATENANGO, SALVADORAN MILITARY SOURCES SAID.", "upper"),
        ("Police fired in the air to disperse the mob in the old city of Hyderabad on Friday.", None),
        ("UN SAYS AID CONVOY REACHED GAZA: Officials in Geneva said on Friday the trucks had crossed.", None),
        ("too short to tell", None),
    ],
)
def test_flat_texts(text: str, expected: str | None) -> None:
    """Texts in one case throughout are flat; ordinary text, a capitalised headline before text, short strings not."""
    assert casing.flat(text) == expected


def _restored(nlp: Language, text: str) -> str:
    """The text as it is parsed, checked to keep every offset."""
    restored = casing.for_parsing(text, nlp)
    assert len(restored) == len(text)
    assert restored.lower() == text.lower()
    return restored


def test_names_sentence_starts_and_calendar(nlp: Language) -> None:
    """Known names, acronyms, "I", weekdays and sentence starts get their capitals."""
    text = (
        "varanasi: over 50 activists of vishwa hindu parishad (vhp) were arrested on friday near new delhi. "
        "i think the bjp will protest."
    )
    restored = _restored(nlp, text)
    for word in ("Varanasi", "Vishwa Hindu Parishad", "VHP", "Friday", "New Delhi", "I think", "BJP"):
        assert word in restored
    assert "activists" in restored and "arrested" in restored


def test_common_words_stay_lower(nlp: Language) -> None:
    """Words that are names elsewhere but common here keep lower case: "us", "met", "air", "may" without a number."""
    restored = _restored(
        nlp, "the police met us and fired in the air; it may rain in mobile homes, officials said."
    )
    for word in (" us ", " met ", " air;", " may ", " mobile "):
        assert word in restored


def test_countries_months_by_number_and_dotted_acronyms(nlp: Language) -> None:
    """Countries and demonyms even when WordNet lists them; "may" next to a number; "u.s." in capitals."""
    restored = _restored(
        nlp, "CHINA AND JORDAN SIGNED A DEAL ON 12 MAY. THE U.S. EMBASSY AND ISRAELI OFFICIALS WELCOMED IT."
    )
    for word in ("China", "Jordan", "12 May", "The U.S. Embassy", "Israeli"):
        assert word in restored
    assert "violence in Gujarat and Punjab" in _restored(
        nlp, "police said the violence in gujarat and punjab spread."
    )


def test_ordinary_text_is_parsed_as_it_is(nlp: Language) -> None:
    """A text in ordinary case is not touched, whatever its names."""
    text = "the Kremlin said us officials met in may; Hindu nationalists marched in varanasi on friday afternoon."
    assert casing.for_parsing(text, nlp) == text
