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

# Modal verbs that make an act possible rather than done.
HYPOTHETICAL_AUX = frozenset({"could", "would", "might", "may", "should", "must", "can"})

FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})

CONDITIONS = frozenset({"if", "unless", "whether", "lest"})

POSSIBLE = frozenset(
    {"possible", "potential", "likely", "proposed", "planned", "future", "prospective", "any"}
)
# Verbs whose content is denied, not asserted.
DENIALS = frozenset({"deny", "dismiss", "refute", "reject"})

YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")

AGO = re.compile(r"\b(?:years|decades|centuries)\s+ago\b", re.I)

ANNIVERSARY = re.compile(r"\banniversary\b|\bcommemorat", re.I)


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


def _asked(head: Token) -> bool:
    """Whether an act is asked about, not told: its sentence is a question ("Did Russia bomb the hospital?")."""
    sent = head.sent
    return sent.text.rstrip().rstrip("\"'”’»").endswith("?") and head.i >= sent.start and _main_clause(head)


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
    """Whether an act lies ahead: "will meet", "is going to visit", reported "would provide"."""
    for c in head.children:
        if c.dep_ == "aux" and (c.lower_ in FUTURE_AUX or _reported_would(c)):
            return True
    if head.dep_ == "xcomp" and head.head.lemma_ == "expect":
        return True  # "is expected to meet": a forecast, not an act
    return head.dep_ == "xcomp" and head.head.lemma_ == "go" and head.head.tag_ == "VBG"


def historical(head: Token, sent: SpacySpan, date: dt.date | None) -> bool:
    """Whether the act is history: dated to a year well before the article ("in 1967", "in March 1967"), told as
    "decades ago", or what an anniversary commemorates ("the anniversary of the 1979 seizure")."""
    if any(t.lower_ == "ago" and AGO.search(t.head.sent.text) for t in head.subtree):
        return True
    if any(ANNIVERSARY.match(a.text) for a in head.ancestors):
        return True
    if date is None:
        return False
    for prep in head.children:
        if prep.dep_ != "prep":
            continue
        for token in prep.subtree:
            dated = token.head.i == prep.i or token.ent_type_ == "DATE"
            if YEAR.match(token.text) and dated and int(token.text) < date.year - 1:
                return True
    return False


def attribution(head: Token, by_token: arguments.ByToken) -> str | None:
    """Who reported the act: the subject of a speech verb the clause is the content of, or "according to X"."""
    for token in head.sent:
        if token.lower_ == "according" and token.dep_ == "prep":
            for to in token.children:
                names = arguments.actors_of_all([c for c in to.children if c.dep_ == "pobj"], by_token)
                if names:
                    return arguments.actor_code(names[0])
    verb = speech_verb(head)
    if verb is None:
        return None
    speakers = arguments.subject_actors(verb, by_token)
    return arguments.actor_code(speakers[0]) if speakers else None


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
