"""PETRARCH verb dictionaries converted to event lexicon rows: codes, patterns, synonym sets, what is left out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from eventwire import petrarch
from eventwire.errors import DictionaryError
from eventwire.evaluation import datasets
from eventwire.lexicon import Lexicon
from eventwire.pipeline import Pipeline

# Line numbers matter: the tests check that what is left out is reported with its line.
VERBS = """<!-- TEST VERBS -->
&TIETYPES
+MILITARY
+ECONOMIC

&SANCTIONS
+ECONOMIC SANCTIONS
+EMBARGO

--- RESTORE  [050] ---
RESTORE    # the default code
REESTABLISH [---]
- * TIES  [064]
- * &TIETYPES TIES  [061]
- SAID *  [023]
- * AT ^ +  [111]

--- ASK  [---] ---
ASKED
- * FOR &SANCTIONS  [163]
- * WITH  [036]

--- CALL  [---] ---
+CALL_OFF {+CALLS_OFF +CALLED_OFF +CALLING_OFF}  [192]
- *_DOWN  [175]

--- BOMB  [223] ---
BOMB
- * FOR  [---]
- * BRIDGE  [212]

--- MEET  [031:032]  ---
MET
"""


@pytest.fixture(scope="module")
def converted() -> petrarch.VerbImport:
    """The test dictionary read with the default pipeline's lemmatizer."""
    return petrarch.read_verbs(VERBS, "verbs.txt", petrarch.english())


def rows(found: petrarch.VerbImport) -> set[tuple[str, str, str, str, str, str]]:
    """The converted rows as (trigger, object, prep, prep_object, particle, code)."""
    return {(r.trigger, r.object, r.prep, r.prep_object, r.particle, r.code) for r in found.rows}


def test_verbs_keep_their_default_code_as_lemmas(converted: petrarch.VerbImport) -> None:
    """Each verb of a block is a row with its own code or the block's; conjugated entries become lemmas."""
    found = rows(converted)
    assert ("restore", "", "", "", "", "050") in found
    assert ("meet", "", "", "", "", "031") in found  # MET, and the first of a reciprocal code
    assert not [r for r in converted.rows if r.trigger in ("reestablish", "ask") and not r.object + r.prep]


def test_object_preposition_and_particle_patterns(converted: petrarch.VerbImport) -> None:
    """`* NOUN` names the object (as its lemma), `* PREP` a preposition, `*_DOWN` a particle; the patterns of
    a block go with each of its verbs."""
    found = rows(converted)
    assert ("restore", "tie", "", "", "", "064") in found
    assert ("reestablish", "tie", "", "", "", "064") in found
    assert ("ask", "", "with", "", "", "036") in found
    assert ("call", "", "", "", "off", "192") in found
    # The verb has its own particle: a pattern with another is left out, and said so.
    assert not [r for r in converted.rows if r.code == "175"]
    assert any(
        s.startswith("verbs.txt:25: not an object, preposition or particle:") for s in converted.skipped
    )


def test_synonym_sets_are_expanded(converted: petrarch.VerbImport) -> None:
    """A synonym set in a pattern gives one row per member, in a compound object or a preposition's object."""
    found = rows(converted)
    assert {("restore", f"{kind} tie", "", "", "", "061") for kind in ("military", "economic")} <= found
    assert ("ask", "", "for", "economic sanction", "", "163") in found
    assert ("ask", "", "for", "embargo", "", "163") in found


def test_no_event_is_counted_and_other_codes_are_listed(converted: petrarch.VerbImport) -> None:
    """`[---]` is no event: counted, not listed. A code outside CAMEO is left out with its line."""
    assert converted.reasons[petrarch.NO_EVENT] == 3  # REESTABLISH, ASKED (the block's code), BOMB's `* FOR`
    assert not [s for s in converted.skipped if petrarch.NO_EVENT in s]
    assert "verbs.txt:28: not a CAMEO code: 'BOMB': [223]" in converted.skipped
    assert not [r for r in converted.rows if r.trigger == "bomb" and not r.object]
    # 212 is no CAMEO code either, but a code that lost its leading zero: read as 0212, and noted.
    assert ("bomb", "bridge", "", "", "", "0212") in rows(converted)
    assert converted.padded == 1 and converted.notes == [
        "verbs.txt:30: code [212] read as CAMEO 0212 (a leading zero restored)"
    ]
    assert converted.reciprocal == 1


def test_inexpressible_patterns_are_listed_with_their_line(converted: petrarch.VerbImport) -> None:
    """Words before the verb and actor markers a lexicon row cannot place are reported, each with its line."""
    assert converted.reasons[petrarch.BEFORE_VERB] == 1
    assert converted.reasons[petrarch.PLACEMENT] == 1
    assert any(s.startswith("verbs.txt:15: words before the verb:") for s in converted.skipped)
    assert any(s.startswith("verbs.txt:16: source or target placement:") for s in converted.skipped)


def test_what_no_row_can_say_is_left_out() -> None:
    """Negations, verbs and adverbs where the object goes, two prepositions, infinitives, undefined sets."""
    text = """--- WARN [160] ---
WARN
- * NOT COOPERATE  [112]
- * RESIST  [112]
- * ANGRILY  [122]
- * MEMOS_ON_ISSUES FROM  [111]
- * TO ATTEND  [036]
- * &NOWHERE  [111]
- * THEIR ^ ABOUT +  [162]
- * OF $ FROM +  [012]
"""
    found = petrarch.read_verbs(text, "v.txt", petrarch.english())
    assert rows(found) == {("warn", "", "", "", "", "160")}
    assert [s.split(": ")[1] for s in found.skipped] == [
        petrarch.NEGATION,
        *[petrarch.NOT_A_ROW] * 4,
        petrarch.UNDEFINED_SYNSET,
        *[petrarch.PLACEMENT] * 2,
    ]


def test_conjugated_entries_and_stems_become_lemmas() -> None:
    """PETRARCH lists forms (`SAID`, `LEFT`) and stems it completes itself (`EXCHANG`): all become lemmas."""
    words = petrarch.english()
    assert [words.verb(w) for w in ("SAID", "LEFT", "EXCHANG", "DEFIE", "WOUND", "URGING")] == [
        "say",
        "leave",
        "exchange",
        "defy",
        "wound",
        "urge",
    ]
    assert words.noun("ties") == "tie" and words.noun("news") == "news"


def test_duplicates_keep_the_first_and_are_listed() -> None:
    """Two entries that reduce to the same pattern keep the first; the second is reported."""
    found = petrarch.read_verbs(
        "--- LEAVE [012] ---\nLEAVE\n--- LEFT [032] ---\nLEFT\n", "v.txt", petrarch.english()
    )
    assert rows(found) == {("leave", "", "", "", "", "012")}
    assert found.skipped == ["v.txt:4: duplicate: 'leave' is already read at line 2 (code 012, not 032)"]


def test_a_verb_before_any_block_is_an_error() -> None:
    """A dictionary must open its verbs with a `--- NAME [code] ---` line."""
    with pytest.raises(DictionaryError) as info:
        petrarch.read_verbs("\nRESTORE [064]\n", "v.txt")
    assert info.value.line == 2


def test_converted_rows_load_and_match_a_sentence(
    converted: petrarch.VerbImport, tmp_path: Path, pipeline: Pipeline
) -> None:
    """The CSV loads as a lexicon, and its rows fit the sentences they describe."""
    path = tmp_path / "verbs.csv"
    path.write_text(petrarch.to_lexicon_csv(converted.rows, "verbs.txt"), encoding="utf-8")
    assert "# verbs.txt:14: - * &TIETYPES TIES  [061]" in path.read_text(encoding="utf-8")
    lexicon = Lexicon.load([path])
    doc = pipeline.nlp("Arnor restored economic ties with Gondor.")
    (verb,) = [t for t in doc if t.lemma_ == "restore"]
    best = lexicon.matches(verb)[0].entry
    assert (best.code, best.origin) == ("061", f"{path}:{_line(path, 'restore,VERB,economic tie')}")


def _line(path: Path, start: str) -> int:
    """The line of a file that starts with this text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))


@pytest.mark.slow
def test_import_petrarch_verbs_command(tmp_path: Path, eventwire_cmd: list[str]) -> None:
    """`dictionaries import-petrarch-verbs` writes a lexicon, summarises and lists what it left out."""
    (tmp_path / "verbs.txt").write_text(VERBS, encoding="utf-8")
    done = subprocess.run(
        [*eventwire_cmd, "dictionaries", "import-petrarch-verbs", "verbs.txt", "-o", "verbs.csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    expected = petrarch.read_verbs(VERBS, "verbs.txt", petrarch.english())
    assert f"{len(expected.rows)} lexicon rows written to verbs.csv" in done.stdout
    assert "no event 3" in done.stdout
    assert "skipped: verbs.txt:28: not a CAMEO code" in done.stderr
    assert Lexicon.load([tmp_path / "verbs.csv"])


PETRARCH_VERBS = datasets.datasets_dir() / "petrarch2-unit-tests" / "PETR.Validate.verbs.txt"


@pytest.mark.skipif(
    not PETRARCH_VERBS.exists(), reason="the PETRARCH unit-test dictionaries are not on this machine"
)
def test_petrarch_validation_verbs_convert_and_load(tmp_path: Path) -> None:
    """PETRARCH's own validation verb dictionary converts to a lexicon that loads."""
    found = petrarch.read_verbs(PETRARCH_VERBS.read_text(encoding="utf-8"), "verbs.txt", petrarch.english())
    assert len(found.rows) >= 300
    assert found.reasons[petrarch.NOT_CAMEO] and found.reasons[petrarch.BEFORE_VERB]
    path = tmp_path / "verbs.csv"
    path.write_text(petrarch.to_lexicon_csv(found.rows, str(PETRARCH_VERBS)), encoding="utf-8")
    assert len(Lexicon.load([path])) > len(Lexicon.load())
