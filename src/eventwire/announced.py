"""Announced acts for the event stage: a controlling verb, noun or adjective that announces another act ("agreed to
provide aid", "threatened to strike", "urged X to release", "expressed readiness to help"), refusals, declined
comment ("would not comment", "had no comment"), and an act to come announced as an intent or a refusal. The
announcement codes follow `intents`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import arguments, intents, modes, ontology
from .event_record import Event
from .lexicon import Lexicon
from .model import ActorMention
from .nominal import noun_targets

if TYPE_CHECKING:
    from spacy.tokens import Token

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
# Roots of codes that already announce an act, which the future does not announce again.
ALREADY_ANNOUNCED = frozenset({"01", "02", "03", "10", "12", "13"})
# Roots of nominal acts that only speak of other acts or actors (statements, announcements, criticism), which no
# intent or threat announces as an act to be done ("agreed to the demands").
NOT_TO_BE_DONE = ALREADY_ANNOUNCED | {"11"}
# Verbs of phase that pass an announcement on to their complement ("vowed to keep fighting").
ASPECT = frozenset({"keep", "continue", "start", "begin", "resume", "go"})
# Controlling words after which a negated act is refused rather than intended not to be done.
DECIDING = frozenset({"decide", "decision", "choose", "vote", "opt"})
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


def announced(
    token: Token, lexicon: Lexicon, by_token: arguments.ByToken, consumed: set[int]
) -> Event | None:
    """An act announced by a controlling word: "agreed to provide aid", "expressed readiness to help"."""
    family = family_of(token)
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
            return Event(
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
        consumed.update(clause_nouns(act))
        event = Event(words, code, sources, targets, f"{match.entry.origin} via {family}", controller.i)
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
) -> Event | None:
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
        targets = noun_targets(noun, match, lexicon, by_token)
        words = sorted({verb.i, *match.tokens})
        consumed.update(words)
        consumed.update(t.i for t in noun.subtree if t.pos_ in ("NOUN", "PROPN"))
        code = intents.announced(family, match.entry.code)
        event = Event(words, code, sources, targets, f"{match.entry.origin} via {family} (noun)", verb.i)
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


def declined_comment(verb: Token, by_token: arguments.ByToken, consumed: set[int]) -> Event | None:
    """Declining comment (011) told without a verb of refusing: "would not comment", "had no comment", "did not
    respond to requests for comment". A bare "did not comment on the talks" is not: it tells what was not said,
    not that comment was asked for and declined."""
    nouns = [t.i for t in verb.subtree if t.lemma_.lower() == "comment" and t.pos_ == "NOUN"]
    rule = _declining(verb, [verb.doc[i] for i in nouns])
    if rule is None:
        return None
    # "would not confirm or deny": one non-answer.
    pair = [c.i for c in verb.children if c.dep_ == "conj" and c.lemma_ in COMMENTING | modes.DENIALS]
    consumed.update([verb.i, *pair, *clause_nouns(verb)])
    sources = arguments.subject_actors(verb, by_token)
    return Event(sorted({verb.i, *pair, *nouns}), "011", sources, [], rule, verb.i, declined=True)


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


def clause_nouns(token: Token) -> list[int]:
    """The nouns of a verb's own clause (objects and prepositional objects, not those of embedded clauses)."""
    found: list[int] = []
    for child in token.children:
        if child.dep_ in CLAUSES:
            continue
        found.extend(t.i for t in child.subtree if t.pos_ in ("NOUN", "PROPN"))
    return found


def family_of(token: Token) -> intents.Family | None:
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


def announce_future(event: Event, head: Token) -> None:
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


def _declared_refusal(event: Event, head: Token) -> bool:
    """Whether an act's negated future is its actor's decision: "will not free", "is not going to free", not
    "will not be freed" with no one named to do it."""
    if arguments.passive(head) and not event.sources:
        return False
    return modes.declared_not(head)
