"""Actor dictionaries: shipped tables, dated roles, user files with their errors, PETRARCH import."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from eventwire import dictionaries, petrarch
from eventwire.errors import DictionaryError

PETRARCH_ACTORS = """<!-- TEST ACTORS -->
GONDOR [GON]
+MINAS_TIRITH
GOLLUM  # the tricky one
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]
LORIEN [ELR/GAL]
"""
PETRARCH_AGENTS = """!PERSON! = MAN, MEN
PRIME_MINISTER [~GOV] # comment
TROOPS {} [~MIL]
CONGRESS!PERSON! [~LEG]
"""


def test_shipped_tables_load_and_cover_the_world() -> None:
    """The shipped dictionaries hold every UN member's country words and the role words."""
    d = dictionaries.shipped()
    assert len(d.countries) >= 195
    assert d.country_names[dictionaries.normalise("United States")] == "USA"
    assert d.demonyms[dictionaries.normalise("Israeli")] == "ISR"
    assert d.seats[dictionaries.normalise("Tel Aviv")] == "ISR"
    assert d.roles["prime minister"] == "GOV"
    assert [e.code_on(None)[0] for e in d.lookup("the Kremlin")] == ["RUSGOV"]


def test_abbreviations_keep_their_case() -> None:
    """ "US" is the country, "us" the pronoun; "IS" is not "is"."""
    d = dictionaries.shipped()
    assert d.country_names.get(dictionaries.normalise("US")) == "USA"
    assert dictionaries.normalise("us") not in d.country_names
    assert dictionaries.normalise("IS") != dictionaries.normalise("is")


def test_person_outside_office_is_elite() -> None:
    """Between and after stints a person is their country's elite; inside, the stint's code."""
    entry = dictionaries.ActorEntry(
        "A B",
        "person",
        "ISR",
        (
            dictionaries.Stint("ISRGOV", "PM", dt.date(2009, 3, 31), dt.date(2021, 6, 13)),
            dictionaries.Stint("ISRGOV", "PM", dt.date(2022, 12, 29), None),
        ),
    )
    assert entry.code_on(dt.date(2015, 1, 1))[0] == "ISRGOV"
    assert entry.code_on(dt.date(2022, 1, 1))[0] == "ISRELI"
    assert entry.code_on(dt.date(2005, 1, 1))[0] == "ISRELI"
    assert entry.code_on(dt.date(2025, 1, 1))[0] == "ISRGOV"
    assert entry.code_on(None)[0] == "ISRGOV"


def test_organisation_takes_the_nearest_period() -> None:
    """An organisation whose code changed (the Taliban) has the code of the period nearest the date."""
    entry = dictionaries.ActorEntry(
        "Taliban",
        "organisation",
        "AFG",
        (
            dictionaries.Stint("AFGREB", None, None, dt.date(2021, 8, 14)),
            dictionaries.Stint("AFGGOV", None, dt.date(2021, 8, 15), None),
        ),
    )
    assert entry.code_on(dt.date(2010, 1, 1))[0] == "AFGREB"
    assert entry.code_on(dt.date(2023, 1, 1))[0] == "AFGGOV"


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("name,code,start\nA,ISRGOV,2020-01-01\nB,ISRGOV,2020-13-01\n", 3, "not a date"),
        ("name,code\nA,isr gov\n", 2, "not an actor code"),
        ("name,code\n,ISRGOV\n", 2, "without a name"),
        ("# a comment\nname,code,start,end\nA,ISRGOV,2021-01-01,2020-01-01\n", 3, "ends"),
        ("phrase,code\nminister,GOV\n,MIL\n", 3, "without a phrase"),
    ],
)
def test_user_csv_errors_name_file_and_line(tmp_path: Path, content: str, line: int, message: str) -> None:
    """A malformed entry in a user's CSV is an error that names the file and the line."""
    path = tmp_path / "mine.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError) as info:
        dictionaries.load([path])
    assert info.value.source == str(path)
    assert info.value.line == line
    assert message in info.value.reason


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("actors:\n  - name: A\n    code: [unclosed\n", "not valid YAML"),
        ("people:\n  - name: A\n", "mapping with `actors:`"),
        ("actors:\n  - name: A\n    code: ISRGOV\n    colour: blue\n", "unknown keys"),
        ("actors:\n  - name: A\n    code: ISRGOV\n  - name: B\n    code: bad\n", "actors entry 2"),
    ],
)
def test_user_yaml_errors(tmp_path: Path, content: str, message: str) -> None:
    """A malformed YAML dictionary is an error naming the file and the entry or line."""
    path = tmp_path / "mine.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError, match=message) as info:
        dictionaries.load([path])
    assert info.value.source == str(path)


def test_petrarch_actors_with_dates_and_aliases() -> None:
    """PETRARCH entries become dated rows with aliases; codes eventwire cannot hold are reported, not kept."""
    skipped: list[str] = []
    rows = petrarch.read_actors(PETRARCH_ACTORS, "actors.txt", skipped)
    gollum = [r for r in rows if r["name"] == "GOLLUM"]
    assert [(r["code"], r["start"], r["end"]) for r in gollum] == [
        ("HOB", "", "1995-05-31"),
        ("HOBGOV", "1995-06-01", "1999-08-15"),
        ("HOBREB", "1999-08-16", ""),
    ]
    assert gollum[0]["aliases"] == "SMEAGOL"
    assert next(r for r in rows if r["name"] == "GONDOR")["aliases"] == "MINAS TIRITH"
    assert not any(r["name"] == "LORIEN" for r in rows)
    assert skipped == ["actors.txt:9: code 'ELR/GAL' of 'LORIEN' is not an actor code"]


def test_petrarch_agents_plurals_and_macros() -> None:
    """Agent phrases become role words, with default plurals and macros spelled out."""
    roles = {(r["phrase"], r["code"]) for r in petrarch.read_agents(PETRARCH_AGENTS, "agents.txt")}
    assert {("prime minister", "GOV"), ("prime ministers", "GOV"), ("troops", "MIL")} <= roles
    assert ("troopss", "MIL") not in roles and ("troopses", "MIL") not in roles
    assert {("congressman", "LEG"), ("congressmen", "LEG")} <= roles


def test_petrarch_malformed_lines_are_errors() -> None:
    """A code block PETRARCH itself would reject is an error with its line."""
    with pytest.raises(DictionaryError) as info:
        petrarch.read_actors("ARNOR [ARN 95-06]\n", "actors.txt")
    assert info.value.line == 1


@pytest.mark.slow
def test_import_petrarch_and_code_its_world(tmp_path: Path, eventwire_cmd: list[str]) -> None:
    """`dictionaries import-petrarch` writes a YAML dictionary that codes the fictional world it describes."""
    (tmp_path / "actors.txt").write_text(PETRARCH_ACTORS, encoding="utf-8")
    (tmp_path / "agents.txt").write_text(PETRARCH_AGENTS, encoding="utf-8")
    done = subprocess.run(
        [
            *eventwire_cmd,
            "dictionaries",
            "import-petrarch",
            "actors.txt",
            "--agents",
            "agents.txt",
            "-o",
            "petrarch.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "ELR/GAL" in done.stderr
    (tmp_path / "story.txt").write_text(
        "date 1999-09-01 News from the west\n\nGondor denounced Smeagol on Tuesday.\n", encoding="utf-8"
    )
    done = subprocess.run(
        [*eventwire_cmd, "extract", "--actors", "petrarch.yaml", "story.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    import json

    actors = {a["span"]["text"]: a["code"] for a in json.loads(done.stdout)["actors"]}
    assert actors == {"Gondor": "GON", "Smeagol": "HOBREB"}
    bad = tmp_path / "bad.csv"
    bad.write_text("name,code\nA,ISRGOV\nB,not a code\n", encoding="utf-8")
    done = subprocess.run(
        [*eventwire_cmd, "dictionaries", "check", "bad.csv"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "bad.csv:3" in done.stderr


@pytest.mark.slow
def test_actors_from_the_environment(tmp_path: Path, eventwire_cmd: list[str]) -> None:
    """EVENTWIRE_ACTORS names user dictionaries for every command, like --actors."""
    import json
    import os

    (tmp_path / "mine.yaml").write_text(
        "actors:\n  - name: Zorvan Kettle\n    code: TSTGOV\n", encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text(
        "date 2024-01-02 Talks\n\nZorvan Kettle met the press.\n", encoding="utf-8"
    )
    env = dict(os.environ, EVENTWIRE_ACTORS=str(tmp_path / "mine.yaml"))
    done = subprocess.run(
        [*eventwire_cmd, "extract", "a.txt"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    actors = {a["span"]["text"]: a["code"] for a in json.loads(done.stdout)["actors"]}
    assert actors["Zorvan Kettle"] == "TSTGOV"
