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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import arguments, discards, intents, modes, ontology
from .classifier import Classifier
from .lexicon import Lexicon, Match, of_objects
from .model import ActorMention, Article, EventMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# The classifier proposes an event only above this calibrated probability (chosen on the real-article dev
# split; see docs/events.md), and never a bare statement or "none".
PROPOSAL_THRESHOLD = 0.6
NOT_PROPOSED = frozenset({"none", "01"})
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
            "propose",
        ),
        "intent",
    ),
    **dict.fromkeys(
        ("urge", "call", "ask", "appeal", "invite", "encourage", "press", "request", "plead", "implore"),
        "appeal",
    ),
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
# Verbs of doing whose object is the act ("carried out the strike", "launched an offensive").
DOING = frozenset(
    {"carry", "conduct", "launch", "stage", "mount", "commit", "perform", "perpetrate", "order"}
)
# Roots of acts done by saying them: appeals, intents, praise, demands, criticism, rejections and threats.
SPEECH_ACT_ROOTS = frozenset({"02", "03", "05", "10", "11", "12", "13"})
# Roots of codes that already announce an act, which the future does not announce again.
ALREADY_ANNOUNCED = frozenset({"01", "02", "03", "10", "12", "13"})
# Roots of nominal acts that only speak of other acts or actors (statements, announcements, criticism), which no
# intent or threat announces as an act to be done ("agreed to the demands").
NOT_TO_BE_DONE = ALREADY_ANNOUNCED | {"11"}
# Roots of announcements whose announced act may be one the lexicon does not code (appeal, demand, threat).
ANNOUNCING_ROOTS = frozenset({"02", "10", "13"})
# Verbs of phase that pass an announcement on to their complement ("vowed to keep fighting").
ASPECT = frozenset({"keep", "continue", "start", "begin", "resume", "go"})
# Controlling words after which a negated act is refused rather than intended not to be done.
DECIDING = frozenset({"decide", "decision", "choose", "vote", "opt"})
# Words of threat whose subject is the one who would do the act threatened ("threatened Hamas with an invasion").
OWN_THREATS = frozenset({"threaten"})
# Roots whose object is another act that was criticised, alleged or rejected: disapprove (11), reject (12).
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
# Verbs of arrest by the authorities (soldiers "captured" are held by the enemy, not arrested at home).
ARRESTS = frozenset({"arrest", "detain", "jail", "imprison", "remand", "apprehend"})
# Nouns of unrest and combat that a sentence may report as happening without naming who took part ("clashes
# broke out"); "strikes" or "attacks" without actors are left out: they are often labour strikes or acts reported
# before.
UNREST = frozenset(
    {
        "clash",
        "fighting",
        "battle",
        "skirmish",
        "riot",
        "rioting",
        "unrest",
        "protest",
        "demonstration",
        "gunfire",
        "firing",
        "shooting",
        "shelling",
        "violence",
    }
)
# Verbs that tell a nominal act happened or goes on ("clashes broke out", "fighting continues").
OCCURRING = frozenset(
    {
        "break",
        "erupt",
        "continue",
        "resume",
        "occur",
        "spread",
        "intensify",
        "escalate",
        "rage",
        "flare",
        "follow",
        "come",
        "begin",
        "start",
        "leave",
        "kill",
        "injure",
        "wound",
        "claim",
        "take",
        "persist",
    }
)
# Verbs that tell a nominal act was set off ("the verdict sparked protests").
CAUSING = frozenset({"spark", "trigger", "provoke", "prompt", "cause", "ignite", "touch", "fuel", "stage"})
# The preposition of a nominal attack's place ("the shelling of Kharkiv").
OF = frozenset({"of"})
# Codes of nominal acts whose "of" names who does them, not whom they aim at: withdrawal (087), visit (042), and
# shows and readying of force (15): "the withdrawal of US forces", "the deployment of Russian troops".
DONE_BY_OF = ("087", "042", "15")
# Prepositions naming the other side of combat on the verb that tells it happened ("clashes continued with").
OPPONENT_PREPS = frozenset({"with", "against"})
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
# Verbs of harm that may only report what an attack did.
HARM = frozenset({"kill", "wound", "injure", "murder", "maim", "destroy", "damage"})
# Verbs whose refusal is declining to comment (CAMEO 011).
SILENCE = modes.SPEECH | {"comment", "elaborate", "speak", "respond", "answer", "discuss"}
# Verbs of commenting whose negated "will" or "would" declines comment ("would not comment", "won't elaborate");
# not "say", which in direct speech hedges ("I would not say it is a crisis"), nor "respond", which may be force.
COMMENTING = frozenset({"comment", "elaborate", "speculate", "confirm", "disclose"})
# Verbs of answering that, negated, leave a request for comment unanswered ("did not respond to requests for
# comment", "did not return calls seeking comment").
ANSWERING = frozenset({"respond", "reply", "answer", "return"})
# Verbs whose "no comment" declines comment ("had no comment", "offered no comment").
GIVING = frozenset({"have", "offer", "give"})
# Dependencies that start a clause of its own, with its own events.
CLAUSES = frozenset(
    {"ccomp", "advcl", "xcomp", "conj", "relcl", "parataxis", "csubj", "acl", "nsubj", "nsubjpass"}
)


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
    # The code of the act an intent announces ("agreed to free" → 0841), which a refusal to do it keeps.
    act: str | None = None
    # Declining comment told by a negation ("would not comment"): the "not" and the "would" are the refusal.
    declined: bool = False


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
    sentences: list[tuple[int, SpacySpan, list[_Event]]] = []
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
    sentences: list[tuple[int, SpacySpan, list[_Event]]],
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


def _torn(event: _Event) -> bool:
    """Whether the lexicon read a trigger two ways that differ in root."""
    return any(ontology.root(a) != ontology.root(event.code) for a in event.alternatives)


def _settle(event: _Event, scores: dict[str, float]) -> None:
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
) -> _Event | None:
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
    event = _Event([verb.i], label + "0", sources, targets, rule, verb.i, decided_by="classifier")
    event.score = scores[label]
    _set_modes(event, sent, by_token, date)
    return event


def _sentence_events(
    sent: SpacySpan,
    lexicon: Lexicon,
    by_token: arguments.ByToken,
    date: dt.date | None,
    home: str | None = None,
) -> list[_Event]:
    """The events of one sentence: announced acts first, then plain verbs, then nominal events; `home` is the
    country the article is about, if the actor stage found one."""
    consumed: set[int] = set()
    events: list[_Event] = []
    # One pass over the tokens to pick the candidates (building spaCy tokens is the expensive part).
    verbs, nouns, controllers = [], [], []
    for token in sent:
        pos = token.pos_
        if pos == "VERB" or (pos == "ADJ" and token.dep_ in ("acomp", "amod", "oprd")):
            # Adjectives of stance after a copula or in apposition: "was critical of", "proud of".
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
            found = _declined_comment(token, by_token, consumed) or _verbal(
                token, lexicon, by_token, consumed
            )
            events.extend(_some(found))
    for token in nouns:
        if token.i not in consumed:
            events.extend(_some(_nominal(token, lexicon, by_token, consumed)))
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


def _some(event: _Event | None) -> list[_Event]:
    """An event as a list of none or one."""
    return [] if event is None else [event]


def _announced(
    token: Token, lexicon: Lexicon, by_token: arguments.ByToken, consumed: set[int]
) -> _Event | None:
    """An act announced by a controlling word: "agreed to provide aid", "expressed readiness to help"."""
    family = _family(token)
    if family is None:
        return None
    for act in map(_past_aspect, _complements(token, family)):
        # "Israel's plan to attack Rafah": the plan is Israel's, whoever criticises it ("its readiness" is the
        # subject's own, read through the verb).
        owners = arguments.owned_by(token, by_token) if token.pos_ == "NOUN" else []
        controller = token if owners else _controller(token)
        sources = owners or arguments.subject_actors(controller, by_token)
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
        declined = family == "intent" and token.lemma_.lower() in DECIDING and modes.negates(act)
        if declined:
            family = "refuse"  # "decided not to extradite": a refusal, not a negated intent
        code = intents.announced(family, match.entry.code)
        words = sorted({token.i, controller.i, *match.tokens})
        # An appeal or order is aimed at whom it addresses ("ordered troops to attack Kyiv" is not aimed at Kyiv).
        if family in ("appeal", "demand"):
            targets = _addressee(controller, act, by_token)
        else:
            targets = arguments.targets(act, match, by_token, sources)
        consumed.update(words)
        consumed.update(_clause_nouns(act))
        event = _Event(words, code, sources, targets, f"{match.entry.origin} via {family}", controller.i)
        if family == "intent":
            event.act = match.entry.code  # "will not agree to free" refuses the freeing
        # "agreed not to attack", "has no plans to invade": the announced act is negated.
        event.negated = not declined and (
            modes.negates(act) or any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)
        )
        return event
    return _announced_noun(token, family, lexicon, by_token, consumed)


def _announced_noun(
    verb: Token, family: intents.Family, lexicon: Lexicon, by_token: arguments.ByToken, consumed: set[int]
) -> _Event | None:
    """An act a verb of intent or threat announces as a noun after "to": "committed to ongoing airstrikes against
    Isis" is a threat of them, "agreed to talks with Kyiv" an intent to meet. A row of the verb's own that reads
    the noun codes it ("agreed to a ceasefire" is 0871), and one who commits troops or funds to an act takes
    part in it rather than announcing it."""
    if family not in ("intent", "threaten") or verb.pos_ != "VERB" or _has_object(verb):
        return None
    for noun in _to_nouns(verb):
        matches = [m for m in lexicon.matches(noun) if m.entry.pos == "NOUN"]
        if not matches or ontology.root(matches[0].entry.code) in NOT_TO_BE_DONE:
            continue  # "agreed to the demands": no act to be done
        if any(noun.i in m.tokens for m in lexicon.matches(verb)):
            return None
        match = matches[0]
        sources = arguments.subject_actors(verb, by_token)
        targets = _noun_targets(noun, match, lexicon, by_token)
        words = sorted({verb.i, *match.tokens})
        consumed.update(words)
        consumed.update(t.i for t in noun.subtree if t.pos_ in ("NOUN", "PROPN"))
        code = intents.announced(family, match.entry.code)
        event = _Event(words, code, sources, targets, f"{match.entry.origin} via {family} (noun)", verb.i)
        if family == "intent":
            event.act = match.entry.code  # "will not commit to talks" refuses the talks
        return event
    return None


def _has_object(verb: Token) -> bool:
    """Whether a verb has a direct object other than a reflexive ("committed 500 troops to", not "committed
    itself to")."""
    return any(c.dep_ in ("dobj", "obj") and not c.lower_.endswith(("self", "selves")) for c in verb.children)


def _to_nouns(verb: Token) -> list[Token]:
    """The nouns after a verb's "to" ("committed to ongoing airstrikes")."""
    return [
        o
        for p in verb.children
        if p.dep_ == "prep" and p.lower_ == "to"
        for o in p.children
        if o.dep_ == "pobj" and o.pos_ == "NOUN"
    ]


def _declined_comment(verb: Token, by_token: arguments.ByToken, consumed: set[int]) -> _Event | None:
    """Declining comment (011) told without a verb of refusing: "would not comment", "had no comment", "did not
    respond to requests for comment". A bare "did not comment on the talks" is not: it tells what was not said,
    not that comment was asked for and declined."""
    nouns = [t.i for t in verb.subtree if t.lemma_.lower() == "comment" and t.pos_ == "NOUN"]
    rule = _declining(verb, [verb.doc[i] for i in nouns])
    if rule is None:
        return None
    # "would not confirm or deny": one non-answer.
    pair = [c.i for c in verb.children if c.dep_ == "conj" and c.lemma_ in COMMENTING | modes.DENIALS]
    consumed.update([verb.i, *pair, *_clause_nouns(verb)])
    sources = arguments.subject_actors(verb, by_token)
    return _Event(sorted({verb.i, *pair, *nouns}), "011", sources, [], rule, verb.i, declined=True)


def _declining(verb: Token, nouns: list[Token]) -> str | None:
    """How a verb declines comment, given the nouns "comment" under it, if it does: the rule that says so."""
    lemma = verb.lemma_.lower()
    if lemma in COMMENTING and modes.withheld(verb):
        return "declines comment: will not comment"
    if lemma in ANSWERING and nouns and modes.negates(verb):
        return "declines comment: a request for comment unanswered"
    no_comment = any(
        n.dep_ == "dobj" and n.head.i == verb.i and any(c.lower_ == "no" for c in n.children) for n in nouns
    )
    if lemma in GIVING and no_comment:
        return "declines comment: no comment"
    return None


def _past_aspect(verb: Token) -> Token:
    """The act under verbs of phase: "vowed to keep fighting" announces the fighting."""
    while verb.lemma_.lower() in ASPECT:
        acts = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
        if not acts:
            break
        verb = acts[0]
    return verb


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
    if lemma in DECIDING and any(modes.negates(a) for a in _complements(token, "intent")):
        return "intent"  # "the decision not to extradite" (a decision to act is the act, coded as such)
    return CONTROL_NOUNS.get(lemma)


def _addressee(controller: Token, act: Token, by_token: arguments.ByToken) -> list[ActorMention]:
    """Whom an appeal or demand is addressed to: "urged Israel to stop", "called on Iran to release"."""
    found = arguments.objects(controller, by_token) or arguments.prep_actors(controller, by_token)
    if not found:
        found = arguments.actors_of_all([c for c in act.children if c.dep_ == "nsubj"], by_token)
    return found


def _complements(token: Token, family: intents.Family) -> list[Token]:
    """The acts a controlling word announces: its infinitive complements ("to provide", also when the parser
    hangs them as an adjunct after a time phrase: "offered on Friday to host"), for "call on X to stop" the
    verb under the preposition, for demands and appeals a that-clause ("demanded that Russia withdraw"), and for
    threats a that-clause in the future ("warned that it would strike")."""
    acts = [c for c in token.children if c.dep_ in ("xcomp", "acl", "ccomp") and c.pos_ == "VERB"]
    acts += [c for c in token.children if c.dep_ == "advcl" and arguments.to_infinitive(c)]
    for child in token.children:
        if child.dep_ == "prep":
            acts.extend(c for c in child.children if c.dep_ in ("pcomp", "xcomp") and c.pos_ == "VERB")
    # "urged Israel to stop": spaCy hangs the infinitive under the object sometimes.
    for child in token.children:
        if child.dep_ in ("dobj", "pobj"):
            acts.extend(
                c for c in child.children if c.dep_ in ("acl", "relcl") and arguments.to_infinitive(c)
            )
    clauses = family in ("demand", "appeal")
    return [
        a
        for a in acts
        if arguments.to_infinitive(a)
        or a.dep_ == "xcomp"
        or (clauses and a.dep_ == "ccomp" and not modes.conditional(a))
        or (family == "threaten" and a.dep_ == "ccomp" and _will(a))
    ]


def _will(verb: Token) -> bool:
    """Whether a clause's verb says what will be done ("would strike", "will respond")."""
    return any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall") for c in verb.children)


def _controller(token: Token) -> Token:
    """The verb whose subject announces: the word itself, or the verb governing a controlling noun or adjective
    ("expressed its readiness", "is ready to")."""
    while token.pos_ != "VERB" and token.dep_ in ("dobj", "acomp", "attr", "pobj", "prep", "nsubjpass"):
        token = token.head
    return token


def _verbal(token: Token, lexicon: Lexicon, by_token: arguments.ByToken, consumed: set[int]) -> _Event | None:
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
    event = _Event(
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


def _armed_reading(event: _Event, readings: list[str]) -> None:
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
        return _nominal_trigger(token.head, lexicon)
    causes = [c for c in token.children if c.dep_ in ("nsubj", "agent")]
    causes += [
        o for p in token.children if p.dep_ == "prep" and p.lower_ in ("in", "during") for o in p.children
    ]
    causes += [o for a in token.children if a.dep_ == "agent" for o in a.children]
    # Only an attack that is an event itself (it names its actors) takes the killing in: "killed in the attack"
    # with no attacker named stays a killing, whose victims at least are known.
    return any(_nominal_trigger(c, lexicon) and _has_actors(c, by_token) for c in causes)


def _has_actors(noun: Token, by_token: arguments.ByToken) -> bool:
    """Whether a nominal event names an actor of its own (its modifiers, by-agent or targets)."""
    return bool(arguments.noun_sources(noun, by_token) or arguments.prep_actors(noun, by_token))


def _criticised(noun: Token, lexicon: Lexicon) -> bool:
    """Whether a nominal event is what a criticism, accusation or rejection is about, told by a verb ("Russia
    condemned the attack on Kyiv") or a noun ("Jordan voiced its condemnation of the shelling of Kyiv"): it is
    coded with its own actors only, never with the critic as its source."""
    head = noun
    while head.dep_ in ("pobj", "prep", "dobj", "conj") and head.head.i != head.i:
        head = head.head
        if head.pos_ == "VERB":
            return any(ontology.root(m.entry.code) in CONTENT_ROOTS for m in lexicon.matches(head))
        if head.pos_ == "NOUN" and any(
            m.entry.pos == "NOUN" and ontology.root(m.entry.code) in CONTENT_ROOTS
            for m in lexicon.matches(head)
        ):
            return True
    return False


def _foreseen_act(head: Token) -> bool:
    """Whether an event is an act that is only possible because a warning, fear or threat is of it ("warned of a
    nuclear attack by NATO") or because it is prevented ("to prevent an attack", "prevented protesters from
    marching"). A plan or threat warned of is told as real; only what it announces lies ahead ("Egypt warned of
    Israel's plan to attack Rafah"); an act one failed to prevent happened."""
    doing = _chain(head)[0]  # "prevented Hamas from carrying out an attack": the verb of doing the act
    if modes.kept_from(doing):
        return True
    if head.pos_ != "NOUN" or _family(head) is not None:
        return False
    frame = modes.foreseen(head)
    return frame is not None and not modes.failed_prevention(frame)


def _foreseen_by_another(noun: Token) -> bool:
    """Whether a nominal act is what someone warns of or fears ("Egypt warned against an assault on Rafah",
    "Iran fears an attack"): the one who warns is not its source; one who threatens it is ("Israel threatened
    Hamas with a ground invasion")."""
    frame = modes.foreseen(noun)
    return frame is not None and frame.lemma_.lower() not in OWN_THREATS


def _nominal_trigger(token: Token, lexicon: Lexicon) -> bool:
    """Whether a noun is itself an event the lexicon knows ("the attack", "a missile strike")."""
    return any(m.entry.pos == "NOUN" for m in lexicon.matches(token))


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


def _reported_charge(verb: Token, by_token: arguments.ByToken) -> _Event | None:
    """A speech verb the lexicon has no row for ("reported") that reports someone's crimes."""
    event = _Event([verb.i], "010", arguments.subject_actors(verb, by_token), [], "speech verb", verb.i)
    _charge(event, verb, by_token)
    return event if event.code != "010" else None


def _charge(event: _Event, verb: Token, by_token: arguments.ByToken) -> None:
    """A statement that reports someone's crimes is an accusation: "announced an increase in Israeli war
    crimes" is RUS → ISR 1124, the accused named by the crime's own modifiers."""
    for i in _clause_nouns(verb):
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


def _nominal(
    token: Token,
    lexicon: Lexicon,
    by_token: arguments.ByToken,
    consumed: set[int],
) -> _Event | None:
    """A nominal event with its own actors: "Israel's strikes on Gaza", a headline's "talks with Putin"."""
    matches = [m for m in lexicon.matches(token) if m.entry.pos == "NOUN"]
    if not matches or token.i in by_token:
        return None
    match = matches[0]
    sources = arguments.noun_sources(token, by_token)
    if not sources and _done_by_of(match.entry.code):
        # "the withdrawal of US forces", "a visit of the Chinese president"
        sources = _of_doers(token, by_token)
    targets = _noun_targets(token, match, lexicon, by_token)
    if sources and not targets and match.entry.code.startswith("087"):
        # "the withdrawal of US forces from Syria" is aimed at the country left; a withdrawal by no one named
        # ("the withdrawal from Syria") is a second mention, no event.
        targets = arguments.place_targets([token], arguments.FROM)
    if not targets and token.dep_ in ("nsubj", "nsubjpass") and _happening(token, match):
        # "clashes continued with Isis fighters": the other side named on the verb that tells it happened.
        targets = arguments.prep_actors(token.head, by_token, OPPONENT_PREPS)
    between = arguments.between(token, by_token)
    if between:
        sources = between
    owned = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children)  # "their bombardment"
    if (
        not sources
        and (targets or owned or _claimed(token))
        and not _criticised(token, lexicon)
        and not _foreseen_by_another(token)
    ):
        sources = arguments.governor_subject(token, by_token)
    if not targets and token.dep_ == "nsubj" and token.head.lemma_.lower() in HARM:
        # "a bombing claimed by IS killed four Americans": whom the act killed is its target.
        targets = arguments.objects(token.head, by_token)
    if not sources and not targets and not _happening(token, match):
        return None
    consumed.update(match.tokens)
    return _Event(sorted(match.tokens), match.entry.code, sources, targets, match.entry.origin, token.i)


def _noun_targets(
    token: Token, match: Match, lexicon: Lexicon, by_token: arguments.ByToken
) -> list[ActorMention]:
    """Whom a nominal act is aimed at: the object of a targeting preposition ("strikes on Gaza") or an "anti-"
    country, else what "of" names for criticism and rejection ("a critique of Damascus") and for force ("their
    bombardment of Kyiv"), and where a visit goes ("his visit to Kyiv")."""
    code = match.entry.code
    targets = arguments.prep_actors(token, by_token) + arguments.against(token)
    if not targets and ontology.root(code) in CONTENT_ROOTS:
        targets = _of_criticised(token, lexicon, by_token)
    if not targets and ontology.root(code) >= "14" and not _done_by_of(code):
        targets = arguments.prep_actors(token, by_token, OF) or arguments.place_targets([token], OF)
    if not targets and code.startswith("042"):
        targets = arguments.place_targets([token], arguments.VISIT_PREPS)
    return targets


def _done_by_of(code: str) -> bool:
    """Whether a nominal act's "of" names who does it: a withdrawal, a visit, a show or readying of force."""
    return code.startswith(DONE_BY_OF)


def _of_doers(noun: Token, by_token: arguments.ByToken) -> list[ActorMention]:
    """The actors named after "of" themselves ("the withdrawal of US forces"), not in something of theirs: "the
    withdrawal of US support" withdraws no one."""
    return arguments.unique(
        [a for o in of_objects(noun) if o.i in by_token for a in arguments.actors_of(o, by_token)]
    )


def _of_criticised(noun: Token, lexicon: Lexicon, by_token: arguments.ByToken) -> list[ActorMention]:
    """Whom a criticism or rejection is aimed at after "of": an actor or something of theirs ("a critique of
    Damascus and Iran", "the rejection of Trump's plan"), or who did the act it is about ("the condemnation of
    Israeli strikes"); an act that names no actor aims it at no one ("the condemnation of the attack")."""
    found: list[ActorMention] = []
    for obj in of_objects(noun):
        if _nominal_trigger(obj, lexicon):
            found.extend(arguments.noun_sources(obj, by_token))
        else:
            found.extend(arguments.actors_of(obj, by_token))
    return arguments.unique(found)


def _happening(noun: Token, match: Match) -> bool:
    """Whether a nominal act of unrest or force is told as happening, though no actor is named: "clashes broke
    out", "heavy fighting continues", "the decision sparked protests", "during demonstrations" (a bare "the
    attack" is not: it is usually an act already reported)."""
    if noun.lemma_.lower() not in UNREST:
        return False
    verb = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass"):
        return verb.lemma_.lower() in OCCURRING
    if noun.dep_ == "pobj" and verb.lower_ in ("during", "amid", "amidst"):
        return True  # "went to the polls amid opposition protests"
    return noun.dep_ == "dobj" and verb.lemma_.lower() in CAUSING


def _chain(head: Token) -> list[Token]:
    """A trigger and the verbs whose mood and polarity it takes: those it hangs on by control and coordination,
    and for a nominal act the verb of doing it ("had not carried out the strike")."""
    if head.pos_ == "NOUN" and head.dep_ == "dobj" and head.head.lemma_.lower() in DOING:
        head = head.head
    return [head, *modes.governors(head)]


def _denial(event: _Event, events: list[_Event], sent: SpacySpan) -> None:
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


def _reports_another(event: _Event, events: list[_Event], sent: SpacySpan) -> bool:
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


def _bare_statement(event: _Event, sent: SpacySpan) -> bool:
    """Whether an event is only someone speaking ("X said …"): news is made of them, event data is not; what
    they said is coded when the lexicon knows it (a criticism, a charge, a threat)."""
    return event.code == "010" and sent.doc[event.head].lemma_ in modes.SPEECH


def _claimed(token: Token) -> bool:
    """Whether a nominal event is what someone claims or denies ("claimed responsibility for a car bomb"):
    the claimant is its source."""
    head = token.head
    while head.dep_ in ("prep", "pobj", "dobj") and head.head.i != head.i:
        head = head.head
        if head.lemma_ in ("claim", "admit", "acknowledge", "deny", "carry"):
            return True
    return False


def _actless(event: _Event) -> bool:
    """Whether an event with no coded actor is kept: any act but a statement, which needs a speaker."""
    return not event.sources and not event.targets and ontology.root(event.code) != "01"


def _conventions(event: _Event, sent: SpacySpan, home: str | None = None) -> list[_Event]:
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


def _mirrored(event: _Event, events: list[_Event], sent: SpacySpan) -> list[_Event]:
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


def _set_modes(event: _Event, sent: SpacySpan, by_token: arguments.ByToken, date: dt.date | None) -> None:
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
        _announce_future(event, head)
    event.historical = modes.historical(head, sent, date)
    event.attributed_to = modes.attribution(head, by_token)
    if event.attributed_to and ontology.root(event.code) in SPEECH_ACT_ROOTS:
        _speaker_is_source(event, head, by_token)
    if event.attributed_to and not event.sources and _mutual_combat(event, head):
        _combatant_is_source(event, head, by_token)


def _announce_future(event: _Event, head: Token) -> None:
    """An act to come is announced: the intent (03x) or threat (13x) of it, and an actor's declaration that it
    will not do an act CAMEO has a refusal for is that refusal ("Hamas said it would not free any more
    hostages" → 1243), not a negated intent."""
    act = event.act or event.code
    if event.negated and _declared_refusal(event, head) and intents.refusable(act):
        event.code = intents.announced("refuse", act)
        event.negated = False  # the "not" is what makes it a refusal
        event.rule += "; will not: a refusal"
    elif event.code[:2] not in ALREADY_ANNOUNCED:
        event.code = intents.announced("intent", event.code)


def _declared_refusal(event: _Event, head: Token) -> bool:
    """Whether an act's negated future is its actor's decision: "will not free", "is not going to free", not
    "will not be freed" with no one named to do it."""
    if arguments.passive(head) and not event.sources:
        return False
    return modes.declared_not(head)


def _speaker_is_source(event: _Event, head: Token, by_token: arguments.ByToken) -> None:
    """A reported threat, promise, appeal or criticism is the speaker's act when the speaker speaks for the
    clause's actor: "Netanyahu said Israel would keep fighting Hamas" is ISRGOV's threat, not Israel's fighting."""
    verb = modes.speech_verb(head)
    speakers = arguments.subject_actors(verb, by_token) if verb is not None else []
    countries = {_country(m) for m in speakers}
    if speakers and None not in countries and {_country(m) for m in event.sources} <= countries:
        event.sources = speakers


def _mutual_combat(event: _Event, head: Token) -> bool:
    """Whether an event is fighting that takes two sides ("clashes continued", "heavy fighting"), not an attack,
    a shelling or a killing, which the other side may have done to the speaker's."""
    return ontology.root(event.code) in ("18", "19") and head.lemma_.lower() in MUTUAL_COMBAT


def _combatant_is_source(event: _Event, head: Token, by_token: arguments.ByToken) -> None:
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


def _record(index: int, sentence: int, event: _Event, doc: Doc, article: Article) -> EventMention:
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
