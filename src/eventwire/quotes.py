"""The quotes stage: direct and indirect speech with speakers, linked to the events coded from them.

Direct quotes are read off the quotation marks of the text (every style: “ ” " " « » ‘ ’ „ “ and '' ''), across
sentences and paragraphs, and attributed from the cue verb next to them ("…," she said / He said: "…" / "…," the
minister said, "…") or, for a partial quote inside a sentence, from the verb it hangs on. Indirect speech is read
off the parse: the clause or object a speech verb reports ("X said that…", "X announced…", "according to X, …").
Speakers are resolved to the actor mentions the actor stage coded (with its coreference), with a fallback for
pronouns and for documents that speak ("the statement said"). See docs/quotes.md.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from .model import ActorMention, Article, EventMention, Quote, Span, trimmed

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Verbs that introduce the exact words next to them ("…," she said / He added: "…").
DIRECT_CUES = frozenset(
    {
        "say",
        "tell",
        "add",
        "emphasize",
        "emphasise",
        "stress",
        "state",
        "write",
        "note",
        "explain",
        "insist",
        "argue",
        "claim",
        "warn",
        "declare",
        "announce",
        "report",
        "confirm",
        "deny",
        "admit",
        "acknowledge",
        "reply",
        "respond",
        "answer",
        "ask",
        "continue",
        "recall",
        "predict",
        "promise",
        "vow",
        "pledge",
        "suggest",
        "assert",
        "allege",
        "reiterate",
        "urge",
        "tweet",
        "post",
        "remark",
        "comment",
        "observe",
        "conclude",
        "caution",
        "concede",
        "complain",
        "boast",
        "joke",
        "quip",
        "shout",
        "yell",
        "exclaim",
        "whisper",
        "testify",
        "mention",
        "read",
        "agree",
        "plead",
        "demand",
        "wonder",
    }
)
# Verbs whose reported clause is what someone said or holds ("X said that…", "polls show that…").
CLAUSE_CUES = (DIRECT_CUES - {"ask", "continue", "read", "wonder", "answer", "yell", "shout", "whisper"}) | {
    "believe",
    "think",
    "show",
    "find",
    "indicate",
    "reveal",
    "contend",
    "maintain",
}
# Speech verbs whose object is what was said ("X announced an increase…", "denied the allegations").
OBJECT_CUES = frozenset(
    {
        "announce",
        "report",
        "confirm",
        "deny",
        "reveal",
        "propose",
        "promise",
        "predict",
        "claim",
        "acknowledge",
        "admit",
        "allege",
        "reiterate",
        "pledge",
        "vow",
        "demand",
    }
)
# Nouns for documents and messages that speak for whoever issued them ("the statement said").
DOCUMENTS = frozenset(
    {
        "statement",
        "communique",
        "communiqué",
        "release",
        "readout",
        "report",
        "letter",
        "declaration",
        "announcement",
        "notice",
        "memo",
        "post",
        "tweet",
        "message",
    }
)
# Pronouns that stand for a person and for an organisation or group.
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"it", "they", "them"})
# Subject and, for inverted cues ("said Quentin Kidd"), object dependencies that can name the speaker.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
INVERTED_DEPS = frozenset({"dobj", "attr", "npadvmod", "appos", "dep"})
# Between a closing mark and its cue only the speaker's phrase and light words stand ("…," the minister said).
CUE_GAP_POS = frozenset({"PUNCT", "DET", "ADJ", "NOUN", "PROPN", "PRON", "ADV", "AUX", "NUM", "PART", "ADP"})
CUE_WINDOW = 12
# The words that belong to a cue's own clause ("the agency said in a June report"), not to what it reports.
CUE_CLAUSE_DEPS = frozenset(
    {"nsubj", "nsubjpass", "agent", "prep", "advmod", "npadvmod", "dobj", "dative", "aux", "neg", "punct"}
)
# One or two quoted words are scare quotes or a name, not speech, unless a cue stands right beside them.
MIN_WORDS = 3

# Marks: double quotes (including two apostrophes and TeX-style openers), then single quotes.
_MARKS = re.compile(r"''|``|[\"“”„«»‘’‚']")
_DOUBLE = frozenset({'"', "“", "”", "„", "«", "»", "''", "``"})
_OPENERS = frozenset({"“", "„", "«", "‘", "‚", "``"})
_CLOSERS = frozenset({"”", "»", "’"})
_PARAGRAPH_GAP = re.compile(r"\n[^\S\n]*\n")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Characters after which a mark opens a quote, and before which a mark closes one.
_BEFORE_OPEN = set("([{—–-/:;") | set("\"“”„«»‘’‚'`")
_AFTER_CLOSE = set(".,;:!?)]}—–-…") | set("\"“”„«»‘’‚'")
_SENTENCE_END = frozenset({".", "!", "?"})
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)")
# Words before a quote that make it a name, not speech ("the so-called 'war on terror'").
_NAMING = re.compile(
    r"(?:so-called|dubbed|nicknamed|titled|entitled|named|known as|the word|the phrase)\W{0,3}\Z", re.I
)


@dataclass(slots=True)
class _Quoted:
    """A stretch of text between quotation marks: mark offsets, content offsets, and whether it closed."""

    open: int
    close: int
    start: int
    end: int
    closed: bool


@dataclass(slots=True)
class _Found:
    """A quote being built: its content and, once attributed, its cue and speaker tokens."""

    start: int
    end: int
    kind: Literal["direct", "indirect"]
    cue: tuple[int, int] | None = None
    speaker: Token | None = None
    where: str = ""
    close: int = 0
    open: int = 0


class QuoteStage:
    """Fills the article's quotes and links the events coded inside them."""

    def __call__(self, article: Article, doc: Doc) -> Article:
        """The article with its quotes filled and its events linked to the quotes they were coded from."""
        index = _Tokens(doc)
        direct = _direct_quotes(article.text, doc, index)
        # A partial quote's verb ("said Trump favors a “strongman approach”") still reports the whole clause.
        used_cues = {f.cue[0] for f in direct if f.cue is not None and f.where != "inside"}
        indirect = [f for f in _indirect_quotes(doc, used_cues) if not any(_covers(d, f.cue) for d in direct)]
        # Quoted words inside reported speech are part of what it reports, not a second quote.
        direct = [d for d in direct if d.where != "inside" or not any(_within(d, i) for i in indirect)]
        found = sorted(direct + indirect, key=lambda f: (f.start, -f.end))
        article.quotes = _resolve(article, doc, found)
        _link_events(article, doc)
        return article


# --- the text's quotation marks -----------------------------------------------------------------------------------


class _Tokens:
    """Token lookup by character offset."""

    def __init__(self, doc: Doc) -> None:
        """Index a parsed document's token offsets."""
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def after(self, offset: int) -> int:
        """The index of the first token starting at or after an offset."""
        return bisect.bisect_left(self.starts, offset)

    def before(self, offset: int) -> int:
        """The index of the last token starting before an offset (-1 when none)."""
        return bisect.bisect_left(self.starts, offset) - 1


def quoted_stretches(text: str) -> list[_Quoted]:
    """Every stretch of text between matching quotation marks, apostrophes left alone.

    A quote left open at a paragraph's end goes on when the next paragraph opens with the same mark (the news
    convention for a quote of several paragraphs); otherwise it ends with its paragraph, marked unclosed.
    """
    found: list[_Quoted] = []
    gaps = [(m.start(), m.end()) for m in _PARAGRAPH_GAP.finditer(text)]
    bounds = _paragraphs(gaps, len(text))
    current: tuple[int, int, bool] | None = None  # (offset of the opening mark, its length, double?)
    for p_start, p_end in bounds:
        for match in _MARKS.finditer(text, p_start, p_end):
            mark, i, j = match.group(), match.start(), match.end()
            double = mark in _DOUBLE
            role = _role(text, mark, i, j)
            if role == "none":
                continue
            if current is None:
                if role in ("open", "either") and (double or not _elision(text, j)):
                    current = (i, j - i, double)
                continue
            if double != current[2]:
                continue  # a quote nested in another, part of its content
            if role == "open" and current[0] < p_start and not text[p_start:i].strip():
                continue  # the opening mark of a continuing paragraph
            if role in ("close", "either"):
                found.append(_stretch(text, current[0], current[0] + current[1], i, j, True))
                current = None
            elif role == "open":
                # Two openers in a row: the first never closed; it ends where the second starts.
                found.append(_stretch(text, current[0], current[0] + current[1], i, i, False))
                current = (i, j - i, double)
        if current is not None and not _continues(text, p_end, text[current[0] : current[0] + current[1]]):
            found.append(_stretch(text, current[0], current[0] + current[1], p_end, p_end, False))
            current = None
    return [q for q in found if q.start < q.end]


def _paragraphs(gaps: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Paragraph bounds between blank-line gaps."""
    bounds, start = [], 0
    for gap_start, gap_end in gaps:
        bounds.append((start, gap_start))
        start = gap_end
    bounds.append((start, length))
    return bounds


def _role(text: str, mark: str, i: int, j: int) -> str:
    """Whether a mark can open a quote, close one, either (straight marks), or is an apostrophe."""
    before = text[i - 1] if i > 0 else "\n"
    after = text[j] if j < len(text) else "\n"
    if mark in ("'", "’") and before.isalnum() and after.isalnum():
        return "none"  # Russia's, don't
    can_open = not after.isspace() and (before.isspace() or before in _BEFORE_OPEN)
    can_close = not before.isspace() and (after.isspace() or after in _AFTER_CLOSE)
    if mark in _OPENERS:
        # “ also closes German „…“ and careless “…“; it closes only where it cannot open.
        if mark == "“" and can_close and not can_open:
            return "close"
        return "open" if can_open else "none"
    if mark in _CLOSERS:
        return "close" if can_close else "none"
    if can_open and can_close:
        return "either"
    return "open" if can_open else "close" if can_close else "none"


def _elision(text: str, j: int) -> bool:
    """Whether a single mark elides (the '90s, 'em) rather than opens a quote."""
    return bool(re.match(r"\d0s\b|em\b|til\b|cause\b|n\b", text[j : j + 6]))


def _continues(text: str, p_end: int, opener: str) -> bool:
    """Whether the paragraph after `p_end` opens with the open quote's own opening mark."""
    return text[p_end : p_end + 12].lstrip().startswith(opener)


def _stretch(text: str, open_: int, start: int, end: int, close: int, closed: bool) -> _Quoted:
    """A quoted stretch with its content trimmed of whitespace."""
    s, e = trimmed(text, start, end)
    return _Quoted(open_, close, s, e, closed)


# --- direct quotes --------------------------------------------------------------------------------------------------


def _direct_quotes(text: str, doc: Doc, index: _Tokens) -> list[_Found]:
    """Quoted speech with its cue and speaker; consecutive parts of one attributed quote merged."""
    found: list[_Found] = []
    for stretch in quoted_stretches(text):
        quote = _attributed(text, doc, index, stretch)
        if quote is None:
            continue
        if found and _continuation(doc, index, found[-1], quote):
            last = found[-1]
            found[-1] = replace(last, end=quote.end, close=quote.close)
            continue
        if quote.where == "unattributed" or (not stretch.closed and quote.cue is None):
            continue
        if quote.speaker is None and found and _same_voice(text, found[-1], quote):
            quote.speaker, quote.cue, quote.where = found[-1].speaker, found[-1].cue, "inherited"
        found.append(quote)
    return found


def _attributed(text: str, doc: Doc, index: _Tokens, q: _Quoted) -> _Found | None:
    """A quoted stretch as a quote with its cue, or None when it is not speech (scare quotes, titles)."""
    content = text[q.start : q.end]
    words = _WORD.findall(content)
    if not words or _title(words, content) or _NAMING.search(text, max(0, q.open - 24), q.open):
        return None
    found = _Found(q.start, q.end, "direct", close=q.close, open=q.open)
    for where, attribution in (("after", _cue_after), ("before", _cue_before)):
        cue = attribution(text, doc, index, q)
        if cue is not None:
            if len(words) < MIN_WORDS and not _standalone(text, q, where):
                return None  # 'called it "troubled," he said': a word quoted in a sentence, not a reply
            found.cue, found.speaker, found.where = cue[0], cue[1], where
            return found
    if not q.closed or _standalone(text, q):
        return found  # sentences of their own: speech, the speaker found from the quotes around them
    host = _host(doc, index, q)
    governed = _cue_governing(host, index.after(q.start)) if host is not None else None
    if governed is None or len(words) < MIN_WORDS:
        # Quoted words inside a sentence that attributes them to nobody are scare quotes, unless they go on
        # a quote across its attribution ("…," he said, "… the rest").
        found.where = "unattributed"
    else:
        found.cue, found.speaker, found.where = governed[0], governed[1], "inside"
    return found


def _standalone(text: str, q: _Quoted, cue: str = "") -> bool:
    """Whether a quote is whole sentences: it starts a sentence and ends with one; with a cue after it, only
    the start counts ("No," he said), with a cue before it, only the end (He said: "No.")."""
    before = text[max(0, q.open - 3) : q.open]
    starts = q.open < 3 or "\n" in before or before.rstrip()[-1:] in tuple('.!?:;"”’)…')
    ends = text[q.end - 1] in ".!?…"
    return starts if cue == "after" else ends if cue == "before" else starts and ends


def _title(words: list[str], content: str) -> bool:
    """Whether quoted words look like a title or a name: every long word capitalised, no sentence punctuation."""
    long = [w for w in words if len(w) > 3]
    return (
        bool(long) and all(w[0].isupper() for w in long) and content.rstrip("”’\"'")[-1:] not in tuple(".!?,")
    )


Attribution = tuple[tuple[int, int], "Token | None"]


def _cue_after(text: str, doc: Doc, index: _Tokens, q: _Quoted) -> Attribution | None:
    """The cue right after a quote's closing mark: "…," she said / "…," said the minister / "…," according to X."""
    if not q.closed or text[q.end - 1] == ".":
        return None  # an unclosed quote has nothing after it; a full stop ends the sentence before the next
    i = index.after(q.close)
    if i >= len(doc) or (text[q.end - 1] in "?!" and doc[i].pos_ in ("PRON", "DET")):
        return None  # "…?” She adds: a new sentence
    for k in range(i, min(i + CUE_WINDOW, len(doc))):
        token = doc[k]
        if "\n" in token.text or (token.text in _SENTENCE_END and k > i):
            return None
        if token.text in _DOUBLE or token.text in _CLOSERS or token.text in _OPENERS:
            return None
        if token.lower_ == "according" and k + 1 < len(doc) and doc[k + 1].lower_ == "to":
            objects = [c for c in doc[k + 1].children if c.dep_ == "pobj"]
            return (token.idx, doc[k + 1].idx + 2), objects[0] if objects else None
        if token.pos_ == "VERB" and token.lemma_ in DIRECT_CUES:
            if any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children):
                return None  # '"…" was written by X': the quoted words name a work, nobody says them
            return (token.idx, token.idx + len(token)), _speaker_token(token)
        if token.pos_ not in CUE_GAP_POS:
            return None
    return None


def _cue_before(text: str, doc: Doc, index: _Tokens, q: _Quoted) -> Attribution | None:
    """The cue right before a quote's opening mark: He said: "…" / X told reporters, "…" / she said "…"."""
    k = index.before(q.open)
    while k >= 0 and doc[k].is_space:
        k -= 1
    if k < 0:
        return None
    if doc[k].text == ":":
        verb = _clause_verb(doc, k)
        return None if verb is None else ((verb.idx, verb.idx + len(verb)), _subject(verb))
    start = k - 1 if doc[k].text == "," else k
    for j in range(start, max(start - CUE_WINDOW, -1), -1):
        token = doc[j]
        if token.pos_ == "VERB" and token.lemma_ in DIRECT_CUES:
            return (token.idx, token.idx + len(token)), _subject(token)
        if token.pos_ == "PUNCT" or "\n" in token.text:
            break
    return None


def _clause_verb(doc: Doc, colon: int) -> Token | None:
    """The verb of the clause a colon ends ("He told reporters:", "The statement reads:")."""
    head = doc[colon].head
    if head.pos_ in ("VERB", "AUX") and head.i < colon:
        return head
    for j in range(colon - 1, max(colon - CUE_WINDOW, -1), -1):
        token = doc[j]
        if token.pos_ == "VERB":
            return token
        if token.text in _SENTENCE_END:
            break
    return None


def _host(doc: Doc, index: _Tokens, q: _Quoted) -> Token | None:
    """The token outside a quote that the quoted words hang on, or the quoted verb a subject outside hangs on."""
    first, last = index.after(q.start), index.before(q.end)
    inside = range(first, last + 1)
    for token in doc[first : last + 1]:
        if token.head.i not in inside:
            return token.head
    for token in doc[first].sent:
        if token.i not in inside and token.dep_ in SUBJECT_DEPS and token.head.i in inside:
            return token.head  # "she was “whisked off to hospital”": the sentence's verb is quoted
    return None


def _cue_governing(host: Token, first: int) -> Attribution | None:
    """For a partial quote, the verb it hangs on: a speech verb above it, else a verb it is the object side of."""
    nearest: Attribution | None = None
    for token in [host, *host.ancestors]:
        if token.pos_ != "VERB":
            continue
        if token.lemma_ in DIRECT_CUES or token.lemma_ in CLAUSE_CUES:
            return (token.idx, token.idx + len(token)), _subject(token)
        subject = _subject(token)
        if nearest is None and subject is not None and token.i < first:
            # No speech verb above: the quoted words are those of whoever does what the sentence says.
            nearest = (token.idx, token.idx + len(token)), subject
    return nearest


def _continuation(doc: Doc, index: _Tokens, last: _Found, quote: _Found) -> bool:
    """Whether a quote without its own cue goes on the previous one across its attribution ("…," he said, "…")."""
    if last.where != "after" or last.cue is None or last.cue[0] > quote.open or quote.where == "inside":
        return False
    if quote.cue is not None and quote.cue != last.cue:
        return False
    gap = doc[index.after(last.close) : index.after(quote.open)]
    if any("\n" in t.text for t in gap):
        return False
    # Only the attribution may stand between the parts: at most the one full stop that ends it.
    return sum(t.text in _SENTENCE_END for t in gap) <= 1


def _same_voice(text: str, last: _Found, quote: _Found) -> bool:
    """Whether an unattributed quote follows an attributed one with nothing but its attribution between them,
    in the same or the next paragraph."""
    if last.speaker is None:
        return False
    between = text[last.close : quote.open]
    if last.where == "after":
        # The attribution sentence ("…," he said on Tuesday.) may stand between them, nothing else.
        between = _SENTENCE_BREAK.split(between, maxsplit=1)[-1]
    return len(_PARAGRAPH_GAP.findall(between)) <= 1 and not _WORD.search(between)


# --- indirect speech ------------------------------------------------------------------------------------------------


def _indirect_quotes(doc: Doc, used: set[int]) -> Iterator[_Found]:
    """Reported speech: the clause or object of a speech verb, and what is said "according to" someone."""
    for token in doc:
        if token.idx in used:
            continue
        if token.lower_ == "according":
            found = _according(doc, token)
        elif token.pos_ == "VERB" and token.lemma_ in CLAUSE_CUES:
            found = _reported(doc, token)
        else:
            continue
        if found is not None:
            yield found


def _reported(doc: Doc, verb: Token) -> _Found | None:
    """What a speech verb reports: its clause ("said that…"), its object ("announced…"), or the clause it follows."""
    if any(c.dep_ == "neg" for c in verb.children):
        return None
    cue, speaker = (verb.idx, verb.idx + len(verb)), _subject(verb)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is not None and clause.i > verb.i:
        return _content(doc, clause.left_edge.i, clause.right_edge.i, cue, speaker)
    if clause is not None:
        return _inverted(doc, verb, clause.left_edge.i, cue, speaker)
    if verb.lemma_ in OBJECT_CUES:
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
        if obj is not None and obj.right_edge.i > obj.left_edge.i:
            return _content(doc, obj.left_edge.i, obj.right_edge.i, cue, speaker)
    if verb.dep_ in ("parataxis", "ccomp", "conj") and verb.head.i < verb.i and speaker is not None:
        # "…, the Kremlin said": the parser may hang the speech verb under the clause it reports.
        return _inverted(doc, verb, verb.head.left_edge.i, cue, speaker)
    return None


def _inverted(
    doc: Doc, verb: Token, first: int, cue: tuple[int, int], speaker: Token | None
) -> _Found | None:
    """What a cue after its content reports: up to the cue ("…, he said."), or the whole sentence when the
    content goes on after it ("…, he said, …")."""
    own = [c for c in verb.children if c.dep_ in CUE_CLAUSE_DEPS and c.i >= first]
    cue_first = min([verb.i, *(c.left_edge.i for c in own if c.i < verb.i)])
    cue_last = max([verb.i, *(c.right_edge.i for c in own if c.i > verb.i)])
    sent = verb.sent
    rest = [t for t in doc[cue_last + 1 : sent.end] if not (t.is_punct or t.is_space)]
    if rest:
        return _content(doc, first, sent.end - 1, cue, speaker)
    return _content(doc, first, cue_first - 1, cue, speaker)


def _according(doc: Doc, token: Token) -> _Found | None:
    """ "According to X, …" and "…, according to X": the rest of the clause is what X says."""
    if token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
        return None
    to = doc[token.i + 1]
    speakers = [c for c in to.children if c.dep_ == "pobj"]
    if not speakers:
        return None
    sent = token.sent
    phrase_start, phrase_end = token.i, max(to.right_edge.i, token.i + 1)
    cue = (token.idx, to.idx + len(to))
    if phrase_start - sent.start > sent.end - 1 - phrase_end:
        return _content(doc, sent.start, phrase_start - 1, cue, speakers[0])
    return _content(doc, phrase_end + 1, sent.end - 1, cue, speakers[0])


def _content(doc: Doc, first: int, last: int, cue: tuple[int, int], speaker: Token | None) -> _Found | None:
    """Reported content between two token indexes, trimmed of edge punctuation; None when it says nothing."""
    while first <= last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    while last >= first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    tokens = doc[first : last + 1] if first <= last else None
    if tokens is None or sum(t.is_alpha for t in tokens) < 2:
        return None
    return _Found(tokens.start_char, tokens.end_char, "indirect", cue, speaker, "reported")


def _within(quote: _Found, report: _Found) -> bool:
    """Whether a quote's content lies inside reported speech (whose edges may leave out the quotation marks)."""
    return report.cue == quote.cue and report.start <= quote.start and quote.end <= report.end + 2


def _covers(quote: _Found, cue: tuple[int, int] | None) -> bool:
    """Whether a direct quote's marks enclose a cue (a speech verb quoted, not a report of speech)."""
    return cue is not None and quote.open <= cue[0] < max(quote.close, quote.end)


# --- speakers -------------------------------------------------------------------------------------------------------


def _subject(verb: Token) -> Token | None:
    """A verb's speaker: its subject, the agent of a passive ("was announced by X"), or that of the verb it is
    coordinated with ("…, and added")."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return None  # "it was noted that…", "a curfew was announced": nobody named
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    return None


def _speaker_token(cue: Token) -> Token | None:
    """The speaker of a cue that follows a quote: its subject, or the name after an inverted cue."""
    subject = _subject(cue)
    if subject is not None:
        return subject
    for child in cue.rights:
        if child.dep_ in INVERTED_DEPS and child.pos_ in ("PROPN", "NOUN", "PRON"):
            return child
    return None


def _resolve(article: Article, doc: Doc, found: list[_Found]) -> list[Quote]:
    """Quotes with their speaker spans and the actor codes these resolve to."""
    mentions = sorted(article.actors, key=lambda m: m.span.start)
    starts = [m.span.start for m in mentions]
    quotes: list[Quote] = []
    for f in found:
        speaker: Span | None = None
        code: str | None = None
        if f.speaker is not None:
            head = _antecedent(f.speaker)
            speaker = _phrase(article, head)
            code = _code(article, head, speaker, mentions, starts, quotes)
        cue = article.span(*f.cue) if f.cue is not None else None
        quotes.append(Quote(len(quotes), article.span(f.start, f.end), f.kind, speaker, code, cue))
    return quotes


def _antecedent(speaker: Token) -> Token:
    """The noun a relative pronoun stands for ("Macron, who said…" is Macron speaking), else the speaker itself."""
    verb = speaker.head
    if speaker.tag_ in ("WP", "WDT") and verb.dep_ == "relcl" and verb.head.pos_ in ("PROPN", "NOUN"):
        return verb.head
    return speaker


def _phrase(article: Article, head: Token) -> Span:
    """The speaker's phrase: its head with the words before it in its phrase (up to a mark) and names after it."""
    doc = head.doc
    first = head.i
    while first > head.left_edge.i and not (doc[first - 1].is_punct or doc[first - 1].is_space):
        first -= 1
    end = head.idx + len(head)
    for child in head.rights:
        if child.dep_ in ("compound", "flat") or (child.pos_ == "PROPN" and child.i == head.i + 1):
            end = child.idx + len(child)
    start, end = trimmed(article.text, doc[first].idx, end)
    return article.span(start, end)


def _code(
    article: Article,
    head: Token,
    phrase: Span,
    mentions: list[ActorMention],
    starts: list[int],
    earlier: list[Quote],
) -> str | None:
    """The actor code a speaker resolves to: its coded mention, else a pronoun's or a document's referent."""
    covering = _mentions_in(mentions, starts, phrase.start, phrase.end)
    at_head = [m for m in covering if m.span.start <= head.idx < m.span.end and m.code]
    coded = at_head or [m for m in covering if m.code]
    if coded:
        return _speaking(coded[0])
    lower = head.lower_
    if lower in PERSON_PRONOUNS:
        return _last_person(article, head, mentions)
    if head.lemma_.lower() in DOCUMENTS or lower in GROUP_PRONOUNS:
        return _issuer(head, mentions, starts) or _last_group_speaker(head, earlier)
    return None


def _speaking(mention: ActorMention) -> str | None:
    """A speaker's code: a country that speaks does so through its government ("Turkey said" is TURGOV), as a
    capital that speaks does; any other actor speaks as itself."""
    if mention.code and mention.code == mention.country and not mention.sectors:
        return f"{mention.code}GOV"
    return mention.code


def _mentions_in(mentions: list[ActorMention], starts: list[int], start: int, end: int) -> list[ActorMention]:
    """The actor mentions that overlap a stretch of text."""
    lo = bisect.bisect_left(starts, start - 200)
    return [m for m in mentions[lo:] if m.span.start < end and m.span.end > start]


def _last_person(article: Article, head: Token, mentions: list[ActorMention]) -> str | None:
    """The code of the last named person before a pronoun, preferring one that was a subject."""
    doc = head.doc
    people = [
        m
        for m in mentions
        if m.code and m.span.end <= head.idx and m.via != "coreference" and _is_person(doc, m)
    ]
    subjects = [m for m in people if _dep_at(doc, m) in SUBJECT_DEPS]
    chosen = subjects or people
    return chosen[-1].code if chosen else None


def _is_person(doc: Doc, mention: ActorMention) -> bool:
    """Whether a mention names a person (its last token is tagged as one)."""
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[-1].ent_type_ == "PERSON"


def _dep_at(doc: Doc, mention: ActorMention) -> str:
    """The dependency of a mention's head in the parse."""
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return span.root.dep_ if span is not None and len(span) > 0 else ""


def _issuer(head: Token, mentions: list[ActorMention], starts: list[int]) -> str | None:
    """Who issued a document: its possessor or the actor after "from", "by" or "of" ("a statement from X")."""
    for child in head.children:
        tokens = [child] if child.dep_ == "poss" else []
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            tokens = [c for c in child.children if c.dep_ == "pobj"]
        for token in tokens:
            found = _mentions_in(mentions, starts, token.left_edge.idx, token.idx + len(token))
            coded = [m for m in found if m.code]
            if coded:
                return coded[-1].code
    return None


def _last_group_speaker(head: Token, earlier: list[Quote]) -> str | None:
    """The code of the last earlier speaker that is not a person: the body whose statement is cited."""
    doc = head.doc
    for quote in reversed(earlier):
        if quote.speaker is None or quote.speaker_code is None or quote.speaker.start >= head.idx:
            continue
        span = doc.char_span(quote.speaker.start, quote.speaker.end, alignment_mode="expand")
        if span is not None and len(span) and span.root.ent_type_ != "PERSON" and span.root.pos_ != "PRON":
            return quote.speaker_code
    return None


# --- events ---------------------------------------------------------------------------------------------------------


def _link_events(article: Article, doc: Doc) -> None:
    """Each event coded inside a quote points to it (the innermost one), and is attributed to its speaker if
    unsaid; in direct speech "we" or "I" as the act's subject is the speaker ("We will defend Taiwan," Gingrich
    said)."""
    for event in article.events:
        inside = [
            q
            for q in article.quotes
            if q.span.start <= event.trigger.start and event.trigger.end <= q.span.end
        ]
        if not inside:
            continue
        quote = min(inside, key=lambda q: q.span.end - q.span.start)
        event.quote = quote.index
        if event.attributed_to is None and quote.speaker_code is not None:
            event.attributed_to = quote.speaker_code
        if quote.kind == "direct" and quote.speaker_code and not event.source and _first_person(doc, event):
            event.source = [quote.speaker_code]
            event.source_spans = [quote.speaker] if quote.speaker else []
            event.target = [c for c in event.target if c != quote.speaker_code]


def _first_person(doc: Doc, event: EventMention) -> bool:
    """Whether the subject of an event's trigger, or of the verb it hangs on, is "we" or "I"."""
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    if span is None:
        return False
    verb = span.root
    for _ in range(3):  # "we will begin our operation", "we want to stop": up the verb chain
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0].lower_ in ("we", "i")
        if verb.dep_ not in ("xcomp", "conj", "dobj", "pobj", "prep") or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False
