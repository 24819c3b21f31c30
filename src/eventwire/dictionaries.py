"""Actor dictionaries: countries, people with dated roles, organisations, metonyms and role words, kept as data.

The shipped tables live in `data/actors/` (their origin and licence in `data/SOURCES.md`); users add or override
entries with CSV or YAML files of the same columns, and every problem in such a file is reported with its file and
line. A person's code depends on the article's date: one row per stint in office, and outside every stint the
person is a member of the country's elite (`ELI`).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DictionaryError

if TYPE_CHECKING:
    import yaml

# Short words that capitalised abbreviations must not be confused with.
COMMON_WORDS = frozenset(
    [
        "a",
        "am",
        "an",
        "as",
        "at",
        "be",
        "by",
        "do",
        "go",
        "he",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "oh",
        "ok",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "we",
        "aid",
        "all",
        "and",
        "any",
        "are",
        "can",
        "for",
        "had",
        "has",
        "her",
        "him",
        "his",
        "how",
        "its",
        "man",
        "may",
        "new",
        "not",
        "now",
        "one",
        "our",
        "out",
        "own",
        "say",
        "see",
        "she",
        "the",
        "two",
        "was",
        "way",
        "who",
        "why",
        "you",
        "also",
        "away",
        "back",
        "been",
        "both",
        "but",
        "came",
        "come",
        "does",
        "done",
        "each",
        "even",
        "from",
        "gave",
        "give",
        "gone",
        "good",
        "have",
        "here",
        "into",
        "just",
        "keep",
        "kept",
        "know",
        "last",
        "like",
        "long",
        "made",
        "make",
        "many",
        "more",
        "most",
        "much",
        "must",
        "near",
        "next",
        "once",
        "only",
        "over",
        "part",
        "said",
        "same",
        "some",
        "such",
        "take",
        "than",
        "that",
        "them",
        "then",
        "they",
        "this",
        "time",
        "told",
        "took",
        "upon",
        "very",
        "want",
        "well",
        "went",
        "were",
        "what",
        "when",
        "will",
        "with",
        "work",
        "year",
    ]
)
ACTOR_COLUMNS = ("name", "aliases", "code", "country", "role", "start", "end", "kind", "wikidata", "sectors")
ROLE_COLUMNS = ("phrase", "code")
# The lists a YAML dictionary holds: its key, the kind of table and the keys an entry may have.
_YAML_LISTS = {"actors": ("actor", ACTOR_COLUMNS), "roles": ("roles", ROLE_COLUMNS)}
_YAML_NULL = "tag:yaml.org,2002:null"
_NOT_A_DICTIONARY = "a YAML dictionary is a mapping with `actors:` and/or `roles:` lists"
# CAMEO codes are runs of three letters; dictionaries in use also hold longer or odd-length codes (ITHTV, +++).
_CODE = re.compile(r"[A-Z0-9+-]{3,}")


@dataclass(frozen=True, slots=True)
class Stint:
    """A period in which an actor had one code (an office, a change of status); open-ended when a date is None."""

    code: str
    role: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, date: dt.date) -> bool:
        """Whether the stint includes the date (the end day included)."""
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A named actor of the dictionaries and its codes over time."""

    name: str
    kind: str
    country: str | None
    stints: tuple[Stint, ...]
    wikidata: str | None = None
    origin: str = ""

    def code_on(self, date: dt.date | None) -> tuple[str | None, str | None]:
        """The actor's code and role on a date; people outside every office are their country's elite (`ELI`).

        With no date the most recent stint is used, the best guess for current news.
        """
        if not self.stints:
            return None, None
        if date is None:
            latest = max(self.stints, key=lambda s: s.start or dt.date.min)
            return latest.code, latest.role
        covering = [s for s in self.stints if s.covers(date)]
        if covering:
            best = max(covering, key=lambda s: (s.code.endswith("GOV"), s.start or dt.date.min))
            return best.code, best.role
        if self.kind == "person" and self.country:
            return f"{self.country}ELI", "former or future office-holder"
        nearest = min(self.stints, key=lambda s: _distance(s, date))
        return nearest.code, nearest.role


def _distance(stint: Stint, date: dt.date) -> int:
    """Days between a date and a stint (0 inside it)."""
    if stint.start and date < stint.start:
        return (stint.start - date).days
    if stint.end and date > stint.end:
        return (date - stint.end).days
    return 0


@dataclass(frozen=True, slots=True)
class Country:
    """A country with the words news uses for it, its people and its seats of government."""

    iso3: str
    name: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str | None
    seats: tuple[str, ...]


@dataclass(slots=True)
class Dictionaries:
    """Every actor name, demonym, seat of government and role word, indexed by normalised text."""

    countries: dict[str, Country] = field(default_factory=dict)
    names: dict[str, list[ActorEntry]] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    seats: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)

    def lookup(self, text: str) -> list[ActorEntry]:
        """The entries a name may refer to (people, organisations, metonyms), user entries first."""
        return self.names.get(normalise(text), [])

    def add(self, entry: ActorEntry, forms: Iterable[str], override: bool = False) -> None:
        """Index an entry under its name and aliases; an overriding entry replaces what those forms meant."""
        for form in _keys(forms):
            if override:
                self.names[form] = [entry]
            else:
                self.names.setdefault(form, []).append(entry)

    def forget(self, forms: Iterable[str]) -> None:
        """Drop what names and aliases meant, so that the entries added next replace it."""
        for form in _keys(forms):
            self.names.pop(form, None)

    def phrases(self) -> list[str]:
        """Every name, country word, demonym, seat and role phrase, for the phrase matcher."""
        return sorted({*self.names, *self.country_names, *self.demonyms, *self.seats, *self.roles})


def _keys(forms: Iterable[str]) -> set[str]:
    """The index keys of names and aliases.

    A short form written in capitals (PETRARCH writes every name so: `IRAN`, `BREE`) is also indexed as a name,
    unless it is a common word ("US" must not catch "us").
    """
    forms = [f for f in forms if f.strip()]
    keys = {normalise(f) for f in forms}
    if any(c.islower() for f in forms for c in f):
        return keys  # written in mixed case ("PLA Navy|PLAN"): its capitals are an acronym, not a shout
    return keys | {k[1:].lower() for k in keys if k.startswith("=") and k[1:].lower() not in COMMON_WORDS}


@functools.lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Text as dictionaries index it: no accents, case or leading article, single spaces, no possessive.

    Short capitalised abbreviations keep their case ("US" is not "us", "IS" is not "is"): they get their own key.
    """
    bare = text.strip()
    if bare.isalpha() and bare.isupper() and len(bare) <= 4:
        return f"={bare}"
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"['’]s\b|['’]$", "", plain.replace("’", "'"))
    plain = re.sub(r"\s+", " ", plain).strip()
    return re.sub(r"^the ", "", plain)


# A table row with the line of the file it was read from.
Row = tuple[int, dict[str, str]]


def _rows(text: str, source: str) -> Iterator[Row]:
    """Rows of a CSV table with `#` comment lines, each with its line number in the file."""
    lines = text.splitlines()
    body = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not body:
        return
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in body)))
    numbers = [n for n, _ in body][1:]
    for number, row in zip(numbers, reader, strict=False):
        if None in row:
            raise DictionaryError("more fields than the header names", source=source, line=number)
        yield number, {k: (v or "").strip() for k, v in row.items()}


def _date(value: str, source: str, line: int) -> dt.date | None:
    """An ISO date from a table cell (empty: open-ended)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DictionaryError(f"not a date (YYYY-MM-DD): {value!r}", source=source, line=line) from exc


def _split(value: str) -> list[str]:
    """A `|`-separated cell as a list."""
    return [v.strip() for v in value.split("|") if v.strip()]


def check_code(code: str, source: str, line: int) -> str:
    """An actor code checked for shape: runs of three capital letters (`ISRGOV`, `IGOUNO`)."""
    if not _CODE.fullmatch(code):
        raise DictionaryError(
            f"not an actor code (three or more capital letters or digits): {code!r}", source=source, line=line
        )
    return code


def actor_entry(row: dict[str, str], kind: str, source: str, line: int) -> ActorEntry:
    """A table row of a person, an organisation or a metonym as an entry with one stint."""
    name = row.get("name") or row.get("text") or ""
    if not name:
        raise DictionaryError("a row without a name", source=source, line=line)
    code = check_code(row.get("code", ""), source, line)
    start, end = _date(row.get("start", ""), source, line), _date(row.get("end", ""), source, line)
    if start and end and end < start:
        raise DictionaryError(f"ends ({end}) before it starts ({start})", source=source, line=line)
    country = row.get("country") or (code[:3] if kind == "person" else None) or None
    stint = Stint(code, row.get("role") or None, start, end)
    return ActorEntry(name, row.get("kind") or kind, country, (stint,), row.get("wikidata") or None, source)


def merge_stints(entries: Iterable[ActorEntry]) -> list[ActorEntry]:
    """Rows of the same actor (same name, kind and country) joined into one entry with all its stints."""
    merged: dict[tuple[str, str, str | None], ActorEntry] = {}
    for entry in entries:
        key = (entry.name, entry.kind, entry.country)
        if key in merged:
            old = merged[key]
            merged[key] = ActorEntry(
                old.name,
                old.kind,
                old.country,
                old.stints + entry.stints,
                old.wikidata or entry.wikidata,
                old.origin,
            )
        else:
            merged[key] = entry
    return list(merged.values())


def _load_countries(d: Dictionaries, rows: Iterable[Row], source: str) -> None:
    """Countries, their names, demonyms and seats of government."""
    for line, row in rows:
        iso3 = check_code(row["iso3"], source, line)
        country = Country(
            iso3,
            row["name"],
            tuple(_split(row.get("names", ""))),
            tuple(_split(row.get("demonyms", ""))),
            row.get("capital") or None,
            tuple(_split(row.get("seats", ""))),
        )
        d.countries[iso3] = country
        for form in (country.name, *country.names):
            d.country_names[normalise(form)] = iso3
        for form in country.demonyms:
            d.demonyms[normalise(form)] = iso3
        # Only the listed seats: a capital left out of them is one whose name mostly means something else.
        for form in country.seats:
            d.seats[normalise(form)] = iso3


def _load_roles(d: Dictionaries, rows: Iterable[Row], source: str, override: bool) -> None:
    """Role words and the role code each gives."""
    for line, row in rows:
        phrase, code = normalise(row.get("phrase", "")), row.get("code", "")
        if not phrase:
            raise DictionaryError("a role row without a phrase", source=source, line=line)
        check_code(code, source, line)
        if override or phrase not in d.roles:
            d.roles[phrase] = code


def _load_actors(d: Dictionaries, rows: Iterable[Row], source: str, kind: str, override: bool) -> None:
    """People, organisations or metonyms: every row one stint, rows of one actor merged."""
    _add_actors(d, _parse_actors(rows, source, kind), override)


def _parse_actors(rows: Iterable[Row], source: str, kind: str) -> list[tuple[ActorEntry, dict[str, str]]]:
    """A table's rows as one-stint entries, each with its row."""
    return [(actor_entry(row, kind, source, line), row) for line, row in rows]


def _add_actors(d: Dictionaries, parsed: list[tuple[ActorEntry, dict[str, str]]], override: bool) -> None:
    """Entries of the same actor merged (stints and aliases), then indexed; an overriding file's entries replace
    what their names meant before it, but not each other."""
    aliases: dict[tuple[str, str, str | None], set[str]] = {}
    for entry, row in parsed:
        aliases.setdefault((entry.name, entry.kind, entry.country), set()).update(
            [entry.name, *_split(row.get("aliases", ""))]
        )
    entries = merge_stints(e for e, _ in parsed)
    if override:
        # Forgotten first, so that entries of one file sharing a name (namesakes; an actor whose dated codes give
        # it different countries, merged per country) all stay, as they do in the shipped tables.
        for entry in entries:
            d.forget(aliases[(entry.name, entry.kind, entry.country)])
    for entry in entries:
        d.add(entry, aliases[(entry.name, entry.kind, entry.country)])


def _shipped_tables() -> list[tuple[str, str, str]]:
    """The shipped tables as (kind, name, text)."""
    folder = resources.files("eventwire") / "data" / "actors"
    tables = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name.endswith(".csv"):
            tables.append((_kind_of(item.name), item.name, item.read_text(encoding="utf-8")))
    return tables


def _kind_of(name: str) -> str:
    """Which kind of table a file name holds."""
    for prefix, kind in (
        ("countries", "countries"),
        ("roles", "roles"),
        ("metonyms", "metonym"),
        ("people", "person"),
        ("organisations", "organisation"),
    ):
        if name.startswith(prefix):
            return kind
    return "actor"


@functools.cache
def shipped() -> Dictionaries:
    """The dictionaries that come with eventwire (loaded once per process)."""
    return load([])


def load(extra: Sequence[str | Path]) -> Dictionaries:
    """The shipped dictionaries extended, and overridden where names coincide, by the user's files."""
    d = Dictionaries()
    # Rows of one actor may be spread over several shipped tables (an EU official in two people tables).
    shipped_actors: list[tuple[ActorEntry, dict[str, str]]] = []
    for kind, name, text in _shipped_tables():
        source = f"eventwire/data/actors/{name}"
        if kind in ("countries", "roles"):
            _load_table(d, kind, _rows(text, source), source, override=False)
        else:
            shipped_actors += _parse_actors(_rows(text, source), source, kind)
    _add_actors(d, shipped_actors, override=False)
    for path in extra:
        _load_user_file(d, Path(path))
    return d


def _load_table(d: Dictionaries, kind: str, rows: Iterable[Row], source: str, override: bool) -> None:
    """One table's rows into the dictionaries."""
    if kind == "countries":
        _load_countries(d, rows, source)
    elif kind == "roles":
        _load_roles(d, rows, source, override)
    else:
        _load_actors(d, rows, source, kind, override)


def _load_user_file(d: Dictionaries, path: Path) -> None:
    """A user's CSV (actors or roles, told apart by the header) or YAML file (`actors:` and `roles:` lists)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(f"cannot read dictionary: {exc}", source=str(path)) from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        for kind, rows in _yaml_tables(text, str(path)).items():
            _load_table(d, kind, rows, str(path), override=True)
        return
    header = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    kind = "roles" if header.split(",")[0].strip() == "phrase" else "actor"
    _load_table(d, kind, _rows(text, str(path)), str(path), override=True)


def _yaml_tables(text: str, source: str) -> dict[str, list[Row]]:
    """A YAML dictionary's `actors` and `roles` lists as table rows, each with the line its entry starts on.

    The rows go through the same validators as CSV rows. The YAML is walked as nodes rather than loaded, so that
    every entry keeps its line and every value stays text (`NO` is Norway, not false; `2020-13-01` a bad date).
    """
    import yaml

    root = _yaml_root(text, source)
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise DictionaryError(_NOT_A_DICTIONARY, source=source, line=_line(root))
    tables: dict[str, list[Row]] = {}
    for key_node, value_node in root.value:
        key = _yaml_key(key_node, source)
        if key not in _YAML_LISTS:
            raise DictionaryError(f"{_NOT_A_DICTIONARY}, not `{key}:`", source=source, line=_line(key_node))
        kind, columns = _YAML_LISTS[key]
        if kind in tables:
            # YAML itself would keep only the later list, silently dropping the earlier one's entries.
            raise DictionaryError(f"`{key}:` given twice", source=source, line=_line(key_node))
        tables[kind] = _yaml_rows(value_node, key, columns, source)
    return tables


def _yaml_root(text: str, source: str) -> yaml.Node | None:
    """The YAML document's root node (None when empty); a syntax error is reported with its line."""
    import yaml

    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, source) from exc
    except yaml.reader.ReaderError as exc:
        # Raised on characters YAML forbids; its position counts characters of the text.
        line = text.count("\n", 0, exc.position) + 1
        reason = f"not valid YAML: {exc.reason} (character #x{exc.character:04x})"
        raise DictionaryError(reason, source=source, line=line) from exc
    except yaml.YAMLError as exc:
        raise DictionaryError(f"not valid YAML: {exc}", source=source) from exc


def _syntax_error(exc: yaml.MarkedYAMLError, source: str) -> DictionaryError:
    """A YAML syntax error as a dictionary error at the line of the problem, naming where the construct began."""
    mark = exc.problem_mark or exc.context_mark
    reason = f"not valid YAML: {exc.problem or exc.context}"
    # An unclosed bracket or quote is only noticed at the end of the file: the line it opened on is the useful one.
    if exc.problem and exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
        reason += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    return DictionaryError(reason, source=source, line=mark.line + 1 if mark else None)


def _line(node: yaml.Node) -> int:
    """The line a YAML node starts on, counted from 1."""
    return node.start_mark.line + 1


def _yaml_key(node: yaml.Node, source: str) -> str:
    """A mapping key as text."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise DictionaryError("a key must be plain text", source=source, line=_line(node))
    return str(node.value)


def _yaml_rows(node: yaml.Node, key: str, columns: Sequence[str], source: str) -> list[Row]:
    """The entries of an `actors:` or `roles:` list as rows, each with the line it starts on."""
    import yaml

    if isinstance(node, yaml.ScalarNode) and node.tag == _YAML_NULL:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise DictionaryError(f"`{key}` must be a list of mappings", source=source, line=_line(node))
    rows = []
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise DictionaryError(f"an entry of `{key}` must be a mapping", source=source, line=_line(item))
        rows.append((_line(item), _yaml_row(item, columns, source)))
    return rows


def _yaml_row(node: yaml.MappingNode, columns: Sequence[str], source: str) -> dict[str, str]:
    """One entry's keys and values as a table row; an unknown or repeated key is an error at its line."""
    row: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = _yaml_key(key_node, source)
        if key not in columns:
            reason = f"unknown key {key!r} (an entry's keys are {', '.join(columns)})"
            raise DictionaryError(reason, source=source, line=_line(key_node))
        if key in row:
            raise DictionaryError(f"`{key}` given twice in one entry", source=source, line=_line(key_node))
        row[key] = _yaml_text(value_node, key, source)
    return row


def _yaml_text(node: yaml.Node, key: str, source: str) -> str:
    """A value as a table cell: text as written, a list joined with `|`, nothing (`~`, empty) as empty text."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag == _YAML_NULL else str(node.value).strip()
    if isinstance(node, yaml.SequenceNode) and all(isinstance(v, yaml.ScalarNode) for v in node.value):
        return "|".join(text for v in node.value if (text := _yaml_text(v, key, source)))
    raise DictionaryError(f"`{key}` must be text or a list of text", source=source, line=_line(node))
