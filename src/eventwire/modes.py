"""Whether the text asserts that an act happened: negation, hypotheses, the future, history, and who said so.

See the modes table of docs/events.md.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from . import arguments

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from .model import ActorMention

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
        "tweet",
    }
)

# Modal verbs that make an act possible rather than done.
HYPOTHETICAL_AUX = frozenset({"could", "would", "might", "may", "should", "must", "can"})

FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})

CONDITIONS = frozenset({"if", "unless", "whether", "lest"})

POSSIBLE = frozenset(
    {"possible", "potential", "likely", "proposed", "planned", "future", "prospective", "any"}
)
# Verbs whose content is denied, not asserted.
DENIALS = frozenset({"deny", "dismiss", "refute", "reject"})

# Words of prevention, keyed like FORESEEING below (a phrasal verb with its particle): an act prevented did not
# happen ("troops were deployed to prevent an attack", "talks to avert a war", "to head off an invasion"), unless
# the prevention failed ("failed to prevent the attack"). Stopping, repelling or ending an act tells it happened.
PREVENTING: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("prevent", "avert", "forestall", "preempt", "avoid", "deter", "head off", "stave off", "ward off"),
        frozenset({"dobj"}),
    ),
    "prevention": frozenset({"of"}),
}
# Words of warning, fear and threat, and how what they warn of, fear or threaten hangs on them: a preposition, or
# "dobj" for a verb's object. A nominal act there is foreseen, not reported: "warned of a nuclear attack by NATO"
# tells of no attack that happened.
_WARNED_OF = frozenset({"of", "about", "against"})
FORESEEING: dict[str, frozenset[str]] = {
    "warn": _WARNED_OF,
    "warning": _WARNED_OF,
    "caution": _WARNED_OF,
    "fear": _WARNED_OF | {"dobj"},
    "dread": _WARNED_OF | {"dobj"},
    "afraid": _WARNED_OF,
    "fearful": _WARNED_OF,
    "threaten": frozenset({"with", "dobj"}),
    "threat": frozenset({"of"}),
    "risk": frozenset({"of", "dobj"}),
    "danger": frozenset({"of"}),
    "spectre": frozenset({"of"}),
    "specter": frozenset({"of"}),
    "prospect": frozenset({"of"}),
    "possibility": frozenset({"of"}),
    "likelihood": frozenset({"of"}),
    "brink": frozenset({"of"}),
    **PREVENTING,
}
# Verbs that keep someone from doing an act: "prevented protesters from marching", "barred Hamas from attacking".
KEEPING_FROM = frozenset(
    {
        "prevent",
        "stop",
        "bar",
        "block",
        "deter",
        "keep",
        "ban",
        "prohibit",
        "forbid",
        "dissuade",
        "discourage",
    }
)
# Words under which an attempt to prevent did not succeed: "was unable to prevent", "powerless to stop".
UNABLE = frozenset({"fail", "unable", "powerless"})

YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")

AGO = re.compile(r"\b(?:years|decades|centuries)\s+ago\b", re.I)

ANNIVERSARY = re.compile(r"\banniversary\b|\bcommemorat", re.I)

# How a time phrase hangs on the clause it times: an adverb ("ago"), a bare noun phrase ("fifty years"), a
# preposition and its object ("in March 1967", "until decades ago"), the parts of a date ("June 5, 1967"). A
# clause, an apposition or an argument on the way means the phrase times something else.
_ADVERBIAL = frozenset(
    {"advmod", "npadvmod", "prep", "pobj", "pcomp", "nummod", "compound", "conj", "cc", "quantmod"}
)
# How a nominal trigger hangs on the verb that carries it: "launched an attack", "took part in talks".
_LIGHT_PATH = frozenset({"dobj", "pobj", "prep"})


def governors(token: Token) -> list[Token]:
    """The verbs a clause hangs on through control and coordination ("agreed to provide" → agreed)."""
    found = []
    while token.dep_ in ("xcomp", "conj") and token.head.i != token.i:
        token = token.head
        found.append(token)
    return found


def negates(token: Token) -> bool:
    """Whether a verb is negated ("did not attack", "never met", "failed to reach")."""
    if any(c.dep_ == "neg" for c in token.children):
        return True
    if token.dep_ == "ccomp" and token.head.lemma_ in DENIALS:
        return True  # "the Kremlin denied that Russia attacked": what is denied is not asserted
    return token.head.lemma_ in ("fail", "refrain", "avoid") and token.dep_ == "xcomp"


def hypothetical(head: Token, chain: list[Token]) -> bool:
    """Whether an act is only possible: a modal, a condition ("if taken"), a "possible strike", a question."""
    if _asked(head):
        return True
    for token in chain:
        if any(
            c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX and not _reported_would(c)
            for c in token.children
        ):
            return True
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in token.children):
            return True
        if any(c.dep_ == "advcl" and conditional(c) for c in token.children):
            return True
    return head.pos_ == "NOUN" and any(c.lower_ in POSSIBLE for c in head.children)


def foreseen(noun: Token) -> Token | None:
    """The word of warning, fear, threat or prevention whose content a nominal act is, if any: "warned of an
    attack", "feared a crackdown", "the spectre of an invasion", "warned of a wave of attacks", "to prevent an
    attack", "an invasion was averted"; not "warned after the attack", which tells of an attack that happened."""
    token = noun
    while True:
        while token.dep_ == "conj" and token.head.i != token.i:
            token = token.head  # "warned of raids and attacks"
        head = token.head
        if token.dep_ in ("dobj", "nsubjpass"):
            # The passive subject is the object the active would have: "an invasion was feared / averted".
            return head if "dobj" in _frame(head) else None
        if token.dep_ != "pobj" or head.dep_ != "prep":
            return None
        frame = head.head
        if head.lower_ in _frame(frame):
            return frame
        if head.lower_ != "of" or frame.pos_ != "NOUN":
            return None
        token = frame  # "a wave of attacks", "the risk of a wider war": the act is where the noun of it is


def _frame(word: Token) -> frozenset[str]:
    """How what a word of warning, fear, threat or prevention is about hangs on it."""
    key = _frame_key(word)
    return FORESEEING[key] if key is not None else frozenset()


def _frame_key(word: Token) -> str | None:
    """A word's key in FORESEEING; a phrasal verb is read with its particle first ("head off" prevents, "headed
    the talks" does not)."""
    lemma = word.lemma_.lower()
    keys = [f"{lemma} {c.lower_}" for c in word.children if c.dep_ == "prt"] + [lemma]
    return next((k for k in keys if k in FORESEEING), None)


def failed_prevention(frame: Token) -> bool:
    """Whether a word a nominal act is the content of is a prevention that failed or was not made: "failed to
    prevent the attack", "could not avert the war", after which the act happened."""
    return _frame_key(frame) in PREVENTING and _failed(frame)


def keeper(verb: Token) -> Token | None:
    """The verb that keeps someone from a verbal act ("prevented protesters from marching", "barred Hamas from
    carrying out attacks"), if there is one."""
    prep = verb.head
    # A bare gerund is sometimes parsed as the preposition's object ("from marching").
    if (
        verb.pos_ != "VERB"
        or verb.dep_ not in ("pcomp", "pobj")
        or prep.dep_ != "prep"
        or prep.lower_ != "from"
    ):
        return None
    return prep.head if prep.head.lemma_.lower() in KEEPING_FROM else None


def kept_from(verb: Token) -> bool:
    """Whether a verbal act is what someone is kept from doing, and the keeping did not fail: the act did not
    happen ("stopped Hamas from attacking", not "failed to stop Hamas from attacking")."""
    keeping = keeper(verb)
    return keeping is not None and not _failed(keeping)


def _failed(verb: Token) -> bool:
    """Whether an attempt is told as failed or not made: "did not prevent", "failed to stop", "was unable to
    avert"."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in UNABLE


def _asked(head: Token) -> bool:
    """Whether an act is asked about, not told: its sentence is a question ("Did Russia bomb the hospital?")."""
    return _question(head) and head.i >= head.sent.start and _main_clause(head)


def _question(token: Token) -> bool:
    """Whether a token's sentence is a question."""
    return token.sent.text.rstrip().rstrip("\"'”’»").endswith("?")


def _main_clause(head: Token) -> bool:
    """Whether a token belongs to its sentence's main clause (not to a quoted or reported clause in it)."""
    token = head
    while token.dep_ not in ("ROOT", "ccomp", "parataxis") and token.head.i != token.i:
        token = token.head
    return token.dep_ == "ROOT"


def conditional(clause: Token) -> bool:
    """Whether an adverbial clause is a condition ("if taken")."""
    return any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in clause.children)


def _reported_would(aux: Token) -> bool:
    """Whether "would" is the future of reported speech ("said it would provide"), not a hypothesis."""
    verb = aux.head
    return aux.lower_ == "would" and verb.dep_ == "ccomp" and verb.head.lemma_ in SPEECH


def future(head: Token) -> bool:
    """Whether an act lies ahead: "will meet", "is going to visit", reported "would provide", and an act that
    takes the tense of such a verb ("would keep fighting", "will work with partners to expel", "will deploy
    troops and impose sanctions")."""
    return any(_own_future(v) for v in [head, *tense_governors(head)])


def _own_future(verb: Token) -> bool:
    """Whether a verb's own auxiliary or controller puts it ahead: "will meet", reported "would provide", "is
    going to visit", "is expected to meet"."""
    for c in verb.children:
        if c.dep_ == "aux" and (c.lower_ in FUTURE_AUX or _reported_would(c)):
            return True
    if verb.dep_ == "xcomp" and verb.head.lemma_ == "expect":
        return True  # "is expected to meet": a forecast, not an act
    return verb.dep_ == "xcomp" and verb.head.lemma_ == "go" and verb.head.tag_ == "VBG"


def tense_governors(token: Token) -> list[Token]:
    """The verbs whose tense an act takes, nearest first: through control ("will keep fighting"), an infinitive
    of purpose ("will work with partners to expel", "will send troops in order to attack") and coordination
    sharing the auxiliary ("will deploy troops and impose sanctions")."""
    found = []
    governor = _tense_governor(token)
    while governor is not None:
        found.append(governor)
        governor = _tense_governor(governor)
    return found


def _tense_governor(verb: Token) -> Token | None:
    """The verb whose tense a verb takes when it has none of its own: the one that controls it, the one it is
    the purpose of, or the one it is a bare coordinate of, sharing its auxiliary and subject ("will deploy …
    and impose"; not "will deploy … and imposed", nor "… and China will impose", which tell their own time)."""
    head = verb.head
    if verb.pos_ != "VERB" or head.i == verb.i:
        return None
    if in_order_to(verb):
        return head.head.head if head.head.head.pos_ in ("VERB", "AUX") else None
    if head.pos_ not in ("VERB", "AUX"):
        return None
    if verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and arguments.to_infinitive(verb)):
        return head
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children)
    return head if verb.dep_ == "conj" and verb.tag_ == "VB" and not own_subject else None


def in_order_to(verb: Token) -> bool:
    """Whether a verb is the infinitive of "in order to", which the parser hangs on the noun "order"."""
    order = verb.head
    return (
        verb.dep_ == "acl"
        and arguments.to_infinitive(verb)
        and order.lower_ == "order"
        and order.dep_ == "pobj"
        and order.head.lower_ == "in"
    )


def declared_not(verb: Token) -> bool:
    """Whether an actor declares it will not do an act: a negated future on the act's own verb ("will not free",
    "won't free", "will never free", reported "would not free") or on the "going to" it hangs on ("is not
    going to free"); not a forecast ("is not expected to free"), which the actor does not decide, nor anything
    a question asks ("Does Hamas say it will not free them?")."""
    if not future(verb) or _question(verb):
        return False
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    going = verb.head
    return (
        verb.dep_ == "xcomp"
        and going.lemma_ == "go"
        and going.tag_ == "VBG"
        and any(c.dep_ == "neg" for c in going.children)
    )


def withheld(verb: Token) -> bool:
    """Whether a verb is withheld by a negated "will" or "would", as news tells a refusal to speak ("would not
    comment", "won't elaborate", "said it would not comment"); not in a question or under a condition ("if
    asked, he would not comment")."""
    if (
        _question(verb)
        or conditional(verb)
        or any(c.dep_ == "advcl" and conditional(c) for c in verb.children)
    ):
        return False
    modal = any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX | {"would"} for c in verb.children)
    return modal and any(c.dep_ == "neg" for c in verb.children)


def historical(head: Token, sent: SpacySpan, date: dt.date | None) -> bool:
    """Whether the act is history: dated to a year well before the article ("in 1967", "in March 1967"), told as
    "decades ago", or what an anniversary commemorates ("the anniversary of the 1979 seizure")."""
    own = _own_clause(head)
    if any(_ago(t) and _dates_clause(t, own) for t in sent if t.lower_ == "ago"):
        return True
    if any(ANNIVERSARY.match(a.text) for a in head.ancestors):
        return True
    if date is None:
        return False
    return any(_old_year(t, own, date) for t in sent if YEAR.match(t.text))


def _own_clause(head: Token) -> set[int]:
    """The tokens whose modifiers time a trigger's own act: the trigger, the verb a nominal trigger is the object
    of ("launched an attack"), and the object noun of a verb trigger ("held talks")."""
    words = {head.i}
    if head.pos_ in ("VERB", "AUX"):
        words.update(c.i for c in head.children if c.dep_ == "dobj")
        return words
    token = head
    while token.dep_ in _LIGHT_PATH and token.head.i != token.i:
        token = token.head
        words.add(token.i)
        if token.pos_ in ("VERB", "AUX"):
            break
    return words


def _ago(token: Token) -> bool:
    """Whether an "ago" ends a span of years ("fifty years ago", "decades ago"), not of days or weeks."""
    return bool(AGO.search(token.doc[token.left_edge.i : token.right_edge.i + 1].text))


def _old_year(token: Token, own: set[int], date: dt.date) -> bool:
    """Whether a year token dates the trigger's clause ("in 1967", "in March 1967") well before the article."""
    if int(token.text) >= date.year - 1 or not (token.head.dep_ == "prep" or token.ent_type_ == "DATE"):
        return False
    last = _dates_clause(token, own)
    return last is not None and last.dep_ == "prep"


def _dates_clause(token: Token, own: set[int]) -> Token | None:
    """The modifier of the trigger's clause a time word is part of, or None when the word sits in another clause,
    a relative or participial clause, an apposition or an argument ("Hamas, founded decades ago, attacked")."""
    while token.head.i != token.i:
        if token.pos_ in ("VERB", "AUX") or token.dep_ not in _ADVERBIAL:
            return None
        if token.head.i in own:
            return token
        token = token.head
    return None


def attribution(head: Token, by_token: arguments.ByToken) -> str | None:
    """Who reported the act: the subject of a speech verb the clause is the content of, or "according to X"."""
    found = speakers(head, by_token)
    return arguments.actor_code(found[0]) if found else None


def speakers(head: Token, by_token: arguments.ByToken) -> list[ActorMention]:
    """The actors who reported an act: "according to X", else the subject of the speech verb whose content the
    act's clause is."""
    for token in head.sent:
        if token.lower_ == "according" and token.dep_ == "prep":
            for to in token.children:
                names = arguments.actors_of_all([c for c in to.children if c.dep_ == "pobj"], by_token)
                if names:
                    return names
    verb = speech_verb(head)
    return arguments.subject_actors(verb, by_token) if verb is not None else []


def speech_verb(head: Token) -> Token | None:
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
