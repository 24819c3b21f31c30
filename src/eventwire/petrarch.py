"""PETRARCH dictionaries turned into eventwire dictionaries, so users keep the actor lists they maintain.

An actor dictionary has an entry name (`BENJAMIN_NETANYAHU_`), `+ALIAS` lines, and codes in brackets, either on the
entry line (`GONDOR [GON]`) or on indented lines with dates (`[HOBGOV 19950601 - 19990815]`, `[HOB < 950601]`,
`[HOBREB > 990816]`). An agents dictionary maps role words to role codes (`PRIME_MINISTER [~GOV]`), with plural
forms in braces and `!MACRO! = A, B` substitutions. Underscores are spaces; `#` starts a comment.

Each imported code period carries the country its code opens with, as ISO3, and the role codes it holds (`sectors`),
as the shipped tables do. Country codes of the older dictionaries are written as ISO3 (`[JAP]` → `JPN`, `[UKGOV]` →
`GBRGOV`), so that the code, its country and the sectors read from it agree. Codes that open with no country
(`IGOUNO`, `NGO`, a region, a bare role, a fictional `GON`) are kept as written, with no country.

A verb dictionary (`read_verbs`) becomes event lexicon rows: each verb reduced to its lemma with its default code, and
each pattern that names what follows the verb (an object, a preposition and its object, a particle) as a row of its
own. What a lexicon row cannot say (words before the verb, an actor marker anywhere but where eventwire reads actors,
negation, a verb or an adverb where a noun belongs) is left out and described, with its line.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import product
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from . import ontology
from .errors import DictionaryError, ModelNotFound
from .evaluation.codes import ROLE_CODES, normalise_actor
from .lexicon import COLUMNS
from .nlp import DEFAULT_MODEL

if TYPE_CHECKING:
    from spacy.language import Language

_COMMENT = re.compile(r"#.*$")
_BLOCK_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CODE_BLOCK = re.compile(r"\[([^\]]*)\]")
_DATED = re.compile(r"^\s*([^\s<>]+)\s*(?:(<|>)\s*(\d{6,8})|(\d{6,8})\s*-\s*(\d{6,8}))?\s*$")
_MACRO = re.compile(r"^(![A-Z]+!)\s*=\s*(.+)$")
# What eventwire accepts as an actor code (see dictionaries.check_code).
_VALID = re.compile(r"[A-Z0-9+-]{3,}")
# Two-digit years of PETRARCH dates: PETRARCH reads 00 to 30 as 20YY, 31 and above as 19YY.
_PIVOT = 31


@dataclass(slots=True)
class _Actor:
    """An actor entry being read: its name, aliases and dated codes."""

    name: str
    line: int
    aliases: list[str] = field(default_factory=list)
    codes: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)


def words(token: str) -> str:
    """A PETRARCH phrase as text: underscores are spaces, a trailing underscore (exact match) is dropped."""
    return " ".join(token.replace("_", " ").split())


def _date(text: str, source: str, line: int) -> dt.date:
    """A PETRARCH date: YYMMDD or YYYYMMDD."""
    try:
        if len(text) == 6:
            year = int(text[:2])
            year += 1900 if year >= _PIVOT else 2000
            return dt.date(year, int(text[2:4]), int(text[4:6]))
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError as exc:
        raise DictionaryError(f"not a PETRARCH date: {text!r}", source=source, line=line) from exc


def _code(block: str, source: str, line: int) -> tuple[str, dt.date | None, dt.date | None]:
    """One bracketed code block: the code and the dates it holds between."""
    match = _DATED.match(block)
    if match is None:
        raise DictionaryError(f"not a PETRARCH code block: [{block}]", source=source, line=line)
    code, sign, single, start, end = match.groups()
    code = code.upper()
    if sign == "<":
        return code, None, _date(single, source, line) - dt.timedelta(days=1)
    if sign == ">":
        return code, _date(single, source, line), None
    if start:
        return code, _date(start, source, line), _date(end, source, line)
    return code, None, None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines without comments (block comments keep their line count), each with its number."""
    text = _BLOCK_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = _COMMENT.sub("", line).rstrip()
        # Stray markup such as `<! -- ... -->` is a comment too in the dictionaries users keep.
        if stripped.strip() and not stripped.lstrip().startswith("<!"):
            yield number, stripped


def read_actors(text: str, source: str, skipped: list[str] | None = None) -> list[dict[str, Any]]:
    """A PETRARCH actor dictionary as eventwire actor rows (one per code period).

    Codes eventwire cannot hold (`ELR/GAL`) are left out and described in `skipped`, with their line.
    """
    actors: list[_Actor] = []
    for number, line in _lines(text):
        body = line.strip()
        if body.startswith("+"):
            if not actors:
                raise DictionaryError("an alias before any actor", source=source, line=number)
            actors[-1].aliases.append(words(body[1:]))
            continue
        blocks = _CODE_BLOCK.findall(body)
        name = _CODE_BLOCK.sub("", body).strip()
        if name and not line[0].isspace():
            actors.append(_Actor(words(name), number))
        elif not actors:
            raise DictionaryError("a code before any actor", source=source, line=number)
        for block in blocks:
            code, start, end = _code(block, source, number)
            # Normalised before the check: a two-letter legacy country (`[UK]`) is a valid code once it is `GBR`.
            iso = normalise_actor(code).code
            if _VALID.fullmatch(iso):
                actors[-1].codes.append((iso, start, end))
            elif skipped is not None:
                skipped.append(
                    f"{source}:{number}: code {code!r} of {actors[-1].name!r} is not an actor code"
                )
    return [row for actor in actors if actor.codes for row in _actor_rows(actor, source)]


def _actor_rows(actor: _Actor, source: str) -> list[dict[str, Any]]:
    """An actor's rows: one per code period, each with the country and sectors of its own code."""
    if not actor.codes:
        raise DictionaryError(f"actor {actor.name!r} has no code", source=source, line=actor.line)
    return [
        {
            "name": actor.name,
            "aliases": "|".join(actor.aliases),
            "code": code,
            **_code_columns(code),
            "start": start.isoformat() if start else "",
            "end": end.isoformat() if end else "",
        }
        for code, start, end in actor.codes
    ]


def _code_columns(code: str) -> dict[str, str]:
    """The country (ISO3; empty for IGO, NGO, regions, unknown codes) and sectors an actor code gives."""
    actor = normalise_actor(code)
    # Parts that are no CAMEO role (the `UNO` of `IGOUNO`, the `HMS` of `PSEREBHMS`) name an organisation.
    sectors = [part for part in actor.sectors if part in ROLE_CODES]
    return {"country": actor.country or "", "sectors": "|".join(sectors)}


def read_agents(text: str, source: str) -> list[dict[str, str]]:
    """A PETRARCH agents dictionary as eventwire role rows, plural forms and macros expanded."""
    macros: dict[str, list[str]] = {}
    rows: list[dict[str, str]] = []
    for number, line in _lines(text):
        body = line.strip()
        macro = _MACRO.match(body)
        if macro:
            macros[macro.group(1)] = [words(w) for w in macro.group(2).split(",")]
            continue
        blocks = _CODE_BLOCK.findall(body)
        if len(blocks) != 1:
            raise DictionaryError("an agent line needs one [~CODE] block", source=source, line=number)
        code = blocks[0].replace("~", "").strip().upper()
        phrase_part = _CODE_BLOCK.sub("", body)
        plurals = re.search(r"\{([^}]*)\}", phrase_part)
        phrase = words(re.sub(r"\{[^}]*\}", "", phrase_part))
        # PETRARCH's rule: no braces, a regular plural; `{}`, none; `{A, B}`, exactly those.
        forms = [phrase]
        if plurals is None:
            forms.append(_plural(phrase))
        else:
            forms += [words(p) for p in plurals.group(1).split(",") if p.strip()]
        for form in forms:
            rows += [{"phrase": f.lower(), "code": code} for f in _expand(form, macros)]
    return rows


def _plural(phrase: str) -> str:
    """The regular English plural of a phrase's last word."""
    if re.search(r"(?:s|x|z|ch|sh)$", phrase, re.I):
        return phrase + "ES"
    if re.search(r"[^aeiou]y$", phrase, re.I):
        return phrase[:-1] + "IES"
    return phrase + "S"


def _expand(phrase: str, macros: dict[str, list[str]]) -> list[str]:
    """A phrase with its `!MACRO!` substitutions spelled out."""
    for name, values in macros.items():
        if name in phrase:
            return [v for value in values for v in _expand(phrase.replace(name, value), macros)]
    return [phrase]


def to_yaml(actors: list[dict[str, Any]], roles: list[dict[str, str]]) -> str:
    """Actor and role rows as an eventwire YAML dictionary (the format `--actors FILE` reads)."""
    import yaml

    clean = [{k: v for k, v in row.items() if v} for row in actors]
    header = "# Converted from PETRARCH dictionaries by `eventwire dictionaries import-petrarch`.\n"
    return header + yaml.safe_dump({"actors": clean, "roles": roles}, sort_keys=False, allow_unicode=True)


# --- Verb dictionaries --------------------------------------------------------------------------------------------

# Words after a verb that are its particle ("burn down", "set up"), never a preposition with an object of its own.
PARTICLES = frozenset({"up", "down", "off", "out", "away", "back", "aside", "apart", "together", "forward"})
PREPOSITIONS = frozenset(
    {
        "about",
        "above",
        "across",
        "after",
        "against",
        "along",
        "among",
        "around",
        "as",
        "at",
        "before",
        "behind",
        "below",
        "between",
        "beyond",
        "by",
        "despite",
        "during",
        "for",
        "from",
        "in",
        "inside",
        "into",
        "near",
        "of",
        "on",
        "onto",
        "over",
        "through",
        "throughout",
        "to",
        "toward",
        "towards",
        "under",
        "until",
        "upon",
        "via",
        "with",
        "within",
        "without",
    }
)
# Articles say nothing a lexicon row can use; negations are the event coder's `negated` mode, not a pattern.
_ARTICLES = frozenset({"the", "a", "an"})
_NEGATIONS = frozenset({"not", "no", "never", "n't", "neither", "nor"})
# Modals are never the verb of an event in the parse; auxiliaries are no object either.
MODALS = frozenset({"will", "wo", "would", "shall", "should", "may", "might", "must", "can", "ca", "could"})
AUXILIARIES = MODALS | {
    "be",
    "am",
    "is",
    "are",
    "was",
    "were",
    "been",
    "being",
    "have",
    "has",
    "had",
    "do",
    "does",
    "did",
}
# A pattern: everything between the leading `-` and its code; the code; the rest of the line.
_PATTERN = re.compile(r"^-\s*(?P<body>[^\[]*?)\s*\[(?P<code>[^\]]*)\]")
_BRACES = re.compile(r"\{[^}]*\}")
# Why an entry was left out; the summary counts entries by these.
NO_EVENT = "no event"
NOT_CAMEO = "not a CAMEO code"
BEFORE_VERB = "words before the verb"
PLACEMENT = "source or target placement"
NEGATION = "negation"
NOT_A_ROW = "not an object, preposition or particle"
MULTI_WORD_VERB = "multi-word verb"
MODAL = "modal verb"
NO_VERB = "no verb in the block"
UNDEFINED_SYNSET = "undefined synonym set"
DISJUNCTION = "disjunctive set"
DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class VerbRow:
    """One event lexicon row read from a PETRARCH verb dictionary, with the line it came from."""

    trigger: str
    object: str
    prep: str
    prep_object: str
    particle: str
    code: str
    line: int
    text: str

    @property
    def pattern(self) -> tuple[str, str, str, str, str]:
        """What the row matches: rows of the same pattern would replace one another in a lexicon."""
        return (self.trigger, self.object, self.prep, self.prep_object, self.particle)


@dataclass(slots=True)
class VerbImport:
    """What a verb dictionary gave: lexicon rows, and every entry left out with its line and reason."""

    rows: list[VerbRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    # Codes read other than as written: a leading zero restored (listed), a reciprocal code dropped (counted).
    notes: list[str] = field(default_factory=list)
    padded: int = 0
    reciprocal: int = 0
    verbs: int = 0
    patterns: int = 0

    def skip(self, reason: str, source: str, line: int, detail: str, *, listed: bool = True) -> None:
        """Count an entry left out for this reason and, unless it is an ordinary one, describe it."""
        self.reasons[reason] += 1
        if listed:
            self.skipped.append(f"{source}:{line}: {reason}: {detail}")


@dataclass(slots=True)
class _Verb:
    """A verb of a block: its lemma, particle and any compound words before it, and its own code."""

    lemma: str
    particle: str
    code: str
    line: int
    text: str


@dataclass(slots=True)
class _Block:
    """A `--- NAME [code] ---` block: its verbs and the patterns all of them share."""

    code: str
    verbs: list[_Verb] = field(default_factory=list)
    patterns: list[tuple[int, str]] = field(default_factory=list)


class English:
    """Verb and noun lemmas and word classes, from the rule lemmatizer tables of the spaCy pipeline."""

    def __init__(self, nlp: Language | None) -> None:
        """Word knowledge from this pipeline's lemmatizer; with None (or no rule lemmatizer), words as written."""
        self._lemmatizer: Any = None
        self._classes: dict[str, frozenset[str]] = {}
        if nlp is None or "lemmatizer" not in nlp.pipe_names:
            return
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) != "rule" or "lemma_index" not in lemmatizer.lookups.tables:
            return
        self._lemmatizer = lemmatizer
        self._vocab = nlp.vocab
        index = lemmatizer.lookups.get_table("lemma_index")
        self._classes = {kind: frozenset(index.get(kind, ())) for kind in ("noun", "verb", "adj", "adv")}

    def _rule(self, word: str, pos: str) -> str:
        """The rule lemmatizer's first lemma of a word taken as this part of speech."""
        from spacy.tokens import Doc

        forms = self._lemmatizer.rule_lemmatize(Doc(self._vocab, words=[word], pos=[pos])[0])
        return str(forms[0]) if forms else word

    def classes(self, word: str) -> frozenset[str]:
        """The word classes (noun, verb, adj, adv) a base form belongs to; empty for unknown words."""
        return frozenset(kind for kind, words in self._classes.items() if word in words)

    def verb(self, word: str) -> str:
        """The lemma of a PETRARCH verb entry: a base form as is, an inflected form reduced (`SAID` → say), and a
        stem PETRARCH completes with its endings (`EXCHANG` → exchange, `DEFIE` → defy)."""
        word = word.lower()
        if self._lemmatizer is None or word in self._classes["verb"]:
            return word
        lemma = self._rule(word, "VERB")
        if lemma != word:
            # A modal is no lemma of a verb entry: `WILLING` is willing, not will.
            return word if lemma in MODALS else lemma
        lemma = self._rule(word + ("d" if word.endswith("e") else "ed"), "VERB")
        return lemma if lemma in self._classes["verb"] else word

    def noun(self, word: str) -> str:
        """The lemma of a noun: a base form as is (`news`), a plural reduced (`ties` → tie)."""
        if self._lemmatizer is None or word in self._classes["noun"]:
            return word
        return self._rule(word, "NOUN")


# Components a pipeline may have that the lemmatizer's tables do not need.
_NOT_LEMMATIZER = [
    "tok2vec",
    "transformer",
    "tagger",
    "morphologizer",
    "parser",
    "ner",
    "attribute_ruler",
    "senter",
]


@functools.cache
def english(model: str = DEFAULT_MODEL) -> English:
    """The word knowledge of an installed spaCy pipeline (its lemmatizer only is loaded)."""
    import spacy

    try:
        nlp = spacy.load(model, exclude=_NOT_LEMMATIZER)
    except OSError as exc:
        raise ModelNotFound(f"spaCy pipeline {model!r} is not installed; name another with --model") from exc
    return English(nlp)


def event_code(raw: str) -> str | None:
    """A PETRARCH event code as a CAMEO code: `---` (no event) is None, `032:033` (the code of the act and of its
    reciprocal) is its first code. ValueError for anything that is not a CAMEO code."""
    code = raw.strip().split(":")[0].strip()
    if not code or code.startswith("---"):
        return None
    return ontology.normalise_code(code)


def read_verbs(text: str, source: str, words: English | None = None) -> VerbImport:
    """A PETRARCH verb dictionary as event lexicon rows, with every entry left out and why.

    Synonym sets (`&NAME`, `+` members) are expanded where patterns use them, each member a row of its own. Every
    verb of a block gets its own code (or the block's) and all of the block's patterns. Codes are checked against
    the CAMEO codebook first: `---` means no event (counted, not listed); anything else that is not a CAMEO code is
    left out and listed. Two rows of the same pattern keep the first; the second is listed.
    """
    words = words or English(None)
    result = VerbImport()
    lines = [(number, line.split(";")[0].strip()) for number, line in _lines(text)]
    synsets = _synsets(lines)
    blocks: list[_Block] = []
    in_synset = False
    for number, line in lines:
        if line.startswith("&"):
            in_synset = True
            continue
        if in_synset and line.startswith("+"):
            continue
        in_synset = False
        if line.startswith("---"):
            codes = _CODE_BLOCK.findall(line)
            blocks.append(_Block(codes[0] if codes else "---"))
        elif not blocks:
            raise DictionaryError(
                "a verb or pattern before any `--- NAME [code] ---` block", source=source, line=number
            )
        elif line.startswith("-"):
            blocks[-1].patterns.append((number, line))
        else:
            verb = _verb_entry(line, number, blocks[-1].code, words, source, result)
            if verb is not None:
                blocks[-1].verbs.append(verb)
    seen: dict[tuple[str, str, str, str, str], VerbRow] = {}
    for block in blocks:
        for row in _block_rows(block, synsets, words, source, result):
            first = seen.get(row.pattern)
            if first is None:
                seen[row.pattern] = row
                result.rows.append(row)
            else:
                same = "the same code" if first.code == row.code else f"code {first.code}, not {row.code}"
                result.skip(
                    DUPLICATE,
                    source,
                    row.line,
                    f"{_describe(row)} is already read at line {first.line} ({same})",
                )
    result.rows.sort(key=lambda r: r.line)
    return result


def _synsets(lines: list[tuple[int, str]]) -> dict[str, list[list[str]]]:
    """Every synonym set by its label (without a trailing `_`), members as word lists, nested sets spelled out."""
    raw: dict[str, list[str]] = {}
    label = None
    for _, line in lines:
        if line.startswith("&"):
            label = line.split()[0].rstrip("_")
            raw[label] = []
        elif label is not None and line.startswith("+"):
            raw[label].append(line[1:].strip())
        else:
            label = None

    def members(name: str, seen: frozenset[str]) -> list[list[str]]:
        found: list[list[str]] = []
        for member in raw.get(name, []):
            nested = member.rstrip("_")
            if nested.startswith("&"):
                if nested not in seen:
                    found += members(nested, seen | {nested})
            else:
                found.append(_split(member))
        return found

    return {name: members(name, frozenset({name})) for name in raw}


def _split(phrase: str) -> list[str]:
    """A PETRARCH phrase as lowercase words: spaces and underscores both separate words."""
    return [w for w in re.split(r"[\s_]+", phrase.lower()) if w]


def _verb_entry(
    line: str, number: int, block_code: str, words: English, source: str, result: VerbImport
) -> _Verb | None:
    """A verb line (`ABANDON`, `BAN {BANS BANNED}`, `+CORDON_OFF {...}`, `DOWNPLAY [014]`) as a block verb."""
    result.verbs += 1
    codes = _CODE_BLOCK.findall(line)
    phrase = _BRACES.sub("", _CODE_BLOCK.sub("", line)).strip()
    parts = [p for p in re.split(r"[\s_]+", phrase) if p]
    marked = [i for i, p in enumerate(parts) if p.startswith("+")]
    at = marked[0] if marked else 0
    before, verb, after = parts[:at], parts[at].lstrip("+"), [p.lstrip("+").lower() for p in parts[at + 1 :]]
    particle = ""
    if after:
        if len(after) > 1 or (after[0] not in PARTICLES and after[0] not in PREPOSITIONS):
            result.skip(MULTI_WORD_VERB, source, number, f"{line!r}: only one particle may follow the verb")
            return None
        particle = after[0]
    lemma = " ".join([*(w.lower() for w in before), words.verb(verb)])
    if lemma in MODALS:
        result.skip(MODAL, source, number, f"{line!r}: the parse never makes {lemma!r} an event's verb")
        return None
    return _Verb(lemma, particle, codes[0] if codes else block_code, number, line)


def _block_rows(
    block: _Block, synsets: dict[str, list[list[str]]], words: English, source: str, result: VerbImport
) -> Iterator[VerbRow]:
    """The rows of a block: each verb with its own code, then each pattern for each verb."""
    for verb in block.verbs:
        code = _checked_code(verb.code, source, verb.line, verb.text, result)
        if code is not None:
            yield VerbRow(verb.lemma, "", "", "", verb.particle, code, verb.line, verb.text)
    for number, line in block.patterns:
        result.patterns += 1
        match = _PATTERN.match(line)
        if match is None:
            result.skip(NOT_A_ROW, source, number, f"{line!r}: a pattern needs a [code]")
            continue
        code = _checked_code(match.group("code"), source, number, line, result)
        if code is None:
            continue
        try:
            shapes = _pattern_shapes(match.group("body"), synsets, words)
        except _Inexpressible as exc:
            result.skip(exc.reason, source, number, f"{line!r}: {exc.detail}")
            continue
        if not block.verbs:
            result.skip(NO_VERB, source, number, f"{line!r}: every verb of its block was left out")
            continue
        for verb in block.verbs:
            for obj, prep, prep_object, particle in shapes:
                if particle and verb.particle and particle != verb.particle:
                    detail = f"{line!r}: {verb.lemma} {verb.particle} cannot take the particle {particle}"
                    result.skip(NOT_A_ROW, source, number, detail)
                    continue
                yield VerbRow(
                    verb.lemma, obj, prep, prep_object, particle or verb.particle, code, number, line
                )


def _checked_code(raw: str, source: str, number: int, line: str, result: VerbImport) -> str | None:
    """The CAMEO code of an entry, or None when it codes no event or no CAMEO event (counted and described)."""
    try:
        code = event_code(raw)
    except ValueError:
        result.skip(NOT_CAMEO, source, number, f"{line!r}: [{raw.strip()}]")
        return None
    if code is None:
        result.skip(NO_EVENT, source, number, line, listed=False)
        return None
    written = raw.strip().split(":")[0].strip()
    if code != written:
        result.padded += 1
        result.notes.append(
            f"{source}:{number}: code [{written}] read as CAMEO {code} (a leading zero restored)"
        )
    if ":" in raw:
        result.reciprocal += 1
    return code


class _Inexpressible(Exception):
    """A pattern no lexicon row can say, with the reason and what in it is the matter."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _pattern_shapes(
    body: str, synsets: dict[str, list[list[str]]], words: English
) -> list[tuple[str, str, str, str]]:
    """The (object, prep, prep_object, particle) of every expansion of a pattern such as `* &TIETYPES TIES`."""
    if "{" in body:
        raise _Inexpressible(DISJUNCTION, "PETRARCH skips {...} alternatives in patterns too")
    body = body.replace("_ ", " ")
    if body.count("*") != 1:
        raise _Inexpressible(NOT_A_ROW, "a pattern needs one * for the verb")
    high, low = (_split(part) for part in body.split("*"))
    if [w for w in high if w != "$"]:
        reason = PLACEMENT if set(high) & {"+", "%", "^"} else BEFORE_VERB
        raise _Inexpressible(reason, " ".join(high))
    alternatives: list[list[list[str]]] = []
    for token in low:
        if token.startswith("&"):
            if token.upper() not in synsets:
                raise _Inexpressible(UNDEFINED_SYNSET, token.upper())
            alternatives.append(synsets[token.upper()])
        else:
            alternatives.append([[token]])
    shapes: dict[tuple[str, str, str, str], None] = {}
    for choice in product(*alternatives):
        shapes[_shape([w for part in choice for w in part], words)] = None
    return list(shapes)


def _shape(low: list[str], words: English) -> tuple[str, str, str, str]:
    """The (object, prep, prep_object, particle) the words after the verb make, or _Inexpressible."""
    markers = [w for w in low if w in ("$", "+", "%", "^")]
    if "$" in markers or "%" in markers or "^" in markers:
        what = {
            "$": "the source after the verb",
            "%": "a compound actor (%)",
            "^": "a skipped noun phrase (^)",
        }
        raise _Inexpressible(PLACEMENT, what[next(m for m in markers if m != "+")])
    if low and low[0] == "+":
        low = low[1:]  # the target as direct object: where eventwire reads it
    if low and low[-1] == "+" and len(low) > 1 and low[-2] in PREPOSITIONS:
        low = low[:-1]  # the target as the object of a closing preposition: likewise
    if "+" in low:
        raise _Inexpressible(PLACEMENT, "the target inside a phrase")
    if set(low) & _NEGATIONS:
        raise _Inexpressible(NEGATION, "negation is a mode of the event, not part of its pattern")
    if set(low) & AUXILIARIES:
        raise _Inexpressible(NOT_A_ROW, f"{next(w for w in low if w in AUXILIARIES)!r} is an auxiliary verb")
    low = [w for w in low if w not in _ARTICLES]
    if not low:
        raise _Inexpressible(NOT_A_ROW, "nothing after the verb")
    particle = ""
    if low[0] in PARTICLES:
        particle, low = low[0], low[1:]
    at = next((i for i, w in enumerate(low) if w in PREPOSITIONS), len(low))
    obj, prep, prep_object = low[:at], "".join(low[at : at + 1]), low[at + 1 :]
    if [w for w in prep_object if w in PREPOSITIONS or w in PARTICLES]:
        raise _Inexpressible(NOT_A_ROW, "more than one preposition")
    if [w for w in obj if w in PARTICLES]:
        raise _Inexpressible(NOT_A_ROW, "a particle inside a phrase")
    if prep == "to" and prep_object and _only(words, prep_object[0], "verb"):
        raise _Inexpressible(NOT_A_ROW, f"'to {prep_object[0]}' is an infinitive, not a preposition")
    if obj:
        _check_object(obj, words)
    return (
        " ".join([*obj[:-1], words.noun(obj[-1])]) if obj else "",
        prep,
        " ".join([*prep_object[:-1], words.noun(prep_object[-1])]) if prep_object else "",
        particle,
    )


def _only(words: English, word: str, kind: str) -> bool:
    """Whether a known word belongs to this word class and to no class a noun phrase is made of."""
    classes = words.classes(word)
    return kind in classes and not classes & {"noun", "adj"}


def _check_object(obj: list[str], words: English) -> None:
    """An object must end in a noun (or a word eventwire does not know), with modifiers before it."""
    head = obj[-1]
    for word in obj:
        if _only(words, word, "verb") or _only(words, words.verb(word), "verb"):
            raise _Inexpressible(NOT_A_ROW, f"{word!r} is a verb, not an object")
        if _only(words, word, "adv"):
            raise _Inexpressible(NOT_A_ROW, f"{word!r} is an adverb, not an object")
    classes = words.classes(head) | words.classes(words.noun(head))
    if "adj" in classes and "noun" not in classes:
        raise _Inexpressible(NOT_A_ROW, f"{head!r} is a modifier without its noun")


def _describe(row: VerbRow) -> str:
    """A row's pattern as words: `restore + ties`, `call on`, `ask for + economic sanction`."""
    parts = [row.trigger, row.particle, row.object and f"+ {row.object}", row.prep, row.prep_object]
    return repr(" ".join(p for p in parts if p))


def to_lexicon_csv(rows: list[VerbRow], source: str) -> str:
    """Lexicon rows as an eventwire lexicon CSV (the format `--lexicon FILE` reads), each group of rows under a
    comment with the PETRARCH line it came from."""
    name = PurePath(source).name
    buffer = io.StringIO()
    buffer.write(
        f"# Converted from the PETRARCH verb dictionary {name} by `eventwire dictionaries import-petrarch-verbs`.\n"
        "# Each group of rows follows a comment with the PETRARCH line it came from.\n"
    )
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    line = None
    for row in rows:
        if row.line != line:
            line = row.line
            buffer.write(f"# {name}:{row.line}: {row.text}\n")
        writer.writerow(
            [row.trigger, "VERB", row.object, row.prep, row.prep_object, row.particle, row.code, ""]
        )
    return buffer.getvalue()
