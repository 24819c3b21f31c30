"""What a phrase's words code, for the actor stage: the role its role words name ("first deputy permanent
representative", "police spokesman"), the country its modifiers name ("Russian", "of Russia"), the organisation its
modifiers name ("Isis fighters"), and the code of the dictionary entry it names on the article's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import dictionaries as dicts
from .actor_spans import hyphenated, span_ents
from .coreference import Found

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .model import Article

# Nouns for a member or voice of a group, or for the group, whose role comes from their modifier ("opposition figure",
# "rebel group").
MEMBER_NOUNS = frozenset(
    {
        "figure",
        "member",
        "leader",
        "official",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "commander",
        "chief",
        "head",
        "source",
        "activist",
        "representative",
        "supporter",
        "party",
        "group",
        "bloc",
        "movement",
        "coalition",
    }
)


# The coders of one mention (here, in `roles` and in `actors`) all need the same facts about where it is and what it
# may be coded with; bundled once, they are passed as one argument instead of a long list repeated at every call.
@dataclass(frozen=True, slots=True)
class Mention:
    """Where a mention is (its character span and sentence) and what coding it may use (the article, the
    dictionaries, the actors found before it, the country the article is about)."""

    start: int
    end: int
    sentence: int
    article: Article
    d: dicts.Dictionaries
    found: list[Found]
    context: str | None


def from_entry(entries: list[dicts.ActorEntry], phrase: Span, at: Mention) -> Found:
    """A mention coded from dictionary entries; when several share the name, the one of the phrase's country, then
    the one in office on the article's date ("Assad" in 2010 is Bashar)."""
    d = at.d
    country = country_of(phrase, d)
    date = at.article.date
    in_office = [e for e in entries if date and any(s.covers(date) for s in e.stints)]
    # The phrase's country narrows the namesakes; among those, whoever holds office on the date wins.
    ranked = [e for e in in_office or entries if country and e.country == country]
    ranked = ranked or [e for e in entries if country and e.country == country] or in_office or entries
    entry = ranked[0]
    code, title = entry.code_on(date)
    if code == f"{entry.country}ELI" and entry.kind == "person":
        # Out of every office the tables know on that date, but the text names a current title ("Foreign Ministry
        # spokesman Shen Guofang" in 2005): the text is the better evidence.
        role = _current_title(phrase, d)
        code = f"{entry.country}{role}" if role else code
    # Metonyms have no country column: "the White House" is the United States' by its code.
    home = entry.country or (code[:3] if code and code[:3] in d.countries else None)
    sectors = _sectors(code, home)
    return Found(
        at.start,
        at.end,
        at.sentence,
        code,
        "dictionary",
        entry.name,
        home,
        sectors,
        entry.wikidata,
        phrase.root.text,
        person=entry.kind == "person",
        # The office the tables give, so that "the president" can refer back to a president named without it.
        words=f"{phrase.text.lower()} ({title.lower()})" if title and entry.kind == "person" else "",
    )


def _sectors(code: str | None, country: str | None) -> list[str]:
    """The role codes after the country part of an actor code."""
    if not code:
        return []
    rest = code[3:] if country and code.startswith(country) else code
    return [rest[i : i + 3] for i in range(0, len(rest), 3)]


def _current_title(phrase: Span, d: dicts.Dictionaries) -> str | None:
    """The role code of a title the phrase gives before its name, unless it says the office is past."""
    names = [t for t in phrase if t.ent_type_ == "PERSON"]
    if not names or any(t.lower_ in ("former", "ex", "late") for t in phrase):
        return None
    return longest_role([t.lower_ for t in phrase if t.i < names[0].i and t.pos_ != "DET"], d)


def title_code(phrase: Span, ent: Span, d: dicts.Dictionaries) -> str | None:
    """The role code of a title before a name in the phrase ("Russian President" in "Russian President X")."""
    return longest_role([t.lower_ for t in phrase if t.i < ent.start and t.pos_ != "DET"], d)


def role_code(phrase: Span, d: dicts.Dictionaries) -> str | None:
    """The role code of the longest role phrase ending at the phrase's head ("first deputy permanent representative")."""
    code = longest_role([t.lower_ for t in phrase if t.i <= phrase.root.i and t.pos_ != "DET"], d)
    if code:
        return code
    lemma = d.roles.get(phrase.root.lemma_.lower())
    if lemma or phrase.root.lemma_.lower() not in MEMBER_NOUNS:
        return lemma
    # "an opposition figure", "police sources": the role is in the modifier.
    return _modifier_role([t.lower_ for t in phrase if t.i < phrase.root.i], d)


def longest_role(words: list[str], d: dicts.Dictionaries) -> str | None:
    """The role code of the longest run of words ending the list that is a role phrase; a noun for a member or
    voice of a group takes the role its modifier names ("police spokesman" COP, "rebel commander" REB)."""
    for size in range(len(words), 0, -1):
        code = d.roles.get(" ".join(words[-size:]))
        if code:
            if size == 1 and singular(words[-1]) in MEMBER_NOUNS:
                return _modifier_role(words[:-1], d) or code
            return code
    return None


def _modifier_role(words: list[str], d: dicts.Dictionaries) -> str | None:
    """The role of the nearest modifier that is a role word ("opposition" in "opposition party's leader")."""
    for word in reversed(words):
        code = d.roles.get(word) or d.roles.get(singular(word))
        if code:
            return code
    return None


def singular(word: str) -> str:
    """A plural role noun's singular, near enough for lookups ("spokesmen", "officials")."""
    if word.endswith("men"):
        return word[:-3] + "man"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def organisation(tokens: list[Token], d: dicts.Dictionaries) -> list[dicts.ActorEntry]:
    """The dictionary entries of the longest capitalised name among a head's modifiers that is an organisation or a
    seat ("Isis" in "Isis fighters", "Islamic State" in "Islamic State suspect X"); people's names do not count."""
    for size in range(len(tokens), 0, -1):
        for first in range(len(tokens) - size + 1):
            run = tokens[first : first + size]
            if not run[0].text[:1].isupper() or run[-1].i - run[0].i != size - 1 or hyphenated(run[-1]):
                continue
            entries = named_body(run[0].doc[run[0].i : run[-1].i + 1].text, d)
            if entries:
                return entries
    return []


def named_body(text: str, d: dicts.Dictionaries) -> list[dicts.ActorEntry]:
    """The organisations, groups and institutions a name is in the dictionaries; none for a country, demonym or
    seat of government, nor for a person."""
    key = dicts.normalise(text)
    if key in d.country_names or key in d.demonyms or key in d.seats:
        return []
    return [e for e in d.names.get(key, []) if e.kind != "person"]


def country_of(phrase: Span, d: dicts.Dictionaries) -> str | None:
    """The country a phrase names in a modifier: a country name or demonym (whole names first, so "South Sudan
    troops" is South Sudan and "New Mexico police" no country), or "of Russia" after its head."""
    covered: set[int] = set()
    for ent in span_ents(phrase):
        covered.update(range(ent.start, ent.end))
        key = dicts.normalise(ent.text)
        iso3 = d.demonyms.get(key) or d.country_names.get(key)
        if not iso3 and ent.label_ == "ORG" and len(ent) > 1:
            # "Chinese Foreign Ministry spokesman X": the country is the first word of the organisation's name.
            first = dicts.normalise(ent[0].text)
            iso3 = d.demonyms.get(first) or d.country_names.get(first)
        if iso3 and ent.root.i != phrase.root.i and ent.text[:1].isupper() and not hyphenated(ent[-1]):
            return iso3
    for token in phrase:
        if (
            token.i in covered
            or (token.i == phrase.root.i and token.ent_type_ != "NORP")
            or not token.is_title
            or hyphenated(token)
        ):
            continue
        key = dicts.normalise(token.text)
        iso3 = d.demonyms.get(key) or d.country_names.get(key) or _dictionary_country(key, d)
        if iso3:
            return iso3
    for prep in (c for c in phrase.root.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "for")):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            span = obj.doc[obj.left_edge.i : obj.right_edge.i + 1]
            iso3 = d.country_names.get(dicts.normalise(span.text)) or d.country_names.get(
                dicts.normalise(obj.text)
            )
            if iso3:
                return iso3
    return None


def _dictionary_country(key: str, d: dicts.Dictionaries) -> str | None:
    """The country a dictionary name stands for when its code is a bare country (a user's `GONDOR [GON]`)."""
    codes = {e.code_on(None)[0] for e in d.names.get(key, []) if e.kind != "person"}
    country = next((c for c in codes if c and len(c) == 3), None)
    return country if len(codes) == 1 else None
