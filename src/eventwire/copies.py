"""Near-duplicate articles (syndicated wire copy, updated versions, one story at several addresses) and outlets.

Exact copies already share an article id (a hash of the normalised body). Near copies are found with MinHash over
word 5-shingles and locality-sensitive hashing: the signature is cut into bands, articles sharing a band are
candidates, and candidates whose estimated Jaccard similarity reaches the threshold are copies. Bands are plain
integers so that the store can keep them in a table and find candidates with a join, incrementally.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash

from .model import Article, Source

NUM_PERM = 128
SEED = 1
SHINGLE_WORDS = 5
# Updated versions of a wire story (a paragraph added, figures revised) score 0.5 to 0.9 on word 5-shingles in
# newswire (AFP and Xinhua of 2005-06); unrelated stories on one topic stay below 0.4. Templated reports (a daily
# market close) can score as high on different days: copies must also be published within MAX_DAYS.
THRESHOLD = 0.5
MAX_DAYS = 2
# 42 bands of 3 rows: a pair at the threshold shares a band with probability 1 - (1 - 0.5**3)**42 > 0.99; the
# candidates are then checked on the whole signature.
ROWS = 3
BANDS = NUM_PERM // ROWS
_WORD = re.compile(r"\w+")
# Metadata fields that name the publisher, most specific first.
_OUTLET_KEYS = ("outlet", "publisher", "sitename", "source", "hostname")


def shingles(text: str) -> set[bytes]:
    """The text's word 5-grams, lower-cased (a text shorter than that is one shingle)."""
    words = _WORD.findall(text.lower())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


# MurmurHash3's 32-bit finalizer, which datasketch's "affine32" scheme applies to each hash before permuting it.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def signature(text: str) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """The MinHash signature of a text's shingles (NUM_PERM values, fixed seed: the same text, the same values).

    The values are those of datasketch's `MinHash(NUM_PERM, seed=SEED).update_batch(shingles)`, computed in one
    pass: a MinHash built per text would draw its permutations again and hash each shingle through a Python call.
    """
    sha1 = hashlib.sha1
    # datasketch's sha1_hash32: the first four bytes of the SHA-1 digest, little-endian.
    digests = b"".join([sha1(s).digest()[:4] for s in shingles(text)])
    hashed = np.frombuffer(digests, dtype="<u4").astype(np.uint32).reshape(-1, 1)
    s1, m1, s2, m2, s3 = _FMIX32
    hashed = hashed ^ (hashed >> s1)
    hashed = hashed * m1
    hashed = hashed ^ (hashed >> s2)
    hashed = hashed * m2
    hashed = hashed ^ (hashed >> s3)
    a, b = _permutations()
    # uint32 arithmetic wraps: the permutation h -> a * h + b mod 2**32, as datasketch computes it.
    values: np.ndarray[Any, np.dtype[np.uint64]] = (hashed * a + b).min(axis=0).astype(np.uint64)
    return values


@functools.cache
def _permutations() -> tuple[np.ndarray[Any, np.dtype[np.uint32]], np.ndarray[Any, np.dtype[np.uint32]]]:
    """The permutation parameters (a, b) of datasketch's MinHash with NUM_PERM and SEED, drawn once."""
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def bands(values: np.ndarray[Any, np.dtype[np.uint64]]) -> list[int]:
    """The signature's band hashes, as signed 64-bit integers (a DuckDB BIGINT)."""
    out = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "big")).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return out


def similarity(a: np.ndarray[Any, np.dtype[np.uint64]], b: np.ndarray[Any, np.dtype[np.uint64]]) -> float:
    """The estimated Jaccard similarity of two signatures: the share of equal values."""
    return float(np.count_nonzero(a == b)) / len(a)


def body(article: Article) -> str:
    """The text compared for copies: the body without the title (an update often changes the headline)."""
    return article.text[article.body_start :]


def outlet(source: Source, metadata: Mapping[str, Any]) -> str | None:
    """Who published an article: an outlet named in its metadata, else its web address's host; None if unknown."""
    for key in _OUTLET_KEYS:
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip().lower().removeprefix("www.")
    if source.url:
        host = urlsplit(source.url).hostname
        if host:
            return host.lower().removeprefix("www.")
    return None
