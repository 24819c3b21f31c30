"""PETRARCH dictionaries turned into eventwire dictionaries, so users keep the actor lists they maintain.

An actor dictionary has an entry name (`BENJAMIN_NETANYAHU_`), `+ALIAS` lines, and codes in brackets, either on the
entry line (`GONDOR [GON]`) or on indented lines with dates (`[HOBGOV 19950601 - 19990815]`, `[HOB < 950601]`,
`[HOBREB > 990816]`). An agents dictionary maps role words to role codes (`PRIME_MINISTER [~GOV]`), with plural
forms in braces and `!MACRO! = A, B` substitutions. Underscores are spaces; `#` starts a comment.

Each imported code period carries the country its code opens with, as ISO3, and the role codes it holds (`sectors`),
as the shipped tables do. Country codes of the older dictionaries are written as ISO3 (`[JAP]` → `JPN`, `[UKGOV]` →
`GBRGOV`), so that the code, its country and the sectors read from it agree. Codes that open with no country
(`IGOUNO`, `NGO`, a region, a bare role, a fictional `GON`) are kept as written, with no country.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import DictionaryError
from .evaluation.codes import ROLE_CODES, normalise_actor

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
