"""Tests for `eventwire.decoding`: binary detection, UTF-8, byte-order marks, legacy encodings, damaged input."""

from __future__ import annotations

import codecs

import pytest

from eventwire.decoding import SNIFF_BYTES, binary_kind, decode
from eventwire.errors import BinaryInput, ReadError, UndecodableInput

# A news paragraph whose every non-ASCII letter exists in Latin-1, so it can be encoded in it.
LATIN1_PARAGRAPH = (
    "PARIS - Le président Emmanuel Macron a reçu jeudi à l'Élysée le Premier ministre François Bayrou "
    "et la ministre Agnès Pannier-Runacher pour évoquer la réforme des retraites. Selon Hélène Déchaux, "
    "porte-parole du gouvernement, les négociations « se poursuivront » la semaine prochaine à Besançon, "
    "où les syndicats de la Fédération générale des travailleurs se réuniront dès lundi.\n"
)
ACCENTED_NAMES = ("Élysée", "François Bayrou", "Agnès Pannier-Runacher", "Hélène Déchaux", "Besançon")
# The detectors may name the Western European encoding in any of these ways; all decode the paragraph alike.
WESTERN_ENCODINGS = ("cp1252", "latin_1", "latin-1", "iso8859_1", "iso-8859-1", "iso8859_15", "windows-1252")

UTF8_TEXT = (
    "Президент Владимир Путин провёл переговоры с премьер-министром Израиля. "
    "Recep Tayyip Erdoğan met Mahmoud Abbas in Ankara; مسؤولون فلسطينيون قالوا إن المحادثات كانت إيجابية.\n"
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
ZIP = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml"


@pytest.mark.parametrize(
    ("data", "expected"),
    [(PNG, "PNG"), (PDF, "PDF"), (ZIP, "ZIP")],
    ids=["png", "pdf", "zip"],
)
def test_binary_kind_recognises_file_signatures(data: bytes, expected: str) -> None:
    """PNG, PDF and ZIP data are recognised by their signatures and named."""
    kind = binary_kind(data)
    assert kind is not None
    assert expected in kind


def test_binary_kind_detects_nul_bytes() -> None:
    """Data with NUL bytes and no known signature is binary."""
    data = b"Mediators met in Cairo" + b"\x00\x00\x01\x00" + b"on Tuesday"
    kind = binary_kind(data)
    assert kind is not None
    assert "NUL" in kind


def test_binary_kind_detects_control_characters() -> None:
    """Data with many control characters (and no NUL) is binary."""
    data = bytes([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]) * 20 + b"some text" * 10
    kind = binary_kind(data)
    assert kind is not None
    assert "control" in kind


def test_binary_kind_accepts_text_with_ordinary_controls() -> None:
    """Tabs, newlines, form feeds and a rare stray control character do not make text binary."""
    data = ("Minister\tstatement\r\n\fPage 2\n" + "The talks went on until late. " * 40).encode() + b"\x07"
    assert binary_kind(data) is None
    assert binary_kind(UTF8_TEXT.encode("utf-8")) is None
    assert binary_kind(b"") is None


def test_binary_kind_only_looks_at_the_head() -> None:
    """NUL bytes beyond the sniffed head do not count."""
    data = b"a" * SNIFF_BYTES + b"\x00" * 100
    assert binary_kind(data) is None


@pytest.mark.parametrize(
    "data", [PNG, PDF, ZIP, b"text\x00\x00\x00 with NULs"], ids=["png", "pdf", "zip", "nul"]
)
def test_decode_refuses_binary(data: bytes) -> None:
    """Decoding binary data raises BinaryInput with its stable code."""
    with pytest.raises(BinaryInput) as info:
        decode(data)
    assert info.value.code == "EW102"
    assert isinstance(info.value, ReadError)
    assert "not text" in info.value.reason


def test_decode_utf8_fast_path() -> None:
    """Clean UTF-8 in many scripts decodes exactly, without a warning."""
    text, warning = decode(UTF8_TEXT.encode("utf-8"))
    assert text == UTF8_TEXT
    assert warning is None


def test_decode_ascii_and_empty() -> None:
    """Plain ASCII and empty input decode without a warning."""
    assert decode(b"Talks resumed on Tuesday.") == ("Talks resumed on Tuesday.", None)
    assert decode(b"") == ("", None)


def test_decode_strips_utf8_bom() -> None:
    """A UTF-8 byte-order mark is removed and gives no warning."""
    text, warning = decode(codecs.BOM_UTF8 + UTF8_TEXT.encode("utf-8"))
    assert text == UTF8_TEXT
    assert not text.startswith("\ufeff")
    assert warning is None


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
    ids=["utf-16-le", "utf-16-be"],
)
def test_decode_utf16_with_bom(bom: bytes, codec: str) -> None:
    """UTF-16 with a byte-order mark is text (despite its NUL bytes) and decodes exactly."""
    data = bom + UTF8_TEXT.encode(codec)
    assert b"\x00" in data
    assert binary_kind(data) is None
    text, warning = decode(data)
    assert text == UTF8_TEXT
    assert warning is None


def test_decode_utf32_with_bom() -> None:
    """UTF-32 with a byte-order mark is not mistaken for UTF-16 and decodes exactly."""
    data = codecs.BOM_UTF32_LE + UTF8_TEXT.encode("utf-32-le")
    text, warning = decode(data)
    assert text == UTF8_TEXT
    assert warning is None


def test_decode_latin1_news_paragraph() -> None:
    """A Latin-1 news paragraph decodes to the right accented names, with a warning naming the encoding."""
    data = LATIN1_PARAGRAPH.encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, warning = decode(data)
    assert text == LATIN1_PARAGRAPH
    for name in ACCENTED_NAMES:
        assert name in text
    assert "\ufffd" not in text
    assert warning is not None
    assert "not valid UTF-8" in warning
    assert any(name in warning.lower() for name in WESTERN_ENCODINGS), warning


def test_decode_short_latin1_sentence() -> None:
    """A short Latin-1 sentence, which statistical detectors misjudge, decodes to the right letters."""
    text = "BERLIN - Bundeskanzler Olaf Scholz traf in Zürich den Schweizer Außenminister Ignazio Cassis."
    decoded, warning = decode(text.encode("latin-1"))
    assert decoded == text
    assert warning is not None


def test_decode_damaged_utf8_keeps_accented_letters() -> None:
    """Mostly valid UTF-8 with one stray byte stays UTF-8: one U+FFFD, a warning, correct accents kept."""
    good = LATIN1_PARAGRAPH.encode("utf-8")
    position = good.index(b"Premier")
    data = good[:position] + b"\xff" + good[position:]
    text, warning = decode(data)
    assert text.count("\ufffd") == 1
    assert text.replace("\ufffd", "") == LATIN1_PARAGRAPH
    for name in ACCENTED_NAMES:
        assert name in text
    assert "Ã" not in text  # not re-read as Latin-1 (mojibake)
    assert warning is not None
    assert "invalid UTF-8" in warning
    assert f"byte {position}" in warning
    assert "U+FFFD" in warning


def test_decode_truncated_multibyte_sequence() -> None:
    """A multibyte letter cut short in otherwise valid UTF-8 becomes one U+FFFD, the other letters intact."""
    good = "Erdoğan and Mitsotakis met in Ankara; Çavuşoğlu, Dendias and Şahin attended.".encode()
    cut = good.index("Ç".encode())
    data = good[:cut] + b"\xc3" + good[cut + 2 :]
    text, warning = decode(data)
    assert text == "Erdoğan and Mitsotakis met in Ankara; \ufffdavuşoğlu, Dendias and Şahin attended."
    assert warning is not None


def test_decode_undecodable_bytes() -> None:
    """High bytes that fit no text encoding raise UndecodableInput."""
    data = bytes(range(0x80, 0x100)) * 8
    assert binary_kind(data) is None
    with pytest.raises(UndecodableInput) as info:
        decode(data)
    assert info.value.code == "EW103"


def test_decode_bom_that_lies() -> None:
    """A UTF-8 byte-order mark followed by bytes that are not UTF-8 raises UndecodableInput naming it."""
    data = codecs.BOM_UTF8 + b"Talks \xff\xfe\xfa resumed" * 5
    with pytest.raises(UndecodableInput) as info:
        decode(data)
    assert "utf-8" in info.value.reason
    assert info.value.code == "EW103"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (
            "WARSZAWA - Premier Donald Tusk spotkał się w czwartek w Łodzi z prezydentem Andrzejem Dudą. "
            "Według rzecznika rządu, rozmowy dotyczyły bezpieczeństwa na granicy z Białorusią oraz pomocy dla "
            "Ukrainy. Minister spraw zagranicznych Radosław Sikorski zapowiedział wzrost wydatków na obronność.\n",
            "cp1250",
        ),
        pytest.param(
            "PRAHA - Premiér Petr Fiala se ve čtvrtek setkal s prezidentem Petrem Pavlem na Pražském hradě. "
            "Podle mluvčího vlády se jednání týkala bezpečnosti a pomoci Ukrajině.\n",
            "cp1250",
            marks=pytest.mark.xfail(
                reason="known limitation: this Czech text reads without a single odd character in cp1252 too, "
                "and ties go to cp1252, the legacy encoding of most English-language news",
                strict=True,
            ),
        ),
        (
            "MOSCOW - President Vladimir Putin (Владимир Путин) met Chinese leader Xi Jinping in the Kremlin "
            "on Tuesday, officials said.\n",
            "cp1251",
        ),
    ],
    ids=["polish-cp1250", "czech-cp1250", "english-with-russian-name-cp1251"],
)
def test_decode_other_legacy_encodings(text: str, encoding: str) -> None:
    """News text in another legacy encoding (Windows-1250, Windows-1251) decodes to the right letters."""
    text_out, warning = decode(text.encode(encoding))
    assert warning is not None
    assert text_out == text


def test_currency_and_fractions_do_not_count_as_mojibake() -> None:
    """Western text with £ and ½ beside digits is still read as Windows Latin-1."""
    text = "The price of bread rose to £5 in Zürich and Genève, a 3½% rise, officials said on Monday."
    decoded, warning = decode(text.encode("cp1252"))
    assert decoded == text
    assert warning is not None and "cp1252" in warning
