"""From bytes to text: refuse binary data, decode UTF-8, detect other encodings with a warning."""

from __future__ import annotations

import codecs
import logging
import unicodedata
from typing import Any

from .errors import BinaryInput, UndecodableInput

LOGGER = logging.getLogger(__name__)

# Signatures of the binary files most often found next to articles in scraped folders.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file (read it with the Spark or Parquet input instead)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
SNIFF_BYTES = 8192
# Legacy encodings of news text, most common first: Western, Central European, Cyrillic, Greek, Turkish, Hebrew,
# Arabic, Baltic, then East Asian.
COMMON_ENCODINGS_ORDER = (
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "iso8859_5",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "iso8859_9",
    "cp1255",
    "iso8859_8",
    "cp1256",
    "iso8859_6",
    "cp1257",
    "iso8859_13",
    "gb18030",
    "gb2312",
    "gbk",
    "big5",
    "shift_jis",
    "cp932",
    "euc_jp",
    "iso2022_jp",
    "euc_kr",
    "cp949",
    "utf_16",
    "utf_32",
)
COMMON_ENCODINGS = frozenset(COMMON_ENCODINGS_ORDER)
# Mess ratios this close are a tie: the detector cannot tell the encodings apart on this text.
CHAOS_TIE = 0.01
RARE = len(COMMON_ENCODINGS_ORDER)
_SYMBOL_CATEGORIES = frozenset({"So", "Sc", "Sm", "Sk", "No", "Co", "Cn"})


def binary_kind(head: bytes) -> str | None:
    """What kind of binary data `head` (the first bytes of a file) starts, or None for text."""
    if any(head.startswith(bom) for bom, _ in BOMS):
        return None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    sample = head[:SNIFF_BYTES]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    if sample and controls / len(sample) > 0.05:
        return "binary data (control characters)"
    return None


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes decoded to text, with a warning when they were not clean UTF-8.

    Raises BinaryInput for binary data and UndecodableInput when no encoding fits.
    """
    kind = binary_kind(data[:SNIFF_BYTES])
    if kind is not None:
        raise BinaryInput(f"{kind}, not text")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                raise UndecodableInput(
                    f"starts with a {encoding} byte-order mark but is not {encoding}"
                ) from exc
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return _decode_damaged(data, exc)


def _decode_damaged(data: bytes, exc: UnicodeDecodeError) -> tuple[str, str]:
    """Text from bytes that are not valid UTF-8: damaged UTF-8, or another encoding."""
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good_multibyte = sum(1 for ch in replaced if ord(ch) > 127 and ch != "\ufffd")
    # Text that is mostly valid UTF-8 with a few broken bytes is damaged UTF-8: re-reading it in a legacy
    # encoding would garble every correct accented letter to save a handful of broken ones.
    if good_multibyte >= bad:
        return replaced, (
            f"invalid UTF-8 at byte {exc.start}: {bad} undecodable byte sequence(s) replaced with U+FFFD"
        )
    from charset_normalizer import from_bytes

    best = _likeliest(list(from_bytes(data)))
    if best is None:
        raise UndecodableInput("not UTF-8, and no other text encoding could be detected")
    encodings: list[str] = best.could_be_from_charset
    return str(best), f"not valid UTF-8; decoded as {_name(encodings)} (detected)"


def _likeliest(matches: list[Any]) -> Any | None:
    """The detector's best match, with its near-ties settled by what a reader would notice.

    On short texts several encodings decode with no odd character the detector sees (a Latin-1 "Zürich" reads as
    well in Baltic cp775) and its own tie-break is close to random. Among near-ties, eventwire prefers the decoding
    with fewest symbols glued to letters ("spotka³ siê" is Polish read as cp1252), then an encoding common in news,
    then the better language fit, then the commoner encoding: English news is mostly Windows Latin-1.
    """
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= least + CHAOS_TIE]

    def key(match: Any) -> tuple[int, bool, float, int]:
        """How a candidate ranks: glued symbols, rarity, language fit, then commonness."""
        rank = _rank(match.could_be_from_charset)
        return (_glued_symbols(str(match)), rank == RARE, -round(match.coherence, 2), rank)

    return min(tied, key=key)


def _glued_symbols(text: str) -> int:
    """How many symbols (³, ¹, £, ¤…) touch a letter: the mark of text read in the wrong code page."""
    count = 0
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in _SYMBOL_CATEGORIES:
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            count += before.isalpha() or after.isalpha()
    return count


def _rank(encodings: list[str]) -> int:
    """Position of the most common of these equivalent encodings in news text (rare ones last)."""
    return min((COMMON_ENCODINGS_ORDER.index(e) for e in encodings if e in COMMON_ENCODINGS), default=RARE)


def _name(encodings: list[str]) -> str:
    """The most familiar name among equivalent encodings (cp1252 rather than cp1250 for the same text)."""
    familiar = [e for e in COMMON_ENCODINGS_ORDER if e in encodings]
    return familiar[0] if familiar else encodings[0]
