"""Actors: every actor an article names or describes, coded on the article's date.

Mentions come from the parse: named entities, dictionary names (the Kremlin, Hamas), and noun phrases headed by a
role word ("Israeli media", "the Russian side", "security forces"). Each is coded, in this order, from the
dictionaries (people with dated roles, organisations, metonyms), from a country word plus a role word, or from the
article's earlier mentions (surnames, pronouns, "the diplomat", "the two leaders"). A capital or seat of government
is an actor only where it acts or is acted upon ("Moscow said", "Tel Aviv's actions"); "in Moscow" is a place.
Actors that cannot be coded are kept, with their head noun and whatever country or role the text gives.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import datelines, gazetteer
from . import dictionaries as dicts
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
ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "dobj", "dative", "agent", "attr", "appos"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
GROUP_PRONOUNS = frozenset({"they", "them", "their"})
# "the two leaders", "both sides", "the parties": the last two actors of the article, together.
PAIR_HEADS = frozenset({"leaders", "sides", "parties", "presidents", "men", "countries", "governments"})
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
# Nouns for a member or voice of a group, whose role comes from their modifier ("opposition figure").
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
    }
)
# Role words that mean nothing without a country or an antecedent: never an uncoded actor on their own.
# How many mentions of its country a story's dateline is worth when finding the country the story is about.
DATELINE_WEIGHT = 2.0
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


@dataclass(slots=True)
class _Found:
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
    found: list[_Found] = []
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
                found.append(mention)
                taken.append((mention.start, mention.end))
    return [
        _mention(i, f, article) for i, f in enumerate(sorted(found, key=lambda f: (f.start, f.code or "")))
    ]


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
    if not counts:
        return None
    # Only a country the article is clearly about: an international report has no single home for "police".
    ranked = sorted(counts.values(), reverse=True)
    best = max(counts, key=lambda c: counts[c])
    return best if len(ranked) == 1 or ranked[0] >= 2 * ranked[1] else None


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
    found: list[_Found],
    sporty: bool,
    context: str | None,
) -> list[_Found]:
    """The actor mentions a phrase holds (none, one, or two for "the two leaders")."""
    start, end = _bounds(phrase, article.text)
    if start >= end:
        return []
    lower = phrase.root.lower_
    if lower in PERSON_PRONOUNS | GROUP_PRONOUNS:
        return _pronoun(phrase, start, end, sentence, found)
    if lower in PAIR_HEADS and _is_pair(phrase):
        return _pair(start, end, sentence, found)
    named = _named(phrase, start, end, sentence, article, d, sporty, found, context)
    role = (
        named
        or _people(phrase, start, end, sentence, d)
        or _role(phrase, start, end, sentence, d, found, context)
    )
    if role is None:
        return []
    if not role.words:
        role.words = phrase.text.lower()
    role.subject = phrase.root.dep_ in ("nsubj", "nsubjpass")
    return [role]


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
    found: list[_Found],
    context: str | None,
) -> _Found | None:
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
        entries = d.lookup(ent.text) or d.lookup(_titled(ent))
        if entries:
            return _from_entry(entries, phrase, start, end, sentence, article, d)
        if ent.label_ == "PERSON":
            if (
                len(ent) == 1
                and ent.root.dep_ == "pobj"
                and ent.root.head.lower_ in PERSON_PLACE_PREPOSITIONS
            ):
                return None  # "spoke from Rostov": a place the tagger took for a person
            return _unknown_person(ent, phrase, start, end, sentence, d, found, context)
    text = article.text[start:end]
    entries = d.lookup(text)
    if entries:
        return _from_entry(entries, phrase, start, end, sentence, article, d)
    key = dicts.normalise(text)
    if phrase.root.pos_ == "PROPN" and len(phrase) == 1:
        earlier = _same_surname(key, found)
        if earlier is not None:
            return _copy(earlier, start, end, sentence)
    # Names are capitalised: "turkey" is a bird.
    if (key in d.country_names or key in d.seats) and text[:1].isupper():
        if sporty or _us_state(phrase):
            return None
        if key in d.country_names:
            # A country after "to", "at", "against" is acted upon; only where a place is meant ("in Iran") is it not.
            if not _acts(phrase.root, country=True):
                return None
            iso3 = d.country_names[key]
            return _Found(start, end, sentence, iso3, "country", text, iso3, [], head=text)
        if not _acts(phrase.root) or _visited(phrase.root):
            return None
        if datelines.is_dateline(article.text, article.body_start, start, end):
            return None  # "MOSCOW, Dec. 10 (Reuters) -" says where the story was filed, not who acted
        iso3 = d.seats[key]
        return _Found(start, end, sentence, f"{iso3}GOV", "metonymy", text, iso3, ["GOV"], head=text)
    return None


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
) -> _Found:
    """A mention coded from dictionary entries; when several share the name, the one of the phrase's country, then
    the one in office on the article's date ("Assad" in 2010 is Bashar)."""
    country = _country_of(phrase, d)
    date = article.date
    in_office = [e for e in entries if date and any(s.covers(date) for s in e.stints)]
    # The phrase's country narrows the namesakes; among those, whoever holds office on the date wins.
    ranked = [e for e in in_office or entries if country and e.country == country]
    ranked = ranked or [e for e in entries if country and e.country == country] or in_office or entries
    entry = ranked[0]
    code, _title = entry.code_on(date)
    if code == f"{entry.country}ELI" and entry.kind == "person":
        # Out of every office the tables know on that date, but the text names a current title ("Foreign Ministry
        # spokesman Shen Guofang" in 2005): the text is the better evidence.
        role = _current_title(phrase, d)
        code = f"{entry.country}{role}" if role else code
    sectors = _sectors(code, entry.country)
    return _Found(
        start,
        end,
        sentence,
        code,
        "dictionary",
        entry.name,
        entry.country,
        sectors,
        entry.wikidata,
        phrase.root.text,
        person=entry.kind == "person",
    )


def _unknown_person(
    ent: Span,
    phrase: Span,
    start: int,
    end: int,
    sentence: int,
    d: dicts.Dictionaries,
    found: list[_Found],
    context: str | None,
) -> _Found:
    """A person not in the dictionaries, coded from an earlier mention of the surname, the role phrase it is in
    apposition to ("the envoy of Russia, X") or a title ("Russian President X", "King X" in the article's country);
    otherwise kept uncoded."""
    earlier = _same_surname(dicts.normalise(ent.text), found)
    if earlier is not None:
        return _copy(earlier, start, end, sentence)
    apposed = _apposed(ent, found)
    if apposed is not None:
        named = _copy(apposed, start, end, sentence)
        named.name, named.person = ent.text, True
        return named
    country = _country_of(phrase, d)
    role = _title_code(phrase, ent, d)
    if role and any(t.lower_ == "former" for t in phrase):
        role = "ELI"
    via = "role"
    if role and not country and context:
        country, via = context, "context"
    code = f"{country}{role}" if country and role else None
    return _Found(
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


def _title_code(phrase: Span, ent: Span, d: dicts.Dictionaries) -> str | None:
    """The role code of a title before a name in the phrase ("Russian President" in "Russian President X")."""
    return _longest_role([t.lower_ for t in phrase if t.i < ent.start and t.pos_ != "DET"], d)


def _current_title(phrase: Span, d: dicts.Dictionaries) -> str | None:
    """The role code of a title the phrase gives before its name, unless it says the office is past."""
    names = [t for t in phrase if t.ent_type_ == "PERSON"]
    if not names or any(t.lower_ in ("former", "ex", "late") for t in phrase):
        return None
    return _longest_role([t.lower_ for t in phrase if t.i < names[0].i and t.pos_ != "DET"], d)


def _same_surname(key: str, found: list[_Found]) -> _Found | None:
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


def _apposed(ent: Span, found: list[_Found]) -> _Found | None:
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
        if head.head is head:
            break
        head = head.head
    return None


def _role(
    phrase: Span,
    start: int,
    end: int,
    sentence: int,
    d: dicts.Dictionaries,
    found: list[_Found],
    context: str | None,
) -> _Found | None:
    """A phrase headed by a role word: coded with its country, through the article's earlier actors, or with the
    country the article is about ("police" in a report from Madagascar); otherwise kept uncoded."""
    role = _role_code(phrase, d)
    if role is None:
        return None
    if any(t.lower_ in ("former", "ex", "ex-") or t.lower_.startswith("ex-") for t in phrase):
        role = "ELI"  # "a former Russian president": an elite, not the government
    country = _country_of(phrase, d)
    head = phrase.root.text
    # A title names one person ("the German chancellor"): later pronouns may refer to it.
    person = phrase.root.lemma_.lower() in PERSONAL_TITLES
    if country:
        return _Found(
            start, end, sentence, f"{country}{role}", "role", None, country, [role], head=head, person=person
        )
    if phrase[0].lower_ == "the":
        antecedent = _antecedent(found, role, phrase.text.lower())
        if antecedent is not None:
            return _copy(antecedent, start, end, sentence)
    if not _acts(phrase.root, role=True):
        return None
    if context:
        return _Found(start, end, sentence, f"{context}{role}", "context", None, context, [role], head=head)
    if phrase.root.lower_ in VAGUE_ROLES:
        return None
    return _Found(start, end, sentence, None, "uncoded", None, None, [role], head=head)


def _people(phrase: Span, start: int, end: int, sentence: int, d: dicts.Dictionaries) -> _Found | None:
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
        return _Found(start, end, sentence, f"{iso3}CVL", "people", None, iso3, ["CVL"], head=root.text)
    if iso3 is None:
        return None
    # People (plural, counted, "a Palestinian") are civilians; a lone singular demonym is the country itself.
    people = (
        root.tag_ in ("NNS", "NNPS")
        or any(c.dep_ == "nummod" or c.lower_ in ("a", "an") for c in root.children)
        or (root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in QUANTITIES)
    )
    code = f"{iso3}CVL" if people else iso3
    return _Found(start, end, sentence, code, "people", None, iso3, ["CVL"] if people else [], head=root.text)


def _longest_role(words: list[str], d: dicts.Dictionaries) -> str | None:
    """The role code of the longest run of words ending the list that is a role phrase."""
    for size in range(len(words), 0, -1):
        code = d.roles.get(" ".join(words[-size:]))
        if code:
            return code
    return None


def _role_code(phrase: Span, d: dicts.Dictionaries) -> str | None:
    """The role code of the longest role phrase ending at the phrase's head ("first deputy permanent representative")."""
    code = _longest_role([t.lower_ for t in phrase if t.i <= phrase.root.i and t.pos_ != "DET"], d)
    if code:
        return code
    lemma = d.roles.get(phrase.root.lemma_.lower())
    if lemma or phrase.root.lemma_.lower() not in MEMBER_NOUNS:
        return lemma
    # "an opposition figure", "a rebel commander", "police sources": the role is in the modifier.
    for token in reversed([t for t in phrase if t.i < phrase.root.i]):
        code = d.roles.get(token.lower_) or d.roles.get(token.lemma_.lower())
        if code:
            return code
    return None


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
        if iso3 and ent.root.i != phrase.root.i and ent.text[:1].isupper():
            return iso3
    for token in phrase:
        if (
            token.i in covered
            or (token.i == phrase.root.i and token.ent_type_ != "NORP")
            or not token.is_title
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


def _pronoun(phrase: Span, start: int, end: int, sentence: int, found: list[_Found]) -> list[_Found]:
    """He or she: the latest person; they: the latest pair or group of actors."""
    lower = phrase.root.lower_
    if lower in PERSON_PRONOUNS:
        person = _salient_person(found, sentence)
        if person is None:
            return []
        return [_copy(person, start, end, sentence)]
    group = [f for f in found if f.sentence >= sentence - 1 and f.code]
    pair = [f for f in group if f.via == "coreference-pair"]
    source = pair[-2:] if pair else []
    return [_copy(f, start, end, sentence, "coreference-pair") for f in source]


def _salient_person(found: list[_Found], sentence: int) -> _Found | None:
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


def _is_pair(phrase: Span) -> bool:
    """Whether a plural phrase means two actors together: "the two leaders", "both sides", "the parties"."""
    words = {t.lower_ for t in phrase}
    return bool(words & {"two", "both"}) or phrase.root.lower_ == "parties"


def _pair(start: int, end: int, sentence: int, found: list[_Found]) -> list[_Found]:
    """ "The two leaders": the two latest coded actors of different countries, people first, with the same span."""
    chosen: list[_Found] = []
    for people_only in (True, False):
        for mention in reversed(found):
            if len(chosen) == 2:
                break
            usable = (
                mention.code and mention.via != "coreference-pair" and (mention.person or not people_only)
            )
            if usable and mention.country not in {c.country for c in chosen}:
                chosen.append(mention)
    if len(chosen) < 2:
        return []
    return [_copy(m, start, end, sentence, "coreference-pair") for m in reversed(chosen)]


def _antecedent(found: list[_Found], role: str, words: str) -> _Found | None:
    """The latest coded actor a definite description refers to: for a personal title ("the diplomat"), the latest
    actor whose title fits it; otherwise the latest actor with the same role."""
    family = next((titles for noun, titles in ROLE_FAMILIES.items() if words.endswith(noun)), None)
    coded = [m for m in found if m.code]
    if family:
        fitting = [m for m in coded if any(title in m.words for title in family)]
        # Only an actor whose title fits: "the envoy" after "Netanyahu met" is not Netanyahu.
        return fitting[-1] if fitting else None
    same_role = [m for m in coded if m.code and m.code.endswith(role)]
    return same_role[-1] if same_role else None


def _copy(mention: _Found, start: int, end: int, sentence: int, via: str = "coreference") -> _Found:
    """A new mention that refers to the same actor as an earlier one (keeping its title words, for later references)."""
    return _Found(
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


def _mention(index: int, f: _Found, article: Article) -> ActorMention:
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
