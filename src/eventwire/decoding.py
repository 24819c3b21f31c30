"""From bytes to text: refuse binary data, decode UTF-8, detect other encodings with a warning."""

from __future__ import annotations

import codecs
import logging

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
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
SNIFF_BYTES = 8192
# Accented letters make up a few percent of the letters of French, German or Spanish prose, never a third.
MAX_WESTERN_ACCENTED = 0.3


def binary_kind(head: bytes) -> str | None:
    """What kind of binary data `head` (the first bytes of a file) starts, or None for text."""
    if any(head.startswith(bom) for bom, _ in _BOMS):
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
    for bom, encoding in _BOMS:
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
    western = _decode_western(data)
    if western is not None:
        return western, "not valid UTF-8; decoded as cp1252 (Windows Latin-1, detected)"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UndecodableInput("not UTF-8, and no other text encoding could be detected")
    return str(best), f"not valid UTF-8; decoded as {best.encoding} (detected)"


def _decode_western(data: bytes) -> str | None:
    """The text as Windows Latin-1 when that reads as Western-European prose, else None.

    Statistical detectors misjudge short Western texts (a Latin-1 "Zürich" comes out as Baltic cp775), while
    Latin-1 and its Windows superset are by far the most common legacy encodings of English-language news. Text
    in another script decoded this way is almost all accented letters, so the share of non-ASCII letters tells
    the two apart; anything else is left to the detector.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    foreign = sum(1 for ch in letters if ord(ch) > 127)
    if not letters or foreign / len(letters) > MAX_WESTERN_ACCENTED:
        return None
    return text
