"""Event mentions: who did what to whom, read off the dependency parse and coded with the lexicon.

For each sentence the extractor looks for triggers the lexicon knows (a verb, a light verb and its noun, a
nominal event with its own actors), finds the trigger's arguments in the parse (subject, object, prepositional
targets, passive by-agents, coordinated actors, the subject of a controlling verb), maps the arguments to the
actor mentions the actor stage found, and sets the modes: negation, hypotheticals, future and intent, history,
and who reported it. A verb that announces another act ("agreed to provide", "threatened to strike", "urged X to
release") makes one event with the announcement's code (see `intents`). Sentences about sport and markets are
left alone (`discards`). The policy is documented in docs/events.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import dictionaries as dicts
from . import discards, intents, ontology
from .lexicon import Lexicon, Match
from .model import ActorMention, Article, EventMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# Verbs that take another act as their complement, and what announcing it makes of the act.
CONTROL: dict[str, intents.Family] = {
    **dict.fromkeys(
        (
            "agree",
            "plan",
            "intend",
            "promise",
            "pledge",
            "vow",
            "offer",
            "prepare",
            "decide",
            "aim",
            "undertake",
            "commit",
            "volunteer",
            "expect",
        ),
        "intent",
    ),
    **dict.fromkeys(("urge", "call", "ask", "appeal", "invite", "encourage", "press", "request"), "appeal"),
    **dict.fromkeys(("demand", "insist", "order"), "demand"),
    **dict.fromkeys(("refuse", "decline", "reject"), "refuse"),
    **dict.fromkeys(("threaten", "warn"), "threaten"),
}
# Nouns and adjectives that announce an act the same way: "expressed its readiness to provide", "ready to talk".
CONTROL_NOUNS: dict[str, intents.Family] = {
    **dict.fromkeys(
        (
            "readiness",
            "willingness",
            "intention",
            "intent",
            "plan",
            "desire",
            "commitment",
            "interest",
            "determination",
            "pledge",
            "promise",
            "offer",
            "ready",
            "willing",
            "prepared",
        ),
        "intent",
    ),
    **dict.fromkeys(("call", "appeal", "request"), "appeal"),
    **dict.fromkeys(("demand", "ultimatum"), "demand"),
    **dict.fromkeys(("refusal", "unwilling", "unwillingness"), "refuse"),
    **dict.fromkeys(("threat",), "threaten"),
}
# Verbs that report what someone else did: the reported act is attributed to the speaker, the verb is not coded.
SPEECH = frozenset(
    {
        "say",
        "tell",
        "report",
        "announce",
        "state",
        "claim",
        "add",
        "note",
        "emphasize",
        "emphasise",
        "stress",
        "confirm",
        "write",
        "quote",
        "insist",
        "allege",
        "declare",
        "explain",
        "reveal",
        "believe",
        "think",
        "suggest",
        "indicate",
        "acknowledge",
        "argue",
        "assert",
        "reiterate",
    }
)
# Roots whose object is what was said about another act, not a second act: disapprove (11), reject (12).
CONTENT_ROOTS = frozenset({"11", "12"})
# What a statement accuses someone of when it reports their crimes (CAMEO 112x by the charge).
CHARGES: dict[str, str] = {
    "war crime": "1124",
    "genocide": "1124",
    "atrocity": "1124",
    "massacre": "1124",
    "ethnic cleansing": "1124",
    "crime": "1121",
    "corruption": "1121",
    "human rights abuse": "1122",
    "human rights violation": "1122",
    "abuse": "1122",
    "torture": "1122",
    "aggression": "1123",
    "espionage": "1125",
    "spying": "1125",
    "treason": "1125",
}
FROM = frozenset({"from"})
# Prepositions that also give a visit's target (the place visited stands for its country or government).
VISIT_PREPS = frozenset({"for", "in", "to"})
# Verbs of harm that may only report what an attack did.
HARM = frozenset({"kill", "wound", "injure", "murder", "maim"})
# Verbs whose refusal is declining to comment (CAMEO 011).
SILENCE = SPEECH | {"comment", "elaborate", "speak", "respond", "answer", "discuss"}
# Prepositions that introduce whom an act is aimed at.
TARGET_PREPS = frozenset({"with", "to", "against", "on", "at", "toward", "towards", "upon", "into", "over"})
# Dependencies that stay inside one noun phrase when looking for the actor an argument names.
# Dependencies that start a clause of its own, with its own events.
CLAUSES = frozenset(
    {"ccomp", "advcl", "xcomp", "conj", "relcl", "parataxis", "csubj", "acl", "nsubj", "nsubjpass"}
)
PHRASE_DEPS = frozenset(
    {"compound", "amod", "poss", "appos", "nmod", "det", "nummod", "npadvmod", "quantmod"}
)
# Dependencies followed inside an object's phrase to find the actor it is about.
DEEP_DEPS = frozenset({"prep", "pobj", "compound", "amod", "poss", "appos", "nmod", "conj"})
# Heads of quantity phrases whose actor comes after "of": "hundreds of Palestinians", "members of Hamas".
PARTITIVES = frozenset(
    {
        "hundred",
        "thousand",
        "dozen",
        "million",
        "score",
        "group",
        "number",
        "band",
        "crowd",
        "member",
        "some",
        "many",
        "most",
        "several",
        "all",
        "few",
        "one",
        "unit",
        "delegation",
        "contingent",
        "team",
        "convoy",
    }
)
# Modal verbs that make an act possible rather than done.
HYPOTHETICAL_AUX = frozenset({"could", "would", "might", "may", "should", "must", "can"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
CONDITIONS = frozenset({"if", "unless", "whether", "lest"})
POSSIBLE = frozenset({"possible", "potential", "likely", "proposed", "planned", "future", "prospective"})
YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
AGO = re.compile(r"\b(?:years|decades|centuries)\s+ago\b", re.I)
ANNIVERSARY = re.compile(r"\banniversary\b|\bcommemorat", re.I)


@dataclass(slots=True)
class _Event:
    """An event as the extractor builds it, before it becomes a record."""

    trigger: list[int]
    code: str
    sources: list[ActorMention]
    targets: list[ActorMention]
    rule: str
    head: int
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False
    attributed_to: str | None = None
    decided_by: str = "lexicon"
    score: float = 1.0
    alternatives: list[str] = field(default_factory=list)


class EventStage:
    """The event stage: the shipped lexicon plus the configured ones, loaded once per process."""

    def __init__(self, extra_lexicons: Sequence[str] = ()) -> None:
        """A stage that codes events with the shipped lexicon and the given user lexicon files."""
        self.extra_lexicons = tuple(extra_lexicons)
        self._lexicon: Lexicon | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Only the file names cross process boundaries; each worker loads the lexicon itself."""
        return {"extra_lexicons": self.extra_lexicons}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild from the file names."""
        self.extra_lexicons = state["extra_lexicons"]
        self._lexicon = None

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon, loaded on first use."""
        if self._lexicon is None:
            self._lexicon = Lexicon.load(self.extra_lexicons)
        return self._lexicon

    def __call__(self, article: Article, doc: Doc) -> Article:
        """Find and code the article's event mentions."""
        article.events = find_events(article, doc, self.lexicon)
        return article


def find_events(article: Article, doc: Doc, lexicon: Lexicon) -> list[EventMention]:
    """Every event mention of a parsed, actor-coded article, in text order."""
    by_token = _actors_by_token(article.actors, doc)
    found: list[tuple[int, _Event]] = []
    starts = [s.span.start for s in article.sentences]
    for sent in doc.sents:
        if discards.discarded(sent):
            continue
        index = _sentence_index(starts, sent.start_char)
        title = article.title is not None and sent.start_char < article.body_start
        for event in _sentence_events(sent, lexicon, by_token, article.date, title):
            found.append((index, event))
    return [_record(i, index, e, doc, article) for i, (index, e) in enumerate(found)]


def _sentence_events(
    sent: SpacySpan,
    lexicon: Lexicon,
    by_token: dict[int, list[ActorMention]],
    date: dt.date | None,
    title: bool,
) -> list[_Event]:
    """The events of one sentence: announced acts first, then plain verbs, then nominal events."""
    consumed: set[int] = set()
    events: list[_Event] = []
    # One pass over the tokens to pick the candidates (building spaCy tokens is the expensive part).
    verbs, nouns, controllers = [], [], []
    for token in sent:
        pos = token.pos_
        if pos == "VERB":
            verbs.append(token)
        elif pos in ("NOUN", "PROPN"):
            nouns.append(token)
        if pos in ("VERB", "AUX", "NOUN", "ADJ") and _family(token) is not None:
            controllers.append(token)
    for token in controllers:
        if token.i not in consumed:
            events.extend(_some(_announced(token, lexicon, by_token, consumed)))
    for token in verbs:
        if token.i not in consumed:
            events.extend(_some(_verbal(token, lexicon, by_token, consumed)))
    for token in nouns:
        if token.i not in consumed:
            events.extend(_some(_nominal(token, lexicon, by_token, consumed, title)))
    events = [e for e in events if not _reports_another(e, events, sent) and not _bare_statement(e, sent)]
    for event in events:
        _set_modes(event, sent, by_token, date)
    # A verb the lexicon knows is kept even when neither side is a coded actor ("Gunmen opened fire on a
    # bus"): its code and evidence stand, its actors are empty, its confidence says so. Nominal events
    # without actors were dropped above (a bare "the attack" is usually an earlier mention), and so is a
    # comment by no one.
    return [e for e in events if e.sources or e.targets or ontology.root(e.code) != "01"]


def _some(event: _Event | None) -> list[_Event]:
    """An event as a list of none or one."""
    return [] if event is None else [event]


def _announced(
    token: Token, lexicon: Lexicon, by_token: dict[int, list[ActorMention]], consumed: set[int]
) -> _Event | None:
    """An act announced by a controlling word: "agreed to provide aid", "expressed readiness to help"."""
    family = _family(token)
    if family is None:
        return None
    for act in _complements(token, family):
        controller = _controller(token)
        sources = _subject_actors(controller, by_token)
        if family == "refuse" and act.lemma_ in SILENCE:
            # Refusing to speak is CAMEO's "decline comment", not a rejection.
            consumed.update((token.i, controller.i, act.i))
            return _Event(
                sorted({token.i, controller.i, act.i}), "011", sources, [], "refusal to speak", controller.i
            )
        matches = lexicon.matches(act)
        if not matches or ontology.root(matches[0].entry.code) == "01":
            continue  # "promised to say more": the controlling verb's own row codes it
        match = matches[0]
        code = intents.announced(family, match.entry.code)
        words = sorted({token.i, controller.i, *match.tokens})
        addressee = _addressee(controller, act, by_token) if family in ("appeal", "demand") else []
        targets = addressee or _targets(act, match, by_token)
        consumed.update(words)
        consumed.update(_clause_nouns(act))
        return _Event(words, code, sources, targets, f"{match.entry.origin} via {family}", controller.i)
    return None


def _clause_nouns(token: Token) -> list[int]:
    """The nouns of a verb's own clause (objects and prepositional objects, not those of embedded clauses)."""
    found: list[int] = []
    for child in token.children:
        if child.dep_ in CLAUSES:
            continue
        found.extend(t.i for t in child.subtree if t.pos_ in ("NOUN", "PROPN"))
    return found


def _family(token: Token) -> intents.Family | None:
    """The announcement family of a controlling verb, noun or adjective, if it is one."""
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX"):
        return CONTROL.get(lemma)
    return CONTROL_NOUNS.get(lemma)


def _addressee(controller: Token, act: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """Whom an appeal or demand is addressed to: "urged Israel to stop", "called on Iran to release"."""
    found = _objects(controller, by_token) or _prep_actors(controller, by_token)
    if not found:
        found = _actors_of_all([c for c in act.children if c.dep_ == "nsubj"], by_token)
    return found


def _complements(token: Token, family: intents.Family) -> list[Token]:
    """The acts a controlling word announces: its infinitive complements ("to provide"), for "call on X to
    stop" the verb under the preposition, and for demands and appeals a that-clause ("demanded that Russia
    withdraw")."""
    acts = [c for c in token.children if c.dep_ in ("xcomp", "acl", "ccomp") and c.pos_ == "VERB"]
    for child in token.children:
        if child.dep_ == "prep":
            acts.extend(c for c in child.children if c.dep_ in ("pcomp", "xcomp") and c.pos_ == "VERB")
    # "urged Israel to stop": spaCy hangs the infinitive under the object sometimes.
    for child in token.children:
        if child.dep_ in ("dobj", "pobj"):
            acts.extend(c for c in child.children if c.dep_ in ("acl", "relcl") and _infinitive(c))
    clauses = family in ("demand", "appeal")
    return [a for a in acts if _infinitive(a) or a.dep_ == "xcomp" or (clauses and a.dep_ == "ccomp")]


def _infinitive(token: Token) -> bool:
    """Whether a verb is a to-infinitive ("to provide")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _controller(token: Token) -> Token:
    """The verb whose subject announces: the word itself, or the verb governing a controlling noun or adjective
    ("expressed its readiness", "is ready to")."""
    while token.pos_ != "VERB" and token.dep_ in ("dobj", "acomp", "attr", "pobj", "prep", "nsubjpass"):
        token = token.head
    return token


def _verbal(
    token: Token, lexicon: Lexicon, by_token: dict[int, list[ActorMention]], consumed: set[int]
) -> _Event | None:
    """A verb the lexicon codes, with its arguments: "Israel bombed Gaza", "talks were held with Iran"."""
    matches = lexicon.matches(token)
    if not matches:
        return _reported_charge(token, by_token) if token.lemma_ in SPEECH else None
    if _consequence(token, lexicon):
        return None
    match = matches[0]
    sources = _subject_actors(token, by_token)
    targets = _targets(token, match, by_token)
    if match.entry.code[:2] in ("04", "05"):
        # "received a call from X", "welcomed a delegation from X": the other party of a meeting.
        heads = [token] + ([token.doc[match.object]] if match.object is not None else [])
        targets = _unique(targets + [a for h in heads for a in _prep_actors(h, by_token, FROM)])
    consumed.update(match.tokens)
    # The content of an accusation or a condemnation is not a second event: "accused Israel of attacks on Gaza".
    if ontology.root(match.entry.code) in CONTENT_ROOTS:
        consumed.update(_clause_nouns(token))
    alternatives = [m.entry.code for m in matches[1:] if m.entry.specificity == match.entry.specificity]
    event = _Event(
        sorted(match.tokens),
        match.entry.code,
        sources,
        targets,
        match.entry.origin,
        token.i,
        alternatives=alternatives,
    )
    if ontology.root(event.code) == "01":
        _charge(event, token, by_token)
    return event


def _consequence(token: Token, lexicon: Lexicon) -> bool:
    """Whether a verb of harm only tells what an act did: "shelled Kherson, killing two civilians", "a car bomb
    that killed five" report one attack, not an attack and a killing."""
    if token.lemma_.lower() not in HARM:
        return False
    if token.dep_ == "advcl" and token.tag_ == "VBG":
        return bool(lexicon.matches(token.head))
    if token.dep_ == "relcl":
        return bool([m for m in lexicon.matches(token.head) if m.entry.pos == "NOUN"])
    return False


def _reported_charge(verb: Token, by_token: dict[int, list[ActorMention]]) -> _Event | None:
    """A speech verb the lexicon has no row for ("reported") that reports someone's crimes."""
    event = _Event([verb.i], "010", _subject_actors(verb, by_token), [], "speech verb", verb.i)
    _charge(event, verb, by_token)
    return event if event.code != "010" else None


def _charge(event: _Event, verb: Token, by_token: dict[int, list[ActorMention]]) -> None:
    """A statement that reports someone's crimes is an accusation: "announced an increase in Israeli war
    crimes" is RUS → ISR 1124, the accused named by the crime's own modifiers."""
    for i in _clause_nouns(verb):
        noun = verb.doc[i]
        code = CHARGES.get(_compound_lemma(noun)) or CHARGES.get(noun.lemma_.lower())
        accused = _noun_sources(noun, by_token) if code else []
        if code and accused:
            event.code = code
            event.targets = accused
            event.trigger = sorted({*event.trigger, noun.i})
            event.rule += f" + charge '{_compound_lemma(noun)}'"
            return


def _compound_lemma(noun: Token) -> str:
    """A noun with the compound words before it, lemmatised: "war crimes" → "war crime"."""
    words = [c.lemma_.lower() for c in noun.lefts if c.dep_ == "compound"]
    return " ".join([*words, noun.lemma_.lower()])


def _nominal(
    token: Token,
    lexicon: Lexicon,
    by_token: dict[int, list[ActorMention]],
    consumed: set[int],
    title: bool,
) -> _Event | None:
    """A nominal event with its own actors: "Israel's strikes on Gaza", a headline's "talks with Putin"."""
    matches = [m for m in lexicon.matches(token) if m.entry.pos == "NOUN"]
    if not matches or token.i in by_token:
        return None
    match = matches[0]
    sources = _noun_sources(token, by_token)
    targets = _prep_actors(token, by_token)
    between = _between(token, by_token)
    if between:
        sources = between
    if not sources and (targets or _claimed(token)):
        sources = _governor_subject(token, by_token)
    if not sources and not targets:
        return None
    consumed.update(match.tokens)
    return _Event(sorted(match.tokens), match.entry.code, sources, targets, match.entry.origin, token.i)


def _reports_another(event: _Event, events: list[_Event], sent: SpacySpan) -> bool:
    """Whether an event is a bare statement whose content is another event of the sentence ("X said Y attacked
    Z" codes the attack, attributed to X, not X's statement)."""
    if ontology.root(event.code) != "01":
        return False
    for other in events:
        verb = _speech_verb(sent.doc[other.head]) if other is not event else None
        if verb is not None and verb.i == event.head:
            return True
    return False


def _bare_statement(event: _Event, sent: SpacySpan) -> bool:
    """Whether an event is only someone speaking ("X said …"): news is made of them, event data is not; what
    they said is coded when the lexicon knows it (a criticism, a charge, a threat)."""
    return event.code == "010" and sent.doc[event.head].lemma_ in SPEECH


def _subject_actors(token: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """Who did it: the verb's subject or passive by-agent, else the subject it shares with a verb it is
    coordinated with or controlled by or is an adjunct of ("said after meeting X", "were killed trying to
    kidnap"), else the noun a relative clause hangs on."""
    verb: Token | None = token
    while verb is not None:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if passive and verb.i == token.i:
            agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            return _actors_of_all(agents, by_token)
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")]
        if subjects:
            return _actors_of_all(subjects, by_token)
        if verb.dep_ == "relcl":
            return _actors_of(verb.head, by_token)
        verb = _shared_subject_verb(verb)
    return []


def _shared_subject_verb(verb: Token) -> Token | None:
    """The verb whose subject a subjectless verb shares: its coordinate, controller, the clause it modifies, or
    the verb of the preposition it follows ("after meeting")."""
    if verb.dep_ in ("conj", "xcomp", "advcl", "acomp") and verb.head.i != verb.i:
        return verb.head  # "acomp": "Arnor is about to restore", "Iran is ready to talk"
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
        return verb.head.head
    return None


def _targets(token: Token, match: Match, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """To whom: the passive subject, the direct or indirect object, or the object of a targeting preposition
    on the verb or on its light-verb noun ("expressed dissatisfaction with Russia")."""
    passive = _actors_of_all([c for c in token.children if c.dep_ == "nsubjpass"], by_token)
    if passive:
        return passive
    heads = [token] + ([token.doc[match.object]] if match.object is not None else [])
    found = _objects(token, by_token) if match.object is None else []
    # A visit's target is where the visitor goes: "headed for Jordan", "arrived in Moscow".
    preps = TARGET_PREPS | VISIT_PREPS if match.entry.code.startswith("042") else TARGET_PREPS
    for head in heads:
        found.extend(_prep_actors(head, by_token, preps))
    if not found and ontology.root(match.entry.code) >= "14":
        found = _place_targets(heads, preps)
    return _unique(found)


def _place_targets(heads: list[Token], preps: frozenset[str]) -> list[ActorMention]:
    """For force, protest and coercion aimed at a place ("launched drones at Moscow", "shelled Kyiv"), the
    country the place is, or is the capital of: CAMEO codes the target country of an attack on its territory."""
    candidates = [c for h in heads for c in h.children if c.dep_ == "dobj"]
    candidates += [
        o for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ in preps for o in p.children
    ]
    found: list[ActorMention] = []
    for token in candidates:
        if token.ent_type_ not in ("GPE", "LOC") or token.dep_ not in ("dobj", "pobj"):
            continue
        ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        iso3 = _place_country(ent.text) if ent is not None else None
        if ent is not None and iso3 is not None:
            span = Span(ent.start_char, ent.end_char, ent.text)
            found.append(ActorMention(-1 - token.i, 0, span, iso3, country=iso3, via="place", coded=True))
    return found


def _place_country(name: str) -> str | None:
    """The country a place name is, or is the capital or seat of government of."""
    d = dicts.shipped()
    key = dicts.normalise(name)
    return d.country_names.get(key) or d.seats.get(key) or _capitals().get(key)


@functools.lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Capital city → country, from the shipped country table."""
    return {dicts.normalise(c.capital): c.iso3 for c in dicts.shipped().countries.values() if c.capital}


def _objects(token: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """The actors a verb's direct and indirect objects name; for an object that names none, the parties it
    is about ("criticized the cooperation between Russia and Iran", "condemned the attack by Russia")."""
    objects = [c for c in token.children if c.dep_ in ("dobj", "dative", "obj", "iobj", "attr", "oprd")]
    found = _actors_of_all(objects, by_token)
    if not found:
        for noun in objects:
            found.extend(
                _between(noun, by_token) or _by_agent(noun, by_token) or _deep_actors(noun, by_token)
            )
    return _unique(found)


def _deep_actors(noun: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """The nearest actor inside an object's own phrase, through its prepositions ("welcomed a resumption of ties
    with Egypt" → Egypt), not inside clauses of its own."""
    queue = [c for c in noun.children if c.dep_ in DEEP_DEPS]
    while queue:
        token = queue.pop(0)
        found = by_token.get(token.i)
        if found:
            return _actors_of(token, by_token)
        queue.extend(c for c in token.children if c.dep_ in DEEP_DEPS)
    return []


def _by_agent(token: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """The actors after "by" on a noun ("the attack by Russia")."""
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ == "by":
            return _actors_of_all([c for c in prep.children if c.dep_ == "pobj"], by_token)
    return []


def _prep_actors(
    token: Token, by_token: dict[int, list[ActorMention]], preps: frozenset[str] = TARGET_PREPS
) -> list[ActorMention]:
    """The actors named after a targeting preposition of a word."""
    found: list[ActorMention] = []
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            found.extend(_actors_of_all([c for c in prep.children if c.dep_ == "pobj"], by_token))
    return found


def _between(token: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """The parties of "talks between A and B"."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("between", "among"):
            return _actors_of_all([c for c in prep.children if c.dep_ == "pobj"], by_token)
    return []


def _noun_sources(token: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """The actor a nominal event belongs to: "Israel's strikes", "Israeli strikes", "US sanctions", "strikes by
    Israel"."""
    found: list[ActorMention] = []
    for child in token.children:
        if child.dep_ in ("poss", "amod", "compound", "nmod"):
            found.extend(_actors_of(child, by_token) or _demonym(child))
        if child.dep_ == "prep" and child.lower_ == "by":
            found.extend(_actors_of_all([c for c in child.children if c.dep_ == "pobj"], by_token))
    return _unique(found)


def _demonym(token: Token) -> list[ActorMention]:
    """A country adjective the actor stage left alone ("Israeli war crimes") as an argument of its noun's
    event: the country it names."""
    iso3 = dicts.shipped().demonyms.get(dicts.normalise(token.text)) if token.dep_ == "amod" else None
    if iso3 is None:
        return []
    span = Span(token.idx, token.idx + len(token.text), token.text)
    return [ActorMention(-1 - token.i, 0, span, iso3, country=iso3, via="demonym", coded=True)]


def _claimed(token: Token) -> bool:
    """Whether a nominal event is what someone claims or denies ("claimed responsibility for a car bomb"):
    the claimant is its source."""
    head = token.head
    while head.dep_ in ("prep", "pobj", "dobj") and head.head.i != head.i:
        head = head.head
        if head.lemma_ in ("claim", "admit", "acknowledge", "deny", "carry"):
            return True
    return False


def _governor_subject(token: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """The subject of the verb a nominal event hangs on: "Netanyahu interrupted a meeting for talks with Putin"."""
    head = token
    while head.dep_ in ("pobj", "prep", "dobj", "conj") and head.head.i != head.i:
        head = head.head
        if head.pos_ == "VERB":
            return _subject_actors(head, by_token)
    return []


def _actors_of_all(tokens: Iterable[Token], by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """The actors several argument heads name, coordinated ones included."""
    found: list[ActorMention] = []
    for token in tokens:
        found.extend(_actors_of(token, by_token))
    return _unique(found)


def _actors_of(token: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """The actors an argument head names: the mention covering it, else one inside its noun phrase; plus those
    of the heads coordinated with it ("Russia and China")."""
    found = list(by_token.get(token.i, [])) or _inside_phrase(token, by_token)
    for child in token.children:
        if child.dep_ == "conj":
            found.extend(_actors_of(child, by_token))
    return _unique(found)


def _inside_phrase(token: Token, by_token: dict[int, list[ActorMention]]) -> list[ActorMention]:
    """The first actor reached from a noun through its own modifiers ("Russia's assessment" → Russia), or
    after "of" from a quantity ("hundreds of Palestinians", "a group of protesters")."""
    if token.lemma_.lower() in PARTITIVES or token.pos_ == "NUM":
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                found = _actors_of_all([c for c in prep.children if c.dep_ == "pobj"], by_token)
                if found:
                    return found
    for child in token.children:
        if child.dep_ in PHRASE_DEPS:
            found = by_token.get(child.i) or _inside_phrase(child, by_token) or _demonym(child)
            if found:
                return list(found)
    return []


def _set_modes(
    event: _Event, sent: SpacySpan, by_token: dict[int, list[ActorMention]], date: dt.date | None
) -> None:
    """Negation, hypothesis, future, history and attribution, read off the trigger's clause."""
    doc = sent.doc
    head = doc[event.head]
    chain = [head, *_governors(head)]
    event.negated = any(_negates(t) for t in chain[:2])
    event.hypothetical = _hypothetical(head, chain)
    event.future = _future(head)
    if event.future and not event.hypothetical and event.code[:2] not in ("02", "03", "10", "12", "13"):
        event.code = intents.announced("intent", event.code)
    event.historical = _historical(head, sent, date)
    event.attributed_to = _attribution(head, by_token)


def _governors(token: Token) -> list[Token]:
    """The verbs a clause hangs on through control and coordination ("agreed to provide" → agreed)."""
    found = []
    while token.dep_ in ("xcomp", "conj") and token.head.i != token.i:
        token = token.head
        found.append(token)
    return found


def _negates(token: Token) -> bool:
    """Whether a verb is negated ("did not attack", "never met", "failed to reach")."""
    if any(c.dep_ == "neg" for c in token.children):
        return True
    return token.head.lemma_ in ("fail", "refrain", "avoid") and token.dep_ == "xcomp"


def _hypothetical(head: Token, chain: list[Token]) -> bool:
    """Whether an act is only possible: a modal, a condition ("if taken"), a "possible strike"."""
    for token in chain:
        if any(
            c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX and not _reported_would(c)
            for c in token.children
        ):
            return True
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in token.children):
            return True
        if any(c.dep_ == "advcl" and _conditional(c) for c in token.children):
            return True
    return head.pos_ == "NOUN" and any(c.lower_ in POSSIBLE for c in head.children)


def _conditional(clause: Token) -> bool:
    """Whether an adverbial clause is a condition ("if taken")."""
    return any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in clause.children)


def _reported_would(aux: Token) -> bool:
    """Whether "would" is the future of reported speech ("said it would provide"), not a hypothesis."""
    verb = aux.head
    return aux.lower_ == "would" and verb.dep_ == "ccomp" and verb.head.lemma_ in SPEECH


def _future(head: Token) -> bool:
    """Whether an act lies ahead: "will meet", "is going to visit", reported "would provide"."""
    for c in head.children:
        if c.dep_ == "aux" and (c.lower_ in FUTURE_AUX or _reported_would(c)):
            return True
    return head.dep_ == "xcomp" and head.head.lemma_ == "go" and head.head.tag_ == "VBG"


def _historical(head: Token, sent: SpacySpan, date: dt.date | None) -> bool:
    """Whether the act is history: dated to a year well before the article, "decades ago", an anniversary."""
    if AGO.search(sent.text) or ANNIVERSARY.search(sent.text):
        return True
    if date is None:
        return False
    for prep in head.children:
        if prep.dep_ != "prep":
            continue
        for token in prep.subtree:
            if YEAR.match(token.text) and token.head.i == prep.i and int(token.text) < date.year - 1:
                return True
    return False


def _attribution(head: Token, by_token: dict[int, list[ActorMention]]) -> str | None:
    """Who reported the act: the subject of a speech verb the clause is the content of, or "according to X"."""
    for token in head.sent:
        if token.lower_ == "according" and token.dep_ == "prep":
            for to in token.children:
                names = _actors_of_all([c for c in to.children if c.dep_ == "pobj"], by_token)
                if names:
                    return _code(names[0])
    verb = _speech_verb(head)
    if verb is None:
        return None
    speakers = _subject_actors(verb, by_token)
    return _code(speakers[0]) if speakers else None


def _speech_verb(head: Token) -> Token | None:
    """The speech verb whose content a trigger's clause is: "X said (that) …", and the inverted "…, X said",
    which the parser hangs under the reported clause."""
    clause = head
    for verb in head.ancestors:
        if verb.lemma_ in SPEECH and verb.pos_ == "VERB" and clause.dep_ in ("ccomp", "parataxis", "conj"):
            return verb
        clause = verb
    top = clause
    for child in top.children:
        inverted = child.lemma_ in SPEECH and child.dep_ in ("parataxis", "ccomp", "advcl", "conj")
        if inverted and child.i > head.i and not any(c.dep_ == "ccomp" for c in child.children):
            return child
    return None


def _actors_by_token(actors: list[ActorMention], doc: Doc) -> dict[int, list[ActorMention]]:
    """Which actor mentions cover each token; a pair ("the two leaders") covers its tokens twice."""
    found: dict[int, list[ActorMention]] = {}
    for mention in actors:
        if _code(mention) is None:
            continue
        span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            found.setdefault(token.i, []).append(mention)
    return found


def _code(mention: ActorMention) -> str | None:
    """The code an actor mention contributes to an event: its own, or country and sector when uncoded."""
    if mention.code:
        return mention.code
    if mention.country:
        return mention.country + (mention.sectors[0] if mention.sectors else "")
    return None


def _unique(mentions: list[ActorMention]) -> list[ActorMention]:
    """Mentions without repeats, in order."""
    seen: set[int] = set()
    return [m for m in mentions if not (m.index in seen or seen.add(m.index))]  # type: ignore[func-returns-value]


def _codes(mentions: list[ActorMention]) -> list[str]:
    """The distinct codes of mentions, in order."""
    codes: list[str] = []
    for mention in mentions:
        code = _code(mention)
        if code is not None and code not in codes:
            codes.append(code)
    return codes


def _sentence_index(starts: list[int], char: int) -> int:
    """The index of the stored sentence containing a character offset."""
    import bisect

    return max(0, bisect.bisect_right(starts, char) - 1)


def _record(index: int, sentence: int, event: _Event, doc: Doc, article: Article) -> EventMention:
    """An extracted event as the record the article keeps."""
    first, last = doc[event.trigger[0]], doc[event.trigger[-1]]
    sources = _codes(event.sources)
    targets = [c for c in _codes(event.targets) if c not in sources]
    return EventMention(
        index,
        sentence,
        article.span(first.idx, last.idx + len(last.text)),
        event.code,
        sources,
        targets,
        negated=event.negated,
        hypothetical=event.hypothetical,
        future=event.future,
        historical=event.historical,
        attributed_to=event.attributed_to,
        date=article.date,
        confidence=_confidence(event, sources, targets),
        source_spans=[m.span for m in event.sources],
        target_spans=[m.span for m in event.targets if _code(m) not in sources],
        decided_by=event.decided_by,
        rule=event.rule,
    )


def _confidence(event: _Event, sources: list[str], targets: list[str]) -> float:
    """How far to trust an event: both sides found and one reading of the trigger is surest."""
    sides = int(bool(sources)) + int(bool(targets))
    score = event.score * (0.4, 0.7, 0.9)[sides]
    if event.alternatives:
        score *= 0.8
    if event.hypothetical or event.negated:
        score *= 0.9
    return round(score, 3)


__all__ = ["EventStage", "Span", "find_events"]
