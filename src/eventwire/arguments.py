"""Who and whom: the actors that an event trigger's arguments name in the dependency parse.

The subject (or passive by-agent) is the source; the passive subject, the objects and the objects of targeting
prepositions are the target. An argument names an actor when an actor mention covers its head or sits in its own
noun phrase; a country adjective the actor stage left alone, or a country or capital named as the place an
attack is aimed at, names its country. See docs/events.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import dictionaries as dicts
from . import gazetteer, ontology
from .lexicon import RESTATING, Match, of_objects
from .model import ActorMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# Which actor mentions cover each token of a document.
ByToken = dict[int, list[ActorMention]]

# Prepositions that introduce whom an act is aimed at.
TARGET_PREPS = frozenset({"with", "to", "against", "on", "at", "toward", "towards", "upon", "into", "over"})

# Verbs whose object does the act of their infinitive ("prompted Israel to freeze", "forced Turkey to close").
OBJECT_CONTROL = frozenset(
    {
        "prompt",
        "force",
        "compel",
        "oblige",
        "push",
        "pressure",
        "pressurize",
        "pressurise",
        "lead",
        "cause",
        "allow",
        "permit",
        "enable",
        "help",
        "persuade",
        "convince",
        "tell",
        "instruct",
        "authorize",
        "authorise",
        "require",
        "get",
    }
)

# Participles whose by-agent is who did a nominal act ("a bombing claimed by", "an attack carried out by", "a
# rally planned by", "a march led by"): the lexicon's restating verbs and "lead"; not "called", whose by-agent may
# have called the act off ("a strike called off by").
CLAIMING = RESTATING | {"lead"}

# Roots of acts whose object is often the actor's own forces, moved or readied (yield, posture).
MOVING_ROOTS = frozenset({"08", "15"})

# Verbs whose object is the one said to have done the act after "of" or "for".
ACCUSING = frozenset({"accuse", "blame", "suspect", "charge", "condemn", "criticize", "criticise", "praise"})

# The preposition of the other party of a meeting ("received a call from X").
FROM = frozenset({"from"})

# Prepositions of the place a withdrawal or de-escalation leaves or ends in.
WITHDRAWAL_PREPS = frozenset({"from", "in", "of"})

# Prepositions that also give a visit's target (the place visited stands for its country or government).
VISIT_PREPS = frozenset({"for", "in", "to"})

# Relative pronouns that stand for the noun their clause hangs on.
RELATIVES = frozenset({"which", "who", "whom", "whose", "that"})

# Entity labels a place aimed at may carry (the small tagger takes some cities for people or organisations).
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "PERSON", "ORG"})

# Dependencies that stay inside one noun phrase when looking for the actor an argument names.
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


def subject_actors(token: Token, by_token: ByToken) -> list[ActorMention]:
    """Who did it: the verb's subject or passive by-agent, else the subject it shares with a verb it is
    coordinated with or controlled by or is an adjunct of ("said after meeting X", "were killed trying to
    kidnap"), the object of a verb of causing ("prompted Israel to freeze"), the owner of a decision
    ("Trump's decision to withdraw"), else the noun a relative clause hangs on."""
    verb: Token | None = token
    said_of = accused(token, by_token)
    if said_of is not None:
        return said_of
    while verb is not None:
        if verb.i == token.i and passive(verb):
            return _agents(verb, by_token) or _joint_parties(verb, by_token)
        subjects = [_antecedent(c) for c in verb.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")]
        if subjects:
            return actors_of_all(subjects, by_token)  # "Israel, which ended …": the relative's noun
        if verb.dep_ == "relcl":
            return actors_of(verb.head, by_token)
        controllers = _controllers(verb, by_token)
        if controllers is not None:
            return controllers
        verb = _shared_subject_verb(verb)
    return []


def passive(verb: Token) -> bool:
    """Whether a verb is passive: with a passive subject or auxiliary, or a participle on a noun ("the
    agreement, lauded by Rice")."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def _joint_parties(verb: Token, by_token: ByToken) -> list[ActorMention]:
    """For a passive verb without a by-agent, the parties "between" names on it or on the noun it hangs on: they
    did the joint act ("an agreement reached on Tuesday between the Palestinians and Israel")."""
    found = between(verb, by_token)
    if not found and verb.dep_ == "acl":
        found = between(verb.head, by_token)
    return found


def _controllers(verb: Token, by_token: ByToken) -> list[ActorMention] | None:
    """The actors an infinitive's subject is by control other than by its governor's subject: the object of a
    verb of causing ("forced Turkey to close"), or who a decision, plan or request belongs to ("Trump's decision
    to withdraw", "the US decision to reimpose"); None when neither applies."""
    if not to_infinitive(verb):
        return None
    head = verb.head
    if verb.dep_ in ("xcomp", "ccomp", "advcl") and head.lemma_.lower() in OBJECT_CONTROL:
        found = actors_of_all([c for c in head.children if c.dep_ in ("dobj", "obj")], by_token)
        return found or None
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        if head.i in by_token and head.dep_ in ("dobj", "obj") and head.head.lemma_.lower() in OBJECT_CONTROL:
            return actors_of(head, by_token)  # "forced Turkey to close", the infinitive hung on the object
        found = noun_sources(head, by_token)
        return found or None
    return None


def to_infinitive(token: Token) -> bool:
    """Whether a verb is a to-infinitive ("to provide")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _shared_subject_verb(verb: Token) -> Token | None:
    """The verb whose subject a subjectless verb shares: its coordinate, controller, the clause it modifies, or
    the verb of the preposition it follows ("after meeting")."""
    if verb.dep_ in ("conj", "xcomp", "advcl", "acomp") and verb.head.i != verb.i:
        return verb.head  # "acomp": "Arnor is about to restore", "Iran is ready to talk"
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        governor = verb.head.head
        if governor.pos_ in ("VERB", "AUX"):
            return governor
        # "played a role in fighting Israel", "took part in attacking": the verb of the noun the act hangs on.
        if governor.dep_ in ("dobj", "obj") and governor.head.pos_ == "VERB":
            return governor.head
    return None


def accused(verb: Token, by_token: ByToken) -> list[ActorMention] | None:
    """For an act told after "of" or "for" by a verb with an object ("accused Russia of shelling Kherson",
    "blamed Kyiv for attacking"), the object: the one said to have done it, not the one who said so."""
    prep = verb.head
    if verb.dep_ != "pcomp" or prep.dep_ != "prep" or prep.lower_ not in ("of", "for"):
        return None
    owner = prep.head
    if owner.dep_ in ("dobj", "obj") and owner.pos_ in ("NOUN", "PROPN") and owner.head.lemma_ in ACCUSING:
        return actors_of(owner, by_token)  # "accused Angolan troops of attacking": "of" parsed on the object
    objects = [c for c in owner.children if c.dep_ in ("dobj", "obj")]
    return actors_of_all(objects, by_token) if objects else None


def targets(
    token: Token, match: Match, by_token: ByToken, sources: Iterable[ActorMention] = ()
) -> list[ActorMention]:
    """To whom: the passive subject, the direct or indirect object, or the object of a targeting preposition
    on the verb or on its light-verb noun ("expressed dissatisfaction with Russia"); an object the lexicon
    reads with its verb is a target when it is another country's ("expelled two Russian diplomats", not
    "recalled its ambassador")."""
    patients = actors_of_all([c for c in token.children if c.dep_ == "nsubjpass"], by_token)
    if token.dep_ == "acl" and token.tag_ == "VBN":
        patients = patients or actors_of(token.head, by_token)  # "protesters arrested by police"
    if patients:
        return patients
    heads = [token] + ([token.doc[match.object]] if match.object is not None else [])
    if match.object is None:
        found = objects(token, by_token)
        if not found and ontology.root(match.entry.code) in ("11", "12"):
            # "criticised remarks made by the French president": the remarks' author is criticised.
            found = [a for c in token.children if c.dep_ in ("dobj", "obj") for a in owners(c, by_token)]
        if ontology.root(match.entry.code) in MOVING_ROOTS:
            # "Taiwan put its forces on alert", "withdrew its troops": one's own forces are not the target.
            found = [m for m in found if not _own(m, token, by_token, sources)]
    else:
        noun = token.doc[match.object]
        # "rejected Erdogan's calls", "expelled two Russian diplomats", "cancelled the passports of activists"
        found = owners(noun, by_token) + _foreign(noun, by_token, sources) or _of_actors([noun], by_token)
    # A visit's target is where the visitor goes: "headed for Jordan", "arrived in Moscow".
    visit = match.entry.code.startswith("042")
    preps = TARGET_PREPS | VISIT_PREPS if visit else TARGET_PREPS
    if match.entry.pos == "ADJ" and match.entry.prep:
        # "critical of Netanyahu", "proud of Siniora"; "satisfied about" for a "satisfied with" row.
        used = {token.doc[i] for i in match.tokens}
        preps = preps | {match.entry.prep} | {w.lower_ for w in used if w.pos_ == "ADP"}
    for head in heads:
        found.extend(prep_actors(head, by_token, preps))
    if not found and (visit or ontology.root(match.entry.code) >= "14"):
        found = place_targets(heads, preps)
    if not found and match.entry.code.startswith("087"):
        found = place_targets(heads, WITHDRAWAL_PREPS)  # "withdrew from south Lebanon": the country left
    if not found and match.entry.code.startswith("045"):
        found = mediated(token, by_token, token.doc[match.object] if match.object is not None else None)
    return unique(found)


def mediated(token: Token, by_token: ByToken, talks: Token | None = None) -> list[ActorMention]:
    """The parties of what a mediator brokers or hosts: "to host talks between A and B", "talks between A and B
    brokered by China", and "A and B agreed … after talks brokered by China" (the talks' parties are the
    subject of the verb they follow)."""
    if talks is not None and (parties := between(talks, by_token)):
        return parties
    if token.dep_ != "acl" or token.head.pos_ not in ("NOUN", "PROPN"):
        return []
    noun = token.head
    return between(noun, by_token) or governor_subject(noun, by_token)


def place_targets(heads: list[Token], preps: frozenset[str]) -> list[ActorMention]:
    """For force, protest and coercion aimed at a place ("launched drones at Moscow", "shelled Kyiv"), the
    country the place is, or is the capital of: CAMEO codes the target country of an attack on its territory."""
    candidates = [_antecedent(c) for h in heads if h.pos_ == "VERB" for c in h.children if c.dep_ == "dobj"]
    candidates += [
        o for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ in preps for o in p.children
    ]
    # "shelled the city of Kherson", "a siege on the town of Rafah": the place after "of".
    candidates += [o for c in candidates if not c.ent_type_ for o in of_objects(c)]
    found: list[ActorMention] = []
    for token in candidates:
        if token.ent_type_ in PLACE_LABELS:
            # The small tagger takes some cities for people ("struck Kharkiv"): the gazetteer decides.
            ent = _entity_at(token)
        elif token.pos_ == "PROPN" and not token.ent_type_:
            # The tagger misses some capitals ("the shelling of Kyiv"): a proper noun with its compounds.
            ent = token.doc[min([token.i] + [c.i for c in token.lefts if c.dep_ == "compound"]) : token.i + 1]
        else:
            continue
        iso3 = place_country(ent.text)
        if iso3 is not None:
            span = Span(ent.start_char, ent.end_char, ent.text)
            found.append(ActorMention(-1 - token.i, 0, span, iso3, country=iso3, via="place", coded=True))
    return found


def _entity_at(token: Token) -> SpacySpan:
    """The named entity a token is part of, found from its IOB tags (not by scanning every entity)."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def place_country(name: str) -> str | None:
    """The country a place name is, is the capital or seat of government of, or lies in (a region, territory or
    city the gazetteer knows: "the Gaza Strip", "Kharkiv")."""
    d = dicts.shipped()
    key = dicts.normalise(name)
    return (
        d.country_names.get(key) or d.seats.get(key) or _capitals().get(key) or gazetteer.place_country(name)
    )


@functools.lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Capital city → country, from the shipped country table."""
    return {dicts.normalise(c.capital): c.iso3 for c in dicts.shipped().countries.values() if c.capital}


def objects(token: Token, by_token: ByToken) -> list[ActorMention]:
    """The actors a verb's direct and indirect objects name; for an object that names none, the parties it
    is about ("criticized the cooperation between Russia and Iran", "condemned the attack by Russia")."""
    objects = [
        _antecedent(c) for c in token.children if c.dep_ in ("dobj", "dative", "obj", "iobj", "attr", "oprd")
    ]
    found = actors_of_all(objects, by_token)
    if not found:
        for noun in objects:
            found.extend(between(noun, by_token) or _by_agent(noun, by_token) or _deep_actors(noun, by_token))
    return unique(found)


def _antecedent(token: Token) -> Token:
    """The noun a relative pronoun stands for ("Crimea, which Russia seized", "settlers whose slaying"), else
    the token itself."""
    if token.lower_ not in RELATIVES:
        return token
    clause = next((a for a in token.ancestors if a.dep_ == "relcl"), None)
    return clause.head if clause is not None else token


def _deep_actors(noun: Token, by_token: ByToken) -> list[ActorMention]:
    """The nearest actor inside an object's own phrase, through its prepositions ("welcomed a resumption of ties
    with Egypt" → Egypt), not inside clauses of its own."""
    queue = [c for c in noun.children if c.dep_ in DEEP_DEPS]
    while queue:
        token = queue.pop(0)
        found = by_token.get(token.i)
        if found:
            return actors_of(token, by_token)
        queue.extend(c for c in token.children if c.dep_ in DEEP_DEPS)
    return []


def _by_agent(token: Token, by_token: ByToken) -> list[ActorMention]:
    """The actors after "by" on a noun ("the attack by Russia")."""
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ == "by":
            return actors_of_all([c for c in prep.children if c.dep_ == "pobj"], by_token)
    return []


def _foreign(noun: Token, by_token: ByToken, sources: Iterable[ActorMention]) -> list[ActorMention]:
    """The actors a noun names that belong to a country none of the sources is from (none without sources)."""
    home = {m.country for m in sources}
    if not home or None in home:
        return []
    return [m for m in by_token.get(noun.i, []) if m.country and m.country not in home]


def _own(mention: ActorMention, verb: Token, by_token: ByToken, sources: Iterable[ActorMention]) -> bool:
    """Whether an object is the subject's own ("Taiwan put its forces on alert"): a pronoun owns it and it is of
    the subject's country."""
    home = {m.country for m in sources if m.country}
    owned = [
        c
        for c in verb.children
        if c.dep_ in ("dobj", "obj") and any(p.dep_ == "poss" and p.pos_ == "PRON" for p in c.children)
    ]
    return mention.country in home and any(mention in by_token.get(c.i, []) for c in owned)


def owners(noun: Token, by_token: ByToken) -> list[ActorMention]:
    """Whose request, call, offer or remarks a verb acts on: a named possessor of its object ("rejected Erdogan's
    calls", "accepted Iran's offer"; a pronoun there is the subject's own: "expressed its concern"), or who made
    them ("criticised remarks made by the French president", "rejected a proposal by Qatar")."""
    named = [c for c in noun.children if c.dep_ == "poss" and c.pos_ != "PRON"]
    made = [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"]
    agents = [
        p for c in [noun, *made] for p in c.children if p.dep_ in ("agent", "prep") and p.lower_ == "by"
    ]
    named += [o for p in agents for o in p.children if o.dep_ == "pobj"]
    return actors_of_all(named, by_token)


def prep_actors(token: Token, by_token: ByToken, preps: frozenset[str] = TARGET_PREPS) -> list[ActorMention]:
    """The actors named after a targeting preposition of a word, in the "of" phrase of what it names
    ("displeasure over the participation of Hamas"), or as its owner or author ("at comments made by Trump")."""
    found: list[ActorMention] = []
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            nouns = [c for c in prep.children if c.dep_ == "pobj"]
            found.extend(
                actors_of_all(nouns, by_token)
                or _of_actors(nouns, by_token)
                or [a for n in nouns for a in owners(n, by_token)]  # "hit back at comments made by Trump"
            )
    return found


def _of_actors(nouns: list[Token], by_token: ByToken) -> list[ActorMention]:
    """The actors after "of" on nouns that name none themselves."""
    return actors_of_all([o for n in nouns for o in of_objects(n)], by_token)


def between(token: Token, by_token: ByToken) -> list[ActorMention]:
    """The parties of "talks between A and B"."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("between", "among"):
            return actors_of_all([c for c in prep.children if c.dep_ == "pobj"], by_token)
    return []


def noun_sources(token: Token, by_token: ByToken) -> list[ActorMention]:
    """The actor a nominal event belongs to: "Israel's strikes", "Israeli strikes", "US sanctions", "strikes by
    Israel"."""
    found: list[ActorMention] = []
    for child in token.children:
        if child.dep_ in ("poss", "amod", "compound", "nmod"):
            found.extend(actors_of(_antecedent(child), by_token) or demonym(child))
        if child.dep_ == "prep" and child.lower_ == "by":
            found.extend(actors_of_all([c for c in child.children if c.dep_ == "pobj"], by_token))
        if child.dep_ == "acl" and child.tag_ == "VBN" and child.lemma_.lower() in CLAIMING:
            # "a bombing claimed by the Islamic State", "an attack carried out by Hamas"
            found.extend(_agents(child, by_token))
    return unique(found)


def _agents(verb: Token, by_token: ByToken) -> list[ActorMention]:
    """The actors of a passive verb's by-agent."""
    return actors_of_all(
        [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"], by_token
    )


def owned_by(noun: Token, by_token: ByToken) -> list[ActorMention]:
    """Whose a plan, refusal or decision is when the noun says it ("Israel's plan", "the US refusal", "Russian
    demands"); a pronoun ("its readiness") is left to the verb's subject."""
    found: list[ActorMention] = []
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            found.extend(actors_of(child, by_token))
        elif child.dep_ in ("compound", "amod", "nmod"):
            found.extend(by_token.get(child.i, []) or demonym(child))
    return unique(found)


def demonym(token: Token) -> list[ActorMention]:
    """A country adjective or name the actor stage left alone ("Israeli war crimes", "US sanctions") as an
    argument of its noun's event: the country it names; never one after "pro-" or "anti-"."""
    d = dicts.shipped()
    key = dicts.normalise(token.text)
    if token.dep_ == "amod":
        iso3 = d.demonyms.get(key)
    elif token.dep_ == "compound" and token.pos_ == "PROPN":
        iso3 = d.country_names.get(key)
    else:
        iso3 = None
    if iso3 is None or stance(token) is not None:
        return []
    return [_country_word(token, iso3)]


def _country_word(token: Token, iso3: str) -> ActorMention:
    """A country word as the actor it names, the word as its evidence."""
    span = Span(token.idx, token.idx + len(token.text), token.text)
    return ActorMention(-1 - token.i, 0, span, iso3, country=iso3, via="demonym", coded=True)


def stance(token: Token) -> str | None:
    """The word "pro" or "anti" when a word follows one of them ("pro-Iranian", "anti - Israeli"), else None."""
    i = token.i - 1
    doc = token.doc
    if i >= 0 and doc[i].text in ("-", "–"):
        i -= 1
    word = doc[i].lower_ if i >= 0 else ""
    return word if word in ("pro", "anti") else None


def against(noun: Token) -> list[ActorMention]:
    """The country an "anti-" adjective names is whom a nominal act is aimed at ("anti-Israeli bombings")."""
    found: list[ActorMention] = []
    for child in noun.children:
        if child.dep_ == "amod" and stance(child) == "anti":
            iso3 = dicts.shipped().demonyms.get(dicts.normalise(child.text))
            if iso3 is not None:
                found.append(_country_word(child, iso3))
    return found


def governor_subject(token: Token, by_token: ByToken) -> list[ActorMention]:
    """The subject of the verb a nominal event hangs on: "Netanyahu interrupted a meeting for talks with Putin"."""
    head = token
    while head.dep_ in ("pobj", "prep", "dobj", "conj") and head.head.i != head.i:
        head = head.head
        if head.pos_ == "VERB":
            return subject_actors(head, by_token)
    return []


def actors_of_all(tokens: Iterable[Token], by_token: ByToken) -> list[ActorMention]:
    """The actors several argument heads name, coordinated ones included."""
    found: list[ActorMention] = []
    for token in tokens:
        found.extend(actors_of(token, by_token))
    return unique(found)


def actors_of(token: Token, by_token: ByToken) -> list[ActorMention]:
    """The actors an argument head names: the mention covering it, else one inside its noun phrase; plus those
    of the heads coordinated with it ("Russia and China")."""
    found = list(by_token.get(token.i, [])) or _inside_phrase(token, by_token)
    for child in token.children:
        if child.dep_ == "conj":
            found.extend(actors_of(child, by_token))
    return unique(found)


def _inside_phrase(token: Token, by_token: ByToken) -> list[ActorMention]:
    """The first actor reached from a noun through its own modifiers ("Russia's assessment" → Russia), or
    after "of" from a quantity ("hundreds of Palestinians", "a group of protesters")."""
    if token.lemma_.lower() in PARTITIVES or token.pos_ == "NUM":
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                found = actors_of_all([c for c in prep.children if c.dep_ == "pobj"], by_token)
                if found:
                    return found
    for child in token.children:
        if child.dep_ in PHRASE_DEPS:
            found = by_token.get(child.i) or _inside_phrase(child, by_token) or demonym(child)
            if found:
                return list(found)
    return []


def actors_by_token(actors: list[ActorMention], doc: Doc) -> ByToken:
    """Which actor mentions cover each token; a pair ("the two leaders") covers its tokens twice."""
    found: ByToken = {}
    for mention in actors:
        if actor_code(mention) is None:
            continue
        span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            found.setdefault(token.i, []).append(mention)
    return found


def actor_code(mention: ActorMention) -> str | None:
    """The code an actor mention contributes to an event: its own, or country and sector when uncoded."""
    if mention.code:
        return mention.code
    if mention.country:
        return mention.country + (mention.sectors[0] if mention.sectors else "")
    return None


def unique(mentions: list[ActorMention]) -> list[ActorMention]:
    """Mentions without repeats, in order."""
    seen: set[int] = set()
    return [m for m in mentions if not (m.index in seen or seen.add(m.index))]  # type: ignore[func-returns-value]


def codes(mentions: list[ActorMention]) -> list[str]:
    """The distinct codes of mentions, in order."""
    codes: list[str] = []
    for mention in mentions:
        code = actor_code(mention)
        if code is not None and code not in codes:
            codes.append(code)
    return codes
