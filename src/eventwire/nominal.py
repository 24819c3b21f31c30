"""Nominal events for the event stage: a noun the lexicon codes that names its own actors ("Israel's strikes on
Gaza", "the withdrawal of US forces", "talks with Putin"), or an act of unrest told as happening ("clashes broke
out"), with whom it is aimed at and who does it when a verb of claiming or a governing subject says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import arguments, modes, ontology
from .event_record import Event
from .lexicon import Lexicon, Match, of_objects
from .model import ActorMention

if TYPE_CHECKING:
    from spacy.tokens import Token

# Words of threat whose subject is the one who would do the act threatened ("threatened Hamas with an invasion").
OWN_THREATS = frozenset({"threaten"})
# Roots whose object is another act that was criticised, alleged or rejected: disapprove (11), reject (12).
CONTENT_ROOTS = frozenset({"11", "12"})
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
# Verbs of harm that may only report what an attack did.
HARM = frozenset({"kill", "wound", "injure", "murder", "maim", "destroy", "damage"})


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


def _foreseen_by_another(noun: Token) -> bool:
    """Whether a nominal act is what someone warns of or fears ("Egypt warned against an assault on Rafah",
    "Iran fears an attack"): the one who warns is not its source; one who threatens it is ("Israel threatened
    Hamas with a ground invasion")."""
    frame = modes.foreseen(noun)
    return frame is not None and frame.lemma_.lower() not in OWN_THREATS


def nominal_trigger(token: Token, lexicon: Lexicon) -> bool:
    """Whether a noun is itself an event the lexicon knows ("the attack", "a missile strike")."""
    return any(m.entry.pos == "NOUN" for m in lexicon.matches(token))


def nominal(
    token: Token,
    lexicon: Lexicon,
    by_token: arguments.ByToken,
    consumed: set[int],
) -> Event | None:
    """A nominal event with its own actors: "Israel's strikes on Gaza", a headline's "talks with Putin"."""
    matches = [m for m in lexicon.matches(token) if m.entry.pos == "NOUN"]
    if not matches or token.i in by_token:
        return None
    match = matches[0]
    sources = arguments.noun_sources(token, by_token)
    if not sources and _done_by_of(match.entry.code):
        # "the withdrawal of US forces", "a visit of the Chinese president"
        sources = _of_doers(token, by_token)
    targets = noun_targets(token, match, lexicon, by_token)
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
    return Event(sorted(match.tokens), match.entry.code, sources, targets, match.entry.origin, token.i)


def noun_targets(
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
        if nominal_trigger(obj, lexicon):
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


def _claimed(token: Token) -> bool:
    """Whether a nominal event is what someone claims or denies ("claimed responsibility for a car bomb"):
    the claimant is its source."""
    head = token.head
    while head.dep_ in ("prep", "pobj", "dobj") and head.head.i != head.i:
        head = head.head
        if head.lemma_ in ("claim", "admit", "acknowledge", "deny", "carry"):
            return True
    return False
