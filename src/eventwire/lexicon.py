"""The event lexicon: words and constructions that express an event, each with the CAMEO code it gives.

Each row names a trigger (the lemma of a verb or noun) and, optionally, what must stand around it in the
dependency parse: a direct object (`impose` + `sanction`), a preposition and words in its object (`accuse` `of`
`war crime`), a particle (`crack down`). Triggers and objects may be compounds (`car bomb`, `air strike`): the last
word is the head and the words before it must stand, in that order, among its left-hand modifiers. The object
may also be the noun a past participle or relative clause of the trigger hangs on ("an agreement reached on
Tuesday", "the town, which the rebels captured"), or the thing after a partitive ("half of the city"). An
adjective's preposition of stance may stand for another ("satisfied about" fits a `satisfied` `with` row).

The shipped table is `data/events/lexicon.csv`; users add rows, or replace shipped rows of the same pattern, with
CSV files of the same columns. `Lexicon.matches` returns every row that fits a token, most specific first: the
caller decides between rows that fit equally well.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import ontology
from .errors import DictionaryError

if TYPE_CHECKING:
    from spacy.tokens import Token

COLUMNS = ("trigger", "pos", "object", "prep", "prep_object", "particle", "code", "example")
POS_TAGS = frozenset({"VERB", "NOUN", "ADJ"})
SHIPPED_SOURCE = "eventwire/data/events/lexicon.csv"

# Dependents that hold a trigger's object: the direct object, a copula's attribute, the subject of a passive
# ("sanctions were imposed") and an object predicate.
_OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "nsubjpass", "oprd"})
_PREP_DEPS = frozenset({"prep", "agent", "dative"})
# A particle is usually `prt`; the parser also makes some particles adverbs ("pulled back") or prepositions
# ("pulled out of"), so those count when their word is the particle's.
_PARTICLE_DEPS = frozenset({"prt", "compound:prt", "advmod", "prep"})
# Left-hand dependents that make a compound's first words ("car bomb", "anti-government protest").
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "nn"})
# What may stand under a preposition as its object, and what may hang under that object and still be part of it.
_PREP_OBJECT_DEPS = frozenset({"pobj", "pcomp"})
_REGION_DEPS = _MODIFIER_DEPS | _PREP_OBJECT_DEPS | {"conj", "det", "poss", "quantmod", "nummod", "case"}
_LINKING_PREPS = frozenset({"of", "to", "against", "from"})
# Tags of the relative pronouns that stand for the noun their clause hangs on ("the town, which the rebels took").
_RELATIVE_TAGS = frozenset({"WDT", "WP"})
# Words of a part of a thing: the thing itself, after "of", is what is acted on ("seized the eastern third of
# the state", "captured half of the city").
_PARTITIVES = frozenset(
    {"third", "half", "part", "rest", "most", "much", "swath", "swathe", "area", "quarter"}
)
# Verbs whose past participle on a noun only says who did the noun's own act ("a bombing claimed by IS", "an
# attack carried out by Hamas", "a rally held by the opposition"): the noun is an event of its own, whose doer the
# by-agent is (see arguments.CLAIMING), not the verb's object. "Lead" is not one: "a ceremony led by the president"
# is the leading of a ceremony.
RESTATING = frozenset(
    {
        "claim",
        "carry",
        "stage",
        "launch",
        "conduct",
        "commit",
        "perpetrate",
        "mount",
        "order",
        "perform",
        "hold",
        "organise",
        "organize",
        "plan",
        "sponsor",
        "initiate",
    }
)
# Prepositions of an adjective's stance that news English uses interchangeably ("satisfied with/about/over the
# deal", "angry at/over/about"): a row naming one of them also fits the others, save one a row of the same words
# names itself.
_STANCE_PREPS = frozenset({"with", "about", "over", "at", "by"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the lexicon: a trigger pattern and the CAMEO code it gives."""

    trigger: str
    pos: str
    object: str | None
    prep: str | None
    prep_object: str | None
    particle: str | None
    code: str
    example: str
    origin: str

    @property
    def pattern(self) -> tuple[str, str, str | None, str | None, str | None, str | None]:
        """What the row matches, without its code: rows with the same pattern replace one another."""
        return (self.trigger, self.pos, self.object, self.prep, self.prep_object, self.particle)

    @property
    def specificity(self) -> int:
        """How many constraints the row sets: object, preposition, particle, and each further word required."""
        count = len(self.trigger.split()) - 1
        if self.object:
            count += len(self.object.split())
        if self.prep:
            count += 1
        if self.prep_object:
            count += len(self.prep_object.split())
        if self.particle:
            count += 1
        return count


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon entry that fits a token, with the tokens that make up the trigger."""

    entry: Entry
    tokens: tuple[int, ...]
    object: int | None


@dataclass(frozen=True, slots=True)
class _Pattern:
    """An entry's pattern split into words, ready for matching, with the prepositions that may stand for its
    own (an adjective's stance: the others of the stance prepositions no row of the same words names)."""

    entry: Entry
    modifiers: tuple[str, ...]
    object: tuple[str, ...]
    prep_object: tuple[str, ...]
    stand_ins: tuple[str, ...] = ()


class Lexicon:
    """Lexicon entries indexed by the head lemma and part of speech of their trigger."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        """A lexicon of these entries (their order breaks ties between equally specific matches)."""
        self._entries = tuple(entries)
        index: dict[tuple[str, str], list[_Pattern]] = {}
        named = {(_rivals(e), e.prep) for e in self._entries}
        for entry in self._entries:
            words = entry.trigger.split()
            pattern = _Pattern(
                entry,
                tuple(words[:-1]),
                tuple(entry.object.split()) if entry.object else (),
                tuple(entry.prep_object.split()) if entry.prep_object else (),
                _stand_ins(entry, named),
            )
            index.setdefault((words[-1], entry.pos), []).append(pattern)
        for patterns in index.values():
            patterns.sort(key=lambda p: -p.entry.specificity)
        self._index = index

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> Lexicon:
        """The shipped lexicon extended by the user's CSV files, whose rows replace shipped rows of the same pattern."""
        entries = {entry.pattern: entry for entry in shipped_entries()}
        for path in extra:
            for entry in read_file(Path(path)):
                entries.pop(entry.pattern, None)
                entries[entry.pattern] = entry
        return cls(entries.values())

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry, in the order they were loaded."""
        return self._entries

    def __len__(self) -> int:
        """The number of entries."""
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        """The entries, in the order they were loaded."""
        return iter(self._entries)

    def matches(self, token: Token) -> list[Match]:
        """Every entry that fits this token as its trigger, most specific first; equally specific ones all kept."""
        pos = token.pos_
        if pos not in POS_TAGS or (pos == "NOUN" and token.dep_ == "compound"):
            # A noun that modifies another ("talk show", "aid workers") names a kind of thing, not an event.
            return []
        lemma = token.lemma_.lower()
        candidates = self._index.get((lemma, pos), [])
        text = token.lower_
        if text != lemma:
            if pos == "NOUN" and (text, pos) in self._index:
                # Plurals the lemmatizer keeps ("talks"): the text is looked up as well.
                candidates = sorted(
                    [*candidates, *self._index[(text, pos)]], key=lambda p: -p.entry.specificity
                )
            elif pos == "VERB" and not candidates and text.startswith(lemma):
                # The lemmatizer sometimes drops a verb's final e ("staged" → "stag", "hoped" → "hop").
                candidates = self._index.get((lemma + "e", pos), [])
        found = []
        for pattern in candidates:
            match = _match(pattern, token)
            if match is not None:
                found.append(match)
        return found


# A row's pattern but for its preposition: rows alike in it compete for a stance preposition.
_Rivals = tuple[str, str, str | None, str | None, str | None]


def _rivals(entry: Entry) -> _Rivals:
    """A row's pattern without its preposition."""
    return (entry.trigger, entry.pos, entry.object, entry.prep_object, entry.particle)


def _stand_ins(entry: Entry, named: set[tuple[_Rivals, str | None]]) -> tuple[str, ...]:
    """The prepositions that may stand for an adjective row's preposition of stance: the other stance
    prepositions, except those a row of the same words names itself (that row, with its own code, fits them)."""
    if entry.pos != "ADJ" or entry.prep not in _STANCE_PREPS:
        return ()
    key = _rivals(entry)
    return tuple(sorted(p for p in _STANCE_PREPS - {entry.prep} if (key, p) not in named))


def _match(pattern: _Pattern, token: Token) -> Match | None:
    """The match of one pattern on a token, or None if any of its constraints fails."""
    entry = pattern.entry
    tokens = [token.i]
    if pattern.modifiers:
        words = _modifiers(token, pattern.modifiers)
        if words is None:
            return None
        tokens += words
    particle = None
    if entry.particle:
        particle = _particle(token, entry.particle)
        if particle is None:
            return None
        tokens.append(particle.i)
    obj = None
    if pattern.object:
        found = _object(token, pattern.object)
        if found is None:
            return None
        obj, words = found
        tokens += [obj.i, *words]
    if entry.prep:
        heads = [token] if obj is None else [token, obj]
        if particle is not None:
            heads.append(particle)
        if obj is None:
            heads += [c for c in token.children if c.dep_ in _OBJECT_DEPS]
        words = _any_prep(heads, (entry.prep, *pattern.stand_ins), pattern.prep_object)
        if words is None:
            return None
        tokens += words
    if obj is not None and not token.is_ancestor(obj):
        # An object outside the verb's phrase (the noun its participle or relative clause hangs on) is a phrase of
        # its own: the trigger is the verb's own words.
        tokens = [i for i in tokens if i == token.i or token.is_ancestor(token.doc[i])]
    return Match(entry, tuple(sorted(set(tokens))), obj.i if obj is not None else None)


def _is(token: Token, word: str) -> bool:
    """Whether a token is this word, by lemma or by its lowercased text."""
    return token.lemma_.lower() == word or token.lower_ == word


def _in_order(tokens: Iterable[Token], words: Sequence[str]) -> list[int] | None:
    """The indices of tokens that are these words in this order (others may come between), or None."""
    found: list[int] = []
    for token in tokens:
        if len(found) == len(words):
            break
        if _is(token, words[len(found)]):
            found.append(token.i)
    return found if len(found) == len(words) else None


def _modifiers(token: Token, words: Sequence[str]) -> list[int] | None:
    """The tokens of the first words of a compound, found in order among the head's left-hand modifiers."""
    region = [t for child in token.lefts if child.dep_ in _MODIFIER_DEPS for t in child.subtree]
    return _in_order(region, words) if region else None


def _object(token: Token, words: Sequence[str]) -> tuple[Token, list[int]] | None:
    """The token's object that is this word or compound, with the tokens of the compound's first words."""
    for child in _objects(token):
        for candidate in (child, *child.conjuncts):
            if not _is(candidate, words[-1]):
                continue
            if len(words) == 1:
                return candidate, []
            modifiers = _modifiers(candidate, words[:-1])
            if modifiers is not None:
                return candidate, modifiers
    return None


def _objects(token: Token) -> list[Token]:
    """What a trigger acts on: its object dependents, the noun a relative pronoun among them stands for, the thing
    after "of" of a partitive among them, and the noun its past participle hangs on ("an agreement reached")."""
    found = [_antecedent(c) for c in token.children if c.dep_ in _OBJECT_DEPS]
    if not found:
        found = _reported_relative(token)
    found += [o for c in found if c.lemma_.lower() in _PARTITIVES for o in of_objects(c, times=False)]
    if _participle_of_noun(token) and token.lemma_.lower() not in RESTATING:
        found.append(token.head)
    return found


def _antecedent(token: Token) -> Token:
    """The noun a relative pronoun stands for, through the clauses it is reported in ("Crimea, which Russia
    seized", "the town, which the rebels said they had captured"), else the token itself."""
    if token.tag_ not in _RELATIVE_TAGS:
        return token
    clause = token.head
    while clause.dep_ in ("ccomp", "xcomp") and clause.head.i != clause.i:
        clause = clause.head
    return clause.head if clause.dep_ == "relcl" else token


def _reported_relative(token: Token) -> list[Token]:
    """For a verb without an object reported in a relative clause whose pronoun the parser made the reporting
    verb's object ("the town, which the rebels said [they had captured]"), the noun the pronoun stands for."""
    clause = token.head
    if token.dep_ != "ccomp" or clause.dep_ != "relcl":
        return []
    if any(c.dep_ in ("dobj", "obj") and c.tag_ in _RELATIVE_TAGS for c in clause.children):
        return [clause.head]
    return []


def of_objects(noun: Token, times: bool = True) -> list[Token]:
    """The objects of a noun's "of" phrases ("the city of Kherson" → Kherson); without dates and times when
    `times` is false ("the rest of the week" is a while)."""
    return [
        o
        for p in noun.children
        if p.dep_ == "prep" and p.lower_ == "of"
        for o in p.children
        if o.dep_ == "pobj" and (times or o.ent_type_ not in ("DATE", "TIME"))
    ]


def _participle_of_noun(token: Token) -> bool:
    """Whether a verb is a past participle on a noun, which it acts on ("sanctions lifted under Obama")."""
    return token.dep_ == "acl" and token.tag_ == "VBN" and token.head.pos_ in ("NOUN", "PROPN")


def _particle(token: Token, word: str) -> Token | None:
    """The token's particle that is this word, if it has one."""
    for child in token.children:
        if child.dep_ in _PARTICLE_DEPS and child.lower_ == word:
            return child
    return None


def _any_prep(heads: Sequence[Token], words: Sequence[str], objects: Sequence[str]) -> list[int] | None:
    """The first of these prepositions found as `_prep` finds one, with its object's words."""
    for word in words:
        found = _prep(heads, word, objects)
        if found is not None:
            return found
    return None


def _prep(heads: Sequence[Token], word: str, objects: Sequence[str]) -> list[int] | None:
    """The preposition (among the heads' children) that is this word and, if asked, holds these words in its object;
    also one the parser hung on a date between ("accused the RSF on Thursday of war crimes")."""
    for head in [*heads, *_dates(heads)]:
        for child in head.children:
            if child.dep_ not in _PREP_DEPS or child.lower_ != word or _temporal(child):
                continue
            if not objects:
                return [child.i]
            found = _in_order(sorted(_object_region(child), key=lambda t: t.i), objects)
            if found is not None:
                return [child.i, *found]
    return None


def _object_region(prep: Token) -> list[Token]:
    """The words that belong to a preposition's object: its head, the head's modifiers, and what hangs under it
    by "of", "to", "against" or "from" or as a gerund's object ("an end to the curfew", "crimes against
    humanity", "of violating the ceasefire"); not a further topic ("agreed on the need for a deal" has no deal
    agreed) nor a clause about it."""
    region: list[Token] = []
    todo = [c for c in prep.children if c.dep_ in _PREP_OBJECT_DEPS]
    while todo:
        token = todo.pop()
        region.append(token)
        for child in token.children:
            if child.dep_ in _PREP_DEPS:
                if child.lower_ in _LINKING_PREPS:
                    todo.append(child)
            elif child.dep_ in _REGION_DEPS or (child.dep_ in _OBJECT_DEPS and token.pos_ == "VERB"):
                todo.append(child)
            elif child.dep_ == "acl" and child.tag_ == "VBG" and child.i == token.i + 1:
                # The parser reads a noun compound of a gerund as a clause ("in police firing").
                todo.append(child)
    return region


def _dates(heads: Sequence[Token]) -> list[Token]:
    """The dates and times that modify the heads, directly or after a preposition ("on Thursday")."""
    found = []
    for head in heads:
        for child in head.children:
            if child.dep_ == "npadvmod" and child.ent_type_ in ("DATE", "TIME"):
                found.append(child)
            elif child.dep_ in _PREP_DEPS and _temporal(child):
                found.extend(c for c in child.children if c.dep_ == "pobj")
    return found


def _temporal(prep: Token) -> bool:
    """Whether a preposition only dates the act ("fired on Tuesday", "met in May"): it is not the pattern's."""
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


@functools.lru_cache(maxsize=1)
def shipped_entries() -> tuple[Entry, ...]:
    """The rows of the shipped table (read once per process)."""
    table = resources.files("eventwire") / "data" / "events" / "lexicon.csv"
    return tuple(parse(table.read_text(encoding="utf-8"), SHIPPED_SOURCE))


def read_file(path: Path) -> list[Entry]:
    """The rows of a user's lexicon file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(f"cannot read lexicon: {exc}", source=str(path)) from exc
    return parse(text, str(path))


def parse(text: str, source: str) -> list[Entry]:
    """The rows of a lexicon table: a header naming the columns, then one entry a line; `#` lines are comments."""
    entries: list[Entry] = []
    seen: dict[tuple[str, str, str | None, str | None, str | None, str | None], int] = {}
    header = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader([line]))
        if not header:
            if [c.strip() for c in cells] != list(COLUMNS):
                raise DictionaryError(
                    f"the header must name the columns {','.join(COLUMNS)}", source=source, line=number
                )
            header = True
            continue
        entry = _entry(cells, f"{source}:{number}", source, number)
        if entry.pattern in seen:
            raise DictionaryError(
                f"the same pattern as line {seen[entry.pattern]}", source=source, line=number
            )
        seen[entry.pattern] = number
        entries.append(entry)
    return entries


def _entry(cells: list[str], origin: str, source: str, line: int) -> Entry:
    """One row as an entry, checked."""
    if len(cells) != len(COLUMNS):
        raise DictionaryError(
            f"{len(cells)} columns where {len(COLUMNS)} are needed ({','.join(COLUMNS)})",
            source=source,
            line=line,
        )
    trigger, pos, obj, prep, prep_object, particle, code, example = (" ".join(c.split()) for c in cells)
    if not trigger:
        raise DictionaryError("a row without a trigger", source=source, line=line)
    if pos.upper() not in POS_TAGS:
        raise DictionaryError(f"pos must be VERB, NOUN or ADJ, not {pos!r}", source=source, line=line)
    for name, value in (("prep", prep), ("particle", particle)):
        if " " in value:
            raise DictionaryError(f"{name} must be one word, not {value!r}", source=source, line=line)
    if prep_object and not prep:
        raise DictionaryError("prep_object without a prep", source=source, line=line)
    try:
        code = ontology.normalise_code(code)
    except ValueError:
        raise DictionaryError(f"not a CAMEO event code: {code!r}", source=source, line=line) from None
    return Entry(
        trigger=trigger.lower(),
        pos=pos.upper(),
        object=obj.lower() or None,
        prep=prep.lower() or None,
        prep_object=prep_object.lower() or None,
        particle=particle.lower() or None,
        code=code,
        example=example,
        origin=origin,
    )
