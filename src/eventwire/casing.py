"""Case restored for parsing texts written all in lower or all in upper case.

Some sources are lower-cased throughout (the Times of India archive as distributed) or written in capitals (older
wire services, teleprinter archives). spaCy's tagger, parser and entity recogniser lean on capitals: in
"activists of vishwa hindu parishad (vhp) were arrested" it reads "parishad" as a verb and finds no organisation.
Such a text is parsed in a restored case instead: sentence starts, "I", weekdays and months, and the names eventwire
knows (actors and their aliases, countries, demonyms, seats of government, cities and regions of the gazetteer)
get their capitals. Only the case of letters changes, never their number, so every offset into the restored text
is an offset into the original, and records keep the original's text.

A single-word name that is also a common English word ("mobile", "reading", "bush") is left in lower case: the
common word is the likelier reading, and a missed capital costs less than a false one. Countries, demonyms and
seats of government are restored even so ("china", "jordan", "turkey" in political news are the countries).
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import dates, gazetteer
from . import dictionaries as dicts

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# The key of a parsed document's user data that says its text was parsed with restored capitals.
RESTORED = "eventwire_case_restored"
# A text is flat when at most this share of its letters are capitals, or at least 1 minus it.
FLAT_SHARE = 0.01
MIN_LETTERS = 40
MAX_NAME_WORDS = 6
# Words a name keeps in lower case after its first word ("Democratic Republic of the Congo").
NAME_PARTICLES = frozenset(
    {"of", "the", "and", "for", "on", "de", "du", "des", "la", "le", "del", "da", "di", "y"}
)
# Months and abbreviations that are also words: capitalised only next to a number ("may 12", "25 march").
MONTH_WORDS = frozenset({"march", "may", "mar", "jun", "jul", "sep"})
MONTHS = frozenset(dates.MONTHS) - MONTH_WORDS
WEEKDAYS = frozenset(dates.WEEKDAYS)

_WORD = re.compile(r"\w+(?:[-'’.]\w+)*\.?")
_DOTTED = re.compile(r"^(?:[a-z]\.)+[a-z]\.?$")
_SENTENCE_END = re.compile(r"(?:^|[.!?][\"'”’)\]]*\s+|\n\s*)(?=\W*\w)")


def flat(text: str) -> str | None:
    """ "lower" or "upper" when a text is written in one case throughout (a stray capital or two allowed)."""
    # Counted over ASCII letters with str.count, which runs in C: every article passes through here.
    capitals = sum(map(text.count, string.ascii_uppercase))
    small = sum(map(text.count, string.ascii_lowercase))
    letters = capitals + small
    if letters < MIN_LETTERS:
        return None
    if capitals <= FLAT_SHARE * letters:
        return "lower"
    if small <= FLAT_SHARE * letters:
        return "upper"
    return None


class Truecaser:
    """Restores the capitals of a flat text from known names, sentence starts and calendar words."""

    def __init__(
        self,
        names: Iterable[str],
        always: Iterable[str],
        acronyms: Iterable[str],
        common: frozenset[str],
        stop: frozenset[str],
    ) -> None:
        """Names and `always` names are normalised keys (`dictionaries.normalise`); a single-word name that is a
        `common` word is left alone unless it is in `always`; `acronyms` are written in capitals unless they are
        `stop` words ("us", "it", "air")."""
        self._common = common
        self._acronyms = frozenset(a.lower() for a in acronyms) - stop
        self._always = frozenset(_key(a) for a in always)
        self._phrases: dict[str, set[tuple[str, ...]]] = {}
        for name in [*names, *always]:
            words = tuple(_key(w.group()) for w in _WORD.finditer(name))
            if words and len(words) <= MAX_NAME_WORDS:
                self._phrases.setdefault(words[0], set()).add(words)
        self._longest = {first: max(len(p) for p in found) for first, found in self._phrases.items()}

    def restore(self, text: str) -> str:
        """The text with its capitals restored; the same length, the same letters."""
        chars = list(text.lower())
        words = [(m.start(), m.end(), _key(m.group())) for m in _WORD.finditer(text.lower())]
        i = 0
        while i < len(words):
            taken = self._name_at(words, i)
            for start, end, key in words[i : i + taken]:
                if _DOTTED.match(_text(chars, start, end)):
                    _capitals(chars, start, end)  # "u.s." is "U.S."
                elif start == words[i][0] or key not in NAME_PARTICLES:
                    _capital(chars, start)
            if not taken:
                self._word(chars, words, i)
            i += max(taken, 1)
        for match in _SENTENCE_END.finditer(text):
            first = next((k for k in range(match.end(), len(chars)) if chars[k].isalnum()), None)
            if first is not None:
                _capital(chars, first)
        return "".join(chars)

    def _name_at(self, words: list[tuple[int, int, str]], i: int) -> int:
        """The number of words of the longest known name starting at word i (0 when none does)."""
        first = words[i][2]
        for size in range(min(self._longest.get(first, 0), len(words) - i), 0, -1):
            phrase = tuple(w[2] for w in words[i : i + size])
            if phrase not in self._phrases[first]:
                continue
            if size == 1 and first in self._common and first not in self._always:
                return 0
            return size
        return 0

    def _word(self, chars: list[str], words: list[tuple[int, int, str]], i: int) -> None:
        """Capitals for a word that starts no known name: acronyms, "I", weekdays and months."""
        start, end, key = words[i]
        if key in self._acronyms or _DOTTED.match(_text(chars, start, end)):
            _capitals(chars, start, end)
        elif key == "i" or key in WEEKDAYS or key in MONTHS or (key in MONTH_WORDS and _by_number(words, i)):
            _capital(chars, start)


def _text(chars: list[str], start: int, end: int) -> str:
    """The text of a word, in the case it has so far."""
    return "".join(chars[start:end])


def _by_number(words: list[tuple[int, int, str]], i: int) -> bool:
    """Whether the word before or after word i is a number ("may 12", "25 march")."""
    return any(0 <= j < len(words) and words[j][2].rstrip(".").isdigit() for j in (i - 1, i + 1))


def _capitals(chars: list[str], start: int, end: int) -> None:
    """Capitalise a whole word in place."""
    for k in range(start, end):
        _capital(chars, k)


def _capital(chars: list[str], k: int) -> None:
    """Capitalise one character in place, when its capital is one character too."""
    upper = chars[k].upper()
    if len(upper) == 1:
        chars[k] = upper


def _key(word: str) -> str:
    """A word as names are compared: lower case, no accents, no final full stop."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip(".")


@functools.lru_cache(maxsize=4)
def truecaser(nlp: Language) -> Truecaser:
    """The truecaser of the shipped dictionaries and gazetteer, with the common words of a spaCy pipeline: its
    stop words and the words of its lemmatizer's index."""
    common = common_words(nlp)
    # An acronym may be a noun of the index too (WordNet lists "nato", "farc"), not a verb or an adjective ("air").
    words = common_words(nlp, nouns=False)
    d = dicts.shipped()
    acronyms = [k[1:] for k in d.names if k.startswith("=")]
    names = (
        [k for k in d.names if not k.startswith("=")] + list(gazetteer.cities()) + list(gazetteer.regions())
    )
    # Regions too: WordNet lists "gujarat" and "punjab" as nouns, but in news they are the provinces.
    always = [k for k in [*d.country_names, *d.demonyms, *d.seats] if not k.startswith("=")]
    always += [k for k in gazetteer.regions() if k not in words]
    acronyms += [k[1:] for k in [*d.country_names, *d.seats] if k.startswith("=")]
    return Truecaser(names, always, acronyms, common, words)


def common_words(nlp: Language, nouns: bool = True) -> frozenset[str]:
    """The language's common words: a pipeline's stop words and the words its lemmatizer knows, nouns (which in
    English include many places: "china", "peking") when asked."""
    stop = frozenset(nlp.Defaults.stop_words) | dicts.COMMON_WORDS
    return stop | _lemma_index(nlp, ("noun", "verb", "adj", "adv") if nouns else ("verb", "adj", "adv"))


def _lemma_index(nlp: Language, parts: tuple[str, ...]) -> frozenset[str]:
    """The words of these parts of speech a rule lemmatizer knows (English: WordNet's), with their irregular
    forms; none without such a lemmatizer."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    words: set[str] = set()
    for name in ("lemma_index", "lemma_exc"):
        # The index holds base forms, the exceptions irregular inflections ("met", "led", "fled").
        if lookups.has_table(name):
            table = lookups.get_table(name)
            words.update(w for pos in parts if pos in table for w in table[pos])
    return frozenset(words)


def for_parsing(text: str, nlp: Language) -> str:
    """The text to parse with this pipeline: a flat text with its capitals restored, any other text as it is."""
    return truecaser(nlp).restore(text) if flat(text) else text


def mark(doc: Doc, original: str) -> Doc:
    """Record on a parsed document whether it was parsed from a flat original with its capitals restored."""
    doc.user_data[RESTORED] = doc.text != original
    return doc


def restored(doc: Doc) -> bool:
    """Whether a document was parsed with capitals restored: its names were not written so."""
    return bool(doc.user_data.get(RESTORED, False))
