"""Coreference for the actor stage: the mentions being resolved, and what pronouns ("he", "they", "its"),
pairs ("the two leaders", "both sides") and definite descriptions ("the diplomat", "the settlers") refer back to.

The actor stage builds `Found` mentions in text order; these functions pick, among the earlier ones, the actor a
later mention means and copy its code onto the later span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
GROUP_PRONOUNS = frozenset({"they", "them", "their"})
# "the two leaders", "both sides", "the parties": the last two actors of the article, together.
PAIR_HEADS = frozenset({"leaders", "sides", "parties", "presidents", "men", "countries", "governments"})
# Roles of domestic actors, whom a nearby actor of the same role gives a country ("troops" after "Israeli troops").
DOMESTIC_ROLES = frozenset(
    {"MIL", "COP", "CVL", "OPP", "REB", "UAF", "JUD", "LEG", "EDU", "HLH", "REF", "LAB"}
)


@dataclass(slots=True)
class Found:
    """A mention being resolved: its span, code and how the code was found."""

    start: int
    end: int
    sentence: int
    code: str | None
    via: str
    name: str | None = None
    country: str | None = None
    sectors: list[str] = field(default_factory=list)
    wikidata: str | None = None
    head: str | None = None
    person: bool = False
    words: str = ""
    subject: bool = False


# Role descriptions and the titles they can refer back to ("the diplomat" is an ambassador or an envoy).
ROLE_FAMILIES: dict[str, tuple[str, ...]] = {
    "diplomat": (
        "diplomat",
        "ambassador",
        "envoy",
        "representative",
        "foreign minister",
        "secretary of state",
    ),
    "envoy": ("envoy", "ambassador", "representative", "diplomat"),
    "leader": (
        "leader",
        "president",
        "prime minister",
        "premier",
        "chancellor",
        "king",
        "emir",
        "supreme leader",
    ),
    "minister": ("minister", "secretary"),
    "president": ("president",),
    "prime minister": ("prime minister", "premier"),
    "spokesman": ("spokesman", "spokeswoman", "spokesperson", "press secretary"),
    "spokeswoman": ("spokesman", "spokeswoman", "spokesperson", "press secretary"),
    "spokesperson": ("spokesman", "spokeswoman", "spokesperson", "press secretary"),
}


def clause_subject(token: Token, found: list[Found]) -> Found | None:
    """The coded actor that is the subject of the nearest clause around a word with a subject ("Russia" in "that
    Russia withdraw its troops")."""
    word = token
    while token.head.i != token.i:
        token = token.head
        subject = next(
            (c for c in token.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != word.i), None
        )
        if token.pos_ in ("VERB", "AUX") and subject is not None:
            if any(c.dep_ == "conj" for c in subject.children):
                return None  # "South Korea and Japan ... their leaders": whose is not one actor's
            return next((m for m in found if m.code and m.start <= subject.idx < m.end), None)
    return None


def nearby(found: list[Found], role: str, sentence: int) -> str | None:
    """The country of the actors of a role named in this or the last two sentences, when they all share it: in a
    report on two countries, "troops" after "Israeli troops" are Israel's. Only domestic roles: diplomats and
    reporters of unstated nationality stay uncoded."""
    if role not in DOMESTIC_ROLES:
        return None
    countries = {
        m.country
        for m in found
        if m.sentence >= sentence - 2 and m.code and m.country and m.sectors == [role]
    }
    return countries.pop() if len(countries) == 1 else None


def pronoun(phrase: Span, start: int, end: int, sentence: int, found: list[Found]) -> list[Found]:
    """He or she: the latest person; they: the latest pair of actors; it or they as the subject of a reported or
    subordinate clause: the subject of the clause above it."""
    lower = phrase.root.lower_
    if lower in PERSON_PRONOUNS:
        person = salient_person(found, sentence)
        if person is None:
            return []
        return [copy(person, start, end, sentence)]
    group = [f for f in found if f.sentence >= sentence - 1 and f.code]
    pair = [f for f in group if f.via == "coreference-pair"]
    if pair:
        return [copy(f, start, end, sentence, "coreference-pair") for f in pair[-2:]]
    # "Turkey warned it would ...", "police said they caught him": the subject of the clause the pronoun's
    # clause depends on, when that is a state, a body or a group rather than a person.
    root = phrase.root
    subject = root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX")
    # "before it was too late": "it" with a form of "be" for its verb is mostly the empty subject.
    if lower == "it" and root.head.lemma_ == "be":
        subject = False
    owner = clause_subject(root, found) if subject else None
    if owner is None or owner.person:
        return []
    return [copy(owner, start, end, sentence)]


def salient_person(found: list[Found], sentence: int) -> Found | None:
    """The person a "he" or "she" most likely means: the latest one in this sentence, else the subject of the
    previous sentence, else the latest person of the two sentences before."""
    people = [f for f in found if f.person and f.code and f.sentence >= sentence - 2]
    here = [f for f in people if f.sentence == sentence]
    if here:
        return here[-1]
    subjects = [f for f in people if f.sentence == sentence - 1 and f.subject]
    if subjects:
        return subjects[0]
    return people[-1] if people else None


def is_pair(phrase: Span) -> bool:
    """Whether a plural phrase means two actors together: "the two leaders", "both sides", "the parties"."""
    words = {t.lower_ for t in phrase}
    # "the parties", but not "opposition parties".
    bare = all(t.pos_ == "DET" for t in phrase if t.i != phrase.root.i)
    return bool(words & {"two", "both"}) or (phrase.root.lower_ == "parties" and bare)


def pair(start: int, end: int, sentence: int, found: list[Found]) -> list[Found]:
    """ "The two leaders": the two latest coded actors of different countries, people first, with the same span, in
    text order; not the subject of the sentence that names them ("X urged both sides to ..." is not X's side)."""
    chosen: list[Found] = []
    for people_only in (True, False):
        for mention in reversed(found):
            if len(chosen) == 2:
                break
            usable = (
                mention.code
                and mention.via != "coreference-pair"
                and (mention.person or not people_only)
                and not (mention.sentence == sentence and mention.subject)
            )
            if usable and mention.country not in {c.country for c in chosen}:
                chosen.append(mention)
    if len(chosen) < 2:
        return []
    return [copy(m, start, end, sentence, "coreference-pair") for m in sorted(chosen, key=lambda m: m.start)]


def antecedent(found: list[Found], role: str, words: str, head: str) -> Found | None:
    """The latest coded actor a definite description refers to: for a personal title ("the diplomat"), the latest
    actor whose title fits it; otherwise the latest actor with the same head noun, or else with the same role."""
    nouns = sorted((noun for noun in ROLE_FAMILIES if words.endswith(noun)), key=len, reverse=True)
    family = ROLE_FAMILIES[nouns[0]] if nouns else None
    coded = [m for m in found if m.code]
    if "former" not in words:
        # "the president" is whoever holds the office, not a former president the article mentioned.
        coded = [m for m in coded if "former" not in m.words and not (m.code or "").endswith("ELI")]
    if family:
        fitting = [m for m in coded if any(title in m.words for title in family)]
        # Only an actor whose title fits: "the envoy" after "Netanyahu met" is not Netanyahu.
        return fitting[-1] if fitting else None
    # "the settlers" are the settlers named before (even when their country was not found), not other civilians.
    same_head = [m for m in found if m.head and m.head.lower() == head]
    if same_head:
        return same_head[-1] if same_head[-1].code else None
    same_role = [m for m in coded if m.code and m.code.endswith(role)]
    return same_role[-1] if same_role else None


def copy(mention: Found, start: int, end: int, sentence: int, via: str = "coreference") -> Found:
    """A new mention that refers to the same actor as an earlier one (keeping its title words, for later references)."""
    return Found(
        start,
        end,
        sentence,
        mention.code,
        via,
        mention.name,
        mention.country,
        list(mention.sectors),
        mention.wikidata,
        mention.head,
        mention.person,
        mention.words,
    )
