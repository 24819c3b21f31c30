"""Actors described rather than named, for the actor stage: phrases headed by a role word ("security forces", "the
German chancellor", "a spokesman for the SDF"), people named by their nationality ("Palestinians", "hundreds of
Palestinians", "a Palestinian man"), and one role with coordinated country words ("Russian and Chinese warships").

A role phrase is coded with the country its words give, through the article's earlier actors, or with the country
the article is about; otherwise it is kept uncoded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import coreference
from . import dictionaries as dicts
from .actor_codes import (
    MEMBER_NOUNS,
    Mention,
    country_of,
    from_entry,
    named_body,
    organisation,
    role_code,
    singular,
)
from .actor_spans import acts, doc_cache, hyphenated
from .coreference import Found

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Titles that name one person, so that "he" can refer back to "the German chancellor".
PERSONAL_TITLES = frozenset(
    {
        "president",
        "chancellor",
        "minister",
        "premier",
        "leader",
        "king",
        "queen",
        "emir",
        "prince",
        "sultan",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "diplomat",
        "envoy",
        "ambassador",
        "representative",
        "general",
        "commander",
        "governor",
        "mayor",
        "judge",
        "prosecutor",
        "senator",
        "lawmaker",
        "official",
        "chief",
        "head",
    }
)
# Role words that mean nothing without a country or an antecedent: never an uncoded actor on their own.
VAGUE_ROLES = frozenset(
    {
        "side",
        "state",
        "people",
        "leader",
        "forces",
        "officials",
        "official",
        "authorities",
        "government",
        "administration",
        "regime",
        "delegation",
        "company",
        "firm",
        "crowd",
    }
)
# Nouns that an "of" phrase completes into a title: "head of state", "secretary of state", "minister of defence".
TITLE_HEADS = frozenset(
    {"head", "secretary", "minister", "undersecretary", "chief", "ministry", "department"}
)
# Nouns for the armed men of a group, which the named group they belong to codes ("fighters of Isis").
GROUP_MEMBERS = frozenset({"fighter", "militant", "gunman", "rebel"})
# Nouns for one or more ordinary people that a nationality makes civilians of that country ("a Palestinian man").
PEOPLE_NOUNS = frozenset(
    {"man", "woman", "boy", "girl", "child", "teenager", "youth", "farmer", "worker", "resident", "villager"}
)
# Heads of counted groups of people: "hundreds of Palestinians".
QUANTITIES = frozenset(
    {"hundred", "thousand", "dozen", "million", "score", "group", "crowd", "number", "band"}
)


def _in_a_title(root: Token) -> bool:
    """Whether a role word completes a title after "of" ("secretary of state", "heads of state and government",
    "minister of the interior"): the title's holder is the actor, not the word."""
    while root.dep_ == "conj":
        root = root.head
    of = root.head
    return root.dep_ == "pobj" and of.lower_ == "of" and of.head.lemma_.lower() in TITLE_HEADS


def role_actor(phrase: Span, at: Mention) -> Found | None:
    """A phrase headed by a role word: coded with its country, through the article's earlier actors, or with the
    country the article is about ("police" in a report from Madagascar); otherwise kept uncoded."""
    d, found, context = at.d, at.found, at.context
    role = role_code(phrase, d)
    if role is None or _in_a_title(phrase.root):
        return None
    head = phrase.root.text
    # A title names one person ("the German chancellor", not "officials"): later pronouns may refer to it.
    person = phrase.root.lemma_.lower() in PERSONAL_TITLES and phrase.root.tag_ not in ("NNS", "NNPS")
    former = any(t.lower_ in ("former", "ex", "ex-") or t.lower_.startswith("ex-") for t in phrase)
    # "Isis fighters", "a spokesman for the SDF": the men or the voice of a named organisation are that organisation.
    entries = (
        [] if former else organisation([t for t in phrase if t.i < phrase.root.i], d) or _group_of(phrase, d)
    )
    if entries:
        group = from_entry(entries, phrase, at)
        group.head, group.person = head, person
        return group
    if former:
        role = "ELI"  # "a former Russian president": an elite, not the government
    country = country_of(phrase, d)
    # "Azerbaijan accused Armenia of firing on its troops": "its" is the subject's.
    owned = any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in phrase.root.children)
    owner = coreference.clause_subject(phrase.root, found) if owned else None
    if owner is not None and not country and owner.via == "dictionary" and not owner.person:
        return coreference.copy(
            owner, at.start, at.end, at.sentence
        )  # "Hamas said its fighters …": Hamas's own
    country = country or (owner.country if owner is not None and not owner.person else None)
    if country:
        return Found(
            at.start,
            at.end,
            at.sentence,
            f"{country}{role}",
            "role",
            None,
            country,
            [role],
            head=head,
            person=person,
        )
    # "the prime minister, Malcolm Turnbull": the title is the person it stands beside.
    named = _apposed_person(phrase, d)
    if named:
        return from_entry(named, phrase, at)
    if phrase[0].lower_ == "the":
        antecedent = coreference.antecedent(found, role, phrase.text.lower(), head.lower())
        if antecedent is not None:
            described = coreference.copy(antecedent, at.start, at.end, at.sentence)
            described.person = person  # "the Congress" after a congressman is not a "he"
            return described
    if not acts(phrase.root, role=True):
        return None
    if context:
        return Found(
            at.start, at.end, at.sentence, f"{context}{role}", "context", None, context, [role], head=head
        )
    # A bare vague word ("officials") or a role written as a name ("Secretary of State") takes no country from
    # nearby actors.
    vague = phrase.root.lower_ in VAGUE_ROLES
    bare = vague and all(t.pos_ == "DET" for t in phrase if t.i != phrase.root.i)
    # Nor is a title that names one person ("the envoy" is not whoever governs nearby).
    nearby = (
        None
        if owned or bare or person or phrase.root.ent_type_
        else coreference.nearby(found, role, at.sentence)
    )
    if nearby is not None:
        return Found(
            at.start, at.end, at.sentence, f"{nearby}{role}", "context", None, nearby, [role], head=head
        )
    if vague:
        return None
    return Found(at.start, at.end, at.sentence, None, "uncoded", None, None, [role], head=head)


def _group_of(phrase: Span, d: dicts.Dictionaries) -> list[dicts.ActorEntry]:
    """The organisation a member noun belongs to by a preposition ("a spokesman for the SDF", "activists of the
    VHP"): the dictionary entries of the named object."""
    if singular(phrase.root.lower_) not in MEMBER_NOUNS | GROUP_MEMBERS:
        return []
    for prep in (c for c in phrase.root.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "from")):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            spans = [e for e in doc_cache(obj.doc, "ents") if e.start <= obj.i < e.end]
            spans.append(obj.doc[obj.left_edge.i : obj.i + 1])
            for span in spans:
                entries = named_body(span.text, d)
                if entries:
                    return entries
    return []


def _apposed_person(phrase: Span, d: dicts.Dictionaries) -> list[dicts.ActorEntry]:
    """The dictionary person a title stands in apposition to ("the prime minister, Malcolm Turnbull")."""
    for child in phrase.root.children:
        if child.dep_ != "appos":
            continue
        for ent in doc_cache(phrase.doc, "ents"):
            if ent.label_ == "PERSON" and ent.start <= child.i < ent.end:
                return [e for e in d.lookup(ent.text) if e.kind == "person"]
    return []


def nationality_actor(phrase: Span, at: Mention) -> Found | None:
    """People named by their nationality are the country's civilians ("Palestinians", "hundreds of
    Palestinians", "two Israelis", "a Palestinian man"), as the coding guidelines say."""
    d = at.d
    root = phrase.root
    if root.pos_ not in ("NOUN", "PROPN") or not acts(root, role=True):
        return None
    iso3 = d.demonyms.get(dicts.normalise(root.text)) if root.text[:1].isupper() else None
    if iso3 is None and root.lemma_.lower() in PEOPLE_NOUNS:
        iso3 = next((d.demonyms[k] for t in phrase if (k := dicts.normalise(t.text)) in d.demonyms), None)
        if iso3 is None:
            return None
        return Found(
            at.start, at.end, at.sentence, f"{iso3}CVL", "people", None, iso3, ["CVL"], head=root.text
        )
    if iso3 is None:
        return None
    # People (plural, counted, "a Palestinian") are civilians; a lone singular demonym is the country itself.
    people = (
        root.tag_ in ("NNS", "NNPS")
        or any(c.dep_ == "nummod" or c.lower_ in ("a", "an") for c in root.children)
        or (root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in QUANTITIES)
    )
    code = f"{iso3}CVL" if people else iso3
    return Found(
        at.start, at.end, at.sentence, code, "people", None, iso3, ["CVL"] if people else [], head=root.text
    )


def coordinated_actors(phrase: Span, at: Mention) -> list[Found]:
    """ "Russian and Chinese warships", "both Israeli and Palestinian leaders": one role with coordinated country
    words is one mention listed once per country."""
    d = at.d
    before = [t for t in phrase if t.i < phrase.root.i]
    if not any(t.dep_ == "cc" for t in before):
        return []
    countries: list[str] = []
    for token in before:
        key = dicts.normalise(token.text)
        iso3 = (d.demonyms.get(key) or d.country_names.get(key)) if token.text[:1].isupper() else None
        if iso3 and iso3 not in countries and not hyphenated(token):
            countries.append(iso3)
    role = role_code(phrase, d) if len(countries) > 1 else None
    if role is None:
        return []
    words = phrase.text.lower()
    return [
        Found(
            at.start,
            at.end,
            at.sentence,
            f"{c}{role}",
            "role",
            None,
            c,
            [role],
            head=phrase.root.text,
            words=words,
        )
        for c in countries
    ]
