"""The event lexicon: every shipped example fires its row, coverage of the codebook, specificity, user files."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from eventwire import nlp as ew_nlp
from eventwire.errors import DictionaryError
from eventwire.lexicon import SHIPPED_SOURCE, Entry, Lexicon, Match, shipped_entries
from eventwire.ontology import cameo_codes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

HEADER = "trigger,pos,object,prep,prep_object,particle,code,example"


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The default spaCy pipeline, loaded once for this module."""
    return ew_nlp.load()


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    """The shipped lexicon."""
    return Lexicon.load()


@pytest.fixture(scope="module")
def example_docs(nlp: Language, lexicon: Lexicon) -> list[tuple[Entry, Doc]]:
    """Every shipped row with its parsed example."""
    return list(zip(lexicon.entries, nlp.pipe(e.example for e in lexicon.entries), strict=True))


def _best(lexicon: Lexicon, doc: Doc) -> Iterator[tuple[int, list[Match]]]:
    """For each token with matches, its index and its most specific matches."""
    for token in doc:
        found = lexicon.matches(token)
        if found:
            top = found[0].entry.specificity
            yield token.i, [m for m in found if m.entry.specificity == top]


def _codes(lexicon: Lexicon, doc: Doc, word: str) -> list[str]:
    """The codes of every match on the first token with this text, most specific first."""
    token = next(t for t in doc if t.text == word)
    return [m.entry.code for m in lexicon.matches(token)]


def _all_codes(lexicon: Lexicon, doc: Doc) -> set[str]:
    """Every code any token of the document matches."""
    return {m.entry.code for t in doc for m in lexicon.matches(t)}


def _write(tmp_path: Path, *rows: str) -> Path:
    """A user lexicon file of these lines (header included by the caller)."""
    path = tmp_path / "user-lexicon.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


# --- the shipped table ---------------------------------------------------------------------------------------------


def test_every_example_fires_its_row(example_docs: list[tuple[Entry, Doc]], lexicon: Lexicon) -> None:
    """Each row's example sentence has a token on which that row is among the most specific matches."""
    failures = []
    for entry, doc in example_docs:
        fired = any(entry in [m.entry for m in best] for _, best in _best(lexicon, doc))
        if not fired:
            parse = " ".join(f"{t.text}/{t.lemma_}/{t.pos_}/{t.dep_}" for t in doc)
            failures.append(f"{entry.origin} {entry.pattern} -> {entry.code}: {entry.example!r}\n    {parse}")
    assert not failures, f"{len(failures)} rows do not fire on their example:\n" + "\n".join(failures)


def test_every_row_has_an_example_and_an_origin_line(lexicon: Lexicon) -> None:
    """Each shipped row has an example, and its origin points at its own line of the shipped file."""
    lines = (resources.files("eventwire") / "data" / "events" / "lexicon.csv").read_text(encoding="utf-8")
    lines_by_number = lines.splitlines()
    for entry in lexicon.entries:
        assert entry.example, entry.origin
        source, line = entry.origin.rsplit(":", 1)
        assert source == SHIPPED_SOURCE
        assert lines_by_number[int(line) - 1].startswith(f"{entry.trigger},{entry.pos},"), entry.origin


def test_size_of_the_table(lexicon: Lexicon) -> None:
    """The shipped table covers news English broadly: at least 400 rows."""
    assert len(lexicon) >= 400


def test_every_code_is_in_the_codebook_as_written(lexicon: Lexicon) -> None:
    """Shipped codes are codebook codes exactly as written there, leading zeros included."""
    codes = cameo_codes()
    unknown = sorted({e.code for e in lexicon if e.code not in codes})
    assert not unknown


def test_every_root_is_covered(lexicon: Lexicon) -> None:
    """All twenty CAMEO roots have rows."""
    codes = cameo_codes()
    roots = {codes[e.code].root for e in lexicon}
    assert roots == {f"{n:02d}" for n in range(1, 21)}


def test_at_least_150_leaf_codes(lexicon: Lexicon) -> None:
    """At least 150 distinct leaf codes (codes with no more specific code below them) have rows."""
    codes = cameo_codes()
    leaves = {c for c in codes if len(c) > 2 and not any(o != c and o.startswith(c) for o in codes)}
    used = {e.code for e in lexicon} & leaves
    assert len(used) >= 150, len(used)


def test_shipped_table_is_read_once() -> None:
    """The shipped rows are cached."""
    assert shipped_entries() is shipped_entries()


# --- matching ------------------------------------------------------------------------------------------------------


def test_light_verb_beats_the_bare_verb(nlp: Language, lexicon: Lexicon) -> None:
    """`expressed dissatisfaction` is a criticism before it is a statement, and the match spans verb and noun."""
    doc = nlp("Iran expressed dissatisfaction with the deal.")
    found = lexicon.matches(doc[1])
    assert [m.entry.code for m in found][:1] == ["111"]
    assert "010" in [m.entry.code for m in found[1:]]
    assert found[0].tokens == (1, 2)
    assert found[0].object == 2


def test_accusation_of_war_crimes_beats_crime_and_accusation(nlp: Language, lexicon: Lexicon) -> None:
    """`accused X of war crimes` is 1124 first, then the less specific 1121 and 112."""
    doc = nlp("The prosecutor accused Russia of war crimes in Bucha.")
    codes = _codes(lexicon, doc, "accused")
    assert codes[0] == "1124"
    assert codes.index("1121") < codes.index("112")
    best = lexicon.matches(doc[2])[0]
    assert {doc[i].text for i in best.tokens} == {"accused", "of", "war", "crimes"}


def test_struck_deal_is_an_agreement_not_a_strike(nlp: Language, lexicon: Lexicon) -> None:
    """A deal struck is signed (057) before it is a military strike (190)."""
    doc = nlp("The EU struck a deal with Tunisia on migrants.")
    codes = _codes(lexicon, doc, "struck")
    assert codes[0] == "057"
    assert "190" in codes


def test_particle_and_preposition_object(nlp: Language, lexicon: Lexicon) -> None:
    """Particles and prepositional objects are part of the trigger's tokens."""
    doc = nlp("Police cracked down on protesters in Minsk.")
    best = lexicon.matches(doc[1])[0]
    assert best.entry.code == "175"
    assert best.tokens == (1, 2)
    doc = nlp("Russia called for the lifting of sanctions on Syria.")
    assert _codes(lexicon, doc, "called")[:1] == ["0254"]


def test_passive_subject_is_the_light_verb_object(nlp: Language, lexicon: Lexicon) -> None:
    """`Sanctions were imposed` matches `impose` + `sanction`."""
    doc = nlp("New sanctions were imposed on Iran by the EU.")
    assert _codes(lexicon, doc, "imposed")[:1] == ["163"]


def test_compound_trigger(nlp: Language, lexicon: Lexicon) -> None:
    """A car bomb is a car bombing before it is any bomb."""
    doc = nlp("A car bomb killed 12 people in Mogadishu.")
    found = lexicon.matches(doc[2])
    assert [m.entry.code for m in found] == ["1832", "183"]
    assert found[0].tokens == (1, 2)


def test_plural_noun_kept_by_the_lemmatizer(nlp: Language, lexicon: Lexicon) -> None:
    """A headline's `talks` is a consultation."""
    doc = nlp("Netanyahu in talks with Putin")
    assert "040" in _codes(lexicon, doc, "talks")


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("The express train to Paris was delayed.", "express"),
        ("The talk show host interviewed the senator.", "talk"),
        ("Aid workers arrived in Kabul on Monday.", "Aid"),
        ("The arrest warrant was issued in November.", "arrest"),
        ("Ceasefire talks resumed in Cairo.", "Ceasefire"),
    ],
)
def test_words_that_are_not_triggers_here(nlp: Language, lexicon: Lexicon, sentence: str, word: str) -> None:
    """An adjective, or a noun modifying another noun, triggers nothing."""
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == word)
    assert lexicon.matches(token) == []


def test_noun_rows_do_not_fire_on_verbs_and_verb_rows_not_on_nouns(nlp: Language, lexicon: Lexicon) -> None:
    """`attacked` fits only VERB rows, `attack` in a noun phrase only NOUN rows."""
    verb = nlp("Russian forces attacked Kyiv overnight.")
    noun = nlp("The attack on Kyiv killed four people.")
    verb_matches = lexicon.matches(next(t for t in verb if t.text == "attacked"))
    noun_matches = lexicon.matches(next(t for t in noun if t.text == "attack"))
    assert verb_matches and {m.entry.pos for m in verb_matches} == {"VERB"}
    assert noun_matches and {m.entry.pos for m in noun_matches} == {"NOUN"}


def test_speaking_by_phone_but_not_by_the_river(nlp: Language, lexicon: Lexicon) -> None:
    """The `by phone` row needs the phone."""
    assert "041" in _codes(lexicon, nlp("Macron spoke by phone with Erdogan."), "spoke")
    assert "041" not in _all_codes(lexicon, nlp("The president spoke by the river."))


def test_released_statement_is_no_release(nlp: Language, lexicon: Lexicon) -> None:
    """A statement released is no prisoner released."""
    assert not _all_codes(lexicon, nlp("The ministry released a statement on Monday.")) & {"084", "0841"}
    assert "0841" in _all_codes(lexicon, nlp("Hamas released three hostages on Monday."))


def test_lemmatizer_dropping_a_final_e(nlp: Language, lexicon: Lexicon) -> None:
    """`staged` (lemmatized `stag`) still finds the rows of `stage`."""
    doc = nlp("Activists staged a protest in front of the embassy.")
    assert _codes(lexicon, doc, "staged")[:1] == ["141"]


# --- user files ----------------------------------------------------------------------------------------------------


def test_user_row_replaces_shipped_row_of_the_same_pattern(
    tmp_path: Path, nlp: Language, lexicon: Lexicon
) -> None:
    """A user row with a shipped row's pattern replaces it; a new pattern is added."""
    path = _write(
        tmp_path,
        "# strikes in this corpus are labour strikes",
        HEADER,
        "strike,NOUN,,,,,143,The strike closed the ports.",
        "parley,NOUN,,,,,40,",
    )
    user = Lexicon.load([path])
    assert len(user) == len(lexicon) + 1
    doc = nlp("The strike on Monday closed the ports.")
    found = user.matches(next(t for t in doc if t.text == "strike"))
    assert [m.entry.code for m in found] == ["143"]
    assert found[0].entry.origin == f"{path}:3"
    added = next(e for e in user if e.trigger == "parley")
    assert added.code == "040"  # a leading zero lost in a spreadsheet is restored
    shipped = {e.pattern: e.code for e in Lexicon.load()}
    assert shipped["strike", "NOUN", None, None, None, None] == "190"  # the shipped lexicon is untouched


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("attack,VERB,,,,,999,", "not a CAMEO event code"),
        ("attack,ADV,,,,,190,", "pos must be VERB, NOUN or ADJ"),
        (",VERB,,,,,190,", "without a trigger"),
        ("attack,VERB,,,,190,", "7 columns where 8 are needed"),
        ("attack,VERB,,,,,190,an example,extra", "9 columns where 8 are needed"),
        ("attack,VERB,,,war,,190,", "prep_object without a prep"),
        ("attack,VERB,,,,back up,190,", "particle must be one word"),
    ],
)
def test_bad_user_rows_are_reported_with_file_and_line(tmp_path: Path, row: str, reason: str) -> None:
    """Every malformed row is a DictionaryError naming the file and line."""
    path = _write(tmp_path, "# my additions", HEADER, "meet,VERB,,,,,040,", row)
    with pytest.raises(DictionaryError) as caught:
        Lexicon.load([path])
    assert caught.value.line == 4
    assert str(caught.value).startswith(f"{path}:4: ")
    assert reason in str(caught.value)


def test_bad_header_and_repeated_pattern(tmp_path: Path) -> None:
    """A file whose header is not the columns, or that repeats a pattern, is refused with the line."""
    path = _write(tmp_path, "trigger,pos,code", "meet,VERB,040")
    with pytest.raises(DictionaryError, match="header") as caught:
        Lexicon.load([path])
    assert caught.value.line == 1
    path = _write(tmp_path, HEADER, "meet,VERB,,,,,040,", "meet,VERB,,,,,043,")
    with pytest.raises(DictionaryError, match="same pattern as line 2") as caught:
        Lexicon.load([path])
    assert caught.value.line == 3


def test_missing_user_file(tmp_path: Path) -> None:
    """A user file that cannot be read is a DictionaryError naming it."""
    path = tmp_path / "missing.csv"
    with pytest.raises(DictionaryError, match="cannot read lexicon") as caught:
        Lexicon.load([path])
    assert caught.value.source == str(path)


def test_a_date_is_not_a_pattern_preposition(lexicon: Lexicon, nlp: Language) -> None:
    """ "fired on Tuesday" does not fit a row wanting "fire on" (a target); "fired on the convoy" does."""
    dated = nlp("Syrian forces fired on Tuesday.")
    aimed = nlp("Syrian forces fired on the convoy.")
    fits = {m.entry.prep for m in lexicon.matches(aimed[2])}
    assert "on" in fits
    assert "on" not in {m.entry.prep for m in lexicon.matches(dated[2])}


@pytest.mark.parametrize(
    ("sentence", "word", "code"),
    [
        ("The government and the rebels agreed on a deal in Juba.", "agreed", "057"),
        ("Russia called for an end to the curfew in Grozny.", "called", "0251"),
        ("The UN panel accused the generals of crimes against humanity.", "accused", "1124"),
        ("Armenia accused Azerbaijan of violating the ceasefire.", "accused", "1123"),
        ("Prosecutors accused the former minister of taking bribes.", "accused", "1121"),
        ("Two villagers were killed in police firing near the border.", "killed", "193"),
    ],
)
def test_preposition_object_under_its_preposition(
    nlp: Language, lexicon: Lexicon, sentence: str, word: str, code: str
) -> None:
    """A row's words under its preposition: the object, its modifiers, what hangs by "of"/"to"/"against", a gerund's object."""
    assert _codes(lexicon, nlp(sentence), word)[:1] == [code]


@pytest.mark.parametrize(
    ("sentence", "word", "code"),
    [
        ("The ministers agreed on the need for a deal by March.", "agreed", "057"),
        ("The senators called for a debate about a ceasefire in Gaza.", "called", "0256"),
        ("The court accused the editor of lying about the corruption case.", "accused", "1121"),
    ],
)
def test_preposition_object_not_in_a_further_topic(
    nlp: Language, lexicon: Lexicon, sentence: str, word: str, code: str
) -> None:
    """A word of a row found only in a further topic of the object ("the need for a deal") does not fit the row."""
    assert code not in _codes(lexicon, nlp(sentence), word)


# --- objects beyond the verb's own dependents ----------------------------------------------------------------------


def _fit(lexicon: Lexicon, doc: Doc, word: str, code: str) -> Match | None:
    """The match giving this code on the first token with this text, if one fits."""
    token = next(t for t in doc if t.text == word)
    return next((m for m in lexicon.matches(token) if m.entry.code == code), None)


def _index(doc: Doc, word: str) -> int:
    """The index of the first token with this text."""
    return next(t.i for t in doc if t.text == word)


@pytest.mark.parametrize(
    ("sentence", "word", "code", "noun"),
    [
        # The noun a past participle hangs on is what it acts on.
        (
            "An agreement reached on Tuesday between the Palestinians and Israel was welcomed.",
            "reached",
            "057",
            "agreement",
        ),
        ("Washington reimposed sanctions lifted under Obama.", "lifted", "085", "sanctions"),
        ("A ceremony led by the Israeli president marked the anniversary.", "led", "017", "ceremony"),
        # The noun a relative pronoun object stands for, also through a clause that reports it.
        (
            "Ukrainian troops entered the town, which Russian forces said they had captured.",
            "captured",
            "192",
            "town",
        ),
        (
            "Ukraine recaptured the village, which Russian forces had seized in March.",
            "seized",
            "192",
            "village",
        ),
        # The pronoun parsed as the object of the reporting verb.
        (
            "The army entered the town which the rebels said Monday they had captured.",
            "captured",
            "192",
            "town",
        ),
    ],
)
def test_object_outside_the_verbs_phrase(
    nlp: Language, lexicon: Lexicon, sentence: str, word: str, code: str, noun: str
) -> None:
    """A participle's noun or a relative pronoun's noun is the row's object, but not one of the trigger's words."""
    doc = nlp(sentence)
    match = _fit(lexicon, doc, word, code)
    assert match is not None
    assert match.object == _index(doc, noun)
    assert match.tokens == (_index(doc, word),)


@pytest.mark.parametrize(
    ("sentence", "word", "code"),
    [
        # The noun's own act, with its doer after "by": the noun is the event, not the verb's object.
        ("A suicide bombing claimed by the Islamic State killed four Americans.", "claimed", "015"),
        ("A rally held by the opposition drew thousands.", "held", "141"),
        ("A protest organised by students turned violent.", "organised", "141"),
    ],
)
def test_participle_restating_its_nouns_act(
    nlp: Language, lexicon: Lexicon, sentence: str, word: str, code: str
) -> None:
    """ "claimed", "held", "organised" on the noun of an act do not take it as their object."""
    assert _fit(lexicon, nlp(sentence), word, code) is None


def test_relative_subject_is_no_object(nlp: Language, lexicon: Lexicon) -> None:
    """In "the talks, which collapsed, reached no agreement" the talks are no one's object and the agreement
    is the object of "reached" as it always was."""
    doc = nlp("The talks, which collapsed, reached no agreement.")
    talks = _index(doc, "talks")
    assert all(m.object != talks for t in doc for m in lexicon.matches(t))
    match = _fit(lexicon, doc, "reached", "057")
    assert match is not None
    assert match.tokens == (_index(doc, "reached"), _index(doc, "agreement"))


@pytest.mark.parametrize(
    ("sentence", "word", "code", "noun"),
    [
        ("The rebels captured the eastern third of the province.", "captured", "192", "province"),
        ("Russian forces captured half of the city.", "captured", "192", "city"),
        ("Israel released most of the prisoners.", "released", "0841", "prisoners"),
    ],
)
def test_object_after_a_partitive(
    nlp: Language, lexicon: Lexicon, sentence: str, word: str, code: str, noun: str
) -> None:
    """ "the eastern third of the province": the thing after "of" is the object, and part of the trigger."""
    doc = nlp(sentence)
    match = _fit(lexicon, doc, word, code)
    assert match is not None
    assert match.object == _index(doc, noun)
    assert _index(doc, noun) in match.tokens


def test_a_while_after_a_partitive_is_no_object(tmp_path: Path, nlp: Language) -> None:
    """ "the rest of the budget" is the budget acted on, "the rest of the week" a while, not a week acted on."""
    user = Lexicon.load([_write(tmp_path, HEADER, "spend,VERB,budget,,,,070,", "spend,VERB,week,,,,040,")])
    assert _fit(user, nlp("The ministry spent the rest of the budget on aid."), "spent", "070") is not None
    assert _fit(user, nlp("The delegation spent the rest of the week in Geneva."), "spent", "040") is None


# --- prepositions of an adjective's stance -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "word", "code", "prep"),
    [
        ("Iran was satisfied about the agreement.", "satisfied", "051", "about"),
        ("Seoul was worried over the missile launches.", "worried", "012", "over"),
    ],
)
def test_stance_prepositions_stand_in_for_each_other(
    nlp: Language, lexicon: Lexicon, sentence: str, word: str, code: str, prep: str
) -> None:
    """A "satisfied with" row fits "satisfied about"; the preposition used is one of the trigger's words."""
    doc = nlp(sentence)
    match = _fit(lexicon, doc, word, code)
    assert match is not None
    assert _index(doc, prep) in match.tokens


def test_a_row_for_the_preposition_used_wins(tmp_path: Path, nlp: Language) -> None:
    """With rows for "angry at" and "angry about", each preposition fits its own row; "over" fits both."""
    user = Lexicon.load([_write(tmp_path, HEADER, "angry,ADJ,,at,,,111,", "angry,ADJ,,about,,,012,")])
    assert _codes(user, nlp("Iran was angry at the decision."), "angry") == ["111"]
    assert _codes(user, nlp("Iran was angry about the decision."), "angry") == ["012"]
    assert sorted(_codes(user, nlp("Iran was angry over the decision."), "angry")) == ["012", "111"]


@pytest.mark.parametrize(
    ("sentence", "word", "prep"),
    [
        # "to" and "of" are no prepositions of stance: their rows stay strict.
        ("The Kenyan president was grateful for the aid.", "grateful", "to"),
        ("The minister was critical about the plan.", "critical", "of"),
        # Verb rows stay strict.
        ("The ministers talked about the budget.", "talked", "with"),
    ],
)
def test_other_prepositions_stay_strict(
    nlp: Language, lexicon: Lexicon, sentence: str, word: str, prep: str
) -> None:
    """Only adjective rows with a preposition of stance take another one."""
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == word)
    assert prep not in {m.entry.prep for m in lexicon.matches(token)}
