"""Tests for `eventwire.evaluation.importers`: each gold format on a small sample written here, and its errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from eventwire.errors import MalformedRecord, UsageError
from eventwire.evaluation.gold import GoldItem, check_item, write_gold
from eventwire.evaluation.importers import (
    IMPORTERS,
    detect_format,
    import_gold,
    plover_to_cameo,
    read_brat,
    read_conll,
    read_geoparsing,
    read_petrarch,
    read_plover,
    read_timeml,
)
from eventwire.ontology import cameo_codes


def assert_spans_fit(items: list[GoldItem]) -> None:
    """Every span of every item slices its text to what it says."""
    for item in items:
        assert check_item(item) == [], item.id


# --- PLOVER ------------------------------------------------------------------------------------------------------

PLOVER_RECORDS = [
    {
        "id": "p1",
        "text": "Russian and Ukrainian delegations met in Istanbul on Tuesday.",
        "source": "RUS",
        "target": ["UKR"],
        "event": "CONSULT",
        "mode": "meet",
        "context": "diplomatic; peace",
        "date": "2022-03-29",
        "publication_date": "2022-03-30",
    },
    {
        "text": "Gunmen attacked a police post in Kano.",
        "actor": "NGAREB",
        "recipient": "NGACOP",
        "event": "assault",
        "context": ["crime"],
    },
    {"id": "p3", "text": "The weather was fine in Oslo.", "source": "", "target": None, "event": ""},
]


def test_plover_json_lines(tmp_path: Path) -> None:
    """PLOVER records in JSON Lines become items with their PLOVER type kept as a tag and a stand-in code."""
    path = tmp_path / "plover.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in PLOVER_RECORDS) + "\n", encoding="utf-8")
    consult, assault, nothing = read_plover(path)

    assert consult.id == "p1" and consult.origin == "plover"
    assert consult.date == dt.date(2022, 3, 30)
    assert consult.tags == [
        "plover:CONSULT",
        "plover-mode:meet",
        "plover-context:diplomatic",
        "plover-context:peace",
    ]
    (event,) = consult.events or []
    assert (event.source, event.target, event.code, event.date) == (
        ["RUS"],
        ["UKR"],
        "040",
        dt.date(2022, 3, 29),
    )

    assert assault.id == "plover-2"
    (event,) = assault.events or []
    assert (event.source, event.target, event.code) == (["NGAREB"], ["NGACOP"], "180")
    assert assault.tags == ["plover:ASSAULT", "plover-context:crime"]

    assert nothing.events == [] and nothing.tags == ["no-event"]
    assert nothing.quotes is None and nothing.places is None


def test_plover_json_array(tmp_path: Path) -> None:
    """A JSON array of PLOVER records is read like JSON Lines."""
    path = tmp_path / "plover.json"
    path.write_text(json.dumps(PLOVER_RECORDS[:2]), encoding="utf-8")
    assert [item.id for item in read_plover(path)] == ["p1", "plover-2"]


def test_plover_types_map_to_a_cameo_code_of_the_same_type() -> None:
    """PLOVER types map to a CAMEO code of the same type."""
    table = plover_to_cameo()
    assert len(table) == 16
    for plover, code in table.items():
        assert cameo_codes()[code].plover_type == plover
    assert (table["CONSULT"], table["ASSAULT"], table["ACCUSE"], table["RETREAT"]) == (
        "040",
        "180",
        "110",
        "084",
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "Talks.", "source": "A", "target": "B", "event": "CHAT"}', "not a PLOVER event type"),
        ('{"text": "Talks.", "source": "A", "target": "B"', "not valid JSON"),
        ('{"source": "A", "target": "B", "event": "CONSULT"}', "has no text"),
        ('{"text": "Talks.", "source": "A", "target": "B"}', "has no event"),
        ('{"text": "Talks.", "source": 7, "target": "B", "event": "AID"}', "source must be"),
        ('{"text": "Talks.", "event": "AID", "date": "2022-02-30"}', "not a date"),
        ('["a list"]', "not an object"),
    ],
)
def test_plover_malformed_records_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    """PLOVER malformed records name the line."""
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(PLOVER_RECORDS[0]) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(MalformedRecord) as info:
        list(read_plover(path))
    assert message in info.value.reason
    assert info.value.line == 3 and info.value.source == str(path)


# --- PETRARCH ----------------------------------------------------------------------------------------------------

PETRARCH_XML = """<Validation>
<!-- header comment -->
<Sentences>
<Sentence date="19950101" id="DEMO-01" category="COMPOUND" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<EventCoding sourcecode="ARN" targetcode="OSGGOV" eventcode="64"></EventCoding>
<Text>
Arnor is about to restore full diplomatic
    ties with Gondor and Osgiliath.
</Text>
<Parse>(ROOT (S (NP (NNP Arnor))))</Parse>
</Sentence>
<Sentence date = "19950102" id ="DEMO-02" category="DEMO" sentence="true">
<EventCoding noevents = "True"> </EventCoding>
<Text>Arnor is quiet.</Text>
</Sentence>
<Sentence date="19950103" id="ERROR-01" category="ERROR" sentence="true">
<EventCoding error="dateline"></EventCoding>
<Text>CEBU CITY: -- A suit was filed.</Text>
</Sentence>
<Sentence date="19950104" id="DEMO-03" category="DEMO" noevents="True">
<Text>Nothing happens.</Text>
</Sentence>
<Sentence date="19950105" id="PATTERN-06" category="PATTERN" sentence="true">
<Text>Gollum was in an accord with an anti- Gondor parade.</Text>
</Sentence>
<Sentence date="19950106" id="VERB-01" category="VERB" sentence="true">
<EventCoding sourcecode='"INJURY TOLL"' targetcode="LBY" eventcode="903"></EventCoding>
<Text>Ethiopia has broken relations with Libya.</Text>
</Sentence>
</Sentences>
</Validation>
"""


def test_petrarch_records(tmp_path: Path) -> None:
    """PETRARCH sentences give one event per coding, and noevents markers give an empty event list."""
    path = tmp_path / "records.xml"
    path.write_text(PETRARCH_XML, encoding="utf-8")
    compound, noevents, error, quiet, uncoded, custom = read_petrarch(path)

    assert compound.id == "DEMO-01" and compound.origin == "petrarch"
    assert compound.text == "Arnor is about to restore full diplomatic ties with Gondor and Osgiliath."
    assert compound.date == dt.date(1995, 1, 1)
    assert compound.tags == ["petrarch:COMPOUND"]
    assert [(e.source, e.target, e.code) for e in compound.events or []] == [
        (["ARN"], ["GON"], "064"),
        (["ARN"], ["OSGGOV"], "064"),
    ]
    assert noevents.events == [] and "no-event" in noevents.tags
    assert noevents.date == dt.date(1995, 1, 2)
    assert error.events == [] and "petrarch-error:dateline" in error.tags
    assert quiet.events == []
    assert uncoded.events is None
    (event,) = custom.events or []
    assert (event.source, event.code) == (['"INJURY TOLL"'], "903")
    assert "non-cameo-code" in custom.tags


@pytest.mark.parametrize(
    ("xml", "message", "line"),
    [
        (
            '<Sentences><Sentence id="X"><EventCoding sourcecode="A" targetcode="B"/><Text>T.</Text></Sentence>'
            "</Sentences>",
            "no eventcode",
            None,
        ),
        ('<Sentences><Sentence id="X"><Text> </Text></Sentence></Sentences>', "has no Text", None),
        (
            '<Sentences><Sentence id="X" date="19951301"><Text>T.</Text></Sentence></Sentences>',
            "not a date",
            None,
        ),
        ("<Sentences>\n<Sentence id='X'>\n<Text>T.</Sentence>\n</Sentences>", "not well-formed", 3),
    ],
)
def test_petrarch_malformed(tmp_path: Path, xml: str, message: str, line: int | None) -> None:
    """Malformed PETRARCH XML is an error naming the file."""
    path = tmp_path / "bad.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(MalformedRecord) as info:
        list(read_petrarch(path))
    assert message in info.value.reason and info.value.line == line


# --- brat (PolNeAR) ----------------------------------------------------------------------------------------------

ARTICLE = (
    "Washington Post backs Hillary Clinton for president\n\n"
    "“Hillary Clinton has the potential to be an excellent president,” the daily wrote.\n"
    "Officials said the vote\nwould be close, and that turnout, aides added, was rising."
)


def brat_line(key: str, kind: str, fragments: list[str], text: str = ARTICLE) -> str:
    """A brat T line for fragments of the article, each found in it."""
    spans = [(text.index(f), text.index(f) + len(f)) for f in fragments]
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{key}\t{kind} {offsets}\t{' '.join(fragments)}"


ANN = "\n".join(
    [
        brat_line("T1", "Source", ["Washington Post"]),
        brat_line("T2", "Cue", ["backs"]),
        brat_line("T3", "Content", ["Hillary Clinton for president"]),
        brat_line("T4", "Attribution", ["backs"]),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        brat_line("T5", "Content", ["“Hillary Clinton has the potential to be an excellent president,”"]),
        brat_line("T6", "Source", ["the daily"]),
        brat_line("T7", "Cue", ["wrote"]),
        brat_line("T8", "Attribution", ["wrote"]),
        "E2\tAttribution:T8 Cue:T7 Source:T6 Content:T5",
        brat_line("T9", "Content", ["the vote\nwould be close, and that turnout", "was rising"]),
        brat_line("T10", "Cue", ["said"]),
        brat_line("T11", "Attribution-no-source", ["said"]),
        "E3\tAttribution-no-source:T11 Content:T9 Cue:T10",
        "#1\tAnnotatorNotes T9\tCheck this one",
        brat_line("T12", "Discard", ["Officials"]),
    ]
)


def test_brat_quotes_slice_the_text(tmp_path: Path) -> None:
    """Brat quotes slice the text."""
    (tmp_path / "wapo_2016-10-12_backs.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "wapo_2016-10-12_backs.ann").write_text(ANN + "\n", encoding="utf-8")
    (item,) = read_brat(tmp_path / "wapo_2016-10-12_backs.ann")
    assert_spans_fit([item])
    assert item.origin == "brat" and item.date == dt.date(2016, 10, 12)
    headline, direct, reported = item.quotes or []

    assert (headline.kind, headline.text, headline.speaker, headline.cue) == (
        "indirect",
        "Hillary Clinton for president",
        "Washington Post",
        "backs",
    )
    assert (headline.speaker_start, headline.speaker_end) == (0, 15)
    assert direct.kind == "direct"
    assert direct.text == "Hillary Clinton has the potential to be an excellent president,"
    assert direct.speaker == "the daily"
    # A discontinuous content runs from its first start to its last end; the item's notes say so.
    assert reported.text == "the vote\nwould be close, and that turnout, aides added, was rising"
    assert reported.kind == "indirect" and reported.speaker is None and reported.cue == "said"
    assert item.notes is not None and item.notes.startswith("1 discontinuous")


def test_brat_polnear_layout_yields_one_item_per_article(tmp_path: Path) -> None:
    """Brat PolNeAR layout yields one item per article."""
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "wapo_backs.txt").write_text(ARTICLE, encoding="utf-8")
    for annotator in ("ef2d", "4e07"):
        (tmp_path / "attributions" / f"wapo_backs_{annotator}.ann").write_text(ANN, encoding="utf-8")
    (item,) = read_brat(tmp_path)
    assert item.id == "wapo_backs_4e07" and item.tags == ["annotator:4e07"]
    assert item.text == ARTICLE and len(item.quotes or []) == 3


def test_brat_span_that_misses_the_text_is_an_error(tmp_path: Path) -> None:
    """Brat span that misses the text is an error."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.ann").write_text(ANN.replace("Source 0 15", "Source 1 16"), encoding="utf-8")
    with pytest.raises(MalformedRecord) as info:
        list(read_brat(tmp_path / "a.ann"))
    assert "not 'Washington Post'" in info.value.reason and info.value.line == 1


def test_brat_without_text_file_is_an_error(tmp_path: Path) -> None:
    """Brat without text file is an error."""
    (tmp_path / "lonely.ann").write_text(ANN, encoding="utf-8")
    with pytest.raises(MalformedRecord, match=r"no \.txt file"):
        list(read_brat(tmp_path / "lonely.ann"))


def test_brat_argument_to_a_missing_span_is_an_error(tmp_path: Path) -> None:
    """Brat argument to a missing span is an error."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.ann").write_text(ANN + "\nE9\tContent:T99 Cue:T2", encoding="utf-8")
    with pytest.raises(MalformedRecord, match="T99"):
        list(read_brat(tmp_path / "a.ann"))


# --- CoNLL-2003 ---------------------------------------------------------------------------------------------------

CONLL_IOB2 = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O
to TO B-VP O
boycott VB I-VP O
British JJ B-NP B-MISC
lamb NN I-NP O
. . O O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER
"""

CONLL_IOB1 = """U.N. NNP I-NP I-ORG
official NN I-NP O
Ekeus NNP I-NP I-PER
heads VBZ I-VP O
for IN I-PP O
Baghdad NNP I-NP I-LOC
Paris NNP I-NP B-LOC
. . O O
"""


def test_conll_iob2(tmp_path: Path) -> None:
    """IOB2 tags give the same entity spans as IOB1."""
    path = tmp_path / "train.txt"
    path.write_text(CONLL_IOB2, encoding="utf-8")
    first, second = read_conll(path)
    assert_spans_fit([first, second])
    assert first.id == "train-1" and first.origin == "conll"
    assert first.text == "EU rejects German call to boycott British lamb ."
    assert [(e.text, e.label, e.start) for e in first.entities or []] == [
        ("EU", "ORG", 0),
        ("German", "MISC", 11),
        ("British", "MISC", 34),
    ]
    assert [(e.text, e.label) for e in second.entities or []] == [("Peter Blackburn", "PER")]
    assert first.events is None


def test_conll_iob1_and_no_final_blank_line(tmp_path: Path) -> None:
    """CoNLL iob1 and no final blank line."""
    path = tmp_path / "iob1.conll"
    path.write_text(CONLL_IOB1.rstrip("\n"), encoding="utf-8")
    (item,) = read_conll(path)
    assert_spans_fit([item])
    assert [(e.text, e.label) for e in item.entities or []] == [
        ("U.N.", "ORG"),
        ("Ekeus", "PER"),
        ("Baghdad", "LOC"),
        ("Paris", "LOC"),
    ]


def test_conll_sentence_without_entities_has_an_empty_list(tmp_path: Path) -> None:
    """CoNLL sentence without entities has an empty list."""
    path = tmp_path / "plain.txt"
    path.write_text("It NN O O\nrained VBD O O\n", encoding="utf-8")
    (item,) = read_conll(path)
    assert item.entities == []


@pytest.mark.parametrize("line", ["EU NNP B-NP B-GPE", "EU", "EU NNP B-NP E-ORG"])
def test_conll_bad_tag_names_the_line(tmp_path: Path, line: str) -> None:
    """CoNLL bad tag names the line."""
    path = tmp_path / "bad.txt"
    path.write_text(f"Peter NNP B-NP B-PER\n\n{line}\n", encoding="utf-8")
    with pytest.raises(MalformedRecord) as info:
        list(read_conll(path))
    assert info.value.line == 3


# --- TimeML -------------------------------------------------------------------------------------------------------

TIMEML = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<DOCID>AFP_ENG_19970401.0006</DOCID>
<DCT>KUALA LUMPUR, <TIMEX3 tid="t0" type="TIME" value="1997-04-01T10:00" functionInDocument="CREATION_TIME">April 1 , 1997</TIMEX3> (AFP)</DCT>
<TITLE>Malaysian  shares
fall</TITLE>
<TEXT>

Shares <EVENT eid="e1" class="OCCURRENCE">dipped</EVENT> by midday <TIMEX3 tid="t1" type="DATE" value="1997-04-01">Tuesday</TIMEX3>, the lowest in <TIMEX3 tid="t2" type="DURATION" value="P3M">three months</TIMEX3>.

AT&amp;T said <TIMEX3 tid="t3" type="DATE" value="PRESENT_REF">now</TIMEX3> was the time, as <TIMEX3 tid="t4" type="DATE" value="1997-W13">last week</TIMEX3> showed.
</TEXT>
</TimeML>
"""


def test_timeml_dates(tmp_path: Path) -> None:
    """TIMEX3 dates become date records with their values; the DCT is the item date."""
    path = tmp_path / "doc.tml"
    path.write_text(TIMEML, encoding="utf-8")
    (item,) = read_timeml(path)
    assert_spans_fit([item])
    assert item.id == "AFP_ENG_19970401.0006" and item.origin == "timeml"
    assert item.date == dt.date(1997, 4, 1) and item.title == "Malaysian shares fall"
    assert item.text is not None and item.text.startswith("Shares dipped by midday Tuesday")
    assert "AT&T said now" in item.text and item.text.endswith("showed.")
    assert [(d.text, d.value) for d in item.dates or []] == [
        ("Tuesday", "1997-04-01"),
        ("now", None),
        ("last week", "1997-W13"),
    ]


def test_timeml_directory(tmp_path: Path) -> None:
    """A directory of .tml files gives one item per file."""
    for name in ("b", "a"):
        (tmp_path / f"{name}.tml").write_text(TIMEML.replace("AFP_ENG_19970401.0006", name), encoding="utf-8")
    assert [item.id for item in read_timeml(tmp_path)] == ["a", "b"]


def test_timeml_without_text_is_an_error(tmp_path: Path) -> None:
    """TimeML without text is an error."""
    path = tmp_path / "empty.tml"
    path.write_text("<TimeML><DOCID>x</DOCID></TimeML>", encoding="utf-8")
    with pytest.raises(MalformedRecord, match="no TEXT"):
        list(read_timeml(path))


# --- geoparsing ---------------------------------------------------------------------------------------------------

LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="40450848">
    <title>Alexandria woman charged</title>
    <dltime>2009-03-20 12:24:52.002364-05</dltime>
    <text><![CDATA[Alexandria woman charged. Both the Sheriff & Rapides Parish investigated.]]></text>
    <toponyms>
      <toponym>
        <start>0</start><end>10</end><phrase>Alexandria</phrase>
        <gaztag geonameid="4314550"><name>Alexandria</name><lat>31.3113</lat><lon>-92.4451</lon></gaztag>
      </toponym>
      <toponym><start>45</start><end>59</end><phrase>Rapides Parish</phrase></toponym>
    </toponyms>
  </article>
</articles>
"""

GEOVIRUS = """<articles>
    <article>
        <source>https://en.wikinews.org/wiki/Example</source>
        <text>Hogs were culled at a farm in Pandi, Bulacan &amp; nearby.</text>
        <locations>
            <location><name>Pandi</name><start>31</start><end>36</end><lat>14.87</lat><lon>120.95</lon></location>
            <location><name>Bulacan</name><start>38</start><end>45</end><lat>15</lat><lon>121.08</lon></location>
            <location><name>Luzon</name><start>10</start><end>15</end><lat>15</lat><lon>121</lon></location>
        </locations>
    </article>
</articles>
"""


def test_geoparsing_lgl(tmp_path: Path) -> None:
    """LGL toponyms become places with coordinates and GeoNames ids, offsets slicing the text."""
    path = tmp_path / "lgl.xml"
    path.write_text(LGL, encoding="utf-8")
    (item,) = read_geoparsing(path)
    assert_spans_fit([item])
    assert (item.id, item.date, item.title, item.origin) == (
        "40450848",
        dt.date(2009, 3, 20),
        "Alexandria woman charged",
        "geoparsing",
    )
    alexandria, parish = item.places or []
    assert (alexandria.text, alexandria.lat, alexandria.lon, alexandria.geonameid) == (
        "Alexandria",
        31.3113,
        -92.4451,
        4314550,
    )
    assert (parish.text, parish.lat, parish.geonameid) == ("Rapides Parish", None, None)
    assert item.notes is None


def test_geoparsing_offsets_that_miss_are_realigned_or_left_out(tmp_path: Path) -> None:
    """Geoparsing offsets that miss are realigned or left out."""
    path = tmp_path / "GeoVirus.xml"
    path.write_text(GEOVIRUS, encoding="utf-8")
    (item,) = read_geoparsing(path)
    assert_spans_fit([item])
    assert item.id == "GeoVirus-1"
    # The offsets are one character late; "Luzon" is nowhere near its offsets (nowhere at all).
    assert [(p.text, p.start, p.lat) for p in item.places or []] == [
        ("Pandi", 30, 14.87),
        ("Bulacan", 37, 15.0),
    ]
    assert (
        item.notes is not None and item.notes.startswith("2 toponym(s) moved") and "1 left out" in item.notes
    )


def test_geoparsing_toponym_without_offsets_is_an_error(tmp_path: Path) -> None:
    """Geoparsing toponym without offsets is an error."""
    path = tmp_path / "bad.xml"
    path.write_text(GEOVIRUS.replace("<start>31</start>", "<start>x</start>"), encoding="utf-8")
    with pytest.raises(MalformedRecord, match="no integer <start>"):
        list(read_geoparsing(path))


# --- registry and detection ---------------------------------------------------------------------------------------


def write_samples(root: Path) -> dict[str, Path]:
    """One sample file (or folder) per format."""
    samples = {
        "plover": root / "events.jsonl",
        "petrarch": root / "records.xml",
        "conll": root / "ner.txt",
        "timeml": root / "doc.tml",
        "geoparsing": root / "lgl.xml",
        "brat": root / "brat",
    }
    samples["plover"].write_text(json.dumps(PLOVER_RECORDS[0]) + "\n", encoding="utf-8")
    samples["petrarch"].write_text(PETRARCH_XML, encoding="utf-8")
    samples["conll"].write_text(CONLL_IOB2, encoding="utf-8")
    samples["timeml"].write_text(TIMEML, encoding="utf-8")
    samples["geoparsing"].write_text(LGL, encoding="utf-8")
    samples["brat"].mkdir()
    (samples["brat"] / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (samples["brat"] / "a.ann").write_text(ANN, encoding="utf-8")
    return samples


def test_detect_format_and_import_every_sample(tmp_path: Path) -> None:
    """Detect format and import every sample."""
    samples = write_samples(tmp_path)
    assert set(samples) == set(IMPORTERS)
    for name, path in samples.items():
        assert detect_format(path) == name
        items = list(import_gold(path))
        assert items and all(item.origin == name for item in items)
        assert_spans_fit(items)
    # TimeML saved as .xml is told apart by its root element.
    as_xml = tmp_path / "timeml.xml"
    as_xml.write_text(TIMEML, encoding="utf-8")
    assert detect_format(as_xml) == "timeml"


@pytest.mark.parametrize(
    ("name", "content"),
    [("notes.txt", "Just some prose, not a gold file.\n"), ("other.xml", "<html><body/></html>")],
)
def test_detect_format_refuses_what_it_cannot_tell(tmp_path: Path, name: str, content: str) -> None:
    """Detect format refuses what it cannot tell."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError):
        detect_format(path)


def test_eventwire_gold_is_told_apart_from_plover(tmp_path: Path) -> None:
    """Eventwire gold is told apart from PLOVER."""
    path = tmp_path / "gold.jsonl"
    item = GoldItem("g1", "Russia and Ukraine held talks.", entities=[])
    write_gold([item], path)
    assert detect_format(path) == "eventwire"
    assert list(import_gold(path)) == [item]
    array = tmp_path / "plover.json"
    array.write_text(json.dumps(PLOVER_RECORDS), encoding="utf-8")
    assert detect_format(array) == "plover"
    broken = tmp_path / "broken.jsonl"
    broken.write_text("// a comment\n{not json\n", encoding="utf-8")
    assert detect_format(broken) == "eventwire"
    with pytest.raises(MalformedRecord) as info:
        list(import_gold(broken))
    assert info.value.line == 2


def test_import_gold_with_an_unknown_format_name(tmp_path: Path) -> None:
    """Import gold with an unknown format name."""
    with pytest.raises(UsageError, match="unknown gold format"):
        import_gold(tmp_path / "x.json", fmt="acled")
