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
    ("content", "line", "message"),
    [
        ("actors:\n  - name: A\n    code: [unclosed\n", 4, "flow sequence that starts on line 3"),
        ('actors:\n  - name: "open\n    code: ISRGOV\n', 4, "quoted scalar that starts on line 2"),
        ("actors:\n  - name: A\n    code: ISRGOV\n   kind: person\n", 4, "not valid YAML"),
        ("actors:\n  - name: A\x07\n", 2, "special characters"),
        ("# mine\npeople:\n  - name: A\n", 2, "mapping with `actors:`"),
        ("actors:\n  - name: A\n    code: ISRGOV\n    colour: blue\n", 4, "unknown key 'colour'"),
        ("actors:\n  - name: A\n    code: ISRGOV\n    code: ISRMIL\n", 4, "`code` given twice"),
        ("actors:\n  - name: A\n    code: ISRGOV\n  - B\n", 4, "must be a mapping"),
        ("roles: minister\n", 1, "must be a list of mappings"),
        ("actors:\n  - name: A\n    aliases: {x: y}\n    code: ISRGOV\n", 3, "text or a list of text"),
        ("actors:\n  - name: A\n    code: ISRGOV\n  - name: B\n    code: bad\n", 4, "not an actor code"),
        (
            "actors:\n  - name: A\n    code: ISRGOV\n\n  - name: B\n    code: ISRGOV\n    start: 2020-13-01\n",
            5,
            "not a date",
        ),
        ("roles:\n  - phrase: envoy\n    code: GOV\n  - code: MIL\n", 4, "without a phrase"),
        (
            "actors:\n  - name: A\n    code: ISRGOV\nactors:\n  - name: B\n    code: ISRGOV\n",
            4,
            "`actors:` given twice",
        ),
    ],
)
def test_user_yaml_errors_name_file_and_line(tmp_path: Path, content: str, line: int, message: str) -> None:
    """A malformed YAML dictionary, its syntax or an entry, is an error that names the file and the line."""
    path = tmp_path / "mine.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError) as info:
        dictionaries.load([path])
    assert (info.value.source, info.value.line) == (str(path), line)
    assert message in info.value.reason
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_user_yaml_error_deep_in_a_long_file(tmp_path: Path) -> None:
    """In a long YAML file the error names the line of the bad entry, not its position in the list."""
    entries = [f"  - name: Person {i}\n    aliases: [P{i}, Mr {i}]\n    code: ISRGOV\n" for i in range(700)]
    entries[512] = "  - name: Person 512\n    # a typo below\n    code: ISR GOV\n"
    path = tmp_path / "mine.yaml"
    path.write_text("# people\nactors:\n" + "".join(entries), encoding="utf-8")
    with pytest.raises(DictionaryError) as info:
        dictionaries.load([path])
    assert info.value.line == 2 + 512 * 3 + 1
    assert f"{path}:{2 + 512 * 3 + 1}: not an actor code" in str(info.value)


def test_user_yaml_values_stay_text(tmp_path: Path) -> None:
    """YAML's implicit types do not change entries: `NO` is an alias, not false; a leading `#` is kept."""
    path = tmp_path / "mine.yaml"
    path.write_text(
        "actors:\n  - name: Kingdom of Norway\n    aliases: [NO, Norge]\n    code: NOR\n    start: 1905-06-07\n"
        '  - name: "#Zorvan"\n    code: TSTGOV\n',
        encoding="utf-8",
    )
    d = dictionaries.load([path])
    assert [e.name for e in d.lookup("NO")] == ["Kingdom of Norway"]
    assert d.lookup("Norge")[0].stints[0].start == dt.date(1905, 6, 7)
    assert [e.code_on(None)[0] for e in d.lookup("#Zorvan")] == ["TSTGOV"]


def test_user_namesakes_in_one_file_all_stay(tmp_path: Path) -> None:
    """Entries of one user file that share a name stand side by side; they replace only the shipped meaning."""
    path = tmp_path / "mine.csv"
    path.write_text("name,code,country\nKremlin,TSTGOV,TST\nKremlin,ZZZGOV,ZZZ\n", encoding="utf-8")
    assert sorted(e.country or "" for e in dictionaries.load([path]).lookup("Kremlin")) == ["TST", "ZZZ"]


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


@pytest.mark.parametrize(
    ("block", "code", "country", "sectors"),
    [
        ("ISRGOV", "ISRGOV", "ISR", "GOV"),
        ("RUSMIL", "RUSMIL", "RUS", "MIL"),
        ("USAGOVMIL", "USAGOVMIL", "USA", "GOV|MIL"),
        ("PSEREBHMS", "PSEREBHMS", "PSE", "REB"),
        ("ISR", "ISR", "ISR", ""),
        ("JAPMIL", "JPNMIL", "JPN", "MIL"),
        ("UKGOV", "GBRGOV", "GBR", "GOV"),
        ("UK", "GBR", "GBR", ""),
        ("IGOUNO", "IGOUNO", "", ""),
        ("IGOBUSIMF", "IGOBUSIMF", "", "BUS"),
        ("NGO", "NGO", "", ""),
        ("NGOHLH", "NGOHLH", "", "HLH"),
        ("AFRREB", "AFRREB", "", "REB"),
        ("---GOV", "---GOV", "", "GOV"),
        ("HOBGOV", "HOBGOV", "", "GOV"),
    ],
)
def test_petrarch_codes_carry_country_and_sectors(block: str, code: str, country: str, sectors: str) -> None:
    """An imported code carries its country as ISO3 (older CAMEO codes too) and its role sectors; IGO, NGO,
    region and unknown codes have no country."""
    (row,) = petrarch.read_actors(f"SOMEONE [{block}]\n", "actors.txt")
    assert (row["code"], row["country"], row["sectors"]) == (code, country, sectors)


PETRARCH_DATED = """BAN_KI-MOON_
+BAN
\t[KORGOV 20040117-20061231]
\t[IGOUNO 20070101-20161231]
\t[KORELI >20170101]
TONY_BLAIR_ [UKGOV 970502-070627]
"""


def test_petrarch_dated_codes_each_carry_their_country(tmp_path: Path) -> None:
    """Every dated code of an actor carries its own code's country, and the imported dictionary keeps them all."""
    rows = petrarch.read_actors(PETRARCH_DATED, "actors.txt")
    assert [(r["name"], r["code"], r["country"], r["start"], r["end"]) for r in rows] == [
        ("BAN KI-MOON", "KORGOV", "KOR", "2004-01-17", "2006-12-31"),
        ("BAN KI-MOON", "IGOUNO", "", "2007-01-01", "2016-12-31"),
        ("BAN KI-MOON", "KORELI", "KOR", "2017-01-01", ""),
        ("TONY BLAIR", "GBRGOV", "GBR", "1997-05-02", "2007-06-27"),
    ]
    path = tmp_path / "petrarch.yaml"
    path.write_text(petrarch.to_yaml(rows, []), encoding="utf-8")
    entries = dictionaries.load([path]).lookup("Ban")
    assert {(e.country, tuple(s.code for s in e.stints)) for e in entries} == {
        ("KOR", ("KORGOV", "KORELI")),
        (None, ("IGOUNO",)),
    }
    blair = dictionaries.load([path]).lookup("Tony Blair")
    assert [(e.country, e.code_on(dt.date(2003, 3, 20))[0]) for e in blair] == [("GBR", "GBRGOV")]


@pytest.mark.parametrize(
    ("date", "year"), [("300101", 2030), ("310101", 1931), ("991231", 1999), ("000101", 2000)]
)
def test_petrarch_two_digit_years(date: str, year: int) -> None:
    """Two-digit PETRARCH years are read as PETRARCH reads them: 00 to 30 are 20YY, the rest 19YY."""
    (row,) = petrarch.read_actors(f"SOMEONE\n\t[ISRGOV >{date}]\n", "actors.txt")
    assert row["start"][:4] == str(year)


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
