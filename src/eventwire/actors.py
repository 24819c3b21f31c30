"""Actors: every actor an article names or describes, coded on the article's date.

Mentions come from the parse: named entities, dictionary names (the Kremlin, Hamas), and noun phrases headed by a
role word ("Israeli media", "the Russian side", "security forces"). Each is coded, in this order, from the
dictionaries (people with dated roles, organisations, metonyms), from a country word plus a role word, or from the
article's earlier mentions (surnames, pronouns, "the diplomat", "the two leaders"). A capital or seat of government
is an actor only where it acts or is acted upon ("Moscow said", "Tel Aviv's actions"); "in Moscow" is a place.
Actors that cannot be coded are kept, with their head noun and whatever country or role the text gives. Mentions
the parse splits are joined again ("Angolan troops", "Syrian Democratic Forces (SDF)").

Named mentions are resolved here; `roles` codes the mentions a role word or a nationality describes, `actor_codes`
reads the codes a phrase's words give, `actor_spans` holds what the stage reads of the parse, and `coreference` what
later mentions refer back to.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import casing, coreference, datelines, gazetteer, roles
from . import dictionaries as dicts
from .actor_codes import Mention, country_of, from_entry, organisation, role_code, title_code
from .actor_spans import acts, bounds, doc_cache, hyphenated, span_ents, starting_in, visited
from .coreference import GROUP_PRONOUNS, PAIR_HEADS, PERSON_PRONOUNS, Found
from .model import ActorMention, Article

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
# Nouns for the people around a person ("Mann supporters", "the Khan family"), who are actors as the person is.
FOLLOWERS = frozenset(
    {
        "supporter",
        "follower",
        "loyalist",
        "family",
        "relative",
        "son",
        "daughter",
        "wife",
        "husband",
        "aide",
        "ally",
    }
)
# Countries whose names are written family name first in English news, so that "Shen" after "Shen Guofang" and
# "Kim" after "Kim Jong Un" are the same person.
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "VNM", "KHM", "SGP", "MNG"})
# After these, an unknown one-word "person" is a place the tagger got wrong ("spoke from Rostov").
PERSON_PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "near", "from", "into", "inside", "outside", "around", "through", "across", "over"}
)
# How many mentions of its country a story's dateline is worth when finding the country the story is about.
DATELINE_WEIGHT = 2.0
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
    for ent in doc_cache(doc, "ents"):
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
    if casing.restored(doc) or _lower_cased(doc.text):
        # A text written in one case hides names from the tagger even after its capitals are restored; its proper
        # nouns still name cities, also inside the names of local bodies ("vadodara municipal corporation").
        for token in doc:
            iso3 = gazetteer.city_country(token.text) if _city_word(token) else None
            if iso3 and token.lower_ not in capitals:
                counts[iso3] = counts.get(iso3, 0) + 0.5
    if not counts:
        return None
    # Only a country the article is clearly about: an international report has no single home for "police".
    ranked = sorted(counts.values(), reverse=True)
    best = max(counts, key=lambda c: counts[c])
    return best if len(ranked) == 1 or ranked[0] >= 2 * ranked[1] else None


def _city_word(token: Token) -> bool:
    """Whether a token may be a city's name the entities above did not count: a proper noun outside every
    entity (a name inside one is the name of a place counted already, a person, or a body: "Mecca Masjid")."""
    return token.pos_ == "PROPN" and not token.ent_type_


def _lower_cased(text: str) -> bool:
    """Whether a text is written in lower case throughout (some corpora are), but for a stray capital or two."""
    letters = sum(c.isalpha() for c in text)
    return letters > 0 and sum(c.isupper() for c in text) < 0.01 * letters


def _home_city(ent: Span, key: str, d: dicts.Dictionaries, capitals: set[str]) -> str | None:
    """The country of a city or region an article names (local news names its cities and provinces, not its
    country: "police in Lucknow", "as they entered Uttar Pradesh"); capitals and seats of government are left
    out, since they so often stand for a government."""
    if key in d.seats or key in capitals:
        return None
    if ent.label_ == "ORG":
        return gazetteer.regions().get(key)  # the tagger takes some provinces for bodies ("Uttar Pradesh")
    return gazetteer.place_country(ent.text) if ent.label_ in ("GPE", "LOC") else None


def _sentence_index(starts: list[int], char: int) -> int:
    """The index of the stored sentence containing a character offset."""
    return max(0, bisect.bisect_right(starts, char) - 1)


def _phrases(sent: Span) -> list[Span]:
    """Candidate actor phrases of a sentence: noun chunks and named entities outside them, in text order."""
    chunks = [c for c in starting_in(sent.doc, "chunks", sent.start, sent.end) if c.start < sent.end]
    extra = [
        e
        for e in span_ents(sent)
        if e.label_ in NAMED_LABELS and not any(c.start <= e.start and e.end <= c.end for c in chunks)
    ]
    return sorted([*chunks, *extra], key=lambda s: s.start)


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
    start, end = bounds(phrase, article.text)
    if start >= end:
        return []
    at = Mention(start, end, sentence, article, d, found, context)
    lower = phrase.root.lower_
    if lower in PERSON_PRONOUNS | GROUP_PRONOUNS | {"it"}:
        return coreference.pronoun(phrase, start, end, sentence, found)
    if _describes_person(phrase, found, d):
        return []
    coordinated = roles.coordinated_actors(phrase, at)
    if coordinated:
        return coordinated
    if lower in PAIR_HEADS and coreference.is_pair(phrase):
        return coreference.pair(start, end, sentence, found)
    named = _named(phrase, at, sporty)
    role = named or roles.nationality_actor(phrase, at) or roles.role_actor(phrase, at)
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
    if root.dep_ != "appos" or root.ent_type_ or role_code(phrase, d) is None:
        return False
    return any(m.person and m.start <= root.head.idx < m.end for m in found)


def _named(phrase: Span, at: Mention, sporty: bool) -> Found | None:
    """A phrase coded through a name it contains: a person, an organisation, a metonym, a country or a seat."""
    article, d, found, context = at.article, at.d, at.found, at.context
    ents = [e for e in span_ents(phrase) if e.label_ in ("PERSON", "ORG", "FAC", "GPE")]
    named_root = any(e.start <= phrase.root.i < e.end for e in ents)
    for ent in ents:
        if (
            ent.root.i != phrase.root.i
            and ent.root.dep_ == "poss"
            and not named_root
            and not role_code(phrase, d)
        ):
            # "Netanyahu's dissatisfaction", "Moscow's position": the actor is the possessor, not the phrase
            # (but "Russia's President Vladimir Putin" is Putin).
            start, end = bounds(ent, article.text)
            at = replace(at, start=start, end=end)
            phrase = ent
        # A country, demonym or capital the tagger took for a person ("Jordan condemned it") is handled further on.
        key = dicts.normalise(ent.text)
        if ent.label_ == "GPE" or key in d.country_names or key in d.demonyms or key in d.seats:
            continue
        if hyphenated(ent[-1]) and role_code(phrase, d):
            continue  # "the Hezbollah-led opposition" is the opposition (but the UN sponsors a "UN-sponsored summit")
        entries = d.lookup(ent.text) or d.lookup(_titled(ent))
        if entries:
            return _namesake(from_entry(entries, phrase, at), entries, phrase, d, context)
        if ent.label_ == "PERSON":
            if (
                len(ent) == 1
                and ent.root.dep_ == "pobj"
                and ent.root.head.lower_ in PERSON_PLACE_PREPOSITIONS
            ):
                return None  # "spoke from Rostov": a place the tagger took for a person
            if _names_a_thing(ent, phrase, d):
                return None
            return _unknown_person(ent, phrase, at)
    text = article.text[at.start : at.end]
    entries = d.lookup(text)
    if entries:
        return _namesake(from_entry(entries, phrase, at), entries, phrase, d, context)
    key = dicts.normalise(text)
    if phrase.root.pos_ == "PROPN" and len(phrase) == 1:
        earlier = _same_surname(key, found)
        if earlier is not None:
            return coreference.copy(earlier, at.start, at.end, at.sentence)
    # Names are capitalised: "turkey" is a bird (as parsed: a text written in one case has its capitals restored).
    if (key in d.country_names or key in d.seats) and phrase.doc.text[at.start : at.end][:1].isupper():
        if sporty or _us_state(phrase):
            return None
        if key in d.country_names:
            # A country after "to", "at", "against" is acted upon; only where a place is meant ("in Iran") is it not.
            if not acts(phrase.root, country=True):
                return None
            iso3 = d.country_names[key]
            return Found(at.start, at.end, at.sentence, iso3, "country", text, iso3, [], head=text)
        if not acts(phrase.root) or visited(phrase.root):
            return None
        if datelines.is_dateline(article.text, article.body_start, at.start, at.end):
            return None  # "MOSCOW, Dec. 10 (Reuters) -" says where the story was filed, not who acted
        iso3 = d.seats[key]
        return Found(at.start, at.end, at.sentence, f"{iso3}GOV", "metonymy", text, iso3, ["GOV"], head=text)
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
        or country_of(phrase, d)
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
        names = (dicts.normalise(e.text) for e in doc_cache(doc, "ents"))
        doc.user_data[key] = {
            iso3 for k in names if (iso3 := d.country_names.get(k) or d.demonyms.get(k) or d.seats.get(k))
        }
    named: set[str] = doc.user_data[key]
    return named


def _names_a_thing(ent: Span, phrase: Span, d: dicts.Dictionaries) -> bool:
    """Whether an unknown "person" only modifies a phrase about a thing ("the gazipur border", "chhota udaipur
    town", "the godhra train carnage"): neither the person nor the phrase is an actor. One that modifies a role
    ("the Trump administration", "a Putin aide") still names the actor."""
    return (
        ent.root.i != phrase.root.i
        and ent.root.dep_ == "compound"
        and phrase.root.pos_ == "NOUN"
        and phrase.root.lemma_.lower() not in roles.PEOPLE_NOUNS | roles.GROUP_MEMBERS | FOLLOWERS
        and not role_code(phrase, d)
    )


def _titled(ent: Span) -> str:
    """A name with the capitalised title word just before it, which some names carry ("King Hussein",
    "Sheikh Hasina"), when the tagger left the title out of the entity."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is None or not before.is_title or before.ent_type_:
        return ent.text
    return f"{before.text} {ent.text}"


def _unknown_person(ent: Span, phrase: Span, at: Mention) -> Found:
    """A person not in the dictionaries, coded from an earlier mention of the surname, the role phrase it is in
    apposition to ("the envoy of Russia, X", "X, Iraq's deputy speaker"), an organisation its title names ("Islamic
    State suspect X") or a title ("Russian President X", "King X" in the article's country); otherwise kept
    uncoded."""
    d, found, context = at.d, at.found, at.context
    earlier = _same_surname(dicts.normalise(ent.text), found)
    if earlier is not None:
        return coreference.copy(earlier, at.start, at.end, at.sentence)
    apposed = _apposed(ent, found)
    if apposed is not None:
        named = coreference.copy(apposed, at.start, at.end, at.sentence)
        named.name, named.person = ent.text, True
        return named
    titled = _apposed_title(ent, at)
    if titled is not None:
        return titled
    # "Islamic State suspect X", "senior VHP leader X": a title naming an organisation makes the person its member.
    entries = organisation([t for t in phrase if t.i < ent.start], d)
    if entries and not any(t.lower_ == "former" for t in phrase):
        member = from_entry(entries, phrase, at)
        member.name, member.head, member.person = ent.text, ent.text, True
        return member
    country = country_of(phrase, d)
    role = title_code(phrase, ent, d)
    if role and any(t.lower_ == "former" for t in phrase):
        role = "ELI"
    via = "role"
    if role and not country and context:
        country, via = context, "context"
    code = f"{country}{role}" if country and role else None
    return Found(
        at.start,
        at.end,
        at.sentence,
        code,
        via if code else "uncoded",
        ent.text,
        country,
        [role] if role else [],
        head=ent.text,
        person=True,
    )


def _apposed_title(ent: Span, at: Mention) -> Found | None:
    """A person coded by the title in apposition after the name, when the title says whose it is or refers back to
    an actor ("X, the White House press secretary", "X, Iraq's deputy speaker of parliament", "X, the leader of
    ..." after "an opposition leader")."""
    for child in (c for c in ent.root.children if c.dep_ == "appos"):
        title = next((c for c in doc_cache(ent.doc, "chunks") if c.root.i == child.i), None)
        # The title is coded without the country the article is about.
        coded = roles.role_actor(title, replace(at, context=None)) if title is not None else None
        if coded is not None and coded.code and coded.via in ("role", "dictionary", "coreference"):
            coded.name, coded.head, coded.person = ent.text, ent.text, True
            return coded
    return None


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


def _us_state(phrase: Span) -> bool:
    """Whether a place name is a US state here ("Washington state", "the state of Georgia", Georgia and Atlanta)."""
    after = phrase.doc[phrase.end : phrase.end + 1].text
    before = phrase.doc[max(0, phrase.start - 2) : phrase.start].text.lower()
    if US_STATE_CONTEXT.match(after) or before.endswith("state of"):
        return True
    clues = US_STATE_CLUES.get(phrase.text.lower())
    return bool(clues and clues.search(phrase.sent.text))


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
