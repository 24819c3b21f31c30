"""Event mentions: who did what to whom, read off the dependency parse and coded with the lexicon.

For each sentence the extractor looks for triggers the lexicon knows (a verb, a light verb and its noun, a
nominal event with its own actors), finds the trigger's arguments in the parse (subject, object, prepositional
targets, passive by-agents, coordinated actors, the subject of a controlling verb), maps the arguments to the
actor mentions the actor stage found, and sets the modes: negation, hypotheticals, future and intent, history,
and who reported it. A verb that announces another act ("agreed to provide", "threatened to strike", "urged X to
release") makes one event with the announcement's code (see `intents`). Sentences about sport and markets are
left alone (`discards`). Announced acts and declined comment are read in `announced`, nominal events in
`nominal`. The policy is documented in docs/events.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import arguments, discards, modes, ontology
from .announced import announce_future, announced, clause_nouns, declined_comment, family_of
from .classifier import Classifier
from .event_record import Event
from .lexicon import Lexicon, Match
from .model import ActorMention, Article, EventMention, Span
from .nominal import HARM, nominal, nominal_trigger

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# The classifier proposes an event only above this calibrated probability (chosen on the real-article dev
# split; see docs/events.md), and never a bare statement or "none".
PROPOSAL_THRESHOLD = 0.6
NOT_PROPOSED = frozenset({"none", "01"})
# Verbs of doing whose object is the act ("carried out the strike", "launched an offensive").
DOING = frozenset(
    {"carry", "conduct", "launch", "stage", "mount", "commit", "perform", "perpetrate", "order"}
)
# Roots of acts done by saying them: appeals, intents, praise, demands, criticism, rejections and threats.
SPEECH_ACT_ROOTS = frozenset({"02", "03", "05", "10", "11", "12", "13"})
# Roots of announcements whose announced act may be one the lexicon does not code (appeal, demand, threat).
ANNOUNCING_ROOTS = frozenset({"02", "10", "13"})
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
# Verbs of arrest by the authorities (soldiers "captured" are held by the enemy, not arrested at home).
ARRESTS = frozenset({"arrest", "detain", "jail", "imprison", "remand", "apprehend"})
# Sectors of crowds and of the forces facing them, for the conventions on clashes.
CIVIL_SECTORS = frozenset({"CVL", "OPP", "EDU", "LAB", "REF"})
ARMED_SECTORS = frozenset({"MIL", "COP", "SPY", "UAF"})
# Sectors of actors whose "attack" is with arms.
FIGHTING_SECTORS = frozenset({"MIL", "REB", "INS", "UAF"})
# Sectors of armed organisations that speak for themselves: the fighting they report, they take part in.
COMBATANT_SECTORS = frozenset({"MIL", "REB", "INS"})
# Words of fighting between two sides, whose reporting party is one of them ("clashes continued", "fighting
# continued", which the parser may read as the verb "fight").
MUTUAL_COMBAT = frozenset(
    {"fight", "fighting", "clash", "battle", "skirmish", "gunfight", "firefight", "gunbattle", "exchange"}
)


class EventStage:
    """The event stage: the shipped lexicon plus the configured ones, and the classifier as a second opinion,
    loaded once per process."""

    def __init__(self, extra_lexicons: Sequence[str] = (), classifier: bool = True) -> None:
        """A stage that codes events with the shipped lexicon and the given user lexicon files, and (unless
        turned off) asks the shipped classifier where the lexicon is torn or silent."""
        self.extra_lexicons = tuple(extra_lexicons)
        self.use_classifier = classifier
        self._lexicon: Lexicon | None = None
        self._classifier: Classifier | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Only the settings cross process boundaries; each worker loads lexicon and classifier itself."""
        return {"extra_lexicons": self.extra_lexicons, "use_classifier": self.use_classifier}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild from the settings."""
        self.__init__(state["extra_lexicons"], state["use_classifier"])  # type: ignore[misc]

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon, loaded on first use."""
        if self._lexicon is None:
            self._lexicon = Lexicon.load(self.extra_lexicons)
        return self._lexicon

    @property
    def classifier(self) -> Classifier | None:
        """The classifier, loaded on first use; None when turned off."""
        if self._classifier is None and self.use_classifier:
            self._classifier = Classifier.load()
        return self._classifier

    def __call__(self, article: Article, doc: Doc) -> Article:
        """Find and code the article's event mentions."""
        article.events = find_events(article, doc, self.lexicon, self.classifier)
        return article


def find_events(
    article: Article, doc: Doc, lexicon: Lexicon, classifier: Classifier | None = None
) -> list[EventMention]:
    """Every event mention of a parsed, actor-coded article, in text order."""
    by_token = arguments.actors_by_token(article.actors, doc)
    home = _home_country(article.actors)
    sentences: list[tuple[int, SpacySpan, list[Event]]] = []
    starts = [s.span.start for s in article.sentences]
    for sent in doc.sents:
        if discards.discarded(sent):
            continue
        index = _sentence_index(starts, sent.start_char)
        sentences.append((index, sent, _sentence_events(sent, lexicon, by_token, article.date, home)))
    if classifier is not None:
        _second_opinion(sentences, classifier, by_token, article.date)
    found = [(index, event) for index, _, events in sentences for event in events]
    return [_record(i, index, e, doc, article) for i, (index, e) in enumerate(found)]


def _second_opinion(
    sentences: list[tuple[int, SpacySpan, list[Event]]],
    classifier: Classifier,
    by_token: arguments.ByToken,
    date: dt.date | None,
) -> None:
    """The classifier settles ties between equally specific lexicon readings of different roots, and reads the
    sentences with actors in which the lexicon found nothing, proposing an event when it is confident enough.

    Reading single clauses instead of sentences found more events in the in-repository gold but fewer in the
    real-article dev split, where the classifier's written training examples transfer less well."""
    torn = [(e, sent) for _, sent, events in sentences for e in events if _torn(e)]
    silent = [
        (sent, events) for _, sent, events in sentences if not events and any(t.i in by_token for t in sent)
    ]
    texts = [sent.text for _, sent in torn] + [sent.text for sent, _ in silent]
    if not texts:
        return
    scores = classifier.predict(texts)
    for (event, _), score in zip(torn, scores, strict=False):
        _settle(event, score)
    for (sent, events), score in zip(silent, scores[len(torn) :], strict=True):
        head = _clause_head(sent)
        if head is not None:
            events.extend(_some(_proposal(head, sent, score, by_token, date)))


def _clause_head(sent: SpacySpan) -> Token | None:
    """The verb of a sentence's main clause; for "X said (that) …", the verb of what was said. A copula or
    "have" is no act ("Germany and Hungary are members of the EU")."""
    root = sent.root
    if root.lemma_ in modes.SPEECH:
        root = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ == "VERB"), root)
    if root.pos_ != "VERB" or root.lemma_ in modes.SPEECH or root.lemma_ in ("be", "have"):
        return None
    return root


def _torn(event: Event) -> bool:
    """Whether the lexicon read a trigger two ways that differ in root."""
    return any(ontology.root(a) != ontology.root(event.code) for a in event.alternatives)


def _settle(event: Event, scores: dict[str, float]) -> None:
    """Keep, among a trigger's equally specific lexicon codes, the one whose root the classifier finds likeliest."""
    if not _torn(event):
        return
    best = max([event.code, *event.alternatives], key=lambda c: scores.get(ontology.root(c), 0.0))
    if best != event.code:
        event.rule += f"; classifier chose {best} over {event.code}"
        event.code = best
    event.decided_by = "lexicon+classifier"
    event.alternatives = []


def _proposal(
    verb: Token, sent: SpacySpan, scores: dict[str, float], by_token: arguments.ByToken, date: dt.date | None
) -> Event | None:
    """An event the classifier reads where the lexicon found none: the root's general code, between the actors
    of the clause of `verb`."""
    label = max(scores, key=scores.__getitem__)
    if label in NOT_PROPOSED or scores[label] < PROPOSAL_THRESHOLD:
        return None
    sources = arguments.subject_actors(verb, by_token)
    targets = arguments.unique(arguments.objects(verb, by_token) + arguments.prep_actors(verb, by_token))
    if not targets and label >= "14":
        # "imposed a siege on the Gaza Strip": a place aimed at, on the verb or on its object.
        heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
        targets = arguments.place_targets(heads, arguments.TARGET_PREPS)
    if not sources and not targets:
        return None
    rule = f"classifier: root {label}, p = {scores[label]:.2f}"
    event = Event([verb.i], label + "0", sources, targets, rule, verb.i, decided_by="classifier")
    event.score = scores[label]
    _set_modes(event, sent, by_token, date)
    return event


def _sentence_events(
    sent: SpacySpan,
    lexicon: Lexicon,
    by_token: arguments.ByToken,
    date: dt.date | None,
    home: str | None = None,
) -> list[Event]:
    """The events of one sentence: announced acts first, then plain verbs, then nominal events; `home` is the
    country the article is about, if the actor stage found one."""
    consumed: set[int] = set()
    events: list[Event] = []
    # One pass over the tokens to pick the candidates (building spaCy tokens is the expensive part).
    verbs, nouns, controllers = [], [], []
    for token in sent:
        pos = token.pos_
        if pos == "VERB" or (pos == "ADJ" and token.dep_ in ("acomp", "amod", "oprd")):
            # Adjectives of stance after a copula or in apposition: "was critical of", "proud of".
            verbs.append(token)
        elif pos in ("NOUN", "PROPN"):
            nouns.append(token)
        if pos in ("VERB", "AUX", "NOUN", "ADJ") and family_of(token) is not None:
            controllers.append(token)
    for token in controllers:
        if token.i not in consumed:
            events.extend(_some(announced(token, lexicon, by_token, consumed)))
    for token in verbs:
        if token.i not in consumed:
            found = declined_comment(token, by_token, consumed) or _verbal(token, lexicon, by_token, consumed)
            events.extend(_some(found))
    for token in nouns:
        if token.i not in consumed:
            events.extend(_some(nominal(token, lexicon, by_token, consumed)))
    for event in events:
        _denial(event, events, sent)
    events = [e for e in events if not _reports_another(e, events, sent) and not _bare_statement(e, sent)]
    for event in events:
        _set_modes(event, sent, by_token, date)
    events = [c for e in events for c in _conventions(e, sent, home)]
    events = [c for e in events for c in _mirrored(e, events, sent)]
    # A verb the lexicon knows is kept even when neither side is a coded actor ("Gunmen opened fire on a
    # bus"): its code and evidence stand, its actors are empty, its confidence says so. Nominal events
    # without actors were dropped above (a bare "the attack" is usually an earlier mention), and so is a
    # comment by no one.
    return [e for e in events if e.sources or (e.targets and ontology.root(e.code) != "01") or _actless(e)]


def _some(event: Event | None) -> list[Event]:
    """An event as a list of none or one."""
    return [] if event is None else [event]


def _verbal(token: Token, lexicon: Lexicon, by_token: arguments.ByToken, consumed: set[int]) -> Event | None:
    """A verb the lexicon codes, with its arguments: "Israel bombed Gaza", "talks were held with Iran"."""
    matches = lexicon.matches(token)
    if not matches:
        return _reported_charge(token, by_token) if token.lemma_ in modes.SPEECH else None
    if _consequence(token, lexicon, by_token) or _purpose(token, matches, lexicon):
        return None
    match = matches[0]
    sources = _kept_from_actors(token, by_token)
    if sources is None:
        sources = arguments.subject_actors(token, by_token) or _in_order_to_actors(token, by_token)
    targets = arguments.targets(token, match, by_token, sources)
    if not targets and ontology.root(match.entry.code) >= "14":
        targets = _purpose_objects(token, by_token)
    if not targets and ontology.root(match.entry.code) in ANNOUNCING_ROOTS:
        targets = _complement_targets(token, match.entry.code, by_token)
    code = match.entry.code
    if code in ("171", "1711") and targets and all(m.via == "place" for m in targets):
        code = "192"  # seizing a place ("Crimea, which Russia seized") is occupying territory
    if match.entry.code[:2] in ("04", "05"):
        # "received a call from X", "welcomed a delegation from X": the other party of a meeting.
        heads = [token] + ([token.doc[match.object]] if match.object is not None else [])
        targets = arguments.unique(
            targets + [a for h in heads for a in arguments.prep_actors(h, by_token, arguments.FROM)]
        )
    consumed.update(match.tokens)
    alternatives = [m.entry.code for m in matches[1:] if m.entry.specificity == match.entry.specificity]
    event = Event(
        sorted(match.tokens),
        code,
        sources,
        targets,
        match.entry.origin if code == match.entry.code else f"{match.entry.origin}; a place seized: {code}",
        token.i,
        alternatives=alternatives,
    )
    if ontology.root(event.code) == "01":
        _charge(event, token, by_token)
    _armed_reading(event, [m.entry.code for m in matches])
    return event


def _kept_from_actors(verb: Token, by_token: arguments.ByToken) -> list[ActorMention] | None:
    """Who is kept from an act is who would have done it: "Egypt prevented Hamas from attacking Israel" is a
    Hamas attack, not an Egyptian one; None when the keeping verb has no object ("Hamas was prevented from
    attacking" has its subject)."""
    keeping = modes.keeper(verb)
    objects = [c for c in keeping.children if c.dep_ in ("dobj", "obj")] if keeping is not None else []
    return arguments.actors_of_all(objects, by_token) if objects else None


def _in_order_to_actors(verb: Token, by_token: arguments.ByToken) -> list[ActorMention]:
    """The subject of the verb an "in order to" clause is the purpose of ("Israel sent troops in order to attack
    Gaza"), which the parser hangs on the noun "order"."""
    return arguments.subject_actors(verb.head.head.head, by_token) if modes.in_order_to(verb) else []


def _armed_reading(event: Event, readings: list[str]) -> None:
    """Troops, rebels or militants who "attack" or "hit" a target use force: when a trigger reads as criticism
    (11) or force (18, 19), the armed actor's act is force ("troops attacked Zaire for no reason")."""
    force = [c for c in readings if ontology.root(c) in ("18", "19")]
    sectors = {s for m in event.sources for s in m.sectors}
    if not force or not sectors or not sectors <= FIGHTING_SECTORS:
        return
    if ontology.root(event.code) == "11" or any(ontology.root(c) == "11" for c in event.alternatives):
        if force[0] != event.code:
            event.rule += f"; armed source: {force[0]} over {event.code}"
        event.code, event.alternatives = force[0], []


def _consequence(token: Token, lexicon: Lexicon, by_token: arguments.ByToken) -> bool:
    """Whether a verb of harm only tells what an act did: "shelled Kherson, killing two civilians", "a car bomb
    that killed five", "a missile strike killed seven", "were killed in the attack" report one attack, not an
    attack and a killing."""
    if token.lemma_.lower() not in HARM:
        return False
    if token.dep_ == "advcl" and token.tag_ == "VBG":
        return bool(lexicon.matches(token.head))
    if token.dep_ == "relcl":
        return nominal_trigger(token.head, lexicon)
    causes = [c for c in token.children if c.dep_ in ("nsubj", "agent")]
    causes += [
        o for p in token.children if p.dep_ == "prep" and p.lower_ in ("in", "during") for o in p.children
    ]
    causes += [o for a in token.children if a.dep_ == "agent" for o in a.children]
    # Only an attack that is an event itself (it names its actors) takes the killing in: "killed in the attack"
    # with no attacker named stays a killing, whose victims at least are known.
    return any(nominal_trigger(c, lexicon) and _has_actors(c, by_token) for c in causes)


def _has_actors(noun: Token, by_token: arguments.ByToken) -> bool:
    """Whether a nominal event names an actor of its own (its modifiers, by-agent or targets)."""
    return bool(arguments.noun_sources(noun, by_token) or arguments.prep_actors(noun, by_token))


def _foreseen_act(head: Token) -> bool:
    """Whether an event is an act that is only possible because a warning, fear or threat is of it ("warned of a
    nuclear attack by NATO") or because it is prevented ("to prevent an attack", "prevented protesters from
    marching"). A plan or threat warned of is told as real; only what it announces lies ahead ("Egypt warned of
    Israel's plan to attack Rafah"); an act one failed to prevent happened."""
    doing = _chain(head)[0]  # "prevented Hamas from carrying out an attack": the verb of doing the act
    if modes.kept_from(doing):
        return True
    if head.pos_ != "NOUN" or family_of(head) is not None:
        return False
    frame = modes.foreseen(head)
    return frame is not None and not modes.failed_prevention(frame)


def _purpose(token: Token, matches: list[Match], lexicon: Lexicon) -> bool:
    """Whether a verb is the purpose of an act of the same kind ("fired rounds to disperse the mob"): one event."""
    if token.dep_ not in ("advcl", "xcomp") or not arguments.to_infinitive(token):
        return False
    roots = {ontology.root(m.entry.code) for m in matches}
    if "17" in roots:
        # "opened fire to disperse the crowd": force used to repress is one act.
        roots |= {"18", "19"}
    return any(ontology.root(m.entry.code) in roots for m in lexicon.matches(token.head))


def _complement_targets(token: Token, code: str, by_token: arguments.ByToken) -> list[ActorMention]:
    """Whom an appeal, demand or threat whose act the lexicon does not code is aimed at: the subject of what is
    demanded ("demanded that Moscow release the reporter"), or the objects and targets of what is threatened
    ("threatened to use nuclear weapons against South Korea")."""
    clauses = [c for c in token.children if c.dep_ in ("ccomp", "xcomp", "advcl") and c.pos_ == "VERB"]
    if ontology.root(code) == "13":
        found = [
            a for c in clauses for a in arguments.objects(c, by_token) + arguments.prep_actors(c, by_token)
        ]
    else:
        found = [a for c in clauses if c.dep_ == "ccomp" for a in arguments.subject_actors(c, by_token)]
    return arguments.unique(found)


def _purpose_objects(token: Token, by_token: arguments.ByToken) -> list[ActorMention]:
    """Whom a use of force is aimed at when its purpose says so: "fired tear gas to disperse protesters"."""
    purposes = [c for c in token.children if c.dep_ in ("advcl", "xcomp") and arguments.to_infinitive(c)]
    return arguments.unique([a for p in purposes for a in arguments.objects(p, by_token)])


def _reported_charge(verb: Token, by_token: arguments.ByToken) -> Event | None:
    """A speech verb the lexicon has no row for ("reported") that reports someone's crimes."""
    event = Event([verb.i], "010", arguments.subject_actors(verb, by_token), [], "speech verb", verb.i)
    _charge(event, verb, by_token)
    return event if event.code != "010" else None


def _charge(event: Event, verb: Token, by_token: arguments.ByToken) -> None:
    """A statement that reports someone's crimes is an accusation: "announced an increase in Israeli war
    crimes" is RUS → ISR 1124, the accused named by the crime's own modifiers."""
    for i in clause_nouns(verb):
        noun = verb.doc[i]
        code = CHARGES.get(_compound_lemma(noun)) or CHARGES.get(noun.lemma_.lower())
        accused = arguments.noun_sources(noun, by_token) if code else []
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


def _chain(head: Token) -> list[Token]:
    """A trigger and the verbs whose mood and polarity it takes: those it hangs on by control and coordination,
    and for a nominal act the verb of doing it ("had not carried out the strike")."""
    if head.pos_ == "NOUN" and head.dep_ == "dobj" and head.head.lemma_.lower() in DOING:
        head = head.head
    return [head, *modes.governors(head)]


def _denial(event: Event, events: list[Event], sent: SpacySpan) -> None:
    """A statement that the speaker's own side did not commit a hostile act is a denial (016): "the Israeli
    military said it had not carried out the strike". Saying one will not do an act denies nothing ("said it
    would not send troops"): it may be a refusal or a negated threat."""
    if event.code != "010" or not event.sources:
        return
    home = {_country(m) for m in event.sources}
    for other in events:
        if other is event or ontology.root(other.code) < "11":
            continue
        head = sent.doc[other.head]
        verb = modes.speech_verb(head)
        negated = any(modes.negates(t) for t in _chain(head)[:2])
        if (
            verb is not None
            and verb.i == event.head
            and negated
            and _told_as_done(head)
            and {_country(m) for m in other.sources} <= home
        ):
            event.code, event.targets = "016", []
            event.rule += "; denies its own side's act"
            return


def _told_as_done(head: Token) -> bool:
    """Whether an act is told as done or going on (past, perfect or present: "had not carried out", "did not
    fire", "are not firing"), not as one to come or one that might be ("would not send", "will not strike",
    "could not have shelled", "if …")."""
    chain = _chain(head)
    return not (modes.future(chain[0]) or modes.hypothetical(head, chain))


def _reports_another(event: Event, events: list[Event], sent: SpacySpan) -> bool:
    """Whether an event is a bare statement whose content is another event of the sentence ("X said Y attacked
    Z" codes the attack, attributed to X, not X's statement); a denial (016) or a declined comment (011) is an act
    of its own ("would not confirm that …")."""
    if ontology.root(event.code) != "01" or event.code in ("011", "016"):
        return False
    for other in events:
        verb = modes.speech_verb(sent.doc[other.head]) if other is not event else None
        if verb is not None and verb.i == event.head:
            return True
    return False


def _bare_statement(event: Event, sent: SpacySpan) -> bool:
    """Whether an event is only someone speaking ("X said …"): news is made of them, event data is not; what
    they said is coded when the lexicon knows it (a criticism, a charge, a threat)."""
    return event.code == "010" and sent.doc[event.head].lemma_ in modes.SPEECH


def _actless(event: Event) -> bool:
    """Whether an event with no coded actor is kept: any act but a statement, which needs a speaker."""
    return not event.sources and not event.targets and ontology.root(event.code) != "01"


def _conventions(event: Event, sent: SpacySpan, home: str | None = None) -> list[Event]:
    """The coding conventions that depend on who the actors are (eval/GUIDELINES.md): an arrest reported in
    the passive without an agent is by the police of the arrested person's country (or of the country the
    article is about, when the arrested are not coded); protesters clashing with troops or police is a violent
    protest (145) one way and repression (175) the other."""
    head = sent.doc[event.head]
    arrest = event.code.startswith("173") and head.lemma_ in ARRESTS and _kinds(event.targets) != "armed"
    if arrest and not event.sources and arguments.passive(head):
        country = next((m.country for m in event.targets if m.country), None if event.targets else home)
        if country is not None:
            event.sources = [_by_convention(head, country, "COP")]
            event.rule += "; source by convention: the police arrest"
        return [event]
    if head.lemma_ == "clash" and event.sources and not event.targets:
        # "clashes between protesters and troops": the two sides of a joint act.
        crowd = [m for m in event.sources if _kinds([m]) == "civil"]
        forces = [m for m in event.sources if _kinds([m]) == "armed"]
        if crowd and forces and len(crowd) + len(forces) == len(event.sources):
            event.sources, event.targets = crowd, forces
    if head.lemma_ == "clash" and event.sources and event.targets:
        civil, armed = _kinds(event.sources), _kinds(event.targets)
        if {civil, armed} == {"civil", "armed"}:
            crowd, forces = (
                (event.sources, event.targets) if civil == "civil" else (event.targets, event.sources)
            )
            event.code, event.sources, event.targets = "145", crowd, forces
            event.rule += "; a crowd clashing with forces: 145, and 175 back"
            back = replace(event, code="175", sources=forces, targets=crowd, trigger=list(event.trigger))
            return [event, back]
    return [event]


def _mirrored(event: Event, events: list[Event], sent: SpacySpan) -> list[Event]:
    """ "A and B accused each other": two directed events, A → B and B → A, as the guidelines code them; and the
    act they accuse each other of ("of violating the ceasefire") once for each of them, against the other."""
    doc = sent.doc
    head = doc[event.head]
    if _reciprocal(head) and len(event.sources) == 2:
        a, b = event.sources
        rule = event.rule + "; each other: one event each way"
        return [
            replace(event, sources=[a], targets=[b], rule=rule, trigger=list(event.trigger)),
            replace(event, sources=[b], targets=[a], rule=rule, trigger=list(event.trigger)),
        ]
    accuser = next((e for e in events if e is not event and _accused_of(head, doc[e.head])), None)
    if (
        accuser is not None
        and not event.sources
        and _reciprocal(doc[accuser.head])
        and len(accuser.sources) == 2
    ):
        rule = event.rule + "; each other: once for each side"
        a, b = accuser.sources
        return [
            replace(event, sources=[x], targets=event.targets or [y], rule=rule, trigger=list(event.trigger))
            for x, y in ((a, b), (b, a))
        ]
    return [event]


def _reciprocal(verb: Token) -> bool:
    """Whether a verb's object is "each other" or "one another"."""
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "dative")):
        words = {obj.lower_, *(c.lower_ for c in obj.children)}
        if words in ({"each", "other"}, {"one", "another"}):
            return True
    return False


def _accused_of(act: Token, verb: Token) -> bool:
    """Whether an act is what a verb says someone did ("accused each other of violating": the violating)."""
    return act.dep_ == "pcomp" and act.head.dep_ == "prep" and act.head.head.i == verb.i


def _home_country(actors: list[ActorMention]) -> str | None:
    """The country the article is about, as the actor stage found it: the one it gave to domestic actors
    named without a country ("police", "the government")."""
    return next((m.country for m in actors if m.via == "context" and m.country), None)


def _kinds(mentions: list[ActorMention]) -> str | None:
    """Whether actors are all civilians and protesters ("civil") or all armed forces and police ("armed")."""
    sectors = {s for m in mentions for s in m.sectors}
    if sectors and sectors <= CIVIL_SECTORS:
        return "civil"
    if sectors and sectors <= ARMED_SECTORS:
        return "armed"
    return None


def _by_convention(head: Token, country: str, sector: str) -> ActorMention:
    """An actor a convention supplies, with the trigger as its evidence."""
    span = Span(head.idx, head.idx + len(head.text), head.text)
    code = country + sector
    return ActorMention(
        -1 - head.i, 0, span, code, country=country, sectors=[sector], via="convention", coded=True
    )


def _set_modes(event: Event, sent: SpacySpan, by_token: arguments.ByToken, date: dt.date | None) -> None:
    """Negation, hypothesis, future, history and attribution, read off the trigger's clause."""
    doc = sent.doc
    head = doc[event.head]
    chain = _chain(head)
    # An act of purpose or a coordinate takes the tense and mood of the verb it shares them with: "will work
    # with partners to expel" lies ahead, "could send troops to attack" is only possible, and "will not send
    # troops to fight" is negated as a controlled act is, by its nearest governor only ("would not rule out
    # using force to take" does not negate the taking).
    sharing = modes.tense_governors(head)
    moods = [*chain, *(t for t in sharing if t not in chain)]
    event.negated = event.negated or any(modes.negates(t) for t in [*chain[:2], *sharing[:1]])
    event.hypothetical = modes.hypothetical(head, moods) or _foreseen_act(head)
    event.future = modes.future(head)
    if event.declined:
        event.negated = event.hypothetical = event.future = False  # "would not comment" is the refusal itself
    if event.future and not event.hypothetical:
        announce_future(event, head)
    event.historical = modes.historical(head, sent, date)
    event.attributed_to = modes.attribution(head, by_token)
    if event.attributed_to and ontology.root(event.code) in SPEECH_ACT_ROOTS:
        _speaker_is_source(event, head, by_token)
    if event.attributed_to and not event.sources and _mutual_combat(event, head):
        _combatant_is_source(event, head, by_token)


def _speaker_is_source(event: Event, head: Token, by_token: arguments.ByToken) -> None:
    """A reported threat, promise, appeal or criticism is the speaker's act when the speaker speaks for the
    clause's actor: "Netanyahu said Israel would keep fighting Hamas" is ISRGOV's threat, not Israel's fighting."""
    verb = modes.speech_verb(head)
    speakers = arguments.subject_actors(verb, by_token) if verb is not None else []
    countries = {_country(m) for m in speakers}
    if speakers and None not in countries and {_country(m) for m in event.sources} <= countries:
        event.sources = speakers


def _mutual_combat(event: Event, head: Token) -> bool:
    """Whether an event is fighting that takes two sides ("clashes continued", "heavy fighting"), not an attack,
    a shelling or a killing, which the other side may have done to the speaker's."""
    return ontology.root(event.code) in ("18", "19") and head.lemma_.lower() in MUTUAL_COMBAT


def _combatant_is_source(event: Event, head: Token, by_token: arguments.ByToken) -> None:
    """Fighting that an armed party reports without naming who fights is its own: "a spokesman for the SDF said
    that clashes continued with Isis fighters" is the SDF's fighting against Isis. A speaker who is not armed
    (a government, the UN, a journalist, a witness) only reports it."""
    speakers = modes.speakers(head, by_token)
    sectors = {s for m in speakers for s in m.sectors}
    if not speakers or not sectors or not sectors <= COMBATANT_SECTORS:
        return
    codes = set(arguments.codes(event.targets))
    if codes & set(arguments.codes(speakers)):
        return  # the speaker's side is whom the fighting is against
    event.sources = speakers
    event.rule += "; the armed party reporting it fights"


def _country(mention: ActorMention) -> str | None:
    """The country of an actor mention, or of its code ("the Kremlin" is RUSGOV)."""
    code = arguments.actor_code(mention)
    return mention.country or (code[:3] if code and len(code) >= 3 else None)


def _sentence_index(starts: list[int], char: int) -> int:
    """The index of the stored sentence containing a character offset."""
    import bisect

    return max(0, bisect.bisect_right(starts, char) - 1)


def _record(index: int, sentence: int, event: Event, doc: Doc, article: Article) -> EventMention:
    """An extracted event as the record the article keeps."""
    first, last = doc[event.trigger[0]], doc[event.trigger[-1]]
    sources = arguments.codes(event.sources)
    targets = [c for c in arguments.codes(event.targets) if c not in sources]
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
        target_spans=[m.span for m in event.targets if arguments.actor_code(m) not in sources],
        decided_by=event.decided_by,
        rule=event.rule,
    )


def _confidence(event: Event, sources: list[str], targets: list[str]) -> float:
    """How far to trust an event: both sides found and one reading of the trigger is surest."""
    sides = int(bool(sources)) + int(bool(targets))
    score = event.score * (0.4, 0.7, 0.9)[sides]
    if event.alternatives:
        score *= 0.8
    if event.hypothetical or event.negated:
        score *= 0.9
    return round(score, 3)


__all__ = ["EventStage", "Span", "find_events"]
