"""Actors: every actor an article names or describes, coded on the article's date.

Mentions come from the parse: named entities, dictionary names (the Kremlin, Hamas), and noun phrases headed by a
role word ("Israeli media", "the Russian side", "security forces"). Each is coded, in this order, from the
dictionaries (people with dated roles, organisations, metonyms), from a country word plus a role word, or from the
article's earlier mentions (surnames, pronouns, "the diplomat", "the two leaders"). A capital or seat of government
is an actor only where it acts or is acted upon ("Moscow said", "Tel Aviv's actions"); "in Moscow" is a place.
Actors that cannot be coded are kept, with their head noun and whatever country or role the text gives. Mentions
the parse splits are joined again ("Angolan troops", "Syrian Democratic Forces (SDF)").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import coreference, datelines, gazetteer
from . import dictionaries as dicts
from .coreference import GROUP_PRONOUNS, PAIR_HEADS, PERSON_PRONOUNS, Found
from .model import ActorMention, Article, trimmed

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
# Where a place name stands as a place, not as the government it may stand for.
PLACE_PREPOSITIONS = frozenset(
    {
        "in",
        "at",
        "near",
        "from",
        "into",
        "across",
        "outside",
        "inside",
        "around",
        "through",
        "toward",
        "towards",
        "throughout",
        "within",
        "over",
        "via",
        "off",
        "to",
        "onto",
        "along",
        "beyond",
        "north",
        "south",
    }
)
# Prepositions after which even a country name is where something happens, not who is acted upon.
LOCATIVE_PREPOSITIONS = frozenset(
    {
        "in",
        "inside",
        "within",
        "throughout",
        "across",
        "near",
        "around",
        "outside",
        "into",
        "over",
        "along",
        "via",
        "through",
        "beyond",
        "off",
    }
)
# After these, an unknown one-word "person" is a place the tagger got wrong ("spoke from Rostov").
# Countries whose names are written family name first in English news, so that "Shen" after "Shen Guofang" and
# "Kim" after "Kim Jong Un" are the same person.
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "VNM", "KHM", "SGP", "MNG"})

PERSON_PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "near", "from", "into", "inside", "outside", "around", "through", "across", "over"}
)
# Verbs of travel: their object is a destination ("visited Beijing"), not a government.
MOVEMENT_VERBS = frozenset({"visit", "tour", "leave", "reach", "enter", "arrive", "fly", "travel", "return"})
# Argument positions in which a place name acts or is acted upon.
# Heads of counted groups of people: "hundreds of Palestinians".
QUANTITIES = frozenset(
    {"hundred", "thousand", "dozen", "million", "score", "group", "crowd", "number", "band"}
)
# Nouns for one or more ordinary people that a nationality makes civilians of that country ("a Palestinian man").
PEOPLE_NOUNS = frozenset(
    {"man", "woman", "boy", "girl", "child", "teenager", "youth", "farmer", "worker", "resident", "villager"}
)
# Nouns for the armed men of a group, which the named group they belong to codes ("fighters of Isis").
GROUP_MEMBERS = frozenset({"fighter", "militant", "gunman", "rebel"})
# "Hezbollah-led", "Iran-backed": a name joined to these modifies the noun after it and is not the actor.
HYPHEN_MODIFIERS = frozenset(
    {
        "led",
        "backed",
        "allied",
        "aligned",
        "sponsored",
        "funded",
        "supported",
        "run",
        "controlled",
        "held",
        "linked",
    }
)
ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "dobj", "dative", "agent", "attr", "appos"})
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
# How many mentions of its country a story's dateline is worth when finding the country the story is about.
DATELINE_WEIGHT = 2.0
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
# Words only sport uses, and a score ("3-1", not a year range) next to a word sport shares with politics.
SPORTS = re.compile(
    r"\b(?:scored|scoring|equali[sz]ed|goalkeeper|striker|midfielder|kick-off|half-time|hat-trick)\b", re.I
)
SCORE = re.compile(r"(?<![\d-])\d{1,2}\s*[-–]\s*\d{1,2}(?![\d-])")
SPORT_CONTEXT = re.compile(
    r"\b(?:beat|beats|won|lost|defeated|draw|drew|match|league|cup|final|goals?|game|season|"
    r"tournament|champions?)\b",
    re.I,
)
US_STATE_CONTEXT = re.compile(r"^\s*state\b", re.I)
# Country or capital names that are also US states, and words that show the state is meant.
US_STATE_CLUES = {
    "georgia": re.compile(
        r"\b(?:Atlanta|Savannah|Peach State|county|counties|governor|state senate|state house)\b", re.I
    ),
    "washington": re.compile(
        r"\b(?:Seattle|Spokane|Olympia|Tacoma|county|state senate|state legislature)\b", re.I
    ),
}


class ActorStage:
    """The pipeline stage that fills `Article.actors`; dictionaries load once per process, user files included."""

    def __init__(self, extra_dictionaries: Sequence[str] = ()) -> None:
        """A stage with the shipped dictionaries and, overriding them, the user's files."""
        self.extra = tuple(str(p) for p in extra_dictionaries)
        self._dictionaries: dicts.Dictionaries | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Only the dictionary paths cross process boundaries."""
        return {"extra": self.extra}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild from the paths; dictionaries load on first use."""
        self.extra = state["extra"]
        self._dictionaries = None

    @property
    def dictionaries(self) -> dicts.Dictionaries:
        """The dictionaries this stage codes with."""
        if self._dictionaries is None:
            self._dictionaries = dicts.load(self.extra) if self.extra else dicts.shipped()
        return self._dictionaries

    def __call__(self, article: Article, doc: Doc) -> Article:
        """Find and code the article's actors."""
        article.actors = find_actors(article, doc, self.dictionaries)
        return article


def find_actors(article: Article, doc: Doc, d: dicts.Dictionaries) -> list[ActorMention]:
    """Every actor mention of a parsed article, in text order."""
    found: list[Found] = []
    starts = [s.span.start for s in article.sentences]
    context = context_country(doc, d, datelines.country(article.text, article.body_start))
    headers = datelines.headers(article.text, article.body_start)
    for sent in doc.sents:
        index = _sentence_index(starts, sent.start_char)
        sporty = bool(
            SPORTS.search(sent.text) or (SCORE.search(sent.text) and SPORT_CONTEXT.search(sent.text))
        )
        taken: list[tuple[int, int]] = []
        for whole in _phrases(sent):
            phrase = _outside(whole, headers)
            if phrase is None or any(phrase.start_char < e and s < phrase.end_char for s, e in taken):
                continue
            for mention in _resolve(phrase, index, article, d, found, sporty, context):
                joined = _joined(found[-1], mention, article.text) if found else None
                if joined is not None:
                    found[-1] = joined
                else:
                    found.append(mention)
                taken.append((mention.start, mention.end))
    return [
        # Mentions sharing a span ("Russian and Chinese warships") keep the order the text gives them.
        _mention(i, f, article)
        for i, f in enumerate(sorted(found, key=lambda f: f.start))
    ]


def _joined(before: Found, after: Found, text: str) -> Found | None:
    """One mention for two adjacent ones the parse split: a demonym and the role noun after it ("Angolan troops"),
    a name and its acronym in brackets ("Syrian Democratic Forces (SDF)"), a role and the name after it ("local
    newspaper Haaretz"); None when they are two actors."""
    if before.sentence != after.sentence or before.end > after.start:
        return None
    gap = text[before.end : after.start]
    if gap.strip() == "(" and text[after.end : after.end + 1] == ")" and before.code in (None, after.code):
        merged = coreference.copy(
            after if before.code is None else before, before.start, after.end + 1, before.sentence
        )
        merged.via = after.via if before.code is None else before.via
        merged.subject = before.subject
        return merged
    if gap.strip() or text[after.end : after.end + 2] in ("'s", "’s"):
        return None
    demonym = (
        before.via == "people"
        and before.code == before.country
        and " " not in text[before.start : before.end]
    )
    if demonym and after.sectors and after.via in ("role", "context", "uncoded") and not after.name:
        if after.via == "role" and after.country != before.country:
            return None
        role = after.sectors[0]
        return Found(
            before.start,
            after.end,
            before.sentence,
            f"{before.country}{role}",
            "role",
            None,
            before.country,
            [role],
            head=after.head,
            person=after.person,
            words=text[before.start : after.end].lower(),
            subject=after.subject,
        )
    # A singular title before a name ("local newspaper Haaretz"); "told reporters Netanyahu had agreed" is two.
    titled = before.via in ("role", "context", "uncoded") and before.sectors and not before.name
    singular = bool(before.head) and not (before.head or "").lower().endswith("s")
    if titled and singular and after.name and after.code and after.via == "dictionary":
        merged = coreference.copy(after, before.start, after.end, after.sentence)
        merged.via, merged.subject = after.via, after.subject
        return merged
    return None


def _outside(phrase: Span, headers: list[tuple[int, int]]) -> Span | None:
    """A phrase without the words of a dateline ("Dec 10 - Israel" is Israel); None when all of it is dateline."""
    for start, end in headers:
        if start <= phrase.start_char < end:
            rest = [t for t in phrase if t.idx >= end]
            if not rest:
                return None
            return phrase.doc[rest[0].i : phrase.end]
    return phrase


def context_country(doc: Doc, d: dicts.Dictionaries, filed_from: str | None = None) -> str | None:
    """The country an article is clearly about: named at least twice as often as any other
    (the first named wins a tie), its dateline's country counting twice. Domestic actors without a country
    word take it ("police", "the government")."""
    # A dateline tells where the story happened even when the tagger finds no place ("lucknow: police …").
    counts: dict[str, float] = {filed_from: DATELINE_WEIGHT} if filed_from else {}
    capitals = {dicts.normalise(c.capital) for c in d.countries.values() if c.capital}
    for ent in _doc_cache(doc, "ents"):
        # Any label: the tagger takes some countries for people ("Madagascar's capital").
        if ent.label_ in NAMED_LABELS:
            key = dicts.normalise(ent.text)
            # Capitals are left out: "Washington state officials" says nothing of where the article is.
            iso3 = d.country_names.get(key) or d.demonyms.get(key)
            # A city counts half: it tells where the story is when the country goes unnamed, but a report
            # naming a country and a foreign city is still about the country.
            weight = 1.0 if iso3 else 0.5
            iso3 = iso3 or _home_city(ent, key, d, capitals)
            if iso3:
                counts[iso3] = counts.get(iso3, 0) + weight
    if _lower_cased(doc.text):
        # Lower-cased text hides most names from the tagger; its proper nouns still name cities ("vadodara").
        for token in doc:
            iso3 = (
                gazetteer.city_country(token.text) if token.pos_ == "PROPN" and not token.ent_type_ else None
            )
            if iso3 and token.lower_ not in capitals:
                counts[iso3] = counts.get(iso3, 0) + 0.5
    if not counts:
        return None
    # Only a country the article is clearly about: an international report has no single home for "police".
    ranked = sorted(counts.values(), reverse=True)
    best = max(counts, key=lambda c: counts[c])
    return best if len(ranked) == 1 or ranked[0] >= 2 * ranked[1] else None


def _lower_cased(text: str) -> bool:
    """Whether a text is written in lower case throughout (some corpora are), but for a stray capital or two."""
    letters = sum(c.isalpha() for c in text)
    return letters > 0 and sum(c.isupper() for c in text) < 0.01 * letters


def _home_city(ent: Span, key: str, d: dicts.Dictionaries, capitals: set[str]) -> str | None:
    """The country of a city an article names (local news names its cities, not its country: "police in
    Lucknow"); capitals and seats of government are left out, since they so often stand for a government."""
    if ent.label_ != "GPE" or key in d.seats or key in capitals:
        return None
    return gazetteer.city_country(ent.text)


def _sentence_index(starts: list[int], char: int) -> int:
    """The index of the stored sentence containing a character offset."""
    return max(0, bisect.bisect_right(starts, char) - 1)


def _phrases(sent: Span) -> list[Span]:
    """Candidate actor phrases of a sentence: noun chunks and named entities outside them, in text order."""
    chunks = [c for c in _starting_in(sent.doc, "chunks", sent.start, sent.end) if c.start < sent.end]
    extra = [
        e
        for e in _span_ents(sent)
        if e.label_ in NAMED_LABELS and not any(c.start <= e.start and e.end <= c.end for c in chunks)
    ]
    return sorted([*chunks, *extra], key=lambda s: s.start)


def _doc_cache(doc: Doc, what: str) -> list[Span]:
    """A document's noun chunks or entities, computed once: spaCy recomputes them for every span asking."""
    key = f"eventwire_{what}"
    if key not in doc.user_data:
        doc.user_data[key] = list(doc.noun_chunks) if what == "chunks" else list(doc.ents)
        doc.user_data[f"{key}_starts"] = [s.start for s in doc.user_data[key]]
    cached: list[Span] = doc.user_data[key]
    return cached


def _starting_in(doc: Doc, what: str, start: int, end: int) -> list[Span]:
    """The cached noun chunks or entities that start between two token positions (both lists are in text order,
    so a bisection finds them without scanning the document)."""
    spans = _doc_cache(doc, what)
    starts: list[int] = doc.user_data[f"eventwire_{what}_starts"]
    return spans[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _span_ents(span: Span) -> list[Span]:
    """The named entities inside a span."""
    return [e for e in _starting_in(span.doc, "ents", span.start, span.end) if e.end <= span.end]


def _resolve(
    phrase: Span,
    sentence: int,
    article: Article,
    d: dicts.Dictionaries,
    found: list[Found],
    sporty: bool,
    context: str | None,
) -> list[Found]:
    """The actor mentions a phrase holds (none, one, or two for "the two leaders")."""
    start, end = _bounds(phrase, article.text)
    if start >= end:
        return []
    lower = phrase.root.lower_
    if lower in PERSON_PRONOUNS | GROUP_PRONOUNS | {"it"}:
        return coreference.pronoun(phrase, start, end, sentence, found)
    if _describes_person(phrase, found, d):
        return []
    coordinated = _coordinated(phrase, start, end, sentence, d)
    if coordinated:
        return coordinated
    if lower in PAIR_HEADS and coreference.is_pair(phrase):
        return coreference.pair(start, end, sentence, found)
    named = _named(phrase, start, end, sentence, article, d, sporty, found, context)
    role = (
        named
        or _people(phrase, start, end, sentence, d)
        or _role(phrase, start, end, sentence, article, d, found, context)
    )
    if role is None:
        return []
    if not role.words:
        role.words = phrase.text.lower()
    role.subject = phrase.root.dep_ in ("nsubj", "nsubjpass")
    return [role]


def _describes_person(phrase: Span, found: list[Found], d: dicts.Dictionaries) -> bool:
    """Whether a phrase is a title in apposition after a person's name ("X, the White House press secretary,
    said"): it describes X, who is the actor, and is no mention of its own."""
    root = phrase.root
    if root.dep_ != "appos" or root.ent_type_ or _role_code(phrase, d) is None:
        return False
    return any(m.person and m.start <= root.head.idx < m.end for m in found)


def _coordinated(phrase: Span, start: int, end: int, sentence: int, d: dicts.Dictionaries) -> list[Found]:
    """ "Russian and Chinese warships", "both Israeli and Palestinian leaders": one role with coordinated country
    words is one mention listed once per country."""
    before = [t for t in phrase if t.i < phrase.root.i]
    if not any(t.dep_ == "cc" for t in before):
        return []
    countries: list[str] = []
    for token in before:
        key = dicts.normalise(token.text)
        iso3 = (d.demonyms.get(key) or d.country_names.get(key)) if token.text[:1].isupper() else None
        if iso3 and iso3 not in countries and not _hyphenated(token):
            countries.append(iso3)
    role = _role_code(phrase, d) if len(countries) > 1 else None
    if role is None:
        return []
    words = phrase.text.lower()
    return [
        Found(start, end, sentence, f"{c}{role}", "role", None, c, [role], head=phrase.root.text, words=words)
        for c in countries
    ]


def _bounds(phrase: Span, text: str) -> tuple[int, int]:
    """A phrase's offsets without a leading article or a trailing possessive."""
    tokens = list(phrase)
    while tokens and tokens[0].lower_ in ("the", "a", "an", "its", "their"):
        tokens = tokens[1:]
    while tokens and tokens[-1].tag_ == "POS":
        tokens = tokens[:-1]
    if not tokens:
        return 0, 0
    return trimmed(text, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))


def _named(
    phrase: Span,
    start: int,
    end: int,
    sentence: int,
    article: Article,
    d: dicts.Dictionaries,
    sporty: bool,
    found: list[Found],
    context: str | None,
) -> Found | None:
    """A phrase coded through a name it contains: a person, an organisation, a metonym, a country or a seat."""
    ents = [e for e in _span_ents(phrase) if e.label_ in ("PERSON", "ORG", "FAC", "GPE")]
    named_root = any(e.start <= phrase.root.i < e.end for e in ents)
    for ent in ents:
        if (
            ent.root.i != phrase.root.i
            and ent.root.dep_ == "poss"
            and not named_root
            and not _role_code(phrase, d)
        ):
            # "Netanyahu's dissatisfaction", "Moscow's position": the actor is the possessor, not the phrase
            # (but "Russia's President Vladimir Putin" is Putin).
            start, end = _bounds(ent, article.text)
            phrase = ent
        # A country, demonym or capital the tagger took for a person ("Jordan condemned it") is handled further on.
        key = dicts.normalise(ent.text)
        if ent.label_ == "GPE" or key in d.country_names or key in d.demonyms or key in d.seats:
            continue
        if _hyphenated(ent[-1]) and _role_code(phrase, d):
            continue  # "the Hezbollah-led opposition" is the opposition (but the UN sponsors a "UN-sponsored summit")
        entries = d.lookup(ent.text) or d.lookup(_titled(ent))
        if entries:
            return _namesake(
                _from_entry(entries, phrase, start, end, sentence, article, d), entries, phrase, d, context
            )
        if ent.label_ == "PERSON":
            if (
                len(ent) == 1
                and ent.root.dep_ == "pobj"
                and ent.root.head.lower_ in PERSON_PLACE_PREPOSITIONS
            ):
                return None  # "spoke from Rostov": a place the tagger took for a person
            return _unknown_person(ent, phrase, start, end, sentence, article, d, found, context)
    text = article.text[start:end]
    entries = d.lookup(text)
    if entries:
        return _namesake(
            _from_entry(entries, phrase, start, end, sentence, article, d), entries, phrase, d, context
        )
    key = dicts.normalise(text)
    if phrase.root.pos_ == "PROPN" and len(phrase) == 1:
        earlier = _same_surname(key, found)
        if earlier is not None:
            return coreference.copy(earlier, start, end, sentence)
    # Names are capitalised: "turkey" is a bird.
    if (key in d.country_names or key in d.seats) and text[:1].isupper():
        if sporty or _us_state(phrase):
            return None
        if key in d.country_names:
            # A country after "to", "at", "against" is acted upon; only where a place is meant ("in Iran") is it not.
            if not _acts(phrase.root, country=True):
                return None
            iso3 = d.country_names[key]
            return Found(start, end, sentence, iso3, "country", text, iso3, [], head=text)
        if not _acts(phrase.root) or _visited(phrase.root):
            return None
        if datelines.is_dateline(article.text, article.body_start, start, end):
            return None  # "MOSCOW, Dec. 10 (Reuters) -" says where the story was filed, not who acted
        iso3 = d.seats[key]
        return Found(start, end, sentence, f"{iso3}GOV", "metonymy", text, iso3, ["GOV"], head=text)
    return None


def _namesake(
    named: Found, entries: list[dicts.ActorEntry], phrase: Span, d: dicts.Dictionaries, context: str | None
) -> Found:
    """A party named like a foreign one in an article about another country that never names the foreign one's
    ("the Democratic Party" in a report on Azerbaijan): that country's party of the name."""
    foreign = named.country
    if (
        not context
        or not foreign
        or foreign == context
        or any(e.kind != "party" for e in entries)
        or foreign in _countries_named(phrase.doc, d)
        or _country_of(phrase, d)
    ):
        return named
    return Found(
        named.start,
        named.end,
        named.sentence,
        f"{context}PTY",
        "context",
        None,
        context,
        ["PTY"],
        head=named.head,
        words=named.words,
    )


def _countries_named(doc: Doc, d: dicts.Dictionaries) -> set[str]:
    """The countries a document names by name, demonym or seat of government (computed once per document)."""
    key = "eventwire_countries"
    if key not in doc.user_data:
        names = (dicts.normalise(e.text) for e in _doc_cache(doc, "ents"))
        doc.user_data[key] = {
            iso3 for k in names if (iso3 := d.country_names.get(k) or d.demonyms.get(k) or d.seats.get(k))
        }
    named: set[str] = doc.user_data[key]
    return named


def _titled(ent: Span) -> str:
    """A name with the capitalised title word just before it, which some names carry ("King Hussein",
    "Sheikh Hasina"), when the tagger left the title out of the entity."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is None or not before.is_title or before.ent_type_:
        return ent.text
    return f"{before.text} {ent.text}"


def _from_entry(
    entries: list[dicts.ActorEntry],
    phrase: Span,
    start: int,
    end: int,
    sentence: int,
    article: Article,
    d: dicts.Dictionaries,
) -> Found:
    """A mention coded from dictionary entries; when several share the name, the one of the phrase's country, then
    the one in office on the article's date ("Assad" in 2010 is Bashar)."""
    country = _country_of(phrase, d)
    date = article.date
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
        start,
        end,
        sentence,
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


def _unknown_person(
    ent: Span,
    phrase: Span,
    start: int,
    end: int,
    sentence: int,
    article: Article,
    d: dicts.Dictionaries,
    found: list[Found],
    context: str | None,
) -> Found:
    """A person not in the dictionaries, coded from an earlier mention of the surname, the role phrase it is in
    apposition to ("the envoy of Russia, X", "X, Iraq's deputy speaker"), an organisation its title names ("Islamic
    State suspect X") or a title ("Russian President X", "King X" in the article's country); otherwise kept
    uncoded."""
    earlier = _same_surname(dicts.normalise(ent.text), found)
    if earlier is not None:
        return coreference.copy(earlier, start, end, sentence)
    apposed = _apposed(ent, found)
    if apposed is not None:
        named = coreference.copy(apposed, start, end, sentence)
        named.name, named.person = ent.text, True
        return named
    titled = _apposed_title(ent, start, end, sentence, article, d, found)
    if titled is not None:
        return titled
    # "Islamic State suspect X", "senior VHP leader X": a title naming an organisation makes the person its member.
    entries = _organisation([t for t in phrase if t.i < ent.start], d)
    if entries and not any(t.lower_ == "former" for t in phrase):
        member = _from_entry(entries, phrase, start, end, sentence, article, d)
        member.name, member.head, member.person = ent.text, ent.text, True
        return member
    country = _country_of(phrase, d)
    role = _title_code(phrase, ent, d)
    if role and any(t.lower_ == "former" for t in phrase):
        role = "ELI"
    via = "role"
    if role and not country and context:
        country, via = context, "context"
    code = f"{country}{role}" if country and role else None
    return Found(
        start,
        end,
        sentence,
        code,
        via if code else "uncoded",
        ent.text,
        country,
        [role] if role else [],
        head=ent.text,
        person=True,
    )


def _apposed_title(
    ent: Span,
    start: int,
    end: int,
    sentence: int,
    article: Article,
    d: dicts.Dictionaries,
    found: list[Found],
) -> Found | None:
    """A person coded by the title in apposition after the name, when the title says whose it is or refers back to
    an actor ("X, the White House press secretary", "X, Iraq's deputy speaker of parliament", "X, the leader of
    ..." after "an opposition leader")."""
    for child in (c for c in ent.root.children if c.dep_ == "appos"):
        title = next((c for c in _doc_cache(ent.doc, "chunks") if c.root.i == child.i), None)
        coded = _role(title, start, end, sentence, article, d, found, None) if title is not None else None
        if coded is not None and coded.code and coded.via in ("role", "dictionary", "coreference"):
            coded.name, coded.head, coded.person = ent.text, ent.text, True
            return coded
    return None


def _title_code(phrase: Span, ent: Span, d: dicts.Dictionaries) -> str | None:
    """The role code of a title before a name in the phrase ("Russian President" in "Russian President X")."""
    return _longest_role([t.lower_ for t in phrase if t.i < ent.start and t.pos_ != "DET"], d)


def _current_title(phrase: Span, d: dicts.Dictionaries) -> str | None:
    """The role code of a title the phrase gives before its name, unless it says the office is past."""
    names = [t for t in phrase if t.ent_type_ == "PERSON"]
    if not names or any(t.lower_ in ("former", "ex", "late") for t in phrase):
        return None
    return _longest_role([t.lower_ for t in phrase if t.i < names[0].i and t.pos_ != "DET"], d)


def _same_surname(key: str, found: list[Found]) -> Found | None:
    """The latest person mentioned by a full name that ends with this surname (or is this name); for people of
    countries that write the family name first ("Shen Guofang", "Kim Jong Un", "Hun Sen"), one that starts with
    it."""
    for mention in reversed(found):
        if mention.person and mention.name:
            name = dicts.normalise(mention.name)
            if name == key or name.endswith(" " + key):
                return mention
            if mention.country in FAMILY_NAME_FIRST and name.startswith(key + " "):
                return mention
    return None


def _apposed(ent: Span, found: list[Found]) -> Found | None:
    """The coded role phrase a name stands in apposition to ("the first deputy representative …, X")."""
    if ent.root.dep_ != "appos":
        return None
    head = ent.root.head
    # The parser may attach the name to the last noun before it ("… of Russia to the UN, X"): climb to the phrase.
    for _ in range(4):
        for mention in reversed(found):
            # A name stands in apposition to a person or a title, not to an organisation or a country.
            titled = mention.person or mention.via == "role"
            if mention.code and titled and mention.start <= head.idx < mention.end:
                return mention
        if head.head.i == head.i:
            break
        head = head.head
    return None


def _role(
    phrase: Span,
    start: int,
    end: int,
    sentence: int,
    article: Article,
    d: dicts.Dictionaries,
    found: list[Found],
    context: str | None,
) -> Found | None:
    """A phrase headed by a role word: coded with its country, through the article's earlier actors, or with the
    country the article is about ("police" in a report from Madagascar); otherwise kept uncoded."""
    role = _role_code(phrase, d)
    if role is None:
        return None
    head = phrase.root.text
    # A title names one person ("the German chancellor", not "officials"): later pronouns may refer to it.
    person = phrase.root.lemma_.lower() in PERSONAL_TITLES and phrase.root.tag_ not in ("NNS", "NNPS")
    former = any(t.lower_ in ("former", "ex", "ex-") or t.lower_.startswith("ex-") for t in phrase)
    # "Isis fighters", "a spokesman for the SDF": the men or the voice of a named organisation are that organisation.
    entries = (
        [] if former else _organisation([t for t in phrase if t.i < phrase.root.i], d) or _group_of(phrase, d)
    )
    if entries:
        group = _from_entry(entries, phrase, start, end, sentence, article, d)
        group.head, group.person = head, person
        return group
    if former:
        role = "ELI"  # "a former Russian president": an elite, not the government
    country = _country_of(phrase, d)
    # "Azerbaijan accused Armenia of firing on its troops": "its" is the subject's.
    owned = any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in phrase.root.children)
    owner = coreference.clause_subject(phrase.root, found) if owned else None
    if owner is not None and not country and owner.via == "dictionary" and not owner.person:
        return coreference.copy(owner, start, end, sentence)  # "Hamas said its fighters …": Hamas's own
    country = country or (owner.country if owner is not None and not owner.person else None)
    if country:
        return Found(
            start, end, sentence, f"{country}{role}", "role", None, country, [role], head=head, person=person
        )
    # "the prime minister, Malcolm Turnbull": the title is the person it stands beside.
    named = _apposed_person(phrase, d)
    if named:
        return _from_entry(named, phrase, start, end, sentence, article, d)
    if phrase[0].lower_ == "the":
        antecedent = coreference.antecedent(found, role, phrase.text.lower(), head.lower())
        if antecedent is not None:
            described = coreference.copy(antecedent, start, end, sentence)
            described.person = person  # "the Congress" after a congressman is not a "he"
            return described
    if not _acts(phrase.root, role=True):
        return None
    if context:
        return Found(start, end, sentence, f"{context}{role}", "context", None, context, [role], head=head)
    # A bare vague word ("officials") or a role written as a name ("Secretary of State") takes no country from
    # nearby actors.
    vague = phrase.root.lower_ in VAGUE_ROLES
    bare = vague and all(t.pos_ == "DET" for t in phrase if t.i != phrase.root.i)
    # Nor is a title that names one person ("the envoy" is not whoever governs nearby).
    nearby = (
        None
        if owned or bare or person or phrase.root.ent_type_
        else coreference.nearby(found, role, sentence)
    )
    if nearby is not None:
        return Found(start, end, sentence, f"{nearby}{role}", "context", None, nearby, [role], head=head)
    if vague:
        return None
    return Found(start, end, sentence, None, "uncoded", None, None, [role], head=head)


def _group_of(phrase: Span, d: dicts.Dictionaries) -> list[dicts.ActorEntry]:
    """The organisation a member noun belongs to by a preposition ("a spokesman for the SDF", "activists of the
    VHP"): the dictionary entries of the named object."""
    if _singular(phrase.root.lower_) not in MEMBER_NOUNS | GROUP_MEMBERS:
        return []
    for prep in (c for c in phrase.root.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "from")):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            spans = [e for e in _doc_cache(obj.doc, "ents") if e.start <= obj.i < e.end]
            spans.append(obj.doc[obj.left_edge.i : obj.i + 1])
            for span in spans:
                key = dicts.normalise(span.text)
                if key in d.country_names or key in d.demonyms or key in d.seats:
                    continue
                entries = [e for e in d.names.get(key, []) if e.kind != "person"]
                if entries:
                    return entries
    return []


def _apposed_person(phrase: Span, d: dicts.Dictionaries) -> list[dicts.ActorEntry]:
    """The dictionary person a title stands in apposition to ("the prime minister, Malcolm Turnbull")."""
    for child in phrase.root.children:
        if child.dep_ != "appos":
            continue
        for ent in _doc_cache(phrase.doc, "ents"):
            if ent.label_ == "PERSON" and ent.start <= child.i < ent.end:
                return [e for e in d.lookup(ent.text) if e.kind == "person"]
    return []


def _people(phrase: Span, start: int, end: int, sentence: int, d: dicts.Dictionaries) -> Found | None:
    """People named by their nationality are the country's civilians ("Palestinians", "hundreds of
    Palestinians", "two Israelis", "a Palestinian man"), as the coding guidelines say."""
    root = phrase.root
    if root.pos_ not in ("NOUN", "PROPN") or not _acts(root, role=True):
        return None
    iso3 = d.demonyms.get(dicts.normalise(root.text)) if root.text[:1].isupper() else None
    if iso3 is None and root.lemma_.lower() in PEOPLE_NOUNS:
        iso3 = next((d.demonyms[k] for t in phrase if (k := dicts.normalise(t.text)) in d.demonyms), None)
        if iso3 is None:
            return None
        return Found(start, end, sentence, f"{iso3}CVL", "people", None, iso3, ["CVL"], head=root.text)
    if iso3 is None:
        return None
    # People (plural, counted, "a Palestinian") are civilians; a lone singular demonym is the country itself.
    people = (
        root.tag_ in ("NNS", "NNPS")
        or any(c.dep_ == "nummod" or c.lower_ in ("a", "an") for c in root.children)
        or (root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in QUANTITIES)
    )
    code = f"{iso3}CVL" if people else iso3
    return Found(start, end, sentence, code, "people", None, iso3, ["CVL"] if people else [], head=root.text)


def _longest_role(words: list[str], d: dicts.Dictionaries) -> str | None:
    """The role code of the longest run of words ending the list that is a role phrase; a noun for a member or
    voice of a group takes the role its modifier names ("police spokesman" COP, "rebel commander" REB)."""
    for size in range(len(words), 0, -1):
        code = d.roles.get(" ".join(words[-size:]))
        if code:
            if size == 1 and _singular(words[-1]) in MEMBER_NOUNS:
                return _modifier_role(words[:-1], d) or code
            return code
    return None


def _modifier_role(words: list[str], d: dicts.Dictionaries) -> str | None:
    """The role of the nearest modifier that is a role word ("opposition" in "opposition party's leader")."""
    for word in reversed(words):
        code = d.roles.get(word) or d.roles.get(_singular(word))
        if code:
            return code
    return None


def _singular(word: str) -> str:
    """A plural role noun's singular, near enough for lookups ("spokesmen", "officials")."""
    if word.endswith("men"):
        return word[:-3] + "man"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _hyphenated(token: Token) -> bool:
    """Whether a word is joined to a modifier like "-led" or "-backed" ("Hezbollah-led opposition")."""
    doc = token.doc
    return (
        token.i + 2 < len(doc)
        and doc[token.i + 1].text == "-"
        and doc[token.i + 2].lower_ in HYPHEN_MODIFIERS
    )


def _organisation(tokens: list[Token], d: dicts.Dictionaries) -> list[dicts.ActorEntry]:
    """The dictionary entries of the longest capitalised name among a head's modifiers that is an organisation or a
    seat ("Isis" in "Isis fighters", "Islamic State" in "Islamic State suspect X"); people's names do not count."""
    for size in range(len(tokens), 0, -1):
        for first in range(len(tokens) - size + 1):
            run = tokens[first : first + size]
            if not run[0].text[:1].isupper() or run[-1].i - run[0].i != size - 1 or _hyphenated(run[-1]):
                continue
            key = dicts.normalise(run[0].doc[run[0].i : run[-1].i + 1].text)
            if key in d.country_names or key in d.demonyms or key in d.seats:
                continue
            entries = [e for e in d.names.get(key, []) if e.kind != "person"]
            if entries:
                return entries
    return []


def _role_code(phrase: Span, d: dicts.Dictionaries) -> str | None:
    """The role code of the longest role phrase ending at the phrase's head ("first deputy permanent representative")."""
    code = _longest_role([t.lower_ for t in phrase if t.i <= phrase.root.i and t.pos_ != "DET"], d)
    if code:
        return code
    lemma = d.roles.get(phrase.root.lemma_.lower())
    if lemma or phrase.root.lemma_.lower() not in MEMBER_NOUNS:
        return lemma
    # "an opposition figure", "police sources": the role is in the modifier.
    return _modifier_role([t.lower_ for t in phrase if t.i < phrase.root.i], d)


def _country_of(phrase: Span, d: dicts.Dictionaries) -> str | None:
    """The country a phrase names in a modifier: a country name or demonym (whole names first, so "South Sudan
    troops" is South Sudan and "New Mexico police" no country), or "of Russia" after its head."""
    covered: set[int] = set()
    for ent in _span_ents(phrase):
        covered.update(range(ent.start, ent.end))
        key = dicts.normalise(ent.text)
        iso3 = d.demonyms.get(key) or d.country_names.get(key)
        if not iso3 and ent.label_ == "ORG" and len(ent) > 1:
            # "Chinese Foreign Ministry spokesman X": the country is the first word of the organisation's name.
            first = dicts.normalise(ent[0].text)
            iso3 = d.demonyms.get(first) or d.country_names.get(first)
        if iso3 and ent.root.i != phrase.root.i and ent.text[:1].isupper() and not _hyphenated(ent[-1]):
            return iso3
    for token in phrase:
        if (
            token.i in covered
            or (token.i == phrase.root.i and token.ent_type_ != "NORP")
            or not token.is_title
            or _hyphenated(token)
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


def _acts(token: Token, role: bool = False, country: bool = False) -> bool:
    """Whether a noun stands where an actor acts or is acted upon, not where a place is.

    A capital after any place preposition is a place (`to Moscow`); a country only after the purely locative ones
    (`in Iran`, not `missiles at Iran`); a role noun after any preposition is an actor (`fired at protesters`).
    """
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ in ACTOR_DEPS:
        return True
    if token.dep_ == "pobj":
        if role:
            return True
        return token.head.lower_ not in (LOCATIVE_PREPOSITIONS if country else PLACE_PREPOSITIONS)
    return False


def _visited(token: Token) -> bool:
    """Whether a place name is the destination of a travel verb ("visited Beijing")."""
    return token.dep_ == "dobj" and token.head.lemma_.lower() in MOVEMENT_VERBS


def _us_state(phrase: Span) -> bool:
    """Whether a place name is a US state here ("Washington state", "the state of Georgia", Georgia and Atlanta)."""
    after = phrase.doc[phrase.end : phrase.end + 1].text
    before = phrase.doc[max(0, phrase.start - 2) : phrase.start].text.lower()
    if US_STATE_CONTEXT.match(after) or before.endswith("state of"):
        return True
    clues = US_STATE_CLUES.get(phrase.text.lower())
    return bool(clues and clues.search(phrase.sent.text))


def _sectors(code: str | None, country: str | None) -> list[str]:
    """The role codes after the country part of an actor code."""
    if not code:
        return []
    rest = code[3:] if country and code.startswith(country) else code
    return [rest[i : i + 3] for i in range(0, len(rest), 3)]


def _mention(index: int, f: Found, article: Article) -> ActorMention:
    """A resolved mention as the record the article keeps."""
    return ActorMention(
        index,
        f.sentence,
        article.span(f.start, f.end),
        f.code,
        f.name,
        f.country,
        f.sectors,
        f.wikidata,
        f.head,
        f.via,
        f.code is not None,
    )
